/* api.h - what the resource files of api/ share: the running instance (data folder, preset),
 * the per-thread store, the authenticated subject of a request, and the write-transaction
 * helper that adds audit and Idempotency-Key handling to every change. */
#ifndef UNGCUU_API_H
#define UNGCUU_API_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/access.h"
#include "core/fields.h"
#include "core/preset.h"
#include "http/http.h"
#include "ops/ops.h"
#include "store/store.h"

#define API_IDLE_SECONDS 600      /* 001: session ends after 10 minutes without interaction */
#define API_SESSION_COOKIE "ungcuu_session"

/* The instance being served; set once at start, read-only afterwards. */
struct api_env {
	char data_dir[1024];
	/* swapped atomically when an admin switches the preset (api_preset_swap); a request may
	 * still hold the previous one, so replaced presets are freed only at shutdown */
	struct preset *_Atomic preset;
	bool secure_cookies; /* add Secure to cookies (behind TLS) */
};
extern struct api_env api_env;

/* The authenticated caller of one request (req->ctx). */
struct api_ctx {
	struct ac_subject subject;
	struct store_user_auth user;
	int64_t session_id;   /* 0 for API tokens */
	bool via_cookie;
	bool restricted;      /* must change password, or enrol a second factor, first */
	bool totp_required;   /* the account's roles need TOTP (ops_settings_totp_roles) */
};

/* The calling thread's store connection, opened on first use. NULL if it cannot be opened
 * (logged). Closed by api_store_close_all at shutdown. */
struct store *api_store(void);
/* The calling thread's store connection if it has been opened, else NULL (never opens one). */
struct store *api_store_if_open(void);
/* Closes every connection opened by api_store. */
void api_store_close_all(void);

/* Fills res with the problem matching a STORE_E* code (404, 409, 503, 500). Returns 0. */
int api_store_error(struct http_res *res, int rc);
/* Appends an audit entry for the request's caller (or the anonymous caller for login). */
int api_audit(const struct http_req *req, const char *action, const char *object_type,
	      int64_t object_id, const json_t *before, const json_t *after);
/* Parses path parameter i as a positive id. Returns 0 and *id, or -1 having set a 404. */
int api_param_id(const struct http_req *req, size_t i, struct http_res *res, int64_t *id);
/* Parses an optional query parameter as an integer in [min,max]; absent -> def.
 * Returns 0, or -1 having set a 400 naming the parameter and its range. */
int api_query_int(const struct http_req *req, const char *name, int64_t min, int64_t max,
		  int64_t def, struct http_res *res, int64_t *out);
/* Reads a list's paging, the same way for every list: ?limit= in [1,max] (def when absent) and,
 * when cursor is not NULL, ?cursor= (the next_cursor of the page before; 0 when absent). max must
 * be what the store's list accepts. Returns 0, or -1 having set a 400 naming the parameter and
 * its range. */
int api_query_page(const struct http_req *req, struct http_res *res, int64_t def, int64_t max,
		   int64_t *limit, int64_t *cursor);
/* Parses an optional ISO 8601 query parameter; absent -> 0. Returns 0 or -1 (400 set). */
int api_query_time(const struct http_req *req, const char *name, struct http_res *res,
		   int64_t *out);
/* Binds a body checked by api_body to the store: copies the members of resource r (core/fields.c)
 * a client may write with mode (FIELD_CREATE, FIELD_UPDATE) that are scalars (text, code,
 * integer, boolean, a TLP label as its number) and present, into row under their columns.
 * Times, lists and objects are converted by their handler. */
void api_fields_row(const struct resource *r, const json_t *in, unsigned mode, json_t *row);
/* A member of a body api_before has checked against the route's declaration (its type, its
 * cap, the required ones present), so a handler reads it without checking again:
 * api_in_text gives the text (borrowed from in) or NULL when absent or null; api_in_int and
 * api_in_bool return 1 and *out when present, 0 when absent or null (*out 0 / false). */
