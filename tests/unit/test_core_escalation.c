/* test_core_escalation.c - src/core/escalation.c: which escalation rules of a preset fire
 * (docs/presets.md "escalations"). Rules that fire at once: entering a state or first reaching
 * a step (national, tayson, bacgiang-2024, quangnam-2022), raising a flag (hue-2017, 000 Đ7.1);
 * rules that time fires: the candidates the sweep asks the store for (idle, clock, request),
 * and the journaled text with its legal source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/escalation.h"
#include "core/procedure.h"
#include "core_presets.h"

#define DAY 86400

/* Every time-based and filtered trigger on top of national: clocks (5 days, at once), idle in
 * one state of one group from a severity up, a request unanswered two days past due, a state
 * entered by attacks from "high" up. */
static const char esc_yaml[] = "name: esc\n"
			       "extends: national\n"
			       "escalations:\n"
			       "  - code: late_report\n"
			       "    name_vi: Quá hạn báo cáo\n"
			       "    trigger: clock\n"
			       "    clock: report_coordinator\n"
			       "    action: notify\n"
			       "    to: [superior]\n"
			       "    source: TEST Đ1\n"
			       "  - code: late_urgent\n"
			       "    name_vi: Quá hạn báo ngay\n"
			       "    trigger: clock\n"
			       "    clock: report_urgent\n"
			       "    min_severity: high\n"
			       "    action: notify\n"
			       "    to: [coordinator]\n"
			       "    source: TEST Đ2\n"
			       "  - code: late_urgent_critical\n"
			       "    name_vi: Quá hạn báo ngay sự cố rất nghiêm trọng\n"
			       "    trigger: clock\n"
			       "    clock: report_urgent\n"
			       "    min_severity: critical\n"
			       "    action: notify\n"
			       "    to: [national]\n"
			       "    source: TEST Đ3\n"
			       "  - code: stuck_reported\n"
			       "    name_vi: Chưa tiếp nhận sau 12 giờ\n"
			       "    trigger: idle\n"
			       "    state: reported\n"
			       "    after: 12h\n"
			       "    group: attack\n"
			       "    min_severity: medium\n"
			       "    action: request\n"
			       "    to: [police]\n"
			       "    request_kind: support\n"
			       "    request_within: 1d\n"
			       "    source: TEST Đ4\n"
			       "  - code: slow_answer\n"
			       "    name_vi: Yêu cầu chậm trả lời 2 ngày\n"
			       "    trigger: request\n"
			       "    after: 2d\n"
			       "    action: notify\n"
			       "    to: [national]\n"
			       "    source: TEST Đ5\n"
			       "  - code: attack_reported\n"
			       "    name_vi: Tấn công đã báo cáo\n"
			       "    trigger: state\n"
			       "    state: reported\n"
			       "    group: attack\n"
			       "    min_severity: high\n"
			       "    action: notify\n"
			       "    to: [owner]\n"
			       "    source: TEST Đ6\n";

static const struct preset *load_esc(void)
{
	return cp_get_text("esc", esc_yaml);
}

static const struct preset_escalation *rule(const struct preset *p, const char *code)
{
	const struct preset_escalation *r = preset_escalation(p, code);

	if (r == NULL)
		print_error("%s has no escalation rule %s\n", p->name, code);
	assert_non_null(r);
	return r;
}

static bool on_state(const struct preset *p, const char *code, const char *severity,
		     const char *grp, const char *from, const char *to)
{
	struct esc_facts f = {.severity = severity, .grp = grp};

	return escalation_on_state(p, rule(p, code), &f, from, to);
}

/* The codes of the rules of p that fire for a flag (flag != NULL) or a move from → to. */
static void firing(const struct preset *p, const char *severity, const char *grp,
		   const char *flag, const char *from, const char *to, char *out, size_t outsz)
{
	struct esc_facts f = {.severity = severity, .grp = grp};
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < p->nescalations; i++) {
		const struct preset_escalation *r = &p->escalations[i];
		bool fires = flag ? escalation_on_flag(p, r, &f, flag)
				  : escalation_on_state(p, r, &f, from, to);

		if (fires)
			n += (size_t)snprintf(out + n, outsz - n, "%s%s", n ? "," : "", r->code);
		assert_true(n < outsz);
	}
}

/* ---- state and step rules ----------------------------------------------------------------- */

/* national serious_at_once (step 1, from "serious"): fires when a serious or critical incident
 * is created, once; bacgiang-2024 report_on_detection (step 1, any severity): every new one. */
