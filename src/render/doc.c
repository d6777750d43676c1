/* doc.c - the document model of doc.h: an arena for the copied text, the block list, tables
 * filled cell by cell, and the CSV writer. */
#include "doc.h"

#include <glib.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/crypto.h"
#include "util/str.h"

#define CHUNK (64u << 10)

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct rdoc {
	struct chunk *chunks;
	size_t arena_bytes;
	struct rdoc_block *blocks;
	size_t nblocks, capblocks;
	struct rdoc_table **tables; /* every table, for rdoc_free */
	size_t ntables, captables;
	struct rdoc_header h;
	int err;
};

static void *arena(struct rdoc *d, size_t n)
{
	struct chunk *c = d->chunks;
	size_t need = (n + 15) & ~(size_t)15;

	if (d->err != 0)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		size_t size = need > CHUNK ? need : CHUNK;

		if (d->arena_bytes + size > RDOC_ARENA_MAX || (c = malloc(sizeof *c + size)) == NULL) {
			d->err = -1;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = d->chunks;
		d->chunks = c;
		d->arena_bytes += size;
	}
	c->used += need;
	return c->data + c->used - need;
}

int rdoc_new(struct rdoc **out)
{
	*out = calloc(1, sizeof **out);
	if (*out == NULL)
		return -1;
	(*out)->h = (struct rdoc_header){"", "", "", "", "", "", "", "", "", "", ""};
	return 0;
}

void rdoc_free(struct rdoc *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->ntables; i++)
		free(d->tables[i]->cells);
	free(d->tables);
	free(d->blocks);
	while (d->chunks) {
		struct chunk *n = d->chunks->next;

		free(d->chunks);
		d->chunks = n;
	}
	free(d);
}

int rdoc_error(const struct rdoc *d)
{
	return d->err;
}

const char *rdoc_str(struct rdoc *d, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *p = arena(d, n + 1);

	if (p == NULL)
		return "";
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *rdoc_fmt(struct rdoc *d, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		d->err = -1;
		return "";
	}
	p = arena(d, (size_t)n + 1);
	if (p == NULL)
		return "";
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

const char *rdoc_upper(struct rdoc *d, const char *s)
{
	gchar *u;
	const char *r;

	if (s == NULL || !g_utf8_validate(s, -1, NULL))
		return rdoc_str(d, s);
	u = g_utf8_strup(s, -1);
	r = rdoc_str(d, u);
	g_free(u);
	return r;
}

int rdoc_set_header(struct rdoc *d, const struct rdoc_header *h)
{
	d->h.superior = rdoc_str(d, h->superior);
	d->h.issuer = rdoc_str(d, h->issuer);
	d->h.number = rdoc_str(d, h->number);
	d->h.place_date = rdoc_str(d, h->place_date);
	d->h.title = rdoc_str(d, h->title);
	d->h.subtitle = rdoc_str(d, h->subtitle);
	d->h.recipient = rdoc_str(d, h->recipient);
	d->h.tlp = rdoc_str(d, h->tlp);
	d->h.ref = rdoc_str(d, h->ref);
	d->h.verify = rdoc_str(d, h->verify);
	d->h.meta_title = rdoc_str(d, h->meta_title);
	return d->err;
}

const struct rdoc_header *rdoc_get_header(const struct rdoc *d)
{
	return &d->h;
}

static struct rdoc_block *add_block(struct rdoc *d, enum rdoc_kind kind)
{
	struct rdoc_block *b;

	if (d->err != 0)
		return NULL;
	if (d->nblocks == d->capblocks) {
		size_t cap = d->capblocks ? d->capblocks * 2 : 64;
		struct rdoc_block *nb;

		if (cap > RDOC_MAX_BLOCKS || (nb = realloc(d->blocks, cap * sizeof *nb)) == NULL) {
			d->err = -1;
			return NULL;
		}
		d->blocks = nb;
		d->capblocks = cap;
	}
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->text = "";
	b->label = "";
	return b;
}

int rdoc_heading(struct rdoc *d, const char *text)
{
	struct rdoc_block *b = add_block(d, RDOC_HEADING);

	if (b)
		b->text = rdoc_str(d, text);
	return d->err;
}

int rdoc_para(struct rdoc *d, const char *text, unsigned style)
{
	struct rdoc_block *b = add_block(d, RDOC_PARA);

	if (b) {
		b->text = rdoc_str(d, text);
		b->style = style;
	}
	return d->err;
}

int rdoc_field(struct rdoc *d, const char *label, const char *value)
{
	struct rdoc_block *b = add_block(d, RDOC_FIELD);

	if (b) {
		b->label = rdoc_str(d, label);
		b->text = rdoc_str(d, value);
	}
	return d->err;
}

int rdoc_chart(struct rdoc *d, const struct chart_bars *c, double height)
{
	struct chart_bars *copy = arena(d, sizeof *copy);
	struct rdoc_block *b;

	if (copy == NULL)
		return d->err;
	*copy = *c;
	copy->title = rdoc_str(d, c->title);
	for (size_t i = 0; i < c->ncats && i < CHART_MAX_CATS; i++)
		copy->cats[i] = rdoc_str(d, c->cats[i]);
	for (size_t i = 0; i < c->nseries && i < CHART_MAX_SERIES; i++)
		copy->series[i] = rdoc_str(d, c->series[i]);
	b = add_block(d, RDOC_CHART);
	if (b) {
		b->chart = copy;
		b->height = height;
	}
	return d->err;
}

int rdoc_signature(struct rdoc *d, const struct rdoc_sign *s)
{
	struct rdoc_block *b = add_block(d, RDOC_SIGNATURE);

	if (b) {
		b->sign.recipients = rdoc_str(d, s->recipients);
		b->sign.position = rdoc_str(d, s->position);
		b->sign.note = rdoc_str(d, s->note);
		b->sign.name = rdoc_str(d, s->name);
	}
	return d->err;
}

struct rdoc_table *rdoc_table(struct rdoc *d, const char *sheet, const char *title, size_t ncols,
			      const char *const *head, const double *width)
{
	struct rdoc_table *t;
	struct rdoc_block *b;

	if (ncols == 0 || ncols > RDOC_MAX_COLS)
		d->err = -1;
	if (d->err != 0 || (t = arena(d, sizeof *t)) == NULL)
		return NULL;
	memset(t, 0, sizeof *t);
	t->sheet = rdoc_str(d, sheet);
	t->title = rdoc_str(d, title);
	t->ncols = ncols;
	for (size_t i = 0; i < ncols; i++) {
		t->head[i] = rdoc_str(d, head[i]);
		t->width[i] = width && width[i] > 0 ? width[i] : 1;
	}
	if (d->ntables == d->captables) {
		size_t cap = d->captables ? d->captables * 2 : 8;
		struct rdoc_table **nt = realloc(d->tables, cap * sizeof *nt);

		if (nt == NULL) {
			d->err = -1;
			return NULL;
		}
		d->tables = nt;
		d->captables = cap;
	}
	d->tables[d->ntables++] = t;
	b = add_block(d, RDOC_TABLE);
	if (b == NULL)
		return NULL;
	b->table = t;
	return t;
}

static struct rdoc_cell *next_cell(struct rdoc *d, struct rdoc_table *t)
{
	if (d->err != 0 || t == NULL)
		return NULL;
	if (t->ncells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : t->ncols * 16;
		struct rdoc_cell *nc;

		if (cap > RDOC_MAX_ROWS * t->ncols || (nc = realloc(t->cells, cap * sizeof *nc)) == NULL) {
			d->err = -1;
			return NULL;
		}
		t->cells = nc;
		t->cap = cap;
	}
	return &t->cells[t->ncells++];
}

int rdoc_cell(struct rdoc *d, struct rdoc_table *t, const char *text)
{
	struct rdoc_cell *c = next_cell(d, t);

	if (c)
		*c = (struct rdoc_cell){.text = rdoc_str(d, text)};
	return d->err;
}

void rdoc_int_text(int64_t v, char *out, size_t outsz)
{
	char digits[32];
	size_t n, o = 0;
	int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));

	if (outsz == 0)
		return;
	n = len > 0 ? (size_t)len : 0;
	if (v < 0 && o + 1 < outsz)
		out[o++] = '-';
	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 2 < outsz)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

