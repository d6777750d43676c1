/* session.h - sessions, API tokens and the facts of a login (001 Đ8: lockout after 5 failed
 * logins, the session ended after 10 idle minutes, the password changed at first login; the
 * TOTP second factor), whatever the channel: the login page and API (api/auth.c, api/users.c)
 * and the command line (`ungcuu token`). None of these reads c->preset. */
#ifndef UNGCUU_OPS_SESSION_H
#define UNGCUU_OPS_SESSION_H
#include "ops.h"
#include "util/crypto.h"

#define OPS_LOGIN_FAILURES 5            /* 001 Đ8: locked after 5 failed logins */
#define OPS_LOGIN_LOCK_SECONDS (15 * 60) /* timed unlock; an admin may unlock sooner */

/* ---- login: the password is checked (argon2id) between two short transactions ---- */

/* A login for a username that has no account: audits "login_failed" (the actor's username is
 * the name given, its user_id 0). OPS_OK or OPS_ESTORE. */
int ops_session_login_unknown(const struct ops_ctx *c, struct ops_err *err);
/* Takes one of the actor's account's OPS_LOGIN_FAILURES attempts before its password is checked
 * (store_user_login_reserve), in its own short transaction, so concurrent logins never check
 * more passwords than that however many run at once. OPS_OK with *attempt = 1..max; or, when
 * the account is locked, OPS_OK with *attempt = 0, *locked_until set and "login_locked" audited
 * (the caller commits it and refuses). OPS_ESTORE otherwise. */
int ops_session_login_reserve(const struct ops_ctx *c, int *attempt, int64_t *locked_until,
			      struct ops_err *err);

/* What the channel found out of the transaction, for ops_session_login. */
struct ops_login {
	int attempt;        /* the one ops_session_login_reserve took */
	bool password_ok;   /* crypto_pw_verify against the account's hash */
	bool code_given;    /* a TOTP code came with the login */
	int64_t code_step;  /* the time step it matched against the account's secret, -1: none */
	const char *token_hash; /* the new session's token (hashed) and CSRF token */
	const char *csrf;
};
enum ops_login_result {
	OPS_LOGIN_OK,        /* a session was made */
	OPS_LOGIN_FAILED,    /* wrong password or code: the reserved attempt stays counted */
	OPS_LOGIN_LOCKED,    /* ... and it was the one that locked the account (*locked_until) */
	OPS_LOGIN_DISABLED,  /* the password was right but the account is disabled */
	OPS_LOGIN_NEED_CODE, /* the password was right, the second factor is missing */
};
/* Decides a login of account u (read before the reservation) after its password check: a
 * wrong password, or a wrong or spent code, is a failure (audited "login_failed" with the
 * count, and "lockout" by the attempt that locked the account); a right password that does not
 * log in (disabled, second factor missing) gives its attempt back so such answers never lock
 * an account ("login_disabled" audited); otherwise the failures are cleared, the session
 * created and "login" audited. *result says which. OPS_OK or OPS_ESTORE. */
int ops_session_login(const struct ops_ctx *c, const struct store_user_auth *u,
		      const struct ops_login *in, enum ops_login_result *result,
		      int64_t *locked_until, struct ops_err *err);

/* Ends the session of token_hash (NULL: none) and audits "logout" by the actor. */
int ops_session_logout(const struct ops_ctx *c, const char *token_hash, struct ops_err *err);

/* The facts authentication records on its way (no audit): the session of token_hash ended by
 * itself (idle, account disabled), a session or a token seen in use. STORE_E* codes; run in
 * the request's own connection, outside a write transaction. */
int ops_session_drop(const struct ops_ctx *c, const char *token_hash);
int ops_session_touch(const struct ops_ctx *c, int64_t session_id);
int ops_session_token_touch(const struct ops_ctx *c, int64_t token_id);

/* ---- password change by the account's owner ---- */

/* Checks a password change before the write transaction (argon2id must not hold the writer
 * lock): current matches current_hash (403 "Wrong password" naming current_password), new_pw
 * passes the policy (core/passwd.c) and differs from current (422 "Weak password" naming
 * new_password). Sets hash (of new_pw). OPS_OK, OPS_EREFUSED, OPS_ESTORE. */
int ops_session_password_check(const char *username, const char *current_hash,
			       const char *current, const char *new_pw,
			       char hash[CRYPTO_PWHASH_MAX], struct ops_err *err);
/* Sets the actor's own password hash (no change forced), ends its other sessions (keeps
 * keep_session, 0: none) and audits "password_change". */
int ops_session_password(const struct ops_ctx *c, int64_t keep_session, const char *hash,
			 struct ops_err *err);

/* ---- API tokens ---- */

/* A new API token of the active account user_id (404 otherwise) that the actor administers
 * (403), stored as token_hash with a name. Audits "token.create". Sets *id. */
int ops_session_token_create(const struct ops_ctx *c, int64_t user_id, const char *name,
			     const char *token_hash, int64_t *id, struct ops_err *err);
/* Revokes token id (404 when there is no such live token): an admin (403 "only admins") of the
 * token's account's organisation (403). Audits "token.revoke". */
int ops_session_token_revoke(const struct ops_ctx *c, int64_t id, struct ops_err *err);

#endif
