/* sqlite_documents.c - official documents (store_document_*): the record of each document
 * generated (kind, reference, SHA-256 of the file), and the figures of the half-year / yearly
 * summary (TT 20/2017/TT-BTTTT Mẫu 05) that no other query gives: per attack type, whether the
 * incident was handled alone, with another organisation's help, or with the national
 * coordinator asked. Statements here are prepared per call (their text depends on the scope). */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/tm.h"

#define SQL_MAX 8192
#define PROPOSALS_MAX 50

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

/* ---- the documents table ---- */

int store_document_add(struct store *st, const struct store_document *d, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	char *params = NULL;
	int rc;

	*id = 0;
	if (d->kind == NULL || d->ref == NULL || d->sha256 == NULL ||
	    (d->params != NULL && !json_is_object(d->params)))
		return STORE_EINVAL;
	if (d->params != NULL && (params = json_dumps(d->params, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return STORE_EIO;
	rc = prepare(st,
		     "INSERT INTO documents(kind, ref, incident_id, params, sha256, size, created_by, "
		     "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		     &s, "document add");
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, d->kind);
	sq_bind_text(st, s, 2, d->ref);
	sq_bind_ref(st, s, 3, d->incident_id);
	sq_bind_text(st, s, 4, params != NULL ? params : "{}");
	sq_bind_text(st, s, 5, d->sha256);
	sq_bind_int(st, s, 6, d->size);
	sq_bind_ref(st, s, 7, d->created_by);
	sq_bind_int(st, s, 8, d->created_at);
	rc = sq_step_done(st, s, "document add");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sqlite3_finalize(s);
	free(params);
	return rc;
}

/* The unique key does the deciding: of parallel reads in one hour exactly one inserts the row,
 * whatever the order the writers come in. */
int store_document_read(struct store *st, int64_t user_id, const char *doc, int64_t hour,
			bool *first)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*first = false;
	if (doc == NULL || doc[0] == '\0')
		return STORE_EINVAL;
	rc = prepare(st, "DELETE FROM document_reads WHERE hour < ?1", &s, "document reads prune");
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, hour);
		rc = sq_step_done(st, s, "document reads prune");
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc == STORE_OK)
		rc = prepare(st,
			     "INSERT INTO document_reads(hour, user_id, doc) VALUES (?1, ?2, ?3) "
			     "ON CONFLICT DO NOTHING",
			     &s, "document read");
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, hour);
		sq_bind_int(st, s, 2, user_id);
		sq_bind_text(st, s, 3, doc);
		rc = sq_step_done(st, s, "document read");
	}
	if (rc == STORE_OK)
		*first = sqlite3_changes(st->db) > 0;
	sqlite3_finalize(s);
	return rc;
}

/* params is kept as JSON text; rows carry it as an object. */
static int params_object(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *text = json_string_value(json_object_get(row, "params"));
		json_t *v = text ? json_loads(text, 0, NULL) : NULL;

		if (sq_set(row, "params", v != NULL ? v : json_object()) != STORE_OK)
			return STORE_EIO;
	}
	return STORE_OK;
}

#define DOCUMENT_SELECT                                                                          \
	"SELECT d.id, d.kind, d.ref, d.incident_id, i.ref AS incident_ref, d.params, "             \
	"d.sha256, d.size, d.created_by, u.full_name AS created_by_name, d.created_at "            \
	"FROM documents d LEFT JOIN incidents i ON i.id = d.incident_id "                         \
	"LEFT JOIN users u ON u.id = d.created_by "

int store_document_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s = NULL;
	json_t *rows = NULL;
	int rc;

	*out = NULL;
	rc = prepare(st, DOCUMENT_SELECT "WHERE d.id = ?1", &s, "document get");
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_rows_json(st, s, "document get", &rows);
	sqlite3_finalize(s);
	if (rc == STORE_OK)
		rc = params_object(rows);
	if (rc == STORE_OK && json_array_size(rows) == 0)
		rc = STORE_ENOTFOUND;
	if (rc == STORE_OK)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

