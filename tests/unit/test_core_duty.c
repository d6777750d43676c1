/* test_core_duty.c - src/core/duty.c: the periodic-duties calendar (DOMAIN.md "Periodic
 * duties", docs/presets.md "duties") on the shipped presets: fixed dates ("before 20 June and
 * 15 December" is due at the end of 20/06 and 15/12), monthly, quarterly, six-monthly and yearly
 * periods (the last day of the period, 29 February in 2028), who carries each out (every
 * organisation, by role, the holder of the coordinator role, per system by level and the
 * critical list), first_due, the half-open window in Vietnam-local time, and the reminders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/codes.h"
#include "core/duty.h"
#include "core_presets.h"

#define DAY 86400
#define OUT_MAX 8192

/* What duty_generate emitted, one line per instance: "code org system yyyy-mm-dd hh:mm:ss"
 * (Vietnam-local due time), for the duties named in `only` (",a,b,"; NULL: all). */
struct calendar {
	const char *only;
	char out[OUT_MAX];
	size_t len;
	int calls;
	int stop_at; /* return 7 at this call (1-based); 0: never */
};

static int emit(void *ctx, const struct preset_duty *d, int64_t org_id, int64_t system_id,
		int64_t due_at)
{
	struct calendar *c = ctx;
	char key[PRESET_CODE + 2];
	int y, mo, da, h, mi, s;

	c->calls++;
	if (c->stop_at && c->calls == c->stop_at)
		return 7;
	snprintf(key, sizeof key, ",%s,", d->code);
	if (c->only && !strstr(c->only, key))
		return 0;
	tm_vn_fields(due_at, &y, &mo, &da, &h, &mi, &s);
	c->len += (size_t)snprintf(c->out + c->len, OUT_MAX - c->len,
				   "%s %lld %lld %04d-%02d-%02d %02d:%02d:%02d\n", d->code,
				   (long long)org_id, (long long)system_id, y, mo, da, h, mi, s);
	assert_true(c->len < OUT_MAX);
	return 0;
}

static void generate(const struct preset *p, const struct duty_org *orgs, size_t norgs,
		     const struct duty_system *sys, size_t nsys, const char *from, const char *to,
		     struct calendar *c)
{
	c->len = 0;
	c->out[0] = '\0';
	c->calls = 0;
	assert_int_equal(duty_generate(p, orgs, norgs, sys, nsys, cp_t(from), cp_t(to), emit, c),
			 0);
}

static void expect(const struct calendar *c, const char *want)
{
	if (strcmp(c->out, want) != 0)
		print_error("got:\n%swant:\n%s", c->out, want);
	assert_string_equal(c->out, want);
}

/* Lines of out that contain needle. */
static int count(const char *out, const char *needle)
{
	int n = 0;

	for (const char *at = out; (at = strstr(at, needle)) != NULL; at += strlen(needle))
		n++;
	return n;
}

/* ---- national: fixed dates, six-monthly, yearly -------------------------------------------- */

/* national.yaml over 2026: the summary (Mẫu 05) "before 20 June and 15 December" for every
 * organisation, the six-monthly monitoring report of each system's owner (30 June,
 * 31 December), the yearly contact point of every organisation (31 December); each due at
 * 23:59:59 Vietnam time of its day. */
static void test_national_year(void **state)
{
	const struct preset *p = cp_get("national");
	const struct duty_org orgs[] = {{10, ORG_MEMBER, false}, {20, ORG_COORDINATOR, true}};
	const struct duty_system sys[] = {{100, 10, 20, 3, false}};
	struct calendar c = {.only = NULL};

	(void)state;
	generate(p, orgs, 2, sys, 1, "2026-01-01T00:00:00+07:00", "2027-01-01T00:00:00+07:00", &c);
	expect(&c, "summary_report 10 0 2026-06-20 23:59:59\n"
		   "summary_report 10 0 2026-12-15 23:59:59\n"
		   "summary_report 20 0 2026-06-20 23:59:59\n"
		   "summary_report 20 0 2026-12-15 23:59:59\n"
		   "monitoring_report 10 100 2026-06-30 23:59:59\n"
		   "monitoring_report 10 100 2026-12-31 23:59:59\n"
		   "contact_point 10 0 2026-12-31 23:59:59\n"
		   "contact_point 20 0 2026-12-31 23:59:59\n");
	/* two years: the same again, nothing twice */
	generate(p, orgs, 2, sys, 1, "2026-01-01T00:00:00+07:00", "2028-01-01T00:00:00+07:00", &c);
	assert_int_equal(c.calls, 16);
	assert_int_equal(count(c.out, "summary_report 10 0 2027-06-20"), 1);
	assert_int_equal(count(c.out, "monitoring_report 10 100 2027-12-31"), 1);
}

