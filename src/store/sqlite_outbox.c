/* sqlite_outbox.c - the notification outbox (store_outbox_*): rows written in the same
 * transaction as the event they announce, claimed, sent and marked by jobs/outbox.c.
 * Statements are prepared per call (the outbox is touched a few times a minute), so this file
 * needs no slot in the shared statement cache. */
#include "sqlite_priv.h"

#include <stdlib.h>
#include <string.h>

/* Prepares sql (static text) into *s. */
static int prep(struct store *st, const char *sql, sqlite3_stmt **s)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, "outbox prepare");
}

int store_outbox_add(struct store *st, const char *event, int64_t org_id, int64_t incident_id,
		     int64_t request_id, int64_t now)
{
	sqlite3_stmt *s = NULL;
	char payload[64];
	int rc;

	if (event == NULL || org_id <= 0)
		return STORE_EINVAL;
	if (request_id > 0)
		snprintf(payload, sizeof payload, "{\"request_id\":%lld}", (long long)request_id);
	else
		snprintf(payload, sizeof payload, "{}");
	rc = prep(st,
		  "INSERT INTO outbox(event, org_id, incident_id, payload, created_at) "
		  "VALUES (?1, ?2, ?3, ?4, ?5)",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, event);
	sq_bind_int(st, s, 2, org_id);
	sq_bind_ref(st, s, 3, incident_id);
	sq_bind_text(st, s, 4, payload);
	sq_bind_int(st, s, 5, now);
	rc = sq_step_done(st, s, "outbox add");
out:
	sqlite3_finalize(s);
	return rc;
}

int store_outbox_next(struct store *st, int64_t now, int max_attempts,
		      struct store_outbox_row *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	rc = prep(st,
		  "SELECT id, event, COALESCE(org_id, 0), COALESCE(incident_id, 0), payload, "
		  "created_at, attempts, next_at, COALESCE(user_id, 0) FROM outbox WHERE sent_at = 0 AND next_at <= ?1 "
		  "AND attempts < ?2 ORDER BY next_at, id LIMIT 1",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, now);
	sq_bind_int(st, s, 2, max_attempts);
	rc = sq_step_row(st, s, "outbox next");
	if (rc != STORE_OK)
		goto out;
	out->id = sqlite3_column_int64(s, 0);
	if (sq_col_copy(s, 1, out->event, sizeof out->event) != STORE_OK ||
	    sq_col_copy(s, 4, out->payload, sizeof out->payload) != STORE_OK) {
		rc = STORE_EIO;
		goto out;
	}
	out->org_id = sqlite3_column_int64(s, 2);
	out->incident_id = sqlite3_column_int64(s, 3);
	out->created_at = sqlite3_column_int64(s, 5);
	out->attempts = sqlite3_column_int64(s, 6);
	out->next_at = sqlite3_column_int64(s, 7);
	out->user_id = sqlite3_column_int64(s, 8);
out:
	sqlite3_finalize(s);
	return rc;
}

int store_outbox_claim(struct store *st, int64_t id, int64_t seen_next_at, int64_t lease_until)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "UPDATE outbox SET attempts = attempts + 1, next_at = ?3 WHERE id = ?1 AND "
		      "sent_at = 0 AND next_at = ?2",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, seen_next_at);
	sq_bind_int(st, s, 3, lease_until);
	rc = sq_step_done(st, s, "outbox claim");
	if (rc == STORE_OK && sqlite3_changes(st->db) != 1)
		rc = STORE_ECONFLICT;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_outbox_mark(struct store *st, int64_t id, int64_t sent_at, int64_t next_at,
		      const char *error)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "UPDATE outbox SET sent_at = ?2, next_at = CASE WHEN ?3 > 0 THEN ?3 ELSE next_at "
		      "END, error = ?4 WHERE id = ?1",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, sent_at);
	sq_bind_int(st, s, 3, next_at);
	sq_bind_text(st, s, 4, error ? error : "");
	rc = sq_step_done(st, s, "outbox mark");
	if (rc == STORE_OK && sqlite3_changes(st->db) != 1)
		rc = STORE_ENOTFOUND;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_outbox_settle(struct store *st, int64_t id, int64_t at)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "UPDATE outbox SET sent_at = ?2, hook_sent_at = ?2, error = '' WHERE id = ?1",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, at);
	rc = sq_step_done(st, s, "outbox settle");
	if (rc == STORE_OK && sqlite3_changes(st->db) != 1)
		rc = STORE_ENOTFOUND;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_outbox_list(struct store *st, int limit, json_t **out)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "SELECT id, event, org_id, incident_id, attempts, next_at, sent_at, created_at, "
		      "error FROM outbox ORDER BY id DESC LIMIT ?1",
		      &s);

	*out = NULL;
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, limit);
	rc = sq_rows_json(st, s, "outbox list", out);
out:
	sqlite3_finalize(s);
	return rc;
}

