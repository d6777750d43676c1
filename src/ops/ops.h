/* ops.h - the operations of the domain, one function each, whatever the channel (web, API
 * token, command line, e-mail, job thread, demo seeder). An operation takes an explicit context
 * and does, inside the caller's write transaction: the access decision (core/), the validation,
 * the state change, the facts, the audit entry and the outbox rows. A channel parses its input,
 * calls the operation and presents the result; it never writes to the store itself
 * (scripts/checksrc holds the list of writes not moved here yet). docs/architecture.md. */
#ifndef UNGCUU_OPS_H
#define UNGCUU_OPS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access.h"
#include "core/preset.h"
#include "core/procedure.h"
#include "store/store.h"
#include "util/msg.h"

/* Where an operation was asked from (the audit names the account; the channel decides the
 * defaults an operation applies, e.g. who reports for whom by e-mail). */
enum ops_channel {
	OPS_WEB,   /* a browser session */
	OPS_TOKEN, /* an API token */
	OPS_CLI,   /* `ungcuu ...` on the machine */
	OPS_MAIL,  /* `ungcuu mailgate` */
	OPS_JOB,   /* the server's job thread */
	OPS_DEMO,  /* `ungcuu init --demo` */
};

/* Who asks. */
struct ops_actor {
	struct ac_subject subject;
	bool machine;         /* the machine's own operator (command line) or the job thread: the
			       * access decisions about an account's rights let it through; the
			       * validation, the facts and the audit still hold */
	int64_t user_id;      /* 0: nobody's account (the system, an unknown e-mail sender) */
	const char *username; /* as the audit names it ("dieuphoi", "cli:root (uid 0)") */
	const char *ip;       /* the client's address, "local" for the command line */
};

/* Everything an operation may use besides its input. */
struct ops_ctx {
	struct store *st;            /* a write transaction (or savepoint) is open on it */
	const struct preset *preset; /* one snapshot for the whole operation */
	struct ops_actor actor;
	int64_t now;
	enum ops_channel channel;
};

/* Why an operation refused, for any channel to present (HTTP problem, CLI message). */
struct ops_err {
	int status;        /* 403, 404, 409, 412, 422 like HTTP; 0 when the store failed */
	const char *title; /* "Forbidden", "Invalid field", ... (static) */
	char field[48];    /* the input field concerned, or "" */
	struct msg msg;    /* what and why, from the catalogue (util/msg.h), rendered by the
			    * channel in its reader's language */
	int store_rc;      /* the STORE_E* code when status is 0 */
};

/* Return codes of operations. */
#define OPS_OK 0
#define OPS_EREFUSED (-1) /* access, validation or state said no: err says why */
#define OPS_ESTORE (-2)   /* the store failed: err->store_rc */

/* Fills c for the machine itself on store st with preset p: the command line's operator or
 * the job thread (channel), audited as `username` ("cli:root (uid 0)", "job") from "local",
 * acting for the coordinator's organisation with every role. OPS_OK, or OPS_ESTORE when the
 * coordinator cannot be read (err set). */
int ops_ctx_machine(struct ops_ctx *c, struct store *st, const struct preset *p,
		    enum ops_channel channel, const char *username, int64_t now,
		    struct ops_err *err);
/* The access decision of an operation: allowed by the rule, or asked by the machine itself. */
bool ops_may(const struct ops_ctx *c, bool allowed);

/* Fills err as a refusal with the catalogue's message id and its parameters, and returns
 * OPS_EREFUSED: ops_refuse(err, 422, "Invalid field", "kind", M_request_kind, MS("kind", k)). */
#define ops_refuse(err, status, title, field, id, ...)                                     \
	ops_refuse_args((err), (status), (title), (field), (id), MSG_ARGS(__VA_ARGS__))
int ops_refuse_args(struct ops_err *err, int status, const char *title, const char *field,
		    enum msg_id id, const struct msg_arg *a, size_t n);
/* The same with a message already bound (a core rule's reason, e.g. procedure_check's). */
int ops_refuse_msg(struct ops_err *err, int status, const char *title, const char *field,
		   const struct msg *m);
/* The If-Match check every change makes: OPS_OK when if_version is 0 (none asked) or the
 * record's version, else OPS_EREFUSED with the 412 every channel words the same. */
