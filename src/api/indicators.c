/* indicators.c - observables of incidents and indicators of warnings: validation with
 * core/indicator.c (one canonical spelling), extraction from free text, adding them to an
 * incident (ops/observable.c stores them with the links to related items), and what a caller may
 * see of those related items (docs/warnings.md). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/indicator.h"
#include "ops/observable.h"
#include "util/str.h"

#define INPUT_MAX 2048

/* Appends {kind, value} unless the list has it. */
static void add_unique(json_t *list, const char *kind, const char *value)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(json_object_get(v, "kind")), kind) == 0 &&
		    strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
			return;
	json_array_append_new(list, json_pack("{s:s, s:s}", "kind", kind, "value", value));
}

/* One item: a string (kind detected) or {kind, value}. 0 with kind/value set, or -1. */
static int parse_item(const json_t *it, enum ind_kind *kind, char *out, size_t outsz)
{
	const char *s = json_is_string(it) ? json_string_value(it)
					   : json_string_value(json_object_get(it, "value"));
	const char *k = json_is_object(it) ? json_string_value(json_object_get(it, "kind")) : NULL;
	size_t n;

	if (s == NULL || (json_is_object(it) && json_object_size(it) > 3))
		return -1;
	n = strlen(s);
	while (n > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || n > INPUT_MAX || !str_utf8_valid(s, n))
		return -1;
	if (k != NULL && k[0] != '\0')
		return indicator_kind_parse(k, kind) == 0 &&
				       indicator_normalize(*kind, s, n, out, outsz) == 0
			       ? 0
			       : -1;
	return indicator_detect(s, n, kind, out, outsz);
}

int api_indicators_parse(const json_t *arr, const char *field, size_t max, struct http_res *res,
			 json_t **out)
{
	char value[IND_VALUE_MAX];
	enum ind_kind kind;
	const json_t *it;
	size_t i;

	*out = json_array();
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > max) {
		json_decref(*out);
		*out = NULL;
		return http_res_problem(res, 422, "Invalid field", field,
					M_indicators_list, MS("field", field), MN("max", max)),
		       -1;
	}
	json_array_foreach(arr, i, it) {
		if (parse_item(it, &kind, value, sizeof value) != 0) {
			const char *shown = json_is_string(it)
						    ? json_string_value(it)
						    : json_string_value(json_object_get(it, "value"));
			char brief[80];

			str_copy(brief, sizeof brief, "");
			if (shown)
				snprintf(brief, sizeof brief, "%.60s", shown);
			/* cut at a whole UTF-8 character */
			for (size_t n = strlen(brief); n > 0 && !str_utf8_valid(brief, n); n--)
				brief[n - 1] = '\0';
			json_decref(*out);
			*out = NULL;
			return http_res_problem(res, 422, "Invalid indicator", field,
						M_indicator_invalid, MN("index", i + 1),
						MS("value", brief)),
			       -1;
		}
		add_unique(*out, indicator_kind_name(kind), value);
	}
	return 0;
}

struct found {
	json_t *list;
};

static int found_cb(void *ctx, enum ind_kind kind, const char *value)
{
	struct found *f = ctx;

	add_unique(f->list, indicator_kind_name(kind), value);
	return 0;
}

void api_indicators_extract(const char *text, json_t *list, size_t max)
{
	struct found f = {list};

	if (text != NULL && json_array_size(list) < max)
		indicator_extract(text, strlen(text), max - json_array_size(list), found_cb, &f);
}

/* ---- related items, as the caller may see them ---- */

static bool may_read(const struct api_ctx *cx, struct store *st, const char *kind, int64_t id)
{
	struct ac_warning aw;

	if (strcmp(kind, "incident") == 0)
		return api_incident_readable(cx, id);

	return store_warning_access(st, id, cx->subject.org_id, &aw) == STORE_OK &&
	       access_warning(&cx->subject, &aw, AC_READ);
}

