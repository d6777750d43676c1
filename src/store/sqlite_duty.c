/* sqlite_duty.c - the periodic-duty calendar (store_duty_*). The sync is idempotent: each run
 * stamps the instances it finds due with a new generation; pending instances of the window that
 * were not stamped are no longer due and are cancelled. */
#include "sqlite_priv.h"

#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "util/buf.h"
#include "util/str.h"

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

/* Reads rows of (int, int, ...) into a growing array of structs via fill. */
static int read_orgs(struct store *st, int64_t coordinator, struct duty_org **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 64;
	struct duty_org *a = malloc(cap * sizeof *a);
	int rc = prepare(st, "SELECT id, role FROM orgs WHERE active = 1 ORDER BY id", &s, "duty orgs");

	*out = NULL;
	*n = 0;
	if (a == NULL || rc != STORE_OK)
		return free(a), rc != STORE_OK ? rc : STORE_EIO;
	while ((rc = sq_step_row(st, s, "duty orgs")) == STORE_OK) {
		if (*n == cap) {
			struct duty_org *b = realloc(a, 2 * cap * sizeof *a);

			if (b == NULL) {
				rc = STORE_EIO;
				break;
			}
			a = b;
			cap *= 2;
		}
		a[*n].id = sqlite3_column_int64(s, 0);
		a[*n].role = codes_org_role_parse((const char *)sqlite3_column_text(s, 1));
		a[*n].coordinator = a[*n].id == coordinator;
		(*n)++;
	}
	sqlite3_finalize(s);
	if (rc != STORE_ENOTFOUND)
		return free(a), *n = 0, rc;
	*out = a;
	return STORE_OK;
}

static int read_systems(struct store *st, struct duty_system **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 64;
	struct duty_system *a = malloc(cap * sizeof *a);
	int rc = prepare(st,
			 "SELECT id, owner_org_id, operator_org_id, level, critical FROM systems "
			 "ORDER BY id",
			 &s, "duty systems");

	*out = NULL;
	*n = 0;
	if (a == NULL || rc != STORE_OK)
		return free(a), rc != STORE_OK ? rc : STORE_EIO;
	while ((rc = sq_step_row(st, s, "duty systems")) == STORE_OK) {
		if (*n == cap) {
			struct duty_system *b = realloc(a, 2 * cap * sizeof *a);

			if (b == NULL) {
				rc = STORE_EIO;
				break;
			}
			a = b;
			cap *= 2;
		}
		a[*n] = (struct duty_system){
			.id = sqlite3_column_int64(s, 0),
			.owner_org_id = sqlite3_column_int64(s, 1),
			.operator_org_id = sqlite3_column_int64(s, 2),
			.level = sqlite3_column_int(s, 3),
			.critical = sqlite3_column_int(s, 4) != 0,
		};
		(*n)++;
	}
	sqlite3_finalize(s);
	if (rc != STORE_ENOTFOUND)
		return free(a), *n = 0, rc;
	*out = a;
	return STORE_OK;
}

int store_duty_registry(struct store *st, struct duty_org **orgs, size_t *norgs,
			struct duty_system **systems, size_t *nsystems)
{
	char v[32];
	int64_t coord = 0;
	int rc;

	*systems = NULL;
	*nsystems = 0;
	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK)
		str_to_i64(v, 1, INT64_MAX, &coord);
	rc = read_orgs(st, coord, orgs, norgs);
	if (rc == STORE_OK && (rc = read_systems(st, systems, nsystems)) != STORE_OK) {
		free(*orgs);
		*orgs = NULL;
		*norgs = 0;
	}
	return rc;
}

struct sync_ctx {
	struct store *st;
	sqlite3_stmt *upsert;
	int64_t gen, now;
	int rc;
};

static int sync_emit(void *arg, const struct preset_duty *d, int64_t org_id, int64_t system_id,
		     int64_t due_at)
{
	struct sync_ctx *c = arg;

	sqlite3_reset(c->upsert);
	sq_bind_text(c->st, c->upsert, 1, d->code);
	sq_bind_int(c->st, c->upsert, 2, org_id);
	sq_bind_int(c->st, c->upsert, 3, system_id);
	sq_bind_int(c->st, c->upsert, 4, due_at);
	sq_bind_int(c->st, c->upsert, 5, c->now);
	sq_bind_int(c->st, c->upsert, 6, c->gen);
	c->rc = sq_step_done(c->st, c->upsert, "duty upsert");
	return c->rc == STORE_OK ? 0 : 1;
}

