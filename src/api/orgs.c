/* orgs.c - organisations and their contact points (đầu mối; 000 Đ5.3a, Đ6.4a): everyone reads
 * the directory, admins create, an organisation's leader or officer keeps its own contact
 * point current. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"

static const struct { const char *name; size_t max; } org_text[] = {
	{"name", 256}, {"address", 300}, {"phone", 32}, {"fax", 32},
	{"email", 128}, {"hotline", 32}, {"contact_name", 128},
};

/* Validates the editable fields; admin_fields adds code, role and parent. */
static int org_fields(const json_t *in, bool create, bool admin_fields, json_t *row,
		      struct http_res *res)
{
	const char *v;
	int64_t parent;
	bool b;
	int got;

	for (size_t i = 0; i < sizeof org_text / sizeof org_text[0]; i++) {
		got = http_json_str(in, org_text[i].name, create && i == 0, org_text[i].max, false,
				    res, &v);
		if (got < 0)
			return -1;
		if (got)
			json_object_set_new(row, org_text[i].name, json_string(v));
	}
	if ((got = http_json_bool(in, "hotline_247", false, res, &b)) < 0)
		return -1;
	if (got)
		json_object_set_new(row, "hotline_247", json_boolean(b));
	if (!admin_fields)
		return 0;
	if ((got = http_json_str(in, "code", create, 32, false, res, &v)) < 0)
		return -1;
	if (got && !codes_org_code_ok(v))
		return http_res_problem(res, 422, "Invalid field", "code",
					"Mã đơn vị chỉ gồm a-z, 0-9, - và _ / code may only use a-z, "
					"0-9, - and _"),
		       -1;
	if (got)
		json_object_set_new(row, "code", json_string(v));
	if ((got = http_json_str(in, "role", create, 32, false, res, &v)) < 0)
		return -1;
	if (got && codes_org_role_parse(v) < 0)
		return http_res_problem(res, 422, "Invalid field", "role",
					"Vai trò '%s' không hợp lệ / unknown role '%s'", v, v),
		       -1;
	if (got)
		json_object_set_new(row, "role", json_string(v));
	if ((got = http_json_int(in, "parent_id", false, 1, INT64_MAX, res, &parent)) < 0)
		return -1;
	if (got)
		json_object_set_new(row, "parent_id", json_integer(parent));
	return 0;
}

int api_orgs_list(struct http_req *req, struct http_res *res)
{
	const char *q = http_query(req, "q");
	json_t *items = NULL;
	int rc;

	if (q && strlen(q) > 200)
		return http_res_problem(res, 400, "Invalid parameter", "q",
					"Chuỗi tìm kiếm dài quá 200 byte / search text too long");
	rc = store_org_list(api_store(), q, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_orgs_get(struct http_req *req, struct http_res *res)
{
	json_t *org = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	rc = store_org_get(api_store(), id, &org);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_etag(res, json_integer_value(json_object_get(org, "version")));
	return http_res_json(res, 200, org);
}

int api_orgs_create(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"code", "name", "role", "parent_id", "address",
					      "phone", "fax", "email", "hotline", "hotline_247",
					      "contact_name", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *out = NULL;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (!access_org(&cx->subject, 0, AC_CREATE)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Chỉ quản trị hệ thống được thêm đơn vị / only admins add organisations");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    org_fields(in, true, true, row, res) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	rc = store_org_create(tx.st, row, &id);
	if (rc == STORE_OK)
		rc = api_duties_resync(tx.st);
	if (rc == STORE_OK)
		rc = store_org_get(tx.st, id, &out);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"org.create", "org", id, NULL, 201, "/api/v1/orgs"}, out);
	out = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

int api_orgs_update(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"code", "name", "role", "parent_id", "address",
					      "phone", "fax", "email", "hotline", "hotline_247",
					      "contact_name", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *before = NULL, *after = NULL;
	bool admin = access_org(&cx->subject, 0, AC_ADMIN);
	struct api_tx tx;
	int64_t id, version;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		goto out;
	if (!access_org(&cx->subject, id, AC_EDIT)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Bạn không được sửa đơn vị này / you may not edit this organisation");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0)
		goto out;
	if (!admin && (json_object_get(in, "code") || json_object_get(in, "role") ||
		       json_object_get(in, "parent_id"))) {
		http_res_problem(res, 403, "Forbidden", "role",
				 "Chỉ quản trị hệ thống được đổi mã, vai trò, đơn vị cấp trên / only "
				 "admins change code, role and parent");
		goto out;
	}
	if (org_fields(in, false, admin, row, res) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	rc = store_org_get(tx.st, id, &before);
	if (rc == STORE_OK) {
		version = json_integer_value(json_object_get(before, "version"));
		if (api_if_match(req, res, version) != 0) {
			api_tx_abort(&tx);
			goto out;
		}
		rc = store_org_update(tx.st, id, version, row);
	}
	if (rc == STORE_OK)
		rc = store_org_get(tx.st, id, &after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"org.update", "org", id, before, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(before);
	json_decref(after);
	return 0;
}