/* The window is [from, to): an instance due exactly at `from` is in, one due exactly at `to` is
 * out; the due time is the last second of the Vietnam-local day, 16:59:59 UTC. */
static void test_window_edges(void **state)
{
	const struct preset *p = cp_get("national");
	const struct duty_org orgs[] = {{10, ORG_MEMBER, false}};
	struct calendar c = {.only = ",summary_report,"};

	(void)state;
	generate(p, orgs, 1, NULL, 0, "2026-06-20T23:59:59+07:00", "2026-12-15T23:59:59+07:00", &c);
	expect(&c, "summary_report 10 0 2026-06-20 23:59:59\n");
	generate(p, orgs, 1, NULL, 0, "2026-06-21T00:00:00+07:00", "2026-12-16T00:00:00+07:00", &c);
	expect(&c, "summary_report 10 0 2026-12-15 23:59:59\n");
	generate(p, orgs, 1, NULL, 0, "2026-06-21T00:00:00+07:00", "2026-12-15T23:59:59+07:00", &c);
	expect(&c, "");
	/* an empty or backwards window emits nothing */
	generate(p, orgs, 1, NULL, 0, "2026-06-20T00:00:00+07:00", "2026-06-20T00:00:00+07:00", &c);
	assert_int_equal(c.calls, 0);
	generate(p, orgs, 1, NULL, 0, "2027-01-01T00:00:00+07:00", "2026-01-01T00:00:00+07:00", &c);
	assert_int_equal(c.calls, 0);
	/* the due time in UTC */
	generate(p, orgs, 1, NULL, 0, "2026-06-20T16:59:59Z", "2026-06-20T17:00:00Z", &c);
	expect(&c, "summary_report 10 0 2026-06-20 23:59:59\n");
}

/* The year's last instances are due at 2026-12-31 16:59:59 UTC: a window of that one second
 * holds them, the second after (Vietnam's 1 January 2027) holds none. */
static void test_year_end_midnight(void **state)
{
	const struct preset *p = cp_get("national");
	const struct duty_org orgs[] = {{10, ORG_MEMBER, false}};
	const struct duty_system sys[] = {{100, 10, 10, 1, false}};
	struct calendar c = {.only = NULL};

	(void)state;
	generate(p, orgs, 1, sys, 1, "2026-12-31T16:59:59Z", "2026-12-31T17:00:00Z", &c);
	expect(&c, "monitoring_report 10 100 2026-12-31 23:59:59\n"
		   "contact_point 10 0 2026-12-31 23:59:59\n");
	generate(p, orgs, 1, sys, 1, "2026-12-31T17:00:00Z", "2027-06-20T16:59:59Z", &c);
	expect(&c, "");
	/* a window given in UTC that starts on 31 December in Vietnam (19:00) */
	generate(p, orgs, 1, sys, 1, "2026-12-31T12:00:00Z", "2027-01-01T12:00:00Z", &c);
	assert_int_equal(c.calls, 2);
}

/* ---- monthly and quarterly, February ------------------------------------------------------ */

static void test_monthly_february(void **state)
{
	const struct preset *t = cp_get("tayson");
	const struct duty_org orgs[] = {{10, ORG_MEMBER, false}};
	const struct duty_system sys[] = {{100, 10, 10, 2, false}};
	struct calendar c = {.only = ",log_backup,"};

	(void)state;
	/* 001 Đ11.4: the operator backs up the log files every month, due on the month's last
	 * day: 29 February in 2028 */
	generate(t, orgs, 1, sys, 1, "2028-01-01T00:00:00+07:00", "2029-01-01T00:00:00+07:00", &c);
	expect(&c, "log_backup 10 100 2028-01-31 23:59:59\n"
		   "log_backup 10 100 2028-02-29 23:59:59\n"
		   "log_backup 10 100 2028-03-31 23:59:59\n"
		   "log_backup 10 100 2028-04-30 23:59:59\n"
		   "log_backup 10 100 2028-05-31 23:59:59\n"
		   "log_backup 10 100 2028-06-30 23:59:59\n"
		   "log_backup 10 100 2028-07-31 23:59:59\n"
		   "log_backup 10 100 2028-08-31 23:59:59\n"
		   "log_backup 10 100 2028-09-30 23:59:59\n"
		   "log_backup 10 100 2028-10-31 23:59:59\n"
		   "log_backup 10 100 2028-11-30 23:59:59\n"
		   "log_backup 10 100 2028-12-31 23:59:59\n");
	/* 28 February in 2027 */
	generate(t, orgs, 1, sys, 1, "2027-02-01T00:00:00+07:00", "2027-03-01T00:00:00+07:00", &c);
	expect(&c, "log_backup 10 100 2027-02-28 23:59:59\n");
	/* a window across the year end, starting mid-month */
	generate(t, orgs, 1, sys, 1, "2027-12-15T00:00:00+07:00", "2028-02-15T00:00:00+07:00", &c);
	expect(&c, "log_backup 10 100 2027-12-31 23:59:59\n"
		   "log_backup 10 100 2028-01-31 23:59:59\n");
}