int ops_version_check(int64_t if_version, int64_t version, struct ops_err *err);
/* Turns a store code into an operation's: OPS_OK for STORE_OK, else OPS_ESTORE with err set. */
int ops_store(struct ops_err *err, int store_rc);

/* Sets "citation_vi" and "citation_en" on obj: the source src ("001 Đ15.4c") as people write it
 * with the documents of p (core/cite.c). Nothing when obj is NULL or src is NULL or "". */
void ops_cite(const struct preset *p, json_t *obj, const char *src);
/* The words of a record that stores a message as facts (obj's "msg" and "params",
 * util/msg_json.h) in lang, into out (cap bytes): {citation} is obj's "source" cited with the
 * documents of p, the preset in force when the record is read. Returns 0, or -1 when obj stores
 * no message the catalogue knows (out then ""). */
int ops_words(const struct preset *p, const json_t *obj, enum msg_lang lang, char *out,
	      size_t cap);
/* Appends the audit entry of a change by the context's actor (before/after may be NULL; not
 * stolen). The one writer of the audit trail for every channel. STORE_E* codes. */
int ops_audit(const struct ops_ctx *c, const char *action, const char *object_type,
	      int64_t object_id, const json_t *before, const json_t *after);

/* Ends a change whose record rec (stolen, may be NULL on error) was read with rc: audits
 * before -> rec when rc is STORE_OK and hands rec to *after (after may be NULL: freed). Returns
 * rc, or the audit's failure. */
int ops_audit_record(const struct ops_ctx *c, int rc, const char *action, const char *object_type,
		     int64_t object_id, const json_t *before, json_t *rec, json_t **after);

/* ---- forms (ops/form.c): Mẫu 01, Mẫu 02, biên bản, as the preset defines them ---- */

/* Validates `in` ({form: {field: value}}, NULL = nothing sent) against the preset and, when
 * valid, sets row["form"] to `current` with the sent values merged in (a null value removes a
 * field). Required fields are not demanded here: a form may be filled over several steps; the
 * procedure demands them (ops_form_filled) when a step requires the form. Returns OPS_OK, or
 * OPS_EREFUSED with a 422 naming "form.<code>.<field>". */
int ops_form_merge(const struct preset *p, const json_t *in, const json_t *current, json_t *row,
		   struct ops_err *err);
/* True if every required field of the form `code` has a non-empty value in form. */
bool ops_form_filled(const struct preset *p, const json_t *form, const char *code);

/* ---- incidents (ops/incident.c) ---- */

/* Whether the actor may take action a on incident id: 404 when it may not read it (a missing
 * one answers the same: whether it exists does not leak), 403 when it may read it but not do
 * a. OPS_OK, OPS_EREFUSED or OPS_ESTORE. */
int ops_incident_may(const struct ops_ctx *c, int64_t id, enum ac_action a, struct ops_err *err);

/* Checks group, type and severity against the preset in force: sets "grp", "type",
 * "severity" and "severity_rank" in row from the codes given (a NULL group and type, or a NULL
 * severity, leave those out). OPS_OK or OPS_EREFUSED naming the field. */
int ops_incident_classify(const struct ops_ctx *c, const char *group, const char *type,
			  const char *severity, json_t *row, struct ops_err *err);

/* Checks the affected systems named (a JSON array of ids, or NULL): each one the actor may
 * read (its own organisation's, or any for the coordinator). OPS_OK or OPS_EREFUSED. */
int ops_incident_check_systems(const struct ops_ctx *c, const json_t *ids, struct ops_err *err);

/* Whether the actor may report incidents at all (the first check of ops_incident_report, for
 * a channel that answers a refusal before it reads the input). OPS_OK or OPS_EREFUSED. */
int ops_incident_may_report(const struct ops_ctx *c, struct ops_err *err);

