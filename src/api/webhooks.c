/* webhooks.c - an organisation's webhook (a bridge to its chat tools): the URL its notifications
 * are posted to, signed with HMAC-SHA256 (docs/mail.md), and the delivery log. The secret is made
 * by the operation and shown once; an organisation's leader, officer or admin manages it, and
 * the coordinator's admins (not another organisation's admin: ops/org.c). */
#include "api.h"
#include "ops/org.h"


/* The organisation of the path, if the caller may manage its webhook (ops_org_may_webhook:
 * its own leader, officer or admin, or the coordinator's admins). Returns 0, or -1 (res set). */
static int load_org(struct http_req *req, struct http_res *res, int64_t *id)
{
	struct ops_err err;
	struct ops_ctx c;

	if (api_param_id(req, 0, res, id) != 0)
		return -1;
	api_ops_ctx(req, api_store(), &c);
	if (ops_org_may_webhook(&c, *id, &err) != OPS_OK)
		return api_ops_error(res, &err), -1;
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
	json_t *in = NULL, *out = NULL;
	char secret[CRYPTO_TOKEN_CHARS];
	const char *url;
	bool active = true, rotate = false, fresh;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (load_org(req, res, &id) != 0)
		return 0;
	if (api_body(req, res, &in) != 0)
		goto out;
	url = api_in_text(in, "url");
	if (!api_in_bool(in, "active", &active))
		active = true;
	api_in_bool(in, "rotate_secret", &rotate);
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_org_webhook_set(&c, id, url, active, rotate, &out, secret, &fresh, &err) !=
	    OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
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
