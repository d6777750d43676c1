/* scans.c - vulnerability scanner reports of an information system and the findings they track
 * (docs/scan.md): import of a Greenbone/OpenVAS or Nmap XML report (the file kept by SHA-256,
 * findings deduplicated, closed when a later scan no longer shows them, reopened when they
 * come back, the scan duty of the period marked done), the findings list and status changes.
 * The import and the status change are operations (ops/scan.c), shared with `ungcuu import
 * scan` (cli/import.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "importer/scan.h"
#include "ops/scan.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define DAY 86400
#define SCAN_FUTURE_SLACK DAY /* clocks of scanners drift; a day ahead is still today */

static void fix_list(json_t *row, const char *key, bool as_int)
{
	ops_scan_list_field(row, key, as_int);
}

int api_scan_problem(struct http_res *res, int rc, const struct scan_report *r)
{
	char what[700];
	struct msg m;
	json_t *o, *errs = json_array();
	int status = rc == SCAN_ETOOBIG ? 413 : rc == SCAN_ENOMEM ? 500 : 422;

	scan_report_problem(r, what, sizeof what);
	for (size_t i = 0; i < r->nerrors; i++)
		json_array_append_new(errs, json_pack("{s:I, s:I, s:s}", "item",
						      (json_int_t)r->errors[i].item, "line",
						      (json_int_t)r->errors[i].line, "message",
						      r->errors[i].msg));
	msg_set(&m, M_scan_not_imported, MS("reason", what));
	o = http_problem_body(status, status == 413 ? "Too large" : "Invalid scan report", "file", &m,
			      res->lang);
	if (o == NULL)
		json_decref(errs);
	if (o == NULL || json_object_set_new(o, "errors", errs) != 0 ||
	    json_object_set_new(o, "invalid_items", json_integer((json_int_t)r->items_bad)) != 0) {
		json_decref(o);
		return http_res_problem(res, 500, "Internal error", NULL, M_server_error);
	}
	http_res_json(res, status, o);
	str_copy(res->content_type, sizeof res->content_type, "application/problem+json");
	return 0;
}

/* The system of a request's path and what the caller may do with its scans: not readable ->
 * 404, readable but not `a` -> 403. Returns 0 or -1 (res set). */
static int system_access(const struct http_req *req, struct http_res *res, int64_t id,
			 enum ac_action a)
{
	const struct api_ctx *cx = req->ctx;
	struct ac_system sys;
	int rc = store_system_access(api_store(), id, &sys);

	if (rc == STORE_ENOTFOUND || (rc == STORE_OK && !access_scan(&cx->subject, &sys, AC_READ)))
		return http_res_problem(res, 404, "Not found", NULL, M_system_not_found),
		       -1;
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	if (!access_scan(&cx->subject, &sys, a))
		return http_res_problem(res, 403, "Forbidden", NULL, M_scan_forbidden),
		       -1;
	return 0;
}

