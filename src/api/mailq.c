/* mailq.c - the mail quarantine (docs/mail.md "Who may write in"): incoming e-mail that
 * `ungcuu mailgate` did not store waits here for the coordinator's operators and admins
 * (access_mail_quarantine), who read it and accept or reject it. Accepting stores the message
 * exactly as mailgate would have (ops/mailin.c), by the sender's account if there is one; every
 * decision is audited with the operator who took it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "ops/mailin.h"
#include "util/log.h"
#include "util/tm.h"

#define RAW_MAX ((int64_t)64 << 20) /* the server reads no bigger quarantined message */
#define ANSWERED 1 /* a step answered the request itself (not a STORE_* code) */

static int forbidden(struct http_res *res)
{
	return http_res_problem(res, 403, "Forbidden", NULL, M_mailq_forbidden);
}

int api_mailq_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *status = http_query(req, "status");
	int64_t before, limit, next = 0;
	json_t *items = NULL;
	int rc;

	if (!access_mail_quarantine(&cx->subject))
		return forbidden(res);
	if (status == NULL || status[0] == '\0')
		status = "pending";
	if (strcmp(status, "all") == 0)
		status = "";
	else if (strcmp(status, "pending") != 0 && strcmp(status, "accepted") != 0 &&
		 strcmp(status, "rejected") != 0)
		return http_res_problem(res, 400, "Invalid parameter", "status",
					M_mailq_status_invalid);
	if (api_query_int(req, "cursor", 0, INT64_MAX, 0, res, &before) != 0 ||
	    api_query_int(req, "limit", 1, 200, 50, res, &limit) != 0)
		return 0;
	rc = store_quarantine_list(api_store(), status, before, (int)limit, &items, &next);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200,
			     json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       next ? json_integer(next) : json_null()));
}

int api_mailq_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *row = NULL;
	int64_t id;
	int rc;

	if (!access_mail_quarantine(&cx->subject))
		return forbidden(res);
	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	rc = store_quarantine_get(api_store(), id, &row);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, row);
}

/* The optional {"note"} of a decision. Returns 0 (*note "" when none) or -1 (res set). */
static int decision_note(struct http_req *req, struct http_res *res, json_t **in,
			 const char **note)
{
	*note = "";
	if (api_body(req, res, in) != 0)
		return -1;
	*note = api_in_text(*in, "note");
	if (*note == NULL)
		*note = "";
	return 0;
}

/* Starts the decision on row id: the transaction and the row, which must still be pending.
 * Returns 0, or -1 having answered (and ended the transaction). */
static int begin_decision(struct http_req *req, struct http_res *res, int64_t id,
			  struct api_tx *tx, json_t **row)
{
	int rc;

	*row = NULL;
	if (api_tx_begin(req, res, tx, false))
		return -1;
	rc = store_quarantine_get(tx->st, id, row);
	if (rc != STORE_OK) {
		api_tx_abort(tx);
		api_store_error(res, rc);
		return -1;
	}
	if (strcmp(json_string_value(json_object_get(*row, "status")), "pending") != 0) {
		api_tx_abort(tx);
		http_res_problem(res, 409, "Already decided", NULL, M_mailq_decided,
				 MS("status", json_string_value(json_object_get(*row, "status"))));
		return -1;
	}
	return 0;
}

