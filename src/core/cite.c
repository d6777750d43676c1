/* cite.c - a preset's short legal source as the sentence people write (cite.h).
 *
 * A source is parts separated by ';'. A part is a document's short name (a `ref` the preset
 * declares: "001", "QĐ 05/2017/QĐ-TTg"), then locators separated by ',', then an optional note
 * in brackets:
 *   Đ15        Điều 15                    Article 15
 *   Đ15.4      khoản 4 Điều 15            Article 15(4)
 *   Đ15.4c     điểm c khoản 4 Điều 15     Article 15(4)(c)
 *   Đ7.1c-d    điểm c, điểm d khoản 1 Điều 7
 *   §1, §1-2   mục 1, mục 1 và mục 2      Section 1, Sections 1 and 2
 *   Mẫu 03     Mẫu số 03                  Form 03
 * Vietnamese names the point, then the clause, then the article, and groups what shares an
 * article or a clause: "điểm đ khoản 1 và điểm b khoản 2 Điều 7 Quy chế ...". The note is the
 * preset's own Vietnamese words: kept in Vietnamese, left out of English. */
#include "core/cite.h"

#include <stdbool.h>
#include <string.h>

#define CITE_MAX_LOCS 32
#define CITE_MAX_POINTS 24

/* Points of a clause, in the order of the Vietnamese alphabet the texts use. */
static const char *const points[] = {"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
				     "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"};
#define NPOINTS (sizeof points / sizeof points[0])

enum loc_kind { LOC_ARTICLE = 1, LOC_SECTION, LOC_FORM };

struct loc {
	enum loc_kind kind;
	int num;       /* article, section */
	int clause;    /* 0 = the whole article */
	int point;     /* index into points, -1 = the whole clause */
	char form[8];  /* LOC_FORM: "03" as written */
};

struct part {
	const struct preset_doc *doc;
	struct loc locs[CITE_MAX_LOCS];
	size_t nlocs;
	const char *note; /* inside the brackets, or NULL */
	size_t note_len;
};

/* ---- reading ---------------------------------------------------------------------------- */

