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
 * One read is also written as JSON text (util/jsonw) with the same conventions, for the answer
 * asked for most: store_incident_write.
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
#include "core/codes.h"
#include "core/duty.h"
#include "core/escalation.h"
#include "core/finding.h"
#include "core/preset.h"
#include "util/jsonw.h"

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

/* Opens DIR/ungcuu.db: WAL, foreign keys on, busy timeout 5 s, synchronous=FULL (a commit
 * survives a kill -9 and a power loss; UNGCUU_SYNC=normal survives a kill -9 only). Unless STORE_READONLY, applies
 * pending numbered migrations in one transaction each. Returns STORE_OK and *out (free with
 * store_close), or an error (the message is logged). */
int store_open(const char *dir, int mode, struct store **out);
/* Closes the connection and its cached statements. NULL is fine. */
void store_close(struct store *st);
/* Starts a write transaction (BEGIN IMMEDIATE, so the write lock is taken up front). A read
 * transaction still open on this connection is ended first. */
int store_begin(struct store *st);
/* Starts a read transaction, so the statements of one request see one snapshot and take the
 * database's locks once instead of once each. Ends with store_read_end or store_begin. A no-op
 * when a transaction is already open. */
int store_read_begin(struct store *st);
/* Ends the read transaction store_read_begin opened; a no-op when there is none. */
void store_read_end(struct store *st);
/* Inside an open write transaction holding the writes of several requests (api/batch.c): starts
 * one request's part, keeps it (release), or undoes it alone (rollback). */
int store_part_begin(struct store *st);
int store_part_release(struct store *st);
void store_part_rollback(struct store *st);
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
/* Sets *other_id to an organisation other than except_id (0 = none excepted) whose name is name,
 * compared folded (case and diacritics dropped, util/fold.h) with runs of spaces made one and
 * none at the ends, so "cong an tinh  Binh Minh" is "Công an tỉnh Bình Minh"; 0 when none. */
int store_org_name_taken(struct store *st, const char *name, int64_t except_id,
			 int64_t *other_id);
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
	bool org_coordinator;       /* the organisation is the coordinator (meta coordinator_org_id) */
	int64_t totp_roles_setting; /* meta totp_required_roles, -1 when unset or not a number */
	bool totp_enforce;          /* meta totp_enforce is "1" */
	int64_t token_id;           /* store_user_auth_by_token only: the token's id, */
	int64_t token_last_used;    /* and when it was last used (0 never) */
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
/* Fills *out for the user of an API token given by its hash, unless the token is revoked
 * (STORE_ENOTFOUND). */
int store_user_auth_by_token(struct store *st, const char *token_hash, struct store_user_auth *out);
/* Reserves one login attempt before its password is checked, so that at most max passwords are
 * checked per lock window however many logins run at once (001 Đ8: locked after 5 failures).
 * One conditional UPDATE counts the attempt as failed in advance (failed_logins + 1; a lock that
 * ran out starts the count again at 1) unless the account is locked at now; the attempt that
 * reaches max locks the account until lock_until. A success resets (store_user_login_ok).
 * STORE_OK with *attempt = 1..max and *locked_until as written; STORE_ECONFLICT when the account
 * is locked, *locked_until = until when; STORE_ENOTFOUND for no such account. */
int store_user_login_reserve(struct store *st, int64_t id, int64_t now, int max,
			     int64_t lock_until, int *attempt, int64_t *locked_until);
/* Gives back a reserved attempt whose password was right but that did not log in (second factor
 * missing, account disabled): failed_logins - 1, and the lock its reservation took, if it took
 * one (the count falls below max), is lifted. */
int store_user_login_release(struct store *st, int64_t id, int max);
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
/* Sets last_used = now. */
int store_token_touch(struct store *st, int64_t id, int64_t now);
/* Revokes a token by id. STORE_ENOTFOUND if no such live token. */
int store_token_revoke(struct store *st, int64_t id, int64_t now);
/* Tokens (id, user_id, username, org_id, name, created_at, last_used, revoked_at) as an array;
 * user_id 0 = all. */
int store_token_list(struct store *st, int64_t user_id, json_t **out);