/* Reads the uploaded file (at most max bytes) into a malloc'd buffer. Returns 0 or -1. */
static int read_upload(const struct http_req *req, size_t max, char **out, size_t *len)
{
	int fd = open(req->upload_path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, want = (size_t)req->upload_len;
	char *p;

	*out = NULL;
	*len = 0;
	if (fd < 0 || want > max)
		return fd >= 0 ? close(fd), -1 : -1;
	p = malloc(want + 1);
	while (p && n < want) {
		ssize_t got = read(fd, p + n, want - n);

		if (got <= 0) {
			if (got < 0 && errno == EINTR)
				continue;
			break;
		}
		n += (size_t)got;
	}
	close(fd);
	if (p == NULL || n != want)
		return free(p), -1;
	p[n] = '\0';
	*out = p;
	*len = n;
	return 0;
}

int api_scans_import(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *name = NULL;
	struct scan_report rep = {0};
	struct ops_scan_in in = {0};
	json_t *after = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	char path[1200], *data = NULL;
	size_t len;
	bool placed = false;
	int64_t id, scan_id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || system_access(req, res, id, AC_CREATE) != 0)
		return 0;
	if (api_upload_name(req, res, &name) < 0)
		return 0;
	if (name == NULL)
		name = "scan.xml";
	if (req->upload_len == 0 || req->upload_path == NULL)
		return http_res_problem(res, 422, "Empty file", "file", M_upload_empty);
	if (req->upload_len > SCAN_DEFAULT_MAX_BYTES)
		return http_res_problem(res, 413, "Too large", "file",
					M_upload_too_large, MN("max", SCAN_DEFAULT_MAX_BYTES));
	if (read_upload(req, SCAN_DEFAULT_MAX_BYTES, &data, &len) != 0)
		return api_store_error(res, STORE_EIO);
	/* parsed in full before anything is written: a bad file changes nothing */
	rc = scan_parse(data, len, NULL, &rep);
	free(data);
	if (rc == SCAN_OK && rep.scanned_at > tm_now() + SCAN_FUTURE_SLACK) {
		snprintf(rep.error, sizeof rep.error, "the scan time is in the future");
		rc = SCAN_EINVAL;
	}
	if (rc != SCAN_OK) {
		api_scan_problem(res, rc, &rep);
		goto out;
	}
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	if (api_file_keep(req, path, sizeof path, &placed) != 0) {
		api_tx_abort(&tx);
		api_store_error(res, STORE_EIO);
		goto out;
	}
	in = (struct ops_scan_in){.system_id = id, .sha256 = req->upload_sha256, .name = name,
				  .size = (int64_t)req->upload_len, .user_id = cx->user.id,
				  .org_id = cx->subject.org_id};
	api_ops_ctx(req, tx.st, &c);
	if (ops_scan_import(&c, &in, &rep, &scan_id, &after, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		if (placed)
			unlink(path);
		goto out;
	}
	if (api_tx_answer(&tx, req, res, STORE_OK,
			  &(struct api_done){"scan.import", "scan", scan_id, NULL, 201, NULL},
			  after) != 0 &&
	    placed)
		unlink(path);
out:
	scan_report_free(&rep);
	return 0;
}

int api_scans_list(struct http_req *req, struct http_res *res)
{
	json_t *items = NULL, *row;
	int64_t id, limit;
	size_t i;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || system_access(req, res, id, AC_READ) != 0 ||
	    api_query_page(req, res, 100, 500, &limit, NULL) != 0)
		return 0;
	rc = store_scan_list(api_store(), id, (int)limit, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	json_array_foreach(items, i, row)
		fix_list(row, "duties", true);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_findings_list(struct http_req *req, struct http_res *res)
{
	const char *status = http_query(req, "status");
	json_t *items = NULL, *row, *counts;
	int64_t id, limit;
	size_t i;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || system_access(req, res, id, AC_READ) != 0 ||
	    api_query_page(req, res, 1000, 5000, &limit, NULL) != 0)
		return 0;
	if (status && status[0] && !finding_status_valid(status))
		return http_res_problem(res, 400, "Invalid parameter", "status",
					M_finding_status_invalid);
	rc = store_finding_list(api_store(), id, status, (int)limit, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	counts = json_object();
	json_array_foreach(items, i, row) {
		const char *sev = json_string_value(json_object_get(row, "severity"));

		fix_list(row, "cves", false);
		if (sev && json_is_string(json_object_get(row, "status")) &&
		    strcmp(json_string_value(json_object_get(row, "status")), "open") == 0)
			json_object_set_new(counts, sev,
					    json_integer(json_integer_value(json_object_get(counts, sev)) +
							 1));
	}
	return http_res_json(res, 200, json_pack("{s:o, s:o}", "items", items, "open_by_severity",
						 counts));
}

/* Loads a finding and checks the caller's access to its system. Returns 0 with *row, or -1. */
static int load_finding(const struct http_req *req, struct http_res *res, enum ac_action a,
			int64_t *id, json_t **row)
{
	int rc;

	*row = NULL;
	if (api_param_id(req, 0, res, id) != 0)
		return -1;
	rc = store_finding_get(api_store(), *id, row);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	if (system_access(req, res, json_integer_value(json_object_get(*row, "system_id")), a) != 0) {
		json_decref(*row);
		*row = NULL;
		return -1;
	}
	fix_list(*row, "cves", false);
	return 0;
}

int api_findings_get(struct http_req *req, struct http_res *res)
{
	json_t *row;
	int64_t id;

	if (load_finding(req, res, AC_READ, &id, &row) != 0)
		return 0;
	api_etag(res, json_integer_value(json_object_get(row, "version")));
	return http_res_json(res, 200, row);
}

int api_findings_update(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *before = NULL, *after = NULL;
	const char *status, *note;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (load_finding(req, res, AC_EDIT, &id, &before) != 0)
		return 0;
	if (api_body(req, res, &in) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	status = api_in_text(in, "status");
	note = api_in_text(in, "note");
	api_ops_ctx(req, tx.st, &c);
	if (ops_finding_update(&c, id, api_if_match_version(req), status, note, &after, &err) !=
	    OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){"finding.update", "finding", id, NULL, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}
