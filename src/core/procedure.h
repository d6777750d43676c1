/* procedure.h - the procedure engine: may this caller take this action on this incident now,
 * according to the preset in force? Pure: the caller gathers the facts. */
#ifndef UNGCUU_PROCEDURE_H
#define UNGCUU_PROCEDURE_H
#include <stdbool.h>
#include <stddef.h>

#include "preset.h"
#include "util/msg.h"

/* What the engine needs to know about the incident and the caller. */
struct proc_facts {
	const char *status;    /* current state code */
	bool central_hosted;   /* an affected system is hosted at the provincial data centre */
	bool own;              /* the caller belongs to the incident's organisation */
	bool coordinator;      /* the caller's organisation holds the coordinator role */
	unsigned roles;        /* the caller's ROLE_* bits */
	/* whether the form with this code has been filled (its required fields present) */
	bool (*form_filled)(void *ctx, const char *form);
	void *ctx;
};

/* Checks whether the action may be taken. Returns 0 and *out on success; otherwise -1 with
 * the reason naming the rule and its legal source bound in *why (the catalogue's message,
 * util/msg.h; the caller renders it, nothing to free). */
int procedure_check(const struct preset *p, const struct proc_facts *f, const char *action,
		    const struct preset_transition **out, struct msg *why);
/* Calls fn for every transition the caller may take now (conditions and roles met; a missing
 * required form does not hide it, since the caller may fill it in the same step). */
void procedure_actions(const struct preset *p, const struct proc_facts *f,
		       void (*fn)(void *arg, const struct preset_transition *t), void *arg);

/* Step 3 of the procedure (001 Đ15.4c): the report to the coordinator. */
#define PROCEDURE_STEP_REPORTED 3

/* The step of the procedure (the state's rank) an incident moving from state `from` (NULL:
 * created) to `to` reaches. A final state reached from below step 3 — a unit closing an
 * incident it handled itself (001 Đ15.4b) — reaches no further step than the one it left: such
 * an incident is never "reported", and nobody outside the unit is told (DOMAIN.md). */
int procedure_step_reached(const struct preset *p, const char *from, const char *to);

/* Coordination requests (000 Đ7.1b): "open" (asked), "accepted" (help under way) are
 * unfinished; "done", "declined" and "superseded" (the organisation asked became the
 * coordinator itself at a handover) are final. True if a request in this status may still be
 * answered and moves with the coordinator role. */
bool procedure_request_unfinished(const char *status);

#endif
