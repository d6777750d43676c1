/* intake.c - reads one incoming e-mail with GMime 3 for `ungcuu mailgate` (docs/mail.md):
 * sender, decoded subject, Message-ID, the plain-text body, the incident reference, and whether
 * it is an automatic message that must not be stored (loops, auto-replies, bulk), and the
 * Authentication-Results fields mail/authres.c judges the sender by. */
#include <ctype.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail.h"
#include "util/str.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
	g_mime_init();
}

bool mail_find_ref(const char *s, char *ref, size_t refsz)
{
	const char *p = s;

	while (p && (p = strstr(p, "[UC-")) != NULL) {
		const char *q = p + 4;
		size_t k = 0;

		while (k < 4 && isdigit((unsigned char)q[k]))
			k++;
		if (k == 4 && q[4] == '-') {
			size_t d = 0;

			while (d < 12 && isdigit((unsigned char)q[5 + d]))
				d++;
			if (d >= 6 && q[5 + d] == ']' && 4 + 5 + d < refsz) {
				memcpy(ref, p + 1, 3 + 5 + d);
				ref[3 + 5 + d] = '\0';
				return true;
			}
		}
		p += 4;
	}
	if (refsz)
		ref[0] = '\0';
	return false;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Cuts s to at most max bytes on a UTF-8 boundary. */
static void cap_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

static bool is_plain_body(GMimeObject *o)
{
	GMimeContentDisposition *d;

	if (!GMIME_IS_TEXT_PART(o))
		return false;
	if (!g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "plain"))
		return false;
	d = g_mime_object_get_content_disposition(o);
	return d == NULL || !g_mime_content_disposition_is_attachment(d);
}

static bool is_html_body(GMimeObject *o)
{
	GMimeContentDisposition *d;

	if (!GMIME_IS_TEXT_PART(o))
		return false;
	if (!g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "html"))
		return false;
	d = g_mime_object_get_content_disposition(o);
	return d == NULL || !g_mime_content_disposition_is_attachment(d);
}

/* The first part that `want` accepts, as UTF-8 text (g_free'd by the caller); *which gets it. */
static char *body_text(GMimeMessage *msg, bool (*want)(GMimeObject *), GMimeObject **which)
{
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	GMimePartIter *it;
	char *text = NULL;

	*which = NULL;
	if (body == NULL)
		return NULL;
	if (want(body)) {
		*which = body;
		return g_mime_text_part_get_text((GMimeTextPart *)body);
	}
	if (!GMIME_IS_MULTIPART(body))
		return NULL;
	it = g_mime_part_iter_new(body);
	do {
		GMimeObject *cur = g_mime_part_iter_get_current(it);

		if (cur != NULL && want(cur)) {
			text = g_mime_text_part_get_text((GMimeTextPart *)cur);
			*which = cur;
		}
	} while (text == NULL && g_mime_part_iter_next(it));
	g_mime_part_iter_free(it);
	return text;
}

/* A leaf part that is a file: disposition attachment, or a file name, or not text at all. */
static bool is_file_part(GMimeObject *o, GMimeObject *body)
{
	GMimeContentDisposition *d;

	if (o == body || !GMIME_IS_PART(o) || GMIME_IS_MULTIPART(o) || GMIME_IS_MESSAGE_PART(o))
		return false;
	d = g_mime_object_get_content_disposition(o);
	if (d != NULL && g_mime_content_disposition_is_attachment(d))
		return true;
	if (g_mime_part_get_filename((GMimePart *)o) != NULL)
		return true;
	return !g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "*") &&
	       !g_mime_content_type_is_type(g_mime_object_get_content_type(o), "multipart", "*");
}

/* Copies the decoded content of a part into a. 0, or -1 out of memory. */
static int take_file(GMimePart *part, size_t n, struct mail_attachment *a)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *ba;
	const char *name = g_mime_part_get_filename(part);
	char *mime;
	char fallback[32];
	int rc = -1;

	memset(a, 0, sizeof *a);
	if (w == NULL)
		return 0;
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, mem) < 0) {
		g_object_unref(mem);
		return 0;
	}
	ba = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
	mime = g_mime_content_type_get_mime_type(g_mime_object_get_content_type((GMimeObject *)part));
	snprintf(fallback, sizeof fallback, "attachment-%zu", n + 1);
	if (name == NULL || name[0] == '\0' || !str_utf8_valid(name, strlen(name)))
		name = fallback;
	a->name = strdup(name);
	a->mime = strdup(mime != NULL && str_utf8_valid(mime, strlen(mime)) ? mime
									    : "application/octet-stream");
	a->len = ba != NULL ? ba->len : 0;
	a->data = malloc(a->len > 0 ? a->len : 1);
	if (a->name != NULL && a->mime != NULL && a->data != NULL) {
		if (a->len > 0)
			memcpy(a->data, ba->data, a->len);
		rc = 0;
	}
	if (rc != 0) {
		free(a->name);
		free(a->mime);
		free(a->data);
		memset(a, 0, sizeof *a);
	}
	g_free(mime);
	g_object_unref(mem);
	return rc;
}