int store_document_list(struct store *st, int64_t incident_id, const char *sha256,
			const char *ref, int limit, json_t **out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*out = NULL;
	if (limit < 1 || limit > 200)
		return STORE_EINVAL;
	rc = prepare(st,
		     DOCUMENT_SELECT
		     "WHERE (?1 = 0 OR d.incident_id = ?1) AND (?2 = '' OR d.sha256 = ?2) "
		     "AND (?3 = '' OR d.ref = ?3) ORDER BY d.id DESC LIMIT ?4",
		     &s, "document list");
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	sq_bind_text(st, s, 2, sha256 != NULL ? sha256 : "");
	sq_bind_text(st, s, 3, ref != NULL ? ref : "");
	sq_bind_int(st, s, 4, limit);
	rc = sq_rows_json(st, s, "document list", out);
	sqlite3_finalize(s);
	if (rc == STORE_OK)
		rc = params_object(*out);
	if (rc != STORE_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- Mẫu 05 figures ---- */

/* The conditions on incidents i of the summary: in scope, detected in [?2, ?3), of organisation
 * ?4 (0 = all), real (drill: 0) or drills (1), of group ?5 ('' = any) or (other) of another. */
static void window_sql(struct buf *b, const struct ac_scope *sc, int drill, bool other)
{
	sq_scope_sql(b, sc);
	buf_printf(b, " AND i.detected_at >= ?2 AND i.detected_at < ?3 AND (?4 = 0 OR i.org_id = ?4)"
		      " AND i.is_drill = %d AND %s",
		   drill, other ? "i.grp <> ?5" : "(?5 = '' OR i.grp = ?5)");
}

static int run_rows(struct store *st, struct buf *b, const struct ac_scope *sc,
		    const struct store_summary_filter *f, const char *what, json_t **out)
{
	sqlite3_stmt *s = NULL;
	int rc, n;

	*out = NULL;
	if (b->p == NULL || b->len >= b->max)
		return STORE_EINVAL;
	rc = prepare(st, b->p, &s, what);
	if (rc != STORE_OK)
		return rc;
	n = sqlite3_bind_parameter_count(s); /* the statements use the first 4, 5 or 6 */
	sq_bind_int(st, s, 1, sc->org_id);
	sq_bind_int(st, s, 2, f->from);
	sq_bind_int(st, s, 3, f->to);
	sq_bind_int(st, s, 4, f->org_id);
	if (n >= 5)
		sq_bind_text(st, s, 5, f->grp != NULL ? f->grp : "");
	if (n >= 6)
		sq_bind_int(st, s, 6, f->max_tlp_text);
	rc = sq_rows_json(st, s, what, out);
	sqlite3_finalize(s);
	return rc;
}

static int helpers(struct store *st, const struct ac_scope *sc, const struct store_summary_filter *f,
		   json_t **out)
{
	struct buf b;
	int rc;

	buf_init(&b, SQL_MAX);
	buf_puts(&b, "SELECT r.to_org_id AS org_id, o.name AS name, o.role AS role, "
		     "count(DISTINCT r.incident_id) AS count FROM requests r "
		     "JOIN incidents i ON i.id = r.incident_id JOIN orgs o ON o.id = r.to_org_id "
		     "WHERE r.status IN ('accepted', 'done') AND r.to_org_id <> i.org_id AND ");
	window_sql(&b, sc, 0, false);
	buf_puts(&b, " GROUP BY r.to_org_id ORDER BY count DESC, o.name");
	rc = run_rows(st, &b, sc, f, "summary helpers", out);
	buf_free(&b);
	return rc;
}

static int proposals(struct store *st, const struct ac_scope *sc,
		     const struct store_summary_filter *f, json_t **out)
{
	struct buf b;
	int rc;

	buf_init(&b, SQL_MAX);
	buf_puts(&b, "SELECT i.ref AS ref, i.tlp AS tlp, "
		     "json_extract(i.form, '$.closing.proposals') AS text FROM incidents i WHERE ");
	window_sql(&b, sc, 0, false);
	buf_printf(&b, " AND i.tlp <= ?6 AND typeof(json_extract(i.form, '$.closing.proposals')) = "
		       "'text' AND json_extract(i.form, '$.closing.proposals') <> '' "
		       "ORDER BY i.detected_at LIMIT %d",
		   PROPOSALS_MAX);
	rc = run_rows(st, &b, sc, f, "summary proposals", out);
	buf_free(&b);
	return rc;
}

/* ---- the bulletin's counts: one pass, aggregated here ---- */

#define AGG_CODES 64       /* distinct groups, severities per window */
#define AGG_MONTHS 4096    /* (month, group) pairs */
#define AGG_ORGS (1u << 20)

struct agg_code {
	char code[64];
	int64_t n;
};

struct agg_month {
	char month[8]; /* "2026-07" */
	size_t group;  /* index into the groups */
	int64_t n;
};

struct agg_org {
	int64_t id; /* 0 = empty slot */
	int64_t n;
};

struct agg {
	struct agg_code groups[AGG_CODES], sevs[AGG_CODES];
	size_t ngroups, nsevs;
	struct agg_month *months;
	size_t nmonths;
	struct agg_org *orgs; /* open addressing on id */
	size_t orgcap, norgs;
	int64_t total, open, drills;
	int max_tlp_named;    /* incidents above it are not counted by organisation */
	int64_t restricted;   /* ... but here */
};

static int agg_code(struct agg_code *a, size_t *n, const char *code, size_t *index)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(a[i].code, code) == 0) {
			*index = i;
			a[i].n++;
			return STORE_OK;
		}
	if (*n == AGG_CODES || str_copy(a[*n].code, sizeof a[*n].code, code) != 0)
		return STORE_EINVAL;
	a[*n].n = 1;
	*index = (*n)++;
	return STORE_OK;
}

