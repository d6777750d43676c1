/* duties.c - the periodic-duties calendar (DOMAIN.md "Periodic duties"): an organisation sees its
 * duties with due dates and marks them done with a note and evidence files; the coordinator sees
 * every organisation's and the compliance table. Instances come from the preset and the registry
 * (store_duty_sync, run by jobs/ every minute and here after a system changes). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "ops/duty_answer.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define DAY 86400

static void describe(json_t *row)
{
	ops_duty_describe(api_env.preset, row);
}

static void mark_overdue(json_t *row, int64_t now)
{
	ops_duty_mark_overdue(row, now);
}

int api_duties_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store_duty_filter f = {0};
	const char *status = http_query(req, "status");
	int64_t org, limit, now = tm_now();
	json_t *items = NULL, *row;
	size_t i;
	int rc;

	if (api_query_int(req, "org", 0, INT64_MAX, 0, res, &org) != 0 ||
	    api_query_page(req, res, 500, 1000, &limit, NULL) != 0 ||
	    api_query_time(req, "from", res, &f.from) != 0 ||
	    api_query_time(req, "to", res, &f.to) != 0)
		return 0;
	if (status && strcmp(status, "pending") && strcmp(status, "done") &&
	    strcmp(status, "cancelled") && strcmp(status, "overdue"))
		return http_res_problem(res, 400, "Invalid parameter", "status",
					M_duty_status_invalid);
	/* members see their own organisation's; the coordinator any, or all */
	if (org == 0 && !cx->subject.coordinator)
		org = cx->subject.org_id;
	if (!access_duty(&cx->subject, org ? org : cx->subject.org_id, AC_READ))
		return http_res_problem(res, 403, "Forbidden", NULL, M_duty_org_forbidden);
	f.org_id = org;
	f.status = status;
	f.duty = http_query(req, "duty");
	f.limit = (int)limit;
	if (f.duty && strlen(f.duty) >= PRESET_CODE)
		return http_res_problem(res, 400, "Invalid parameter", "duty", M_duty_code_too_long);
	rc = store_duty_list(api_store(), &f, now, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	json_array_foreach(items, i, row) {
		describe(row);
		mark_overdue(row, now);
	}
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

/* Loads an instance the caller may act on. Returns 0 with *row, or -1 with res set. */
static int load_duty(const struct http_req *req, struct http_res *res, enum ac_action a,
		     int64_t *id, json_t **row)
{
	const struct api_ctx *cx = req->ctx;
	int rc;

	*row = NULL;
	if (api_param_id(req, 0, res, id) != 0)
		return -1;
	rc = store_duty_get(api_store(), *id, row);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	if (!access_duty(&cx->subject, json_integer_value(json_object_get(*row, "org_id")), AC_READ)) {
		json_decref(*row);
		*row = NULL;
		return http_res_problem(res, 404, "Not found", NULL, M_not_found), -1;
	}
	if (a != AC_READ &&
	    !access_duty(&cx->subject, json_integer_value(json_object_get(*row, "org_id")), a)) {
		json_decref(*row);
		*row = NULL;
		return http_res_problem(res, 403, "Forbidden", NULL, M_duty_update_forbidden),
		       -1;
	}
	return 0;
}

int api_duties_get(struct http_req *req, struct http_res *res)
{
	json_t *row;
	int64_t id;

	if (load_duty(req, res, AC_READ, &id, &row) != 0)
		return 0;
	describe(row);
	mark_overdue(row, tm_now());
	return http_res_json(res, 200, row);
}

/* Answers an operation's refusal after undoing its transaction. Returns 0. */
static int refused(struct api_tx *tx, struct http_res *res, const struct ops_err *err)
{
	api_tx_abort(tx);
	api_ops_error(res, err);
	return 0;
}

int api_duties_done(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *before = NULL, *after = NULL;
	const char *note;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (load_duty(req, res, AC_EDIT, &id, &before) != 0)
		return 0;
	if (api_body(req, res, &in) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	note = api_in_text(in, "note");
	api_ops_ctx(req, tx.st, &c);
	if (ops_duty_done(&c, id, note, &after, &err) != OPS_OK) {
		refused(&tx, res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){"duty.done", "duty", id, NULL, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}

int api_duties_evidence(struct http_req *req, struct http_res *res)
{
	const char *name = NULL;
	const char *ct = req->upload_name[0] ? req->upload_type : http_header(req, "Content-Type");
	json_t *row = NULL, *after = NULL;
	struct ops_duty_file f;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	bool placed = false;
	char path[1200];
	int64_t id;

	if (load_duty(req, res, AC_COMMENT, &id, &row) != 0)
		return 0;
	json_decref(row);
	switch (api_upload_name(req, res, &name)) {
	case -1: return 0;
	case 0:
		return http_res_problem(res, 422, "Invalid parameter", "name",
					M_upload_name_required);
	default: break;
	}
	if (ct == NULL || ct[0] == '\0' || strlen(ct) > 100 || !str_utf8_valid(ct, strlen(ct)))
		ct = "application/octet-stream";
	if (req->upload_len == 0)
		return http_res_problem(res, 422, "Empty file", "file", M_upload_empty);
	if (api_tx_begin(req, res, &tx, true))
		return 0;
	if (api_file_keep(req, path, sizeof path, &placed) != 0) {
		api_tx_abort(&tx);
		return api_store_error(res, STORE_EIO);
	}
	f = (struct ops_duty_file){.sha256 = req->upload_sha256, .name = name, .content_type = ct,
				   .size = (int64_t)req->upload_len};
	api_ops_ctx(req, tx.st, &c);
	if (ops_duty_evidence(&c, id, &f, &after, &err) != OPS_OK) {
		refused(&tx, res, &err);
		if (placed)
			unlink(path);
		return 0;
	}
	describe(after);
	http_res_json(res, 201, after);
	if (api_tx_commit(&tx, req, res) != 0 && placed)
		unlink(path);
	return 0;
}

int api_duties_compliance(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	int64_t from, to, now = tm_now();
	json_t *out = NULL, *row;
	size_t i;
	int rc;

	if (!access_compliance(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL, M_compliance_forbidden);
	if (api_query_time(req, "from", res, &from) != 0 || api_query_time(req, "to", res, &to) != 0)
		return 0;
	if (from == 0)
		from = now - 365 * DAY;
	if (to == 0)
		to = now + 1; /* what was due up to now */
	rc = store_duty_compliance(api_store(), from, to, now, &out);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	json_array_foreach(json_object_get(out, "late"), i, row)
		describe(row);
	return http_res_json(res, 200, out);
}
