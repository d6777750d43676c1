/* escalation.c - rule matching. */
#include "escalation.h"

#include <string.h>

#include "cite.h"
#include "clock.h"
#include "procedure.h"

/* Severity and group conditions shared by every trigger. */
static bool filters_ok(const struct preset *p, const struct preset_escalation *r,
		       const struct esc_facts *f)
{
	if (r->group[0] && (f->grp == NULL || strcmp(r->group, f->grp) != 0))
		return false;
	if (r->min_severity[0]) {
		const struct preset_item *min = preset_severity(p, r->min_severity);
		const struct preset_item *s = f->severity ? preset_severity(p, f->severity) : NULL;

		if (min == NULL || s == NULL || s->rank < min->rank)
			return false;
	}
	return true;
}

static int step_of(const struct preset *p, const char *state)
{
	const struct preset_item *s = state ? preset_state(p, state) : NULL;

	return s ? s->rank : 0;
}

bool escalation_on_state(const struct preset *p, const struct preset_escalation *r,
			 const struct esc_facts *f, const char *from, const char *to)
{
	if (r->trigger != PRESET_TRIGGER_STATE || !filters_ok(p, r, f))
		return false;
	if (r->state[0])
		return strcmp(r->state, to) == 0;
	/* step rules fire once, when the incident first crosses into that step (closing at step 2
	 * crosses into none: procedure_step_reached) */
	return procedure_step_reached(p, from, to) >= r->step && step_of(p, from) < r->step;
}

bool escalation_on_flag(const struct preset *p, const struct preset_escalation *r,
			const struct esc_facts *f, const char *flag)
{
	return r->trigger == PRESET_TRIGGER_FLAG && strcmp(r->flag, flag) == 0 &&
	       filters_ok(p, r, f);
}

/* The non-final states, or just r->state. */
static void open_states(const struct preset *p, const char *only, struct esc_query *q)
{
	for (size_t i = 0; i < p->nstates && q->nstates < ESC_MAX_STATES; i++) {
		const struct preset_item *s = &p->states[i];

		if (s->final || (only && only[0] && strcmp(only, s->code) != 0))
			continue;
		q->states[q->nstates++] = s->code;
	}
}

static int clock_query(const struct preset *p, const struct preset_escalation *r, int64_t now,
		       struct esc_query *q)
{
	const struct preset_clock *c = preset_clock(p, r->clock);
	const struct preset_item *min;

	if (c == NULL)
		return -1;
	/* candidates: open incidents past the due time whose target was not told (the fact
	 * stops the clock, not a state) */
	for (size_t i = 0; i < p->nstates && q->nstates < ESC_MAX_STATES; i++)
		if (!p->states[i].final)
			q->states[q->nstates++] = p->states[i].code;
	q->untold = codes_org_role_name(c->target);
	q->detected_before = now - c->within - (c->within == 0 ? CLOCK_AT_ONCE_TOLERANCE : 0);
	if (c->min_severity[0] && (min = preset_severity(p, c->min_severity)) != NULL &&
	    min->rank > q->min_rank)
		q->min_rank = min->rank;
	return 0;
}

int escalation_query(const struct preset *p, const struct preset_escalation *r, int64_t now,
		     struct esc_query *q)
{
	const struct preset_item *min;

	memset(q, 0, sizeof *q);
	q->rule = r;
	q->grp = r->group[0] ? r->group : NULL;
	if (r->min_severity[0] && (min = preset_severity(p, r->min_severity)) != NULL)
		q->min_rank = min->rank;
	switch (r->trigger) {
	case PRESET_TRIGGER_IDLE:
		open_states(p, r->state, q);
		q->changed_before = now - r->after;
		q->flag = r->flag[0] ? r->flag : NULL;
		return 0;
	case PRESET_TRIGGER_CLOCK:
		return clock_query(p, r, now, q);
	case PRESET_TRIGGER_REQUEST:
		q->requests = true;
		q->request_due_before = now - r->after;
		return 0;
	case PRESET_TRIGGER_STATE:
	case PRESET_TRIGGER_FLAG:
	case PRESET_TRIGGER_WARNING: /* warnings, not incidents: jobs/sweep.c asks the store */
		return -1;
	}
	return -1;
}

void escalation_words(const struct preset *p, const struct preset_escalation *r, struct msg *m)
{
	const char *en_name = r->name_en[0] ? r->name_en : r->name_vi;
	char vi[CITE_MAX / 2] = "", en[CITE_MAX / 2] = "";

	if (p == NULL) {
		msg_set(m, M_journal_escalation, MSV("rule", r->name_vi, en_name));
		return;
	}
	(void)cite_str(p, r->source, CITE_VI, vi, sizeof vi);
	(void)cite_str(p, r->source, CITE_EN, en, sizeof en);
	msg_set(m, M_journal_escalation, MSV("rule", r->name_vi, en_name), MSV("citation", vi, en));
}
