/* fold.h - Vietnamese-aware folding for search: lower case, diacritics removed, đ/Đ -> d.
 * "Sự cố đăng nhập" folds to "su co dang nhap", so a search typed without diacritics finds text
 * written with them. Used both when indexing and when querying. */
#ifndef UNGCUU_FOLD_H
#define UNGCUU_FOLD_H
#include <stddef.h>
#include "buf.h"

/* Appends the folded form of UTF-8 text s (n bytes) to out. Letters of Latin-1 Supplement,
 * Latin Extended-A/B and Latin Extended Additional (all Vietnamese letters) map to their ASCII
 * base letter in lower case; combining marks U+0300-U+036F are dropped; ASCII is lower-cased;
 * other code points are copied unchanged; invalid UTF-8 bytes become '?'.
 * Returns BUF_OK or the buf_append error. */
int fold_text(struct buf *out, const char *s, size_t n);

#endif
