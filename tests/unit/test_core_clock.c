/* test_core_clock.c - src/core/clock.c: the reporting deadlines of an incident (DOMAIN.md
 * "Clocks", docs/presets.md "clocks") on the clocks of presets/national.yaml: which clocks run
 * for which severity, when each is due (detection + `within`, across month ends, year ends,
 * 29 February 2028 and Vietnam-local midnights), and running / met / late / overdue to the
 * second, with the hour of tolerance of "at once" (within: 0); a clock is met by the telling of
 * its target (an organisation of that role told), never by a step, and a closed incident's
 * clock that was never met stays unmet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/codes.h"
#include "core_presets.h"

#define DAY 86400
#define MAXC 8


/* When each clock's target was told, by clock code: the test's facts. */
struct stops {
	const char *code[MAXC];
	int64_t at[MAXC];
	bool closed;
};

/* The facts of st on preset p: each clock named tells its target at its time. */
static void facts_of(const struct preset *p, const char *severity, int64_t detected,
		     const struct stops *st, struct clock_facts *f)
{
	*f = (struct clock_facts){.severity = severity, .detected_at = detected};
	for (size_t i = 0; st && i < MAXC && st->code[i] != NULL; i++) {
		const struct preset_clock *c = preset_clock(p, st->code[i]);

		assert_non_null(c);
		f->told_at[c->target] = st->at[i];
	}
	f->closed = st && st->closed;
}

/* Evaluates national's clocks; returns how many ran, in out. */
static size_t eval(const char *severity, int64_t detected, int64_t now, struct stops *st,
		   struct clock_eval *out)
{
	const struct preset *p = cp_get("national");
	struct clock_facts f;
	size_t n = 99;

	facts_of(p, severity, detected, st, &f);
	clock_evaluate(p, &f, now, out, MAXC, &n);
	return n;
}

static const struct clock_eval *find(const struct clock_eval *e, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].clock->code, code) == 0)
			return &e[i];
	return NULL;
}

/* Writes the Vietnam-local time of t as "yyyy-mm-dd hh:mm:ss". */
static void vn(int64_t t, char *out, size_t outsz)
{
	int y, mo, d, h, mi, s;

	tm_vn_fields(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
}

/* ---- which clocks run ---------------------------------------------------------------------- */

/* Every incident: reported to the coordinator and the national coordinator within 5 days
 * (QĐ 05/2017/QĐ-TTg Đ11.1a); from "serious" up also at once (Đ11.2). An incident not yet
 * classified, or of a severity the preset does not know, runs only the clocks for all. */
static void test_which_clocks(void **state)
{
	static const struct {
		const char *severity;
		size_t n;
		bool urgent;
	} cases[] = {
		{NULL, 2, false},     {"", 2, false},       {"low", 2, false},
		{"medium", 2, false}, {"high", 2, false},   {"serious", 3, true},
		{"critical", 3, true}, {"bogus", 2, false}, {"Serious", 2, false},
	};
	int64_t det = cp_t("2026-11-21T09:00:00+07:00");
	struct clock_eval e[MAXC];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = eval(cases[i].severity, det, det, NULL, e);

		assert_int_equal(n, cases[i].n);
		assert_string_equal(e[0].clock->code, "report_coordinator");
		assert_string_equal(e[1].clock->code, "report_national");
		assert_int_equal(find(e, n, "report_urgent") != NULL, cases[i].urgent);
	}
	/* the caller's array bounds the output */
	{
		struct clock_facts f = {.severity = "critical", .detected_at = det};
		size_t n = 99;

		clock_evaluate(cp_get("national"), &f, det, e, 1, &n);
		assert_int_equal(n, 1);
		assert_string_equal(e[0].clock->code, "report_coordinator");
		clock_evaluate(cp_get("national"), &f, det, e, 0, &n);
		assert_int_equal(n, 0);
	}
}

/* The evaluation reports the clock's target. */
static void test_clock_fields(void **state)
{
	int64_t det = cp_t("2026-11-21T09:00:00+07:00");
	struct stops st = {.code = {NULL}};
	struct clock_eval e[MAXC];
	size_t n = eval("critical", det, det, &st, e);

	(void)state;
	assert_int_equal(n, 3);
	assert_int_equal(find(e, n, "report_coordinator")->clock->target, ORG_COORDINATOR);
	assert_int_equal(find(e, n, "report_national")->clock->target, ORG_NATIONAL);
	assert_int_equal(find(e, n, "report_urgent")->clock->within, 0);
	assert_int_equal(find(e, n, "report_coordinator")->clock->within, 5 * DAY);
	assert_int_equal(find(e, n, "report_coordinator")->stopped_at, 0);
}

