/* test_util.c - unit tests for src/util/: buf, str, fold, tm, crypto, log.
 * Expected values come from outside the code under test: Python's hashlib and calendar.timegm,
 * libc's gmtime_r, or hand-written Vietnamese text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/crypto.h"
#include "util/fold.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

/* ---- buf ---------------------------------------------------------------------------------- */

static void test_buf_append_puts(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_null(b.p);
	assert_int_equal(buf_append(&b, "abc", 3), BUF_OK);
	assert_int_equal(buf_puts(&b, "def"), BUF_OK);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.p, "abcdef");
	assert_int_equal(buf_append(&b, "xyz", 0), BUF_OK);
	assert_int_equal(b.len, 6);
	buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
}

static void test_buf_empty_append_gives_string(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_append(&b, "", 0), BUF_OK);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	buf_free(&b);
}

static void test_buf_cap_enforced(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "12345678", 8), BUF_OK);
	assert_int_equal(buf_append(&b, "9", 1), BUF_EFULL);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.p, "12345678");
	assert_true(b.cap <= b.max + 1);
	buf_reset(&b);
	assert_int_equal(buf_append(&b, "123456789", 9), BUF_EFULL);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	buf_free(&b);

	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, "", 0), BUF_OK);
	assert_int_equal(buf_append(&b, "x", 1), BUF_EFULL);
	assert_int_equal(buf_puts(&b, "x"), BUF_EFULL);
	buf_free(&b);
}

static void test_buf_growth_many_appends(void **state)
{
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_append(&b, i % 2 ? "b" : "a", 1), BUF_OK);
	assert_int_equal(b.len, 100000);
	assert_true(b.cap <= 100001);
	assert_int_equal(strlen(b.p), 100000);
	assert_int_equal(b.p[99999], 'b');
	assert_int_equal(buf_append(&b, "c", 1), BUF_EFULL);
	buf_free(&b);
}

static void test_buf_printf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 32);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "ab"), BUF_OK);
	assert_string_equal(b.p, "42-ab");
	assert_int_equal(buf_printf(&b, "|%05.1f|", 3.14159), BUF_OK);
	assert_string_equal(b.p, "42-ab|003.1|");
	assert_int_equal(b.len, 12);
	/* 21 more bytes would make 33 > 32: refused, contents untouched */
	assert_int_equal(buf_printf(&b, "%s", "123456789012345678901"), BUF_EFULL);
	assert_string_equal(b.p, "42-ab|003.1|");
	assert_int_equal(b.len, 12);
	/* exactly to the cap is fine */
	assert_int_equal(buf_printf(&b, "%s", "12345678901234567890"), BUF_OK);
	assert_int_equal(b.len, 32);
	assert_int_equal(buf_printf(&b, "%s", ""), BUF_OK);
	assert_int_equal(buf_printf(&b, "x"), BUF_EFULL);
	buf_free(&b);
}

static void test_buf_take(void **state)
{
	struct buf b;
	char *s;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_puts(&b, "Sự cố"), BUF_OK);
	s = buf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "Sự cố");
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	/* the buffer keeps its cap and can be used again */
	assert_int_equal(buf_puts(&b, "again"), BUF_OK);
	assert_string_equal(b.p, "again");
	buf_free(&b);

	buf_init(&b, 64);
	s = buf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_buf_reset_keeps_memory(void **state)
{
	struct buf b;
	char *p;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_puts(&b, "hello"), BUF_OK);
	p = b.p;
	buf_reset(&b);
	assert_ptr_equal(b.p, p);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	assert_int_equal(buf_puts(&b, "hi"), BUF_OK);
	assert_string_equal(b.p, "hi");
	buf_free(&b);
}

/* ---- str ---------------------------------------------------------------------------------- */

static void test_str_copy(void **state)
{
	char d[8];

	(void)state;
	assert_int_equal(str_copy(d, sizeof d, "abc"), 0);
	assert_string_equal(d, "abc");
	assert_int_equal(str_copy(d, sizeof d, "1234567"), 0); /* exactly fits with NUL */
	assert_string_equal(d, "1234567");
	assert_int_equal(str_copy(d, sizeof d, "12345678"), -1);
	assert_string_equal(d, "1234567");
	assert_int_equal(str_copy(d, 1, "abc"), -1);
	assert_string_equal(d, "");
	assert_int_equal(str_copy(d, 0, "abc"), -1);
	assert_int_equal(str_copy(d, sizeof d, ""), 0);
	assert_string_equal(d, "");
}

static void test_str_copy_utf8_boundary(void **state)
{
	/* "Việt": V i E1 BB 87 t - the 3-byte ệ must never be cut in half */
	const char *src = "Vi\xe1\xbb\x87t";
	char d[8];

	(void)state;
	assert_int_equal(str_copy(d, 3, src), -1);
	assert_string_equal(d, "Vi");
	assert_int_equal(str_copy(d, 4, src), -1);
	assert_string_equal(d, "Vi");
	assert_int_equal(str_copy(d, 5, src), -1);
	assert_string_equal(d, "Vi");
	assert_int_equal(str_copy(d, 6, src), -1);
	assert_string_equal(d, "Vi\xe1\xbb\x87");
	assert_true(str_utf8_valid(d, strlen(d)));
	assert_int_equal(str_copy(d, 7, src), 0);
	assert_string_equal(d, src);
	/* a 4-byte emoji at the start: nothing of it fits in 3 bytes */
	assert_int_equal(str_copy(d, 4, "\xf0\x9f\x98\x80!"), -1);
	assert_string_equal(d, "");
}