const char *api_in_text(const json_t *in, const char *name);
int api_in_int(const json_t *in, const char *name, int64_t *out);
int api_in_bool(const json_t *in, const char *name, bool *out);
/* The version an If-Match header asks for: 0 when absent or "*", -1 when it names no version
 * of ours (so it never matches), else N of "vN" (for an ops_* operation to check). */
int64_t api_if_match_version(const struct http_req *req);
/* Sets the ETag header for a version. */
void api_etag(struct http_res *res, int64_t version);

/* A write: store_begin + Idempotency-Key replay for creates. api_tx_begin returns 1 when it
 * answered (a replay, or an error), 0 when the handler goes on; api_tx_commit stores the
 * idempotent response and commits (on failure it rolls back and sets 500/503). */
struct api_tx {
	struct store *st;
	const char *idem_key;
	char req_hash[65];
	bool locked; /* holds the process's writer lock (released by commit or abort) */
	bool part;   /* a part of a batch's transaction (api/batch.c) */
};
int api_tx_begin(struct http_req *req, struct http_res *res, struct api_tx *tx, bool create);
/* The process's one writer: taken around every write transaction; batch says the caller runs
 * a group of requests in one transaction (api/batch.c), whose api_tx_* become savepoints. */
void api_writer_lock(bool batch);
void api_writer_unlock(void);

/* Writes committed as a group (api/batch.c): the http defer hook queues HTTP_DEFER requests;
 * one thread runs what has queued up in one transaction and answers them after its commit. */
void api_batch_defer(struct http_job *job);
/* Starts / stops (after answering everything queued) the batch thread. Start returns 0 or -1. */
int api_batch_start(void);
void api_batch_stop(void);
int api_tx_commit(struct api_tx *tx, struct http_req *req, struct http_res *res);
/* Rolls back (safe to call after a failed commit). */
void api_tx_abort(struct api_tx *tx);

/* How a write ends when it went well. */
struct api_done {
	const char *action;      /* audit action, "org.create" */
	const char *object_type; /* "org" */
	int64_t id;
	const json_t *before;    /* NULL for a create */
	int status;              /* 201 or 200 */
	const char *location;    /* "/api/v1/orgs" for a create: Location gets "/<id>"; or NULL */
};
/* Ends a write: when rc is STORE_OK, audits it with `after`, answers d->status with `after`
 * (stolen; its "version" becomes the ETag) and commits; otherwise rolls back and answers the
 * store error (after is freed). Returns 0 when committed, -1 otherwise. */
int api_tx_finish(struct api_tx *tx, struct http_req *req, struct http_res *res, int rc,
		  const struct api_done *d, json_t *after);
/* The same without the audit entry, for a write whose ops_* operation audited itself. */
int api_tx_answer(struct api_tx *tx, struct http_req *req, struct http_res *res, int rc,
		  const struct api_done *d, json_t *after);

/* Who may call a route, declared with it in the route table (api/routes.c), so the access
 * matrix reads from one file; api_before decides by it before the handler reads its input. */
enum api_object {
	API_OBJ_NONE,       /* a collection or the caller's own: no object in the path */
	API_OBJ_INCIDENT,   /* path parameter 0 is an incident's id */
	API_OBJ_WARNING,    /* ... a warning's id */
	API_OBJ_REQUEST,    /* ... a coordination request's id (read as its incident) */
	API_OBJ_ATTACHMENT, /* ... an attachment's id (read as its incident) */
	API_OBJ_HANDLER,    /* an object whose rule the operation decides (accounts, organisations,
			     * systems, findings, duties, documents, backups, mail): see `rule` */
};
struct api_access {
	enum api_object object;
	enum ac_action action; /* on the object: not readable -> 404, not allowed -> 403 */
	bool (*rule)(const struct ac_subject *s); /* on the caller alone (403), or NULL */
	enum msg_id text;      /* the rule in words (M_access_*), said in the reader's language by
				* a RULE's 403 and the OpenAPI document (x-access); M_none for
				* an object's (ON...), whose rule the action names */
	bool in_handler;       /* decided by the handler in the same read as the answer (the hot
				* GET of an incident): declared here, not checked twice */
	const struct resource *body; /* the JSON body's declaration (core/fields.c): api_before
				      * refuses a body that breaks it (422 naming the field) before
				      * the handler runs; NULL: the route reads no body (an empty one
				      * or {} only), or an upload's raw bytes */
	unsigned mode;         /* which of body's fields a client may send: FIELD_CREATE (also
				* every action body) or FIELD_UPDATE */
	const struct resource *shows; /* the resource the answer is, for OpenAPI; or NULL */
	bool public_;          /* no session needed (the log-in, which reads a body) */
};
/* Rules on the caller alone for the route table: an admin of some organisation
 * (access_user), a reader of the backups' list (access_backup AC_READ). */
