/* clock.c - deadline evaluation. */
#include "clock.h"

#include <string.h>

#include "util/str.h"

static enum clock_state state_of(const struct preset_clock *c, int64_t due, int64_t stopped,
				 bool closed, int64_t now)
{
	int64_t slack = c->within == 0 ? CLOCK_AT_ONCE_TOLERANCE : 0;

	if (stopped != 0)
		return stopped <= due + slack ? CLOCK_MET : CLOCK_LATE;
	if (closed)
		return CLOCK_UNMET;
	return now > due + slack ? CLOCK_OVERDUE : CLOCK_RUNNING;
}

/* When clock c stopped: the first telling of its target (a preset clock always names one). */
static int64_t stopped_at(const struct preset_clock *c, const struct clock_facts *f)
{
	return c->target >= 0 && c->target < ORG_ROLE_COUNT ? f->told_at[c->target] : 0;
}

void clock_evaluate(const struct preset *p, const struct clock_facts *f, int64_t now,
		    struct clock_eval *out, size_t max, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < p->nclocks && *n < max; i++) {
		const struct preset_clock *c = &p->clocks[i];
		struct clock_eval *e;

		if (!preset_clock_applies(p, c, f->severity))
			continue;
		e = &out[(*n)++];
		e->clock = c;
		e->due_at = f->detected_at + c->within;
		e->stopped_at = stopped_at(c, f);
		e->state = state_of(c, e->due_at, e->stopped_at, f->closed, now);
	}
}

void clock_told_parse(const char *s, int64_t *told_at)
{
	memset(told_at, 0, sizeof(int64_t) * ORG_ROLE_COUNT);
	while (s && *s) {
		const char *colon = strchr(s, ':'), *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		char role[32];
		int64_t at;
		int r;

		if (colon && colon < s + n && (size_t)(colon - s) < sizeof role &&
		    str_to_i64n(colon + 1, (size_t)(s + n - colon - 1), 0, INT64_MAX, &at) == 0) {
			memcpy(role, s, (size_t)(colon - s));
			role[colon - s] = '\0';
			if ((r = codes_org_role_parse(role)) >= 0)
				told_at[r] = at;
		}
		s = comma ? comma + 1 : NULL;
	}
}

const char *clock_state_name(enum clock_state s)
{
	static const char *const names[] = {"running", "met", "late", "overdue", "unmet"};

	return s <= CLOCK_UNMET ? names[s] : "?";
}
