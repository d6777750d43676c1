/* clock.h - the deadlines of an incident (DOMAIN.md "Clocks"): from the preset's clocks and the
 * incident's facts, when each is due and whether it was met. A clock names the body to tell
 * (`target`) and is met only when an organisation of that role was told (a notification of the
 * platform, or a report recorded with its letter: store incident_told), never because the
 * incident reached some step of the procedure. Pure: the caller gives the facts. */
#ifndef UNGCUU_CLOCK_H
#define UNGCUU_CLOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codes.h"
#include "preset.h"

/* "At once" (within 0) cannot be met to the second: a stop within this many seconds of the due
 * time counts as met. Documented in docs/presets.md. */
#define CLOCK_AT_ONCE_TOLERANCE 3600

enum clock_state {
	CLOCK_RUNNING, /* not stopped, not yet due */
	CLOCK_MET,     /* stopped on time */
	CLOCK_LATE,    /* stopped after the due time */
	CLOCK_OVERDUE, /* not stopped and past due */
	CLOCK_UNMET,   /* not stopped, and the incident is closed: it never happened */
};

struct clock_eval {
	const struct preset_clock *clock;
	int64_t due_at;
	int64_t stopped_at; /* 0 when not stopped */
	enum clock_state state;
};

/* What an incident's clocks are decided by. */
struct clock_facts {
	const char *severity;            /* NULL or "" when not classified */
	int64_t detected_at;
	bool closed;                     /* in a final state: a clock not stopped stays unmet */
	int64_t told_at[ORG_ROLE_COUNT]; /* when an organisation of each role was first told of
					  * it (Unix seconds), 0 never */
};

/* Reads the first tellings of each role as the store gives them, "coordinator:1764000000,
 * national:1764003600" (unknown roles and malformed pieces skipped), into told_at
 * (ORG_ROLE_COUNT slots, 0 for a role not named). */
void clock_told_parse(const char *s, int64_t *told_at);

/* Evaluates every clock of the preset that applies to an incident with facts f, at time now.
 * Writes at most max results to out and their number to *n. */
void clock_evaluate(const struct preset *p, const struct clock_facts *f, int64_t now,
		    struct clock_eval *out, size_t max, size_t *n);
/* "running", "met", "late", "overdue", "unmet". Static storage. */
const char *clock_state_name(enum clock_state s);

#endif
