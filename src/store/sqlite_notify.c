/* sqlite_notify.c - notifications the job thread queues on time (store_reminder_*,
 * store_digest_*; migration 006, docs/mail.md): duty reminders and the leaders' weekly digest.
 * Each is keyed uniquely (duty x kind, user x ISO week) and its key row is written in the same
 * transaction as its outbox row, so a second sweep, a concurrent one or a restart queues
 * nothing twice. */
#include "sqlite_priv.h"

#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "util/buf.h"

int store_reminder_candidates(struct store *st, int64_t from, int64_t to, int64_t after_id,
			      struct store_reminder_cand *out, size_t max, size_t *n)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_REMIND_CANDIDATES,
			 "SELECT id, org_id, due_at FROM duties WHERE status = 'pending' AND "
			 "due_at >= ?1 AND due_at <= ?2 AND id > ?3 ORDER BY id LIMIT ?4",
			 &s);

	*n = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, from);
	sq_bind_int(st, s, 2, to);
	sq_bind_int(st, s, 3, after_id);
	sq_bind_int(st, s, 4, (int64_t)max);
	while (*n < max && (rc = sq_step_row(st, s, "reminder candidates")) == STORE_OK) {
		out[*n].duty_id = sqlite3_column_int64(s, 0);
		out[*n].org_id = sqlite3_column_int64(s, 1);
		out[*n].due_at = sqlite3_column_int64(s, 2);
		(*n)++;
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

/* Inserts the key row (ON CONFLICT DO NOTHING); *fresh when this call inserted it. */
static int insert_key(struct store *st, enum sq_id id, const char *sql, int64_t a, const char *b,
		      int64_t now, const char *what, bool *fresh)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	*fresh = false;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, a);
	sq_bind_text(st, s, 2, b);
	sq_bind_int(st, s, 3, now);
	rc = sq_step_done(st, s, what);
	if (rc == STORE_OK)
		*fresh = sqlite3_changes(st->db) == 1;
	sq_done(s);
	return rc;
}

/* Inserts an outbox row (event, org, user or 0, payload) and sets *id. */
static int outbox_row(struct store *st, const char *event, int64_t org_id, int64_t user_id,
		      const char *payload, int64_t now, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_NOTIFY_OUTBOX,
			 "INSERT INTO outbox(event, org_id, user_id, payload, created_at) "
			 "VALUES (?1, ?2, ?3, ?4, ?5)",
			 &s);

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, event);
	sq_bind_int(st, s, 2, org_id);
	sq_bind_ref(st, s, 3, user_id);
	sq_bind_text(st, s, 4, payload);
	sq_bind_int(st, s, 5, now);
	rc = sq_step_done(st, s, "notify outbox");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	sq_done(s);
	return rc;
}

static int link_key(struct store *st, enum sq_id id, const char *sql, int64_t outbox_id,
		    int64_t a, const char *b, const char *what)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, outbox_id);
	sq_bind_int(st, s, 2, a);
	sq_bind_text(st, s, 3, b);
	rc = sq_step_done(st, s, what);
	sq_done(s);
	return rc;
}

int store_duty_remind(struct store *st, const struct store_reminder_cand *c, const char *kind,
		      int days, int64_t now, bool *queued)
{
	char payload[160];
	int64_t oid = 0;
	int rc = sq_savepoint(st);

	*queued = false;
	if (rc != STORE_OK)
		return rc;
	rc = insert_key(st, SQ_REMIND_INSERT,
			"INSERT INTO duty_reminders(duty_id, kind, created_at) VALUES (?1, ?2, ?3) "
			"ON CONFLICT (duty_id, kind) DO NOTHING",
			c->duty_id, kind, now, "reminder key", queued);
	if (rc == STORE_OK && *queued) {
		snprintf(payload, sizeof payload, "{\"duty_id\":%lld,\"kind\":\"%s\",\"days\":%d}",
			 (long long)c->duty_id, kind, days);
		rc = outbox_row(st, "duty_reminder", c->org_id, 0, payload, now, &oid);
	}
	if (rc == STORE_OK && *queued)
		rc = link_key(st, SQ_REMIND_LINK,
			      "UPDATE duty_reminders SET outbox_id = ?1 WHERE duty_id = ?2 AND kind = ?3",
			      oid, c->duty_id, kind, "reminder link");
	if (rc != STORE_OK)
		*queued = false;
	return sq_finish(st, rc);
}

