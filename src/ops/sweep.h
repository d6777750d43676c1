/* sweep.h - escalations that fire on time (ops/sweep.c; 000 Đ7.1c-d, Đ7.4): an incident still
 * unresolved, a request unanswered or a clock overdue past a rule's delay, and a warning not
 * answered in time. jobs/sweep.c finds the candidates and decides when; these write the firing
 * and whom it tells, in the caller's transaction. The machine's own acts: any other actor is
 * refused (403). Rules that fire at once inside an operation are ops/escalate.c's. */
#ifndef UNGCUU_OPS_SWEEP_H
#define UNGCUU_OPS_SWEEP_H
#include "ops.h"

/* Fires time-based rule r of c->preset on incident id, or on request id when request (the
 * firing is then the request's, on its incident). Once per rule and subject: *fired is false
 * when it had fired already (two sweeps at once fire it once). */
int ops_sweep_fire(const struct ops_ctx *c, const struct preset_escalation *r, bool request,
		   int64_t id, bool *fired, struct ops_err *err);

/* Fires rule r ("warning_unanswered") for organisation org_id late on warning warning_id: the
 * late organisation and the issuer are told, once (*fired). */
int ops_sweep_warning(const struct ops_ctx *c, const struct preset_escalation *r,
		      int64_t warning_id, int64_t org_id, bool *fired, struct ops_err *err);

#endif
