/* calendar.c - keeps the periodic-duty calendar current (ops_duty_sync, every round) and runs
 * one round of the job thread's work. */
#include "jobs.h"

#include "ops/duty.h"
#include "util/log.h"

int jobs_sync_duties(struct store *st, const struct preset *p, int64_t now,
		     struct jobs_counts *c)
{
	int64_t added = 0, cancelled = 0;
	struct ops_ctx oc;
	struct ops_err err;
	int rc = store_begin(st);

	jobs_ctx(&oc, st, p, now);
	if (rc == STORE_OK)
		rc = jobs_rc(ops_duty_sync(&oc, &added, &cancelled, &err), &err);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK) {
		store_rollback(st);
		log_err("duty calendar sync failed (%d)", rc);
		return rc;
	}
	c->duties_added += added;
	c->duties_cancelled += cancelled;
	return STORE_OK;
}

int jobs_run_once(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	int rc = jobs_sync_duties(st, p, now, c), notify = STORE_OK;

	if (rc == STORE_OK)
		rc = jobs_sweep(st, p, now, c);
	/* reminders, the digest and the per-user copies (jobs/notify.c): a failure there is logged
	 * and reported, but does not hold back the outbox */
	if (rc == STORE_OK) {
		notify = jobs_reminders(st, p, now, c);
		if (notify == STORE_OK)
			notify = jobs_digest(st, p, now, c);
		if (notify == STORE_OK)
			notify = jobs_fanout(st, p, now, c);
	}
	/* notification outbox (jobs/outbox.c): after the sweep, so its escalations go out now */
	if (rc == STORE_OK)
		rc = jobs_outbox_send(st, p, now, c);
	return rc == STORE_OK ? notify : rc;
}