int store_digest_recipients(struct store *st, int64_t after_id, struct store_digest_user *out,
			    size_t max, size_t *n)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_DIGEST_USERS,
			 "SELECT u.id, u.org_id, o.role FROM users u JOIN orgs o ON o.id = u.org_id "
			 "WHERE u.active = 1 AND (u.roles & ?1) != 0 AND u.email != '' AND u.id > ?2 "
			 "AND NOT EXISTS (SELECT 1 FROM notify_prefs p WHERE p.user_id = u.id AND "
			 "p.event = 'digest' AND p.mode = 'off') ORDER BY u.id LIMIT ?3",
			 &s);

	*n = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, ROLE_LEADER);
	sq_bind_int(st, s, 2, after_id);
	sq_bind_int(st, s, 3, (int64_t)max);
	while (*n < max && (rc = sq_step_row(st, s, "digest users")) == STORE_OK) {
		out[*n].user_id = sqlite3_column_int64(s, 0);
		out[*n].org_id = sqlite3_column_int64(s, 1);
		out[*n].org_role = codes_org_role_parse((const char *)sqlite3_column_text(s, 2));
		(*n)++;
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

/* One integer of `SELECT count(*) ...` built in b, with the scope's organisation as ?1 and the
 * integers of args as ?2... */
static int count_of(struct store *st, struct buf *b, int64_t org, const int64_t *args,
		    size_t nargs, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc, np;

	*out = 0;
	if (b->p == NULL || b->len >= b->max)
		return STORE_EINVAL;
	rc = sqlite3_prepare_v2(st->db, b->p, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_err(st, rc, "digest count prepare");
	/* a query of every organisation may not name ?1 */
	np = sqlite3_bind_parameter_count(s);
	if (np >= 1)
		sq_bind_int(st, s, 1, org);
	for (size_t i = 0; i < nargs && (int)i + 2 <= np; i++)
		sq_bind_int(st, s, (int)i + 2, args[i]);
	rc = sq_step_row(st, s, "digest count");
	if (rc == STORE_OK)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

/* Appends "status IN ('a', 'b')" of q's states (codes of the preset: [a-z0-9_] only). */
static void states_in(struct buf *b, const struct esc_query *q)
{
	buf_puts(b, " AND i.status IN (''");
	for (size_t i = 0; i < q->nstates; i++)
		buf_printf(b, ", '%s'", q->states[i]);
	buf_puts(b, ")");
	if (q->untold) /* a clock's target (a role's code, [a-z_]) not told: the clock runs */
		buf_printf(b, " AND NOT EXISTS (SELECT 1 FROM incident_told t WHERE t.incident_id = "
			      "i.id AND t.role = '%s')", q->untold);
}

int store_digest_counts(struct store *st, const struct store_digest_query *q, json_t **out)
{
	struct buf b;
	sqlite3_stmt *s = NULL;
	json_t *o = json_object(), *sev = NULL;
	int64_t v, overdue = 0;
	int rc;

	*out = NULL;
	buf_init(&b, 8192);
	if (o == NULL)
		return STORE_EIO;
	/* open incidents by severity */
	buf_puts(&b, "SELECT i.severity AS code, count(*) AS count FROM incidents i WHERE ");
	sq_scope_sql(&b, q->scope);
	buf_puts(&b, " AND i.closed_at = 0 AND i.is_drill = 0 GROUP BY i.severity "
		     "ORDER BY max(i.severity_rank) DESC");
	rc = b.p == NULL || b.len >= b.max ? STORE_EINVAL : STORE_OK;
	if (rc == STORE_OK && (rc = sqlite3_prepare_v2(st->db, b.p, -1, &s, NULL)) != SQLITE_OK)
		rc = sq_err(st, rc, "digest severity prepare");
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, q->scope->org_id);
		rc = sq_rows_json(st, s, "digest severity", &sev);
	}
	sqlite3_finalize(s);
	if (rc != STORE_OK || (rc = sq_set(o, "by_severity", sev)) != STORE_OK)
		goto out;
	v = 0;
	for (size_t i = 0; i < json_array_size(sev); i++)
		v += json_integer_value(json_object_get(json_array_get(sev, i), "count"));
	json_object_set_new(o, "open", json_integer(v));

	/* reported this week */
	buf_reset(&b);
	buf_puts(&b, "SELECT count(*) FROM incidents i WHERE ");
	sq_scope_sql(&b, q->scope);
	buf_puts(&b, " AND i.is_drill = 0 AND i.created_at >= ?2 AND i.created_at < ?3");
	if ((rc = count_of(st, &b, q->scope->org_id, (int64_t[]){q->week_start, q->now}, 2, &v)) !=
	    STORE_OK)
		goto out;
	json_object_set_new(o, "new_week", json_integer(v));

	/* overdue reporting deadlines: one per clock and incident */
	for (size_t c = 0; c < q->nclocks; c++) {
		const struct esc_query *k = &q->clocks[c];

		buf_reset(&b);
		buf_puts(&b, "SELECT count(*) FROM incidents i WHERE ");
		sq_scope_sql(&b, q->scope);
		buf_puts(&b, " AND i.is_drill = 0 AND i.closed_at = 0 AND i.detected_at < ?2 AND "
			     "i.severity_rank >= ?3");
		states_in(&b, k);
		if ((rc = count_of(st, &b, q->scope->org_id,
				   (int64_t[]){k->detected_before, k->min_rank}, 2, &v)) != STORE_OK)
			goto out;
		overdue += v;
	}
	json_object_set_new(o, "overdue_clocks", json_integer(overdue));

	/* coordination requests not answered yet */
	buf_reset(&b);
	buf_puts(&b, "SELECT count(*) FROM requests WHERE status = 'open'");
	if (q->org_id > 0)
		buf_puts(&b, " AND (to_org_id = ?1 OR from_org_id = ?1)");
	if ((rc = count_of(st, &b, q->org_id, NULL, 0, &v)) != STORE_OK)
		goto out;
	json_object_set_new(o, "pending_requests", json_integer(v));

	/* periodic duties: due in the coming days, and overdue */
	buf_reset(&b);
	buf_puts(&b, "SELECT count(*) FROM duties WHERE status = 'pending' AND due_at >= ?2 AND "
		     "due_at < ?3");
	if (q->org_id > 0)
		buf_puts(&b, " AND org_id = ?1");
	if ((rc = count_of(st, &b, q->org_id, (int64_t[]){q->now, q->now + q->duty_ahead}, 2,
			   &v)) != STORE_OK)
		goto out;
	json_object_set_new(o, "duties_due", json_integer(v));
	buf_reset(&b);
	buf_puts(&b, "SELECT count(*) FROM duties WHERE status = 'pending' AND due_at < ?2");
	if (q->org_id > 0)
		buf_puts(&b, " AND org_id = ?1");
	if ((rc = count_of(st, &b, q->org_id, (int64_t[]){q->now}, 1, &v)) != STORE_OK)
		goto out;
	json_object_set_new(o, "duties_overdue", json_integer(v));
	*out = o;
	o = NULL;
out:
	buf_free(&b);
	json_decref(o);
	return rc;
}

int store_digest_queue(struct store *st, int64_t user_id, int64_t org_id, const char *week,
		       const char *payload, int64_t now, bool *queued)
{
	int64_t oid = 0;
	int rc = sq_savepoint(st);

	*queued = false;
	if (rc != STORE_OK)
		return rc;
	rc = insert_key(st, SQ_DIGEST_INSERT,
			"INSERT INTO digests(user_id, week, created_at) VALUES (?1, ?2, ?3) "
			"ON CONFLICT (user_id, week) DO NOTHING",
			user_id, week, now, "digest key", queued);
	if (rc == STORE_OK && *queued)
		rc = outbox_row(st, "digest", org_id, user_id, payload, now, &oid);
	if (rc == STORE_OK && *queued)
		rc = link_key(st, SQ_DIGEST_LINK,
			      "UPDATE digests SET outbox_id = ?1 WHERE user_id = ?2 AND week = ?3", oid,
			      user_id, week, "digest link");
	if (rc != STORE_OK)
		*queued = false;
	return sq_finish(st, rc);
}

/* ---- per-user preferences ---- */

int store_notify_get(struct store *st, int64_t user_id, json_t **modes, int64_t *version)
{
	sqlite3_stmt *s;
	json_t *o = json_object();
	int rc = sq_stmt(st, SQ_NOTIFY_VERSION, "SELECT notify_version FROM users WHERE id = ?1", &s);

	*modes = NULL;
	*version = 0;
	if (o == NULL)
		return STORE_EIO;
	if (rc != STORE_OK)
		return json_decref(o), rc;
	sq_bind_int(st, s, 1, user_id);
	rc = sq_step_row(st, s, "notify version");
	if (rc == STORE_OK)
		*version = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc != STORE_OK)
		return json_decref(o), rc;
	rc = sq_stmt(st, SQ_NOTIFY_PREFS,
		     "SELECT event, mode FROM notify_prefs WHERE user_id = ?1 ORDER BY event", &s);
	if (rc != STORE_OK)
		return json_decref(o), rc;
	sq_bind_int(st, s, 1, user_id);
	while ((rc = sq_step_row(st, s, "notify prefs")) == STORE_OK)
		json_object_set_new(o, (const char *)sqlite3_column_text(s, 0),
				    json_string((const char *)sqlite3_column_text(s, 1)));
	sq_done(s);
	if (rc != STORE_ENOTFOUND)
		return json_decref(o), rc;
	*modes = o;
	return STORE_OK;
}

