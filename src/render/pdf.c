/* pdf.c - a document of doc.h as an A4 PDF with cairo and pango, laid out as a Vietnamese
 * administrative document (Nghị định 30/2020/NĐ-CP on the form of state documents): margins
 * 20 mm top and bottom, 30 mm left, 15 mm right; the issuing body and its number on the left,
 * the national motto with its rule on the right, place and date in italics; page numbers centred
 * in the top margin from page 2; a serif face that covers Vietnamese (Noto Serif), shaped and
 * broken into lines by pango.
 *
 * The document is laid out twice: a dry pass that only measures (it counts the pages, so each
 * page can say "Trang 2/5"), then the pass that draws. Lines of a paragraph flow onto the next
 * page one by one; table rows move whole, with the header row repeated; charts, headings (with
 * the start of what follows) and the signature block are kept together. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define M_LEFT (30 * MM)
#define M_RIGHT (15 * MM)
#define M_TOP (20 * MM)
#define M_BOTTOM (22 * MM)
#define CONTENT_W (PAGE_W - M_LEFT - M_RIGHT)
#define BOTTOM (PAGE_H - M_BOTTOM)
#define FACE "Noto Serif"
#define BODY 12.5   /* points: close to 13-14 pt Times New Roman, Noto Serif being wider */
#define TABLE 10.0
#define PAD 3.0     /* cell padding */

struct pdf {
	cairo_t *cr;
	PangoContext *pc;
	const struct rdoc *d;
	const struct rdoc_header *h;
	bool dry;     /* measure only: nothing is drawn, pages are counted */
	int page;     /* 1-based, the page being filled */
	int pages;    /* total, known in the drawing pass */
	double y;     /* top of the next line */
	size_t cur;   /* the block being laid out */
	size_t force_break; /* 1 + the block that starts a new page (widow control), or 0 */
	size_t sig_broke;   /* 1 + the signature block when it did not fit on its page, or 0 */
};

static double pu(int v)
{
	return (double)v / PANGO_SCALE;
}

/* A layout of text (pango markup when markup) in FACE at size points, wrapped to width. */
static PangoLayout *mk(struct pdf *p, const char *text, bool markup, double size, unsigned style,
		       double width)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, FACE);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, style & RDOC_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, style & RDOC_ITALIC ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (style & RDOC_CENTER)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	else if (style & RDOC_RIGHT)
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	if (markup)
		pango_layout_set_markup(l, text, -1);
	else
		pango_layout_set_text(l, text, -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return pu(h);
}

/* ---- pages ---- */

