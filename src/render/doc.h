/* doc.h - an official document as plain data, and its three outputs.
 *
 * A document is the administrative header of a Vietnamese state document (issuing body on the
 * left with its number, the national motto on the right, place and date in words, title), then a
 * flow of blocks: headings, paragraphs, "label: value" fields, tables, charts and the signature
 * block; every page carries the document's reference and where to verify it. The same model is
 * written as PDF (render/pdf.c: A4, Noto Serif through pango, page numbers, page breaks), as
 * XLSX (render/xlsx.c: one sheet per table) and as CSV (one table, UTF-8 with BOM).
 *
 * Every string handed in is copied into the document's arena (capped: RDOC_ARENA_MAX), so the
 * caller may free its own at once. Builders keep the first error (sticky, like ferror): call
 * them in a row and check rdoc_error once. Takes plain data only, never a database handle. */
#ifndef UNGCUU_RENDER_DOC_H
#define UNGCUU_RENDER_DOC_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/chart.h"
#include "util/buf.h"

#define RDOC_MAX_COLS 12
#define RDOC_MAX_ROWS 50000          /* rows of one table */
#define RDOC_MAX_BLOCKS 20000
#define RDOC_ARENA_MAX (32u << 20)   /* bytes of copied text per document */
#define RDOC_REF_MAX 16              /* "TL-7KQ2M9XD4P" + NUL */
#define RDOC_SHA256_HEX 65

/* Paragraph styles (bits). */
#define RDOC_BOLD 1u
#define RDOC_ITALIC 2u
#define RDOC_CENTER 4u
#define RDOC_SMALL 8u   /* notes under tables */
#define RDOC_INDENT 16u /* first line indented, as body text of administrative documents */
#define RDOC_RIGHT 32u

enum rdoc_kind { RDOC_HEADING, RDOC_PARA, RDOC_FIELD, RDOC_TABLE, RDOC_CHART, RDOC_SIGNATURE };

struct rdoc_cell {
	const char *text;  /* as printed ("12.500.000") */
	double value;      /* numbers: the value, for XLSX and CSV */
	bool is_num;
};

struct rdoc_table {
	const char *sheet;                 /* XLSX sheet name (cut to 31 characters) */
	const char *title;                 /* caption above the table, may be "" */
	size_t ncols;
	const char *head[RDOC_MAX_COLS];
	double width[RDOC_MAX_COLS];       /* relative column widths */
	size_t ncells, cap;                /* cells filled row by row */
	struct rdoc_cell *cells;
	bool total;                        /* the last row is a total: bold */
	bool compact;                      /* many columns: a smaller face in the PDF */
	const char *note;                  /* printed under the table, may be NULL */
};

/* The signature block: "Nơi nhận" on the left, the signer on the right. */
struct rdoc_sign {
	const char *recipients; /* lines separated by '\n' ("- Như trên;\n- Lưu: VT."), may be "" */
	const char *position;   /* "NGƯỜI BÁO CÁO" (upper case) */
	const char *note;       /* "(Ký, ghi rõ họ tên, đóng dấu)" */
	const char *name;       /* may be "" (signed by hand) */
};

struct rdoc_block {
	enum rdoc_kind kind;
	unsigned style;
	const char *text;          /* heading, paragraph; a field's value ("" = to fill by hand) */
	const char *label;         /* a field's label */
	struct rdoc_table *table;
	struct chart_bars *chart;
	double height;             /* charts: points */
	struct rdoc_sign sign;
};

/* The header of the first page and what every page carries. */
struct rdoc_header {
	const char *superior;    /* the issuing body's superior, upper case (may be "") */
	const char *issuer;      /* the issuing body, upper case */
	const char *number;      /* printed as "Số: <number>" */
	const char *place_date;  /* "Bình Minh, ngày 17 tháng 11 năm 2026" */
	const char *title;       /* upper case */
	const char *subtitle;    /* may be "" */
	const char *recipient;   /* printed as "Kính gửi: <recipient>", may be "" */
	const char *tlp;         /* "TLP:AMBER" on every page, may be "" */
	const char *ref;         /* the document's reference (documents.ref) */
	const char *verify;      /* where to check it: "/api/v1/documents/verify" */
	const char *meta_title;  /* PDF and XLSX properties */
};

