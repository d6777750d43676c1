/* observable.h - observables added to an incident after its report (docs/warnings.md): stored
 * canonical with the links to the related incidents and warnings, journaled, audited. */
#ifndef UNGCUU_OPS_OBSERVABLE_H
#define UNGCUU_OPS_OBSERVABLE_H
#include "ops.h"

/* Adds observables [{kind, value}] (canonical, as api_indicators_parse makes them; not stolen)
 * with their source ("api", "extract") to incident id: the actor may comment on it (404/403).
 * Journals the list when it is not empty, audits. *after (caller decrefs): {items: the
 * incident's observables now, added: the list}. */
int ops_observable_add(const struct ops_ctx *c, int64_t id, const json_t *list,
		       const char *source, json_t **after, struct ops_err *err);

#endif
