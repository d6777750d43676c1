/* test_passwd.c - unit tests for src/core/passwd.c: the classes of code points (Unicode General
 * Category) and the password policy of 001 Đ8. Expected values are written by hand: the
 * Vietnamese alphabet, and the categories the Unicode Character Database gives the other code
 * points (checked against Python's unicodedata). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/passwd.h"

/* Decodes the next code point of valid UTF-8 text (the tests' own decoder). */
static const char *next_cp(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
	uint32_t v = len == 1   ? u[0]
		     : len == 2 ? u[0] & 0x1Fu
		     : len == 3 ? u[0] & 0x0Fu
				: u[0] & 0x07u;

	for (size_t i = 1; i < len; i++)
		v = v << 6 | (u[i] & 0x3Fu);
	*cp = v;
	return s + len;
}

/* Every code point of text is in class c. */
static void assert_all(const char *text, enum passwd_class c)
{
	size_t n = 0;

	for (const char *p = text; *p;) {
		uint32_t cp;

		p = next_cp(p, &cp);
		if (passwd_class(cp) != c)
			fail_msg("U+%04X in \"%s\": class %d, expected %d", (unsigned)cp, text,
				 (int)passwd_class(cp), (int)c);
		n++;
	}
	assert_true(n > 0);
}

/* ---- classes ------------------------------------------------------------------------------ */

/* The 89 lower-case letters of Vietnamese (29 letters, the 12 vowels with their 5 tone marks)
 * and their upper case: diacritics in Latin-1 (à, é, ô), Latin Extended-A (ă, đ, ĩ, ũ), Latin
 * Extended-B (ơ, ư) and Latin Extended Additional (ạ, ả, ằ ... ỹ). */
static const char vi_lower[] = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợ"
			       "pqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
static const char vi_upper[] = "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"
			       "PQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ";

static void test_class_vietnamese_letters(void **state)
{
	(void)state;
	assert_all(vi_lower, PASSWD_LOWER_CASE);
	assert_all(vi_upper, PASSWD_UPPER_CASE);
	/* the review's letters one by one */
	assert_int_equal(passwd_class(0x1EA1), PASSWD_LOWER_CASE); /* ạ */
	assert_int_equal(passwd_class(0x1EA2), PASSWD_UPPER_CASE); /* Ả */
	assert_int_equal(passwd_class(0x0111), PASSWD_LOWER_CASE); /* đ */
	assert_int_equal(passwd_class(0x0110), PASSWD_UPPER_CASE); /* Đ */
	assert_int_equal(passwd_class(0x01B0), PASSWD_LOWER_CASE); /* ư */
	assert_int_equal(passwd_class(0x01A0), PASSWD_UPPER_CASE); /* Ơ */
}

static void test_class_ascii(void **state)
{
	(void)state;
	assert_all("abcdefghijklmnopqrstuvwxyz", PASSWD_LOWER_CASE);
	assert_all("ABCDEFGHIJKLMNOPQRSTUVWXYZ", PASSWD_UPPER_CASE);
	assert_all("0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", PASSWD_DIGIT_SYMBOL);
}

static void test_class_other_scripts(void **state)
{
	(void)state;
	assert_all("αβγωάђдяß", PASSWD_LOWER_CASE);  /* Greek, Cyrillic, German sharp s */
	assert_all("ΑΒΓΩΆЂДЯẞ", PASSWD_UPPER_CASE);
	assert_int_equal(passwd_class(0x01C5), PASSWD_UPPER_CASE); /* ǅ, titlecase (Lt) */
	assert_int_equal(passwd_class(0x1D400), PASSWD_UPPER_CASE); /* MATHEMATICAL BOLD A */
	assert_int_equal(passwd_class(0x1D41A), PASSWD_LOWER_CASE); /* mathematical bold a */
	assert_int_equal(passwd_class(0x0138), PASSWD_LOWER_CASE);  /* ĸ among alternating pairs */
	assert_int_equal(passwd_class(0x0139), PASSWD_UPPER_CASE);  /* Ĺ */
	assert_int_equal(passwd_class(0x0178), PASSWD_UPPER_CASE);  /* Ÿ */
}

static void test_class_no_case_and_marks(void **state)
{
	(void)state;
	assert_all("漢字ກขあア", PASSWD_NO_CLASS); /* Lo: Han, Lao, Thai, kana */
	/* the combining marks of Vietnamese in decomposed form: grave, acute, tilde, hook above,
	 * dot below, circumflex, breve, horn */
	assert_all("\xcc\x80\xcc\x81\xcc\x83\xcc\x89\xcc\xa3\xcc\x82\xcc\x86\xcc\x9b",
		   PASSWD_NO_CLASS);
	assert_int_equal(passwd_class(0x02B0), PASSWD_NO_CLASS); /* ʰ, modifier letter (Lm) */
}