/* ---- information systems ---- */
/* Inserts a system (keys: name, description, owner_org_id, operator_org_id, level,
 * central_hosted, critical, plan_updated_at, assets: [{kind, value}] (canonical values),
 * products: [{vendor, product, version}]). Sets *id. */
int store_system_create(struct store *st, const json_t *sys, int64_t *id);
/* Reads one system with owner_name, operator_name, its assets and products arrays. */
int store_system_get(struct store *st, int64_t id, json_t **out);
/* What access needs of a system. */
int store_system_access(struct store *st, int64_t id, struct ac_system *out);
/* Systems within the scope (access_system_scope), ordered by id, as an array. */
int store_system_list(struct store *st, const struct ac_scope *scope, json_t **out);
/* Updates given keys (as in create; assets and products replace the whole list) if version
 * matches. */
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
/* What the API decides with about an incident read as text (store_incident_write). */
struct store_incident_head {
	int64_t version, detected_at, created_at; /* the reporting organisation is in ac.org_id */
	char status[PRESET_CODE];
	char severity[PRESET_CODE];
	bool central_hosted; /* one of its systems is hosted at the provincial data centre */
	int64_t told_at[ORG_ROLE_COUNT]; /* the first telling of each role (0: never), the facts
					  * its clocks are met by (migration 015) */
};
/* store_incident_get and store_incident_access in one read, for a reader who may not see the
 * incident, written as text: the record's members into the object open in w (the keys of
 * store_incident_get, but "group" for grp and flags as a list of codes), *head and *ac. Decide
 * on *ac before showing what w wrote. On error w holds a partial text to discard. */
int store_incident_write(struct store *st, int64_t id, int64_t subject_org_id, struct jsonw *w,
			 struct store_incident_head *head, struct ac_incident *ac);
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
	const struct msg *words;  /* journaled and notified as facts (util/msg_json.h): what
				   * fired, its source beside it, cited by the reader */
	const char *text;         /* the body of a REQUEST action's requests: the words in
				   * Vietnamese, the data's language */
	int64_t now;
};
/* Ids of the candidates of a time-based rule (incidents, or requests when q->requests) that the
 * rule has not fired for yet, at most max. */
int store_escalation_candidates(struct store *st, const struct esc_query *q, int64_t *ids,
				size_t max, size_t *n);
/* ---- who was told of an incident (src/store/sqlite_told.c, migration 015) ---- */
/* A report of an incident made outside the platform, as a person records it. */
struct store_told {
	int64_t incident_id, org_id; /* the organisation told */
	int64_t at;                  /* when it was told (the letter's date and time) */
	const char *how;             /* letter, fax, phone, email, meeting */
	const char *ref;             /* the letter's number, or NULL */
	const char *note;            /* or NULL */
	int64_t attachment_id;       /* the evidence (an attachment of the incident), or 0 */
	int64_t recorded_by, recorded_at;
};
/* Records t, with the organisation's role now ("coordinator" for the coordinator's). *id: the
 * row. STORE_ENOTFOUND when the organisation does not exist. */
int store_told_add(struct store *st, const struct store_told *t, int64_t *id);
/* Every telling of an incident, first first: {id, org_id, org_name, role, told_at, how, ref,
 * note, attachment_id, attachment_name, outbox_id, event (the notification's, or null),
 * recorded_by, recorded_by_name, recorded_at}. *out: a new array (caller decrefs). */
int store_told_list(struct store *st, int64_t incident_id, json_t **out);
/* Fires a rule once: records the firing (unique per incident, rule and subject, so a second
 * sweep or a concurrent one does nothing: *fired = false), journals it, and for each target
 * organisation (roles; the coordinator named in meta; the owner's superior; the owner) either
 * opens a coordination request from the coordinator or queues a notification in the outbox; the
 * targets are named on the incident. Call inside the caller's transaction. */
int store_escalation_fire(struct store *st, const struct store_firing *f, bool *fired);
/* Escalation firings of an incident, oldest first (rule, subject_id, fired_at), written to w as
 * an array. */
