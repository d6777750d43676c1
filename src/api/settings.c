/* settings.c - instance security settings an admin changes: for which roles the TOTP second
 * factor is required (default: admins and operators, 001 Đ10.1d asks strong protection of
 * administration), and whether users in those roles must enrol before doing anything else. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "util/str.h"

#define DEFAULT_TOTP_ROLES (ROLE_ADMIN | ROLE_OPERATOR)

unsigned api_settings_totp_roles(int64_t setting)
{
	return setting >= 0 && setting <= ROLE_ALL ? (unsigned)setting : DEFAULT_TOTP_ROLES;
}

void api_settings_totp(struct store *st, unsigned *roles, bool *enforce)
{
	char v[32];
	int64_t n;

	*roles = DEFAULT_TOTP_ROLES;
	*enforce = false;
	if (store_meta_get(st, "totp_required_roles", v, sizeof v) == STORE_OK &&
	    str_to_i64(v, 0, ROLE_ALL, &n) == 0)
		*roles = api_settings_totp_roles(n);
	if (store_meta_get(st, "totp_enforce", v, sizeof v) == STORE_OK)
		*enforce = strcmp(v, "1") == 0;
}

static json_t *settings_json(struct store *st)
{
	json_t *roles = json_array();
	unsigned bits;
	bool enforce;

	api_settings_totp(st, &bits, &enforce);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (bits & (1u << i))
			json_array_append_new(roles, json_string(codes_user_role_name(1u << i)));
	return json_pack("{s:o, s:b}", "totp_required_roles", roles, "totp_enforce", enforce);
}

int api_settings_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;

	if (!access_user(&cx->subject, 0, 0, AC_ADMIN))
		return http_res_problem(res, 403, "Forbidden", NULL, "Chỉ quản trị hệ thống / only admins");
	return http_res_json(res, 200, settings_json(api_store()));
}

int api_settings_update(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"totp_required_roles", "totp_enforce", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *before = NULL, *after = NULL, *arr, *v;
	unsigned bits = 0;
	struct api_tx tx;
	char num[16];
	bool enforce;
	size_t i;
	int rc = STORE_OK, got;

	if (!access_user(&cx->subject, 0, 0, AC_ADMIN))
		return http_res_problem(res, 403, "Forbidden", NULL, "Chỉ quản trị hệ thống / only admins");
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    (got = http_json_bool(in, "totp_enforce", false, res, &enforce)) < 0)
		goto out;
	arr = json_object_get(in, "totp_required_roles");
	if (arr && (!json_is_array(arr) || json_array_size(arr) > ROLE_COUNT)) {
		http_res_problem(res, 422, "Invalid field", "totp_required_roles",
				 "Cần danh sách vai trò / a list of role codes is required");
		goto out;
	}
	json_array_foreach(arr, i, v) {
		unsigned r = json_is_string(v) ? codes_user_role_parse(json_string_value(v)) : 0;

		if (r == 0) {
			http_res_problem(res, 422, "Invalid field", "totp_required_roles",
					 "Vai trò không hợp lệ ở vị trí %zu / unknown role at %zu", i + 1, i + 1);
			goto out;
		}
		bits |= r;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	before = settings_json(tx.st);
	if (arr) {
		snprintf(num, sizeof num, "%u", bits);
		rc = store_meta_set(tx.st, "totp_required_roles", num);
	}
	if (rc == STORE_OK && got)
		rc = store_meta_set(tx.st, "totp_enforce", enforce ? "1" : "0");
	after = settings_json(tx.st);
	if (rc == STORE_OK)
		rc = api_audit(req, "settings.security", "settings", 0, before, after);
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		api_store_error(res, rc);
		goto out;
	}
	http_res_json(res, 200, after);
	after = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(before);
	json_decref(after);
	return 0;
}
