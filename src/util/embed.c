/* embed.c - lookups in the files compiled into the binary. */
#include "embed.h"

#include <string.h>

int embed_preset(const char *name, const char **text, size_t *len)
{
	size_t n = strlen(name);

	for (const struct embed_file *f = preset_files; f->name; f++)
		if (strncmp(f->name, name, n) == 0 && strcmp(f->name + n, ".yaml") == 0) {
			*text = f->text;
			*len = f->len;
			return 0;
		}
	return -1;
}