int store_notify_set(struct store *st, int64_t user_id, int64_t version, const json_t *modes)
{
	sqlite3_stmt *s;
	const char *event;
	json_t *v;
	int rc = sq_stmt(st, SQ_NOTIFY_BUMP,
			 "UPDATE users SET notify_version = notify_version + 1 WHERE id = ?1 AND "
			 "(?2 = 0 OR notify_version = ?2)",
			 &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, user_id);
	sq_bind_int(st, s, 2, version);
	rc = sq_step_done(st, s, "notify bump");
	if (rc == STORE_OK && sqlite3_changes(st->db) != 1)
		rc = sq_exists(st, SQ_USER_EXISTS, "SELECT 1 FROM users WHERE id = ?1", user_id) ==
				     STORE_OK
			     ? STORE_ECONFLICT
			     : STORE_ENOTFOUND;
	sq_done(s);
	json_object_foreach((json_t *)modes, event, v) {
		if (rc != STORE_OK)
			break;
		rc = sq_stmt(st, SQ_NOTIFY_PUT,
			     "INSERT INTO notify_prefs(user_id, event, mode) VALUES (?1, ?2, ?3) "
			     "ON CONFLICT (user_id, event) DO UPDATE SET mode = excluded.mode",
			     &s);
		if (rc != STORE_OK)
			break;
		sq_bind_int(st, s, 1, user_id);
		sq_bind_text(st, s, 2, event);
		sq_bind_text(st, s, 3, json_string_value(v));
		rc = sq_step_done(st, s, "notify put");
		sq_done(s);
	}
	return rc;
}

