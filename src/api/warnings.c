/* warnings.c - warnings (cảnh báo): the coordinator, the police, central agencies, the national
 * coordinator and the response team warn the organisations concerned about threats and
 * vulnerabilities (000 Đ7.4; 002 Đ7.2c); each targeted organisation acknowledges, finds and fixes
 * what the warning names and reports back per system (003 §1). Drafts, issuing (targets,
 * matching, outbox), answers, the live tracking table, and incidents opened from a warning:
 * parsed here, decided and written by the operations of ops/warning.c. docs/warnings.md. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "core/fields.h"
#include "core/codes.h"
#include "core/indicator.h"
#include "ops/warning.h"
#include "util/str.h"
#include "util/tm.h"

#define TITLE_MAX 300
#define TEXT_MAX 20000
#define SHORT_MAX 1000
/* the declared limit (core/fields.c) */
#define PRODUCTS_MAX (fields_find(&fields_warning, "products")->cap)
#define TARGET_ORGS_MAX 10000

static bool one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- access ---- */

int api_warnings_access(const struct http_req *req, struct http_res *res, int64_t id,
			enum ac_action a, struct ac_warning *aw)
{
	const struct api_ctx *cx = req->ctx;
	int rc = store_warning_access(api_store(), id, cx->subject.org_id, aw);

	/* a missing warning answers as an unreadable one: the 404 tells nothing of which exist */
	if (rc == STORE_ENOTFOUND)
		return api_access_answer(res, false, false, API_OBJ_WARNING);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	return api_access_answer(res, access_warning(&cx->subject, aw, AC_READ),
				 a == AC_READ || access_warning(&cx->subject, aw, a),
				 API_OBJ_WARNING);
}

/* ---- validation ---- */

static int parse_due(const json_t *in, json_t *row, struct http_res *res)
{
	const char *s;
	int64_t t = 0;
	int got = http_json_str(in, "due_at", false, 40, false, res, &s);

	if (got < 0)
		return -1;
	if (got == 0 && json_is_null(json_object_get(in, "due_at")))
		json_object_set_new(row, "due_at", json_integer(0));
	if (got == 0)
		return 0;
	if (s[0] != '\0' && tm_parse_iso(s, &t) != 0)
		return http_res_problem(res, 422, "Invalid field", "due_at",
					M_warning_due_at_invalid),
		       -1;
	json_object_set_new(row, "due_at", json_integer(t));
	return 0;
}

