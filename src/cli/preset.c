/* preset.c - `ungcuu preset check FILE`: validates a preset and prints errors with line numbers;
 * `ungcuu preset switch`: the handover of ops/handover.c, as the machine's operator. */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jobs/jobs.h"
#include "ops/handover.h"
#include "util/tm.h"
#include "util/str.h"

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu preset check FILE.yaml",
		"ungcuu preset switch --data DIR [--preset NAME] [--coordinator ORG_CODE]",
		"                     [--note TEXT]",
		NULL};

	return cli_usage(help, synopsis, M_cli_usage_preset);
}

/* The switch, as ops_handover does it for the API too, in one transaction; then the duty
 * calendar follows the preset now in force. */
static int switch_apply(struct store *st, const struct ops_handover *ho)
{
	struct preset *cur = NULL, *loaded = NULL;
	struct jobs_counts counts = {0};
	struct ops_ctx c;
	struct ops_err err;
	json_t *out = NULL;
	char who[160];
	int rc;

	if (cli_preset_from_store(st, &cur) != 0)
		return EXIT_INVALID;
	rc = ops_store(&err, store_begin(st));
	if (rc == OPS_OK && cli_ops_ctx(&c, st, cur, who, sizeof who) != EXIT_OK)
		rc = OPS_ESTORE;
	if (rc == OPS_OK)
		rc = ops_handover(&c, ho, &loaded, &out, &err);
	if (rc == OPS_OK)
		rc = ops_store(&err, store_commit(st));
	if (rc != OPS_OK) {
		store_rollback(st);
		if (rc == OPS_EREFUSED)
			fprintf(stderr, "ungcuu: %s\n", cli_text(&err.msg));
		preset_free(loaded);
		preset_free(cur);
		json_decref(out);
		return rc == OPS_EREFUSED ? EXIT_CONFLICT : EXIT_FAIL;
	}
	jobs_sync_duties(st, loaded ? loaded : cur, tm_now(), &counts);
	json_dumpf(out, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(out);
	preset_free(loaded);
	preset_free(cur);
	return EXIT_OK;
}

static int preset_switch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"preset", required_argument, NULL, 'p'},
		{"coordinator", required_argument, NULL, 'c'}, {"note", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *dir = "./data", *coord_code = NULL;
	struct ops_handover ho = {.note = ""};
	struct store *st;
	json_t *org = NULL;
	int ch, rc;

	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'p': ho.preset = optarg; break;
		case 'c': coord_code = optarg; break;
		case 'n': ho.note = optarg; break;
		case 'h': return usage(true);
		default: return usage(false);
		}
	}
	if (optind != argc || (ho.preset == NULL && coord_code == NULL))
		return usage(false);
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (coord_code) {
		if (store_org_by_code(st, coord_code, &org) != STORE_OK) {
			cli_error(M_cli_org_code_not_found, MS("code", coord_code));
			store_close(st);
			return EXIT_NOTFOUND;
		}
		ho.coordinator = json_integer_value(json_object_get(org, "id"));
		json_decref(org);
	}
	rc = switch_apply(st, &ho);
	store_close(st);
	return rc;
}

int cli_preset(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "switch") == 0)
		return preset_switch(argc, argv);
	char dirbuf[1024], namebuf[256], *dir, *base, *dot;
	struct preset *p = NULL;
	struct msg m;

	if (argc >= 2 && strcmp(argv[argc - 1], "--help") == 0)
		return usage(true);
	if (argc != 3 || strcmp(argv[1], "check") != 0)
		return usage(false);
	if (str_copy(dirbuf, sizeof dirbuf, argv[2]) != 0 ||
	    str_copy(namebuf, sizeof namebuf, argv[2]) != 0)
		return usage(false);
	dir = dirname(dirbuf);
	base = basename(namebuf);
	dot = strrchr(base, '.');
	if (dot == NULL || strcmp(dot, ".yaml") != 0) {
		cli_error(M_cli_preset_file_name);
		return EXIT_USAGE;
	}
	*dot = '\0';
	if (cli_preset_load(base, dir, &p, NULL) != 0)
		return EXIT_INVALID;
	msg_set(&m, M_cli_preset_valid, MS("file", argv[2]), MN("groups", p->ngroups),
		MN("types", p->ntypes), MN("severities", p->nseverities), MN("states", p->nstates));
	printf("%s, ", cli_text(&m));
	cli_say(stdout, M_cli_preset_valid_steps, MN("transitions", p->ntransitions),
		MN("forms", p->nforms), MN("clocks", p->nclocks));
	preset_free(p);
	return EXIT_OK;
}
