/* warnings.c - warnings (cảnh báo): the coordinator, the police, central agencies, the national
 * coordinator and the response team warn the organisations concerned about threats and
 * vulnerabilities (000 Đ7.4; 002 Đ7.2c); each targeted organisation acknowledges, finds and fixes
 * what the warning names and reports back per system (003 §1). Drafts, issuing (targets,
 * matching, outbox), answers, the live tracking table, and incidents opened from a warning.
 * docs/warnings.md. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "core/codes.h"
#include "core/indicator.h"
#include "stix.h"
#include "util/str.h"
#include "util/tm.h"

#define TITLE_MAX 300
#define TEXT_MAX 20000
#define SHORT_MAX 1000
#define REFS_MAX 100
#define PRODUCTS_MAX 100
#define TARGET_ORGS_MAX 10000

static const char *const report_states[] = {"not_affected", "affected", "fixing", "fixed",
					    "accepted_risk", NULL};

static bool one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- access ---- */

int api_warnings_access(const struct http_req *req, struct http_res *res, int64_t id,
			enum ac_action a, struct ac_warning *aw)
{
	const struct api_ctx *cx = req->ctx;
	int rc = store_warning_access(api_store(), id, cx->subject.org_id, aw);

	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	return api_access_answer(res, access_warning(&cx->subject, aw, AC_READ),
				 a == AC_READ || access_warning(&cx->subject, aw, a), "cảnh báo",
				 "warning");
}

/* ---- validation ---- */

static int parse_due(const json_t *in, json_t *row, struct http_res *res)
{
	const char *s;
	int64_t t = 0;
	int got = http_json_str(in, "due_at", false, 40, false, res, &s);

	if (got < 0)
		return -1;
	if (got == 0 && json_is_null(json_object_get(in, "due_at")))
		json_object_set_new(row, "due_at", json_integer(0));
	if (got == 0)
		return 0;
	if (s[0] != '\0' && tm_parse_iso(s, &t) != 0)
		return http_res_problem(res, 422, "Invalid field", "due_at",
					"Hạn phản hồi phải là ngày giờ ISO 8601 / due_at must be an "
					"ISO 8601 time"),
		       -1;
	json_object_set_new(row, "due_at", json_integer(t));
	return 0;
}

