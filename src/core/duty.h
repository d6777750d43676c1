/* duty.h - the periodic-duties calendar (DOMAIN.md "Periodic duties"): from the preset's duties
 * and the registry (organisations, systems with level and critical flag), every duty instance due
 * in a period, with its responsible organisation. Pure: the caller stores what is emitted. */
#ifndef UNGCUU_DUTY_H
#define UNGCUU_DUTY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "preset.h"

struct duty_org {
	int64_t id;
	int role;          /* enum org_role */
	bool coordinator;  /* holds the coordinator role now */
};

struct duty_system {
	int64_t id;
	int64_t owner_org_id;
	int64_t operator_org_id;
	int level;
	bool critical;
};

/* Called for each instance; a non-zero return stops the generation and is returned. system_id is
 * 0 for a duty of the organisation itself. */
typedef int (*duty_emit_fn)(void *ctx, const struct preset_duty *d, int64_t org_id,
			    int64_t system_id, int64_t due_at);

/* Emits every instance of every duty due in [from, to) (Unix seconds). An instance is due at the
 * end (23:59:59, Vietnam time) of its due day. Returns 0 or the emit function's first non-zero. */
int duty_generate(const struct preset *p, const struct duty_org *orgs, size_t norgs,
		  const struct duty_system *systems, size_t nsystems, int64_t from, int64_t to,
		  duty_emit_fn emit, void *ctx);
#define DUTY_HORIZON_DAYS (3 * 366) /* the calendar looks this far ahead */
/* The window the calendar is kept for at `now`: a year back, never before the instance began
 * (calendar_start, 0 if unknown), to DUTY_HORIZON_DAYS ahead. */
void duty_window(int64_t now, int64_t calendar_start, int64_t *from, int64_t *to);
/* True if the duty applies to the system (level and critical conditions). */
bool duty_system_matches(const struct preset_duty *d, const struct duty_system *s);

/* ---- reminders (preset `reminders:`, docs/mail.md) ---- */
/* An overdue instance is reminded only within this long after its due time, so a new instance
 * with a year of history does not send a year of overdue reminders at once. */
#define DUTY_OVERDUE_WINDOW (7 * 86400)
/* The one reminder that is current for an instance due at due_at (end of its due day) at now:
 * "overdue" (past due, within DUTY_OVERDUE_WINDOW), "due" (on the due day), or "before_<N>d"
 * for the smallest N of r->before_days whose time has come (*days = N). Returns 1 with kind
 * (size >= 16) filled, or 0 when no reminder is current. Earlier kinds that were missed are not
 * current any more: the caller sends each kind once (a unique key), the newest only. */
int duty_reminder_due(const struct preset_reminders *r, int64_t due_at, int64_t now, char *kind,
		      size_t kindsz, int *days);
/* How far ahead of now a pending instance can have a reminder due (seconds). */
int64_t duty_reminder_horizon(const struct preset_reminders *r);

#endif
