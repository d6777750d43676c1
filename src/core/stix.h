/* stix.h - the pure rules of STIX 2.1 exchange (docs/stix.md): identifiers (type--UUID, UUIDv5
 * for deterministic ids), timestamps, TLP 2.0 marking definitions, indicator patterns (the small
 * subset ungcuu writes and reads: one comparison per observable kind, joined with OR), and the
 * MISP attribute types that map to indicator kinds. No JSON and no I/O: api/stix.c, api/misp.c
 * and api/taxii.c walk the documents and ask these functions about each value. */
#ifndef UNGCUU_STIX_H
#define UNGCUU_STIX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/indicator.h"

#define STIX_UUID_LEN 36
#define STIX_TYPE_MAX 250       /* STIX 2.1 §2.9: a type name is 3..250 characters */
#define STIX_ID_MAX 300         /* type + "--" + UUID + NUL */
#define STIX_TIME_MAX 32        /* "2026-11-21T01:30:00.000Z" + NUL */
#define STIX_PATTERN_MAX 4300   /* a pattern of one value (a URL with every byte escaped) */
#define STIX_PATTERN_CMP_MAX 256 /* comparisons read from one pattern */

/* The namespace of ungcuu's deterministic ids (UUIDv5, RFC 9562 §5.5), combined with the
 * instance's own namespace (meta stix_namespace) so two provinces never mint the same id. */
extern const unsigned char stix_ns_ungcuu[16];

/* Parses a UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex, any case) of n bytes into 16 bytes.
 * Returns 0 or -1. */
int stix_uuid_parse(const char *s, size_t n, unsigned char out[16]);
/* Writes the lower-case text of a 16-byte UUID into out (size >= 37). */
void stix_uuid_format(const unsigned char u[16], char *out);
/* The UUIDv5 of name (n bytes) in namespace ns, as 16 bytes. */
void stix_uuid5(const unsigned char ns[16], const void *name, size_t n, unsigned char out[16]);
/* SHA-1 (FIPS 180-4) of n bytes: UUIDv5 needs it and libsodium has none. */
void stix_sha1(const void *data, size_t n, unsigned char out[20]);

/* True if t (n bytes) is a valid STIX type name: 3..250 of a-z, 0-9, '-', no "--", starting
 * with a letter, not ending with '-'. */
bool stix_type_ok(const char *t, size_t n);
/* Checks that id (n bytes) is "<type>--<UUID>" with a valid type, and, when type is not NULL,
 * that its type is exactly type. 0, or -1 with a short English reason in *why (static). */
int stix_id_check(const char *id, size_t n, const char *type, const char **why);
/* Writes "<type>--<uuid5(ns, key)>" into out (size >= STIX_ID_MAX). Returns 0, -1 if too long. */
int stix_id_make(const unsigned char ns[16], const char *type, const char *key, size_t keylen,
		 char *out, size_t outsz);

/* The namespace of this instance's deterministic ids: uuid5(stix_ns_ungcuu, "instance:<its
 * random UUID>") (meta stix_namespace, store_stix_namespace). */
void stix_instance_ns(const char *instance, unsigned char ns[16]);
/* The report id of a warning: its stix_id when valid, else report--uuid5(ns, "warning:<ref>").
 * Writes it into out (size >= STIX_ID_MAX). */
void stix_warning_report_id(const unsigned char ns[16], const char *stix_id, const char *ref,
			    char *out, size_t outsz);

/* Parses a STIX timestamp (RFC 3339 in UTC: "YYYY-MM-DDTHH:MM:SS[.s+]Z", STIX 2.1 §3.2) into
 * Unix seconds and milliseconds (extra fraction digits truncated). Returns 0, or -1 with a
 * reason in *why (static). */
int stix_time_parse(const char *s, size_t n, int64_t *sec, int *ms, const char **why);
/* Writes "YYYY-MM-DDTHH:MM:SS.sssZ" into out (size >= STIX_TIME_MAX). Returns 0 or -1. */
int stix_time_format(int64_t sec, int ms, char *out, size_t outsz);

/* TLP 2.0 marking definitions (the OASIS extension-definition--60a3c5c5-...): the fixed id of
 * enum tlp value t, its name ("TLP:AMBER+STRICT") and its tlp_2_0 value ("amber+strict").
 * NULL for an out-of-range t. Static storage. */
#define STIX_TLP2_EXTENSION "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define STIX_TLP2_CREATED "2022-10-01T00:00:00.000Z"
const char *stix_tlp_marking_id(int tlp);
const char *stix_tlp_marking_name(int tlp);
const char *stix_tlp_value(int tlp);
/* The enum tlp of a marking-definition id: the TLP 2.0 ids, and the STIX 2.1 TLP 1.0 ids
 * (white -> clear). -1 when it is neither. */
int stix_tlp_of_marking(const char *id);

/* Writes the STIX pattern of one canonical indicator value: "[ipv4-addr:value = '1.2.3.4']",
 * "[ipv4-addr:value ISSUBSET '10.0.0.0/8']", "[domain-name:value = 'x']", "[url:value = '...']",
 * "[file:hashes.'SHA-256' = '...']" (MD5, 'SHA-1' likewise), "[email-addr:value = '...']".
 * Returns 0, or -1 when out is too small or kind is out of range. */
int stix_pattern_make(enum ind_kind kind, const char *value, char *out, size_t outsz);

/* Called for each comparison of a pattern with its kind and canonical value (valid during the
 * call). A non-zero return stops the parse and is returned. */
typedef int (*stix_cmp_fn)(void *ctx, enum ind_kind kind, const char *value);
/* Reads a pattern of the supported form: observation expressions "[...]" joined by OR (with
 * optional parentheses), each holding comparisons joined by OR, each "<object path> = 'lit'"
 * (or ISSUBSET for addresses) over the paths stix_pattern_make writes (plus ipv6-addr,
 * file:hashes.SHA256/'SHA256'/SHA1/'MD5', email-message:from_ref.value). Calls fn once per
 * comparison. Returns the number of comparisons (> 0); -1 when the pattern is malformed or uses
 * anything else (AND, FOLLOWEDBY, qualifiers, other paths or operators), with a reason in why;
 * or fn's non-zero return. */
int stix_pattern_parse(const char *p, size_t n, stix_cmp_fn fn, void *ctx, char *why,
		       size_t whysz);

/* What a MISP attribute type holds, per part of a composite "a|b" type. */
#define STIX_MISP_IGNORE (-1)  /* a part kept out (a port, a file name) */
#define STIX_MISP_IP (-2)      /* an address or a network: IPv4, IPv6 or CIDR */
#define STIX_MISP_VULN (-3)    /* a vulnerability id (CVE) */
/* Looks up a MISP attribute type ("ip-dst", "domain|ip", "filename|sha256", "vulnerability"...):
 * sets parts[0..*nparts) to enum ind_kind values or the STIX_MISP_* codes above. Returns 0, or
 * -1 when the type is not one ungcuu takes (the attribute is then reported as skipped). */
int stix_misp_type(const char *type, int parts[2], size_t *nparts);
/* Canonical value of an address-or-network (STIX_MISP_IP): tries IPv4, IPv6, CIDR. Sets *kind.
 * 0 or -1. */
int stix_ip_normalize(const char *in, size_t n, enum ind_kind *kind, char *out, size_t outsz);
/* True if s (n bytes) is a CVE id "CVE-YYYY-NNNN..." (4 to 19 digits), any case. */
bool stix_cve_ok(const char *s, size_t n);

#endif
