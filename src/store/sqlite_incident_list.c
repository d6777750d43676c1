/* sqlite_incident_list.c - the scoped, filtered, keyset-paged incident list (store_incident_list).
 *
 * The list must stay fast at a million incidents, so every page is produced by walking an index
 * in id order and stopping after limit+1 rows, never by sorting all rows that match:
 *   - free text: incidents_fts is the outer loop, read by descending rowid (= incident id), and
 *     each match is checked against the scope and the filters;
 *   - a wide scope (every row below RED; the machine's operator): the rowid of incidents,
 *     descending;
 *   - a narrow scope (one organisation, its participations, its units; the coordinator too,
 *     which reads what it was named on): one arm per part, each
 *     walking its own index (incidents_org, incident_orgs_org) by id and cut at limit+1, so the
 *     union holds at most (arms x (limit+1)) ids, read back in id order;
 *   - a detected_at range first becomes an id range (from incidents_detected, up to
 *     LIST_RANGE_MAX rows), so the walks above start and stop at its ends.
 * Free text in a narrow scope adds a prefilter: the scope's ids (when at most
 * LIST_PREFILTER_MAX) are put in an in-memory index once, so each match costs a probe, not a
 * table lookup. Parameters are numbered (?1 .. ) so every arm of a union refers to the same
 * values. */
#include "sqlite_priv.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "util/fold.h"

#define LIST_LIMIT_MAX 200
#define LIST_SQL_MAX 65536
#define LIST_Q_MAX 512      /* bytes of free text */
#define LIST_WORDS_MAX 8    /* words of free text */
#define LIST_CHILD_ARMS 64  /* units of a superior listed one arm each; more share one scan */
#define LIST_RANGE_MAX 50000     /* rows of a detected_at range turned into an id range */
#define LIST_PREFILTER_MAX 20000 /* scope ids put in memory to prefilter free-text matches */

/* Parameter numbers of the list statement. */
enum {
	LP_ORG = 1,
	LP_STATUS,
	LP_RANK,
	LP_SEVERITY,
	LP_GRP,
	LP_ORG_FILTER,
	LP_FROM,
	LP_TO,
	LP_DRILL,
	LP_LIMIT,
	LP_MATCH,
	LP_LO, /* id range: the cursor and the detected_at range narrowed to ids */
	LP_HI,
	LP_CHILD0 /* child organisation ids follow, one per arm */
};

struct list_ctx {
	const struct ac_scope *scope;
	const struct store_incident_filter *f;
	const char *match;        /* FTS5 query, or NULL */
	int64_t child[LIST_CHILD_ARMS];
	int nchild;               /* -1: too many for one arm each */
	int64_t lo, hi;           /* ids to look at, both inclusive */
	bool prefilter;           /* free text in a small narrow scope */
	struct buf sql;
	bool full;                /* an append failed: the SQL is incomplete and must not run */
};

/* Appends to the statement; a failure is remembered, since a clause silently missing from a
 * scoped query would widen what it returns. */
__attribute__((format(printf, 2, 3))) static void lp(struct list_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (buf_vprintf(&c->sql, fmt, ap) != BUF_OK)
		c->full = true;
	va_end(ap);
}

/* ---- free text ---- */

static bool list_word_useful(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			return true;
	}
	return false;
}

static bool list_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Appends one word as a quoted FTS5 prefix term, doubling quotes inside. */
/* a last word this long or longer also matches as a prefix: 3-letter words ("chu", "may") are
 * whole Vietnamese syllables, and their prefix merge cost ~100 ms at 1M incidents */
#define LIST_PREFIX_MIN 4

static int list_term(struct buf *out, const char *w, size_t n, bool first, bool prefix)
{
	int rc = first ? BUF_OK : buf_puts(out, " AND ");

	if (rc == BUF_OK)
		rc = buf_puts(out, "\"");
	for (size_t k = 0; k < n && rc == BUF_OK; k++)
		rc = w[k] == '"' ? buf_puts(out, "\"\"") : buf_append(out, w + k, 1);
	if (rc == BUF_OK)
		rc = buf_puts(out, prefix ? "\"*" : "\"");
	return rc == BUF_OK ? STORE_OK : STORE_EINVAL;
}

/* Turns free text into an FTS5 query: folded, split on spaces, each word a quoted term, all
 * ANDed. Vietnamese words are syllables, so a typed word is matched whole ("su" AND "co"); only
 * the last word, if it has LIST_PREFIX_MIN letters or more and is not a word of the index, is
 * matched as a prefix ("phis"* finds "phishing" while it is being typed; "thong" is a word). A prefix on a short common word would make FTS5
 * merge every term it starts (SQLite 3.40 does so before returning a row): ~65 ms at a million
 * incidents, against ~0.5 ms for a whole term. Quoting keeps FTS5 syntax (NEAR, OR, -, ^, :) in
 * what people type from being taken as operators. out stays empty when no word is left. */
