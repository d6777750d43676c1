/* json.c - JSON request bodies and field validation: every field has a type and a limit, and a
 * violation answers 4xx naming the field. */
#include <stdio.h>
#include <string.h>

#include "http.h"
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
		http_res_problem(res, 415, "Unsupported media type", NULL,
				 "Cần Content-Type: application/json / expected application/json");
		return -1;
	}
	if (len == 0) {
		http_res_problem(res, 400, "Malformed JSON", NULL,
				 "Thiếu nội dung JSON / the request body is empty");
		return -1;
	}
	if (!json_depth_ok(body, len)) {
		http_res_problem(res, 400, "Malformed JSON", NULL,
				 "JSON lồng quá %d mức / JSON nested deeper than %d levels",
				 JSON_MAX_DEPTH, JSON_MAX_DEPTH);
		return -1;
	}
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL) {
		http_res_problem(res, 400, "Malformed JSON", NULL,
				 "JSON không hợp lệ ở dòng %d, cột %d: %s / invalid JSON at line %d, "
				 "column %d: %s",
				 err.line, err.column, err.text, err.line, err.column, err.text);
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_res_problem(res, 400, "Malformed JSON", NULL,
				 "Cần một đối tượng JSON / expected a JSON object");
		return -1;
	}
	*out = j;
	return 0;
}

int http_json_body(struct http_req *req, struct http_res *res, json_t **out)
{
	return http_json_parse(req->body, req->body_len, http_header(req, "Content-Type"), res, out);
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
		http_res_problem(res, 422, "Missing field", name,
				 "Thiếu trường bắt buộc '%s' / required field '%s' is missing", name, name);
		return -1;
	}
	if (!json_is_string(v)) {
		http_res_problem(res, 422, "Invalid field", name,
				 "Trường '%s' phải là chuỗi / field '%s' must be a string", name, name);
		return -1;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n || !str_utf8_valid(s, n) ||
	    (!multiline && (strchr(s, '\n') || strchr(s, '\r') || strchr(s, '\t')))) {
		http_res_problem(res, 422, "Invalid field", name,
				 "Trường '%s' chứa ký tự điều khiển / field '%s' has control characters",
				 name, name);
		return -1;
	}
	if (str_utf8_len(s, n) > maxchars) {
		http_res_problem(res, 422, "Field too long", name,
				 "Trường '%s' dài quá %zu ký tự / field '%s' longer than %zu characters",
				 name, maxchars, name, maxchars);
		return -1;
	}
	if (required && n == 0) {
		http_res_problem(res, 422, "Missing field", name,
				 "Trường '%s' không được để trống / field '%s' must not be empty", name,
				 name);
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
		http_res_problem(res, 422, "Missing field", name,
				 "Thiếu trường bắt buộc '%s' / required field '%s' is missing", name, name);
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		http_res_problem(res, 422, "Invalid field", name,
				 "Trường '%s' phải là số nguyên từ %lld đến %lld / field '%s' must be an "
				 "integer from %lld to %lld",
				 name, (long long)min, (long long)max, name, (long long)min,
				 (long long)max);
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
		http_res_problem(res, 422, "Missing field", name,
				 "Thiếu trường bắt buộc '%s' / required field '%s' is missing", name, name);
		return -1;
	}
	if (!json_is_array(v) || json_array_size(v) > max) {
		http_res_problem(res, 422, "Invalid field", name,
				 "'%s' phải là danh sách tối đa %zu mục / '%s' must be a list of at most "
				 "%zu items",
				 name, max, name, max);
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
		http_res_problem(res, 422, "Missing field", name,
				 "Thiếu trường bắt buộc '%s' / required field '%s' is missing", name, name);
		return -1;
	}
	if (!json_is_boolean(v)) {
		http_res_problem(res, 422, "Invalid field", name,
				 "Trường '%s' phải là true/false / field '%s' must be true or false", name,
				 name);
		return -1;
	}
	*out = json_is_true(v);
	return 1;
}

int http_json_only(const json_t *obj, const char *const *allowed, struct http_res *res)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		size_t i;

		(void)v;
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			http_res_problem(res, 422, "Unknown field", key,
					 "Trường '%s' không được hỗ trợ ở đây / unknown field '%s'", key,
					 key);
			return -1;
		}
	}
	return 0;
}

