/* fuzz_stix.c - the STIX 2.1 import path without a socket: the pattern parser on raw bytes, and
 * whole bundles (JSON limits, the validator, pattern subset, draft creation) against a scratch
 * store whose transaction is rolled back after each input. A draft made is exported again
 * (the JSON text builder) and that bundle must import without errors. The first byte picks the
 * mode. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/stix.h"
#include "cli/cli.h"
#include "core/codes.h"
#include "core/stix.h"

static struct preset *preset;
static struct store *st;
static int64_t org;

static int count(void *ctx, enum ind_kind kind, const char *value)
{
	char out[STIX_PATTERN_MAX];

	(void)ctx;
	/* what the parser hands out must build back into a pattern */
	if (stix_pattern_make(kind, value, out, sizeof out) != 0)
		abort();
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fuzz_stix.XXXXXX";
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

/* The machine acting for the coordinator's organisation org. */
static struct ops_ctx machine(struct store *s, const struct preset *p, int64_t org_id)
{
	return (struct ops_ctx){.st = s, .preset = p,
				.actor = {.subject = {.org_id = org_id, .org_role = ORG_COORDINATOR,
						      .roles = ROLE_ALL, .coordinator = true},
					  .machine = true, .username = "fuzz", .ip = "local"},
				.now = 1800000000, .channel = OPS_CLI};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ops_ctx c = machine(st, preset, org);
	json_t *doc = NULL, *result = NULL;
	struct ops_err err;
	char why[300];

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		stix_pattern_parse((const char *)data + 1, size - 1, count, NULL, why, sizeof why);
		return 0;
	}
	if (stix_import_parse((const char *)data + 1, size - 1, &doc, why, sizeof why) != 0)
		return 0;
	if (store_begin(st) != STORE_OK)
		abort();
	if (stix_import_bundle(&c, doc, &result, &err) == OPS_OK) {
		int64_t id = json_integer_value(json_object_get(json_object_get(result, "warning"), "id"));
		json_t *bundle = NULL, *again = NULL;

		/* what ungcuu writes, ungcuu reads */
		if (stix_bundle_warning(st, id, &bundle) != STORE_OK ||
		    stix_import_bundle(&c, bundle, &again, &err) != OPS_OK)
			abort();
		json_decref(bundle);
		json_decref(again);
	}
	store_rollback(st);
	json_decref(result);
	json_decref(doc);
	return 0;
}
