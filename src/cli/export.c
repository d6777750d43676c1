/* export.c - `ungcuu export`: the official documents for scheduled runs (cron, systemd timers):
 * the incident report and closing report of an incident, the half-year / yearly summary
 * (Mẫu 05) and the coordinator's quarterly bulletin, as PDF, XLSX or CSV by the extension of
 * --out. Each export is recorded like one made through the API (documents row with its SHA-256,
 * audit entry "document.read" as cli:<login>, every export). The bulletin is the one the web
 * gives (api_doc_bulletin); for the reports and the summary the machine's operator counts every
 * incident, but prints proposals of TLP:CLEAR and TLP:GREEN incidents only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "cli.h"
#include "core/codes.h"
#include "ops/document.h"
#include "util/str.h"
#include "util/tm.h"

static int usage(int rc)
{
	static const char *const synopsis[] = {
		"ungcuu export report|closing --data DIR --incident ID --out FILE.pdf",
		"ungcuu export summary --data DIR [--from yyyy-mm-dd --to yyyy-mm-dd] [--org CODE|ID]",
		"                      --out FILE.pdf|.xlsx|.csv",
		"ungcuu export bulletin --data DIR [--year Y --quarter 1-4] --out FILE.pdf|.xlsx",
		"ungcuu export stix --data DIR [--warning ID | --incident ID] --out FILE.json",
		NULL};

	return cli_usage(rc == EXIT_OK, synopsis, M_cli_usage_export);
}

static int format_of(const char *path, enum api_doc_format *f)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return -1;
	if (str_ieq(dot, ".pdf"))
		*f = API_DOC_PDF;
	else if (str_ieq(dot, ".xlsx"))
		*f = API_DOC_XLSX;
	else if (str_ieq(dot, ".csv"))
		*f = API_DOC_CSV;
	else
		return -1;
	return 0;
}

/* Writes the bytes to path through a temporary file beside it, renamed into place. */
static int write_file(const char *path, const char *data, size_t len)
{
	char tmp[1200];
	FILE *f;
	int fd, rc = -1;

	if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp ||
	    (fd = mkstemp(tmp)) < 0)
		return -1;
	f = fdopen(fd, "wb");
	if (f == NULL) {
		close(fd);
		goto out;
	}
	if (fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && (chmod(tmp, 0644) != 0 || rename(tmp, path) != 0))
		rc = -1;
out:
	if (rc != 0)
		unlink(tmp);
	return rc;
}

static int org_param(struct store *st, const char *v, int64_t *id)
{
	json_t *org = NULL;

	if (str_to_i64(v, 1, INT64_MAX, id) == 0)
		return store_org_get(st, *id, &org) == STORE_OK ? (json_decref(org), 0) : -1;
	if (store_org_by_code(st, v, &org) != STORE_OK)
		return -1;
	*id = json_integer_value(json_object_get(org, "id"));
	json_decref(org);
	return 0;
}

