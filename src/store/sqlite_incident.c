/* sqlite_incident.c - incidents (store_incident_*): references, the search index, access facts
 * and versioned updates. The list is in sqlite_incident_list.c. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define INC_TEXT_MAX (4u << 20) /* indexed text of one incident, before and after folding */
#define INC_FORM_DEPTH 16       /* nesting of form values walked for the index */

static const struct sq_col incident_cols[] = {
	{"org_id", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
	{"title", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"grp", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"type", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"severity", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"severity_rank", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"status", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"tlp", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"is_drill", SQK_FLAG, SQC_CREATE | SQC_UPDATE, 0},
	{"detected_at", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"reported_at", SQK_INT, SQC_CREATE | SQC_UPDATE, 0},
	{"description", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"impact", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"actions_taken", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"form", SQK_OBJ, SQC_CREATE | SQC_UPDATE, 0},
	{"created_by", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
	{"closed_at", SQK_INT, SQC_UPDATE, 0},
	{"flags", SQK_TEXT, SQC_UPDATE, 0},
	{"state_changed_at", SQK_INT, SQC_UPDATE, 0},
};

static const struct sq_table incident_table = {"incidents", incident_cols,
					       SQ_NELEM(incident_cols)};

/* ---- the search index ---- */

/* Appends the string and number values of a form, depth first, space separated. */
static int inc_form_text(struct buf *b, const json_t *v, int depth)
{
	const char *key;
	const json_t *x;
	size_t i;
	int rc = BUF_OK;

	if (depth > INC_FORM_DEPTH)
		return BUF_OK;
	if (json_is_string(v)) {
		rc = buf_append(b, json_string_value(v), json_string_length(v));
		return rc == BUF_OK ? buf_puts(b, " ") : rc;
	}
	if (json_is_integer(v))
		return buf_printf(b, "%lld ", (long long)json_integer_value(v));
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, x) {
			if (rc == BUF_OK)
				rc = inc_form_text(b, x, depth + 1);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (rc == BUF_OK)
				rc = inc_form_text(b, x, depth + 1);
		}
	}
	return rc;
}

/* The raw text of a row of SQ_INCIDENT_TEXT: title, description, impact, actions_taken, ref,
 * then the form's values. */
static int inc_raw_text(sqlite3_stmt *s, struct buf *b)
{
	json_t *form;
	int rc = BUF_OK;

	for (int c = 0; c < 5 && rc == BUF_OK; c++) {
		const char *t = (const char *)sqlite3_column_text(s, c);
		int n = sqlite3_column_bytes(s, c);

		if (t != NULL && n > 0)
			rc = buf_append(b, t, (size_t)n);
		if (rc == BUF_OK)
			rc = buf_puts(b, "\n");
	}
	if (rc != BUF_OK)
		return rc;
	form = json_loadb((const char *)sqlite3_column_text(s, 5),
			  (size_t)sqlite3_column_bytes(s, 5), 0, NULL);
	rc = form != NULL ? inc_form_text(b, form, 0) : BUF_OK;
	json_decref(form);
	return rc;
}

/* Builds the folded text of incident id into out. */
static int inc_folded(struct store *st, int64_t id, struct buf *out)
{
	sqlite3_stmt *s;
	struct buf raw;
	int rc = sq_stmt(st, SQ_INCIDENT_TEXT,
			 "SELECT title, description, impact, actions_taken, ref, form "
			 "FROM incidents WHERE id = ?1", &s);

	buf_init(&raw, INC_TEXT_MAX);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "incident text");
	if (rc != STORE_OK)
		goto out;
	if (inc_raw_text(s, &raw) != BUF_OK ||
	    fold_text(out, raw.p != NULL ? raw.p : "", raw.len) != BUF_OK) {
		log_err("store: incident %lld: text too long to index", (long long)id);
		rc = STORE_EINVAL;
	}
out:
	sq_done(s);
	buf_free(&raw);
	return rc;
}

