/* test_preset.c - the regulation preset loader (core/preset.c) and the shipped presets
 * (presets/NAME.yaml: the national base and one preset per seed regulation).
 * Runs from the repository root (it reads presets/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codes.h"
#include "core/preset.h"
#include "util/tm.h"

static char *national;      /* text of presets/national.yaml */
static size_t national_len;

/* ---- helpers ------------------------------------------------------------------------------ */

static int setup(void **state)
{
	FILE *f = fopen("presets/national.yaml", "rb");
	long n;

	(void)state;
	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	national = malloc((size_t)n + 1);
	if (national == NULL || fread(national, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	national[n] = '\0';
	national_len = (size_t)n;
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(national);
	return 0;
}

/* The presets a resolver knows, by name. */
struct src {
	const char *name;
	const char *text;
};
struct srcs {
	const struct src *v;
	size_t n;
};

static int resolve(void *ctx, const char *name, const char **text, size_t *len)
{
	const struct srcs *s = ctx;

	if (strcmp(name, "national") == 0) {
		*text = national;
		*len = national_len;
		return 0;
	}
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0) {
			*text = s->v[i].text;
			*len = strlen(s->v[i].text);
			return 0;
		}
	return -1;
}

/* Line (1-based) of the first occurrence of needle in text. */
static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	int line = 1;

	assert_non_null(at);
	for (const char *c = text; c < at; c++)
		line += *c == '\n';
	return line;
}

static struct preset *parse_national(void)
{
	struct preset *p = NULL;
	struct preset_err e;
	int rc = preset_parse("national", national, national_len, NULL, NULL, &p, &e);

	if (rc != 0)
		print_error("national.yaml: %s:%d: %s\n", e.file, e.line, e.msg);
	assert_int_equal(rc, 0);
	assert_non_null(p);
	return p;
}

/* Parses text as preset `name`; expects failure at file:line with msg containing want. */
static void expect_err_in(const char *name, const char *text, size_t len, const struct srcs *s,
			  const char *file, int line, const char *want)
{
	struct preset *p = (struct preset *)1;
	struct preset_err e;
	int rc = preset_parse(name, text, len, resolve, (void *)s, &p, &e);

	if (rc == 0 || e.line != line || strcmp(e.file, file) != 0 || strstr(e.msg, want) == NULL)
		print_error("want %s:%d '%s', got rc %d %s:%d '%s'\n", file, line, want, rc, e.file,
			    e.line, e.msg);
	assert_int_equal(rc, -1);
	assert_null(p);
	assert_string_equal(e.file, file);
	assert_int_equal(e.line, line);
	assert_non_null(strstr(e.msg, want));
	preset_free(p);
}

static void expect_err(const char *text, int line, const char *want)
{
	expect_err_in("mini", text, strlen(text), NULL, "mini", line, want);
}

/* A small valid preset; the error tests change one line of it (line numbers are fixed). */
static const char *const mini_lines[] = {
	"name: mini",                                                                  /* 1 */
	"title: Mini",                                                                 /* 2 */
	"lead_role: coordinator",                                                      /* 3 */
	"groups:",                                                                     /* 4 */
	"  - {code: g1, name_vi: Nhóm 1}",                                             /* 5 */
	"types:",                                                                      /* 6 */
	"  - {code: t1, group: g1, name_vi: Loại 1}",                                  /* 7 */
	"severities:",                                                                 /* 8 */
	"  - {code: s1, rank: 1, name_vi: Thấp}",                                      /* 9 */
	"states:",                                                                     /* 10 */
	"  - {code: open, step: 1, initial: true, name_vi: Mở}",                       /* 11 */
	"  - {code: done, step: 2, final: true, name_vi: Xong}",                       /* 12 */
	"transitions:",                                                                /* 13 */
	"  - {action: finish, from: open, to: done, name_vi: Xong, by: owner, roles: [officer]}",
};
#define MINI_LINES (sizeof mini_lines / sizeof mini_lines[0])

static char textbuf[1 << 16];

/* The mini preset with line n (1-based) replaced by repl (NULL: unchanged) and tail added. */
static const char *mini_with(size_t n, const char *repl, const char *tail)
{
	size_t off = 0;

	textbuf[0] = '\0';
	for (size_t i = 0; i < MINI_LINES; i++) {
		const char *l = i + 1 == n && repl != NULL ? repl : mini_lines[i];
		int w = snprintf(textbuf + off, sizeof textbuf - off, "%s\n", l);

		assert_true(w > 0 && (size_t)w < sizeof textbuf - off);
		off += (size_t)w;
	}
	if (tail != NULL) {
		int w = snprintf(textbuf + off, sizeof textbuf - off, "%s", tail);

		assert_true(w >= 0 && (size_t)w < sizeof textbuf - off);
	}
	return textbuf;
}

/* ---- the national base ------------------------------------------------------------------- */

static void test_national_counts(void **state)
{
	struct preset *p = parse_national();

	(void)state;
	assert_string_equal(p->name, "national");
	assert_string_equal(p->lead_role, "coordinator");
	assert_string_equal(p->extends, "");
	assert_non_null(strstr(p->title, "ứng cứu sự cố"));
	assert_true(p->title_en[0] != '\0');
	assert_int_equal(p->ngroups, 4);
	assert_int_equal(p->ntypes, 15);
	assert_int_equal(p->nseverities, 5);
	assert_int_equal(p->nstates, 6);
	assert_int_equal(p->ntransitions, 7);
	assert_int_equal(p->nforms, 3);
	assert_int_equal(p->nclocks, 3);
	assert_int_equal(p->nflags, 4); /* with `unverified` (reports by e-mail, docs/mail.md) */
	assert_int_equal(p->nescalations, 6); /* with warning_unanswered (docs/warnings.md) and the
					       * two reminders of a report deadline run out */
	assert_int_equal(p->reminders.nbefore, 2); /* 7 and 1 days before, docs/presets.md */
	assert_int_equal(p->nnotify_required, 2);
	assert_int_equal(p->nduties, 3);
	assert_int_equal(p->nchain, 1);
	assert_string_equal(p->chain[0], "national");
	preset_free(p);
}

static void test_national_taxonomy(void **state)
{
	struct preset *p = parse_national();
	static const char *const attack[] = {"ddos",        "phishing",   "malware",
					     "intrusion",   "defacement", "ransomware",
					     "destruction", "data_theft", "other_attack"};
	static const char *const sev[] = {"low", "medium", "high", "serious", "critical"};
	static const char *const sev_vi[] = {"Thấp", "Trung bình", "Cao", "Nghiêm trọng",
					     "Đặc biệt nghiêm trọng"};

	(void)state;
	assert_string_equal(preset_group(p, "attack")->name_vi, "Tấn công mạng");
	assert_string_equal(preset_group(p, "fault")->name_vi,
			    "Sự cố do lỗi của hệ thống, thiết bị, phần mềm, hạ tầng kỹ thuật");
	assert_string_equal(preset_group(p, "operator_error")->name_vi,
			    "Sự cố do lỗi của người quản trị, vận hành hệ thống");
	assert_string_equal(preset_group(p, "disaster")->name_vi,
			    "Sự cố liên quan đến các thảm họa tự nhiên");
	assert_null(preset_group(p, "ddos"));
	for (size_t i = 0; i < sizeof attack / sizeof attack[0]; i++) {
		const struct preset_item *t = preset_type(p, attack[i]);

		assert_non_null(t);
		assert_string_equal(t->parent, "attack");
		assert_true(t->name_vi[0] != '\0' && t->name_en[0] != '\0' && t->source[0] != '\0');
	}
	assert_string_equal(preset_type(p, "ransomware")->name_vi,
			    "Tấn công mã hóa phần mềm, dữ liệu, thiết bị");
	assert_string_equal(preset_type(p, "system_fault")->parent, "fault");
	assert_string_equal(preset_type(p, "operator_error")->parent, "operator_error");
	assert_string_equal(preset_type(p, "storm")->parent, "disaster");
	assert_string_equal(preset_type(p, "flood")->parent, "disaster");
	assert_string_equal(preset_type(p, "earthquake")->parent, "disaster");
	assert_string_equal(preset_type(p, "fire")->name_vi, "Hỏa hoạn");
	assert_null(preset_type(p, "attack"));
	for (size_t i = 0; i < 5; i++) {
		const struct preset_item *s = preset_severity(p, sev[i]);

		assert_non_null(s);
		assert_int_equal(s->rank, (int)i + 1);
		assert_string_equal(s->name_vi, sev_vi[i]);
		assert_true(s->desc_vi[0] != '\0' && s->desc_en[0] != '\0');
		assert_ptr_equal(s, &p->severities[i]); /* lowest first */
	}
	assert_non_null(strstr(preset_severity(p, "critical")->desc_vi, "trật tự an toàn xã hội"));
	preset_free(p);
}

