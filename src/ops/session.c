/* session.c - logins, sessions, password changes and API tokens: the facts a login leaves
 * (attempts counted before the password is checked, lockout, the audit of each answer), the
 * session it makes, and the tokens an admin or the machine's operator hands out and revokes. */
#include <string.h>

#include "core/passwd.h"
#include "session.h"
#include "user.h"

int ops_session_login_unknown(const struct ops_ctx *c, struct ops_err *err)
{
	return ops_store(err, ops_audit(c, "login_failed", "user", 0, NULL, NULL));
}

int ops_session_login_reserve(const struct ops_ctx *c, int *attempt, int64_t *locked_until,
			      struct ops_err *err)
{
	int64_t uid = c->actor.user_id;
	int rc = store_user_login_reserve(c->st, uid, c->now, OPS_LOGIN_FAILURES,
					  c->now + OPS_LOGIN_LOCK_SECONDS, attempt, locked_until);

	if (rc == STORE_ECONFLICT) { /* locked: no password is checked, the try is recorded */
		*attempt = 0;
		rc = ops_audit(c, "login_locked", "user", uid, NULL, NULL);
	}
	return ops_store(err, rc);
}

/* A checked attempt that failed: its reservation already counted it. The attempt that took the
 * last one locked the account, unless a success that was checked meanwhile lifted the lock. */
static int login_failed(const struct ops_ctx *c, const struct store_user_auth *u, int attempt,
			enum ops_login_result *result, int64_t *locked_until)
{
	struct store_user_auth now = {0};
	json_t *info = json_pack("{s:i}", "failed_logins", attempt);
	bool locked = attempt >= OPS_LOGIN_FAILURES &&
		      store_user_auth_by_id(c->st, u->id, &now) == STORE_OK &&
		      now.locked_until > c->now;
	int rc = info ? ops_audit(c, "login_failed", "user", u->id, NULL, info) : STORE_EIO;

	json_decref(info);
	if (rc == STORE_OK && locked)
		rc = ops_audit(c, "lockout", "user", u->id, NULL, NULL);
	*result = locked ? OPS_LOGIN_LOCKED : OPS_LOGIN_FAILED;
	*locked_until = locked ? now.locked_until : 0;
	return rc;
}

int ops_session_login(const struct ops_ctx *c, const struct store_user_auth *u,
		      const struct ops_login *in, enum ops_login_result *result,
		      int64_t *locked_until, struct ops_err *err)
{
	struct ops_err code_err;
	int rc;

	*result = OPS_LOGIN_FAILED;
	*locked_until = 0;
	/* the code's time step is spent only with the right password */
	if (!in->password_ok ||
	    (u->totp_enabled && in->code_given &&
	     ops_user_totp_use(c, u->id, in->code_step, &code_err) != OPS_OK))
		return ops_store(err, login_failed(c, u, in->attempt, result, locked_until));
	if (!u->active || (u->totp_enabled && !in->code_given)) {
		/* the password was right: give the attempt back, such answers never lock */
		*result = u->active ? OPS_LOGIN_NEED_CODE : OPS_LOGIN_DISABLED;
		rc = store_user_login_release(c->st, u->id, OPS_LOGIN_FAILURES);
		if (rc == STORE_OK && !u->active)
			rc = ops_audit(c, "login_disabled", "user", u->id, NULL, NULL);
		return ops_store(err, rc);
	}
	rc = store_user_login_ok(c->st, u->id);
	if (rc == STORE_OK)
		rc = store_session_create(c->st, in->token_hash, in->csrf, u->id,
					  c->actor.ip ? c->actor.ip : "", c->now);
	if (rc == STORE_OK)
		rc = ops_audit(c, "login", "user", u->id, NULL, NULL);
	if (rc == STORE_OK)
		*result = OPS_LOGIN_OK;
	return ops_store(err, rc);
}

int ops_session_logout(const struct ops_ctx *c, const char *token_hash, struct ops_err *err)
{
	int rc = token_hash ? store_session_delete(c->st, token_hash) : STORE_OK;

	if (rc == STORE_OK)
		rc = ops_audit(c, "logout", "user", c->actor.user_id, NULL, NULL);
	return ops_store(err, rc);
}

