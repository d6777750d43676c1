/* notify.c - per-user notification preferences and the preset's minimum. */
#include "notify.h"

#include <string.h>

#include "codes.h"

const char *const notify_events[NOTIFY_NEVENTS] = {
	"incident_reported", "request", "answer", "escalation", "duty_reminder", "warning", "digest",
};

static const char *const mode_names[] = {"off", "digest", "immediate"};

bool notify_event_ok(const char *s)
{
	for (size_t i = 0; s != NULL && i < NOTIFY_NEVENTS; i++)
		if (strcmp(s, notify_events[i]) == 0)
			return true;
	return false;
}

int notify_mode_parse(const char *s, enum notify_mode *out)
{
	for (size_t i = 0; s != NULL && i < sizeof mode_names / sizeof mode_names[0]; i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum notify_mode)i;
			return 0;
		}
	return -1;
}

const char *notify_mode_name(enum notify_mode m)
{
	return (unsigned)m < sizeof mode_names / sizeof mode_names[0] ? mode_names[m] : "off";
}

const struct preset_notify_rule *notify_required(const struct preset *p, const char *event,
						 int org_role, bool coordinator, unsigned roles)
{
	for (size_t i = 0; p != NULL && i < p->nnotify_required; i++) {
		const struct preset_notify_rule *r = &p->notify_required[i];
		bool org = (org_role >= 0 && (r->org_roles & (1u << org_role)) &&
			    org_role != ORG_COORDINATOR) ||
			   (coordinator && (r->org_roles & (1u << ORG_COORDINATOR)));

		if (strcmp(r->event, event) == 0 && org && (r->roles & roles) != 0)
			return r;
	}
	return NULL;
}

enum notify_mode notify_default(const struct preset *p, const char *event, int org_role,
				bool coordinator, unsigned roles)
{
	return notify_required(p, event, org_role, coordinator, roles) ? NOTIFY_IMMEDIATE
								       : NOTIFY_DIGEST;
}
