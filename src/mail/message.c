/* message.c - builds one outgoing e-mail (RFC 5322, MIME multipart/alternative, RFC 2047
 * subject) from already rendered UTF-8 parts. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "mail/mail.h"
#include "util/crypto.h"
#include "util/str.h"

bool mail_addr_ok(const char *s)
{
	const char *at;
	size_t n;

	if (s == NULL || (n = strlen(s)) < 3 || n > 254)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= ' ' || ch >= 0x7f || strchr("<>()[]\\,;:\"", ch) != NULL)
			return false;
	}
	at = strchr(s, '@');
	return at != NULL && at != s && at[1] != '\0' && strchr(at + 1, '@') == NULL;
}

/* Appends base64 of n bytes of in, in lines of 76 characters when wrap. */
static int put_b64(struct buf *out, const void *in, size_t n, bool wrap)
{
	const unsigned char *p = in;
	char line[128];
	size_t step = wrap ? 57 : 45;

	if (n == 0)
		return BUF_OK;
	for (size_t off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;

		sodium_bin2base64(line, sizeof line, p + off, k, sodium_base64_VARIANT_ORIGINAL);
		if (buf_puts(out, line) != BUF_OK || (wrap && buf_puts(out, "\r\n") != BUF_OK))
			return BUF_EFULL;
	}
	return BUF_OK;
}

/* Subject as RFC 2047 encoded words of whole UTF-8 characters, folded. Plain ASCII without
 * "=?" goes as is. */
static int put_subject(struct buf *out, const char *s)
{
	size_t n = strlen(s), off = 0;
	bool ascii = strstr(s, "=?") == NULL;
	char word[128];

	for (size_t i = 0; i < n && ascii; i++)
		if ((unsigned char)s[i] >= 0x7f || (unsigned char)s[i] < ' ')
			ascii = false;
	if (buf_puts(out, "Subject: ") != BUF_OK)
		return BUF_EFULL;
	if (ascii && n <= 900)
		return buf_printf(out, "%s\r\n", s);
	while (off < n) {
		size_t k = n - off < 45 ? n - off : 45;

		/* do not cut a UTF-8 sequence: back off continuation bytes */
		while (off + k < n && k > 1 && ((unsigned char)s[off + k] & 0xC0) == 0x80)
			k--;
		sodium_bin2base64(word, sizeof word, (const unsigned char *)s + off, k,
				  sodium_base64_VARIANT_ORIGINAL);
		if (buf_printf(out, "%s=?UTF-8?B?%s?=", off ? "\r\n " : "", word) != BUF_OK)
			return BUF_EFULL;
		off += k;
	}
	return buf_puts(out, "\r\n");
}

/* RFC 5322 date in UTC, spelled without the locale. */
static int put_date(struct buf *out, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11)
		return BUF_EFULL;
	return buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
			  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			  tm.tm_sec);
}

/* Appends body as base64 of its canonical form (RFC 2046 §4.1.1: lines end in CRLF). */
static int put_text_b64(struct buf *out, const char *body)
{
	struct buf crlf;
	int rc = BUF_OK;

	buf_init(&crlf, MAIL_MAX);
	for (const char *p = body; *p && rc == BUF_OK; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			rc = buf_append(&crlf, "\r", 1);
		if (rc == BUF_OK)
			rc = buf_append(&crlf, p, 1);
	}
	if (rc == BUF_OK)
		rc = put_b64(out, crlf.p ? crlf.p : "", crlf.len, true);
	buf_free(&crlf);
	return rc;
}

static int put_part(struct buf *out, const char *boundary, const char *type, const char *body)
{
	if (buf_printf(out,
		       "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
		       "Content-Transfer-Encoding: base64\r\n\r\n",
		       boundary, type) != BUF_OK)
		return BUF_EFULL;
	return put_text_b64(out, body);
}

int mail_build(const struct mail_msg *m, struct buf *out)
{
	unsigned char rnd[12];
	char boundary[64], hex[25];
	int rc = MAIL_ENOMEM;

	if (!mail_addr_ok(m->from) || !mail_addr_ok(m->to) || m->subject == NULL ||
	    m->text == NULL || m->message_id == NULL || strpbrk(m->message_id, "<>\r\n ") != NULL)
		return MAIL_EINVAL;
	crypto_random(rnd, sizeof rnd);
	str_hex(hex, rnd, sizeof rnd);
	snprintf(boundary, sizeof boundary, "=_ungcuu_%s", hex);
	if (buf_printf(out, "From: %s\r\nTo: %s\r\n", m->from, m->to) != BUF_OK ||
	    put_subject(out, m->subject) != BUF_OK || put_date(out, m->date) != BUF_OK ||
	    buf_printf(out,
		       "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
		       "X-Ungcuu: outbox\r\n",
		       m->message_id) != BUF_OK)
		goto out;
	if (m->html == NULL) {
		if (buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n"
				  "Content-Transfer-Encoding: base64\r\n\r\n") != BUF_OK ||
		    put_text_b64(out, m->text) != BUF_OK)
			goto out;
		rc = MAIL_OK;
		goto out;
	}
	if (buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
			    "This is a MIME message.\r\n",
		       boundary) != BUF_OK ||
	    put_part(out, boundary, "text/plain", m->text) != BUF_OK ||
	    put_part(out, boundary, "text/html", m->html) != BUF_OK ||
	    buf_printf(out, "--%s--\r\n", boundary) != BUF_OK)
		goto out;
	rc = MAIL_OK;
out:
	return rc;
}
