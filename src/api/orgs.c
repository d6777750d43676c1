/* orgs.c - organisations and their contact points (đầu mối; 000 Đ5.3a, Đ6.4a): everyone reads
 * the directory, the coordinator's admins add organisations and set their identity (name, code,
 * role, parent), an organisation's leader or officer keeps its own contact point current. */
#include <string.h>

#include "api.h"
#include "core/fields.h"
#include "ops/org.h"

/* Parses the fields of the body into row (types and lengths; their values are the
 * operation's to judge, ops/org.c). */
int api_orgs_list(struct http_req *req, struct http_res *res)
{
	const char *q = http_query(req, "q");
	json_t *items = NULL;
	int rc;

	if (q && strlen(q) > 200)
		return http_res_problem(res, 400, "Invalid parameter", "q",
					M_search_too_long, MN("max", 200));
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
	json_t *in = NULL, *row = json_object(), *out = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	api_ops_ctx(req, api_store(), &c);
	if (ops_org_may_create(&c, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0)
		goto out;
	api_fields_row(&fields_org, in, FIELD_CREATE, row);
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_org_create(&c, row, &id, &out, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK,
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
	json_t *in = NULL, *row = json_object(), *after = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0)
		goto out;
	api_ops_ctx(req, api_store(), &c);
	/* who may not is answered before the body is judged (the operation checks again) */
	if (ops_org_may_edit(&c, id, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0)
		goto out;
	if (ops_org_may_set_identity(&c, in, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	api_fields_row(&fields_org, in, FIELD_UPDATE, row);
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_org_update(&c, id, api_if_match_version(req), row, &after, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){"org.update", "org", id, NULL, 200, NULL}, after);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}
