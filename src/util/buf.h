/* buf.h - bounded growable byte buffer.
 * Every buffer has a hard cap set at init; growing past it fails with BUF_EFULL instead of
 * silently allocating more, so one client cannot make the server allocate without bound. */
#ifndef UNGCUU_BUF_H
#define UNGCUU_BUF_H
#include <stdarg.h>
#include <stddef.h>

#define BUF_OK 0
#define BUF_ENOMEM (-1)
#define BUF_EFULL (-2)

struct buf {
	char *p;     /* always NUL-terminated when non-NULL */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* hard cap on len */
};

/* Sets an empty buffer that may hold at most max bytes. Allocates nothing yet. */
void buf_init(struct buf *b, size_t max);
/* Appends n bytes. Returns BUF_OK, BUF_EFULL past the cap, BUF_ENOMEM. */
int buf_append(struct buf *b, const void *data, size_t n);
/* Appends a NUL-terminated string. Same returns as buf_append. */
int buf_puts(struct buf *b, const char *s);
/* Appends printf-formatted text. Same returns as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* va_list form of buf_printf. */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Frees the memory; the buffer may be reused after buf_init. */
void buf_free(struct buf *b);
/* Hands the bytes to the caller (who frees them with free()) and empties the buffer.
 * Returns an empty string (still to be freed) for an empty buffer, NULL on ENOMEM. */
char *buf_take(struct buf *b);

#endif
