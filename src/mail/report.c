/* report.c - incident reports sent by e-mail (docs/mail.md, "[TBSC]"): the subject test, the
 * title, Vietnamese dates, and the "Label: value" parser of the national form's fields (TT
 * 20/2017 Mẫu 03). Pure functions over bytes, so unit tests and the fuzzer call them directly. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail.h"
#include "util/fold.h"
#include "util/str.h"
#include "util/tm.h"

#define LABEL_MAX 160 /* bytes of a label; a longer "x: y" line is text, not a field */

bool mail_report_subject(const char *subject, const char *prefix)
{
	char ref[32];
	size_t n = prefix ? strlen(prefix) : 0;

	if (subject == NULL || n == 0 || mail_find_ref(subject, ref, sizeof ref))
		return false;
	for (const char *p = subject; *p; p++)
		if (strncasecmp(p, prefix, n) == 0)
			return true;
	return false;
}

/* Skips spaces and the reply/forward markers at the start of s. */
static const char *skip_markers(const char *s)
{
	static const char *const marks[] = {"re:", "fwd:", "fw:", "tl:", "tr:", "aw:"};
	bool again = true;

	while (again) {
		again = false;
		while (*s == ' ' || *s == '\t')
			s++;
		for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
			if (strncasecmp(s, marks[i], strlen(marks[i])) == 0) {
				s += strlen(marks[i]);
				again = true;
			}
	}
	return s;
}

void mail_report_title(const char *subject, const char *prefix, char *out, size_t outsz)
{
	size_t n = prefix ? strlen(prefix) : 0, o = 0;
	const char *p = skip_markers(subject ? subject : "");

	if (outsz == 0)
		return;
	while (*p && o + 1 < outsz) {
		if (n > 0 && strncasecmp(p, prefix, n) == 0) {
			p = skip_markers(p + n);
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	/* cut on a UTF-8 boundary and trim */
	while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80 && *p)
		out[--o] = '\0';
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t' || out[o - 1] == '-' ||
			 out[o - 1] == ':'))
		out[--o] = '\0';
	if (!str_utf8_valid(out, o))
		out[0] = '\0';
}

