/* notify.h - per-user notification preferences (docs/mail.md): which events a person wants by
 * e-mail of their own, and the preset's minimum (events some people cannot switch off). Pure:
 * the store keeps the choices, jobs/ and api/ ask here what they mean. */
#ifndef UNGCUU_NOTIFY_H
#define UNGCUU_NOTIFY_H
#include <stdbool.h>
#include <stddef.h>

#include "preset.h"

/* The events a person may choose for, in the order the UI lists them. */
#define NOTIFY_NEVENTS 7
extern const char *const notify_events[NOTIFY_NEVENTS];

enum notify_mode {
	NOTIFY_OFF = 0,       /* no e-mail of one's own (the organisation's contact point still gets
			       * the organisation's notifications) */
	NOTIFY_DIGEST = 1,    /* only counted in the weekly digest; for the event `digest`: get it */
	NOTIFY_IMMEDIATE = 2, /* an e-mail of one's own as it happens */
};

/* True if s is one of notify_events. */
bool notify_event_ok(const char *s);
/* Parses "immediate", "digest", "off". Returns 0 and *out, or -1. */
int notify_mode_parse(const char *s, enum notify_mode *out);
/* "immediate", "digest", "off". Static storage. */
const char *notify_mode_name(enum notify_mode m);
/* The preset's rule that makes event required (must be immediate) for a person with user roles
 * `roles` in an organisation of role org_role (enum org_role; coordinator: it holds the
 * coordinator role now), or NULL when the person may choose. */
const struct preset_notify_rule *notify_required(const struct preset *p, const char *event,
						 int org_role, bool coordinator, unsigned roles);
/* The mode that applies when the person chose nothing: immediate when required, else digest
 * (for the event `digest` that means the leaders get it). */
enum notify_mode notify_default(const struct preset *p, const char *event, int org_role,
				bool coordinator, unsigned roles);

#endif
