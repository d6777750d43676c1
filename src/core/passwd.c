/* passwd.c - password policy. Letters are told by Unicode category from a table of the Unicode
 * Character Database (passwd_ucd.c), not by towlower/iswupper: those follow the process's locale,
 * which a server does not control, and "C" knows only ASCII (Bảomậtcao then has "symbols"). */
#include "passwd.h"

#include <string.h>

#include "passwd_ucd.h"
#include "util/str.h"

/* True if hay contains needle, ASCII case-insensitively. */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay);

	if (n == 0 || n > h)
		return 0;
	for (size_t i = 0; i + n <= h; i++) {
		size_t j = 0;

		while (j < n) {
			char a = hay[i + j], b = needle[j];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (char)(b + 32);
			if (a != b)
				break;
			j++;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

enum passwd_class passwd_class(uint32_t cp)
{
	size_t lo = 0, hi = passwd_ucd_len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct passwd_ucd_range *r = &passwd_ucd[mid];

		if (cp < r->first) {
			hi = mid;
		} else if (cp > r->last) {
			lo = mid + 1;
		} else {
			switch (r->kind) {
			case PASSWD_UCD_LOWER:
				return PASSWD_LOWER_CASE;
			case PASSWD_UCD_UPPER:
				return PASSWD_UPPER_CASE;
			case PASSWD_UCD_NOCASE:
				return PASSWD_NO_CLASS;
			case PASSWD_UCD_ALT_EVEN:
				return cp % 2 == 0 ? PASSWD_UPPER_CASE : PASSWD_LOWER_CASE;
			case PASSWD_UCD_ALT_ODD:
				return cp % 2 == 1 ? PASSWD_UPPER_CASE : PASSWD_LOWER_CASE;
			}
		}
	}
	return PASSWD_DIGIT_SYMBOL;
}

/* Decodes the code point at s of UTF-8 that str_utf8_valid accepted. Returns its length. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (uint32_t)(s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
		      (uint32_t)(s[2] & 0x3F);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
	      (uint32_t)(s[2] & 0x3F) << 6 | (uint32_t)(s[3] & 0x3F);
	return 4;
}

int passwd_check(const char *username, const char *password, struct msg *why)
{
	size_t n = strlen(password), cps;
	int lower = 0, upper = 0, other = 0;

	if (!str_utf8_valid(password, n)) {
		msg_set(why, M_password_bad_chars);
		return -1;
	}
	cps = str_utf8_len(password, n);
	if (cps < PASSWD_MIN) {
		msg_set(why, M_password_too_short, MN("min", PASSWD_MIN));
		return -1;
	}
	if (cps > PASSWD_MAX) {
		msg_set(why, M_password_too_long, MN("max", PASSWD_MAX));
		return -1;
	}
	for (size_t i = 0; i < n;) {
		uint32_t cp;

		i += utf8_next((const unsigned char *)password + i, &cp);
		switch (passwd_class(cp)) {
		case PASSWD_LOWER_CASE:
			lower = 1;
			break;
		case PASSWD_UPPER_CASE:
			upper = 1;
			break;
		case PASSWD_DIGIT_SYMBOL:
			other = 1;
			break;
		case PASSWD_NO_CLASS:
			break;
		}
	}
	if (!lower || !upper || !other) {
		msg_set(why, M_password_classes);
		return -1;
	}
	if (username != NULL && strlen(username) >= 3 && contains_ci(password, username)) {
		msg_set(why, M_password_has_username);
		return -1;
	}
	return 0;
}
