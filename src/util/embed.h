/* embed.h - files compiled into the binary by scripts/embed (migrations, presets, UI). */
#ifndef UNGCUU_EMBED_H
#define UNGCUU_EMBED_H
#include <stddef.h>

struct embed_file {
	const char *name; /* base name, e.g. "001_init.sql" */
	const char *text;
	size_t len;
};

/* The numbered SQL migrations of src/store/migrations, sorted, ending with a {NULL} entry. */
extern const struct embed_file store_migration[];
/* The regulation presets (presets/NAME.yaml), by file name ("national.yaml"), {NULL}-terminated. */
extern const struct embed_file preset_files[];

/* Finds the compiled-in preset `name` (file NAME.yaml). Returns 0 and *text, *len (static
 * storage), or -1. */
int embed_preset(const char *name, const char **text, size_t *len);

#endif