/* ---- writing ----
 * The compact text jansson's json_dump_callback(JSON_COMPACT) makes, byte for byte (fuzz_json
 * compares them), without its per-token callbacks and per-character UTF-8 walk: profiles of
 * GET /api/v1/incidents/{id} spent a sixth of the request in jansson's dump. Output is staged in
 * a chunk on the stack and appended to the buffer in large pieces. */

#define JW_CHUNK 4096
#define JW_MAX_DEPTH 64 /* our own trees are a few levels deep; a bound keeps the stack bounded */

struct json_writer {
	struct buf *b;
	size_t n;
	int err;
	char chunk[JW_CHUNK];
};

static void jw_flush(struct json_writer *w)
{
	if (w->n > 0 && w->err == 0 && buf_append(w->b, w->chunk, w->n) != BUF_OK)
		w->err = -1;
	w->n = 0;
}

static void jw_put(struct json_writer *w, const char *s, size_t n)
{
	if (n > JW_CHUNK - w->n) {
		jw_flush(w);
		if (n > JW_CHUNK) {
			if (w->err == 0 && buf_append(w->b, s, n) != BUF_OK)
				w->err = -1;
			return;
		}
	}
	memcpy(w->chunk + w->n, s, n);
	w->n += n;
}

static void jw_ch(struct json_writer *w, char c)
{
	if (w->n == JW_CHUNK)
		jw_flush(w);
	w->chunk[w->n++] = c;
}

/* Strings in a json_t are valid UTF-8 (jansson checks on creation), so only the bytes JSON
 * requires are escaped: the quote, the backslash and control characters. */
static void jw_string(struct json_writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F */
	size_t run = 0;

	jw_ch(w, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};
		size_t elen = 2;

		jw_put(w, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
			break;
		}
		jw_put(w, esc, elen);
	}
	jw_put(w, s + run, n - run);
	jw_ch(w, '"');
}

static void jw_integer(struct json_writer *w, json_int_t v)
{
	char digits[24];
	size_t i = sizeof digits;
	/* through unsigned: the magnitude of INT64_MIN does not fit its signed type */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		digits[--i] = '-';
	jw_put(w, digits + i, sizeof digits - i);
}

/* jansson's real format: 17 significant digits, ".0" when it would read back as an integer, and
 * the exponent without '+' or leading zeros. */
static void jw_real(struct json_writer *w, double v)
{
	char t[40];
	int n = snprintf(t, sizeof t - 3, "%.17g", v);
	char *e;

	if (n < 0 || (size_t)n >= sizeof t - 3) {
		w->err = -1;
		return;
	}
	if (strchr(t, '.') == NULL && strchr(t, 'e') == NULL) {
		t[n++] = '.';
		t[n++] = '0';
		t[n] = '\0';
	}
	e = strchr(t, 'e');
	if (e != NULL) {
		char *start = e + 1, *end = e + 2;

		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(t + n - end) + 1);
			n -= (int)(end - start);
		}
	}
	jw_put(w, t, (size_t)n);
}

static void jw_value(struct json_writer *w, const json_t *v, int depth)
{
	if (w->err != 0)
		return;
	if (depth > JW_MAX_DEPTH) {
		w->err = -1;
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *m;
		bool first = true;

		jw_ch(w, '{');
		json_object_foreach((json_t *)v, key, m) {
			if (!first)
				jw_ch(w, ',');
			first = false;
			jw_string(w, key, json_object_iter_key_len(json_object_key_to_iter(key)));
			jw_ch(w, ':');
			jw_value(w, m, depth + 1);
		}
		jw_ch(w, '}');
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);

		jw_ch(w, '[');
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				jw_ch(w, ',');
			jw_value(w, json_array_get(v, i), depth + 1);
		}
		jw_ch(w, ']');
		break;
	}
	case JSON_STRING:
		jw_string(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jw_integer(w, json_integer_value(v));
		break;
	case JSON_REAL:
		jw_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
		jw_put(w, "true", 4);
		break;
	case JSON_FALSE:
		jw_put(w, "false", 5);
		break;
	case JSON_NULL:
		jw_put(w, "null", 4);
		break;
	}
}

int http_json_write(struct buf *b, const json_t *v)
{
	struct json_writer w;

	if (v == NULL)
		return -1;
	w.b = b;
	w.n = 0;
	w.err = 0;
	jw_value(&w, v, 0);
	jw_flush(&w);
	return w.err;
}
