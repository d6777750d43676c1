/* notify.c - notifications the job thread queues on time (docs/mail.md): reminders of periodic
 * duties (the preset's `reminders:`) and the leaders' weekly digest. Both only queue outbox rows;
 * jobs/outbox.c sends them. Each reminder (duty x kind) and each digest (user x ISO week) has a
 * unique key written in the same transaction as its outbox row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"

#include "core/access.h"
#include "core/codes.h"
#include "core/notify.h"
#include "mail/mail.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define NOTIFY_BATCH 200
#define DAY 86400
#define DIGEST_HOUR 8                /* Monday 08:00, Asia/Ho_Chi_Minh */
#define DIGEST_DUTY_AHEAD (14 * DAY) /* duties due in the next 14 days */

int jobs_reminders(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	const struct preset_reminders *r = &p->reminders;
	struct store_reminder_cand cand[NOTIFY_BATCH];
	int64_t after = 0;
	size_t n;
	int rc;

	if (r->nbefore == 0 && !r->on_due && !r->overdue)
		return STORE_OK;
	do {
		rc = store_begin(st);
		if (rc != STORE_OK)
			break;
		rc = store_reminder_candidates(st, now - DUTY_OVERDUE_WINDOW,
					       now + duty_reminder_horizon(r), after, cand,
					       NOTIFY_BATCH, &n);
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			char kind[24];
			int days;
			bool queued = false;

			after = cand[i].duty_id;
			if (!duty_reminder_due(r, cand[i].due_at, now, kind, sizeof kind, &days))
				continue;
			rc = store_duty_remind(st, &cand[i], kind, days, now, &queued);
			if (queued)
				c->reminders++;
		}
		if (rc == STORE_OK)
			rc = store_commit(st);
		if (rc != STORE_OK)
			store_rollback(st);
	} while (rc == STORE_OK && n == NOTIFY_BATCH);
	if (rc != STORE_OK)
		log_err("duty reminders failed (%d)", rc);
	return rc;
}

int jobs_iso_week(int64_t t, char *out, size_t outsz, int64_t *monday)
{
	int y, m, d, h, mi, s, wd;
	int64_t local = t + TM_VN_OFFSET, day = local / DAY - (local % DAY < 0 ? 1 : 0), thu,
		jan1;

	wd = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday: Monday = 0 */
	if (wd < 0)
		wd += 7;
	thu = day - wd + 3;
	/* the ISO year is the year of the week's Thursday */
	tm_vn_fields(thu * DAY - TM_VN_OFFSET + 12 * 3600, &y, &m, &d, &h, &mi, &s);
	jan1 = tm_vn_midnight(y, 1, 1);
	if (jan1 < 0)
		return -1;
	if (monday != NULL)
		*monday = (day - wd) * DAY - TM_VN_OFFSET;
	if (snprintf(out, outsz, "%04d-W%02d", y,
		     (int)((thu * DAY - TM_VN_OFFSET - jan1) / DAY / 7 + 1)) >= (int)outsz)
		return -1;
	return 0;
}

/* The clocks of the preset as overdue conditions (escalation_query of a CLOCK rule). */
static size_t clock_queries(const struct preset *p, int64_t now, struct esc_query *q,
			    struct preset_escalation *rules, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nclocks && n < max; i++) {
		memset(&rules[n], 0, sizeof rules[n]);
		rules[n].trigger = PRESET_TRIGGER_CLOCK;
		memcpy(rules[n].clock, p->clocks[i].code, sizeof rules[n].clock);
		if (escalation_query(p, &rules[n], now, &q[n]) == 0)
			n++;
	}
	return n;
}

static int digest_one(struct store *st, const struct preset *p, const struct store_digest_user *u,
		      int64_t coordinator, const char *week, int64_t monday, int64_t now,
		      struct jobs_counts *c)
{
	enum { MAXC = 16 };
	struct esc_query clocks[MAXC];
	struct preset_escalation rules[MAXC];
	struct ac_subject subj = {.user_id = u->user_id, .org_id = u->org_id,
				  .org_role = u->org_role, .roles = ROLE_LEADER,
				  .coordinator = u->org_id == coordinator};
	struct ac_scope scope;
	struct store_digest_query q = {.scope = &scope, .week_start = monday, .now = now,
				       .duty_ahead = DIGEST_DUTY_AHEAD, .clocks = clocks};
	json_t *figures = NULL;
	char *text = NULL;
	bool queued = false;
	int rc;

