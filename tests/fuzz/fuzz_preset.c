/* fuzz_preset.c - the preset loader on hostile YAML; `extends: national` resolves to the shipped
 * national preset so inheritance is exercised too. */
#include <stdint.h>

#include "core/preset.h"
#include "util/embed.h"

static int resolve(void *ctx, const char *name, const char **text, size_t *len)
{
	(void)ctx;
	return embed_preset(name, text, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct preset *p = NULL;
	struct preset_err err;

	if (preset_parse("fuzz", (const char *)data, size, resolve, NULL, &p, &err) == 0)
		preset_free(p);
	return 0;
}
