/* passwd.h - the password policy of 001 Đ8 (DOMAIN.md, last section). */
#ifndef UNGCUU_PASSWD_H
#define UNGCUU_PASSWD_H
#include <stddef.h>

#define PASSWD_MIN 8
#define PASSWD_MAX 128

/* Checks a new password: 8..128 characters, lower case, upper case, and a digit or symbol, and
 * not containing the username. Returns 0 when acceptable; otherwise -1 and a static Vietnamese
 * message (with English after " / ") in *why. */
int passwd_check(const char *username, const char *password, const char **why);

#endif