int store_escalation_write(struct store *st, int64_t incident_id, struct jsonw *w);
/* For a REQUEST firing: the incident of request id. */
int store_request_incident(struct store *st, int64_t request_id, int64_t *incident_id);

/* Moves the coordinator role from old_id to new_id: the new one is named on every open incident
 * (status not in final_states) the old one was named on, takes over the unfinished requests
 * (open, accepted) the old one sent, except those sent to new_id itself, which become
 * "superseded"; each open incident's journal records the handover (words stored as facts in its
 * data, util/msg_json.h; note, what a person wrote, as its body), and meta coordinator_org_id
 * changes. Sets how many incidents and requests were re-routed and how many requests were
 * superseded. Call inside a transaction. */
int store_handover(struct store *st, int64_t old_id, int64_t new_id, const char *const *final_states,
		   size_t nfinal, const struct msg *words, const char *note, int64_t now,
		   int64_t *incidents, int64_t *requests, int64_t *superseded);

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
/* Notes that user_id read the document keyed doc (kind, incident, parameters) in hour
 * (floor(time / 3600)); forgets earlier hours. *first is true for the first read of that user,
 * document and hour, false for a repeat: the caller audits only the first. Call it in the write
 * transaction that appends the audit entry (migration 013). */
int store_document_read(struct store *st, int64_t user_id, const char *doc, int64_t hour,
			bool *first);
/* Documents newest first, at most limit (1..200): of one incident (incident_id != 0), with that
 * sha256 or ref (non-NULL, non-empty), or all. Rows: id, kind, ref, incident_id, incident_ref,
 * params (object), sha256, size, created_by, created_by_name, created_at. Caller decrefs. */
/* One document as a row of store_document_list; STORE_ENOTFOUND if none. Caller decrefs. */
int store_document_get(struct store *st, int64_t id, json_t **out);
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
 * count}], by_org [{org_id, org_name, count}] of the real incidents up to max_tlp_named,
 * restricted (the real incidents above it, counted without their organisation), total and
 * open (real incidents), drills (apart). *out: caller decrefs. */
int store_document_counts(struct store *st, const struct ac_scope *sc, int64_t from, int64_t to,
			  int max_tlp_named, json_t **out);
/* The bulletin's notable incidents: the real incidents in scope detected in [from, to) up to
 * max_tlp, most severe first (severity_rank), newest first within one, at most limit (1..200).
 * Rows: ref, title, org_name, type, severity, status, tlp (its code), detected_at. *out: caller
 * decrefs. */
/* The warnings issued in [from, to) (status issued, closed or withdrawn; drafts never were):
 * {"total": n, "restricted": n above max_tlp, "items": [ref, title, severity, issuer_name,
 * issued_at, targets, acked] of those up to max_tlp, oldest first, at most limit (1..200)}.
 * *out: caller decrefs. */
int store_document_warnings(struct store *st, int64_t from, int64_t to, int max_tlp, int limit,
			    json_t **out);
int store_document_notable(struct store *st, const struct ac_scope *sc, int64_t from, int64_t to,
			   int max_tlp, int limit, json_t **out);

/* ---- warnings, indicators, matching (src/store/sqlite_warning.c, sqlite_match.c; migrations
 * 007 and 010; docs/warnings.md) ----
 * Warning rows come out with tlp as its code, refs, products and target as embedded JSON, times
 * as ISO strings (0 -> null) like every row. Indicator values are canonical (core/indicator.h):
 * callers normalise before storing. Owner kinds are "incident" and "warning". */
/* Inserts a draft warning (keys: issuer_org_id, title, description, severity, severity_rank,
 * tlp (int), legal_basis, refs (array), products (array), actions, due_at, target (object),
 * source, stix_id, created_by, indicators: [{kind, value}] canonical) with ref
 * "CB-<year, Vietnam time>-<6-digit per-year counter>". Sets *id, and ref (size >= 32) when not
 * NULL. STORE_EINVAL on a missing required key or a bad reference. */
int store_warning_create(struct store *st, const json_t *w, int64_t *id, char *ref);
/* Reads one warning with issuer_name and indicators [{id, kind, value, source, note}]. */
int store_warning_get(struct store *st, int64_t id, json_t **out);
/* The warning with stix_id or ref sid (imports: is it known already?). Sets *id;
 * STORE_ENOTFOUND when none. */
