/* fuzz_preset.c - the preset loader on hostile YAML; `extends: national` resolves to the shipped
 * national preset so inheritance is exercised too. */
#include <stdint.h>
#include <string.h>

#include "core/preset.h"
#include "util/embed.h"

static int resolve(void *ctx, const char *name, const char **text, size_t *len)
{
	(void)ctx;
	for (const struct embed_file *f = preset_files; f->name; f++)
		if (strncmp(f->name, name, strlen(name)) == 0 && strcmp(f->name + strlen(name), ".yaml") == 0) {
			*text = f->text;
			*len = f->len;
			return 0;
		}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct preset *p = NULL;
	struct preset_err err;

	if (preset_parse("fuzz", (const char *)data, size, resolve, NULL, &p, &err) == 0)
		preset_free(p);
	return 0;
}
