/* mail.h - e-mail out (docs/mail.md): templates an admin can edit, an RFC 5322 message with
 * plain text and HTML parts, and delivery over SMTP with libcurl. No store access here: jobs/
 * builds the context (a JSON object) and records the outcome. */
#ifndef UNGCUU_MAIL_H
#define UNGCUU_MAIL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/preset.h"
#include "util/buf.h"

#define MAIL_OK 0
#define MAIL_EINVAL (-1)  /* bad argument, missing configuration or template */
#define MAIL_ENOMEM (-2)  /* out of memory or a size cap exceeded */
#define MAIL_ESEND (-3)   /* the SMTP transaction failed (temporary: retry) */
#define MAIL_EREJECT (-4) /* the server refused the recipient or message for good */

#define MAIL_MAX (1u << 20) /* cap on one outgoing message */

/* Where and as whom to send (UNGCUU_SMTP_* variables, docs/mail.md). */
struct mail_config {
	char url[512];       /* smtp://host:port or smtps://host:port; "" = sending disabled */
	char from[256];      /* envelope and header sender address */
	char user[128];      /* "" = no authentication */
	char password[256];
	bool starttls;       /* require STARTTLS on smtp:// */
	char cainfo[1024];   /* "" = the system CAs; else a PEM file of the CAs to trust */
	long timeout;        /* seconds for the whole SMTP transaction */
	char templates[1024];/* folder of the templates */
	char lang[8];        /* preferred template language ("vi"), English is the fallback */
	char public_url[512];/* "https://ungcuu.example.gov.vn" for links in messages; "" = none */
};
/* Fills c from the environment: UNGCUU_SMTP_URL, UNGCUU_SMTP_FROM, UNGCUU_SMTP_USER,
 * UNGCUU_SMTP_PASSWORD, UNGCUU_SMTP_STARTTLS (1), UNGCUU_SMTP_CAINFO, UNGCUU_SMTP_TIMEOUT,
 * UNGCUU_MAIL_TEMPLATES
 * (default templates/mail), UNGCUU_MAIL_LANG (default vi), UNGCUU_PUBLIC_URL (links). Returns MAIL_OK or MAIL_EINVAL when a
 * value does not fit. */
int mail_config_env(struct mail_config *c);
/* MAIL_OK when c is usable: the URL is empty, smtp:// or smtps://, and from is an address. */
int mail_config_check(const struct mail_config *c);

/* The templates of every event, loaded once from a folder. */
struct mail_templates;
/* Loads DIR/<event>.<lang>.txt and .html for each known event, falling back to
 * <event>.en.* and then to built-in English text. Returns MAIL_OK and *out (mail_templates_free)
 * or MAIL_ENOMEM. Missing files are not an error (logged once). */
int mail_templates_load(const char *dir, const char *lang, struct mail_templates **out);
/* Frees the templates. NULL is fine. */
void mail_templates_free(struct mail_templates *t);
/* Renders the subject, plain text and HTML of event with ctx (placeholders {{a.b}} looked up as
 * ctx["a"]["b"]; HTML escaped in the HTML part). Buffers must be initialised by the caller.
 * MAIL_EINVAL for an unknown event. */
int mail_render(const struct mail_templates *t, const char *event, const json_t *ctx,
		struct buf *subject, struct buf *text, struct buf *html);
/* Replaces {{path}} placeholders in tpl by values of ctx; html escapes them. */
int mail_render_str(const char *tpl, const json_t *ctx, bool html, struct buf *out);

/* One message to send. */
struct mail_msg {
	const char *from;       /* address */
	const char *to;         /* address */
	const char *subject;    /* UTF-8 */
	const char *text;       /* UTF-8 plain text */
	const char *html;       /* UTF-8 HTML; NULL = plain text only */
	const char *message_id; /* without the angle brackets: "ungcuu-outbox-12@host" */
	int64_t date;           /* Unix seconds */
};
/* Builds the RFC 5322 message (Date, Message-ID, RFC 2047 Subject, multipart/alternative with
 * base64 UTF-8 parts) into out (initialised by the caller). */
int mail_build(const struct mail_msg *m, struct buf *out);
/* Sends the built message over SMTP per c. err (size errsz) gets the reason on failure.
 * Returns MAIL_OK, MAIL_ESEND (retry later) or MAIL_EREJECT (5xx: do not retry). */
int mail_smtp_send(const struct mail_config *c, const char *from, const char *to,
		   const char *data, size_t len, char *err, size_t errsz);
