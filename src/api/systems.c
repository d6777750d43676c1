/* systems.c - the registry of information systems: owner, operator, security level 1-5
 * (Nghị định 85/2016), central hosting (decides step 1 of the procedure), critical list (002 Đ5),
 * assets (domains, IP ranges, URLs) for matching warnings and indicators. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/fields.h"
#include "core/indicator.h"
#include "ops/system.h"
#include "util/str.h"

#define ASSET_MAX 300

/* The canonical spelling of an asset (core/indicator.c), so stored assets match indicators by
 * equality: "cidr" takes a network or a bare address (its /32 or /128), "domain" a host name,
 * "url" an http(s)/ftp URL. 0, or -1 when invalid. */
static int asset_canonical(const char *kind, const char *val, char *out, size_t outsz)
{
	size_t n = strlen(val);

	if (strcmp(kind, "domain") == 0)
		return indicator_normalize(IND_DOMAIN, val, n, out, outsz);
	if (strcmp(kind, "cidr") == 0)
		return indicator_normalize(IND_CIDR, val, n, out, outsz);
	if (strcmp(kind, "url") == 0)
		return indicator_normalize(IND_URL, val, n, out, outsz);
	return -1;
}

static int assets_field(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr, *a;
	json_t *out;
	size_t i;
	int got = http_json_list(in, "assets", false, fields_find(&fields_system, "assets")->cap, res,
				 &arr);

	if (got <= 0)
		return got;
	out = json_array();
	json_array_foreach(arr, i, a) {
		const char *kind = json_string_value(json_object_get(a, "kind"));
		const char *val = json_string_value(json_object_get(a, "value"));
		char canon[IND_VALUE_MAX];
		bool ok = kind && val && strlen(val) <= ASSET_MAX &&
			  asset_canonical(kind, val, canon, sizeof canon) == 0;

		if (!ok) {
			json_decref(out);
			return http_res_problem(res, 422, "Invalid field", "assets",
						M_system_asset_invalid, MN("index", i + 1)),
			       -1;
		}
		json_array_append_new(out, json_pack("{s:s, s:s}", "kind", kind, "value", canon));
	}
	json_object_set_new(row, "assets", out);
	return 0;
}

#define PRODUCT_MAX 200

/* Products the system runs: [{vendor, product, version}] (warnings name products). */
static int products_field(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr, *p;
	json_t *out;
	size_t i;
	int got = http_json_list(in, "products", false, fields_find(&fields_system, "products")->cap,
				 res, &arr);

	if (got <= 0)
		return got;
	out = json_array();
	json_array_foreach(arr, i, p) {
		const char *v = json_string_value(json_object_get(p, "vendor"));
		const char *pr = json_string_value(json_object_get(p, "product"));
		const char *ver = json_string_value(json_object_get(p, "version"));
		json_t *vv = json_object_get(p, "version");
		bool ok = json_is_object(p) && v && pr && v[0] && pr[0] && strlen(v) <= PRODUCT_MAX &&
			  strlen(pr) <= PRODUCT_MAX && (vv == NULL || json_is_null(vv) || ver) &&
			  (!ver || strlen(ver) <= PRODUCT_MAX) && str_utf8_valid(v, strlen(v)) &&
			  str_utf8_valid(pr, strlen(pr)) && (!ver || str_utf8_valid(ver, strlen(ver))) &&
			  json_object_size(p) <= 3;

		if (!ok) {
			json_decref(out);
			return http_res_problem(res, 422, "Invalid field", "products",
						M_system_product_invalid, MN("index", i + 1),
						MN("max", PRODUCT_MAX)),
			       -1;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "vendor", v, "product", pr,
						     "version", ver ? ver : ""));
	}
	json_object_set_new(row, "products", out);
	return 0;
}

static int system_fields(const struct api_ctx *cx, const json_t *in, bool create, json_t *row,
			 struct http_res *res)
{
	api_fields_row(&fields_system, in, create ? FIELD_CREATE : FIELD_UPDATE, row);
	/* owner and operator default to the caller's organisation */
	if (create && json_object_get(row, "owner_org_id") == NULL)
		json_object_set_new(row, "owner_org_id", json_integer(cx->subject.org_id));
	if (create && json_object_get(row, "operator_org_id") == NULL)
		json_object_set_new(row, "operator_org_id", json_integer(cx->subject.org_id));
	return assets_field(in, row, res) != 0 ? -1 : products_field(in, row, res);
}

static bool may(const struct api_ctx *cx, const json_t *row, enum ac_action a)
{
	struct ac_system s = {
		.owner_org_id = json_integer_value(json_object_get(row, "owner_org_id")),
		.operator_org_id = json_integer_value(json_object_get(row, "operator_org_id")),
		.critical = json_is_true(json_object_get(row, "critical")),
	};

	return access_system(&cx->subject, &s, a);
}

int api_systems_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct ac_scope scope;
	json_t *items = NULL;
	int rc;

	access_system_scope(&cx->subject, &scope);
	rc = store_system_list(api_store(), &scope, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_systems_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *sys = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	rc = store_system_get(api_store(), id, &sys);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	if (!may(cx, sys, AC_READ)) {
		json_decref(sys);
		return http_res_problem(res, 404, "Not found", NULL, M_system_not_found);
	}
	api_etag(res, json_integer_value(json_object_get(sys, "version")));
	return http_res_json(res, 200, sys);
}

/* Answers an operation's result: its refusal, or the record with the audit already written. */
static void answer(struct http_req *req, struct http_res *res, struct api_tx *tx, int rc,
		   const struct ops_err *err, const struct api_done *d, json_t *after)
{
	if (rc != OPS_OK) {
		api_tx_abort(tx);
		api_ops_error(res, err);
		return;
	}
	api_tx_answer(tx, req, res, STORE_OK, d, after);
}

int api_systems_create(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *out = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_body(req, res, &in) != 0 ||
	    system_fields(cx, in, true, row, res) != 0)
		goto out;
	if (!may(cx, row, AC_CREATE)) {
		http_res_problem(res, 403, "Forbidden", NULL, M_system_create_forbidden);
		goto out;
	}
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_system_register(&c, row, &id, &out, &err);
	answer(req, res, &tx, rc, &err,
	       &(struct api_done){"system.create", "system", id, NULL, 201, "/api/v1/systems"}, out);
	out = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

int api_systems_update(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *before = NULL, *after = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		goto out;
	rc = store_system_get(api_store(), id, &before);
	if (rc != STORE_OK || !may(cx, before, AC_READ)) {
		http_res_problem(res, 404, "Not found", NULL, M_system_not_found);
		goto out;
	}
	if (!may(cx, before, AC_EDIT)) {
		http_res_problem(res, 403, "Forbidden", NULL, M_system_edit_forbidden);
		goto out;
	}
	if (api_body(req, res, &in) != 0 ||
	    system_fields(cx, in, false, row, res) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_system_update(&c, id, api_if_match_version(req), row, &after, &err);
	answer(req, res, &tx, rc, &err,
	       &(struct api_done){"system.update", "system", id, NULL, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(before);
	json_decref(after);
	return 0;
}