/* True if w is a complete word of the index (so it was typed whole). An exact-term match that
 * stops at its first row: ~0.05 ms, where fts5vocab would count the term's whole doclist. */
static bool list_known_term(struct store *st, const char *w, size_t n)
{
	struct buf term;
	sqlite3_stmt *s;
	bool known = false;

	buf_init(&term, LIST_Q_MAX * 2 + 8);
	if (list_term(&term, w, n, true, false) != STORE_OK ||
	    sq_stmt(st, SQ_FTS_KNOWN, "SELECT 1 FROM incidents_fts WHERE incidents_fts MATCH ?1 LIMIT 1",
		    &s) != STORE_OK) {
		buf_free(&term);
		return false;
	}
	if (sqlite3_bind_text(s, 1, term.p, (int)term.len, SQLITE_TRANSIENT) == SQLITE_OK)
		known = sqlite3_step(s) == SQLITE_ROW;
	sq_done(s);
	buf_free(&term);
	return known;
}

static int list_fts_query(struct store *st, const char *q, struct buf *out)
{
	size_t n = strlen(q), i = 0, words = 0;
	struct buf f;
	int rc = STORE_OK;

	buf_init(&f, LIST_Q_MAX * 2);
	if (n > LIST_Q_MAX || fold_text(&f, q, n) != BUF_OK) {
		rc = STORE_EINVAL;
		goto out;
	}
	while (f.p != NULL && i < f.len && rc == STORE_OK) {
		size_t start;

		while (i < f.len && list_space(f.p[i]))
			i++;
		start = i;
		while (i < f.len && !list_space(f.p[i]))
			i++;
		bool last;

		if (i == start || !list_word_useful(f.p + start, i - start))
			continue;
		last = true; /* is another useful word ahead? */
		for (size_t k = i; k < f.len && last; k++)
			last = list_space(f.p[k]);
		if (++words > LIST_WORDS_MAX)
			rc = STORE_EINVAL;
		else
			rc = list_term(out, f.p + start, i - start, words == 1,
				       last && i - start >= LIST_PREFIX_MIN &&
					       !list_known_term(st, f.p + start, i - start));
	}
out:
	buf_free(&f);
	return rc;
}

/* ---- SQL ---- */

/* told: the first telling of each role, "coordinator:<unix>,national:<unix>" (the facts a row's
 * clocks are decided by, read on the index incident_told_first) */
#define LIST_COLS                                                                                \
	"i.id, i.ref, i.title, i.org_id, o.name AS org_name, i.grp, i.type, i.severity, "        \
	"i.status, i.tlp, i.is_drill, i.detected_at, i.reported_at, i.created_at, i.updated_at, " \
	TOLD_FIRSTS_SQL " AS told"

/* The filters, each a fixed fragment. In a narrow arm (`plain` false) the unary + keeps the
 * planner on the arm's organisation index instead of incidents_status, whose walk would not be
 * bounded by the organisation. detected_at is never an index walk: its range is an id range by
 * then, and walking incidents_detected would need a sort by id. */
static void list_filters(struct list_ctx *c, bool plain)
{
	const struct store_incident_filter *f = c->f;
	const char *p = plain ? "" : "+";

	lp(c, " AND i.id BETWEEN ?%d AND ?%d", LP_LO, LP_HI);
	if (f->status != NULL)
		lp(c, " AND %si.status = ?%d", p, LP_STATUS);
	if (f->min_rank > 0)
		lp(c, " AND i.severity_rank >= ?%d", LP_RANK);
	if (f->severity != NULL)
		lp(c, " AND i.severity = ?%d", LP_SEVERITY);
	if (f->grp != NULL)
		lp(c, " AND i.grp = ?%d", LP_GRP);
	if (f->org_id != 0)
		lp(c, " AND %si.org_id = ?%d", p, LP_ORG_FILTER);
	if (f->from != 0)
		lp(c, " AND +i.detected_at >= ?%d", LP_FROM);
	if (f->to != 0)
		lp(c, " AND +i.detected_at < ?%d", LP_TO);
	if (f->drill == 0 || f->drill == 1)
		lp(c, " AND i.is_drill = ?%d", LP_DRILL);
}