static void test_national_procedure(void **state)
{
	struct preset *p = parse_national();
	const struct preset_transition *t;
	static const struct {
		const char *code;
		int step;
	} st[] = {{"new", 1},      {"internal", 2}, {"reported", 3},
		  {"coordinated", 4}, {"resolved", 5}, {"closed", 5}};

	(void)state;
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
		assert_non_null(preset_state(p, st[i].code));
		assert_int_equal(preset_state(p, st[i].code)->rank, st[i].step);
	}
	assert_string_equal(preset_initial_state(p)->code, "new");
	assert_string_equal(preset_state(p, "new")->name_vi, "Tiếp nhận, phân loại");
	assert_true(preset_state(p, "closed")->final);
	assert_false(preset_state(p, "resolved")->final);

	t = preset_transition(p, "new", "handle_internally");
	assert_non_null(t);
	assert_string_equal(t->to, "internal");
	assert_int_equal(t->by, PRESET_BY_OWNER);
	assert_int_equal(t->roles, ROLE_OFFICER | ROLE_LEADER);
	assert_string_equal(t->when, "!central_hosted");

	t = preset_transition(p, "new", "report");
	assert_non_null(t);
	assert_string_equal(t->to, "reported");
	assert_int_equal(t->roles, ROLE_REPORTER | ROLE_OFFICER | ROLE_LEADER);
	assert_string_equal(t->when, "");
	assert_string_equal(t->requires, "");

	t = preset_transition(p, "internal", "close_internal");
	assert_non_null(t);
	assert_string_equal(t->to, "closed");
	assert_string_equal(t->requires, "record");

	t = preset_transition(p, "internal", "escalate");
	assert_non_null(t);
	assert_string_equal(t->to, "reported");

	t = preset_transition(p, "reported", "accept");
	assert_non_null(t);
	assert_string_equal(t->to, "coordinated");
	assert_int_equal(t->by, PRESET_BY_COORDINATOR);
	assert_int_equal(t->roles, ROLE_OPERATOR | ROLE_LEADER);

	t = preset_transition(p, "coordinated", "resolve");
	assert_non_null(t);
	assert_int_equal(t->by, PRESET_BY_EITHER);
	assert_int_equal(t->roles, ROLE_OFFICER | ROLE_LEADER | ROLE_OPERATOR);

	t = preset_transition(p, "resolved", "close");
	assert_non_null(t);
	assert_string_equal(t->to, "closed");
	assert_string_equal(t->requires, "closing");
	assert_true(t->source[0] != '\0');

	assert_null(preset_transition(p, "new", "close"));
	assert_null(preset_transition(p, "closed", "report"));
	assert_null(preset_transition(p, "nowhere", "report"));
	preset_free(p);
}

static void test_national_forms(void **state)
{
	struct preset *p = parse_national();
	const struct preset_form *f = preset_form(p, "report");
	const struct preset_field *fd;
	static const char *const required[] = {
		"org_name",    "org_address", "org_phone",      "org_email",
		"contact_name", "contact_phone", "contact_email", "operator_unit",
		"description", "detected_at", "current_status", "detection_method",
		"reported_to", "reported_at",
	};
	size_t nreq = 0;

	(void)state;
	assert_non_null(f);
	assert_string_equal(f->subject_prefix, "[TBSC]");
	assert_non_null(strstr(f->source, "Mẫu 03"));
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		fd = preset_form_field(f, required[i]);
		assert_non_null(fd);
		assert_true(fd->required);
	}
	for (size_t i = 0; i < f->nfields; i++)
		nreq += f->fields[i].required;
	assert_int_equal(nreq, sizeof required / sizeof required[0]);
	assert_string_equal(f->fields[0].name, "org_name"); /* paper order */
	assert_int_equal(preset_form_field(f, "org_email")->type, PRESET_FIELD_EMAIL);
	assert_int_equal(preset_form_field(f, "org_email")->maxlen, 254);
	assert_int_equal(preset_form_field(f, "contact_name")->maxlen, 200);
	assert_int_equal(preset_form_field(f, "detected_at")->type, PRESET_FIELD_DATETIME);
	assert_int_equal(preset_form_field(f, "keep_secret")->type, PRESET_FIELD_BOOL);
	assert_int_equal(preset_form_field(f, "keep_secret")->maxlen, 0);
	assert_false(preset_form_field(f, "contact_position")->required);
	fd = preset_form_field(f, "security_level");
	assert_int_equal(fd->type, PRESET_FIELD_SELECT);
	assert_int_equal(fd->noptions, 5);
	assert_string_equal(fd->options[0].value, "1");
	assert_string_equal(fd->options[4].value, "5");
	assert_string_equal(fd->section, "system");
	assert_null(preset_form_field(f, "nope"));
	assert_string_equal(preset_field_type_name(PRESET_FIELD_TEXTAREA), "textarea");

	f = preset_form(p, "closing");
	assert_non_null(f);
	assert_true(preset_form_field(f, "operator_unit")->required);
	assert_true(preset_form_field(f, "detected_at")->required);
	assert_false(preset_form_field(f, "resolution")->required);

	f = preset_form(p, "record");
	assert_non_null(f);
	assert_int_equal(f->nsections, 0);
	assert_true(preset_form_field(f, "what_happened")->required);
	assert_true(preset_form_field(f, "participants")->required);
	assert_null(preset_form(p, "nope"));
	preset_free(p);
}

static void test_national_clocks(void **state)
{
	struct preset *p = parse_national();
	const struct preset_clock *c = preset_clock(p, "report_coordinator");

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->within, 5 * 86400);
	assert_int_equal(c->target, ORG_COORDINATOR);
	assert_string_equal(c->start, "detected");
	assert_true(preset_clock_applies(p, c, "low"));
	assert_true(preset_clock_applies(p, c, NULL));

	c = preset_clock(p, "report_national");
	assert_non_null(c);
	assert_int_equal(c->target, ORG_NATIONAL);
	assert_int_equal(c->within, 5 * 86400);

	c = preset_clock(p, "report_urgent");
	assert_non_null(c);
	assert_int_equal(c->within, 0);
	assert_string_equal(c->min_severity, "serious");
	assert_false(preset_clock_applies(p, c, "high"));
	assert_true(preset_clock_applies(p, c, "serious"));
	assert_true(preset_clock_applies(p, c, "critical"));
	assert_false(preset_clock_applies(p, c, ""));
	assert_false(preset_clock_applies(p, c, "bogus"));
	assert_null(preset_clock(p, "nope"));
	preset_free(p);
}

