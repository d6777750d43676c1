/* store.h - the only door to data (ARCHITECTURE.md). Nothing above store/ sees SQL or sqlite3.h.
 *
 * Records travel as jansson objects. Rows come OUT with:
 *   - column names as keys; INTEGER ids and counts as JSON integers;
 *   - flag columns (active, hotline_247, central_hosted, critical, is_drill, must_change_pw,
 *     totp_enabled) as JSON booleans;
 *   - time columns (*_at, locked_until, last_seen, last_used) as ISO 8601 UTC strings
 *     ("2026-11-21T01:30:00Z"), or JSON null when the column is 0;
 *   - incidents.tlp as its code ("amber"), users.roles as an array of role codes,
 *     incidents.form and journal.data as embedded JSON objects;
 *   - secrets never: users.pw_hash and users.totp_secret are not in user rows.
 * Records go IN as jansson objects with the same keys, but times as JSON integers (Unix seconds),
 * tlp as an integer (enum tlp), roles as an integer (ROLE_* bits), form/data as objects.
 * Callers validate fields (api/ with core/ limits) before calling; the store only stores.
 *
 * Every function returns STORE_OK (0) or a negative STORE_E* code. A connection is used by one
 * thread at a time. Writes of one request go between store_begin and store_commit. */
#ifndef UNGCUU_STORE_H
#define UNGCUU_STORE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access.h"
#include "core/duty.h"
#include "core/escalation.h"

#define STORE_OK 0
#define STORE_EIO (-1)        /* database error; logged */
#define STORE_ENOTFOUND (-2)  /* no such row */
#define STORE_ECONFLICT (-3)  /* unique key taken, or version (If-Match) mismatch */
#define STORE_EBUSY (-4)      /* the database stayed locked past the busy timeout */
#define STORE_EINVAL (-5)     /* a reference to a missing row (foreign key), or bad argument */

struct store;

/* Opening modes. */
#define STORE_CREATE 1   /* create the database file if missing */
#define STORE_READONLY 2 /* a read-only connection (server reader threads) */

/* Opens DIR/ungcuu.db: WAL, foreign keys on, busy timeout 5 s, synchronous=NORMAL (survives a
 * kill -9 of the process; UNGCUU_SYNC=full for power loss too). Unless STORE_READONLY, applies
 * pending numbered migrations in one transaction each. Returns STORE_OK and *out (free with
 * store_close), or an error (the message is logged). */
int store_open(const char *dir, int mode, struct store **out);
/* Closes the connection and its cached statements. NULL is fine. */
void store_close(struct store *st);
/* Starts a write transaction (BEGIN IMMEDIATE, so the write lock is taken up front). */
int store_begin(struct store *st);
/* Commits the transaction. */
int store_commit(struct store *st);
/* Rolls back the transaction; safe to call when none is open. */
void store_rollback(struct store *st);
/* Number of the highest migration applied. */
int store_schema_version(struct store *st, int *out);

/* ---- meta and presets ---- */
/* Reads meta[key] into out (size outsz). STORE_ENOTFOUND when unset. */
int store_meta_get(struct store *st, const char *key, char *out, size_t outsz);
/* Sets meta[key] = value (insert or replace). */
int store_meta_set(struct store *st, const char *key, const char *value);
/* Stores the YAML text of a preset under its name (insert or replace). */
int store_preset_put(struct store *st, const char *name, const char *body, size_t len);
/* Reads the YAML text of a preset. *body is malloc'd, caller frees. */
int store_preset_get(struct store *st, const char *name, char **body, size_t *len);

/* ---- organisations ---- */
/* Inserts an organisation (keys: code, name, role, parent_id (or null), address, phone, fax,
 * email, hotline, hotline_247, contact_name). Sets *id. STORE_ECONFLICT if code is taken. */
int store_org_create(struct store *st, const json_t *org, int64_t *id);
/* Reads one organisation row. *out is a new reference, caller json_decref's it. */
int store_org_get(struct store *st, int64_t id, json_t **out);
/* Reads one organisation by its code. */
int store_org_by_code(struct store *st, const char *code, json_t **out);
/* The role code ("member") and parent id (0 if none) of an organisation. */
int store_org_role(struct store *st, int64_t id, char *role, size_t rolesz, int64_t *parent_id);
/* All organisations ordered by name (Vietnamese collation is not needed: by code then), as a
 * JSON array; q (NULL or "") filters by folded substring of name, code, email, phone. */
