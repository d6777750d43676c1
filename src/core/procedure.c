/* procedure.c - transition checks of the procedure engine. */
#include "procedure.h"

#include <string.h>

#include "cite.h"
#include "codes.h"

static bool by_ok(const struct preset_transition *t, const struct proc_facts *f)
{
	return ((t->by & PRESET_BY_OWNER) && f->own) ||
	       ((t->by & PRESET_BY_COORDINATOR) && f->coordinator);
}

static bool when_ok(const struct preset_transition *t, const struct proc_facts *f)
{
	if (t->when[0] == '\0')
		return true;
	if (strcmp(t->when, "central_hosted") == 0)
		return f->central_hosted;
	if (strcmp(t->when, "!central_hosted") == 0)
		return !f->central_hosted;
	return false; /* a condition this engine does not know never holds */
}

int procedure_check(const struct preset *p, const struct proc_facts *f, const char *action,
		    const struct preset_transition **out, struct msg *why)
{
	const struct preset_transition *t = NULL;
	bool known = false;

	*out = NULL;
	msg_set(why, M_none);
	for (size_t i = 0; i < p->ntransitions && !known; i++)
		known = strcmp(p->transitions[i].action, action) == 0;
	/* the step from this state: one written for it wins over a "*" one (docs/presets.md) */
	if (known)
		t = preset_transition(p, f->status, action);
	if (!known) {
		msg_set(why, M_procedure_no_action, MS("action", action));
		return -1;
	}
	if (t == NULL) {
		msg_set(why, M_procedure_not_from_state, MS("action", action),
			MS("state", f->status));
		return -1;
	}
	/* the rule's source as people write it (core/cite.c): the regulation's own words */
	char basis[CITE_MAX / 4], basis_en[CITE_MAX / 4];
	const char *en = t->name_en[0] ? t->name_en : t->name_vi;

	(void)cite_str(p, t->source, CITE_VI, basis, sizeof basis);
	(void)cite_str(p, t->source, CITE_EN, basis_en, sizeof basis_en);
	if (!by_ok(t, f) || (f->roles & t->roles) == 0) {
		msg_set(why, M_procedure_not_permitted, MSV("step", t->name_vi, en),
			MSV("basis", basis, basis_en));
		return -1;
	}
	if (!when_ok(t, f)) {
		msg_set(why, M_procedure_not_applicable, MSV("step", t->name_vi, en),
			MSV("basis", basis, basis_en), MS("condition", t->when));
		return -1;
	}
	if (t->requires[0] && (f->form_filled == NULL || !f->form_filled(f->ctx, t->requires))) {
		msg_set(why, M_procedure_form_required, MSV("step", t->name_vi, en),
			MSV("basis", basis, basis_en), MS("form", t->requires));
		return -1;
	}
	*out = t;
	return 0;
}

void procedure_actions(const struct preset *p, const struct proc_facts *f,
		       void (*fn)(void *arg, const struct preset_transition *t), void *arg)
{
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct preset_transition *t = &p->transitions[i];

		/* only the step procedure_check would take for this action from this state */
		if (preset_transition(p, f->status, t->action) == t && by_ok(t, f) &&
		    (f->roles & t->roles) != 0 && when_ok(t, f))
			fn(arg, t);
	}
}

static int rank_of(const struct preset *p, const char *state)
{
	const struct preset_item *s = state ? preset_state(p, state) : NULL;

	return s ? s->rank : 0;
}

int procedure_step_reached(const struct preset *p, const char *from, const char *to)
{
	const struct preset_item *t = to ? preset_state(p, to) : NULL;
	int left = rank_of(p, from);

	if (t == NULL)
		return left;
	if (t->final && left < PROCEDURE_STEP_REPORTED)
		return left;
	return t->rank;
}

bool procedure_request_unfinished(const char *status)
{
	return status != NULL && (strcmp(status, "open") == 0 || strcmp(status, "accepted") == 0);
}