bool api_access_admin(const struct ac_subject *s);
bool api_access_backup_read(const struct ac_subject *s);
/* The before hook: the session or token (api_auth_before), then the route's access
 * declaration, then the body against the route's declaration (struct api_access body/mode)
 * where the access was decided here. Returns 0 to go on, or non-zero having answered
 * 400/401/403/404/415/422. */
int api_before(struct http_req *req, struct http_res *res, const struct http_route *route);
/* How a handler reads its JSON body: checked against its route's declaration (once, here or
 * in api_before) then parsed. *out: the body, {} when it is empty and nothing is required
 * (caller decrefs); out NULL for a route that takes no body (an empty one or {} only).
 * Returns 0, or -1 having answered 400/413/415/422. */
int api_body(struct http_req *req, struct http_res *res, json_t **out);

/* The routes of every resource, in one table, and its size. */
extern const struct http_route api_routes[];
extern const size_t api_nroutes;

/* Whether the caller may read incident id (a missing one is not readable). */
bool api_incident_readable(const struct api_ctx *cx, int64_t id);
/* Loads an incident's access facts and decides for the caller: not readable -> 404 (its
 * existence does not leak), readable but action not allowed -> 403. Returns 0 or -1 (res set). */
int api_incidents_access(const struct http_req *req, struct http_res *res, int64_t id,
			 enum ac_action a, struct ac_incident *ai);
/* The same for a warning (api/warnings.c). */
int api_warnings_access(const struct http_req *req, struct http_res *res, int64_t id,
			enum ac_action a, struct ac_warning *aw);
/* Whether the caller may know of a recorded document (a row of store_document_get): an
 * incident's documents for whoever may read the incident; a summary for the organisation's staff
 * and the coordinator; a bulletin for the coordinator and auditors (api/documents.c). */
bool api_documents_readable(const struct api_ctx *cx, const json_t *row);
/* The answer of an access check: 404 when the caller may not read the object (its existence
 * does not leak), 403 when it may read it but not do this; o is the kind of object
 * (API_OBJ_WARNING, or API_OBJ_INCIDENT for an incident and what belongs to one), which the
 * answer's message names. Returns 0 when allowed, -1 with res set. */
int api_access_answer(struct http_res *res, bool readable, bool allowed, enum api_object o);

/* The context of an operation asked by this request: its store (st, where the caller's
 * transaction is open), the preset in force as one snapshot, the caller as actor, the channel
 * (a session or an API token) and now. */
void api_ops_ctx(const struct http_req *req, struct store *st, struct ops_ctx *out);
/* Answers an operation's refusal or store error as a problem. Returns 0. */
int api_ops_error(struct http_res *res, const struct ops_err *err);

/* Puts p in force. The preset it replaces stays valid until api_preset_free_all. */
void api_preset_swap(struct preset *p);
/* Frees the preset in force and every one it replaced (at shutdown). */
void api_preset_free_all(void);
/* The preset in force (for jobs/, which must not include api.h's globals directly). */
const struct preset *api_preset(void);
/* The name of an upload: the multipart file part's file name, else ?name=. Returns 1 and *out
 * (borrowed from req) when one was given, 0 when none was (*out NULL), or -1 having set a 422
 * naming the field ("file" for the part's name, "name" for ?name=) when it holds a NUL (%00) or
 * is not an acceptable file name (codes_file_name_ok). */
