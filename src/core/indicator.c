/* indicator.c - validation, canonical spelling, extraction from text and matching keys of
 * indicators/observables (see indicator.h). Every value is ASCII: internationalised domains are
 * accepted in their xn-- form only. */
#include "indicator.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

#define DOMAIN_MAX 253
#define LABEL_MAX 63
#define EMAIL_LOCAL_MAX 64
#define URL_MAX (IND_VALUE_MAX - 1)

static const char *const kind_names[IND_KIND_COUNT] = {
	"ipv4", "ipv6", "cidr", "domain", "url", "md5", "sha1", "sha256", "email",
};

/* Endings that make "name.ext" a file rather than a domain in free text. Real TLDs among them
 * (.zip, .mov) lose to the far commoner file names in Vietnamese reports. */
static const char *const file_exts[] = {
	"txt", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "exe", "dll", "zip", "rar",
	"7z", "gz", "tar", "jpg", "jpeg", "png", "gif", "bmp", "html", "htm", "php", "asp",
	"aspx", "jsp", "js", "css", "log", "csv", "xml", "json", "eml", "msg", "bat", "ps1",
	"vbs", "sh", "py", "bin", "dat", "tmp", "bak", "iso", "img", "mp4", "mov", "mp3", "odt",
	"ods", "rtf", "lnk", "scr", "jar", "apk", "conf", "cfg", "ini", "sql", "db",
};

const char *indicator_kind_name(enum ind_kind kind)
{
	if ((unsigned)kind >= IND_KIND_COUNT)
		return NULL;
	return kind_names[kind];
}

int indicator_kind_parse(const char *name, enum ind_kind *out)
{
	for (unsigned i = 0; i < IND_KIND_COUNT; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum ind_kind)i;
			return 0;
		}
	return -1;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Copies in[0..n) to a NUL-terminated tmp (bounded). 0, or -1 when it does not fit or holds a
 * NUL. */
static int terminate(const char *in, size_t n, char *tmp, size_t tmpsz)
{
	if (n >= tmpsz || memchr(in, '\0', n) != NULL)
		return -1;
	memcpy(tmp, in, n);
	tmp[n] = '\0';
	return 0;
}

static int put(char *out, size_t outsz, const char *s)
{
	return str_copy(out, outsz, s) == 0 ? 0 : -1;
}

static int norm_ip(int af, const char *in, size_t n, char *out, size_t outsz)
{
	char tmp[INET6_ADDRSTRLEN + 1], text[INET6_ADDRSTRLEN];
	unsigned char addr[16];

	if (terminate(in, n, tmp, sizeof tmp) != 0 || inet_pton(af, tmp, addr) != 1 ||
	    inet_ntop(af, addr, text, sizeof text) == NULL)
		return -1;
	return put(out, outsz, text);
}

/* Parses "addr[/bits]" into its address bytes, family length (4/16) and prefix length. */
static int parse_net(const char *in, size_t n, unsigned char addr[16], unsigned *len,
		     unsigned *bits)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	char *slash;
	int64_t b;

	if (terminate(in, n, tmp, sizeof tmp) != 0)
		return -1;
	slash = strchr(tmp, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, tmp, addr) == 1)
		*len = 4;
	else if (inet_pton(AF_INET6, tmp, addr) == 1)
		*len = 16;
	else
		return -1;
	*bits = *len * 8;
	if (slash) {
		if (slash[1] == '\0' || strlen(slash + 1) > 3 ||
		    str_to_i64(slash + 1, 0, (int64_t)*len * 8, &b) != 0)
			return -1;
		*bits = (unsigned)b;
	}
	return 0;
}

static void clear_host_bits(unsigned char addr[16], unsigned len, unsigned bits)
{
	for (unsigned i = 0; i < len; i++) {
		unsigned keep = bits > i * 8 ? bits - i * 8 : 0;

		if (keep < 8)
			addr[i] = (unsigned char)(addr[i] & (unsigned char)(0xffu << (8 - keep)));
	}
}

static int print_net(const unsigned char addr[16], unsigned len, unsigned bits, char *out,
		     size_t outsz)
{
	char text[INET6_ADDRSTRLEN];
	int w;

	if (inet_ntop(len == 4 ? AF_INET : AF_INET6, addr, text, sizeof text) == NULL)
		return -1;
	w = snprintf(out, outsz, "%s/%u", text, bits);
	return (w < 0 || (size_t)w >= outsz) ? -1 : 0;
}

static int norm_cidr(const char *in, size_t n, char *out, size_t outsz)
{
	unsigned char addr[16];
	unsigned len, bits;

	if (parse_net(in, n, addr, &len, &bits) != 0)
		return -1;
	clear_host_bits(addr, len, bits);
	return print_net(addr, len, bits, out, outsz);
}

