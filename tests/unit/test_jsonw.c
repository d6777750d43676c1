/* test_jsonw.c - unit tests for util/jsonw.c: the commas and brackets come out right however the
 * values are nested, every misuse is an error jsonw_end reports (never silently wrong text), and
 * what it writes reads back with jansson as what was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/jsonw.h"

struct fixture {
	struct buf b;
	struct jsonw w;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	buf_init(&f->b, 1u << 20);
	jsonw_init(&f->w, &f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	buf_free(&f->b);
	free(f);
	return 0;
}

static void expect_text(struct fixture *f, const char *want)
{
	assert_int_equal(jsonw_end(&f->w), 0);
	assert_string_equal(f->b.p, want);
}

static void test_nesting_and_commas(void **state)
{
	struct fixture *f = *state;
	struct jsonw *w = &f->w;

	jsonw_object(w);
	jsonw_member_text(w, "a", "x");
	jsonw_keyz(w, "list");
	jsonw_array(w);
	jsonw_int(w, 1);
	jsonw_object(w);
	jsonw_close(w);
	jsonw_array(w);
	jsonw_close(w);
	jsonw_bool(w, false);
	jsonw_null(w);
	jsonw_close(w);
	jsonw_keyz(w, "empty");
	jsonw_object(w);
	jsonw_close(w);
	jsonw_keyz(w, "raw");
	jsonw_raw(w, "{\"k\":[1,2]}", 11);
	jsonw_member_time(w, "at", 1795743000);
	jsonw_member_time(w, "never", 0);
	jsonw_keyz(w, "n");
	jsonw_int(w, INT64_MIN);
	jsonw_close(w);
	expect_text(f, "{\"a\":\"x\",\"list\":[1,{},[],false,null],\"empty\":{},\"raw\":{\"k\":[1,2]},"
		       "\"at\":\"2026-11-27T01:30:00Z\",\"never\":null,\"n\":-9223372036854775808}");
}

static void test_strings_as_jansson_writes_them(void **state)
{
	struct fixture *f = *state;
	const char s[] = "Sự cố \"đăng nhập\"\\\n\t\x01\x1f/";
	json_t *back;

	jsonw_string(&f->w, s, sizeof s - 1);
	expect_text(f, "\"Sự cố \\\"đăng nhập\\\"\\\\\\n\\t\\u0001\\u001F/\"");
	back = json_loads(f->b.p, JSON_DECODE_ANY, NULL);
	assert_non_null(back);
	assert_string_equal(json_string_value(back), s);
	json_decref(back);
}

static void test_top_level_scalar(void **state)
{
	struct fixture *f = *state;

	jsonw_real(&f->w, 1.0);
	expect_text(f, "1.0");
}

/* Each misuse on a fresh writer: jsonw_end must fail. */
static void misuse(int which)
{
	struct buf b;
	struct jsonw w;

	buf_init(&b, 1u << 16);
	jsonw_init(&w, &b);
	switch (which) {
	case 0: /* a value in an object without its key */
		jsonw_object(&w);
		jsonw_int(&w, 1);
		jsonw_close(&w);
		break;
	case 1: /* a key in an array */
		jsonw_array(&w);
		jsonw_keyz(&w, "k");
		jsonw_close(&w);
		break;
	case 2: /* a close without an open */
		jsonw_close(&w);
		break;
	case 3: /* left open */
		jsonw_object(&w);
		break;
	case 4: /* a key without its value */
		jsonw_object(&w);
		jsonw_keyz(&w, "k");
		jsonw_close(&w);
		break;
	case 5: /* two values at the top */
		jsonw_int(&w, 1);
		jsonw_int(&w, 2);
		break;
	case 6: /* two keys in a row */
		jsonw_object(&w);
		jsonw_keyz(&w, "a");
		jsonw_keyz(&w, "b");
		jsonw_int(&w, 1);
		jsonw_close(&w);
		break;
	default: /* deeper than the limit */
		for (int i = 0; i <= JSONW_MAX_DEPTH; i++)
			jsonw_array(&w);
		for (int i = 0; i <= JSONW_MAX_DEPTH; i++)
			jsonw_close(&w);
		break;
	}
	assert_int_equal(jsonw_end(&w), -1);
	buf_free(&b);
}

static void test_misuse_is_an_error(void **state)
{
	(void)state;
	for (int i = 0; i <= 7; i++)
		misuse(i);
}

static void test_deepest_allowed(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_array(&f->w);
	for (int i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_close(&f->w);
	assert_int_equal(jsonw_end(&f->w), 0);
	assert_int_equal(f->b.len, 2 * JSONW_MAX_DEPTH);
}

/* Past the buffer's cap: an error, and what was appended stays within the cap. */
static void test_cap(void **state)
{
	struct buf b;
	struct jsonw w;
	char big[3 * JSONW_CHUNK];

	(void)state;
	memset(big, 'a', sizeof big);
	buf_init(&b, 2 * JSONW_CHUNK);
	jsonw_init(&w, &b);
	jsonw_array(&w);
	for (int i = 0; i < 100; i++)
		jsonw_string(&w, big, 100);
	jsonw_string(&w, big, sizeof big);
	jsonw_close(&w);
	assert_int_equal(jsonw_end(&w), -1);
	assert_true(b.len <= 2 * JSONW_CHUNK);
	buf_free(&b);
}

/* A long text crossing the staging chunk many times reads back whole. */
static void test_long_text_roundtrip(void **state)
{
	struct fixture *f = *state;
	size_t n = 5 * JSONW_CHUNK + 17;
	char *s = malloc(n);
	json_t *back;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 97 == 0 ? '"' : (char)('a' + i % 26);
	jsonw_object(&f->w);
	jsonw_keyz(&f->w, "t");
	jsonw_string(&f->w, s, n);
	jsonw_close(&f->w);
	assert_int_equal(jsonw_end(&f->w), 0);
	back = json_loads(f->b.p, 0, NULL);
	assert_non_null(back);
	assert_int_equal(json_string_length(json_object_get(back, "t")), n);
	assert_memory_equal(json_string_value(json_object_get(back, "t")), s, n);
	json_decref(back);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nesting_and_commas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strings_as_jansson_writes_them, setup, teardown),
		cmocka_unit_test_setup_teardown(test_top_level_scalar, setup, teardown),
		cmocka_unit_test(test_misuse_is_an_error),
		cmocka_unit_test_setup_teardown(test_deepest_allowed, setup, teardown),
		cmocka_unit_test(test_cap),
		cmocka_unit_test_setup_teardown(test_long_text_roundtrip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