int api_related(const struct http_req *req, const char *kind, int64_t id, json_t **out)
{
	const struct api_ctx *cx = req->ctx;
	struct store *st = api_store();
	json_t *rel = NULL, *items = json_array(), *systems = json_array(), *inds = NULL, *m = NULL,
	       *v, *prods = NULL;
	size_t i;
	int rc;

	*out = NULL;
	rc = store_related_list(st, kind, id, &rel);
	json_array_foreach(rel, i, v) {
		const char *k = json_string_value(json_object_get(v, "kind"));

		if (k && may_read(cx, st, k, json_integer_value(json_object_get(v, "id"))))
			json_array_append(items, v);
	}
	/* the systems whose assets match, live: registries change after the link was made */
	if (rc == STORE_OK)
		rc = store_indicator_list(st, kind, id, &inds);
	if (rc == STORE_OK && strcmp(kind, "warning") == 0) {
		json_t *w = NULL;

		if (store_warning_get(st, id, &w) == STORE_OK)
			prods = json_incref(json_object_get(w, "products"));
		json_decref(w);
	}
	if (rc == STORE_OK)
		rc = store_match(st, inds, prods, kind, id, &m);
	json_array_foreach(json_object_get(m, "systems"), i, v) {
		struct ac_system as = {
			.owner_org_id = json_integer_value(json_object_get(v, "owner_org_id")),
			.operator_org_id = json_integer_value(json_object_get(v, "operator_org_id")),
		};
		struct ac_system full;

		if (store_system_access(st, json_integer_value(json_object_get(v, "system_id")),
					&full) == STORE_OK)
			as = full;
		if (access_system(&cx->subject, &as, AC_READ))
			json_array_append(systems, v);
	}
	if (rc == STORE_OK)
		*out = json_pack("{s:O, s:O}", "items", items, "systems", systems);
	json_decref(rel);
	json_decref(items);
	json_decref(systems);
	json_decref(inds);
	json_decref(prods);
	json_decref(m);
	return rc;
}

/* ---- incident observables ---- */

int api_observables_list(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *items = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = store_indicator_list(api_store(), "incident", id, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_observables_add(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *list = NULL, *inc = NULL, *after = NULL;
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	bool extract = false;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_COMMENT, &ai) != 0)
		return 0;
	if (api_body(req, res, &in) != 0)
		goto out;
	api_in_bool(in, "extract", &extract);
	if (api_indicators_parse(json_object_get(in, "observables"), "observables",
				 API_INDICATORS_MAX, res, &list) != 0)
		goto out;
	if (extract) {
		rc = store_incident_get(api_store(), id, &inc);
		if (rc != STORE_OK) {
			api_store_error(res, rc);
			goto out;
		}
		api_indicators_extract(json_string_value(json_object_get(inc, "description")), list,
				       API_INDICATORS_MAX);
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_observable_add(&c, id, list, extract ? "extract" : "api", &after, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){"incident.observables", "incident", id, NULL, 200, NULL},
		      after);
out:
	json_decref(in);
	json_decref(list);
	json_decref(inc);
	return 0;
}

int api_incidents_related(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *out = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = api_related(req, "incident", id, &out);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_match_words(out, res->lang);
	return http_res_json(res, 200, out);
}

/* Checks values one by one (the form's per-line errors): [{input, kind, value} or {input,
 * error}]. Stores nothing. */
int api_indicators_check(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *items = json_array();
	const json_t *vals, *v;
	char value[IND_VALUE_MAX];
	enum ind_kind kind;
	size_t i;

	if (api_body(req, res, &in) != 0)
		goto out;
	vals = json_object_get(in, "values");
	json_array_foreach(vals, i, v) {
		if (!json_is_string(v)) {
			json_array_append_new(items, json_pack("{s:s}", "error", "not a string"));
			continue;
		}
		if (parse_item(v, &kind, value, sizeof value) == 0)
			json_array_append_new(items, json_pack("{s:O, s:s, s:s}", "input", v, "kind",
							       indicator_kind_name(kind), "value",
							       value));
		else
			json_array_append_new(
				items, json_pack("{s:O, s:s, s:s}", "input", v, "error",
						 msg_text(M_indicator_not_recognised, res->lang),
						 "code", msg_code(M_indicator_not_recognised)));
	}
	http_res_json(res, 200, json_pack("{s:O}", "items", items));
out:
	json_decref(in);
	json_decref(items);
	return 0;
}
