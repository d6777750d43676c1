/* intake.c - reads one incoming e-mail with GMime 3 for `ungcuu mailgate` (docs/mail.md):
 * sender, decoded subject, Message-ID, the plain-text body, the incident reference, and whether
 * it is an automatic message that must not be stored (loops, auto-replies, bulk). */
#include <ctype.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

/* The first text/plain part that is not an attachment, as UTF-8 (g_free'd by the caller). */
static char *plain_text(GMimeMessage *msg)
{
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	GMimePartIter *it;
	char *text = NULL;

	if (body == NULL)
		return NULL;
	if (is_plain_body(body))
		return g_mime_text_part_get_text((GMimeTextPart *)body);
	if (!GMIME_IS_MULTIPART(body))
		return NULL;
	it = g_mime_part_iter_new(body);
	do {
		GMimeObject *cur = g_mime_part_iter_get_current(it);

		if (cur != NULL && is_plain_body(cur))
			text = g_mime_text_part_get_text((GMimeTextPart *)cur);
	} while (text == NULL && g_mime_part_iter_next(it));
	g_mime_part_iter_free(it);
	return text;
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

int mail_intake_parse(const char *data, size_t len, size_t text_max, struct mail_intake *out)
{
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	InternetAddressList *from;
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
	if ((out->subject = strdup(subject ? subject : "")) == NULL)
		goto nomem;
	if (!str_utf8_valid(out->subject, strlen(out->subject)))
		goto out;
	out->message_id = dup_or_null(g_mime_message_get_message_id(msg));
	text = plain_text(msg);
	if ((out->text = strdup(text ? text : "")) == NULL)
		goto nomem;
	cap_utf8(out->text, text_max);
	if (!str_utf8_valid(out->text, strlen(out->text)))
		out->text[0] = '\0';
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
}