/* Whether s looks like one plain address (local@domain, no spaces or brackets). */
bool mail_addr_ok(const char *s);

/* Initialises libcurl once per process (thread-safe); both senders call it. */
void mail_curl_init(void);
/* Signs body with HMAC-SHA256 over "<ts>.<body>" keyed by secret, as the header value
 * "t=<ts>,v1=<hex>" (out size >= 100). */
int mail_webhook_sign(const char *secret, int64_t ts, const char *body, size_t len, char *out,
		      size_t outsz);
/* POSTs the JSON body to url with X-Ungcuu-Signature, X-Ungcuu-Event and X-Ungcuu-Delivery
 * (the delivery id, for the receiver to drop duplicates). *status gets the HTTP status (0 when
 * none). MAIL_OK on 2xx, MAIL_EREJECT on a 4xx other than 408/429, else MAIL_ESEND. */
int mail_webhook_post(const char *url, const char *secret, const char *event, int64_t delivery,
		      const char *body, long timeout, long *status, char *err, size_t errsz);

/* ---- e-mail intake (mail/intake.c, `ungcuu mailgate`) ---- */
#define MAIL_EPARSE (-5) /* not an RFC 5322 message */
#define MAIL_MAX_ATTACHMENTS 32 /* more attachments than this: the message is refused */
/* One attachment of an incoming message (decoded bytes). */
struct mail_attachment {
	char *name;          /* the file name as sent (decoded), or "attachment-N" */
	char *mime;          /* "application/pdf" */
	unsigned char *data; /* malloc'd */
	size_t len;
};
#define MAIL_AUTHRES_MAX 16 /* Authentication-Results fields kept, the topmost (ours are there) */
/* What intake keeps of one message. Strings are malloc'd; free with mail_intake_free. */
struct mail_intake {
	char *from;       /* sender address, lower case; NULL when none */
	char *subject;    /* decoded UTF-8; "" when none */
	char *message_id; /* without brackets; NULL when none */
	char *text;       /* the first text/plain part (not an attachment), UTF-8, capped; without
			   * one, the first text/html part with its tags stripped */
	bool text_from_html;
	char ref[32];     /* the first [UC-YYYY-NNNNNN] of the subject, "" when none */
	bool automatic;   /* Auto-Submitted other than "no", Precedence bulk/junk/list, our own
			   * X-Ungcuu header, or a null sender: not to be stored (loops) */
	struct mail_attachment att[MAIL_MAX_ATTACHMENTS];
	size_t natt;
	bool too_many;    /* more than MAIL_MAX_ATTACHMENTS attachments */
	/* the Authentication-Results fields, top first, as written (unfolded); authres_next[i]: the
	 * field right above the i-th is the (i-1)-th, nothing between them */
	char *authres[MAIL_AUTHRES_MAX];
	bool authres_next[MAIL_AUTHRES_MAX];
	size_t nauthres;
	bool from_multi;  /* not exactly one From: field with one address: nobody's identity */
};
/* Parses one message of len bytes with GMime; the text is capped at text_max bytes (cut on a
 * UTF-8 boundary). MAIL_OK, MAIL_EPARSE or MAIL_ENOMEM. */
int mail_intake_parse(const char *data, size_t len, size_t text_max, struct mail_intake *out);
/* Frees the strings of *m. */
void mail_intake_free(struct mail_intake *m);
/* Finds "[UC-YYYY-NNNNNN]" in s; copies the reference without brackets into ref. */
bool mail_find_ref(const char *s, char *ref, size_t refsz);
/* Decodes a header value with RFC 2047 encoded words (=?charset?B|Q?...?=) into UTF-8 on out,
 * each word on its own (white space between two words dropped, a character split over two
 * words joined). MAIL_OK or MAIL_EPARSE (an unknown charset, out's cap). */
int mail_rfc2047_decode(const char *s, struct buf *out);
/* Appends the text of HTML (len bytes) to out: tags removed (and the content of <script>,
 * <style>, <head>), line breaks for <br>, </p>, </div>, </tr>, </li>, headings, the common
 * entities and &#N; / &#xH; decoded (invalid code points become U+FFFD). MAIL_OK or
 * MAIL_ENOMEM (out's cap). */
int mail_html_text(const char *html, size_t len, struct buf *out);