/* Collects the files of the message (not the part the text came from). */
static int files(GMimeMessage *msg, GMimeObject *text_part, struct mail_intake *out)
{
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	GMimePartIter *it;
	int rc = 0;

	if (body == NULL)
		return 0;
	if (!GMIME_IS_MULTIPART(body)) {
		if (is_file_part(body, text_part)) {
			rc = take_file((GMimePart *)body, 0, &out->att[0]);
			out->natt = out->att[0].name ? 1 : 0;
		}
		return rc;
	}
	it = g_mime_part_iter_new(body);
	do {
		GMimeObject *cur = g_mime_part_iter_get_current(it);

		if (cur == NULL || !is_file_part(cur, text_part))
			continue;
		if (out->natt == MAIL_MAX_ATTACHMENTS) {
			out->too_many = true;
			break;
		}
		rc = take_file((GMimePart *)cur, out->natt, &out->att[out->natt]);
		if (out->att[out->natt].name != NULL)
			out->natt++;
	} while (rc == 0 && g_mime_part_iter_next(it));
	g_mime_part_iter_free(it);
	return rc;
}

/* ---- RFC 2047 encoded words, one by one ----
 * GMime 3.2 joins adjacent base64 words before decoding them, so a subject split by the sender
 * into padded words ("...IGg=?= =?utf-8?b?w7Nh...") loses everything after the first padding
 * (what Python's email package and many mail programs send). Each word is decoded on its own
 * here; the bytes of adjacent words of one charset are joined before conversion, so a character
 * split over two words comes out whole. */

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Appends the decoded bytes of one word's text (B or Q) to b. */
static int word_bytes(char enc, const char *t, size_t n, GByteArray *b)
{
	if (enc == 'b' || enc == 'B') {
		guchar *out = g_malloc(n / 4 * 3 + 4);
		gint state = 0;
		guint save = 0;
		gsize got = g_base64_decode_step(t, n, out, &state, &save);

		g_byte_array_append(b, out, (guint)got);
		g_free(out);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		guint8 c = (guint8)t[i];

		if (c == '_')
			c = ' ';
		else if (c == '=' && i + 2 < n && hexval((unsigned char)t[i + 1]) >= 0 &&
			 hexval((unsigned char)t[i + 2]) >= 0) {
			c = (guint8)(hexval((unsigned char)t[i + 1]) * 16 + hexval((unsigned char)t[i + 2]));
			i += 2;
		}
		g_byte_array_append(b, &c, 1);
	}
	return 0;
}

/* Converts the pending bytes of charset cs to UTF-8 onto out and empties them. */
static int flush_words(GByteArray *pend, const char *cs, struct buf *out)
{
	char *u = NULL;
	int rc = 0;

	if (pend->len == 0)
		return 0;
	if (g_ascii_strcasecmp(cs, "utf-8") == 0 || g_ascii_strcasecmp(cs, "utf8") == 0 ||
	    g_ascii_strcasecmp(cs, "us-ascii") == 0)
		u = g_strndup((const char *)pend->data, pend->len);
	else
		u = g_convert((const char *)pend->data, (gssize)pend->len, "UTF-8", cs, NULL, NULL,
			      NULL);
	if (u == NULL || buf_puts(out, u) != BUF_OK)
		rc = -1;
	g_free(u);
	g_byte_array_set_size(pend, 0);
	return rc;
}

