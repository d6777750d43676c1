/* told.c - who was told of an incident, when and how: the platform's notifications and the
 * reports made outside it (ops/told.h), the facts its deadlines are met by. */
#include "ops/told.h"

#include "api.h"

int api_told_list(struct http_req *req, struct http_res *res)
{
	return api_incident_items(req, res, store_told_list, NULL);
}

int api_told_add(struct http_req *req, struct http_res *res)
{
	struct ops_told_in t = {0};
	json_t *in = NULL, *out = NULL;
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_TRANSITION, &ai) != 0)
		return 0;
	if (api_body(req, res, &in) != 0 || api_tx_begin(req, res, &tx, true))
		goto out;
	api_in_int(in, "org_id", &t.org_id);
	t.how = api_in_text(in, "how");
	t.ref = api_in_text(in, "ref");
	t.at = api_in_text(in, "told_at");
	t.note = api_in_text(in, "note");
	api_in_int(in, "attachment_id", &t.attachment_id);
	api_ops_ctx(req, tx.st, &c);
	rc = ops_incident_told(&c, id, &t, &out, &err);
	if (rc != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){"incident.told", "incident", id, NULL, 201, NULL}, out);
	out = NULL;
out:
	json_decref(in);
	json_decref(out);
	return 0;
}
