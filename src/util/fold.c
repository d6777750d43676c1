/* fold.c - Vietnamese-aware search folding (see fold.h).
 * One pass over the bytes, one table lookup per non-ASCII code point, output staged in a small
 * stack block so buf_append is called per block rather than per character. The folded text is
 * never longer than the input (every mapping turns 2-3 input bytes into at most 2 ASCII bytes). */
#include "fold.h"

#include <stdint.h>

/* Base letters, generated with Python's unicodedata (NFD, then NFKD, with marks removed; letters
 * with no decomposition - d/D with stroke, o with stroke, l with stroke, eth, ligatures - mapped by
 * name or by hand). Each entry holds one or two lower-case ASCII letters; {0, 0} means "no ASCII
 * base letter, copy the code point unchanged" (multiplication sign, schwa, ezh, ...).
 * fold_latin covers U+00C0-U+024F, fold_latin_add U+1E00-U+1EFF (Vietnamese sits in U+1EA0-U+1EF9;
 * the rest of the block costs a few hundred bytes and keeps the header's promise for all of it). */
static const char fold_latin[0x24F - 0xC0 + 1][2] = {
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 'e'}, {'c', 0}, /* U+00C0 */
	{'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, /* U+00C8 */
	{'d', 0}, {'n', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {0, 0}, /* U+00D0 */
	{'o', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'y', 0}, {'t', 'h'}, {'s', 's'}, /* U+00D8 */
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 'e'}, {'c', 0}, /* U+00E0 */
	{'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, /* U+00E8 */
	{'d', 0}, {'n', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {0, 0}, /* U+00F0 */
	{'o', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'y', 0}, {'t', 'h'}, {'y', 0}, /* U+00F8 */
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'c', 0}, {'c', 0}, /* U+0100 */
	{'c', 0}, {'c', 0}, {'c', 0}, {'c', 0}, {'c', 0}, {'c', 0}, {'d', 0}, {'d', 0}, /* U+0108 */
	{'d', 0}, {'d', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, /* U+0110 */
	{'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'g', 0}, {'g', 0}, {'g', 0}, {'g', 0}, /* U+0118 */
	{'g', 0}, {'g', 0}, {'g', 0}, {'g', 0}, {'h', 0}, {'h', 0}, {'h', 0}, {'h', 0}, /* U+0120 */
	{'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, /* U+0128 */
	{'i', 0}, {'i', 0}, {'i', 'j'}, {'i', 'j'}, {'j', 0}, {'j', 0}, {'k', 0}, {'k', 0}, /* U+0130 */
	{0, 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, /* U+0138 */
	{'l', 0}, {'l', 0}, {'l', 0}, {'n', 0}, {'n', 0}, {'n', 0}, {'n', 0}, {'n', 0}, /* U+0140 */
	{'n', 0}, {'n', 0}, {0, 0}, {0, 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+0148 */
	{'o', 0}, {'o', 0}, {'o', 'e'}, {'o', 'e'}, {'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, /* U+0150 */
	{'r', 0}, {'r', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, /* U+0158 */
	{'s', 0}, {'s', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, /* U+0160 */
	{'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, /* U+0168 */
	{'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'w', 0}, {'w', 0}, {'y', 0}, {'y', 0}, /* U+0170 */
	{'y', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'s', 0}, /* U+0178 */
	{'b', 0}, {'b', 0}, {'b', 0}, {'b', 0}, {0, 0}, {0, 0}, {0, 0}, {'c', 0}, /* U+0180 */
	{'c', 0}, {'d', 0}, {'d', 0}, {'d', 0}, {'d', 0}, {0, 0}, {0, 0}, {0, 0}, /* U+0188 */
	{0, 0}, {'f', 0}, {'f', 0}, {'g', 0}, {0, 0}, {'h', 'v'}, {0, 0}, {'i', 0}, /* U+0190 */
	{'k', 0}, {'k', 0}, {'l', 0}, {0, 0}, {0, 0}, {'n', 0}, {'n', 0}, {'o', 0}, /* U+0198 */
	{'o', 0}, {'o', 0}, {'o', 'i'}, {'o', 'i'}, {'p', 0}, {'p', 0}, {0, 0}, {0, 0}, /* U+01A0 */
	{0, 0}, {0, 0}, {0, 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'u', 0}, /* U+01A8 */
	{'u', 0}, {0, 0}, {'v', 0}, {'y', 0}, {'y', 0}, {'z', 0}, {'z', 0}, {0, 0}, /* U+01B0 */
	{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, /* U+01B8 */
	{0, 0}, {0, 0}, {0, 0}, {0, 0}, {'d', 'z'}, {'d', 'z'}, {'d', 'z'}, {'l', 'j'}, /* U+01C0 */
	{'l', 'j'}, {'l', 'j'}, {'n', 'j'}, {'n', 'j'}, {'n', 'j'}, {'a', 0}, {'a', 0}, {'i', 0}, /* U+01C8 */
	{'i', 0}, {'o', 0}, {'o', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, /* U+01D0 */
	{'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {0, 0}, {'a', 0}, {'a', 0}, /* U+01D8 */
	{'a', 0}, {'a', 0}, {'a', 'e'}, {'a', 'e'}, {'g', 0}, {'g', 0}, {'g', 0}, {'g', 0}, /* U+01E0 */
	{'k', 0}, {'k', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {0, 0}, {0, 0}, /* U+01E8 */
	{'j', 0}, {'d', 'z'}, {'d', 'z'}, {'d', 'z'}, {'g', 0}, {'g', 0}, {0, 0}, {0, 0}, /* U+01F0 */
	{'n', 0}, {'n', 0}, {'a', 0}, {'a', 0}, {'a', 'e'}, {'a', 'e'}, {'o', 0}, {'o', 0}, /* U+01F8 */
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, /* U+0200 */
	{'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+0208 */
	{'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, /* U+0210 */
	{'s', 0}, {'s', 0}, {'t', 0}, {'t', 0}, {0, 0}, {0, 0}, {'h', 0}, {'h', 0}, /* U+0218 */
	{'n', 0}, {'d', 0}, {'o', 'u'}, {'o', 'u'}, {'z', 0}, {'z', 0}, {'a', 0}, {'a', 0}, /* U+0220 */
	{'e', 0}, {'e', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+0228 */
	{'o', 0}, {'o', 0}, {'y', 0}, {'y', 0}, {'l', 0}, {'n', 0}, {'t', 0}, {'j', 0}, /* U+0230 */
	{0, 0}, {0, 0}, {'a', 0}, {'c', 0}, {'c', 0}, {'l', 0}, {'t', 0}, {'s', 0}, /* U+0238 */
	{'z', 0}, {0, 0}, {0, 0}, {'b', 0}, {'u', 0}, {0, 0}, {'e', 0}, {'e', 0}, /* U+0240 */
	{'j', 0}, {'j', 0}, {'q', 0}, {'q', 0}, {'r', 0}, {'r', 0}, {'y', 0}, {'y', 0}, /* U+0248 */
};

static const char fold_latin_add[0x1EFF - 0x1E00 + 1][2] = {
	{'a', 0}, {'a', 0}, {'b', 0}, {'b', 0}, {'b', 0}, {'b', 0}, {'b', 0}, {'b', 0}, /* U+1E00 */
	{'c', 0}, {'c', 0}, {'d', 0}, {'d', 0}, {'d', 0}, {'d', 0}, {'d', 0}, {'d', 0}, /* U+1E08 */
	{'d', 0}, {'d', 0}, {'d', 0}, {'d', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, /* U+1E10 */
	{'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'f', 0}, {'f', 0}, /* U+1E18 */
	{'g', 0}, {'g', 0}, {'h', 0}, {'h', 0}, {'h', 0}, {'h', 0}, {'h', 0}, {'h', 0}, /* U+1E20 */
	{'h', 0}, {'h', 0}, {'h', 0}, {'h', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, /* U+1E28 */
	{'k', 0}, {'k', 0}, {'k', 0}, {'k', 0}, {'k', 0}, {'k', 0}, {'l', 0}, {'l', 0}, /* U+1E30 */
	{'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'l', 0}, {'m', 0}, {'m', 0}, /* U+1E38 */
	{'m', 0}, {'m', 0}, {'m', 0}, {'m', 0}, {'n', 0}, {'n', 0}, {'n', 0}, {'n', 0}, /* U+1E40 */
	{'n', 0}, {'n', 0}, {'n', 0}, {'n', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+1E48 */
	{'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'p', 0}, {'p', 0}, {'p', 0}, {'p', 0}, /* U+1E50 */
	{'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, {'r', 0}, /* U+1E58 */
	{'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 0}, /* U+1E60 */
	{'s', 0}, {'s', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, {'t', 0}, /* U+1E68 */
	{'t', 0}, {'t', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, /* U+1E70 */
	{'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'v', 0}, {'v', 0}, {'v', 0}, {'v', 0}, /* U+1E78 */
	{'w', 0}, {'w', 0}, {'w', 0}, {'w', 0}, {'w', 0}, {'w', 0}, {'w', 0}, {'w', 0}, /* U+1E80 */
	{'w', 0}, {'w', 0}, {'x', 0}, {'x', 0}, {'x', 0}, {'x', 0}, {'y', 0}, {'y', 0}, /* U+1E88 */
	{'z', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'z', 0}, {'h', 0}, {'t', 0}, /* U+1E90 */
	{'w', 0}, {'y', 0}, {'a', 0}, {'s', 0}, {'s', 0}, {'s', 0}, {'s', 's'}, {0, 0}, /* U+1E98 */
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, /* U+1EA0 */
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, /* U+1EA8 */
	{'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, {'a', 0}, /* U+1EB0 */
	{'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, /* U+1EB8 */
	{'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, {'e', 0}, /* U+1EC0 */
	{'i', 0}, {'i', 0}, {'i', 0}, {'i', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+1EC8 */
	{'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+1ED0 */
	{'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, /* U+1ED8 */
	{'o', 0}, {'o', 0}, {'o', 0}, {'o', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, /* U+1EE0 */
	{'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, {'u', 0}, /* U+1EE8 */
	{'u', 0}, {'u', 0}, {'y', 0}, {'y', 0}, {'y', 0}, {'y', 0}, {'y', 0}, {'y', 0}, /* U+1EF0 */
	{'y', 0}, {'y', 0}, {'l', 'l'}, {'l', 'l'}, {'v', 0}, {'v', 0}, {'y', 0}, {'y', 0}, /* U+1EF8 */
};

#define FOLD_BLOCK 256 /* staging bytes; any single emit is at most 4 */

struct fold_out {
	struct buf *b;
	size_t n;
	char tmp[FOLD_BLOCK];
};

static int fold_flush(struct fold_out *o)
{
	int rc = BUF_OK;

	if (o->n > 0)
		rc = buf_append(o->b, o->tmp, o->n);
	o->n = 0;
	return rc;
}

static int fold_emit(struct fold_out *o, const char *p, size_t n)
{
	size_t i;

	if (n > FOLD_BLOCK - o->n) {
		int rc = fold_flush(o);

		if (rc != BUF_OK)
			return rc;
	}
	for (i = 0; i < n; i++)
		o->tmp[o->n++] = p[i];
	return BUF_OK;
}

/* Decodes one UTF-8 sequence at s (n > 0 bytes available, s[0] >= 0x80). Returns its length and
 * sets *cp, or 0 when it is not valid UTF-8 (bad lead, truncated, overlong, surrogate, > U+10FFFF),
 * in which case the caller replaces only the first byte and resynchronises on the next.
 * Same rules as str_utf8_valid; kept here because that one is a validator and yields no code point. */
static size_t fold_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], v;
	size_t len, i;

	if (c >= 0xC2 && c <= 0xDF)
		len = 2, v = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, v = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, v = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* Returns the one- or two-letter ASCII base of cp, or NULL when cp has none. */
static const char *fold_base(uint32_t cp)
{
	const char *e = NULL;

	if (cp >= 0xC0 && cp <= 0x24F)
		e = fold_latin[cp - 0xC0];
	else if (cp >= 0x1E00 && cp <= 0x1EFF)
		e = fold_latin_add[cp - 0x1E00];
	return e != NULL && e[0] != 0 ? e : NULL;
}

/* On a buf error, out keeps the text folded so far; callers drop the whole result anyway. */
int fold_text(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	struct fold_out o;
	size_t i = 0;
	int rc = BUF_OK;

	o.b = out;
	o.n = 0;
	while (i < n && rc == BUF_OK) {
		uint32_t cp = 0;
		const char *base;
		size_t len;

		if (u[i] < 0x80) {
			char c = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + ('a' - 'A') : u[i]);

			rc = fold_emit(&o, &c, 1);
			i++;
			continue;
		}
		len = fold_decode(u + i, n - i, &cp);
		if (len == 0) {
			rc = fold_emit(&o, "?", 1);
			i++;
			continue;
		}
		if (cp >= 0x300 && cp <= 0x36F)
			; /* combining mark of NFD text: the base letter was already emitted */
		else if ((base = fold_base(cp)) != NULL)
			rc = fold_emit(&o, base, base[1] != 0 ? 2 : 1);
		else
			rc = fold_emit(&o, s + i, len);
		i += len;
	}
	if (rc == BUF_OK)
		rc = fold_flush(&o);
	return rc;
}