int store_org_list(struct store *st, const char *q, json_t **out);
/* Updates the given keys of an organisation if its version equals `version` (0 = any), and
 * bumps version and updated_at. STORE_ECONFLICT on version mismatch or code taken. */
int store_org_update(struct store *st, int64_t id, int64_t version, const json_t *fields);

/* ---- users ---- */
/* What login and session checks need of an account. */
struct store_user_auth {
	int64_t id;
	int64_t org_id;
	unsigned roles;
	char username[64];
	char pw_hash[128];
	bool must_change_pw;
	int failed_logins;
	int64_t locked_until;
	bool active;
	bool totp_enabled;
	char totp_secret[64];
	int64_t totp_last_step; /* last TOTP time step accepted (replay protection) */
	char org_role[32];
};
/* Inserts a user (keys: username, full_name, email, phone, position, org_id, roles (int),
 * pw_hash, must_change_pw). Sets *id. STORE_ECONFLICT if username is taken. */
int store_user_create(struct store *st, const json_t *user, int64_t *id);
/* Reads one user row (no secrets; includes org_code and org_name). */
int store_user_get(struct store *st, int64_t id, json_t **out);
/* Users as a JSON array ordered by username; org_id 0 = all organisations. */
int store_user_list(struct store *st, int64_t org_id, json_t **out);
/* Fills *out for login by username (any case as given; usernames are stored lower case). */
int store_user_auth_by_name(struct store *st, const char *username, struct store_user_auth *out);
/* Fills *out by id. */
int store_user_auth_by_id(struct store *st, int64_t id, struct store_user_auth *out);
/* Records a failed login: failed_logins+1, and locked_until = lock_until when not 0. */
int store_user_login_failed(struct store *st, int64_t id, int64_t lock_until);
/* Records a successful login: failed_logins = 0, locked_until = 0. */
int store_user_login_ok(struct store *st, int64_t id);
/* Sets a new password hash and whether it must be changed at next login; clears lockout. */
int store_user_set_password(struct store *st, int64_t id, const char *pw_hash, bool must_change);
/* Activates or deactivates a user; deactivating deletes their sessions and revokes their tokens
 * in the same transaction as the caller's. */
int store_user_set_active(struct store *st, int64_t id, bool active);
/* Unlocks an account: failed_logins = 0, locked_until = 0. */
int store_user_unlock(struct store *st, int64_t id);
/* Updates the given keys (full_name, email, phone, position, roles (int), org_id) if version
 * matches (0 = any); bumps version. */
int store_user_update(struct store *st, int64_t id, int64_t version, const json_t *fields);
/* Records that TOTP time step `step` was used, if it is later than the last one. STORE_ECONFLICT
 * when it is not (the code was already used: RFC 6238 §5.2). */
int store_user_totp_step(struct store *st, int64_t id, int64_t step);
/* Sets the TOTP secret (base32) and whether it is enabled. */
int store_user_set_totp(struct store *st, int64_t id, const char *secret, bool enabled);

/* ---- sessions and API tokens (only hashes are stored) ---- */
struct store_session {
	int64_t id;
	int64_t user_id;
	char csrf[48];
	int64_t created_at;
	int64_t last_seen;
};
/* Stores a new session. */
int store_session_create(struct store *st, const char *token_hash, const char *csrf,
			 int64_t user_id, const char *ip, int64_t now);
/* Finds a session by token hash. STORE_ENOTFOUND if none. */
int store_session_get(struct store *st, const char *token_hash, struct store_session *out);
/* Sets last_seen = now. */
int store_session_touch(struct store *st, int64_t id, int64_t now);
/* Deletes one session by token hash (logout); deleting nothing is fine. */
int store_session_delete(struct store *st, const char *token_hash);
/* Deletes every session of a user (password change, deactivation); keeps keep_id if not 0. */
int store_session_delete_user(struct store *st, int64_t user_id, int64_t keep_id);
/* Stores a new API token. Sets *id. */
int store_token_create(struct store *st, const char *token_hash, int64_t user_id,
		       const char *name, int64_t *id);