static const char *skip_spaces(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static bool starts(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && memcmp(s, word, n) == 0;
}

/* A number of 1..999 at *s. Returns it and moves *s, or -1. */
static int rd_num(const char **s, const char *end)
{
	int v = 0, n = 0;

	while (*s < end && **s >= '0' && **s <= '9' && n < 3) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n > 0 && v > 0 && !(*s < end && **s >= '0' && **s <= '9') ? v : -1;
}

/* A point letter at *s ("a", "đ"). Returns its index and moves *s, or -1. */
static int rd_point(const char **s, const char *end)
{
	for (size_t i = 0; i < NPOINTS; i++) {
		size_t n = strlen(points[i]);

		if (starts(*s, end, points[i])) {
			const char *after = *s + n;

			/* a point is one letter: "Đ15.4c", not a word */
			if (after < end && ((*after >= 'a' && *after <= 'z') || (unsigned char)*after >= 0x80))
				return -1;
			*s = after;
			return (int)i;
		}
	}
	return -1;
}

static int add_loc(struct part *pt, struct loc l)
{
	if (pt->nlocs >= CITE_MAX_LOCS)
		return -1;
	pt->locs[pt->nlocs++] = l;
	return 0;
}

/* One locator at *s (Đ..., §..., Mẫu ...), added to pt (a range adds each). Returns 0 or -1. */
static int rd_loc(const char **s, const char *end, struct part *pt)
{
	const char *q = *s;

	if (starts(q, end, "Đ")) {
		struct loc l = {.kind = LOC_ARTICLE, .point = -1};
		int a, b;

		q += strlen("Đ");
		if ((l.num = rd_num(&q, end)) < 0)
			return -1;
		if (q < end && *q == '.') {
			q++;
			if ((l.clause = rd_num(&q, end)) < 0)
				return -1;
			if (q < end && *q != ',' && *q != ' ' && *q != '(' && *q != ';') {
				if ((a = rd_point(&q, end)) < 0)
					return -1;
				b = a;
				if (q < end && *q == '-') {
					q++;
					if ((b = rd_point(&q, end)) < 0 || b < a)
						return -1;
				}
				for (int i = a; i <= b; i++) {
					l.point = i;
					if (add_loc(pt, l) != 0)
						return -1;
				}
				*s = q;
				return 0;
			}
		}
		*s = q;
		return add_loc(pt, l);
	}
	if (starts(q, end, "§")) {
		struct loc l = {.kind = LOC_SECTION, .point = -1};
		int a, b;

		q += strlen("§");
		if ((a = rd_num(&q, end)) < 0)
			return -1;
		b = a;
		if (q < end && *q == '-') {
			q++;
			if ((b = rd_num(&q, end)) < 0 || b < a || b - a > CITE_MAX_LOCS)
				return -1;
		}
		for (int i = a; i <= b; i++) {
			l.num = i;
			if (add_loc(pt, l) != 0)
				return -1;
		}
		*s = q;
		return 0;
	}
	if (starts(q, end, "Mẫu ")) {
		struct loc l = {.kind = LOC_FORM, .point = -1};
		size_t n = 0;

		q = skip_spaces(q + strlen("Mẫu "), end);
		while (q < end && *q >= '0' && *q <= '9' && n + 1 < sizeof l.form)
			l.form[n++] = *q++;
		if (n == 0 || (q < end && *q >= '0' && *q <= '9'))
			return -1;
		*s = q;
		return add_loc(pt, l);
	}
	return -1;
}

/* Reads the part [s, end) (trimmed). Returns 0 or -1 when it is not a citation of a document p
 * declares. */
static int rd_part(const struct preset *p, const char *s, const char *end, struct part *pt)
{
	size_t best = 0;

	memset(pt, 0, sizeof *pt);
	if (p == NULL)
		return -1;
	/* the longest declared short name the part starts with, followed by a break */
	for (size_t i = 0; i < p->ndocuments; i++) {
		const struct preset_doc *d = &p->documents[i];
		size_t n = strlen(d->ref);

		if (n > best && starts(s, end, d->ref) &&
		    (s + n == end || s[n] == ' ' || s[n] == '(')) {
			best = n;
			pt->doc = d;
		}
	}
	if (pt->doc == NULL)
		return -1;
	s = skip_spaces(s + best, end);
	while (s < end && *s != '(') {
		if (rd_loc(&s, end, pt) != 0)
			return -1;
		s = skip_spaces(s, end);
		if (s < end && *s == ',')
			s = skip_spaces(s + 1, end);
		else if (s < end && *s != '(')
			return -1;
	}
	if (s < end) { /* "(note)" closes the part */
		if (end[-1] != ')' || end - s < 3 || memchr(s + 1, ')', (size_t)(end - s - 2)) != NULL)
			return -1;
		pt->note = s + 1;
		pt->note_len = (size_t)(end - s - 2);
	}
	return 0;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* The separator before item i of n: "", ", " or " và " / " and ". */
static int sep(struct buf *b, size_t i, size_t n, enum cite_lang lang)
{
	if (i == 0)
		return BUF_OK;
	if (i + 1 == n)
		return buf_puts(b, lang == CITE_VI ? " và " : " and ");
	return buf_puts(b, ", ");
}

static int put_date(struct buf *b, const char *iso)
{
	/* "2017-11-17" -> "17/11/2017" */
	return buf_printf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static const char *or_vi(const char *en, const char *vi)
{
	return en[0] != '\0' ? en : vi;
}

int cite_document(const struct preset_doc *d, enum cite_lang lang, struct buf *out)
{
	bool vi = lang == CITE_VI, whole = d->number[0] != '\0' && d->date[0] != '\0';
	const char *kind = vi ? d->kind_vi : or_vi(d->kind_en, d->kind_vi);
	const char *title = vi ? d->title_vi : or_vi(d->title_en, d->title_vi);
	const char *issuer = vi ? d->issuer_vi : or_vi(d->issuer_en, d->issuer_vi);
	const char *with = vi ? d->issued_with_vi : or_vi(d->issued_with_en, d->issued_with_vi);
	int rc = BUF_OK;

	/* the number, the date and who issued it: "số 2711/QĐ-UBND ngày 17/11/2017 của UBND ..." */
#define ISSUE()                                                                              \
	do {                                                                                 \
		if (d->number[0])                                                            \
			rc |= buf_printf(out, vi ? " số %s" : " No. %s", d->number);         \
		if (d->date[0]) {                                                            \
			rc |= buf_puts(out, vi ? " ngày " : " of ");                         \
			rc |= put_date(out, d->date);                                        \
		}                                                                            \
		if (issuer[0])                                                               \
			rc |= buf_printf(out, vi ? " của %s" : " of the %s", issuer);        \
	} while (0)

	if (with[0] != '\0' && d->number[0] != '\0') {
		/* Quy chế ... ban hành kèm theo Quyết định số ... */
		rc |= buf_printf(out, vi ? "%s %s ban hành kèm theo %s" : "%s %s, issued with %s", kind,
				 title, with);
		ISSUE();
	} else {
		rc |= buf_puts(out, kind);
		if (d->number[0] != '\0')
			ISSUE();
		rc |= buf_printf(out, " %s", title);
		if (d->number[0] == '\0' && issuer[0] != '\0')
			rc |= buf_printf(out, vi ? " của %s" : " of the %s", issuer);
	}
#undef ISSUE
	if (!whole) {
		/* the text at hand does not give them: say so, never invent them */
		if (d->number[0] == '\0' && d->date[0] == '\0')
			rc |= buf_puts(out, vi ? " (văn bản hiện có không ghi số, ngày ban hành)"
					       : " (the text at hand gives no number or date of issue)");
		else if (d->number[0] == '\0')
			rc |= buf_puts(out, vi ? " (văn bản hiện có không ghi số)"
					       : " (the text at hand gives no number)");
		else
			rc |= buf_puts(out, vi ? " (văn bản hiện có không ghi ngày ban hành)"
					       : " (the text at hand gives no date of issue)");
	}
	return rc < 0 ? BUF_EFULL : BUF_OK;
}

/* The end of the run of locators that starts at i: one article (all its clauses), the
 * sections that follow each other, or one form. */
static size_t run_end(const struct part *pt, size_t i)
{
	const struct loc *a = &pt->locs[i];
	size_t j = i + 1;

	if (a->kind == LOC_FORM)
		return j;
	while (j < pt->nlocs && pt->locs[j].kind == a->kind &&
	       (a->kind != LOC_ARTICLE || pt->locs[j].num == a->num))
		j++;
	return j;
}

/* The end of the group of one clause that starts at k (< j): the points of one clause that
 * follow each other; a clause without points, or the whole article, is a group of its own. */
static size_t clause_end(const struct part *pt, size_t k, size_t j)
{
	size_t m = k + 1;

	if (pt->locs[k].point < 0)
		return m;
	while (m < j && pt->locs[m].clause == pt->locs[k].clause && pt->locs[m].point >= 0)
		m++;
	return m;
}

/* Vietnamese: the locators of a part, grouped by article and clause. */
static int put_locs_vi(struct buf *b, const struct part *pt)
{
	size_t runs = 0, r = 0, i, j, k, m;
	int rc = BUF_OK;

	for (i = 0; i < pt->nlocs; i = run_end(pt, i))
		runs++;
	for (i = 0; i < pt->nlocs; i = j, r++) {
		const struct loc *a = &pt->locs[i];

		j = run_end(pt, i);
		rc |= sep(b, r, runs, CITE_VI);
		if (a->kind == LOC_FORM) {
			rc |= buf_printf(b, "Mẫu số %s", a->form);
			continue;
		}
		if (a->kind == LOC_SECTION) {
			for (k = i; k < j; k++) {
				rc |= sep(b, k - i, j - i, CITE_VI);
				rc |= buf_printf(b, "mục %d", pt->locs[k].num);
			}
			continue;
		}
		/* one article: its clauses, each with its points, then "Điều N" */
		size_t nclauses = 0, c = 0;

		for (k = i; k < j; k = clause_end(pt, k, j))
			nclauses += pt->locs[k].clause > 0;
		for (k = i; k < j; k = m) {
			const struct loc *l = &pt->locs[k];

			m = clause_end(pt, k, j);
			if (l->clause == 0)
				continue; /* the whole article */
			rc |= sep(b, c++, nclauses, CITE_VI);
			/* "điểm a, điểm b khoản 4": "và" is kept for what joins clauses */
			for (size_t n = k; n < m && l->point >= 0; n++)
				rc |= buf_printf(b, n > k ? ", điểm %s" : "điểm %s",
						 points[pt->locs[n].point]);
			rc |= buf_printf(b, l->point >= 0 ? " khoản %d" : "khoản %d", l->clause);
		}
		rc |= buf_printf(b, nclauses > 0 ? " Điều %d" : "Điều %d", a->num);
	}
	return rc < 0 ? BUF_EFULL : BUF_OK;
}

/* English: "Articles 7(1)(đ) and 7(2)(b)", "Section 1", "Form 03", joined by "and". */
static int put_locs_en(struct buf *b, const struct part *pt)
{
	static const enum loc_kind kinds[] = {LOC_ARTICLE, LOC_SECTION, LOC_FORM};
	static const char *const words[][2] = {{"Article", "Articles"},
					       {"Section", "Sections"},
					       {"Form", "Forms"}};
	size_t groups = 0, g = 0, count[3] = {0, 0, 0};
	int rc = BUF_OK;

	for (size_t i = 0; i < pt->nlocs; i++)
		count[pt->locs[i].kind - 1]++;
	for (size_t k = 0; k < 3; k++)
		groups += count[k] > 0;
	for (size_t k = 0; k < 3; k++) {
		size_t x = 0;

		if (count[k] == 0)
			continue;
		rc |= sep(b, g++, groups, CITE_EN);
		rc |= buf_printf(b, "%s ", words[k][count[k] > 1]);
		for (size_t i = 0; i < pt->nlocs; i++) {
			const struct loc *l = &pt->locs[i];

			if (l->kind != kinds[k])
				continue;
			rc |= sep(b, x++, count[k], CITE_EN);
			if (l->kind == LOC_FORM) {
				rc |= buf_puts(b, l->form);
				continue;
			}
			rc |= buf_printf(b, "%d", l->num);
			if (l->clause > 0)
				rc |= buf_printf(b, "(%d)", l->clause);
			if (l->point >= 0)
				rc |= buf_printf(b, "(%s)", points[l->point]);
		}
	}
	return rc < 0 ? BUF_EFULL : BUF_OK;
}

static int put_part(struct buf *b, const struct part *pt, enum cite_lang lang)
{
	int rc = BUF_OK;

	if (pt->nlocs > 0) {
		rc |= lang == CITE_VI ? put_locs_vi(b, pt) : put_locs_en(b, pt);
		rc |= buf_puts(b, lang == CITE_VI ? " " : " of ");
		if (lang == CITE_EN && pt->doc->issued_with_vi[0] != '\0' && pt->doc->number[0] != '\0')
			rc |= buf_puts(b, "the ");
		else if (lang == CITE_EN && pt->doc->number[0] == '\0')
			rc |= buf_puts(b, "the ");
	}
	rc |= cite_document(pt->doc, lang, b);
	if (lang == CITE_VI && pt->note != NULL) {
		rc |= buf_puts(b, " (");
		rc |= buf_append(b, pt->note, pt->note_len);
		rc |= buf_puts(b, ")");
	}
	return rc < 0 ? BUF_EFULL : BUF_OK;
}

/* Upper-cases the letter at b->p[from] (ASCII, or đ -> Đ). */
static void capitalise(struct buf *b, size_t from)
{
	unsigned char *s = (unsigned char *)b->p + from;

	if (b->p == NULL || from >= b->len)
		return;
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (unsigned char)(s[0] - 32);
	else if (from + 1 < b->len && s[0] == 0xC4 && s[1] == 0x91)
		s[1] = 0x90;
}

int cite_format(const struct preset *p, const char *src, enum cite_lang lang, struct buf *out)
{
	const char *s = src != NULL ? src : "", *end = s + strlen(s);
	size_t start = out->len;
	int rc = 0, brc = BUF_OK;
	bool first = true;

	while (s < end) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		const char *pe = semi != NULL ? semi : end, *a = skip_spaces(s, pe), *z = pe;
		struct part pt;

		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		s = semi != NULL ? semi + 1 : end;
		if (a == z)
			continue;
		if (!first)
			brc |= buf_puts(out, "; ");
		if (rd_part(p, a, z, &pt) == 0) {
			brc |= put_part(out, &pt, lang);
		} else {
			rc = CITE_FALLBACK;
			brc |= buf_append(out, a, (size_t)(z - a));
		}
		first = false;
	}
	if (brc < 0)
		return BUF_EFULL;
	capitalise(out, start);
	return rc;
}

int cite_str(const struct preset *p, const char *src, enum cite_lang lang, char *out, size_t n)
{
	struct buf b;
	int rc;

	buf_init(&b, n > 0 ? n - 1 : 0);
	rc = cite_format(p, src, lang, &b);
	if (n == 0) {
		buf_free(&b);
		return BUF_EFULL;
	}
	if (rc < 0 || b.p == NULL) {
		size_t k = strlen(src != NULL ? src : "");

		if (k >= n)
			k = n - 1;
		memcpy(out, src != NULL ? src : "", k);
		out[k] = '\0';
	} else {
		memcpy(out, b.p, b.len + 1);
	}
	buf_free(&b);
	return rc;
}
