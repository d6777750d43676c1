/* forms.h - the regulation's forms (Mẫu 01, Mẫu 02, biên bản) filled on an incident. Values live
 * in the incident's `form` object as {form code: {field: value}}; the preset says which fields
 * exist, their types, limits and required marks. */
#ifndef UNGCUU_FORMS_H
#define UNGCUU_FORMS_H
#include <jansson.h>
#include <stdbool.h>

#include "core/preset.h"
#include "http/http.h"

/* Validates `in` ({form: {field: value}}, NULL = nothing sent) against the preset and, when
 * valid, sets row["form"] to `current` with the sent values merged in (a null value removes a
 * field). Required fields are not demanded here: a form may be filled over several steps; the
 * procedure demands them (forms_filled) when a step requires the form.
 * Returns 0, or -1 having filled res with a 422 naming "form.<code>.<field>". */
int forms_merge(const struct preset *p, const json_t *in, const json_t *current, json_t *row,
		struct http_res *res);
/* True if every required field of the form `code` has a non-empty value in form. */
bool forms_filled(const struct preset *p, const json_t *form, const char *code);

#endif