static void test_within(void **state)
{
	int64_t v = -1;

	(void)state;
	assert_int_equal(preset_parse_within("5d", &v), 0);
	assert_int_equal(v, 432000);
	assert_int_equal(preset_parse_within("24h", &v), 0);
	assert_int_equal(v, 86400);
	assert_int_equal(preset_parse_within("30m", &v), 0);
	assert_int_equal(v, 1800);
	assert_int_equal(preset_parse_within("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(preset_parse_within("366d", &v), 0);
	assert_int_equal(preset_parse_within("367d", &v), -1);
	assert_int_equal(preset_parse_within("5", &v), -1);
	assert_int_equal(preset_parse_within("d", &v), -1);
	assert_int_equal(preset_parse_within("-1d", &v), -1);
	assert_int_equal(preset_parse_within("5s", &v), -1);
	assert_int_equal(preset_parse_within("5 d", &v), -1);
	assert_int_equal(preset_parse_within("", &v), -1);
	assert_int_equal(preset_parse_within("99999999999999999999d", &v), -1);
}

/* ---- extends ----------------------------------------------------------------------------- */

static const char child_text[] =
	"name: hue\n"                                                                   /* 1 */
	"extends: national\n"                                                           /* 2 */
	"title: Quy chế phối hợp ứng cứu sự cố, tỉnh Thừa Thiên Huế\n"                  /* 3 */
	"source: QĐ 2711/QĐ-UBND\n"                                                     /* 4 */
	"remove:\n"                                                                     /* 5 */
	"  types: [earthquake]\n"                                                       /* 6 */
	"severities:\n"                                                                 /* 7 */
	"  - {code: high, rank: 3, name_vi: Cao (tỉnh), name_en: High (province)}\n"    /* 8 */
	"states:\n"                                                                     /* 9 */
	"  - {code: police, step: 4, name_vi: Chuyển Công an tỉnh, name_en: With police}\n"
	"transitions:\n"                                                                /* 11 */
	"  - {action: to_police, from: coordinated, to: police, name_vi: Chuyển Công an,\n"
	"     by: coordinator, roles: [operator, leader], source: 000 Đ7.1e}\n"
	"  - {action: report, from: new, to: reported, name_vi: Báo cáo Sở,\n"           /* 14 */
	"     by: owner, roles: [officer]}\n";

static void test_child_extends(void **state)
{
	struct srcs s = {(const struct src[]){{"hue", child_text}}, 1};
	struct preset *p = NULL;
	struct preset_err e;
	const struct preset_item *it;
	const struct preset_transition *t;
	int rc = preset_parse("hue", child_text, strlen(child_text), resolve, &s, &p, &e);

	(void)state;
	if (rc != 0)
		print_error("%s:%d: %s\n", e.file, e.line, e.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(p->name, "hue");
	assert_string_equal(p->extends, "national");
	assert_int_equal(p->nchain, 2);
	assert_string_equal(p->chain[0], "hue");
	assert_string_equal(p->chain[1], "national");
	assert_non_null(strstr(p->title, "Thừa Thiên Huế"));
	assert_string_equal(p->title_en, ""); /* the child's title came without an English one */
	assert_string_equal(p->source, "QĐ 2711/QĐ-UBND");
	assert_string_equal(p->lead_role, "coordinator"); /* inherited */

	/* override in place: same position, new name, defined in the child */
	assert_int_equal(p->nseverities, 5);
	it = preset_severity(p, "high");
	assert_ptr_equal(it, &p->severities[2]);
	assert_string_equal(it->name_vi, "Cao (tỉnh)");
	assert_string_equal(p->chain[it->origin], "hue");
	assert_int_equal(it->line, 8);
	it = preset_severity(p, "low");
	assert_string_equal(it->name_vi, "Thấp");
	assert_string_equal(p->chain[it->origin], "national");

	/* a state added at the end, the old ones kept */
	assert_int_equal(p->nstates, 7);
	assert_string_equal(p->states[6].code, "police");
	assert_int_equal(preset_state(p, "police")->rank, 4);
	assert_string_equal(preset_initial_state(p)->code, "new");

	/* removal, and everything else inherited */
	assert_null(preset_type(p, "earthquake"));
	assert_int_equal(p->ntypes, 14);
	assert_non_null(preset_type(p, "flood"));
	assert_int_equal(p->nforms, 3);
	assert_int_equal(p->nclocks, 3);

	/* transitions: one added, one replaced (same action and from) */
	assert_int_equal(p->ntransitions, 8);
	t = preset_transition(p, "coordinated", "to_police");
	assert_non_null(t);
	assert_string_equal(t->to, "police");
	t = preset_transition(p, "new", "report");
	assert_int_equal(t->roles, ROLE_OFFICER);
	assert_int_equal(t->line, 14);
	assert_ptr_equal(t, &p->transitions[1]);
	preset_free(p);
}

static void test_child_errors(void **state)
{
	static const char bad_group[] = "name: c\nextends: national\ntypes:\n"
					"  - {code: worm, group: worms, name_vi: Sâu}\n";
	static const char bad_remove[] = "name: c\nextends: national\nremove:\n"
					 "  states: [new]\n  types:\n    - ddos\n    - tsunami\n";
	static const char orphan[] = "name: c\nextends: national\nremove:\n  groups: [disaster]\n";
	static const char two_initial[] = "name: c\nextends: national\nstates:\n"
					  "  - {code: draft, step: 1, initial: true, name_vi: Nháp}\n";
	static const char no_parent[] = "name: c\ntitle: C\nextends: ghost\n";
	static const char rm_alone[] = "name: c\ntitle: T\nlead_role: police\nremove:\n"
				       "  types: [ddos]\n";
	static const char dup_in_child[] = "name: c\nextends: national\ngroups:\n"
					   "  - {code: extra, name_vi: A}\n"
					   "  - {code: extra, name_vi: B}\n";
	struct srcs s = {NULL, 0};

	(void)state;
	expect_err_in("c", bad_group, strlen(bad_group), &s, "c", 4,
		      "type 'worm': group 'worms' does not exist");
	expect_err_in("c", bad_remove, strlen(bad_remove), &s, "c", 7,
		      "remove: types of 'national' has no 'tsunami'");
	/* the error is in the parent's item, left dangling by the child's removal */
	expect_err_in("c", orphan, strlen(orphan), &s, "national", line_of(national, "code: storm"),
		      "type 'storm': group 'disaster' does not exist");
	expect_err_in("c", two_initial, strlen(two_initial), &s, "c", 4, "second initial state");
	expect_err_in("c", no_parent, strlen(no_parent), &s, "c", 3, "unknown preset 'ghost'");
	expect_err_in("c", rm_alone, strlen(rm_alone), &s, "c", 5,
		      "only a preset that extends another may remove");
	expect_err_in("c", dup_in_child, strlen(dup_in_child), &s, "c", 5,
		      "'extra' given twice (first at line 4)");
}

static void test_extends_cycle_and_depth(void **state)
{
	static const struct src cyc[] = {
		{"a", "name: a\nextends: b\n"},
		{"b", "name: b\n\nextends: a\n"},
	};
	static const struct src self[] = {{"a", "extends: a\n"}};
	static const struct src deep[] = {
		{"p0", "extends: p1\n"},
		{"p1", "extends: p2\n"},
		{"p2", "extends: p3\n"},
		{"p3", "extends: p4\n"},
		{"p4", "extends: national\n"},
	};
	struct srcs s = {cyc, 2};
	struct srcs s3 = {deep + 2, 3};
	struct preset *p = NULL;
	struct preset_err e;

	(void)state;
	expect_err_in("a", cyc[0].text, strlen(cyc[0].text), &s, "b", 3, "cycle a -> b -> a");
	s = (struct srcs){self, 1};
	expect_err_in("a", self[0].text, strlen(self[0].text), &s, "a", 1, "cycle a -> a");
	s = (struct srcs){deep, 5};
	expect_err_in("p0", deep[0].text, strlen(deep[0].text), &s, "p3", 1,
		      "more than 4 presets");
	/* p2 -> p3 -> p4 -> national is 4 presets: allowed */
	assert_int_equal(preset_parse("p2", deep[2].text, strlen(deep[2].text), resolve, &s3, &p,
				      &e),
			 0);
	assert_int_equal(p->nchain, 4);
	assert_string_equal(p->chain[3], "national");
	assert_int_equal(p->ngroups, 4);
	preset_free(p);
	/* no resolver at all */
	assert_int_equal(preset_parse("a", "extends: national\n", 18, NULL, NULL, &p, &e), -1);
	assert_null(p);
	assert_non_null(strstr(e.msg, "unknown preset 'national'"));
}

/* ---- errors, one per kind ---------------------------------------------------------------- */

static void test_mini_is_valid(void **state)
{
	struct preset *p = NULL;
	struct preset_err e;
	const char *t = mini_with(0, NULL, NULL);

	(void)state;
	assert_int_equal(preset_parse("mini", t, strlen(t), NULL, NULL, &p, &e), 0);
	assert_int_equal(p->nstates, 2);
	assert_int_equal(p->nforms, 0);
	preset_free(p);
	/* a clock written when clocks stopped at a step (presets stored by data folders made before
	 * migration 015) still loads: stop_step and stop_state are read and have no effect, the
	 * clock is met by telling its target */
	t = mini_with(0, NULL,
		      "clocks:\n"
		      "  - {code: c, name_vi: C, within: 5d, target: national, stop_step: 9}\n"
		      "  - {code: d, name_vi: D, within: 1d, target: police, stop_state: gone}\n");
	assert_int_equal(preset_parse("mini", t, strlen(t), NULL, NULL, &p, &e), 0);
	assert_int_equal(p->nclocks, 2);
	assert_int_equal(preset_clock(p, "c")->target, ORG_NATIONAL);
	assert_int_equal(preset_clock(p, "d")->target, ORG_POLICE);
	preset_free(p);
}

static void test_err_unknown_key(void **state)
{
	(void)state;
	expect_err(mini_with(1, "name: mini\ncolour: red", NULL), 2, "preset: unknown key 'colour'");
	expect_err(mini_with(5, "  - {code: g1, name_vi: Nhóm 1, colour: red}", NULL), 5,
		   "groups item 1: unknown key 'colour'");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner,\n"
				 "     roles: [officer], actor: me}",
			     NULL),
		   15, "unknown key 'actor'");
	expect_err(mini_with(0, NULL, "remove:\n  people: [x]\n"), 16, "unknown key 'people'");
	expect_err(mini_with(2, "title: A\ntitle: B", NULL), 3, "key 'title' given twice");
}

static void test_err_wrong_type(void **state)
{
	(void)state;
	expect_err(mini_with(5, "  - {code: g1, name_vi: Nhóm 1}\nclocks: attack", NULL), 6,
		   "'clocks' must be a list, not a single value");
	expect_err(mini_with(2, "title: [a, b]", NULL), 2, "'title' must be a single value, not a list");
	expect_err(mini_with(9, "  - {code: s1, rank: high, name_vi: Thấp}", NULL), 9,
		   "'rank' must be a whole number from 1 to 100");
	expect_err(mini_with(9, "  - {code: s1, rank: 101, name_vi: Thấp}", NULL), 9,
		   "'rank' must be a whole number");
	expect_err(mini_with(11, "  - {code: open, step: 1, initial: yes, name_vi: Mở}", NULL), 11,
		   "'initial' must be true or false");
	expect_err(mini_with(5, "  - just a string", NULL), 5,
		   "groups item 1: must be a mapping (key: value), not a single value");
	expect_err("- a\n- b\n", 1, "preset: must be a mapping");
	expect_err(mini_with(5, "  - {code: Nhóm, name_vi: Nhóm 1}", NULL), 5,
		   "'code' is 'Nhóm', not a code");
	expect_err(mini_with(3, "lead_role: boss", NULL), 3, "'boss' is not an organisation role");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: anyone, "
				 "roles: [officer]}",
			     NULL),
		   14, "'by' is 'anyone', not owner, coordinator or either");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner, "
				 "roles: [officer], when: sunny}",
			     NULL),
		   14, "'when' is 'sunny', not a known condition");
}

static void test_err_missing_key(void **state)
{
	(void)state;
	expect_err(mini_with(7, "  - {code: t1, name_vi: Loại 1}", NULL), 7,
		   "types item 1: missing required key 'group'");
	expect_err(mini_with(7, "  - code: t1\n    name_vi: Loại 1", NULL), 7,
		   "missing required key 'group'");
	expect_err(mini_with(2, "# no title", NULL), 1, "missing required key 'title'");
	expect_err(mini_with(5, "  - {code: g1, name_vi: ''}", NULL), 5,
		   "'name_vi' must not be empty");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner}",
			     NULL),
		   14, "missing required key 'roles'");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner, "
				 "roles: []}",
			     NULL),
		   14, "'roles' must name at least one role");
}

static void test_err_unknown_reference(void **state)
{
	(void)state;
	expect_err(mini_with(7, "  - {code: t1, group: nope, name_vi: Loại 1}", NULL), 7,
		   "type 't1': group 'nope' does not exist");
	expect_err(mini_with(14, "  - {action: a, from: open, to: nowhere, name_vi: X, by: owner, "
				 "roles: [officer]}",
			     NULL),
		   14, "transition 'a': state 'nowhere' in 'to' does not exist");
	expect_err(mini_with(14, "  - {action: a, from: limbo, to: done, name_vi: X, by: owner, "
				 "roles: [officer]}",
			     NULL),
		   14, "state 'limbo' in 'from' does not exist");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner,\n"
				 "     roles: [officer,\n             chief]}",
			     NULL),
		   16, "unknown role 'chief'");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner, "
				 "roles: [officer], requires: closing}",
			     NULL),
		   14, "form 'closing' in 'requires' does not exist");
	expect_err(mini_with(0, NULL,
			     "clocks:\n"
			     "  - {code: c, name_vi: C, within: 5d, target: coordinator,\n"
			     "     stop_step: 2, min_severity: huge}\n"),
		   16, "clock 'c': severity 'huge' in 'min_severity' does not exist");
	expect_err(mini_with(0, NULL,
			     "clocks:\n"
			     "  - {code: c, name_vi: C, within: 5d, target: mayor, stop_step: 2}\n"),
		   16, "'target' is 'mayor', not an organisation role");
}

