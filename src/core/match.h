/* match.h - the keys warning and indicator matching looks up (docs/warnings.md). Matching is
 * equality lookups: an address is found in the stored networks by its network at each prefix
 * length present among them, a domain by itself and its parents, a URL or e-mail address by its
 * host. This module turns one canonical indicator (core/indicator.h) into those keys, each with
 * why it matches, and gives the keys stored assets and products are found by. Pure: no I/O. */
#ifndef UNGCUU_MATCH_H
#define UNGCUU_MATCH_H
#include <stdbool.h>
#include <stddef.h>

#include "indicator.h"

/* Longest key: "n:" or "d:" plus a canonical value, with the NUL. */
#define MATCH_KEY_MAX (IND_VALUE_MAX + 4)
/* A range key: "4:" + 8 hex digits or "6:" + 32, with the NUL. */
#define MATCH_LO_MAX 40
/* A product key: lower(vendor) "|" lower(product), with the NUL. */
#define MATCH_PRODUCT_MAX 520

/* The prefix lengths present among stored networks, per family. */
struct match_prefixes {
	bool v4[33];
	bool v6[129];
};

/* Marks prefix length bits of family (4 or 6) present. Out-of-range values are ignored. */
void match_prefixes_add(struct match_prefixes *p, unsigned family, unsigned bits);

/* Called once per key; a non-zero return stops and is returned. key and why are valid only
 * during the call; why is the code of a catalogue message ("match_same_domain",
 * util/msg_core.def) that the reader's answer words. */
typedef int (*match_key_fn)(void *ctx, const char *key, const char *why);
/* Called once per (kind name, canonical value) to look up among stored indicators. */
typedef int (*match_ind_fn)(void *ctx, const char *kind, const char *value, const char *why);

/* The asset keys (system_assets.mkey) an indicator of kind with canonical value matches: an
 * address or network, the networks containing it at the lengths in p ("n:..."); a domain, it
 * and its parents ("d:..."); a URL or e-mail address, those of its host. Hashes match no asset.
 * Returns 0 or fn's non-zero return. */
int match_asset_keys(enum ind_kind kind, const char *value, const struct match_prefixes *p,
		     match_key_fn fn, void *ctx);

/* The stored indicators an indicator matches: the same value, and for an address the networks
 * containing it at the lengths in p, for a network the larger networks, for a domain its
 * parents, for a URL or e-mail address the keys of its host as well. Returns 0 or fn's return. */
int match_indicator_keys(enum ind_kind kind, const char *value, const struct match_prefixes *p,
			 match_ind_fn fn, void *ctx);

/* The key an asset of kind "domain", "cidr" or "url" (canonical value) is stored under, and for a
 * network (or a URL whose host is an address) its range key lo ("" otherwise) and its family (4,
 * 6; 0 for names) and prefix length. 0, or -1 when the value is not a canonical one of kind. */
int match_asset_key(const char *kind, const char *value, char *mkey, size_t mkeysz, char *lo,
		    size_t losz, unsigned *family, unsigned *bits);

/* The first and last address of a canonical address or network as range keys (comparable as
 * strings within a family). 0, or -1 when value is neither. */
int match_range(const char *value, char *lo, char *hi, size_t sz);

/* lower(vendor) "|" lower(product), ASCII case folded, surrounding blanks dropped. 0, or -1 when
 * either is empty or the key does not fit. */
int match_product_key(const char *vendor, const char *product, char *out, size_t outsz);

/* Whether version (a system's product version, "9.0.80", "2019 CU14") lies in ranges (a
 * warning's "versions": conditions "< 9.0.99", ">= 2.4, < 2.4.62", "= 1.2.3" or a bare version,
 * all of one alternative must hold; alternatives separated by ";" or "||"). Versions compare by
 * segments split on '.', '-', '_', ' ': numbers numerically, other text as text, a missing
 * segment as 0. 1 inside, 0 outside, -1 when it cannot tell (no version, no or unreadable ranges). */
int match_version_in(const char *version, const char *ranges);

#endif