int rdoc_cell_int(struct rdoc *d, struct rdoc_table *t, int64_t v)
{
	char text[32];
	struct rdoc_cell *c = next_cell(d, t);

	if (c) {
		rdoc_int_text(v, text, sizeof text);
		*c = (struct rdoc_cell){.text = rdoc_str(d, text), .value = (double)v, .is_num = true};
	}
	return d->err;
}

int rdoc_table_note(struct rdoc *d, struct rdoc_table *t, const char *note)
{
	if (t != NULL)
		t->note = rdoc_str(d, note);
	return d->err;
}

size_t rdoc_nblocks(const struct rdoc *d)
{
	return d->nblocks;
}

const struct rdoc_block *rdoc_block_at(const struct rdoc *d, size_t i)
{
	return i < d->nblocks ? &d->blocks[i] : NULL;
}

size_t rdoc_table_rows(const struct rdoc_table *t)
{
	return t->ncols ? t->ncells / t->ncols : 0;
}

const struct rdoc_table *rdoc_first_table(const struct rdoc *d)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == RDOC_TABLE)
			return d->blocks[i].table;
	return NULL;
}

/* ---- CSV ---- */

static int csv_field(struct buf *out, const char *s)
{
	int rc;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return buf_puts(out, s);
	rc = buf_puts(out, "\"");
	for (const char *p = s; rc == BUF_OK && *p; p++)
		rc = *p == '"' ? buf_puts(out, "\"\"") : buf_append(out, p, 1);
	return rc == BUF_OK ? buf_puts(out, "\"") : rc;
}

int rdoc_csv(const struct rdoc_table *t, struct buf *out)
{
	size_t rows = rdoc_table_rows(t);
	int rc = buf_puts(out, "\xEF\xBB\xBF");

	for (size_t c = 0; rc == BUF_OK && c < t->ncols; c++) {
		rc = csv_field(out, t->head[c]);
		if (rc == BUF_OK)
			rc = buf_puts(out, c + 1 < t->ncols ? "," : "\r\n");
	}
	for (size_t r = 0; rc == BUF_OK && r < rows; r++)
		for (size_t c = 0; rc == BUF_OK && c < t->ncols; c++) {
			const struct rdoc_cell *cell = &t->cells[r * t->ncols + c];

			if (cell->is_num)
				rc = buf_printf(out, "%.0f", cell->value);
			else
				rc = csv_field(out, cell->text);
			if (rc == BUF_OK)
				rc = buf_puts(out, c + 1 < t->ncols ? "," : "\r\n");
		}
	return rc == BUF_OK ? 0 : -1;
}

/* ---- hashes and references ---- */

void rdoc_sha256_hex(const void *data, size_t n, char out[RDOC_SHA256_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, n);
	str_hex(out, h, sizeof h);
}

void rdoc_new_ref(char out[RDOC_REF_MAX])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford base32 */
	unsigned char r[10];

	crypto_random(r, sizeof r);
	memcpy(out, "TL-", 3);
	for (size_t i = 0; i < sizeof r; i++)
		out[3 + i] = alphabet[r[i] & 31];
	out[3 + sizeof r] = '\0';
}