/* ---- the sender's identity (mail/authres.c, RFC 8601; docs/mail.md "Who may write in") ---- */
#define MAIL_AUTHRES_RESULTS 16 /* results read from one field */
/* One result of an Authentication-Results field: "dmarc=pass header.from=example.org". */
struct mail_authres_result {
	char method[16];  /* "dmarc", "dkim", "spf", ... lower case */
	char result[16];  /* "pass", "fail", "none", ... lower case */
	char domain[256]; /* lower case, "" when absent: dmarc header.from; dkim header.d (else
			   * the domain of header.i); spf the domain of smtp.mailfrom */
};
/* One Authentication-Results field. */
struct mail_authres {
	char authserv_id[256]; /* who wrote it (comments and quotes removed) */
	struct mail_authres_result r[MAIL_AUTHRES_RESULTS];
	size_t n;              /* 0 for "none" */
};
/* Parses the value of one Authentication-Results field (comments blanked, quoted strings and
 * folding handled; results past MAIL_AUTHRES_RESULTS and items that are no result skipped).
 * MAIL_OK, or MAIL_EPARSE (no authserv-id, an open comment, over 8 KiB). Pure. */
int mail_authres_parse(const char *value, struct mail_authres *out);
/* The verdict on a message's sender. */
struct mail_auth {
	bool authenticated;  /* the MTA vouches for the From: address */
	const char *reason;  /* static; NULL when authenticated, else "auth_unconfigured" (no
			      * authserv-id), "auth_missing" (no field of ours) or "auth_failed" */
	char method[16];     /* what passed: "dmarc", "dkim" or "spf" */
	char summary[256];   /* the results counted, "dkim=pass dmarc=pass", for people */
};
/* Decides whether m's From: is vouched for by the MTA whose authserv-id is given (NULL or "":
 * nothing is). Only the topmost field with that id and the fields of that id right below it
 * count. With a DMARC result among them: every DMARC result passes and one names the From:
 * domain. Without: a DKIM pass whose header.d, or an SPF pass whose smtp.mailfrom domain, is
 * the From: domain or a parent of it. Several From: addresses never pass. Pure. */
void mail_auth_check(const struct mail_intake *m, const char *authserv_id, struct mail_auth *out);

/* ---- incident reports by e-mail (mail/report.c, `ungcuu mailgate`, docs/mail.md) ---- */
/* True if the subject names the form's prefix ("[TBSC]", case-insensitive, anywhere) and no
 * incident reference [UC-...]: a new report. */
bool mail_report_subject(const char *subject, const char *prefix);
/* The incident title from the subject: without the prefix, "Re:"/"Fwd:"/"TL:"/"FW:" and
 * surrounding spaces; "" when nothing is left. */
void mail_report_title(const char *subject, const char *prefix, char *out, size_t outsz);
/* Parses a Vietnamese date and time: "20/11/2026 08:30", "20/11/2026 8h30", "08:30 20/11/2026",
 * "08:30 ngày 20/11/2026", "20-11-2026", "20/11/2026" (midnight), or ISO 8601; Vietnam time
 * when no offset. Returns 0 and *out (Unix seconds), or -1. */
int mail_parse_vn_datetime(const char *s, int64_t *out);
/* What the body of a report gives. */
struct mail_report {
	json_t *form;     /* {field: value} of the form, typed by the preset (new reference) */
	int64_t detected_at;                  /* 0 when the body names no date */
	const struct preset_item *severity;   /* "Mức độ: Cao" matched to the preset, or NULL */
	const struct preset_item *type;       /* "Loại sự cố: ..." matched, or NULL */
	size_t nlines;                        /* lines recognised as fields */
};
/* Reads "Label: value" lines of text (len bytes, UTF-8) with the labels of the preset's form f
 * (Vietnamese or English, with or without diacritics, and the usual short forms such as "Tên
 * đơn vị", "Người liên hệ", "Mô tả sự cố", "Ngày phát hiện"); a line without a label continues a
 * multi-line field. Values are typed by the field (dates to ISO 8601 with +07:00, selects must
 * be one of the options, e-mails must look like one) and capped at the field's maxlen; what does
 * not fit is left out. Returns MAIL_OK and *out (mail_report_free), MAIL_EINVAL (no form) or
 * MAIL_ENOMEM. Pure: no I/O; fuzzed by tests/fuzz/fuzz_mail.c. */
int mail_report_parse(const struct preset *p, const struct preset_form *f, const char *text,
		      size_t len, struct mail_report *out);
/* Frees what mail_report_parse made. */
void mail_report_free(struct mail_report *r);

#endif
