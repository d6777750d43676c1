/* core_presets.h - loading the shipped presets in the core unit tests (tests/unit/test_core_*.c).
 * Those tests link only libcore and libutil, not build-asan/presets.o where the binary embeds
 * the preset files, so they read the files from the presets/ folder at run time (the tests run with
 * the repository root as working directory) and hand the text to core's loader, with a resolver
 * that reads the presets named by `extends` the same way. Include after <cmocka.h>. */
#ifndef UNGCUU_TEST_CORE_PRESETS_H
#define UNGCUU_TEST_CORE_PRESETS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/preset.h"
#include "util/tm.h"

/* Reads presets/NAME.yaml. Returns a NUL-terminated text (caller frees) and *len, or NULL. */
static inline char *cp_read(const char *name, size_t *len)
{
	char path[128];
	char *text = NULL;
	FILE *f = NULL;
	long n;

	*len = 0;
	if (snprintf(path, sizeof path, "presets/%s.yaml", name) >= (int)sizeof path)
		return NULL;
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	text = malloc((size_t)n + 1);
	if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
		goto out;
	}
	text[n] = '\0';
	*len = (size_t)n;
out:
	fclose(f);
	return text;
}

/* The texts a resolver handed to preset_parse: they must live until it returns. */
struct cp_texts {
	char *v[PRESET_MAX_DEPTH];
	size_t n;
};

static inline int cp_resolve(void *ctx, const char *name, const char **text, size_t *len)
{
	struct cp_texts *t = ctx;
	char *s;

	if (t->n >= PRESET_MAX_DEPTH || (s = cp_read(name, len)) == NULL)
		return -1;
	t->v[t->n++] = s;
	*text = s;
	return 0;
}

/* Parses the preset `name` from the YAML text given (extends resolved from presets/). Fails the
 * test when it does not load. Returns the preset (free with preset_free). */
static inline struct preset *cp_parse(const char *name, const char *text, size_t len)
{
	struct cp_texts t = {.n = 0};
	struct preset *p = NULL;
	struct preset_err e;
	int rc = preset_parse(name, text, len, cp_resolve, &t, &p, &e);

	for (size_t i = 0; i < t.n; i++)
		free(t.v[i]);
	if (rc != 0)
		print_error("%s: %s:%d: %s\n", name, e.file, e.line, e.msg);
	assert_int_equal(rc, 0);
	assert_non_null(p);
	return p;
}

/* Loads presets/NAME.yaml and what it extends. Returns the preset (free with preset_free). */
static inline struct preset *cp_load(const char *name)
{
	size_t len;
	char *text = cp_read(name, &len);
	struct preset *p;

	if (text == NULL)
		print_error("cannot read presets/%s.yaml (run from the repository root)\n", name);
	assert_non_null(text);
	p = cp_parse(name, text, len);
	free(text);
	return p;
}

/* The presets loaded once per test program: parsing national.yaml under the sanitizers takes
 * a while, and the tests only read them. */
#define CP_CACHE 8
static struct {
	char name[PRESET_CODE];
	struct preset *p;
} cp_cache[CP_CACHE];

/* The preset `name`, loaded on first use from text (a test's own YAML) or, when text is NULL,
 * from presets/NAME.yaml. Returns the preset (freed by cp_release_all). */
static inline const struct preset *cp_get_text(const char *name, const char *text)
{
	size_t i;

	for (i = 0; i < CP_CACHE && cp_cache[i].p != NULL; i++)
		if (strcmp(cp_cache[i].name, name) == 0)
			return cp_cache[i].p;
	assert_true(i < CP_CACHE);
	cp_cache[i].p = text ? cp_parse(name, text, strlen(text)) : cp_load(name);
	snprintf(cp_cache[i].name, sizeof cp_cache[i].name, "%s", name);
	return cp_cache[i].p;
}

/* presets/NAME.yaml, loaded on first use. Returns the preset (freed by cp_release_all). */
static inline const struct preset *cp_get(const char *name)
{
	return cp_get_text(name, NULL);
}

/* Frees the presets of cp_get: a group teardown. Returns 0. */
static inline int cp_release_all(void **state)
{
	(void)state;
	for (size_t i = 0; i < CP_CACHE; i++) {
		preset_free(cp_cache[i].p);
		cp_cache[i].p = NULL;
	}
	return 0;
}

/* Unix seconds of an ISO 8601 time written in a test ("2028-02-29T23:59:59+07:00"). */
static inline int64_t cp_t(const char *iso)
{
	int64_t t = 0;

	if (tm_parse_iso(iso, &t) != 0)
		print_error("bad time in the test: %s\n", iso);
	assert_int_equal(tm_parse_iso(iso, &t), 0);
	return t;
}

#endif
