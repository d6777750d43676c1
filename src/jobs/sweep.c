/* sweep.c - the escalation sweep (000 Đ7.1c-d: unresolved incidents go further up; requests
 * unanswered past due; clocks overdue). Candidates come in batches from the store; each batch
 * is one transaction, and each firing is unique in the database, so a sweep interrupted or run
 * twice at once fires every rule once. */
#include "jobs.h"

#include "core/escalation.h"
#include "util/log.h"

#define SWEEP_BATCH 500

static int fire_batch(struct store *st, const struct preset_escalation *r, bool requests,
		      const int64_t *ids, size_t n, int64_t now, struct jobs_counts *c)
{
	char text[1024];
	int rc = store_begin(st);

	if (rc != STORE_OK)
		return rc;
	escalation_text(r, text, sizeof text);
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		struct store_firing f = {.rule = r, .text = text, .now = now};
		bool fired = false;

		f.incident_id = ids[i];
		if (requests) {
			f.subject_id = ids[i];
			rc = store_request_incident(st, ids[i], &f.incident_id);
		}
		if (rc == STORE_OK)
			rc = store_escalation_fire(st, &f, &fired);
		if (fired)
			c->fired++;
	}
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

static int sweep_rule(struct store *st, const struct preset *p, const struct preset_escalation *r,
		      int64_t now, struct jobs_counts *c)
{
	int64_t ids[SWEEP_BATCH];
	struct esc_query q;
	size_t n;
	int rc;

	if (escalation_query(p, r, now, &q) != 0)
		return STORE_OK;
	/* batches walk the candidates by id, so each is read once however many fire */
	do {
		rc = store_escalation_candidates(st, &q, ids, SWEEP_BATCH, &n);
		if (rc == STORE_OK && n > 0) {
			c->candidates += (int64_t)n;
			rc = fire_batch(st, r, q.requests, ids, n, now, c);
			q.after_id = ids[n - 1];
		}
	} while (rc == STORE_OK && n == SWEEP_BATCH);
	return rc;
}

/* "warning_unanswered" (000 Đ7.4, 003 §1): a targeted organisation that has not fully answered a
 * warning `after` past its due time; the late organisation and the issuer are told, once. */
static int sweep_warning_rule(struct store *st, const struct preset *p,
			      const struct preset_escalation *r, int64_t now, struct jobs_counts *c)
{
	int64_t wids[SWEEP_BATCH], oids[SWEEP_BATCH], aw = 0, ao = 0;
	const struct preset_item *min = r->min_severity[0] ? preset_severity(p, r->min_severity)
							   : NULL;
	char text[1024];
	size_t n;
	int rc;

	escalation_text(r, text, sizeof text);
	do {
		rc = store_warning_overdue(st, r->code, now - r->after, min ? min->rank : 0, aw, ao,
					   wids, oids, SWEEP_BATCH, &n);
		if (rc != STORE_OK || n == 0)
			break;
		rc = store_begin(st);
		for (size_t i = 0; i < n && rc == STORE_OK; i++) {
			bool fired = false;

			rc = store_warning_fire(st, r, wids[i], oids[i], text, now, &fired);
			if (fired)
				c->warnings_fired++;
		}
		if (rc == STORE_OK)
			rc = store_commit(st);
		if (rc != STORE_OK)
			store_rollback(st);
		aw = wids[n - 1];
		ao = oids[n - 1];
	} while (rc == STORE_OK && n == SWEEP_BATCH);
	return rc;
}

int jobs_sweep(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c)
{
	int rc = STORE_OK;

	for (size_t i = 0; i < p->nescalations && rc == STORE_OK; i++)
		rc = p->escalations[i].trigger == PRESET_TRIGGER_WARNING
			     ? sweep_warning_rule(st, p, &p->escalations[i], now, c)
			     : sweep_rule(st, p, &p->escalations[i], now, c);
	if (rc != STORE_OK)
		log_err("escalation sweep failed (%d)", rc);
	return rc;
}
