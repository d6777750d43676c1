/* stix.c - the exchange formats on the command line (docs/cli.md, docs/stix.md):
 * `ungcuu import stix|misp [--as USERNAME] [--issued [--target CODE,...]] FILE` makes a draft
 * warning of the file (issued at once with --issued) through the operations the API calls,
 * `ungcuu export stix [--warning ID | --incident ID] --out F` writes a STIX 2.1 bundle (every
 * issued warning without an id). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/stix.h"
#include "cli.h"
#include "ops/exchange.h"
#include "ops/warning.h"
#include "core/codes.h"
#include "util/str.h"
#include "util/tm.h"

#define TARGETS_MAX 256

static int import_usage(int rc)
{
	static const char *const synopsis[] = {
		"ungcuu import stix|misp --data DIR [--as USERNAME] [--issued [--target CODE,...]] FILE",
		NULL};

	return cli_usage(rc == EXIT_OK, synopsis, M_cli_usage_stix_import);
}

/* Resolves the organisation codes of --target into ids. Returns 0 or EXIT_NOTFOUND. */
static int target_ids(struct store *st, const char *list, int64_t *ids, size_t *n)
{
	char buf[4096], *tok, *next;

	*n = 0;
	if (str_copy(buf, sizeof buf, list) != 0)
		return EXIT_USAGE;
	for (tok = buf; tok; tok = next) {
		json_t *org = NULL;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (tok[0] == '\0')
			continue;
		if (*n == TARGETS_MAX || store_org_by_code(st, tok, &org) != STORE_OK) {
			cli_error(M_cli_org_not_found, MS("org", tok));
			return EXIT_NOTFOUND;
		}
		ids[(*n)++] = json_integer_value(json_object_get(org, "id"));
		json_decref(org);
	}
	return 0;
}

/* Who imports: the context of the machine (the coordinator), or with --as the user named, who
 * acts as itself (the operation decides what it may do) and is named in the audit after the
 * machine's operator. Returns an exit code. */
static int importer(struct store *st, const struct preset *p, const char *as, struct ops_ctx *c,
		    char *who, size_t whosz)
{
	struct store_user_auth u;
	size_t n;

	if (cli_ops_ctx(c, st, p, who, whosz) != EXIT_OK)
		return EXIT_FAIL;
	if (as == NULL)
		return EXIT_OK;
	if (store_user_auth_by_name(st, as, &u) != STORE_OK || !u.active) {
		cli_error(M_cli_user_not_active, MS("username", as));
		return EXIT_NOTFOUND;
	}
	c->actor.subject = (struct ac_subject){
		.user_id = u.id, .org_id = u.org_id, .roles = u.roles,
		.org_role = codes_org_role_parse(u.org_role),
		.coordinator = u.org_id == c->actor.subject.org_id};
	c->actor.machine = false;
	c->actor.user_id = u.id;
	n = strlen(who);
	snprintf(who + n, whosz - n, " as %s", as);
	return EXIT_OK;
}

/* The exit code of a refusal (docs/cli.md). */
static int refused(const struct ops_err *err)
{
	switch (err->status) {
	case 0: return EXIT_FAIL;
	case 404: return EXIT_NOTFOUND;
	case 422: return EXIT_INVALID;
	default: return EXIT_CONFLICT;
	}
}

/* --issued: issues the imported draft at once through the API's operations: its targets set to
 * every organisation, or to the --target list, then issued (ops_warning_issue: a TLP:RED
 * warning only to organisations named). */
static int issue_now(const struct ops_ctx *c, int64_t id, const int64_t *ids, size_t n,
		     json_t *w, struct ops_err *err)
{
	json_t *orgs = json_array(), *target, *fields;
	int rc;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(orgs, json_integer(ids[i]));
	target = n == 0 ? json_pack("{s:s}", "mode", "all")
			: json_pack("{s:s, s:o}", "mode", "orgs", "orgs", orgs);
	if (n == 0)
		json_decref(orgs);
	fields = target ? json_pack("{s:o}", "target", target) : NULL;
	rc = fields ? ops_warning_update(c, id, 0, fields, NULL, err) : ops_store(err, STORE_EIO);
	json_decref(fields);
	if (rc == OPS_OK)
		rc = ops_warning_issue(c, id, NULL, err);
	if (rc == OPS_OK)
		json_object_set_new(w, "status", json_string("issued"));
	return rc;
}

/* Says why nothing was imported and returns the exit code. */
static int import_failed(const char *file, bool misp, int rc, const struct ops_err *err,
			 const json_t *result)
{
	if (rc == OPS_EREFUSED && result) {
		json_dumpf(result, stdout, JSON_INDENT(2));
		printf("\n");
		cli_error(M_cli_stix_invalid, MS("file", file), MS("format", misp ? "MISP" : "STIX"));
		return EXIT_INVALID;
	}
	if (rc == OPS_EREFUSED) {
		if (err->field[0])
			cli_error(M_cli_stix_refused_field, MS("file", file),
				  MS("problem", cli_text(&err->msg)), MS("field", err->field));
		else
			cli_error(M_cli_stix_refused, MS("file", file), MS("problem", cli_text(&err->msg)));
		return refused(err);
	}
	cli_error(M_cli_stix_failed);
	return EXIT_FAIL;
}

