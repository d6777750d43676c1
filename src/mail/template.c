/* template.c - mail templates an admin can edit (templates/mail/<event>.<lang>.txt and .html,
 * docs/mail.md), loaded once at start, and the {{a.b}} placeholder renderer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail.h"
#include "util/log.h"
#include "util/str.h"

#define TPL_FILE_MAX (256u << 10)

/* Built-in English text, used when neither the preferred language nor English is on disk. */
static const struct {
	const char *event;
	const char *subject;
	const char *text;
} builtin[] = {
	{"incident_reported", "[{{incident.ref}}] New incident reported: {{incident.title}}",
	 "An incident was reported to {{org.name}}.\n\nReference: {{incident.ref}}\nTitle: "
	 "{{incident.title}}\nReported by: {{incident.org_name}}\nSeverity: {{incident.severity_name}}\n"
	 "\n-- ungcuu\n"},
	{"request", "[{{incident.ref}}] Coordination request: {{request.kind}}",
	 "{{request.from_name}} asks {{org.name}} for help on incident {{incident.ref}} "
	 "({{incident.title}}).\n\n{{request.body}}\n\n-- ungcuu\n"},
	{"answer", "[{{incident.ref}}] Request answered: {{request.status}}",
	 "{{request.to_name}} answered the request on incident {{incident.ref}} "
	 "({{incident.title}}): {{request.status}}\n\n{{request.answer}}\n\n-- ungcuu\n"},
	{"escalation", "[{{incident.ref}}] Escalation: {{payload.rule}}",
	 "Incident {{incident.ref}} ({{incident.title}}) was escalated to {{org.name}}.\n\n"
	 "{{payload.text}}\n\n-- ungcuu\n"},
	{"duty_reminder", "Duty reminder: {{duty.name}} due {{duty.due_date}}",
	 "{{org.name}}: the periodic duty \"{{duty.name}}\" is due {{duty.due_date}} "
	 "({{reminder.when}}).\nLegal basis: {{duty.citation}}\n{{link}}\n\n-- ungcuu\n"},
	{"digest", "Weekly digest {{payload.week}}",
	 "Open incidents: {{payload.open}} ({{digest.by_severity}})\nNew this week: "
	 "{{payload.new_week}}\nOverdue deadlines: {{payload.overdue_clocks}}\nPending requests: "
	 "{{payload.pending_requests}}\nDuties due in 14 days: {{payload.duties_due}}, overdue: "
	 "{{payload.duties_overdue}}\n\n-- ungcuu\n"},
};
#define NEVENTS (sizeof builtin / sizeof builtin[0])

struct mail_templates {
	char *subject[NEVENTS];
	char *text[NEVENTS];
	char *html[NEVENTS]; /* NULL = plain text only */
};

/* Reads a whole small file; NULL when missing or too big. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n;

	if (f == NULL)
		return NULL;
	p = malloc(TPL_FILE_MAX + 1);
	if (p != NULL) {
		n = fread(p, 1, TPL_FILE_MAX + 1, f);
		if (n > TPL_FILE_MAX || ferror(f) || !str_utf8_valid(p, n)) {
			log_warn("mail: template %s is too big or not UTF-8; ignored", path);
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
		}
	}
	fclose(f);
	return p;
}

/* Splits "Subject: ...\n\nbody" into subject and text (both malloc'd). */
static int split_txt(char *file, char **subject, char **text)
{
	char *nl;

	if (!str_starts(file, "Subject:") || (nl = strchr(file, '\n')) == NULL)
		return -1;
	*nl = '\0';
	if (nl > file && nl[-1] == '\r')
		nl[-1] = '\0';
	*subject = strdup(file + 8 + strspn(file + 8, " \t"));
	nl++;
	if (*nl == '\r')
		nl++;
	if (*nl == '\n')
		nl++;
	*text = strdup(nl);
	return *subject && *text ? 0 : -1;
}

static int load_one(struct mail_templates *t, size_t i, const char *dir, const char *lang)
{
	char path[1200];
	char *file;

	snprintf(path, sizeof path, "%s/%s.%s.txt", dir, builtin[i].event, lang);
	if ((file = slurp(path)) == NULL)
		return 1;
	if (split_txt(file, &t->subject[i], &t->text[i]) != 0) {
		log_warn("mail: %s must start with a 'Subject:' line; ignored", path);
		free(t->subject[i]);
		free(t->text[i]);
		t->subject[i] = t->text[i] = NULL;
		free(file);
		return 1;
	}
	free(file);
	snprintf(path, sizeof path, "%s/%s.%s.html", dir, builtin[i].event, lang);
	t->html[i] = slurp(path);
	return 0;
}