/* CVE-YYYY-NNNN+ (upper case out). */
static bool cve_ok(const char *s, char *out, size_t outsz)
{
	size_t n = strlen(s), i;

	if (n < 13 || n >= outsz || strncasecmp(s, "CVE-", 4) != 0 || s[8] != '-')
		return false;
	for (i = 4; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	for (i = 9; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (n - 9 < 4)
		return false;
	for (i = 0; i <= n; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	return true;
}

/* References: strings (typed: CVE id, URL, else advisory) or {type, value}. */
static int parse_refs(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr, *it;
	json_t *out;
	size_t i;
	int got = http_json_list(in, "refs", false, REFS_MAX, res, &arr);

	if (got <= 0)
		return got;
	out = json_array();
	json_array_foreach(arr, i, it) {
		const char *v = json_is_string(it) ? json_string_value(it)
						   : json_string_value(json_object_get(it, "value"));
		const char *type = json_string_value(json_object_get(it, "type"));
		char canon[IND_VALUE_MAX];
		bool ok = v != NULL && v[0] != '\0' && strlen(v) <= 1000 &&
			  str_utf8_valid(v, strlen(v)) && !strpbrk(v, "\r\n\t");

		if (ok && (type == NULL || type[0] == '\0'))
			type = cve_ok(v, canon, sizeof canon) ? "cve"
			       : (str_starts(v, "http://") || str_starts(v, "https://")) ? "url"
											 : "advisory";
		if (ok && strcmp(type, "cve") == 0)
			ok = cve_ok(v, canon, sizeof canon);
		else if (ok && strcmp(type, "url") == 0)
			ok = indicator_normalize(IND_URL, v, strlen(v), canon, sizeof canon) == 0;
		else if (ok && strcmp(type, "advisory") == 0)
			ok = str_copy(canon, sizeof canon, v) == 0;
		else
			ok = false;
		if (!ok) {
			json_decref(out);
			return http_res_problem(res, 422, "Invalid field", "refs",
						"Tham chiếu thứ %zu không hợp lệ (CVE-YYYY-NNNN, URL "
						"hoặc số hiệu khuyến cáo) / reference %zu is invalid "
						"(CVE-YYYY-NNNN, a URL or an advisory id)",
						i + 1, i + 1),
			       -1;
		}
		json_array_append_new(out, json_pack("{s:s, s:s}", "type", type, "value", canon));
	}
	json_object_set_new(row, "refs", out);
	return 0;
}

static int parse_products(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr = json_object_get(in, "products"), *it;
	json_t *out;
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > PRODUCTS_MAX)
		goto bad;
	out = json_array();
	json_array_foreach(arr, i, it) {
		const char *v = json_string_value(json_object_get(it, "vendor"));
		const char *p = json_string_value(json_object_get(it, "product"));
		const char *ver = json_string_value(json_object_get(it, "versions"));

		if (!json_is_object(it) || v == NULL || p == NULL || !v[0] || !p[0] ||
		    strlen(v) > 200 || strlen(p) > 200 || (ver && strlen(ver) > 200) ||
		    !str_utf8_valid(v, strlen(v)) || !str_utf8_valid(p, strlen(p)) ||
		    (ver && !str_utf8_valid(ver, strlen(ver))) ||
		    json_object_size(it) > (size_t)(json_object_get(it, "versions") ? 3 : 2)) {
			json_decref(out);
			return http_res_problem(res, 422, "Invalid field", "products",
						"Sản phẩm thứ %zu cần vendor và product (tối đa 200 ký "
						"tự) / product %zu needs vendor and product (at most 200 "
						"characters)",
						i + 1, i + 1),
			       -1;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "vendor", v, "product", p,
						     "versions", ver ? ver : ""));
	}
	json_object_set_new(row, "products", out);
	return 0;
bad:
	return http_res_problem(res, 422, "Invalid field", "products",
				"'products' phải là danh sách tối đa %d mục / 'products' must be a "
				"list of at most %d items",
				PRODUCTS_MAX, PRODUCTS_MAX),
	       -1;
}

/* {"mode": "all" | "roles" (roles: [codes]) | "orgs" (orgs: [ids]) | "match"}. */
static int parse_target(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *t = json_object_get(in, "target"), *v;
	const char *mode = json_string_value(json_object_get(t, "mode"));
	json_t *out;
	size_t i;

	if (t == NULL)
		return 0;
	if (!json_is_object(t) || !one_of(mode, (const char *const[]){"all", "roles", "orgs", "match", NULL}))
		goto bad;
	out = json_pack("{s:s}", "mode", mode);
	if (strcmp(mode, "roles") == 0) {
		const json_t *roles = json_object_get(t, "roles");
		json_t *r = json_array();

		if (!json_is_array(roles) || json_array_size(roles) == 0 ||
		    json_array_size(roles) > ORG_ROLE_COUNT) {
			json_decref(r);
			json_decref(out);
			goto bad;
		}
		json_array_foreach(roles, i, v)
			if (!json_is_string(v) || codes_org_role_parse(json_string_value(v)) < 0) {
				json_decref(r);
				json_decref(out);
				goto bad;
			} else {
				json_array_append_new(r, json_string(json_string_value(v)));
			}
		json_object_set_new(out, "roles", r);
	} else if (strcmp(mode, "orgs") == 0) {
		const json_t *orgs = json_object_get(t, "orgs");
		json_t *o = json_array();

		if (!json_is_array(orgs) || json_array_size(orgs) == 0 ||
		    json_array_size(orgs) > TARGET_ORGS_MAX) {
			json_decref(o);
			json_decref(out);
			goto bad;
		}
		json_array_foreach(orgs, i, v)
			if (!json_is_integer(v) || json_integer_value(v) <= 0) {
				json_decref(o);
				json_decref(out);
				goto bad;
			} else {
				json_array_append_new(o, json_integer(json_integer_value(v)));
			}
		json_object_set_new(out, "orgs", o);
	}
	json_object_set_new(row, "target", out);
	return 0;
bad:
	return http_res_problem(res, 422, "Invalid field", "target",
				"Đối tượng nhận: {\"mode\": \"all\"}, {\"mode\": \"roles\", \"roles\": "
				"[...]}, {\"mode\": \"orgs\", \"orgs\": [id...]} hoặc {\"mode\": "
				"\"match\"} / target must be all, roles (with roles), orgs (with ids) "
				"or match"),
	       -1;
}

static int warning_fields(const json_t *in, bool create, json_t *row, struct http_res *res)
{
	static const struct { const char *name; size_t max; bool multi; } f[] = {
		{"title", TITLE_MAX, false},	   {"description", TEXT_MAX, true},
		{"legal_basis", SHORT_MAX, true}, {"actions", TEXT_MAX, true},
	};
	const char *v, *sev, *tlp;
	int got;
	json_t *inds = NULL;

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if ((got = http_json_str(in, f[i].name, create && i == 0, f[i].max, f[i].multi, res,
					 &v)) < 0)
			return -1;
		if (got)
			json_object_set_new(row, f[i].name, json_string(v));
	}
	if ((got = http_json_str(in, "severity", create, PRESET_CODE, false, res, &sev)) < 0)
		return -1;
	if (got) {
		const struct preset_item *si = preset_severity(api_env.preset, sev);

		if (si == NULL)
			return http_res_problem(res, 422, "Invalid field", "severity",
						"Mức độ '%s' không có trong quy chế / unknown severity "
						"'%s'",
						sev, sev),
			       -1;
		json_object_set_new(row, "severity", json_string(sev));
		json_object_set_new(row, "severity_rank", json_integer(si->rank));
	}
	if ((got = http_json_str(in, "tlp", false, 20, false, res, &tlp)) < 0)
		return -1;
	if (got) {
		int t = codes_tlp_parse(tlp);

		if (t < 0)
			return http_res_problem(res, 422, "Invalid field", "tlp",
						"Nhãn TLP phải là clear, green, amber, amber+strict "
						"hoặc red / tlp must be clear, green, amber, "
						"amber+strict or red"),
			       -1;
		json_object_set_new(row, "tlp", json_integer(t));
	} else if (create) {
		json_object_set_new(row, "tlp", json_integer(TLP_AMBER));
	}
	if (parse_due(in, row, res) != 0 || parse_refs(in, row, res) != 0 ||
	    parse_products(in, row, res) != 0 || parse_target(in, row, res) != 0)
		return -1;
	if (json_object_get(in, "indicators") != NULL) {
		if (api_indicators_parse(json_object_get(in, "indicators"), "indicators",
					 API_INDICATORS_MAX, res, &inds) != 0)
			return -1;
		json_object_set_new(row, "indicators", inds);
	}
	if (create && json_object_get(row, "target") == NULL)
		json_object_set_new(row, "target", json_pack("{s:s}", "mode", "match"));
	return 0;
}

