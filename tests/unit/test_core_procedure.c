/* test_core_procedure.c - src/core/procedure.c on the shipped presets (the YAML files of
 * presets/, read from disk: core tests do not link the embedded copies): which action may be
 * taken from which state, by whom (the incident's own organisation, the coordinator, their
 * roles), under which condition (central_hosted), with which form filled, and that a refusal
 * names the rule and its legal source. The procedure of national.yaml (001 Đ15.4; 000 Đ7.1)
 * is the one hue-2017 inherits; tayson rewrites some steps with its own sources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/codes.h"
#include "core/procedure.h"
#include "core_presets.h"

/* A refusal's reason in both languages, "vi | en", into out. */
static const char *why_text(const struct msg *m, char *out, size_t n)
{
	char vi[2048], en[2048];

	msg_render(m, MSG_VI, vi, sizeof vi);
	msg_render(m, MSG_EN, en, sizeof en);
	snprintf(out, n, "%s | %s", vi, en);
	return out;
}

/* procedure_check with its reason rendered in both languages into why. */
static int check(const struct preset *p, const struct proc_facts *f, const char *action,
		 const struct preset_transition **out, char *why, size_t n)
{
	struct msg m;
	int rc = procedure_check(p, f, action, out, &m);

	why_text(&m, why, n);
	return rc;
}

#define HANDLER (ROLE_OFFICER | ROLE_LEADER | ROLE_OPERATOR)

/* The forms a test has filled, and which form the engine asked about last. */
struct forms {
	const char *filled[4];
	char asked[PRESET_CODE];
	int nasked;
};

static bool form_filled(void *ctx, const char *form)
{
	struct forms *f = ctx;

	snprintf(f->asked, sizeof f->asked, "%s", form);
	f->nasked++;
	for (size_t i = 0; i < 4 && f->filled[i] != NULL; i++)
		if (strcmp(f->filled[i], form) == 0)
			return true;
	return false;
}

/* Who asks. */
enum who {
	OWNER,       /* a person of the incident's organisation */
	COORDINATOR, /* a person of the coordinator (not the incident's organisation) */
	OWN_COORD,   /* the incident's organisation holds the coordinator role itself */
	STRANGER,    /* neither: a named organisation, the superior... */
};

static struct proc_facts facts(const char *status, enum who who, unsigned roles, bool central,
			       struct forms *forms)
{
	return (struct proc_facts){.status = status,
				   .central_hosted = central,
				   .own = who == OWNER || who == OWN_COORD,
				   .coordinator = who == COORDINATOR || who == OWN_COORD,
				   .roles = roles,
				   .form_filled = forms ? form_filled : NULL,
				   .ctx = forms};
}

/* One row of the procedure of national.yaml: from this state, this action, by this person,
 * under this condition, with these forms: the state it leads to, or NULL and the words the
 * refusal must contain (the rule's legal source among them). */
struct step_case {
	const char *status;
	const char *action;
	enum who who;
	unsigned roles;
	bool central;
	const char *form; /* a filled form, or NULL */
	const char *to;   /* NULL: refused */
	const char *why1, *why2;
};

