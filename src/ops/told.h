/* told.h - a report of an incident made outside the platform, recorded (issue "legal truth";
 * DOMAIN.md "Facts, not inferences"): the unit or the coordinator sent an official letter, a fax,
 * called or met the body the regulation names, and records it with its number and date. It is
 * a fact like the platform's own notifications (store incident_told), so the clock that names
 * that body is met by it. */
#ifndef UNGCUU_OPS_TOLD_H
#define UNGCUU_OPS_TOLD_H
#include "ops.h"

/* A report made outside the platform, as a channel read it. */
struct ops_told_in {
	int64_t org_id;  /* the organisation told */
	const char *how; /* letter, fax, phone, email, meeting */
	const char *ref; /* the letter's number ("125/STTTT-CNTT"): required for a letter */
	const char *at;  /* when it was told, ISO 8601 */
	const char *note;
	int64_t attachment_id; /* the evidence, an attachment of the incident, or 0 */
};
/* Records that organisation in->org_id was told of incident id outside the platform: the actor
 * may take the procedure's steps on it (404/403); the organisation exists, is active and is not
 * the incident's own, the means is one of those above, a letter has its number, the time is
 * neither before the detection nor after now, the evidence is an attachment of this incident
 * (422 naming the field). Journals it (its words
 * made when read), audits "incident.told". *after: the fact as store_told_list gives it (caller
 * decrefs). OPS_OK, OPS_EREFUSED or OPS_ESTORE. */
int ops_incident_told(const struct ops_ctx *c, int64_t id, const struct ops_told_in *in,
		      json_t **after, struct ops_err *err);

#endif