/* CVE-YYYY-NNNN+ (upper case out). */
static bool cve_ok(const char *s, char *out, size_t outsz)
{
	size_t n = strlen(s), i;

	if (n < 13 || n >= outsz || strncasecmp(s, "CVE-", 4) != 0 || s[8] != '-')
		return false;
	for (i = 4; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	for (i = 9; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (n - 9 < 4)
		return false;
	for (i = 0; i <= n; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	return true;
}

/* References: strings (typed: CVE id, URL, else advisory) or {type, value}. */
static int parse_refs(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr, *it;
	json_t *out;
	size_t i;
	int got = http_json_list(in, "refs", false, fields_find(&fields_warning, "refs")->cap, res,
				 &arr);

	if (got <= 0)
		return got;
	out = json_array();
	json_array_foreach(arr, i, it) {
		const char *v = json_is_string(it) ? json_string_value(it)
						   : json_string_value(json_object_get(it, "value"));
		const char *type = json_string_value(json_object_get(it, "type"));
		char canon[IND_VALUE_MAX];
		bool ok = v != NULL && v[0] != '\0' && strlen(v) <= 1000 &&
			  str_utf8_valid(v, strlen(v)) && !strpbrk(v, "\r\n\t");

		if (ok && (type == NULL || type[0] == '\0'))
			type = cve_ok(v, canon, sizeof canon) ? "cve"
			       : (str_starts(v, "http://") || str_starts(v, "https://")) ? "url"
											 : "advisory";
		if (ok && strcmp(type, "cve") == 0)
			ok = cve_ok(v, canon, sizeof canon);
		else if (ok && strcmp(type, "url") == 0)
			ok = indicator_normalize(IND_URL, v, strlen(v), canon, sizeof canon) == 0;
		else if (ok && strcmp(type, "advisory") == 0)
			ok = str_copy(canon, sizeof canon, v) == 0;
		else
			ok = false;
		if (!ok) {
			json_decref(out);
			return http_res_problem(res, 422, "Invalid field", "refs",
						M_warning_ref_invalid, MN("index", i + 1)),
			       -1;
		}
		json_array_append_new(out, json_pack("{s:s, s:s}", "type", type, "value", canon));
	}
	json_object_set_new(row, "refs", out);
	return 0;
}

static int parse_products(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr = json_object_get(in, "products"), *it;
	json_t *out;
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > PRODUCTS_MAX)
		goto bad;
	out = json_array();
	json_array_foreach(arr, i, it) {
		const char *v = json_string_value(json_object_get(it, "vendor"));
		const char *p = json_string_value(json_object_get(it, "product"));
		const char *ver = json_string_value(json_object_get(it, "versions"));

		if (!json_is_object(it) || v == NULL || p == NULL || !v[0] || !p[0] ||
		    strlen(v) > 200 || strlen(p) > 200 || (ver && strlen(ver) > 200) ||
		    !str_utf8_valid(v, strlen(v)) || !str_utf8_valid(p, strlen(p)) ||
		    (ver && !str_utf8_valid(ver, strlen(ver))) ||
		    json_object_size(it) > (size_t)(json_object_get(it, "versions") ? 3 : 2)) {
			json_decref(out);
			return http_res_problem(res, 422, "Invalid field", "products",
						M_warning_product_invalid, MN("index", i + 1)),
			       -1;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "vendor", v, "product", p,
						     "versions", ver ? ver : ""));
	}
	json_object_set_new(row, "products", out);
	return 0;
bad:
	return http_res_problem(res, 422, "Invalid field", "products",
				M_warning_products_list, MN("max", PRODUCTS_MAX)),
	       -1;
}

/* {"mode": "all" | "roles" (roles: [codes]) | "orgs" (orgs: [ids]) | "match"}. */
static int parse_target(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *t = json_object_get(in, "target"), *v;
	const char *mode = json_string_value(json_object_get(t, "mode"));
	json_t *out;
	size_t i;

	if (t == NULL)
		return 0;
	if (!json_is_object(t) || !one_of(mode, (const char *const[]){"all", "roles", "orgs", "match", NULL}))
		goto bad;
	out = json_pack("{s:s}", "mode", mode);
	if (strcmp(mode, "roles") == 0) {
		const json_t *roles = json_object_get(t, "roles");
		json_t *r = json_array();

		if (!json_is_array(roles) || json_array_size(roles) == 0 ||
		    json_array_size(roles) > ORG_ROLE_COUNT) {
			json_decref(r);
			json_decref(out);
			goto bad;
		}
		json_array_foreach(roles, i, v)
			if (!json_is_string(v) || codes_org_role_parse(json_string_value(v)) < 0) {
				json_decref(r);
				json_decref(out);
				goto bad;
			} else {
				json_array_append_new(r, json_string(json_string_value(v)));
			}
		json_object_set_new(out, "roles", r);
	} else if (strcmp(mode, "orgs") == 0) {
		const json_t *orgs = json_object_get(t, "orgs");
		json_t *o = json_array();

		if (!json_is_array(orgs) || json_array_size(orgs) == 0 ||
		    json_array_size(orgs) > TARGET_ORGS_MAX) {
			json_decref(o);
			json_decref(out);
			goto bad;
		}
		json_array_foreach(orgs, i, v)
			if (!json_is_integer(v) || json_integer_value(v) <= 0) {
				json_decref(o);
				json_decref(out);
				goto bad;
			} else {
				json_array_append_new(o, json_integer(json_integer_value(v)));
			}
		json_object_set_new(out, "orgs", o);
	}
	json_object_set_new(row, "target", out);
	return 0;
bad:
	return http_res_problem(res, 422, "Invalid field", "target", M_warning_target_shape),
	       -1;
}

static int warning_fields(const json_t *in, bool create, json_t *row, struct http_res *res)
{
	json_t *inds = NULL;

	/* the scalars as sent (the severity is checked against the preset by the operation) */
	api_fields_row(&fields_warning, in, create ? FIELD_CREATE : FIELD_UPDATE, row);
	if (parse_due(in, row, res) != 0 || parse_refs(in, row, res) != 0 ||
	    parse_products(in, row, res) != 0 || parse_target(in, row, res) != 0)
		return -1;
	if (json_object_get(in, "indicators") != NULL) {
		if (api_indicators_parse(json_object_get(in, "indicators"), "indicators",
					 API_INDICATORS_MAX, res, &inds) != 0)
			return -1;
		json_object_set_new(row, "indicators", inds);
	}
	return 0;
}

/* ---- output ---- */

static int64_t iso_time(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	int64_t t = 0;

	return s && tm_parse_iso(s, &t) == 0 ? t : 0;
}

/* Ends a write made by an operation: the answer (status, with the ETag of its version) and
 * the commit, or the refusal and the rollback. 0 when committed, else -1. */
static int answer(struct http_req *req, struct http_res *res, struct api_tx *tx, int rc,
		  const struct ops_err *err, int status, json_t *after)
{
	if (rc != OPS_OK) {
		api_tx_abort(tx);
		json_decref(after);
		api_ops_error(res, err);
		return -1;
	}
	return api_tx_answer(tx, req, res, STORE_OK, &(struct api_done){.status = status}, after);
}

/* Ends a change of warning id made by an operation: the warning as GET gives it to the caller
 * (read in the change's own transaction, so an idempotent replay answers the same), plus what
 * exists only now (`issued`: whom the issue just told); or the refusal. d: status, and for a
 * create its audit name and Location. Returns 0 when committed, -1 otherwise. */
static int changed(struct http_req *req, struct http_res *res, struct api_tx *tx, int rc,
		   const struct ops_err *err, const struct api_done *d, json_t *after)
{
	json_t *view = NULL, *issued = json_object_get(after, "issued");
	struct ops_ctx c;

	if (rc != OPS_OK)
		return answer(req, res, tx, rc, err, d->status, after);
	api_ops_ctx(req, tx->st, &c);
	rc = ops_warning_view(&c, d->id, &view);
	api_match_words(view, res->lang);
	if (rc == STORE_OK && issued)
		json_object_set(view, "issued", issued);
	json_decref(after);
	return api_tx_answer(tx, req, res, rc, d, view);
}

/* ---- handlers ---- */

int api_warnings_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store_warning_filter f = {0};
	struct ac_scope scope;
	json_t *items = NULL, *v;
	int64_t limit, next = 0, mine, now = tm_now();
	size_t i;
	int rc;

	f.status = http_query(req, "status");
	f.severity = http_query(req, "severity");
	if (f.status && f.status[0] == '\0')
		f.status = NULL;
	if (f.severity && f.severity[0] == '\0')
		f.severity = NULL;
	if (api_query_page(req, res, 50, 200, &limit, &f.before_id) != 0 ||
	    api_query_int(req, "issuer", 0, INT64_MAX, 0, res, &f.issuer_org_id) != 0 ||
	    api_query_int(req, "mine", 0, 1, 0, res, &mine) != 0)
		return 0;
	f.limit = (int)limit;
	f.mine = mine != 0;
	access_warning_scope(&cx->subject, &scope);
	rc = store_warning_list(api_store(), &scope, &f, &items, &next);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	json_array_foreach(items, i, v) {
		int64_t due = iso_time(v, "due_at"), r = iso_time(v, "my_responded_at");

		json_object_set_new(v, "my_late",
				    json_boolean(json_is_string(json_object_get(v, "my_reason")) &&
						 due > 0 && r == 0 && now > due));
	}
	return http_res_json(res, 200,
			     json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       next ? json_integer(next) : json_null()));
}

