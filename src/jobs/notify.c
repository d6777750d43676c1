/* notify.c - notifications the job thread queues on time (docs/mail.md): reminders of periodic
 * duties (the preset's `reminders:`), the leaders' weekly digest and the per-user copies of
 * organisation notifications. Here is when and in which batches; what is queued is
 * ops/notify.c's. All only queue outbox rows; jobs/outbox.c sends them. Each reminder (duty x
 * kind) and each digest (user x ISO week) has a unique key written in the same transaction as
 * its outbox row. */
#include <stdio.h>
#include <stdlib.h>

#include "jobs.h"

#include "core/duty.h"
#include "ops/notify.h"
#include "util/log.h"
#include "util/tm.h"

#define NOTIFY_BATCH 200
#define DAY 86400
#define DIGEST_HOUR 8 /* Monday 08:00, Asia/Ho_Chi_Minh */

int jobs_reminders(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	const struct preset_reminders *r = &p->reminders;
	struct store_reminder_cand cand[NOTIFY_BATCH];
	struct ops_ctx oc;
	struct ops_err err;
	int64_t after = 0;
	size_t n;
	int rc;

	if (r->nbefore == 0 && !r->on_due && !r->overdue)
		return STORE_OK;
	jobs_ctx(&oc, st, p, now);
	do {
		rc = store_begin(st);
		if (rc != STORE_OK)
			break;
		rc = store_reminder_candidates(st, now - DUTY_OVERDUE_WINDOW,
					       now + duty_reminder_horizon(r), after, cand,
					       NOTIFY_BATCH, &n);
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			bool queued = false;

			after = cand[i].duty_id;
			rc = jobs_rc(ops_notify_remind(&oc, &cand[i], &queued, &err), &err);
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

int jobs_digest(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	struct store_digest_user users[NOTIFY_BATCH];
	struct ops_ctx oc;
	struct ops_err err;
	char week[16];
	int64_t monday, after = 0;
	size_t n;
	int rc;

	if (jobs_iso_week(now, week, sizeof week, &monday) != 0)
		return STORE_OK;
	/* Monday from 08:00 to midnight, Vietnam time: a server down all Monday skips that week */
	if (now < monday + DIGEST_HOUR * 3600 || now >= monday + DAY)
		return STORE_OK;
	jobs_ctx(&oc, st, p, now);
	do {
		rc = store_begin(st);
		if (rc != STORE_OK)
			break;
		rc = store_digest_recipients(st, after, users, NOTIFY_BATCH, &n);
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			bool queued = false;

			after = users[i].user_id;
			rc = jobs_rc(ops_notify_digest(&oc, &users[i], week, monday, &queued, &err),
				     &err);
			if (queued)
				c->digests++;
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

int jobs_fanout(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	struct store_fanout *f = malloc(sizeof *f);
	struct ops_ctx oc;
	struct ops_err err;
	int rc = STORE_OK;

	if (f == NULL)
		return STORE_EIO;
	jobs_ctx(&oc, st, p, now);
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
			rc = jobs_rc(ops_notify_fanout(&oc, f, &c->fanned, &err), &err);
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
