/* xlsx.c - the tables of a document of doc.h as an XLSX workbook (libxlsxwriter): one sheet per
 * table, headed by the document's title, the table's caption and reference; numbers are
 * numbers (summable in a spreadsheet), text wraps, the header row stays in view. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "doc.h"
#include "util/str.h"

#define SHEET_CHARS 31
#define SHEET_BYTES 128
#define MAX_SHEETS 64
#define FIRST_ROW 4 /* the header row; the title lines are above it */

struct formats {
	lxw_format *title, *caption, *small, *head, *text, *num, *text_total, *num_total;
};

/* A valid, unique sheet name: no []:*?/\, at most 31 characters, not taken (case-insensitive). */
static void sheet_name(const char *want, size_t index, char used[][SHEET_BYTES], size_t nused,
		       char out[SHEET_BYTES])
{
	size_t o = 0, chars = 0;

	for (const unsigned char *p = (const unsigned char *)want; *p && chars < SHEET_CHARS - 4;) {
		size_t len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;

		if (o + len + 1 > SHEET_BYTES - 8)
			break;
		if (strchr("[]:*?/\\'", *p) && len == 1)
			out[o++] = ' ';
		else
			for (size_t k = 0; k < len && p[k]; k++)
				out[o++] = (char)p[k];
		p += len;
		chars++;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, SHEET_BYTES, "Bảng %zu", index + 1);
	for (size_t i = 0; i < nused; i++)
		if (str_ieq(used[i], out)) {
			snprintf(out + o, SHEET_BYTES - o, " %zu", index + 1);
			break;
		}
}

static lxw_format *fmt(lxw_workbook *wb, bool bold, bool italic, double size, bool border,
		       bool wrap, const char *num, bool shade)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	if (italic)
		format_set_italic(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (wrap)
		format_set_text_wrap(f);
	if (num)
		format_set_num_format(f, num);
	if (shade) {
		format_set_bg_color(f, 0xE6E6E6);
		format_set_align(f, LXW_ALIGN_CENTER);
	}
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

static void formats_make(lxw_workbook *wb, struct formats *f)
{
	f->title = fmt(wb, true, false, 13, false, false, NULL, false);
	f->caption = fmt(wb, true, true, 11, false, false, NULL, false);
	f->small = fmt(wb, false, true, 10, false, false, NULL, false);
	f->head = fmt(wb, true, false, 11, true, true, NULL, true);
	f->text = fmt(wb, false, false, 11, true, true, NULL, false);
	f->num = fmt(wb, false, false, 11, true, false, "#,##0", false);
	f->text_total = fmt(wb, true, false, 11, true, true, NULL, false);
	f->num_total = fmt(wb, true, false, 11, true, false, "#,##0", false);
}

static lxw_error sheet(lxw_worksheet *ws, const struct rdoc_header *h, const struct rdoc_table *t,
		       const struct formats *f)
{
	size_t rows = rdoc_table_rows(t);
	double total = 0;
	char line[512];
	lxw_error rc;

	for (size_t c = 0; c < t->ncols; c++)
		total += t->width[c];
	for (size_t c = 0; c < t->ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 110.0 * t->width[c] / total, NULL);
	rc = worksheet_write_string(ws, 0, 0, h->title, f->title);
	if (rc == LXW_NO_ERROR && h->subtitle[0])
		rc = worksheet_write_string(ws, 1, 0, h->subtitle, f->caption);
	if (rc == LXW_NO_ERROR && t->title[0])
		rc = worksheet_write_string(ws, 2, 0, t->title, f->caption);
	snprintf(line, sizeof line, "%s · Mã văn bản %s · %s", h->issuer, h->ref, h->place_date);
	if (rc == LXW_NO_ERROR)
		rc = worksheet_write_string(ws, 3, 0, line, f->small);
	for (size_t c = 0; rc == LXW_NO_ERROR && c < t->ncols; c++)
		rc = worksheet_write_string(ws, FIRST_ROW, (lxw_col_t)c, t->head[c], f->head);
	for (size_t r = 0; rc == LXW_NO_ERROR && r < rows; r++) {
		bool bold = t->total && r + 1 == rows;
		lxw_row_t y = (lxw_row_t)(FIRST_ROW + 1 + r);

		for (size_t c = 0; rc == LXW_NO_ERROR && c < t->ncols; c++) {
			const struct rdoc_cell *cell = &t->cells[r * t->ncols + c];

			if (cell->is_num)
				rc = worksheet_write_number(ws, y, (lxw_col_t)c, cell->value,
							    bold ? f->num_total : f->num);
			else if (cell->text[0])
				rc = worksheet_write_string(ws, y, (lxw_col_t)c, cell->text,
							    bold ? f->text_total : f->text);
			else
				rc = worksheet_write_blank(ws, y, (lxw_col_t)c, f->text);
		}
	}
	if (rc == LXW_NO_ERROR && t->note && t->note[0])
		rc = worksheet_write_string(ws, (lxw_row_t)(FIRST_ROW + rows + 2), 0, t->note, f->small);
	worksheet_freeze_panes(ws, FIRST_ROW + 1, 0);
	return rc;
}

int rdoc_xlsx(const struct rdoc *d, const char *path)
{
	const struct rdoc_header *h = rdoc_get_header(d);
	lxw_doc_properties props = {.title = (char *)h->meta_title, .author = (char *)h->issuer,
				    .company = (char *)h->issuer, .comments = (char *)h->ref};
	char used[MAX_SHEETS][SHEET_BYTES];
	size_t nused = 0;
	struct formats f;
	lxw_workbook *wb;
	lxw_error rc = LXW_NO_ERROR;

	if (rdoc_error(d) != 0 || (wb = workbook_new(path)) == NULL)
		return -1;
	workbook_set_properties(wb, &props);
	formats_make(wb, &f);
	for (size_t i = 0; rc == LXW_NO_ERROR && i < rdoc_nblocks(d); i++) {
		const struct rdoc_block *b = rdoc_block_at(d, i);
		lxw_worksheet *ws;

		if (b->kind != RDOC_TABLE)
			continue;
		if (nused == MAX_SHEETS) {
			rc = LXW_ERROR_PARAMETER_VALIDATION;
			break;
		}
		sheet_name(b->table->sheet, nused, used, nused, used[nused]);
		ws = workbook_add_worksheet(wb, used[nused]);
		nused++;
		rc = ws ? sheet(ws, h, b->table, &f) : LXW_ERROR_PARAMETER_VALIDATION;
	}
	if (nused == 0 && rc == LXW_NO_ERROR)
		workbook_add_worksheet(wb, NULL); /* a workbook needs a sheet */
	if (workbook_close(wb) != LXW_NO_ERROR)
		return -1;
	return rc == LXW_NO_ERROR ? 0 : -1;
}

int rdoc_xlsx_buf(const struct rdoc *d, const char *tmpdir, struct buf *out)
{
	char path[1200], chunk[16384];
	FILE *f = NULL;
	int fd, rc = -1;
	size_t n;

	if (snprintf(path, sizeof path, "%s/xlsx-XXXXXX", tmpdir) >= (int)sizeof path ||
	    (fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	if (rdoc_xlsx(d, path) != 0 || (f = fopen(path, "rb")) == NULL)
		goto out;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(out, chunk, n) != BUF_OK)
			goto out;
	rc = ferror(f) ? -1 : 0;
out:
	if (f)
		fclose(f);
	unlink(path);
	return rc;
}