/* ---- who carries a duty out -------------------------------------------------------------- */

/* hue-2017 after the coordinator role moved to the police (2025 reform): the holder does the
 * coordinator's duties, the DIC (role "coordinator", no longer holding it) does not; duties by
 * role go to the organisations of that role; "all" to everyone. Quarterly: end of March, June,
 * September, December. */
static void test_who(void **state)
{
	const struct preset *h = cp_get("hue-2017");
	const struct duty_org orgs[] = {{1, ORG_COORDINATOR, false},
					{2, ORG_POLICE, true},
					{3, ORG_ISP, false},
					{4, ORG_CENTRAL_AGENCY, false},
					{5, ORG_MEMBER, false}};
	struct calendar c = {.only = ",quarterly_bulletin,bulletin_contribution,isp_contact_247,"
				     "central_agency_hotline,inspection_plan,"};

	(void)state;
	generate(h, orgs, 5, NULL, 0, "2027-01-01T00:00:00+07:00", "2028-01-01T00:00:00+07:00", &c);
	expect(&c, "quarterly_bulletin 2 0 2027-03-31 23:59:59\n"
		   "quarterly_bulletin 2 0 2027-06-30 23:59:59\n"
		   "quarterly_bulletin 2 0 2027-09-30 23:59:59\n"
		   "quarterly_bulletin 2 0 2027-12-31 23:59:59\n"
		   "bulletin_contribution 2 0 2027-03-31 23:59:59\n"
		   "bulletin_contribution 2 0 2027-06-30 23:59:59\n"
		   "bulletin_contribution 2 0 2027-09-30 23:59:59\n"
		   "bulletin_contribution 2 0 2027-12-31 23:59:59\n"
		   "inspection_plan 2 0 2027-12-31 23:59:59\n"
		   "isp_contact_247 3 0 2027-12-31 23:59:59\n"
		   "central_agency_hotline 4 0 2027-12-31 23:59:59\n");
	/* "all": every organisation, the former coordinator too */
	c.only = ",summary_report,";
	generate(h, orgs, 5, NULL, 0, "2027-01-01T00:00:00+07:00", "2027-07-01T00:00:00+07:00", &c);
	expect(&c, "summary_report 1 0 2027-06-20 23:59:59\n"
		   "summary_report 2 0 2027-06-20 23:59:59\n"
		   "summary_report 3 0 2027-06-20 23:59:59\n"
		   "summary_report 4 0 2027-06-20 23:59:59\n"
		   "summary_report 5 0 2027-06-20 23:59:59\n");
	/* before the reform the DIC holds the role and does the coordinator's duties */
	{
		const struct duty_org before[] = {{1, ORG_COORDINATOR, true},
						  {2, ORG_POLICE, false}};

		c.only = ",quarterly_bulletin,inspection_plan,isp_inspection,";
		generate(h, before, 2, NULL, 0, "2027-10-01T00:00:00+07:00",
			 "2028-01-01T00:00:00+07:00", &c);
		expect(&c, "quarterly_bulletin 1 0 2027-12-31 23:59:59\n"
			   "inspection_plan 1 0 2027-12-31 23:59:59\n"
			   "isp_inspection 2 0 2027-12-31 23:59:59\n");
	}
}

/* hue-2019 (Công văn 5620/UBND-CT, 004): per-system duties by security level - the owners'
 * assessment report of each level 3+ system before 5 December; the coordinator's inspection of
 * each level 3-4 system before 14 December, and of each level 5 one before 14 June and
 * 14 December. */