static const char *const warning_keys[] = {"title",	"description", "severity", "tlp",
					   "legal_basis", "refs",	     "products", "actions",
					   "due_at",	"target",      "indicators", NULL};

/* ---- output ---- */

static json_t *permissions(const struct api_ctx *cx, const struct ac_warning *aw)
{
	return json_pack("{s:b, s:b, s:b}", "edit", access_warning(&cx->subject, aw, AC_EDIT),
			 "answer", access_warning(&cx->subject, aw, AC_COMMENT) && aw->open, "track",
			 access_warning(&cx->subject, aw, AC_TRANSITION));
}

static int64_t iso_time(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	int64_t t = 0;

	return s && tm_parse_iso(s, &t) == 0 ? t : 0;
}

/* Marks each tracking row late: the due time passed and it has not fully answered (or answered
 * after it). */
static void mark_late(json_t *rows, int64_t due, int64_t now)
{
	json_t *v;
	size_t i;

	json_array_foreach(rows, i, v) {
		int64_t r = iso_time(v, "responded_at");
		bool late = due > 0 && ((r == 0 && now > due) || (r > due));

		json_object_set_new(v, "late", json_boolean(late));
	}
}

/* The full record as the caller sees it: permissions, and for a target its own answers. */
static int warning_view(const struct http_req *req, struct store *st, int64_t id,
			const struct ac_warning *aw, json_t **out)
{
	const struct api_ctx *cx = req->ctx;
	json_t *w = NULL, *mine = NULL;
	int rc = store_warning_get(st, id, &w);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	json_object_set_new(w, "permissions", permissions(cx, aw));
	if (aw->targeted && (rc = store_warning_tracking(st, id, cx->subject.org_id, &mine)) ==
				    STORE_OK) {
		mark_late(mine, iso_time(w, "due_at"), tm_now());
		json_object_set(w, "mine", json_array_size(mine) ? json_array_get(mine, 0)
								 : json_null());
		json_decref(mine);
	}
	if (rc != STORE_OK)
		return json_decref(w), rc;
	*out = w;
	return STORE_OK;
}

/* ---- handlers ---- */

