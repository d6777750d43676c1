/* users.c - personal accounts (001 Đ8: one unique account per person, revoked when a person
 * leaves or moves while their records stay), and API tokens. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

/* roles: ["officer", "leader"] -> bits. Returns 0, or -1 with 422 set. */
static int roles_field(const json_t *in, json_t *row, struct http_res *res)
{
	json_t *arr = json_object_get(in, "roles"), *v;
	unsigned bits = 0;
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > ROLE_COUNT)
		goto bad;
	json_array_foreach(arr, i, v) {
		unsigned r = json_is_string(v) ? codes_user_role_parse(json_string_value(v)) : 0;

		if (r == 0)
			goto bad;
		bits |= r;
	}
	json_object_set_new(row, "roles", json_integer(bits));
	return 0;
bad:
	return http_res_problem(res, 422, "Invalid field", "roles",
				"'roles' là danh sách gồm reporter, officer, leader, operator, auditor, "
				"admin / 'roles' must list reporter, officer, leader, operator, auditor, "
				"admin"),
	       -1;
}

static int profile_fields(const json_t *in, json_t *row, struct http_res *res)
{
	static const struct { const char *name; size_t max; } f[] = {
		{"full_name", 128}, {"email", 128}, {"phone", 32}, {"position", 128}};
	const char *v;

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		int got = http_json_str(in, f[i].name, false, f[i].max, false, res, &v);

		if (got < 0)
			return -1;
		if (got)
			json_object_set_new(row, f[i].name, json_string(v));
	}
	return 0;
}

int api_users_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *items = NULL;
	int64_t org = 0;
	int rc;

	if (access_user(&cx->subject, 0, 0, AC_ADMIN) || (cx->subject.roles & ROLE_AUDITOR)) {
		if (api_query_int(req, "org", 0, INT64_MAX, 0, res, &org) != 0)
			return 0;
	} else if (access_user(&cx->subject, 0, cx->subject.org_id, AC_READ)) {
		org = cx->subject.org_id;
	} else {
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Bạn không được xem danh sách tài khoản / you may not list "
					"accounts");
	}
	rc = store_user_list(api_store(), org, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_users_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *u = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	rc = store_user_get(api_store(), id, &u);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	if (!access_user(&cx->subject, id, json_integer_value(json_object_get(u, "org_id")),
			 AC_READ)) {
		json_decref(u);
		return http_res_problem(res, 404, "Not found", NULL,
					"Không tìm thấy tài khoản / no such account");
	}
	api_etag(res, json_integer_value(json_object_get(u, "version")));
	return http_res_json(res, 200, u);
}

int api_users_create(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"username", "full_name", "email", "phone",
					      "position", "org_id", "roles", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *out = NULL;
	char pw[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX], loc[64];
	const char *username;
	struct api_tx tx;
	int64_t org, id;
	int rc;

	if (!access_user(&cx->subject, 0, 0, AC_CREATE)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Chỉ quản trị hệ thống được tạo tài khoản / only admins create "
				 "accounts");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "username", true, 64, false, res, &username) < 0 ||
	    http_json_int(in, "org_id", true, 1, INT64_MAX, res, &org) < 0 ||
	    profile_fields(in, row, res) != 0 || roles_field(in, row, res) != 0)
		goto out;
	if (!access_user(&cx->subject, 0, org, AC_CREATE)) {
		http_res_problem(res, 403, "Forbidden", "org_id",
				 "Chỉ quản trị của đơn vị này hoặc của cơ quan điều phối được tạo tài "
				 "khoản ở đây / only this organisation's admins or the coordinator's "
				 "create accounts here");
		goto out;
	}
	if (!codes_username_ok(username)) {
		http_res_problem(res, 422, "Invalid field", "username",
				 "Tên đăng nhập 3-64 ký tự a-z, 0-9, . _ - / username must be 3-64 of "
				 "a-z, 0-9, . _ -");
		goto out;
	}
	if (json_object_get(row, "roles") == NULL || json_object_get(row, "full_name") == NULL) {
		http_res_problem(res, 422, "Missing field",
				 json_object_get(row, "roles") ? "full_name" : "roles",
				 "Cần họ tên và vai trò / full_name and roles are required");
		goto out;
	}
	crypto_temp_password(pw);
	if (crypto_pw_hash(hash, pw) != 0) {
		api_store_error(res, STORE_EIO);
		goto out;
	}
	json_object_set_new(row, "username", json_string(username));
	json_object_set_new(row, "org_id", json_integer(org));
	json_object_set_new(row, "pw_hash", json_string(hash));
	json_object_set_new(row, "must_change_pw", json_true());
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	rc = store_user_create(tx.st, row, &id);
	if (rc == STORE_OK)
		rc = store_user_get(tx.st, id, &out);
	if (rc == STORE_OK)
		rc = api_audit(req, "user.create", "user", id, NULL, out);
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		api_store_error(res, rc);
		goto out;
	}
	/* shown once, to be handed over; the user must change it at first login */
	json_object_set_new(out, "one_time_password", json_string(pw));
	snprintf(loc, sizeof loc, "/api/v1/users/%lld", (long long)id);
	http_res_header(res, "Location", loc);
	http_res_json(res, 201, out);
	out = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