int store_warning_find(struct store *st, const char *stix_id, const char *ref, int64_t *id);
/* What access needs of a warning, for the subject's organisation. STORE_ENOTFOUND if none. */
int store_warning_access(struct store *st, int64_t id, int64_t subject_org_id,
			 struct ac_warning *out);
struct store_warning_filter {
	const char *status;    /* NULL or draft|issued|closed|withdrawn */
	int64_t issuer_org_id; /* 0 or the issuing organisation */
	const char *severity;  /* NULL or a severity code */
	bool mine;             /* only warnings targeted at the subject's organisation */
	int64_t before_id;     /* keyset cursor; 0 = from the newest */
	int limit;             /* 1..200 */
};
/* Warnings within the scope (access_warning_scope), newest first: id, ref, title, severity,
 * tlp, status, issuer_org_id, issuer_name, due_at, issued_at, created_at, targets (count),
 * acked (count), and for the subject's organisation my_reason, my_acked_at, my_responded_at,
 * my_open (systems without a final status). *next as for incidents. */
int store_warning_list(struct store *st, const struct ac_scope *scope,
		       const struct store_warning_filter *f, json_t **out, int64_t *next);
/* Updates the given keys (as in create but issuer, source and created_by; indicators replaces
 * the list) if version matches (0 = any); bumps version and updated_at. */
int store_warning_update(struct store *st, int64_t id, int64_t version, const json_t *fields);
/* Sets status (issued: also issued_at) and bumps version. */
int store_warning_set_status(struct store *st, int64_t id, const char *status, int64_t now);
/* Issues a draft in the caller's transaction: computes the targets of its target object
 * ({"mode": "all"} every active organisation but the issuer; {"mode": "roles", "roles": [codes]};
 * {"mode": "orgs", "orgs": [ids]}; {"mode": "match"} the owners and operators of the systems whose
 * assets or products match), records for each targeted organisation its matched systems and why
 * (warning_systems.matched), writes one outbox row (event "warning") per target, links related
 * incidents and warnings, and sets status issued. *targets and *systems count what was written. */
int store_warning_issue(struct store *st, int64_t id, int64_t now, int64_t *targets,
			int64_t *systems);
/* Records that org_id acknowledged (first time only), by user_id. STORE_ENOTFOUND when org_id is
 * not a target. */
int store_warning_ack(struct store *st, int64_t warning_id, int64_t org_id, int64_t user_id,
		      int64_t now);
/* Sets (inserting when missing) the status report of system_id of org_id on a warning: keys
 * status, note, evidence_sha256, evidence_name, incident_id (any subset), and recomputes the
 * organisation's responded_at (acknowledged and every system reported). */
int store_warning_report(struct store *st, int64_t warning_id, int64_t system_id, int64_t org_id,
			 const json_t *fields, int64_t user_id, int64_t now);
/* The live table: per target organisation (org_id 0 = all; else that one) org_id, org_name,
 * reason, acked_at, acked_by_name, responded_at, escalated_at, and systems [{system_id, name,
 * status, note, matched (array), evidence_sha256, evidence_name, incident_id, updated_at}]. */
int store_warning_tracking(struct store *st, int64_t warning_id, int64_t org_id, json_t **out);
/* Queues a notification of a warning event ("warning", "warning_overdue") to org_id; payload
 * gets warning_id plus the keys of extra (may be NULL). Call inside the event's transaction. */
int store_warning_notify(struct store *st, const char *event, int64_t org_id, int64_t warning_id,
			 const json_t *extra, int64_t now);
/* The (warning, organisation) pairs late for a "warning_unanswered" rule: issued warnings with a
 * due time before due_before and severity rank >= min_rank whose target has not fully answered
 * and the rule has not fired for; after the pair (after_w, after_o), at most max. */
int store_warning_overdue(struct store *st, const char *rule, int64_t due_before, int min_rank,
			  int64_t after_w, int64_t after_o, int64_t *wids, int64_t *oids,
			  size_t max, size_t *n);
