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
#include "core/codes.h"

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

	if (stix_import_parse((const char *)data, size, &doc, why, sizeof why) != 0)
		return 0;
	if (store_begin(st) != STORE_OK)
		abort();
	misp_import_event(&c, doc, &result, &err);
	store_rollback(st);
	json_decref(result);
	json_decref(doc);
	return 0;
}