int api_upload_name(const struct http_req *req, struct http_res *res, const char **out);
/* Moves a finished upload to DATA/files/<sha256> (dst, size dstsz); the files are content-
 * addressed, so a second upload of the same bytes is free. *placed says whether this call put a
 * new file there (to remove if the transaction then fails). Returns 0 or -1. */
int api_file_keep(const struct http_req *req, char *dst, size_t dstsz, bool *placed);

/* Sends the stored file DATA/files/<sha> as a download named name (attachments, evidence).
 * Returns 0 (res set: 200 with the file, or 410 when it is missing). */
int api_file_send(struct http_res *res, const char *sha, const char *name);

/* ---- indicators and observables (api/indicators.c; docs/warnings.md) ---- */
#define API_INDICATORS_MAX 1000
/* Validates a list of indicators given as strings (kind detected) or {kind, value} (kind
 * checked) with core/indicator.c: *out = [{kind, value}] canonical, without duplicates (caller
 * decrefs). NULL arr gives an empty list. Returns 0, or -1 with a 422 naming field and the
 * item (1-based) when one is invalid; nothing is stored either way. */
int api_indicators_parse(const json_t *arr, const char *field, size_t max, struct http_res *res,
			 json_t **out);
/* Appends to list (as api_indicators_parse makes it) the observables found in text. */
void api_indicators_extract(const char *text, json_t *list, size_t max);
/* What a caller may see of the items related to (kind, id): {"items": [{kind, id, ref, title,
 * why, ...}], "systems": [{system_id, name, matched}]}, filtered by access. *out: caller decrefs. */
int api_related(const struct http_req *req, const char *kind, int64_t id, json_t **out);

/* Handlers, by resource file. */
int api_auth_login(struct http_req *, struct http_res *);
int api_auth_logout(struct http_req *, struct http_res *);
int api_auth_me(struct http_req *, struct http_res *);
int api_auth_password(struct http_req *, struct http_res *);
int api_auth_totp_enroll(struct http_req *, struct http_res *);
int api_auth_totp_confirm(struct http_req *, struct http_res *);
int api_auth_before(struct http_req *req, struct http_res *res, unsigned flags);
/* The http after hook: ends the read transaction api_auth_before opened for a GET. */
void api_after(const struct http_req *req, const struct http_res *res, int64_t usec);
/* Prepares login (liboath, the dummy hash for unknown users). Returns 0 or -1. */
int api_auth_init(void);

int api_orgs_list(struct http_req *, struct http_res *);
int api_orgs_create(struct http_req *, struct http_res *);
int api_orgs_get(struct http_req *, struct http_res *);
int api_orgs_update(struct http_req *, struct http_res *);

int api_users_list(struct http_req *, struct http_res *);
int api_users_create(struct http_req *, struct http_res *);
int api_users_get(struct http_req *, struct http_res *);
int api_users_update(struct http_req *, struct http_res *);
int api_users_reset(struct http_req *, struct http_res *);
int api_users_disable(struct http_req *, struct http_res *);
int api_users_enable(struct http_req *, struct http_res *);
int api_users_unlock(struct http_req *, struct http_res *);
int api_tokens_list(struct http_req *, struct http_res *);
int api_tokens_revoke(struct http_req *, struct http_res *);

int api_systems_list(struct http_req *, struct http_res *);
int api_systems_create(struct http_req *, struct http_res *);
int api_systems_get(struct http_req *, struct http_res *);
int api_systems_update(struct http_req *, struct http_res *);