int api_warnings_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store_warning_filter f = {0};
	struct ac_scope scope;
	json_t *items = NULL, *v;
	int64_t limit, next = 0, mine, now = tm_now();
	size_t i;
	int rc;

	f.status = http_query(req, "status");
	f.severity = http_query(req, "severity");
	if (f.status && f.status[0] == '\0')
		f.status = NULL;
	if (f.severity && f.severity[0] == '\0')
		f.severity = NULL;
	if (api_query_page(req, res, 50, 200, &limit, &f.before_id) != 0 ||
	    api_query_int(req, "issuer", 0, INT64_MAX, 0, res, &f.issuer_org_id) != 0 ||
	    api_query_int(req, "mine", 0, 1, 0, res, &mine) != 0)
		return 0;
	f.limit = (int)limit;
	f.mine = mine != 0;
	access_warning_scope(&cx->subject, &scope);
	rc = store_warning_list(api_store(), &scope, &f, &items, &next);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	json_array_foreach(items, i, v) {
		int64_t due = iso_time(v, "due_at"), r = iso_time(v, "my_responded_at");

		json_object_set_new(v, "my_late",
				    json_boolean(json_is_string(json_object_get(v, "my_reason")) &&
						 due > 0 && r == 0 && now > due));
	}
	return http_res_json(res, 200,
			     json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       next ? json_integer(next) : json_null()));
}

int api_warnings_create(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *out = NULL;
	struct ac_warning aw = {.issuer_org_id = cx->subject.org_id, .draft = true};
	struct api_tx tx;
	char ref[32] = "";
	int64_t id = 0;
	int rc;

	if (!access_warning_issuer(&cx->subject)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Chỉ cơ quan điều phối, công an, cơ quan trung ương, cơ quan điều phối "
				 "quốc gia và đội ứng cứu được phát cảnh báo (000 Đ7.4) / only the "
				 "coordinator, police, central agencies, the national coordinator and "
				 "the response team issue warnings");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, warning_keys, res) != 0 ||
	    warning_fields(in, true, row, res) != 0)
		goto out;
	json_object_set_new(row, "issuer_org_id", json_integer(cx->subject.org_id));
	json_object_set_new(row, "created_by", json_integer(cx->user.id));
	json_object_set_new(row, "source", json_string(""));
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	rc = store_warning_create(tx.st, row, &id, ref);
	if (rc == STORE_OK)
		rc = stix_warning_assign_id(tx.st, id, ref);
	if (rc == STORE_OK)
		rc = warning_view(req, tx.st, id, &aw, &out);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"warning.create", "warning", id, NULL, 201,
					 "/api/v1/warnings"},
		      out);
	out = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

int api_warnings_get(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	json_t *w = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return 0;
	rc = warning_view(req, api_store(), id, &aw, &w);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_etag(res, json_integer_value(json_object_get(w, "version")));
	return http_res_json(res, 200, w);
}

/* Starts a write on warning id and reads it; -1 with res set and nothing open. */
static int begin_on(struct http_req *req, struct http_res *res, struct api_tx *tx, int64_t id,
		    bool create, json_t **before)
{
	int rc;

	*before = NULL;
	if (api_tx_begin(req, res, tx, create))
		return -1;
	rc = store_warning_get(tx->st, id, before);
	if (rc != STORE_OK) {
		api_tx_abort(tx);
		api_store_error(res, rc);
		return -1;
	}
	return 0;
}

static bool status_is(const json_t *w, const char *status)
{
	const char *s = json_string_value(json_object_get(w, "status"));

	return s && strcmp(s, status) == 0;
}

int api_warnings_update(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *before = NULL, *after = NULL;
	struct ac_warning aw;
	struct api_tx tx;
	int64_t id, version;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_EDIT, &aw) != 0)
		goto out;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, warning_keys, res) != 0 ||
	    warning_fields(in, false, row, res) != 0)
		goto out;
	if (begin_on(req, res, &tx, id, false, &before) != 0)
		goto out;
	version = json_integer_value(json_object_get(before, "version"));
	if (api_if_match(req, res, version) != 0) {
		api_tx_abort(&tx);
		goto out;
	}
	if (!status_is(before, "draft")) {
		api_tx_abort(&tx);
		http_res_problem(res, 409, "Not a draft", NULL,
				 "Chỉ sửa được cảnh báo ở trạng thái nháp / only a draft can be "
				 "changed");
		goto out;
	}
	rc = json_object_size(row) ? store_warning_update(tx.st, id, version, row) : STORE_OK;
	if (rc == STORE_OK)
		rc = warning_view(req, tx.st, id, &aw, &after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"warning.update", "warning", id, before, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(before);
	json_decref(after);
	return 0;
}

