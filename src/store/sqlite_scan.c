/* sqlite_scan.c - scanner report imports and the findings they track (store_scan_*,
 * store_finding_*; migration 008, docs/scan.md). */
#include "sqlite_priv.h"

#include <string.h>

#include "util/msg.h"

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

static const char scan_insert_sql[] =
	"INSERT INTO scans(system_id, scanner, format, sha256, name, size, scanned_at, ignored, "
	"imported_by, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static const char finding_find_sql[] =
	"SELECT id, status, last_scan_id, closed_at FROM findings "
	"WHERE system_id = ?1 AND scanner = ?2 AND fkey = ?3";

static const char finding_insert_sql[] =
	"INSERT INTO findings(system_id, scanner, fkey, kind, title, cves, cvss, severity, host, "
	"port, protocol, service, first_seen_at, last_seen_at, first_scan_id, last_scan_id, "
	"status_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	"?12, ?13, ?13, ?14, ?14, ?15, ?15, ?15)";

/* A sighting of a known finding: details refreshed from the newest report, first/last seen
 * widened; a fixed finding seen after it was closed is open again (?9). */
static const char finding_seen_sql[] =
	"UPDATE findings SET "
	"title = CASE WHEN ?8 >= last_seen_at THEN ?2 ELSE title END, "
	"cves = CASE WHEN ?8 >= last_seen_at THEN ?3 ELSE cves END, "
	"cvss = CASE WHEN ?8 >= last_seen_at THEN ?4 ELSE cvss END, "
	"severity = CASE WHEN ?8 >= last_seen_at THEN ?5 ELSE severity END, "
	"service = CASE WHEN ?8 >= last_seen_at THEN ?6 ELSE service END, "
	"first_seen_at = min(first_seen_at, ?8), last_seen_at = max(last_seen_at, ?8), "
	"last_scan_id = ?7, updated_at = ?10, "
	"status = CASE WHEN ?9 THEN 'open' ELSE status END, "
	"closed_at = CASE WHEN ?9 THEN 0 ELSE closed_at END, "
	"status_by = CASE WHEN ?9 THEN NULL ELSE status_by END, "
	"status_at = CASE WHEN ?9 THEN ?10 ELSE status_at END, "
	"status_note = CASE WHEN ?9 THEN ?11 ELSE status_note END, "
	"version = version + CASE WHEN ?9 THEN 1 ELSE 0 END "
	"WHERE id = ?1";

static const char finding_close_sql[] =
	"UPDATE findings SET status = 'fixed', closed_at = ?3, status_by = NULL, status_at = ?4, "
	"status_note = ?5, version = version + 1, updated_at = ?4 "
	"WHERE system_id = ?1 AND scanner = ?2 AND status = 'open' AND last_seen_at < ?3";

/* A finding's note, which people edit afterwards: message id about scan scan_id, in
 * Vietnamese, the data's language, into out (cap bytes). */
static void finding_note(enum msg_id id, int64_t scan_id, char *out, size_t cap)
{
	struct msg m;

	msg_set(&m, id, MN("scan_id", scan_id));
	(void)msg_render(&m, MSG_VI, out, cap);
}

static void bind_details(struct store *st, sqlite3_stmt *s, const struct finding *f, int title,
			 int cves, int cvss, int sev, int service)
{
	sq_bind_text(st, s, title, f->title);
	sq_bind_text(st, s, cves, f->cves);
	if (f->has_cvss)
		sqlite3_bind_double(s, cvss, f->cvss);
	else
		sqlite3_bind_null(s, cvss);
	sq_bind_text(st, s, sev, finding_severity(f));
	sq_bind_text(st, s, service, f->service);
}

struct import_stmts {
	sqlite3_stmt *find, *insert, *seen;
};

