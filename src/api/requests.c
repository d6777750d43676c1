/* requests.c - coordination requests: the coordinator asks police, military, ISPs, experts or
 * the national coordinator for help on an incident (000 Đ7.1b-e); the asked organisation sees
 * the incident from then on and answers. */
#include <string.h>

#include "api.h"
#include "core/procedure.h"
#include "util/str.h"
#include "util/tm.h"

#define REQUEST_BODY_MAX 4000

static const char *const request_kinds[] = {"support", "investigate", "mobilise", "notify",
					    "evidence", NULL};
static const char *const answer_states[] = {"accepted", "declined", "done", NULL};

static bool one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

int api_requests_create(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"org_id", "kind", "body", "due_at", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = NULL, *out = NULL, *data;
	const char *kind, *body, *due;
	struct ac_incident ai;
	int64_t id, to_org, due_at = 0, rid;
	char role[32];
	struct api_tx tx;
	int64_t parent;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_REQUEST, &ai) != 0)
		return 0;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_int(in, "org_id", true, 1, INT64_MAX, res, &to_org) < 0 ||
	    http_json_str(in, "kind", true, 20, false, res, &kind) < 0 ||
	    http_json_str(in, "body", true, REQUEST_BODY_MAX, true, res, &body) < 0 ||
	    http_json_str(in, "due_at", false, 40, false, res, &due) < 0)
		goto out;
	if (!one_of(kind, request_kinds)) {
		http_res_problem(res, 422, "Invalid field", "kind",
				 "Loại yêu cầu phải là support, investigate, mobilise, notify hoặc "
				 "evidence / kind must be support, investigate, mobilise, notify or "
				 "evidence");
		goto out;
	}
	if (due && tm_parse_iso(due, &due_at) != 0) {
		http_res_problem(res, 422, "Invalid field", "due_at",
				 "Hạn phải là ngày giờ ISO 8601 / due_at must be an ISO 8601 time");
		goto out;
	}
	if (to_org == cx->subject.org_id ||
	    store_org_role(api_store(), to_org, role, sizeof role, &parent) != STORE_OK) {
		http_res_problem(res, 422, "Invalid field", "org_id",
				 "Đơn vị được đề nghị không tồn tại hoặc là chính đơn vị mình / the "
				 "organisation asked does not exist or is your own");
		goto out;
	}
	row = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "incident_id", (json_int_t)id,
			"from_org_id", (json_int_t)cx->subject.org_id, "to_org_id",
			(json_int_t)to_org, "kind", kind, "body", body, "status", "open", "due_at",
			(json_int_t)due_at, "created_by", (json_int_t)cx->user.id);
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	rc = store_request_create(tx.st, row, &rid);
	if (rc == STORE_OK)
		rc = store_incident_add_org(tx.st, id, to_org, "request");
	if (rc == STORE_OK) rc = store_outbox_add(tx.st, "request", to_org, id, rid, tm_now()); /* docs/mail.md */
	data = json_pack("{s:I, s:I, s:s}", "request_id", (json_int_t)rid, "to_org_id",
			 (json_int_t)to_org, "kind", kind);
	if (rc == STORE_OK)
		rc = store_journal_add(tx.st, id, "request", cx->user.id, cx->subject.org_id, body,
				       data, NULL);
	json_decref(data);
	if (rc == STORE_OK)
		rc = store_request_get(tx.st, rid, &out);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"request.create", "request", rid, NULL, 201,
					 "/api/v1/requests"},
		      out);
	out = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

int api_requests_list(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *items = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = store_request_list(api_store(), id, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_requests_answer(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"status", "answer", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *before = NULL, *after = NULL, *data;
	const char *status, *answer;
	struct ac_incident ai;
	int64_t rid, incident_id;
	struct api_tx tx;
	int rc;

	if (api_param_id(req, 0, res, &rid) != 0)
		return 0;
	rc = store_request_get(api_store(), rid, &before);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	incident_id = json_integer_value(json_object_get(before, "incident_id"));
	if (api_incidents_access(req, res, incident_id, AC_COMMENT, &ai) != 0)
		goto out;
	if (json_integer_value(json_object_get(before, "to_org_id")) != cx->subject.org_id) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Chỉ đơn vị được đề nghị mới trả lời / only the organisation asked "
				 "may answer");
		goto out;
	}
	if (!procedure_request_unfinished(json_string_value(json_object_get(before, "status")))) {
		http_res_problem(res, 409, "Request closed", "status",
				 "Đề nghị đã kết thúc, không trả lời được nữa / the request is "
				 "finished and can no longer be answered");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "status", true, 20, false, res, &status) < 0 ||
	    http_json_str(in, "answer", true, REQUEST_BODY_MAX, true, res, &answer) < 0)
		goto out;
	if (!one_of(status, answer_states)) {
		http_res_problem(res, 422, "Invalid field", "status",
				 "Trạng thái phải là accepted, declined hoặc done / status must be "
				 "accepted, declined or done");
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	rc = store_request_answer(tx.st, rid, status, answer, cx->user.id, tm_now());
	if (rc == STORE_OK) rc = store_outbox_add(tx.st, "answer", json_integer_value(json_object_get(before, "from_org_id")), incident_id, rid, tm_now()); /* docs/mail.md */
	data = json_pack("{s:I, s:s}", "request_id", (json_int_t)rid, "status", status);
	if (rc == STORE_OK)
		rc = store_journal_add(tx.st, incident_id, "answer", cx->user.id, cx->subject.org_id,
				       answer, data, NULL);
	json_decref(data);
	if (rc == STORE_OK)
		rc = store_request_get(tx.st, rid, &after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"request.answer", "request", rid, before, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}