/* A host name of at least two labels, letters/digits/hyphens (underscores too: DNS records such
 * as _dmarc are seen in indicators), a top-level label that is not all digits. */
static int norm_domain(const char *in, size_t n, char *out, size_t outsz)
{
	size_t label = 0, labels = 1, i;
	bool tld_alpha = false;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n > DOMAIN_MAX || n >= outsz)
		return -1;
	for (i = 0; i < n; i++) {
		char c = in[i];

		if (c == '.') {
			if (label == 0 || in[i - 1] == '-')
				return -1;
			out[i] = '.';
			label = 0;
			labels++;
			tld_alpha = false;
			continue;
		}
		if (!is_alnum(c) && c != '-' && c != '_')
			return -1;
		if (c == '-' && label == 0)
			return -1;
		if (++label > LABEL_MAX)
			return -1;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			tld_alpha = true;
		out[i] = lower(c);
	}
	/* every top-level domain has two letters or more; this keeps "e.g." out of free text */
	if (label < 2 || in[n - 1] == '-' || labels < 2 || !tld_alpha)
		return -1;
	out[n] = '\0';
	return 0;
}

static int norm_hash(const char *in, size_t n, size_t want, char *out, size_t outsz)
{
	if (n != want || n >= outsz)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_hex(in[i]))
			return -1;
		out[i] = lower(in[i]);
	}
	out[n] = '\0';
	return 0;
}

static bool email_local_char(char c)
{
	return is_alnum(c) || (c != '\0' && strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int norm_email(const char *in, size_t n, char *out, size_t outsz)
{
	const char *at = memchr(in, '@', n);
	size_t local, i;

	if (at == NULL)
		return -1;
	local = (size_t)(at - in);
	if (local == 0 || local > EMAIL_LOCAL_MAX || in[0] == '.' || in[local - 1] == '.' ||
	    local + 1 >= outsz)
		return -1;
	for (i = 0; i < local; i++) {
		if (!email_local_char(in[i]) || (in[i] == '.' && in[i + 1] == '.'))
			return -1;
		out[i] = lower(in[i]);
	}
	out[local] = '@';
	return norm_domain(at + 1, n - local - 1, out + local + 1, outsz - local - 1);
}

/* The host of a URL's authority (after any user info, without port or brackets). */
static int url_host(const char *auth, size_t n, const char **host, size_t *hn, bool *v6)
{
	const char *at = NULL, *end = auth + n;

	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at)
		auth = at + 1;
	*v6 = auth < end && *auth == '[';
	if (*v6) {
		const char *close = memchr(auth, ']', (size_t)(end - auth));

		if (close == NULL || (close + 1 < end && close[1] != ':'))
			return -1;
		*host = auth + 1;
		*hn = (size_t)(close - auth - 1);
		return 0;
	}
	*host = auth;
	*hn = (size_t)(end - auth);
	for (const char *p = auth; p < end; p++)
		if (*p == ':') {
			*hn = (size_t)(p - auth);
			break;
		}
	return 0;
}

static const char *const url_schemes[] = {"http://", "https://", "ftp://", "ftps://"};

static size_t url_scheme_len(const char *in, size_t n)
{
	for (size_t s = 0; s < sizeof url_schemes / sizeof url_schemes[0]; s++) {
		size_t k = strlen(url_schemes[s]);

		if (n > k && strncasecmp(in, url_schemes[s], k) == 0)
			return k;
	}
	return 0;
}

static int norm_url(const char *in, size_t n, char *out, size_t outsz)
{
	size_t k = url_scheme_len(in, n), i, auth_end;
	const char *host;
	size_t hn;
	bool v6;
	char canon[DOMAIN_MAX + 1];

	if (k == 0 || n > URL_MAX || n >= outsz)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)in[i] <= ' ' || (unsigned char)in[i] >= 0x7f)
			return -1;
	for (auth_end = k; auth_end < n && !strchr("/?#", in[auth_end]); auth_end++)
		;
	if (url_host(in + k, auth_end - k, &host, &hn, &v6) != 0 || hn == 0)
		return -1;
	if (norm_ip(v6 ? AF_INET6 : AF_INET, host, hn, canon, sizeof canon) != 0 &&
	    (v6 || norm_domain(host, hn, canon, sizeof canon) != 0))
		return -1;
	/* scheme and host in lower case; user info, port, path and query as written */
	for (i = 0; i < n; i++) {
		bool in_host = in + i >= host && in + i < host + hn;

		out[i] = (i < k || in_host) ? lower(in[i]) : in[i];
	}
	out[n] = '\0';
	return 0;
}