/* Reads the raw message DATA/files/<sha256> into *out (malloc'd, caller frees). 0 or -1. */
static int read_raw(const char *sha, char **out, size_t *len)
{
	char path[1200];
	struct stat sb;
	FILE *f;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (sha == NULL || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64 ||
	    snprintf(path, sizeof path, "%s/files/%s", api_env.data_dir, sha) >= (int)sizeof path)
		return -1;
	if ((f = fopen(path, "rb")) == NULL) {
		log_err("quarantine: %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0 && sb.st_size <= RAW_MAX &&
	    (*out = malloc((size_t)sb.st_size)) != NULL &&
	    fread(*out, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
		*len = (size_t)sb.st_size;
		rc = 0;
	}
	fclose(f);
	if (rc != 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Accepts a reply: the operator must be allowed to comment on its incident themselves (the
 * message goes into it on their decision). Sets *entry; audits incident.mail. STORE_* or
 * ANSWERED. */
static int accept_reply(struct http_req *req, struct http_res *res, struct api_tx *tx,
			int64_t incident_id, const struct mail_intake *m,
			const struct ops_mailin_who *who, int64_t *entry)
{
	struct api_ctx *cx = req->ctx;
	struct ac_incident ai;
	json_t *data = NULL;
	int rc = store_incident_access(tx->st, incident_id, cx->subject.org_id, &ai);

	if (rc == STORE_OK && !access_incident(&cx->subject, &ai, AC_COMMENT)) {
		http_res_problem(res, 403, "Forbidden", "incident_id", M_mailq_comment_forbidden);
		return ANSWERED;
	}
	if (rc == STORE_OK)
		rc = ops_mailin_reply(tx->st, incident_id, m, who, entry, &data);
	if (rc == STORE_ECONFLICT) {
		http_res_problem(res, 409, "Already stored", NULL, M_mailq_journal_duplicate);
		return ANSWERED;
	}
	if (rc == STORE_OK)
		rc = api_audit(req, "incident.mail", "incident", incident_id, NULL, data);
	json_decref(data);
	return rc;
}

/* Accepts a report: a new incident as mailgate makes it. Sets *id; audits
 * incident.mail_report. STORE_* or ANSWERED. */
static int accept_report(struct http_req *req, struct http_res *res, struct api_tx *tx,
			 const struct mail_intake *m, const struct ops_mailin_who *who,
			 int64_t *id)
{
	const struct preset *p = api_env.preset;
	const struct preset_form *f = ops_mailin_report_form(p);
	struct mail_report r = {0};
	struct ops_mailin_files fl;
	json_t *data = NULL;
	char ref[32];
	int rc;

	if (f == NULL || m->too_many) {
		http_res_problem(res, 409, "Cannot store", NULL, M_mailq_no_report_form);
		return ANSWERED;
	}
	if (mail_report_parse(p, f, m->text, strlen(m->text), &r) != MAIL_OK)
		return STORE_EIO;
	if (ops_mailin_files_keep(api_env.data_dir, m, &fl) != 0) {
		mail_report_free(&r);
		return STORE_EIO;
	}
	rc = ops_mailin_report(tx->st, p, f, m, &r, &fl, who, id, ref, &data);
	if (rc == STORE_ECONFLICT) {
		http_res_problem(res, 409, "Already stored", NULL, M_mailq_report_duplicate);
		rc = ANSWERED;
	}
	if (rc == STORE_OK)
		rc = api_audit(req, "incident.mail_report", "incident", *id, NULL, data);
	/* the files of a failed transaction go (a committed one keeps them) */
	if (rc != STORE_OK)
		ops_mailin_files_undo(m, &fl);
	json_decref(data);
	mail_report_free(&r);
	return rc;
}

/* Ends a decision: the row's new state and its audit entry (ops_mailin_decide), the answer. */
static void finish_decision(struct http_req *req, struct http_res *res, struct api_tx *tx,
			    int64_t id, const char *status, const char *note, int64_t incident_id,
			    int64_t entry)
{
	json_t *after = NULL;
	struct ops_err err;
	struct ops_ctx c;

	api_ops_ctx(req, tx->st, &c);
	if (ops_mailin_decide(&c, id, status, note, incident_id, entry, &after, &err) != OPS_OK) {
		api_tx_abort(tx);
		api_ops_error(res, &err);
		return;
	}
	http_res_json(res, 200, after);
	api_tx_commit(tx, req, res);
}

/* The start every decision shares: the caller's right, the row's id, the note, and the write on
 * the row, which must still be pending. Returns 0, or -1 having answered. */
static int decision_start(struct http_req *req, struct http_res *res, int64_t *id, json_t **in,
			  const char **note, struct api_tx *tx, json_t **row)
{
	const struct api_ctx *cx = req->ctx;

	if (!access_mail_quarantine(&cx->subject))
		return forbidden(res), -1;
	if (api_param_id(req, 0, res, id) != 0 || decision_note(req, res, in, note) != 0 ||
	    begin_decision(req, res, *id, tx, row) != 0)
		return -1;
	return 0;
}

int api_mailq_accept(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct ops_mailin_who who = {0};
	struct mail_intake m = {0};
	json_t *in = NULL, *row = NULL;
	const char *note, *kind;
	int64_t id, incident_id, result_incident = 0, entry = 0;
	char *raw = NULL;
	size_t len = 0;
	struct api_tx tx;
	int rc;

	if (decision_start(req, res, &id, &in, &note, &tx, &row) != 0)
		goto out;
	if (read_raw(json_string_value(json_object_get(row, "sha256")), &raw, &len) != 0 ||
	    mail_intake_parse(raw, len, OPS_MAILIN_TEXT_MAX, &m) != MAIL_OK) {
		api_tx_abort(&tx);
		http_res_problem(res, 409, "Message unreadable", NULL, M_mailq_unreadable);
		goto out;
	}
	/* the sender as things stand now, vouched for as the MTA said on arrival */
	rc = ops_mailin_sender(tx.st, m.from, &who);
	who.authenticated = json_is_true(json_object_get(row, "authenticated"));
	who.quarantine_id = id;
	who.accepted_by = cx->user.id;
	kind = json_string_value(json_object_get(row, "kind"));
	incident_id = json_integer_value(json_object_get(row, "incident_id"));
	if (rc == STORE_OK && strcmp(kind, "reply") == 0) {
		rc = accept_reply(req, res, &tx, incident_id, &m, &who, &entry);
		result_incident = incident_id;
	} else if (rc == STORE_OK) {
		rc = accept_report(req, res, &tx, &m, &who, &result_incident);
	}
	if (rc == ANSWERED) {
		api_tx_abort(&tx);
		goto out;
	}
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		api_store_error(res, rc);
		goto out;
	}
	finish_decision(req, res, &tx, id, "accepted", note, result_incident, entry);
out:
	mail_intake_free(&m);
	free(raw);
	json_decref(row);
	json_decref(in);
	return 0;
}

int api_mailq_reject(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = NULL;
	const char *note;
	struct api_tx tx;
	int64_t id;

	if (decision_start(req, res, &id, &in, &note, &tx, &row) == 0)
		finish_decision(req, res, &tx, id, "rejected", note, 0, 0);
	json_decref(row);
	json_decref(in);
	return 0;
}
