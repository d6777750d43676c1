/* chart.c - stacked bar chart with cairo (shapes) and pango (Vietnamese text shaping). */
#include "chart.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <pango/pangocairo.h>
#include <stdio.h>

/* Colour-blind-safe palette (Okabe-Ito), dark enough for white gaps between segments. */
static const double palette[][3] = {
	{0.00, 0.45, 0.70}, {0.90, 0.62, 0.00}, {0.00, 0.62, 0.45}, {0.80, 0.47, 0.65},
	{0.34, 0.71, 0.91}, {0.84, 0.37, 0.00}, {0.94, 0.89, 0.26}, {0.40, 0.40, 0.40},
};
#define NCOLOURS (sizeof palette / sizeof palette[0])

static void text(cairo_t *cr, const char *s, double x, double y, int size, int weight,
		 double align) /* align: 0 left, 0.5 centre, 1 right */
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("Noto Sans");
	int w, h;

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, (PangoWeight)weight);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_pixel_size(l, &w, &h);
	cairo_move_to(cr, x - align * w, y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

/* A category's label, centred under its bar and wrapped within the bar's slot (long names of
 * severity levels on a PDF page). Draws when paint; returns its height. */
static double cat_label(cairo_t *cr, const char *s, double x, double y, double slot, bool paint)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("Noto Sans");
	int w, h;

	pango_font_description_set_absolute_size(fd, 11 * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)((slot - 2) * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_pixel_size(l, &w, &h);
	if (paint) {
		cairo_move_to(cr, x + 1, y);
		pango_cairo_show_layout(cr, l);
	}
	pango_font_description_free(fd);
	g_object_unref(l);
	return h;
}

static double max_total(const struct chart_bars *c)
{
	double m = 0;

	for (size_t i = 0; i < c->ncats; i++) {
		double t = 0;

		for (size_t k = 0; k < c->nseries; k++)
			t += c->values[i][k];
		if (t > m)
			m = t;
	}
	return m;
}

/* True if every value is a whole number (counts). */
static bool counts(const struct chart_bars *c)
{
	for (size_t i = 0; i < c->ncats; i++)
		for (size_t k = 0; k < c->nseries; k++)
			if (c->values[i][k] != floor(c->values[i][k]))
				return false;
	return true;
}

/* A round axis top and step: 1, 2, 5 x 10^n. */
static double nice_step(double top, int ticks)
{
	double raw = top / ticks, p = pow(10, floor(log10(raw > 0 ? raw : 1)));

	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static void axes(cairo_t *cr, double x0, double y0, double w, double h, double top, double step)
{
	char lab[32];

	cairo_set_line_width(cr, 1);
	for (double v = 0; v <= top + 1e-9; v += step) {
		double y = y0 + h - h * v / top;

		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, x0, floor(y) + 0.5);
		cairo_line_to(cr, x0 + w, floor(y) + 0.5);
		cairo_stroke(cr);
		snprintf(lab, sizeof lab, "%g", v);
		cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
		text(cr, lab, x0 - 6, y - 7, 11, PANGO_WEIGHT_NORMAL, 1);
	}
}

static void bars(cairo_t *cr, const struct chart_bars *c, double x0, double y0, double w,
		 double h, double top)
{
	double slot = w / (double)c->ncats, bw = slot * 0.62;

	for (size_t i = 0; i < c->ncats; i++) {
		double x = x0 + slot * (double)i + (slot - bw) / 2, y = y0 + h;

		for (size_t k = 0; k < c->nseries; k++) {
			double seg = h * c->values[i][k] / top;

			if (seg <= 0)
				continue;
			cairo_set_source_rgb(cr, palette[k % NCOLOURS][0], palette[k % NCOLOURS][1],
					     palette[k % NCOLOURS][2]);
			cairo_rectangle(cr, x, y - seg, bw, seg);
			cairo_fill(cr);
			y -= seg;
		}
		cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
		cat_label(cr, c->cats[i], x0 + slot * (double)i, y0 + h + 6, slot, true);
	}
}

/* The legend in rows of at most maxw; an entry wider than a row wraps. Draws when paint, and
 * returns the height it takes either way. */
static double legend(cairo_t *cr, const struct chart_bars *c, double x, double y, double maxw,
		     bool paint)
{
	double cx = x, y0 = y, row_h = 0;

	for (size_t k = 0; k < c->nseries; k++) {
		PangoLayout *l = pango_cairo_create_layout(cr);
		PangoFontDescription *fd = pango_font_description_from_string("Noto Sans");
		int w, hh;

		pango_font_description_set_absolute_size(fd, 12 * PANGO_SCALE);
		pango_layout_set_font_description(l, fd);
		pango_layout_set_width(l, (int)((maxw - 17) * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_text(l, c->series[k], -1);
		pango_layout_get_pixel_size(l, &w, &hh);
		if (cx + 17 + w > x + maxw && cx > x) {
			cx = x;
			y += row_h + 4;
			row_h = 0;
		}
		if (paint) {
			cairo_set_source_rgb(cr, palette[k % NCOLOURS][0], palette[k % NCOLOURS][1],
					     palette[k % NCOLOURS][2]);
			cairo_rectangle(cr, cx, y + 3, 12, 12);
			cairo_fill(cr);
			cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
			cairo_move_to(cr, cx + 17, y);
			pango_cairo_show_layout(cr, l);
		}
		if (hh > row_h)
			row_h = hh;
		cx += 17 + w + 18;
		pango_font_description_free(fd);
		g_object_unref(l);
	}
	return y - y0 + row_h;
}

/* Draws into the box (0, 0, width, height) of cr's user space. The background is filled as a
 * rectangle, not painted, so a PDF page around the box keeps what is already on it. */
static void draw(cairo_t *cr, const struct chart_bars *c, double width, double height)
{
	double left = 48, right = 16, top_pad = c->title && c->title[0] ? 36 : 12, labels = 0;
	double w = width - left - right, h, legend_h = legend(cr, c, left, 0, w, false);
	double m = max_total(c), step = nice_step(m > 0 ? m : 1, 5), top;

	if (step < 1 && counts(c))
		step = 1; /* counts have no half incidents on the axis */
	top = step * ceil((m > 0 ? m : 1) / step);

	for (size_t i = 0; i < c->ncats; i++) {
		double lh = cat_label(cr, c->cats[i], 0, 0, w / (double)c->ncats, false);

		if (lh > labels)
			labels = lh;
	}
	/* below the plot: the category labels, a gap, the legend */
	h = height - top_pad - (6 + labels + 12 + legend_h + 4);
	if (h < 40)
		h = 40;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, 0, 0, width, height);
	cairo_fill(cr);
	if (c->title && c->title[0]) {
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		text(cr, c->title, left, 8, 14, PANGO_WEIGHT_BOLD, 0);
	}
	axes(cr, left, top_pad, w, h, top, step);
	if (c->ncats > 0)
		bars(cr, c, left, top_pad, w, h, top);
	legend(cr, c, left, top_pad + h + 6 + labels + 12, w, true);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == BUF_OK ? CAIRO_STATUS_SUCCESS
							: CAIRO_STATUS_WRITE_ERROR;
}

int chart_bars_svg(const struct chart_bars *c, int width, int height, struct buf *out)
{
	cairo_surface_t *s;
	cairo_t *cr;
	int rc;

	if (c->ncats > CHART_MAX_CATS || c->nseries > CHART_MAX_SERIES || width < 200 || height < 150)
		return -1;
	s = cairo_svg_surface_create_for_stream(to_buf, out, width, height);
	cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX); /* CSS pixels, not points */
	cr = cairo_create(s);
	draw(cr, c, (double)width, (double)height);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	rc = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return rc;
}

int chart_bars_draw(cairo_t *cr, const struct chart_bars *c, double width, double height)
{
	if (c->ncats > CHART_MAX_CATS || c->nseries > CHART_MAX_SERIES || width < 200 ||
	    height < 150)
		return -1;
	cairo_save(cr);
	draw(cr, c, width, height);
	cairo_restore(cr);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