/* Fires rule once for a late organisation (unique per warning, organisation and rule: a second
 * sweep does nothing, *fired false): outbox rows (event "warning_overdue") to the late
 * organisation, the issuer and the rule's role targets (the coordinator named in meta for
 * "coordinator"). Call inside the caller's transaction. */
int store_warning_fire(struct store *st, const struct preset_escalation *rule, int64_t warning_id,
		       int64_t org_id, const struct msg *words, int64_t now, bool *fired);

/* Adds an observable/indicator (canonical_value of kind, as core/indicator.c spells it) to an
 * incident or a warning (owner_kind "incident" or "warning") unless that owner has it already,
 * and links the owner in `related` with every other incident or warning holding a matching
 * indicator. source: "api", "mail", "stix", "misp", "scan". Call inside a transaction. */
int store_indicator_add(struct store *st, const char *owner_kind, int64_t owner_id,
			const char *kind, const char *canonical_value, const char *source,
			int64_t now);
/* Indicators of an owner, oldest first: id, kind, value, source, note, created_at. */
int store_indicator_list(struct store *st, const char *owner_kind, int64_t owner_id,
			 json_t **out);
/* Matches indicators [{kind, value}] (canonical) against the stored indicators and system assets
 * and products [{vendor, product}] against system products. *out = {"systems": [{system_id,
 * name, owner_org_id, operator_org_id, matched: [{asset, indicator, why}]}], "indicators":
 * [{owner_kind, owner_id, value, indicator, why}]}, skipping indicators of (self_kind,
 * self_id). Reads only. */
int store_match(struct store *st, const json_t *indicators, const json_t *products,
		const char *self_kind, int64_t self_id, json_t **out);
/* Records that two items are related (stored once per pair, the smaller (kind, id) first). */
int store_related_add(struct store *st, const char *a_kind, int64_t a_id, const char *b_kind,
		      int64_t b_id, const char *why, int64_t now);
/* Items related to (kind, id): [{kind, id, ref, title, why, tlp, org_id, status}] newest first;
 * the caller filters by access. */
int store_related_list(struct store *st, const char *kind, int64_t id, json_t **out);

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
/* Counts row id as delivered at `at` by e-mail and webhook alike, with no delivery logged: for
 * notifications of a past nobody is to be told of again (the demo's). */
int store_outbox_settle(struct store *st, int64_t id, int64_t at);
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
	int64_t incident_id; /* what it is about: the incident (0 when none), and the payload */
	char payload[2048];  /* (JSON object text: warning_id, duty_id...) */
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
 * STORE_ENOTFOUND (both 0) when nobody; STORE_ECONFLICT (both 0) when several active users
 * have it (whose it is cannot be told: anyone may put any address on their own account). */
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

/* ---- mail quarantine (store/sqlite_quarantine.c, migration 012; docs/mail.md) ---- */
/* Adds a message mailgate did not store. Keys: received_at, sha256 (of the raw message, kept
 * as DATA/files/<sha256>), size, message_id, from_addr, subject, body, kind ("reply",
 * "report"), incident_id (0: none), ref, reason, reason_text, authenticated (bool), auth,
 * user_id, org_id (0: none). Sets *id; STORE_ECONFLICT with *id of the row that already holds
 * these bytes (delivered twice). */
int store_quarantine_add(struct store *st, const json_t *row, int64_t *id);
/* One row with body and sha256, and the names around it: sender_username, sender_org_name,
 * decided_by_username, result_ref. *out: caller decrefs. STORE_ENOTFOUND. */
int store_quarantine_get(struct store *st, int64_t id, json_t **out);
/* Rows (without body and sha256) of status ("" all), id below before (0: from the newest),
 * newest first, at most limit (1..200); *next is the cursor of the next page, 0 at the end. */
int store_quarantine_list(struct store *st, const char *status, int64_t before, int limit,
			  json_t **out, int64_t *next);
/* Decides a pending row: status "accepted" or "rejected", by user_id with note, and where an
 * accepted message went (0: nowhere). STORE_ECONFLICT when it is no longer pending,
 * STORE_ENOTFOUND when there is no such row, STORE_EINVAL for another status. */