/* ---- fan-out of an organisation's notification to its people ---- */

int store_fanout_next(struct store *st, struct store_fanout *f)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_FANOUT_NEXT,
			 "SELECT o.id, o.event, COALESCE(o.org_id, 0), g.role, g.email, "
			 "COALESCE(o.incident_id, 0), o.payload FROM outbox o "
			 "JOIN orgs g ON g.id = o.org_id WHERE o.fanned = 0 AND o.user_id IS NULL "
			 "ORDER BY o.fanned, o.id LIMIT 1",
			 &s);
	char org_email[256] = "";

	memset(f, 0, sizeof *f);
	if (rc != STORE_OK)
		return rc;
	rc = sq_step_row(st, s, "fanout next");
	if (rc == STORE_OK) {
		f->id = sqlite3_column_int64(s, 0);
		f->org_id = sqlite3_column_int64(s, 2);
		f->org_role = codes_org_role_parse((const char *)sqlite3_column_text(s, 3));
		if (sq_col_copy(s, 1, f->event, sizeof f->event) != STORE_OK)
			rc = STORE_EIO;
		(void)sq_col_copy(s, 4, org_email, sizeof org_email);
		f->incident_id = sqlite3_column_int64(s, 5);
		if (sq_col_copy(s, 6, f->payload, sizeof f->payload) != STORE_OK)
			rc = STORE_EIO;
	}
	sq_done(s);
	if (rc != STORE_OK)
		return rc;
	rc = sq_stmt(st, SQ_FANOUT_USERS,
		     "SELECT u.id, u.roles, lower(u.email), COALESCE(p.mode, '') FROM users u "
		     "LEFT JOIN notify_prefs p ON p.user_id = u.id AND p.event = ?2 WHERE "
		     "u.org_id = ?1 AND u.active = 1 AND u.email != '' AND lower(u.email) != "
		     "lower(?3) ORDER BY u.id LIMIT ?4",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, f->org_id);
	sq_bind_text(st, s, 2, f->event);
	sq_bind_text(st, s, 3, org_email);
	sq_bind_int(st, s, 4, STORE_FANOUT_MAX);
	while (f->n < STORE_FANOUT_MAX && (rc = sq_step_row(st, s, "fanout users")) == STORE_OK) {
		struct store_fanout_user *u = &f->users[f->n];

		u->user_id = sqlite3_column_int64(s, 0);
		u->roles = (unsigned)sqlite3_column_int64(s, 1);
		if (sq_col_copy(s, 2, u->email, sizeof u->email) != STORE_OK ||
		    sq_col_copy(s, 3, u->mode, sizeof u->mode) != STORE_OK)
			continue; /* an address too long to be one: skipped */
		f->n++;
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

int store_fanout_add(struct store *st, int64_t parent_id, int64_t user_id, int64_t now,
		     bool *added)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_FANOUT_ADD,
			 "INSERT INTO outbox(event, org_id, incident_id, payload, created_at, user_id, "
			 "parent_id, fanned) SELECT event, org_id, incident_id, payload, ?3, ?2, id, 1 "
			 "FROM outbox WHERE id = ?1 ON CONFLICT (parent_id, user_id) DO NOTHING",
			 &s);

	*added = false;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, parent_id);
	sq_bind_int(st, s, 2, user_id);
	sq_bind_int(st, s, 3, now);
	rc = sq_step_done(st, s, "fanout add");
	if (rc == STORE_OK)
		*added = sqlite3_changes(st->db) == 1;
	sq_done(s);
	return rc;
}

int store_fanout_done(struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_FANOUT_DONE, "UPDATE outbox SET fanned = 1 WHERE id = ?1", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_done(st, s, "fanout done");
	sq_done(s);
	return rc;
}
