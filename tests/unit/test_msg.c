/* test_msg.c - src/util/msg.c: the server's message catalogue. Every message has both
 * languages with the same parameters and no "Vietnamese / English" pasted into one text; a
 * message renders its parameters, cuts long ones on a character, and the language of a request
 * follows its Accept-Language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/msg.h"
#include "store/msg_json.h"

/* True for a parameter's name: lower-case letters, digits and _. */
static bool is_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The {names} of text, sorted and joined by ",", into out (other braces are text). */
static void names_of(const char *text, char *out, size_t cap)
{
	char list[MSG_MAX_PARAMS * 2][32];
	size_t n = 0, k = 0;

	for (const char *t = strchr(text, '{'); t; t = strchr(t + 1, '{')) {
		const char *close = strchr(t, '}');

		if (close == NULL || !is_name(t + 1, (size_t)(close - t - 1)))
			continue;
		assert_true(n < sizeof list / sizeof list[0]);
		snprintf(list[n++], sizeof list[0], "%.*s", (int)(close - t - 1), t + 1);
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0; j--) {
			char tmp[32];

			memcpy(tmp, list[j], sizeof tmp);
			memcpy(list[j], list[j - 1], sizeof tmp);
			memcpy(list[j - 1], tmp, sizeof tmp);
		}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(list[i], list[i - 1]) == 0)
			continue;
		k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? "," : "", list[i]);
	}
}