int api_warnings_create(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *out = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id = 0;

	api_ops_ctx(req, api_store(), &c);
	if (ops_warning_may_create(&c, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0 ||
	    warning_fields(in, true, row, res) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_warning_create(&c, row, &id, &out, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	changed(req, res, &tx, OPS_OK, &err,
		&(struct api_done){"warning.create", "warning", id, NULL, 201, "/api/v1/warnings"},
		out);
	out = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

int api_warnings_get(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	struct ops_ctx c;
	json_t *w = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return 0;
	api_ops_ctx(req, api_store(), &c);
	rc = ops_warning_view(&c, id, &w);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_match_words(w, res->lang);
	api_etag(res, json_integer_value(json_object_get(w, "version")));
	return http_res_json(res, 200, w);
}

int api_warnings_update(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *after = NULL;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_EDIT, &aw) != 0)
		goto out;
	if (api_body(req, res, &in) != 0 ||
	    warning_fields(in, false, row, res) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_warning_update(&c, id, api_if_match_version(req), row, &after, &err);
	changed(req, res, &tx, rc, &err, &(struct api_done){.status = 200, .id = id}, after);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}

int api_warnings_issue(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_EDIT, &aw) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_warning_issue(&c, id, &after, &err);
	changed(req, res, &tx, rc, &err, &(struct api_done){.status = 200, .id = id}, after);
out:
	json_decref(in);
	return 0;
}

int api_warnings_close(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	bool withdraw = false;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_EDIT, &aw) != 0)
		goto out;
	if (api_body(req, res, &in) != 0)
		goto out;
	api_in_bool(in, "withdraw", &withdraw);
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_warning_close(&c, id, withdraw, &after, &err);
	changed(req, res, &tx, rc, &err, &(struct api_done){.status = 200, .id = id}, after);
out:
	json_decref(in);
	return 0;
}

