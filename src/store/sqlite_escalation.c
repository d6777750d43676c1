/* sqlite_escalation.c - escalation firings (store_escalation_*): candidates of time-based rules
 * and the writes of one firing. These run from the minute sweep and inside transitions, not per
 * request, so statements are prepared per call rather than cached. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "util/buf.h"
#include "util/str.h"

#define ESC_SQL_MAX 8192

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, const char *what)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

static int incident_candidates_sql(const struct esc_query *q, struct buf *b)
{
	buf_puts(b, "SELECT i.id FROM incidents i WHERE i.status IN (");
	for (size_t k = 0; k < q->nstates; k++)
		buf_printf(b, "%s?%zu", k ? ", " : "", k + 1);
	buf_puts(b, ")");
	if (q->min_rank > 0)
		buf_puts(b, " AND i.severity_rank >= ?101");
	if (q->grp)
		buf_puts(b, " AND i.grp = ?102");
	if (q->detected_before)
		buf_puts(b, " AND i.detected_at < ?103");
	if (q->changed_before)
		buf_puts(b, " AND i.state_changed_at < ?104");
	if (q->flag)
		buf_puts(b, " AND (',' || i.flags || ',') LIKE ?107");
	return buf_puts(b, " AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.incident_id = i.id "
			   "AND e.rule = ?105 AND e.subject_id = 0) ORDER BY i.id LIMIT ?106");
}

int store_escalation_candidates(struct store *st, const struct esc_query *q, int64_t *ids,
				size_t max, size_t *n)
{
	struct buf b;
	sqlite3_stmt *s = NULL;
	int rc;

	*n = 0;
	buf_init(&b, ESC_SQL_MAX);
	if (q->requests)
		rc = buf_puts(&b, "SELECT r.id FROM requests r WHERE r.status = 'open' AND r.due_at > 0 "
				  "AND r.due_at < ?103 AND NOT EXISTS (SELECT 1 FROM escalations e "
				  "WHERE e.incident_id = r.incident_id AND e.rule = ?105 AND "
				  "e.subject_id = r.id) ORDER BY r.id LIMIT ?106");
	else if (q->nstates == 0)
		return buf_free(&b), STORE_OK;
	else
		rc = incident_candidates_sql(q, &b);
	if (rc != BUF_OK)
		return buf_free(&b), STORE_EINVAL;
	rc = prepare(st, b.p, &s, "escalation candidates");
	buf_free(&b);
	if (rc != STORE_OK)
		return rc;
	for (size_t k = 0; !q->requests && k < q->nstates; k++)
		sq_bind_text(st, s, (int)k + 1, q->states[k]);
	if (q->min_rank > 0)
		sq_bind_int(st, s, 101, q->min_rank);
	if (q->grp)
		sq_bind_text(st, s, 102, q->grp);
	if (q->requests || q->detected_before)
		sq_bind_int(st, s, 103, q->requests ? q->request_due_before : q->detected_before);
	if (q->changed_before)
		sq_bind_int(st, s, 104, q->changed_before);
	if (q->flag) {
		char like[PRESET_CODE + 8];

		snprintf(like, sizeof like, "%%,%s,%%", q->flag); /* codes are [a-z0-9_]: no escapes */
		sq_bind_text(st, s, 107, like);
	}
	sq_bind_text(st, s, 105, q->rule->code);
	sq_bind_int(st, s, 106, (int64_t)max);
	while ((rc = sq_step_row(st, s, "escalation candidates")) == STORE_OK && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

/* The organisations a rule targets, each once (002: coordinator and police are one body). */
static int target_sql(const struct preset_escalation *r, struct buf *b)
{
	bool first = true;

	buf_puts(b, "SELECT o.id FROM orgs o WHERE o.active = 1 AND (0");
	for (int role = 0; role < ORG_ROLE_COUNT; role++) {
		if (role == ORG_COORDINATOR || !(r->targets & (1u << role)))
			continue;
		buf_printf(b, "%s'%s'", first ? " OR o.role IN (" : ", ", codes_org_role_name(role));
		first = false;
	}
	if (!first)
		buf_puts(b, ")");
	if (r->targets & (1u << ORG_COORDINATOR))
		buf_puts(b, " OR o.id = ?2");
	if (r->targets & PRESET_TARGET_SUPERIOR)
		buf_puts(b, " OR o.id = (SELECT parent_id FROM orgs WHERE id = ?1)");
	if (r->targets & PRESET_TARGET_OWNER)
		buf_puts(b, " OR o.id = ?1");
	return buf_puts(b, ") ORDER BY o.id");
}

struct firing_ctx {
	struct store *st;
	const struct store_firing *f;
	int64_t owner, coordinator;
	json_t *targets;
};

static int exec_bound(struct store *st, const char *sql, const char *what, const int64_t *ints,
		      size_t nints, const char *const *texts, size_t ntexts)
{
	sqlite3_stmt *s;
	int rc = prepare(st, sql, &s, what);

	if (rc != STORE_OK)
		return rc;
	for (size_t i = 0; i < nints; i++)
		sq_bind_int(st, s, (int)i + 1, ints[i]);
	for (size_t i = 0; i < ntexts; i++)
		sq_bind_text(st, s, (int)(nints + i) + 1, texts[i]);
	rc = sq_step_done(st, s, what);
	sqlite3_finalize(s);
	return rc;
}

/* One target: a request from the coordinator, or a notification in the outbox. */
static int act_on(struct firing_ctx *c, int64_t org)
{
	const struct preset_escalation *r = c->f->rule;
	const char *reason = r->action == PRESET_ESC_REQUEST ? "request" : "notified";
	int64_t named[] = {c->f->incident_id, org, c->f->now};
	int rc;

	if (r->action == PRESET_ESC_REQUEST) {
		int64_t due = r->request_within ? c->f->now + r->request_within : 0;
		int64_t ints[] = {c->f->incident_id, c->coordinator, org, due, c->f->now};
		const char *texts[] = {r->request_kind, c->f->text};

		if (org == c->coordinator)
			return STORE_OK; /* the coordinator does not ask itself */
		rc = exec_bound(c->st,
				"INSERT INTO requests(incident_id, from_org_id, to_org_id, due_at, "
				"created_at, kind, body, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
				"'open')",
				"escalation request", ints, 5, texts, 2);
	} else {
		int64_t ints[] = {org, c->f->incident_id, c->f->now};
		json_t *payload = json_pack("{s:s, s:s, s:s}", "rule", r->code, "source", r->source,
					    "text", c->f->text);
		char *p = json_dumps(payload, JSON_COMPACT);
		const char *texts[] = {p ? p : "{}"};

		rc = exec_bound(c->st,
				"INSERT INTO outbox(event, org_id, incident_id, created_at, payload) "
				"VALUES ('escalation', ?1, ?2, ?3, ?4)",
				"escalation notify", ints, 3, texts, 1);
		free(p);
		json_decref(payload);
	}
	if (rc == STORE_OK) {
		const char *texts[] = {reason};

		rc = exec_bound(c->st,
				"INSERT OR IGNORE INTO incident_orgs(incident_id, org_id, added_at, "
				"reason) VALUES (?1, ?2, ?3, ?4)",
				"escalation name org", named, 3, texts, 1);
	}
	if (rc == STORE_OK)
		json_array_append_new(c->targets, json_integer(org));
	return rc;
}

static int fire_targets(struct firing_ctx *c)
{
	struct buf b;
	sqlite3_stmt *s = NULL;
	int64_t orgs[256];
	size_t n = 0;
	int rc;

	buf_init(&b, ESC_SQL_MAX);
	if (target_sql(c->f->rule, &b) != BUF_OK)
		return buf_free(&b), STORE_EINVAL;
	rc = prepare(c->st, b.p, &s, "escalation targets");
	buf_free(&b);
	if (rc != STORE_OK)
		return rc;
	/* the rule's targets decide which of ?1 (owner) and ?2 (coordinator) the SQL uses */
	if (sqlite3_bind_parameter_count(s) >= 1)
		sq_bind_int(c->st, s, 1, c->owner);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sq_bind_int(c->st, s, 2, c->coordinator);
	while ((rc = sq_step_row(c->st, s, "escalation targets")) == STORE_OK && n < 256)
		orgs[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != STORE_ENOTFOUND && rc != STORE_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = act_on(c, orgs[i])) != STORE_OK)
			return rc;
	return STORE_OK;
}

