/* passwd_ucd.h - the table of Unicode classes behind the password policy: passwd_ucd.c, made by
 * scripts/passwd-ucd from the Unicode Character Database. Private to core/passwd.c. */
#ifndef UNGCUU_PASSWD_UCD_H
#define UNGCUU_PASSWD_UCD_H
#include <stddef.h>
#include <stdint.h>

enum passwd_ucd_kind {
	PASSWD_UCD_LOWER,    /* Ll */
	PASSWD_UCD_UPPER,    /* Lu, Lt */
	PASSWD_UCD_NOCASE,   /* Lm, Lo, M*: a letter without case or a mark on a letter */
	PASSWD_UCD_ALT_EVEN, /* upper and lower case alternate: upper on even code points */
	PASSWD_UCD_ALT_ODD,  /* the same, upper on odd code points */
};

/* Code points first..last, inclusive; rows sorted and disjoint. */
struct passwd_ucd_range {
	uint32_t first, last;
	enum passwd_ucd_kind kind;
};

extern const struct passwd_ucd_range passwd_ucd[];
extern const size_t passwd_ucd_len;

#endif