static void test_step_on_creation(void **state)
{
	const struct preset *n = cp_get("national");
	const struct preset *b = cp_get("bacgiang-2024");

	(void)state;
	assert_true(on_state(n, "serious_at_once", "serious", "attack", NULL, "new"));
	assert_true(on_state(n, "serious_at_once", "critical", "disaster", NULL, "new"));
	assert_false(on_state(n, "serious_at_once", "high", "attack", NULL, "new"));
	assert_false(on_state(n, "serious_at_once", "low", "attack", NULL, "new"));
	assert_false(on_state(n, "serious_at_once", NULL, "attack", NULL, "new"));
	assert_false(on_state(n, "serious_at_once", "bogus", "attack", NULL, "new"));
	/* once: moving on from step 1 does not fire it again */
	assert_false(on_state(n, "serious_at_once", "serious", "attack", "new", "internal"));
	assert_false(on_state(n, "serious_at_once", "critical", "attack", "new", "reported"));
	/* the flag of a state rule never fires it */
	assert_false(escalation_on_flag(n, rule(n, "serious_at_once"),
					&(struct esc_facts){.severity = "critical"},
					"beyond_capacity"));
	assert_true(on_state(b, "report_on_detection", NULL, NULL, NULL, "new"));
	assert_true(on_state(b, "report_on_detection", "low", "fault", NULL, "new"));
	assert_false(on_state(b, "report_on_detection", "low", "fault", "new", "reported"));
}

/* quangnam-2022 response_team_intake (step 3, 003 §1): every incident reported to the
 * coordinator is passed to the response team - by `report` from new, by `escalate` from
 * internal - and only once. */
static void test_step_three(void **state)
{
	const struct preset *q = cp_get("quangnam-2022");

	(void)state;
	assert_true(on_state(q, "response_team_intake", "low", "fault", "new", "reported"));
	assert_true(on_state(q, "response_team_intake", NULL, NULL, "internal", "reported"));
	assert_false(on_state(q, "response_team_intake", "low", "fault", NULL, "new"));
	assert_false(on_state(q, "response_team_intake", "low", "fault", "new", "internal"));
	assert_false(on_state(q, "response_team_intake", "low", "fault", "reported",
			      "coordinated"));
	assert_false(on_state(q, "response_team_intake", "low", "fault", "coordinated",
			      "resolved"));
	assert_false(on_state(q, "response_team_intake", "low", "fault", "resolved", "closed"));
}

/* Closing an incident internally (close_internal: internal → closed, 001 Đ15.4b) reaches no
 * step beyond 2: quangnam-2022's response_team_intake (step 3) does not fire and the response
 * team is not told of an incident that was never reported (DOMAIN.md). */
static void test_step_not_by_closing_internally(void **state)
{
	const struct preset *q = cp_get("quangnam-2022");
	bool fires = on_state(q, "response_team_intake", "low", "fault", "internal", "closed");

	(void)state;
	assert_false(fires);
	/* closing after the report still crosses into step 5 */
	assert_true(procedure_step_reached(q, "coordinated", "closed") == 5);
	assert_true(procedure_step_reached(q, "internal", "closed") == 2);
}

/* tayson closing_report (state resolved, 001 Đ15.4đ): fires on entering that state only. */
static void test_state_rule(void **state)
{
	const struct preset *t = cp_get("tayson");
	const struct preset *e = load_esc();

	(void)state;
	assert_true(on_state(t, "closing_report", NULL, NULL, "coordinated", "resolved"));
	assert_true(on_state(t, "closing_report", "low", "fault", "coordinated", "resolved"));
	assert_false(on_state(t, "closing_report", "low", "fault", "resolved", "closed"));
	assert_false(on_state(t, "closing_report", "low", "fault", NULL, "new"));
	assert_false(on_state(t, "closing_report", "low", "fault", "reported", "coordinated"));
	/* filtered by group and severity: attacks from "high" up */
	assert_true(on_state(e, "attack_reported", "high", "attack", "new", "reported"));
	assert_true(on_state(e, "attack_reported", "critical", "attack", "internal", "reported"));
	assert_false(on_state(e, "attack_reported", "medium", "attack", "new", "reported"));
	assert_false(on_state(e, "attack_reported", NULL, "attack", "new", "reported"));
	assert_false(on_state(e, "attack_reported", "high", "fault", "new", "reported"));
	assert_false(on_state(e, "attack_reported", "high", NULL, "new", "reported"));
	assert_false(on_state(e, "attack_reported", "high", "attack", "reported", "coordinated"));
}

