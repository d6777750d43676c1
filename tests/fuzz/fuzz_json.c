/* fuzz_json.c - the request body path without a socket: JSON parsing with its depth and
 * duplicate-key rules, the field validators, and form values checked against the national preset. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/forms.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_res res;
	json_t *in = NULL, *row;
	const char *s;
	int64_t n;
	bool b;

	http_res_init(&res);
	if (http_json_parse((const char *)data, size, "application/json", &res, &in) == 0) {
		row = json_object();
		http_json_str(in, "title", true, 300, false, &res, &s);
		http_json_str(in, "description", false, 20000, true, &res, &s);
		http_json_int(in, "level", false, 1, 5, &res, &n);
		http_json_bool(in, "is_drill", false, &res, &b);
		forms_merge(preset, json_object_get(in, "form"), json_object_get(in, "current"), row,
			    &res);
		forms_filled(preset, json_object_get(row, "form"), "report");
		json_decref(row);
		json_decref(in);
	}
	http_res_free(&res);
	return 0;
}