/* The scope of access_incident_scope as one expression over a row i, exactly: its own rows,
 * rows it participates in (any TLP), everything below RED, its units' rows below RED. The
 * cheap column tests come first; EXISTS is one primary-key probe per row. */
static void list_scope_expr(struct list_ctx *c)
{
	const struct ac_scope *sc = c->scope;

	if (sc->everything)
		return; /* the machine's operator (CLI): every row, TLP:RED too */
	lp(c, " AND (");
	if (sc->all_below_red)
		lp(c, "i.tlp < 4 OR ");
	lp(c, "i.org_id = ?%d", LP_ORG);
	if (sc->participations)
		lp(c, " OR EXISTS (SELECT 1 FROM incident_orgs x WHERE x.incident_id = i.id "
			      "AND x.org_id = ?%d)", LP_ORG);
	if (sc->children)
		lp(c, " OR (i.tlp < 4 AND i.org_id IN (SELECT id FROM orgs "
			      "WHERE parent_id = ?%d))", LP_ORG);
	lp(c, ")");
}

/* The ids of a narrow scope, a superset (units' rows of any TLP): the exact scope expression
 * still decides. The + keeps it a probe per match rather than a lookup per id in the index. */
static void list_prefilter(struct list_ctx *c)
{
	lp(c, " AND +incidents_fts.rowid IN (SELECT id FROM incidents WHERE org_id = ?%d",
	   LP_ORG);
	if (c->scope->participations)
		lp(c, " UNION ALL SELECT incident_id FROM incident_orgs WHERE org_id = ?%d", LP_ORG);
	if (c->scope->children)
		lp(c, " UNION ALL SELECT id FROM incidents WHERE org_id IN (SELECT id FROM orgs "
		      "WHERE parent_id = ?%d)", LP_ORG);
	lp(c, ")");
}

/* Free text: the index drives, newest match first; CROSS JOIN keeps it the outer loop. */
static void list_sql_fts(struct list_ctx *c)
{
	lp(c, "SELECT " LIST_COLS " FROM incidents_fts CROSS JOIN incidents i "
		   "ON i.id = incidents_fts.rowid JOIN orgs o ON o.id = i.org_id "
		   "WHERE incidents_fts MATCH ?%d AND incidents_fts.rowid BETWEEN ?%d AND ?%d",
	   LP_MATCH, LP_LO, LP_HI);
	if (c->prefilter)
		list_prefilter(c);
	list_scope_expr(c);
	list_filters(c, true);
	lp(c, " ORDER BY incidents_fts.rowid DESC LIMIT ?%d", LP_LIMIT);
}

/* A wide scope passes nearly every row, so walking ids downwards finds a page at once. */
static void list_sql_wide(struct list_ctx *c)
{
	lp(c, "SELECT " LIST_COLS " FROM incidents i JOIN orgs o ON o.id = i.org_id "
		 "WHERE 1");
	list_scope_expr(c);
	list_filters(c, true);
	lp(c, " ORDER BY i.id DESC LIMIT ?%d", LP_LIMIT);
}

/* One arm: ids of rows of one organisation (?org_param), newest first, cut at limit+1. */
static void list_arm_org(struct list_ctx *c, int org_param, bool below_red)
{
	lp(c, " UNION ALL SELECT id FROM (SELECT i.id FROM incidents i "
		   "WHERE i.org_id = ?%d%s", org_param, below_red ? " AND i.tlp < 4" : "");
	list_filters(c, false);
	lp(c, " ORDER BY i.id DESC LIMIT ?%d)", LP_LIMIT);
}

static void list_arm_participations(struct list_ctx *c)
{
	lp(c, " UNION ALL SELECT id FROM (SELECT i.id FROM incident_orgs x CROSS JOIN "
		   "incidents i ON i.id = x.incident_id WHERE x.org_id = ?%d AND "
		   "x.incident_id BETWEEN ?%d AND ?%d", LP_ORG, LP_LO, LP_HI);
	list_filters(c, false);
	lp(c, " ORDER BY x.incident_id DESC LIMIT ?%d)", LP_LIMIT);
}

/* Too many units for an arm each: one walk down the ids, checking the unit. Many units hold many
 * incidents, so the walk meets a page soon. */
static void list_arm_children_scan(struct list_ctx *c)
{
	lp(c, " UNION ALL SELECT id FROM (SELECT i.id FROM incidents i "
		   "WHERE +i.org_id IN (SELECT id FROM orgs WHERE parent_id = ?%d) AND i.tlp < 4",
		   LP_ORG);
	list_filters(c, false);
	lp(c, " ORDER BY i.id DESC LIMIT ?%d)", LP_LIMIT);
}

