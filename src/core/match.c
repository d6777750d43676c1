/* match.c - matching keys (match.h). */
#include "match.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/msg.h"
#include "util/str.h"

/* why a pair matches: the code of a message of the catalogue (util/msg_core.def), stored as the
 * fact and worded when read */
#define WHY_ADDR msg_code(M_match_address_in_range)
#define WHY_NET msg_code(M_match_network_within_range)
#define WHY_SAME_NET msg_code(M_match_same_network)
#define WHY_SAME_ADDR msg_code(M_match_same_address)
#define WHY_DOMAIN msg_code(M_match_same_domain)
#define WHY_SUBDOMAIN msg_code(M_match_subdomain)
#define WHY_SAME msg_code(M_match_same_value)

void match_prefixes_add(struct match_prefixes *p, unsigned family, unsigned bits)
{
	if (family == 4 && bits <= 32)
		p->v4[bits] = true;
	else if (family == 6 && bits <= 128)
		p->v6[bits] = true;
}

static int key_of(char *out, size_t outsz, const char *prefix, const char *v)
{
	return snprintf(out, outsz, "%s%s", prefix, v) >= (int)outsz ? -1 : 0;
}

/* Networks containing an address or network at the present lengths up to its own. */
static int net_keys(const char *value, const struct match_prefixes *p, bool asset,
		    match_key_fn kfn, match_ind_fn ifn, void *ctx)
{
	char net[IND_VALUE_MAX], key[MATCH_KEY_MAX];
	unsigned fam, bits;
	int rc;

	if (indicator_prefix(value, &fam, &bits) != 0)
		return 0;
	for (unsigned b = 0; b <= bits; b++) {
		bool present = fam == 4 ? p->v4[b] : p->v6[b];
		const char *why;

		if (!present || indicator_network(value, b, net, sizeof net) != 0)
			continue;
		why = b == bits ? (strchr(value, '/') ? WHY_SAME_NET : WHY_ADDR)
				: (strchr(value, '/') ? WHY_NET : WHY_ADDR);
		if (asset) {
			if (key_of(key, sizeof key, "n:", net) != 0)
				continue;
			rc = kfn(ctx, key, why);
		} else {
			rc = ifn(ctx, "cidr", net, why);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int domain_keys(const char *domain, bool asset, match_key_fn kfn, match_ind_fn ifn,
		       void *ctx)
{
	char key[MATCH_KEY_MAX];
	int rc;

	for (const char *d = domain; d != NULL; d = indicator_parent_domain(d)) {
		const char *why = d == domain ? WHY_DOMAIN : WHY_SUBDOMAIN;

		/* a bare top-level domain ("vn") is nobody's asset or indicator */
		if (d != domain && strchr(d, '.') == NULL)
			break;

		if (asset)
			rc = key_of(key, sizeof key, "d:", d) == 0 ? kfn(ctx, key, why) : 0;
		else
			rc = ifn(ctx, "domain", d, why);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int keys(enum ind_kind kind, const char *value, const struct match_prefixes *p, bool asset,
		match_key_fn kfn, match_ind_fn ifn, void *ctx)
{
	char host[IND_VALUE_MAX];
	enum ind_kind hk;
	int rc;

	switch (kind) {
	case IND_IPV4:
	case IND_IPV6:
		if (!asset && (rc = ifn(ctx, indicator_kind_name(kind), value, WHY_SAME_ADDR)) != 0)
			return rc;
		return net_keys(value, p, asset, kfn, ifn, ctx);
	case IND_CIDR:
		if (!asset && (rc = ifn(ctx, "cidr", value, WHY_SAME_NET)) != 0)
			return rc;
		return net_keys(value, p, asset, kfn, ifn, ctx);
	case IND_DOMAIN:
		return domain_keys(value, asset, kfn, ifn, ctx);
	case IND_URL:
	case IND_EMAIL:
		if (!asset && (rc = ifn(ctx, indicator_kind_name(kind), value, WHY_SAME)) != 0)
			return rc;
		if (indicator_host(kind, value, &hk, host, sizeof host) != 0)
			return 0;
		return keys(hk, host, p, asset, kfn, ifn, ctx);
	case IND_MD5:
	case IND_SHA1:
	case IND_SHA256:
		return asset ? 0 : ifn(ctx, indicator_kind_name(kind), value, WHY_SAME);
	case IND_KIND_COUNT:
		break;
	}
	return 0;
}

int match_asset_keys(enum ind_kind kind, const char *value, const struct match_prefixes *p,
		     match_key_fn fn, void *ctx)
{
	return keys(kind, value, p, true, fn, NULL, ctx);
}

int match_indicator_keys(enum ind_kind kind, const char *value, const struct match_prefixes *p,
			 match_ind_fn fn, void *ctx)
{
	return keys(kind, value, p, false, NULL, fn, ctx);
}

/* Parses a canonical address or network into its bytes, family and prefix length. */
static int parse(const char *value, unsigned char addr[16], unsigned *fam, unsigned *bits)
{
	char ip[IND_VALUE_MAX];
	const char *slash = strchr(value, '/');

	if (str_copy(ip, sizeof ip, value) != 0)
		return -1;
	if (slash)
		ip[slash - value] = '\0';
	if (indicator_prefix(value, fam, bits) != 0)
		return -1;
	memset(addr, 0, 16);
	return inet_pton(*fam == 4 ? AF_INET : AF_INET6, ip, addr) == 1 ? 0 : -1;
}

static void hex_key(const unsigned char *a, unsigned fam, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = fam, o = 0;

	out[o++] = fam == 4 ? '4' : '6';
	out[o++] = ':';
	for (size_t i = 0; i < n; i++) {
		out[o++] = hex[a[i] >> 4];
		out[o++] = hex[a[i] & 15];
	}
	out[o] = '\0';
}

int match_range(const char *value, char *lo, char *hi, size_t sz)
{
	unsigned char a[16], b[16];
	unsigned fam, bits;

	if (sz < MATCH_LO_MAX || parse(value, a, &fam, &bits) != 0)
		return -1;
	memcpy(b, a, sizeof b);
	for (unsigned i = bits; i < fam * 8; i++) {
		a[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
		b[i / 8] |= (unsigned char)(0x80u >> (i % 8));
	}
	hex_key(a, fam, lo);
	hex_key(b, fam, hi);
	return 0;
}

int match_asset_key(const char *kind, const char *value, char *mkey, size_t mkeysz, char *lo,
		    size_t losz, unsigned *family, unsigned *bits)
{
	char host[IND_VALUE_MAX], hi[MATCH_LO_MAX], net[IND_VALUE_MAX];
	enum ind_kind hk;

	*family = *bits = 0;
	if (losz > 0)
		lo[0] = '\0';
	if (strcmp(kind, "domain") == 0)
		return key_of(mkey, mkeysz, "d:", value);
	if (strcmp(kind, "cidr") == 0) {
		if (indicator_prefix(value, family, bits) != 0 || match_range(value, lo, hi, losz))
			return -1;
		*family = *family == 4 ? 4 : 6;
		return key_of(mkey, mkeysz, "n:", value);
	}
	if (strcmp(kind, "url") != 0 || indicator_host(IND_URL, value, &hk, host, sizeof host) != 0)
		return -1;
	if (hk == IND_DOMAIN)
		return key_of(mkey, mkeysz, "d:", host);
	if (indicator_prefix(host, family, bits) != 0 ||
	    indicator_network(host, *bits, net, sizeof net) != 0 ||
	    match_range(host, lo, hi, losz) != 0)
		return -1;
	*family = *family == 4 ? 4 : 6;
	/* an address host is its /32 or /128 network, as a bare address asset is */
	if (strchr(net, '/') == NULL) {
		char tmp[IND_VALUE_MAX];

		if (snprintf(tmp, sizeof tmp, "%s/%u", net, *bits) >= (int)sizeof tmp)
			return -1;
		return key_of(mkey, mkeysz, "n:", tmp);
	}
	return key_of(mkey, mkeysz, "n:", net);
}

/* Appends s (blanks around dropped) in ASCII lower case. */
static int put_lower(char *out, size_t outsz, size_t *o, const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || *o + n + 1 > outsz)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[(*o)++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	out[*o] = '\0';
	return 0;
}

int match_product_key(const char *vendor, const char *product, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (put_lower(out, outsz, &o, vendor) != 0 || o + 2 > outsz)
		return out[0] = '\0', -1;
	out[o++] = '|';
	out[o] = '\0';
	if (put_lower(out, outsz, &o, product) != 0)
		return out[0] = '\0', -1;
	return 0;
}

/* ---- product versions ---- */

#define VER_PART_MAX 64

static bool is_sep(char c)
{
	return c == '.' || c == '-' || c == '_' || c == ' ';
}

/* Compares versions a[0..an) and b[0..bn). <0, 0, >0. */
static int ver_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	while (i < an || j < bn) {
		size_t si = i, sj = j;
		char pa[VER_PART_MAX] = "0", pb[VER_PART_MAX] = "0";
		bool na = true, nb = true;
		int c;

		while (i < an && !is_sep(a[i]))
			i++;
		while (j < bn && !is_sep(b[j]))
			j++;
		if (i > si && i - si < VER_PART_MAX) {
			memcpy(pa, a + si, i - si);
			pa[i - si] = '\0';
		}
		if (j > sj && j - sj < VER_PART_MAX) {
			memcpy(pb, b + sj, j - sj);
			pb[j - sj] = '\0';
		}
		for (const char *p = pa; *p; p++)
			na = na && *p >= '0' && *p <= '9';
		for (const char *p = pb; *p; p++)
			nb = nb && *p >= '0' && *p <= '9';
		if (na && nb) {
			size_t la, lb;
			const char *x = pa, *y = pb;

			while (*x == '0' && x[1])
				x++;
			while (*y == '0' && y[1])
				y++;
			la = strlen(x);
			lb = strlen(y);
			c = la != lb ? (la < lb ? -1 : 1) : strcmp(x, y);
		} else {
			c = strcasecmp(pa, pb);
		}
		if (c != 0)
			return c;
		if (i < an)
			i++;
		if (j < bn)
			j++;
	}
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* One condition "op version". 1 holds, 0 not, -1 unreadable. */
static int condition(const char *version, const char *c, size_t n)
{
	int op = 0; /* 0 =, 1 <, 2 <=, 3 >, 4 >= */
	int r;

	trim(&c, &n);
	if (n >= 2 && (strncmp(c, "<=", 2) == 0 || strncmp(c, ">=", 2) == 0 ||
		       strncmp(c, "==", 2) == 0)) {
		op = c[0] == '<' ? 2 : c[0] == '>' ? 4 : 0;
		c += 2, n -= 2;
	} else if (n >= 1 && (c[0] == '<' || c[0] == '>' || c[0] == '=')) {
		op = c[0] == '<' ? 1 : c[0] == '>' ? 3 : 0;
		c++, n--;
	}
	trim(&c, &n);
	if (n == 0)
		return -1;
	r = ver_cmp(version, strlen(version), c, n);
	switch (op) {
	case 1:
		return r < 0;
	case 2:
		return r <= 0;
	case 3:
		return r > 0;
	case 4:
		return r >= 0;
	default:
		return r == 0;
	}
}

int match_version_in(const char *version, const char *ranges)
{
	const char *p = ranges;
	bool any = false, unknown = false;

	if (version == NULL || ranges == NULL)
		return -1;
	while (*version == ' ')
		version++;
	if (*version == '\0' || strspn(ranges, " \t") == strlen(ranges))
		return -1;
	while (*p) {
		/* one alternative: up to ";" or "||" */
		const char *end = p;
		int all = 1;

		while (*end && *end != ';' && !(end[0] == '|' && end[1] == '|'))
			end++;
		for (const char *c = p; c < end;) {
			const char *comma = memchr(c, ',', (size_t)(end - c));
			size_t n = comma ? (size_t)(comma - c) : (size_t)(end - c);
			int r = condition(version, c, n);

			if (r < 0)
				unknown = true;
			else if (r == 0)
				all = 0;
			c += n + (comma != NULL);
		}
		if (all && !unknown)
			any = true;
		p = *end == ';' ? end + 1 : *end ? end + 2 : end;
	}
	return any ? 1 : unknown ? -1 : 0;
}
