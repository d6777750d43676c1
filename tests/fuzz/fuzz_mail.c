/* fuzz_mail.c - e-mail intake without a database: any bytes as one message through GMime
 * (mail_intake_parse: sender, subject decoded word by word, text or HTML, attachments, loop
 * detection, Authentication-Results fields), the sender's check against an authserv-id, then its
 * text through the [TBSC] report parser of the national form, and the same bytes through the HTML
 * stripper, the RFC 2047 decoder, the Authentication-Results parser and the Vietnamese date
 * parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mail/mail.h"

static struct preset *preset;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cli_preset_load("national", NULL, &preset, NULL) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct preset_form *f = preset_form(preset, "report");
	struct mail_intake m;
	struct mail_report r;
	struct mail_authres ar;
	struct mail_auth auth;
	struct buf b;
	char *s, title[256];
	int64_t t;

	if (mail_intake_parse((const char *)data, size, 64u << 10, &m) == MAIL_OK) {
		if (mail_report_parse(preset, f, m.text, strlen(m.text), &r) == MAIL_OK)
			mail_report_free(&r);
		(void)mail_report_subject(m.subject, "[TBSC]");
		mail_report_title(m.subject, "[TBSC]", title, sizeof title);
		mail_auth_check(&m, "mx.binhminh.gov.vn", &auth);
		mail_intake_free(&m);
	}
	/* the pure parsers on the raw bytes too */
	if (mail_report_parse(preset, f, (const char *)data, size, &r) == MAIL_OK)
		mail_report_free(&r);
	buf_init(&b, 1u << 20);
	(void)mail_html_text((const char *)data, size, &b);
	buf_free(&b);
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	buf_init(&b, 1u << 20);
	(void)mail_rfc2047_decode(s, &b);
	buf_free(&b);
	(void)mail_authres_parse(s, &ar);
	(void)mail_parse_vn_datetime(s, &t);
	free(s);
	return 0;
}