/* Reads up to maxd digits at s[*i]; -1 when none. */
static int digits(const char *s, size_t *i, int maxd)
{
	int v = 0, k = 0;

	while (k < maxd && isdigit((unsigned char)s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k ? v : -1;
}

int mail_parse_vn_datetime(const char *s, int64_t *out)
{
	struct buf b;
	const char *f;
	int day = -1, mon = -1, year = -1, hour = 0, min = 0;
	size_t n, date_at = 0, date_end = 0;
	bool have_date = false, have_time = false;
	int64_t t;

	*out = 0;
	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (tm_parse_iso(s, out) == 0)
		return 0;
	buf_init(&b, 512);
	if (strlen(s) > 200 || fold_text(&b, s, strlen(s)) != BUF_OK || b.p == NULL) {
		buf_free(&b);
		return -1;
	}
	f = b.p;
	n = b.len;
	/* the date: d/m/yyyy with /, - or . */
	for (size_t i = 0; i < n && !have_date; i++) {
		size_t j = i;
		int d, m, y;
		char sep;

		if (!isdigit((unsigned char)f[i]) || (i > 0 && isdigit((unsigned char)f[i - 1])))
			continue;
		d = digits(f, &j, 2);
		sep = f[j];
		if (sep != '/' && sep != '-' && sep != '.')
			continue;
		j++;
		m = digits(f, &j, 2);
		if (m < 0 || f[j] != sep)
			continue;
		j++;
		y = digits(f, &j, 4);
		if (y < 1970 || isdigit((unsigned char)f[j]))
			continue;
		day = d;
		mon = m;
		year = y;
		date_at = i;
		date_end = j;
		have_date = true;
	}
	/* the time: hh:mm, hhhmm, hh gio mm (outside the date) */
	for (size_t i = 0; i < n && have_date && !have_time; i++) {
		size_t j = i;
		int h, mi;

		if (i >= date_at && i < date_end)
			continue;
		if (!isdigit((unsigned char)f[i]) || (i > 0 && isdigit((unsigned char)f[i - 1])))
			continue;
		h = digits(f, &j, 2);
		while (f[j] == ' ')
			j++;
		/* "8h30", "8h", not "3 he thong" */
		if (f[j] == ':' || (f[j] == 'h' && !isalpha((unsigned char)f[j + 1])) ||
		    (f[j] == 'g' && strncmp(f + j, "gio", 3) == 0 && !isalpha((unsigned char)f[j + 3]))) {
			if (strncmp(f + j, "gio", 3) == 0)
				j += 3;
			else
				j++;
			while (f[j] == ' ')
				j++;
			mi = isdigit((unsigned char)f[j]) ? digits(f, &j, 2) : 0;
			if (h >= 0 && h < 24 && mi >= 0 && mi < 60 && !isdigit((unsigned char)f[j])) {
				hour = h;
				min = mi;
				have_time = true;
			}
		}
	}
	buf_free(&b);
	if (!have_date || mon < 1 || mon > 12 || day < 1 || year > 9999 ||
	    day > tm_days_in_month(year, mon))
		return -1;
	t = tm_vn_midnight(year, mon, day);
	if (t < 0)
		return -1;
	*out = t + hour * 3600 + min * 60;
	return 0;
}

/* ---- the "Label: value" parser ---- */

/* Short labels people write for the national form's fields (folded, see norm()). */
static const struct {
	const char *label;
	const char *field;
} aliases[] = {
	{"ten don vi", "org_name"},
	{"ten co quan", "org_name"},
	{"ten to chuc", "org_name"},
	{"don vi", "org_name"},
	{"co quan", "org_name"},
	{"don vi bao cao", "org_name"},
	{"co quan bao cao", "org_name"},
	{"to chuc bao cao", "org_name"},
	{"ten co quan to chuc bao cao", "org_name"},
	{"organisation", "org_name"},
	{"organization", "org_name"},
	{"dia chi", "org_address"},
	{"dien thoai", "org_phone"},
	{"dien thoai", "contact_phone"},
	{"so dien thoai", "org_phone"},
	{"so dien thoai", "contact_phone"},
	{"dien thoai di dong", "contact_phone"},
	{"phone", "org_phone"},
	{"phone", "contact_phone"},
	{"thu dien tu", "org_email"},
	{"thu dien tu", "contact_email"},
	{"email", "org_email"},
	{"email", "contact_email"},
	{"e mail", "org_email"},
	{"e mail", "contact_email"},
	{"nguoi lien he", "contact_name"},
	{"ho ten nguoi lien he", "contact_name"},
	{"ten nguoi lien he", "contact_name"},
	{"ho va ten", "contact_name"},
	{"ho ten", "contact_name"},
	{"contact", "contact_name"},
	{"contact person", "contact_name"},
	{"chuc vu", "contact_position"},
	{"dien thoai nguoi lien he", "contact_phone"},
	{"email nguoi lien he", "contact_email"},
	{"don vi van hanh", "operator_unit"},
	{"ten don vi van hanh", "operator_unit"},
	{"don vi van hanh he thong", "operator_unit"},
	{"co quan chu quan", "owner_body"},
	{"he thong", "system_name"},
	{"ten he thong", "system_name"},
	{"he thong bi su co", "system_name"},
	{"ten he thong bi su co", "system_name"},
	{"cap do", "security_level"},
	{"cap do he thong", "security_level"},
	{"cap do an toan", "security_level"},
	{"mo ta", "description"},
	{"mo ta su co", "description"},
	{"mo ta so bo", "description"},
	{"mo ta so bo su co", "description"},
	{"mo ta so bo ve su co", "description"},
	{"noi dung", "description"},
	{"noi dung su co", "description"},
	{"ngay phat hien", "detected_at"},
	{"thoi gian phat hien", "detected_at"},
	{"thoi diem phat hien", "detected_at"},
	{"ngay gio phat hien", "detected_at"},
	{"ngay gio phat hien su co", "detected_at"},
	{"phat hien luc", "detected_at"},
	{"detected", "detected_at"},
	{"detected at", "detected_at"},
	{"tinh trang", "current_status"},
	{"tinh trang hien tai", "current_status"},
	{"hien trang", "current_status"},
	{"cach phat hien", "detection_method"},
	{"cach thuc phat hien", "detection_method"},
	{"phat hien bang", "detection_method"},
	{"da thong bao cho", "reported_to"},
	{"da bao cao cho", "reported_to"},
	{"da thong bao", "reported_to"},
	{"he dieu hanh", "os"},
	{"dia chi ip", "public_ips"},
	{"ten mien", "domains"},
	{"de nghi ho tro", "support_requests"},
};

static const char *const severity_labels[] = {"muc do", "muc do su co", "muc do nghiem trong",
					      "severity"};
static const char *const type_labels[] = {"loai su co", "loai tan cong", "hinh thuc tan cong",
					  "phan loai", "type", "incident type"};

/* Folds s (n bytes) to lower-case ASCII words separated by one space, without leading numbers
 * ("1.2. Tên đơn vị (*)" -> "ten don vi"). Returns the length, 0 when nothing is left. */
static size_t norm(const char *s, size_t n, char *out, size_t outsz)
{
	struct buf b;
	size_t o = 0;
	bool space = true, lead = true;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	buf_init(&b, 4 * LABEL_MAX + 16);
	if (fold_text(&b, s, n) != BUF_OK || b.p == NULL) {
		buf_free(&b);
		return 0;
	}
	for (size_t i = 0; i < b.len && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)b.p[i];

		if (isalnum(c)) {
			/* a leading word of digits only is a numbering: skip it */
			if (lead && isdigit(c)) {
				size_t j = i;

				while (j < b.len && isdigit((unsigned char)b.p[j]))
					j++;
				if (j >= b.len || !isalpha((unsigned char)b.p[j])) {
					i = j - 1;
					continue;
				}
			}
			if (space && o > 0)
				out[o++] = ' ';
			if (o + 1 < outsz)
				out[o++] = (char)c;
			space = false;
			lead = false;
		} else {
			space = true;
		}
	}
	out[o] = '\0';
	buf_free(&b);
	return o;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* The preset item whose name (either language) or code folds to v, or NULL. */
static const struct preset_item *match_item(const struct preset_item *items, size_t n,
					    const char *value)
{
	char v[LABEL_MAX], a[LABEL_MAX];

	if (norm(value, strlen(value), v, sizeof v) == 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if ((norm(items[i].name_vi, strlen(items[i].name_vi), a, sizeof a) && !strcmp(a, v)) ||
		    (norm(items[i].name_en, strlen(items[i].name_en), a, sizeof a) && !strcmp(a, v)) ||
		    (norm(items[i].code, strlen(items[i].code), a, sizeof a) && !strcmp(a, v)))
			return &items[i];
	}
	/* "Thay đổi giao diện" for "Tấn công thay đổi giao diện": words inside a name, when the
	 * value has two words or more */
	if (strchr(v, ' ') == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *at;
		size_t vl = strlen(v);

		if (norm(items[i].name_vi, strlen(items[i].name_vi), a, sizeof a) == 0)
			continue;
		for (at = strstr(a, v); at != NULL; at = strstr(at + 1, v))
			if ((at == a || at[-1] == ' ') && (at[vl] == '\0' || at[vl] == ' '))
				return &items[i];
	}
	return NULL;
}

struct parse {
	const struct preset_form *f;
	struct buf *vals;   /* one per field */
	bool *set;
	char section[PRESET_CODE];
	int cur;            /* the field a continuation line goes to, -1 none */
	/* the form's labels normalised once: per field label_vi, label_en, name; per section
	 * name_vi, name_en */
	char (*fl)[3][LABEL_MAX];
	char (*sl)[2][LABEL_MAX];
};

/* Whether label (normalised) names field i: its label in either language, its name, an alias. */
static bool names_field(const struct parse *P, size_t i, const char *label)
{
	const struct preset_field *fd = &P->f->fields[i];
	const char *a = P->fl[i][0];
	size_t ln = strlen(label);

	if (a[0] && (strcmp(a, label) == 0 ||
		     /* "Tên hệ thống thông tin bị sự cố" for "... (kèm tên miền, địa chỉ IP)": a prefix
		      * of at least three words */
		     (strncmp(a, label, ln) == 0 && a[ln] == ' ' && strchr(label, ' ') &&
		      strchr(strchr(label, ' ') + 1, ' '))))
		return true;
	if (P->fl[i][1][0] && strcmp(P->fl[i][1], label) == 0)
		return true;
	if (P->fl[i][2][0] && strcmp(P->fl[i][2], label) == 0)
		return true;
	for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
		if (strcmp(aliases[k].label, label) == 0 && strcmp(aliases[k].field, fd->name) == 0)
			return true;
	return false;
}

/* The field a label names: of the fields it may name, the first unfilled one of the current
 * section, else the first unfilled one, else the first. -1 when none. */
static int pick_field(struct parse *P, const char *label)
{
	int first = -1, unfilled = -1;

	for (size_t i = 0; i < P->f->nfields; i++) {
		if (!names_field(P, i, label))
			continue;
		if (first < 0)
			first = (int)i;
		if (!P->set[i] && unfilled < 0)
			unfilled = (int)i;
		if (!P->set[i] && P->section[0] && strcmp(P->f->fields[i].section, P->section) == 0)
			return (int)i;
	}
	return unfilled >= 0 ? unfilled : first;
}

/* A heading line naming a section of the form ("Thông tin người liên hệ"). */
static bool section_line(struct parse *P, const char *label)
{
	for (size_t i = 0; i < P->f->nsections; i++)
		if ((P->sl[i][0][0] && strcmp(P->sl[i][0], label) == 0) ||
		    (P->sl[i][1][0] && strcmp(P->sl[i][1], label) == 0)) {
			(void)str_copy(P->section, sizeof P->section, P->f->sections[i].code);
			return true;
		}
	return false;
}

static int append_value(struct buf *b, const char *s, size_t n, bool newline)
{
	if (newline && b->len > 0 && buf_append(b, "\n", 1) != BUF_OK)
		return -1;
	return buf_append(b, s, n) == BUF_OK ? 0 : -1;
}

/* Trims spaces, tabs and \r at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r'))
		(*s)++, (*n)--;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* One line of the body. */
static int line(struct parse *P, struct mail_report *r, const struct preset *p, const char *s,
		size_t n)
{
	const char *colon, *v;
	char label[LABEL_MAX];
	size_t vn;
	int i;

	trim(&s, &n);
	colon = n > 0 ? memchr(s, ':', n) : NULL;
	if (colon != NULL && (size_t)(colon - s) < LABEL_MAX && colon > s &&
	    norm(s, (size_t)(colon - s), label, sizeof label) > 0) {
		v = colon + 1;
		vn = n - (size_t)(v - s);
		trim(&v, &vn);
		if (in_list(label, severity_labels, sizeof severity_labels / sizeof *severity_labels) ||
		    in_list(label, type_labels, sizeof type_labels / sizeof *type_labels)) {
			char val[PRESET_NAME];

			if (vn < sizeof val) {
				memcpy(val, v, vn);
				val[vn] = '\0';
				if (in_list(label, severity_labels,
					    sizeof severity_labels / sizeof *severity_labels))
					r->severity = match_item(p->severities, p->nseverities, val);
				else
					r->type = match_item(p->types, p->ntypes, val);
			}
			P->cur = -1;
			r->nlines++;
			return 0;
		}
		i = pick_field(P, label);
		if (i >= 0) {
			P->set[i] = true;
			buf_reset(&P->vals[i]);
			(void)str_copy(P->section, sizeof P->section, P->f->fields[i].section);
			P->cur = P->f->fields[i].type == PRESET_FIELD_TEXTAREA ? i : -1;
			r->nlines++;
			return vn > 0 ? append_value(&P->vals[i], v, vn, false) : 0;
		}
		if (vn == 0 && section_line(P, label)) {
			P->cur = -1;
			return 0;
		}
	} else if (n > 0 && n < LABEL_MAX && norm(s, n, label, sizeof label) > 0 &&
		   section_line(P, label)) {
		P->cur = -1;
		return 0;
	}
	/* not a field: more of a multi-line field */
	if (P->cur >= 0)
		return append_value(&P->vals[P->cur], s, n, true);
	return 0;
}

/* Cuts s to at most max code points (on a character boundary). */
static void cap_chars(struct buf *b, int max)
{
	size_t i = 0;
	int cps = 0;

	if (max <= 0 || b->p == NULL)
		return;
	while (i < b->len) {
		if (((unsigned char)b->p[i] & 0xC0) != 0x80) {
			if (cps == max)
				break;
			cps++;
		}
		i++;
	}
	b->len = i;
	b->p[i] = '\0';
}

/* Sets form[name] from the collected text, typed by the field. */
static int put_value(json_t *form, const struct preset_field *fd, struct buf *b,
		     struct mail_report *r)
{
	const char *s;
	json_t *v = NULL;
	int64_t t, x;
	char iso[40];

	/* trailing blank lines of a multi-line value */
	while (b->len > 0 && (b->p[b->len - 1] == '\n' || b->p[b->len - 1] == ' '))
		b->p[--b->len] = '\0';
	if (b->p == NULL || b->len == 0 || !str_utf8_valid(b->p, b->len))
		return 0;
	cap_chars(b, fd->maxlen);
	s = b->p;
	switch (fd->type) {
	case PRESET_FIELD_DATETIME:
	case PRESET_FIELD_DATE:
		if (mail_parse_vn_datetime(s, &t) != 0)
			return 0;
		if (strcmp(fd->name, "detected_at") == 0)
			r->detected_at = t;
		{
			int y, mo, d, h, mi, sec;

			tm_vn_fields(t, &y, &mo, &d, &h, &mi, &sec);
			if (fd->type == PRESET_FIELD_DATE)
				snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, mo, d);
			else
				snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:00+07:00", y, mo, d, h,
					 mi);
		}
		v = json_string(iso);
		break;
	case PRESET_FIELD_EMAIL:
		if (!mail_addr_ok(s))
			return 0;
		v = json_string(s);
		break;
	case PRESET_FIELD_INT:
		if (str_to_i64(s, INT32_MIN, INT32_MAX, &x) != 0)
			return 0;
		v = json_integer(x);
		break;
	case PRESET_FIELD_BOOL: {
		char a[32];

		norm(s, b->len, a, sizeof a);
		if (!strcmp(a, "co") || !strcmp(a, "yes") || !strcmp(a, "true") || !strcmp(a, "x"))
			v = json_true();
		else if (!strcmp(a, "khong") || !strcmp(a, "no") || !strcmp(a, "false"))
			v = json_false();
		else
			return 0;
		break;
	}
	case PRESET_FIELD_SELECT:
		for (size_t i = 0; i < fd->noptions && v == NULL; i++)
			if (strcmp(fd->options[i].value, s) == 0)
				v = json_string(s);
		if (v == NULL)
			return 0;
		break;
	default:
		v = json_string(s);
		break;
	}
	if (v == NULL || json_object_set_new(form, fd->name, v) != 0)
		return -1;
	return 0;
}

