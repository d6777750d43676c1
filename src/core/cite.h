/* cite.h - a preset's legal source as people write it. The presets write their sources short:
 * "001 Đ15.4c", "002 Đ7.1đ, Đ7.2b", "003 §1, §2", "TT 20/2017/TT-BTTTT Mẫu 03", several texts
 * separated by ';', a note in brackets at the end of one. cite_format turns them into the
 * sentence a person reads, with the documents the preset declares (preset.h, struct
 * preset_doc):
 *   "Điểm c khoản 4 Điều 15 Quy chế bảo đảm an toàn thông tin mạng ... huyện Tây Sơn (...)"
 *   "Article 15(4)(c) of the Regulation on network information security ... Tây Sơn district"
 * Pure: no I/O, no allocation but the caller's buffer. */
#ifndef UNGCUU_CITE_H
#define UNGCUU_CITE_H
#include <stddef.h>

#include "core/preset.h"
#include "util/buf.h"

/* The language of a citation. */
enum cite_lang { CITE_VI = 0, CITE_EN = 1 };

/* Longest citation of one source (bytes, NUL included) that cite_str writes. */
#define CITE_MAX 4096
/* cite_format's answer when a part was not understood and was copied as written. */
#define CITE_FALLBACK 1

/* Appends to out the citation of the source src ("001 Đ15.4c"; "" gives nothing) in language
 * lang, naming the documents of p (NULL: none known). Returns 0 when every part was read,
 * CITE_FALLBACK when some part (an unknown document, a locator it cannot read) was copied as
 * written, or a BUF_* error (< 0) when out is full. */
int cite_format(const struct preset *p, const char *src, enum cite_lang lang, struct buf *out);

/* cite_format into the caller's array out of n bytes (at least 1). Returns as cite_format;
 * on a full buffer out holds the source as written (cut to n). */
int cite_str(const struct preset *p, const char *src, enum cite_lang lang, char *out, size_t n);

/* Appends the name of the document d ("Quy chế ... ban hành kèm theo Quyết định số 2711/QĐ-UBND
 * ngày 17/11/2017 của UBND tỉnh Thừa Thiên Huế"), capitalised. Returns 0 or a BUF_* error. */
int cite_document(const struct preset_doc *d, enum cite_lang lang, struct buf *out);

#endif