int api_warnings_ack(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0)
		return 0;
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_warning_ack(&c, id, &after, &err);
	changed(req, res, &tx, rc, &err, &(struct api_done){.status = 200, .id = id}, after);
out:
	json_decref(in);
	return 0;
}

int api_warnings_report(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	struct ac_warning aw;
	const char *status, *note;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id, sid;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0)
		goto out;
	if (api_body(req, res, &in) != 0)
		goto out;
	status = api_in_text(in, "status");
	note = api_in_text(in, "note");
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_warning_report(&c, id, sid, status, note, &after, &err);
	answer(req, res, &tx, rc, &err, 200, after);
out:
	json_decref(in);
	return 0;
}

/* The system must be one the caller's organisation owns or operates (before the upload's
 * name is looked at, as the operation will check again). */
static int own_system(const struct http_req *req, struct http_res *res, int64_t sid)
{
	struct ops_err err;
	struct ops_ctx c;

	api_ops_ctx(req, api_store(), &c);
	if (ops_warning_check_system(&c, sid, &err) == OPS_OK)
		return 0;
	api_ops_error(res, &err);
	return -1;
}

int api_warnings_evidence_add(struct http_req *req, struct http_res *res)
{
	const char *name = NULL;
	json_t *after = NULL;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	char path[1200];
	struct api_tx tx;
	bool placed;
	int64_t id, sid;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0 || own_system(req, res, sid) != 0)
		return 0;
	switch (api_upload_name(req, res, &name)) {
	case -1: return 0;
	case 0:
		return http_res_problem(res, 422, "Invalid parameter", "name",
					M_upload_name_required);
	default: break;
	}
	if (req->upload_len == 0)
		return http_res_problem(res, 422, "Empty file", "file", M_upload_empty);
	if (api_tx_begin(req, res, &tx, true))
		return 0;
	if (api_file_keep(req, path, sizeof path, &placed) != 0) {
		api_tx_abort(&tx);
		return api_store_error(res, STORE_EIO);
	}
	api_ops_ctx(req, tx.st, &c);
	rc = ops_warning_evidence(&c, id, sid, req->upload_sha256, name, &after, &err);
	if (answer(req, res, &tx, rc, &err, 201, after) != 0 && placed)
		unlink(path); /* not recorded: a file nobody names */
	return 0;
}

/* The status rows of one system on a warning, if the caller may see them. */
static int system_row(const struct http_req *req, struct http_res *res, int64_t id, int64_t sid,
		      json_t **out)
{
	const struct api_ctx *cx = req->ctx;
	struct ac_warning aw;
	json_t *rows = NULL, *o, *s;
	size_t i, j;
	int rc;

	*out = NULL;
	if (api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return -1;
	rc = store_warning_tracking(api_store(), id,
				    access_warning(&cx->subject, &aw, AC_TRANSITION)
					    ? 0
					    : (aw.targeted ? cx->subject.org_id : -1),
				    &rows);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	json_array_foreach(rows, i, o)
		json_array_foreach(json_object_get(o, "systems"), j, s)
			if (json_integer_value(json_object_get(s, "system_id")) == sid)
				*out = json_incref(s);
	json_decref(rows);
	if (*out == NULL)
		return http_res_problem(res, 404, "Not found", NULL, M_warning_no_report),
		       -1;
	return 0;
}

int api_warnings_evidence_get(struct http_req *req, struct http_res *res)
{
	json_t *row = NULL;
	int64_t id, sid;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    system_row(req, res, id, sid, &row) != 0)
		return 0;
	if (json_string_length(json_object_get(row, "evidence_sha256")) == 0)
		http_res_problem(res, 404, "Not found", NULL, M_warning_no_evidence);
	else
		api_file_send(res, json_string_value(json_object_get(row, "evidence_sha256")),
			      json_string_value(json_object_get(row, "evidence_name")));
	json_decref(row);
	return 0;
}

