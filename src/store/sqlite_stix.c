/* sqlite_stix.c - the STIX/TAXII exchange's access to the 007 tables (store_stix_*): drafts made
 * by imports, the import's own "issue at once", access facts of warnings, and the walks the
 * STIX builders (api/stix.c) and the TAXII server (api/taxii.c) derive objects from. Nothing is
 * copied into a table of objects: the TAXII pages walk warnings(updated_at, id) and
 * incidents(updated_at, id) (migration 009) and read each row's indicators by their index. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/indicator.h"
#include "core/stix.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define STIX_SQL_MAX 4096

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

static const char *col_text(sqlite3_stmt *s, int c)
{
	const char *t = (const char *)sqlite3_column_text(s, c);

	return t ? t : "";
}

int store_stix_namespace(struct store *st, char *out, size_t outsz)
{
	/* made by migration 014 with the data folder */
	return store_meta_get(st, "stix_namespace", out, outsz);
}

/* ---- drafts from imports ---- */

static const char *jstr(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

/* A network among the indicators: matching looks up only the prefix lengths stored
 * (match_prefixes, store/sqlite_match.c), so a new length is recorded. Related items are linked
 * when the warning is issued, not on import (an import can bring thousands of indicators). */
static int note_prefix(struct store *st, const char *kind, const char *value)
{
	unsigned fam, bits;

	if (kind == NULL || strcmp(kind, "cidr") != 0 || indicator_prefix(value, &fam, &bits) != 0)
		return STORE_OK;
	return sq_prefix_add(st, fam == 4 ? 4 : 6, bits);
}

static int insert_indicators(struct store *st, int64_t wid, const json_t *inds, const char *src,
			     int64_t now)
{
	sqlite3_stmt *s;
	const json_t *v;
	size_t i;
	int rc;

	if (!json_is_array(inds) || json_array_size(inds) == 0)
		return STORE_OK;
	rc = sq_stmt(st, SQ_STIX_INDICATOR_INSERT,
		     "INSERT INTO indicators(kind, value, warning_id, note, source, created_at) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s);
	if (rc != STORE_OK)
		return rc;
	json_array_foreach(inds, i, v) {
		sq_bind_text(st, s, 1, jstr(v, "kind"));
		sq_bind_text(st, s, 2, jstr(v, "value"));
		sq_bind_int(st, s, 3, wid);
		sq_bind_text(st, s, 4, jstr(v, "note"));
		sq_bind_text(st, s, 5, src);
		sq_bind_int(st, s, 6, now);
		rc = sq_step_done(st, s, "indicator insert");
		sqlite3_reset(s);
		if (rc == STORE_OK)
			rc = note_prefix(st, jstr(v, "kind"), jstr(v, "value"));
		if (rc != STORE_OK)
			break;
	}
	sq_done(s);
	return rc;
}

int store_stix_warning_create(struct store *st, const json_t *w, const json_t *indicators,
			      const char *src, int64_t *id, char *ref, size_t refsz)
{
	int64_t now = tm_now(), nid = 0;
	json_t *row = json_deep_copy(w);
	char r[32] = "";
	int rc;

	*id = 0;
	if (refsz)
		ref[0] = '\0';
	if (row == NULL)
		return STORE_EIO;
	/* the warning as any other (store_warning_create: its reference, its columns); the
	 * indicators in bulk here, without the per-indicator matching of store_indicator_add: an
	 * import brings up to thousands and related items are linked when it is issued */
	json_object_del(row, "indicators");
	rc = sq_savepoint(st);
	if (rc == STORE_OK) {
		rc = store_warning_create(st, row, &nid, r);
		if (rc == STORE_OK)
			rc = insert_indicators(st, nid, indicators, src, now);
		rc = sq_finish(st, rc);
	}
	json_decref(row);
	if (rc != STORE_OK)
		return rc;
	*id = nid;
	if (refsz && str_copy(ref, refsz, r) != 0)
		return STORE_EINVAL;
	return STORE_OK;
}

int store_stix_warning_set_stix_id(struct store *st, int64_t id, const char *stix_id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_STIX_SET_ID, "UPDATE warnings SET stix_id = ?2 WHERE id = ?1", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_text(st, s, 2, stix_id);
	rc = sq_step_done(st, s, "warning stix_id");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
	sq_done(s);
	return rc;
}

/* ---- walks ---- */

#define WARNING_COLS                                                                             \
	"w.id, w.ref, w.issuer_org_id, o.code, o.name, o.created_at, o.updated_at, w.title, "   \
	"w.description, w.severity, w.tlp, w.refs, w.actions, w.status, w.stix_id, w.issued_at, " \
	"w.created_at, w.updated_at, w.version FROM warnings w JOIN orgs o ON o.id = w.issuer_org_id"
#define INCIDENT_COLS                                                                            \
	"i.id, i.ref, i.org_id, o.code, o.name, o.created_at, o.updated_at, i.title, "          \
	"i.description, i.tlp, i.status, i.severity, i.grp, i.type, i.detected_at, "            \
	"i.reported_at, i.created_at, i.updated_at FROM incidents i JOIN orgs o ON o.id = i.org_id"

static void warning_row(sqlite3_stmt *s, struct store_stix_warning *w)
{
	w->id = sqlite3_column_int64(s, 0);
	w->ref = col_text(s, 1);
	w->issuer_org_id = sqlite3_column_int64(s, 2);
	w->org_code = col_text(s, 3);
	w->org_name = col_text(s, 4);
	w->org_created_at = sqlite3_column_int64(s, 5);
	w->org_updated_at = sqlite3_column_int64(s, 6);
	w->title = col_text(s, 7);
	w->description = col_text(s, 8);
	w->severity = col_text(s, 9);
	w->tlp = sqlite3_column_int(s, 10);
	w->refs = col_text(s, 11);
	w->actions = col_text(s, 12);
	w->status = col_text(s, 13);
	w->stix_id = col_text(s, 14);
	w->issued_at = sqlite3_column_int64(s, 15);
	w->created_at = sqlite3_column_int64(s, 16);
	w->updated_at = sqlite3_column_int64(s, 17);
	w->version = sqlite3_column_int64(s, 18);
}

static void incident_row(sqlite3_stmt *s, struct store_stix_incident *i)
{
	i->id = sqlite3_column_int64(s, 0);
	i->ref = col_text(s, 1);
	i->org_id = sqlite3_column_int64(s, 2);
	i->org_code = col_text(s, 3);
	i->org_name = col_text(s, 4);
	i->org_created_at = sqlite3_column_int64(s, 5);
	i->org_updated_at = sqlite3_column_int64(s, 6);
	i->title = col_text(s, 7);
	i->description = col_text(s, 8);
	i->tlp = sqlite3_column_int(s, 9);
	i->status = col_text(s, 10);
	i->severity = col_text(s, 11);
	i->grp = col_text(s, 12);
	i->type = col_text(s, 13);
	i->detected_at = sqlite3_column_int64(s, 14);
	i->reported_at = sqlite3_column_int64(s, 15);
	i->created_at = sqlite3_column_int64(s, 16);
	i->updated_at = sqlite3_column_int64(s, 17);
}

/* Visits the indicators of one warning or incident (the cached statement of slot id), then end. */
static int visit_indicators(struct store *st, enum sq_id id, const char *sql, int64_t owner,
			    const struct store_stix_visitor *v)
{
	sqlite3_stmt *s;
	int rc;

	if (v->indicator != NULL) {
		rc = sq_stmt(st, id, sql, &s);
		if (rc != STORE_OK)
			return rc;
		sq_bind_int(st, s, 1, owner);
		while ((rc = sq_step_row(st, s, "stix indicators")) == STORE_OK) {
			rc = v->indicator(v->ctx, col_text(s, 0), col_text(s, 1),
					  sqlite3_column_int64(s, 2));
			if (rc != 0)
				break;
		}
		sq_done(s);
		if (rc == STORE_ENOTFOUND)
			rc = STORE_OK;
		if (rc != STORE_OK)
			return rc;
	}
	return v->end ? v->end(v->ctx) : STORE_OK;
}

static const char ind_warning_sql[] =
	"SELECT kind, value, created_at FROM indicators WHERE warning_id = ?1 ORDER BY id";
static const char ind_incident_sql[] =
	"SELECT kind, value, created_at FROM indicators WHERE incident_id = ?1 ORDER BY id";

/* One warning row: the warning callback, its indicators, end. */
static int visit_warning(struct store *st, sqlite3_stmt *s, const struct store_stix_visitor *v)
{
	struct store_stix_warning w;
	int rc;

	warning_row(s, &w);
	rc = v->warning ? v->warning(v->ctx, &w) : 0;
	if (rc != 0)
		return rc;
	return visit_indicators(st, SQ_STIX_IND_WARNING, ind_warning_sql, w.id, v);
}

static int visit_incident(struct store *st, sqlite3_stmt *s, const struct store_stix_visitor *v)
{
	struct store_stix_incident i;
	int rc;

	incident_row(s, &i);
	rc = v->incident ? v->incident(v->ctx, &i) : 0;
	if (rc != 0)
		return rc;
	return visit_indicators(st, SQ_STIX_IND_INCIDENT, ind_incident_sql, i.id, v);
}

int store_stix_warning_visit(struct store *st, int64_t id, const struct store_stix_visitor *v)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_STIX_WARNING_ROW, "SELECT " WARNING_COLS " WHERE w.id = ?1", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "stix warning");
	if (rc == STORE_OK)
		rc = visit_warning(st, s, v);
	sq_done(s);
	return rc == STORE_STIX_STOP ? STORE_OK : rc;
}

