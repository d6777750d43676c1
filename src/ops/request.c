/* request.c - asking another organisation for help on an incident and its answer: who may,
 * the request's states (core/procedure.c: a finished request is not answered again), the
 * incident's new reader, the journal, the mail to the other side (outbox) and the audit. The
 * checks run inside the write transaction: 24 answers at once leave one. */
#include <string.h>

#include "util/tm.h"

#include "request.h"

static const char *const request_kinds[] = {"support", "investigate", "mobilise", "notify",
					    "evidence", NULL};
static const char *const answer_states[] = {"accepted", "declined", "done", NULL};

static bool one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* The request is valid: its kind, its due time (*due_at, 0 for none) and an organisation asked
 * that exists and is not the actor's. 422 naming the field otherwise. */
static int check_request(const struct ops_ctx *c, const struct ops_request_in *in,
			 int64_t *due_at, struct ops_err *err)
{
	char role[32];
	int64_t parent;

	*due_at = 0;
	if (!one_of(in->kind, request_kinds))
		return ops_refuse(err, 422, "Invalid field", "kind", M_request_kind_invalid);
	if (in->due && tm_parse_iso(in->due, due_at) != 0)
		return ops_refuse(err, 422, "Invalid field", "due_at", M_request_due_invalid);
	if (in->to_org_id == c->actor.subject.org_id ||
	    store_org_role(c->st, in->to_org_id, role, sizeof role, &parent) != STORE_OK)
		return ops_refuse(err, 422, "Invalid field", "org_id", M_request_org_invalid);
	return OPS_OK;
}

/* The writes of a request: the row, the incident's new reader, the mail, the journal. */
static int request_writes(const struct ops_ctx *c, int64_t id, const struct ops_request_in *in,
			  int64_t due_at, int64_t *rid)
{
	json_t *row = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "incident_id",
				(json_int_t)id, "from_org_id", (json_int_t)c->actor.subject.org_id,
				"to_org_id", (json_int_t)in->to_org_id, "kind", in->kind, "body",
				in->body, "status", "open", "due_at", (json_int_t)due_at,
				"created_by", (json_int_t)c->actor.user_id);
	json_t *data;
	int rc = row ? store_request_create(c->st, row, rid) : STORE_EIO;

	json_decref(row);
	if (rc == STORE_OK)
		rc = store_incident_add_org(c->st, id, in->to_org_id, "request");
	if (rc == STORE_OK) /* docs/mail.md */
		rc = store_outbox_add(c->st, "request", in->to_org_id, id, *rid, c->now);
	data = json_pack("{s:I, s:I, s:s}", "request_id", (json_int_t)*rid, "to_org_id",
			 (json_int_t)in->to_org_id, "kind", in->kind);
	if (rc == STORE_OK)
		rc = data ? store_journal_add(c->st, id, "request", c->actor.user_id,
					      c->actor.subject.org_id, in->body, data, NULL)
			  : STORE_EIO;
	json_decref(data);
	return rc;
}

int ops_request_create(const struct ops_ctx *c, int64_t id, const struct ops_request_in *in,
		       int64_t *rid, json_t **after, struct ops_err *err)
{
	int64_t due_at;
	int rc;

	*rid = 0;
	*after = NULL;
	rc = ops_incident_may(c, id, AC_REQUEST, err);
	if (rc == OPS_OK)
		rc = check_request(c, in, &due_at, err);
	if (rc != OPS_OK)
		return rc;
	rc = request_writes(c, id, in, due_at, rid);
	if (rc == STORE_OK)
		rc = store_request_get(c->st, *rid, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "request.create", "request", *rid, NULL, *after);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}

/* The actor may answer request `before` now: it may comment on its incident, it is the
 * organisation asked, the request is not finished, the status is an answer's. */
static int may_answer(const struct ops_ctx *c, const json_t *before, const char *status,
		      struct ops_err *err)
{
	int rc = ops_incident_may(c, json_integer_value(json_object_get(before, "incident_id")),
			      AC_COMMENT, err);

	if (rc != OPS_OK)
		return rc;
	if (!ops_may(c, json_integer_value(json_object_get(before, "to_org_id")) ==
			     c->actor.subject.org_id))
		return ops_refuse(err, 403, "Forbidden", NULL, M_request_answer_forbidden);
	if (!procedure_request_unfinished(json_string_value(json_object_get(before, "status"))))
		return ops_refuse(err, 409, "Request closed", "status", M_request_closed);
	if (!one_of(status, answer_states))
		return ops_refuse(err, 422, "Invalid field", "status", M_request_status_invalid);
	return OPS_OK;
}

int ops_request_answer(const struct ops_ctx *c, int64_t rid, const char *status,
		       const char *answer, json_t **after, struct ops_err *err)
{
	json_t *before = NULL, *data = NULL;
	int64_t incident_id;
	int rc = store_request_get(c->st, rid, &before);

	*after = NULL;
	if (rc == STORE_ENOTFOUND)
		return ops_refuse(err, 404, "Not found", NULL, M_not_found);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	rc = may_answer(c, before, status, err);
	if (rc != OPS_OK) {
		json_decref(before);
		return rc;
	}
	incident_id = json_integer_value(json_object_get(before, "incident_id"));
	rc = store_request_answer(c->st, rid, status, answer, c->actor.user_id, c->now);
	if (rc == STORE_OK) /* docs/mail.md */
		rc = store_outbox_add(c->st, "answer",
				      json_integer_value(json_object_get(before, "from_org_id")),
				      incident_id, rid, c->now);
	if (rc == STORE_OK)
		rc = (data = json_pack("{s:I, s:s}", "request_id", (json_int_t)rid, "status",
				       status))
			     ? store_journal_add(c->st, incident_id, "answer", c->actor.user_id,
						 c->actor.subject.org_id, answer, data, NULL)
			     : STORE_EIO;
	json_decref(data);
	if (rc == STORE_OK)
		rc = store_request_get(c->st, rid, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "request.answer", "request", rid, before, *after);
	json_decref(before);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}
