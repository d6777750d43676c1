/* orgs.c - organisations and their contact points (đầu mối; 000 Đ5.3a, Đ6.4a): everyone reads
 * the directory, the coordinator's admins add organisations and set their identity (name, code,
 * role, parent), an organisation's leader or officer keeps its own contact point current. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"

static const struct { const char *name; size_t max; } org_text[] = {
	{"name", 256}, {"address", 300}, {"phone", 32}, {"fax", 32},
	{"email", 128}, {"hotline", 32}, {"contact_name", 128},
};

/* Validates the editable fields; admin_fields adds code, role and parent (and whoever may not
 * set them sends no name either: identity_allowed refused it before). */
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

/* The identity fields, in the order a refusal names them. */
static const char *const identity_fields[] = {"name", "code", "role", "parent_id", NULL};

/* Refuses a change of identity by anyone but the coordinator's admins (access_org_identity).
 * Returns 0, or -1 with 403 naming the first identity field of the body. */
static int identity_allowed(const struct api_ctx *cx, const json_t *in, struct http_res *res)
{
	if (access_org_identity(&cx->subject))
		return 0;
	for (size_t i = 0; identity_fields[i] != NULL; i++)
		if (json_object_get(in, identity_fields[i]) != NULL)
			return http_res_problem(
				       res, 403, "Forbidden", identity_fields[i],
				       "Chỉ quản trị của đơn vị điều phối được đổi tên, mã, vai trò, "
				       "đơn vị cấp trên / only the coordinator's admins change an "
				       "organisation's name, code, role and parent"),
			       -1;
	return 0;
}

/* Two organisations never share a name (compared folded: store_org_name_taken), so nobody
 * passes for the police in the directory or a notification. Returns 0, or -1 with 422 or the
 * store error set. */
static int name_free(struct store *st, const json_t *row, int64_t id, struct http_res *res)
{
	const char *name = json_string_value(json_object_get(row, "name"));
	int64_t other;
	int rc;

	if (name == NULL)
		return 0;
	rc = store_org_name_taken(st, name, id, &other);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	if (other != 0)
		return http_res_problem(res, 422, "Name taken", "name",
					"Đã có đơn vị mang tên này (đơn vị %lld) / another "
					"organisation (%lld) has this name",
					(long long)other, (long long)other),
		       -1;
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

	if (!access_org(&cx->subject, 0, AC_CREATE) || !access_org_identity(&cx->subject)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Chỉ quản trị của đơn vị điều phối được thêm đơn vị / only the "
				 "coordinator's admins add organisations");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    org_fields(in, true, true, row, res) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	if (name_free(tx.st, row, 0, res) != 0) {
		api_tx_abort(&tx);
		goto out;
	}
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
	bool identity = access_org_identity(&cx->subject);
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
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    identity_allowed(cx, in, res) != 0)
		goto out;
	if (org_fields(in, false, identity, row, res) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	rc = store_org_get(tx.st, id, &before);
	if (rc == STORE_OK) {
		version = json_integer_value(json_object_get(before, "version"));
		if (api_if_match(req, res, version) != 0 || name_free(tx.st, row, id, res) != 0) {
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
