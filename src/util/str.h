/* str.h - bounded string and number helpers; the only way the code parses numbers. */
#ifndef UNGCUU_STR_H
#define UNGCUU_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst of size dstsz, always NUL-terminating. Returns 0, or -1 if src did not fit
 * (dst then holds the truncated prefix, cut on a UTF-8 boundary). */
int str_copy(char *dst, size_t dstsz, const char *src);
/* Parses a whole decimal integer in [min,max] (no sign for min >= 0, no spaces, no trailing text).
 * Returns 0 and sets *out, or -1. */
int str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Same for a string of n bytes (need not be NUL-terminated). */
int str_to_i64n(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);
/* True if s is valid UTF-8 with no NUL and no control characters other than \t \n \r. */
bool str_utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s. */
size_t str_utf8_len(const char *s, size_t n);
/* Lower-case hex of n bytes into out (size >= 2n+1). */
void str_hex(char *out, const unsigned char *in, size_t n);
/* Case-insensitive ASCII compare of NUL-terminated strings; returns true when equal. */
bool str_ieq(const char *a, const char *b);
/* True if s starts with prefix. */
bool str_starts(const char *s, const char *prefix);
/* True if s ends with suffix. */
bool str_ends(const char *s, const char *suffix);

#endif
