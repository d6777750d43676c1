/* request.h - coordination requests (000 Đ7.1b-e): the coordinator asks police, military, ISPs,
 * experts or the national coordinator for help on an incident; the organisation asked sees the
 * incident from then on and answers. */
#ifndef UNGCUU_OPS_REQUEST_H
#define UNGCUU_OPS_REQUEST_H
#include "ops.h"

/* A request for help, as a channel read it. */
struct ops_request_in {
	int64_t to_org_id;
	const char *kind; /* support, investigate, mobilise, notify, evidence */
	const char *body;
	const char *due;  /* ISO 8601 time, or NULL */
};
/* Asks organisation in->to_org_id for help on incident id: the actor may ask on it (404/403),
 * the kind and due time are valid and the organisation exists and is not the actor's own (422
 * naming the field). The organisation asked then sees the incident; the request is journaled,
 * told to it (outbox "request") and audited "request.create". Sets *rid and *after (the
 * request; caller decrefs). */
int ops_request_create(const struct ops_ctx *c, int64_t id, const struct ops_request_in *in,
		       int64_t *rid, json_t **after, struct ops_err *err);

/* Answers request rid ("accepted", "declined", "done") with a text: the actor may comment on
 * its incident (404/403), is the organisation asked (403), the request is not finished (409:
 * answered done or declined), the status is one of those (422). Journals it, tells the asking
 * organisation (outbox "answer"), audits "request.answer" before -> after. *after: the request
 * (caller decrefs). */
int ops_request_answer(const struct ops_ctx *c, int64_t rid, const char *status,
		       const char *answer, json_t **after, struct ops_err *err);

#endif