static void test_err_duplicate(void **state)
{
	(void)state;
	expect_err(mini_with(5, "  - {code: g1, name_vi: Nhóm 1}\n  - {code: g1, name_vi: Lại}", NULL),
		   6, "groups: 'g1' given twice (first at line 5)");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner, "
				 "roles: [officer]}\n"
				 "  - {action: a, from: open, to: open, name_vi: Y, by: owner, "
				 "roles: [officer]}",
			     NULL),
		   15, "transitions: 'a' given twice");
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: Thấp}\n"
				"  - {code: s2, rank: 1, name_vi: Cũng thấp}",
			     NULL),
		   10, "severity 's2': rank 1 is already used by 's1'");
	expect_err(mini_with(14, "  - {action: a, from: open, to: done, name_vi: X, by: owner, "
				 "roles: [officer, officer]}",
			     NULL),
		   14, "role 'officer' listed twice");
}

static void test_err_too_long(void **state)
{
	static char big[PRESET_MAX_ITEMS * 40 + 256];
	char line[600];
	size_t off;

	(void)state;
	/* a list one longer than the cap */
	off = (size_t)snprintf(big, sizeof big, "name: mini\ntitle: T\nlead_role: police\ngroups:\n");
	for (int i = 0; i <= PRESET_MAX_ITEMS; i++)
		off += (size_t)snprintf(big + off, sizeof big - off,
					"  - {code: g%d, name_vi: N}\n", i);
	expect_err(big, 5, "'groups' has 257 entries, at most 256 allowed");

	/* a string one byte longer than its field */
	memset(line, 0, sizeof line);
	memcpy(line, "  - {code: g1, name_vi: ", 24);
	memset(line + 24, 'a', PRESET_NAME);
	memcpy(line + 24 + PRESET_NAME, "}", 1);
	expect_err(mini_with(5, line, NULL), 5, "'name_vi' is 256 bytes long, at most 255 allowed");
	memset(line, 0, sizeof line);
	memcpy(line, "  - {name_vi: x, code: ", 23);
	memset(line + 23, 'g', PRESET_CODE);
	memcpy(line + 23 + PRESET_CODE, "}", 1);
	expect_err(mini_with(5, line, NULL), 5, "'code' is 48 bytes long, at most 47 allowed");

	/* the whole text */
	{
		size_t n = PRESET_MAX_TEXT + 1;
		char *t = malloc(n);

		assert_non_null(t);
		memset(t, '#', n);
		expect_err_in("mini", t, n, NULL, "mini", 0, "at most 262144 allowed");
		free(t);
	}
}

static void test_err_initial_states(void **state)
{
	(void)state;
	expect_err(mini_with(11, "  - {code: open, step: 1, name_vi: Mở}", NULL), 11,
		   "states: no initial state");
	expect_err(mini_with(12, "  - {code: done, step: 2, final: true, initial: true, name_vi: X}",
			     NULL),
		   12, "cannot be both initial and final");
	expect_err(mini_with(12, "  - {code: done, step: 2, final: true, name_vi: Xong}\n"
				 "  - {code: again, step: 1, initial: true, name_vi: Lại}",
			     NULL),
		   13, "state 'again': a second initial state ('open' is one already)");
	expect_err(mini_with(12, "  - {code: done, step: 2, name_vi: Xong}", NULL), 11,
		   "states: no final state");
	expect_err("name: mini\ntitle: T\nlead_role: police\n", 1, "missing required key 'states'");
}

static void test_err_text(void **state)
{
	static const char nul[] = "name: mini\ntitle: A\0B\n";
	const char *t;

	(void)state;
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: Th\xff}", NULL), 9,
		   "not valid UTF-8");
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: Th\xc3}", NULL), 9,
		   "not valid UTF-8");
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: \xed\xa0\x80}", NULL), 9,
		   "not valid UTF-8"); /* a UTF-16 surrogate */
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: a\x01}", NULL), 9,
		   "control character");
	expect_err_in("mini", nul, sizeof nul - 1, NULL, "mini", 2, "not valid UTF-8");
	/* escapes in double quotes cannot smuggle control characters in either */
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: \"a\\0b\"}", NULL), 9,
		   "'name_vi' is not valid UTF-8 text");
	expect_err(mini_with(9, "  - {code: s1, rank: 1, name_vi: \"a\\x07b\"}", NULL), 9,
		   "'name_vi' is not valid UTF-8 text");
	/* YAML syntax */
	expect_err(mini_with(9, "  - code: s1: x", NULL), 9, "YAML syntax");
	expect_err(mini_with(9, "\t- {code: s1, rank: 1, name_vi: Thấp}", NULL), 9, "YAML syntax");
	t = mini_with(0, NULL, "---\nname: mini\n");
	expect_err(t, 15, "only one YAML document");
	expect_err("", 1, "the preset is empty");
	expect_err("# nothing but a comment\n", 1, "the preset is empty");
	expect_err(mini_with(2, "title: &t Mini", NULL), 2, "anchors (&name) are not allowed");
	expect_err(mini_with(2, "title: *t", NULL), 2, "aliases (*name) are not allowed");
	expect_err(mini_with(5, "  - {code: g1, name_vi: [[[[[[[[x]]]]]]]]}", NULL), 5,
		   "nested deeper than 8 levels");
	expect_err(mini_with(1, "name: other", NULL), 1, "the file says 'other' but was loaded as 'mini'");
	expect_err_in("Bad Name", "a: 1\n", 5, NULL, "Bad Name", 0,
		      "the preset name must be a code");
}

static void test_err_forms_and_clocks(void **state)
{
	(void)state;
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: select}\n"),
		   19, "fields item 1: a select field needs 'options'");
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: text, options: [x]}\n"),
		   19, "'options' is only for a select field");
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: bool, maxlen: 3}\n"),
		   19, "'maxlen' does not apply to a bool field");
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: colour}\n"),
		   19, "'type' is 'colour', not one of text");
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    sections: [{code: s, name_vi: S}]\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: text, section: s}\n"
			     "      - {name: b, label_vi: B, type: text, section: t}\n"),
		   21, "field 'b': section 't' does not exist");
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: select, options: [x, y, x]}\n"),
		   19, "option 'x' given twice");
	expect_err(mini_with(0, NULL,
			     "forms:\n"
			     "  - code: f\n"
			     "    name_vi: F\n"
			     "    fields:\n"
			     "      - {name: a, label_vi: A, type: text}\n"
			     "      - {name: a, label_vi: B, type: int}\n"),
		   20, "fields: 'a' given twice (first at line 19)");
	expect_err(mini_with(0, NULL, "forms:\n  - {code: f, name_vi: F, fields: []}\n"), 16,
		   "a form needs at least one field");
	expect_err(mini_with(0, NULL,
			     "clocks:\n"
			     "  - {code: c, name_vi: C, within: 5y, target: coordinator, stop_step: 1}\n"),
		   16, "'within' is '5y', not a duration");
	expect_err(mini_with(0, NULL, "clocks:\n  - {code: c, name_vi: C, within: 1d}\n"), 16,
		   "'target'");
	expect_err(mini_with(0, NULL,
			     "clocks:\n"
			     "  - {code: c, name_vi: C, within: 1d, target: police, stop_step: 1,\n"
			     "     start: reported}\n"),
		   17, "'start' is 'reported', not 'detected'");
}

static void test_merge_limit(void **state)
{
	static char parent[PRESET_MAX_ITEMS * 40 + 512];
	static const char child[] = "extends: full\ngroups:\n  - {code: one_more, name_vi: X}\n";
	struct src v[] = {{"full", parent}};
	struct srcs s = {v, 1};
	size_t off;

	(void)state;
	off = (size_t)snprintf(parent, sizeof parent,
			       "title: T\nlead_role: police\n"
			       "states: [{code: a, step: 1, initial: true, final: false, name_vi: A},"
			       " {code: b, step: 2, final: true, name_vi: B}]\ngroups:\n");
	for (int i = 0; i < PRESET_MAX_ITEMS; i++)
		off += (size_t)snprintf(parent + off, sizeof parent - off,
					"  - {code: g%d, name_vi: N}\n", i);
	expect_err_in("c", child, strlen(child), &s, "c", 3,
		      "groups: more than 256 entries once merged with 'full'");
}

/* Every prefix and many one-byte mutations of national.yaml either parse or fail with a
 * message; under ASan/UBSan this is a small, deterministic fuzz run. */
static void test_mangled_input(void **state)
{
	char *t = malloc(national_len);
	uint32_t seed = 12345;

	(void)state;
	assert_non_null(t);
	for (size_t n = 0; n < national_len; n += 61) {
		struct preset *p = NULL;
		struct preset_err e;

		if (preset_parse("national", national, n, NULL, NULL, &p, &e) != 0)
			assert_true(e.msg[0] != '\0');
		preset_free(p);
	}
	for (int i = 0; i < 600; i++) {
		struct preset *p = NULL;
		struct preset_err e;
		static const char junk[] = "\0\t\n :-[]{}&*!|>'\"#%@`,?\xc3\xff";

		memcpy(t, national, national_len);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			t[(seed >> 8) % national_len] = junk[(seed >> 20) % (sizeof junk - 1)];
		}
		if (preset_parse("national", t, national_len, NULL, NULL, &p, &e) != 0)
			assert_true(e.msg[0] != '\0');
		else
			assert_non_null(preset_initial_state(p));
		preset_free(p);
	}
	free(t);
}

/* ---- the national base: flags, escalations, duties ---------------------------------------- */