/* Finds a non-revoked token by hash; sets *user_id and *token_id. STORE_ENOTFOUND if none. */
int store_token_get(struct store *st, const char *token_hash, int64_t *user_id, int64_t *token_id);
/* Sets last_used = now. */
int store_token_touch(struct store *st, int64_t id, int64_t now);
/* Revokes a token by id. STORE_ENOTFOUND if no such live token. */
int store_token_revoke(struct store *st, int64_t id, int64_t now);
/* Tokens (id, user_id, username, name, created_at, last_used, revoked_at) as an array;
 * user_id 0 = all. */
int store_token_list(struct store *st, int64_t user_id, json_t **out);

/* ---- information systems ---- */
/* Inserts a system (keys: name, description, owner_org_id, operator_org_id, level,
 * central_hosted, critical, plan_updated_at, assets: [{kind, value}]). Sets *id. */
int store_system_create(struct store *st, const json_t *sys, int64_t *id);
/* Reads one system with owner_name, operator_name and its assets array. */
int store_system_get(struct store *st, int64_t id, json_t **out);
/* What access needs of a system. */
int store_system_access(struct store *st, int64_t id, struct ac_system *out);
/* Systems within the scope (access_system_scope), ordered by id, as an array. */
int store_system_list(struct store *st, const struct ac_scope *scope, json_t **out);
/* Updates given keys (as in create; assets replaces the whole list) if version matches. */
int store_system_update(struct store *st, int64_t id, int64_t version, const json_t *fields);

/* ---- incidents ---- */
/* Inserts an incident (keys: org_id, title, grp, type, severity, severity_rank, status, tlp (int),
 * is_drill, detected_at, reported_at, description, impact, actions_taken, form (object),
 * created_by, systems: [ids]) with ref "UC-<year of detected_at>-<6-digit per-year counter>",
 * and indexes its folded text for search. Sets *id, and ref (size >= 32) when not NULL. */
int store_incident_create(struct store *st, const json_t *inc, int64_t *id, char *ref);
/* Reads one incident with org_name, org_code, flags (comma-separated codes), state_changed_at,
 * systems: [{id, name, level, central_hosted, critical}], orgs: [{org_id, name, role, reason}]. */
int store_incident_get(struct store *st, int64_t id, json_t **out);
/* What access needs of an incident for the subject's organisation (participant = the org is in
 * incident_orgs). STORE_ENOTFOUND if no such incident. */
int store_incident_access(struct store *st, int64_t id, int64_t subject_org_id,
			  struct ac_incident *out);
/* Current status code and version of an incident (status size >= 48). */
int store_incident_state(struct store *st, int64_t id, char *status, size_t statussz,
			 int64_t *version);

struct store_incident_filter {
	const char *status;    /* NULL or a state code */
	int min_rank;          /* 0 or minimum severity rank */
	const char *severity;  /* NULL or a severity code */
	const char *grp;       /* NULL or a group code */
	int64_t org_id;        /* 0 or the reporting organisation */
	int64_t from, to;      /* 0 or detected_at bounds, inclusive from, exclusive to */
	int drill;             /* -1 any, 0 real only, 1 drills only */
	const char *q;         /* NULL or free text, folded by the store */
	int64_t before_id;     /* keyset cursor: only ids below this; 0 = from the newest */
	int limit;             /* 1..200 */
};
/* Incidents within the scope that match the filter, newest first (id descending), as an array
 * of list rows (id, ref, title, org_id, org_name, grp, type, severity, status, tlp, is_drill,
 * detected_at, reported_at, created_at, updated_at). *next is the cursor for the next page, 0
 * when this was the last. */
int store_incident_list(struct store *st, const struct ac_scope *scope,
			const struct store_incident_filter *f, json_t **out, int64_t *next);
/* Updates the given keys (title, grp, type, severity, severity_rank, status, tlp, is_drill,
 * detected_at, reported_at, closed_at, description, impact, actions_taken, form, systems) if
 * version matches (0 = any); bumps version, updated_at, and re-indexes the text. */