/* ---- webhooks ---- */

int store_webhook_set(struct store *st, int64_t org_id, const char *url, const char *secret,
		      bool active, int64_t now)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "INSERT INTO webhooks(org_id, url, secret, active, created_at, updated_at) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(org_id) DO UPDATE SET "
		      "url = excluded.url, secret = excluded.secret, active = excluded.active, "
		      "updated_at = excluded.updated_at",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, org_id);
	sq_bind_text(st, s, 2, url);
	sq_bind_text(st, s, 3, secret);
	sq_bind_int(st, s, 4, active ? 1 : 0);
	sq_bind_int(st, s, 5, now);
	rc = sq_step_done(st, s, "webhook set");
out:
	sqlite3_finalize(s);
	return rc;
}

int store_hook_claim(struct store *st, int64_t now, int max_attempts, int64_t lease,
		     struct store_hook_row *out)
{
	sqlite3_stmt *s = NULL;
	int64_t delay = lease;
	int rc;

	memset(out, 0, sizeof *out);
	rc = prep(st,
		  "SELECT o.id, o.event, o.org_id, COALESCE(o.incident_id, 0), o.payload, "
		  "o.created_at, o.hook_attempts, o.hook_next_at, w.url, w.secret FROM outbox o "
		  "JOIN webhooks w ON w.org_id = o.org_id AND w.active = 1 AND o.created_at >= "
		  "w.created_at WHERE o.hook_sent_at = 0 AND o.user_id IS NULL "
		  "AND o.hook_next_at <= ?1 AND o.hook_attempts < ?2 ORDER BY o.hook_next_at, o.id "
		  "LIMIT 1",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, now);
	sq_bind_int(st, s, 2, max_attempts);
	rc = sq_step_row(st, s, "hook next");
	if (rc != STORE_OK)
		goto out;
	out->row.id = sqlite3_column_int64(s, 0);
	out->row.org_id = sqlite3_column_int64(s, 2);
	out->row.incident_id = sqlite3_column_int64(s, 3);
	out->row.created_at = sqlite3_column_int64(s, 5);
	out->row.attempts = sqlite3_column_int64(s, 6);
	out->row.next_at = sqlite3_column_int64(s, 7);
	if (sq_col_copy(s, 1, out->row.event, sizeof out->row.event) != STORE_OK ||
	    sq_col_copy(s, 4, out->row.payload, sizeof out->row.payload) != STORE_OK ||
	    sq_col_copy(s, 8, out->url, sizeof out->url) != STORE_OK ||
	    sq_col_copy(s, 9, out->secret, sizeof out->secret) != STORE_OK) {
		rc = STORE_EIO;
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	for (int64_t i = 0; i < out->row.attempts && delay < 6 * 3600; i++)
		delay *= 2;
	if (delay > 6 * 3600)
		delay = 6 * 3600;
	rc = prep(st,
		  "UPDATE outbox SET hook_attempts = hook_attempts + 1, hook_next_at = ?3 WHERE "
		  "id = ?1 AND hook_sent_at = 0 AND hook_next_at = ?2",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, out->row.id);
	sq_bind_int(st, s, 2, out->row.next_at);
	sq_bind_int(st, s, 3, now + delay);
	rc = sq_step_done(st, s, "hook claim");
	if (rc == STORE_OK && sqlite3_changes(st->db) != 1)
		rc = STORE_ECONFLICT;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_hook_mark(struct store *st, const struct store_hook_row *h, int status,
		    const char *error, int64_t sent_at, int64_t next_at, int64_t now)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "INSERT INTO webhook_log(outbox_id, org_id, url, attempt, at, status, error) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, h->row.id);
	sq_bind_int(st, s, 2, h->row.org_id);
	sq_bind_text(st, s, 3, h->url);
	sq_bind_int(st, s, 4, h->row.attempts + 1);
	sq_bind_int(st, s, 5, now);
	sq_bind_int(st, s, 6, status);
	sq_bind_text(st, s, 7, error ? error : "");
	rc = sq_step_done(st, s, "webhook log");
	sqlite3_finalize(s);
	s = NULL;
	if (rc != STORE_OK || (sent_at == 0 && next_at <= 0))
		goto out;
	rc = prep(st,
		  "UPDATE outbox SET hook_sent_at = ?2, hook_next_at = CASE WHEN ?3 > 0 THEN ?3 "
		  "ELSE hook_next_at END WHERE id = ?1",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, h->row.id);
	sq_bind_int(st, s, 2, sent_at);
	sq_bind_int(st, s, 3, next_at);
	rc = sq_step_done(st, s, "hook mark");
out:
	sqlite3_finalize(s);
	return rc;
}

/* ---- e-mail intake ---- */

int store_incident_by_ref(struct store *st, const char *ref, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st, "SELECT id FROM incidents WHERE ref = ?1", &s);