int mail_rfc2047_decode(const char *s, struct buf *out)
{
	GByteArray *pend = g_byte_array_new();
	char cs[64] = "";
	const char *p = s;
	int rc = 0;

	while (*p && rc == 0) {
		const char *q1, *q2, *end;
		size_t csn;

		if (p[0] == '=' && p[1] == '?' && (q1 = strchr(p + 2, '?')) != NULL &&
		    q1[1] != '\0' && q1[2] == '?' && strchr("bBqQ", q1[1]) &&
		    (end = strstr(q1 + 3, "?=")) != NULL && (csn = (size_t)(q1 - p - 2)) > 0 &&
		    csn < sizeof cs) {
			char wcs[64];

			memcpy(wcs, p + 2, csn);
			wcs[csn] = '\0';
			if ((q2 = strchr(wcs, '*')) != NULL) /* RFC 2231 language: "utf-8*vi" */
				*(char *)q2 = '\0';
			/* another charset: the pending bytes are complete */
			if (g_ascii_strcasecmp(wcs, cs) != 0)
				rc = flush_words(pend, cs, out);
			memcpy(cs, wcs, sizeof cs);
			word_bytes(q1[1], q1 + 3, (size_t)(end - q1 - 3), pend);
			p = end + 2;
			/* only white space before the next word: dropped (RFC 2047 §6.2) */
			{
				const char *w = p;

				while (*w == ' ' || *w == '\t' || *w == '\r' || *w == '\n')
					w++;
				if (w[0] == '=' && w[1] == '?')
					p = w;
			}
			continue;
		}
		if (pend->len > 0)
			rc = flush_words(pend, cs, out);
		if (rc == 0 && *p != '\r' && *p != '\n' && buf_append(out, p, 1) != BUF_OK)
			rc = -1;
		p++;
	}
	if (rc == 0)
		rc = flush_words(pend, cs, out);
	g_byte_array_unref(pend);
	if (rc == 0 && out->p == NULL && buf_puts(out, "") != BUF_OK)
		rc = -1;
	return rc == 0 ? MAIL_OK : MAIL_EPARSE;
}

/* The decoded subject: the raw header through mail_rfc2047_decode, else GMime's reading. */
static char *subject_of(GMimeMessage *msg)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list((GMimeObject *)msg);
	GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, "Subject") : NULL;
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	const char *dec = g_mime_message_get_subject(msg);
	struct buf b;
	char *r = NULL;

	if (raw == NULL)
		return dec ? strdup(dec) : NULL;
	while (*raw == ' ' || *raw == '\t')
		raw++;
	buf_init(&b, 64u << 10);
	if (mail_rfc2047_decode(raw, &b) == MAIL_OK && b.p != NULL && str_utf8_valid(b.p, b.len)) {
		/* trailing folding white space */
		while (b.len > 0 && (b.p[b.len - 1] == ' ' || b.p[b.len - 1] == '\t'))
			b.p[--b.len] = '\0';
		r = strdup(b.p);
	} else if (dec != NULL) {
		r = strdup(dec);
	}
	buf_free(&b);
	return r;
}

/* ---- HTML to text ---- */

static int put_cp(struct buf *out, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(out, u, n);
}

/* Decodes the entity at p (after '&', at most left bytes); *used gets its length. */
static int entity(const char *p, size_t left, struct buf *out, size_t *used)
{
	static const struct {
		const char *name;
		unsigned long cp;
	} named[] = {
		{"amp;", '&'},	     {"lt;", '<'},	  {"gt;", '>'},	       {"quot;", '"'},
		{"apos;", '\''},     {"nbsp;", ' '},	  {"agrave;", 0xE0},   {"aacute;", 0xE1},
		{"acirc;", 0xE2},    {"atilde;", 0xE3},	  {"egrave;", 0xE8},   {"eacute;", 0xE9},
		{"ecirc;", 0xEA},    {"igrave;", 0xEC},	  {"iacute;", 0xED},   {"ograve;", 0xF2},
		{"oacute;", 0xF3},   {"ocirc;", 0xF4},	  {"otilde;", 0xF5},   {"ugrave;", 0xF9},
		{"uacute;", 0xFA},   {"yacute;", 0xFD},	  {"Agrave;", 0xC0},   {"Aacute;", 0xC1},
		{"Acirc;", 0xC2},    {"Atilde;", 0xC3},	  {"Egrave;", 0xC8},   {"Eacute;", 0xC9},
		{"Ecirc;", 0xCA},    {"Igrave;", 0xCC},	  {"Iacute;", 0xCD},   {"Ograve;", 0xD2},
		{"Oacute;", 0xD3},   {"Ocirc;", 0xD4},	  {"Otilde;", 0xD5},   {"Ugrave;", 0xD9},
		{"Uacute;", 0xDA},   {"Yacute;", 0xDD},	  {"ndash;", 0x2013},  {"mdash;", 0x2014},
	};
	size_t k = 0;
	unsigned long cp = 0;

	*used = 0;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t n = strlen(named[i].name);

		if (left >= n && strncmp(p, named[i].name, n) == 0) {
			*used = n;
			return put_cp(out, named[i].cp);
		}
	}
	if (left >= 3 && p[0] == '#') {
		bool hex = p[1] == 'x' || p[1] == 'X';

		k = hex ? 2 : 1;
		while (k < left && k < 10 && (hex ? isxdigit((unsigned char)p[k])
						  : isdigit((unsigned char)p[k]))) {
			cp = cp * (hex ? 16 : 10) +
			     (unsigned long)(isdigit((unsigned char)p[k])
						     ? p[k] - '0'
						     : (tolower((unsigned char)p[k]) - 'a' + 10));
			k++;
		}
		if (k < left && p[k] == ';' && k > (hex ? 2u : 1u)) {
			*used = k + 1;
			return put_cp(out, cp);
		}
	}
	return buf_append(out, "&", 1);
}

