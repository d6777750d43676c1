/* requests.c - coordination requests: the coordinator asks police, military, ISPs, experts or
 * the national coordinator for help on an incident (000 Đ7.1b-e); the asked organisation sees
 * the incident from then on and answers. */
#include <string.h>

#include "api.h"
#include "core/procedure.h"
#include "ops/request.h"
#include "util/str.h"


/* Answers an operation's result: its refusal, or the request (audited by the operation). */
static void answer_op(struct http_req *req, struct http_res *res, struct api_tx *tx, int rc,
		      const struct ops_err *err, const struct api_done *d, json_t *after)
{
	if (rc != OPS_OK) {
		api_tx_abort(tx);
		api_ops_error(res, err);
		return;
	}
	api_tx_answer(tx, req, res, STORE_OK, d, after);
}

int api_requests_create(struct http_req *req, struct http_res *res)
{
	struct ops_request_in r = {0};
	json_t *in = NULL, *out = NULL;
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id, rid = 0;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_REQUEST, &ai) != 0)
		return 0;
	if (api_body(req, res, &in) != 0 || api_tx_begin(req, res, &tx, true))
		goto out;
	api_in_int(in, "org_id", &r.to_org_id);
	r.kind = api_in_text(in, "kind");
	r.body = api_in_text(in, "body");
	r.due = api_in_text(in, "due_at");
	api_ops_ctx(req, tx.st, &c);
	rc = ops_request_create(&c, id, &r, &rid, &out, &err);
	answer_op(req, res, &tx, rc, &err,
		  &(struct api_done){"request.create", "request", rid, NULL, 201, "/api/v1/requests"},
		  out);
	out = NULL;
out:
	json_decref(in);
	json_decref(out);
	return 0;
}

int api_requests_list(struct http_req *req, struct http_res *res)
{
	return api_incident_items(req, res, store_request_list, NULL);
}

int api_requests_answer(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *before = NULL, *after = NULL;
	const char *status, *answer;
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	int64_t rid, incident_id;
	struct api_tx tx;
	int rc;

	if (api_param_id(req, 0, res, &rid) != 0)
		return 0;
	rc = store_request_get(api_store(), rid, &before);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	/* the early answers, before the body is read; the operation decides again in the
	 * transaction, where a concurrent answer cannot slip between check and write */
	incident_id = json_integer_value(json_object_get(before, "incident_id"));
	if (api_incidents_access(req, res, incident_id, AC_COMMENT, &ai) != 0)
		goto out;
	if (json_integer_value(json_object_get(before, "to_org_id")) != cx->subject.org_id) {
		http_res_problem(res, 403, "Forbidden", NULL, M_request_answer_forbidden);
		goto out;
	}
	if (!procedure_request_unfinished(json_string_value(json_object_get(before, "status")))) {
		http_res_problem(res, 409, "Request closed", "status", M_request_closed);
		goto out;
	}
	if (api_body(req, res, &in) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	status = api_in_text(in, "status");
	answer = api_in_text(in, "answer");
	api_ops_ctx(req, tx.st, &c);
	rc = ops_request_answer(&c, rid, status, answer, &after, &err);
	answer_op(req, res, &tx, rc, &err,
		  &(struct api_done){"request.answer", "request", rid, NULL, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}