int api_warnings_issue(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {NULL};
	json_t *in = NULL, *before = NULL, *after = NULL;
	struct ac_warning aw;
	struct api_tx tx;
	int64_t id, targets = 0, systems = 0, now = tm_now();
	const char *mode;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_EDIT, &aw) != 0)
		goto out;
	if (req->body_len > 0 &&
	    (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0))
		goto out;
	if (begin_on(req, res, &tx, id, true, &before) != 0)
		goto out;
	if (!status_is(before, "draft")) {
		api_tx_abort(&tx);
		http_res_problem(res, 409, "Not a draft", NULL,
				 "Cảnh báo đã được phát hoặc đã đóng / the warning was issued or "
				 "closed already");
		goto out;
	}
	mode = json_string_value(json_object_get(json_object_get(before, "target"), "mode"));
	if (mode == NULL) {
		api_tx_abort(&tx);
		http_res_problem(res, 422, "Invalid field", "target",
				 "Chưa chọn đối tượng nhận / no target chosen");
		goto out;
	}
	if (aw.tlp >= TLP_RED && strcmp(mode, "orgs") != 0) {
		api_tx_abort(&tx);
		http_res_problem(res, 422, "Invalid field", "target",
				 "Cảnh báo TLP:RED chỉ gửi theo danh sách đơn vị được nêu tên (000 "
				 "Đ4.4) / a TLP:RED warning goes only to a list of named organisations");
		goto out;
	}
	rc = store_warning_issue(tx.st, id, now, &targets, &systems);
	if (rc == STORE_EINVAL) {
		api_tx_abort(&tx);
		http_res_problem(res, 422, "Invalid field", "target",
				 "Đơn vị nhận không tồn tại hoặc đã ngừng hoạt động / a target "
				 "organisation does not exist or is inactive");
		goto out;
	}
	aw.draft = false;
	aw.open = true;
	if (rc == STORE_OK)
		rc = warning_view(req, tx.st, id, &aw, &after);
	if (rc == STORE_OK)
		json_object_set_new(after, "issued", json_pack("{s:I, s:I}", "targets",
							       (json_int_t)targets, "systems",
							       (json_int_t)systems));
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"warning.issue", "warning", id, before, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}

int api_warnings_close(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"withdraw", "note", NULL};
	json_t *in = NULL, *before = NULL, *after = NULL;
	struct ac_warning aw;
	struct api_tx tx;
	const char *note;
	bool withdraw = false;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_EDIT, &aw) != 0)
		goto out;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_bool(in, "withdraw", false, res, &withdraw) < 0 ||
	    http_json_str(in, "note", false, SHORT_MAX, true, res, &note) < 0)
		goto out;
	if (begin_on(req, res, &tx, id, false, &before) != 0)
		goto out;
	if (!(status_is(before, "issued") || (withdraw && status_is(before, "draft")))) {
		api_tx_abort(&tx);
		http_res_problem(res, 409, "Not open", NULL,
				 "Chỉ đóng được cảnh báo đang hiệu lực (nháp thì thu hồi) / only an "
				 "issued warning can be closed (a draft can be withdrawn)");
		goto out;
	}
	rc = store_warning_set_status(tx.st, id, withdraw ? "withdrawn" : "closed", tm_now());
	aw.open = false;
	if (rc == STORE_OK)
		rc = warning_view(req, tx.st, id, &aw, &after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){withdraw ? "warning.withdraw" : "warning.close", "warning",
					 id, before, 200, NULL},
		      after);
	after = NULL;
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}

/* The caller's answers as they stand now (the target view). */
static int mine_json(struct store *st, int64_t id, int64_t org, json_t **out)
{
	json_t *rows = NULL;
	int rc = store_warning_tracking(st, id, org, &rows);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	*out = json_incref(json_array_size(rows) ? json_array_get(rows, 0) : NULL);
	json_decref(rows);
	if (*out == NULL)
		*out = json_object();
	return STORE_OK;
}

/* Checks the warning can be answered now (issued, not closed). */
static int answerable(const struct ac_warning *aw, struct http_res *res)
{
	if (aw->open)
		return 0;
	return http_res_problem(res, 409, "Not open", NULL,
				"Cảnh báo đã đóng hoặc thu hồi / the warning is closed or withdrawn"),
	       -1;
}