/* Makes, writes and records one document. */
static int run(const char *dir, struct api_doc_req *r, const char *org, const char *out)
{
	struct preset *p = NULL;
	struct store *st = NULL;
	struct api_doc doc = {0};
	struct ops_document d;
	struct ops_err err;
	struct ops_ctx c;
	char tmpdir[1100], who[160];
	int64_t id;
	int rc = EXIT_FAIL, src;

	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (cli_preset_from_store(st, &p) != 0) {
		cli_error(M_cli_preset_unloadable);
		goto out;
	}
	if (org && org_param(st, org, &r->org_id) != 0) {
		cli_error(M_cli_org_not_found, MS("org", org));
		rc = EXIT_NOTFOUND;
		goto out;
	}
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", dir);
	mkdir(tmpdir, 0700);
	r->tmpdir = tmpdir;
	r->now = tm_now();
	r->scope = (struct ac_scope){.everything = true};
	r->max_tlp_text = TLP_GREEN;
	src = strcmp(r->kind, "bulletin") == 0
		      ? api_doc_bulletin(st, p, r->year, r->quarter, r->format, r->now, tmpdir, r, &doc)
		      : api_doc_make(st, p, r, &doc);
	if (src != STORE_OK) {
		cli_error(src == STORE_ENOTFOUND ? M_cli_export_not_found
			  : src == STORE_EINVAL  ? M_cli_export_no_format
						 : M_cli_export_failed);
		rc = src == STORE_ENOTFOUND ? EXIT_NOTFOUND : src == STORE_EINVAL ? EXIT_USAGE : EXIT_FAIL;
		goto out;
	}
	if (cli_ops_ctx(&c, st, p, who, sizeof who) != EXIT_OK)
		goto out;
	if (write_file(out, doc.data.p ? doc.data.p : "", doc.data.len) != 0) {
		cli_error(M_cli_file_unwritable, MS("file", out));
		goto out;
	}
	c.now = r->now; /* the date printed on it */
	api_doc_ops(r, &doc, &d);
	src = store_begin(st);
	if (src == STORE_OK)
		src = ops_document_record(&c, &d, &id, &err) == OPS_OK ? STORE_OK : STORE_EIO;
	if (src == STORE_OK)
		src = store_commit(st);
	if (src != STORE_OK) {
		store_rollback(st);
		unlink(out); /* a document not on record is not handed out */
		cli_error(M_cli_export_record_failed);
		goto out;
	}
	cli_say(stdout, M_cli_export_done, MS("file", out), MS("ref", doc.ref),
		MS("sha256", doc.sha256), MN("bytes", doc.data.len));
	rc = EXIT_OK;
out:
	api_doc_free(&doc);
	preset_free(p);
	store_close(st);
	return rc;
}

int cli_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},     {"incident", required_argument, NULL, 'i'},
		{"out", required_argument, NULL, 'o'},      {"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},       {"org", required_argument, NULL, 'g'},
		{"year", required_argument, NULL, 'y'},     {"quarter", required_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
	const char *dir = "./data", *out = NULL, *org = NULL, *from = NULL, *to = NULL;
	struct api_doc_req r = {0};
	int64_t v, year = 0, quarter = 0;
	int y, m, d, h, mi, s, c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0)
		return usage(argc < 2 ? EXIT_USAGE : EXIT_OK);
	if (strcmp(argv[1], "stix") == 0) /* a STIX 2.1 bundle (cli/stix.c) */
		return cli_export_stix(argc - 1, argv + 1);
	r.kind = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'o': out = optarg; break;
		case 'g': org = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'i':
			if (str_to_i64(optarg, 1, INT64_MAX, &v) != 0)
				return usage(EXIT_USAGE);
			r.incident_id = v;
			break;
		case 'y':
			if (str_to_i64(optarg, 1971, 9998, &year) != 0)
				return usage(EXIT_USAGE);
			break;
		case 'q':
			if (str_to_i64(optarg, 1, 4, &quarter) != 0)
				return usage(EXIT_USAGE);
			break;
		case 'h': return usage(EXIT_OK);
		default: return usage(EXIT_USAGE);
		}
	}
	if (optind != argc || out == NULL || format_of(out, &r.format) != 0)
		return usage(EXIT_USAGE);
	tm_vn_fields(tm_now(), &y, &m, &d, &h, &mi, &s);
	if (strcmp(r.kind, "report") == 0 || strcmp(r.kind, "closing") == 0) {
		if (r.incident_id == 0 || org || from || to || year || quarter)
			return usage(EXIT_USAGE);
	} else if (strcmp(r.kind, "summary") == 0) {
		if (r.incident_id || year || quarter || (from == NULL) != (to == NULL))
			return usage(EXIT_USAGE);
		if (from == NULL)
			api_doc_half_year(tm_now(), &r.from, &r.to);
		else if (api_doc_parse_date(from, false, &r.from) != 0 ||
			 api_doc_parse_date(to, true, &r.to) != 0 || r.to <= r.from) {
			cli_error(M_cli_export_dates);
			return EXIT_USAGE;
		}
	} else if (strcmp(r.kind, "bulletin") == 0) {
		if (r.incident_id || org || from || to)
			return usage(EXIT_USAGE);
		r.year = year ? (int)year : y;
		r.quarter = quarter ? (int)quarter : (m + 2) / 3;
	} else {
		return usage(EXIT_USAGE);
	}
	return run(dir, &r, org, out);
}