static const struct step_case national_steps[] = {
	/* step 1, triage: the unit reports (form 01) - its reporter, officer, leader */
	{"new", "report", OWNER, ROLE_REPORTER, false, NULL, "reported", NULL, NULL},
	{"new", "report", OWNER, ROLE_OFFICER, false, NULL, "reported", NULL, NULL},
	{"new", "report", OWNER, ROLE_LEADER, true, NULL, "reported", NULL, NULL},
	{"new", "report", OWNER, ROLE_OPERATOR, false, NULL, NULL,
	 "Điểm a, điểm c khoản 4 Điều 15 Quy chế bảo đảm",
	 "may not take the step 'Report to the coordinator (form 01)'"},
	{"new", "report", OWNER, ROLE_AUDITOR, false, NULL, NULL,
	 "Điểm a, điểm c khoản 4 Điều 15 Quy chế bảo đảm", "Bạn không có quyền"},
	{"new", "report", OWNER, ROLE_ADMIN, false, NULL, NULL, "Điểm a, điểm c khoản 4 Điều 15 Quy chế bảo đảm",
	 "Bạn không có quyền"},
	/* ... not the coordinator for it: by: owner */
	{"new", "report", COORDINATOR, ROLE_LEADER | ROLE_OFFICER, false, NULL, NULL,
	 "Điểm a, điểm c khoản 4 Điều 15 Quy chế bảo đảm", "may not take"},
	{"new", "report", STRANGER, ROLE_ALL, false, NULL, NULL, "điểm a khoản 1 Điều 7 Quy chế phối hợp",
	 "Bạn không có quyền"},
	/* a system managed by the unit itself goes to step 2; a centrally hosted one may not */
	{"new", "handle_internally", OWNER, ROLE_OFFICER, false, NULL, "internal", NULL, NULL},
	{"new", "handle_internally", OWNER, ROLE_LEADER, false, NULL, "internal", NULL, NULL},
	{"new", "handle_internally", OWNER, ROLE_OFFICER, true, NULL, NULL,
	 "Điểm a, điểm b khoản 4 Điều 15", "does not apply to this system"},
	{"new", "handle_internally", OWNER, ROLE_REPORTER, false, NULL, NULL,
	 "Điểm a, điểm b khoản 4 Điều 15", "may not take the step 'Handle internally'"},
	{"new", "handle_internally", COORDINATOR, HANDLER, false, NULL, NULL,
	 "Điểm a, điểm b khoản 4 Điều 15",
	 "Bạn không có quyền thực hiện bước 'Xử lý theo quy chế nội bộ'"},
	/* the roles are checked before the condition: a reporter hears about the roles */
	{"new", "handle_internally", OWNER, ROLE_REPORTER, true, NULL, NULL, "may not take",
	 "Điểm a, điểm b khoản 4 Điều 15"},
	/* step 2: closed internally with a record, or escalated with a record */
	{"internal", "close_internal", OWNER, ROLE_OFFICER, false, "record", "closed", NULL, NULL},
	{"internal", "close_internal", OWNER, ROLE_LEADER, false, NULL, NULL,
	 "needs the form 'record' filled in", "cần biểu mẫu 'record'"},
	{"internal", "close_internal", OWNER, ROLE_OFFICER, false, "closing", NULL,
	 "form 'record'", "Điểm b khoản 4 Điều 15"},
	{"internal", "close_internal", OWNER, ROLE_OPERATOR, false, "record", NULL, "Điểm b khoản 4 Điều 15",
	 "may not take"},
	{"internal", "escalate", OWNER, ROLE_LEADER, false, "record", "reported", NULL, NULL},
	{"internal", "escalate", OWNER, ROLE_LEADER, false, NULL, NULL,
	 "Điểm b, điểm c khoản 4 Điều 15 Quy chế bảo đảm", "form 'record'"},
	{"internal", "escalate", COORDINATOR, HANDLER, false, "record", NULL, "khoản 5 Điều 15",
	 "may not take"},
	{"internal", "report", OWNER, ROLE_OFFICER, false, NULL, NULL, "from state 'internal'",
	 "action 'report' is not allowed"},
	/* step 3 → 4: the coordinator's operator or leader accepts */
	{"reported", "accept", COORDINATOR, ROLE_OPERATOR, false, NULL, "coordinated", NULL, NULL},
	{"reported", "accept", COORDINATOR, ROLE_LEADER, false, NULL, "coordinated", NULL, NULL},
	{"reported", "accept", OWN_COORD, ROLE_OPERATOR, false, NULL, "coordinated", NULL, NULL},
	{"reported", "accept", COORDINATOR, ROLE_OFFICER | ROLE_REPORTER, false, NULL, NULL,
	 "Điểm d khoản 4 Điều 15",
	 "may not take the step 'Accept and coordinate the response'"},
	{"reported", "accept", OWNER, ROLE_LEADER | ROLE_OPERATOR, false, NULL, NULL,
	 "Điểm d khoản 4 Điều 15", "Bạn không có quyền"},
	{"new", "accept", COORDINATOR, ROLE_OPERATOR, false, NULL, NULL,
	 "Không thể 'accept' khi sự cố ở trạng thái 'new'",
	 "not allowed from state 'new'"},
	/* step 4: either side marks it resolved */
	{"coordinated", "resolve", OWNER, ROLE_OFFICER, false, NULL, "resolved", NULL, NULL},
	{"coordinated", "resolve", COORDINATOR, ROLE_OPERATOR, false, NULL, "resolved", NULL, NULL},
	{"coordinated", "resolve", OWNER, ROLE_REPORTER | ROLE_AUDITOR, false, NULL, NULL,
	 "Điểm d khoản 4 Điều 15 Quy chế bảo đảm", "may not take the step 'Mark resolved'"},
	{"coordinated", "resolve", STRANGER, HANDLER, false, NULL, NULL,
	 "điểm b, điểm c, điểm d khoản 1 Điều 7 Quy chế phối hợp", "Bạn không có quyền"},
	/* step 5: the closing record (form 02) */
	{"resolved", "close", COORDINATOR, ROLE_LEADER, false, "closing", "closed", NULL, NULL},
	{"resolved", "close", OWNER, ROLE_OPERATOR, false, "closing", "closed", NULL, NULL},
	{"resolved", "close", OWNER, ROLE_LEADER, false, "record", NULL,
	 "needs the form 'closing' filled in",
	 "Lập biên bản kết thúc (Mẫu 02)"},
	{"resolved", "close", COORDINATOR, ROLE_AUDITOR, false, "closing", NULL,
	 "căn cứ: Điểm đ khoản 4 Điều 15 Quy chế bảo đảm an toàn thông tin mạng", "may not take"},
	{"coordinated", "close", OWNER, ROLE_LEADER, false, "closing", NULL,
	 "not allowed from state 'coordinated'", NULL},
	/* a closed incident takes no step at all */
	{"closed", "close", OWNER, ROLE_ALL, false, "closing", NULL, "from state 'closed'", NULL},
	{"closed", "report", OWNER, ROLE_ALL, false, NULL, NULL, "from state 'closed'", NULL},
	{"closed", "resolve", OWN_COORD, ROLE_ALL, false, NULL, NULL, "from state 'closed'", NULL},
	/* what the procedure does not know */
	{"new", "delete", OWN_COORD, ROLE_ALL, false, NULL, NULL,
	 "procedure has no action 'delete'", "Quy trình không có bước 'delete'"},
	{"bogus", "report", OWNER, ROLE_ALL, false, NULL, NULL, "from state 'bogus'", NULL},
};