int store_stix_incident_visit(struct store *st, int64_t id, const struct store_stix_visitor *v)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_STIX_INCIDENT_ROW, "SELECT " INCIDENT_COLS " WHERE i.id = ?1", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "stix incident");
	if (rc == STORE_OK)
		rc = visit_incident(st, s, v);
	sq_done(s);
	return rc == STORE_STIX_STOP ? STORE_OK : rc;
}

/* The published warnings of access_warning_scope over w, organisation as ?1. */
static void warning_scope_sql(struct buf *b, const struct ac_scope *sc)
{
	buf_puts(b, "w.status IN ('issued', 'closed') AND ");
	if (sc->everything) {
		buf_puts(b, "1 = 1");
		return;
	}
	if (sc->none) {
		buf_puts(b, "1 = 0");
		return;
	}
	buf_printf(b, "(w.issuer_org_id = ?1 OR w.tlp <= %d", TLP_GREEN);
	if (sc->all_below_red)
		buf_printf(b, " OR w.tlp < %d", TLP_RED);
	if (sc->participations)
		buf_puts(b, " OR EXISTS (SELECT 1 FROM warning_targets t WHERE t.warning_id = w.id "
			    "AND t.org_id = ?1)");
	buf_puts(b, ")");
}

/* Runs a walk statement: ?1 organisation, ?2/?3 keyset, ?4 added_after, ?5/?6 TLP range, ?7
 * stix_id when present. */