/* What fires at once, preset by preset, for a move or a flag. */
static void test_what_fires(void **state)
{
	const struct preset *h = cp_get("hue-2017");
	const struct preset *t = cp_get("tayson");
	char got[512];

	(void)state;
	/* hue-2017: each flag of 000 Đ7 fires its rules, and no other */
	firing(h, "high", "attack", "beyond_capacity", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "beyond_capacity_at_once");
	firing(h, "high", "attack", "violation_of_law", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "violation_to_police,violation_notify");
	firing(h, "low", "fault", "needs_support", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "support_request");
	/* unresolved: the request at once (Đ7.1c); telling the national coordinator waits for
	 * 3 days idle (Đ7.1d, a time-based rule) */
	firing(h, NULL, NULL, "unresolved", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "unresolved_mobilise");
	firing(h, "low", "fault", "evidence_requested", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "evidence_with_police");
	firing(h, "low", "fault", "defence_threat", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "defence_threat_notify");
	firing(h, "critical", "attack", "bogus", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "");
	firing(h, "critical", "attack", NULL, NULL, "new", got, sizeof got);
	assert_string_equal(got, "serious_at_once");
	firing(h, "critical", "attack", NULL, "new", "reported", got, sizeof got);
	assert_string_equal(got, "");
	/* tayson: the serious incident at creation, the urgent flag, the outcome report */
	firing(t, "serious", "attack", NULL, NULL, "new", got, sizeof got);
	assert_string_equal(got, "serious_at_once");
	firing(t, "low", "attack", "urgent", NULL, NULL, got, sizeof got);
	assert_string_equal(got, "urgent_at_once");
	firing(t, "low", "attack", NULL, "coordinated", "resolved", got, sizeof got);
	assert_string_equal(got, "closing_report");
}

/* ---- time-based rules: the candidates ------------------------------------------------------ */

