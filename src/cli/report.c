/* report.c - `ungcuu incident list` and `ungcuu audit verify`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/str.h"

int cli_incident(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},   {"json", no_argument, NULL, 'j'},
		{"status", required_argument, NULL, 's'}, {"limit", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
	static const char *const synopsis[] = {
		"ungcuu incident list --data DIR [--json] [--status S] [--limit N]", NULL};
	const char *dir = "./data";
	struct store_incident_filter f = {.drill = -1, .limit = 200};
	struct ac_scope all = {.all_below_red = true, .participations = false};
	bool as_json = false;
	json_t *items = NULL, *i;
	struct store *st;
	int64_t next = 0, limit;
	size_t k;
	int c = 0;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		c = 'h';
	else
		optind = 2;
	while (c != 'h' && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': as_json = true; break;
		case 's': f.status = optarg; break;
		case 'l':
			if (str_to_i64(optarg, 1, 200, &limit) != 0)
				goto usage;
			f.limit = (int)limit;
			break;
		default: goto usage;
		}
	}
	if (c == 'h')
		goto usage;
	if (argc < 2 || strcmp(argv[1], "list") != 0 || optind != argc)
		goto usage;
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	/* the operator on the machine sees every row, TLP:RED included: the scope below is "all" */
	all.everything = true;
	if (store_incident_list(st, &all, &f, &items, &next) != STORE_OK) {
		store_close(st);
		return EXIT_FAIL;
	}
	if (as_json) {
		json_dumpf(items, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		json_array_foreach(items, k, i)
			printf("%-16s %-12s %-10s %s\n", json_string_value(json_object_get(i, "ref")),
			       json_string_value(json_object_get(i, "status")),
			       json_string_value(json_object_get(i, "severity")),
			       json_string_value(json_object_get(i, "title")));
	}
	json_decref(items);
	store_close(st);
	return EXIT_OK;
usage:
	return cli_usage(c == 'h', synopsis, M_none);
}

int cli_audit(int argc, char **argv)
{
	static const struct option longopts[] = {{"data", required_argument, NULL, 'd'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	static const char *const synopsis[] = {"ungcuu audit verify --data DIR", NULL};
	const char *dir = "./data";
	struct store *st;
	int64_t bad = 0, count = 0;
	int c = 0, rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		c = 'h';
		goto usage;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'd')
			goto usage;
		dir = optarg;
	}
	if (argc < 2 || strcmp(argv[1], "verify") != 0 || optind != argc)
		goto usage;
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	rc = store_audit_verify(st, &bad, &count);
	store_close(st);
	if (rc != STORE_OK)
		return EXIT_FAIL;
	if (bad != 0) {
		cli_say(stdout, M_cli_audit_broken, MN("entry", bad));
		return EXIT_INVALID;
	}
	cli_say(stdout, M_cli_audit_intact, MN("entries", count));
	return EXIT_OK;
usage:
	return cli_usage(c == 'h', synopsis, M_none);
}
