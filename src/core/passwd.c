/* passwd.c - password policy. */
#include "passwd.h"

#include <string.h>

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

int passwd_check(const char *username, const char *password, const char **why)
{
	size_t n = strlen(password), cps;
	int lower = 0, upper = 0, other = 0;

	if (!str_utf8_valid(password, n)) {
		*why = "Mật khẩu chứa ký tự không hợp lệ / password has invalid characters";
		return -1;
	}
	cps = str_utf8_len(password, n);
	if (cps < PASSWD_MIN) {
		*why = "Mật khẩu phải có ít nhất 8 ký tự / password must have at least 8 characters";
		return -1;
	}
	if (cps > PASSWD_MAX) {
		*why = "Mật khẩu dài quá 128 ký tự / password longer than 128 characters";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)password[i];

		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else
			other = 1;
	}
	if (!lower || !upper || !other) {
		*why = "Mật khẩu phải có chữ thường, chữ hoa và chữ số hoặc ký tự đặc biệt / "
		       "password needs lower case, upper case and a digit or symbol";
		return -1;
	}
	if (username != NULL && strlen(username) >= 3 && contains_ci(password, username)) {
		*why = "Mật khẩu không được chứa tên đăng nhập / password must not contain the username";
		return -1;
	}
	return 0;
}
