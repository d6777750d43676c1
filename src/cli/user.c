/* user.c - `ungcuu user add|list|reset|disable|enable|unlock` and `ungcuu token create|revoke|list`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/codes.h"
#include "core/passwd.h"
#include "ops/session.h"
#include "ops/user.h"
#include "util/crypto.h"
#include "util/str.h"

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu user add --data DIR --org ORG --role ROLE[,ROLE...] [--name FULL_NAME]",
		"                [--email E] [--password-stdin] USERNAME",
		"ungcuu user list --data DIR [--json]",
		"ungcuu user reset|disable|enable|unlock --data DIR USERNAME", NULL};

	return cli_usage(help, synopsis, M_cli_usage_roles,
			 MS("roles", "reporter officer leader operator auditor admin"));
}

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int token_usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu token create --data DIR --user USERNAME [--name NAME]",
		"ungcuu token revoke --data DIR ID", "ungcuu token list --data DIR [--json]", NULL};

	return cli_usage(help, synopsis, M_none);
}

/* "officer,leader" -> role bits; 0 if any name is unknown. */
static unsigned parse_roles(const char *s)
{
	unsigned bits = 0;

	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		char one[32];
		unsigned r;

		if (n == 0 || n >= sizeof one)
			return 0;
		memcpy(one, s, n);
		one[n] = '\0';
		r = codes_user_role_parse(one);
		if (r == 0)
			return 0;
		bits |= r;
		s += n + (comma != NULL);
	}
	return bits;
}

/* Reads the first line of stdin as the password. */
static int read_password(char *out, size_t outsz)
{
	size_t n;

	if (fgets(out, (int)outsz, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	return 0;
}

/* The same operation as the API's (ops/user.c), asked by the machine's operator. */
static int user_add(struct store *st, const char *username, const char *org, unsigned roles,
		    const char *name, const char *email, bool pw_stdin)
{
	char pw[PASSWD_MAX + 2], temp[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX], who[160];
	struct ops_err err;
	struct ops_ctx c;
	json_t *o = NULL, *row;
	int64_t id;
	int rc, code = EXIT_FAIL;

	if (store_org_by_code(st, org, &o) != STORE_OK) {
		cli_error(M_cli_org_code_not_found, MS("code", org));
		return EXIT_NOTFOUND;
	}
	row = json_pack("{s:s, s:s, s:s, s:O, s:i}", "username", username, "full_name",
			name ? name : username, "email", email ? email : "", "org_id",
			json_object_get(o, "id"), "roles", (int)roles);
	json_decref(o);
	if (row == NULL || cli_ops_ctx(&c, st, NULL, who, sizeof who) != EXIT_OK)
		goto out;
	/* refused before a password is read and hashed; checked again in the transaction */
	rc = ops_user_check_new(&c, row, &err);
	if (rc == OPS_OK && pw_stdin && read_password(pw, sizeof pw) != 0)
		rc = ops_refuse(&err, 422, "Weak password", "password", M_cli_password_stdin_missing);
	if (rc == OPS_OK)
		rc = ops_user_password(username, pw_stdin ? pw : NULL, "password", temp, hash, &err);
	if (rc == OPS_EREFUSED && strcmp(err.field, "password") == 0) {
		cli_error(M_cli_password_refused, MS("problem", cli_text(&err.msg)));
		code = EXIT_USAGE;
		goto out;
	}
	if (rc == OPS_OK)
		rc = ops_store(&err, store_begin(st));
	if (rc != OPS_OK) {
		code = cli_ops_end(NULL, rc, &err);
		goto out;
	}
	code = cli_ops_end(st, ops_user_create(&c, row, hash, &id, NULL, &err), &err);
	if (code == EXIT_OK && !pw_stdin)
		printf("%s\n", temp);
out:
	json_decref(row);
	return code;
}

static int user_list(struct store *st, bool as_json)
{
	json_t *items = NULL, *u, *r;
	size_t i, k;

	if (store_user_list(st, 0, &items) != STORE_OK)
		return EXIT_FAIL;
	if (as_json) {
		json_dumpf(items, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_array_foreach(items, i, u) {
		if (as_json)
			break;
		printf("%-6lld %-20s %-14s %-8s ", (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "username")),
		       json_string_value(json_object_get(u, "org_code")),
		       json_is_true(json_object_get(u, "active")) ? "active" : "disabled");
		json_array_foreach(json_object_get(u, "roles"), k, r)
			printf("%s%s", k ? "," : "", json_string_value(r));
		putchar('\n');
	}
	json_decref(items);
	return EXIT_OK;
}

/* reset, disable, enable, unlock: the admin's operations (ops/user.c) by the machine's operator. */
static int user_op(struct store *st, const char *verb, const char *username)
{
	struct store_user_auth u;
	char temp[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX], who[160];
	struct ops_err err;
	struct ops_ctx c;
	int rc;

	if (store_user_auth_by_name(st, username, &u) != STORE_OK) {
		cli_error(M_cli_user_not_found, MS("username", username));
		return EXIT_NOTFOUND;
	}
	if (cli_ops_ctx(&c, st, NULL, who, sizeof who) != EXIT_OK)
		return EXIT_FAIL;
	rc = strcmp(verb, "reset") == 0 ? ops_user_password(NULL, NULL, NULL, temp, hash, &err)
					: OPS_OK;
	if (rc != OPS_OK || (rc = ops_store(&err, store_begin(st))) != OPS_OK)
		return cli_ops_end(NULL, rc, &err);
	if (strcmp(verb, "reset") == 0)
		rc = ops_user_reset(&c, u.id, hash, NULL, &err);
	else if (strcmp(verb, "disable") == 0)
		rc = ops_user_disable(&c, u.id, NULL, &err);
	else if (strcmp(verb, "enable") == 0)
		rc = ops_user_enable(&c, u.id, NULL, &err);
	else
		rc = ops_user_unlock(&c, u.id, NULL, &err);
	rc = cli_ops_end(st, rc, &err);
	if (rc == EXIT_OK && strcmp(verb, "reset") == 0)
		printf("%s\n", temp);
	return rc;
}

int cli_user(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"org", required_argument, NULL, 'o'},
		{"role", required_argument, NULL, 'r'}, {"name", required_argument, NULL, 'n'},
		{"email", required_argument, NULL, 'e'}, {"password-stdin", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},       {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = "./data", *org = NULL, *name = NULL, *email = NULL;
	const char *verb = argc > 1 ? argv[1] : "";
	unsigned roles = 0;
	bool pw_stdin = false, as_json = false;
	struct store *st;
	int c, rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return usage(true);
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'o': org = optarg; break;
		case 'r': {
			unsigned r = parse_roles(optarg);

			if (r == 0)
				return usage(false);
			roles |= r;
			break;
		}
		case 'n': name = optarg; break;
		case 'e': email = optarg; break;
		case 'p': pw_stdin = true; break;
		case 'j': as_json = true; break;
		case 'h': return usage(true);
		default: return usage(false);
		}
	}
	if (strcmp(verb, "list") == 0 ? optind != argc : optind + 1 != argc)
		return usage(false);
	if (strcmp(verb, "add") == 0 && (org == NULL || roles == 0))
		return usage(false);
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "reset") != 0 &&
	    strcmp(verb, "disable") != 0 && strcmp(verb, "enable") != 0 && strcmp(verb, "unlock") != 0)
		return usage(false);
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (strcmp(verb, "add") == 0)
		rc = user_add(st, argv[optind], org, roles, name, email, pw_stdin);
	else if (strcmp(verb, "list") == 0)
		rc = user_list(st, as_json);
	else
		rc = user_op(st, verb, argv[optind]);
	store_close(st);
	return rc;
}