	access_incident_scope(&subj, &scope);
	/* the coordinator's leaders read the whole province, others their organisation */
	q.org_id = subj.coordinator ? 0 : u->org_id;
	q.nclocks = clock_queries(p, now, clocks, rules, MAXC);
	rc = store_digest_counts(st, &q, &figures);
	if (rc != STORE_OK)
		return rc;
	json_object_set_new(figures, "week", json_string(week));
	json_object_set_new(figures, "province", json_boolean(subj.coordinator));
	text = json_dumps(figures, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL || strlen(text) >= 2000)
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = store_digest_queue(st, u->user_id, u->org_id, week, text, now, &queued);
	if (queued)
		c->digests++;
	free(text);
	json_decref(figures);
	return rc;
}

int jobs_digest(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	struct store_digest_user users[NOTIFY_BATCH];
	char week[16], v[32];
	int64_t monday, after = 0, coordinator = 0;
	size_t n;
	int rc;

	if (jobs_iso_week(now, week, sizeof week, &monday) != 0)
		return STORE_OK;
	/* Monday from 08:00 to midnight, Vietnam time: a server down all Monday skips that week */
	if (now < monday + DIGEST_HOUR * 3600 || now >= monday + DAY)
		return STORE_OK;
	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK &&
	    str_to_i64(v, 1, INT64_MAX, &coordinator) != 0)
		coordinator = 0;
	do {
		rc = store_begin(st);
		if (rc != STORE_OK)
			break;
		rc = store_digest_recipients(st, after, users, NOTIFY_BATCH, &n);
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			after = users[i].user_id;
			rc = digest_one(st, p, &users[i], coordinator, week, monday, now, c);
		}
		if (rc == STORE_OK)
			rc = store_commit(st);
		if (rc != STORE_OK)
			store_rollback(st);
	} while (rc == STORE_OK && n == NOTIFY_BATCH);
	if (rc != STORE_OK)
		log_err("weekly digest failed (%d)", rc);
	return rc;
}

/* Fans one organisation row out to the people who want its event at once. */
static int fanout_one(struct store *st, const struct preset *p, struct store_fanout *f,
		      int64_t coordinator, int64_t now, struct jobs_counts *c)
{
	const char *chosen[STORE_FANOUT_MAX];
	size_t nchosen = 0;
	int rc = STORE_OK;

	for (size_t i = 0; i < f->n && rc == STORE_OK; i++) {
		const struct store_fanout_user *u = &f->users[i];
		bool coord = f->org_id == coordinator, dup = false, added = false;
		enum notify_mode m;

		/* the preset's minimum wins over what was stored (the preset may have changed) */
		if (notify_required(p, f->event, f->org_role, coord, u->roles) != NULL)
			m = NOTIFY_IMMEDIATE;
		else if (u->mode[0] == '\0' || notify_mode_parse(u->mode, &m) != 0)
			m = notify_default(p, f->event, f->org_role, coord, u->roles);
		if (m != NOTIFY_IMMEDIATE || !mail_addr_ok(u->email))
			continue;
		/* two accounts with one address get one message */
		for (size_t k = 0; k < nchosen && !dup; k++)
			dup = strcmp(chosen[k], u->email) == 0;
		if (dup)
			continue;
		chosen[nchosen++] = u->email;
		rc = store_fanout_add(st, f->id, u->user_id, now, &added);
		if (added)
			c->fanned++;
	}
	if (rc == STORE_OK)
		rc = store_fanout_done(st, f->id);
	return rc;
}

int jobs_fanout(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	struct store_fanout *f = malloc(sizeof *f);
	int64_t coordinator = 0;
	char v[32];
	int rc = STORE_OK;

	if (f == NULL)
		return STORE_EIO;
	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK &&
	    str_to_i64(v, 1, INT64_MAX, &coordinator) != 0)
		coordinator = 0;
	for (int i = 0; i < NOTIFY_BATCH && rc == STORE_OK; i++) {
		rc = store_begin(st);
		if (rc != STORE_OK)
			break;
		rc = store_fanout_next(st, f);
		if (rc == STORE_ENOTFOUND) {
			store_rollback(st);
			rc = STORE_OK;
			break;
		}
		if (rc == STORE_OK)
			rc = fanout_one(st, p, f, coordinator, now, c);
		if (rc == STORE_OK)
			rc = store_commit(st);
		if (rc != STORE_OK)
			store_rollback(st);
	}
	free(f);
	if (rc != STORE_OK)
		log_err("notification fan-out failed (%d)", rc);
	return rc;
}
