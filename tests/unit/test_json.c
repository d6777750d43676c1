/* test_json.c - unit tests for http_json_write (src/http/json.c): the response writer must give
 * the bytes jansson's own compact dump gives, for every kind of value, and stop at the buffer's
 * cap. Expected text comes from json_dumps(JSON_COMPACT) or is written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

/* Writes v and compares with jansson's compact dump and, when given, the expected text. */
static void check(json_t *v, const char *expect)
{
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	struct buf b;

	assert_non_null(want);
	buf_init(&b, 1u << 20);
	assert_int_equal(http_json_write(&b, v), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.p, want, b.len);
	if (expect != NULL)
		assert_string_equal(b.p, expect);
	buf_free(&b);
	free(want);
	json_decref(v);
}

static void test_scalars(void **state)
{
	(void)state;
	check(json_true(), "true");
	check(json_false(), "false");
	check(json_null(), "null");
	check(json_integer(0), "0");
	check(json_integer(-17), "-17");
	check(json_integer(INT64_MAX), "9223372036854775807");
	check(json_integer(INT64_MIN), "-9223372036854775808");
}

static void test_reals_as_jansson(void **state)
{
	(void)state;
	check(json_real(1.0), "1.0");
	check(json_real(-0.0), "-0.0");
	check(json_real(0.1), NULL);
	check(json_real(1e20), NULL);
	check(json_real(1e100), NULL);
	check(json_real(1.5e-7), NULL);
	check(json_real(-2.5e-300), NULL);
	check(json_real(123456789.125), NULL);
}

static void test_strings_escaped(void **state)
{
	(void)state;
	check(json_string("sự cố đăng nhập"), "\"sự cố đăng nhập\"");
	check(json_string("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
	check(json_string("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
	check(json_string("\x01\x1f\x7f"), "\"\\u0001\\u001F\x7f\"");
	check(json_stringn("a\0b", 3), "\"a\\u0000b\"");
	check(json_string(""), "\"\"");
	check(json_string("𝄞 \xe2\x80\xa8"), NULL); /* 4-byte UTF-8 and U+2028 pass through */
}

static void test_containers_in_order(void **state)
{
	json_t *o = json_object(), *a = json_array();

	(void)state;
	check(json_object(), "{}");
	check(json_array(), "[]");
	json_object_set_new(o, "zeta", json_integer(1));
	json_object_set_new(o, "alpha", json_pack("[s,i,b,n,{}]", "x", 2, 1));
	json_object_setn_new(o, "k\0ey", 4, json_string("v"));
	json_object_set_new(o, "tiêu đề\n", json_string("y"));
	check(o, "{\"zeta\":1,\"alpha\":[\"x\",2,true,null,{}],\"k\\u0000ey\":\"v\","
		 "\"tiêu đề\\n\":\"y\"}");
	for (int i = 0; i < 3000; i++) /* more than one staging chunk */
		json_array_append_new(a, json_pack("{s:s, s:i}", "title", "Tấn công từ chối dịch vụ",
						   "i", i));
	check(a, NULL);
}

static void test_long_string_past_chunk(void **state)
{
	char *s = malloc(20001);

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 20000; i++)
		s[i] = (char)(i % 97 == 0 ? '"' : 'a' + i % 26);
	s[20000] = '\0';
	check(json_string(s), NULL);
	free(s);
}

static void test_cap_and_depth(void **state)
{
	json_t *deep = json_array(), *cur = deep, *s = json_string("longer than ten bytes");
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_not_equal(http_json_write(&b, s), 0);
	buf_free(&b);
	json_decref(s);
	for (int i = 0; i < 80; i++) {
		json_t *next = json_array();

		json_array_append_new(cur, next);
		cur = next;
	}
	buf_init(&b, 1u << 20);
	assert_int_not_equal(http_json_write(&b, deep), 0);
	assert_int_not_equal(http_json_write(&b, NULL), 0);
	buf_free(&b);
	json_decref(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_reals_as_jansson),
		cmocka_unit_test(test_strings_escaped),
		cmocka_unit_test(test_containers_in_order),
		cmocka_unit_test(test_long_string_past_chunk),
		cmocka_unit_test(test_cap_and_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
