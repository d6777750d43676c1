/* authres.c - whether an incoming message's sender is who its From: says (docs/mail.md "Who may
 * write in"). ungcuu checks no signature itself: the receiving MTA does (DKIM, SPF, DMARC) and
 * writes what it found in an Authentication-Results field (RFC 8601). Anybody can write such a
 * field into a message, so only the topmost ones carrying the authserv-id the administrator
 * configured count, and only a result aligned with the From: domain verifies it. Pure: no I/O,
 * no GMime (intake.c hands over the fields); fuzzed by tests/fuzz/fuzz_mail.c. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mail/mail.h"
#include "util/str.h"

#define AUTHRES_TEXT_MAX 8192 /* longer fields are not read (ours are far shorter) */

/* Blanks the comments "( ... )" of s outside quoted strings (they may nest and hold quoted
 * pairs): "dmarc=fail (dmarc=pass)" must read as a fail. -1 when one is not closed. */
static int blank_comments(char *s)
{
	bool quoted = false;
	int depth = 0;

	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1] != '\0' && (quoted || depth > 0)) {
			if (depth > 0)
				p[0] = p[1] = ' ';
			p++;
			continue;
		}
		if (depth == 0 && *p == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (*p == ')')
			return -1;
		else if (depth == 0)
			continue;
		*p = ' ';
	}
	return depth == 0 && !quoted ? 0 : -1;
}

/* Folds white space (folded lines too) to single spaces outside quoted strings and drops it
 * next to '=': the grammar allows "dkim = pass". */
