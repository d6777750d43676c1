/* chart.h - charts drawn once with cairo and pango: as SVG for the web UI, and onto a PDF page
 * for the official documents (render/pdf.c) with the same drawing code. Takes plain data,
 * never a database handle (ARCHITECTURE.md). */
#ifndef UNGCUU_CHART_H
#define UNGCUU_CHART_H
#include <cairo.h>
#include <stddef.h>

#include "util/buf.h"

#define CHART_MAX_CATS 36
#define CHART_MAX_SERIES 12

/* Stacked bars: one bar per category (a month), one stacked segment per series (a group). */
struct chart_bars {
	const char *title;        /* UTF-8, may be "" */
	size_t ncats;
	const char *cats[CHART_MAX_CATS];      /* "11/2026" */
	size_t nseries;
	const char *series[CHART_MAX_SERIES];  /* legend labels, Vietnamese */
	double values[CHART_MAX_CATS][CHART_MAX_SERIES];
};

/* Draws the chart as an SVG document of width x height CSS pixels into out (appended).
 * Returns 0, or -1 (out of memory, cairo error, out over its cap). */
int chart_bars_svg(const struct chart_bars *c, int width, int height, struct buf *out);
/* Draws the same chart onto cr (an SVG, PDF or image surface) in the box (0, 0, width, height)
 * of cr's user space: the caller translates to where the box goes. cr's state is kept.
 * Returns 0, or -1 (bad input, cairo error). */
int chart_bars_draw(cairo_t *cr, const struct chart_bars *c, double width, double height);

#endif