/* Nobody grants themselves access: an account's own organisation and roles are changed by
 * another admin, never by its owner, admin or not. Sending them unchanged (the roles dialog
 * saved on oneself) changes nothing and passes. before is the account as it is in this
 * transaction. Returns 0, or -1 with 403 naming the field. */
static int self_grant_refused(const struct api_ctx *cx, int64_t id, const json_t *row,
			      const json_t *before, struct http_res *res)
{
	const json_t *roles = json_object_get(row, "roles"), *org = json_object_get(row, "org_id");
	json_t *v;
	unsigned have = 0;
	size_t i;

	if (id != cx->user.id)
		return 0;
	json_array_foreach(json_object_get(before, "roles"), i, v)
		have |= codes_user_role_parse(json_string_value(v));
	if (roles != NULL && (json_int_t)have != json_integer_value(roles))
		return http_res_problem(res, 403, "Forbidden", "roles",
					"Không ai được tự đổi vai trò của mình / nobody changes "
					"their own roles"),
		       -1;
	if (org != NULL &&
	    json_integer_value(org) != json_integer_value(json_object_get(before, "org_id")))
		return http_res_problem(res, 403, "Forbidden", "org_id",
					"Không ai được tự chuyển mình sang đơn vị khác / nobody "
					"moves their own account to another organisation"),
		       -1;
	return 0;
}

/* An admin changes the accounts of its own organisation only (the coordinator's admins any),
 * and moves one only into an organisation it administers. Returns 0, or -1 with a 403 set. */
static int admin_scope_refused(const struct api_ctx *cx, int64_t id, int64_t new_org,
			       const json_t *before, const json_t *row, struct http_res *res)
{
	int64_t org = json_integer_value(json_object_get(before, "org_id"));

	if (id != cx->user.id && !access_user(&cx->subject, id, org, AC_EDIT))
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Tài khoản của đơn vị khác / an account of another "
					"organisation"),
		       -1;
	if ((new_org != 0 && !access_user(&cx->subject, 0, new_org, AC_ADMIN)) ||
	    (json_object_get(row, "roles") && id != cx->user.id &&
	     !access_user(&cx->subject, id, org, AC_ADMIN)))
		return http_res_problem(res, 403, "Forbidden", new_org ? "org_id" : "roles",
					"Chỉ quản trị của đơn vị đó hoặc của cơ quan điều phối / only "
					"that organisation's admins or the coordinator's"),
		       -1;
	return 0;
}

int api_users_update(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"full_name", "email", "phone", "position", "org_id",
					      "roles", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *before = NULL, *after = NULL;
	bool admin = access_user(&cx->subject, 0, 0, AC_ADMIN);
	int64_t id, org, version;
	struct api_tx tx;
	int rc, got;

	if (api_param_id(req, 0, res, &id) != 0)
		goto out;
	if (!access_user(&cx->subject, id, 0, AC_EDIT)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Bạn không được sửa tài khoản này / you may not edit this account");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    profile_fields(in, row, res) != 0 || roles_field(in, row, res) != 0 ||
	    (got = http_json_int(in, "org_id", false, 1, INT64_MAX, res, &org)) < 0)
		goto out;
	if (got)
		json_object_set_new(row, "org_id", json_integer(org));
	if (!admin && (json_object_get(row, "roles") || got)) {
		http_res_problem(res, 403, "Forbidden",
				 json_object_get(row, "roles") ? "roles" : "org_id",
				 "Chỉ quản trị hệ thống được đổi vai trò, đơn vị / only admins change "
				 "roles and organisation");
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	rc = store_user_get(tx.st, id, &before);
	if (rc == STORE_OK) {
		version = json_integer_value(json_object_get(before, "version"));
		if (api_if_match(req, res, version) != 0 ||
		    admin_scope_refused(cx, id, got ? org : 0, before, row, res) != 0 ||
		    self_grant_refused(cx, id, row, before, res) != 0) {
			api_tx_abort(&tx);
			goto out;
		}
		rc = store_user_update(tx.st, id, version, row);
	}
	if (rc == STORE_OK)
		rc = store_user_get(tx.st, id, &after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){json_object_get(row, "roles") || got ? "user.permissions"
									: "user.update",
					 "user", id, before, 200, NULL},
		      after);
	after = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(before);
	json_decref(after);
	return 0;
}

