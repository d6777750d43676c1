/* duty.c - the periodic-duty calendar: new organisations and systems, a system whose level or
 * critical flag changed, a new preset or lead body all change which instances are due; the
 * sync adds what is missing and cancels what no longer applies. The job thread runs it every
 * round, and `ungcuu preset switch` after a switch. */
#include "duty.h"

int ops_duty_sync(const struct ops_ctx *c, int64_t *added, int64_t *cancelled,
		  struct ops_err *err)
{
	*added = *cancelled = 0;
	/* no access decision: the calendar follows from the preset and the registry, whoever
	 * asks it to catch up */
	return ops_store(err, store_duty_sync_window(c->st, c->preset, c->now, added, cancelled));
}