static int run_import(int argc, char **argv, bool misp)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"as", required_argument, NULL, 'a'},
		{"issued", no_argument, NULL, 'i'},     {"target", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	const char *dir = "./data", *as = NULL, *targets = NULL, *file;
	struct preset *p = NULL;
	struct store *st = NULL;
	json_t *doc = NULL, *result = NULL, *w;
	int64_t ids[TARGETS_MAX];
	size_t nids = 0, len;
	bool issued = false;
	char *data = NULL, why[600], who[256];
	struct ops_err err;
	struct ops_ctx ctx;
	int c, rc = EXIT_FAIL, orc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'a': as = optarg; break;
		case 'i': issued = true; break;
		case 't': targets = optarg; break;
		case 'h': return import_usage(EXIT_OK);
		default: return import_usage(EXIT_USAGE);
		}
	}
	if (optind + 1 != argc || (targets && !issued))
		return import_usage(EXIT_USAGE);
	file = argv[optind];
	if (cli_read_file(file, STIX_IMPORT_MAX, &data, &len) != 0) {
		cli_error(M_cli_stix_unreadable, MS("file", file), MN("max", STIX_IMPORT_MAX));
		return EXIT_FAIL;
	}
	if (stix_import_parse(data, len, &doc, why, sizeof why) != 0) {
		fprintf(stderr, "ungcuu: %s: %s\n", file, why);
		rc = EXIT_INVALID;
		goto out;
	}
	if (cli_open(dir, false, &st) != EXIT_OK)
		goto out;
	if (cli_preset_from_store(st, &p) != 0) {
		cli_error(M_cli_preset_unloadable);
		goto out;
	}
	if ((rc = importer(st, p, as, &ctx, who, sizeof who)) != EXIT_OK ||
	    (targets && (rc = target_ids(st, targets, ids, &nids)) != 0))
		goto out;
	if (ops_exchange_may_import(&ctx, &err) != OPS_OK) {
		cli_error(M_cli_stix_may_not, MS("username", as ? as : "?"));
		rc = EXIT_CONFLICT;
		goto out;
	}
	orc = ops_store(&err, store_begin(st));
	if (orc == OPS_OK)
		orc = misp ? misp_import_event(&ctx, doc, &result, &err)
			   : stix_import_bundle(&ctx, doc, &result, &err);
	w = json_object_get(result, "warning");
	if (orc == OPS_OK && issued)
		orc = issue_now(&ctx, json_integer_value(json_object_get(w, "id")), ids, nids, w, &err);
	if (orc == OPS_OK)
		orc = ops_store(&err, store_commit(st));
	if (orc != OPS_OK) {
		store_rollback(st);
		rc = import_failed(file, misp, orc, &err, w ? NULL : result);
		goto out;
	}
	json_dumpf(result, stdout, JSON_INDENT(2));
	printf("\n");
	rc = EXIT_OK;
out:
	json_decref(result);
	json_decref(doc);
	free(data);
	preset_free(p);
	store_close(st);
	return rc;
}

int cli_import_stix(int argc, char **argv)
{
	return run_import(argc, argv, false);
}

int cli_import_misp(int argc, char **argv)
{
	return run_import(argc, argv, true);
}

/* ---- export stix ---- */

static int export_usage(int rc)
{
	static const char *const synopsis[] = {
		"ungcuu export stix --data DIR [--warning ID | --incident ID] --out FILE.json", NULL};

	return cli_usage(rc == EXIT_OK, synopsis, M_cli_usage_stix_export);
}

int cli_export_stix(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},    {"warning", required_argument, NULL, 'w'},
		{"incident", required_argument, NULL, 'i'}, {"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
	const char *dir = "./data", *out = NULL;
	int64_t wid = 0, iid = 0;
	struct store *st = NULL;
	json_t *bundle = NULL;
	int c, rc = EXIT_FAIL, src;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'o': out = optarg; break;
		case 'w':
			if (str_to_i64(optarg, 1, INT64_MAX, &wid) != 0)
				return export_usage(EXIT_USAGE);
			break;
		case 'i':
			if (str_to_i64(optarg, 1, INT64_MAX, &iid) != 0)
				return export_usage(EXIT_USAGE);
			break;
		case 'h': return export_usage(EXIT_OK);
		default: return export_usage(EXIT_USAGE);
		}
	}
	if (optind != argc || out == NULL || (wid && iid))
		return export_usage(EXIT_USAGE);
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	src = wid ? stix_bundle_warning(st, wid, &bundle)
	      : iid ? stix_bundle_incident(st, iid, &bundle)
		    : stix_bundle_all_warnings(st, &bundle);
	if (src == STORE_ENOTFOUND) {
		cli_error(wid ? M_cli_stix_no_warning : M_cli_stix_no_incident);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (src != STORE_OK || json_dump_file(bundle, out, JSON_COMPACT) != 0) {
		cli_error(M_cli_file_unwritable, MS("file", out));
		goto out;
	}
	cli_say(stdout, M_cli_stix_exported, MS("file", out),
		MS("bundle", json_string_value(json_object_get(bundle, "id"))),
		MN("objects", json_array_size(json_object_get(bundle, "objects"))));
	rc = EXIT_OK;
out:
	json_decref(bundle);
	store_close(st);
	return rc;
}