static void check_steps(const char *preset)
{
	const struct preset *p = cp_get(preset);

	for (size_t i = 0; i < sizeof national_steps / sizeof national_steps[0]; i++) {
		const struct step_case *c = &national_steps[i];
		struct forms forms = {.filled = {c->form}};
		struct proc_facts f = facts(c->status, c->who, c->roles, c->central, &forms);
		const struct preset_transition *t = (const struct preset_transition *)1;
		char why[4096] = "";
		int rc = check(p, &f, c->action, &t, why, sizeof why);

		if ((rc == 0) != (c->to != NULL) || (c->why1 && !strstr(why, c->why1)) ||
		    (c->why2 && !strstr(why, c->why2)))
			print_error("%s: %s from %s (case %zu): rc %d, why '%s', want '%s'\n", preset,
				    c->action, c->status, i, rc, why, c->why2 ? c->why2 : "");
		if (c->to != NULL) {
			assert_int_equal(rc, 0);
			assert_non_null(t);
			assert_string_equal(t->action, c->action);
			assert_string_equal(t->to, c->to);
			continue;
		}
		assert_int_equal(rc, -1);
		assert_null(t);
		if (c->why1)
			assert_non_null(strstr(why, c->why1));
		if (c->why2)
			assert_non_null(strstr(why, c->why2));
	}
}

static void test_national_steps(void **state)
{
	(void)state;
	check_steps("national");
}