/* (Re)writes the incidents_fts row of an incident (rowid = id). fresh: no row yet. */
static int inc_index(struct store *st, int64_t id, bool fresh)
{
	sqlite3_stmt *s = NULL;
	struct buf text;
	int rc;

	buf_init(&text, INC_TEXT_MAX);
	rc = inc_folded(st, id, &text);
	if (rc == STORE_OK && !fresh)
		rc = sq_stmt(st, SQ_FTS_DELETE, "DELETE FROM incidents_fts WHERE rowid = ?1", &s);
	if (rc == STORE_OK && !fresh) {
		sq_bind_int(st, s, 1, id);
		rc = sq_step_done(st, s, "fts delete");
		sq_done(s);
	}
	if (rc == STORE_OK)
		rc = sq_stmt(st, SQ_FTS_INSERT,
			     "INSERT INTO incidents_fts(rowid, text) VALUES (?1, ?2)", &s);
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, id);
		sq_bind_text(st, s, 2, text.p);
		rc = sq_step_done(st, s, "fts insert");
		sq_done(s);
	}
	buf_free(&text);
	return rc;
}

/* ---- create ---- */

/* Next value of the per-year counter; the upsert makes it one statement under the write lock. */
static int inc_next_ref(struct store *st, int64_t detected_at, char *ref, size_t refsz)
{
	char name[32];
	sqlite3_stmt *s;
	int year, mo, d, h, mi, sec, rc;
	int64_t n;

	/* the year people see on the incident: Vietnam time, not UTC */
	tm_vn_fields(detected_at, &year, &mo, &d, &h, &mi, &sec);
	snprintf(name, sizeof name, "incident-%04d", year);
	rc = sq_stmt(st, SQ_COUNTER_NEXT,
		     "INSERT INTO counters(name, value) VALUES (?1, 1) ON CONFLICT(name) "
		     "DO UPDATE SET value = value + 1 RETURNING value", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, name);
	rc = sq_step_row(st, s, "incident counter");
	if (rc == STORE_ENOTFOUND)
		rc = STORE_EIO;
	if (rc == STORE_OK) {
		n = sqlite3_column_int64(s, 0);
		if (snprintf(ref, refsz, "UC-%04d-%06lld", year, (long long)n) >= (int)refsz)
			rc = STORE_EIO;
	}
	sq_done(s);
	return rc;
}

/* Replaces the systems of an incident by the array of ids (NULL or null: none). */
static int inc_put_systems(struct store *st, int64_t id, const json_t *systems, bool fresh)
{
	sqlite3_stmt *s = NULL;
	const json_t *v;
	size_t i;
	int rc = STORE_OK;

	if (systems != NULL && !json_is_null(systems) && !json_is_array(systems))
		return STORE_EINVAL;
	if (!fresh) {
		rc = sq_stmt(st, SQ_INCIDENT_SYSTEM_CLEAR,
			     "DELETE FROM incident_systems WHERE incident_id = ?1", &s);
		if (rc != STORE_OK)
			return rc;
		sq_bind_int(st, s, 1, id);
		rc = sq_step_done(st, s, "incident systems clear");
		sq_done(s);
	}
	if (rc != STORE_OK || !json_is_array(systems) || json_array_size(systems) == 0)
		return rc;
	rc = sq_stmt(st, SQ_INCIDENT_SYSTEM_INSERT,
		     "INSERT OR IGNORE INTO incident_systems(incident_id, system_id) VALUES (?1, ?2)",
		     &s);
	json_array_foreach(systems, i, v) {
		if (rc != STORE_OK)
			break;
		if (!json_is_integer(v)) {
			rc = STORE_EINVAL;
			break;
		}
		sq_bind_int(st, s, 1, id);
		sq_bind_int(st, s, 2, json_integer_value(v));
		rc = sq_step_done(st, s, "incident system");
		sq_done(s);
	}
	return rc;
}

static const char incident_insert_sql[] =
	"INSERT INTO incidents(org_id, title, grp, type, severity, severity_rank, status, tlp, "
	"is_drill, detected_at, reported_at, description, impact, actions_taken, form, created_by, "
	"ref, created_at, updated_at, state_changed_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	"?18, ?18)";