static void test_levels(void **state)
{
	const struct preset *p = cp_get("hue-2019");
	const struct duty_org orgs[] = {{1, ORG_COORDINATOR, true}, {10, ORG_MEMBER, false},
					{11, ORG_MEMBER, false}};
	const struct duty_system sys[] = {{200, 10, 10, 2, false},
					  {300, 10, 11, 3, false},
					  {400, 11, 11, 4, false},
					  {500, 11, 10, 5, true}};
	struct calendar c = {.only = ",assessment_report,inspection_level_3_4,inspection_level_5,"};
	const struct preset_duty *d;

	(void)state;
	generate(p, orgs, 3, sys, 4, "2027-01-01T00:00:00+07:00", "2028-01-01T00:00:00+07:00", &c);
	expect(&c, "assessment_report 10 300 2027-12-05 23:59:59\n"
		   "assessment_report 11 400 2027-12-05 23:59:59\n"
		   "assessment_report 11 500 2027-12-05 23:59:59\n"
		   "inspection_level_3_4 1 300 2027-12-14 23:59:59\n"
		   "inspection_level_3_4 1 400 2027-12-14 23:59:59\n"
		   "inspection_level_5 1 500 2027-06-14 23:59:59\n"
		   "inspection_level_5 1 500 2027-12-14 23:59:59\n");
	d = preset_duty(p, "inspection_level_3_4");
	assert_non_null(d);
	assert_false(duty_system_matches(d, &sys[0]));
	assert_true(duty_system_matches(d, &sys[1]));
	assert_true(duty_system_matches(d, &sys[2]));
	assert_false(duty_system_matches(d, &sys[3]));
	d = preset_duty(p, "security_index"); /* not per system: no level bounds */
	assert_true(duty_system_matches(d, &sys[0]));
}

/* bacgiang-2024 (002 Đ7.2c): the police scan each critical system monthly, from the day the
 * regulation took force (first_due 2025-01-20): nothing due before it, nothing for a system
 * that is not critical; the system's operator (another organisation) does nothing here. */
static void test_critical_first_due(void **state)
{
	const struct preset *p = cp_get("bacgiang-2024");
	const struct duty_org orgs[] = {{2, ORG_POLICE, true}, {10, ORG_MEMBER, false}};
	const struct duty_system sys[] = {{100, 10, 10, 3, true}, {101, 10, 10, 5, false}};
	struct calendar c = {.only = ",critical_scan,critical_list_review,"};

	(void)state;
	generate(p, orgs, 2, sys, 2, "2024-11-01T00:00:00+07:00", "2025-04-01T00:00:00+07:00", &c);
	expect(&c, "critical_scan 2 100 2025-01-31 23:59:59\n"
		   "critical_scan 2 100 2025-02-28 23:59:59\n"
		   "critical_scan 2 100 2025-03-31 23:59:59\n");
	assert_false(duty_system_matches(preset_duty(p, "critical_scan"), &sys[1]));
	assert_true(duty_system_matches(preset_duty(p, "critical_scan"), &sys[0]));
	/* yearly from first_due: the first one at the end of 2025, none for 2024 */
	c.only = ",critical_list_review,";
	generate(p, orgs, 2, sys, 2, "2024-01-01T00:00:00+07:00", "2026-01-01T00:00:00+07:00", &c);
	expect(&c, "critical_list_review 2 0 2025-12-31 23:59:59\n");
}

/* The emit function stops the generation: its first non-zero is returned at once. */
static void test_emit_stops(void **state)
{
	const struct preset *p = cp_get("national");
	const struct duty_org orgs[] = {{10, ORG_MEMBER, false}, {11, ORG_MEMBER, false}};
	struct calendar c = {.only = NULL, .stop_at = 3};

	(void)state;
	assert_int_equal(duty_generate(p, orgs, 2, NULL, 0, cp_t("2026-01-01T00:00:00+07:00"),
				       cp_t("2027-01-01T00:00:00+07:00"), emit, &c),
			 7);
	assert_int_equal(c.calls, 3);
}

/* The calendar's window: a year back (not before the instance began), DUTY_HORIZON_DAYS
 * ahead. */
static void test_window(void **state)
{
	int64_t now = cp_t("2026-11-21T09:00:00+07:00");
	int64_t from, to;

	(void)state;
	duty_window(now, 0, &from, &to);
	assert_int_equal(from, now - 365 * DAY);
	assert_int_equal(to, now + 3 * 366 * DAY);
	duty_window(now, now - 10 * DAY, &from, &to);
	assert_int_equal(from, now - 10 * DAY);
	duty_window(now, now - 400 * DAY, &from, &to);
	assert_int_equal(from, now - 365 * DAY);
}

/* ---- reminders ----------------------------------------------------------------------------- */

struct rem_case {
	const char *now;
	int ok;
	const char *kind;
	int days;
};