static void test_every_message_has_both_languages_with_the_same_parameters(void **state)
{
	(void)state;
	for (int id = 1; id < M_COUNT; id++) {
		const char *vi = msg_text((enum msg_id)id, MSG_VI), *en = msg_text((enum msg_id)id, MSG_EN);
		char nv[256], ne[256];

		if (vi[0] == '\0' || en[0] == '\0' || (strcmp(vi, en) == 0 && strchr(vi, ' ')))
			fail_msg("%s: a language is missing", msg_code((enum msg_id)id));
		names_of(vi, nv, sizeof nv);
		names_of(en, ne, sizeof ne);
		if (strcmp(nv, ne) != 0)
			fail_msg("%s: {%s} in Vietnamese, {%s} in English", msg_code((enum msg_id)id), nv,
				 ne);
		/* one language per text: the days of "Vietnamese / English" are over */
		if (strstr(vi, " / ") && strstr(en, " / ") && strcmp(vi, en) != 0)
			fail_msg("%s: both texts hold \" / \"", msg_code((enum msg_id)id));
		for (const char *c = msg_code((enum msg_id)id); *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');
	}
}

static void test_codes_are_unique(void **state)
{
	(void)state;
	for (int a = 1; a < M_COUNT; a++)
		for (int b = a + 1; b < M_COUNT; b++)
			assert_string_not_equal(msg_code((enum msg_id)a), msg_code((enum msg_id)b));
}

static void test_render_replaces_parameters(void **state)
{
	struct msg m;
	char out[256];

	(void)state;
	msg_set(&m, M_method_not_allowed, MS("method", "PUT"));
	assert_int_equal(msg_render(&m, MSG_VI, out, sizeof out), 0);
	assert_string_equal(out, "Phương thức PUT không dùng được ở đây");
	assert_int_equal(msg_render(&m, MSG_EN, out, sizeof out), 0);
	assert_string_equal(out, "method PUT not allowed here");
	assert_string_equal(msg_code(m.id), "method_not_allowed");
	msg_set(&m, M_not_found);
	assert_int_equal(m.n, 0);
	assert_int_equal(msg_render(&m, MSG_VI, out, sizeof out), 0);
	assert_string_equal(out, "Không tìm thấy");
}

static void test_numbers_are_kept_as_numbers(void **state)
{
	struct msg m;
	char out[256];

	(void)state;
	msg_set(&m, M_no_such_resource, MN("path", -42));
	assert_true(m.p[0].is_num);
	assert_int_equal(m.p[0].num, -42);
	assert_int_equal(msg_render(&m, MSG_EN, out, sizeof out), 0);
	assert_string_equal(out, "no such resource: -42");
}

static void test_long_values_are_cut_on_a_character(void **state)
{
	char value[4000], out[200];
	struct msg m;
	size_t n = 0;

	(void)state;
	while (n + 2 < sizeof value) { /* "ạ" is three bytes: cuts fall inside it */
		memcpy(value + n, "\xE1\xBA\xA1", 3 <= sizeof value - 1 - n ? 3 : 0);
		n += 3;
	}
	value[n] = '\0';
	msg_set(&m, M_no_such_resource, MS("path", value));
	assert_true(strlen(msg_value(&m, 0)) < MSG_MAX_VALUE);
	assert_non_null(strstr(msg_value(&m, 0), "\xE2\x80\xA6"));
	assert_int_equal(msg_render(&m, MSG_VI, out, sizeof out), -1);
	assert_true(strlen(out) < sizeof out);
	/* valid UTF-8 ending in the ellipsis */
	assert_string_equal(out + strlen(out) - 3, "\xE2\x80\xA6");
	for (size_t i = strlen("Không có tài nguyên này: "); i + 3 < strlen(out); i += 3)
		assert_memory_equal(out + i, "\xE1\xBA\xA1", 3);
}

static void test_accept_language(void **state)
{
	(void)state;
	assert_int_equal(msg_lang_accept(NULL), MSG_VI);
	assert_int_equal(msg_lang_accept(""), MSG_VI);
	assert_int_equal(msg_lang_accept("en"), MSG_EN);
	assert_int_equal(msg_lang_accept("en-GB,en;q=0.9"), MSG_EN);
	assert_int_equal(msg_lang_accept("vi-VN,vi;q=0.9,en;q=0.8"), MSG_VI);
	assert_int_equal(msg_lang_accept("fr, en;q=0.5, vi;q=0.7"), MSG_VI);
	assert_int_equal(msg_lang_accept("fr, en;q=0.5"), MSG_EN);
	assert_int_equal(msg_lang_accept("en;q=0"), MSG_VI);
	assert_int_equal(msg_lang_accept("envy"), MSG_VI);
	assert_int_equal(msg_lang_accept("*"), MSG_VI);
}

/* A record stores a message as facts (store/msg_json.h) and its reader words it, adding what it
 * computes itself (a citation). */
static void test_stored_message_is_worded_by_its_reader(void **state)
{
	struct msg m, back;
	struct msg_arg cited[] = {MSV("citation", "Điều 7", "Article 7")};
	json_t *obj = json_object();
	char out[256];

	(void)state;
	assert_int_equal(msg_find("journal_escalation"), M_journal_escalation);
	assert_int_equal(msg_find("no_such_message"), M_none);
	assert_int_equal(msg_find(NULL), M_none);
	msg_set(&m, M_journal_escalation, MSV("rule", "Báo Công an", "Tell the police"));
	assert_int_equal(msg_json_put(obj, &m), 0);
	assert_string_equal(json_string_value(json_object_get(obj, "msg")), "journal_escalation");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_object_get(obj, "params"), "rule"), "en")),
			    "Tell the police");
	assert_int_equal(msg_json_get(obj, cited, 1, &back), 0);
	msg_render(&back, MSG_EN, out, sizeof out);
	assert_string_equal(out, "Automatic escalation: Tell the police (legal basis: Article 7).");
	msg_render(&back, MSG_VI, out, sizeof out);
	assert_string_equal(out, "Chuyển cấp tự động: Báo Công an (căn cứ: Điều 7)");
	/* numbers stay numbers */
	msg_set(&m, M_journal_handover, MN("org_id", 7));
	assert_int_equal(msg_json_put(obj, &m), 0);
	assert_true(json_is_integer(json_object_get(json_object_get(obj, "params"), "org_id")));
	assert_int_equal(msg_json_get(obj, NULL, 0, &back), 0);
	msg_render(&back, MSG_EN, out, sizeof out);
	assert_string_equal(out, "The coordinator role was handed to organisation 7.");
	/* a record without a message, or with an unknown one: nothing to word */
	json_object_set_new(obj, "msg", json_string("gone"));
	assert_int_equal(msg_json_get(obj, NULL, 0, &back), -1);
	assert_int_equal(back.id, M_none);
	json_decref(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_message_has_both_languages_with_the_same_parameters),
		cmocka_unit_test(test_codes_are_unique),
		cmocka_unit_test(test_render_replaces_parameters),
		cmocka_unit_test(test_numbers_are_kept_as_numbers),
		cmocka_unit_test(test_long_values_are_cut_on_a_character),
		cmocka_unit_test(test_accept_language),
		cmocka_unit_test(test_stored_message_is_worded_by_its_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