int store_quarantine_decide(struct store *st, int64_t id, const char *status, int64_t user_id,
			    const char *note, int64_t result_incident_id, int64_t result_journal_id,
			    int64_t now);

/* ---- backups (store/sqlite_backup.c; the folder and its files: jobs/backup.c) ---- */
/* Writes a consistent, compacted copy of the database to path (VACUUM INTO: one snapshot,
 * writers go on meanwhile). path must not exist. */
int store_backup_into(struct store *st, const char *path);
/* PRAGMA integrity_check: STORE_OK with msg "ok", STORE_EINVAL with the first problem in msg,
 * or another error. */
int store_integrity_check(struct store *st, char *msg, size_t msgsz);
/* Row counts a backup manifest records and a restore compares. */
int store_backup_counts(struct store *st, int64_t *incidents, int64_t *users);
/* ---- vulnerability scans and findings (src/store/sqlite_scan.c, migration 008; docs/scan.md) ---- */
/* One import of a scanner report. */
struct store_scan {
	int64_t system_id;
	const char *scanner;   /* "greenbone", "nmap": findings are closed within one scanner kind */
	const char *format;    /* "gvm-report", "nmap-xml" */
	const char *sha256;    /* the file, stored at files/<sha256> */
	const char *name;
	int64_t size;
	int64_t scanned_at;    /* when the scan ran */
	int64_t ignored;       /* results that are not findings (log level, ports not open) */
	int64_t imported_by;   /* user id, 0 for the command line */
	int64_t now;
};
/* What an import changed. */
struct store_scan_counts {
	int64_t results;   /* findings in the report (after duplicates within it) */
	int64_t created;   /* new findings */
	int64_t seen;      /* known findings seen again (reopened ones included) */
	int64_t reopened;  /* fixed findings that are back */
	int64_t closed;    /* open findings of this system and scanner the scan no longer shows */
};
/* Records an import and applies its findings: a new key is a new open finding; a known one gets
 * last_seen_at (and first_seen_at for an older report) and its details refreshed, and is
 * reopened when it was fixed before this scan; open findings of the system and scanner last seen
 * before scanned_at are closed as fixed ("not seen in a later scan"). Call inside the caller's
 * transaction. Sets *scan_id and *counts. */
int store_scan_import(struct store *st, const struct store_scan *in, const struct finding *items,
		      size_t n, int64_t *scan_id, struct store_scan_counts *counts);
/* Records the duty instances an import marked done (comma-separated ids). */
int store_scan_set_duties(struct store *st, int64_t scan_id, const char *duties);
/* Reads one import (id, system_id, scanner, format, sha256, name, size, scanned_at, results,
 * ignored, new_count, seen_count, reopened_count, closed_count, duties, imported_by,
 * imported_by_name, imported_at). *out: caller decrefs. */
int store_scan_get(struct store *st, int64_t id, json_t **out);
/* Imports of a system, newest scan first, at most limit. *out: caller decrefs. */
int store_scan_list(struct store *st, int64_t system_id, int limit, json_t **out);
/* Findings of a system (status NULL = any), worst first (cvss, then newest). Rows: id,
 * system_id, scanner, fkey, kind, title, cves, cvss, severity, host, port, protocol, service,
 * first_seen_at, last_seen_at, status, status_by, status_by_name, status_at, status_note,
 * closed_at, version. *out: caller decrefs. */
int store_finding_list(struct store *st, int64_t system_id, const char *status, int limit,
		       json_t **out);
/* Reads one finding (as in the list). */
int store_finding_get(struct store *st, int64_t id, json_t **out);
/* Sets the status of a finding by a user with a note, if version matches (0 = any): closed_at is
 * now for any status but open, 0 for open. STORE_ECONFLICT on a version mismatch. */
int store_finding_set_status(struct store *st, int64_t id, int64_t version, const char *status,
			     int64_t user_id, const char *note, int64_t now);
/* The pending instance of duty `duty` for system_id (and org_id, when not 0) due in [from, to),
 * the earliest: the one whose period holds a scan made at `from`. STORE_ENOTFOUND if none. */
