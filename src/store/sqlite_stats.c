/* sqlite_stats.c - counts for the dashboard and bulletins (store_stats_*), and the requests
 * inbox. Statistics respect the reader's scope (a member counts its own incidents; the
 * coordinator its own and those it was named on: docs/access.md) and count drills apart. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

void sq_scope_sql(struct buf *b, const struct ac_scope *sc)
{
	if (sc->everything) {
		buf_puts(b, "1 = 1");
		return;
	}
	buf_puts(b, "(i.org_id = ?1");
	if (sc->participations)
		buf_puts(b, " OR i.id IN (SELECT incident_id FROM incident_orgs WHERE org_id = ?1)");
	if (sc->all_below_red)
		buf_puts(b, " OR i.tlp < 4");
	if (sc->children)
		buf_puts(b, " OR (i.tlp < 4 AND i.org_id IN (SELECT id FROM orgs WHERE parent_id = ?1))");
	buf_puts(b, ")");
}

/* Rows of `SELECT <cols> FROM incidents i WHERE scope AND window GROUP BY <group>` as JSON. */
static int grouped(struct store *st, const struct ac_scope *sc, const struct store_stats_filter *f,
		   const char *cols, const char *group, json_t **out)
{
	struct buf b;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	buf_init(&b, 4096);
	buf_printf(&b, "SELECT %s FROM incidents i WHERE ", cols);
	sq_scope_sql(&b, sc);
	buf_puts(&b, " AND i.detected_at >= ?2 AND i.detected_at < ?3");
	if (f->drill >= 0)
		buf_puts(&b, " AND i.is_drill = ?4");
	if (f->open_only)
		buf_puts(&b, " AND i.closed_at = 0");
	if (group)
		buf_printf(&b, " GROUP BY %s ORDER BY %s", group, group);
	if (b.p == NULL || b.len >= b.max)
		return buf_free(&b), STORE_EINVAL;
	rc = prepare(st, b.p, &s, "stats");
	buf_free(&b);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, sc->org_id);
	sq_bind_int(st, s, 2, f->from);
	sq_bind_int(st, s, 3, f->to);
	if (f->drill >= 0)
		sq_bind_int(st, s, 4, f->drill);
	rc = sq_rows_json(st, s, "stats", out);
	sqlite3_finalize(s);
	return rc;
}

int store_stats_summary(struct store *st, const struct ac_scope *sc,
			const struct store_stats_filter *f, json_t **out)
{
	struct store_stats_filter open = *f, drills = *f;
	json_t *sev = NULL, *status = NULL, *grp = NULL, *month = NULL, *org = NULL, *nopen = NULL,
	       *ndrills = NULL, *open_sev = NULL, *open_status = NULL;
	int rc;

	*out = NULL;
	open.open_only = true;
	drills.drill = 1;
	if (sc->none) {
		*out = json_pack("{s:i, s:[], s:[], s:[], s:[], s:[], s:i, s:[], s:[]}", "open", 0,
				 "by_severity", "by_status", "by_group", "by_month", "by_org", "drills",
				 0, "open_by_severity", "open_by_status");
		return *out ? STORE_OK : STORE_EIO;
	}
	rc = grouped(st, sc, f, "i.severity AS code, i.severity_rank AS rank, count(*) AS count",
		     "i.severity_rank", &sev);
	if (rc == STORE_OK)
		rc = grouped(st, sc, f, "i.status AS code, count(*) AS count", "i.status", &status);
	if (rc == STORE_OK)
		rc = grouped(st, sc, f, "i.grp AS code, count(*) AS count", "i.grp", &grp);
	/* months in Vietnam time: detected_at + 7 h */
	if (rc == STORE_OK)
		rc = grouped(st, sc, f,
			     "strftime('%Y-%m', i.detected_at + 25200, 'unixepoch') AS month, "
			     "i.grp AS \"group\", count(*) AS count",
			     "1, 2", &month);
	if (rc == STORE_OK)
		rc = grouped(st, sc, f,
			     "i.org_id, (SELECT name FROM orgs WHERE id = i.org_id) AS org_name, "
			     "count(*) AS count",
			     "i.org_id", &org);
	if (rc == STORE_OK)
		rc = grouped(st, sc, &open, "count(*) AS count", NULL, &nopen);
	if (rc == STORE_OK)
		rc = grouped(st, sc, &open,
			     "i.severity AS code, i.severity_rank AS rank, count(*) AS count",
			     "i.severity_rank", &open_sev);
	if (rc == STORE_OK)
		rc = grouped(st, sc, &open, "i.status AS code, count(*) AS count", "i.status",
			     &open_status);
	if (rc == STORE_OK)
		rc = grouped(st, sc, &drills, "count(*) AS count", NULL, &ndrills);
	if (rc == STORE_OK)
		*out = json_pack("{s:O, s:o, s:o, s:o, s:o, s:o, s:O, s:o, s:o}", "open",
				 json_object_get(json_array_get(nopen, 0), "count"), "by_severity", sev,
				 "by_status", status, "by_group", grp, "by_month", month, "by_org", org,
				 "drills", json_object_get(json_array_get(ndrills, 0), "count"),
				 "open_by_severity", open_sev, "open_by_status", open_status);
	else {
		json_decref(open_sev);
		json_decref(open_status);
		json_decref(sev);
		json_decref(status);
		json_decref(grp);
		json_decref(month);
		json_decref(org);
	}
	json_decref(nopen);
	json_decref(ndrills);
	return rc != STORE_OK ? rc : (*out ? STORE_OK : STORE_EIO);
}

int store_request_box(struct store *st, int64_t org_id, bool inbox, const char *status,
		      json_t **out)
{
	char sql[1024];
	sqlite3_stmt *s;
	int rc;

	snprintf(sql, sizeof sql,
		 "SELECT r.id, r.incident_id, i.ref AS incident_ref, i.title AS incident_title, "
		 "r.from_org_id, f.name AS from_name, r.to_org_id, t.name AS to_name, r.kind, r.body, "
		 "r.status, r.answer, r.due_at, r.created_at, r.answered_at FROM requests r "
		 "JOIN incidents i ON i.id = r.incident_id JOIN orgs f ON f.id = r.from_org_id "
		 "JOIN orgs t ON t.id = r.to_org_id WHERE r.%s = ?1 %s ORDER BY r.id DESC LIMIT 500",
		 inbox ? "to_org_id" : "from_org_id", status ? "AND r.status = ?2" : "");
	rc = prepare(st, sql, &s, "request box");
	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, org_id);
	if (status)
		sq_bind_text(st, s, 2, status);
	rc = sq_rows_json(st, s, "request box", out);
	sqlite3_finalize(s);
	return rc;
}