static void squeeze(char *s)
{
	char *w = s;
	bool quoted = false, space = false;

	for (char *p = s; *p; p++) {
		char c = isspace((unsigned char)*p) ? ' ' : *p;

		if (quoted) {
			*w++ = c;
			if (c == '\\' && p[1] != '\0')
				*w++ = *++p;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (c == ' ') {
			space = true;
			continue;
		}
		if (space && w > s && w[-1] != '=' && c != '=')
			*w++ = ' ';
		space = false;
		quoted = c == '"';
		*w++ = c;
	}
	*w = '\0';
}

/* Next item of s separated by sep outside quoted strings: returns its start (NUL-terminated in
 * place, leading spaces skipped) and moves *s past it; NULL at the end. */
static char *next_item(char **s, char sep)
{
	char *start = *s, *p = *s;
	bool quoted = false;

	if (start == NULL)
		return NULL;
	for (; *p; p++) {
		if (quoted && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == sep && !quoted)
			break;
	}
	if (*p == sep) {
		*p = '\0';
		*s = p + 1;
	} else {
		*s = NULL;
	}
	while (*start == ' ')
		start++;
	return start;
}

/* Copies v (a token, a quoted string, or local@domain) lower-cased into out; for an address,
 * only its domain. */
static void value_domain(const char *v, char *out, size_t outsz)
{
	char tmp[256];
	const char *at;
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	at = strrchr(tmp, '@');
	str_copy(out, outsz, at ? at + 1 : tmp);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* Reads one resinfo "method[/version]=result *(ptype.property=value)" into r. 0, or -1 when it
 * is not one. */
static int resinfo(char *s, struct mail_authres_result *r)
{
	char *word, *eq, *slash, ihdr[256] = "";

	memset(r, 0, sizeof *r);
	word = next_item(&s, ' ');
	if (word == NULL || (eq = strchr(word, '=')) == NULL || eq == word || eq[1] == '\0')
		return -1;
	*eq = '\0';
	if ((slash = strchr(word, '/')) != NULL)
		*slash = '\0';
	if (str_copy(r->method, sizeof r->method, word) != 0 ||
	    str_copy(r->result, sizeof r->result, eq + 1) != 0)
		return -1;
	for (char *p = r->method; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (char *p = r->result; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	while ((word = next_item(&s, ' ')) != NULL) {
		if ((eq = strchr(word, '=')) == NULL)
			continue;
		*eq = '\0';
		if (strcmp(r->method, "dmarc") == 0 && str_ieq(word, "header.from"))
			value_domain(eq + 1, r->domain, sizeof r->domain);
		else if (strcmp(r->method, "dkim") == 0 && str_ieq(word, "header.d"))
			value_domain(eq + 1, r->domain, sizeof r->domain);
		else if (strcmp(r->method, "dkim") == 0 && str_ieq(word, "header.i"))
			value_domain(eq + 1, ihdr, sizeof ihdr);
		else if (strcmp(r->method, "spf") == 0 && str_ieq(word, "smtp.mailfrom"))
			value_domain(eq + 1, r->domain, sizeof r->domain);
	}
	/* header.i only stands in for a missing header.d */
	if (r->domain[0] == '\0' && ihdr[0] != '\0')
		str_copy(r->domain, sizeof r->domain, ihdr);
	return 0;
}

int mail_authres_parse(const char *value, struct mail_authres *out)
{
	char text[AUTHRES_TEXT_MAX], *rest = text, *item;
	size_t n;

	memset(out, 0, sizeof *out);
	if (value == NULL || (n = strlen(value)) >= sizeof text)
		return MAIL_EPARSE;
	memcpy(text, value, n + 1);
	if (blank_comments(text) != 0)
		return MAIL_EPARSE;
	squeeze(text);
	/* authserv-id [version] */
	item = next_item(&rest, ';');
	if (item == NULL || item[0] == '\0')
		return MAIL_EPARSE;
	{
		char *id = next_item(&item, ' ');
		size_t idn = strlen(id);

		if (idn >= 2 && id[0] == '"' && id[idn - 1] == '"') {
			id[idn - 1] = '\0';
			id++;
		}
		if (id[0] == '\0' || str_copy(out->authserv_id, sizeof out->authserv_id, id) != 0)
			return MAIL_EPARSE;
	}
	while ((item = next_item(&rest, ';')) != NULL && out->n < MAIL_AUTHRES_RESULTS) {
		if (item[0] == '\0' || str_ieq(item, "none"))
			continue; /* "none": the MTA checked nothing */
		if (resinfo(item, &out->r[out->n]) == 0)
			out->n++;
	}
	return MAIL_OK;
}

/* Whether d (a signing or envelope domain) is aligned with the From: domain f: the same, or f is
 * a subdomain of d (relaxed alignment with d as the organisational domain; RFC 7489 §3.1). A
 * bare top-level name never aligns. */
static bool aligned(const char *d, const char *f)
{
	size_t dn = strlen(d), fn = strlen(f);

	if (dn == 0 || strchr(d, '.') == NULL)
		return false;
	if (str_ieq(d, f))
		return true;
	return fn > dn + 1 && f[fn - dn - 1] == '.' && str_ieq(f + fn - dn, d);
}

/* The block of fields that counts: the topmost field with our authserv-id and the fields of
 * ours right below it (one per filter of the MTA). Appends its results to all (at most cap);
 * returns how many fields it holds. */
static size_t our_block(const struct mail_intake *m, const char *authserv_id,
			struct mail_authres_result *all, size_t cap, size_t *nall)
{
	struct mail_authres ar;
	size_t first = m->nauthres, count = 0;

	*nall = 0;
	for (size_t i = 0; i < m->nauthres; i++)
		if (mail_authres_parse(m->authres[i], &ar) == MAIL_OK &&
		    str_ieq(ar.authserv_id, authserv_id)) {
			first = i;
			break;
		}
	for (size_t i = first; i < m->nauthres; i++) {
		if (i > first && !m->authres_next[i])
			break; /* another field came between: not what our MTA wrote on top */
		if (mail_authres_parse(m->authres[i], &ar) != MAIL_OK ||
		    !str_ieq(ar.authserv_id, authserv_id))
			break;
		count++;
		for (size_t k = 0; k < ar.n && *nall < cap; k++)
			all[(*nall)++] = ar.r[k];
	}
	return count;
}

/* The verdict on the results of our block for From: domain f. Sets out->method on a pass. */
static bool verdict(const struct mail_authres_result *r, size_t n, const char *f,
		    struct mail_auth *out)
{
	bool dmarc_seen = false, dmarc_pass = false, dmarc_bad = false;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].method, "dmarc") != 0)
			continue;
		dmarc_seen = true;
		if (strcmp(r[i].result, "pass") != 0)
			dmarc_bad = true;
		else if (str_ieq(r[i].domain, f))
			dmarc_pass = true;
	}
	/* DMARC, when the MTA evaluated it, has the last word: it already weighs DKIM and SPF */
	if (dmarc_seen) {
		if (dmarc_pass && !dmarc_bad)
			str_copy(out->method, sizeof out->method, "dmarc");
		return dmarc_pass && !dmarc_bad;
	}
	for (size_t i = 0; i < n; i++)
		if ((strcmp(r[i].method, "dkim") == 0 || strcmp(r[i].method, "spf") == 0) &&
		    strcmp(r[i].result, "pass") == 0 && aligned(r[i].domain, f)) {
			str_copy(out->method, sizeof out->method, r[i].method);
			return true;
		}
	return false;
}

void mail_auth_check(const struct mail_intake *m, const char *authserv_id, struct mail_auth *out)
{
	struct mail_authres_result all[MAIL_AUTHRES_MAX];
	size_t nall = 0, len = 0;
	const char *at;

	memset(out, 0, sizeof *out);
	if (authserv_id == NULL || authserv_id[0] == '\0') {
		out->reason = "auth_unconfigured";
		return;
	}
	if (our_block(m, authserv_id, all, MAIL_AUTHRES_MAX, &nall) == 0) {
		out->reason = "auth_missing";
		return;
	}
	for (size_t i = 0; i < nall && len + 1 < sizeof out->summary; i++) {
		int w = snprintf(out->summary + len, sizeof out->summary - len, "%s%s=%s",
				 i ? " " : "", all[i].method, all[i].result);

		if (w < 0 || (size_t)w >= sizeof out->summary - len) {
			out->summary[len] = '\0';
			break;
		}
		len += (size_t)w;
	}
	/* several From: addresses or fields are nobody's identity (DMARC does not apply) */
	at = m->from != NULL ? strrchr(m->from, '@') : NULL;
	out->authenticated = at != NULL && !m->from_multi && verdict(all, nall, at + 1, out);
	out->reason = out->authenticated ? NULL : "auth_failed";
}