int indicator_normalize(enum ind_kind kind, const char *in, size_t n, char *out, size_t outsz)
{
	int rc = -1;

	if (outsz == 0)
		return -1;
	switch (kind) {
	case IND_IPV4: rc = norm_ip(AF_INET, in, n, out, outsz); break;
	case IND_IPV6: rc = norm_ip(AF_INET6, in, n, out, outsz); break;
	case IND_CIDR: rc = norm_cidr(in, n, out, outsz); break;
	case IND_DOMAIN: rc = norm_domain(in, n, out, outsz); break;
	case IND_URL: rc = norm_url(in, n, out, outsz); break;
	case IND_MD5: rc = norm_hash(in, n, 32, out, outsz); break;
	case IND_SHA1: rc = norm_hash(in, n, 40, out, outsz); break;
	case IND_SHA256: rc = norm_hash(in, n, 64, out, outsz); break;
	case IND_EMAIL: rc = norm_email(in, n, out, outsz); break;
	default: break;
	}
	if (rc != 0)
		out[0] = '\0';
	return rc;
}

int indicator_detect(const char *in, size_t n, enum ind_kind *kind, char *out, size_t outsz)
{
	static const enum ind_kind order[] = {IND_URL,  IND_EMAIL, IND_IPV4,   IND_IPV6,  IND_CIDR,
					      IND_MD5,  IND_SHA1,  IND_SHA256, IND_DOMAIN};

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (indicator_normalize(order[i], in, n, out, outsz) == 0) {
			*kind = order[i];
			return 0;
		}
	return -1;
}

/* ---- extraction from free text ---- */

/* Text is processed in windows so any length works with a bounded copy. */
#define WINDOW 65536

struct extract {
	char window[WINDOW];
	indicator_found_fn fn;
	void *ctx;
	size_t max, found;
	/* values already reported, for distinctness: offsets into seen_buf */
	char seen_buf[16384];
	size_t seen_len;
	int stop;
};

static bool seen_before(struct extract *x, enum ind_kind kind, const char *v)
{
	size_t vn = strlen(v);
	size_t need = vn + 2;

	for (size_t off = 0; off < x->seen_len;) {
		const char *e = x->seen_buf + off;
		size_t en = strlen(e + 1);

		if ((unsigned char)e[0] == (unsigned char)kind + 1 && en == vn &&
		    memcmp(e + 1, v, vn) == 0)
			return true;
		off += en + 2;
	}
	if (x->seen_len + need <= sizeof x->seen_buf) {
		x->seen_buf[x->seen_len] = (char)(kind + 1);
		memcpy(x->seen_buf + x->seen_len + 1, v, vn + 1);
		x->seen_len += need;
	}
	return false;
}

static void report(struct extract *x, enum ind_kind kind, const char *v)
{
	if (x->stop || x->found >= x->max || seen_before(x, kind, v))
		return;
	x->found++;
	x->stop = x->fn(x->ctx, kind, v);
}

static bool is_file_name(const char *domain)
{
	const char *dot = strrchr(domain, '.');

	for (size_t i = 0; dot && i < sizeof file_exts / sizeof file_exts[0]; i++)
		if (strcmp(dot + 1, file_exts[i]) == 0)
			return true;
	return false;
}

/* Classifies one token of free text (already refanged). */
static void classify(struct extract *x, const char *t, size_t n)
{
	char v[IND_VALUE_MAX];
	enum ind_kind kind;
	const char *colon;

	while (n > 0 && strchr(".,:;!?", t[n - 1]))
		n--;
	while (n > 0 && strchr(".,:;!?", t[0])) {
		t++;
		n--;
	}
	if (n < 4)
		return;
	if (url_scheme_len(t, n) > 0) {
		if (norm_url(t, n, v, sizeof v) == 0)
			report(x, IND_URL, v);
		return;
	}
	if (memchr(t, '@', n)) {
		if (norm_email(t, n, v, sizeof v) == 0)
			report(x, IND_EMAIL, v);
		return;
	}
	if (indicator_detect(t, n, &kind, v, sizeof v) == 0) {
		/* A bare "1.2.3.4/24" is a network; a word that is all hex but of a hash's length
		 * is a hash; names that end like files are not domains. */
		if (kind == IND_DOMAIN && is_file_name(v))
			return;
		report(x, kind, v);
		return;
	}
	/* "IP:1.2.3.4", "1.2.3.4:8080", "máy chủ:abc.vn" (the Vietnamese was cut already): a
	 * token that is no IPv6 address is tried piece by piece between its colons */
	colon = memchr(t, ':', n);
	while (colon) {
		size_t left = (size_t)(colon - t);

		classify(x, t, left);
		n -= left + 1;
		t = colon + 1;
		colon = memchr(t, ':', n);
		if (colon == NULL)
			classify(x, t, n);
	}
}

