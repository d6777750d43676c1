/* users.c - personal accounts (001 Đ8: one unique account per person, revoked when a person
 * leaves or moves while their records stay), and API tokens. */
#include <stdio.h>

#include "api.h"
#include "core/fields.h"
#include "core/codes.h"
#include "ops/session.h"
#include "ops/user.h"

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
	return http_res_problem(res, 422, "Invalid field", "roles", M_user_roles_invalid),
	       -1;
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
		return http_res_problem(res, 403, "Forbidden", NULL, M_user_list_forbidden);
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
		return http_res_problem(res, 404, "Not found", NULL, M_user_not_found);
	}
	api_etag(res, json_integer_value(json_object_get(u, "version")));
	return http_res_json(res, 200, u);
}

int api_users_create(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *out = NULL;
	char pw[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX];
	const char *username;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	api_ops_ctx(req, api_store(), &c);
	if (ops_user_may_create(&c, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0)
		goto out;
	api_fields_row(&fields_user, in, FIELD_CREATE, row);
	if (roles_field(in, row, res) != 0)
		goto out;
	username = api_in_text(in, "username"); /* bound to row by the declaration */
	/* refused before the password is hashed; the operation checks again in its transaction */
	if (ops_user_check_new(&c, row, &err) != OPS_OK ||
	    ops_user_password(username, NULL, NULL, pw, hash, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_user_create(&c, row, hash, &id, &out, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	/* shown once, to be handed over; the user must change it at first login */
	json_object_set_new(out, "one_time_password", json_string(pw));
	api_tx_answer(&tx, req, res, STORE_OK,
		      &(struct api_done){.id = id, .status = 201, .location = "/api/v1/users"}, out);
	out = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

int api_users_update(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *after = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0)
		goto out;
	api_ops_ctx(req, api_store(), &c);
	if (ops_user_may_edit(&c, id, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0)
		goto out;
	api_fields_row(&fields_user, in, FIELD_UPDATE, row);
	if (roles_field(in, row, res) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_user_update(&c, id, api_if_match_version(req), row, &after, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	api_tx_answer(&tx, req, res, STORE_OK, &(struct api_done){NULL, "user", id, NULL, 200, NULL},
		      after);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}

enum user_op { OP_RESET, OP_DISABLE, OP_ENABLE, OP_UNLOCK, OP_TOTP_RESET };

/* The admin operations on an account; each is one audited transaction (ops/user.c). */
static int user_op(struct http_req *req, struct http_res *res, enum user_op op)
{
	char pw[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX];
	json_t *after = NULL;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	api_ops_ctx(req, api_store(), &c);
	if (ops_user_may_admin(&c, id, &err) != OPS_OK)
		return api_ops_error(res, &err);
	if (api_body(req, res, NULL) != 0) /* these take no input */
		return 0;
	/* argon2id before the transaction: it must not hold the writer lock */
	if (op == OP_RESET && ops_user_password(NULL, NULL, NULL, pw, hash, &err) != OPS_OK)
		return api_ops_error(res, &err);
	if (api_tx_begin(req, res, &tx, false))
		return 0;
	api_ops_ctx(req, tx.st, &c);
	switch (op) {
	case OP_RESET: rc = ops_user_reset(&c, id, hash, &after, &err); break;
	case OP_DISABLE: rc = ops_user_disable(&c, id, &after, &err); break;
	case OP_ENABLE: rc = ops_user_enable(&c, id, &after, &err); break;
	case OP_UNLOCK: rc = ops_user_unlock(&c, id, &after, &err); break;
	default: rc = ops_user_totp_reset(&c, id, &after, &err); break;
	}
	if (rc != OPS_OK) {
		api_tx_abort(&tx);
		return api_ops_error(res, &err);
	}
	if (op == OP_RESET)
		json_object_set_new(after, "one_time_password", json_string(pw));
	return api_tx_answer(&tx, req, res, STORE_OK, &(struct api_done){.id = id, .status = 200},
			     after);
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
		return http_res_problem(res, 403, "Forbidden", NULL, M_admins_only);
	rc = store_token_list(api_store(), 0, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	/* the tokens of the accounts the caller administers (access_user): its organisation's, or
	 * every one's for the coordinator's admins */
	for (size_t i = json_array_size(items); i-- > 0;) {
		json_t *t = json_array_get(items, i);

		if (!access_user(&cx->subject, json_integer_value(json_object_get(t, "user_id")),
				 json_integer_value(json_object_get(t, "org_id")), AC_ADMIN))
			json_array_remove(items, i);
	}
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

int api_tokens_revoke(struct http_req *req, struct http_res *res)
{
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	if (api_tx_begin(req, res, &tx, false))
		return 0;
	api_ops_ctx(req, tx.st, &c);
	if (ops_session_token_revoke(&c, id, &err) != OPS_OK) {
		api_tx_abort(&tx);
		return api_ops_error(res, &err);
	}
	res->status = 204;
	return api_tx_commit(&tx, req, res);
}