static int walk(struct store *st, struct buf *b, const struct store_stix_page *q, bool warnings,
		const struct store_stix_visitor *v)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (b->p == NULL || b->len >= b->max)
		return STORE_EINVAL;
	rc = prepare(st, b->p, &s, "stix walk");
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, q->scope->org_id);
	sq_bind_int(st, s, 2, q->at);
	sq_bind_int(st, s, 3, q->id);
	sq_bind_int(st, s, 4, q->added_after);
	sq_bind_int(st, s, 5, q->min_tlp);
	sq_bind_int(st, s, 6, q->max_tlp);
	if (q->stix_id)
		sq_bind_text(st, s, 7, q->stix_id);
	while ((rc = sq_step_row(st, s, "stix walk")) == STORE_OK) {
		if (sqlite3_column_int64(s, 0) < 0) { /* an organisation's identity */
			struct store_stix_org o = {.id = -sqlite3_column_int64(s, 0),
						   .code = col_text(s, 3), .name = col_text(s, 4),
						   .created_at = sqlite3_column_int64(s, 5),
						   .updated_at = sqlite3_column_int64(s, 6)};

			rc = v->org ? v->org(v->ctx, &o) : 0;
		} else {
			rc = warnings ? visit_warning(st, s, v) : visit_incident(st, s, v);
		}
		if (rc != STORE_OK)
			break;
	}
	sqlite3_finalize(s);
	return rc == STORE_ENOTFOUND || rc == STORE_STIX_STOP ? STORE_OK : rc;
}