int store_incident_update(struct store *st, int64_t id, int64_t version, const json_t *fields);
/* Names an organisation on an incident (idempotent: an existing row is kept). */
int store_incident_add_org(struct store *st, int64_t incident_id, int64_t org_id,
			   const char *reason);

/* ---- journal, requests, attachments ---- */
/* Appends a journal entry (kind: comment, status, request, answer, escalation, attachment,
 * export, ...). data may be NULL. Sets *id when not NULL. */
int store_journal_add(struct store *st, int64_t incident_id, const char *kind, int64_t author_id,
		      int64_t org_id, const char *body, const json_t *data, int64_t *id);
/* Journal entries of an incident, oldest first, with author_name and org_name. */
int store_journal_list(struct store *st, int64_t incident_id, json_t **out);
/* Inserts a coordination request (keys: incident_id, from_org_id, to_org_id, kind, body,
 * status, due_at, created_by). Sets *id. */
int store_request_create(struct store *st, const json_t *req, int64_t *id);
/* Reads a request with from_name and to_name. */
int store_request_get(struct store *st, int64_t id, json_t **out);
/* Sets status, answer, answered_by and answered_at of a request. */
int store_request_answer(struct store *st, int64_t id, const char *status, const char *answer,
			 int64_t user_id, int64_t now);
/* Requests of an incident, oldest first. */
int store_request_list(struct store *st, int64_t incident_id, json_t **out);
/* Records an attachment stored at files/<sha256>. Sets *id. */
int store_attachment_add(struct store *st, int64_t incident_id, const char *sha256,
			 const char *name, const char *mime, int64_t size, int64_t user_id,
			 int64_t *id);
/* Reads one attachment row (id, incident_id, sha256, name, mime, size, uploaded_by, created_at). */
int store_attachment_get(struct store *st, int64_t id, json_t **out);
/* Attachments of an incident, oldest first. */
int store_attachment_list(struct store *st, int64_t incident_id, json_t **out);

/* ---- audit trail (hash chain) ---- */
struct store_audit {
	int64_t user_id;        /* 0 for the system or an unknown user */
	const char *username;   /* as typed for failed logins; "" for the system */
	const char *ip;
	const char *action;     /* "login", "login_failed", "lockout", "incident.create", ... */
	const char *object_type;
	int64_t object_id;
	const json_t *before;   /* NULL or the record before */
	const json_t *after;    /* NULL or the record after */
};
/* Appends an audit entry at time now: before/after serialised compactly with sorted keys;
 * hash = BLAKE2b(prev_hash || canonical line of the entry), prev_hash of the first entry is 64
 * zeros. Must be called inside the caller's transaction. */
int store_audit_append(struct store *st, const struct store_audit *e, int64_t now);
/* Audit entries newest first, id below before_id (0 = newest), at most limit, optionally only
 * of one object_type/object_id or user; *next as for incidents. */
int store_audit_list(struct store *st, int64_t before_id, int limit, const char *object_type,
		     int64_t object_id, int64_t user_id, json_t **out, int64_t *next);
/* Walks the chain from the first entry. Returns STORE_OK with *bad_id = 0 when intact, or
 * STORE_OK with *bad_id = the first entry whose hash or link does not match; *count = entries. */
int store_audit_verify(struct store *st, int64_t *bad_id, int64_t *count);

/* ---- escalations (jobs/ sweep and api/ transitions) ---- */
struct store_firing {
	int64_t incident_id;
	const struct preset_escalation *rule;
	int64_t subject_id;       /* the request for REQUEST triggers, else 0 */
	const char *text;         /* journaled: what fired and its legal source */
	int64_t now;
};
/* Ids of the candidates of a time-based rule (incidents, or requests when q->requests) that the
 * rule has not fired for yet, at most max. */
int store_escalation_candidates(struct store *st, const struct esc_query *q, int64_t *ids,
				size_t max, size_t *n);
/* Fires a rule once: records the firing (unique per incident, rule and subject, so a second
 * sweep or a concurrent one does nothing: *fired = false), journals it, and for each target
 * organisation (roles; the coordinator named in meta; the owner's superior; the owner) either
 * opens a coordination request from the coordinator or queues a notification in the outbox; the
 * targets are named on the incident. Call inside the caller's transaction. */