static int import_one(struct store *st, const struct import_stmts *q, const struct store_scan *in,
		      int64_t scan_id, const struct finding *f, struct store_scan_counts *c)
{
	char note[160];
	int64_t id, last_scan, closed_at;
	bool reopen;
	int rc;

	sqlite3_reset(q->find);
	sq_bind_int(st, q->find, 1, in->system_id);
	sq_bind_text(st, q->find, 2, in->scanner);
	sq_bind_text(st, q->find, 3, f->key);
	rc = sq_step_row(st, q->find, "finding find");
	if (rc == STORE_ENOTFOUND) {
		sqlite3_reset(q->insert);
		sq_bind_int(st, q->insert, 1, in->system_id);
		sq_bind_text(st, q->insert, 2, in->scanner);
		sq_bind_text(st, q->insert, 3, f->key);
		sq_bind_text(st, q->insert, 4, finding_kind_name(f->kind));
		bind_details(st, q->insert, f, 5, 6, 7, 8, 12);
		sq_bind_text(st, q->insert, 9, f->host);
		sq_bind_int(st, q->insert, 10, f->port);
		sq_bind_text(st, q->insert, 11, f->protocol);
		sq_bind_int(st, q->insert, 13, in->scanned_at);
		sq_bind_int(st, q->insert, 14, scan_id);
		sq_bind_int(st, q->insert, 15, in->now);
		rc = sq_step_done(st, q->insert, "finding insert");
		if (rc == STORE_OK) {
			c->created++;
			c->results++;
		}
		return rc;
	}
	if (rc != STORE_OK)
		return rc;
	id = sqlite3_column_int64(q->find, 0);
	reopen = strcmp((const char *)sqlite3_column_text(q->find, 1), "fixed") == 0;
	last_scan = sqlite3_column_int64(q->find, 2);
	closed_at = sqlite3_column_int64(q->find, 3);
	sqlite3_reset(q->find);
	if (last_scan == scan_id)
		return STORE_OK; /* the same finding twice in one report */
	reopen = reopen && in->scanned_at > closed_at;
	finding_note(M_finding_seen_again, scan_id, note, sizeof note);
	sqlite3_reset(q->seen);
	sq_bind_int(st, q->seen, 1, id);
	bind_details(st, q->seen, f, 2, 3, 4, 5, 6);
	sq_bind_int(st, q->seen, 7, scan_id);
	sq_bind_int(st, q->seen, 8, in->scanned_at);
	sq_bind_int(st, q->seen, 9, reopen ? 1 : 0);
	sq_bind_int(st, q->seen, 10, in->now);
	sq_bind_text(st, q->seen, 11, note);
	rc = sq_step_done(st, q->seen, "finding seen");
	if (rc == STORE_OK) {
		c->seen++;
		c->results++;
		c->reopened += reopen ? 1 : 0;
	}
	return rc;
}

static int scan_counts_save(struct store *st, int64_t scan_id, const struct store_scan_counts *c)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "UPDATE scans SET results = ?2, new_count = ?3, seen_count = ?4, "
			 "reopened_count = ?5, closed_count = ?6 WHERE id = ?1",
			 &s, "scan counts");

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, scan_id);
	sq_bind_int(st, s, 2, c->results);
	sq_bind_int(st, s, 3, c->created);
	sq_bind_int(st, s, 4, c->seen);
	sq_bind_int(st, s, 5, c->reopened);
	sq_bind_int(st, s, 6, c->closed);
	rc = sq_step_done(st, s, "scan counts");
	sqlite3_finalize(s);
	return rc;
}

static int scan_close_unseen(struct store *st, const struct store_scan *in, int64_t scan_id,
			     struct store_scan_counts *c)
{
	sqlite3_stmt *s;
	char note[200];
	int rc = prepare(st, finding_close_sql, &s, "finding close");

	if (rc != STORE_OK)
		return rc;
	finding_note(M_finding_not_seen, scan_id, note, sizeof note);
	sq_bind_int(st, s, 1, in->system_id);
	sq_bind_text(st, s, 2, in->scanner);
	sq_bind_int(st, s, 3, in->scanned_at);
	sq_bind_int(st, s, 4, in->now);
	sq_bind_text(st, s, 5, note);
	rc = sq_step_done(st, s, "finding close");
	if (rc == STORE_OK)
		c->closed = sqlite3_changes(st->db);
	sqlite3_finalize(s);
	return rc;
}

int store_scan_import(struct store *st, const struct store_scan *in, const struct finding *items,
		      size_t n, int64_t *scan_id, struct store_scan_counts *counts)
{
	struct import_stmts q = {0};
	sqlite3_stmt *s = NULL;
	int64_t id = 0;
	int rc;

	*scan_id = 0;
	memset(counts, 0, sizeof *counts);
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		return rc;
	rc = prepare(st, scan_insert_sql, &s, "scan insert");
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, in->system_id);
		sq_bind_text(st, s, 2, in->scanner);
		sq_bind_text(st, s, 3, in->format);
		sq_bind_text(st, s, 4, in->sha256);
		sq_bind_text(st, s, 5, in->name);
		sq_bind_int(st, s, 6, in->size);
		sq_bind_int(st, s, 7, in->scanned_at);
		sq_bind_int(st, s, 8, in->ignored);
		sq_bind_ref(st, s, 9, in->imported_by);
		sq_bind_int(st, s, 10, in->now);
		rc = sq_step_done(st, s, "scan insert");
		id = sqlite3_last_insert_rowid(st->db);
		sqlite3_finalize(s);
	}
	if (rc == STORE_OK)
		rc = prepare(st, finding_find_sql, &q.find, "finding find");
	if (rc == STORE_OK)
		rc = prepare(st, finding_insert_sql, &q.insert, "finding insert");
	if (rc == STORE_OK)
		rc = prepare(st, finding_seen_sql, &q.seen, "finding seen");
	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		rc = import_one(st, &q, in, id, &items[i], counts);
	if (rc == STORE_OK)
		rc = scan_close_unseen(st, in, id, counts);
	if (rc == STORE_OK)
		rc = scan_counts_save(st, id, counts);
	sqlite3_finalize(q.find);
	sqlite3_finalize(q.insert);
	sqlite3_finalize(q.seen);
	rc = sq_finish(st, rc);
	if (rc == STORE_OK)
		*scan_id = id;
	else
		memset(counts, 0, sizeof *counts);
	return rc;
}