int mail_templates_load(const char *dir, const char *lang, struct mail_templates **out)
{
	struct mail_templates *t = calloc(1, sizeof *t);

	*out = NULL;
	if (t == NULL)
		return MAIL_ENOMEM;
	for (size_t i = 0; i < NEVENTS; i++) {
		if (load_one(t, i, dir, lang) == 0 ||
		    (strcmp(lang, "en") != 0 && load_one(t, i, dir, "en") == 0))
			continue;
		log_warn("mail: no template for %s in %s; using the built-in English text",
			 builtin[i].event, dir);
		t->subject[i] = strdup(builtin[i].subject);
		t->text[i] = strdup(builtin[i].text);
		if (t->subject[i] == NULL || t->text[i] == NULL) {
			mail_templates_free(t);
			return MAIL_ENOMEM;
		}
	}
	*out = t;
	return MAIL_OK;
}

void mail_templates_free(struct mail_templates *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < NEVENTS; i++) {
		free(t->subject[i]);
		free(t->text[i]);
		free(t->html[i]);
	}
	free(t);
}

/* ctx["a"]["b"]... for the dotted path p of length n; NULL when absent. */
static const json_t *lookup(const json_t *ctx, const char *p, size_t n)
{
	const json_t *v = ctx;
	char key[64];

	while (n > 0 && v != NULL) {
		const char *dot = memchr(p, '.', n);
		size_t k = dot ? (size_t)(dot - p) : n;

		if (k == 0 || k >= sizeof key)
			return NULL;
		memcpy(key, p, k);
		key[k] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
		p += k;
		n -= k;
		if (n > 0) {
			p++;
			n--;
		}
	}
	return v;
}

static int put_escaped(struct buf *out, const char *s, bool html)
{
	if (!html)
		return buf_puts(out, s);
	for (; *s; s++) {
		const char *e = NULL;
		int rc;

		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: break;
		}
		rc = e ? buf_puts(out, e) : buf_append(out, s, 1);
		if (rc != BUF_OK)
			return rc;
	}
	return BUF_OK;
}

static int put_value(struct buf *out, const json_t *v, bool html)
{
	if (v == NULL || json_is_null(v))
		return BUF_OK;
	if (json_is_string(v))
		return put_escaped(out, json_string_value(v), html);
	if (json_is_integer(v))
		return buf_printf(out, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return buf_printf(out, "%g", json_real_value(v));
	if (json_is_boolean(v))
		return buf_puts(out, json_is_true(v) ? "true" : "false");
	return BUF_OK;
}

int mail_render_str(const char *tpl, const json_t *ctx, bool html, struct buf *out)
{
	const char *p = tpl, *open, *close;

	while ((open = strstr(p, "{{")) != NULL) {
		if (buf_append(out, p, (size_t)(open - p)) != BUF_OK)
			return MAIL_ENOMEM;
		close = strstr(open + 2, "}}");
		if (close == NULL) {
			p = open;
			break;
		}
		{
			const char *a = open + 2, *b = close;

			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			if (put_value(out, lookup(ctx, a, (size_t)(b - a)), html) != BUF_OK)
				return MAIL_ENOMEM;
		}
		p = close + 2;
	}
	return buf_puts(out, p) == BUF_OK ? MAIL_OK : MAIL_ENOMEM;
}

int mail_render(const struct mail_templates *t, const char *event, const json_t *ctx,
		struct buf *subject, struct buf *text, struct buf *html)
{
	size_t i;
	int rc;

	for (i = 0; i < NEVENTS; i++)
		if (strcmp(builtin[i].event, event) == 0)
			break;
	if (i == NEVENTS)
		return MAIL_EINVAL;
	rc = mail_render_str(t->subject[i], ctx, false, subject);
	/* a subject is one line */
	for (size_t k = 0; rc == MAIL_OK && k < subject->len; k++)
		if (subject->p[k] == '\r' || subject->p[k] == '\n')
			subject->p[k] = ' ';
	if (rc == MAIL_OK)
		rc = mail_render_str(t->text[i], ctx, false, text);
	if (rc == MAIL_OK && t->html[i] != NULL)
		rc = mail_render_str(t->html[i], ctx, true, html);
	return rc;
}