int store_escalation_fire(struct store *st, const struct store_firing *f, bool *fired);
/* Escalation firings of an incident, oldest first (rule, subject_id, fired_at). */
int store_escalation_list(struct store *st, int64_t incident_id, json_t **out);
/* For a REQUEST firing: the incident of request id. */
int store_request_incident(struct store *st, int64_t request_id, int64_t *incident_id);

/* Moves the coordinator role from old_id to new_id: the new one is named on every open incident
 * (status not in final_states) the old one was named on, takes over the open requests the old one
 * sent, each open incident's journal records the handover (text), and meta coordinator_org_id
 * changes. Sets how many incidents and requests were re-routed. Call inside a transaction. */
int store_handover(struct store *st, int64_t old_id, int64_t new_id, const char *const *final_states,
		   size_t nfinal, const char *text, int64_t now, int64_t *incidents,
		   int64_t *requests);

/* ---- statistics (dashboard, bulletins) and the requests inbox ---- */
struct store_stats_filter {
	int64_t from, to; /* detected_at window */
	int drill;        /* -1 all, 0 real incidents only, 1 drills only */
	bool open_only;   /* not closed */
};
/* Counts of the incidents in scope: open, by_severity [{code, rank, count}], by_status,
 * by_group, by_month [{month "2026-11" (Vietnam time), group, count}], by_org, drills, and
 * open_by_severity, open_by_status (not closed, whenever detected in the window). */
int store_stats_summary(struct store *st, const struct ac_scope *sc,
			const struct store_stats_filter *f, json_t **out);
/* Requests to (inbox) or from an organisation, newest first, with incident ref and title and
 * both organisations' names; status NULL = any. */
int store_request_box(struct store *st, int64_t org_id, bool inbox, const char *status,
		      json_t **out);

/* ---- periodic duties ---- */
/* The registry duty generation needs: organisations (with who holds the coordinator role) and
 * systems. Arrays are malloc'd; the caller frees them. */
int store_duty_registry(struct store *st, struct duty_org **orgs, size_t *norgs,
			struct duty_system **systems, size_t *nsystems);
/* Brings the calendar in line with the duties due in [from, to): inserts missing instances,
 * revives cancelled ones, and cancels pending ones in that window that are no longer due
 * (a system's level went down, a system was removed from the critical list). Instances already
 * done, or due before `from`, are history and never touched. Sets *added and *cancelled. */
int store_duty_sync(struct store *st, const struct preset *p, int64_t from, int64_t to,
		    int64_t now, int64_t *added, int64_t *cancelled);
/* store_duty_sync over duty_window(now, meta calendar_start). */
int store_duty_sync_window(struct store *st, const struct preset *p, int64_t now, int64_t *added,
			   int64_t *cancelled);
struct store_duty_filter {
	int64_t org_id;      /* 0 = all */
	const char *status;  /* NULL, "pending", "done", "cancelled", "overdue" */
	const char *duty;    /* NULL or a duty code */
	int64_t from, to;    /* due_at window; 0 = open */
	int limit;           /* 1..1000 */
};
/* Duty instances (id, duty, org_id, org_name, system_id, system_name, due_at, status, done_at,
 * done_by, note, evidence count), by due date. */
int store_duty_list(struct store *st, const struct store_duty_filter *f, int64_t now,
		    json_t **out);
/* Reads one duty instance with its evidence list. */
int store_duty_get(struct store *st, int64_t id, json_t **out);
/* Marks a pending instance done. STORE_ECONFLICT when it is not pending. */
int store_duty_done(struct store *st, int64_t id, int64_t user_id, const char *note, int64_t now);
/* Attaches evidence stored at files/<sha256> to an instance. Sets *id. */
int store_duty_evidence_add(struct store *st, int64_t duty_id, const char *sha256,
			    const char *name, const char *mime, int64_t size, int64_t user_id,
			    int64_t now, int64_t *id);
/* Compliance per organisation for instances due in [from, to): org_id, org_name, due, done_on_time,
 * done_late, overdue (pending past due), pending (not yet due); and per duty the late orgs. */
