/* sqlite_escalation.c - escalation firings (store_escalation_*): candidates of time-based rules
 * and the writes of one firing. These run from the minute sweep and inside transitions, not per
 * request, so statements are prepared per call rather than cached. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "util/buf.h"
#include "msg_json.h"
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
	if (q->untold) /* a role's code: [a-z_] from core/codes.c, no quoting needed */
		buf_printf(b, " AND NOT EXISTS (SELECT 1 FROM incident_told t WHERE t.incident_id = "
			      "i.id AND t.role = '%s')", q->untold);
	return buf_puts(b, " AND i.id > ?108 AND NOT EXISTS (SELECT 1 FROM escalations e WHERE "
			   "e.incident_id = i.id AND e.rule = ?105 AND e.subject_id = 0) ORDER BY i.id "
			   "LIMIT ?106");
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
				  "AND r.due_at < ?103 AND r.id > ?108 AND NOT EXISTS (SELECT 1 FROM "
				  "escalations e WHERE e.incident_id = r.incident_id AND e.rule = ?105 "
				  "AND e.subject_id = r.id) ORDER BY r.id LIMIT ?106");
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
	sq_bind_int(st, s, 108, q->after_id);
	while ((rc = sq_step_row(st, s, "escalation candidates")) == STORE_OK && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

#define ESC_MAX_TARGETS 256

struct firing_ctx {
	struct store *st;
	const struct store_firing *f;
	int64_t owner, coordinator;
	int64_t targets[ESC_MAX_TARGETS];
	size_t ntargets;
};

/* Adds an organisation once (002: the coordinator and the police are one body). */
static void add_target(struct firing_ctx *c, int64_t org)
{
	if (org <= 0)
		return;
	for (size_t i = 0; i < c->ntargets; i++)
		if (c->targets[i] == org)
			return;
	if (c->ntargets < ESC_MAX_TARGETS)
		c->targets[c->ntargets++] = org;
}

/* Every active organisation of a role. */
static int add_role(struct firing_ctx *c, int role)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(c->st, SQ_ESC_ROLE_ORGS,
			 "SELECT id FROM orgs WHERE active = 1 AND role = ?1 ORDER BY id", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_text(c->st, s, 1, codes_org_role_name(role));
	while ((rc = sq_step_row(c->st, s, "escalation targets")) == STORE_OK)
		add_target(c, sqlite3_column_int64(s, 0));
	sq_done(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

static int parent_of(struct store *st, int64_t org, int64_t *parent)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ESC_PARENT, "SELECT coalesce(parent_id, 0) FROM orgs WHERE id = ?1", &s);

	*parent = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, org);
	rc = sq_step_row(st, s, "escalation superior");
	if (rc == STORE_OK)
		*parent = sqlite3_column_int64(s, 0);
	sq_done(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

/* The organisations a rule targets: roles, the coordinator named in meta, the owner's superior,
 * the owner. */
static int resolve_targets(struct firing_ctx *c)
{
	unsigned t = c->f->rule->targets;
	int64_t parent;
	int rc = STORE_OK;

	for (int role = 0; role < ORG_ROLE_COUNT && rc == STORE_OK; role++)
		if (role != ORG_COORDINATOR && (t & (1u << role)))
			rc = add_role(c, role);
	if (rc == STORE_OK && (t & (1u << ORG_COORDINATOR)))
		add_target(c, c->coordinator);
	if (rc == STORE_OK && (t & PRESET_TARGET_SUPERIOR) &&
	    (rc = parent_of(c->st, c->owner, &parent)) == STORE_OK)
		add_target(c, parent);
	if (rc == STORE_OK && (t & PRESET_TARGET_OWNER))
		add_target(c, c->owner);
	return rc;
}

/* Runs a cached statement with the given integer then text parameters. */
static int exec_cached(struct store *st, enum sq_id id, const char *sql, const char *what,
		       const int64_t *ints, size_t nints, const char *const *texts, size_t ntexts)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc != STORE_OK)
		return rc;
	for (size_t i = 0; i < nints; i++)
		sq_bind_int(st, s, (int)i + 1, ints[i]);
	for (size_t i = 0; i < ntexts; i++)
		sq_bind_text(st, s, (int)(nints + i) + 1, texts[i]);
	rc = sq_step_done(st, s, what);
	sq_done(s);
	return rc;
}