int api_incidents_list(struct http_req *, struct http_res *);
int api_incidents_create(struct http_req *, struct http_res *);
int api_incidents_get(struct http_req *, struct http_res *);
int api_incidents_update(struct http_req *, struct http_res *);
int api_incidents_transition(struct http_req *, struct http_res *);
int api_incidents_flag(struct http_req *, struct http_res *);
int api_journal_list(struct http_req *, struct http_res *);
int api_journal_add(struct http_req *, struct http_res *);
int api_told_list(struct http_req *, struct http_res *);
int api_told_add(struct http_req *, struct http_res *);
int api_requests_create(struct http_req *, struct http_res *);
int api_requests_list(struct http_req *, struct http_res *);
int api_requests_answer(struct http_req *, struct http_res *);
int api_attachments_add(struct http_req *, struct http_res *);
int api_attachments_list(struct http_req *, struct http_res *);
int api_attachments_get(struct http_req *, struct http_res *);

int api_observables_list(struct http_req *, struct http_res *);
int api_observables_add(struct http_req *, struct http_res *);
int api_incidents_related(struct http_req *, struct http_res *);
int api_indicators_check(struct http_req *, struct http_res *);

int api_warnings_list(struct http_req *, struct http_res *);
int api_warnings_create(struct http_req *, struct http_res *);
int api_warnings_get(struct http_req *, struct http_res *);
int api_warnings_update(struct http_req *, struct http_res *);
int api_warnings_issue(struct http_req *, struct http_res *);
int api_warnings_close(struct http_req *, struct http_res *);
int api_warnings_ack(struct http_req *, struct http_res *);
int api_warnings_report(struct http_req *, struct http_res *);
int api_warnings_evidence_add(struct http_req *, struct http_res *);
int api_warnings_evidence_get(struct http_req *, struct http_res *);
int api_warnings_tracking(struct http_req *, struct http_res *);
int api_warnings_spawn(struct http_req *, struct http_res *);
int api_warnings_related(struct http_req *, struct http_res *);

int api_duties_list(struct http_req *, struct http_res *);
int api_duties_get(struct http_req *, struct http_res *);
int api_duties_done(struct http_req *, struct http_res *);
int api_duties_evidence(struct http_req *, struct http_res *);
int api_duties_compliance(struct http_req *, struct http_res *);

int api_webhooks_get(struct http_req *, struct http_res *);
int api_webhooks_set(struct http_req *, struct http_res *);
int api_stats_summary(struct http_req *, struct http_res *);
int api_stats_monthly_svg(struct http_req *, struct http_res *);
int api_requests_box(struct http_req *, struct http_res *);

/* The mail quarantine (api/mailq.c, docs/mail.md). */
int api_mailq_list(struct http_req *, struct http_res *);
int api_mailq_get(struct http_req *, struct http_res *);
int api_mailq_accept(struct http_req *, struct http_res *);
int api_mailq_reject(struct http_req *, struct http_res *);

int api_audit_list(struct http_req *, struct http_res *);
int api_audit_verify(struct http_req *, struct http_res *);

int api_settings_get(struct http_req *, struct http_res *);
/* api/notify.c: the caller's notification preferences. */
int api_notify_get(struct http_req *, struct http_res *);
int api_notify_put(struct http_req *, struct http_res *);
int api_settings_update(struct http_req *, struct http_res *);
int api_auth_totp_disable(struct http_req *, struct http_res *);
int api_users_totp_reset(struct http_req *, struct http_res *);

int api_admin_handover(struct http_req *, struct http_res *);
int api_admin_presets(struct http_req *, struct http_res *);
/* The instance's backups (api/backups.c, docs/backup.md). */
int api_backups_list(struct http_req *, struct http_res *);
int api_backups_create(struct http_req *, struct http_res *);
int api_backups_verify(struct http_req *, struct http_res *);
int api_backups_restore_test(struct http_req *, struct http_res *);

int api_meta_health(struct http_req *, struct http_res *);
int api_meta_preset(struct http_req *, struct http_res *);
int api_meta_openapi(struct http_req *, struct http_res *);