static void test_class_digits_and_symbols(void **state)
{
	(void)state;
	/* Nd of other scripts, No, Sc, Sm, So, Pd, Zs (no-break space), and an unassigned code
	 * point outside any letter run */
	assert_all("٣९²€₫±©—\xc2\xa0", PASSWD_DIGIT_SYMBOL);
	assert_int_equal(passwd_class(0x0378), PASSWD_DIGIT_SYMBOL); /* unassigned, Greek block */
	assert_int_equal(passwd_class(0x10FFFF), PASSWD_DIGIT_SYMBOL);
}

/* ---- the policy --------------------------------------------------------------------------- */

/* The reason in both languages, "vi | en". */
static const char *why_text(const struct msg *m)
{
	static char out[1100];
	char vi[512], en[512];

	msg_render(m, MSG_VI, vi, sizeof vi);
	msg_render(m, MSG_EN, en, sizeof en);
	snprintf(out, sizeof out, "%s | %s", vi, en);
	return out;
}

static void assert_refused(const char *user, const char *pw, const char *why_has)
{
	struct msg why = {0};

	if (passwd_check(user, pw, &why) == 0)
		fail_msg("accepted \"%s\"", pw);
	assert_int_not_equal(why.id, M_none);
	assert_non_null(strstr(why_text(&why), why_has));
}

static void assert_accepted(const char *user, const char *pw)
{
	struct msg why = {0};

	if (passwd_check(user, pw, &why) != 0)
		fail_msg("refused \"%s\": %s", pw, why_text(&why));
}

static void test_policy_classes_by_category(void **state)
{
	(void)state;
	/* the review: no digit or symbol, the diacritics are letters */
	assert_refused("taichinh", "Bảomậtcao", "digit or symbol");
	assert_refused("taichinh", "ĐạiHọcBáchKhoa", "digit or symbol");
	/* Bảomậtcao decomposed: b a + hook above, o m a + dot below + circumflex, t c a o */
	assert_refused("taichinh", "Ba\xcc\x89oma\xcc\xa3\xcc\x82tcao", "digit or symbol");
	assert_refused("taichinh", "bảomật-cao1", "upper case");
	assert_refused("taichinh", "BẢOMẬT-CAO1", "lower case");
	assert_refused("taichinh", "漢字漢字漢字A1", "lower case");
	assert_accepted("taichinh", "Bảomật-cao1");
	assert_accepted("taichinh", "đẠIHỌC2026");  /* đ is the only lower-case letter */
	assert_accepted("taichinh", "ưƠNGĐẠI 2026");
	assert_accepted("taichinh", "ƠiBạn-ơi");
	assert_accepted("taichinh", "Mật khẩu dài");  /* a space is a symbol */
	assert_accepted("taichinh", "Demo@2026");
}

static void test_policy_length_in_code_points(void **state)
{
	char long_pw[600];
	size_t n = 0;

	(void)state;
	assert_refused("taichinh", "Aạ1ạạạạ", "8");   /* 7 code points, 13 bytes */
	assert_accepted("taichinh", "Aạ1ạạạạạ");       /* 8 */
	/* 128 code points of two bytes each pass; 129 do not */
	memcpy(long_pw, "Aa1", 3);
	n = 3;
	for (int i = 0; i < 125; i++, n += 2)
		memcpy(long_pw + n, "\xc3\xa0", 2); /* à */
	long_pw[n] = '\0';
	assert_accepted("taichinh", long_pw);
	memcpy(long_pw + n, "\xc3\xa0", 3); /* one more, and the NUL */
	assert_refused("taichinh", long_pw, "128");
}

static void test_policy_username_and_invalid_text(void **state)
{
	(void)state;
	assert_refused("taichinh", "Xy#1TAICHINHz", "username");
	assert_accepted("ab", "Xy#1abcdefg"); /* usernames under 3 characters are not searched */
	assert_refused("taichinh", "Bảomật\xff-cao1", "invalid");
	assert_refused("taichinh", "Bảomật\x01-cao1", "invalid");
	assert_refused("taichinh", "Ba\xc3-cao1xyz", "invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_vietnamese_letters),
		cmocka_unit_test(test_class_ascii),
		cmocka_unit_test(test_class_other_scripts),
		cmocka_unit_test(test_class_no_case_and_marks),
		cmocka_unit_test(test_class_digits_and_symbols),
		cmocka_unit_test(test_policy_classes_by_category),
		cmocka_unit_test(test_policy_length_in_code_points),
		cmocka_unit_test(test_policy_username_and_invalid_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
