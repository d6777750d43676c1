/* handover.h - switching the regulation in force and handing the coordinator role to another
 * organisation on a live instance (ops/handover.c): the one version that POST
 * /api/v1/admin/handover and `ungcuu preset switch` call. */
#ifndef UNGCUU_OPS_HANDOVER_H
#define UNGCUU_OPS_HANDOVER_H
#include "ops.h"

/* What is asked: either or both. */
struct ops_handover {
	const char *preset;  /* a preset compiled into the binary to put in force, or NULL */
	int64_t coordinator; /* the organisation to hand the coordinator role to, or 0 */
	const char *note;    /* why, for the journals of the re-routed incidents (may be NULL) */
};

/* Whether the actor may switch the preset or hand the role over: the coordinator's admins
 * (access_org_identity), or the machine. The first check of ops_handover, for a channel that
 * answers a refusal before it reads the input. OPS_OK or OPS_EREFUSED (403). */
int ops_handover_may(const struct ops_ctx *c, struct ops_err *err);

/* Switches the instance to in->preset (its chain of texts saved in the database, meta preset)
 * and/or hands the coordinator role to in->coordinator (open incidents and requests re-routed,
 * the incidents journal it), bumps meta preset_serial and audits "preset.handover" on
 * "settings" (before: the preset and coordinator in force; after: *out). *out describes what
 * changed (caller decrefs). *loaded is the new preset when one was loaded: the caller puts it
 * in force after its commit, or frees it (preset_free). Refusals: 403, or 422 "Handover
 * refused" naming "preset" (when one was asked) else "coordinator_org_id". */
int ops_handover(const struct ops_ctx *c, const struct ops_handover *in, struct preset **loaded,
		 json_t **out, struct ops_err *err);

#endif