/* ---- official documents (api/documents.c; also cli/export.c and bench/documents.c) ---- */
enum api_doc_format { API_DOC_PDF, API_DOC_XLSX, API_DOC_CSV };
/* What to make: the incident report / closing report of an incident, the summary (Mẫu 05) of
 * a period, or the bulletin of a quarter, counted over the incidents of scope. */
struct api_doc_req {
	const char *kind;          /* "report", "closing", "summary", "bulletin" */
	enum api_doc_format format;/* report, closing: PDF; bulletin: PDF, XLSX; summary: all */
	int64_t incident_id;       /* report, closing */
	int64_t from, to;          /* summary and bulletin: detected_at window [from, to) */
	int64_t org_id;            /* summary: 0 = the whole province (all of scope) */
	int year, quarter;         /* bulletin */
	struct ac_scope scope;     /* summary: whose incidents are counted (not the bulletin's) */
	int max_tlp_text;          /* summary: proposals above this TLP are not printed */
	const char *tmpdir;        /* XLSX goes through a temporary file here */
	int64_t now;               /* the document's date */
};
/* A made document: its bytes, reference, SHA-256 and the parameters recorded with it. */
struct api_doc {
	struct buf data;
	char ref[16];              /* RDOC_REF_MAX */
	char sha256[65];           /* RDOC_SHA256_HEX */
	int64_t incident_id;
	json_t *params;
};
/* Gathers the data from st and renders the document under preset p. Returns STORE_OK and *out
 * (free with api_doc_free), STORE_ENOTFOUND (no incident, organisation or form), STORE_EINVAL
 * (a format the kind has not) or STORE_EIO. Reads only: callable outside a transaction. */
int api_doc_make(struct store *st, const struct preset *p, const struct api_doc_req *r,
		 struct api_doc *out);
/* The quarterly bulletin of year, quarter (1-4) as f (PDF or XLSX), dated now: one operation
 * for the web and the command line, so one title and number is one content. It goes to every
 * member of the network, so it counts what its issuer (the coordinator's organisation) may read
 * but names (title, organisation) only incidents up to TLP:GREEN, and is marked TLP:GREEN;
 * nothing of the caller enters it. Sets *r (what was made, for api_doc_ops) and *out as
 * api_doc_make does. */
int api_doc_bulletin(struct store *st, const struct preset *p, int year, int quarter,
		     enum api_doc_format f, int64_t now, const char *tmpdir, struct api_doc_req *r,
		     struct api_doc *out);
/* Frees what api_doc_make filled. */
void api_doc_free(struct api_doc *doc);
struct ops_document;
/* Fills *out, the document to record with ops_document_record (ops/document.h), from what
 * api_doc_make or api_doc_bulletin made; it points into r and doc. */
void api_doc_ops(const struct api_doc_req *r, const struct api_doc *doc,
		 struct ops_document *out);
/* The MIME type of a format (static). */
const char *api_doc_mime(enum api_doc_format f);
/* Parses a date parameter "yyyy-mm-dd" (Vietnam midnight; with end, the next midnight, so the
 * day is included) or an ISO time (as is). Returns 0 and *out, or -1. */
int api_doc_parse_date(const char *s, bool end, int64_t *out);
/* The half-year (Vietnam time) holding now: [1 Jan, 1 Jul) or [1 Jul, 1 Jan). */
void api_doc_half_year(int64_t now, int64_t *from, int64_t *to);
/* The window of a quarter (1-4) of year, Vietnam time. Returns 0, or -1 when out of range. */
int api_doc_quarter(int year, int quarter, int64_t *from, int64_t *to);
int api_documents_report(struct http_req *, struct http_res *);
int api_documents_closing(struct http_req *, struct http_res *);
int api_documents_list(struct http_req *, struct http_res *);
int api_reports_summary_pdf(struct http_req *, struct http_res *);
int api_reports_summary_xlsx(struct http_req *, struct http_res *);
int api_reports_summary_csv(struct http_req *, struct http_res *);
int api_reports_bulletin_pdf(struct http_req *, struct http_res *);
int api_reports_bulletin_xlsx(struct http_req *, struct http_res *);
int api_documents_verify(struct http_req *, struct http_res *);
int api_documents_get(struct http_req *, struct http_res *);