/* hue-2017 (QĐ 2711/QĐ-UBND) has no transitions of its own: the national procedure holds. */
static void test_hue2017_steps(void **state)
{
	const struct preset *n = cp_get("national");
	const struct preset *h = cp_get("hue-2017");

	(void)state;
	assert_int_equal(h->ntransitions, n->ntransitions);
	for (size_t i = 0; i < h->ntransitions; i++) {
		assert_string_equal(h->transitions[i].action, n->transitions[i].action);
		assert_string_equal(h->transitions[i].from, n->transitions[i].from);
		assert_string_equal(h->transitions[i].source, n->transitions[i].source);
	}
	check_steps("hue-2017");
}

/* A child preset's step cites the child's own source in a refusal (tayson, 001 Đ15.5). */
static void test_child_source(void **state)
{
	const struct preset *p = cp_get("tayson");
	struct proc_facts f = facts("new", OWNER, ROLE_OPERATOR, false, NULL);
	const struct preset_transition *t;
	char why[4096];

	(void)state;
	assert_int_equal(check(p, &f, "report", &t, why, sizeof why), -1);
	/* 001 Đ15.4a, Đ15.4c, Đ15.5 as people write it, never the code */
	assert_non_null(strstr(why, "(căn cứ: Điểm a, điểm c khoản 4 và khoản 5 Điều 15 Quy chế bảo "
				    "đảm an toàn thông tin mạng"));
	assert_null(strstr(why, "001 Đ"));
	assert_non_null(strstr(why, "Báo sự cố theo mẫu số 01 (bước 3)"));
	/* inherited from national: accept keeps the national source */
	f = facts("reported", COORDINATOR, ROLE_OFFICER, false, NULL);
	assert_int_equal(check(p, &f, "accept", &t, why, sizeof why), -1);
	assert_non_null(strstr(why, "Điểm d khoản 4 Điều 15 Quy chế bảo đảm an toàn thông tin mạng"));
	assert_non_null(strstr(why, "; điểm a, điểm b khoản 1 Điều 7 Quy chế phối hợp"));
}

/* The required form: asked for by its code, only once the rest allows the step; without a
 * form_filled callback a step that needs a form is refused. */
static void test_required_form(void **state)
{
	const struct preset *p = cp_get("national");
	struct forms forms = {.filled = {NULL}};
	struct proc_facts f = facts("resolved", OWNER, ROLE_LEADER, false, &forms);
	const struct preset_transition *t;
	char why[4096];

	(void)state;
	assert_int_equal(check(p, &f, "close", &t, why, sizeof why), -1);
	assert_int_equal(forms.nasked, 1);
	assert_string_equal(forms.asked, "closing");
	/* a step without a form asks nothing */
	forms.nasked = 0;
	f.status = "coordinated";
	assert_int_equal(check(p, &f, "resolve", &t, why, sizeof why), 0);
	assert_int_equal(forms.nasked, 0);
	/* a refusal for the roles does not look at the form */
	f = facts("resolved", OWNER, ROLE_REPORTER, false, &forms);
	assert_int_equal(check(p, &f, "close", &t, why, sizeof why), -1);
	assert_int_equal(forms.nasked, 0);
	/* no callback: refused, naming the form */
	f = facts("internal", OWNER, ROLE_OFFICER, false, NULL);
	assert_int_equal(check(p, &f, "close_internal", &t, why, sizeof why), -1);
	assert_null(t);
	assert_non_null(strstr(why, "'record'"));
}

/* A reason is the catalogue's message with its parameters, not a text: its code and the
 * step's names in both languages travel with it. */
