/* org.c - `ungcuu org add|list`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops/org.h"

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu org add --data DIR --code CODE --name NAME --role ROLE [--parent CODE]",
		"               [--phone P] [--fax F] [--email E] [--hotline H] [--hotline-247]",
		"               [--address A] [--contact NAME]",
		"ungcuu org list --data DIR [--json]", NULL};

	return cli_usage(help, synopsis, M_cli_usage_roles,
			 MS("roles", "coordinator police military central_agency member response_team isp "
				     "security_firm national superior"));
}

/* The same operation as the API's (ops/org.c), asked by the machine's operator: the code,
 * role and name are checked there, the new organisation's duties made there. */
static int org_add(const char *dir, json_t *row, const char *parent)
{
	struct preset *p = NULL;
	struct store *st;
	struct ops_err err;
	struct ops_ctx c;
	json_t *par = NULL;
	char who[160];
	int64_t id;
	int rc, code = EXIT_FAIL;

	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (parent) {
		if (store_org_by_code(st, parent, &par) != STORE_OK) {
			cli_error(M_cli_org_code_not_found, MS("code", parent));
			code = EXIT_NOTFOUND;
			goto out;
		}
		json_object_set(row, "parent_id", json_object_get(par, "id"));
		json_decref(par);
	}
	if (cli_preset_from_store(st, &p) != 0 || cli_ops_ctx(&c, st, p, who, sizeof who) != EXIT_OK)
		goto out;
	rc = ops_store(&err, store_begin(st));
	if (rc != OPS_OK) {
		code = cli_ops_end(NULL, rc, &err);
		goto out;
	}
	rc = ops_org_create(&c, row, &id, NULL, &err);
	if (rc == OPS_EREFUSED && strcmp(err.field, "name") == 0)
		err.status = 409; /* a taken name is a conflict (exit 4), as a taken code is */
	code = cli_ops_end(st, rc, &err);
	if (code == EXIT_OK)
		printf("%lld\n", (long long)id);
out:
	preset_free(p);
	store_close(st);
	return code;
}

static int org_list(const char *dir, bool as_json)
{
	struct store *st;
	json_t *items = NULL, *o;
	size_t i;

	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (store_org_list(st, NULL, &items) != STORE_OK) {
		store_close(st);
		return EXIT_FAIL;
	}
	if (as_json) {
		json_dumpf(items, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		json_array_foreach(items, i, o)
			printf("%-6lld %-16s %-15s %s\n", (long long)json_integer_value(json_object_get(o, "id")),
			       json_string_value(json_object_get(o, "code")),
			       json_string_value(json_object_get(o, "role")),
			       json_string_value(json_object_get(o, "name")));
	}
	json_decref(items);
	store_close(st);
	return EXIT_OK;
}

int cli_org(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},    {"code", required_argument, NULL, 'c'},
		{"name", required_argument, NULL, 'n'},    {"role", required_argument, NULL, 'r'},
		{"parent", required_argument, NULL, 'p'},  {"phone", required_argument, NULL, 'P'},
		{"fax", required_argument, NULL, 'f'},     {"email", required_argument, NULL, 'e'},
		{"hotline", required_argument, NULL, 'H'}, {"hotline-247", no_argument, NULL, '7'},
		{"address", required_argument, NULL, 'a'}, {"contact", required_argument, NULL, 'C'},
		{"json", no_argument, NULL, 'j'},          {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const keys[128] = {['c'] = "code", ['n'] = "name", ['r'] = "role",
					      ['P'] = "phone", ['f'] = "fax", ['e'] = "email",
					      ['H'] = "hotline", ['a'] = "address",
					      ['C'] = "contact_name"};
	const char *dir = "./data", *parent = NULL, *verb = argc > 1 ? argv[1] : "";
	json_t *row = json_object();
	bool as_json = false;
	int c, rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		json_decref(row);
		return usage(true);
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'p')
			parent = optarg;
		else if (c == '7')
			json_object_set_new(row, "hotline_247", json_true());
		else if (c == 'j')
			as_json = true;
		else if (c > 0 && c < 128 && keys[c])
			json_object_set_new(row, keys[c], json_string(optarg));
		else {
			json_decref(row);
			return c == 'h' ? usage(true) : usage(false);
		}
	}
	if (optind != argc)
		rc = usage(false);
	else if (strcmp(verb, "add") == 0 && json_object_get(row, "code") &&
		 json_object_get(row, "name") && json_object_get(row, "role"))
		rc = org_add(dir, row, parent);
	else if (strcmp(verb, "list") == 0)
		rc = org_list(dir, as_json);
	else
		rc = usage(false);
	json_decref(row);
	return rc;
}
