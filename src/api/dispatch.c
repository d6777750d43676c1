/* dispatch.c - the route table's access declarations, decided before a handler runs: a
 * request for an object the caller may not read is answered 404 (its existence does not
 * leak), one it may read but not act on 403, before its body is read. The operations check
 * again (ops/), so a channel that has no route table cannot skip the rule. */
#include "api.h"
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
			return api_access_answer(res, false, false, "cảnh báo", "warning");
		rc = store_warning_access(api_store(), id, cx->subject.org_id, &aw);
		if (rc == STORE_ENOTFOUND)
			return api_access_answer(res, false, false, "cảnh báo", "warning");
		if (rc != STORE_OK)
			return api_store_error(res, rc), -1;
		return api_access_answer(res, access_warning(&cx->subject, &aw, AC_READ),
					 a->action == AC_READ ||
						 access_warning(&cx->subject, &aw, a->action),
					 "cảnh báo", "warning");
	}
	rc = incident_of(req, a->object, &id);
	if (rc == STORE_OK)
		rc = store_incident_access(api_store(), id, cx->subject.org_id, &ai);
	if (rc == STORE_ENOTFOUND)
		return api_access_answer(res, false, false, "sự cố", "incident");
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	return api_access_answer(res, access_incident(&cx->subject, &ai, AC_READ),
				 a->action == AC_READ || access_incident(&cx->subject, &ai, a->action),
				 "sự cố", "incident");
}

int api_before(struct http_req *req, struct http_res *res, const struct http_route *route)
{
	const struct api_access *a = route->access;
	const struct api_ctx *cx;
	int rc = api_auth_before(req, res, route->flags);

	if (rc != 0 || a == NULL || (route->flags & HTTP_PUBLIC))
		return rc;
	cx = req->ctx;
	if (cx == NULL || cx->restricted)
		return 0; /* the handler answers what a restricted session may do */
	if (a->rule != NULL && !a->rule(&cx->subject)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Bạn không có quyền: %s / you may not do this", a->text);
		rc = 1;
	} else if (!a->in_handler && (a->object == API_OBJ_INCIDENT || a->object == API_OBJ_WARNING ||
				      a->object == API_OBJ_REQUEST ||
				      a->object == API_OBJ_ATTACHMENT)) {
		rc = object_answer(req, res, a) != 0;
	}
	if (rc != 0)
		api_taxii_error_from_problem(req, res);
	return rc;
}