int store_duty_pending_for(struct store *st, const char *duty, int64_t system_id, int64_t org_id,
			   int64_t from, int64_t to, int64_t *id);
/* ---- STIX / TAXII exchange (src/store/sqlite_stix.c, migration 009; docs/stix.md) ---- */
/* The instance's STIX namespace: meta stix_namespace, a random UUID made with the data folder
 * (migration 014; only read here), so ids minted from references ("UC-2026-000001") differ
 * between instances. out size >= 37. */
int store_stix_namespace(struct store *st, char *out, size_t outsz);
/* Creates a draft warning with its indicators (an import), in the caller's transaction.
 * w keys: issuer_org_id, title, description, severity, severity_rank, tlp (int), refs (array
 * [{type, value}]), actions, source ("stix:<bundle id>", "misp:<uuid>"), created_by (0 = none).
 * indicators: array of {kind, value, note}, canonical and distinct, stored with source src.
 * The reference is "CB-<year>-<6-digit counter>" (counter warning-<year>). Sets *id and ref
 * (size >= 32). */
int store_stix_warning_create(struct store *st, const json_t *w, const json_t *indicators,
			      const char *src, int64_t *id, char *ref, size_t refsz);
/* Sets the stix_id ("report--<uuid>") of a warning. */
int store_stix_warning_set_stix_id(struct store *st, int64_t id, const char *stix_id);

/* A warning or an incident as the STIX builders read it; strings valid during the callback. */
struct store_stix_warning {
	int64_t id, issuer_org_id, org_created_at, org_updated_at;
	int64_t issued_at, created_at, updated_at, version;
	int tlp;
	const char *ref, *org_code, *org_name, *title, *description, *severity, *refs, *actions,
		*status, *stix_id;
};
struct store_stix_incident {
	int64_t id, org_id, org_created_at, org_updated_at;
	int64_t detected_at, reported_at, created_at, updated_at;
	int tlp;
	const char *ref, *org_code, *org_name, *title, *description, *status, *severity, *grp,
		*type;
};
/* Callbacks of a walk over warnings or incidents and their indicators: warning (or incident)
 * once per row, indicator once per indicator of it (by id), end after its last indicator; in a
 * page walk, org once per issuing (reporting) organisation of the rows in scope, at its own
 * place in the (updated_at, id) order with id = -org id (so its identity comes once). A
 * callback returns 0 to go on, STORE_STIX_STOP to end the walk early (not an error), or a
 * negative STORE_E* code. Unused callbacks may be NULL. */
#define STORE_STIX_STOP 1
struct store_stix_org {
	int64_t id, created_at, updated_at;
	const char *code, *name;
};
struct store_stix_visitor {
	int (*org)(void *ctx, const struct store_stix_org *o);
	int (*warning)(void *ctx, const struct store_stix_warning *w);
	int (*incident)(void *ctx, const struct store_stix_incident *i);
	int (*indicator)(void *ctx, const char *kind, const char *value, int64_t created_at);
	int (*end)(void *ctx);
	void *ctx;
};
/* Walks one warning (any status) or one incident. STORE_ENOTFOUND if none. */
int store_stix_warning_visit(struct store *st, int64_t id, const struct store_stix_visitor *v);
int store_stix_incident_visit(struct store *st, int64_t id, const struct store_stix_visitor *v);
/* A TAXII page walk: rows in (updated_at, id) order from the keyset position (at, id)
 * inclusive, updated_at > added_after, TLP in [min_tlp, max_tlp], within the scope (warnings:
 * access_warning_scope, published ones only; incidents: access_incident_scope, drills left
 * out). stix_id non-NULL: only the warning with that stix_id. */
struct store_stix_page {
	const struct ac_scope *scope;
	int min_tlp, max_tlp;
	int64_t at, id;
	int64_t added_after;
	const char *stix_id;
};
/* Walks the rows of a page until the visitor stops it or they run out. STORE_OK either way. */
int store_stix_warning_walk(struct store *st, const struct store_stix_page *q,
			    const struct store_stix_visitor *v);
int store_stix_incident_walk(struct store *st, const struct store_stix_page *q,
			     const struct store_stix_visitor *v);

#endif