static void test_reason_bound(void **state)
{
	const struct preset *p = cp_get("national");
	struct proc_facts f = facts("new", STRANGER, ROLE_ALL, false, NULL);
	const struct preset_transition *t;
	struct msg m;

	(void)state;
	assert_int_equal(procedure_check(p, &f, "report", &t, &m), -1);
	assert_string_equal(msg_code(m.id), "procedure_not_permitted");
	assert_int_equal(m.n, 2);
	assert_string_equal(m.p[0].name, "step");
	assert_string_equal(m.p[1].name, "basis");
	/* each in the reader's language, the whole citation kept */
	assert_string_equal(msg_value_in(&m, 0, MSG_VI), "Báo cáo cơ quan điều phối (Mẫu 01)");
	assert_string_equal(msg_value_in(&m, 0, MSG_EN), "Report to the coordinator (form 01)");
	assert_non_null(strstr(msg_value_in(&m, 1, MSG_VI), "Điều 15"));
	assert_non_null(strstr(msg_value_in(&m, 1, MSG_VI), "Thừa Thiên Huế"));
	assert_null(strstr(msg_value_in(&m, 1, MSG_VI), "\xE2\x80\xA6"));
	assert_non_null(strstr(msg_value_in(&m, 1, MSG_EN), "Articles 15(4)(a)"));
	assert_null(strstr(msg_value_in(&m, 1, MSG_EN), "\xE2\x80\xA6"));
	assert_int_equal(procedure_check(p, &f, "no_such_step", &t, &m), -1);
	assert_string_equal(msg_code(m.id), "procedure_no_action");
	assert_string_equal(msg_value(&m, 0), "no_such_step");
}

/* ---- procedure_actions -------------------------------------------------------------------- */

static void collect(void *arg, const struct preset_transition *t)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%s%s", n ? "," : "", t->action);
}

static void expect_actions(const struct preset *p, const struct proc_facts *f, const char *want)
{
	char got[256] = "";

	procedure_actions(p, f, collect, got);
	if (strcmp(got, want) != 0)
		print_error("from %s, own %d coord %d roles 0x%02x central %d: '%s', want '%s'\n",
			    f->status, f->own, f->coordinator, f->roles, f->central_hosted, got,
			    want);
	assert_string_equal(got, want);
}

static void test_actions(void **state)
{
	static const char *const presets[] = {"national", "hue-2017"};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		const struct preset *p = cp_get(presets[i]);
		struct proc_facts f;

		/* new: the unit's officer handles it internally or reports it; a centrally hosted
		 * system is reported (001 Đ15.4a) */
		f = facts("new", OWNER, ROLE_OFFICER, false, NULL);
		expect_actions(p, &f, "handle_internally,report");
		f.central_hosted = true;
		expect_actions(p, &f, "report");
		f = facts("new", OWNER, ROLE_REPORTER, false, NULL);
		expect_actions(p, &f, "report");
		f = facts("new", OWNER, ROLE_OPERATOR | ROLE_AUDITOR | ROLE_ADMIN, false, NULL);
		expect_actions(p, &f, "");
		f = facts("new", COORDINATOR, ROLE_ALL, false, NULL);
		expect_actions(p, &f, "");
		/* internal: a missing record does not hide the steps (filled with the step) */
		f = facts("internal", OWNER, ROLE_LEADER, false, NULL);
		expect_actions(p, &f, "close_internal,escalate");
		f = facts("internal", OWNER, ROLE_REPORTER, false, NULL);
		expect_actions(p, &f, "");
		/* reported: the coordinator's operator or leader accepts; the unit waits */
		f = facts("reported", COORDINATOR, ROLE_OPERATOR, false, NULL);
		expect_actions(p, &f, "accept");
		f = facts("reported", COORDINATOR, ROLE_OFFICER, false, NULL);
		expect_actions(p, &f, "");
		f = facts("reported", OWNER, HANDLER, false, NULL);
		expect_actions(p, &f, "");
		f = facts("reported", OWN_COORD, ROLE_LEADER, true, NULL);
		expect_actions(p, &f, "accept");
		/* coordinated, resolved: either side */
		f = facts("coordinated", OWNER, ROLE_OFFICER, false, NULL);
		expect_actions(p, &f, "resolve");
		f = facts("coordinated", COORDINATOR, ROLE_OPERATOR, true, NULL);
		expect_actions(p, &f, "resolve");
		f = facts("coordinated", STRANGER, ROLE_ALL, false, NULL);
		expect_actions(p, &f, "");
		f = facts("resolved", COORDINATOR, ROLE_LEADER, false, NULL);
		expect_actions(p, &f, "close");
		/* closed, or a state the preset does not have: nothing */
		f = facts("closed", OWN_COORD, ROLE_ALL, false, NULL);
		expect_actions(p, &f, "");
		f = facts("bogus", OWN_COORD, ROLE_ALL, false, NULL);
		expect_actions(p, &f, "");
	}
}