static int agg_org(struct agg *a, int64_t id)
{
	size_t mask, i;

	if (2 * (a->norgs + 1) > a->orgcap) {
		size_t cap = a->orgcap ? 2 * a->orgcap : 256;
		struct agg_org *old = a->orgs, *nw;

		if (cap > AGG_ORGS || (nw = calloc(cap, sizeof *nw)) == NULL)
			return STORE_EIO;
		for (size_t k = 0; k < a->orgcap; k++)
			if (old[k].id != 0) {
				for (i = (size_t)old[k].id & (cap - 1); nw[i].id != 0; i = (i + 1) & (cap - 1))
					;
				nw[i] = old[k];
			}
		free(old);
		a->orgs = nw;
		a->orgcap = cap;
	}
	mask = a->orgcap - 1;
	for (i = (size_t)id & mask; a->orgs[i].id != 0 && a->orgs[i].id != id; i = (i + 1) & mask)
		;
	if (a->orgs[i].id == 0) {
		a->orgs[i].id = id;
		a->norgs++;
	}
	a->orgs[i].n++;
	return STORE_OK;
}

static int agg_month(struct agg *a, int64_t detected_at, size_t group)
{
	int y, m, d, h, mi, s;
	char key[32];

	tm_vn_fields(detected_at, &y, &m, &d, &h, &mi, &s);
	snprintf(key, sizeof key, "%04d-%02d", y % 10000, m);
	for (size_t i = a->nmonths; i-- > 0;)
		if (a->months[i].group == group && strcmp(a->months[i].month, key) == 0) {
			a->months[i].n++;
			return STORE_OK;
		}
	if (a->nmonths == AGG_MONTHS)
		return STORE_EINVAL;
	str_copy(a->months[a->nmonths].month, sizeof a->months[a->nmonths].month, key);
	a->months[a->nmonths].group = group;
	a->months[a->nmonths++].n = 1;
	return STORE_OK;
}

static int agg_row(struct agg *a, sqlite3_stmt *s)
{
	const char *grp = (const char *)sqlite3_column_text(s, 1);
	const char *sev = (const char *)sqlite3_column_text(s, 2);
	size_t gi, si;
	int rc;

	if (sqlite3_column_int64(s, 4) != 0) {
		a->drills++;
		return STORE_OK;
	}
	a->total++;
	a->open += sqlite3_column_int64(s, 5) == 0;
	rc = agg_code(a->groups, &a->ngroups, grp ? grp : "", &gi);
	if (rc == STORE_OK)
		rc = agg_code(a->sevs, &a->nsevs, sev ? sev : "", &si);
	if (rc == STORE_OK)
		rc = agg_month(a, sqlite3_column_int64(s, 0), gi);
	/* naming the organisation of an AMBER or RED incident would say more than a count */
	if (rc == STORE_OK && sqlite3_column_int64(s, 6) > a->max_tlp_named)
		a->restricted++;
	else if (rc == STORE_OK)
		rc = agg_org(a, sqlite3_column_int64(s, 3));
	return rc;
}

