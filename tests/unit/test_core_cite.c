/* test_core_cite.c - src/core/cite.c: a preset's short source ("001 Đ15.4c") as the sentence a
 * person reads, in Vietnamese and English, with the documents the shipped presets declare
 * (presets/national.yaml `documents:`, inherited by every seed preset). One test per form of
 * source the presets write, and one that loads every shipped preset and formats every `source`
 * it holds without falling back and without a code left in the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/cite.h"
#include "core_presets.h"

#define TAYSON_VI                                                                            \
	"Quy chế bảo đảm an toàn thông tin mạng trong hoạt động ứng dụng công nghệ thông tin "  \
	"của các cơ quan nhà nước trên địa bàn huyện Tây Sơn (văn bản hiện có không ghi số, ngày " \
	"ban hành)"
#define TAYSON_EN                                                                            \
	"the Regulation on network information security in the use of information technology " \
	"by state agencies of Tây Sơn district (the text at hand gives no number or date of "   \
	"issue)"
#define HUE_VI                                                                               \
	"Quy chế phối hợp giữa các cơ quan, đơn vị trong việc ứng phó sự cố máy tính, đảm bảo "  \
	"an toàn thông tin mạng trên địa bàn tỉnh Thừa Thiên Huế ban hành kèm theo Quyết định " \
	"số 2711/QĐ-UBND ngày 17/11/2017 của UBND tỉnh Thừa Thiên Huế"
#define BACGIANG_VI                                                                          \
	"Quy chế phối hợp trong công tác bảo đảm an ninh an toàn hệ thống mạng thông tin và "   \
	"thông tin quan trọng cần ưu tiên bảo đảm an ninh mạng của tỉnh Bắc Giang ban hành kèm " \
	"theo Quyết định số 48/2024/QĐ-UBND ngày 30/12/2024 của UBND tỉnh Bắc Giang"
#define QUANGNAM_VI                                                                          \
	"Chỉ thị số 15/CT-UBND ngày 09/11/2022 của UBND tỉnh Quảng Nam về việc đẩy mạnh triển " \
	"khai các hoạt động ứng cứu sự cố an toàn thông tin mạng trên địa bàn tỉnh Quảng Nam"
#define HUE2019_VI                                                                           \
	"Công văn số 5620/UBND-CT ngày 09/08/2019 của UBND tỉnh Thừa Thiên Huế về triển khai "  \
	"thực hiện tăng cường bảo đảm an toàn, an ninh mạng"
#define TT20_VI                                                                              \
	"Thông tư số 20/2017/TT-BTTTT ngày 12/09/2017 của Bộ Thông tin và Truyền thông quy "    \
	"định về điều phối, ứng cứu sự cố an toàn thông tin mạng trên toàn quốc"
#define QD05_VI                                                                              \
	"Quyết định số 05/2017/QĐ-TTg ngày 16/03/2017 của Thủ tướng Chính phủ ban hành quy "    \
	"định về hệ thống phương án ứng cứu khẩn cấp bảo đảm an toàn thông tin mạng quốc gia"

static const struct preset *national(void)
{
	return cp_get("national");
}

/* The citation of src in lang with the preset p; fails the test when it fell back. */
static void expect(const struct preset *p, const char *src, enum cite_lang lang, const char *want)
{
	char out[CITE_MAX];
	int rc = cite_str(p, src, lang, out, sizeof out);

	if (strcmp(out, want) != 0 || rc != 0)
		print_error("source  %s\nrc      %d\ngot     %s\nwant    %s\n", src, rc, out, want);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

/* "001 Đ15.4c": a point of a clause of an article; the seed gives no number or date. */
static void test_point(void **state)
{
	(void)state;
	expect(national(), "001 Đ15.4c", CITE_VI, "Điểm c khoản 4 Điều 15 " TAYSON_VI);
	expect(national(), "001 Đ15.4c", CITE_EN, "Article 15(4)(c) of " TAYSON_EN);
	expect(national(), "001 Đ15.4đ", CITE_VI, "Điểm đ khoản 4 Điều 15 " TAYSON_VI);
}

/* "000 Đ7.4", "001 Đ15.5": a clause; "TT 20/2017/TT-BTTTT Đ11": an article. */
static void test_clause_article(void **state)
{
	(void)state;
	expect(national(), "000 Đ7.4", CITE_VI, "Khoản 4 Điều 7 " HUE_VI);
	expect(national(), "000 Đ7.4", CITE_EN,
	       "Article 7(4) of the Regulation on coordination between agencies and units in "
	       "responding to computer incidents and ensuring network information security in Thừa "
	       "Thiên Huế province, issued with Decision No. 2711/QĐ-UBND of 17/11/2017 of the "
	       "People's Committee of Thừa Thiên Huế province");
	expect(national(), "TT 20/2017/TT-BTTTT Đ11 (tiếp nhận, xử lý thông báo sự cố)", CITE_VI,
	       "Điều 11 " TT20_VI " (tiếp nhận, xử lý thông báo sự cố)");
	expect(national(), "TT 20/2017/TT-BTTTT Đ11 (tiếp nhận, xử lý thông báo sự cố)", CITE_EN,
	       "Article 11 of Circular No. 20/2017/TT-BTTTT of 12/09/2017 of the Ministry of "
	       "Information and Communications on coordinating network information security "
	       "incident response nationwide");
}

/* "002 Đ7.1đ, Đ7.2b": several clauses of one article, grouped under it. */
static void test_clauses(void **state)
{
	(void)state;
	expect(national(), "002 Đ7.1đ, Đ7.2b", CITE_VI,
	       "Điểm đ khoản 1 và điểm b khoản 2 Điều 7 " BACGIANG_VI);
	expect(national(), "002 Đ7.1đ, Đ7.2b", CITE_EN,
	       "Articles 7(1)(đ) and 7(2)(b) of the Regulation on coordination in securing the "
	       "information network systems and the important information to be given priority in "
	       "cyber security of Bắc Giang province, issued with Decision No. 48/2024/QĐ-UBND of "
	       "30/12/2024 of the People's Committee of Bắc Giang province");
	expect(national(), "001 Đ15.4a, Đ15.4b", CITE_VI, "Điểm a, điểm b khoản 4 Điều 15 " TAYSON_VI);
	expect(national(), "001 Đ15.4a, Đ15.4c, Đ15.5", CITE_VI,
	       "Điểm a, điểm c khoản 4 và khoản 5 Điều 15 " TAYSON_VI);
	expect(national(), "000 Đ8.1, Đ8.2", CITE_VI, "Khoản 1 và khoản 2 Điều 8 " HUE_VI);
	expect(national(), "002 Đ5.1a, Đ5.2a", CITE_VI,
	       "Điểm a khoản 1 và điểm a khoản 2 Điều 5 " BACGIANG_VI);
}

/* "000 Đ11.1, Đ10.2": clauses of two articles; "000 Đ7.1c-d": a range of points. */
static void test_articles_range(void **state)
{
	(void)state;
	expect(national(), "000 Đ11.1, Đ10.2", CITE_VI, "Khoản 1 Điều 11 và khoản 2 Điều 10 " HUE_VI);
	expect(national(), "000 Đ7.1c-d (chuyển cấp khi chưa xử lý được)", CITE_VI,
	       "Điểm c, điểm d khoản 1 Điều 7 " HUE_VI " (chuyển cấp khi chưa xử lý được)");
	expect(national(), "000 Đ7.1c-d (chuyển cấp khi chưa xử lý được)", CITE_EN,
	       "Articles 7(1)(c) and 7(1)(d) of the Regulation on coordination between agencies and "
	       "units in responding to computer incidents and ensuring network information security "
	       "in Thừa Thiên Huế province, issued with Decision No. 2711/QĐ-UBND of 17/11/2017 of "
	       "the People's Committee of Thừa Thiên Huế province");
}

/* "003 §1", "004 §1, §2, §4": the numbered parts of a directive or a letter. */
static void test_sections(void **state)
{
	(void)state;
	expect(national(), "003 §1", CITE_VI, "Mục 1 " QUANGNAM_VI);
	expect(national(), "003 §1", CITE_EN,
	       "Section 1 of Directive No. 15/CT-UBND of 09/11/2022 of the People's Committee of "
	       "Quảng Nam province on stepping up network information security incident response in "
	       "Quảng Nam province");
	expect(national(), "003 §1, §2", CITE_VI, "Mục 1 và mục 2 " QUANGNAM_VI);
	expect(national(), "004 §1, §2, §4; TT 20/2017/TT-BTTTT", CITE_VI,
	       "Mục 1, mục 2 và mục 4 " HUE2019_VI "; " TT20_VI);
}

/* Several documents, a form, a document alone, a document with a note. */
static void test_documents(void **state)
{
	(void)state;
	expect(national(), "QĐ 05/2017/QĐ-TTg Đ11.1a, Đ11.2; TT 20/2017/TT-BTTTT", CITE_VI,
	       "Điểm a khoản 1 và khoản 2 Điều 11 " QD05_VI "; " TT20_VI);
	expect(national(), "TT 20/2017/TT-BTTTT Mẫu 03; 001 Đ15.4c (mẫu số 01)", CITE_VI,
	       "Mẫu số 03 " TT20_VI "; điểm c khoản 4 Điều 15 " TAYSON_VI " (mẫu số 01)");
	expect(national(), "TT 20/2017/TT-BTTTT Mẫu 03", CITE_EN,
	       "Form 03 of Circular No. 20/2017/TT-BTTTT of 12/09/2017 of the Ministry of "
	       "Information and Communications on coordinating network information security "
	       "incident response nationwide");
	expect(national(), "QĐ 05/2017/QĐ-TTg; TT 20/2017/TT-BTTTT", CITE_VI, QD05_VI "; " TT20_VI);
	expect(national(), "TT 20/2017/TT-BTTTT (Mẫu 05)", CITE_VI, TT20_VI " (Mẫu 05)");
	expect(national(), "001 Đ15.4d; 000 Đ7.1a, Đ7.1b", CITE_VI,
	       "Điểm d khoản 4 Điều 15 " TAYSON_VI "; điểm a, điểm b khoản 1 Điều 7 " HUE_VI);
	/* a child declares a document of its own and inherits the parent's */
	expect(cp_get("hue-2019"), "004; CT 14/CT-TTg", CITE_VI,
	       HUE2019_VI "; Chỉ thị số 14/CT-TTg ngày 07/06/2019 của Thủ tướng Chính phủ về việc "
			  "tăng cường bảo đảm an toàn, an ninh mạng nhằm cải thiện chỉ số xếp hạng của "
			  "Việt Nam");
}

/* What is not a citation of a declared document is copied as written, and said so. */
static void test_fallback(void **state)
{
	char out[CITE_MAX];

	(void)state;
	assert_int_equal(cite_str(national(), "", CITE_VI, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(cite_str(national(), "NĐ 85/2016 Đ5", CITE_VI, out, sizeof out),
			 CITE_FALLBACK);
	assert_string_equal(out, "NĐ 85/2016 Đ5");
	assert_int_equal(cite_str(national(), "001 Đ15.4cx", CITE_VI, out, sizeof out),
			 CITE_FALLBACK);
	assert_int_equal(cite_str(national(), "001 Đ15.", CITE_VI, out, sizeof out), CITE_FALLBACK);
	assert_int_equal(cite_str(national(), "001 Đ15.4c (unclosed", CITE_VI, out, sizeof out),
			 CITE_FALLBACK);
	assert_int_equal(cite_str(NULL, "001 Đ15.4c", CITE_VI, out, sizeof out), CITE_FALLBACK);
	assert_string_equal(out, "001 Đ15.4c");
	/* one part read, the other copied */
	assert_int_equal(cite_str(national(), "000 Đ7.4; khác", CITE_VI, out, sizeof out),
			 CITE_FALLBACK);
	assert_string_equal(out, "Khoản 4 Điều 7 " HUE_VI "; khác");
	/* too small a buffer: the source as written, cut */
	assert_true(cite_str(national(), "000 Đ7.4", CITE_VI, out, 12) < 0);
	assert_string_equal(out, "000 Đ7.4");
}

/* A citation that still reads like a code: "Đ15", "§1", "001 " at the start. */
static bool looks_like_code(const char *s)
{
	for (const char *p = s; *p; p++) {
		if ((strncmp(p, "Đ", strlen("Đ")) == 0 && p[strlen("Đ")] >= '0' &&
		     p[strlen("Đ")] <= '9') ||
		    strncmp(p, "§", strlen("§")) == 0)
			return true;
	}
	return strlen(s) >= 4 && s[0] >= '0' && s[0] <= '9' && s[3] == ' ';
}

static int checked;

static void check_one(const struct preset *p, const char *where, const char *src)
{
	char out[CITE_MAX];

	for (int lang = CITE_VI; lang <= CITE_EN; lang++) {
		int rc;

		if (src[0] == '\0')
			continue;
		rc = cite_str(p, src, (enum cite_lang)lang, out, sizeof out);
		if (rc != 0 || looks_like_code(out))
			print_error("%s: %s: source '%s' -> rc %d '%s'\n", p->name, where, src, rc, out);
		assert_int_equal(rc, 0);
		assert_false(looks_like_code(out));
		checked++;
	}
}

static void check_items(const struct preset *p, const char *what, const struct preset_item *it,
			size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_one(p, what, it[i].source);
}

/* Every `source` of every shipped preset formats without falling back, in both languages. */
static void test_every_preset_source(void **state)
{
	static const char *const names[] = {"national", "tayson", "hue-2017", "bacgiang-2024",
					    "quangnam-2022", "hue-2019"};

	(void)state;
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		const struct preset *p = cp_get(names[k]);
		const struct preset_basis *b = &p->basis;

		assert_true(p->ndocuments >= 8);
		check_one(p, "source", p->source);
		check_items(p, "groups", p->groups, p->ngroups);
		check_items(p, "types", p->types, p->ntypes);
		check_items(p, "severities", p->severities, p->nseverities);
		check_items(p, "states", p->states, p->nstates);
		check_items(p, "flags", p->flags, p->nflags);
		for (size_t i = 0; i < p->ntransitions; i++)
			check_one(p, "transitions", p->transitions[i].source);
		for (size_t i = 0; i < p->nforms; i++)
			check_one(p, "forms", p->forms[i].source);
		for (size_t i = 0; i < p->nclocks; i++)
			check_one(p, "clocks", p->clocks[i].source);
		for (size_t i = 0; i < p->nescalations; i++)
			check_one(p, "escalations", p->escalations[i].source);
		for (size_t i = 0; i < p->nduties; i++)
			check_one(p, "duties", p->duties[i].source);
		for (size_t i = 0; i < p->nnotify_required; i++)
			check_one(p, "notifications", p->notify_required[i].source);
		check_one(p, "reminders", p->reminders.source);
		check_one(p, "basis.accounts", b->accounts);
		check_one(p, "basis.password", b->password);
		check_one(p, "basis.lockout", b->lockout);
		check_one(p, "basis.idle", b->idle);
		check_one(p, "basis.backup", b->backup);
		check_one(p, "basis.warning", b->warning);
		check_one(p, "basis.bulletin", b->bulletin);
		check_one(p, "basis.summary", b->summary);
		/* the warning form's default: Điều 7 khoản 4 of 000, whatever the preset */
		assert_string_equal(b->warning, "000 Đ7.4");
	}
	assert_true(checked > 400);
}

/* The platform's own rules: tayson names its articles, the national base none of its own. */
static void test_basis(void **state)
{
	(void)state;
	assert_string_equal(national()->basis.backup, "");
	assert_string_equal(national()->basis.password, "");
	assert_string_equal(cp_get("tayson")->basis.backup, "001 Đ12.2, Đ12.6");
	expect(cp_get("tayson"), cp_get("tayson")->basis.lockout, CITE_VI,
	       "Điểm b khoản 1 Điều 12 " TAYSON_VI);
	assert_string_equal(cp_get("hue-2017")->basis.backup, "");
}

/* A document's date must be a day; its ref is unique in a file. */
static void test_documents_checked(void **state)
{
	static const char bad_date[] =
		"name: t\ntitle: T\nlead_role: coordinator\n"
		"states: [{code: a, name_vi: A, step: 1, initial: true}, {code: b, name_vi: B, step: 2, "
		"final: true}]\n"
		"documents: [{ref: \"009\", kind_vi: Quy chế, title_vi: x, date: 2017-02-31}]\n";
	static const char twice[] =
		"name: t\ntitle: T\nlead_role: coordinator\n"
		"states: [{code: a, name_vi: A, step: 1, initial: true}, {code: b, name_vi: B, step: 2, "
		"final: true}]\n"
		"documents: [{ref: \"009\", kind_vi: Quy chế, title_vi: x}, {ref: \"009\", kind_vi: Quy "
		"chế, title_vi: y}]\n";
	struct preset *p = NULL;
	struct preset_err e;

	(void)state;
	assert_int_equal(preset_parse("t", bad_date, strlen(bad_date), NULL, NULL, &p, &e), -1);
	assert_non_null(strstr(e.msg, "date"));
	assert_int_equal(preset_parse("t", twice, strlen(twice), NULL, NULL, &p, &e), -1);
	assert_non_null(strstr(e.msg, "given twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_point),
		cmocka_unit_test(test_clause_article),
		cmocka_unit_test(test_clauses),
		cmocka_unit_test(test_articles_range),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_every_preset_source),
		cmocka_unit_test(test_basis),
		cmocka_unit_test(test_documents_checked),
	};

	return cmocka_run_group_tests(tests, NULL, cp_release_all);
}
