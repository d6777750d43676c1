/* stix.c - pure STIX 2.1 rules: ids, UUIDv5 (with its SHA-1), timestamps, TLP 2.0 markings,
 * the pattern subset, MISP attribute types. Sources: STIX 2.1 OASIS Standard (§2.9 identifier,
 * §3.2 timestamp, §7.2.1 markings, §9 patterning), the OASIS TLP 2.0 extension definition, and
 * RFC 9562 (UUIDv5). docs/stix.md lists them. */
#include "stix.h"

#include <stdio.h>
#include <string.h>

#include "util/str.h"
#include "util/tm.h"

/* 3f6d2b1e-8c51-4a0e-9d43-5e7a21c06618: a random (v4) namespace, chosen once for ungcuu. */
const unsigned char stix_ns_ungcuu[16] = {0x3f, 0x6d, 0x2b, 0x1e, 0x8c, 0x51, 0x4a, 0x0e,
					  0x9d, 0x43, 0x5e, 0x7a, 0x21, 0xc0, 0x66, 0x18};

/* ---- SHA-1 ---- */

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999u;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1u;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDCu;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6u;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

struct sha1 {
	uint32_t h[5];
	unsigned char buf[64];
	size_t used;
	uint64_t total;
};

static void sha1_init(struct sha1 *c)
{
	static const uint32_t h0[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u,
				       0xC3D2E1F0u};

	memcpy(c->h, h0, sizeof h0);
	c->used = 0;
	c->total = 0;
}

static void sha1_update(struct sha1 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->total += n;
	while (n > 0) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;

		memcpy(c->buf + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used == 64) {
			sha1_block(c->h, c->buf);
			c->used = 0;
		}
	}
}

static void sha1_final(struct sha1 *c, unsigned char out[20])
{
	uint64_t bits = c->total * 8;
	unsigned char pad = 0x80, zero = 0, len[8];

	sha1_update(c, &pad, 1);
	while (c->used != 56)
		sha1_update(c, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(c, len, 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void stix_sha1(const void *data, size_t n, unsigned char out[20])
{
	struct sha1 c;

	sha1_init(&c);
	sha1_update(&c, data, n);
	sha1_final(&c, out);
}

/* ---- UUIDs and ids ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int stix_uuid_parse(const char *s, size_t n, unsigned char out[16])
{
	size_t j = 0;

	if (n != STIX_UUID_LEN)
		return -1;
	for (size_t i = 0; i < n;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			i++;
			continue;
		}
		hi = hexval(s[i]);
		lo = i + 1 < n ? hexval(s[i + 1]) : -1;
		if (hi < 0 || lo < 0 || j >= 16)
			return -1;
		out[j++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return j == 16 ? 0 : -1;
}

void stix_uuid_format(const unsigned char u[16], char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 15];
	}
	out[o] = '\0';
}

void stix_uuid5(const unsigned char ns[16], const void *name, size_t n, unsigned char out[16])
{
	unsigned char digest[20];
	struct sha1 c;

	sha1_init(&c);
	sha1_update(&c, ns, 16);
	sha1_update(&c, name, n);
	sha1_final(&c, digest);
	memcpy(out, digest, 16);
	out[6] = (unsigned char)((out[6] & 0x0F) | 0x50);
	out[8] = (unsigned char)((out[8] & 0x3F) | 0x80);
}

bool stix_type_ok(const char *t, size_t n)
{
	if (n < 3 || n > STIX_TYPE_MAX || !(t[0] >= 'a' && t[0] <= 'z') || t[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && i + 1 < n && t[i + 1] == '-')
			return false;
	}
	return true;
}

int stix_id_check(const char *id, size_t n, const char *type, const char **why)
{
	unsigned char u[16];
	size_t tl;

	*why = "";
	for (tl = 0; tl + 1 < n; tl++)
		if (id[tl] == '-' && id[tl + 1] == '-')
			break;
	if (tl + 1 >= n) {
		*why = "an identifier is <type>--<UUID>";
		return -1;
	}
	if (!stix_type_ok(id, tl)) {
		*why = "the identifier's type part is not a valid STIX type name";
		return -1;
	}
	if (type != NULL && (strlen(type) != tl || memcmp(id, type, tl) != 0)) {
		*why = "the identifier's type part does not match the object's type";
		return -1;
	}
	if (stix_uuid_parse(id + tl + 2, n - tl - 2, u) != 0) {
		*why = "the identifier's UUID part is not a UUID (8-4-4-4-12 hex digits)";
		return -1;
	}
	/* STIX 2.1 §2.9: the UUID must be an RFC 4122 variant */
	if ((u[8] & 0xC0) != 0x80) {
		*why = "the identifier's UUID is not an RFC 4122 variant UUID";
		return -1;
	}
	return 0;
}

int stix_id_make(const unsigned char ns[16], const char *type, const char *key, size_t keylen,
		 char *out, size_t outsz)
{
	unsigned char u[16];
	char txt[STIX_UUID_LEN + 1];
	size_t tl = strlen(type);

	if (tl + 2 + STIX_UUID_LEN + 1 > outsz)
		return -1;
	stix_uuid5(ns, key, keylen, u);
	stix_uuid_format(u, txt);
	memcpy(out, type, tl);
	memcpy(out + tl, "--", 2);
	memcpy(out + tl + 2, txt, STIX_UUID_LEN + 1);
	return 0;
}

void stix_instance_ns(const char *instance, unsigned char ns[16])
{
	char key[80];

	/* the instance's random UUID, itself hashed into ungcuu's namespace */
	snprintf(key, sizeof key, "instance:%s", instance);
	stix_uuid5(stix_ns_ungcuu, key, strlen(key), ns);
}

void stix_warning_report_id(const unsigned char ns[16], const char *stix_id, const char *ref,
			    char *out, size_t outsz)
{
	const char *why;
	char key[96];

	if (stix_id && stix_id[0] && stix_id_check(stix_id, strlen(stix_id), "report", &why) == 0 &&
	    str_copy(out, outsz, stix_id) == 0)
		return;
	snprintf(key, sizeof key, "warning:%s", ref);
	stix_id_make(ns, "report", key, strlen(key), out, outsz);
}

/* ---- timestamps ---- */

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int stix_time_parse(const char *s, size_t n, int64_t *sec, int *ms, const char **why)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, se, frac = 0, fd = 0, dim;
	size_t i = 19;

	*sec = 0;
	*ms = 0;
	*why = "a timestamp is YYYY-MM-DDTHH:MM:SS[.s+]Z in UTC";
	if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return -1;
	if (s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (fd < 3) {
				frac = frac * 10 + (s[i] - '0');
				fd++;
			}
			i++;
		}
		while (fd < 3) {
			frac *= 10;
			fd++;
		}
	}
	if (i + 1 != n || s[i] != 'Z')
		return -1;
	*why = "the timestamp is not a real date and time";
	if (mo < 1 || mo > 12 || y < 1)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d < 1 || d > dim || h > 23 || mi > 59 || se > 60)
		return -1;
	*sec = tm_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se);
	*ms = frac;
	*why = "";
	return 0;
}