static void text_at(struct pdf *p, const char *s, double size, unsigned style, double x, double y,
		    double width)
{
	PangoLayout *l = mk(p, s, false, size, style, width);

	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* The TLP label in the top right corner: coloured text on black (FIRST TLP 2.0). */
static void tlp_mark(struct pdf *p)
{
	const char *t = p->h->tlp;
	double r = 1, g = 1, b = 1, w;
	PangoLayout *l;

	if (t[0] == '\0')
		return;
	if (strstr(t, "RED"))
		r = 1, g = 0.17, b = 0.17;
	else if (strstr(t, "AMBER"))
		r = 1, g = 0.75, b = 0;
	else if (strstr(t, "GREEN"))
		r = 0.2, g = 1, b = 0;
	l = mk(p, t, false, 9, RDOC_BOLD, PAGE_W);
	w = 0;
	{
		PangoRectangle ink, log;

		pango_layout_get_extents(l, &ink, &log);
		w = pu(log.width);
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_rectangle(p->cr, PAGE_W - M_RIGHT - w - 8, 24, w + 8, height_of(l) + 2);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, r, g, b);
	cairo_move_to(p->cr, PAGE_W - M_RIGHT - w - 4, 25);
	pango_cairo_show_layout(p->cr, l);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	g_object_unref(l);
}

/* What every page carries: the TLP label, the page number centred in the top margin from page 2
 * (NĐ 30/2020), and a footer with the document's reference and where to check it. */
static void furniture(struct pdf *p)
{
	char num[16], foot[512];

	tlp_mark(p);
	if (p->page > 1) {
		snprintf(num, sizeof num, "%d", p->page);
		text_at(p, num, BODY, RDOC_CENTER, M_LEFT, 30, CONTENT_W);
	}
	cairo_set_source_rgb(p->cr, 0.45, 0.45, 0.45);
	cairo_set_line_width(p->cr, 0.4);
	cairo_move_to(p->cr, M_LEFT, BOTTOM + 16);
	cairo_line_to(p->cr, PAGE_W - M_RIGHT, BOTTOM + 16);
	cairo_stroke(p->cr);
	snprintf(foot, sizeof foot, "Mã văn bản %s · Kiểm tra tại %s · Trang %d/%d", p->h->ref,
		 p->h->verify, p->page, p->pages);
	text_at(p, foot, 8, RDOC_CENTER, M_LEFT, BOTTOM + 19, CONTENT_W);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void begin_page(struct pdf *p)
{
	p->page++;
	p->y = M_TOP;
	if (!p->dry)
		furniture(p);
}

static void next_page(struct pdf *p)
{
	if (!p->dry)
		cairo_show_page(p->cr);
	begin_page(p);
}

/* Starts a new page unless h more points fit on this one (or the page is still empty). */
static void ensure(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > M_TOP + 1)
		next_page(p);
}

/* Draws a layout line by line from p->y at x, moving to the next page between lines when the
 * page is full. gap: extra space between lines. */
static void flow(struct pdf *p, PangoLayout *l, double x, double gap)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);

	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle lr;
		double h, base;

		pango_layout_iter_get_line_extents(it, NULL, &lr);
		h = pu(lr.height);
		base = pu(pango_layout_iter_get_baseline(it) - lr.y);
		ensure(p, h);
		if (!p->dry) {
			cairo_move_to(p->cr, x + pu(lr.x), p->y + base);
			pango_cairo_show_layout_line(p->cr, line);
		}
		p->y += h + gap;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* Draws l at (x, y) unless dry; returns its height. */
