/* clock.h - the deadlines of an incident (DOMAIN.md "Clocks"): from the preset's clocks and the
 * incident's facts, when each is due and whether it was met. Pure: the caller says when the
 * incident first reached each clock's stop. */
#ifndef UNGCUU_CLOCK_H
#define UNGCUU_CLOCK_H
#include <stddef.h>
#include <stdint.h>

#include "preset.h"

/* "At once" (within 0) cannot be met to the second: a stop within this many seconds of the due
 * time counts as met. Documented in docs/presets.md. */
#define CLOCK_AT_ONCE_TOLERANCE 3600

enum clock_state {
	CLOCK_RUNNING, /* not stopped, not yet due */
	CLOCK_MET,     /* stopped on time */
	CLOCK_LATE,    /* stopped after the due time */
	CLOCK_OVERDUE, /* not stopped and past due */
};

struct clock_eval {
	const struct preset_clock *clock;
	int64_t due_at;
	int64_t stopped_at; /* 0 when not stopped */
	enum clock_state state;
};

/* When the incident first reached the stop of clock c (Unix seconds), or 0 if it has not. */
typedef int64_t (*clock_stopped_fn)(void *ctx, const struct preset_clock *c);

/* Evaluates every clock of the preset that applies to an incident of this severity, detected at
 * detected_at, at time now. Writes at most max results to out and their number to *n. */
void clock_evaluate(const struct preset *p, const char *severity, int64_t detected_at,
		    int64_t now, clock_stopped_fn stopped, void *ctx, struct clock_eval *out,
		    size_t max, size_t *n);
/* "running", "met", "late", "overdue". Static storage. */
const char *clock_state_name(enum clock_state s);

#endif