/* The aggregates as the JSON of store.h (by_group, by_severity, by_month, by_org with names). */
static int agg_json(struct store *st, const struct agg *a, json_t **out)
{
	json_t *g = json_array(), *v = json_array(), *m = json_array(), *o = json_array();
	sqlite3_stmt *s = NULL;
	int rc = g && v && m && o ? STORE_OK : STORE_EIO;

	for (size_t i = 0; rc == STORE_OK && i < a->ngroups; i++)
		if (json_array_append_new(g, json_pack("{s:s, s:I}", "code", a->groups[i].code,
						       "count", (json_int_t)a->groups[i].n)) != 0)
			rc = STORE_EIO;
	for (size_t i = 0; rc == STORE_OK && i < a->nsevs; i++)
		if (json_array_append_new(v, json_pack("{s:s, s:I}", "code", a->sevs[i].code, "count",
						       (json_int_t)a->sevs[i].n)) != 0)
			rc = STORE_EIO;
	for (size_t i = 0; rc == STORE_OK && i < a->nmonths; i++)
		if (json_array_append_new(m, json_pack("{s:s, s:s, s:I}", "month", a->months[i].month,
						       "group", a->groups[a->months[i].group].code,
						       "count", (json_int_t)a->months[i].n)) != 0)
			rc = STORE_EIO;
	if (rc == STORE_OK && a->norgs > 0)
		rc = prepare(st, "SELECT id, name FROM orgs", &s, "bulletin orgs");
	while (rc == STORE_OK && s != NULL && (rc = sq_step_row(st, s, "bulletin orgs")) == STORE_OK) {
		int64_t id = sqlite3_column_int64(s, 0);
		size_t mask = a->orgcap - 1, i;

		for (i = (size_t)id & mask; a->orgs[i].id != 0 && a->orgs[i].id != id; i = (i + 1) & mask)
			;
		if (a->orgs[i].id == id &&
		    json_array_append_new(o, json_pack("{s:I, s:s, s:I}", "org_id", (json_int_t)id,
						       "org_name", sqlite3_column_text(s, 1),
						       "count", (json_int_t)a->orgs[i].n)) != 0)
			rc = STORE_EIO;
	}
	if (rc == STORE_ENOTFOUND)
		rc = STORE_OK;
	sqlite3_finalize(s);
	if (rc == STORE_OK) {
		*out = json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "by_group", g,
				 "by_severity", v, "by_month", m, "by_org", o, "total",
				 (json_int_t)a->total, "open", (json_int_t)a->open, "drills",
				 (json_int_t)a->drills, "restricted", (json_int_t)a->restricted);
		return *out ? STORE_OK : STORE_EIO;
	}
	json_decref(g);
	json_decref(v);
	json_decref(m);
	json_decref(o);
	return rc;
}

int store_document_counts(struct store *st, const struct ac_scope *sc, int64_t from, int64_t to,
			  int max_tlp_named, json_t **out)
{
	struct agg a = {.max_tlp_named = max_tlp_named};
	struct buf b;
	sqlite3_stmt *s = NULL;
	int rc;

	*out = NULL;
	buf_init(&b, SQL_MAX);
	buf_puts(&b, "SELECT i.detected_at, i.grp, i.severity, i.org_id, i.is_drill, i.closed_at, "
		     "i.tlp FROM incidents i WHERE ");
	if (sc->none)
		buf_puts(&b, "0 = 1");
	else
		sq_scope_sql(&b, sc);
	buf_puts(&b, " AND i.detected_at >= ?2 AND i.detected_at < ?3");
	a.months = calloc(AGG_MONTHS, sizeof *a.months);
	rc = b.p == NULL || a.months == NULL ? STORE_EIO : prepare(st, b.p, &s, "bulletin counts");
	buf_free(&b);
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, sc->org_id);
		sq_bind_int(st, s, 2, from);
		sq_bind_int(st, s, 3, to);
		while ((rc = sq_step_row(st, s, "bulletin counts")) == STORE_OK)
			if ((rc = agg_row(&a, s)) != STORE_OK)
				break;
		if (rc == STORE_ENOTFOUND)
			rc = STORE_OK;
	}
	sqlite3_finalize(s);
	if (rc == STORE_OK)
		rc = agg_json(st, &a, out);
	free(a.months);
	free(a.orgs);
	return rc;
}

int store_document_notable(struct store *st, const struct ac_scope *sc, int64_t from, int64_t to,
			   int max_tlp, int limit, json_t **out)
{
	sqlite3_stmt *s = NULL;
	struct buf b;
	int rc;

	*out = NULL;
	if (limit < 1 || limit > 200)
		return STORE_EINVAL;
	buf_init(&b, SQL_MAX);
	buf_puts(&b, "SELECT i.ref, i.title, o.name AS org_name, i.type, i.severity, i.status, "
		     "i.tlp, i.detected_at FROM incidents i JOIN orgs o ON o.id = i.org_id WHERE ");
	if (sc->none)
		buf_puts(&b, "0 = 1");
	else
		sq_scope_sql(&b, sc);
	buf_puts(&b, " AND i.detected_at >= ?2 AND i.detected_at < ?3 AND i.is_drill = 0 AND "
		     "i.tlp <= ?4 ORDER BY i.severity_rank DESC, i.id DESC LIMIT ?5");
	rc = b.p == NULL || b.len >= b.max ? STORE_EIO : prepare(st, b.p, &s, "bulletin notable");
	buf_free(&b);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, sc->org_id);
	sq_bind_int(st, s, 2, from);
	sq_bind_int(st, s, 3, to);
	sq_bind_int(st, s, 4, max_tlp);
	sq_bind_int(st, s, 5, limit);
	rc = sq_rows_json(st, s, "bulletin notable", out);
	sqlite3_finalize(s);
	return rc;
}

