/* sweep.c - the escalation sweep (000 Đ7.1c-d: unresolved incidents go further up; requests
 * unanswered past due; clocks overdue). Candidates come in batches from the store; each batch
 * is one transaction of firings (ops/sweep.c), and each firing is unique in the database, so a
 * sweep interrupted or run twice at once fires every rule once. */
#include "jobs.h"

#include "core/escalation.h"
#include "ops/sweep.h"
#include "util/log.h"

#define SWEEP_BATCH 500

/* oc: the job thread's context (jobs_ctx), its store, preset and now. */
static int fire_batch(const struct ops_ctx *oc, const struct preset_escalation *r,
		      bool requests, const int64_t *ids, size_t n, struct jobs_counts *c)
{
	struct ops_err err;
	int rc = store_begin(oc->st);

	if (rc != STORE_OK)
		return rc;
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		bool fired = false;

		rc = jobs_rc(ops_sweep_fire(oc, r, requests, ids[i], &fired, &err), &err);
		if (fired)
			c->fired++;
	}
	if (rc == STORE_OK)
		rc = store_commit(oc->st);
	if (rc != STORE_OK)
		store_rollback(oc->st);
	return rc;
}

static int sweep_rule(const struct ops_ctx *oc, const struct preset_escalation *r,
		      struct jobs_counts *c)
{
	int64_t ids[SWEEP_BATCH];
	struct esc_query q;
	size_t n;
	int rc;

	if (escalation_query(oc->preset, r, oc->now, &q) != 0)
		return STORE_OK;
	/* batches walk the candidates by id, so each is read once however many fire */
	do {
		rc = store_escalation_candidates(oc->st, &q, ids, SWEEP_BATCH, &n);
		if (rc == STORE_OK && n > 0) {
			c->candidates += (int64_t)n;
			rc = fire_batch(oc, r, q.requests, ids, n, c);
			q.after_id = ids[n - 1];
		}
	} while (rc == STORE_OK && n == SWEEP_BATCH);
	return rc;
}

/* "warning_unanswered" (000 Đ7.4, 003 §1): a targeted organisation that has not fully answered a
 * warning `after` past its due time; the late organisation and the issuer are told, once. */
static int sweep_warning_rule(const struct ops_ctx *oc, const struct preset_escalation *r,
			      struct jobs_counts *c)
{
	int64_t wids[SWEEP_BATCH], oids[SWEEP_BATCH], aw = 0, ao = 0;
	const struct preset_item *min = r->min_severity[0]
						? preset_severity(oc->preset, r->min_severity)
						: NULL;
	struct ops_err err;
	size_t n;
	int rc;

	do {
		rc = store_warning_overdue(oc->st, r->code, oc->now - r->after, min ? min->rank : 0,
					   aw, ao, wids, oids, SWEEP_BATCH, &n);
		if (rc != STORE_OK || n == 0)
			break;
		rc = store_begin(oc->st);
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			bool fired = false;

			rc = jobs_rc(ops_sweep_warning(oc, r, wids[i], oids[i], &fired, &err), &err);
			if (fired)
				c->warnings_fired++;
		}
		if (rc == STORE_OK)
			rc = store_commit(oc->st);
		if (rc != STORE_OK)
			store_rollback(oc->st);
		aw = wids[n - 1];
		ao = oids[n - 1];
	} while (rc == STORE_OK && n == SWEEP_BATCH);
	return rc;
}

int jobs_sweep(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	struct ops_ctx oc;
	int rc = STORE_OK;

	jobs_ctx(&oc, st, p, now);
	for (size_t i = 0; i < p->nescalations && rc == STORE_OK; i++)
		rc = p->escalations[i].trigger == PRESET_TRIGGER_WARNING
			     ? sweep_warning_rule(&oc, &p->escalations[i], c)
			     : sweep_rule(&oc, &p->escalations[i], c);
	if (rc != STORE_OK)
		log_err("escalation sweep failed (%d)", rc);
	return rc;
}