#define TGT(r) (1u << (r))

static void test_national_rules(void **state)
{
	struct preset *p = parse_national();
	const struct preset_escalation *e;
	const struct preset_duty *d;

	(void)state;
	assert_string_equal(preset_flag(p, "beyond_capacity")->name_vi, "Vượt quá khả năng xử lý");
	assert_string_equal(preset_flag(p, "violation_of_law")->name_vi,
			    "Có dấu hiệu vi phạm pháp luật");
	assert_string_equal(preset_flag(p, "unresolved")->name_vi, "Chưa khắc phục được");
	for (size_t i = 0; i < p->nflags; i++)
		assert_true(p->flags[i].source[0] != '\0' && p->flags[i].name_en[0] != '\0');
	assert_null(preset_flag(p, "nope"));

	e = preset_escalation(p, "serious_at_once");
	assert_non_null(e);
	assert_int_equal(e->trigger, PRESET_TRIGGER_STATE);
	assert_int_equal(e->step, 1);
	assert_string_equal(e->state, "");
	assert_string_equal(e->min_severity, "serious");
	assert_int_equal(e->action, PRESET_ESC_NOTIFY);
	assert_int_equal(e->targets, TGT(ORG_COORDINATOR) | PRESET_TARGET_SUPERIOR);
	assert_non_null(strstr(e->source, "QĐ 05/2017/QĐ-TTg"));
	e = preset_escalation(p, "beyond_capacity_at_once");
	assert_int_equal(e->trigger, PRESET_TRIGGER_FLAG);
	assert_string_equal(e->flag, "beyond_capacity");
	assert_int_equal(e->targets, TGT(ORG_COORDINATOR) | PRESET_TARGET_SUPERIOR);
	e = preset_escalation(p, "request_overdue");
	assert_int_equal(e->trigger, PRESET_TRIGGER_REQUEST);
	assert_int_equal(e->after, 0);
	assert_int_equal(e->targets, TGT(ORG_COORDINATOR));
	assert_string_equal(e->request_kind, "");
	assert_null(preset_escalation(p, "nope"));

	d = preset_duty(p, "summary_report");
	assert_non_null(d);
	assert_int_equal(d->who, PRESET_DUTY_ALL);
	assert_int_equal(d->every_months, 6);
	assert_int_equal(d->ndates, 2);
	assert_int_equal(d->dates[0][0], 20);
	assert_int_equal(d->dates[0][1], 6);
	assert_int_equal(d->dates[1][0], 15);
	assert_int_equal(d->dates[1][1], 12);
	assert_non_null(strstr(d->source, "TT 20/2017/TT-BTTTT"));
	assert_non_null(strstr(d->source, "Mẫu 05"));
	assert_false(d->per_system);
	d = preset_duty(p, "monitoring_report");
	assert_int_equal(d->who, PRESET_DUTY_SYSTEM_OWNER);
	assert_true(d->per_system); /* implied for a system duty */
	assert_int_equal(d->every_months, 6);
	assert_int_equal(d->ndates, 0);
	assert_non_null(strstr(d->source, "TT 31/2017/TT-BTTTT"));
	d = preset_duty(p, "contact_point");
	assert_int_equal(d->who, PRESET_DUTY_ALL);
	assert_int_equal(d->every_months, 12);
	assert_int_equal(d->first_due, 0);
	assert_string_equal(d->evidence, "");
	assert_null(preset_duty(p, "nope"));
	preset_free(p);
}

/* ---- the shipped presets, read from presets/ ----------------------------------------------- */

/* A resolver over presets/NAME.yaml; keeps the texts it read until files_free. */
struct files {
	char *text[8];
	size_t len[8];
	size_t n;
};

static int read_whole(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	int rc = -1;

	*text = NULL;
	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (*text = malloc((size_t)n + 1)) != NULL && fread(*text, 1, (size_t)n, f) == (size_t)n) {
		(*text)[n] = '\0';
		*len = (size_t)n;
		rc = 0;
	}
	fclose(f);
	if (rc != 0) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

static int resolve_file(void *ctx, const char *name, const char **text, size_t *len)
{
	struct files *fs = ctx;
	char path[128];
	int w = snprintf(path, sizeof path, "presets/%s.yaml", name);

	if (w < 0 || (size_t)w >= sizeof path || fs->n >= 8 ||
	    read_whole(path, &fs->text[fs->n], &fs->len[fs->n]) != 0)
		return -1;
	*text = fs->text[fs->n];
	*len = fs->len[fs->n];
	fs->n++;
	return 0;
}

static void files_free(struct files *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->text[i]);
	fs->n = 0;
}

/* Loads presets/NAME.yaml with its ancestors; fails the test on any error. */
static struct preset *load_preset(const char *name)
{
	struct files fs = {.n = 0};
	struct preset *p = NULL;
	struct preset_err e;
	const char *text;
	size_t len;
	int rc;

	assert_int_equal(resolve_file(&fs, name, &text, &len), 0);
	rc = preset_parse(name, text, len, resolve_file, &fs, &p, &e);
	if (rc != 0)
		print_error("%s.yaml: %s:%d: %s\n", name, e.file, e.line, e.msg);
	files_free(&fs);
	assert_int_equal(rc, 0);
	assert_non_null(p);
	return p;
}

static const struct {
	const char *name;
	const char *prefix; /* of every source the file itself gives a rule or duty */
	const char *number, *date; /* in the title */
} shipped[] = {
	{"tayson", "001 ", NULL, NULL},
	{"hue-2017", "000 ", "2711/QĐ-UBND", "17/11/2017"},
	{"bacgiang-2024", "002 ", "48/2024/QĐ-UBND", "30/12/2024"},
	{"quangnam-2022", "003 ", "15/CT-UBND", "09/11/2022"},
	{"hue-2019", "004 ", "5620/UBND-CT", "09/8/2019"},
};

static void test_presets_all_load(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof shipped / sizeof shipped[0]; k++) {
		struct preset *p = load_preset(shipped[k].name);
		size_t own = 0;

		assert_string_equal(p->name, shipped[k].name);
		assert_string_equal(p->extends, "national");
		assert_int_equal(p->nchain, 2);
		assert_string_equal(p->chain[1], "national");
		assert_true(p->title[0] != '\0' && p->title_en[0] != '\0' && p->source[0] != '\0');
		if (shipped[k].number != NULL) {
			assert_non_null(strstr(p->title, shipped[k].number));
			assert_non_null(strstr(p->title, shipped[k].date));
		}
		/* the national base is all there, then the seed's own rules */
		assert_int_equal(p->nstates, 6);
		assert_non_null(preset_duty(p, "summary_report"));
		assert_non_null(preset_escalation(p, "request_overdue"));
		for (size_t i = 0; i < p->nescalations; i++)
			if (p->escalations[i].origin == 0) {
				own++;
				assert_true(strncmp(p->escalations[i].source, shipped[k].prefix, 4) ==
					    0);
				assert_true(p->escalations[i].name_en[0] != '\0');
			}
		for (size_t i = 0; i < p->nduties; i++)
			if (p->duties[i].origin == 0) {
				own++;
				assert_true(strncmp(p->duties[i].source, shipped[k].prefix, 4) == 0);
				assert_true(p->duties[i].name_en[0] != '\0');
			}
		for (size_t i = 0; i < p->nflags; i++)
			if (p->flags[i].origin == 0)
				assert_true(strncmp(p->flags[i].source, shipped[k].prefix, 4) == 0);
		assert_true(own >= 5);
		preset_free(p);
	}
}

/* The escalation of p that trigger `flag` fires with action act, or NULL. */
static const struct preset_escalation *esc_on_flag(const struct preset *p, const char *flag,
						   enum preset_esc_action act)
{
	for (size_t i = 0; i < p->nescalations; i++)
		if (p->escalations[i].trigger == PRESET_TRIGGER_FLAG &&
		    strcmp(p->escalations[i].flag, flag) == 0 && p->escalations[i].action == act)
			return &p->escalations[i];
	return NULL;
}

