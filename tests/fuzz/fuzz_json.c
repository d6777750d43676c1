/* fuzz_json.c - the request body path without a socket: JSON parsing with its depth and
 * duplicate-key rules, the field validators, and form values checked against the national preset;
 * and the response path: http_json_write must give the bytes of jansson's compact dump. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"
#include "cli/cli.h"
#include "http/http.h"

static struct preset *preset;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cli_preset_load("national", NULL, &preset, NULL) != 0)
		abort();
	return 0;
}

/* Any value jansson reads (NUL in strings included) is written as jansson writes it. */
static void check_writer(const uint8_t *data, size_t size)
{
	json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	struct buf b;
	char *want;

	if (v == NULL)
		return;
	want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	buf_init(&b, 1u << 20);
	if (want != NULL && http_json_write(&b, v) == 0 &&
	    (b.len != strlen(want) || memcmp(b.p, want, b.len) != 0)) {
		fprintf(stderr, "writer: %s\njansson: %s\n", b.p, want);
		abort();
	}
	buf_free(&b);
	free(want);
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_res res;
	struct ops_err err;
	json_t *in = NULL, *row;
	const char *s;
	int64_t n;
	bool b;

	check_writer(data, size);
	http_res_init(&res);
	if (http_json_parse((const char *)data, size, "application/json", &res, &in) == 0) {
		row = json_object();
		http_json_str(in, "title", true, 300, false, &res, &s);
		http_json_str(in, "description", false, 20000, true, &res, &s);
		http_json_int(in, "level", false, 1, 5, &res, &n);
		http_json_bool(in, "is_drill", false, &res, &b);
		ops_form_merge(preset, json_object_get(in, "form"), json_object_get(in, "current"), row,
			       &err);
		ops_form_filled(preset, json_object_get(row, "form"), "report");
		json_decref(row);
		json_decref(in);
	}
	http_res_free(&res);
	return 0;
}
