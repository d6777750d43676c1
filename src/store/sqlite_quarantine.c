/* sqlite_quarantine.c - incoming e-mail waiting for the coordinator's decision (store_quarantine_*,
 * migration 012, docs/mail.md "Who may write in"). Rows are added by `ungcuu mailgate` and
 * decided once: the decision is a conditional update, so two operators deciding at once (or one
 * clicking twice) make one decision. Statements are prepared per call: mail arrives a few times
 * an hour, no slot of the shared cache is worth it. */
#include "sqlite_priv.h"

#include <string.h>

#define QUARANTINE_LIMIT_MAX 200

/* The columns a list or a read gives, with the names of the accounts and references around. */
#define QUARANTINE_COLS                                                                          \
	"q.id, q.received_at, q.status, q.kind, q.from_addr, q.subject, q.message_id, q.size, "    \
	"q.incident_id, q.ref, q.reason, q.reason_text, q.authenticated, q.auth, q.user_id, "      \
	"q.org_id, u.username AS sender_username, o.name AS sender_org_name, q.decided_by, "       \
	"d.username AS decided_by_username, q.decided_at, q.note, q.result_incident_id, "          \
	"r.ref AS result_ref, q.result_journal_id"
#define QUARANTINE_FROM                                                                          \
	" FROM mail_quarantine q LEFT JOIN users u ON u.id = q.user_id LEFT JOIN orgs o ON "      \
	"o.id = q.org_id LEFT JOIN users d ON d.id = q.decided_by LEFT JOIN incidents r ON "      \
	"r.id = q.result_incident_id"

static int prep(struct store *st, const char *sql, sqlite3_stmt **s)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, "quarantine prepare");
}

static const char *text_of(const json_t *row, const char *key)
{
	const char *v = json_string_value(json_object_get(row, key));

	return v != NULL ? v : "";
}

static int64_t int_of(const json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

/* The id of the row holding these bytes. */
static int by_sha(struct store *st, const char *sha, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st, "SELECT id FROM mail_quarantine WHERE sha256 = ?1", &s);

	if (rc == STORE_OK) {
		sq_bind_text(st, s, 1, sha);
		rc = sq_step_row(st, s, "quarantine by sha");
		if (rc == STORE_OK)
			*id = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_quarantine_add(struct store *st, const json_t *row, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*id = 0;
	rc = prep(st,
		  "INSERT INTO mail_quarantine(received_at, sha256, size, message_id, from_addr, "
		  "subject, body, kind, incident_id, ref, reason, reason_text, authenticated, auth, "
		  "user_id, org_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		  "?14, ?15, ?16) ON CONFLICT(sha256) DO NOTHING",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, int_of(row, "received_at"));
	sq_bind_text(st, s, 2, text_of(row, "sha256"));
	sq_bind_int(st, s, 3, int_of(row, "size"));
	sq_bind_text(st, s, 4, text_of(row, "message_id"));
	sq_bind_text(st, s, 5, text_of(row, "from_addr"));
	sq_bind_text(st, s, 6, text_of(row, "subject"));
	sq_bind_text(st, s, 7, text_of(row, "body"));
	sq_bind_text(st, s, 8, text_of(row, "kind"));
	sq_bind_ref(st, s, 9, int_of(row, "incident_id"));
	sq_bind_text(st, s, 10, text_of(row, "ref"));
	sq_bind_text(st, s, 11, text_of(row, "reason"));
	sq_bind_text(st, s, 12, text_of(row, "reason_text"));
	sq_bind_int(st, s, 13, json_is_true(json_object_get(row, "authenticated")));
	sq_bind_text(st, s, 14, text_of(row, "auth"));
	sq_bind_ref(st, s, 15, int_of(row, "user_id"));
	sq_bind_ref(st, s, 16, int_of(row, "org_id"));
	rc = sq_step_done(st, s, "quarantine add");
	if (rc != STORE_OK)
		goto out;
	if (sqlite3_changes(st->db) == 1) {
		*id = sqlite3_last_insert_rowid(st->db);
		goto out;
	}
	/* the same bytes again (the MTA delivered twice): the row they already have */
	rc = by_sha(st, text_of(row, "sha256"), id);
	if (rc == STORE_OK)
		rc = STORE_ECONFLICT;
out:
	sqlite3_finalize(s);
	return rc;
}

int store_quarantine_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s = NULL;
	int rc = prep(st, "SELECT " QUARANTINE_COLS ", q.sha256, q.body" QUARANTINE_FROM
			  " WHERE q.id = ?1",
		      &s);

	*out = NULL;
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, id);
		rc = sq_one_json(st, s, "quarantine get", out);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_quarantine_list(struct store *st, const char *status, int64_t before, int limit,
			  json_t **out, int64_t *next)
{
	sqlite3_stmt *s = NULL;
	json_t *rows = NULL;
	size_t n;
	int rc;

	*out = NULL;
	*next = 0;
	if (limit < 1 || limit > QUARANTINE_LIMIT_MAX)
		return STORE_EINVAL;
	rc = prep(st, "SELECT " QUARANTINE_COLS QUARANTINE_FROM
		      " WHERE q.id < ?1 AND (?2 = '' OR q.status = ?2) ORDER BY q.id DESC LIMIT ?3",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, before > 0 ? before : INT64_MAX);
	sq_bind_text(st, s, 2, status);
	sq_bind_int(st, s, 3, (int64_t)limit + 1);
	rc = sq_rows_json(st, s, "quarantine list", &rows);
	if (rc != STORE_OK)
		goto out;
	n = json_array_size(rows);
	if (n > (size_t)limit) {
		/* the extra row only tells that a next page exists */
		json_array_remove(rows, n - 1);
		*next = json_integer_value(json_object_get(json_array_get(rows, n - 2), "id"));
	}
	*out = rows;
	rows = NULL;
out:
	json_decref(rows);
	sqlite3_finalize(s);
	return rc;
}

int store_quarantine_decide(struct store *st, int64_t id, const char *status, int64_t user_id,
			    const char *note, int64_t result_incident_id, int64_t result_journal_id,
			    int64_t now)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (status == NULL || (strcmp(status, "accepted") != 0 && strcmp(status, "rejected") != 0))
		return STORE_EINVAL;
	rc = prep(st,
		  "UPDATE mail_quarantine SET status = ?2, decided_by = ?3, decided_at = ?4, note = "
		  "?5, result_incident_id = ?6, result_journal_id = ?7 WHERE id = ?1 AND status = "
		  "'pending'",
		  &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, id);
	sq_bind_text(st, s, 2, status);
	sq_bind_ref(st, s, 3, user_id);
	sq_bind_int(st, s, 4, now);
	sq_bind_text(st, s, 5, note);
	sq_bind_ref(st, s, 6, result_incident_id);
	sq_bind_ref(st, s, 7, result_journal_id);
	rc = sq_step_done(st, s, "quarantine decide");
	if (rc == STORE_OK && sqlite3_changes(st->db) != 1) {
		int64_t found;

		/* decided meanwhile, or no such row */
		sqlite3_finalize(s);
		s = NULL;
		rc = prep(st, "SELECT id FROM mail_quarantine WHERE id = ?1", &s);
		if (rc == STORE_OK) {
			sq_bind_int(st, s, 1, id);
			rc = sq_step_row(st, s, "quarantine exists");
		}
		found = rc == STORE_OK;
		if (rc == STORE_OK || rc == STORE_ENOTFOUND)
			rc = found ? STORE_ECONFLICT : STORE_ENOTFOUND;
	}
out:
	sqlite3_finalize(s);
	return rc;
}
