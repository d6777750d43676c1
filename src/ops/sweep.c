/* sweep.c - the writes of the escalation sweep (jobs/sweep.c walks the candidates): a
 * time-based rule firing on an incident or a request, and a late warning answer. Each firing
 * is unique in the database, so a sweep interrupted or run twice at once fires every rule
 * once. */
#include "core/escalation.h"
#include "sweep.h"

/* Firings on time are the machine's: no account fires them. */
static int machine_only(const struct ops_ctx *c, struct ops_err *err)
{
	if (!ops_may(c, false))
		return ops_refuse(err, 403, "Forbidden", NULL, M_job_thread_only);
	return OPS_OK;
}

int ops_sweep_fire(const struct ops_ctx *c, const struct preset_escalation *r, bool request,
		   int64_t id, bool *fired, struct ops_err *err)
{
	char text[ESCALATION_TEXT];
	struct msg words;
	struct store_firing f = {.rule = r, .words = &words, .text = text, .now = c->now,
				 .incident_id = id};
	int rc = machine_only(c, err);

	*fired = false;
	if (rc != OPS_OK)
		return rc;
	ops_escalation_words(c->preset, r, &words, text, sizeof text);
	rc = STORE_OK;
	if (request) {
		f.subject_id = id;
		rc = store_request_incident(c->st, id, &f.incident_id);
	}
	if (rc == STORE_OK)
		rc = store_escalation_fire(c->st, &f, fired);
	return ops_store(err, rc);
}

int ops_sweep_warning(const struct ops_ctx *c, const struct preset_escalation *r,
		      int64_t warning_id, int64_t org_id, bool *fired, struct ops_err *err)
{
	struct msg words;
	int rc = machine_only(c, err);

	*fired = false;
	if (rc != OPS_OK)
		return rc;
	escalation_words(NULL, r, &words);
	return ops_store(err, store_warning_fire(c->st, r, warning_id, org_id, &words, c->now, fired));
}