struct rdoc; /* opaque */

/* A new empty document. Returns 0 and *out (free with rdoc_free), or -1 (out of memory). */
int rdoc_new(struct rdoc **out);
/* Frees a document and everything copied into it. NULL is fine. */
void rdoc_free(struct rdoc *d);
/* The first error of the builders below since rdoc_new: 0, or -1 (out of memory, a cap). */
int rdoc_error(const struct rdoc *d);

/* Copies s (NULL = "") into the arena. Returns the copy (valid until rdoc_free), or "" after an
 * error. */
const char *rdoc_str(struct rdoc *d, const char *s);
/* printf into the arena. Same returns as rdoc_str. */
const char *rdoc_fmt(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the header (strings copied). Returns 0 or -1. */
int rdoc_set_header(struct rdoc *d, const struct rdoc_header *h);
/* The header as set (strings owned by the document). */
const struct rdoc_header *rdoc_get_header(const struct rdoc *d);

/* Appends blocks; each returns 0 or -1. */
int rdoc_heading(struct rdoc *d, const char *text);
int rdoc_para(struct rdoc *d, const char *text, unsigned style);
/* "label: value"; an empty value leaves a dotted line to fill by hand. */
int rdoc_field(struct rdoc *d, const char *label, const char *value);
/* A chart (copied) of the given height in points, full content width. */
int rdoc_chart(struct rdoc *d, const struct chart_bars *c, double height);
int rdoc_signature(struct rdoc *d, const struct rdoc_sign *s);
/* A table with ncols columns (<= RDOC_MAX_COLS): head[i] names, width[i] relative widths.
 * Returns it (owned by the document) for the cell calls below, or NULL after an error. */
struct rdoc_table *rdoc_table(struct rdoc *d, const char *sheet, const char *title, size_t ncols,
			      const char *const *head, const double *width);
/* Appends the next cell, row by row: text, or an integer printed with '.' thousands. */
int rdoc_cell(struct rdoc *d, struct rdoc_table *t, const char *text);
int rdoc_cell_int(struct rdoc *d, struct rdoc_table *t, int64_t v);
/* Sets the note printed under the table (copied). */
int rdoc_table_note(struct rdoc *d, struct rdoc_table *t, const char *note);

/* The blocks, in order, for the writers. */
size_t rdoc_nblocks(const struct rdoc *d);
const struct rdoc_block *rdoc_block_at(const struct rdoc *d, size_t i);
/* Rows of a table (complete rows only). */
size_t rdoc_table_rows(const struct rdoc_table *t);

/* Writes the document as PDF (A4) into out (appended). Returns 0, or -1 (cairo error, out over
 * its cap). */
int rdoc_pdf(const struct rdoc *d, struct buf *out);
/* Writes every table of the document as one sheet of an XLSX workbook at path (the file is
 * created or replaced). Returns 0 or -1. */
int rdoc_xlsx(const struct rdoc *d, const char *path);
/* rdoc_xlsx through a temporary file in tmpdir, read back into out (appended) and removed.
 * Returns 0 or -1. */
int rdoc_xlsx_buf(const struct rdoc *d, const char *tmpdir, struct buf *out);
/* Writes one table as CSV (RFC 4180, CRLF) in UTF-8 with a byte-order mark, numbers plain.
 * Returns 0 or -1 (out over its cap). */
int rdoc_csv(const struct rdoc_table *t, struct buf *out);
/* The first table of the document, or NULL. */
const struct rdoc_table *rdoc_first_table(const struct rdoc *d);

/* Lower-case hex SHA-256 of n bytes into out. */
void rdoc_sha256_hex(const void *data, size_t n, char out[RDOC_SHA256_HEX]);
/* A new random document reference "TL-" + 10 characters of Crockford base32 (no I, L, O, U). */
void rdoc_new_ref(char out[RDOC_REF_MAX]);
/* Upper-cases UTF-8 text with Vietnamese letters ("Sở Tài chính" -> "SỞ TÀI CHÍNH") into the
 * arena. Same returns as rdoc_str. */
const char *rdoc_upper(struct rdoc *d, const char *s);
/* An integer with '.' as thousands separator ("12.500.000") into out (size >= 32). */
void rdoc_int_text(int64_t v, char *out, size_t outsz);

#endif