int stix_time_format(int64_t sec, int ms, char *out, size_t outsz)
{
	int64_t days = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400, rem = sec - days * 86400;
	int64_t y;
	int m, d;
	int n;

	tm_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999 || ms < 0 || ms > 999)
		return -1;
	n = snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, m, d, (int)(rem / 3600),
		     (int)(rem / 60 % 60), (int)(rem % 60), ms);
	return n > 0 && (size_t)n < outsz ? 0 : -1;
}

/* ---- TLP 2.0 ---- */

static const struct {
	const char *id, *name, *value, *v1id;
} tlps[] = {
	{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR", "clear",
	 "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
	{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN", "green",
	 "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
	{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER", "amber",
	 "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
	{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT",
	 "amber+strict", NULL},
	{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED", "red",
	 "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
};

const char *stix_tlp_marking_id(int tlp)
{
	return tlp >= 0 && tlp < 5 ? tlps[tlp].id : NULL;
}

const char *stix_tlp_marking_name(int tlp)
{
	return tlp >= 0 && tlp < 5 ? tlps[tlp].name : NULL;
}

const char *stix_tlp_value(int tlp)
{
	return tlp >= 0 && tlp < 5 ? tlps[tlp].value : NULL;
}

int stix_tlp_of_marking(const char *id)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(id, tlps[i].id) == 0 || (tlps[i].v1id && strcmp(id, tlps[i].v1id) == 0))
			return i;
	return -1;
}

/* ---- patterns ---- */

/* Appends a quoted STIX string literal ('\'' and '\\' escaped). */
static int put_literal(char *out, size_t outsz, size_t *o, const char *v)
{
	if (*o + 1 >= outsz)
		return -1;
	out[(*o)++] = '\'';
	for (; *v; v++) {
		if (*o + 3 >= outsz)
			return -1;
		if (*v == '\'' || *v == '\\')
			out[(*o)++] = '\\';
		out[(*o)++] = *v;
	}
	out[(*o)++] = '\'';
	out[*o] = '\0';
	return 0;
}

int stix_pattern_make(enum ind_kind kind, const char *value, char *out, size_t outsz)
{
	const char *path, *op = "=";
	size_t o;
	int n;

	switch (kind) {
	case IND_IPV4: path = "ipv4-addr:value"; break;
	case IND_IPV6: path = "ipv6-addr:value"; break;
	case IND_CIDR:
		path = strchr(value, ':') ? "ipv6-addr:value" : "ipv4-addr:value";
		op = "ISSUBSET";
		break;
	case IND_DOMAIN: path = "domain-name:value"; break;
	case IND_URL: path = "url:value"; break;
	case IND_MD5: path = "file:hashes.MD5"; break;
	case IND_SHA1: path = "file:hashes.'SHA-1'"; break;
	case IND_SHA256: path = "file:hashes.'SHA-256'"; break;
	case IND_EMAIL: path = "email-addr:value"; break;
	default: return -1;
	}
	n = snprintf(out, outsz, "[%s %s ", path, op);
	if (n < 0 || (size_t)n >= outsz)
		return -1;
	o = (size_t)n;
	if (put_literal(out, outsz, &o, value) != 0 || o + 2 > outsz)
		return -1;
	out[o++] = ']';
	out[o] = '\0';
	return 0;
}

struct pp {
	const char *p;
	size_t n, i;
	stix_cmp_fn fn;
	void *ctx;
	char *why;
	size_t whysz;
	int count;
	int depth;
	int stop; /* fn's non-zero return */
};

static int pp_fail(struct pp *x, const char *msg)
{
	if (x->whysz)
		snprintf(x->why, x->whysz, "%s", msg);
	return -1;
}

static void pp_ws(struct pp *x)
{
	while (x->i < x->n && (x->p[x->i] == ' ' || x->p[x->i] == '\t' || x->p[x->i] == '\n' ||
			       x->p[x->i] == '\r'))
		x->i++;
}

static bool pp_peek(struct pp *x, char c)
{
	pp_ws(x);
	return x->i < x->n && x->p[x->i] == c;
}

/* True (and consumed) if the next word is kw (case-sensitive, as STIX keywords are). */
static bool pp_word(struct pp *x, const char *kw)
{
	size_t k = strlen(kw), e;

	pp_ws(x);
	if (x->n - x->i < k || memcmp(x->p + x->i, kw, k) != 0)
		return false;
	e = x->i + k;
	if (e < x->n && ((x->p[e] >= 'A' && x->p[e] <= 'Z') || (x->p[e] >= 'a' && x->p[e] <= 'z') ||
			 x->p[e] == '_'))
		return false;
	x->i = e;
	return true;
}

/* Reads the object path up to the operator: "type:prop[.sub]" where a part may be quoted. */
static int pp_path(struct pp *x, char *out, size_t outsz)
{
	size_t o = 0;

	pp_ws(x);
	while (x->i < x->n) {
		char c = x->p[x->i];

		if (c == ' ' || c == '\t' || c == '=' || c == '!' || c == '<' || c == '>' || c == ']' ||
		    c == '\n' || c == '\r')
			break;
		if (c == '\'') { /* a quoted key: copy with its quotes */
			do {
				if (o + 2 >= outsz)
					return pp_fail(x, "object path too long");
				out[o++] = x->p[x->i++];
			} while (x->i < x->n && x->p[x->i] != '\'');
			if (x->i >= x->n)
				return pp_fail(x, "unterminated quoted key in the object path");
		}
		if (o + 2 >= outsz)
			return pp_fail(x, "object path too long");
		out[o++] = x->p[x->i++];
	}
	out[o] = '\0';
	if (o == 0)
		return pp_fail(x, "an object path is missing");
	return 0;
}

static int pp_literal(struct pp *x, char *out, size_t outsz, size_t *len)
{
	size_t o = 0;

	pp_ws(x);
	if (x->i >= x->n || x->p[x->i] != '\'')
		return pp_fail(x, "only string literals in single quotes are supported");
	x->i++;
	while (x->i < x->n && x->p[x->i] != '\'') {
		char c = x->p[x->i++];

		if (c == '\\') {
			if (x->i >= x->n || (x->p[x->i] != '\'' && x->p[x->i] != '\\'))
				return pp_fail(x, "a backslash in a literal escapes only ' or \\");
			c = x->p[x->i++];
		}
		if (o + 1 >= outsz)
			return pp_fail(x, "literal too long");
		out[o++] = c;
	}
	if (x->i >= x->n)
		return pp_fail(x, "unterminated string literal");
	x->i++;
	out[o] = '\0';
	*len = o;
	return 0;
}

/* The kind a path compares, by operator; -1 when not supported. */
static int path_kind(const char *path, bool subset)
{
	static const struct {
		const char *path;
		int kind;
	} eq[] = {
		{"ipv4-addr:value", IND_IPV4},         {"ipv6-addr:value", IND_IPV6},
		{"domain-name:value", IND_DOMAIN},     {"url:value", IND_URL},
		{"email-addr:value", IND_EMAIL},       {"email-message:from_ref.value", IND_EMAIL},
		{"file:hashes.MD5", IND_MD5},          {"file:hashes.'MD5'", IND_MD5},
		{"file:hashes.'SHA-1'", IND_SHA1},     {"file:hashes.SHA1", IND_SHA1},
		{"file:hashes.'SHA1'", IND_SHA1},      {"file:hashes.'SHA-256'", IND_SHA256},
		{"file:hashes.SHA256", IND_SHA256},    {"file:hashes.'SHA256'", IND_SHA256},
	};

	for (size_t i = 0; i < sizeof eq / sizeof eq[0]; i++)
		if (strcmp(path, eq[i].path) == 0) {
			if (subset)
				return eq[i].kind == IND_IPV4 || eq[i].kind == IND_IPV6 ? IND_CIDR : -1;
			return eq[i].kind;
		}
	return -1;
}

static int pp_comparison(struct pp *x)
{
	char path[128], lit[IND_VALUE_MAX + 16], canon[IND_VALUE_MAX];
	size_t len;
	bool subset;
	int kind, rc;
	enum ind_kind k;

	if (pp_path(x, path, sizeof path) != 0)
		return -1;
	if (pp_peek(x, '=')) {
		x->i++;
		subset = false;
	} else if (pp_word(x, "ISSUBSET")) {
		subset = true;
	} else {
		return pp_fail(x, "only the operators = and ISSUBSET are supported");
	}
	kind = path_kind(path, subset);
	if (kind < 0)
	{
		if (x->whysz)
			snprintf(x->why, x->whysz,
				 "object path '%s' is not one ungcuu takes (ipv4-addr, ipv6-addr, "
				 "domain-name, url, email-addr values and file hashes)", path);
		return -1;
	}
	if (pp_literal(x, lit, sizeof lit, &len) != 0)
		return -1;
	k = (enum ind_kind)kind;
	/* an address compared with = may still be written as a network "10.0.0.0/8" */
	if ((k == IND_IPV4 || k == IND_IPV6) && memchr(lit, '/', len))
		k = IND_CIDR;
	if (indicator_normalize(k, lit, len, canon, sizeof canon) != 0)
	{
		if (x->whysz)
			snprintf(x->why, x->whysz, "the value is not a valid %s", path);
		return -1;
	}
	if (++x->count > STIX_PATTERN_CMP_MAX)
		return pp_fail(x, "too many comparisons in one pattern");
	rc = x->fn ? x->fn(x->ctx, k, canon) : 0;
	if (rc != 0) {
		x->stop = rc;
		return -1;
	}
	return 0;
}

/* comparison-expression: term (OR term)* where term is "(" expr ")" or a comparison */
static int pp_cmp_expr(struct pp *x)
{
	if (++x->depth > 16)
		return pp_fail(x, "parentheses nested too deep");
	for (;;) {
		if (pp_peek(x, '(')) {
			x->i++;
			if (pp_cmp_expr(x) != 0)
				return -1;
			if (!pp_peek(x, ')'))
				return pp_fail(x, "a ')' is missing");
			x->i++;
		} else if (pp_comparison(x) != 0) {
			return -1;
		}
		if (pp_word(x, "OR"))
			continue;
		if (pp_word(x, "AND"))
			return pp_fail(x, "AND between comparisons is not supported");
		break;
	}
	x->depth--;
	return 0;
}

/* observation-expression list: ("[" cmp-expr "]" | "(" obs-expr ")") (OR ...)* */
static int pp_obs_expr(struct pp *x)
{
	if (++x->depth > 16)
		return pp_fail(x, "parentheses nested too deep");
	for (;;) {
		if (pp_peek(x, '(')) {
			x->i++;
			if (pp_obs_expr(x) != 0)
				return -1;
			if (!pp_peek(x, ')'))
				return pp_fail(x, "a ')' is missing");
			x->i++;
		} else if (pp_peek(x, '[')) {
			x->i++;
			if (pp_cmp_expr(x) != 0)
				return -1;
			if (!pp_peek(x, ']'))
				return pp_fail(x, "a ']' is missing, or an operator is not supported");
			x->i++;
		} else {
			return pp_fail(x, "an observation expression starts with '['");
		}
		if (pp_word(x, "OR"))
			continue;
		if (pp_word(x, "AND") || pp_word(x, "FOLLOWEDBY"))
			return pp_fail(x, "AND / FOLLOWEDBY between observations is not supported");
		if (pp_word(x, "WITHIN") || pp_word(x, "REPEATS") || pp_word(x, "START"))
			return pp_fail(x, "qualifiers (WITHIN, REPEATS, START/STOP) are not supported");
		break;
	}
	x->depth--;
	return 0;
}

int stix_pattern_parse(const char *p, size_t n, stix_cmp_fn fn, void *ctx, char *why,
		       size_t whysz)
{
	struct pp x = {.p = p, .n = n, .fn = fn, .ctx = ctx, .why = why, .whysz = whysz};

	if (whysz)
		why[0] = '\0';
	if (pp_obs_expr(&x) != 0)
		return x.stop ? x.stop : -1;
	pp_ws(&x);
	if (x.i != x.n)
		return pp_fail(&x, "unexpected text after the pattern");
	return x.count;
}

/* ---- MISP ---- */

int stix_misp_type(const char *type, int parts[2], size_t *nparts)
{
	static const struct {
		const char *type;
		int a, b;
		size_t n;
	} map[] = {
		{"ip-dst", STIX_MISP_IP, 0, 1},
		{"ip-src", STIX_MISP_IP, 0, 1},
		{"ip-dst|port", STIX_MISP_IP, STIX_MISP_IGNORE, 2},
		{"ip-src|port", STIX_MISP_IP, STIX_MISP_IGNORE, 2},
		{"domain", IND_DOMAIN, 0, 1},
		{"hostname", IND_DOMAIN, 0, 1},
		{"domain|ip", IND_DOMAIN, STIX_MISP_IP, 2},
		{"hostname|port", IND_DOMAIN, STIX_MISP_IGNORE, 2},
		{"url", IND_URL, 0, 1},
		{"uri", IND_URL, 0, 1},
		{"md5", IND_MD5, 0, 1},
		{"sha1", IND_SHA1, 0, 1},
		{"sha256", IND_SHA256, 0, 1},
		{"filename|md5", STIX_MISP_IGNORE, IND_MD5, 2},
		{"filename|sha1", STIX_MISP_IGNORE, IND_SHA1, 2},
		{"filename|sha256", STIX_MISP_IGNORE, IND_SHA256, 2},
		{"email", IND_EMAIL, 0, 1},
		{"email-src", IND_EMAIL, 0, 1},
		{"email-dst", IND_EMAIL, 0, 1},
		{"email-reply-to", IND_EMAIL, 0, 1},
		{"vulnerability", STIX_MISP_VULN, 0, 1},
	};

	*nparts = 0;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(type, map[i].type) == 0) {
			parts[0] = map[i].a;
			parts[1] = map[i].b;
			*nparts = map[i].n;
			return 0;
		}
	return -1;
}

int stix_ip_normalize(const char *in, size_t n, enum ind_kind *kind, char *out, size_t outsz)
{
	static const enum ind_kind try[] = {IND_IPV4, IND_IPV6, IND_CIDR};

	for (size_t i = 0; i < 3; i++)
		if (indicator_normalize(try[i], in, n, out, outsz) == 0) {
			*kind = try[i];
			return 0;
		}
	return -1;
}

bool stix_cve_ok(const char *s, size_t n)
{
	size_t d = 0;

	if (n < 13 || n > 28 || !(s[0] == 'C' || s[0] == 'c') || !(s[1] == 'V' || s[1] == 'v') ||
	    !(s[2] == 'E' || s[2] == 'e') || s[3] != '-' || s[8] != '-')
		return false;
	for (size_t i = 4; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	for (size_t i = 9; i < n; i++, d++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return d >= 4 && d <= 19;
}