/* ---- due dates ----------------------------------------------------------------------------- */

struct due_case {
	const char *detected;
	const char *due; /* of the 5-day clocks, Vietnam-local */
};

/* 5 days are 5 × 24 hours from detection, whatever the calendar: month ends, year ends,
 * 29 February in 2028 (and not in 2027), and detections either side of Vietnam's midnight. */
static const struct due_case due_cases[] = {
	{"2026-11-21T09:00:00+07:00", "2026-11-26 09:00:00"},
	/* month ends */
	{"2026-01-29T10:15:00+07:00", "2026-02-03 10:15:00"},
	{"2026-04-28T08:00:00+07:00", "2026-05-03 08:00:00"},
	{"2026-11-30T23:59:59+07:00", "2026-12-05 23:59:59"},
	/* year end */
	{"2026-12-29T15:30:00+07:00", "2027-01-03 15:30:00"},
	{"2026-12-31T23:59:59+07:00", "2027-01-05 23:59:59"},
	/* February: 28 days in 2027, 29 in 2028 */
	{"2027-02-26T08:00:00+07:00", "2027-03-03 08:00:00"},
	{"2028-02-26T08:00:00+07:00", "2028-03-02 08:00:00"},
	{"2028-02-24T12:00:00+07:00", "2028-02-29 12:00:00"},
	{"2028-02-29T12:00:00+07:00", "2028-03-05 12:00:00"},
	/* Vietnam's midnight is 17:00 UTC the day before: a detection one second apart lands a
	 * day apart in local dates */
	{"2026-11-30T16:59:59Z", "2026-12-05 23:59:59"},
	{"2026-11-30T17:00:00Z", "2026-12-06 00:00:00"},
	{"2026-12-31T17:00:00Z", "2027-01-06 00:00:00"},
	{"2028-02-28T17:00:00Z", "2028-03-05 00:00:00"},
	{"2028-02-29T16:59:59Z", "2028-03-05 23:59:59"},
	/* a time written without an offset is Vietnam-local */
	{"2027-12-27T07:00:00", "2028-01-01 07:00:00"},
};

static void test_due_dates(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof due_cases / sizeof due_cases[0]; i++) {
		int64_t det = cp_t(due_cases[i].detected);
		struct clock_eval e[MAXC];
		size_t n = eval("serious", det, det, NULL, e);
		char got[32];

		assert_int_equal(n, 3);
		vn(find(e, n, "report_coordinator")->due_at, got, sizeof got);
		if (strcmp(got, due_cases[i].due) != 0)
			print_error("detected %s: due %s, want %s\n", due_cases[i].detected, got,
				    due_cases[i].due);
		assert_string_equal(got, due_cases[i].due);
		assert_int_equal(find(e, n, "report_coordinator")->due_at, det + 5 * DAY);
		assert_int_equal(find(e, n, "report_national")->due_at, det + 5 * DAY);
		/* "at once" is due at detection */
		assert_int_equal(find(e, n, "report_urgent")->due_at, det);
	}
}

/* ---- running, met, late, overdue ---------------------------------------------------------- */

/* A 5-day clock, to the second: running up to and at the due time, overdue one second after;
 * stopped at the due time is met, one second after is late - whatever "now" is. */
