/* settings.c - instance security settings (ops/settings.c): for which roles the TOTP second
 * factor is required (default: admins and operators, 001 Đ10.1d asks strong protection of
 * administration), and whether users in those roles must enrol before doing anything else.
 * Admins read them; the coordinator's admins change them (they bind every organisation). */
#include "api.h"
#include "core/codes.h"
#include "ops/settings.h"

int api_settings_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;

	if (!access_user(&cx->subject, 0, 0, AC_ADMIN))
		return http_res_problem(res, 403, "Forbidden", NULL, M_admins_only);
	return http_res_json(res, 200, ops_settings_security_json(api_store()));
}

int api_settings_update(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL, *arr, *v;
	unsigned bits = 0;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	bool enforce;
	size_t i;
	int got;

	api_ops_ctx(req, api_store(), &c);
	if (ops_settings_may_change(&c, &err) != OPS_OK)
		return api_ops_error(res, &err);
	if (api_body(req, res, &in) != 0)
		goto out;
	got = api_in_bool(in, "totp_enforce", &enforce);
	arr = json_object_get(in, "totp_required_roles");
	if (arr && (!json_is_array(arr) || json_array_size(arr) > ROLE_COUNT)) {
		http_res_problem(res, 422, "Invalid field", "totp_required_roles",
				 M_settings_roles_list);
		goto out;
	}
	json_array_foreach(arr, i, v) {
		unsigned r = json_is_string(v) ? codes_user_role_parse(json_string_value(v)) : 0;

		if (r == 0) {
			http_res_problem(res, 422, "Invalid field", "totp_required_roles",
					 M_settings_role_unknown, MN("index", i + 1));
			goto out;
		}
		bits |= r;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_settings_security(&c, arr ? (int64_t)bits : -1, got ? enforce : -1, &after,
				  &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	http_res_json(res, 200, after);
	after = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(after);
	return 0;
}
