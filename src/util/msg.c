/* msg.c - the server's message catalogue and its renderer (msg.h). */
#include "msg.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

struct entry {
	const char *code;
	const char *text[2];
};

static const struct entry catalogue[M_COUNT] = {
	[M_none] = {"", {"", ""}},
#define MSG(id, vi, en) [M_##id] = {#id, {vi, en}},
#include "msg_all.def"
#undef MSG
};

/* Length of the UTF-8 sequence a lead byte starts (1-4), or 0 for a byte that starts none. */
static size_t utf8_lead_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* Copies n bytes of text into out (cap bytes) as valid UTF-8 with no control character but tab
 * and line breaks: a byte that starts no valid character (or a control) becomes U+FFFD; when the text was cut (cut) or out fills up, the
 * copy ends between two characters with "…". A detail may echo anything a client sent, and
 * jansson refuses invalid UTF-8: the answer would have gone out without a body. Returns 0, or
 * -1 when cut. */
static int utf8_clean(char *out, size_t cap, const char *in, size_t n, bool cut)
{
	static const char ellipsis[] = "\xE2\x80\xA6", bad[] = "\xEF\xBF\xBD";
	size_t i = 0, k = 0;

	while (i < n) {
		size_t l = utf8_lead_len((unsigned char)in[i]), plen = l;
		const char *piece = in + i;

		if (l == 0 || i + l > n || !str_utf8_valid(in + i, l)) {
			if (cut && l != 0 && i + l > n)
				break; /* the cut fell inside this character */
			piece = bad;
			plen = sizeof bad - 1;
			l = 1;
		}
		if (k + plen + sizeof ellipsis > cap) {
			cut = true;
			break;
		}
		memcpy(out + k, piece, plen);
		k += plen;
		i += l;
	}
	if (cut) {
		memcpy(out + k, ellipsis, sizeof ellipsis - 1);
		k += sizeof ellipsis - 1;
	}
	out[k] = '\0';
	return cut ? -1 : 0;
}

/* Copies the text src into dst (cap bytes), cleaned and cut as utf8_clean does. */
static int copy_cut(char *dst, size_t cap, const char *src)
{
	return utf8_clean(dst, cap, src, strlen(src), false);
}

void msg_bind(struct msg *m, enum msg_id id, const struct msg_arg *a, size_t n)
{
	assert(id >= 0 && id < M_COUNT);
	assert(n <= MSG_MAX_PARAMS);
	m->id = id;
	m->n = 0;
	m->used = 0;
	for (size_t i = 0; i < n && m->n < MSG_MAX_PARAMS; i++) {
		struct msg_param *p = &m->p[m->n];
		char *val = m->values + m->used, num[24];
		size_t room = sizeof m->values - m->used;

		if (room < 8)
			break; /* the values are full: the rest stay as {name} in the text */
		m->n++;
		(void)str_copy(p->name, sizeof p->name, a[i].name);
		p->is_num = a[i].str == NULL;
		p->num = a[i].num;
		if (p->is_num)
			snprintf(num, sizeof num, "%lld", a[i].num);
		(void)copy_cut(val, room < MSG_MAX_VALUE ? room : MSG_MAX_VALUE,
			       p->is_num ? num : a[i].str);
		p->off = p->off_en = m->used;
		m->used += strlen(val) + 1;
		room = sizeof m->values - m->used;
		if (!p->is_num && a[i].str_en && room >= 8) {
			val = m->values + m->used;
			(void)copy_cut(val, room < MSG_MAX_VALUE ? room : MSG_MAX_VALUE, a[i].str_en);
			p->off_en = m->used;
			m->used += strlen(val) + 1;
		}
	}
}

/* The value in lang of parameter name (len bytes) of m, or NULL. */
static const char *param(const struct msg *m, enum msg_lang lang, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->p[i].name) == len && memcmp(m->p[i].name, name, len) == 0)
			return msg_value_in(m, i, lang);
	return NULL;
}

int msg_render(const struct msg *m, enum msg_lang lang, char *out, size_t cap)
{
	const char *t = msg_text(m->id, lang);
	char tmp[4096];
	size_t k = 0;
	bool full = false;

	while (*t && !full) {
		const char *close = *t == '{' ? strchr(t, '}') : NULL;
		const char *piece = t, *v;
		size_t plen = 1;

		/* {name} with a name the call site gave; any other brace stays as written (the
		 * black-box tests look for a {name} left in an answer) */
		if (close && (v = param(m, lang, t + 1, (size_t)(close - t - 1))) != NULL) {
			piece = v;
			plen = strlen(v);
			t = close + 1;
		} else {
			t++;
		}
		if (k + plen >= sizeof tmp) {
			plen = sizeof tmp - 1 - k;
			full = true;
		}
		memcpy(tmp + k, piece, plen);
		k += plen;
	}
	/* a cut of tmp shows too, even when out is large */
	return utf8_clean(out, cap, tmp, k, full);
}

const char *msg_code(enum msg_id id)
{
	return id >= 0 && id < M_COUNT ? catalogue[id].code : "";
}

enum msg_id msg_find(const char *code)
{
	if (code == NULL || code[0] == '\0')
		return M_none;
	for (int id = 1; id < M_COUNT; id++) /* a few hundred codes, read per stored record */
		if (strcmp(catalogue[id].code, code) == 0)
			return (enum msg_id)id;
	return M_none;
}

const char *msg_text(enum msg_id id, enum msg_lang lang)
{
	if (id < 0 || id >= M_COUNT)
		return "";
	return catalogue[id].text[lang == MSG_EN ? 1 : 0];
}

/* The weight of language tag lang ("vi", "en") in an Accept-Language header: 1000 for no q,
 * q×1000 otherwise, -1 when not named. */
static int weight(const char *h, const char *lang)
{
	size_t ll = strlen(lang);
	int best = -1;

	while (*h) {
		const char *end = strchr(h, ',');
		size_t n = end ? (size_t)(end - h) : strlen(h);
		const char *q;

		while (n > 0 && (*h == ' ' || *h == '\t')) {
			h++;
			n--;
		}
		if (n >= ll && strncmp(h, lang, ll) == 0 && (n == ll || h[ll] == '-' || h[ll] == ';')) {
			int w = 1000;

			q = memchr(h, ';', n);
			if (q && (q = strstr(q, "q=")) != NULL && q < h + n) {
				double d = strtod(q + 2, NULL);

				w = d < 0 ? 0 : d > 1 ? 1000 : (int)(d * 1000);
			}
			if (w > 0 && w > best) /* q=0 says "not this one" */
				best = w;
		}
		if (!end)
			break;
		h = end + 1;
	}
	return best;
}

enum msg_lang msg_lang_accept(const char *header)
{
	if (header == NULL)
		return MSG_VI;
	return weight(header, "en") > weight(header, "vi") ? MSG_EN : MSG_VI;
}

enum msg_lang msg_lang_env(void)
{
	const char *l = getenv("UNGCUU_LANG");

	return l && strncmp(l, "en", 2) == 0 ? MSG_EN : MSG_VI;
}