static double put(struct pdf *p, PangoLayout *l, double x, double y)
{
	if (!p->dry) {
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	return height_of(l);
}

/* A horizontal rule centred on cx. */
static void rule(struct pdf *p, double cx, double y, double w)
{
	if (p->dry)
		return;
	cairo_set_line_width(p->cr, 0.7);
	cairo_move_to(p->cr, cx - w / 2, y);
	cairo_line_to(p->cr, cx + w / 2, y);
	cairo_stroke(p->cr);
}

/* Ink width of a one-line layout. */
static double line_width(PangoLayout *l)
{
	PangoRectangle ink, log;

	pango_layout_get_extents(l, &ink, &log);
	return pu(log.width);
}

/* The largest size from max down to max - 1.5 at which s fits on one line of width w; at the
 * smallest it wraps. */
static PangoLayout *fitted(struct pdf *p, const char *s, double max, unsigned style, double w)
{
	PangoLayout *l = NULL;

	for (double size = max; size >= max - 1.5; size -= 0.5) {
		if (l)
			g_object_unref(l);
		l = mk(p, s, false, size, style, w);
		if (pango_layout_get_line_count(l) == 1)
			break;
	}
	return l;
}

/* ---- the first page's header: issuing body | national motto, then the title ---- */

static void header(struct pdf *p)
{
	const struct rdoc_header *h = p->h;
	double lw = CONTENT_W * 0.42, rw = CONTENT_W - lw + 8, lx = M_LEFT - 10, rx = M_LEFT + lw;
	double ly = M_TOP, ry = M_TOP, y;
	PangoLayout *l;
	char *num;

	if (h->superior[0]) {
		l = fitted(p, h->superior, 11.5, RDOC_CENTER, lw + 10);
		ly += put(p, l, lx, ly);
		g_object_unref(l);
	}
	l = fitted(p, h->issuer[0] ? h->issuer : " ", 11.5, RDOC_CENTER | RDOC_BOLD, lw + 10);
	ly += put(p, l, lx, ly);
	{
		int lines = pango_layout_get_line_count(l);
		PangoRectangle lr;

		pango_layout_line_get_extents(pango_layout_get_line_readonly(l, lines - 1), NULL, &lr);
		rule(p, lx + (lw + 10) / 2, ly + 2, fmin(pu(lr.width) * 0.5, lw * 0.6));
	}
	g_object_unref(l);
	ly += 6;

	l = fitted(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, RDOC_CENTER | RDOC_BOLD, rw);
	ry += put(p, l, rx, ry);
	g_object_unref(l);
	l = mk(p, "Độc lập - Tự do - Hạnh phúc", false, 12.5, RDOC_CENTER | RDOC_BOLD, rw);
	{
		/* the motto is underlined by a rule as long as itself (NĐ 30/2020, Phụ lục I) */
		PangoAttrList *al = pango_attr_list_new();

		pango_attr_list_insert(al, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
	}
	ry += put(p, l, rx, ry);
	g_object_unref(l);
	ry += 6;

	/* the number and the place-date line share a line */
	y = fmax(ly, ry) + 2;
	num = g_markup_printf_escaped("Số: %s", h->number);
	l = mk(p, num, true, BODY, RDOC_CENTER, lw + 10);
	ly = y + put(p, l, lx, y);
	g_object_unref(l);
	g_free(num);
	l = mk(p, h->place_date, false, BODY, RDOC_CENTER | RDOC_ITALIC, rw);
	ry = y + put(p, l, rx, y);
	g_object_unref(l);
	p->y = fmax(ly, ry) + 20;

	l = fitted(p, h->title, 14, RDOC_CENTER | RDOC_BOLD, CONTENT_W);
	flow(p, l, M_LEFT, 1);
	g_object_unref(l);
	if (h->subtitle[0]) {
		l = mk(p, h->subtitle, false, BODY, RDOC_CENTER | RDOC_BOLD, CONTENT_W);
		flow(p, l, M_LEFT, 1);
		g_object_unref(l);
	}
	if (h->recipient[0]) {
		char *m = g_markup_printf_escaped("Kính gửi: %s", h->recipient);

		p->y += 8;
		l = mk(p, m, true, BODY, RDOC_CENTER, CONTENT_W);
		flow(p, l, M_LEFT, 1);
		g_object_unref(l);
		g_free(m);
	}
	p->y += 12;
}

/* ---- blocks ---- */

/* A heading stays with the start of what follows: two lines of text, a table's caption, header
 * and first rows, or a whole chart. */
static void heading(struct pdf *p, const struct rdoc_block *b, const struct rdoc_block *next)
{
	PangoLayout *l = mk(p, b->text, false, BODY, RDOC_BOLD, CONTENT_W);
	double keep = 3 * BODY;

	if (next && next->kind == RDOC_TABLE)
		keep = (next->table->title[0] ? 20 : 0) + 90;
	else if (next && next->kind == RDOC_CHART)
		keep = next->height + 14;
	p->y += 6;
	ensure(p, height_of(l) + keep);
	flow(p, l, M_LEFT, 1);
	p->y += 3;
	g_object_unref(l);
}

static void para(struct pdf *p, const struct rdoc_block *b)
{
	double size = b->style & RDOC_SMALL ? 10 : BODY;
	PangoLayout *l = mk(p, b->text, false, size, b->style, CONTENT_W);

	if (b->style & RDOC_INDENT) {
		pango_layout_set_indent(l, (int)(10 * MM * PANGO_SCALE));
		pango_layout_set_justify(l, TRUE);
	}
	flow(p, l, M_LEFT, 1.5);
	p->y += 3;
	g_object_unref(l);
}

/* "label: value", wrapped with a hanging indent; an empty value becomes a dotted line to the
 * end of the line, to be filled by hand. */
static void field(struct pdf *p, const struct rdoc_block *b)
{
	const double hang = 6 * MM;
	PangoLayout *l;
	char *m;

	if (b->text[0]) {
		m = g_markup_printf_escaped("%s: %s", b->label, b->text);
	} else {
		PangoLayout *probe, *dot;
		PangoRectangle lr;
		double used, dw, avail;
		char dots[256];
		bool newline;
		size_t n;

		m = g_markup_printf_escaped("%s: ", b->label);
		probe = mk(p, m, true, BODY, 0, CONTENT_W);
		g_free(m);
		pango_layout_set_indent(probe, (int)(-hang * PANGO_SCALE));
		pango_layout_line_get_extents(
			pango_layout_get_line_readonly(probe, pango_layout_get_line_count(probe) - 1),
			NULL, &lr);
		used = pu(lr.width) + (pango_layout_get_line_count(probe) > 1 ? hang : 0);
		dot = mk(p, "..........", false, BODY, 0, CONTENT_W);
		dw = fmax(line_width(dot) / 10, 1);
		avail = CONTENT_W - used;
		newline = avail / dw < 12;
		n = (size_t)fmax(0, floor((newline ? CONTENT_W - hang : avail) / dw) - 2);
		if (n >= sizeof dots)
			n = sizeof dots - 1;
		memset(dots, '.', n);
		dots[n] = '\0';
		m = g_markup_printf_escaped("%s: %s%s", b->label, newline ? "\n" : "", dots);
		g_object_unref(probe);
		g_object_unref(dot);
	}
	l = mk(p, m, true, BODY, 0, CONTENT_W);
	pango_layout_set_indent(l, (int)(-hang * PANGO_SCALE));
	g_free(m);
	flow(p, l, M_LEFT, 1.5);
	p->y += 2.5;
	g_object_unref(l);
}

/* One table row: cells wrapped in their columns; header cells bold, centred, shaded. align[c]
 * is the style bit of column c (RDOC_RIGHT for figures, RDOC_CENTER for ordinals). Returns its
 * height; draws unless measure_only or dry. */
static double row(struct pdf *p, const struct rdoc_table *t, const double *x,
		  const char *const *text, const unsigned *align, bool head, bool bold,
		  bool measure_only)
{
	PangoLayout *cell[RDOC_MAX_COLS];
	double h = 0, size = t->compact ? TABLE - 1 : TABLE;

	for (size_t c = 0; c < t->ncols; c++) {
		unsigned style = head ? RDOC_BOLD | RDOC_CENTER : bold ? RDOC_BOLD : 0;

		if (!head)
			style |= align[c];
		cell[c] = mk(p, text[c], false, size, style, x[c + 1] - x[c] - 2 * PAD);
		h = fmax(h, height_of(cell[c]));
	}
	h += 2 * PAD;
	if (!measure_only && !p->dry) {
		cairo_set_line_width(p->cr, 0.6);
		for (size_t c = 0; c < t->ncols; c++) {
			double cy = p->y + PAD;

			if (head) {
				cairo_set_source_rgb(p->cr, 0.9, 0.9, 0.9);
				cairo_rectangle(p->cr, x[c], p->y, x[c + 1] - x[c], h);
				cairo_fill(p->cr);
				cairo_set_source_rgb(p->cr, 0, 0, 0);
				cy = p->y + (h - height_of(cell[c])) / 2; /* header text centred vertically */
			}
			cairo_rectangle(p->cr, x[c], p->y, x[c + 1] - x[c], h);
			cairo_stroke(p->cr);
			cairo_move_to(p->cr, x[c] + PAD, cy);
			pango_cairo_show_layout(p->cr, cell[c]);
		}
	}
	for (size_t c = 0; c < t->ncols; c++)
		g_object_unref(cell[c]);
	return h;
}

/* Figures and percentages right, ordinals ("1", "2"...) centred, text left. */
static void alignments(const struct rdoc_table *t, unsigned *align)
{
	size_t rows = rdoc_table_rows(t);

	for (size_t c = 0; c < t->ncols; c++) {
		bool figures = rows > 0, ordinals = rows > 0;

		for (size_t r = 0; r < rows; r++) {
			const struct rdoc_cell *cell = &t->cells[r * t->ncols + c];
			size_t n = strlen(cell->text);

			if (n == 0)
				continue;
			if (!cell->is_num && cell->text[n - 1] != '%')
				figures = false;
			if (cell->is_num || n > 4 || strspn(cell->text, "0123456789") != n)
				ordinals = false;
		}
		align[c] = figures ? RDOC_RIGHT : ordinals ? RDOC_CENTER : 0;
	}
}

static void table(struct pdf *p, const struct rdoc_table *t)
{
	double x[RDOC_MAX_COLS + 1], total = 0, hh;
	const char *text[RDOC_MAX_COLS];
	unsigned num[RDOC_MAX_COLS];
	size_t rows = rdoc_table_rows(t);

	for (size_t c = 0; c < t->ncols; c++)
		total += t->width[c];
	x[0] = M_LEFT;
	for (size_t c = 0; c < t->ncols; c++)
		x[c + 1] = x[c] + CONTENT_W * t->width[c] / total;
	alignments(t, num);
	hh = row(p, t, x, t->head, num, true, false, true);
	if (t->title[0]) {
		PangoLayout *l = mk(p, t->title, false, 11, RDOC_BOLD | RDOC_ITALIC | RDOC_CENTER,
				    CONTENT_W);

		p->y += 4;
		ensure(p, height_of(l) + hh + 2 * TABLE + 4 * PAD);
		flow(p, l, M_LEFT, 1);
		p->y += 3;
		g_object_unref(l);
	}
	ensure(p, hh + 2 * TABLE + 4 * PAD);
	p->y += row(p, t, x, t->head, num, true, false, false);
	for (size_t r = 0; r < rows; r++) {
		const struct rdoc_cell *cells = &t->cells[r * t->ncols];
		bool bold = t->total && r + 1 == rows;
		double h;

		for (size_t c = 0; c < t->ncols; c++)
			text[c] = cells[c].text;
		h = row(p, t, x, text, num, false, bold, true);
		if (p->y + h > BOTTOM && p->y > M_TOP + hh + 1) {
			next_page(p);
			p->y += row(p, t, x, t->head, num, true, false, false);
		}
		p->y += row(p, t, x, text, num, false, bold, false);
	}
	p->y += 4;
	if (t->note && t->note[0]) {
		PangoLayout *l = mk(p, t->note, false, 10, RDOC_ITALIC, CONTENT_W);

		pango_layout_set_justify(l, TRUE);
		flow(p, l, M_LEFT, 1);
		g_object_unref(l);
	}
	p->y += 6;
}

static void chart(struct pdf *p, const struct rdoc_block *b)
{
	ensure(p, b->height + 6);
	if (!p->dry) {
		cairo_save(p->cr);
		cairo_translate(p->cr, M_LEFT, p->y);
		chart_bars_draw(p->cr, b->chart, CONTENT_W, b->height);
		cairo_restore(p->cr);
	}
	p->y += b->height + 8;
}

/* "Nơi nhận" on the left, the signer on the right: position, the note in italics, room for the
 * signature and seal, the name. Kept on one page. */
static void signature(struct pdf *p, const struct rdoc_block *b)
{
	double lw = CONTENT_W * 0.45, rw = CONTENT_W - lw, rx = M_LEFT + lw, lh = 0, rh = 0, y;
	PangoLayout *pos = mk(p, b->sign.position, false, BODY, RDOC_BOLD | RDOC_CENTER, rw);
	PangoLayout *note = mk(p, b->sign.note, false, 11.5, RDOC_ITALIC | RDOC_CENTER, rw);
	PangoLayout *name = mk(p, b->sign.name, false, BODY, RDOC_BOLD | RDOC_CENTER, rw);
	PangoLayout *to_head = NULL, *to = NULL;
	const double room = 72; /* signature and seal */

	if (b->sign.recipients[0]) {
		to_head = mk(p, "Nơi nhận:", false, 11.5, RDOC_BOLD | RDOC_ITALIC, lw);
		to = mk(p, b->sign.recipients, false, 10.5, 0, lw);
		lh = height_of(to_head) + height_of(to);
	}
	rh = height_of(pos) + height_of(note) + room + height_of(name);
	p->y += 10;
	if (p->y + fmax(lh, rh) > BOTTOM && p->y > M_TOP + 1)
		p->sig_broke = p->cur + 1;
	ensure(p, fmax(lh, rh));
	y = p->y;
	if (to_head) {
		double ty = y + put(p, to_head, M_LEFT, y);

		put(p, to, M_LEFT, ty);
	}
	y += put(p, pos, rx, y);
	y += put(p, note, rx, y);
	y += room;
	y += put(p, name, rx, y);
	p->y = fmax(p->y + lh, y) + 6;
	g_object_unref(pos);
	g_object_unref(note);
	g_object_unref(name);
	if (to_head) {
		g_object_unref(to_head);
		g_object_unref(to);
	}
}

static void body(struct pdf *p)
{
	begin_page(p);
	header(p);
	for (size_t i = 0; i < rdoc_nblocks(p->d); i++) {
		const struct rdoc_block *b = rdoc_block_at(p->d, i);

		p->cur = i;
		if (p->force_break == i + 1 && p->y > M_TOP + 1)
			next_page(p);
		switch (b->kind) {
		case RDOC_HEADING: heading(p, b, rdoc_block_at(p->d, i + 1)); break;
		case RDOC_PARA: para(p, b); break;
		case RDOC_FIELD: field(p, b); break;
		case RDOC_TABLE: table(p, b->table); break;
		case RDOC_CHART: chart(p, b); break;
		case RDOC_SIGNATURE: signature(p, b); break;
		}
	}
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == BUF_OK ? CAIRO_STATUS_SUCCESS
							: CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* One pass over a fresh PDF surface writing to out (or nowhere when dry). */
static int pass(struct pdf *p, struct buf *out)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(p->dry ? discard : to_buf, out,
								  PAGE_W, PAGE_H);
	int rc;

	if (!p->dry) {
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, p->h->meta_title);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, p->h->issuer);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, p->h->ref);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "ungcuu");
	}
	p->cr = cairo_create(s);
	p->pc = pango_cairo_create_context(p->cr);
	p->page = 0;
	body(p);
	if (!p->dry)
		cairo_show_page(p->cr);
	g_object_unref(p->pc);
	cairo_destroy(p->cr);
	cairo_surface_finish(s);
	rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return rc;
}

/* The block to move to the signature's page when the signature would stand alone on it: the
 * last section (from its heading) when it is short, else the last two blocks. */
static size_t widow_start(const struct rdoc *d, size_t sig)
{
	for (size_t k = sig; k-- > 0 && sig - k <= 6;)
		if (rdoc_block_at(d, k)->kind == RDOC_HEADING)
			return k;
	return sig >= 2 ? sig - 2 : 0;
}

int rdoc_pdf(const struct rdoc *d, struct buf *out)
{
	struct pdf p = {.d = d, .h = rdoc_get_header(d), .dry = true};

	if (rdoc_error(d) != 0 || pass(&p, NULL) != 0)
		return -1;
	if (p.sig_broke > 1) {
		/* NĐ 30/2020: the signature does not stand alone on the last page */
		p.force_break = widow_start(d, p.sig_broke - 1) + 1;
		p.sig_broke = 0;
		if (pass(&p, NULL) != 0)
			return -1;
	}
	p.pages = p.page;
	p.dry = false;
	return pass(&p, out);
}