int mail_report_parse(const struct preset *p, const struct preset_form *f, const char *text,
		      size_t len, struct mail_report *out)
{
	struct parse P = {.f = f, .cur = -1};
	const char *s = text, *end = text + len;
	int rc = MAIL_OK;

	memset(out, 0, sizeof *out);
	if (p == NULL || f == NULL || text == NULL)
		return MAIL_EINVAL;
	out->form = json_object();
	P.vals = calloc(f->nfields ? f->nfields : 1, sizeof *P.vals);
	P.set = calloc(f->nfields ? f->nfields : 1, sizeof *P.set);
	P.fl = calloc(f->nfields ? f->nfields : 1, sizeof *P.fl);
	P.sl = calloc(f->nsections ? f->nsections : 1, sizeof *P.sl);
	if (out->form == NULL || P.vals == NULL || P.set == NULL || P.fl == NULL || P.sl == NULL) {
		rc = MAIL_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < f->nfields; i++) {
		const struct preset_field *fd = &f->fields[i];

		norm(fd->label_vi, strlen(fd->label_vi), P.fl[i][0], LABEL_MAX);
		norm(fd->label_en, strlen(fd->label_en), P.fl[i][1], LABEL_MAX);
		norm(fd->name, strlen(fd->name), P.fl[i][2], LABEL_MAX);
	}
	for (size_t i = 0; i < f->nsections; i++) {
		norm(f->sections[i].name_vi, strlen(f->sections[i].name_vi), P.sl[i][0], LABEL_MAX);
		norm(f->sections[i].name_en, strlen(f->sections[i].name_en), P.sl[i][1], LABEL_MAX);
	}
	for (size_t i = 0; i < f->nfields; i++)
		buf_init(&P.vals[i], (size_t)(f->fields[i].maxlen > 0 ? f->fields[i].maxlen : 1000) * 4 +
					     8);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		/* the signature ends the form */
		if ((n == 2 || n == 3) && strncmp(s, "--", 2) == 0 && (n == 2 || s[2] == ' ' ||
								     s[2] == '\r'))
			break;
		/* a value over its field's cap is cut, not an error */
		(void)line(&P, out, p, s, n);
		s = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < f->nfields && rc == MAIL_OK; i++)
		if (P.set[i] && put_value(out->form, &f->fields[i], &P.vals[i], out) != 0)
			rc = MAIL_ENOMEM;
out:
	for (size_t i = 0; P.vals && i < f->nfields; i++)
		buf_free(&P.vals[i]);
	free(P.vals);
	free(P.set);
	free(P.fl);
	free(P.sl);
	if (rc != MAIL_OK)
		mail_report_free(out);
	return rc;
}

void mail_report_free(struct mail_report *r)
{
	json_decref(r->form);
	r->form = NULL;
}
