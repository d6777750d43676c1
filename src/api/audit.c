/* audit.c - the audit trail for auditors: read, and verify the hash chain. */
#include <string.h>

#include "api.h"

int api_audit_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *type = http_query(req, "object_type");
	int64_t before, limit, object_id, user_id, next = 0;
	json_t *items = NULL;
	int rc;

	if (!access_audit(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Chỉ kiểm tra viên xem nhật ký kiểm toán / only auditors read "
					"the audit trail");
	if (type && strlen(type) > 32)
		return http_res_problem(res, 400, "Invalid parameter", "object_type",
					"object_type dài quá 32 ký tự / object_type too long");
	/* at most 200 a page: what store_audit_list accepts */
	if (api_query_page(req, res, 100, 200, &limit, &before) != 0 ||
	    api_query_int(req, "object_id", 0, INT64_MAX, 0, res, &object_id) != 0 ||
	    api_query_int(req, "user_id", 0, INT64_MAX, 0, res, &user_id) != 0)
		return 0;
	rc = store_audit_list(api_store(), before, (int)limit, type && type[0] ? type : NULL,
			      object_id, user_id, &items, &next);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200,
			     json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       next ? json_integer(next) : json_null()));
}

int api_audit_verify(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	int64_t bad = 0, count = 0;
	int rc;

	if (!access_audit(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Chỉ kiểm tra viên / only auditors");
	rc = store_audit_verify(api_store(), &bad, &count);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200,
			     json_pack("{s:b, s:I, s:o}", "intact", bad == 0, "entries",
				       (json_int_t)count, "first_broken_id",
				       bad ? json_integer(bad) : json_null()));
}