int store_duty_compliance(struct store *st, int64_t from, int64_t to, int64_t now, json_t **out);

/* ---- idempotency keys ---- */
/* Finds a stored response for (user_id, key). STORE_ENOTFOUND if none; otherwise *status,
 * *body (malloc'd, caller frees), location (size >= 256) and request_hash (size >= 65). */
int store_idem_get(struct store *st, int64_t user_id, const char *key, int *status, char **body,
		   char *location, char *request_hash);
/* Stores the response for (user_id, key). */
int store_idem_put(struct store *st, int64_t user_id, const char *key, const char *request_hash,
		   int status, const char *location, const char *body, int64_t now);

/* ---- official documents (api/documents.c, cli/export.c; migration 004) ---- */
struct store_document {
	const char *kind;     /* "report", "closing", "summary", "bulletin" */
	const char *ref;      /* the reference printed on the document ("TL-..."), unique */
	int64_t incident_id;  /* 0 when the document is not of one incident */
	const json_t *params; /* NULL or an object: what was asked (period, organisation, format) */
	const char *sha256;   /* hex SHA-256 of the file handed out */
	int64_t size;         /* bytes */
	int64_t created_by;   /* the user; 0 for a command-line export */
	int64_t created_at;
};
/* Records a generated document. Sets *id. STORE_ECONFLICT if ref is taken. */
int store_document_add(struct store *st, const struct store_document *d, int64_t *id);
/* Documents newest first, at most limit (1..200): of one incident (incident_id != 0), with that
 * sha256 or ref (non-NULL, non-empty), or all. Rows: id, kind, ref, incident_id, incident_ref,
 * params (object), sha256, size, created_by, created_by_name, created_at. Caller decrefs. */
int store_document_list(struct store *st, int64_t incident_id, const char *sha256,
			const char *ref, int limit, json_t **out);
struct store_summary_filter {
	int64_t from, to;  /* detected_at window, inclusive from, exclusive to */
	int64_t org_id;    /* 0 = every organisation in scope (the whole province) */
	const char *grp;   /* the group of the table's rows ("attack"); NULL or "" = any */
	int max_tlp_text;  /* closing-form proposals are given of incidents up to this TLP */
};
/* The figures of the half-year / yearly summary (TT 20/2017 Mẫu 05) over the real (not drill)
 * incidents in scope: types [{type, count, with_help, national, alone, foreign_help, damage}],
 * helpers [{org_id, name, role, count}] (organisations that answered a request), proposals
 * [{ref, tlp, text}] (closing forms, at most 50), drills (any group, counted apart),
 * other_groups (real incidents of other groups). *out: caller decrefs. */
int store_document_summary(struct store *st, const struct ac_scope *sc,
			   const struct store_summary_filter *f, json_t **out);
/* The quarterly bulletin's counts of the incidents in scope detected in [from, to), in one pass:
 * by_group, by_severity [{code, count}], by_month [{month "2026-07" (Vietnam time), group,
 * count}], by_org [{org_id, org_name, count}], total and open (real incidents), drills (apart).
 * *out: caller decrefs. */
int store_document_counts(struct store *st, const struct ac_scope *sc, int64_t from, int64_t to,
			  json_t **out);

/* ---- notification outbox (src/store/sqlite_outbox.c; docs/mail.md) ---- */
/* One outbox row as the sender sees it. */
struct store_outbox_row {
	int64_t id;
	char event[32];       /* "incident_reported", "request", "answer", "escalation" */
	int64_t org_id;       /* the organisation told */
	int64_t user_id;      /* not 0: addressed to this user's own e-mail (digest), no webhook */
	int64_t incident_id;  /* 0 when none */
	char payload[2048];   /* JSON object text */
	int64_t created_at;
	int64_t attempts;     /* sending attempts so far */
	int64_t next_at;      /* not before this time (the claim lease or the retry backoff) */
};
/* Queues a notification of event to org_id about an incident (request_id 0 when none goes in
 * the payload). Call inside the transaction of the event itself. */
int store_outbox_add(struct store *st, const char *event, int64_t org_id, int64_t incident_id,
		     int64_t request_id, int64_t now);