int store_document_warnings(struct store *st, int64_t from, int64_t to, int max_tlp, int limit,
			    json_t **out)
{
	static const char *const counts_sql =
		"SELECT COUNT(*), COALESCE(SUM(tlp > ?3), 0) FROM warnings WHERE status <> 'draft' "
		"AND issued_at >= ?1 AND issued_at < ?2";
	static const char *const items_sql =
		"SELECT w.ref, w.title, w.severity, o.name AS issuer_name, w.issued_at, "
		"(SELECT COUNT(*) FROM warning_targets t WHERE t.warning_id = w.id) AS targets, "
		"(SELECT COUNT(*) FROM warning_targets t WHERE t.warning_id = w.id AND "
		"t.acked_at > 0) AS acked FROM warnings w JOIN orgs o ON o.id = w.issuer_org_id "
		"WHERE w.status <> 'draft' AND w.issued_at >= ?1 AND w.issued_at < ?2 AND "
		"w.tlp <= ?3 ORDER BY w.issued_at, w.id LIMIT ?4";
	sqlite3_stmt *s = NULL;
	json_t *items = NULL;
	int64_t total = 0, restricted = 0;
	int rc;

	*out = NULL;
	if (limit < 1 || limit > 200)
		return STORE_EINVAL;
	rc = prepare(st, counts_sql, &s, "bulletin warnings");
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, from);
	sq_bind_int(st, s, 2, to);
	sq_bind_int(st, s, 3, max_tlp);
	if (sqlite3_step(s) == SQLITE_ROW) {
		total = sqlite3_column_int64(s, 0);
		restricted = sqlite3_column_int64(s, 1);
	} else {
		rc = STORE_EIO;
	}
	sqlite3_finalize(s);
	if (rc == STORE_OK)
		rc = prepare(st, items_sql, &s, "bulletin warnings");
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, from);
	sq_bind_int(st, s, 2, to);
	sq_bind_int(st, s, 3, max_tlp);
	sq_bind_int(st, s, 4, limit);
	rc = sq_rows_json(st, s, "bulletin warnings", &items);
	sqlite3_finalize(s);
	if (rc != STORE_OK)
		return rc;
	*out = json_pack("{s:I, s:I, s:o}", "total", (json_int_t)total, "restricted",
			 (json_int_t)restricted, "items", items);
	return *out ? STORE_OK : STORE_EIO;
}

/* ---- Mẫu 05: one pass, aggregated here ---- */

struct type_row {
	char type[64];
	int64_t count, with_help, national, alone, foreign_help, damage;
};

/* Help from another organisation = a coordination request answered (accepted or done) by an
 * organisation other than the incident's own; the national coordinator asked = an organisation
 * of role national named on the incident (escalation rules and requests name their targets) or
 * sent a request; foreign help and damage come from the closing form (parsed only when the
 * form has one). The two sets are uncorrelated IN lists, built once per query. */
static int by_type(struct store *st, const struct ac_scope *sc, const struct store_summary_filter *f,
		   struct type_row *rows, size_t *nrows, int64_t *drills, int64_t *other)
{
	const char *grp = f->grp != NULL ? f->grp : "";
	sqlite3_stmt *s = NULL;
	struct buf b;
	int rc;

