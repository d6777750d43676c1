/* official.c - the wording and order of the official documents (official.h). */
#include "official.h"

#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "util/tm.h"

#define DAY 86400

static const char *const roman[] = {"I", "II", "III", "IV"};

/* The header every document shares: issuer upper case, place and date in words, TLP. */
static int header(struct rdoc *d, const struct official_header *h, const char *number,
		  const char *title, const char *subtitle, const char *recipient)
{
	char words[64], tlp[32] = "";
	struct rdoc_header rh;
	const char *name = codes_tlp_name(h->tlp);

	if (tm_format_vn_words(h->date, words, sizeof words) != 0)
		words[0] = '\0';
	if (name != NULL) {
		snprintf(tlp, sizeof tlp, "TLP:%s", name);
		for (char *c = tlp; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
	}
	rh = (struct rdoc_header){
		.superior = rdoc_upper(d, h->superior),
		.issuer = rdoc_upper(d, h->issuer),
		.number = number,
		.place_date = h->place && h->place[0] ? rdoc_fmt(d, "%s, %s", h->place, words)
						      : rdoc_fmt(d, "Ngày%s", words + 5),
		.title = rdoc_upper(d, title),
		.subtitle = subtitle,
		.recipient = recipient ? recipient : "",
		.tlp = tlp,
		.ref = h->ref,
		.verify = OFFICIAL_VERIFY,
		.meta_title = subtitle[0] ? rdoc_fmt(d, "%s — %s", title, subtitle) : title,
	};
	return rdoc_set_header(d, &rh);
}

void official_period(int64_t from, int64_t to, char *out, size_t outsz)
{
	int y1, m1, d1, y2, m2, d2, h, mi, s;
	char a[TM_ISO_MAX], b[TM_ISO_MAX];

	tm_vn_fields(from, &y1, &m1, &d1, &h, &mi, &s);
	tm_vn_fields(to, &y2, &m2, &d2, &h, &mi, &s);
	if (tm_vn_midnight(y1, m1, d1) == from && tm_vn_midnight(y2, m2, d2) == to && d1 == 1 &&
	    d2 == 1) {
		int months = (y2 - y1) * 12 + (m2 - m1);

		if (m1 == 1 && months == 12) {
			snprintf(out, outsz, "Năm %d", y1);
			return;
		}
		if ((m1 == 1 || m1 == 7) && months == 6) {
			snprintf(out, outsz, "6 tháng %s năm %d", m1 == 1 ? "đầu" : "cuối", y1);
			return;
		}
		if ((m1 - 1) % 3 == 0 && months == 3) {
			snprintf(out, outsz, "Quý %s năm %d", roman[(m1 - 1) / 3], y1);
			return;
		}
	}
	tm_format_vn_date(from, a, sizeof a);
	tm_format_vn_date(to - 1, b, sizeof b);
	snprintf(out, outsz, "Từ ngày %s đến ngày %s", a, b);
}

static void range_words(int64_t from, int64_t to, char *out, size_t outsz)
{
	char a[TM_ISO_MAX], b[TM_ISO_MAX];

	tm_format_vn_date(from, a, sizeof a);
	tm_format_vn_date(to - 1, b, sizeof b);
	snprintf(out, outsz, "từ ngày %s đến ngày %s", a, b);
}

/* "Người báo cáo (ký, ghi rõ họ tên, đóng dấu)" -> "NGƯỜI BÁO CÁO". */
static const char *position_of(struct rdoc *d, const char *label, const char *fallback)
{
	char pos[256];
	const char *paren;

	if (label == NULL || label[0] == '\0')
		return fallback;
	snprintf(pos, sizeof pos, "%s", label);
	paren = strchr(pos, '(');
	if (paren != NULL)
		pos[paren - pos] = '\0';
	for (size_t n = strlen(pos); n > 0 && pos[n - 1] == ' '; n--)
		pos[n - 1] = '\0';
	return pos[0] ? rdoc_upper(d, pos) : fallback;
}

/* ---- incident report and closing report ---- */

int official_form(struct rdoc *d, const struct official_form *f)
{
	struct rdoc_sign sign;
	size_t n = 0;

	header(d, &f->h, f->number, f->title, "", f->recipient);
	if (f->source && f->source[0])
		rdoc_para(d, rdoc_fmt(d, "(Theo %s)", f->source), RDOC_ITALIC | RDOC_CENTER);
	if (f->missing && f->missing[0])
		rdoc_para(d,
			  rdoc_fmt(d, "Bản dự thảo: còn thiếu các mục bắt buộc: %s.", f->missing),
			  RDOC_ITALIC | RDOC_SMALL);
	/* sections in the preset's order, then fields outside any section */
	for (size_t s = 0; s <= f->nsections; s++) {
		bool any = false;

		for (size_t i = 0; i < f->nfields; i++) {
			const struct official_field *x = &f->fields[i];

			if (!(x->section == s || (s == f->nsections && x->section > s)))
				continue;
			if (!any && s < f->nsections)
				rdoc_heading(d, rdoc_fmt(d, "%zu. %s", ++n, f->sections[s]));
			any = true;
			rdoc_field(d, x->label, x->value);
		}
	}
	sign = (struct rdoc_sign){
		.recipients = f->recipients,
		.position = position_of(d, f->sign_label, "ĐẠI DIỆN CƠ QUAN, ĐƠN VỊ BÁO CÁO"),
		.note = "(Ký, ghi rõ họ tên, đóng dấu)",
		.name = f->sign_name,
	};
	rdoc_signature(d, &sign);
	return rdoc_error(d);
}

/* ---- Mẫu 05 ---- */

static void summary_table(struct rdoc *d, const struct official_summary *s)
{
	static const char *const head[] = {"STT", "Loại sự cố", "Số lượng", "Tự xử lý",
					   "Có hỗ trợ của tổ chức khác", "Có hỗ trợ của nước ngoài",
					   "Đề nghị Cơ quan điều phối quốc gia hỗ trợ",
					   "Thiệt hại ước tính (đồng)"};
	static const double width[] = {0.6, 3.1, 1, 1, 1.2, 1.2, 1.45, 1.6};
	struct official_summary_row total = {.name = "Tổng cộng"};
	struct rdoc_table *t = rdoc_table(d, "Mẫu 05", "Tình hình sự cố tấn công mạng theo loại", 8,
					  head, width);
	size_t i;

	if (t)
		t->compact = true;
	for (i = 0; i <= s->nrows; i++) {
		/* the nine types, then "combined attack": an incident carries one type, so none */
		struct official_summary_row combined = {.name = "Tấn công tổng hợp"};
		const struct official_summary_row *r = i < s->nrows ? &s->rows[i] : &combined;

		rdoc_cell(d, t, rdoc_fmt(d, "%zu", i + 1));
		rdoc_cell(d, t, r->name);
		rdoc_cell_int(d, t, r->count);
		rdoc_cell_int(d, t, r->alone);
		rdoc_cell_int(d, t, r->with_help);
		rdoc_cell_int(d, t, r->foreign_help);
		rdoc_cell_int(d, t, r->national);
		rdoc_cell_int(d, t, r->damage);
		total.count += r->count;
		total.alone += r->alone;
		total.with_help += r->with_help;
		total.foreign_help += r->foreign_help;
		total.national += r->national;
		total.damage += r->damage;
	}
	rdoc_cell(d, t, "");
	rdoc_cell(d, t, total.name);
	rdoc_cell_int(d, t, total.count);
	rdoc_cell_int(d, t, total.alone);
	rdoc_cell_int(d, t, total.with_help);
	rdoc_cell_int(d, t, total.foreign_help);
	rdoc_cell_int(d, t, total.national);
	rdoc_cell_int(d, t, total.damage);
	if (t)
		t->total = true;
	rdoc_table_note(
		d, t,
		rdoc_fmt(d,
			 "Ghi chú: không tính %lld cuộc diễn tập. \"Tấn công tổng hợp\" ghi 0: mỗi sự cố "
			 "được ghi nhận với một loại tấn công, hệ thống chưa tách được sự cố có nhiều "
			 "loại. \"Có hỗ trợ của tổ chức khác\": có yêu cầu phối hợp được tổ chức khác "
			 "chấp nhận hoặc hoàn thành; \"Đề nghị Cơ quan điều phối quốc gia hỗ trợ\": "
			 "có chuyển cấp hoặc yêu cầu tới tổ chức vai trò quốc gia; \"Tự xử lý\": không "
			 "thuộc hai trường hợp đó. Hỗ trợ của nước ngoài và thiệt hại theo biên bản kết "
			 "thúc (Mẫu 04). Ngoài ra có %lld sự cố thuộc các nhóm khác (lỗi hệ thống, lỗi "
			 "vận hành, thảm họa), không thuộc phạm vi biểu này.",
			 (long long)s->drills, (long long)s->other_groups));
}

int official_summary(struct rdoc *d, const struct official_summary *s)
{
	char period[96], range[96];
	struct rdoc_sign sign = {"- Như trên;\n- Lưu: VT.", "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
				 "(Ký, ghi rõ họ tên, đóng dấu)", ""};
	int y, m, dd, h, mi, sec;

	official_period(s->from, s->to, period, sizeof period);
	range_words(s->from, s->to, range, sizeof range);
	tm_vn_fields(s->from, &y, &m, &dd, &h, &mi, &sec);
	header(d, &s->h,
	       strncmp(period, "6 tháng", 7) == 0 ? rdoc_fmt(d, "%d-%s/BC-TH", y, m == 1 ? "H1" : "H2")
	       : strncmp(period, "Năm", 4) == 0   ? rdoc_fmt(d, "%d/BC-TH", y)
						  : rdoc_fmt(d, "%s/BC-TH", s->h.ref),
	       "Báo cáo tổng hợp tình hình sự cố an toàn thông tin mạng", period, s->recipient);
	rdoc_para(d, "(Theo Mẫu 05, Thông tư 20/2017/TT-BTTTT)", RDOC_ITALIC | RDOC_CENTER);
	rdoc_heading(d, "1. Thông tin chung");
	rdoc_field(d, "Tên tổ chức báo cáo",
		   s->org_name[0] ? s->org_name
				  : rdoc_fmt(d, "%s (tổng hợp toàn tỉnh)", s->h.issuer));
	rdoc_field(d, "Mã thành viên mạng lưới", s->org_code[0] ? s->org_code : "—");
	rdoc_field(d, "Kỳ báo cáo", rdoc_fmt(d, "%s (%s)", period, range));
	rdoc_heading(d, "2. Tình hình sự cố tấn công mạng");
	summary_table(d, s);
	rdoc_heading(d, "3. Các tổ chức đã hỗ trợ xử lý sự cố");
	if (s->nhelpers == 0) {
		rdoc_para(d, "Không có.", RDOC_INDENT);
	} else {
		static const char *const head[] = {"STT", "Tổ chức", "Số sự cố đã hỗ trợ"};
		static const double width[] = {0.6, 6, 1.6};
		struct rdoc_table *t = rdoc_table(d, "Tổ chức hỗ trợ", "", 3, head, width);

		for (size_t i = 0; i < s->nhelpers; i++) {
			rdoc_cell(d, t, rdoc_fmt(d, "%zu", i + 1));
			rdoc_cell(d, t, s->helpers[i].name);
			rdoc_cell_int(d, t, s->helpers[i].count);
		}
	}
	rdoc_heading(d, "4. Đề xuất, kiến nghị");
	if (s->nproposals == 0)
		rdoc_para(d, "Không có đề xuất, kiến nghị trong các biên bản kết thúc của kỳ.",
			  RDOC_INDENT);
	for (size_t i = 0; i < s->nproposals; i++)
		rdoc_para(d, rdoc_fmt(d, "- %s", s->proposals[i]), RDOC_INDENT);
	if (s->withheld > 0)
		rdoc_para(d,
			  rdoc_fmt(d,
				   "(%lld đề xuất của sự cố có nhãn trên TLP:GREEN không in trong bản "
				   "xuất từ dòng lệnh.)",
				   (long long)s->withheld),
			  RDOC_ITALIC | RDOC_SMALL);
	rdoc_signature(d, &sign);
	return rdoc_error(d);
}

/* ---- quarterly bulletin ---- */

static const char *percent(struct rdoc *d, int64_t n, int64_t total)
{
	double p = total > 0 ? 100.0 * (double)n / (double)total : 0;
	const char *s = rdoc_fmt(d, "%.1f%%", p);
	char *c = strchr(s, '.');

	if (c)
		*c = ','; /* Vietnamese decimal comma */
	return s;
}

/* The rows c, then extra when not NULL (a row that is not one of them), then the total. */
static void counts_table(struct rdoc *d, const char *sheet, const char *first,
			 const struct official_count *c, size_t n,
			 const struct official_count *extra, int64_t total)
{
	const char *head[] = {"STT", first, "Số sự cố", "Tỷ lệ"};
	static const double width[] = {0.6, 5.2, 1.3, 1.1};
	struct rdoc_table *t = rdoc_table(d, sheet, "", 4, head, width);

	for (size_t i = 0; i <= n; i++) {
		const struct official_count *row = i < n ? &c[i] : extra;

		if (row == NULL)
			break;
		rdoc_cell(d, t, rdoc_fmt(d, "%zu", i + 1));
		rdoc_cell(d, t, row->name);
		rdoc_cell_int(d, t, row->count);
		rdoc_cell(d, t, percent(d, row->count, total));
	}
	rdoc_cell(d, t, "");
	rdoc_cell(d, t, "Tổng cộng");
	rdoc_cell_int(d, t, total);
	rdoc_cell(d, t, total > 0 ? "100,0%" : "0,0%");
	if (t)
		t->total = true;
}

static void month_name(int64_t from, int k, char *out, size_t outsz)
{
	int y, m, dd, h, mi, s;

	tm_vn_fields(from, &y, &m, &dd, &h, &mi, &s);
	m += k;
	if (m > 12) {
		m -= 12;
		y++;
	}
	snprintf(out, outsz, "Tháng %02d/%04d", m, y);
}

static void incidents_part(struct rdoc *d, const struct official_bulletin *b)
{
	const struct official_count restricted = {"Sự cố có nhãn trên TLP:GREEN (không nêu đơn vị)",
						  b->restricted};
	struct chart_bars c;
	char months[3][32];
	size_t ng = b->ngroups < OFFICIAL_MAX_GROUPS ? b->ngroups : OFFICIAL_MAX_GROUPS;

	rdoc_heading(d, "I. TÌNH HÌNH SỰ CỐ");
	rdoc_para(d,
		  rdoc_fmt(d,
			   "Trong quý, hệ thống ghi nhận %lld sự cố an toàn thông tin mạng (không tính "
			   "%lld cuộc diễn tập), trong đó %lld sự cố chưa kết thúc xử lý.",
			   (long long)b->total, (long long)b->drills, (long long)b->open),
		  RDOC_INDENT);
	if (b->restricted > 0)
		rdoc_para(d,
			  rdoc_fmt(d,
				   "Bản tin được gửi tới mọi thành viên mạng lưới, vì vậy chỉ nêu tên, "
				   "đơn vị của sự cố có nhãn TLP:CLEAR hoặc TLP:GREEN; %lld sự cố có "
				   "nhãn trên TLP:GREEN chỉ được tính vào số liệu.",
				   (long long)b->restricted),
			  RDOC_INDENT);
	rdoc_heading(d, "1. Theo nhóm sự cố");
	counts_table(d, "Theo nhóm", "Nhóm sự cố", b->groups, ng, NULL, b->total);
	memset(&c, 0, sizeof c);
	c.title = "Sự cố theo tháng và nhóm (không tính diễn tập)";
	c.ncats = 3;
	for (int k = 0; k < 3; k++) {
		month_name(b->from, k, months[k], sizeof months[k]);
		c.cats[k] = months[k];
	}
	for (size_t g = 0; g < ng && g < CHART_MAX_SERIES; g++) {
		c.series[c.nseries++] = b->groups[g].name;
		for (int k = 0; k < 3; k++)
			c.values[k][g] = (double)b->by_month[k][g];
	}
	rdoc_chart(d, &c, 250);

	rdoc_heading(d, "2. Theo mức độ nghiêm trọng");
	counts_table(d, "Theo mức độ", "Mức độ", b->severities, b->nseverities, NULL, b->total);
	memset(&c, 0, sizeof c);
	c.title = "Sự cố theo mức độ nghiêm trọng";
	c.nseries = 1;
	c.series[0] = "Số sự cố";
	for (size_t i = 0; i < b->nseverities && i < CHART_MAX_CATS; i++) {
		c.cats[c.ncats] = b->severities[i].name;
		c.values[c.ncats++][0] = (double)b->severities[i].count;
	}
	rdoc_chart(d, &c, 230);

	rdoc_heading(d, "3. Theo tháng");
	{
		const char *head[2 + OFFICIAL_MAX_GROUPS];
		double width[2 + OFFICIAL_MAX_GROUPS];
		struct rdoc_table *t;
		int64_t col[OFFICIAL_MAX_GROUPS] = {0}, all = 0;

		head[0] = "Tháng";
		width[0] = 1.6;
		for (size_t g = 0; g < ng; g++) {
			head[1 + g] = b->groups[g].name;
			width[1 + g] = 1.5;
		}
		head[1 + ng] = "Tổng";
		width[1 + ng] = 0.9;
		t = rdoc_table(d, "Theo tháng", "", 2 + ng, head, width);
		for (int k = 0; k < 3; k++) {
			int64_t sum = 0;

			rdoc_cell(d, t, months[k]);
			for (size_t g = 0; g < ng; g++) {
				rdoc_cell_int(d, t, b->by_month[k][g]);
				sum += b->by_month[k][g];
				col[g] += b->by_month[k][g];
			}
			rdoc_cell_int(d, t, sum);
			all += sum;
		}
		rdoc_cell(d, t, "Cả quý");
		for (size_t g = 0; g < ng; g++)
			rdoc_cell_int(d, t, col[g]);
		rdoc_cell_int(d, t, all);
		if (t)
			t->total = true;
	}
	rdoc_heading(d, "4. Theo cơ quan, đơn vị báo cáo");
	if (b->norgs == 0 && b->restricted == 0)
		rdoc_para(d, "Không có sự cố.", RDOC_INDENT);
	else
		/* the incidents above TLP:GREEN in one row, their organisations unnamed, so the
		 * column still adds up to the total */
		counts_table(d, "Theo đơn vị", "Cơ quan, đơn vị", b->orgs, b->norgs,
			     b->restricted > 0 ? &restricted : NULL, b->total);
}

static void duties_part(struct rdoc *d, const struct official_bulletin *b)
{
	static const char *const head[] = {"STT",      "Cơ quan, đơn vị", "Đến hạn",
					   "Đúng hạn", "Trễ hạn",         "Quá hạn chưa làm",
					   "Chưa đến hạn"};
	static const double width[] = {0.6, 4.4, 1, 1, 1, 1.2, 1.2};
	struct rdoc_table *t;
	struct official_compliance sum = {.org = "Tổng cộng"};

	rdoc_heading(d, "III. THỰC HIỆN NHIỆM VỤ ĐỊNH KỲ");
	if (b->ncompliance == 0) {
		rdoc_para(d, "Không có nhiệm vụ định kỳ đến hạn trong quý.", RDOC_INDENT);
		return;
	}
	t = rdoc_table(d, "Nhiệm vụ định kỳ", "", 7, head, width);
	if (t)
		t->compact = true;
	for (size_t i = 0; i <= b->ncompliance; i++) {
		const struct official_compliance *c = i < b->ncompliance ? &b->compliance[i] : &sum;

		rdoc_cell(d, t, i < b->ncompliance ? rdoc_fmt(d, "%zu", i + 1) : "");
		rdoc_cell(d, t, c->org);
		rdoc_cell_int(d, t, c->due);
		rdoc_cell_int(d, t, c->on_time);
		rdoc_cell_int(d, t, c->late);
		rdoc_cell_int(d, t, c->overdue);
		rdoc_cell_int(d, t, c->pending);
		if (i < b->ncompliance) {
			sum.due += c->due;
			sum.on_time += c->on_time;
			sum.late += c->late;
			sum.overdue += c->overdue;
			sum.pending += c->pending;
		}
	}
	if (t)
		t->total = true;
	rdoc_table_note(d, t,
			"Nhiệm vụ có hạn trong quý theo lịch nhiệm vụ định kỳ của quy chế đang áp "
			"dụng; \"Quá hạn chưa làm\": đã qua hạn mà chưa đánh dấu hoàn thành.");
}

static void notable_part(struct rdoc *d, const struct official_bulletin *b)
{
	static const char *const head[] = {"STT",       "Mã, tên sự cố", "Đơn vị",    "Mức độ",
					   "Loại",      "Phát hiện",      "Trạng thái"};
	static const double width[] = {0.7, 3.7, 1.9, 1.15, 1.7, 1.55, 1.5};
	struct rdoc_table *t;

	rdoc_heading(d, "IV. SỰ CỐ ĐÁNG CHÚ Ý");
	if (b->nnotable == 0) {
		rdoc_para(d,
			  b->restricted > 0
				  ? "Không có sự cố có nhãn TLP:CLEAR hoặc TLP:GREEN trong quý."
				  : "Không có sự cố trong quý.",
			  RDOC_INDENT);
		return;
	}
	t = rdoc_table(d, "Sự cố đáng chú ý", "Các sự cố nghiêm trọng nhất trong quý", 7, head,
		       width);
	if (t)
		t->compact = true;
	for (size_t i = 0; i < b->nnotable; i++) {
		const struct official_notable *n = &b->notable[i];
		char when[TM_ISO_MAX];

		if (tm_format_vn_date(n->detected_at, when, sizeof when) != 0)
			when[0] = '\0';
		rdoc_cell(d, t, rdoc_fmt(d, "%zu", i + 1));
		rdoc_cell(d, t, rdoc_fmt(d, "%s\n%s", n->ref, n->title));
		rdoc_cell(d, t, n->org);
		rdoc_cell(d, t, n->severity);
		rdoc_cell(d, t, n->type);
		rdoc_cell(d, t, when);
		rdoc_cell(d, t, n->status);
	}
	rdoc_table_note(d, t,
			"Chỉ gồm các sự cố có nhãn TLP:CLEAR hoặc TLP:GREEN: bản tin được gửi tới mọi "
			"thành viên mạng lưới, sự cố có nhãn cao hơn chỉ được tính vào số liệu ở mục I.");
}

/* Section II from the warnings issued in the quarter, as recorded: how many, and those a
 * member of the network may read (up to TLP:GREEN) by name. */
static void warnings_part(struct rdoc *d, const struct official_bulletin *b)
{
	static const char *const head[] = {"STT", "Số hiệu, tiêu đề", "Đơn vị phát", "Mức độ",
					   "Ngày phát hành", "Đơn vị nhận / đã xác nhận"};
	static const double width[] = {0.7, 4.2, 2.4, 1.3, 1.6, 2.0};
	struct rdoc_table *t;

	rdoc_heading(d, "II. CẢNH BÁO ĐÃ PHÁT HÀNH");
	if (b->warnings_total == 0) {
		rdoc_para(d, "Trong quý không có cảnh báo nào được phát hành trên hệ thống.",
			  RDOC_INDENT);
		return;
	}
	rdoc_para(d,
		  b->warnings_restricted > 0
			  ? rdoc_fmt(d,
				     "Trong quý đã phát hành %lld cảnh báo, trong đó %lld cảnh báo có "
				     "nhãn cao hơn TLP:GREEN chỉ gửi tới các đơn vị nhận, không nêu "
				     "tên ở đây.",
				     (long long)b->warnings_total, (long long)b->warnings_restricted)
			  : rdoc_fmt(d, "Trong quý đã phát hành %lld cảnh báo.",
				     (long long)b->warnings_total),
		  RDOC_INDENT);
	if (b->nwarnings == 0)
		return;
	if ((int64_t)b->nwarnings < b->warnings_total - b->warnings_restricted)
		rdoc_para(d,
			  rdoc_fmt(d, "Bảng dưới nêu %zu cảnh báo phát hành sớm nhất trong quý.",
				   b->nwarnings),
			  RDOC_INDENT);
	t = rdoc_table(d, "Cảnh báo đã phát hành", "Cảnh báo có nhãn TLP:CLEAR hoặc TLP:GREEN", 6,
		       head, width);
	if (t)
		t->compact = true;
	for (size_t i = 0; i < b->nwarnings; i++) {
		const struct official_warning *w = &b->warnings[i];
		char when[TM_ISO_MAX];

		if (tm_format_vn_date(w->issued_at, when, sizeof when) != 0)
			when[0] = '\0';
		rdoc_cell(d, t, rdoc_fmt(d, "%zu", i + 1));
		rdoc_cell(d, t, rdoc_fmt(d, "%s\n%s", w->ref, w->title));
		rdoc_cell(d, t, w->issuer);
		rdoc_cell(d, t, w->severity);
		rdoc_cell(d, t, when);
		rdoc_cell(d, t, rdoc_fmt(d, "%lld / %lld", (long long)w->targets,
					 (long long)w->acked));
	}
}

int official_bulletin(struct rdoc *d, const struct official_bulletin *b)
{
	char range[96];
	struct rdoc_sign sign = {"- Thành viên mạng lưới ứng cứu sự cố;\n- Lưu: VT.",
				 "THỦ TRƯỞNG CƠ QUAN ĐIỀU PHỐI", "(Ký, ghi rõ họ tên, đóng dấu)", ""};
	int q = b->quarter >= 1 && b->quarter <= 4 ? b->quarter : 1;

	range_words(b->from, b->to, range, sizeof range);
	header(d, &b->h, rdoc_fmt(d, "%d-Q%d/BT-UCSC", b->year, q),
	       "Bản tin ứng cứu sự cố an toàn thông tin mạng",
	       rdoc_fmt(d, "Quý %s năm %d (%s)", roman[q - 1], b->year, range), "");
	rdoc_para(d,
		  b->basis && b->basis[0]
			  ? rdoc_fmt(d, "(Bản tin hằng quý của cơ quan điều phối, theo %s)", b->basis)
			  : "(Bản tin hằng quý của cơ quan điều phối)",
		  RDOC_ITALIC | RDOC_CENTER);
	incidents_part(d, b);
	warnings_part(d, b);
	duties_part(d, b);
	notable_part(d, b);
	rdoc_signature(d, &sign);
	return rdoc_error(d);
}