/* ---- vulnerability scans and findings (api/scans.c; also cli/import.c; docs/scan.md) ---- */
struct scan_report;
/* Answers a report that could not be parsed (rc from scan_parse): 413 or 422, a problem with
 * "errors": [{item, line, message}]. Returns 0. */
int api_scan_problem(struct http_res *res, int rc, const struct scan_report *r);
int api_scans_import(struct http_req *, struct http_res *);
int api_scans_list(struct http_req *, struct http_res *);
int api_findings_list(struct http_req *, struct http_res *);
int api_findings_get(struct http_req *, struct http_res *);
int api_findings_update(struct http_req *, struct http_res *);
/* ---- STIX 2.1 / MISP / TAXII 2.1 exchange (api/stix.c, stix_import.c, misp.c, taxii.c) ---- */
int api_warnings_stix(struct http_req *, struct http_res *);
int api_incidents_stix(struct http_req *, struct http_res *);
int api_imports_stix(struct http_req *, struct http_res *);
int api_imports_misp(struct http_req *, struct http_res *);
int api_taxii_discovery(struct http_req *, struct http_res *);
int api_taxii_root(struct http_req *, struct http_res *);
int api_taxii_collections(struct http_req *, struct http_res *);
int api_taxii_collection(struct http_req *, struct http_res *);
int api_taxii_objects(struct http_req *, struct http_res *);
int api_taxii_object(struct http_req *, struct http_res *);
int api_taxii_manifest(struct http_req *, struct http_res *);
/* Rewrites an error response of a /taxii2/ path (a problem+json from the auth hook, a shared
 * helper, or http/ itself: no such path, method not allowed) as a TAXII 2.1 error message; other
 * paths and successes are left alone. */
void api_taxii_error_from_problem(const struct http_req *req, struct http_res *res);

/* ---- citations a person reads (core/cite.c) ---- */
struct jsonw;
/* Sets "citation_vi" and "citation_en" on obj: the preset source src ("001 Đ15.4c") as people
 * write it, with the documents of the preset in force. Nothing is set when src is NULL or "";
 * the raw code stays in the caller's "source" for logic, never for display. */
void api_cite(json_t *obj, const char *src);
/* The same two members, written with the streaming writer w. */
void api_cite_w(struct jsonw *w, const char *src);
/* The preset p as the UI names it: name (a code, for logic), title, title_en, source,
 * citation_vi/en of its own text, lead_role. Returns a new object (caller decrefs). */
json_t *api_preset_summary(const struct preset *p);
/* Journal entries as a person reads them, in lang: each entry whose `data` stores a message
 * (util/msg_json.h; entries the system wrote) gets its body worded from it (followed by the
 * body stored, what a person wrote with it, as a paragraph of its own), and each whose
 * `data` holds a "source" (transitions, flags, escalations) gets the citations, both with the
 * preset in force now. Entries written before messages were stored keep their body. */
void api_journal_words(json_t *items, enum msg_lang lang);
/* Words every "why" of a match in v (at any depth: related items, a system's "matched" list)
 * in lang: a stored catalogue code ("match_same_domain") becomes its words, kept as
 * "why_code"; a reason stored as text before the codes is left as it is. */
void api_match_words(json_t *v, enum msg_lang lang);
/* Answers GET of an incident's items (its journal, requests, attachments, who was told): the
 * incident of path parameter 0 as the caller may read it (404), then {"items": list(...)},
 * each made presentable in the request's language by present (NULL: as listed). Returns 0. */
int api_incident_items(struct http_req *req, struct http_res *res,
		       int (*list)(struct store *st, int64_t incident_id, json_t **out),
		       void (*present)(json_t *items, enum msg_lang lang));

#endif
