/* journal.c - the incident journal: every comment, status change, request and answer. */
#include "api.h"

#define COMMENT_MAX 10000

int api_journal_list(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *items = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = store_journal_list(api_store(), id, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_journal_add(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"body", NULL};
	struct api_ctx *cx = req->ctx;
	struct ac_incident ai;
	json_t *in = NULL, *row = NULL;
	const char *body;
	struct api_tx tx;
	int64_t id, jid;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_COMMENT, &ai) != 0)
		return 0;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "body", true, COMMENT_MAX, true, res, &body) < 0)
		goto out;
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	rc = store_journal_add(tx.st, id, "comment", cx->user.id, cx->subject.org_id, body, NULL,
			       &jid);
	row = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)jid, "incident_id",
			(json_int_t)id, "kind", "comment", "body", body);
	if (rc == STORE_OK)
		rc = api_audit(req, "incident.comment", "incident", id, NULL, row);
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		api_store_error(res, rc);
		goto out;
	}
	http_res_json(res, 201, row);
	row = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}