/* A new incident report, as any channel makes it. */
struct ops_report {
	json_t *row;                /* store columns: title, description, impact, actions_taken,
				     * detected_at (Unix s), tlp (int), is_drill, systems ([ids]),
				     * form, grp/type/severity as ops_incident_classify set them;
				     * org_id when a channel reports for another organisation
				     * (mailgate: the sender's); not stolen */
	const json_t *observables;  /* [{kind, value}] or NULL */
	const char *observables_source; /* "api", "extract", "warning", "mail" */
	const char *journal_text;   /* the creation entry's text ("" or the warning's reference) */
};
/* Reports an incident (step 1 of the procedure, 001 Đ15.4): the actor's organisation may
 * report (access_incident AC_CREATE) for the organisation it names, the classification and the
 * fields are valid, the affected systems are ones the actor may read, the detection time is not
 * in the future. Writes the incident in the initial state, its "created" journal entry, the
 * escalations entering that state fires, the observables and the audit entry. Sets *id and, if
 * after is not NULL, *after to the stored record (caller decrefs). */
int ops_incident_report(const struct ops_ctx *c, const struct ops_report *in, int64_t *id,
			json_t **after, struct ops_err *err);

/* Changes an incident's fields (title, description, impact, actions_taken, detected_at, tlp,
 * is_drill, systems, grp/type/severity; store columns) and merges the forms sent (form, may be
 * NULL): the actor may edit it (404/403), if_version (0: any) is its version (412), the values
 * are valid (422). Journals the changed keys, audits before -> after. *after: the record. */
int ops_incident_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
			const json_t *fields, const json_t *form, json_t **after,
			struct ops_err *err);

/* What the procedure decides with (core/procedure.h) for subject on an incident in status,
 * of organisation org_id, with or without a centrally hosted system; the form check is left
 * for the caller to set (procedure_actions does not look at it). */
void ops_procedure_facts(const struct ac_subject *s, const char *status, bool central_hosted,
			 int64_t org_id, struct proc_facts *f);
/* The same for the actor on an incident record (store_incident_get's). */
void ops_incident_facts(const struct ops_ctx *c, const json_t *inc, struct proc_facts *f);

/* A step of the procedure asked for. */
struct ops_step {
	const char *action;  /* the preset's transition ("report", "close", ...) */
	const char *note;    /* the journal's text, or NULL */
	const struct msg *words; /* the system's words for the journal, stored as facts and
				  * worded by the reader (util/msg_json.h), or NULL */
	const json_t *form;  /* forms sent with the step ({code: {field: value}}), or NULL */
	int64_t if_version;  /* 0: any */
};
/* Takes a step of the procedure (001 Đ15.4; the preset's transitions): the actor may take
 * steps on it (404/403), the preset allows this one now, for this actor, with the required
 * forms filled (409 naming the rule and its source). Enters the new state with its effects
 * (reaching step 3 names and tells the coordinator; a final state closes), journals it, fires
 * the escalations, audits. *after: the record. */
int ops_incident_transition(const struct ops_ctx *c, int64_t id, const struct ops_step *in,
			    json_t **after, struct ops_err *err);
/* Raises a flag of the preset (beyond capacity, violation of law...): journals it with its
 * source, fires the escalations it triggers, audits; a raised flag is left as it is. */
int ops_incident_flag(const struct ops_ctx *c, int64_t id, const char *code, const char *note,
		      json_t **after, struct ops_err *err);
/* Adds a comment to the incident's journal (the actor may comment: 404/403). *entry: the
 * journal entry {id, incident_id, kind, body} (caller decrefs). */
int ops_incident_comment(const struct ops_ctx *c, int64_t id, const char *body,
			 json_t **entry, struct ops_err *err);

/* The words of rule r firing: *words as a record stores them (the rule's names; the reader cites
 * its source, ops_words), and text (cap bytes) the body of the requests it opens, in
 * Vietnamese with its source cited with the documents of p. */
void ops_escalation_words(const struct preset *p, const struct preset_escalation *r,
			  struct msg *words, char *text, size_t cap);
/* Fires the escalation rules of the preset that an incident entering state `to` from `from`
 * (NULL at creation), or a raised flag, triggers (ops/escalate.c). STORE_E* codes. */
int ops_escalate_state(const struct ops_ctx *c, int64_t incident_id, const char *severity,
		       const char *grp, const char *from, const char *to);
int ops_escalate_flag(const struct ops_ctx *c, int64_t incident_id, const char *severity,
		      const char *grp, const char *flag);

/* Stores observables [{kind, value}] on an incident or warning (store_indicator_add links the
 * related items) with their source. STORE_E* codes. */
int ops_indicators_add(const struct ops_ctx *c, const char *owner_kind, int64_t owner_id,
		       const json_t *list, const char *source);

#endif