	*nrows = 0;
	*drills = *other = 0;
	buf_init(&b, SQL_MAX);
	buf_puts(&b,
		 "SELECT i.grp, i.type, i.is_drill, "
		 "i.id IN (SELECT r.incident_id FROM requests r JOIN incidents j ON j.id = r.incident_id "
		 "WHERE r.status IN ('accepted', 'done') AND r.to_org_id <> j.org_id), "
		 "i.id IN (SELECT io.incident_id FROM incident_orgs io JOIN orgs o ON o.id = io.org_id "
		 "WHERE o.role = 'national' UNION SELECT r.incident_id FROM requests r "
		 "JOIN orgs o ON o.id = r.to_org_id WHERE o.role = 'national'), "
		 "CASE WHEN instr(i.form, '\"closing\"') THEN "
		 "json_extract(i.form, '$.closing.foreign_help') END, "
		 "CASE WHEN instr(i.form, '\"closing\"') THEN "
		 "json_extract(i.form, '$.closing.estimated_damage') END FROM incidents i WHERE ");
	sq_scope_sql(&b, sc);
	buf_puts(&b, " AND i.detected_at >= ?2 AND i.detected_at < ?3 AND (?4 = 0 OR i.org_id = ?4)");
	rc = b.p == NULL || b.len >= b.max ? STORE_EIO : prepare(st, b.p, &s, "summary types");
	buf_free(&b);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, sc->org_id);
	sq_bind_int(st, s, 2, f->from);
	sq_bind_int(st, s, 3, f->to);
	sq_bind_int(st, s, 4, f->org_id);
	while ((rc = sq_step_row(st, s, "summary types")) == STORE_OK) {
		const char *g = (const char *)sqlite3_column_text(s, 0);
		const char *t = (const char *)sqlite3_column_text(s, 1);
		bool helped = sqlite3_column_int64(s, 3) != 0, national = sqlite3_column_int64(s, 4) != 0;
		struct type_row *r = NULL;

		if (sqlite3_column_int64(s, 2) != 0) {
			(*drills)++;
			continue;
		}
		if (grp[0] && (g == NULL || strcmp(g, grp) != 0)) {
			(*other)++;
			continue;
		}
		for (size_t k = 0; k < *nrows && r == NULL; k++)
			if (strcmp(rows[k].type, t ? t : "") == 0)
				r = &rows[k];
		if (r == NULL) {
			if (*nrows == AGG_CODES) {
				rc = STORE_EINVAL;
				break;
			}
			r = &rows[(*nrows)++];
			memset(r, 0, sizeof *r);
			str_copy(r->type, sizeof r->type, t ? t : "");
		}
		r->count++;
		r->with_help += helped;
		r->national += national;
		r->alone += !helped && !national;
		r->foreign_help += sqlite3_column_type(s, 5) == SQLITE_INTEGER &&
				   sqlite3_column_int64(s, 5) == 1;
		if (sqlite3_column_type(s, 6) == SQLITE_INTEGER && sqlite3_column_int64(s, 6) > 0)
			r->damage += sqlite3_column_int64(s, 6);
	}
	sqlite3_finalize(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

int store_document_summary(struct store *st, const struct ac_scope *sc,
			   const struct store_summary_filter *f, json_t **out)
{
	struct type_row *rows = NULL;
	json_t *types = NULL, *help = NULL, *props = NULL;
	int64_t drills = 0, other = 0;
	size_t n = 0;
	int rc;

	*out = NULL;
	if (sc->none) {
		*out = json_pack("{s:[], s:[], s:[], s:i, s:i}", "types", "helpers", "proposals",
				 "drills", 0, "other_groups", 0);
		return *out ? STORE_OK : STORE_EIO;
	}
	rows = calloc(AGG_CODES, sizeof *rows);
	rc = rows ? by_type(st, sc, f, rows, &n, &drills, &other) : STORE_EIO;
	if (rc == STORE_OK)
		rc = helpers(st, sc, f, &help);
	if (rc == STORE_OK)
		rc = proposals(st, sc, f, &props);
	if (rc == STORE_OK && (types = json_array()) == NULL)
		rc = STORE_EIO;
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		if (json_array_append_new(
			    types, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "type", rows[i].type,
					     "count", (json_int_t)rows[i].count, "with_help",
					     (json_int_t)rows[i].with_help, "national",
					     (json_int_t)rows[i].national, "alone",
					     (json_int_t)rows[i].alone, "foreign_help",
					     (json_int_t)rows[i].foreign_help, "damage",
					     (json_int_t)rows[i].damage)) != 0)
			rc = STORE_EIO;
	free(rows);
	if (rc == STORE_OK) {
		*out = json_pack("{s:o, s:o, s:o, s:I, s:I}", "types", types, "helpers", help,
				 "proposals", props, "drills", (json_int_t)drills, "other_groups",
				 (json_int_t)other);
		return *out ? STORE_OK : STORE_EIO;
	}
	json_decref(types);
	json_decref(help);
	json_decref(props);
	return rc;
}
