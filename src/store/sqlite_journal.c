/* sqlite_journal.c - what happens on an incident: journal entries, coordination requests and
 * attachments (store_journal_*, store_request_*, store_attachment_*). */
#include "sqlite_priv.h"

#include <stdlib.h>
#include <string.h>

#include "util/tm.h"

/* Runs a cached statement taking one id as ?1 and returns its rows, or its one row when one. */
static int by_id(struct store *st, enum sq_id id, const char *sql, const char *what, int64_t key,
		 bool one, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, key);
	rc = one ? sq_one_json(st, s, what, out) : sq_rows_json(st, s, what, out);
	sq_done(s);
	return rc;
}

/* ---- journal ---- */

int store_journal_add(struct store *st, int64_t incident_id, const char *kind, int64_t author_id,
		      int64_t org_id, const char *body, const json_t *data, int64_t *id)
{
	sqlite3_stmt *s;
	char *text = NULL;
	int rc;

	if (id != NULL)
		*id = 0;
	if (data != NULL && !json_is_object(data))
		return STORE_EINVAL;
	if (data != NULL && (text = json_dumps(data, JSON_COMPACT)) == NULL)
		return STORE_EIO;
	rc = sq_stmt(st, SQ_JOURNAL_INSERT,
		     "INSERT INTO journal(incident_id, kind, author_id, org_id, body, data, "
		     "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, incident_id);
	sq_bind_text(st, s, 2, kind);
	sq_bind_ref(st, s, 3, author_id); /* 0: the system wrote it */
	sq_bind_ref(st, s, 4, org_id);
	sq_bind_text(st, s, 5, body);
	sq_bind_text(st, s, 6, text != NULL ? text : "{}");
	sq_bind_int(st, s, 7, tm_now());
	rc = sq_step_done(st, s, "journal add");
	if (rc == STORE_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	sq_done(s);
out:
	free(text);
	return rc;
}

int store_journal_list(struct store *st, int64_t incident_id, json_t **out)
{
	return by_id(st, SQ_JOURNAL_LIST,
		     "SELECT j.id, j.incident_id, j.kind, j.author_id, u.full_name AS author_name, "
		     "j.org_id, o.name AS org_name, j.body, j.data, j.created_at FROM journal j "
		     "LEFT JOIN users u ON u.id = j.author_id LEFT JOIN orgs o ON o.id = j.org_id "
		     "WHERE j.incident_id = ?1 ORDER BY j.id", "journal list", incident_id, false,
		     out);
}

/* ---- coordination requests ---- */

static const struct sq_col request_cols[] = {
	{"incident_id", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
	{"from_org_id", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
	{"to_org_id", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
	{"kind", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
	{"body", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
	{"status", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
	{"due_at", SQK_INT, SQC_CREATE, 0},
	{"created_by", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
};

int store_request_create(struct store *st, const json_t *req, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_REQUEST_INSERT,
			 "INSERT INTO requests(incident_id, from_org_id, to_org_id, kind, body, "
			 "status, due_at, created_by, created_at) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &s), n;

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	rc = sq_bind_create(st, s, req, request_cols, SQ_NELEM(request_cols), &n);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, n + 1, tm_now());
	rc = sq_step_done(st, s, "request create");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sq_done(s);
	return rc;
}

#define REQUEST_ROW                                                                              \
	"SELECT r.id, r.incident_id, r.from_org_id, f.name AS from_name, r.to_org_id, "          \
	"t.name AS to_name, r.kind, r.body, r.status, r.answer, r.due_at, r.created_by, "        \
	"r.answered_by, r.created_at, r.answered_at FROM requests r "                            \
	"JOIN orgs f ON f.id = r.from_org_id JOIN orgs t ON t.id = r.to_org_id "

int store_request_get(struct store *st, int64_t id, json_t **out)
{
	return by_id(st, SQ_REQUEST_GET, REQUEST_ROW "WHERE r.id = ?1", "request get", id, true,
		     out);
}

int store_request_answer(struct store *st, int64_t id, const char *status, const char *answer,
			 int64_t user_id, int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_REQUEST_ANSWER,
			 "UPDATE requests SET status = ?2, answer = ?3, answered_by = ?4, "
			 "answered_at = ?5 WHERE id = ?1", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_text(st, s, 2, status);
	sq_bind_text(st, s, 3, answer);
	sq_bind_ref(st, s, 4, user_id);
	sq_bind_int(st, s, 5, now);
	rc = sq_step_done(st, s, "request answer");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
	sq_done(s);
	return rc;
}

int store_request_list(struct store *st, int64_t incident_id, json_t **out)
{
	return by_id(st, SQ_REQUEST_LIST, REQUEST_ROW "WHERE r.incident_id = ?1 ORDER BY r.id",
		     "request list", incident_id, false, out);
}

/* ---- attachments ---- */

int store_attachment_add(struct store *st, int64_t incident_id, const char *sha256,
			 const char *name, const char *mime, int64_t size, int64_t user_id,
			 int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ATTACHMENT_INSERT,
			 "INSERT INTO attachments(incident_id, sha256, name, mime, size, "
			 "uploaded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s);

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	sq_bind_text(st, s, 2, sha256);
	sq_bind_text(st, s, 3, name);
	sq_bind_text(st, s, 4, mime);
	sq_bind_int(st, s, 5, size);
	sq_bind_int(st, s, 6, user_id);
	sq_bind_int(st, s, 7, tm_now());
	rc = sq_step_done(st, s, "attachment add");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	sq_done(s);
	return rc;
}

#define ATTACHMENT_ROW                                                                           \
	"SELECT a.id, a.incident_id, a.sha256, a.name, a.mime, a.size, a.uploaded_by, "         \
	"u.full_name AS uploaded_by_name, a.created_at "                                         \
	"FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by "

int store_attachment_get(struct store *st, int64_t id, json_t **out)
{
	return by_id(st, SQ_ATTACHMENT_GET, ATTACHMENT_ROW "WHERE a.id = ?1", "attachment get", id,
		     true, out);
}

int store_attachment_list(struct store *st, int64_t incident_id, json_t **out)
{
	return by_id(st, SQ_ATTACHMENT_LIST, ATTACHMENT_ROW "WHERE a.incident_id = ?1 ORDER BY a.id",
		     "attachment list", incident_id, false, out);
}