	*id = 0;
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, ref);
	rc = sq_step_row(st, s, "incident by ref");
	if (rc == STORE_OK)
		*id = sqlite3_column_int64(s, 0);
out:
	sqlite3_finalize(s);
	return rc;
}

int store_mail_sender(struct store *st, const char *addr, int64_t *user_id, int64_t *org_id)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*user_id = *org_id = 0;
	rc = prep(st,
		  "SELECT id, org_id FROM users WHERE lower(email) = lower(?1) AND email != '' AND "
		  "active = 1 ORDER BY id LIMIT 2",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, addr);
	rc = sq_step_row(st, s, "mail sender user");
	if (rc == STORE_OK) {
		*user_id = sqlite3_column_int64(s, 0);
		*org_id = sqlite3_column_int64(s, 1);
		/* a second account with the address: nobody's in particular */
		rc = sq_step_row(st, s, "mail sender user");
		if (rc == STORE_OK) {
			*user_id = *org_id = 0;
			rc = STORE_ECONFLICT;
		} else if (rc == STORE_ENOTFOUND) {
			rc = STORE_OK;
		}
		goto out;
	}
	if (rc != STORE_ENOTFOUND)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	rc = prep(st,
		  "SELECT id FROM orgs WHERE lower(email) = lower(?1) AND email != '' ORDER BY id "
		  "LIMIT 1",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, addr);
	rc = sq_step_row(st, s, "mail sender org");
	if (rc == STORE_OK)
		*org_id = sqlite3_column_int64(s, 0);
out:
	sqlite3_finalize(s);
	return rc;
}

int store_mail_seen(struct store *st, int64_t incident_id, const char *message_id)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "SELECT 1 FROM journal WHERE incident_id = ?1 AND kind = 'email' AND "
		      "json_extract(data, '$.message_id') = ?2 LIMIT 1",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, incident_id);
	sq_bind_text(st, s, 2, message_id);
	rc = sq_step_row(st, s, "mail seen");
out:
	sqlite3_finalize(s);
	return rc;
}

int store_webhook_get(struct store *st, int64_t org_id, json_t **out)
{
	sqlite3_stmt *s = NULL;
	json_t *hook = NULL, *log = NULL;
	int rc = prep(st,
		      "SELECT url, active, created_at, updated_at FROM webhooks WHERE org_id = ?1", &s);

	*out = NULL;
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, org_id);
	rc = sq_one_json(st, s, "webhook get", &hook);
	sqlite3_finalize(s);
	s = NULL;
	if (rc != STORE_OK)
		goto out;
	rc = prep(st,
		  "SELECT outbox_id, url, attempt, at, status, error FROM webhook_log WHERE org_id = ?1 "
		  "ORDER BY id DESC LIMIT 50",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, org_id);
	rc = sq_rows_json(st, s, "webhook log", &log);
	if (rc == STORE_OK)
		rc = sq_set(hook, "deliveries", log);
	if (rc == STORE_OK) {
		*out = hook;
		hook = NULL;
	}
out:
	sqlite3_finalize(s);
	json_decref(hook);
	return rc;
}

int store_webhook_update(struct store *st, int64_t org_id, const char *url, bool active,
			 int64_t now)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st, "UPDATE webhooks SET url = ?2, active = ?3, updated_at = ?4 WHERE org_id = ?1",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, org_id);
	sq_bind_text(st, s, 2, url);
	sq_bind_int(st, s, 3, active ? 1 : 0);
	sq_bind_int(st, s, 4, now);
	rc = sq_step_done(st, s, "webhook update");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_mail_report_seen(struct store *st, const char *message_id)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st,
		      "SELECT 1 FROM journal WHERE kind = 'email' AND json_extract(data, "
		      "'$.message_id') = ?1 AND json_extract(data, '$.report') = 1 LIMIT 1",
		      &s);

	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, message_id);
	rc = sq_step_row(st, s, "mail report seen");
out:
	sqlite3_finalize(s);
	return rc;
}

int store_intake_user(struct store *st, int64_t org_id, int64_t now, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st, "SELECT id FROM users WHERE username = 'mailgate.intake'", &s);

	*id = 0;
	if (rc != STORE_OK)
		goto out;
	rc = sq_step_row(st, s, "intake user");
	if (rc == STORE_OK)
		*id = sqlite3_column_int64(s, 0);
	if (rc != STORE_ENOTFOUND)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	/* no roles, no usable password, never active: a name for what came in by e-mail */
	rc = prep(st,
		  "INSERT INTO users(username, full_name, org_id, roles, pw_hash, must_change_pw, "
		  "active, created_at, updated_at) VALUES ('mailgate.intake', "
		  "'Hộp thư tiếp nhận báo cáo (mailgate)', ?1, 0, '!', 1, 0, ?2, ?2)",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, org_id);
	sq_bind_int(st, s, 2, now);
	rc = sq_step_done(st, s, "intake user add");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sqlite3_finalize(s);
	return rc;
}