static void list_sql_narrow(struct list_ctx *c)
{
	lp(c, "SELECT " LIST_COLS " FROM incidents i JOIN orgs o ON o.id = i.org_id "
		 "WHERE i.id IN (SELECT 0");
	list_arm_org(c, LP_ORG, false);
	if (c->scope->participations)
		list_arm_participations(c);
	if (c->scope->children && c->nchild < 0)
		list_arm_children_scan(c);
	for (int k = 0; c->scope->children && k < c->nchild; k++)
		list_arm_org(c, LP_CHILD0 + k, true);
	lp(c, ") ORDER BY i.id DESC LIMIT ?%d", LP_LIMIT);
}

/* The units of the scope's organisation, for one arm each; nchild -1 when there are too many. */
static int list_children(struct store *st, struct list_ctx *c)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_INCIDENT_CHILDREN,
			 "SELECT id FROM orgs WHERE parent_id = ?1 ORDER BY id", &s);

	c->nchild = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, c->scope->org_id);
	while ((rc = sq_step_row(st, s, "incident list children")) == STORE_OK) {
		if (c->nchild == LIST_CHILD_ARMS) {
			c->nchild = -1;
			break;
		}
		c->child[c->nchild++] = sqlite3_column_int64(s, 0);
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

/* ---- running it ---- */

static int64_t list_int_param(const struct list_ctx *c, int i)
{
	const struct store_incident_filter *f = c->f;

	switch (i) {
	case LP_ORG:
		return c->scope->org_id;
	case LP_RANK:
		return f->min_rank;
	case LP_ORG_FILTER:
		return f->org_id;
	case LP_FROM:
		return f->from;
	case LP_TO:
		return f->to;
	case LP_DRILL:
		return f->drill;
	case LP_LO:
		return c->lo;
	case LP_HI:
		return c->hi;
	case LP_LIMIT:
		return (int64_t)f->limit + 1;
	default:
		return 0;
	}
}

static void list_bind(struct store *st, sqlite3_stmt *s, const struct list_ctx *c)
{
	const struct store_incident_filter *f = c->f;
	int n = sqlite3_bind_parameter_count(s);

	/* numbers absent from the SQL are bound too: harmless, and one place binds them all */
	for (int i = 1; i <= n && i < LP_CHILD0; i++) {
		switch (i) {
		case LP_STATUS:
			sq_bind_text(st, s, i, f->status);
			break;
		case LP_SEVERITY:
			sq_bind_text(st, s, i, f->severity);
			break;
		case LP_GRP:
			sq_bind_text(st, s, i, f->grp);
			break;
		case LP_MATCH:
			sq_bind_text(st, s, i, c->match);
			break;
		default:
			sq_bind_int(st, s, i, list_int_param(c, i));
			break;
		}
	}
	for (int k = 0; k < c->nchild && LP_CHILD0 + k <= n; k++)
		sq_bind_int(st, s, LP_CHILD0 + k, c->child[k]);
}

/* Appends up to limit rows to rows; the row after them only tells that a next page exists,
 * and the next page starts below the last row returned. */
static int list_run(struct store *st, const struct list_ctx *c, json_t *rows, int64_t *next)
{
	sqlite3_stmt *s = NULL;
	json_t *row;
	int rc, count = 0;
	int64_t last = 0;

	if (sqlite3_prepare_v3(st->db, c->sql.p, -1, 0, &s, NULL) != SQLITE_OK)
		return sq_err(st, sqlite3_errcode(st->db), "incident list prepare");
	list_bind(st, s, c);
	while ((rc = sq_step_row(st, s, "incident list")) == STORE_OK) {
		if (count == c->f->limit) {
			*next = last;
			break;
		}
		last = sqlite3_column_int64(s, 0);
		rc = sq_row_json(s, &row);
		if (rc == STORE_OK && json_array_append_new(rows, row) != 0)
			rc = STORE_EIO;
		if (rc != STORE_OK)
			break;
		count++;
	}
	sqlite3_finalize(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

/* Narrows [lo, hi] to the ids of the detected_at range when it holds at most LIST_RANGE_MAX
 * rows (a covering walk of incidents_detected). STORE_ENOTFOUND when it holds none. A longer
 * range is left to the walk by id: it is dense enough to fill a page soon. */
static int list_range(struct store *st, struct list_ctx *c)
{
	sqlite3_stmt *s;
	int rc;

	if (c->f->from == 0 && c->f->to == 0)
		return STORE_OK;
	rc = sq_stmt(st, SQ_INCIDENT_RANGE,
		     "SELECT count(*), min(id), max(id) FROM (SELECT id FROM incidents "
		     "WHERE detected_at >= ?1 AND detected_at < ?2 LIMIT ?3)", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, c->f->from != 0 ? c->f->from : INT64_MIN);
	sq_bind_int(st, s, 2, c->f->to != 0 ? c->f->to : INT64_MAX);
	sq_bind_int(st, s, 3, LIST_RANGE_MAX + 1);
	rc = sq_step_row(st, s, "incident list range");
	if (rc == STORE_OK && sqlite3_column_int64(s, 0) == 0)
		rc = STORE_ENOTFOUND;
	else if (rc == STORE_OK && sqlite3_column_int64(s, 0) <= LIST_RANGE_MAX) {
		if (sqlite3_column_int64(s, 1) > c->lo)
			c->lo = sqlite3_column_int64(s, 1);
		if (sqlite3_column_int64(s, 2) < c->hi)
			c->hi = sqlite3_column_int64(s, 2);
	}
	sq_done(s);
	return rc;
}

/* Whether a narrow scope is small enough to prefilter free-text matches: a capped count over
 * the covering indexes of its parts. */
static int list_small_scope(struct store *st, struct list_ctx *c)
{
	sqlite3_stmt *s;
	int rc;

	c->prefilter = false;
	if (c->scope->all_below_red || c->scope->everything)
		return STORE_OK;
	rc = sq_stmt(st, SQ_INCIDENT_SCOPE_SIZE,
		     "SELECT count(*) FROM (SELECT id FROM incidents WHERE org_id = ?1 "
		     "UNION ALL SELECT incident_id FROM incident_orgs WHERE org_id = ?1 AND ?2 "
		     "UNION ALL SELECT id FROM incidents WHERE ?3 AND org_id IN "
		     "(SELECT id FROM orgs WHERE parent_id = ?1) LIMIT ?4)", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, c->scope->org_id);
	sq_bind_int(st, s, 2, c->scope->participations ? 1 : 0);
	sq_bind_int(st, s, 3, c->scope->children ? 1 : 0);
	sq_bind_int(st, s, 4, LIST_PREFILTER_MAX + 1);
	rc = sq_step_row(st, s, "incident list scope size");
	if (rc == STORE_OK)
		c->prefilter = sqlite3_column_int64(s, 0) <= LIST_PREFILTER_MAX;
	sq_done(s);
	return rc;
}

static int list_build(struct store *st, struct list_ctx *c)
{
	int rc;

	c->lo = INT64_MIN;
	c->hi = c->f->before_id > 0 ? c->f->before_id - 1 : INT64_MAX;
	rc = list_range(st, c);
	if (rc != STORE_OK)
		return rc;
	if (c->match != NULL) {
		rc = list_small_scope(st, c);
		if (rc != STORE_OK)
			return rc;
		list_sql_fts(c);
	} else if (c->scope->all_below_red || c->scope->everything) {
		list_sql_wide(c);
	} else {
		if (c->scope->children)
			rc = list_children(st, c);
		if (rc == STORE_OK)
			list_sql_narrow(c);
	}
	if (rc == STORE_OK && (c->full || c->sql.p == NULL))
		rc = STORE_EIO;
	return rc;
}

int store_incident_list(struct store *st, const struct ac_scope *scope,
			const struct store_incident_filter *f, json_t **out, int64_t *next)
{
	struct list_ctx c = {.scope = scope, .f = f};
	struct buf match;
	json_t *rows = NULL;
	int rc = STORE_OK;

	*out = NULL;
	*next = 0;
	buf_init(&match, LIST_Q_MAX * 4);
	buf_init(&c.sql, LIST_SQL_MAX);
	if (f->limit < 1 || f->limit > LIST_LIMIT_MAX) {
		rc = STORE_EINVAL;
		goto out;
	}
	if (f->q != NULL && (rc = list_fts_query(st, f->q, &match)) != STORE_OK)
		goto out;
	c.match = match.len > 0 ? match.p : NULL;
	rows = json_array();
	if (rows == NULL) {
		rc = STORE_EIO;
		goto out;
	}
	/* an empty scope reads nothing: no SQL at all; nor does an empty detected_at range */
	if (!scope->none) {
		rc = list_build(st, &c);
		if (rc == STORE_OK)
			rc = list_run(st, &c, rows, next);
		if (rc != STORE_OK && rc != STORE_ENOTFOUND)
			goto out;
		rc = STORE_OK;
	}
	*out = rows;
	rows = NULL;
out:
	json_decref(rows);
	buf_free(&c.sql);
	buf_free(&match);
	return rc;
}
