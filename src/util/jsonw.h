/* jsonw.h - JSON text written straight into a bounded buffer, value by value, without building a
 * tree first. The API's answers are written with it: from jansson trees (http_json_write), and,
 * for the answers asked for most (GET /api/v1/incidents/{id}), from the database rows themselves.
 * The text is the one jansson's compact dump makes (JSON_COMPACT, UTF-8 left as it is, "\u001F"
 * for control characters, reals as "%.17g"), so both ways give the same bytes.
 *
 * The writer puts the commas and remembers what is open; a mistake (a value where a key belongs,
 * a close without an open, too deep, the buffer's cap) sets an error that jsonw_end returns. */
#ifndef UNGCUU_JSONW_H
#define UNGCUU_JSONW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JSONW_CHUNK 4096   /* staged on the writer, appended to the buffer in large pieces */
#define JSONW_MAX_DEPTH 64 /* our answers are a few levels deep */

struct jsonw {
	struct buf *b;
	size_t n;    /* bytes staged in chunk */
	int err;
	int depth;
	bool in_object[JSONW_MAX_DEPTH + 1]; /* per open level: an object (keys) or an array */
	bool has_items[JSONW_MAX_DEPTH + 1]; /* per open level: the next item needs a comma */
	bool after_key;                      /* a key was written: its value comes next */
	char chunk[JSONW_CHUNK];
};

/* Starts writing at the end of b (which keeps what it holds). Allocates nothing. */
void jsonw_init(struct jsonw *w, struct buf *b);
/* Appends what is staged. Returns 0, or -1 if anything failed or a level is still open; the
 * buffer then holds a partial text the caller discards. */
int jsonw_end(struct jsonw *w);

/* Opens an object / an array, as a value (after a key, in an array, or at the top). */
void jsonw_object(struct jsonw *w);
void jsonw_array(struct jsonw *w);
/* Closes the innermost open object or array. */
void jsonw_close(struct jsonw *w);
/* The key of the next member of the open object: n bytes of valid UTF-8. */
void jsonw_key(struct jsonw *w, const char *key, size_t n);
/* jsonw_key for a NUL-terminated key. */
void jsonw_keyz(struct jsonw *w, const char *key);

/* Values. Strings must be valid UTF-8 (the caller checks what it did not make itself). */
void jsonw_string(struct jsonw *w, const char *s, size_t n);
/* jsonw_string for a NUL-terminated string. */
void jsonw_stringz(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_real(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* A Unix time as ISO 8601 UTC ("2026-11-21T01:30:00Z"); 0, and a time out of range, as null. */
void jsonw_time(struct jsonw *w, int64_t t);
/* A value that already is JSON text (the caller vouches that it is one valid value). */
void jsonw_raw(struct jsonw *w, const char *json, size_t n);

/* A member with a NUL-terminated string value, and one with a Unix time written as ISO 8601 UTC
 * (0 -> null), the two kinds most members of our answers are. */
void jsonw_member_text(struct jsonw *w, const char *key, const char *s);
void jsonw_member_time(struct jsonw *w, const char *key, int64_t t);

#endif
