/* fuzz_misp.c - the MISP event import without a socket: JSON limits, attribute types and their
 * composite values, tags, draft creation against a scratch store whose transaction is rolled
 * back after each input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/stix.h"
#include "cli/cli.h"

static struct preset *preset;
static struct store *st;
static int64_t org;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fuzz_misp.XXXXXX";
	json_t *o;

	(void)argc;
	(void)argv;
	if (cli_preset_load("national", NULL, &preset, NULL) != 0 || mkdtemp(dir) == NULL ||
	    store_open(dir, STORE_CREATE, &st) != STORE_OK)
		abort();
	o = json_pack("{s:s, s:s, s:s, s:n}", "code", "dp", "name", "DP", "role", "coordinator",
		      "parent_id");
	if (store_org_create(st, o, &org) != STORE_OK)
		abort();
	json_decref(o);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stix_import_opts o = {.preset = preset, .org_id = org};
	json_t *doc = NULL, *result = NULL;
	char why[300];

	if (stix_import_parse((const char *)data, size, &doc, why, sizeof why) != 0)
		return 0;
	if (store_begin(st) != STORE_OK)
		abort();
	misp_import_event(st, &o, doc, &result);
	store_rollback(st);
	json_decref(result);
	json_decref(doc);
	return 0;
}