static int inc_insert(struct store *st, const json_t *inc, const char *ref, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_INCIDENT_INSERT, incident_insert_sql, &s), n;

	if (rc != STORE_OK)
		return rc;
	rc = sq_bind_create(st, s, inc, incident_cols, SQ_NELEM(incident_cols), &n);
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, n + 1, ref);
	sq_bind_int(st, s, n + 2, tm_now());
	rc = sq_step_done(st, s, "incident create");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sq_done(s);
	return rc;
}

int store_incident_create(struct store *st, const json_t *inc, int64_t *id, char *ref)
{
	const json_t *det = json_object_get(inc, "detected_at");
	char r[32];
	int64_t new_id = 0;
	int rc;

	*id = 0;
	if (ref != NULL)
		ref[0] = '\0';
	/* the year of the reference must be a real calendar year */
	if (!json_is_integer(det) || tm_format_iso(json_integer_value(det), r, sizeof r) != 0)
		return STORE_EINVAL;
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		return rc;
	rc = inc_next_ref(st, json_integer_value(det), r, sizeof r);
	if (rc == STORE_OK)
		rc = inc_insert(st, inc, r, &new_id);
	if (rc == STORE_OK)
		rc = inc_put_systems(st, new_id, json_object_get(inc, "systems"), true);
	rc = sq_finish(st, rc);
	/* the full-text row at commit, outside every savepoint (sq_fts_defer) */
	if (rc == STORE_OK)
		rc = sq_fts_defer(st, new_id);
	if (rc != STORE_OK)
		return rc;
	*id = new_id;
	if (ref != NULL)
		memcpy(ref, r, strlen(r) + 1); /* r fits: "UC-YYYY-" + at most 19 digits < 32 */
	return STORE_OK;
}

#define FTS_DUE_MAX 65536 /* more incidents than this in one transaction are indexed on the way */

int sq_fts_defer(struct store *st, int64_t id)
{
	/* no transaction of the caller's (the savepoint was the whole of it): index now */
	if (sqlite3_get_autocommit(st->db))
		return inc_index(st, id, true);
	if (st->nfts_due == st->capfts_due) {
		size_t cap = st->capfts_due ? st->capfts_due * 2 : 256;
		int64_t *p;
		int rc;

		if (st->capfts_due >= FTS_DUE_MAX) {
			rc = sq_fts_flush(st);
			if (rc != STORE_OK)
				return rc;
			st->fts_part_mark = 0;
			return sq_fts_defer(st, id);
		}
		p = realloc(st->fts_due, cap * sizeof *p);
		if (p == NULL)
			return STORE_EIO;
		st->fts_due = p;
		st->capfts_due = cap;
	}
	st->fts_due[st->nfts_due++] = id;
	return STORE_OK;
}

int sq_fts_flush(struct store *st)
{
	int rc = STORE_OK;

	/* not "fresh": an incident changed after its creation in the same transaction already
	 * has its row (store_incident_update indexes at once), which is then replaced */
	for (size_t i = 0; i < st->nfts_due && rc == STORE_OK; i++)
		rc = inc_index(st, st->fts_due[i], false);
	st->nfts_due = 0;
	return rc;
}

/* ---- reads ---- */

/* What access needs of an incident (struct ac_incident), as INCIDENT_ACCESS_NCOLS columns of a
 * query over incidents i JOIN orgs o (the reporting organisation) with the subject's
 * organisation as ?2; incident_ac_fill reads them. */
#define INCIDENT_ACCESS_SQL                                                                      \
	"i.org_id, i.tlp, coalesce(o.parent_id, 0), EXISTS (SELECT 1 FROM incident_orgs x "       \
	"WHERE x.incident_id = i.id AND x.org_id = ?2) "
#define INCIDENT_ACCESS_NCOLS 4

static void incident_ac_fill(sqlite3_stmt *s, int col, struct ac_incident *out)
{
	out->org_id = sqlite3_column_int64(s, col);
	out->tlp = sqlite3_column_int(s, col + 1);
	out->org_parent_id = sqlite3_column_int64(s, col + 2);
	out->participant = sqlite3_column_int(s, col + 3) != 0;
}

/* The record's columns, with the expressions of grp and form given: as stored for the tree, and
 * for the text "group" and the form only if it is valid JSON (sq_row_write embeds it as is). */