int ops_session_drop(const struct ops_ctx *c, const char *token_hash)
{
	return store_session_delete(c->st, token_hash);
}

int ops_session_touch(const struct ops_ctx *c, int64_t session_id)
{
	return store_session_touch(c->st, session_id, c->now);
}

int ops_session_token_touch(const struct ops_ctx *c, int64_t token_id)
{
	return store_token_touch(c->st, token_id, c->now);
}

/* ---- password change ---- */

int ops_session_password_check(const char *username, const char *current_hash,
			       const char *current, const char *new_pw,
			       char hash[CRYPTO_PWHASH_MAX], struct ops_err *err)
{
	struct msg why;

	if (crypto_pw_verify(current_hash, current) != 0)
		return ops_refuse(err, 403, "Wrong password", "current_password",
				  M_password_current_wrong);
	if (passwd_check(username, new_pw, &why) != 0)
		return ops_refuse_msg(err, 422, "Weak password", "new_password", &why);
	if (strcmp(current, new_pw) == 0)
		return ops_refuse(err, 422, "Weak password", "new_password", M_password_unchanged);
	if (crypto_pw_hash(hash, new_pw) != 0)
		return ops_store(err, STORE_EIO);
	return OPS_OK;
}

int ops_session_password(const struct ops_ctx *c, int64_t keep_session, const char *hash,
			 struct ops_err *err)
{
	int64_t uid = c->actor.user_id;
	int rc;

	if (uid == 0)
		return ops_refuse(err, 403, "Forbidden", NULL, M_account_owner_only);
	rc = store_user_set_password(c->st, uid, hash, false);
	if (rc == STORE_OK) /* a password that leaked ends the sessions made with it */
		rc = store_session_delete_user(c->st, uid, keep_session);
	if (rc == STORE_OK)
		rc = ops_audit(c, "password_change", "user", uid, NULL, NULL);
	return ops_store(err, rc);
}

/* ---- API tokens ---- */

int ops_session_token_create(const struct ops_ctx *c, int64_t user_id, const char *name,
			     const char *token_hash, int64_t *id, struct ops_err *err)
{
	struct store_user_auth u;
	int rc = store_user_auth_by_id(c->st, user_id, &u);

	*id = 0;
	if (rc == STORE_ENOTFOUND || (rc == STORE_OK && !u.active))
		return ops_refuse(err, 404, "Not found", "user", M_account_not_active);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (!ops_may(c, access_user(&c->actor.subject, user_id, u.org_id, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden", "user", M_account_other_org);
	rc = store_token_create(c->st, token_hash, user_id, name ? name : "", id);
	if (rc == STORE_OK)
		rc = ops_audit(c, "token.create", "token", *id, NULL, NULL);
	return ops_store(err, rc);
}

/* The account a token (live or revoked) belongs to. STORE_ENOTFOUND when there is no token id. */
static int token_owner(struct store *st, int64_t id, int64_t *user_id)
{
	json_t *items = NULL, *t;
	size_t i;
	int rc = store_token_list(st, 0, &items);

	*user_id = 0;
	if (rc != STORE_OK)
		return rc;
	json_array_foreach(items, i, t)
		if (json_integer_value(json_object_get(t, "id")) == id) {
			*user_id = json_integer_value(json_object_get(t, "user_id"));
			break;
		}
	json_decref(items);
	return *user_id != 0 ? STORE_OK : STORE_ENOTFOUND;
}

int ops_session_token_revoke(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	struct store_user_auth u;
	int64_t owner;
	int rc;

	if (!ops_may(c, access_user(&c->actor.subject, 0, 0, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_admins_only);
	rc = token_owner(c->st, id, &owner);
	if (rc == STORE_OK)
		rc = store_user_auth_by_id(c->st, owner, &u);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	/* an admin revokes the tokens of the accounts it administers, not another
	 * organisation's integrations */
	if (!ops_may(c, access_user(&c->actor.subject, owner, u.org_id, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_token_other_org);
	rc = store_token_revoke(c->st, id, c->now);
	if (rc == STORE_OK)
		rc = ops_audit(c, "token.revoke", "token", id, NULL, NULL);
	return ops_store(err, rc);
}