static void check_reminders(const struct preset_reminders *r, const struct rem_case *cases,
			    size_t n, int64_t due)
{
	for (size_t i = 0; i < n; i++) {
		char kind[16];
		int days = -1;
		int ok = duty_reminder_due(r, due, cp_t(cases[i].now), kind, sizeof kind, &days);

		if (ok != cases[i].ok || strcmp(kind, cases[i].kind) != 0 || days != cases[i].days)
			print_error("at %s: %d '%s' %d, want %d '%s' %d\n", cases[i].now, ok, kind,
				    days, cases[i].ok, cases[i].kind, cases[i].days);
		assert_int_equal(ok, cases[i].ok);
		assert_string_equal(kind, cases[i].kind);
		assert_int_equal(days, cases[i].days);
	}
}

/* national's reminders (7 and 1 days before, on the due day, once overdue) for the summary due
 * at the end of 20 June 2026: the one current at each moment, to the second, in Vietnam time. */
static void test_reminders_national(void **state)
{
	static const struct rem_case cases[] = {
		{"2026-06-12T23:59:59+07:00", 0, "", 0},
		{"2026-06-13T00:00:00+07:00", 1, "before_7d", 7},
		{"2026-06-18T23:59:59+07:00", 1, "before_7d", 7},
		{"2026-06-19T00:00:00+07:00", 1, "before_1d", 1},
		{"2026-06-19T23:59:59+07:00", 1, "before_1d", 1},
		{"2026-06-20T00:00:00+07:00", 1, "due", 0},
		{"2026-06-20T23:59:59+07:00", 1, "due", 0},
		{"2026-06-21T00:00:00+07:00", 1, "overdue", 0},
		{"2026-06-27T23:59:59+07:00", 1, "overdue", 0},
		{"2026-06-28T00:00:00+07:00", 0, "", 0},
		{"2027-06-20T00:00:00+07:00", 0, "", 0},
	};
	const struct preset *p = cp_get("national");

	(void)state;
	assert_int_equal(p->reminders.nbefore, 2);
	check_reminders(&p->reminders, cases, sizeof cases / sizeof cases[0],
			cp_t("2026-06-20T23:59:59+07:00"));
	assert_int_equal(duty_reminder_horizon(&p->reminders), 8 * DAY);
}

/* Reminders switched off one by one: no "due", no "overdue", no early ones; a missed early
 * reminder is not current once a later one is. Leap day due: 29 February 2028. */
static void test_reminders_options(void **state)
{
	static const struct rem_case no_due[] = {
		{"2028-02-28T12:00:00+07:00", 1, "before_1d", 1},
		{"2028-02-29T00:00:00+07:00", 0, "", 0},
		{"2028-03-01T00:00:00+07:00", 0, "", 0},
	};
	static const struct rem_case none_before[] = {
		{"2028-02-28T23:59:59+07:00", 0, "", 0},
		{"2028-02-29T00:00:00+07:00", 1, "due", 0},
		{"2028-03-01T00:00:00+07:00", 1, "overdue", 0},
	};
	static const struct rem_case month[] = {
		{"2028-01-29T23:59:59+07:00", 0, "", 0},
		{"2028-01-30T00:00:00+07:00", 1, "before_30d", 30},
		{"2028-02-21T23:59:59+07:00", 1, "before_30d", 30},
		{"2028-02-22T00:00:00+07:00", 1, "before_7d", 7},
		{"2028-02-28T00:00:00+07:00", 1, "before_1d", 1},
	};
	struct preset_reminders r = {.before_days = {1}, .nbefore = 1, .on_due = false,
				     .overdue = false};
	int64_t due = cp_t("2028-02-29T23:59:59+07:00");

	(void)state;
	check_reminders(&r, no_due, 3, due);
	r = (struct preset_reminders){.nbefore = 0, .on_due = true, .overdue = true};
	check_reminders(&r, none_before, 3, due);
	assert_int_equal(duty_reminder_horizon(&r), DAY);
	r = (struct preset_reminders){.before_days = {30, 7, 1}, .nbefore = 3, .on_due = true,
				      .overdue = true};
	check_reminders(&r, month, 5, due);
	assert_int_equal(duty_reminder_horizon(&r), 31 * DAY);
	/* a short kind buffer is cut, still a string */
	{
		char kind[4];
		int days;

		assert_int_equal(
			duty_reminder_due(&r, due, due - 10 * DAY, kind, sizeof kind, &days), 1);
		assert_string_equal(kind, "bef");
		assert_int_equal(days, 30);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_national_year),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_year_end_midnight),
		cmocka_unit_test(test_monthly_february),
		cmocka_unit_test(test_who),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_critical_first_due),
		cmocka_unit_test(test_emit_stops),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_reminders_national),
		cmocka_unit_test(test_reminders_options),
	};

	return cmocka_run_group_tests(tests, NULL, cp_release_all);
}
