/* dispatch.c - the route table's access declarations, decided before a handler runs: a
 * request for an object the caller may not read is answered 404 (its existence does not
 * leak), one it may read but not act on 403, before its body is read. The operations check
 * again (ops/), so a channel that has no route table cannot skip the rule. */
#include "api.h"
#include <string.h>

#include "core/codes.h"
#include "util/str.h"

bool api_access_admin(const struct ac_subject *s)
{
	return access_user(s, 0, 0, AC_ADMIN);
}

bool api_access_backup_read(const struct ac_subject *s)
{
	return access_backup(s, AC_READ);
}

/* The incident an object of the path belongs to (parameter 0). STORE_* codes. */
static int incident_of(const struct http_req *req, enum api_object o, int64_t *incident_id)
{
	json_t *row = NULL;
	int64_t id;
	int rc;

	*incident_id = 0;
	if (req->nparams < 1 || str_to_i64(req->params[0], 1, INT64_MAX, &id) != 0)
		return STORE_ENOTFOUND;
	if (o == API_OBJ_INCIDENT) {
		*incident_id = id;
		return STORE_OK;
	}
	if (o == API_OBJ_REQUEST)
		return store_request_incident(api_store(), id, incident_id);
	rc = store_attachment_get(api_store(), id, &row);
	if (rc == STORE_OK)
		*incident_id = json_integer_value(json_object_get(row, "incident_id"));
	json_decref(row);
	return rc;
}

static int object_answer(const struct http_req *req, struct http_res *res,
			 const struct api_access *a)
{
	const struct api_ctx *cx = req->ctx;
	struct ac_incident ai;
	struct ac_warning aw;
	int64_t id;
	int rc;

	if (a->object == API_OBJ_WARNING) {
		if (req->nparams < 1 || str_to_i64(req->params[0], 1, INT64_MAX, &id) != 0)
			return api_access_answer(res, false, false, API_OBJ_WARNING);
		rc = store_warning_access(api_store(), id, cx->subject.org_id, &aw);
		if (rc == STORE_ENOTFOUND)
			return api_access_answer(res, false, false, API_OBJ_WARNING);
		if (rc != STORE_OK)
			return api_store_error(res, rc), -1;
		return api_access_answer(res, access_warning(&cx->subject, &aw, AC_READ),
					 a->action == AC_READ ||
						 access_warning(&cx->subject, &aw, a->action),
					 API_OBJ_WARNING);
	}
	rc = incident_of(req, a->object, &id);
	if (rc == STORE_OK)
		rc = store_incident_access(api_store(), id, cx->subject.org_id, &ai);
	if (rc == STORE_ENOTFOUND)
		return api_access_answer(res, false, false, API_OBJ_INCIDENT);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	return api_access_answer(res, access_incident(&cx->subject, &ai, AC_READ),
				 a->action == AC_READ || access_incident(&cx->subject, &ai, a->action),
				 API_OBJ_INCIDENT);
}

/* One member of a body against its declaration. Returns 0, or -1 with a 422 naming it. */
static int member_check(const json_t *in, const struct field *f, bool required,
			struct http_res *res)
{
	const json_t *list, *v;
	const char *text;
	int64_t n;
	bool b;
	size_t i;

	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_TEXTAREA:
	case FIELD_CODE:
		return http_json_str(in, f->name, required, f->cap ? f->cap : SIZE_MAX,
				     f->type == FIELD_TEXTAREA, res, &text) < 0 ? -1 : 0;
	case FIELD_TIME:
		return http_json_str(in, f->name, required, 64, false, res, &text) < 0 ? -1 : 0;
	case FIELD_TLP:
		if (http_json_str(in, f->name, required, 20, false, res, &text) < 0)
			return -1;
		if (text && codes_tlp_parse(text) < 0)
			return http_res_problem(res, 422, "Invalid field", f->name,
						M_field_tlp_invalid), -1;
		return 0;
	case FIELD_INT:
		return http_json_int(in, f->name, required, 1, f->cap ? (int64_t)f->cap : INT64_MAX,
				     res, &n) < 0 ? -1 : 0;
	case FIELD_BOOL:
		return http_json_bool(in, f->name, required, res, &b) < 0 ? -1 : 0;
	case FIELD_IDS:
	case FIELD_LIST:
		if (http_json_list(in, f->name, required, f->cap ? f->cap : SIZE_MAX, res, &list) < 0)
			return -1;
		if (f->type == FIELD_IDS)
			json_array_foreach(list, i, v)
				if (!json_is_integer(v) || json_integer_value(v) < 1)
					return http_res_problem(res, 422, "Invalid field", f->name,
								M_field_not_ids), -1;
		return 0;
	case FIELD_OBJECT:
		v = json_object_get(in, f->name);
		if ((v == NULL || json_is_null(v)) && !required)
			return 0;
		if (!json_is_object(v))
			return http_res_problem(res, 422, v ? "Invalid field" : "Missing field",
						f->name, M_field_not_object, MS("field", f->name)), -1;
		return 0;
	}
	return 0;
}

