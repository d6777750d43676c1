/* passwd.h - the password policy of 001 Đ8 (DOMAIN.md, last section). */
#ifndef UNGCUU_PASSWD_H
#define UNGCUU_PASSWD_H
#include <stddef.h>
#include <stdint.h>

#include "util/msg.h"

#define PASSWD_MIN 8
#define PASSWD_MAX 128

/* The classes the policy counts, by the code point's Unicode General Category: a letter with
 * diacritics is a letter of its case (ạ, đ, ư lower; Ả, Đ, Ơ upper). */
enum passwd_class {
	PASSWD_DIGIT_SYMBOL, /* N*, P*, S*, Z*, C*: digits, punctuation, symbols, spaces */
	PASSWD_LOWER_CASE,   /* Ll */
	PASSWD_UPPER_CASE,   /* Lu and Lt */
	PASSWD_NO_CLASS,     /* Lm, Lo (letters without case) and M* (combining marks, so a
			      * password written in decomposed form gains no symbol) */
};

/* The class of code point cp (a table made from the Unicode Character Database, no locale). */
enum passwd_class passwd_class(uint32_t cp);

/* Checks a new password: 8..128 characters (code points), a lower-case letter, an upper-case
 * letter, and a digit or symbol (passwd_class), and not containing the username. Returns 0 when
 * acceptable; otherwise -1 with the reason bound in *why (the catalogue's message, util/msg.h;
 * the caller renders it, nothing to free). */
int passwd_check(const char *username, const char *password, struct msg *why);

#endif