static void test_preset_tayson(void **state)
{
	struct preset *p = load_preset("tayson");
	const struct preset_transition *t;
	const struct preset_escalation *e;
	const struct preset_duty *d;
	size_t nhandle = 0;

	(void)state;
	assert_string_equal(p->lead_role, "coordinator");
	/* the seed's words (Đ15.2); the severities of Đ15.3 are the national ones, unchanged */
	assert_string_equal(preset_group(p, "attack")->name_vi, "Sự cố do bị tấn công mạng");
	assert_non_null(strstr(preset_group(p, "disaster")->name_vi, "bão, lụt, động đất, hỏa hoạn"));
	assert_string_equal(p->chain[preset_severity(p, "serious")->origin], "national");
	assert_int_equal(p->ntypes, 15);

	/* step 1: internal handling only for a system the unit manages itself */
	for (size_t i = 0; i < p->ntransitions; i++)
		if (strcmp(p->transitions[i].action, "handle_internally") == 0) {
			nhandle++;
			assert_string_equal(p->transitions[i].when, "!central_hosted");
			assert_string_equal(p->transitions[i].to, "internal");
		}
	assert_int_equal(nhandle, 1);
	/* ... and the report (step 3) is reachable from new for every system (Đ15.4a, Đ15.5) */
	t = preset_transition(p, "new", "report");
	assert_non_null(t);
	assert_string_equal(t->to, "reported");
	assert_string_equal(t->when, "");
	assert_non_null(strstr(t->source, "001 Đ15.4a"));
	assert_string_equal(p->chain[t->origin], "tayson");
	t = preset_transition(p, "internal", "escalate");
	assert_string_equal(t->to, "reported");
	assert_string_equal(t->requires, "record");
	assert_string_equal(preset_transition(p, "resolved", "close")->requires, "closing");

	e = preset_escalation(p, "serious_at_once");
	assert_string_equal(e->source, "001 Đ15.5");
	assert_string_equal(p->chain[e->origin], "tayson");
	assert_int_equal(e->targets, PRESET_TARGET_SUPERIOR | TGT(ORG_COORDINATOR));
	assert_string_equal(e->min_severity, "serious");
	assert_non_null(preset_flag(p, "urgent"));
	e = esc_on_flag(p, "urgent", PRESET_ESC_NOTIFY);
	assert_non_null(e);
	assert_int_equal(e->targets, PRESET_TARGET_SUPERIOR | TGT(ORG_COORDINATOR));
	e = esc_on_flag(p, "beyond_capacity", PRESET_ESC_NOTIFY);
	assert_string_equal(e->source, "001 Đ15.5");
	e = preset_escalation(p, "closing_report");
	assert_int_equal(e->trigger, PRESET_TRIGGER_STATE);
	assert_string_equal(e->state, "resolved");
	assert_string_equal(e->source, "001 Đ15.4đ");

	d = preset_duty(p, "log_integrity");
	assert_int_equal(d->who, PRESET_DUTY_SYSTEM_OPERATOR);
	assert_int_equal(d->every_months, 6);
	assert_string_equal(d->source, "001 Đ11.4");
	d = preset_duty(p, "log_backup");
	assert_int_equal(d->every_months, 1);
	d = preset_duty(p, "restore_test");
	assert_int_equal(d->who, PRESET_DUTY_SYSTEM_OPERATOR);
	assert_int_equal(d->every_months, 6);
	assert_string_equal(d->source, "001 Đ12.6");
	d = preset_duty(p, "inspection");
	assert_int_equal(d->who, PRESET_DUTY_ORGS);
	assert_int_equal(d->roles, TGT(ORG_COORDINATOR));
	assert_int_equal(d->every_months, 12);
	assert_non_null(strstr(d->source, "001 Đ16.1"));
	assert_non_null(strstr(preset_duty(p, "training")->source, "001 Đ18.4"));
	assert_int_equal(preset_duty(p, "wifi_password")->every_months, 6);
	assert_string_equal(preset_duty(p, "implementation_report")->source, "001 Đ23.2");
	/* the national contact duty, replaced in place with the seed's article */
	d = preset_duty(p, "contact_point");
	assert_ptr_equal(d, &p->duties[2]);
	assert_non_null(strstr(d->source, "001 Đ19.8"));
	preset_free(p);
}

static void test_preset_hue2017(void **state)
{
	struct preset *p = load_preset("hue-2017");
	const struct preset_escalation *e;
	const struct preset_duty *d;

	(void)state;
	assert_string_equal(p->lead_role, "coordinator");
	/* Đ7.1c: still unresolved -> police and military mobilise more resources */
	e = esc_on_flag(p, "unresolved", PRESET_ESC_REQUEST);
	assert_non_null(e);
	assert_string_equal(e->request_kind, "mobilise");
	assert_int_equal(e->targets, TGT(ORG_POLICE) | TGT(ORG_MILITARY));
	assert_string_equal(e->source, "000 Đ7.1c");
	/* Đ7.1d: then, if it still is not fixed, the national coordinator is told */
	e = preset_escalation(p, "unresolved_national");
	assert_non_null(e);
	assert_int_equal(e->trigger, PRESET_TRIGGER_IDLE);
	assert_string_equal(e->flag, "unresolved");
	assert_true(e->after > 0);
	assert_int_equal(e->action, PRESET_ESC_NOTIFY);
	assert_int_equal(e->targets, TGT(ORG_NATIONAL));
	assert_string_equal(e->source, "000 Đ7.1d");
	/* Đ7.1e: a violation goes to the police at once (a flag fires when raised) */
	e = esc_on_flag(p, "violation_of_law", PRESET_ESC_REQUEST);
	assert_non_null(e);
	assert_string_equal(e->request_kind, "investigate");
	assert_int_equal(e->targets, TGT(ORG_POLICE));
	assert_string_equal(e->source, "000 Đ7.1e");
	/* Đ7.1b support, Đ7.1g evidence */
	e = esc_on_flag(p, "needs_support", PRESET_ESC_REQUEST);
	assert_string_equal(e->request_kind, "support");
	assert_int_equal(e->targets, TGT(ORG_POLICE) | TGT(ORG_MILITARY));
	e = esc_on_flag(p, "evidence_requested", PRESET_ESC_REQUEST);
	assert_string_equal(e->request_kind, "evidence");
	assert_string_equal(e->source, "000 Đ7.1g");

	d = preset_duty(p, "quarterly_bulletin");
	assert_int_equal(d->every_months, 3);
	assert_int_equal(d->roles, TGT(ORG_COORDINATOR));
	assert_string_equal(d->source, "000 Đ5.1d");
	d = preset_duty(p, "bulletin_contribution");
	assert_int_equal(d->every_months, 3);
	assert_int_equal(d->roles, TGT(ORG_POLICE));
	assert_string_equal(d->source, "000 Đ5.2b");
	assert_string_equal(preset_duty(p, "inspection_plan")->source, "000 Đ9.1a");
	assert_int_equal(preset_duty(p, "inspection_plan")->every_months, 12);
	assert_string_equal(preset_duty(p, "drill")->source, "000 Đ9.1c");
	assert_non_null(strstr(preset_duty(p, "training_plan")->source, "000 Đ8"));
	assert_non_null(strstr(preset_duty(p, "regulation_review")->source, "000 Đ11"));
	d = preset_duty(p, "isp_contact_247");
	assert_int_equal(d->roles, TGT(ORG_ISP));
	assert_string_equal(d->source, "000 Đ6.4a");
	preset_free(p);
}

static void test_preset_bacgiang(void **state)
{
	struct preset *p = load_preset("bacgiang-2024");
	const struct preset_duty *d;
	const struct preset_escalation *e;

	(void)state;
	assert_string_equal(p->lead_role, "police");
	/* QĐ 48/2024/QĐ-UBND, in force from 20/01/2025 (002 Điều 2): its document says so */
	assert_string_equal(p->source, "002");
	assert_non_null(preset_document(p, "002"));
	assert_string_equal(preset_document(p, "002")->in_force, "2025-01-20");
	assert_string_equal(preset_document(p, "002")->number, "48/2024/QĐ-UBND");
	d = preset_duty(p, "critical_scan");
	assert_non_null(d);
	assert_int_equal(d->who, PRESET_DUTY_ORGS);
	assert_int_equal(d->roles, TGT(ORG_POLICE));
	assert_true(d->per_system);
	assert_true(d->critical);
	assert_int_equal(d->min_level, 0);
	assert_int_equal(d->every_months, 1);
	assert_string_equal(d->evidence, "scan");
	assert_int_equal(d->first_due, tm_vn_midnight(2025, 1, 20));
	assert_int_equal(d->first_due, 1737306000); /* 2025-01-20T00:00+07:00 */
	assert_string_equal(d->source, "002 Đ7.2c");
	d = preset_duty(p, "critical_list_review");
	assert_int_equal(d->every_months, 12);
	assert_non_null(strstr(d->source, "002 Đ5.1a"));
	assert_non_null(strstr(preset_duty(p, "inspection_plan")->source, "002 Đ8"));
	assert_non_null(strstr(preset_duty(p, "training_plan")->source, "002 Đ9"));
	d = preset_duty(p, "regulation_review");
	assert_int_equal(d->roles, TGT(ORG_POLICE));
	assert_string_equal(d->source, "002 Đ11.2");
	for (size_t i = 0; i < p->nduties; i++)
		if (p->duties[i].origin == 0)
			assert_int_equal(p->duties[i].first_due, tm_vn_midnight(2025, 1, 20));

	e = esc_on_flag(p, "violation_of_law", PRESET_ESC_REQUEST);
	assert_non_null(e);
	assert_string_equal(e->request_kind, "investigate");
	assert_int_equal(e->targets, TGT(ORG_POLICE));
	assert_string_equal(e->source, "002 Đ7.1e");
	e = preset_escalation(p, "evidence_collection");
	assert_string_equal(e->request_kind, "evidence");
	assert_int_equal(e->targets, PRESET_TARGET_OWNER);
	assert_string_equal(e->source, "002 Đ7.2g");
	e = preset_escalation(p, "report_on_detection");
	assert_int_equal(e->step, 1);
	assert_int_equal(e->targets, TGT(ORG_COORDINATOR) | TGT(ORG_POLICE));
	preset_free(p);
}

static void test_preset_quangnam(void **state)
{
	struct preset *p = load_preset("quangnam-2022");
	const struct preset_duty *d;
	const struct preset_escalation *e;

	(void)state;
	d = preset_duty(p, "vuln_scan");
	assert_non_null(d);
	assert_int_equal(d->who, PRESET_DUTY_SYSTEM_OWNER);
	assert_int_equal(d->every_months, 6);
	assert_string_equal(d->evidence, "scan");
	assert_non_null(strstr(d->source, "003 §1"));
	d = preset_duty(p, "response_plan");
	assert_int_equal(d->who, PRESET_DUTY_SYSTEM_OWNER);
	assert_int_equal(d->every_months, 12);
	assert_int_equal(d->first_due, tm_vn_midnight(2022, 12, 31));
	assert_non_null(strstr(d->desc_vi, "khi có thay đổi"));
	d = preset_duty(p, "contact_point_published");
	assert_int_equal(d->first_due, tm_vn_midnight(2022, 10, 31));
	assert_int_equal(d->roles, TGT(ORG_MEMBER));
	d = preset_duty(p, "live_fire_drill");
	assert_int_equal(d->who, PRESET_DUTY_ORGS);
	assert_true(d->per_system);
	assert_int_equal(d->min_level, 3);
	assert_int_equal(d->max_level, 0);
	assert_int_equal(d->every_months, 12);
	assert_string_equal(d->source, "003 §2");
	assert_int_equal(preset_duty(p, "isp_coordination")->roles, TGT(ORG_ISP));
	assert_string_equal(preset_duty(p, "isp_coordination")->source, "003 §4");
	assert_int_equal(preset_duty(p, "security_firm_sharing")->roles, TGT(ORG_SECURITY_FIRM));
	assert_string_equal(preset_duty(p, "security_firm_sharing")->source, "003 §5");
	e = preset_escalation(p, "response_team_intake");
	assert_int_equal(e->step, 3);
	assert_int_equal(e->targets, TGT(ORG_RESPONSE_TEAM));
	preset_free(p);
}

