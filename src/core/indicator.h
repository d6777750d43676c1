/* indicator.h - indicators and observables (IP, CIDR, domain, URL, file hash, e-mail): their
 * validation, one canonical spelling each so equal things compare equal as strings, extraction
 * from free text (e-mail bodies, descriptions), and the keys matching uses (the networks that
 * contain an address, the parent domains of a name). Pure: no I/O. */
#ifndef UNGCUU_INDICATOR_H
#define UNGCUU_INDICATOR_H
#include <stdbool.h>
#include <stddef.h>

enum ind_kind {
	IND_IPV4,
	IND_IPV6,
	IND_CIDR, /* an IPv4 or IPv6 network, host bits zero: "10.1.0.0/16", "2001:db8::/32" */
	IND_DOMAIN,
	IND_URL,
	IND_MD5,
	IND_SHA1,
	IND_SHA256,
	IND_EMAIL,
	IND_KIND_COUNT
};

/* Longest canonical value of any kind (a URL), including the NUL. */
#define IND_VALUE_MAX 2049

/* "ipv4", "ipv6", "cidr", "domain", "url", "md5", "sha1", "sha256", "email". Static storage;
 * NULL for an out-of-range kind. */
const char *indicator_kind_name(enum ind_kind kind);

/* The kind named name (as indicator_kind_name spells it). 0, or -1 when unknown. */
int indicator_kind_parse(const char *name, enum ind_kind *out);

/* Checks that in[0..n) is a valid value of kind and writes its canonical spelling to out (at
 * most outsz bytes with the NUL): addresses as inet_ntop prints them, networks with their host
 * bits cleared (a bare address becomes /32 or /128), domains and hashes in lower case without a
 * trailing dot, URLs with scheme and host in lower case, e-mail addresses in lower case.
 * 0 ok; -1 invalid (out is then the empty string). */
int indicator_normalize(enum ind_kind kind, const char *in, size_t n, char *out, size_t outsz);

/* Like indicator_normalize for a value of unknown kind: tries URL, e-mail, IPv4, IPv6, CIDR,
 * hashes, domain in that order. 0 with *kind set, or -1 when it is none of them. */
int indicator_detect(const char *in, size_t n, enum ind_kind *kind, char *out, size_t outsz);

/* Called once per distinct observable found; a non-zero return stops the extraction and is
 * returned by indicator_extract. value is canonical and valid only during the call. */
typedef int (*indicator_found_fn)(void *ctx, enum ind_kind kind, const char *value);

/* Finds the observables in free text (UTF-8; Vietnamese around them is fine), including
 * "defanged" spellings (hxxp://, evil[.]com, 1.2.3[.]4). File names such as "report.pdf" are not
 * taken for domains. Calls fn for each distinct one, at most max times. Returns the number found
 * (>= 0) or fn's non-zero return. */
int indicator_extract(const char *text, size_t n, size_t max, indicator_found_fn fn, void *ctx);

/* The canonical network of prefix length bits that contains value, a canonical IPv4/IPv6 address
 * or CIDR (e.g. "10.1.2.3", 16 -> "10.1.0.0/16"). Matching an address against stored networks is
 * then exact lookups of these keys. 0; -1 when value is not an address/network or bits is longer
 * than the address or, for a CIDR, than its own prefix. */
int indicator_network(const char *value, unsigned bits, char *out, size_t outsz);

/* For a canonical IPv4/IPv6 address or CIDR: 4 or 16 in *family_bytes and its prefix length
 * (32/128 for an address). 0, or -1 when value is neither. */
int indicator_prefix(const char *value, unsigned *family_bytes, unsigned *bits);

/* The next shorter parent of a canonical domain ("a.b.gov.vn" -> "b.gov.vn"), a pointer into
 * domain; NULL when domain has one label. */
const char *indicator_parent_domain(const char *domain);

/* True when domain is suffix or a subdomain of it (both canonical). */
bool indicator_domain_within(const char *domain, const char *suffix);

/* The host of a canonical URL or e-mail address (a domain or an address, canonical, without
 * brackets or port) with its kind. 0, or -1 when there is none (another kind). */
int indicator_host(enum ind_kind kind, const char *value, enum ind_kind *host_kind, char *out,
		   size_t outsz);

#endif