int api_warnings_ack(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *after = NULL;
	struct ac_warning aw;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0)
		return 0;
	if (req->body_len > 0 &&
	    (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0))
		goto out;
	if (answerable(&aw, res) != 0 || api_tx_begin(req, res, &tx, false))
		goto out;
	rc = store_warning_ack(tx.st, id, cx->subject.org_id, cx->user.id, tm_now());
	if (rc == STORE_OK)
		rc = mine_json(tx.st, id, cx->subject.org_id, &after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"warning.ack", "warning", id, NULL, 200, NULL}, after);
out:
	json_decref(in);
	return 0;
}

/* The system must be one the caller's organisation owns or operates. */
static int own_system(const struct api_ctx *cx, struct http_res *res, int64_t sid)
{
	struct ac_system as;

	if (store_system_access(api_store(), sid, &as) != STORE_OK ||
	    (as.owner_org_id != cx->subject.org_id && as.operator_org_id != cx->subject.org_id))
		return http_res_problem(res, 404, "Not found", NULL,
					"Không tìm thấy hệ thống của đơn vị / no such system of your "
					"organisation"),
		       -1;
	return 0;
}

int api_warnings_report(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"status", "note", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *after = NULL;
	struct ac_warning aw;
	const char *status, *note;
	struct api_tx tx;
	int64_t id, sid, now = tm_now();
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0)
		goto out;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "status", true, 20, false, res, &status) < 0 ||
	    http_json_str(in, "note", false, 4000, true, res, &note) < 0)
		goto out;
	if (!one_of(status, report_states)) {
		http_res_problem(res, 422, "Invalid field", "status",
				 "Trạng thái phải là not_affected, affected, fixing, fixed hoặc "
				 "accepted_risk / status must be not_affected, affected, fixing, fixed "
				 "or accepted_risk");
		goto out;
	}
	if (own_system(cx, res, sid) != 0 || answerable(&aw, res) != 0)
		goto out;
	json_object_set_new(row, "status", json_string(status));
	if (note)
		json_object_set_new(row, "note", json_string(note));
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	/* a report answers the warning, so it acknowledges it too */
	rc = store_warning_ack(tx.st, id, cx->subject.org_id, cx->user.id, now);
	if (rc == STORE_OK)
		rc = store_warning_report(tx.st, id, sid, cx->subject.org_id, row, cx->user.id, now);
	if (rc == STORE_OK)
		rc = mine_json(tx.st, id, cx->subject.org_id, &after);
	json_object_set_new(row, "system_id", json_integer(sid));
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"warning.report", "warning", id, row, 200, NULL}, after);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}

int api_warnings_evidence_add(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *name = NULL;
	json_t *row = NULL, *after = NULL;
	struct ac_warning aw;
	char path[1200];
	struct api_tx tx;
	bool placed;
	int64_t id, sid, now = tm_now();
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0 || own_system(cx, res, sid) != 0)
		return 0;
	switch (api_upload_name(req, res, &name)) {
	case -1: return 0;
	case 0:
		return http_res_problem(res, 422, "Invalid parameter", "name",
					"Cần tên tệp hợp lệ (tham số name) / a valid file name is "
					"required (?name=)");
	default: break;
	}
	if (req->upload_len == 0)
		return http_res_problem(res, 422, "Empty file", "file", "Tệp rỗng / the file is empty");
	if (answerable(&aw, res) != 0 || api_tx_begin(req, res, &tx, true))
		return 0;
	if (api_file_keep(req, path, sizeof path, &placed) != 0) {
		api_tx_abort(&tx);
		return api_store_error(res, STORE_EIO);
	}
	row = json_pack("{s:s, s:s}", "evidence_sha256", req->upload_sha256, "evidence_name", name);
	rc = store_warning_report(tx.st, id, sid, cx->subject.org_id, row, cx->user.id, now);
	if (rc == STORE_OK)
		rc = mine_json(tx.st, id, cx->subject.org_id, &after);
	json_object_set_new(row, "system_id", json_integer(sid));
	if (rc == STORE_OK)
		rc = api_audit(req, "warning.evidence", "warning", id, NULL, row);
	json_decref(row);
	if (rc != STORE_OK) {
		json_decref(after);
		api_tx_abort(&tx);
		if (placed)
			unlink(path);
		return api_store_error(res, rc);
	}
	http_res_json(res, 201, after);
	if (api_tx_commit(&tx, req, res) != 0 && placed)
		unlink(path);
	return 0;
}