static int count_rows(struct store *st, int64_t *n)
{
	sqlite3_stmt *s;
	int rc = prepare(st, "SELECT count(*), coalesce(max(sync_gen), 0) FROM duties", &s, "duty count");

	if (rc != STORE_OK)
		return rc;
	rc = sq_step_row(st, s, "duty count");
	if (rc == STORE_OK) {
		n[0] = sqlite3_column_int64(s, 0);
		n[1] = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc;
}

static int cancel_stale(struct store *st, int64_t gen, int64_t from, int64_t to, int64_t *n)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "UPDATE duties SET status = 'cancelled' WHERE status = 'pending' AND "
			 "due_at >= ?1 AND due_at < ?2 AND sync_gen <> ?3",
			 &s, "duty cancel");

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, from);
	sq_bind_int(st, s, 2, to);
	sq_bind_int(st, s, 3, gen);
	rc = sq_step_done(st, s, "duty cancel");
	*n = sqlite3_changes(st->db);
	sqlite3_finalize(s);
	return rc;
}

int store_duty_sync(struct store *st, const struct preset *p, int64_t from, int64_t to,
		    int64_t now, int64_t *added, int64_t *cancelled)
{
	struct sync_ctx c = {.st = st, .now = now};
	struct duty_org *orgs = NULL;
	struct duty_system *systems = NULL;
	size_t norgs = 0, nsystems = 0;
	int64_t before[2] = {0, 0}, after[2] = {0, 0};
	int rc;

	*added = *cancelled = 0;
	rc = store_duty_registry(st, &orgs, &norgs, &systems, &nsystems);
	if (rc == STORE_OK)
		rc = count_rows(st, before);
	if (rc == STORE_OK)
		rc = prepare(st,
			     "INSERT INTO duties(duty, org_id, system_id, due_at, created_at, sync_gen) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(duty, org_id, system_id, due_at) "
			     "DO UPDATE SET sync_gen = excluded.sync_gen, status = CASE WHEN status = "
			     "'cancelled' THEN 'pending' ELSE status END",
			     &c.upsert, "duty upsert");
	if (rc != STORE_OK)
		goto out;
	c.gen = before[1] + 1;
	rc = sq_savepoint(st);
	if (rc == STORE_OK) {
		c.rc = STORE_OK;
		duty_generate(p, orgs, norgs, systems, nsystems, from, to, sync_emit, &c);
		rc = c.rc;
		if (rc == STORE_OK)
			rc = cancel_stale(st, c.gen, from, to, cancelled);
		if (rc == STORE_OK)
			rc = count_rows(st, after);
		rc = sq_finish(st, rc);
	}
	*added = after[0] - before[0];
out:
	sqlite3_finalize(c.upsert);
	free(orgs);
	free(systems);
	return rc;
}

#define DUTY_COLS                                                                                \
	"SELECT d.id, d.duty, d.org_id, o.name AS org_name, d.system_id, s.name AS system_name, " \
	"d.due_at, d.status, d.done_at, d.done_by, u.full_name AS done_by_name, d.note, "        \
	"(SELECT count(*) FROM duty_evidence e WHERE e.duty_id = d.id) AS evidence "             \
	"FROM duties d JOIN orgs o ON o.id = d.org_id LEFT JOIN systems s ON s.id = d.system_id " \
	"LEFT JOIN users u ON u.id = d.done_by "

int store_duty_list(struct store *st, const struct store_duty_filter *f, int64_t now,
		    json_t **out)
{
	struct buf b;
	sqlite3_stmt *s = NULL;
	int rc;

	*out = NULL;
	buf_init(&b, 4096);
	buf_puts(&b, DUTY_COLS "WHERE 1 = 1");
	if (f->org_id)
		buf_puts(&b, " AND d.org_id = ?1");
	if (f->status && strcmp(f->status, "overdue") == 0)
		buf_puts(&b, " AND d.status = 'pending' AND d.due_at < ?6");
	else if (f->status)
		buf_puts(&b, " AND d.status = ?2");
	if (f->duty)
		buf_puts(&b, " AND d.duty = ?3");
	if (f->from)
		buf_puts(&b, " AND d.due_at >= ?4");
	if (f->to)
		buf_puts(&b, " AND d.due_at < ?5");
	if (buf_puts(&b, " ORDER BY d.due_at, d.id LIMIT ?7") != BUF_OK)
		return buf_free(&b), STORE_EINVAL;
	rc = prepare(st, b.p, &s, "duty list");
	buf_free(&b);
	if (rc != STORE_OK)
		return rc;
	if (f->org_id)
		sq_bind_int(st, s, 1, f->org_id);
	if (f->status && strcmp(f->status, "overdue") != 0)
		sq_bind_text(st, s, 2, f->status);
	if (f->duty)
		sq_bind_text(st, s, 3, f->duty);
	if (f->from)
		sq_bind_int(st, s, 4, f->from);
	if (f->to)
		sq_bind_int(st, s, 5, f->to);
	if (f->status && strcmp(f->status, "overdue") == 0)
		sq_bind_int(st, s, 6, now);
	sq_bind_int(st, s, 7, f->limit > 0 ? f->limit : 1000);
	rc = sq_rows_json(st, s, "duty list", out);
	sqlite3_finalize(s);
	return rc;
}

