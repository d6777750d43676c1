/* warning.h - the operations on warnings (cảnh báo, 000 Đ7.4; 003 §1), whatever the channel:
 * the issuer's drafts, issuing them and ending them, the targets' answers (acknowledgement,
 * status per system, evidence) and an incident opened from a warning. docs/warnings.md. */
#ifndef UNGCUU_OPS_WARNING_H
#define UNGCUU_OPS_WARNING_H
#include "ops.h"

/* Whether the actor may write warnings at all (the first check of ops_warning_create, for a
 * channel that answers a refusal before it reads the input). OPS_OK or OPS_EREFUSED (403). */
int ops_warning_may_create(const struct ops_ctx *c, struct ops_err *err);

/* Whether the actor may answer about system sid (one its organisation owns or operates): the
 * check every answer about a system makes, for a channel that answers 404 before it reads the
 * input. OPS_OK or OPS_EREFUSED (404). */
int ops_warning_check_system(const struct ops_ctx *c, int64_t sid, struct ops_err *err);

/* The warning as the actor sees it: the record (store_warning_get's) with its permissions
 * (edit, answer, track) and, for a target, its own answers ("mine", late marked). Sets *out
 * (caller decrefs). STORE_E* codes. */
int ops_warning_view(const struct ops_ctx *c, int64_t id, json_t **out);

/* Marks each tracking row (store_warning_tracking's) "late": the due time (0: none) passed
 * and it has not fully answered, or answered after it. */
void ops_warning_mark_late(json_t *rows, int64_t due, int64_t now);

/* A new draft of the actor's organisation (the issuers of 000 Đ7.4: 403 otherwise) from
 * fields (store columns as store_warning_create takes them; severity a code of the preset,
 * checked here: 422; tlp TLP:AMBER and target {"mode": "match"} unless given; not stolen).
 * Gives it its STIX id and audits it. Sets *id and *after (ops_warning_view's; caller
 * decrefs). */
int ops_warning_create(const struct ops_ctx *c, const json_t *fields, int64_t *id,
		       json_t **after, struct ops_err *err);

/* Changes a draft's fields (store columns, as for create; an empty object changes nothing but
 * is audited): the actor may edit it (404/403), if_version (0: any) is its version (412), it
 * is a draft (409), the severity is the preset's (422). *after (may be NULL): the view. */
int ops_warning_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
		       const json_t *fields, json_t **after, struct ops_err *err);

/* Issues a draft (404/403; 409 when not a draft) to its targets (422 when it has none, when a
 * TLP:RED warning does not name its organisations (000 Đ4.4), or when a named one does not
 * exist or is inactive): targets, matched systems, related links and one outbox row per target
 * (store_warning_issue), audited. *after (may be NULL): the view with "issued": {targets,
 * systems}. */
int ops_warning_issue(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err);

/* Closes an issued warning, or withdraws it (withdraw: an issued one or a draft); 404/403,
 * 409 in another state. *after (may be NULL): the view. */
int ops_warning_close(const struct ops_ctx *c, int64_t id, bool withdraw, json_t **after,
		      struct ops_err *err);

/* The actor's organisation, a target, acknowledges the warning (404/403; 409 when it is not
 * open). *after (may be NULL): the organisation's answers. */
int ops_warning_ack(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err);

/* Reports the status of system sid (not_affected, affected, fixing, fixed, accepted_risk:
 * 422 otherwise) with an optional note; acknowledges too. 404/403 on the warning, 404 when
 * the system is not the organisation's, 409 when the warning is not open. *after: the
 * organisation's answers. */
int ops_warning_report(const struct ops_ctx *c, int64_t id, int64_t sid, const char *status,
		       const char *note, json_t **after, struct ops_err *err);

/* Records the evidence file (kept by the channel under its SHA-256 sha256, named name) for
 * system sid; checks as ops_warning_report. *after: the organisation's answers. */
int ops_warning_evidence(const struct ops_ctx *c, int64_t id, int64_t sid, const char *sha256,
			 const char *name, json_t **after, struct ops_err *err);

/* What an incident opened from a warning may say (NULL: taken from the warning). */
struct ops_spawn {
	const char *title;       /* the warning's */
	const char *group;       /* "attack" (else the preset's first group) */
	const char *type;        /* the group's "other" type (else its first) */
	const char *severity;    /* the warning's */
	int tlp;                 /* enum tlp, or -1: the warning's */
	const char *description; /* added after the line naming the warning */
};
/* Opens an incident of the actor's organisation for its system sid from warning id (checks as
 * ops_warning_report): reports it (ops_incident_report: the warning's indicators become its
 * observables), links it to the warning, acknowledges, marks the system affected unless it was
 * reported otherwise, names the incident in the system's answer, audits. Sets *iid and *incident
 * (the incident's record; caller decrefs). */
int ops_warning_spawn(const struct ops_ctx *c, int64_t id, int64_t sid,
		      const struct ops_spawn *in, int64_t *iid, json_t **incident,
		      struct ops_err *err);

/* Gives warning id (reference ref) the STIX report id its exports and TAXII use, and writes it
 * into out (size >= STIX_ID_MAX, core/stix.h). In the caller's transaction; for the
 * operations here and the channels that still write warnings themselves (the demo seeder).
 * STORE_E* codes. */
int ops_warning_stix_id(struct store *st, int64_t id, const char *ref, char *out, size_t outsz);

#endif