#define INCIDENT_RECORD_SQL(grp, form)                                                           \
	"SELECT i.id, i.ref, i.org_id, o.name AS org_name, o.code AS org_code, i.title, " grp     \
	", i.type, i.severity, i.severity_rank, i.status, i.tlp, i.is_drill, i.detected_at, "     \
	"i.reported_at, i.closed_at, i.description, i.impact, i.actions_taken, " form             \
	", i.created_by, i.version, i.created_at, i.updated_at, i.flags, i.state_changed_at "
#define INCIDENT_FROM_SQL "FROM incidents i JOIN orgs o ON o.id = i.org_id WHERE i.id = ?1"

static const char incident_get_sql[] = INCIDENT_RECORD_SQL("i.grp", "i.form") INCIDENT_FROM_SQL;

/* The text: the record, what struct store_incident_head holds (head_fill), then the access
 * columns. */
#define INCIDENT_HEAD_SQL                                                                        \
	"i.status, i.severity, i.detected_at, i.created_at, i.version, EXISTS (SELECT 1 FROM "      \
	"incident_systems x JOIN systems s ON s.id = x.system_id WHERE x.incident_id = i.id AND "  \
	"s.central_hosted <> 0), " TOLD_FIRSTS_SQL ", "
#define INCIDENT_HEAD_NCOLS 7
static const char incident_text_sql[] =
	INCIDENT_RECORD_SQL("i.grp AS \"group\"", "iif(json_valid(i.form), i.form, NULL) AS form")
	", " INCIDENT_HEAD_SQL INCIDENT_ACCESS_SQL INCIDENT_FROM_SQL;

static const char incident_systems_sql[] =
	"SELECT s.id, s.name, s.level, s.central_hosted, s.critical FROM incident_systems x "
	"JOIN systems s ON s.id = x.system_id WHERE x.incident_id = ?1 ORDER BY s.id";
static const char incident_orgs_sql[] =
	"SELECT x.org_id, o.name, o.role, x.reason FROM incident_orgs x JOIN orgs o ON o.id = "
	"x.org_id WHERE x.incident_id = ?1 ORDER BY x.added_at, x.org_id";

/* Sets obj[key] to the rows of a cached statement taking the incident id as ?1. */
static int inc_attach(struct store *st, json_t *obj, const char *key, enum sq_id id,
		      const char *sql, int64_t incident_id)
{
	sqlite3_stmt *s;
	json_t *rows = NULL;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	rc = sq_rows_json(st, s, key, &rows);
	sq_done(s);
	return rc == STORE_OK ? sq_set(obj, key, rows) : rc;
}

int store_incident_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	json_t *inc = NULL;
	int rc = sq_stmt(st, SQ_INCIDENT_GET, incident_get_sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "incident get");
	if (rc == STORE_OK)
		rc = sq_row_json(s, &inc);
	sq_done(s);
	if (rc == STORE_OK)
		rc = inc_attach(st, inc, "systems", SQ_INCIDENT_SYSTEMS, incident_systems_sql, id);
	if (rc == STORE_OK)
		rc = inc_attach(st, inc, "orgs", SQ_INCIDENT_ORGS, incident_orgs_sql, id);
	if (rc != STORE_OK) {
		json_decref(inc);
		return rc;
	}
	*out = inc;
	return STORE_OK;
}

/* Writes "key": the rows of a cached statement taking the incident id as ?1. */
static int inc_write_list(struct store *st, struct jsonw *w, const char *key, enum sq_id id,
			  const char *sql, int64_t incident_id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	jsonw_keyz(w, key);
	rc = sq_rows_write(st, s, key, w);
	sq_done(s);
	return rc;
}

static const char *col_text(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return t != NULL ? t : "";
}

static void head_fill(sqlite3_stmt *s, int col, struct store_incident_head *h)
{
	str_copy(h->status, sizeof h->status, col_text(s, col));
	str_copy(h->severity, sizeof h->severity, col_text(s, col + 1));
	h->detected_at = sqlite3_column_int64(s, col + 2);
	h->created_at = sqlite3_column_int64(s, col + 3);
	h->version = sqlite3_column_int64(s, col + 4);
	h->central_hosted = sqlite3_column_int(s, col + 5) != 0;
	clock_told_parse(col_text(s, col + 6), h->told_at);
}

