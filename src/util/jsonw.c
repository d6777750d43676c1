/* jsonw.c - JSON text written value by value into a bounded buffer (see jsonw.h). */
#include <stdio.h>
#include <string.h>

#include "util/jsonw.h"
#include "util/log.h"
#include "util/tm.h"

void jsonw_init(struct jsonw *w, struct buf *b)
{
	w->b = b;
	w->n = 0;
	w->err = 0;
	w->depth = 0;
	w->in_object[0] = false;
	w->has_items[0] = false;
	w->after_key = false;
}

static void flush(struct jsonw *w)
{
	if (w->n > 0 && w->err == 0 && buf_append(w->b, w->chunk, w->n) != BUF_OK)
		w->err = -1;
	w->n = 0;
}

static void put(struct jsonw *w, const char *s, size_t n)
{
	if (n > JSONW_CHUNK - w->n) {
		flush(w);
		if (n > JSONW_CHUNK) {
			if (w->err == 0 && buf_append(w->b, s, n) != BUF_OK)
				w->err = -1;
			return;
		}
	}
	memcpy(w->chunk + w->n, s, n);
	w->n += n;
}

static void ch(struct jsonw *w, char c)
{
	if (w->n == JSONW_CHUNK)
		flush(w);
	w->chunk[w->n++] = c;
}

/* Before any value: the comma between items, and whether a value may stand here at all (in an
 * object only after its key; at the top only once). */
static bool value_begins(struct jsonw *w)
{
	if (w->err != 0)
		return false;
	if (w->after_key) {
		w->after_key = false;
		return true;
	}
	if (w->in_object[w->depth] || (w->depth == 0 && w->has_items[0])) {
		w->err = -1;
		return false;
	}
	if (w->has_items[w->depth])
		ch(w, ',');
	w->has_items[w->depth] = true;
	return true;
}

int jsonw_end(struct jsonw *w)
{
	flush(w);
	if (w->depth != 0 || w->after_key)
		w->err = -1;
	return w->err;
}

static void open_level(struct jsonw *w, bool object)
{
	if (!value_begins(w))
		return;
	if (w->depth == JSONW_MAX_DEPTH) {
		w->err = -1;
		return;
	}
	ch(w, object ? '{' : '[');
	w->depth++;
	w->in_object[w->depth] = object;
	w->has_items[w->depth] = false;
}

void jsonw_object(struct jsonw *w)
{
	open_level(w, true);
}

void jsonw_array(struct jsonw *w)
{
	open_level(w, false);
}

void jsonw_close(struct jsonw *w)
{
	if (w->err != 0)
		return;
	if (w->depth == 0 || w->after_key) {
		w->err = -1;
		return;
	}
	ch(w, w->in_object[w->depth] ? '}' : ']');
	w->depth--;
}

/* Only the bytes JSON requires are escaped: the quote, the backslash and control characters
 * (jansson's compact dump, which writes "\u001F" in upper case). */
static void quoted(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;

	ch(w, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};
		size_t elen = 2;

		put(w, s + run, i - run);
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
		put(w, esc, elen);
	}
	put(w, s + run, n - run);
	ch(w, '"');
}

void jsonw_key(struct jsonw *w, const char *key, size_t n)
{
	if (w->err != 0)
		return;
	if (!w->in_object[w->depth] || w->after_key) {
		w->err = -1;
		return;
	}
	if (w->has_items[w->depth])
		ch(w, ',');
	w->has_items[w->depth] = true;
	quoted(w, key, n);
	ch(w, ':');
	w->after_key = true;
}

void jsonw_keyz(struct jsonw *w, const char *key)
{
	jsonw_key(w, key, strlen(key));
}

void jsonw_string(struct jsonw *w, const char *s, size_t n)
{
	if (value_begins(w))
		quoted(w, s, n);
}

void jsonw_stringz(struct jsonw *w, const char *s)
{
	jsonw_string(w, s, strlen(s));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	char digits[24];
	size_t i = sizeof digits;
	/* through unsigned: the magnitude of INT64_MIN does not fit its signed type */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	if (!value_begins(w))
		return;
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		digits[--i] = '-';
	put(w, digits + i, sizeof digits - i);
}

/* jansson's real format: 17 significant digits, ".0" when it would read back as an integer, and
 * the exponent without '+' or leading zeros. */
void jsonw_real(struct jsonw *w, double v)
{
	char t[40];
	int n;
	char *e;

	if (!value_begins(w))
		return;
	n = snprintf(t, sizeof t - 3, "%.17g", v);
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
	put(w, t, (size_t)n);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	if (value_begins(w))
		put(w, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_null(struct jsonw *w)
{
	if (value_begins(w))
		put(w, "null", 4);
}

void jsonw_raw(struct jsonw *w, const char *json, size_t n)
{
	if (value_begins(w))
		put(w, json, n);
}

void jsonw_member_text(struct jsonw *w, const char *key, const char *s)
{
	jsonw_keyz(w, key);
	jsonw_stringz(w, s);
}

void jsonw_time(struct jsonw *w, int64_t t)
{
	char iso[TM_ISO_MAX];

	if (t == 0)
		jsonw_null(w);
	else if (tm_format_iso(t, iso, sizeof iso) == 0)
		jsonw_stringz(w, iso);
	else {
		log_warn("json: time %lld out of range", (long long)t);
		jsonw_null(w);
	}
}

void jsonw_member_time(struct jsonw *w, const char *key, int64_t t)
{
	jsonw_keyz(w, key);
	jsonw_time(w, t);
}