/* The oldest row due at now (not sent, next_at <= now, attempts < max_attempts) into *out.
 * STORE_ENOTFOUND when none. */
int store_outbox_next(struct store *st, int64_t now, int max_attempts,
		      struct store_outbox_row *out);
/* Claims row id for one attempt: attempts + 1 and next_at = lease_until, only if it is unsent and
 * its next_at is still seen_next_at (STORE_ECONFLICT when another sender took it). Commit the
 * claim before sending. */
int store_outbox_claim(struct store *st, int64_t id, int64_t seen_next_at, int64_t lease_until);
/* Records the outcome of an attempt: sent_at (0 = not sent), next_at when > 0 (a retry time),
 * and the error text ("" on success). */
int store_outbox_mark(struct store *st, int64_t id, int64_t sent_at, int64_t next_at,
		      const char *error);
/* The newest rows (id, event, org_id, incident_id, attempts, next_at, sent_at, created_at,
 * error), at most limit, as a new array. */
int store_outbox_list(struct store *st, int limit, json_t **out);

/* ---- webhooks (src/store/sqlite_outbox.c, migration 005; docs/mail.md) ---- */
/* Sets (insert or replace) the webhook of an organisation: https/http URL and HMAC secret. */
int store_webhook_set(struct store *st, int64_t org_id, const char *url, const char *secret,
		      bool active, int64_t now);
/* Changes the URL and active flag of an organisation's webhook, keeping its secret. */
int store_webhook_update(struct store *st, int64_t org_id, const char *url, bool active,
			 int64_t now);
/* The webhook of an organisation (url, active, created_at, updated_at; never the secret) with its
 * last 50 deliveries. STORE_ENOTFOUND when it has none. */
int store_webhook_get(struct store *st, int64_t org_id, json_t **out);
/* A claimed webhook delivery: the outbox row and the organisation's hook. */
struct store_hook_row {
	struct store_outbox_row row;
	char url[1024];
	char secret[256];
};
/* The oldest outbox row due for a webhook (an active hook of its organisation created no later
 * than the row, hook not sent, hook_next_at <= now, hook_attempts < max), claimed like
 * store_outbox_claim: hook_attempts + 1, hook_next_at = now + lease * 2^attempts (at most 6 h).
 * STORE_ENOTFOUND when none. Call inside a transaction and commit before posting. */
int store_hook_claim(struct store *st, int64_t now, int max_attempts, int64_t lease,
		     struct store_hook_row *out);
/* Records one webhook attempt in the delivery log, and hook_sent_at = sent_at when the
 * receiver accepted it (2xx), or hook_next_at = next_at when next_at > 0. */
int store_hook_mark(struct store *st, const struct store_hook_row *h, int status,
		    const char *error, int64_t sent_at, int64_t next_at, int64_t now);

/* ---- duty reminders and the weekly digest (src/store/sqlite_notify.c, migration 006) ---- */
/* A pending duty instance that may be due a reminder. */
struct store_reminder_cand {
	int64_t duty_id;
	int64_t org_id;
	int64_t due_at;
};
/* Pending duty instances due in [from, to] with id > after_id, by id, at most max, into out;
 * *n = how many. */
int store_reminder_candidates(struct store *st, int64_t from, int64_t to, int64_t after_id,
			      struct store_reminder_cand *out, size_t max, size_t *n);
/* Queues reminder `kind` of instance c (an outbox row 'duty_reminder' to its organisation, with
 * payload {duty_id, kind, days}) unless that kind was already queued for it: the key
 * (duty, kind) is unique, so *queued is false the second time. Call inside a transaction. */
int store_duty_remind(struct store *st, const struct store_reminder_cand *c, const char *kind,
		      int days, int64_t now, bool *queued);
/* A leader who may get the digest. */
struct store_digest_user {
	int64_t user_id;
	int64_t org_id;
	int org_role; /* enum org_role of the user's organisation */
};
/* Active users with the leader role and an e-mail who did not switch the digest off, id >
 * after_id, by id, at most max. */
int store_digest_recipients(struct store *st, int64_t after_id, struct store_digest_user *out,
			    size_t max, size_t *n);