/* The status rows of one system on a warning, if the caller may see them. */
static int system_row(const struct http_req *req, struct http_res *res, int64_t id, int64_t sid,
		      json_t **out)
{
	const struct api_ctx *cx = req->ctx;
	struct ac_warning aw;
	json_t *rows = NULL, *o, *s;
	size_t i, j;
	int rc;

	*out = NULL;
	if (api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return -1;
	rc = store_warning_tracking(api_store(), id,
				    access_warning(&cx->subject, &aw, AC_TRANSITION)
					    ? 0
					    : (aw.targeted ? cx->subject.org_id : -1),
				    &rows);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	json_array_foreach(rows, i, o)
		json_array_foreach(json_object_get(o, "systems"), j, s)
			if (json_integer_value(json_object_get(s, "system_id")) == sid)
				*out = json_incref(s);
	json_decref(rows);
	if (*out == NULL)
		return http_res_problem(res, 404, "Not found", NULL,
					"Không có báo cáo của hệ thống này / no report for this system"),
		       -1;
	return 0;
}

int api_warnings_evidence_get(struct http_req *req, struct http_res *res)
{
	json_t *row = NULL;
	int64_t id, sid;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    system_row(req, res, id, sid, &row) != 0)
		return 0;
	if (json_string_length(json_object_get(row, "evidence_sha256")) == 0)
		http_res_problem(res, 404, "Not found", NULL,
				 "Chưa có minh chứng / no evidence uploaded");
	else
		api_file_send(res, json_string_value(json_object_get(row, "evidence_sha256")),
			      json_string_value(json_object_get(row, "evidence_name")));
	json_decref(row);
	return 0;
}

int api_warnings_tracking(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	json_t *w = NULL, *rows = NULL, *v;
	int64_t id, due, now = tm_now(), acked = 0, late = 0, responded = 0;
	size_t i;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_warnings_access(req, res, id, AC_TRANSITION, &aw) != 0)
		return 0;
	rc = store_warning_get(api_store(), id, &w);
	if (rc == STORE_OK)
		rc = store_warning_tracking(api_store(), id, 0, &rows);
	if (rc != STORE_OK) {
		json_decref(w);
		return api_store_error(res, rc);
	}
	due = iso_time(w, "due_at");
	mark_late(rows, due, now);
	json_array_foreach(rows, i, v) {
		acked += !json_is_null(json_object_get(v, "acked_at"));
		responded += !json_is_null(json_object_get(v, "responded_at"));
		late += json_is_true(json_object_get(v, "late"));
	}
	rc = http_res_json(res, 200,
			   json_pack("{s:I, s:O, s:O, s:O, s:o, s:{s:I, s:I, s:I, s:I}}", "id",
				     (json_int_t)id, "ref", json_object_get(w, "ref"), "status",
				     json_object_get(w, "status"), "due_at",
				     json_object_get(w, "due_at"), "items", rows, "counts",
				     "targets", (json_int_t)json_array_size(rows), "acked",
				     (json_int_t)acked, "responded", (json_int_t)responded, "late",
				     (json_int_t)late));
	json_decref(w);
	return rc;
}

/* The first type of group whose code says "other", else the first of the group. */
static const char *default_type(const struct preset *p, const char *grp)
{
	const char *first = NULL;

	for (size_t i = 0; i < p->ntypes; i++) {
		if (strcmp(p->types[i].parent, grp) != 0)
			continue;
		if (first == NULL)
			first = p->types[i].code;
		if (strstr(p->types[i].code, "other"))
			return p->types[i].code;
	}
	return first;
}