static void test_states_five_days(void **state)
{
	int64_t det = cp_t("2028-02-26T08:00:00+07:00");
	int64_t due = cp_t("2028-03-02T08:00:00+07:00");
	struct stops st = {.code = {"report_coordinator"}};
	struct clock_eval e[MAXC];
	const struct clock_eval *c;

	(void)state;
	eval("high", det, det, NULL, e);
	assert_int_equal(e[0].state, CLOCK_RUNNING);
	eval("high", det, due - 1, NULL, e);
	assert_int_equal(e[0].state, CLOCK_RUNNING);
	eval("high", det, due, NULL, e);
	assert_int_equal(e[0].state, CLOCK_RUNNING);
	eval("high", det, due + 1, NULL, e);
	assert_int_equal(e[0].state, CLOCK_OVERDUE);
	assert_int_equal(e[1].state, CLOCK_OVERDUE);
	/* stopped: met on time, late after, whatever now is */
	st.at[0] = due;
	eval("high", det, due + 30 * DAY, &st, e);
	c = find(e, 2, "report_coordinator");
	assert_int_equal(c->stopped_at, due);
	assert_int_equal(c->state, CLOCK_MET);
	/* only the clock that stopped: the national coordinator was not told */
	assert_int_equal(find(e, 2, "report_national")->state, CLOCK_OVERDUE);
	assert_int_equal(find(e, 2, "report_national")->stopped_at, 0);
	st.at[0] = due + 1;
	eval("high", det, due + 1, &st, e);
	assert_int_equal(find(e, 2, "report_coordinator")->state, CLOCK_LATE);
	st.at[0] = det + 60;
	eval("high", det, det + 120, &st, e);
	assert_int_equal(find(e, 2, "report_coordinator")->state, CLOCK_MET);
	/* the tolerance of "at once" is not given to a 5-day clock */
	st.at[0] = due + CLOCK_AT_ONCE_TOLERANCE;
	eval("high", det, due + CLOCK_AT_ONCE_TOLERANCE, &st, e);
	assert_int_equal(find(e, 2, "report_coordinator")->state, CLOCK_LATE);
}

/* "At once" (within: 0) counts as met within CLOCK_AT_ONCE_TOLERANCE, one hour
 * (docs/presets.md), and is overdue after it. */
static void test_states_at_once(void **state)
{
	int64_t det = cp_t("2026-12-31T23:30:00+07:00");
	struct stops st = {.code = {"report_urgent"}};
	struct clock_eval e[MAXC];

	(void)state;
	assert_int_equal(CLOCK_AT_ONCE_TOLERANCE, 3600);
	eval("critical", det, det + 3600, NULL, e);
	assert_int_equal(find(e, 3, "report_urgent")->state, CLOCK_RUNNING);
	assert_int_equal(find(e, 3, "report_coordinator")->state, CLOCK_RUNNING);
	eval("critical", det, det + 3601, NULL, e);
	assert_int_equal(find(e, 3, "report_urgent")->state, CLOCK_OVERDUE);
	assert_int_equal(find(e, 3, "report_coordinator")->state, CLOCK_RUNNING);
	st.at[0] = det;
	eval("critical", det, det + DAY, &st, e);
	assert_int_equal(find(e, 3, "report_urgent")->state, CLOCK_MET);
	st.at[0] = det + 3600; /* 00:30 on 1 January, in the next year */
	eval("critical", det, det + DAY, &st, e);
	assert_int_equal(find(e, 3, "report_urgent")->state, CLOCK_MET);
	st.at[0] = det + 3601;
	eval("critical", det, det + DAY, &st, e);
	assert_int_equal(find(e, 3, "report_urgent")->state, CLOCK_LATE);
}

/* A clock of a child preset with hours and minutes: "24h" and "30m" are seconds too. */
static void test_hours_and_minutes(void **state)
{
	static const char yaml[] = "name: short\n"
				   "extends: national\n"
				   "clocks:\n"
				   "  - code: report_coordinator\n"
				   "    name_vi: Báo cáo trong 24 giờ\n"
				   "    stop_step: 3\n"
				   "    within: 24h\n"
				   "    target: coordinator\n"
				   "    source: TEST Đ1\n"
				   "  - code: first_call\n"
				   "    name_vi: Gọi điện trong 30 phút\n"
				   "    stop_step: 2\n"
				   "    within: 30m\n"
				   "    min_severity: high\n"
				   "    target: coordinator\n"
				   "    source: TEST Đ2\n";
	const struct preset *p = cp_get_text("short", yaml);
	int64_t det = cp_t("2028-02-28T23:45:00+07:00");
	struct clock_facts f = {.severity = "high", .detected_at = det};
	struct clock_eval e[MAXC];
	const struct clock_eval *c;
	size_t n = 0;
	char got[32];

	(void)state;
	clock_evaluate(p, &f, det + 31 * 60, e, MAXC, &n);
	assert_int_equal(n, 3); /* report_urgent is for serious and above */
	/* the child's clock replaced the parent's in its place */
	assert_string_equal(e[0].clock->code, "report_coordinator");
	vn(e[0].due_at, got, sizeof got);
	assert_string_equal(got, "2028-02-29 23:45:00");
	assert_int_equal(e[0].state, CLOCK_RUNNING);
	c = find(e, n, "first_call");
	assert_non_null(c);
	vn(c->due_at, got, sizeof got);
	assert_string_equal(got, "2028-02-29 00:15:00");
	assert_int_equal(c->state, CLOCK_OVERDUE);
	f.severity = "medium";
	clock_evaluate(p, &f, det, e, MAXC, &n);
	assert_int_equal(n, 2);
	assert_null(find(e, n, "first_call"));
}