/* The identity arm of a walk: organisations with a row in the page's filter, as rows of the
 * same shape (id -org id, then code, name, created_at, updated_at at the places of the row's
 * organisation columns, updated_at again as the row's own). fill is the number of filler
 * columns between. */
static void org_arm(struct buf *b, int fill)
{
	buf_puts(b, "SELECT -o.id, '', o.id, o.code, o.name, o.created_at, o.updated_at");
	for (int i = 0; i < fill; i++)
		buf_puts(b, ", ''");
	buf_puts(b, ", o.updated_at");
}

int store_stix_warning_walk(struct store *st, const struct store_stix_page *q,
			    const struct store_stix_visitor *v)
{
	struct buf b;
	int rc;

	buf_init(&b, STIX_SQL_MAX);
	if (q->stix_id == NULL && v->org != NULL) {
		org_arm(&b, 10);
		buf_puts(&b, ", 0 FROM orgs o WHERE (o.updated_at, -o.id) >= (?2, ?3) AND "
			     "o.updated_at > ?4 AND EXISTS (SELECT 1 FROM warnings w WHERE "
			     "w.issuer_org_id = o.id AND w.tlp BETWEEN ?5 AND ?6 AND ");
		warning_scope_sql(&b, q->scope);
		buf_puts(&b, ") UNION ALL ");
	}
	buf_puts(&b, "SELECT " WARNING_COLS " WHERE (w.updated_at, w.id) >= (?2, ?3) "
		     "AND w.updated_at > ?4 AND w.tlp BETWEEN ?5 AND ?6 AND ");
	warning_scope_sql(&b, q->scope);
	if (q->stix_id)
		buf_puts(&b, " AND w.stix_id = ?7");
	buf_puts(&b, q->stix_id == NULL && v->org != NULL ? " ORDER BY 18, 1"
							    : " ORDER BY w.updated_at, w.id");
	rc = walk(st, &b, q, true, v);
	buf_free(&b);
	return rc;
}

/* The incidents of access_incident_scope over i that TAXII publishes (drills left out). */
static void incident_filter_sql(struct buf *b, const struct ac_scope *sc)
{
	buf_puts(b, "i.tlp BETWEEN ?5 AND ?6 AND i.is_drill = 0 AND ");
	if (sc->none)
		buf_puts(b, "1 = 0");
	else
		sq_scope_sql(b, sc);
}

int store_stix_incident_walk(struct store *st, const struct store_stix_page *q,
			     const struct store_stix_visitor *v)
{
	struct buf b;
	int rc;

	buf_init(&b, STIX_SQL_MAX);
	if (v->org != NULL) {
		org_arm(&b, 10);
		buf_puts(&b, " FROM orgs o WHERE (o.updated_at, -o.id) >= (?2, ?3) AND "
			     "o.updated_at > ?4 AND EXISTS (SELECT 1 FROM incidents i WHERE "
			     "i.org_id = o.id AND ");
		incident_filter_sql(&b, q->scope);
		buf_puts(&b, ") UNION ALL ");
	}
	buf_puts(&b, "SELECT " INCIDENT_COLS " WHERE (i.updated_at, i.id) >= (?2, ?3) "
		     "AND i.updated_at > ?4 AND ");
	incident_filter_sql(&b, q->scope);
	buf_puts(&b, v->org != NULL ? " ORDER BY 18, 1" : " ORDER BY i.updated_at, i.id");
	rc = walk(st, &b, q, false, v);
	buf_free(&b);
	return rc;
}