/* What one digest counts. */
struct store_digest_query {
	const struct ac_scope *scope;   /* incidents the reader may read */
	int64_t org_id;                 /* requests and duties of this organisation; 0 = all */
	int64_t week_start, now;        /* "new this week": created in [week_start, now) */
	int64_t duty_ahead;             /* duties due in [now, now + duty_ahead) */
	const struct esc_query *clocks; /* one per clock of the preset (escalation_query) */
	size_t nclocks;
};
/* The digest figures as a new object: open, by_severity [{code, count}], new_week,
 * overdue_clocks, pending_requests, duties_due, duties_overdue. Caller decrefs. */
int store_digest_counts(struct store *st, const struct store_digest_query *q, json_t **out);
/* Queues the digest of user_id for ISO week `week` ("2026-W47") with the payload (JSON object
 * text) unless it was already queued: (user, week) is unique. Call inside a transaction. */
int store_digest_queue(struct store *st, int64_t user_id, int64_t org_id, const char *week,
		       const char *payload, int64_t now, bool *queued);

/* ---- per-user notification preferences (sqlite_notify.c; core/notify.h) ---- */
/* The events a user chose a mode for, as a new object {event: mode} (absent = the default),
 * and the version of those choices (the ETag). STORE_ENOTFOUND for an unknown user. */
int store_notify_get(struct store *st, int64_t user_id, json_t **modes, int64_t *version);
/* Sets the modes of the events in `modes` ({event: mode}, validated by the caller) if the
 * version is still `version` (0 = any), and bumps it. STORE_ECONFLICT on a version mismatch. */
int store_notify_set(struct store *st, int64_t user_id, int64_t version, const json_t *modes);
/* An organisation's notification to fan out to its people, with those people. */
#define STORE_FANOUT_MAX 512
struct store_fanout_user {
	int64_t user_id;
	unsigned roles;
	char email[256]; /* lower case; never the organisation's own contact address */
	char mode[16];   /* what they chose for the event, "" = nothing */
};
struct store_fanout {
	int64_t id;       /* the outbox row */
	char event[32];
	int64_t org_id;
	int org_role;     /* enum org_role */
	struct store_fanout_user users[STORE_FANOUT_MAX];
	size_t n;
};
/* The oldest outbox row of an organisation not yet fanned out, and the organisation's active
 * users with an e-mail other than its contact address (at most STORE_FANOUT_MAX, by id).
 * STORE_ENOTFOUND when none. f is large: allocate it. */
int store_fanout_next(struct store *st, struct store_fanout *f);
/* Queues a copy of row parent_id to user_id (sent to their own address) unless one was queued
 * already ((parent, user) is unique): *added. Call inside a transaction. */
int store_fanout_add(struct store *st, int64_t parent_id, int64_t user_id, int64_t now,
		     bool *added);
/* Marks row id as fanned out. */
int store_fanout_done(struct store *st, int64_t id);

/* ---- e-mail intake (src/store/sqlite_outbox.c; `ungcuu mailgate`) ---- */
/* The id of the incident with reference ref ("UC-2026-000123"). STORE_ENOTFOUND if none. */
int store_incident_by_ref(struct store *st, const char *ref, int64_t *id);
/* Who an e-mail address belongs to: an active user with that e-mail (*user_id and their
 * *org_id), else an organisation whose contact e-mail it is (*user_id 0); case-insensitive.
 * STORE_ENOTFOUND (both 0) when nobody. */
int store_mail_sender(struct store *st, const char *addr, int64_t *user_id, int64_t *org_id);
/* STORE_OK when the incident's journal already has the e-mail with this Message-ID,
 * STORE_ENOTFOUND when not. */
int store_mail_seen(struct store *st, int64_t incident_id, const char *message_id);
/* STORE_OK when a report by e-mail ([TBSC]) with this Message-ID was already stored (its
 * journal entry), STORE_ENOTFOUND when not. */
int store_mail_report_seen(struct store *st, const char *message_id);
/* The account reports by e-mail from unknown senders are attributed to ("mailgate.intake", no
 * roles, never active), created in org_id on first use. Call inside a transaction. */
int store_intake_user(struct store *st, int64_t org_id, int64_t now, int64_t *id);

#endif