int api_warnings_spawn(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"title", "group", "type", "severity", "tlp",
					      "description", NULL};
	struct api_ctx *cx = req->ctx;
	const struct preset *p = api_env.preset;
	json_t *in = NULL, *w = NULL, *row = NULL, *out = NULL, *rep = NULL;
	const char *title, *grp, *type, *sev, *tlp, *desc;
	struct ops_report report;
	struct ac_warning aw;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	char text[TEXT_MAX + 600];
	int64_t id, sid, iid = 0, now = tm_now();
	int rc, t;

	if (api_param_id(req, 0, res, &id) != 0 || api_param_id(req, 1, res, &sid) != 0 ||
	    api_warnings_access(req, res, id, AC_COMMENT, &aw) != 0 || own_system(cx, res, sid) != 0)
		return 0;
	api_ops_ctx(req, api_store(), &c);
	if (ops_incident_may_report(&c, &err) != OPS_OK)
		return api_ops_error(res, &err);
	if ((req->body_len > 0 && http_json_body(req, res, &in) != 0) ||
	    (in && http_json_only(in, allowed, res) != 0) ||
	    http_json_str(in, "title", false, TITLE_MAX, false, res, &title) < 0 ||
	    http_json_str(in, "group", false, PRESET_CODE, false, res, &grp) < 0 ||
	    http_json_str(in, "type", false, PRESET_CODE, false, res, &type) < 0 ||
	    http_json_str(in, "severity", false, PRESET_CODE, false, res, &sev) < 0 ||
	    http_json_str(in, "tlp", false, 20, false, res, &tlp) < 0 ||
	    http_json_str(in, "description", false, TEXT_MAX, true, res, &desc) < 0)
		goto out;
	if (store_warning_get(api_store(), id, &w) != STORE_OK) {
		api_store_error(res, STORE_ENOTFOUND);
		goto out;
	}
	if (grp == NULL)
		grp = preset_group(p, "attack") ? "attack" : (p->ngroups ? p->groups[0].code : "");
	if (type == NULL)
		type = default_type(p, grp);
	if (sev == NULL)
		sev = json_string_value(json_object_get(w, "severity"));
	t = tlp ? codes_tlp_parse(tlp) : codes_tlp_parse(json_string_value(json_object_get(w, "tlp")));
	if (t < 0) {
		http_res_problem(res, 422, "Invalid field", "tlp", "Nhãn TLP không hợp lệ / bad tlp");
		goto out;
	}
	snprintf(text, sizeof text,
		 "Theo cảnh báo %s: %s / following warning %s.%s%s",
		 json_string_value(json_object_get(w, "ref")),
		 json_string_value(json_object_get(w, "title")),
		 json_string_value(json_object_get(w, "ref")), desc && desc[0] ? "\n\n" : "",
		 desc ? desc : "");
	row = json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:b, s:I, s:s, s:[I]}", "title",
			title ? title : json_string_value(json_object_get(w, "title")), "grp", grp,
			"type", type, "severity", sev, "tlp", t, "is_drill", 0, "detected_at",
			(json_int_t)now, "description", text, "systems", (json_int_t)sid);
	if (row == NULL) {
		api_store_error(res, STORE_EIO);
		goto out;
	}
	if (answerable(&aw, res) != 0 || api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	c.now = now;
	/* the warning's indicators become the incident's observables */
	report = (struct ops_report){.row = row, .observables = json_object_get(w, "indicators"),
				     .observables_source = "warning",
				     .journal_text = json_string_value(json_object_get(w, "ref"))};
	if (ops_incident_report(&c, &report, &iid, NULL, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	rc = store_related_add(tx.st, "incident", iid, "warning", id,
			       json_string_value(json_object_get(w, "ref")), now);
	rep = json_pack("{s:I}", "incident_id", (json_int_t)iid);
	if (rc == STORE_OK && (rc = store_warning_ack(tx.st, id, cx->subject.org_id, cx->user.id,
						      now)) == STORE_OK) {
		json_t *mine = NULL;

		/* opening an incident says the system is affected, unless reported otherwise */
		if (mine_json(tx.st, id, cx->subject.org_id, &mine) == STORE_OK) {
			json_t *s;
			size_t i;
			bool known = false;

			json_array_foreach(json_object_get(mine, "systems"), i, s)
				if (json_integer_value(json_object_get(s, "system_id")) == sid &&
				    strcmp(json_string_value(json_object_get(s, "status")), "unknown"))
					known = true;
			if (!known)
				json_object_set_new(rep, "status", json_string("affected"));
		}
		json_decref(mine);
		rc = store_warning_report(tx.st, id, sid, cx->subject.org_id, rep, cx->user.id, now);
	}
	if (rc == STORE_OK)
		rc = store_incident_get(tx.st, iid, &out);
	if (rc == STORE_OK)
		rc = api_audit(req, "warning.incident", "warning", id, NULL, rep);
	if (rc == STORE_OK)
		json_object_set_new(out, "warning_id", json_integer(id));
	api_tx_answer(&tx, req, res, rc,
		      &(struct api_done){"warning.incident", "incident", iid, NULL, 201,
					 "/api/v1/incidents"},
		      out);
	out = NULL;
out:
	json_decref(in);
	json_decref(w);
	json_decref(row);
	json_decref(rep);
	json_decref(out);
	return 0;
}

int api_warnings_related(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	json_t *out = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return 0;
	rc = api_related(req, "warning", id, &out);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, out);
}