enum user_op { OP_RESET, OP_DISABLE, OP_ENABLE, OP_UNLOCK, OP_TOTP_RESET };

/* The admin operations on an account; each is one audited transaction. */
static int user_op(struct http_req *req, struct http_res *res, enum user_op op)
{
	static const char *const actions[] = {"user.reset", "user.disable", "user.enable",
					      "user.unlock", "user.totp_reset"};
	struct api_ctx *cx = req->ctx;
	char pw[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX];
	json_t *before = NULL, *after = NULL;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	if (!access_user(&cx->subject, id, 0, AC_ADMIN))
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Chỉ quản trị hệ thống / only admins");
	if (op == OP_DISABLE && id == cx->user.id)
		return http_res_problem(res, 409, "Conflict", NULL,
					"Không thể tự vô hiệu hóa tài khoản của mình / you cannot "
					"disable your own account");
	if (op == OP_RESET) {
		crypto_temp_password(pw);
		if (crypto_pw_hash(hash, pw) != 0)
			return api_store_error(res, STORE_EIO);
	}
	if (api_tx_begin(req, res, &tx, false))
		return 0;
	rc = store_user_get(tx.st, id, &before);
	if (rc == STORE_OK &&
	    !access_user(&cx->subject, id, json_integer_value(json_object_get(before, "org_id")),
			 AC_ADMIN)) {
		api_tx_abort(&tx);
		json_decref(before);
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Tài khoản của đơn vị khác / an account of another "
					"organisation");
	}
	if (rc == STORE_OK) {
		switch (op) {
		case OP_RESET:
			rc = store_user_set_password(tx.st, id, hash, true);
			if (rc == STORE_OK)
				rc = store_session_delete_user(tx.st, id, 0);
			break;
		case OP_DISABLE:
			rc = store_user_set_active(tx.st, id, false);
			break;
		case OP_ENABLE:
			rc = store_user_set_active(tx.st, id, true);
			break;
		case OP_UNLOCK:
			rc = store_user_unlock(tx.st, id);
			break;
		case OP_TOTP_RESET: /* a lost device: the user enrols again */
			rc = store_user_set_totp(tx.st, id, "", false);
			if (rc == STORE_OK)
				rc = store_session_delete_user(tx.st, id, 0);
			break;
		}
	}
	if (rc == STORE_OK)
		rc = store_user_get(tx.st, id, &after);
	if (rc == STORE_OK)
		rc = api_audit(req, actions[op], "user", id, before, after);
	json_decref(before);
	if (rc != STORE_OK) {
		json_decref(after);
		api_tx_abort(&tx);
		return api_store_error(res, rc);
	}
	if (op == OP_RESET)
		json_object_set_new(after, "one_time_password", json_string(pw));
	http_res_json(res, 200, after);
	return api_tx_commit(&tx, req, res);
}

int api_users_reset(struct http_req *req, struct http_res *res)
{
	return user_op(req, res, OP_RESET);
}

int api_users_disable(struct http_req *req, struct http_res *res)
{
	return user_op(req, res, OP_DISABLE);
}

int api_users_enable(struct http_req *req, struct http_res *res)
{
	return user_op(req, res, OP_ENABLE);
}

int api_users_unlock(struct http_req *req, struct http_res *res)
{
	return user_op(req, res, OP_UNLOCK);
}

int api_users_totp_reset(struct http_req *req, struct http_res *res)
{
	return user_op(req, res, OP_TOTP_RESET);
}

int api_tokens_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *items = NULL;
	int rc;

	if (!access_user(&cx->subject, 0, 0, AC_ADMIN))
		return http_res_problem(res, 403, "Forbidden", NULL, "Chỉ quản trị hệ thống / only admins");
	rc = store_token_list(api_store(), 0, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_tokens_revoke(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	if (!access_user(&cx->subject, 0, 0, AC_ADMIN))
		return http_res_problem(res, 403, "Forbidden", NULL, "Chỉ quản trị hệ thống / only admins");
	if (api_tx_begin(req, res, &tx, false))
		return 0;
	rc = store_token_revoke(tx.st, id, tm_now());
	if (rc == STORE_OK)
		rc = api_audit(req, "token.revoke", "token", id, NULL, NULL);
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		return api_store_error(res, rc);
	}
	res->status = 204;
	return api_tx_commit(&tx, req, res);
}