/* The route's body against its declaration (a->body, the fields writable with a->mode): a
 * JSON object of those members only, each of its type and within its cap, the required ones
 * present when creating. A route that declares no body takes none, or {}. Uploads are the raw
 * file. Returns 0, or -1 having answered 400/415/422. */
static int body_check(struct http_req *req, struct http_res *res)
{
	const struct http_route *route = req->route;
	const struct api_access *a = route ? route->access : NULL;
	const struct resource *r = a ? a->body : NULL;
	bool any_required = false;
	const char *key;
	json_t *in, *v;
	int rc = -1;

	if (req->json_checked || route == NULL || (route->flags & HTTP_UPLOAD) ||
	    strcmp(route->method, "GET") == 0)
		return 0;
	for (size_t i = 0; r && i < r->nfields; i++)
		any_required |= a->mode == FIELD_CREATE && (r->fields[i].flags & FIELD_REQUIRED);
	if (req->body_len == 0 && !any_required)
		return 0;
	if (http_json_body(req, res, &in) != 0)
		return -1;
	json_object_foreach(in, key, v) {
		const struct field *f = r ? fields_find(r, key) : NULL;

		(void)v;
		if (f == NULL || !(f->flags & a->mode)) {
			http_res_problem(res, 422, "Unknown field", key, M_field_unknown,
					 MS("field", key));
			goto out;
		}
	}
	for (size_t i = 0; r && i < r->nfields; i++) {
		const struct field *f = &r->fields[i];

		if ((f->flags & a->mode) &&
		    member_check(in, f, a->mode == FIELD_CREATE && (f->flags & FIELD_REQUIRED),
				 res) != 0)
			goto out;
	}
	rc = 0;
	req->json_checked = true;
out:
	json_decref(in);
	return rc;
}

int api_body(struct http_req *req, struct http_res *res, json_t **out)
{
	if (out)
		*out = NULL;
	if (body_check(req, res) != 0)
		return -1;
	if (out == NULL)
		return 0;
	if (req->body_len == 0) {
		*out = json_object();
		if (*out == NULL)
			return http_res_problem(res, 500, "Internal error", NULL, M_out_of_memory), -1;
		return 0;
	}
	return http_json_body(req, res, out);
}

int api_before(struct http_req *req, struct http_res *res, const struct http_route *route)
{
	const struct api_access *a = route->access;
	const struct api_ctx *cx;
	int rc = api_auth_before(req, res, route->flags);

	if (rc != 0)
		return rc;
	if (a == NULL || (route->flags & HTTP_PUBLIC) || a->public_)
		return 0; /* the handler reads its body with api_body */
	cx = req->ctx;
	if (cx == NULL || cx->restricted)
		return 0; /* the handler answers what a restricted session may do */
	if (a->rule != NULL && !a->rule(&cx->subject)) {
		http_res_problem(res, 403, "Forbidden", NULL, M_forbidden_rule,
				 MS("rule", msg_text(a->text, res->lang)),
				 MS("rule_code", msg_code(a->text)));
		rc = 1;
	} else if (!a->in_handler && (a->object == API_OBJ_INCIDENT || a->object == API_OBJ_WARNING ||
				      a->object == API_OBJ_REQUEST ||
				      a->object == API_OBJ_ATTACHMENT)) {
		rc = object_answer(req, res, a) != 0;
	}
	/* A body is checked against its declaration when the handler reads it (api_body), after
	 * every access decision of its own (an answer only by the organisation asked, a report
	 * only for one's own systems...), so a caller who may not act learns 403/404, never what
	 * its body lacked. A route that declares no body has no such read: its body is refused
	 * here, once the declared access is decided. */
	if (rc == 0 && a->body == NULL && !a->in_handler && a->object != API_OBJ_HANDLER)
		rc = body_check(req, res) != 0;
	if (rc != 0)
		api_taxii_error_from_problem(req, res);
	return rc;
}