static int token_create(struct store *st, const char *username, const char *name)
{
	char token[CRYPTO_TOKEN_CHARS], h[CRYPTO_HASH_HEX], who[160];
	struct store_user_auth u;
	struct ops_err err;
	struct ops_ctx c;
	int64_t id;
	int rc;

	if (store_user_auth_by_name(st, username, &u) != STORE_OK) {
		cli_error(M_cli_user_not_active, MS("username", username));
		return EXIT_NOTFOUND;
	}
	if (cli_ops_ctx(&c, st, NULL, who, sizeof who) != EXIT_OK)
		return EXIT_FAIL;
	crypto_token(token);
	crypto_blake2b_hex(h, token, strlen(token));
	rc = ops_store(&err, store_begin(st));
	if (rc != OPS_OK)
		return cli_ops_end(NULL, rc, &err);
	rc = cli_ops_end(st, ops_session_token_create(&c, u.id, name, h, &id, &err), &err);
	if (rc == EXIT_OK)
		printf("%s\n", token);
	return rc;
}

static int token_revoke(struct store *st, int64_t id)
{
	struct ops_err err;
	struct ops_ctx c;
	char who[160];
	int rc;

	if (cli_ops_ctx(&c, st, NULL, who, sizeof who) != EXIT_OK)
		return EXIT_FAIL;
	rc = ops_store(&err, store_begin(st));
	if (rc != OPS_OK)
		return cli_ops_end(NULL, rc, &err);
	return cli_ops_end(st, ops_session_token_revoke(&c, id, &err), &err);
}

int cli_token(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"user", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	const char *dir = "./data", *user = NULL, *name = NULL, *verb = argc > 1 ? argv[1] : "";
	bool as_json = false;
	struct store *st;
	json_t *items;
	int64_t id;
	int c, rc = EXIT_USAGE;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return token_usage(true);
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'n': name = optarg; break;
		case 'j': as_json = true; break;
		case 'h': return token_usage(true);
		default: return token_usage(false);
		}
	}
	if ((strcmp(verb, "create") == 0 && (user == NULL || optind != argc)) ||
	    (strcmp(verb, "revoke") == 0 &&
	     (optind + 1 != argc || str_to_i64(argv[optind], 1, INT64_MAX, &id) != 0)) ||
	    (strcmp(verb, "list") == 0 && optind != argc) ||
	    (strcmp(verb, "create") && strcmp(verb, "revoke") && strcmp(verb, "list")))
		return token_usage(false);
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (strcmp(verb, "create") == 0) {
		rc = token_create(st, user, name);
	} else if (strcmp(verb, "revoke") == 0) {
		rc = token_revoke(st, id);
	} else if (store_token_list(st, 0, &items) == STORE_OK) {
		json_dumpf(items, stdout, as_json ? JSON_INDENT(2) : JSON_COMPACT);
		putchar('\n');
		json_decref(items);
		rc = EXIT_OK;
	} else {
		rc = EXIT_FAIL;
	}
	store_close(st);
	return rc;
}