/* Whether the tag at p (after '<', tag name lower-cased into name) ends a line. */
static bool breaks_line(const char *name)
{
	static const char *const tags[] = {"br", "/p", "p", "/div", "div", "/tr", "/li", "li",
					   "/h1", "/h2", "/h3", "/h4", "/table", "hr", "/pre"};

	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (strcmp(name, tags[i]) == 0)
			return true;
	return false;
}

int mail_html_text(const char *html, size_t len, struct buf *out)
{
	size_t i = 0;
	const char *skip_until = NULL; /* inside <script>, <style>, <head>: their end tag */

	while (i < len) {
		char c = html[i];

		if (c == '<') {
			char name[16];
			size_t k = 0, j = i + 1;
			const char *end = memchr(html + i, '>', len - i);

			if (end == NULL)
				break;
			while (j < (size_t)(end - html) && k + 1 < sizeof name &&
			       (html[j] == '/' || isalnum((unsigned char)html[j])))
				name[k++] = (char)tolower((unsigned char)html[j++]);
			name[k] = '\0';
			i = (size_t)(end - html) + 1;
			if (skip_until != NULL) {
				if (strcmp(name, skip_until) == 0)
					skip_until = NULL;
				continue;
			}
			if (strcmp(name, "script") == 0)
				skip_until = "/script";
			else if (strcmp(name, "style") == 0)
				skip_until = "/style";
			else if (strcmp(name, "head") == 0)
				skip_until = "/head";
			else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
				if (buf_append(out, " ", 1) != BUF_OK)
					return MAIL_ENOMEM;
			} else if (breaks_line(name) && buf_append(out, "\n", 1) != BUF_OK)
				return MAIL_ENOMEM;
			continue;
		}
		if (skip_until != NULL) {
			i++;
			continue;
		}
		if (c == '&') {
			size_t used;

			if (entity(html + i + 1, len - i - 1, out, &used) != BUF_OK)
				return MAIL_ENOMEM;
			i += 1 + used;
			continue;
		}
		/* source line breaks are only spaces in HTML */
		if (buf_append(out, c == '\r' || c == '\n' || c == '\t' ? " " : &html[i], 1) != BUF_OK)
			return MAIL_ENOMEM;
		i++;
	}
	return out->p == NULL && buf_append(out, "", 0) != BUF_OK ? MAIL_ENOMEM : MAIL_OK;
}

static bool automatic(GMimeMessage *msg)
{
	GMimeObject *o = (GMimeObject *)msg;
	const char *as = g_mime_object_get_header(o, "Auto-Submitted");
	const char *pr = g_mime_object_get_header(o, "Precedence");
	const char *rp = g_mime_object_get_header(o, "Return-Path");

	if (as != NULL && !str_ieq(as, "no") && strncmp(as, "no ", 3) != 0)
		return true;
	if (pr != NULL && (strstr(pr, "bulk") || strstr(pr, "junk") || strstr(pr, "list")))
		return true;
	if (g_mime_object_get_header(o, "X-Ungcuu") != NULL ||
	    g_mime_object_get_header(o, "X-Autoreply") != NULL ||
	    g_mime_object_get_header(o, "X-Autorespond") != NULL)
		return true;
	return rp != NULL && strstr(rp, "<>") != NULL;
}