/* Fails when procedure_check's answer on action differs from its presence in the list
 * (",a,b,"). */
static void check_listed(const struct preset *p, const struct proc_facts *f, const char *action,
			 const char *wrapped)
{
	const struct preset_transition *t;
	char why[512], key[PRESET_CODE + 2];
	bool ok = check(p, f, action, &t, why, sizeof why) == 0;
	bool shown;

	snprintf(key, sizeof key, ",%s,", action);
	shown = strstr(wrapped, key) != NULL;
	if (ok != shown)
		print_error("%s %s own %d coord %d roles 0x%02x central %d: check %d, listed "
			    "'%s'\n", f->status, action, f->own, f->coordinator, f->roles,
			    f->central_hosted, ok, wrapped);
	assert_int_equal(ok, shown);
}

/* procedure_actions offers exactly what procedure_check allows once the forms are filled: for
 * every state, caller, roles and condition, no button leads to a refusal and no allowed step
 * is hidden. */
static void test_actions_match_check(void **state)
{
	const struct preset *p = cp_get("national");
	struct forms all = {.filled = {"record", "closing", "report"}};

	(void)state;
	for (size_t k = 0; k < p->nstates * 4 * 2; k++)
		for (unsigned roles = 0; roles <= ROLE_ALL; roles++) {
			struct proc_facts f = facts(p->states[k / 8].code, (enum who)(k % 4), roles,
						    k / 4 % 2 != 0, &all);
			char listed[256] = "", wrapped[260];

			procedure_actions(p, &f, collect, listed);
			snprintf(wrapped, sizeof wrapped, ",%s,", listed);
			for (size_t i = 0; i < p->ntransitions; i++)
				check_listed(p, &f, p->transitions[i].action, wrapped);
		}
}

/* ---- "*": a step from any state that is not final ---------------------------------------- */

/* A preset whose `withdraw` goes from any open state to closed, and from `new` to `internal`
 * (docs/presets.md: "the `from` state written out is preferred over `*`"), and whose
 * `hand_to_centre` is only for a centrally hosted system. */
static const char star_yaml[] = "name: star\n"
				"extends: national\n"
				"transitions:\n"
				"  - action: withdraw\n"
				"    from: \"*\"\n"
				"    to: closed\n"
				"    name_vi: Rút báo cáo\n"
				"    by: owner\n"
				"    roles: [officer]\n"
				"    source: TEST Đ1\n"
				"  - action: withdraw\n"
				"    from: new\n"
				"    to: internal\n"
				"    name_vi: Rút về xử lý nội bộ\n"
				"    by: owner\n"
				"    roles: [leader]\n"
				"    source: TEST Đ2\n"
				"  - action: hand_to_centre\n"
				"    from: new\n"
				"    to: reported\n"
				"    name_vi: Chuyển trung tâm dữ liệu tỉnh\n"
				"    name_en: Hand to the data centre\n"
				"    by: owner\n"
				"    roles: [leader]\n"
				"    when: central_hosted\n"
				"    source: TEST Đ3\n";

/* `when: central_hosted`: only for an incident on a system hosted at the provincial data
 * centre; otherwise refused, naming the condition and the source, and not offered. */
