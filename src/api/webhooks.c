/* webhooks.c - an organisation's webhook (a bridge to its chat tools): the URL its notifications
 * are posted to, signed with HMAC-SHA256 (docs/mail.md), and the delivery log. The secret is made
 * here and shown once; an organisation's leader or officer, or an admin, manages it. */
#include <string.h>

#include "api.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

#define URL_MAX 500

static int load_org(struct http_req *req, struct http_res *res, int64_t *id)
{
	struct api_ctx *cx = req->ctx;

	if (api_param_id(req, 0, res, id) != 0)
		return -1;
	if (!access_org(&cx->subject, *id, AC_EDIT))
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Chỉ lãnh đạo, cán bộ của đơn vị hoặc quản trị / only the "
					"organisation's leader or officer, or an admin"),
		       -1;
	return 0;
}

int api_webhooks_get(struct http_req *req, struct http_res *res)
{
	json_t *hook = NULL;
	int64_t id;
	int rc;

	if (load_org(req, res, &id) != 0)
		return 0;
	rc = store_webhook_get(api_store(), id, &hook);
	if (rc == STORE_ENOTFOUND) /* none set: say so rather than "no such thing" */
		hook = json_pack("{s:n, s:b, s:[]}", "url", "active", 0, "deliveries");
	else if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, hook);
}

int api_webhooks_set(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"url", "active", "rotate_secret", NULL};
	json_t *in = NULL, *out = NULL;
	char secret[CRYPTO_TOKEN_CHARS];
	const char *url;
	bool active = true, rotate = false, fresh;
	struct api_tx tx;
	int64_t id;
	int rc, got;

	if (load_org(req, res, &id) != 0)
		return 0;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "url", true, URL_MAX, false, res, &url) < 0 ||
	    (got = http_json_bool(in, "active", false, res, &active)) < 0 ||
	    http_json_bool(in, "rotate_secret", false, res, &rotate) < 0)
		goto out;
	if (!got)
		active = true;
	if (!str_starts(url, "https://") && !str_starts(url, "http://")) {
		http_res_problem(res, 422, "Invalid field", "url",
				 "URL phải bắt đầu bằng https:// hoặc http:// / the URL must start with "
				 "https:// or http://");
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	/* a new hook gets a secret; an existing one keeps its secret unless asked to rotate it */
	rc = store_webhook_get(tx.st, id, &out);
	json_decref(out);
	out = NULL;
	fresh = rc == STORE_ENOTFOUND || rotate;
	if (fresh) {
		crypto_token(secret);
		rc = store_webhook_set(tx.st, id, url, secret, active, tm_now());
	} else if (rc == STORE_OK) {
		rc = store_webhook_update(tx.st, id, url, active, tm_now());
	}
	if (rc == STORE_OK)
		rc = store_webhook_get(tx.st, id, &out);
	if (rc == STORE_OK) /* the audit never holds the secret */
		rc = api_audit(req, "org.webhook", "org", id, NULL, out);
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		api_store_error(res, rc);
		goto out;
	}
	if (fresh) /* shown once: the receiver needs it to check signatures */
		json_object_set_new(out, "secret", json_string(secret));
	http_res_json(res, 200, out);
	out = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(out);
	return 0;
}