int store_duty_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	json_t *duty = NULL, *ev = NULL;
	int rc = prepare(st, DUTY_COLS "WHERE d.id = ?1", &s, "duty get");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "duty get", &duty);
	sqlite3_finalize(s);
	if (rc != STORE_OK)
		return rc;
	rc = prepare(st,
		     "SELECT id, sha256, name, mime, size, uploaded_by, created_at FROM duty_evidence "
		     "WHERE duty_id = ?1 ORDER BY id",
		     &s, "duty evidence");
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, id);
		rc = sq_rows_json(st, s, "duty evidence", &ev);
		sqlite3_finalize(s);
	}
	if (rc == STORE_OK)
		rc = sq_set(duty, "evidence_files", ev);
	if (rc != STORE_OK)
		return json_decref(duty), rc;
	*out = duty;
	return STORE_OK;
}

int store_duty_done(struct store *st, int64_t id, int64_t user_id, const char *note, int64_t now)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "UPDATE duties SET status = 'done', done_at = ?2, done_by = ?3, note = ?4 "
			 "WHERE id = ?1 AND status = 'pending'",
			 &s, "duty done");

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, now);
	sq_bind_ref(st, s, 3, user_id);
	sq_bind_text(st, s, 4, note);
	rc = sq_step_done(st, s, "duty done");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ECONFLICT;
	sqlite3_finalize(s);
	return rc;
}

int store_duty_evidence_add(struct store *st, int64_t duty_id, const char *sha256,
			    const char *name, const char *mime, int64_t size, int64_t user_id,
			    int64_t now, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "INSERT INTO duty_evidence(duty_id, size, uploaded_by, created_at, sha256, "
			 "name, mime) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			 &s, "duty evidence add");

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, duty_id);
	sq_bind_int(st, s, 2, size);
	sq_bind_int(st, s, 3, user_id);
	sq_bind_int(st, s, 4, now);
	sq_bind_text(st, s, 5, sha256);
	sq_bind_text(st, s, 6, name);
	sq_bind_text(st, s, 7, mime);
	rc = sq_step_done(st, s, "duty evidence add");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return rc;
}

static int compliance_query(struct store *st, const char *sql, int64_t from, int64_t to,
			    int64_t now, json_t **out)
{
	sqlite3_stmt *s;
	int rc = prepare(st, sql, &s, "duty compliance");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, from);
	sq_bind_int(st, s, 2, to);
	sq_bind_int(st, s, 3, now);
	rc = sq_rows_json(st, s, "duty compliance", out);
	sqlite3_finalize(s);
	return rc;
}

int store_duty_compliance(struct store *st, int64_t from, int64_t to, int64_t now, json_t **out)
{
	json_t *orgs = NULL, *late = NULL;
	int rc = compliance_query(
		st,
		"SELECT d.org_id, o.name AS org_name, o.role AS org_role, "
		"count(*) AS due, "
		"sum(d.status = 'done' AND d.done_at <= d.due_at) AS done_on_time, "
		"sum(d.status = 'done' AND d.done_at > d.due_at) AS done_late, "
		"sum(d.status = 'pending' AND d.due_at < ?3) AS overdue, "
		"sum(d.status = 'pending' AND d.due_at >= ?3) AS pending "
		"FROM duties d JOIN orgs o ON o.id = d.org_id "
		"WHERE d.status <> 'cancelled' AND d.due_at >= ?1 AND d.due_at < ?2 "
		"GROUP BY d.org_id ORDER BY overdue DESC, o.name",
		from, to, now, &orgs);

	if (rc == STORE_OK)
		rc = compliance_query(
			st,
			"SELECT d.id, d.duty, d.org_id, o.name AS org_name, d.system_id, d.due_at, "
			"d.status, d.done_at FROM duties d JOIN orgs o ON o.id = d.org_id "
			"WHERE d.due_at >= ?1 AND d.due_at < ?2 AND ((d.status = 'pending' AND "
			"d.due_at < ?3) OR (d.status = 'done' AND d.done_at > d.due_at)) "
			"ORDER BY d.duty, d.due_at LIMIT 5000",
			from, to, now, &late);
	if (rc != STORE_OK) {
		json_decref(orgs);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "orgs", orgs, "late", late);
	return *out ? STORE_OK : STORE_EIO;
}

int store_duty_sync_window(struct store *st, const struct preset *p, int64_t now, int64_t *added,
			   int64_t *cancelled)
{
	int64_t start = 0, from, to;
	char v[32];

	/* an instance that did not exist yet has no duties before it began */
	if (store_meta_get(st, "calendar_start", v, sizeof v) == STORE_OK)
		str_to_i64(v, 0, INT64_MAX, &start);
	duty_window(now, start, &from, &to);
	return store_duty_sync(st, p, from, to, now, added, cancelled);
}
