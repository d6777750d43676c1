/* stats.c - the dashboard's figures: counts by severity, state, group, organisation and month
 * (drills counted apart), and the monthly chart as SVG drawn by render/ with cairo. Every count
 * is of the incidents the reader may see. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "render/chart.h"
#include "util/str.h"
#include "util/tm.h"

#define DAY 86400

static int stats_window(struct http_req *req, struct http_res *res, struct store_stats_filter *f)
{
	int64_t drill;

	memset(f, 0, sizeof *f);
	if (api_query_time(req, "from", res, &f->from) != 0 ||
	    api_query_time(req, "to", res, &f->to) != 0 ||
	    api_query_int(req, "drill", -1, 1, 0, res, &drill) != 0)
		return -1;
	f->drill = (int)drill;
	if (f->to == 0)
		f->to = tm_now() + 1;
	if (f->from == 0)
		f->from = f->to - 365 * DAY;
	return 0;
}

int api_stats_summary(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store_stats_filter f;
	struct ac_scope scope;
	json_t *out = NULL;
	int rc;

	if (stats_window(req, res, &f) != 0)
		return 0;
	access_incident_scope(&cx->subject, &scope);
	rc = store_stats_summary(api_store(), &scope, &f, &out);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, out);
}

/* The last `months` Vietnam-local months ending with the current one, as chart categories. */
static void month_cats(struct chart_bars *c, int months, char labels[][16], char keys[][8])
{
	int y, m, d, h, mi, s;

	tm_vn_fields(tm_now(), &y, &m, &d, &h, &mi, &s);
	c->ncats = (size_t)months;
	for (int i = months - 1; i >= 0; i--) {
		snprintf(labels[i], 16, "%02d/%04d", m, y);
		snprintf(keys[i], 8, "%04d-%02d", y, m);
		c->cats[i] = labels[i];
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
}

static void fill_values(struct chart_bars *c, const json_t *by_month, char keys[][8],
			const struct preset *p)
{
	json_t *row;
	size_t i;

	json_array_foreach(by_month, i, row) {
		const char *month = json_string_value(json_object_get(row, "month"));
		const char *grp = json_string_value(json_object_get(row, "group"));

		for (size_t k = 0; month && grp && k < c->ncats; k++) {
			if (strcmp(keys[k], month) != 0)
				continue;
			for (size_t g = 0; g < p->ngroups && g < CHART_MAX_SERIES; g++)
				if (strcmp(p->groups[g].code, grp) == 0)
					c->values[k][g] += (double)json_integer_value(json_object_get(row, "count"));
		}
	}
}

int api_stats_monthly_svg(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const struct preset *p = api_env.preset;
	const char *lang = http_query(req, "lang");
	bool en = lang && strcmp(lang, "en") == 0;
	struct store_stats_filter f = {.drill = 0};
	static _Thread_local struct chart_bars c;
	char labels[CHART_MAX_CATS][16], keys[CHART_MAX_CATS][8];
	struct ac_scope scope;
	json_t *out = NULL;
	int64_t months;
	int rc;

	if (api_query_int(req, "months", 1, CHART_MAX_CATS, 12, res, &months) != 0)
		return 0;
	memset(&c, 0, sizeof c);
	month_cats(&c, (int)months, labels, keys);
	f.to = tm_now() + 1;
	f.from = f.to - (months + 1) * 31 * DAY;
	access_incident_scope(&cx->subject, &scope);
	rc = store_stats_summary(api_store(), &scope, &f, &out);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	c.title = en ? "Incidents per month by group (drills excluded)"
		     : "Sự cố theo tháng và nhóm (không tính diễn tập)";
	for (size_t g = 0; g < p->ngroups && g < CHART_MAX_SERIES; g++)
		c.series[c.nseries++] = en ? p->groups[g].name_en : p->groups[g].name_vi;
	fill_values(&c, json_object_get(out, "by_month"), keys, p);
	json_decref(out);
	buf_reset(&res->body);
	if (chart_bars_svg(&c, 760, 340, &res->body) != 0)
		return api_store_error(res, STORE_EIO);
	res->status = 200;
	str_copy(res->content_type, sizeof res->content_type, "image/svg+xml");
	http_res_header(res, "Cache-Control", "private, max-age=60");
	return 0;
}

int api_requests_box(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *box = http_query(req, "box"), *status = http_query(req, "status");
	json_t *items = NULL;
	int rc;

	if (!access_request_box(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL, M_request_box_forbidden);
	if (box && strcmp(box, "in") != 0 && strcmp(box, "out") != 0)
		return http_res_problem(res, 400, "Invalid parameter", "box", M_request_box_invalid);
	if (status && strcmp(status, "open") && strcmp(status, "accepted") &&
	    strcmp(status, "declined") && strcmp(status, "done"))
		return http_res_problem(res, 400, "Invalid parameter", "status",
					M_request_status_filter_invalid);
	rc = store_request_box(api_store(), cx->subject.org_id, box == NULL || strcmp(box, "in") == 0,
			       status, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}
