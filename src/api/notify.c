/* notify.c - the caller's own notification preferences (docs/mail.md, core/notify.h):
 * GET/PUT /api/v1/me/notifications, with ETag/If-Match like every update. The preset's minimum
 * (events some people must get at once) cannot be lowered: such a PUT is a 422 naming the event
 * and its legal source (ops_user_notifications). */
#include "api.h"
#include "ops/user.h"

int api_notify_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *stored = NULL;
	int64_t version;
	int rc = store_notify_get(api_store(), cx->user.id, &stored, &version);

	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_etag(res, version);
	rc = http_res_json(res, 200,
			   ops_user_notify_prefs(api_preset(), &cx->subject, stored, version));
	json_decref(stored);
	return rc;
}

int api_notify_put(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	struct ops_err err;
	struct ops_ctx c;
	int64_t version;
	struct api_tx tx;

	if (api_body(req, res, &in) != 0)
		return 0;
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_user_notifications(&c, api_if_match_version(req), json_object_get(in, "events"),
				   &after, &version, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_etag(res, version);
	http_res_json(res, 200, after);
	after = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(after);
	return 0;
}
