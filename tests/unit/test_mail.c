/* test_mail.c - unit tests for src/mail/: template rendering (placeholders, HTML escaping, the
 * built-in fallback), the message builder (RFC 2047 subject on whole UTF-8 characters, headers),
 * and intake: RFC 2047 decoding, HTML to text, loop detection, the [TBSC] report parser.
 * Expected values are written by hand (Vietnamese text, base64 from Python's base64 module). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "cli/cli.h"
#include "core/notify.h"
#include "core/preset.h"
#include "mail/mail.h"
#include "util/str.h"
#include "util/tm.h"

static struct preset *national;

static int setup(void **state)
{
	(void)state;
	return cli_preset_load("national", NULL, &national, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	preset_free(national);
	return 0;
}

/* ---- templates ---------------------------------------------------------------------------- */

static void test_render_placeholders_escaping(void **state)
{
	json_t *ctx = json_pack("{s:{s:s, s:s, s:i}, s:s}", "incident", "ref", "UC-2026-000001",
				"title", "Tấn công <script>&\"'", "n", 7, "top", "x");
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(mail_render_str("[{{incident.ref}}] {{ incident.title }} {{incident.n}}"
					 "{{nope.x}}{{incident.missing}}|{{top}}",
					 ctx, false, &b),
			 MAIL_OK);
	assert_string_equal(b.p, "[UC-2026-000001] Tấn công <script>&\"' 7|x");
	buf_reset(&b);
	assert_int_equal(mail_render_str("<p>{{incident.title}}</p>", ctx, true, &b), MAIL_OK);
	assert_string_equal(b.p, "<p>Tấn công &lt;script&gt;&amp;&quot;&#39;</p>");
	/* an unclosed placeholder is copied as it is */
	buf_reset(&b);
	assert_int_equal(mail_render_str("a {{incident.ref", ctx, false, &b), MAIL_OK);
	assert_string_equal(b.p, "a {{incident.ref");
	/* over the buffer's cap: an error, not silent truncation */
	buf_free(&b);
	buf_init(&b, 8);
	assert_int_equal(mail_render_str("{{incident.title}}", ctx, false, &b), MAIL_ENOMEM);
	buf_free(&b);
	json_decref(ctx);
}

static void test_render_templates_and_fallback(void **state)
{
	char dir[] = "/tmp/ungcuu-tpl-XXXXXX", path[128];
	struct mail_templates *t;
	struct buf s, x, h;
	json_t *ctx = json_pack("{s:{s:s}, s:{s:s, s:s}}", "org", "name", "Sở Y tế", "duty",
				"name", "Rà quét lỗ hổng", "due_date", "30/11/2026");
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/duty_reminder.vi.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Subject: Nhắc việc: {{duty.name}}\n\nKính gửi {{org.name}}, hạn {{duty.due_date}}.\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/duty_reminder.vi.html", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<p>{{org.name}}</p>", f);
	fclose(f);
	assert_int_equal(mail_templates_load(dir, "vi", &t), MAIL_OK);
	buf_init(&s, 4096);
	buf_init(&x, 4096);
	buf_init(&h, 4096);
	assert_int_equal(mail_render(t, "duty_reminder", ctx, &s, &x, &h), MAIL_OK);
	assert_string_equal(s.p, "Nhắc việc: Rà quét lỗ hổng");
	assert_string_equal(x.p, "Kính gửi Sở Y tế, hạn 30/11/2026.\n");
	assert_string_equal(h.p, "<p>Sở Y tế</p>");
	/* no file for the digest: the built-in English text */
	buf_reset(&s);
	buf_reset(&x);
	buf_reset(&h);
	assert_int_equal(mail_render(t, "digest", ctx, &s, &x, &h), MAIL_OK);
	assert_non_null(strstr(s.p, "Weekly digest"));
	assert_true(h.len == 0);
	assert_int_equal(mail_render(t, "no_such_event", ctx, &s, &x, &h), MAIL_EINVAL);
	mail_templates_free(t);
	buf_free(&s);
	buf_free(&x);
	buf_free(&h);
	json_decref(ctx);
	snprintf(path, sizeof path, "%s/duty_reminder.vi.txt", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/duty_reminder.vi.html", dir);
	unlink(path);
	rmdir(dir);
}