/* One target: a request from the coordinator, or a notification in the outbox; either way the
 * organisation is named on the incident, so it can read it. */
static int act_on(struct firing_ctx *c, int64_t org, const char *payload)
{
	const struct preset_escalation *r = c->f->rule;
	const char *reason[] = {r->action == PRESET_ESC_REQUEST ? "request" : "notified"};
	int64_t named[] = {c->f->incident_id, org, c->f->now};
	int rc;

	if (r->action == PRESET_ESC_REQUEST) {
		int64_t due = r->request_within ? c->f->now + r->request_within : 0;
		int64_t ints[] = {c->f->incident_id, c->coordinator, org, due, c->f->now};
		const char *texts[] = {r->request_kind, c->f->text};

		if (org == c->coordinator)
			return STORE_OK; /* the coordinator does not ask itself */
		rc = exec_cached(c->st, SQ_ESC_REQUEST,
				 "INSERT INTO requests(incident_id, from_org_id, to_org_id, due_at, "
				 "created_at, kind, body, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
				 "'open')",
				 "escalation request", ints, 5, texts, 2);
	} else {
		int64_t ints[] = {org, c->f->incident_id, c->f->now};
		const char *texts[] = {payload};

		rc = exec_cached(c->st, SQ_ESC_OUTBOX,
				 "INSERT INTO outbox(event, org_id, incident_id, created_at, payload) "
				 "VALUES ('escalation', ?1, ?2, ?3, ?4)",
				 "escalation notify", ints, 3, texts, 1);
	}
	if (rc == STORE_OK)
		rc = exec_cached(c->st, SQ_ESC_NAME,
				 "INSERT OR IGNORE INTO incident_orgs(incident_id, org_id, added_at, "
				 "reason) VALUES (?1, ?2, ?3, ?4)",
				 "escalation name org", named, 3, reason, 1);
	return rc;
}

static int fire_targets(struct firing_ctx *c, json_t *targets)
{
	const struct preset_escalation *r = c->f->rule;
	/* the e-mail words it in its language when it is sent (jobs/outbox.c) */
	json_t *payload = json_pack("{s:s, s:s}", "rule", r->code, "source", r->source);
	char *p = payload && msg_json_put(payload, c->f->words) == 0
			  ? json_dumps(payload, JSON_COMPACT)
			  : NULL;
	int rc = resolve_targets(c);

	for (size_t i = 0; i < c->ntargets && rc == STORE_OK; i++) {
		rc = act_on(c, c->targets[i], p ? p : "{}");
		json_array_append_new(targets, json_integer(c->targets[i]));
	}
	free(p);
	json_decref(payload);
	return rc;
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
	int rc = exec_cached(st, SQ_ESC_RECORD,
			     "INSERT OR IGNORE INTO escalations(incident_id, subject_id, fired_at, "
			     "rule) VALUES (?1, ?2, ?3, ?4)",
			     "escalation record", ints, 3, texts, 1);

	*fired = rc == STORE_OK && sqlite3_changes(st->db) > 0;
	return rc;
}

int store_escalation_fire(struct store *st, const struct store_firing *f, bool *fired)
{
	struct firing_ctx c = {.st = st, .f = f};
	struct ac_incident ai;
	json_t *data, *targets;
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
	targets = json_array();
	rc = fire_targets(&c, targets);
	data = json_pack("{s:s, s:s, s:s, s:I, s:o}", "rule", f->rule->code, "source", f->rule->source,
			 "action", f->rule->action == PRESET_ESC_REQUEST ? "request" : "notify",
			 "subject_id", (json_int_t)f->subject_id, "targets", targets);
	/* the facts; its words are the reader's, in its language (api/journal.c) */
	if (rc == STORE_OK && (data == NULL || msg_json_put(data, f->words) != 0))
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = store_journal_add(st, f->incident_id, "escalation", 0, 0, "", data, NULL);
	json_decref(data);
	if (rc != STORE_OK)
		*fired = false;
	return sq_finish(st, rc);
}

int store_escalation_write(struct store *st, int64_t incident_id, struct jsonw *w)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ESC_LIST,
			 "SELECT rule, subject_id, fired_at FROM escalations WHERE incident_id = ?1 "
			 "ORDER BY id",
			 &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, incident_id);
	rc = sq_rows_write(st, s, "escalation list", w);
	sq_done(s);
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
