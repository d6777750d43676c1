/* fuzz_indicator.c - the indicator parsers on arbitrary bytes: extraction from free text (e-mail
 * bodies, descriptions: untrusted), detection and validation of a value as each kind, and the
 * matching keys of whatever validated. Checks what must hold: canonical values are stable (a
 * canonical value normalises to itself). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/indicator.h"

static int seen(void *ctx, enum ind_kind kind, const char *value)
{
	char again[IND_VALUE_MAX];

	(void)ctx;
	if (indicator_normalize(kind, value, strlen(value), again, sizeof again) != 0 ||
	    strcmp(again, value) != 0)
		abort(); /* an extracted value must be canonical */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[IND_VALUE_MAX], again[IND_VALUE_MAX], key[IND_VALUE_MAX];
	const char *text = (const char *)data;
	enum ind_kind kind, hk;
	unsigned fam, bits;

	indicator_extract(text, size, 64, seen, NULL);
	for (unsigned k = 0; k < IND_KIND_COUNT; k++)
		if (indicator_normalize((enum ind_kind)k, text, size, out, sizeof out) == 0 &&
		    (indicator_normalize((enum ind_kind)k, out, strlen(out), again, sizeof again) != 0 ||
		     strcmp(out, again) != 0))
			abort();
	if (indicator_detect(text, size, &kind, out, sizeof out) != 0)
		return 0;
	if (indicator_prefix(out, &fam, &bits) == 0)
		for (unsigned b = 0; b <= bits; b += 7)
			if (indicator_network(out, b, key, sizeof key) != 0)
				abort();
	if (kind == IND_DOMAIN)
		for (const char *d = out; d; d = indicator_parent_domain(d))
			if (!indicator_domain_within(out, d))
				abort();
	(void)indicator_host(kind, out, &hk, key, sizeof key);
	return 0;
}