int store_scan_set_duties(struct store *st, int64_t scan_id, const char *duties)
{
	sqlite3_stmt *s;
	int rc = prepare(st, "UPDATE scans SET duties = ?2 WHERE id = ?1", &s, "scan duties");

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, scan_id);
	sq_bind_text(st, s, 2, duties);
	rc = sq_step_done(st, s, "scan duties");
	sqlite3_finalize(s);
	return rc;
}

#define SCAN_ROW                                                                                 \
	"SELECT c.id, c.system_id, c.scanner, c.format, c.sha256, c.name, c.size, c.scanned_at, " \
	"c.results, c.ignored, c.new_count, c.seen_count, c.reopened_count, c.closed_count, "      \
	"c.duties, c.imported_by, u.full_name AS imported_by_name, c.imported_at FROM scans c "    \
	"LEFT JOIN users u ON u.id = c.imported_by "

int store_scan_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = prepare(st, SCAN_ROW "WHERE c.id = ?1", &s, "scan get");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "scan get", out);
	sqlite3_finalize(s);
	return rc;
}

int store_scan_list(struct store *st, int64_t system_id, int limit, json_t **out)
{
	sqlite3_stmt *s;
	int rc = prepare(st, SCAN_ROW "WHERE c.system_id = ?1 ORDER BY c.scanned_at DESC, c.id DESC "
				      "LIMIT ?2",
			 &s, "scan list");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, system_id);
	sq_bind_int(st, s, 2, limit > 0 ? limit : 100);
	rc = sq_rows_json(st, s, "scan list", out);
	sqlite3_finalize(s);
	return rc;
}

#define FINDING_ROW                                                                              \
	"SELECT f.id, f.system_id, f.scanner, f.fkey, f.kind, f.title, f.cves, f.cvss, "          \
	"f.severity, f.host, f.port, f.protocol, f.service, f.first_seen_at, f.last_seen_at, "    \
	"f.status, f.status_by, u.full_name AS status_by_name, f.status_at, f.status_note, "      \
	"f.closed_at, f.version FROM findings f LEFT JOIN users u ON u.id = f.status_by "

int store_finding_list(struct store *st, int64_t system_id, const char *status, int limit,
		       json_t **out)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 FINDING_ROW "WHERE f.system_id = ?1 AND (?2 = '' OR f.status = ?2) "
				     "ORDER BY f.status <> 'open', coalesce(f.cvss, -1) DESC, "
				     "f.last_seen_at DESC, f.id LIMIT ?3",
			 &s, "finding list");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, system_id);
	sq_bind_text(st, s, 2, status ? status : "");
	sq_bind_int(st, s, 3, limit > 0 ? limit : 1000);
	rc = sq_rows_json(st, s, "finding list", out);
	sqlite3_finalize(s);
	return rc;
}

int store_finding_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = prepare(st, FINDING_ROW "WHERE f.id = ?1", &s, "finding get");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "finding get", out);
	sqlite3_finalize(s);
	return rc;
}

int store_finding_set_status(struct store *st, int64_t id, int64_t version, const char *status,
			     int64_t user_id, const char *note, int64_t now)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "UPDATE findings SET status = ?3, status_by = ?4, status_at = ?5, "
			 "status_note = ?6, closed_at = CASE WHEN ?3 = 'open' THEN 0 ELSE ?5 END, "
			 "version = version + 1, updated_at = ?5 "
			 "WHERE id = ?1 AND (?2 = 0 OR version = ?2)",
			 &s, "finding status");

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, version);
	sq_bind_text(st, s, 3, status);
	sq_bind_ref(st, s, 4, user_id);
	sq_bind_int(st, s, 5, now);
	sq_bind_text(st, s, 6, note);
	rc = sq_step_done(st, s, "finding status");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ECONFLICT; /* the caller read it: the version moved on */
	sqlite3_finalize(s);
	return rc;
}

int store_duty_pending_for(struct store *st, const char *duty, int64_t system_id, int64_t org_id,
			   int64_t from, int64_t to, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "SELECT id FROM duties WHERE duty = ?1 AND system_id = ?2 AND "
			 "(?3 = 0 OR org_id = ?3) AND status = 'pending' AND due_at >= ?4 AND "
			 "due_at < ?5 ORDER BY due_at, id LIMIT 1",
			 &s, "duty pending for");

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, duty);
	sq_bind_int(st, s, 2, system_id);
	sq_bind_int(st, s, 3, org_id);
	sq_bind_int(st, s, 4, from);
	sq_bind_int(st, s, 5, to);
	rc = sq_step_row(st, s, "duty pending for");
	if (rc == STORE_OK)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}