static void test_preset_hue2019(void **state)
{
	struct preset *p = load_preset("hue-2019");
	const struct preset_duty *d;

	(void)state;
	d = preset_duty(p, "assessment_report");
	assert_non_null(d);
	assert_int_equal(d->who, PRESET_DUTY_SYSTEM_OWNER);
	assert_int_equal(d->min_level, 3);
	assert_int_equal(d->max_level, 0);
	assert_int_equal(d->every_months, 12);
	assert_int_equal(d->ndates, 1);
	assert_int_equal(d->dates[0][0], 5);
	assert_int_equal(d->dates[0][1], 12);
	assert_string_equal(d->source, "004 §1");
	d = preset_duty(p, "inspection_level_3_4");
	assert_int_equal(d->who, PRESET_DUTY_ORGS);
	assert_int_equal(d->roles, TGT(ORG_COORDINATOR));
	assert_true(d->per_system);
	assert_int_equal(d->min_level, 3);
	assert_int_equal(d->max_level, 4);
	assert_int_equal(d->ndates, 1);
	assert_int_equal(d->dates[0][0], 14);
	assert_int_equal(d->dates[0][1], 12);
	assert_string_equal(d->source, "004 §2");
	d = preset_duty(p, "inspection_level_5");
	assert_int_equal(d->min_level, 5);
	assert_int_equal(d->every_months, 6);
	assert_int_equal(d->ndates, 2);
	assert_int_equal(d->dates[0][0], 14);
	assert_int_equal(d->dates[0][1], 6);
	assert_int_equal(d->dates[1][0], 14);
	assert_int_equal(d->dates[1][1], 12);
	d = preset_duty(p, "security_budget");
	assert_int_equal(d->who, PRESET_DUTY_ALL);
	assert_non_null(strstr(d->desc_vi, "10%"));
	d = preset_duty(p, "contact_point");
	assert_int_equal(d->who, PRESET_DUTY_ALL);
	assert_non_null(strstr(d->source, "004 §1"));
	preset_free(p);
}

/* ---- errors in flags, escalations, duties -------------------------------------------------- */

/* mini + a flag (lines 15-16) + `escalations:` (17) + item (18...) */
static const char *mini_esc(const char *item)
{
	static char tail[2048];
	int w = snprintf(tail, sizeof tail,
			 "flags:\n  - {code: f1, name_vi: Cờ}\nescalations:\n%s\n", item);

	assert_true(w > 0 && (size_t)w < sizeof tail);
	return mini_with(0, NULL, tail);
}

/* mini + `duties:` (15) + item (16...) */
static const char *mini_duty(const char *item)
{
	static char tail[2048];
	int w = snprintf(tail, sizeof tail, "duties:\n%s\n", item);

	assert_true(w > 0 && (size_t)w < sizeof tail);
	return mini_with(0, NULL, tail);
}

static void test_mini_rules_valid(void **state)
{
	struct preset *p = NULL;
	struct preset_err e;
	const char *t = mini_esc(
		"  - {code: e1, name_vi: E, trigger: flag, flag: f1, action: request,\n"
		"     to: [police, owner, superior], request_kind: support, request_within: 2d,\n"
		"     min_severity: s1, group: g1, source: x}\n"
		"  - {code: e2, name_vi: E, trigger: idle, state: open, after: 12h, action: notify,\n"
		"     to: [coordinator], source: x}\n"
		"  - {code: e3, name_vi: E, trigger: state, step: 2, action: notify, to: [national],\n"
		"     source: x}\n"
		"duties:\n"
		"  - {code: d1, name_vi: D, who: orgs, roles: [police, isp], every_months: 3,\n"
		"     source: x}\n"
		"  - {code: d2, name_vi: D, who: system_operator, min_level: 2, max_level: 4,\n"
		"     critical: true, every_months: 6, dates: [\"1/6\", \"31/12\"],\n"
		"     first_due: 2026-03-01, evidence: scan, source: x}\n");

	(void)state;
	if (preset_parse("mini", t, strlen(t), NULL, NULL, &p, &e) != 0)
		print_error("%s:%d: %s\n", e.file, e.line, e.msg);
	assert_non_null(p);
	assert_int_equal(p->nflags, 1);
	assert_int_equal(p->nescalations, 3);
	assert_int_equal(p->escalations[0].targets,
			 TGT(ORG_POLICE) | PRESET_TARGET_OWNER | PRESET_TARGET_SUPERIOR);
	assert_int_equal(p->escalations[0].request_within, 2 * 86400);
	assert_int_equal(p->escalations[0].line, 18);
	assert_int_equal(p->escalations[1].trigger, PRESET_TRIGGER_IDLE);
	assert_int_equal(p->escalations[1].after, 12 * 3600);
	assert_int_equal(p->escalations[2].step, 2);
	assert_int_equal(p->nduties, 2);
	assert_int_equal(p->duties[0].roles, TGT(ORG_POLICE) | TGT(ORG_ISP));
	assert_false(p->duties[0].per_system);
	assert_true(p->duties[1].per_system);
	assert_int_equal(p->duties[1].max_level, 4);
	assert_int_equal(p->duties[1].dates[1][0], 31);
	assert_int_equal(p->duties[1].first_due, tm_vn_midnight(2026, 3, 1));
	preset_free(p);
}

static void test_err_escalations(void **state)
{
	(void)state;
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, action: notify, to: [police],"
			    " source: x}"),
		   18, "escalations item 1: trigger 'flag' needs 'flag'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,\n"
			    "     to: [police], source: x, after: 3d}"),
		   19, "'after' does not apply to trigger 'flag'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: clock, clock: c, state: open,\n"
			    "     action: notify, to: [police], source: x}"),
		   18, "'state' does not apply to trigger 'clock'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: state, state: open,\n"
			    "     step: 1, action: notify, to: [police], source: x}"),
		   19, "trigger 'state' takes one of 'state' and 'step', not both");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: state, action: notify, to: [police],"
			    " source: x}"),
		   18, "trigger 'state' needs 'state' or 'step'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: request, action: notify,"
			    " to: [police], source: x}"),
		   18, "trigger 'request' needs 'after'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: idle, after: \"0\", action: notify,\n"
			    "     to: [police], source: x}"),
		   18, "'after' of trigger 'idle' must be more than 0");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: idle, after: 5y, action: notify,"
			    " to: [police], source: x}"),
		   18, "'after' is '5y', not a duration");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: sometimes, action: notify,"
			    " to: [police], source: x}"),
		   18, "'trigger' is 'sometimes', not state, flag, idle, clock, request or "
		   "warning_unanswered");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: shout,"
			    " to: [police], source: x}"),
		   18, "'action' is 'shout', not notify or request");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: request,"
			    " to: [police], source: x}"),
		   18, "action 'request' needs 'request_kind'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: request,\n"
			    "     request_kind: beg, to: [police], source: x}"),
		   19, "'request_kind' is 'beg', not support, investigate, mobilise, notify or evidence");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,\n"
			    "     to: [police], source: x,\n     request_within: 1d}"),
		   20, "'request_kind' and 'request_within' are only for action 'request'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,\n"
			    "     to: [police,\n         mayor], source: x}"),
		   20, "'mayor' in 'to' is not an organisation role (nor owner or superior)");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,"
			    " to: [Police], source: x}"),
		   18, "'Police' in 'to' is not an organisation role");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,"
			    " to: [owner, owner], source: x}"),
		   18, "'owner' listed twice in 'to'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,"
			    " to: [], source: x}"),
		   18, "'to' must name at least one target");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,"
			    " to: [police]}"),
		   18, "escalations item 1: missing required key 'source'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,"
			    " to: [police], source: x, colour: red}"),
		   18, "escalations item 1: unknown key 'colour'");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, action: notify,"
			    " to: [police], source: x}\n"
			    "  - {code: e, name_vi: F, trigger: flag, flag: f1, action: notify,"
			    " to: [police], source: x}"),
		   19, "escalations: 'e' given twice (first at line 18)");
	expect_err(mini_with(0, NULL, "flags:\n  - {code: f1, name_vi: A}\n  - {code: f1, name_vi: B}\n"),
		   17, "flags: 'f1' given twice (first at line 16)");
	expect_err(mini_with(0, NULL, "flags:\n  - {code: f1}\n"), 16,
		   "flags item 1: missing required key 'name_vi'");
}

static void test_err_escalation_references(void **state)
{
	(void)state;
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: nope, action: notify,"
			    " to: [police], source: x}"),
		   18, "escalation 'e': flag 'nope' in 'flag' does not exist");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: state, state: limbo, action: notify,"
			    " to: [police], source: x}"),
		   18, "escalation 'e': state 'limbo' in 'state' does not exist");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: state, step: 3, action: notify,"
			    " to: [police], source: x}"),
		   18, "escalation 'e': no state has step 3 or more, so it never fires");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: idle, state: done, after: 1d,\n"
			    "     action: notify, to: [police], source: x}"),
		   18, "escalation 'e': state 'done' is final");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: clock, clock: c9, action: notify,"
			    " to: [police], source: x}"),
		   18, "escalation 'e': clock 'c9' in 'clock' does not exist");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, min_severity: huge,\n"
			    "     action: notify, to: [police], source: x}"),
		   18, "escalation 'e': severity 'huge' in 'min_severity' does not exist");
	expect_err(mini_esc("  - {code: e, name_vi: E, trigger: flag, flag: f1, group: nope,\n"
			    "     action: notify, to: [police], source: x}"),
		   18, "escalation 'e': group 'nope' in 'group' does not exist");
}