static void test_when_central_hosted(void **state)
{
	const struct preset *p = cp_get_text("star", star_yaml);
	struct proc_facts f = facts("new", OWNER, ROLE_LEADER, true, NULL);
	const struct preset_transition *t;
	char why[512];

	(void)state;
	assert_int_equal(check(p, &f, "hand_to_centre", &t, why, sizeof why), 0);
	assert_string_equal(t->to, "reported");
	expect_actions(p, &f, "report,withdraw,hand_to_centre");
	f.central_hosted = false;
	assert_int_equal(check(p, &f, "hand_to_centre", &t, why, sizeof why), -1);
	assert_non_null(strstr(why, "(căn cứ: TEST Đ3; điều kiện central_hosted)"));
	assert_non_null(strstr(why, "Bước 'Chuyển trung tâm dữ liệu tỉnh' không áp dụng"));
	expect_actions(p, &f, "handle_internally,report,withdraw");
}

static void test_star_any_open_state(void **state)
{
	const struct preset *p = cp_get_text("star", star_yaml);
	const struct preset_transition *t;
	struct proc_facts f;
	char why[512];

	(void)state;
	/* from a state not written out: the "*" step */
	f = facts("coordinated", OWNER, ROLE_OFFICER, false, NULL);
	assert_int_equal(check(p, &f, "withdraw", &t, why, sizeof why), 0);
	assert_string_equal(t->to, "closed");
	f.status = "reported";
	expect_actions(p, &f, "withdraw");
	/* never from a final state */
	f.status = "closed";
	assert_int_equal(check(p, &f, "withdraw", &t, why, sizeof why), -1);
	assert_non_null(strstr(why, "not allowed from state 'closed'"));
	expect_actions(p, &f, "");
	/* the "*" step's own rules: a leader may not take it, and hears its source */
	f = facts("reported", OWNER, ROLE_LEADER, false, NULL);
	assert_int_equal(check(p, &f, "withdraw", &t, why, sizeof why), -1);
	assert_non_null(strstr(why, "TEST Đ1"));
}

/* A step written out for the state wins over a "*" step listed before it (docs/presets.md:
 * "trạng thái from ghi rõ được ưu tiên hơn *"), in procedure_check as in preset_transition and
 * procedure_actions: from `new`, `withdraw` leads to `internal` and is the leader's. */
static void test_star_exact_state_wins(void **state)
{
	const struct preset *p = cp_get_text("star", star_yaml);
	const struct preset_transition *t;
	struct proc_facts f;
	char why[512];

	(void)state;
	/* the loader's lookup prefers the exact state */
	t = preset_transition(p, "new", "withdraw");
	assert_non_null(t);
	assert_string_equal(t->to, "internal");
	f = facts("new", OWNER, ROLE_LEADER, false, NULL);
	assert_int_equal(check(p, &f, "withdraw", &t, why, sizeof why), 0);
	assert_string_equal(t->to, "internal");
	f.roles = ROLE_OFFICER;
	assert_int_equal(check(p, &f, "withdraw", &t, why, sizeof why), -1);
	assert_non_null(strstr(why, "TEST Đ2"));
	/* the officer is not offered the "*" step the state's own step overrides */
	expect_actions(p, &f, "handle_internally,report");
}

/* ---- coordination requests ----------------------------------------------------------------- */

static void test_request_unfinished(void **state)
{
	(void)state;
	assert_true(procedure_request_unfinished("open"));
	assert_true(procedure_request_unfinished("accepted"));
	assert_false(procedure_request_unfinished("done"));
	assert_false(procedure_request_unfinished("declined"));
	assert_false(procedure_request_unfinished("superseded"));
	assert_false(procedure_request_unfinished(NULL));
	assert_false(procedure_request_unfinished(""));
	assert_false(procedure_request_unfinished("OPEN"));
	assert_false(procedure_request_unfinished("opened"));
	assert_false(procedure_request_unfinished("accept"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_national_steps),
		cmocka_unit_test(test_hue2017_steps),
		cmocka_unit_test(test_child_source),
		cmocka_unit_test(test_required_form),
		cmocka_unit_test(test_reason_bound),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_actions_match_check),
		cmocka_unit_test(test_when_central_hosted),
		cmocka_unit_test(test_star_any_open_state),
		cmocka_unit_test(test_star_exact_state_wins),
		cmocka_unit_test(test_request_unfinished),
	};

	return cmocka_run_group_tests(tests, NULL, cp_release_all);
}
