/* duty.h - the periodic-duty calendar (ops/duty.c, docs/presets.md): bringing the instances due
 * up to date with the preset, the organisations and their systems. */
#ifndef UNGCUU_OPS_DUTY_H
#define UNGCUU_OPS_DUTY_H
#include "ops.h"

/* Brings the duty calendar of c->preset up to date for [start, c->now + horizon) (start: a
 * year back, never before the instance began, meta calendar_start): adds the instances now due
 * and cancels those that no longer apply, in the caller's transaction. Sets how many. Anyone's
 * operation may ask it: it writes only what the preset and the registry already decide.
 * OPS_OK or OPS_ESTORE. */
int ops_duty_sync(const struct ops_ctx *c, int64_t *added, int64_t *cancelled,
		  struct ops_err *err);

#endif