int store_incident_write(struct store *st, int64_t id, int64_t subject_org_id, struct jsonw *w,
			 struct store_incident_head *head, struct ac_incident *ac)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_INCIDENT_READ, incident_text_sql, &s), n;

	memset(head, 0, sizeof *head);
	memset(ac, 0, sizeof *ac);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, subject_org_id);
	rc = sq_step_row(st, s, "incident get");
	if (rc == STORE_OK) {
		n = sqlite3_column_count(s) - INCIDENT_HEAD_NCOLS - INCIDENT_ACCESS_NCOLS;
		incident_ac_fill(s, n + INCIDENT_HEAD_NCOLS, ac);
		head_fill(s, n, head);
		rc = sq_row_write(s, n, w);
	}
	sq_done(s);
	if (rc == STORE_OK)
		rc = inc_write_list(st, w, "systems", SQ_INCIDENT_SYSTEMS, incident_systems_sql, id);
	if (rc == STORE_OK)
		rc = inc_write_list(st, w, "orgs", SQ_INCIDENT_ORGS, incident_orgs_sql, id);
	if (rc != STORE_OK) {
		memset(head, 0, sizeof *head);
		memset(ac, 0, sizeof *ac);
	}
	return rc;
}

int store_incident_access(struct store *st, int64_t id, int64_t subject_org_id,
			  struct ac_incident *out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_INCIDENT_ACCESS,
			 "SELECT " INCIDENT_ACCESS_SQL INCIDENT_FROM_SQL, &s);

	memset(out, 0, sizeof *out);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, subject_org_id);
	rc = sq_step_row(st, s, "incident access");
	if (rc == STORE_OK)
		incident_ac_fill(s, 0, out);
	sq_done(s);
	return rc;
}

int store_incident_state(struct store *st, int64_t id, char *status, size_t statussz,
			 int64_t *version)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_INCIDENT_STATE,
			 "SELECT status, version FROM incidents WHERE id = ?1", &s);

	if (statussz > 0)
		status[0] = '\0';
	*version = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "incident state");
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 0, status, statussz);
	if (rc == STORE_OK)
		*version = sqlite3_column_int64(s, 1);
	sq_done(s);
	return rc;
}

/* ---- writes after create ---- */

static const char *const incident_skip[] = {"systems", NULL};

/* Keys whose change alters the indexed text (ref never changes). */
static bool inc_text_changed(const json_t *fields)
{
	static const char *const keys[] = {"title", "description", "impact", "actions_taken",
					   "form"};

	for (size_t i = 0; i < SQ_NELEM(keys); i++)
		if (json_object_get(fields, keys[i]) != NULL)
			return true;
	return false;
}

/* Status moves do not touch the text, so they skip rewriting the index row. */
int store_incident_update(struct store *st, int64_t id, int64_t version, const json_t *fields)
{
	int rc = sq_savepoint(st);

	if (rc != STORE_OK)
		return rc;
	rc = sq_update(st, &incident_table, id, version, fields, incident_skip);
	if (rc == STORE_OK && json_object_get(fields, "systems") != NULL)
		rc = inc_put_systems(st, id, json_object_get(fields, "systems"), false);
	if (rc == STORE_OK && inc_text_changed(fields))
		rc = inc_index(st, id, false);
	return sq_finish(st, rc);
}

int store_incident_add_org(struct store *st, int64_t incident_id, int64_t org_id,
			   const char *reason)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_INCIDENT_ADD_ORG,
			 "INSERT INTO incident_orgs(incident_id, org_id, reason, added_at) "
			 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(incident_id, org_id) DO NOTHING", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	sq_bind_int(st, s, 2, org_id);
	sq_bind_text(st, s, 3, reason);
	sq_bind_int(st, s, 4, tm_now());
	rc = sq_step_done(st, s, "incident add org");
	sq_done(s);
	return rc;
}

