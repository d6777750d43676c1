/* duty.c - duty instance generation. */
#include "duty.h"

#include <stdio.h>

#include "codes.h"
#include "util/tm.h"

#define DAY 86400

/* The end of the Vietnam-local day d/m/y, or -1 for an impossible date. */
static int64_t day_end(int y, int m, int d)
{
	int64_t t = tm_vn_midnight(y, m, d);

	return t < 0 ? -1 : t + DAY - 1;
}

/* Calls fn for every due time of d in [from, to). */
static int due_times(const struct preset_duty *d, int64_t from, int64_t to,
		     int (*fn)(void *arg, int64_t due), void *arg)
{
	int y0, y1, m, day, h, mi, sec, rc;

	if (d->first_due > from)
		from = d->first_due;
	if (from >= to)
		return 0;
	tm_vn_fields(from, &y0, &m, &day, &h, &mi, &sec);
	tm_vn_fields(to, &y1, &m, &day, &h, &mi, &sec);
	for (int y = y0; y <= y1; y++) {
		if (d->ndates > 0) {
			for (size_t i = 0; i < d->ndates; i++) {
				int64_t t = day_end(y, d->dates[i][1], d->dates[i][0]);

				if (t >= from && t < to && (rc = fn(arg, t)) != 0)
					return rc;
			}
			continue;
		}
		for (m = d->every_months > 0 ? d->every_months : 12; m <= 12;
		     m += d->every_months > 0 ? d->every_months : 12) {
			int64_t t = day_end(y, m, tm_days_in_month(y, m));

			if (t >= from && t < to && (rc = fn(arg, t)) != 0)
				return rc;
		}
	}
	return 0;
}

struct due_arg {
	const struct preset_duty *d;
	int64_t org_id, system_id;
	duty_emit_fn emit;
	void *ctx;
};

static int emit_one(void *arg, int64_t due)
{
	const struct due_arg *a = arg;

	return a->emit(a->ctx, a->d, a->org_id, a->system_id, due);
}

void duty_window(int64_t now, int64_t calendar_start, int64_t *from, int64_t *to)
{
	*from = now - 365 * DAY;
	if (calendar_start > *from)
		*from = calendar_start;
	*to = now + (int64_t)DUTY_HORIZON_DAYS * DAY;
}

bool duty_system_matches(const struct preset_duty *d, const struct duty_system *s)
{
	return s->level >= d->min_level && (d->max_level == 0 || s->level <= d->max_level) &&
	       (!d->critical || s->critical);
}

static bool org_matches(const struct preset_duty *d, const struct duty_org *o)
{
	if (d->who == PRESET_DUTY_ALL)
		return true;
	if ((d->roles & (1u << ORG_COORDINATOR)) && o->coordinator)
		return true;
	/* the coordinator role is held by the organisation named in the database, whatever its
	 * own role; an organisation whose role is "coordinator" but no longer holds it is skipped */
	return o->role != ORG_COORDINATOR && o->role >= 0 && (d->roles & (1u << o->role)) != 0;
}

/* Instances of an organisation duty: one per organisation, or with per_system one per matching
 * system for each organisation (the police's monthly scan of each critical system, 002 Đ7.2c). */
static int generate_for_orgs(const struct preset_duty *d, const struct duty_org *orgs,
			     size_t norgs, const struct duty_system *systems, size_t nsystems,
			     int64_t from, int64_t to, struct due_arg *a)
{
	int rc;

	for (size_t i = 0; i < norgs; i++) {
		if (!org_matches(d, &orgs[i]))
			continue;
		a->org_id = orgs[i].id;
		a->system_id = 0;
		if (!d->per_system) {
			if ((rc = due_times(d, from, to, emit_one, a)) != 0)
				return rc;
			continue;
		}
		for (size_t k = 0; k < nsystems; k++) {
			if (!duty_system_matches(d, &systems[k]))
				continue;
			a->system_id = systems[k].id;
			if ((rc = due_times(d, from, to, emit_one, a)) != 0)
				return rc;
		}
	}
	return 0;
}

static int generate_one(const struct preset_duty *d, const struct duty_org *orgs, size_t norgs,
			const struct duty_system *systems, size_t nsystems, int64_t from,
			int64_t to, duty_emit_fn emit, void *ctx)
{
	struct due_arg a = {.d = d, .emit = emit, .ctx = ctx};
	int rc;

	if (d->who == PRESET_DUTY_ORGS || d->who == PRESET_DUTY_ALL)
		return generate_for_orgs(d, orgs, norgs, systems, nsystems, from, to, &a);
	for (size_t i = 0; i < nsystems; i++) {
		if (!duty_system_matches(d, &systems[i]))
			continue;
		a.org_id = d->who == PRESET_DUTY_SYSTEM_OWNER ? systems[i].owner_org_id
							      : systems[i].operator_org_id;
		a.system_id = systems[i].id;
		if ((rc = due_times(d, from, to, emit_one, &a)) != 0)
			return rc;
	}
	return 0;
}

int duty_generate(const struct preset *p, const struct duty_org *orgs, size_t norgs,
		  const struct duty_system *systems, size_t nsystems, int64_t from, int64_t to,
		  duty_emit_fn emit, void *ctx)
{
	int rc;

	for (size_t i = 0; i < p->nduties; i++)
		if ((rc = generate_one(&p->duties[i], orgs, norgs, systems, nsystems, from, to, emit,
				       ctx)) != 0)
			return rc;
	return 0;
}

int duty_reminder_due(const struct preset_reminders *r, int64_t due_at, int64_t now, char *kind,
		      size_t kindsz, int *days)
{
	int64_t day_start = due_at - DAY + 1;
	int best = 0;

	*days = 0;
	if (kindsz > 0)
		kind[0] = '\0';
	if (now > due_at) {
		if (!r->overdue || now - due_at > DUTY_OVERDUE_WINDOW)
			return 0;
		snprintf(kind, kindsz, "overdue");
		return 1;
	}
	if (now >= day_start) {
		if (!r->on_due)
			return 0;
		snprintf(kind, kindsz, "due");
		return 1;
	}
	/* the nearest early reminder whose time has come: before_days is descending */
	for (size_t i = 0; i < r->nbefore; i++)
		if (now >= day_start - (int64_t)r->before_days[i] * DAY)
			best = r->before_days[i];
	if (best == 0)
		return 0;
	*days = best;
	snprintf(kind, kindsz, "before_%dd", best);
	return 1;
}

int64_t duty_reminder_horizon(const struct preset_reminders *r)
{
	int64_t max = 0;

	for (size_t i = 0; i < r->nbefore; i++)
		if (r->before_days[i] > max)
			max = r->before_days[i];
	return (max + 1) * DAY;
}