/* ---- the message builder ------------------------------------------------------------------ */

/* Decodes every "=?UTF-8?B?...?=" of the Subject header of msg, checking that each word alone
 * is whole UTF-8. */
static void subject_words(const char *msg, char *out, size_t outsz)
{
	const char *p = strstr(msg, "Subject: "), *end = strstr(p, "\r\n") ;
	size_t o = 0;

	assert_non_null(p);
	/* the header ends at the first CRLF not followed by folding white space */
	while (end && end[2] == ' ')
		end = strstr(end + 2, "\r\n");
	assert_non_null(end);
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL && p < end) {
		const char *q = strstr(p + 10, "?=");
		unsigned char bin[256];
		size_t n;

		assert_non_null(q);
		assert_int_equal(sodium_base642bin(bin, sizeof bin, p + 10, (size_t)(q - p - 10), NULL,
						   &n, NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		assert_true(str_utf8_valid((const char *)bin, n)); /* never half a character */
		assert_true(q + 2 - p <= 75);                        /* RFC 2047 word length */
		assert_true(o + n < outsz);
		memcpy(out + o, bin, n);
		o += n;
		p = q + 2;
	}
	out[o] = '\0';
}

static void test_build_subject_and_headers(void **state)
{
	char subject[1024] = "", got[1024];
	struct buf b;
	struct mail_msg m = {.from = "ungcuu@binhminh.gov.vn", .to = "stc@binhminh.gov.vn",
			     .text = "Nội dung", .html = "<p>Nội dung</p>",
			     .message_id = "ungcuu-outbox-7.abc@binhminh.gov.vn",
			     .date = 1795138200};

	(void)state;
	/* long enough for several words; Vietnamese letters of 2 and 3 bytes everywhere */
	for (int i = 0; i < 6; i++)
		strcat(subject, "Tấn công thay đổi giao diện ở Sở Tài chính; ");
	m.subject = subject;
	buf_init(&b, MAIL_MAX);
	assert_int_equal(mail_build(&m, &b), MAIL_OK);
	assert_non_null(strstr(b.p, "From: ungcuu@binhminh.gov.vn\r\n"));
	assert_non_null(strstr(b.p, "To: stc@binhminh.gov.vn\r\n"));
	assert_non_null(strstr(b.p, "Message-ID: <ungcuu-outbox-7.abc@binhminh.gov.vn>\r\n"));
	assert_non_null(strstr(b.p, "Date: Fri, 20 Nov 2026 01:30:00 +0000\r\n"));
	assert_non_null(strstr(b.p, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(b.p, "Auto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(b.p, "multipart/alternative"));
	assert_non_null(strstr(b.p, "text/plain; charset=UTF-8"));
	assert_non_null(strstr(b.p, "text/html; charset=UTF-8"));
	subject_words(b.p, got, sizeof got);
	assert_string_equal(got, subject);
	/* no line of the message is longer than 998 characters (RFC 5322) */
	for (const char *p = b.p, *nl; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		assert_true(nl - p <= 998);
	buf_free(&b);
	/* a plain ASCII subject goes as is; a CR/LF in it never makes a new header */
	buf_init(&b, MAIL_MAX);
	m.subject = "Weekly digest 2026-W48";
	m.html = NULL;
	assert_int_equal(mail_build(&m, &b), MAIL_OK);
	assert_non_null(strstr(b.p, "Subject: Weekly digest 2026-W48\r\n"));
	buf_reset(&b);
	m.subject = "x\r\nBcc: victim@example.org";
	assert_int_equal(mail_build(&m, &b), MAIL_OK);
	assert_null(strstr(b.p, "\r\nBcc:"));
	buf_free(&b);
	assert_true(mail_addr_ok("a@b.vn"));
	assert_false(mail_addr_ok("a b@c.vn"));
	assert_false(mail_addr_ok("<a@b.vn>"));
	assert_false(mail_addr_ok("a@b@c"));
}

/* ---- intake ------------------------------------------------------------------------------- */

static void test_rfc2047_decode_word_by_word(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	/* Python's email.header split: a padded first word, the rest in a second word */
	assert_int_equal(mail_rfc2047_decode("=?utf-8?b?RndkOiBbVEJTQ10gTcOheSBjaOG7pyBi4buHbmggdmnh"
					     "u4duIGLhu4sgbcOjIGg=?=\r\n =?utf-8?b?w7NhIGThu68gbGnhu4d1?=",
					     &b),
			 MAIL_OK);
	assert_string_equal(b.p, "Fwd: [TBSC] Máy chủ bệnh viện bị mã hóa dữ liệu");
	/* a character split over two words ("ệ" = E1 BB 87), Q encoding, text around */
	buf_reset(&b);
	assert_int_equal(mail_rfc2047_decode("Re: =?UTF-8?Q?B=E1=BB?= =?UTF-8?Q?=87nh_vi=E1=BB=87n?= ok",
					     &b),
			 MAIL_OK);
	assert_string_equal(b.p, "Re: Bệnh viện ok");
	/* another charset */
	buf_reset(&b);
	assert_int_equal(mail_rfc2047_decode("=?iso-8859-1?q?caf=E9?=", &b), MAIL_OK);
	assert_string_equal(b.p, "café");
	buf_reset(&b);
	assert_int_equal(mail_rfc2047_decode("plain [UC-2026-000001]", &b), MAIL_OK);
	assert_string_equal(b.p, "plain [UC-2026-000001]");
	buf_free(&b);
}

static void test_html_text(void **state)
{
	const char *html = "<html><head><title>x</title><style>p{}</style></head><body>"
			   "<p>Tên đơn vị: Sở Y tế</p><div>Mô tả sự cố:&nbsp;máy chủ &lt;DB&gt; "
			   "&amp; web<br>dòng hai</div><script>alert(1)</script>&#7879;&#x1EC7;"
			   "&bogus;</body></html>";
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(mail_html_text(html, strlen(html), &b), MAIL_OK);
	assert_string_equal(b.p, "\nTên đơn vị: Sở Y tế\n\nMô tả sự cố: máy chủ <DB> & web\n"
				 "dòng hai\nệệ&bogus;");
	buf_free(&b);
}

/* Authentication-Results (RFC 8601): comments blanked, quoted strings, folding, "none". */
static void test_authres_parse(void **state)
{
	struct mail_authres ar;

	(void)state;
	assert_int_equal(mail_authres_parse(" mx.example.vn (Postfix) 1;\r\n\tdkim = pass "
					    "(2048-bit key) header.d=Example.VN header.s=s1;\r\n\t"
					    "spf=pass smtp.mailfrom=bounce@example.vn;\r\n\t"
					    "dmarc=fail (dmarc=pass) header.from=\"example.vn\"",
					    &ar),
			 MAIL_OK);
	assert_string_equal(ar.authserv_id, "mx.example.vn");
	assert_int_equal(ar.n, 3);
	assert_string_equal(ar.r[0].method, "dkim");
	assert_string_equal(ar.r[0].result, "pass");
	assert_string_equal(ar.r[0].domain, "example.vn");
	assert_string_equal(ar.r[1].domain, "example.vn");
	assert_string_equal(ar.r[2].method, "dmarc");
	assert_string_equal(ar.r[2].result, "fail"); /* the "pass" was a comment */
	assert_int_equal(mail_authres_parse("mx.example.vn; none", &ar), MAIL_OK);
	assert_int_equal(ar.n, 0);
	assert_int_equal(mail_authres_parse("\"mx.example.vn\"; dkim/1=pass header.i=@sub.example.vn",
					    &ar),
			 MAIL_OK);
	assert_string_equal(ar.authserv_id, "mx.example.vn");
	assert_string_equal(ar.r[0].method, "dkim");
	assert_string_equal(ar.r[0].domain, "sub.example.vn");
	assert_int_equal(mail_authres_parse("mx.example.vn (open; dmarc=pass", &ar), MAIL_EPARSE);
	assert_int_equal(mail_authres_parse("; dmarc=pass", &ar), MAIL_EPARSE);
	assert_int_equal(mail_authres_parse("", &ar), MAIL_EPARSE);
}

/* Parses msg and checks its sender against authserv-id "mx.b.vn". */
static bool vouched(const char *top, const char *from, const char **reason)
{
	char msg[2048];
	struct mail_intake m;
	struct mail_auth a;

	snprintf(msg, sizeof msg, "%sFrom: %s\r\nSubject: [UC-2026-000001] x\r\n\r\nbody\r\n", top,
		 from);
	assert_int_equal(mail_intake_parse(msg, strlen(msg), 1000, &m), MAIL_OK);
	mail_auth_check(&m, "mx.b.vn", &a);
	mail_intake_free(&m);
	*reason = a.reason;
	return a.authenticated;
}

static void test_auth_check(void **state)
{
	const char *why;
	struct mail_intake m = {0};
	struct mail_auth a;

	(void)state;
	mail_auth_check(&m, NULL, &a);
	assert_false(a.authenticated);
	assert_string_equal(a.reason, "auth_unconfigured");
	assert_false(vouched("", "a@b.vn", &why));
	assert_string_equal(why, "auth_missing");
	assert_true(vouched("Authentication-Results: mx.b.vn; dmarc=pass header.from=b.vn\r\n",
			    "A <a@b.vn>", &why));
	/* another server's, or a pass for another domain */
	assert_false(vouched("Authentication-Results: mx.x.vn; dmarc=pass header.from=b.vn\r\n",
			     "a@b.vn", &why));
	assert_string_equal(why, "auth_missing");
	assert_false(vouched("Authentication-Results: mx.b.vn; dmarc=pass header.from=x.vn\r\n",
			     "a@b.vn", &why));
	assert_string_equal(why, "auth_failed");
	/* DMARC decides when present: a DKIM pass does not outvote its fail */
	assert_false(vouched("Authentication-Results: mx.b.vn; dkim=pass header.d=b.vn; "
			     "dmarc=fail header.from=b.vn\r\n", "a@b.vn", &why));
	/* only the topmost block of ours: a field between ends it */
	assert_false(vouched("Authentication-Results: mx.b.vn; spf=none\r\nReceived: x\r\n"
			     "Authentication-Results: mx.b.vn; dmarc=pass header.from=b.vn\r\n",
			     "a@b.vn", &why));
	assert_true(vouched("Authentication-Results: mx.b.vn; spf=none\r\n"
			    "Authentication-Results: mx.b.vn; dmarc=pass header.from=b.vn\r\n",
			    "a@b.vn", &why));
	/* without DMARC: aligned DKIM (the From: domain or a parent), aligned SPF */
	assert_true(vouched("Authentication-Results: mx.b.vn; dkim=pass header.d=b.vn\r\n",
			    "a@sub.b.vn", &why));
	assert_false(vouched("Authentication-Results: mx.b.vn; dkim=pass header.d=sub.b.vn\r\n",
			     "a@b.vn", &why));
	assert_false(vouched("Authentication-Results: mx.b.vn; dkim=pass header.d=vn\r\n",
			     "a@b.vn", &why));
	assert_false(vouched("Authentication-Results: mx.b.vn; dkim=pass header.d=xb.vn\r\n",
			     "a@b.vn", &why));
	assert_true(vouched("Authentication-Results: mx.b.vn; spf=pass smtp.mailfrom=x@b.vn\r\n",
			    "a@b.vn", &why));
	/* two addresses, or two From: fields, are nobody's identity */
	assert_false(vouched("Authentication-Results: mx.b.vn; dmarc=pass header.from=b.vn\r\n",
			     "a@b.vn, c@b.vn", &why));
	assert_false(vouched("Authentication-Results: mx.b.vn; dmarc=pass header.from=b.vn\r\n"
			     "From: c@x.vn\r\n", "a@b.vn", &why));
}

static const char *const AUTO[] = {
	"Auto-Submitted: auto-replied\r\n",
	"Precedence: bulk\r\n",
	"X-Autoreply: yes\r\n",
	"X-Ungcuu: outbox\r\n",
	"Return-Path: <>\r\n",
};

static void test_intake_loops_and_parts(void **state)
{
	char msg[4096];
	struct mail_intake m;

	(void)state;
	for (size_t i = 0; i < sizeof AUTO / sizeof AUTO[0]; i++) {
		snprintf(msg, sizeof msg,
			 "From: a@b.vn\r\n%sSubject: [UC-2026-000001] x\r\n\r\nbody\r\n", AUTO[i]);
		assert_int_equal(mail_intake_parse(msg, strlen(msg), 1000, &m), MAIL_OK);
		assert_true(m.automatic);
		mail_intake_free(&m);
	}
	snprintf(msg, sizeof msg, "From: A <A@B.VN>\r\nAuto-Submitted: no\r\nMessage-ID: <m1@b.vn>\r\n"
				  "Subject: Re: [UC-2026-000042] tra loi\r\n\r\nbody\r\n");
	assert_int_equal(mail_intake_parse(msg, strlen(msg), 1000, &m), MAIL_OK);
	assert_false(m.automatic);
	assert_string_equal(m.from, "a@b.vn");
	assert_string_equal(m.ref, "UC-2026-000042");
	assert_string_equal(m.message_id, "m1@b.vn");
	mail_intake_free(&m);
	/* no sender: automatic (a bounce) */
	snprintf(msg, sizeof msg, "Subject: x\r\n\r\nbody\r\n");
	assert_int_equal(mail_intake_parse(msg, strlen(msg), 1000, &m), MAIL_OK);
	assert_true(m.automatic);
	mail_intake_free(&m);
	assert_int_equal(mail_intake_parse("", 0, 1000, &m), MAIL_EPARSE);
	/* multipart/mixed: HTML only for the text, two files */
	snprintf(msg, sizeof msg,
		 "From: a@b.vn\r\nSubject: [TBSC] x\r\nMIME-Version: 1.0\r\n"
		 "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
		 "--m\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>T&ecirc;n: <b>A</b></p>\r\n"
		 "--m\r\nContent-Type: text/plain; name=\"log.txt\"\r\n"
		 "Content-Disposition: attachment; filename=\"log.txt\"\r\n\r\nline\r\n"
		 "--m\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
		 "Content-Disposition: attachment; filename*=utf-8''%%E1%%BA%%A3nh.pdf\r\n\r\n"
		 "JVBERi0=\r\n--m--\r\n");
	assert_int_equal(mail_intake_parse(msg, strlen(msg), 1000, &m), MAIL_OK);
	assert_true(m.text_from_html);
	assert_string_equal(m.text, "\nTên: A\n");
	assert_int_equal(m.natt, 2);
	assert_string_equal(m.att[0].name, "log.txt");
	assert_int_equal(m.att[0].len, 4);
	assert_string_equal(m.att[1].name, "ảnh.pdf");
	assert_string_equal(m.att[1].mime, "application/pdf");
	assert_memory_equal(m.att[1].data, "%PDF-", 5);
	mail_intake_free(&m);
}

/* ---- the [TBSC] report --------------------------------------------------------------------- */

static void test_report_subject_title(void **state)
{
	char t[128];

	(void)state;
	assert_true(mail_report_subject("[TBSC] Tấn công", "[TBSC]"));
	assert_true(mail_report_subject("Fwd: [tbsc] x", "[TBSC]"));
	assert_false(mail_report_subject("Re: [TBSC] [UC-2026-000001] x", "[TBSC]"));
	assert_false(mail_report_subject("Báo cáo sự cố", "[TBSC]"));
	assert_false(mail_report_subject("[TBSC] x", ""));
	mail_report_title("Fwd: [TBSC] Tấn công thay đổi giao diện", "[TBSC]", t, sizeof t);
	assert_string_equal(t, "Tấn công thay đổi giao diện");
	mail_report_title("[TBSC]", "[TBSC]", t, sizeof t);
	assert_string_equal(t, "");
	/* cut on a character boundary */
	mail_report_title("[TBSC] ệệệ", "[TBSC]", t, 6);
	assert_true(str_utf8_valid(t, strlen(t)));
}

static void test_vn_datetime(void **state)
{
	int64_t t, want = 1795138200; /* 2026-11-20 08:30 +07:00 */

	(void)state;
	assert_int_equal(mail_parse_vn_datetime("20/11/2026 08:30", &t), 0);
	assert_int_equal(t, want);
	assert_int_equal(mail_parse_vn_datetime("08:30 20/11/2026", &t), 0);
	assert_int_equal(t, want);
	assert_int_equal(mail_parse_vn_datetime("8h30 ngày 20/11/2026", &t), 0);
	assert_int_equal(t, want);
	assert_int_equal(mail_parse_vn_datetime("8 giờ 30 ngày 20-11-2026", &t), 0);
	assert_int_equal(t, want);
	assert_int_equal(mail_parse_vn_datetime("2026-11-20T08:30:00+07:00", &t), 0);
	assert_int_equal(t, want);
	assert_int_equal(mail_parse_vn_datetime("20/11/2026", &t), 0);
	assert_int_equal(t, want - 8 * 3600 - 30 * 60);
	assert_int_equal(mail_parse_vn_datetime("20/11/2026, 3 hệ thống", &t), 0);
	assert_int_equal(t, want - 8 * 3600 - 30 * 60);
	assert_int_equal(mail_parse_vn_datetime("31/02/2026 08:30", &t), -1);
	assert_int_equal(mail_parse_vn_datetime("hôm qua", &t), -1);
	assert_int_equal(mail_parse_vn_datetime("20/11/26", &t), -1);
}

static void test_report_parse_fields(void **state)
{
	const struct preset_form *f = preset_form(national, "report");
	const char *with = "Kính gửi,\n"
			   "1. Tên đơn vị (*): Sở Tài chính\n"
			   "Điện thoại: 0234 111\n"
			   "Thư điện tử: stc@binhminh.gov.vn\n"
			   "Thông tin người liên hệ\n"
			   "Họ và tên: Trần Thị Bình\n"
			   "Điện thoại: 0912 345 678\n"
			   "Thư điện tử: khong phai email\n"
			   "Cấp độ: 6\n"
			   "Mức độ: Nghiêm trọng\n"
			   "Loại sự cố: mã độc\n"
			   "Mô tả sự cố: dòng một\n"
			   "dòng hai: vẫn là mô tả\n"
			   "\n"
			   "Ngày phát hiện: 20/11/2026 08:30\n"
			   "--\n"
			   "Tên đơn vị: chữ ký, không phải trường\n";
	const char *without = "ten don vi: So Y te\nNGUOI LIEN HE: Le Van C\n"
			      "mo ta su co: may chu bi ma hoa\nngay phat hien: 21/11/2026\n";
	struct mail_report r;

	(void)state;
	assert_non_null(f);
	assert_int_equal(mail_report_parse(national, f, with, strlen(with), &r), MAIL_OK);
	assert_string_equal(json_string_value(json_object_get(r.form, "org_name")), "Sở Tài chính");
	assert_string_equal(json_string_value(json_object_get(r.form, "org_phone")), "0234 111");
	assert_string_equal(json_string_value(json_object_get(r.form, "org_email")),
			    "stc@binhminh.gov.vn");
	assert_string_equal(json_string_value(json_object_get(r.form, "contact_name")),
			    "Trần Thị Bình");
	assert_string_equal(json_string_value(json_object_get(r.form, "contact_phone")),
			    "0912 345 678");
	assert_null(json_object_get(r.form, "contact_email")); /* not an address: left out */
	assert_null(json_object_get(r.form, "security_level")); /* not an option */
	assert_string_equal(json_string_value(json_object_get(r.form, "description")),
			    "dòng một\ndòng hai: vẫn là mô tả");
	assert_string_equal(json_string_value(json_object_get(r.form, "detected_at")),
			    "2026-11-20T08:30:00+07:00");
	assert_int_equal(r.detected_at, 1795138200);
	assert_non_null(r.severity);
	assert_string_equal(r.severity->code, "serious");
	assert_non_null(r.type);
	assert_string_equal(r.type->code, "malware");
	mail_report_free(&r);
	assert_int_equal(mail_report_parse(national, f, without, strlen(without), &r), MAIL_OK);
	assert_string_equal(json_string_value(json_object_get(r.form, "org_name")), "So Y te");
	assert_string_equal(json_string_value(json_object_get(r.form, "contact_name")), "Le Van C");
	assert_string_equal(json_string_value(json_object_get(r.form, "detected_at")),
			    "2026-11-21T00:00:00+07:00");
	assert_null(r.severity);
	mail_report_free(&r);
	/* nothing recognised: an empty form, no error */
	assert_int_equal(mail_report_parse(national, f, "xin chào", 8, &r), MAIL_OK);
	assert_int_equal(json_object_size(r.form), 0);
	mail_report_free(&r);
	assert_int_equal(mail_report_parse(national, NULL, "x", 1, &r), MAIL_EINVAL);
}

/* ---- preferences and reminders (core) ---------------------------------------------------- */

static void test_notify_minimum(void **state)
{
	enum notify_mode m;

	(void)state;
	assert_true(notify_event_ok("duty_reminder"));
	assert_false(notify_event_ok("nope"));
	assert_int_equal(notify_mode_parse("digest", &m), 0);
	assert_int_equal(m, NOTIFY_DIGEST);
	assert_int_equal(notify_mode_parse("loud", &m), -1);
	/* national: incident_reported for the coordinator's operators, escalation also leaders */
	assert_non_null(notify_required(national, "incident_reported", 0, true, 1u << 3));
	assert_null(notify_required(national, "incident_reported", 0, true, 1u << 2));
	assert_null(notify_required(national, "incident_reported", 4, false, 1u << 3));
	assert_non_null(notify_required(national, "escalation", 0, true, 1u << 2));
	assert_int_equal(notify_default(national, "request", 4, false, 1u << 1), NOTIFY_DIGEST);
}

static void test_reminder_kinds(void **state)
{
	const struct preset_reminders *r = &national->reminders;
	int64_t due = tm_vn_midnight(2026, 12, 15) + 86399, day = due - 86399;
	char kind[24];
	int days;

	(void)state;
	assert_int_equal(r->nbefore, 2);
	assert_int_equal(duty_reminder_due(r, due, day - 8 * 86400, kind, sizeof kind, &days), 0);
	assert_int_equal(duty_reminder_due(r, due, day - 7 * 86400, kind, sizeof kind, &days), 1);
	assert_string_equal(kind, "before_7d");
	assert_int_equal(days, 7);
	assert_int_equal(duty_reminder_due(r, due, day - 86400 + 5, kind, sizeof kind, &days), 1);
	assert_string_equal(kind, "before_1d");
	assert_int_equal(duty_reminder_due(r, due, day + 3600, kind, sizeof kind, &days), 1);
	assert_string_equal(kind, "due");
	assert_int_equal(duty_reminder_due(r, due, due + 1, kind, sizeof kind, &days), 1);
	assert_string_equal(kind, "overdue");
	assert_int_equal(duty_reminder_due(r, due, due + 8 * 86400, kind, sizeof kind, &days), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_placeholders_escaping),
		cmocka_unit_test(test_render_templates_and_fallback),
		cmocka_unit_test(test_build_subject_and_headers),
		cmocka_unit_test(test_rfc2047_decode_word_by_word),
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_intake_loops_and_parts),
		cmocka_unit_test(test_authres_parse),
		cmocka_unit_test(test_auth_check),
		cmocka_unit_test(test_report_subject_title),
		cmocka_unit_test(test_vn_datetime),
		cmocka_unit_test(test_report_parse_fields),
		cmocka_unit_test(test_notify_minimum),
		cmocka_unit_test(test_reminder_kinds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
