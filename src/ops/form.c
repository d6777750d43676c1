/* form.c - the regulation's forms (Mẫu 01, Mẫu 02, biên bản) filled on an incident: their
 * values validated against the preset's field definitions, whatever the channel. */
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "util/str.h"
#include "util/tm.h"

#define FORM_FIELD_DEFAULT_MAX 2000

static int bad(struct ops_err *res, const char *form, const char *field, enum msg_id id)
{
	char name[2 * PRESET_CODE + 8];

	snprintf(name, sizeof name, "form.%s%s%s", form, field ? "." : "", field ? field : "");
	return ops_refuse(res, 422, "Invalid field", name, id, MS("field", name));
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && strchr(at + 1, '.') && !strchr(s, ' ') && strchr(at + 1, '@') == NULL;
}

static bool phone_ok(const char *s)
{
	size_t digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr("+-(). ", *s))
			return false;
	}
	return digits >= 3 && digits <= 20;
}

static bool date_ok(const char *s)
{
	int64_t t;

	return strlen(s) == 10 && tm_parse_iso(s, &t) == 0;
}

static bool option_ok(const struct preset_field *f, const char *s)
{
	for (size_t i = 0; i < f->noptions; i++)
		if (strcmp(f->options[i].value, s) == 0)
			return true;
	return false;
}

/* Checks one string value by the field's type. */
static int check_string(const struct preset_field *f, const char *form, const char *s,
			size_t n, struct ops_err *res)
{
	size_t max = f->maxlen > 0 ? (size_t)f->maxlen : FORM_FIELD_DEFAULT_MAX;
	bool multi = f->type == PRESET_FIELD_TEXTAREA;
	int64_t t;

	if (strlen(s) != n || !str_utf8_valid(s, n) || (!multi && strpbrk(s, "\r\n\t")))
		return bad(res, form, f->name, M_form_field_bad_chars);
	if (str_utf8_len(s, n) > max)
		return bad(res, form, f->name, M_form_field_too_long);
	if (n == 0)
		return 0;
	switch (f->type) {
	case PRESET_FIELD_EMAIL:
		return email_ok(s) ? 0 : bad(res, form, f->name, M_form_field_not_email);
	case PRESET_FIELD_PHONE:
		return phone_ok(s) ? 0 : bad(res, form, f->name, M_form_field_not_phone);
	case PRESET_FIELD_DATE:
		return date_ok(s) ? 0 : bad(res, form, f->name, M_form_field_not_date);
	case PRESET_FIELD_DATETIME:
		return tm_parse_iso(s, &t) == 0 ? 0
						: bad(res, form, f->name, M_form_field_not_time);
	case PRESET_FIELD_SELECT:
		return option_ok(f, s) ? 0 : bad(res, form, f->name, M_form_field_not_option);
	default:
		return 0;
	}
}

static int check_value(const struct preset_field *f, const char *form, const json_t *v,
		       struct ops_err *res)
{
	if (json_is_null(v))
		return 0;
	switch (f->type) {
	case PRESET_FIELD_INT:
		return json_is_integer(v) ? 0 : bad(res, form, f->name, M_form_field_not_integer);
	case PRESET_FIELD_BOOL:
		return json_is_boolean(v) ? 0 : bad(res, form, f->name, M_form_field_not_boolean);
	default:
		if (!json_is_string(v))
			return bad(res, form, f->name, M_form_field_not_string);
		return check_string(f, form, json_string_value(v), json_string_length(v), res);
	}
}

/* Validates one form's values and merges them into dst (a copy of the stored form). */
static int merge_one(const struct preset_form *pf, const json_t *vals, json_t *dst,
		     struct ops_err *res)
{
	json_t *v;
	const char *k;

	if (!json_is_object(vals))
		return bad(res, pf->code, NULL, M_form_values_not_object);
	json_object_foreach((json_t *)vals, k, v) {
		const struct preset_field *f = preset_form_field(pf, k);

		if (f == NULL)
			return bad(res, pf->code, k, M_form_field_unknown);
		if (check_value(f, pf->code, v, res) != 0)
			return -1;
		if (json_is_null(v))
			json_object_del(dst, k);
		else
			json_object_set(dst, k, v);
	}
	return 0;
}

int ops_form_merge(const struct preset *p, const json_t *in, const json_t *current, json_t *row,
		   struct ops_err *res)
{
	json_t *merged, *vals;
	const char *code;

	if (in == NULL)
		return 0;
	if (!json_is_object(in))
		return ops_refuse(res, 422, "Invalid field", "form", M_form_not_object);
	merged = json_is_object(current) ? json_deep_copy(current) : json_object();
	json_object_foreach((json_t *)in, code, vals) {
		const struct preset_form *pf = preset_form(p, code);
		json_t *dst;

		if (pf == NULL) {
			json_decref(merged);
			return bad(res, code, NULL, M_form_unknown);
		}
		dst = json_object_get(merged, code);
		if (dst == NULL) {
			dst = json_object();
			json_object_set_new(merged, code, dst);
		}
		if (merge_one(pf, vals, dst, res) != 0) {
			json_decref(merged);
			return -1;
		}
	}
	json_object_set_new(row, "form", merged);
	return 0;
}

bool ops_form_filled(const struct preset *p, const json_t *form, const char *code)
{
	const struct preset_form *pf = preset_form(p, code);
	const json_t *vals = json_object_get(form, code);

	if (pf == NULL || !json_is_object(vals))
		return false;
	for (size_t i = 0; i < pf->nfields; i++) {
		const json_t *v;

		if (!pf->fields[i].required)
			continue;
		v = json_object_get(vals, pf->fields[i].name);
		if (v == NULL || json_is_null(v) ||
		    (json_is_string(v) && json_string_length(v) == 0))
			return false;
	}
	return true;
}
