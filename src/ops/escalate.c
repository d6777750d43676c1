/* escalate.c - escalation rules that fire at once, inside the operation that caused them:
 * entering a state (a transition, or a report) and raising a flag. Time-based rules are the job
 * thread's sweep. */
#include <string.h>

#include "core/escalation.h"
#include "ops.h"

/* Fires every rule of the preset that `matches` selects, in the caller's transaction. */
static int fire_matching(const struct ops_ctx *c, int64_t incident_id, const struct esc_facts *f,
			 bool (*matches)(const struct preset *, const struct preset_escalation *,
					 const struct esc_facts *, const void *),
			 const void *arg)
{
	const struct preset *p = c->preset;
	char text[ESCALATION_TEXT];
	struct msg words;
	int rc = STORE_OK;

	for (size_t i = 0; i < p->nescalations && rc == STORE_OK; i++) {
		const struct preset_escalation *r = &p->escalations[i];
		struct store_firing fr = {.incident_id = incident_id, .rule = r, .words = &words,
					  .text = text, .now = c->now};
		bool fired;

		if (!matches(p, r, f, arg))
			continue;
		ops_escalation_words(p, r, &words, text, sizeof text);
		rc = store_escalation_fire(c->st, &fr, &fired);
	}
	return rc;
}

void ops_escalation_words(const struct preset *p, const struct preset_escalation *r,
			  struct msg *words, char *text, size_t cap)
{
	struct msg cited;

	escalation_words(NULL, r, words);
	escalation_words(p, r, &cited);
	(void)msg_render(&cited, MSG_VI, text, cap);
}

struct move {
	const char *from, *to;
};

static bool on_state(const struct preset *p, const struct preset_escalation *r,
		     const struct esc_facts *f, const void *arg)
{
	const struct move *m = arg;

	return escalation_on_state(p, r, f, m->from, m->to);
}

static bool on_flag(const struct preset *p, const struct preset_escalation *r,
		    const struct esc_facts *f, const void *arg)
{
	return escalation_on_flag(p, r, f, arg);
}

int ops_escalate_state(const struct ops_ctx *c, int64_t incident_id, const char *severity,
		       const char *grp, const char *from, const char *to)
{
	struct esc_facts f = {.severity = severity, .grp = grp};
	struct move m = {.from = from, .to = to};

	return fire_matching(c, incident_id, &f, on_state, &m);
}

int ops_escalate_flag(const struct ops_ctx *c, int64_t incident_id, const char *severity,
		      const char *grp, const char *flag)
{
	struct esc_facts f = {.severity = severity, .grp = grp};

	return fire_matching(c, incident_id, &f, on_flag, flag);
}
