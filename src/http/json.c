/* json.c - JSON request bodies and field validation: every field has a type and a limit, and a
 * violation answers 4xx naming the field. */
#include <string.h>

#include "http.h"
#include "util/jsonw.h"
#include "util/str.h"

#define JSON_MAX_DEPTH 16

/* Depth of nesting outside strings; jansson's own limit (2048) is far above what we accept. */
static int json_depth_ok(const char *s, size_t n)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return 0;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return 1;
}

int http_json_parse(const char *body, size_t len, const char *content_type,
		    struct http_res *res, json_t **out)
{
	json_error_t err;
	json_t *j;

	*out = NULL;
	if (content_type == NULL || !str_starts(content_type, "application/json")) {
		http_res_problem(res, 415, "Unsupported media type", NULL, M_json_content_type);
		return -1;
	}
	if (len == 0) {
		http_res_problem(res, 400, "Malformed JSON", NULL, M_json_empty);
		return -1;
	}
	if (!json_depth_ok(body, len)) {
		http_res_problem(res, 400, "Malformed JSON", NULL, M_json_too_deep,
				 MN("max", JSON_MAX_DEPTH));
		return -1;
	}
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL) {
		http_res_problem(res, 400, "Malformed JSON", NULL, M_json_invalid,
				 MN("line", err.line), MN("column", err.column), MS("error", err.text));
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_res_problem(res, 400, "Malformed JSON", NULL, M_json_not_object);
		return -1;
	}
	*out = j;
	return 0;
}

int http_json_body(struct http_req *req, struct http_res *res, json_t **out)
{
	if (req->json == NULL &&
	    http_json_parse(req->body, req->body_len, http_header(req, "Content-Type"), res,
			    &req->json) != 0) {
		*out = NULL;
		return -1;
	}
	*out = json_incref(req->json);
	return 0;
}

int http_json_str(const json_t *obj, const char *name, bool required, size_t maxchars,
		  bool multiline, struct http_res *res, const char **out)
{
	json_t *v = json_object_get(obj, name);
	const char *s;
	size_t n;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_res_problem(res, 422, "Missing field", name, M_field_missing, MS("field", name));
		return -1;
	}
	if (!json_is_string(v)) {
		http_res_problem(res, 422, "Invalid field", name, M_field_not_string, MS("field", name));
		return -1;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n || !str_utf8_valid(s, n) ||
	    (!multiline && (strchr(s, '\n') || strchr(s, '\r') || strchr(s, '\t')))) {
		http_res_problem(res, 422, "Invalid field", name, M_field_control_chars,
				 MS("field", name));
		return -1;
	}
	if (str_utf8_len(s, n) > maxchars) {
		http_res_problem(res, 422, "Field too long", name, M_field_too_long, MS("field", name),
				 MN("max", maxchars));
		return -1;
	}
	if (required && n == 0) {
		http_res_problem(res, 422, "Missing field", name, M_field_empty, MS("field", name));
		return -1;
	}
	*out = s;
	return 1;
}

int http_json_int(const json_t *obj, const char *name, bool required, int64_t min, int64_t max,
		  struct http_res *res, int64_t *out)
{
	json_t *v = json_object_get(obj, name);

	*out = 0;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_res_problem(res, 422, "Missing field", name, M_field_missing, MS("field", name));
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		http_res_problem(res, 422, "Invalid field", name, M_field_not_integer,
				 MS("field", name), MN("min", min), MN("max", max));
		return -1;
	}
	*out = (int64_t)json_integer_value(v);
	return 1;
}

int http_json_list(const json_t *obj, const char *name, bool required, size_t max,
		   struct http_res *res, const json_t **out)
{
	const json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_res_problem(res, 422, "Missing field", name, M_field_missing, MS("field", name));
		return -1;
	}
	if (!json_is_array(v)) {
		http_res_problem(res, 422, "Invalid field", name, M_field_not_list, MS("field", name));
		return -1;
	}
	if (json_array_size(v) > max) {
		http_res_problem(res, 422, "Invalid field", name, M_field_list_too_long,
				 MS("field", name), MN("max", max));
		return -1;
	}
	*out = v;
	return 1;
}

int http_json_bool(const json_t *obj, const char *name, bool required, struct http_res *res,
		   bool *out)
{
	json_t *v = json_object_get(obj, name);

	*out = false;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_res_problem(res, 422, "Missing field", name, M_field_missing, MS("field", name));
		return -1;
	}
	if (!json_is_boolean(v)) {
		http_res_problem(res, 422, "Invalid field", name, M_field_not_bool, MS("field", name));
		return -1;
	}
	*out = json_is_true(v);
	return 1;
}

/* ---- writing ----
 * The compact text jansson's json_dump_callback(JSON_COMPACT) makes, byte for byte (fuzz_json
 * compares them), through util/jsonw: without jansson's per-token callbacks and per-character
 * UTF-8 walk (profiles of GET /api/v1/incidents/{id} spent a sixth of the request in jansson's
 * dump). Strings in a json_t are valid UTF-8: jansson checks them on creation. */

static void write_value(struct jsonw *w, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *m;

		jsonw_object(w);
		json_object_foreach((json_t *)v, key, m) {
			if (w->err != 0)
				break;
			jsonw_key(w, key, json_object_iter_key_len(json_object_key_to_iter(key)));
			write_value(w, m);
		}
		jsonw_close(w);
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		jsonw_array(w);
		for (size_t i = 0; i < n && w->err == 0; i++)
			write_value(w, json_array_get(v, i));
		jsonw_close(w);
		break;
	}
	case JSON_STRING: jsonw_string(w, json_string_value(v), json_string_length(v)); break;
	case JSON_INTEGER: jsonw_int(w, json_integer_value(v)); break;
	case JSON_REAL: jsonw_real(w, json_real_value(v)); break;
	case JSON_TRUE: jsonw_bool(w, true); break;
	case JSON_FALSE: jsonw_bool(w, false); break;
	case JSON_NULL: jsonw_null(w); break;
	}
}

int http_json_write(struct buf *b, const json_t *v)
{
	struct jsonw w;

	if (v == NULL)
		return -1;
	jsonw_init(&w, b);
	write_value(&w, v);
	return jsonw_end(&w);
}
