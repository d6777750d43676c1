/* clock.c - deadline evaluation. */
#include "clock.h"

static enum clock_state state_of(const struct preset_clock *c, int64_t due, int64_t stopped,
				 int64_t now)
{
	int64_t slack = c->within == 0 ? CLOCK_AT_ONCE_TOLERANCE : 0;

	if (stopped != 0)
		return stopped <= due + slack ? CLOCK_MET : CLOCK_LATE;
	return now > due + slack ? CLOCK_OVERDUE : CLOCK_RUNNING;
}

void clock_evaluate(const struct preset *p, const char *severity, int64_t detected_at,
		    int64_t now, clock_stopped_fn stopped, void *ctx, struct clock_eval *out,
		    size_t max, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < p->nclocks && *n < max; i++) {
		const struct preset_clock *c = &p->clocks[i];
		struct clock_eval *e;

		if (!preset_clock_applies(p, c, severity))
			continue;
		e = &out[(*n)++];
		e->clock = c;
		e->due_at = detected_at + c->within;
		e->stopped_at = stopped(ctx, c);
		e->state = state_of(c, e->due_at, e->stopped_at, now);
	}
}

const char *clock_state_name(enum clock_state s)
{
	static const char *const names[] = {"running", "met", "late", "overdue"};

	return s <= CLOCK_OVERDUE ? names[s] : "?";
}