/* The facts decide, not the step: telling the coordinator meets its clocks and leaves the
 * national coordinator's running until an organisation of that role is told; a closed incident
 * whose target was never told has that clock unmet, not overdue nor met (closed at step 2, the
 * unit told nobody: 001 Đ15.4b). */
static void test_met_by_telling_only(void **state)
{
	int64_t det = cp_t("2026-12-30T10:00:00+07:00");
	struct stops st = {.code = {"report_coordinator"}, .at = {det + DAY}};
	struct clock_eval e[MAXC];
	size_t n;

	(void)state;
	n = eval("serious", det, det + 2 * DAY, &st, e);
	assert_int_equal(find(e, n, "report_coordinator")->state, CLOCK_MET);
	/* the same target: told a day after, "at once" is late */
	assert_int_equal(find(e, n, "report_urgent")->state, CLOCK_LATE);
	assert_int_equal(find(e, n, "report_national")->state, CLOCK_RUNNING);
	assert_int_equal(find(e, n, "report_national")->stopped_at, 0);
	n = eval("serious", det, det + 6 * DAY, &st, e);
	assert_int_equal(find(e, n, "report_national")->state, CLOCK_OVERDUE);
	/* the national coordinator told by letter on day 4: met */
	st.code[1] = "report_national";
	st.at[1] = det + 4 * DAY;
	n = eval("serious", det, det + 6 * DAY, &st, e);
	assert_int_equal(find(e, n, "report_national")->state, CLOCK_MET);
	assert_int_equal(find(e, n, "report_national")->stopped_at, det + 4 * DAY);
	/* closed without telling anyone: unmet, whatever the time */
	st = (struct stops){.code = {NULL}, .closed = true};
	n = eval("high", det, det + DAY, &st, e);
	assert_int_equal(find(e, n, "report_coordinator")->state, CLOCK_UNMET);
	assert_int_equal(find(e, n, "report_national")->state, CLOCK_UNMET);
	n = eval("high", det, det + 60 * DAY, &st, e);
	assert_int_equal(find(e, n, "report_coordinator")->state, CLOCK_UNMET);
	/* closed after telling: the telling still counts */
	st.code[0] = "report_coordinator";
	st.at[0] = det + 3 * DAY;
	n = eval("high", det, det + 60 * DAY, &st, e);
	assert_int_equal(find(e, n, "report_coordinator")->state, CLOCK_MET);
	assert_int_equal(find(e, n, "report_national")->state, CLOCK_UNMET);
}

/* The first tellings as the store reads them with the incident: unknown roles and malformed
 * pieces are skipped, never guessed. */
static void test_told_parse(void **state)
{
	int64_t told[ORG_ROLE_COUNT];

	(void)state;
	clock_told_parse("coordinator:1795226400,national:1795230000,mayor:5,police:x,:7,superior:",
			 told);
	assert_int_equal(told[ORG_COORDINATOR], 1795226400);
	assert_int_equal(told[ORG_NATIONAL], 1795230000);
	assert_int_equal(told[ORG_POLICE], 0);
	assert_int_equal(told[ORG_SUPERIOR], 0);
	clock_told_parse(NULL, told);
	for (int r = 0; r < ORG_ROLE_COUNT; r++)
		assert_int_equal(told[r], 0);
	clock_told_parse("member:-3", told);
	assert_int_equal(told[ORG_MEMBER], 0);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(clock_state_name(CLOCK_RUNNING), "running");
	assert_string_equal(clock_state_name(CLOCK_MET), "met");
	assert_string_equal(clock_state_name(CLOCK_LATE), "late");
	assert_string_equal(clock_state_name(CLOCK_OVERDUE), "overdue");
	assert_string_equal(clock_state_name(CLOCK_UNMET), "unmet");
	assert_string_equal(clock_state_name((enum clock_state)7), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_which_clocks),
		cmocka_unit_test(test_clock_fields),
		cmocka_unit_test(test_due_dates),
		cmocka_unit_test(test_states_five_days),
		cmocka_unit_test(test_states_at_once),
		cmocka_unit_test(test_hours_and_minutes),
		cmocka_unit_test(test_met_by_telling_only),
		cmocka_unit_test(test_told_parse),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, cp_release_all);
}