static void test_err_duties(void **state)
{
	(void)state;
	expect_err(mini_duty("  - {code: d, name_vi: D, who: orgs, every_months: 12, source: x}"), 16,
		   "duties item 1: who 'orgs' needs 'roles'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     roles: [police]}"),
		   17, "'roles' is only for who 'orgs'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: everyone, every_months: 12, source: x}"),
		   16, "'who' is 'everyone', not orgs, all, system_owner or system_operator");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: orgs, roles: [owner], every_months: 12,"
			     " source: x}"),
		   16, "'owner' in 'roles' is not an organisation role");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: orgs, roles: [police, police],"
			     " every_months: 12, source: x}"),
		   16, "'police' listed twice in 'roles'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: orgs, roles: [police], every_months: 12,\n"
			     "     min_level: 3, source: x}"),
		   17, "'min_level' is a condition on systems");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     critical: true}"),
		   17, "'critical' is a condition on systems");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: system_owner, every_months: 12,\n"
			     "     per_system: true, source: x}"),
		   17, "'per_system' is only for who 'orgs' or 'all'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: system_owner, every_months: 12,\n"
			     "     min_level: 4,\n     max_level: 3, source: x}"),
		   18, "'max_level' 3 is below 'min_level' 4");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: system_owner, every_months: 12,"
			     " min_level: 6, source: x}"),
		   16, "'min_level' must be a whole number from 0 to 5");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 5, source: x}"), 16,
		   "'every_months' must be 1, 3, 6 or 12");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, source: x}"), 16,
		   "duties item 1: missing required key 'every_months'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12}"), 16,
		   "duties item 1: missing required key 'source'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     dates: [\"31/02\"]}"),
		   17, "'31/02' in 'dates' is not a day of every year written dd/mm");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     dates: [\"29/02\"]}"),
		   17, "'29/02' in 'dates' is not a day of every year");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     dates: [\"14-06\"]}"),
		   17, "'14-06' in 'dates' is not a day of every year");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     dates: [\"1/13\"]}"),
		   17, "'1/13' in 'dates'");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 6, source: x,\n"
			     "     dates: [\"15/12\",\n             \"20/06\"]}"),
		   18, "'dates' must be in calendar order, each once; '20/06' is not after 15/12");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 6, source: x,\n"
			     "     dates: [\"20/06\", \"20/6\"]}"),
		   17, "must be in calendar order, each once");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 6, source: x,\n"
			     "     dates: [\"20/06\"]}"),
		   17, "every_months 6 means 2 due dates a year, 'dates' gives 1");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 1, source: x,\n"
			     "     dates: [\"1/1\", \"1/2\", \"1/3\", \"1/4\", \"1/5\", \"1/6\", \"1/7\",\n"
			     "             \"1/8\", \"1/9\", \"1/10\", \"1/11\", \"1/12\", \"2/12\"]}"),
		   17, "'dates' has 13 entries, at most 12 allowed");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     dates: []}"),
		   17, "'dates' is empty");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     first_due: 2025-02-30}"),
		   17, "'first_due' is '2025-02-30', not a date yyyy-mm-dd");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     first_due: 20/01/2025}"),
		   17, "'first_due' is '20/01/2025', not a date");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     first_due: 1999-12-31}"),
		   17, "not a date yyyy-mm-dd (from 2000)");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,\n"
			     "     evidence: photo}"),
		   17, "'evidence' is 'photo', not scan");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x}\n"
			     "  - {code: d, name_vi: E, who: all, every_months: 6, source: x}"),
		   17, "duties: 'd' given twice (first at line 16)");
	expect_err(mini_duty("  - {code: d, name_vi: D, who: all, every_months: 12, source: x,"
			     " when: monday}"),
		   16, "duties item 1: unknown key 'when'");
}

static void test_rules_inherit(void **state)
{
	static const char child[] =
		"name: c-1\n"                                                               /* 1 */
		"extends: national\n"                                                       /* 2 */
		"remove:\n"                                                                 /* 3 */
		"  duties: [monitoring_report]\n"                                           /* 4 */
		"  escalations: [request_overdue]\n"                                        /* 5 */
		"  flags: [unresolved]\n"                                                   /* 6 */
		"duties:\n"                                                                 /* 7 */
		"  - {code: summary_report, name_vi: Báo cáo, who: all, every_months: 12,\n"
		"     dates: [\"10/12\"], source: 9 Đ1}\n"                                  /* 9 */
		"  - {code: extra, name_vi: Thêm, who: all, every_months: 3, source: 9 Đ2}\n";
	static const char orphan[] = "name: c\nextends: national\nremove:\n  flags: [beyond_capacity]\n";
	static const char bad_rm[] = "name: c\nextends: national\nremove:\n  duties: [nope]\n";
	struct srcs s = {(const struct src[]){{"c-1", child}}, 1};
	struct preset *p = NULL;
	struct preset_err e;
	int rc = preset_parse("c-1", child, strlen(child), resolve, &s, &p, &e);

	(void)state;
	if (rc != 0)
		print_error("%s:%d: %s\n", e.file, e.line, e.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(p->name, "c-1"); /* preset names may carry '-' */
	assert_int_equal(p->nduties, 3);
	assert_null(preset_duty(p, "monitoring_report"));
	assert_ptr_equal(preset_duty(p, "summary_report"), &p->duties[0]); /* replaced in place */
	assert_int_equal(p->duties[0].every_months, 12);
	assert_int_equal(p->duties[0].ndates, 1);
	assert_int_equal(p->duties[0].line, 8);
	assert_string_equal(p->chain[p->duties[0].origin], "c-1");
	assert_string_equal(p->duties[1].code, "contact_point");
	assert_string_equal(p->duties[2].code, "extra");
	assert_int_equal(p->nescalations, 5); /* national's 6 less request_overdue */
	assert_null(preset_escalation(p, "request_overdue"));
	assert_int_equal(p->nflags, 3);
	assert_null(preset_flag(p, "unresolved"));
	preset_free(p);

	/* the error is in the parent's rule, left dangling by the child's removal */
	expect_err_in("c", orphan, strlen(orphan), NULL, "national",
		      line_of(national, "code: beyond_capacity_at_once"),
		      "escalation 'beyond_capacity_at_once': flag 'beyond_capacity' in 'flag' does "
		      "not exist");
	expect_err_in("c", bad_rm, strlen(bad_rm), NULL, "c", 4,
		      "remove: duties of 'national' has no 'nope'");
	expect_err(mini_with(1, "name: -mini", NULL), 1, "not a preset name");
	expect_err_in("Hue-2017", "a: 1\n", 5, NULL, "Hue-2017", 0,
		      "the preset name must be a code");
}

/* One-byte mutations of a child preset, read through the file resolver, never crash. */
static void test_mangled_child(void **state)
{
	struct files fs = {.n = 0};
	const char *orig;
	size_t len;
	char *t;
	uint32_t seed = 777;

	(void)state;
	assert_int_equal(resolve_file(&fs, "hue-2019", &orig, &len), 0);
	t = malloc(len);
	assert_non_null(t);
	for (int i = 0; i < 300; i++) {
		struct files parent = {.n = 0};
		struct preset *p = NULL;
		struct preset_err e;
		static const char junk[] = "\0\t\n :-[]{}&*!|>'\"#%@`,?/\xc3\xff";

		memcpy(t, orig, len);
		for (int k = 0; k < 2; k++) {
			seed = seed * 1103515245u + 12345u;
			t[(seed >> 8) % len] = junk[(seed >> 20) % (sizeof junk - 1)];
		}
		if (preset_parse("hue-2019", t, len, resolve_file, &parent, &p, &e) != 0)
			assert_true(e.msg[0] != '\0');
		preset_free(p);
		files_free(&parent);
	}
	free(t);
	files_free(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_national_counts),
		cmocka_unit_test(test_national_taxonomy),
		cmocka_unit_test(test_national_procedure),
		cmocka_unit_test(test_national_forms),
		cmocka_unit_test(test_national_clocks),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_child_extends),
		cmocka_unit_test(test_child_errors),
		cmocka_unit_test(test_extends_cycle_and_depth),
		cmocka_unit_test(test_mini_is_valid),
		cmocka_unit_test(test_err_unknown_key),
		cmocka_unit_test(test_err_wrong_type),
		cmocka_unit_test(test_err_missing_key),
		cmocka_unit_test(test_err_unknown_reference),
		cmocka_unit_test(test_err_duplicate),
		cmocka_unit_test(test_err_too_long),
		cmocka_unit_test(test_err_initial_states),
		cmocka_unit_test(test_err_text),
		cmocka_unit_test(test_err_forms_and_clocks),
		cmocka_unit_test(test_merge_limit),
		cmocka_unit_test(test_mangled_input),
		cmocka_unit_test(test_national_rules),
		cmocka_unit_test(test_presets_all_load),
		cmocka_unit_test(test_preset_tayson),
		cmocka_unit_test(test_preset_hue2017),
		cmocka_unit_test(test_preset_bacgiang),
		cmocka_unit_test(test_preset_quangnam),
		cmocka_unit_test(test_preset_hue2019),
		cmocka_unit_test(test_mini_rules_valid),
		cmocka_unit_test(test_err_escalations),
		cmocka_unit_test(test_err_escalation_references),
		cmocka_unit_test(test_err_duties),
		cmocka_unit_test(test_rules_inherit),
		cmocka_unit_test(test_mangled_child),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