/* Takes out of the tracking rows the incidents a system's answer links to that the caller may
 * not read (a unit's incident opened from the warning is the unit's until it reports it:
 * docs/access.md): the answer stays, the incident's id and reference go. */
static void hide_unreadable_incidents(const struct http_req *req, json_t *rows)
{
	const struct api_ctx *cx = req->ctx;
	json_t *row, *sys;
	size_t i, j;

	json_array_foreach(rows, i, row) {
		json_array_foreach(json_object_get(row, "systems"), j, sys) {
			int64_t iid = json_integer_value(json_object_get(sys, "incident_id"));

			if (iid == 0 || api_incident_readable(cx, iid))
				continue;
			json_object_set_new(sys, "incident_id", json_null());
			json_object_set_new(sys, "incident_ref", json_null());
		}
	}
}

int api_warnings_tracking(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	json_t *w = NULL, *rows = NULL, *v;
	int64_t id, due, now = tm_now(), acked = 0, late = 0, responded = 0;
	size_t i;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_warnings_access(req, res, id, AC_TRANSITION, &aw) != 0)
		return 0;
	rc = store_warning_get(api_store(), id, &w);
	if (rc == STORE_OK)
		rc = store_warning_tracking(api_store(), id, 0, &rows);
	if (rc != STORE_OK) {
		json_decref(w);
		return api_store_error(res, rc);
	}
	due = iso_time(w, "due_at");
	ops_warning_mark_late(rows, due, now);
	api_match_words(rows, res->lang);
	hide_unreadable_incidents(req, rows);
	json_array_foreach(rows, i, v) {
		acked += !json_is_null(json_object_get(v, "acked_at"));
		responded += !json_is_null(json_object_get(v, "responded_at"));
		late += json_is_true(json_object_get(v, "late"));
	}
	rc = http_res_json(res, 200,
			   json_pack("{s:I, s:O, s:O, s:O, s:o, s:{s:I, s:I, s:I, s:I}}", "id",
				     (json_int_t)id, "ref", json_object_get(w, "ref"), "status",
				     json_object_get(w, "status"), "due_at",
				     json_object_get(w, "due_at"), "items", rows, "counts",
				     "targets", (json_int_t)json_array_size(rows), "acked",
				     (json_int_t)acked, "responded", (json_int_t)responded, "late",
				     (json_int_t)late));
	json_decref(w);
	return rc;
}

int api_warnings_spawn(struct http_req *req, struct http_res *res)
{
	struct ops_spawn in = {.tlp = -1};
	json_t *body = NULL, *out = NULL;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	const char *tlp;
	int64_t id, sid, iid = 0;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0 || own_system(req, res, sid) != 0)
		return 0;
	api_ops_ctx(req, api_store(), &c);
	if (ops_incident_may_report(&c, &err) != OPS_OK)
		return api_ops_error(res, &err);
	if (api_body(req, res, &body) != 0)
		goto out;
	in.title = api_in_text(body, "title");
	in.group = api_in_text(body, "group");
	in.type = api_in_text(body, "type");
	in.severity = api_in_text(body, "severity");
	in.description = api_in_text(body, "description");
	if ((tlp = api_in_text(body, "tlp")) != NULL)
		in.tlp = codes_tlp_parse(tlp); /* a label, by the route's declaration */
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_warning_spawn(&c, id, sid, &in, &iid, &out, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	json_object_set_new(out, "warning_id", json_integer(id));
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){"warning.incident", "incident", iid, NULL, 201,
					 "/api/v1/incidents"},
		      out);
	out = NULL;
out:
	json_decref(body);
	json_decref(out);
	return 0;
}

int api_warnings_related(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	json_t *out = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return 0;
	rc = api_related(req, "warning", id, &out);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_match_words(out, res->lang);
	return http_res_json(res, 200, out);
}