static void expect_states(const struct esc_query *q, const char *want)
{
	char got[512] = "";
	size_t n = 0;

	for (size_t i = 0; i < q->nstates; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", i ? "," : "", q->states[i]);
	assert_string_equal(got, want);
}

/* hue-2017 unresolved_national (idle 3 days with the flag unresolved, 000 Đ7.1d) and
 * national request_overdue (a request unanswered past due, after 0). */
static void test_query_shipped(void **state)
{
	const struct preset *h = cp_get("hue-2017");
	int64_t now = cp_t("2028-03-01T00:00:00+07:00");
	struct esc_query q;

	(void)state;
	assert_int_equal(escalation_query(h, rule(h, "unresolved_national"), now, &q), 0);
	assert_ptr_equal(q.rule, rule(h, "unresolved_national"));
	expect_states(&q, "new,internal,reported,coordinated,resolved");
	assert_int_equal(q.changed_before, now - 3 * DAY);
	assert_string_equal(q.flag, "unresolved");
	assert_false(q.requests);
	assert_int_equal(q.min_rank, 0);
	assert_null(q.grp);
	assert_int_equal(q.detected_before, 0);
	assert_int_equal(q.after_id, 0);
	assert_int_equal(escalation_query(h, rule(h, "request_overdue"), now, &q), 0);
	assert_true(q.requests);
	assert_int_equal(q.request_due_before, now);
	assert_int_equal(q.nstates, 0);
	assert_int_equal(q.changed_before, 0);
	assert_null(q.flag);
	/* rules that fire at once, and warnings (the sweep asks the store itself): no query */
	assert_int_equal(escalation_query(h, rule(h, "serious_at_once"), now, &q), -1);
	assert_int_equal(escalation_query(h, rule(h, "support_request"), now, &q), -1);
	assert_int_equal(escalation_query(h, rule(h, "warning_unanswered"), now, &q), -1);
}

static void test_query_clock_idle_request(void **state)
{
	const struct preset *e = load_esc();
	int64_t now = cp_t("2027-01-01T00:00:00+07:00");
	struct esc_query q;

	(void)state;
	/* a 5-day clock: open incidents whose target (the coordinator) was not told, detected
	 * more than 5 days ago - a step reached does not stop it, a telling does */
	assert_int_equal(escalation_query(e, rule(e, "late_report"), now, &q), 0);
	expect_states(&q, "new,internal,reported,coordinated,resolved");
	assert_string_equal(q.untold, "coordinator");
	assert_int_equal(q.detected_before, now - 5 * DAY);
	assert_int_equal(q.min_rank, 0);
	assert_int_equal(q.changed_before, 0);
	assert_false(q.requests);
	/* "at once": past the hour of tolerance; the clock's "serious" is stricter than the
	 * rule's "high" */
	assert_int_equal(escalation_query(e, rule(e, "late_urgent"), now, &q), 0);
	expect_states(&q, "new,internal,reported,coordinated,resolved");
	assert_string_equal(q.untold, "coordinator");
	assert_int_equal(q.detected_before, now - CLOCK_AT_ONCE_TOLERANCE);
	assert_int_equal(q.min_rank, preset_severity(e, "serious")->rank);
	/* ... and the rule's "critical" is stricter than the clock's */
	assert_int_equal(escalation_query(e, rule(e, "late_urgent_critical"), now, &q), 0);
	assert_int_equal(q.min_rank, preset_severity(e, "critical")->rank);
	/* idle 12 hours in one state, attacks from "medium" up */
	assert_int_equal(escalation_query(e, rule(e, "stuck_reported"), now, &q), 0);
	expect_states(&q, "reported");
	assert_int_equal(q.changed_before, now - 12 * 3600);
	assert_string_equal(q.grp, "attack");
	assert_int_equal(q.min_rank, preset_severity(e, "medium")->rank);
	assert_null(q.flag);
	assert_int_equal(q.detected_before, 0);
	/* a request unanswered 2 days past its due time */
	assert_int_equal(escalation_query(e, rule(e, "slow_answer"), now, &q), 0);
	assert_true(q.requests);
	assert_int_equal(q.request_due_before, now - 2 * DAY);
	assert_int_equal(q.nstates, 0);
}

/* ---- the words said when a rule fires ---------------------------------------------------- */

static void test_words(void **state)
{
	const struct preset *h = cp_get("hue-2017");
	const struct preset_escalation *r = rule(h, "unresolved_national");
	char out[ESCALATION_TEXT], small[12];
	struct msg m;

	(void)state;
	/* the source as people write it (000 Đ7.1d: "điểm d khoản 1 Điều 7"), never the code */
	escalation_words(h, r, &m);
	assert_int_equal(m.id, M_journal_escalation);
	assert_int_equal(msg_render(&m, MSG_VI, out, sizeof out), 0);
	assert_string_equal(out, "Chuyển cấp tự động: Thông báo sự cố về Cơ quan "
				 "điều phối quốc gia (VNCERT) (căn cứ: Điểm d khoản 1 Điều 7 Quy "
				 "chế phối hợp giữa các cơ quan, đơn vị trong việc ứng phó sự cố "
				 "máy tính, đảm bảo an toàn thông tin mạng trên địa bàn tỉnh Thừa "
				 "Thiên Huế ban hành kèm theo Quyết định số 2711/QĐ-UBND ngày "
				 "17/11/2017 của UBND tỉnh Thừa Thiên Huế)");
	assert_null(strstr(out, "000 Đ"));
	assert_int_equal(msg_render(&m, MSG_EN, out, sizeof out), 0);
	assert_string_equal(out, "Automatic escalation: Notify the national coordinator (VNCERT) "
				 "of the incident (legal basis: Article 7(1)(d) of the Regulation "
				 "on coordination between agencies and units in responding to "
				 "computer incidents and ensuring network information security in "
				 "Thừa Thiên Huế province, issued with Decision No. 2711/QĐ-UBND of "
				 "17/11/2017 of the People's Committee of Thừa Thiên Huế province).");
	/* bounded: cut, still a string */
	memset(small, 'x', sizeof small);
	assert_int_equal(msg_render(&m, MSG_VI, small, 8), -1);
	assert_true(strlen(small) < 8);
	assert_int_equal(small[8], 'x');
	/* as a record stores it: the rule's names only, no citation (the reader makes it from
	 * the source, with the preset in force then) */
	escalation_words(NULL, r, &m);
	assert_int_equal(m.id, M_journal_escalation);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.p[0].name, "rule");
	assert_string_equal(msg_value_in(&m, 0, MSG_EN),
			    "Notify the national coordinator (VNCERT) of the incident");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_on_creation),
		cmocka_unit_test(test_step_three),
		cmocka_unit_test(test_step_not_by_closing_internally),
		cmocka_unit_test(test_state_rule),
		cmocka_unit_test(test_what_fires),
		cmocka_unit_test(test_query_shipped),
		cmocka_unit_test(test_query_clock_idle_request),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, cp_release_all);
}