static int64_t coordinator_id(struct store *st)
{
	char v[32];
	int64_t id = 0;

	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK)
		str_to_i64(v, 1, INT64_MAX, &id);
	return id;
}

static int record_firing(struct store *st, const struct store_firing *f, bool *fired)
{
	int64_t ints[] = {f->incident_id, f->subject_id, f->now};
	const char *texts[] = {f->rule->code};
	int rc = exec_bound(st,
			    "INSERT OR IGNORE INTO escalations(incident_id, subject_id, fired_at, rule) "
			    "VALUES (?1, ?2, ?3, ?4)",
			    "escalation record", ints, 3, texts, 1);

	*fired = rc == STORE_OK && sqlite3_changes(st->db) > 0;
	return rc;
}

int store_escalation_fire(struct store *st, const struct store_firing *f, bool *fired)
{
	struct firing_ctx c = {.st = st, .f = f};
	struct ac_incident ai;
	json_t *data;
	int rc;

	*fired = false;
	rc = store_incident_access(st, f->incident_id, 0, &ai);
	if (rc != STORE_OK)
		return rc;
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		return rc;
	rc = record_firing(st, f, fired);
	if (rc != STORE_OK || !*fired)
		return sq_finish(st, rc);
	c.owner = ai.org_id;
	c.coordinator = coordinator_id(st);
	c.targets = json_array();
	rc = fire_targets(&c);
	data = json_pack("{s:s, s:s, s:s, s:I, s:O}", "rule", f->rule->code, "source", f->rule->source,
			 "action", f->rule->action == PRESET_ESC_REQUEST ? "request" : "notify",
			 "subject_id", (json_int_t)f->subject_id, "targets", c.targets);
	if (rc == STORE_OK)
		rc = store_journal_add(st, f->incident_id, "escalation", 0, 0, f->text, data, NULL);
	json_decref(data);
	json_decref(c.targets);
	if (rc != STORE_OK)
		*fired = false;
	return sq_finish(st, rc);
}

int store_escalation_list(struct store *st, int64_t incident_id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = prepare(st,
			 "SELECT rule, subject_id, fired_at FROM escalations WHERE incident_id = ?1 "
			 "ORDER BY id",
			 &s, "escalation list");

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	rc = sq_rows_json(st, s, "escalation list", out);
	sqlite3_finalize(s);
	return rc;
}

int store_request_incident(struct store *st, int64_t request_id, int64_t *incident_id)
{
	sqlite3_stmt *s;
	int rc = prepare(st, "SELECT incident_id FROM requests WHERE id = ?1", &s, "request incident");

	*incident_id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, request_id);
	rc = sq_step_row(st, s, "request incident");
	if (rc == STORE_OK)
		*incident_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}