/* Token boundaries: white space, quotes and brackets, and any non-ASCII byte (indicators are
 * ASCII; Vietnamese words around them are not). */
static bool is_boundary(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || strchr("<>\"'(){}|,;\\^`", c) != NULL;
}

/* Undoes the usual defanging in place: hxxp -> http, [.] (.) {.} [dot] -> ., [:] -> :, [@] -> @.
 * Works on a copy bounded by the caller. Returns the new length. */
static size_t refang(char *s, size_t n)
{
	static const struct {
		const char *from, *to;
	} subs[] = {{"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[dot]", "."}, {"[:]", ":"},
		    {"[@]", "@"}, {"[at]", "@"}, {"hxxp", "http"}, {"hXXp", "http"}};
	size_t r = 0, w = 0;

	while (r < n) {
		size_t i;

		for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
			size_t fl = strlen(subs[i].from), tl = strlen(subs[i].to);

			if (r + fl <= n && strncasecmp(s + r, subs[i].from, fl) == 0) {
				memmove(s + w, subs[i].to, tl); /* tl <= fl: never overtakes r */
				w += tl;
				r += fl;
				break;
			}
		}
		if (i == sizeof subs / sizeof subs[0])
			s[w++] = s[r++];
	}
	return w;
}

int indicator_extract(const char *text, size_t n, size_t max, indicator_found_fn fn, void *ctx)
{
	struct extract *x = NULL;
	char *buf;
	size_t pos = 0;
	int rc = 0;

	x = calloc(1, sizeof *x);
	if (x == NULL)
		return -1;
	x->fn = fn;
	x->ctx = ctx;
	x->max = max;
	buf = x->window;
	while (pos < n && !x->stop && x->found < x->max) {
		size_t len = n - pos < WINDOW ? n - pos : WINDOW, end, i, start;

		/* end the window at a token boundary so no token is split (unless one is huge) */
		end = len;
		if (pos + len < n) {
			while (end > 0 && !is_boundary((unsigned char)text[pos + end - 1]))
				end--;
			if (end == 0)
				end = len;
		}
		memcpy(buf, text + pos, end);
		pos += end;
		len = refang(buf, end);
		for (i = 0, start = 0; i <= len; i++) {
			if (i < len && !is_boundary((unsigned char)buf[i]))
				continue;
			if (i > start && i - start <= URL_MAX)
				classify(x, buf + start, i - start);
			start = i + 1;
		}
	}
	rc = x->stop ? x->stop : (int)x->found;
	free(x);
	return rc;
}

/* ---- matching keys ---- */

int indicator_prefix(const char *value, unsigned *family_bytes, unsigned *bits)
{
	unsigned char addr[16];

	return parse_net(value, strlen(value), addr, family_bytes, bits);
}

int indicator_network(const char *value, unsigned bits, char *out, size_t outsz)
{
	unsigned char addr[16];
	unsigned len, own;

	if (parse_net(value, strlen(value), addr, &len, &own) != 0 || bits > own)
		return -1;
	clear_host_bits(addr, len, bits);
	return print_net(addr, len, bits, out, outsz);
}

const char *indicator_parent_domain(const char *domain)
{
	const char *dot = strchr(domain, '.');

	return dot ? dot + 1 : NULL;
}

bool indicator_domain_within(const char *domain, const char *suffix)
{
	size_t dn = strlen(domain), sn = strlen(suffix);

	if (sn == 0 || dn < sn || strcmp(domain + dn - sn, suffix) != 0)
		return false;
	return dn == sn || domain[dn - sn - 1] == '.';
}

int indicator_host(enum ind_kind kind, const char *value, enum ind_kind *host_kind, char *out,
		   size_t outsz)
{
	const char *host, *auth;
	size_t hn, k, n = strlen(value), end;
	bool v6;

	if (kind == IND_EMAIL) {
		const char *at = strrchr(value, '@');

		*host_kind = IND_DOMAIN;
		return at ? put(out, outsz, at + 1) : -1;
	}
	if (kind != IND_URL || (k = url_scheme_len(value, n)) == 0)
		return -1;
	auth = value + k;
	for (end = 0; auth[end] && !strchr("/?#", auth[end]); end++)
		;
	if (url_host(auth, end, &host, &hn, &v6) != 0)
		return -1;
	if (norm_ip(v6 ? AF_INET6 : AF_INET, host, hn, out, outsz) == 0) {
		*host_kind = v6 ? IND_IPV6 : IND_IPV4;
		return 0;
	}
	*host_kind = IND_DOMAIN;
	return norm_domain(host, hn, out, outsz);
}