static void test_str_to_i64_ok(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(str_to_i64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_i64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_to_i64("007", 0, 100, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(str_to_i64("-5", -10, 10, &v), 0);
	assert_true(v == -5);
	assert_int_equal(str_to_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(str_to_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(str_to_i64n("123abc", 3, 0, 1000, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(str_to_i64("10", 10, 10, &v), 0);
	assert_int_equal(v, 10);
}

static void test_str_to_i64_rejects(void **state)
{
	static const char *bad[] = {"", "-", "+5", " 5", "5 ", "12a", "1.0", "0x10", "1e3", "--1",
				    "9223372036854775808", "99999999999999999999",
				    "-9223372036854775809", "18446744073709551616"};
	int64_t v = 77;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (str_to_i64(bad[i], INT64_MIN, INT64_MAX, &v) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(v, 77); /* untouched on failure */
	/* bounds */
	assert_int_equal(str_to_i64("11", 0, 10, &v), -1);
	assert_int_equal(str_to_i64("0", 1, 10, &v), -1);
	assert_int_equal(str_to_i64("-1", 0, 10, &v), -1); /* no sign when min >= 0 */
	assert_int_equal(str_to_i64("-0", 0, 10, &v), -1);
	assert_int_equal(str_to_i64("-11", -10, 10, &v), -1);
	assert_int_equal(str_to_i64("-5", -10, -8, &v), -1); /* above a negative max */
	assert_int_equal(str_to_i64("-9", -10, -8, &v), 0);
	assert_true(v == -9);
	assert_int_equal(str_to_i64n("12", 0, 0, 100, &v), -1);
	assert_int_equal(str_to_i64n("-", 1, -10, 10, &v), -1);
}

static void test_str_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		bool ok;
	} c[] = {
		{"plain ascii", 11, true},
		{"S\xe1\xbb\xb1 c\xe1\xbb\x91", 9, true},   /* Sự cố */
		{"a\tb\nc\r", 6, true},
		{"", 0, true},
		{"\xf4\x8f\xbf\xbf", 4, true},              /* U+10FFFF */
		{"\xef\xbf\xbd", 3, true},                  /* U+FFFD */
		{"\xc2\xa0", 2, true},                      /* U+00A0, first after the C1 block */
		{"a\0b", 3, false},                         /* NUL */
		{"\x01", 1, false},
		{"\x1b[31m", 5, false},                     /* ESC */
		{"\x7f", 1, false},
		{"\xc2\x85", 2, false},                     /* U+0085 NEL, a C1 control */
		{"\xc2\x9b", 2, false},                     /* U+009B CSI */
		{"\xc0\xaf", 2, false},                     /* overlong '/' */
		{"\xc1\xbf", 2, false},                     /* overlong */
		{"\xe0\x80\xaf", 3, false},                 /* overlong 3-byte */
		{"\xe0\x9f\xbf", 3, false},                 /* overlong U+07FF */
		{"\xf0\x80\x80\xaf", 4, false},             /* overlong 4-byte */
		{"\xf0\x8f\xbf\xbf", 4, false},             /* overlong U+FFFF */
		{"\xed\xa0\x80", 3, false},                 /* U+D800 high surrogate */
		{"\xed\xbf\xbf", 3, false},                 /* U+DFFF low surrogate */
		{"\xf4\x90\x80\x80", 4, false},             /* U+110000 */
		{"\xf5\x80\x80\x80", 4, false},
		{"\xff", 1, false},
		{"\x80", 1, false},                         /* lone continuation */
		{"\xe1\xbb", 2, false},                     /* truncated */
		{"\xe1\xbbx", 3, false},                    /* bad continuation */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		if (str_utf8_valid(c[i].s, c[i].n) != c[i].ok)
			fail_msg("case %zu: expected %s", i, c[i].ok ? "valid" : "invalid");
	}
}

static void test_str_misc(void **state)
{
	static const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
	char hex[9];

	(void)state;
	assert_int_equal(str_utf8_len("S\xe1\xbb\xb1 c\xe1\xbb\x91", 9), 5);
	assert_int_equal(str_utf8_len("", 0), 0);
	str_hex(hex, bytes, sizeof bytes);
	assert_string_equal(hex, "000fa5ff");
	str_hex(hex, bytes, 0);
	assert_string_equal(hex, "");
	assert_true(str_ieq("Content-Type", "content-TYPE"));
	assert_false(str_ieq("abc", "abd"));
	assert_false(str_ieq("abc", "ab"));
	assert_false(str_ieq("ab", "abc"));
	assert_true(str_ieq("", ""));
	assert_true(str_starts("/api/v1/incidents", "/api/v1/"));
	assert_false(str_starts("/api", "/api/v1/"));
	assert_true(str_starts("x", ""));
}

/* ---- fold --------------------------------------------------------------------------------- */

static void check_fold(const char *in, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	assert_int_equal(fold_text(&b, in, n), BUF_OK);
	assert_string_equal(b.p != NULL ? b.p : "", want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

#define FOLD(in, want) check_fold((in), strlen(in), (want))

static void test_fold_examples(void **state)
{
	(void)state;
	FOLD("Sự cố đăng nhập", "su co dang nhap");
	FOLD("ĐẶNG", "dang");
	FOLD("Quảng Nam", "quang nam");
	FOLD("Đà Nẵng", "da nang");
	FOLD("Thừa Thiên Huế", "thua thien hue");
	FOLD("Bà Rịa – Vũng Tàu", "ba ria – vung tau"); /* en dash copied unchanged */
	FOLD("TẤN CÔNG DDoS", "tan cong ddos");
	FOLD("", "");
	FOLD("plain ascii 123 !?", "plain ascii 123 !?");
}

static void test_fold_all_vietnamese_letters(void **state)
{
	static const char *rows[][2] = {
		{"aàáảãạăằắẳẵặâầấẩẫậ", "aaaaaaaaaaaaaaaaaa"},
		{"AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", "aaaaaaaaaaaaaaaaaa"},
		{"eèéẻẽẹêềếểễệ", "eeeeeeeeeeee"},
		{"EÈÉẺẼẸÊỀẾỂỄỆ", "eeeeeeeeeeee"},
		{"iìíỉĩị", "iiiiii"},
		{"IÌÍỈĨỊ", "iiiiii"},
		{"oòóỏõọôồốổỗộơờớởỡợ", "oooooooooooooooooo"},
		{"OÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", "oooooooooooooooooo"},
		{"uùúủũụưừứửữự", "uuuuuuuuuuuu"},
		{"UÙÚỦŨỤƯỪỨỬỮỰ", "uuuuuuuuuuuu"},
		{"yỳýỷỹỵ", "yyyyyy"},
		{"YỲÝỶỸỴ", "yyyyyy"},
		{"đĐ", "dd"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		FOLD(rows[i][0], rows[i][1]);
}

static void test_fold_other_latin(void **state)
{
	(void)state;
	FOLD("Ð", "d"); /* U+00D0 eth, often typed in place of Đ */
	FOLD("Øresund Łódź", "oresund lodz");
	FOLD("Straße ẞ", "strasse ss");
	FOLD("Æsir Œuvre", "aesir oeuvre");
	FOLD("Ǆ ǅ ǆ", "dz dz dz");
	FOLD("Ñandú Çà Ÿ", "nandu ca y");
	FOLD("×÷", "×÷");         /* in the table range but not letters */
	FOLD("Əə", "Əə");         /* letters with no ASCII base stay as they are */
}

static void test_fold_nfd(void **state)
{
	(void)state;
	/* decomposed input: base letter followed by combining marks U+0300-U+036F */
	FOLD("Qua\xcc\x89ng Nam", "quang nam");                         /* a + hook above */
	FOLD("\xc4\x90" "a\xcc\x80 Na\xcc\x86\xcc\x83ng", "da nang");       /* Đà Nẵng */
	FOLD("S\xc6\xb0\xcc\xa3 co\xcc\x82\xcc\x81", "su co");           /* ư + dot, ô + acute */
	FOLD("U\xcc\x9b\xcc\x80", "u");                                  /* U + horn + grave */
	FOLD("\xcc\x81\xcd\xaf", "");                                    /* U+0301 U+036F alone */
	FOLD("a\xcd\xb0", "a\xcd\xb0"); /* U+0370 is past the block: copied */
}

static void test_fold_invalid_bytes(void **state)
{
	(void)state;
	FOLD("a\xff" "b", "a?b");
	FOLD("\x80", "?");
	FOLD("\xc3", "?");                /* truncated at the end */
	FOLD("x\xe1\xbb", "x??");
	FOLD("\xe1\xbbZ", "??z");         /* resynchronises on the ASCII byte */
	FOLD("\xc0\xaf", "??");           /* overlong */
	FOLD("\xed\xa0\x80", "???");      /* surrogate */
	FOLD("\xf4\x90\x80\x80", "????"); /* beyond U+10FFFF */
	FOLD("\xe1\xbb\xb1\xff\xe1\xbb\xb1", "u?u");
}

static void test_fold_unchanged_code_points(void **state)
{
	(void)state;
	FOLD("€ 中文 😀 Ω", "€ 中文 😀 Ω");
	FOLD("\xef\xbf\xbd", "\xef\xbf\xbd");
}

static void test_fold_embedded_nul_and_append(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_puts(&b, "x:"), BUF_OK);
	assert_int_equal(fold_text(&b, "A\0Ế", 5), BUF_OK); /* appends, does not reset */
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.p, "x:a\0e", 5);
	buf_free(&b);
}

static void test_fold_long_input(void **state)
{
	static const char *pieces[][2] = {{"Ấ", "a"}, {"ß", "ss"}, {"Z", "z"}};
	size_t shift;

	(void)state;
	/* several times fold.c's staging block; the output repeats every 4 bytes, so one of the four
	 * shifts puts a two-byte "ss" across the block's edge whatever the block size */
	for (shift = 0; shift < 4; shift++) {
		struct buf in, want, b;
		size_t i;

		buf_init(&in, 1 << 16);
		buf_init(&want, 1 << 16);
		buf_init(&b, 1 << 16);
		assert_int_equal(buf_append(&in, "QQQ", shift), BUF_OK);
		assert_int_equal(buf_append(&want, "qqq", shift), BUF_OK);
		for (i = 0; i < 1000; i++) {
			assert_int_equal(buf_puts(&in, pieces[i % 3][0]), BUF_OK);
			assert_int_equal(buf_puts(&want, pieces[i % 3][1]), BUF_OK);
		}
		assert_int_equal(fold_text(&b, in.p, in.len), BUF_OK);
		assert_int_equal(b.len, shift + 334 + 2 * 333 + 333);
		assert_string_equal(b.p, want.p);
		buf_free(&in);
		buf_free(&want);
		buf_free(&b);
	}
}

static void test_fold_cap(void **state)
{
	const char *s = "Sự cố đăng nhập"; /* folds to 15 bytes */
	struct buf b;

	(void)state;
	buf_init(&b, 15);
	assert_int_equal(fold_text(&b, s, strlen(s)), BUF_OK);
	assert_string_equal(b.p, "su co dang nhap");
	buf_free(&b);
	buf_init(&b, 14);
	assert_int_equal(fold_text(&b, s, strlen(s)), BUF_EFULL);
	buf_free(&b);
	buf_init(&b, 0);
	assert_int_equal(fold_text(&b, "", 0), BUF_OK);
	assert_int_equal(fold_text(&b, "a", 1), BUF_EFULL);
	buf_free(&b);
}

/* Every code point of the two table ranges folds to one or two lower-case ASCII letters or to
 * itself, and never grows (fold.c relies on that). */
static void test_fold_table_ranges(void **state)
{
	static const uint32_t ranges[][2] = {{0xC0, 0x24F}, {0x1E00, 0x1EFF}};
	size_t r;

	(void)state;
	for (r = 0; r < 2; r++) {
		uint32_t cp;

		for (cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			char in[4];
			size_t n, k;
			struct buf b;
			bool ascii = true;

			if (cp < 0x800) {
				in[0] = (char)(0xC0 | (cp >> 6));
				in[1] = (char)(0x80 | (cp & 0x3F));
				n = 2;
			} else {
				in[0] = (char)(0xE0 | (cp >> 12));
				in[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
				in[2] = (char)(0x80 | (cp & 0x3F));
				n = 3;
			}
			buf_init(&b, 16);
			assert_int_equal(fold_text(&b, in, n), BUF_OK);
			for (k = 0; k < b.len; k++)
				ascii = ascii && b.p[k] >= 'a' && b.p[k] <= 'z';
			if (!((ascii && b.len >= 1 && b.len <= 2) ||
			      (b.len == n && memcmp(b.p, in, n) == 0)))
				fail_msg("U+%04X folded to %zu bytes \"%s\"", (unsigned)cp, b.len, b.p);
			buf_free(&b);
		}
	}
}

/* ---- tm ----------------------------------------------------------------------------------- */

/* 2026-11-21T01:30:00Z = 08:30 21/11/2026 in Vietnam (Python calendar.timegm) */
#define T_0130Z 1795224600LL
/* 2026-11-20T17:00:00Z = 00:00 21/11/2026 in Vietnam */
#define T_MIDNIGHT 1795194000LL

static void test_tm_parse_ok(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} c[] = {
		{"2026-11-21T01:30:00Z", T_0130Z},
		{"2026-11-21T01:30:00z", T_0130Z},
		{"2026-11-21T08:30:00+07:00", T_0130Z},
		{"2026-11-21T08:30:00+0700", T_0130Z},
		{"2026-11-21T08:30+07:00", T_0130Z},
		{"2026-11-20T20:30:00-05:00", T_0130Z},
		{"2026-11-21T01:30:00+00:00", T_0130Z},
		{"2026-11-21T01:30:00-00:00", T_0130Z},
		{"2026-11-21T06:15:00+0445", T_0130Z},
		{"2026-11-21T08:30", T_0130Z},          /* no offset: Vietnam local */
		{"2026-11-21T08:30:00", T_0130Z},
		{"2026-11-21 08:30", T_0130Z},
		{"2026-11-21T01:30:00.123456Z", T_0130Z},
		{"2026-11-21T01:30:00.999999999Z", T_0130Z},
		{"2026-11-21T08:30:00.5", T_0130Z},
		{"2026-11-21T13:30:15+12:00", T_0130Z + 15},
		{"2026-11-21", T_MIDNIGHT},             /* a date alone: local midnight */
		{"2026-11-21T00:00", T_MIDNIGHT},
		{"2026-11-20T17:00:00Z", T_MIDNIGHT},
		{"1970-01-01T00:00:00Z", 0},
		{"1970-01-01", -TM_VN_OFFSET},
		{"9999-12-31T23:59:59Z", 253402300799LL},
		{"2024-02-29T00:00:00Z", 1709164800LL},
		{"2000-02-29T00:00:00Z", 951782400LL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		int64_t t = 0;

		if (tm_parse_iso(c[i].s, &t) != 0)
			fail_msg("rejected \"%s\"", c[i].s);
		if (t != c[i].t)
			fail_msg("\"%s\" -> %lld, want %lld", c[i].s, (long long)t, (long long)c[i].t);
	}
}

static void test_tm_parse_rejects(void **state)
{
	static const char *bad[] = {
		"", "2026", "2026-11", "2026-02-30", "2026-13-01", "2026-00-10", "2026-11-00",
		"2026-11-31", "2023-02-29", "2100-02-29", "2026-11-21T25:00", "2026-11-21T24:00",
		"2026-11-21T08:60", "2026-11-21T08:30:60", "2026-11-21T08:30Zjunk", "2026-11-21x",
		"2026-11-21 ", " 2026-11-21", "2026-11-21T", "2026-11-21T8:30", "2026-11-21T08",
		"2026-11-21T08:3", "2026-1-21", "26-11-21", "1969-12-31", "1969-12-31T23:59:59Z",
		"10000-01-01", "0000-01-01", "2026-11-21Z", "2026-11-21+07:00", "2026-11-21T08:30+07",
		"2026-11-21T08:30+7:00", "2026-11-21T08:30+24:00", "2026-11-21T08:30+07:60",
		"2026-11-21T08:30+07:00:00", "2026-11-21T08:30:00.", "2026-11-21T08:30:00.Z",
		"2026-11-21T08:30:00.1234567890Z", "2026-11-21T08:30.5", "2026/11/21", "+2026-11-21",
		"2026-11-21T08:30:00+07:00 ", "2026-11-21T08:30:00ZZ", "2026-11-21t08:30:00:00",
		"2026-11-21T-1:30", "2026-11-21\n", "abcd-ef-gh",
	};
	size_t i;
	int64_t t = 12345;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (tm_parse_iso(bad[i], &t) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_true(t == 12345); /* untouched on failure */
}

static void test_tm_format_iso(void **state)
{
	char out[TM_ISO_MAX];

	(void)state;
	assert_int_equal(tm_format_iso(T_0130Z, out, sizeof out), 0);
	assert_string_equal(out, "2026-11-21T01:30:00Z");
	assert_int_equal(tm_format_iso(0, out, sizeof out), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(tm_format_iso(-1, out, sizeof out), 0);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	assert_int_equal(tm_format_iso(253402300799LL, out, sizeof out), 0);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	assert_int_equal(tm_format_iso(253402300800LL, out, sizeof out), -1);
	assert_int_equal(tm_format_iso(INT64_MAX, out, sizeof out), -1);
	assert_int_equal(tm_format_iso(INT64_MIN, out, sizeof out), -1);
	assert_int_equal(tm_format_iso(T_0130Z, out, 21), 0);
	assert_int_equal(tm_format_iso(T_0130Z, out, 20), -1);
	assert_int_equal(tm_format_iso(T_0130Z, out, 0), -1);
}

/* format -> parse returns the same second, and the text matches libc's gmtime_r, over 1970..2200
 * in steps that hit every second-of-minute and every day-of-month sooner or later. */
static void test_tm_round_trip_vs_libc(void **state)
{
	int64_t t;

	(void)state;
	for (t = -TM_VN_OFFSET; t < 7258118400LL; t += 86400 * 3 + 3607) {
		char ours[TM_ISO_MAX], libc[TM_ISO_MAX];
		time_t tt = (time_t)t;
		struct tm g;
		int64_t back = 0;

		assert_int_equal(tm_format_iso(t, ours, sizeof ours), 0);
		assert_non_null(gmtime_r(&tt, &g));
		assert_int_not_equal(strftime(libc, sizeof libc, "%Y-%m-%dT%H:%M:%SZ", &g), 0);
		if (strcmp(ours, libc) != 0)
			fail_msg("t=%lld: %s != libc %s", (long long)t, ours, libc);
		if (t >= 0) {
			assert_int_equal(tm_parse_iso(ours, &back), 0);
			if (back != t)
				fail_msg("%s parsed back to %lld", ours, (long long)back);
		}
	}
}

static void test_tm_vn_formats(void **state)
{
	char out[TM_ISO_MAX];

	(void)state;
	assert_int_equal(tm_format_vn_date(T_MIDNIGHT, out, sizeof out), 0);
	assert_string_equal(out, "21/11/2026");
	assert_int_equal(tm_format_vn_date(T_MIDNIGHT - 1, out, sizeof out), 0);
	assert_string_equal(out, "20/11/2026");
	assert_int_equal(tm_format_vn_datetime(T_MIDNIGHT, out, sizeof out), 0);
	assert_string_equal(out, "00:00 21/11/2026");
	assert_int_equal(tm_format_vn_datetime(T_0130Z, out, sizeof out), 0);
	assert_string_equal(out, "08:30 21/11/2026");
	assert_int_equal(tm_format_vn_datetime(T_MIDNIGHT - 60, out, sizeof out), 0);
	assert_string_equal(out, "23:59 20/11/2026");
	assert_int_equal(tm_format_vn_date(0, out, sizeof out), 0);
	assert_string_equal(out, "01/01/1970");
	assert_int_equal(tm_format_vn_date(T_MIDNIGHT, out, 10), -1);
	assert_int_equal(tm_format_vn_date(T_MIDNIGHT, out, 11), 0);
	assert_int_equal(tm_format_vn_datetime(T_MIDNIGHT, out, 16), -1);
	assert_int_equal(tm_format_vn_date(INT64_MAX, out, sizeof out), -1);
}

static void test_tm_vn_words(void **state)
{
	char out[TM_ISO_MAX];

	(void)state;
	/* 2026-02-04T17:00:00Z is 00:00 on 5 February 2026 in Vietnam */
	assert_int_equal(tm_format_vn_words(1770224400LL, out, sizeof out), 0);
	assert_string_equal(out, "ngày 05 tháng 02 năm 2026");
	assert_int_equal(tm_format_vn_words(1770224400LL - 1, out, sizeof out), 0);
	assert_string_equal(out, "ngày 04 tháng 02 năm 2026");
	assert_int_equal(tm_format_vn_words(T_0130Z, out, sizeof out), 0);
	assert_string_equal(out, "ngày 21 tháng 11 năm 2026");
	assert_true(str_utf8_valid(out, strlen(out)));
	/* 28 bytes of UTF-8 + NUL */
	assert_int_equal(strlen(out), 28);
	assert_int_equal(tm_format_vn_words(T_0130Z, out, 28), -1);
	assert_int_equal(tm_format_vn_words(T_0130Z, out, 29), 0);
}

static void check_fields(int64_t t, int y, int mo, int d, int h, int mi, int s)
{
	int fy, fmo, fd, fh, fmi, fs;

	tm_vn_fields(t, &fy, &fmo, &fd, &fh, &fmi, &fs);
	if (fy != y || fmo != mo || fd != d || fh != h || fmi != mi || fs != s)
		fail_msg("t=%lld: %04d-%02d-%02d %02d:%02d:%02d", (long long)t, fy, fmo, fd, fh, fmi,
			 fs);
}

static void test_tm_vn_fields_midnight_boundaries(void **state)
{
	int64_t ny = 0;

	(void)state;
	check_fields(T_MIDNIGHT, 2026, 11, 21, 0, 0, 0);
	check_fields(T_MIDNIGHT - 1, 2026, 11, 20, 23, 59, 59);
	check_fields(T_0130Z, 2026, 11, 21, 8, 30, 0);
	check_fields(0, 1970, 1, 1, 7, 0, 0);
	check_fields(-TM_VN_OFFSET, 1970, 1, 1, 0, 0, 0);
	check_fields(-TM_VN_OFFSET - 1, 1969, 12, 31, 23, 59, 59);
	assert_int_equal(tm_parse_iso("2026-12-31T17:00:00Z", &ny), 0);
	check_fields(ny, 2027, 1, 1, 0, 0, 0);
	check_fields(ny - 1, 2026, 12, 31, 23, 59, 59);
	assert_true(tm_vn_midnight(2027, 1, 1) == ny);
	assert_true(tm_vn_midnight(2026, 11, 21) == T_MIDNIGHT);
	check_fields(tm_vn_midnight(2024, 2, 29), 2024, 2, 29, 0, 0, 0);
	check_fields(tm_vn_midnight(2024, 3, 1) - 1, 2024, 2, 29, 23, 59, 59);
	/* extreme values must not crash or trip UBSan */
	{
		int y, mo, d, h, mi, s;

		tm_vn_fields(INT64_MAX, &y, &mo, &d, &h, &mi, &s);
		tm_vn_fields(INT64_MIN, &y, &mo, &d, &h, &mi, &s);
		assert_true(h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60);
	}
}

/* Walks every day from 1970 to 9999 by counting with tm_days_in_month: each local midnight is
 * exactly one day after the previous and breaks back into the same date. */
static void test_tm_every_day(void **state)
{
	int64_t prev = tm_vn_midnight(1969, 12, 31);
	int y, m, d;

	(void)state;
	for (y = 1970; y <= 9999; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= tm_days_in_month(y, m); d++) {
				int64_t t = tm_vn_midnight(y, m, d);
				int fy, fm, fd, fh, fmi, fs;

				if (t != prev + 86400)
					fail_msg("%04d-%02d-%02d not one day after the previous", y, m, d);
				tm_vn_fields(t, &fy, &fm, &fd, &fh, &fmi, &fs);
				if (fy != y || fm != m || fd != d || fh != 0 || fmi != 0 || fs != 0)
					fail_msg("%04d-%02d-%02d broke into %04d-%02d-%02d", y, m, d, fy,
						 fm, fd);
				prev = t;
			}
		}
	}
}

static void test_tm_midnight_and_month_lengths(void **state)
{
	(void)state;
	assert_true(tm_vn_midnight(2026, 2, 30) == -1);
	assert_true(tm_vn_midnight(2026, 13, 1) == -1);
	assert_true(tm_vn_midnight(2026, 0, 1) == -1);
	assert_true(tm_vn_midnight(2026, 1, 0) == -1);
	assert_true(tm_vn_midnight(2026, 4, 31) == -1);
	assert_true(tm_vn_midnight(10000, 1, 1) == -1);
	assert_true(tm_vn_midnight(1970, 1, 1) == -TM_VN_OFFSET);
	assert_int_equal(tm_days_in_month(2024, 2), 29);
	assert_int_equal(tm_days_in_month(2023, 2), 28);
	assert_int_equal(tm_days_in_month(1900, 2), 28);
	assert_int_equal(tm_days_in_month(2000, 2), 29);
	assert_int_equal(tm_days_in_month(2100, 2), 28);
	assert_int_equal(tm_days_in_month(2026, 1), 31);
	assert_int_equal(tm_days_in_month(2026, 4), 30);
	assert_int_equal(tm_days_in_month(2026, 12), 31);
	assert_int_equal(tm_days_in_month(2026, 0), 0);
	assert_int_equal(tm_days_in_month(2026, 13), 0);
}

static void test_tm_now_fake_and_mono(void **state)
{
	struct timespec pause = {0, 2000000};
	int64_t real, a, b;

	(void)state;
	assert_int_equal(setenv("UNGCUU_FAKE_NOW", "1795224600", 1), 0);
	assert_true(tm_now() == T_0130Z);
	assert_int_equal(setenv("UNGCUU_FAKE_NOW", "-5", 1), 0);
	assert_true(tm_now() == -5);
	real = (int64_t)time(NULL);
	assert_int_equal(setenv("UNGCUU_FAKE_NOW", "1795224600@1000", 1), 0); /* running */
	a = tm_now() - T_0130Z - (real - 1000);
	assert_true(a >= 0 && a <= 5);
	assert_int_equal(setenv("UNGCUU_FAKE_NOW", "1795224600@x", 1), 0); /* garbage: real clock */
	assert_true(tm_now() >= real && tm_now() <= real + 5);
	assert_int_equal(setenv("UNGCUU_FAKE_NOW", "soon", 1), 0); /* garbage: real clock */
	real = (int64_t)time(NULL);
	assert_true(tm_now() >= real && tm_now() <= real + 5);
	assert_int_equal(unsetenv("UNGCUU_FAKE_NOW"), 0);
	assert_true(tm_now() >= real && tm_now() <= real + 5);

	a = tm_mono_us();
	assert_int_equal(nanosleep(&pause, NULL), 0);
	b = tm_mono_us();
	assert_true(b - a >= 2000);
	assert_true(b - a < 10 * 1000000);
}

/* ---- crypto ------------------------------------------------------------------------------- */

static void test_crypto_token(void **state)
{
	char a[CRYPTO_TOKEN_CHARS], b[CRYPTO_TOKEN_CHARS]; /* exact size: ASan sees any overrun */
	size_t i;

	(void)state;
	crypto_token(a);
	crypto_token(b);
	assert_int_equal(strlen(a), 43);
	assert_int_equal(strlen(b), 43);
	assert_string_not_equal(a, b);
	for (i = 0; i < 43; i++) {
		char c = a[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			fail_msg("token char %zu is '%c'", i, c);
	}
}

static void test_crypto_random(void **state)
{
	unsigned char x[32], y[32];

	(void)state;
	memset(x, 0, sizeof x);
	memset(y, 0, sizeof y);
	crypto_random(x, sizeof x);
	crypto_random(y, sizeof y);
	assert_memory_not_equal(x, y, sizeof x);
}

static void test_crypto_blake2b(void **state)
{
	char h[CRYPTO_HASH_HEX], h2[CRYPTO_HASH_HEX];

	(void)state;
	/* expected values from Python hashlib.blake2b(digest_size=32) */
	crypto_blake2b_hex(h, "", 0);
	assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	crypto_blake2b_hex(h, "abc", 3);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	crypto_blake2b_hex(h, "Sự cố", strlen("Sự cố"));
	assert_string_equal(h, "4cd933722f2fecf0b5439f0dd36649701c0880cc9d93e4a2fd7477cbc199acfd");
	crypto_blake2b2_hex(h2, "a", 1, "bc", 2);
	assert_string_equal(h2, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	crypto_blake2b2_hex(h2, "", 0, "", 0);
	assert_string_equal(h2, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void test_crypto_pw(void **state)
{
	char h1[CRYPTO_PWHASH_MAX], h2[CRYPTO_PWHASH_MAX];

	(void)state;
	assert_int_equal(setenv("UNGCUU_FAST_HASH", "1", 1), 0);
	assert_int_equal(crypto_pw_hash(h1, "Mật khẩu 123"), 0);
	assert_int_equal(crypto_pw_hash(h2, "Mật khẩu 123"), 0);
	assert_true(str_starts(h1, "$argon2id$"));
	assert_string_not_equal(h1, h2); /* random salt */
	assert_int_equal(crypto_pw_verify(h1, "Mật khẩu 123"), 0);
	assert_int_equal(crypto_pw_verify(h2, "Mật khẩu 123"), 0);
	assert_int_equal(crypto_pw_verify(h1, "Mat khau 123"), -1);
	assert_int_equal(crypto_pw_verify(h1, ""), -1);
	assert_int_equal(crypto_pw_verify("not a hash", "Mật khẩu 123"), -1);
	assert_int_equal(crypto_pw_verify("", ""), -1);
	assert_int_equal(crypto_pw_hash(h1, ""), 0);
	assert_int_equal(crypto_pw_verify(h1, ""), 0);
	assert_int_equal(unsetenv("UNGCUU_FAST_HASH"), 0);
}

static void test_crypto_streq(void **state)
{
	(void)state;
	assert_int_equal(crypto_streq("abc", "abc"), 0);
	assert_int_equal(crypto_streq("", ""), 0);
	assert_int_equal(crypto_streq("abc", "abd"), -1);
	assert_int_equal(crypto_streq("abc", "abcd"), -1);
	assert_int_equal(crypto_streq("abcd", "abc"), -1);
}

/* ---- log ---------------------------------------------------------------------------------- */

/* Runs the log calls with stderr pointed at a temporary file and returns what was written. */
static void test_log_lines(void **state)
{
	char got[256];
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	(void)state;
	assert_non_null(tmp);
	assert_int_equal(setenv("UNGCUU_FAKE_NOW", "1795224600", 1), 0);
	fflush(stderr);
	saved = dup(fileno(stderr));
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), fileno(stderr)) >= 0);
	log_set_level(LOG_WARN);
	log_info("hidden %d", 1);
	log_debug("hidden too");
	log_warn("shown %d", 7);
	log_err("Lỗi %s", "nặng");
	log_set_level(LOG_INFO);
	fflush(stderr);
	assert_true(dup2(saved, fileno(stderr)) >= 0);
	close(saved);
	unsetenv("UNGCUU_FAKE_NOW");
	rewind(tmp);
	n = fread(got, 1, sizeof got - 1, tmp);
	got[n] = '\0';
	fclose(tmp);
	assert_string_equal(got, "2026-11-21T01:30:00Z warn shown 7\n"
				 "2026-11-21T01:30:00Z error Lỗi nặng\n");
}

static int group_setup(void **state)
{
	(void)state;
	unsetenv("UNGCUU_FAKE_NOW");
	return crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_append_puts),
		cmocka_unit_test(test_buf_empty_append_gives_string),
		cmocka_unit_test(test_buf_cap_enforced),
		cmocka_unit_test(test_buf_growth_many_appends),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_take),
		cmocka_unit_test(test_buf_reset_keeps_memory),
		cmocka_unit_test(test_str_copy),
		cmocka_unit_test(test_str_copy_utf8_boundary),
		cmocka_unit_test(test_str_to_i64_ok),
		cmocka_unit_test(test_str_to_i64_rejects),
		cmocka_unit_test(test_str_utf8_valid),
		cmocka_unit_test(test_str_misc),
		cmocka_unit_test(test_fold_examples),
		cmocka_unit_test(test_fold_all_vietnamese_letters),
		cmocka_unit_test(test_fold_other_latin),
		cmocka_unit_test(test_fold_nfd),
		cmocka_unit_test(test_fold_invalid_bytes),
		cmocka_unit_test(test_fold_unchanged_code_points),
		cmocka_unit_test(test_fold_embedded_nul_and_append),
		cmocka_unit_test(test_fold_long_input),
		cmocka_unit_test(test_fold_cap),
		cmocka_unit_test(test_fold_table_ranges),
		cmocka_unit_test(test_tm_parse_ok),
		cmocka_unit_test(test_tm_parse_rejects),
		cmocka_unit_test(test_tm_format_iso),
		cmocka_unit_test(test_tm_round_trip_vs_libc),
		cmocka_unit_test(test_tm_vn_formats),
		cmocka_unit_test(test_tm_vn_words),
		cmocka_unit_test(test_tm_vn_fields_midnight_boundaries),
		cmocka_unit_test(test_tm_every_day),
		cmocka_unit_test(test_tm_midnight_and_month_lengths),
		cmocka_unit_test(test_tm_now_fake_and_mono),
		cmocka_unit_test(test_crypto_token),
		cmocka_unit_test(test_crypto_random),
		cmocka_unit_test(test_crypto_blake2b),
		cmocka_unit_test(test_crypto_pw),
		cmocka_unit_test(test_crypto_streq),
		cmocka_unit_test(test_log_lines),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