/* Keeps the Authentication-Results fields (the topmost MAIL_AUTHRES_MAX, unfolded, with
 * whether each follows the previous one directly) and counts the From: fields: mail/authres.c
 * decides from them whom the MTA vouches for. 0, or -1 out of memory. */
static int trace_fields(GMimeMessage *msg, struct mail_intake *out)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list((GMimeObject *)msg);
	InternetAddressList *from = g_mime_message_get_from(msg);
	int count = hl ? g_mime_header_list_get_count(hl) : 0, last = -2, nfrom = 0;

	for (int i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = h ? g_mime_header_get_name(h) : NULL;
		const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
		char *v;

		if (name != NULL && str_ieq(name, "From"))
			nfrom++;
		if (name == NULL || !str_ieq(name, "Authentication-Results") ||
		    out->nauthres == MAIL_AUTHRES_MAX)
			continue;
		if ((v = strdup(raw ? raw : "")) == NULL)
			return -1;
		for (char *p = v; *p; p++)
			if (*p == '\r' || *p == '\n')
				*p = ' ';
		out->authres_next[out->nauthres] = last == i - 1;
		out->authres[out->nauthres++] = v;
		last = i;
	}
	out->from_multi = nfrom != 1 || from == NULL || internet_address_list_length(from) != 1;
	return 0;
}

int mail_intake_parse(const char *data, size_t len, size_t text_max, struct mail_intake *out)
{
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	InternetAddressList *from;
	GMimeObject *text_part = NULL;
	const char *subject;
	char *text = NULL;
	int rc = MAIL_EPARSE;

	memset(out, 0, sizeof *out);
	pthread_once(&gmime_once, gmime_start);
	if (len == 0)
		return MAIL_EPARSE;
	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg == NULL)
		goto out;
	from = g_mime_message_get_from(msg);
	if (from != NULL && internet_address_list_length(from) > 0) {
		InternetAddress *ia = internet_address_list_get_address(from, 0);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *a = internet_address_mailbox_get_addr((InternetAddressMailbox *)ia);

			if (a != NULL && a[0] != '\0' && (out->from = strdup(a)) == NULL)
				goto nomem;
			for (char *p = out->from; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
		}
	}
	subject = g_mime_message_get_subject(msg);
	/* a message without a sender and without a subject is not a message we can use */
	if (out->from == NULL && subject == NULL)
		goto out;
	out->subject = subject_of(msg);
	if (out->subject == NULL && (out->subject = strdup("")) == NULL)
		goto nomem;
	if (!str_utf8_valid(out->subject, strlen(out->subject)))
		goto out;
	out->message_id = dup_or_null(g_mime_message_get_message_id(msg));
	text = body_text(msg, is_plain_body, &text_part);
	if (text == NULL && (text = body_text(msg, is_html_body, &text_part)) != NULL) {
		/* no plain part: the HTML one, without its tags */
		struct buf b;

		buf_init(&b, strlen(text) + 1);
		if (mail_html_text(text, strlen(text), &b) != MAIL_OK) {
			buf_free(&b);
			goto nomem;
		}
		g_free(text);
		text = g_strdup(b.p ? b.p : "");
		buf_free(&b);
		out->text_from_html = true;
	}
	if ((out->text = strdup(text ? text : "")) == NULL)
		goto nomem;
	cap_utf8(out->text, text_max);
	if (!str_utf8_valid(out->text, strlen(out->text)))
		out->text[0] = '\0';
	if (files(msg, text_part, out) != 0 || trace_fields(msg, out) != 0)
		goto nomem;
	mail_find_ref(out->subject, out->ref, sizeof out->ref);
	out->automatic = automatic(msg) || out->from == NULL;
	rc = MAIL_OK;
	goto out;
nomem:
	rc = MAIL_ENOMEM;
out:
	g_free(text);
	if (msg)
		g_object_unref(msg);
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	if (rc != MAIL_OK)
		mail_intake_free(out);
	return rc;
}

void mail_intake_free(struct mail_intake *m)
{
	free(m->from);
	free(m->subject);
	free(m->message_id);
	free(m->text);
	m->from = m->subject = m->message_id = m->text = NULL;
	for (size_t i = 0; i < m->natt; i++) {
		free(m->att[i].name);
		free(m->att[i].mime);
		free(m->att[i].data);
	}
	m->natt = 0;
	for (size_t i = 0; i < m->nauthres; i++)
		free(m->authres[i]);
	m->nauthres = 0;
}
