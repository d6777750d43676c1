/* auth.c - sessions and authentication (001 Đ8: unique accounts, password policy, change at first
 * login, lockout after 5 failures, session ended after 10 idle minutes; TOTP second factor). */
#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "ops/session.h"
#include "ops/settings.h"
#include "ops/user.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define TOUCH_EVERY 15 /* seconds: last_seen is written at most this often per session */
#define TOKEN_TOUCH_EVERY 60 /* seconds: a token's last_used, at most this often */
#define USERNAME_MAX 64

/* A fixed argon2id hash (the limits crypto_pw_hash uses, of a random password nobody knows)
 * verified for unknown usernames, so a wrong name costs the same time as a wrong password and
 * does not tell which usernames exist. A constant, not computed at start: computing it cost
 * every cold start its time and memory (docs/benchmarks.md). */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$ejJ3tTlyA2DpMDeeX/WP5Q$"
				 "/WxirC4VL8NXixkG9EXxW9nlYYLdvwFO0f+R+KG3Tjc";

/* The subject of access decisions; the coordinator flag and the TOTP policy came with the
 * account's row (store_user_auth). */
static void fill_subject(struct api_ctx *cx)
{
	unsigned totp_roles;

	cx->subject.user_id = cx->user.id;
	cx->subject.org_id = cx->user.org_id;
	cx->subject.roles = cx->user.roles;
	cx->subject.org_role = codes_org_role_parse(cx->user.org_role);
	cx->subject.coordinator = cx->user.org_coordinator;
	totp_roles = ops_settings_totp_roles(cx->user.totp_roles_setting);
	cx->totp_required = (cx->user.roles & totp_roles) != 0;
	cx->restricted = cx->user.must_change_pw ||
			 (cx->user.totp_enforce && cx->totp_required && !cx->user.totp_enabled);
}

/* A 401 that asks for credentials, saying message id with its parameters a (n of them). */
static int unauthorized_args(struct http_res *res, const char *title, enum msg_id id,
			     const struct msg_arg *a, size_t n)
{
	http_res_header(res, "WWW-Authenticate", "Bearer realm=\"ungcuu\"");
	return http_res_problem_args(res, 401, title, NULL, id, a, n);
}
#define unauthorized(res, title, id, ...)                                                   \
	unauthorized_args((res), (title), (id), MSG_ARGS(__VA_ARGS__))

/* GET and HEAD run in one read transaction from authentication to the answer (api_after). */
static bool is_read(const struct http_req *req)
{
	return strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
}

/* The context of what authentication records on its way (nobody is signed in yet). */
static void facts_ctx(const struct http_req *req, struct store *st, int64_t now,
		      struct ops_ctx *c)
{
	api_ops_ctx(req, st, c);
	c->now = now;
}

static int auth_bearer(struct http_req *req, struct store *st, const char *token,
		       struct api_ctx *cx, struct http_res *res)
{
	char h[CRYPTO_HASH_HEX];
	int64_t now = tm_now();
	struct ops_ctx c;

	crypto_blake2b_hex(h, token, strlen(token));
	if (store_user_auth_by_token(st, h, &cx->user) != STORE_OK || !cx->user.active)
		return unauthorized(res, "Invalid token", M_auth_token_invalid), -1;
	if (now - cx->user.token_last_used >= TOKEN_TOUCH_EVERY) {
		/* the admin page's "last used"; a write, so outside a GET's read transaction */
		bool reading = is_read(req);

		store_read_end(st);
		facts_ctx(req, st, now, &c);
		if (ops_session_token_touch(&c, cx->user.token_id) != STORE_OK)
			log_warn("auth: could not record the use of token %lld",
				 (long long)cx->user.token_id);
		if (reading)
			store_read_begin(st);
	}
	return 0;
}

static bool unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static int auth_cookie(struct http_req *req, struct store *st, const char *token,
		       struct api_ctx *cx, struct http_res *res)
{
	char h[CRYPTO_HASH_HEX];
	struct store_session s;
	int64_t now = tm_now();
	struct ops_ctx c;
	const char *csrf;

	facts_ctx(req, st, now, &c);
	crypto_blake2b_hex(h, token, strlen(token));
	if (store_session_get(st, h, &s) != STORE_OK)
		return unauthorized(res, "Not logged in", M_auth_not_logged_in), -1;
	if (now - s.last_seen > API_IDLE_SECONDS) {
		ops_session_drop(&c, h);
		return unauthorized(res, "Session expired", M_auth_session_expired,
				    MN("minutes", API_IDLE_SECONDS / 60)),
		       -1;
	}
	if (store_user_auth_by_id(st, s.user_id, &cx->user) != STORE_OK || !cx->user.active) {
		ops_session_drop(&c, h);
		return unauthorized(res, "Not logged in", M_auth_account_inactive), -1;
	}
	csrf = http_header(req, "X-CSRF-Token");
	if (unsafe_method(req->method) && (csrf == NULL || crypto_streq(csrf, s.csrf) != 0)) {
		http_res_problem(res, 403, "CSRF check failed", "X-CSRF-Token", M_auth_csrf_failed);
		return -1;
	}
	if (now - s.last_seen >= TOUCH_EVERY) {
		/* a write: not inside the read transaction of a GET (it would have to upgrade it) */
		bool reading = is_read(req);

		store_read_end(st);
		ops_session_touch(&c, s.id);
		if (reading)
			store_read_begin(st);
	}
	cx->session_id = s.id;
	cx->via_cookie = true;
	return 0;
}

static void ctx_free(void *p)
{
	free(p);
}

static int auth_before(struct http_req *req, struct http_res *res, unsigned flags)
{
	struct store *st = api_store();
	struct api_ctx *cx;
	const char *authz, *cookie;
	int rc = 0;

	if (st == NULL)
		return api_store_error(res, STORE_EIO), -1;
	/* one snapshot and one lock cycle for the whole request, authentication included; a
	 * handler that writes ends it at store_begin */
	if (is_read(req))
		(void)store_read_begin(st);
	cx = calloc(1, sizeof *cx);
	if (cx == NULL)
		return api_store_error(res, STORE_EIO), -1;
	req->ctx = cx;
	req->ctx_free = ctx_free;
	authz = http_header(req, "Authorization");
	cookie = http_cookie(req, API_SESSION_COOKIE);
	if (authz && str_starts(authz, "Bearer "))
		rc = auth_bearer(req, st, authz + 7, cx, res);
	else if (cookie && cookie[0])
		rc = auth_cookie(req, st, cookie, cx, res);
	else if (flags & HTTP_PUBLIC)
		return 0;
	else
		return unauthorized(res, "Not logged in", M_auth_required), -1;
	if (rc != 0) {
		if (flags & HTTP_PUBLIC) { /* a stale cookie must not block the login page */
			memset(cx, 0, sizeof *cx);
			res->nheaders = 0;
			buf_reset(&res->body);
			return 0;
		}
		return -1;
	}
	fill_subject(cx);
	if (cx->restricted && !(flags & HTTP_PUBLIC) && !str_starts(req->path, "/api/v1/auth/")) {
		if (cx->user.must_change_pw)
			http_res_problem(res, 403, "Password change required", NULL,
					 M_auth_password_change_required);
		else
			http_res_problem(res, 403, "Second factor enrolment required", NULL,
					 M_auth_totp_enrol_required);
		return -1;
	}
	return 0;
}

void api_after(const struct http_req *req, const struct http_res *res, int64_t usec)
{
	(void)req;
	(void)res;
	(void)usec;
	store_read_end(api_store_if_open());
}

int api_auth_before(struct http_req *req, struct http_res *res, unsigned flags)
{
	int rc = auth_before(req, res, flags);

	if (rc != 0) /* TAXII clients expect TAXII error messages */
		api_taxii_error_from_problem(req, res);
	return rc;
}

/* ---- login ---- */

static void set_cookie(struct http_res *res, const char *token, bool clear)
{
	char v[256];

	snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", API_SESSION_COOKIE,
		 clear ? "" : token, api_env.secure_cookies ? "; Secure" : "",
		 clear ? "; Max-Age=0" : "");
	http_res_header(res, "Set-Cookie", v);
}

static int locked_problem(struct http_res *res, int64_t until)
{
	char when[TM_ISO_MAX];

	tm_format_vn_datetime(until, when, sizeof when);
	return http_res_problem(res, 423, "Account locked", NULL, M_auth_account_locked,
				MN("failures", OPS_LOGIN_FAILURES), MS("until", when));
}

#define TOTP_STEP 30

/* The time step a code matches for the secret (one step of clock drift either way), or -1.
 * Spending it, so a code is never accepted twice, is the operation's (ops_user_totp_use). */
static int64_t totp_step(const char *secret_b32, const char *code, int64_t now)
{
	char *raw = NULL;
	size_t rawlen = 0;
	int pos = 0, rc;

	if (code == NULL || oath_base32_decode(secret_b32, strlen(secret_b32), &raw, &rawlen) != OATH_OK)
		return -1;
	rc = oath_totp_validate2(raw, rawlen, (time_t)now, TOTP_STEP, 0, 1, &pos, code);
	free(raw);
	return rc < 0 ? -1 : now / TOTP_STEP + pos;
}

static json_t *me_json(struct store *st, const struct api_ctx *cx)
{
	json_t *u = NULL;

	if (store_user_get(st, cx->user.id, &u) != STORE_OK)
		return NULL;
	json_object_set_new(u, "org_role", json_string(cx->user.org_role));
	json_object_set_new(u, "coordinator", json_boolean(cx->subject.coordinator));
	json_object_set_new(u, "idle_timeout", json_integer(API_IDLE_SECONDS));
	json_object_set_new(u, "totp_required", json_boolean(cx->totp_required));
	json_object_set_new(u, "totp_enrolment_required",
			    json_boolean(cx->restricted && !cx->user.must_change_pw));
	return u;
}

/* The context of a login: the account logging in (user_id 0 and the name given when there is
 * none) as the actor, with no rights of its own yet. */
static void login_ctx(const struct http_req *req, struct store *st, int64_t uid,
		      const char *username, int64_t now, struct ops_ctx *c)
{
	api_ops_ctx(req, st, c);
	c->actor.subject = (struct ac_subject){0};
	c->actor.user_id = uid;
	c->actor.username = username;
	c->now = now;
	c->channel = OPS_WEB;
}

/* Answers a good login (the session is made and audited in tx): cookie and body. */
static int login_ok(struct http_req *req, struct http_res *res, struct api_tx *tx,
		    struct api_ctx *cx, const char *token, const char *csrf)
{
	json_t *body;

	fill_subject(cx);
	body = json_pack("{s:o*, s:s, s:b, s:b}", "user", me_json(tx->st, cx), "csrf_token", csrf,
			 "must_change_password", cx->user.must_change_pw, "totp_enrolment_required",
			 cx->restricted && !cx->user.must_change_pw);
	http_res_json(res, 200, body);
	if (api_tx_commit(tx, req, res) != 0)
		return 0;
	set_cookie(res, token, false);
	return 0;
}

/* An unknown username: the dummy hash is checked so it costs what a wrong password costs. */
static void login_unknown(struct http_req *req, struct http_res *res, const char *name,
			  const char *pass)
{
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;

	(void)crypto_pw_verify(dummy_hash, pass);
	if (api_tx_begin(req, res, &tx, false))
		return;
	login_ctx(req, tx.st, 0, name, tm_now(), &c);
	ops_session_login_unknown(&c, &err);
	api_tx_commit(&tx, req, res);
	unauthorized(res, "Invalid credentials", M_auth_login_failed);
}

/* Takes one of the account's attempts before the password is checked
 * (ops_session_login_reserve), in its own short transaction: argon2id must not hold the writer
 * lock, and the attempt must count before the check, or concurrent logins all pass a stale
 * "not locked". Returns 0 with *attempt set, or -1 when it answered (423 when locked). */
static int login_reserve(struct http_req *req, struct http_res *res, const struct api_ctx *cx,
			 int64_t now, int *attempt)
{
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t until;

	if (api_tx_begin(req, res, &tx, false))
		return -1;
	login_ctx(req, tx.st, cx->user.id, cx->user.username, now, &c);
	if (ops_session_login_reserve(&c, attempt, &until, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		return -1;
	}
	if (api_tx_commit(&tx, req, res) != 0)
		return -1;
	if (*attempt == 0)
		return locked_problem(res, until), -1;
	return 0;
}

/* Answers a login the operation refused (its facts are in tx, committed here). */
static void login_refused(struct http_req *req, struct http_res *res, struct api_tx *tx,
			  enum ops_login_result result, int64_t locked_until)
{
	if (api_tx_commit(tx, req, res) != 0)
		return;
	if (result == OPS_LOGIN_LOCKED)
		locked_problem(res, locked_until);
	else if (result == OPS_LOGIN_DISABLED)
		http_res_problem(res, 403, "Account disabled", NULL, M_auth_account_disabled);
	else if (result == OPS_LOGIN_NEED_CODE)
		unauthorized(res, "Second factor required", M_auth_totp_code_required);
	else
		unauthorized(res, "Invalid credentials", M_auth_login_failed);
}

int api_auth_login(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *user, *pass, *code;
	char name[USERNAME_MAX + 1], token[CRYPTO_TOKEN_CHARS], csrf[CRYPTO_TOKEN_CHARS];
	char h[CRYPTO_HASH_HEX];
	enum ops_login_result result;
	struct ops_login in = {0};
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	json_t *body;
	int64_t now = tm_now(), until;

	if (api_body(req, res, &body) != 0)
		return 0;
	user = api_in_text(body, "username");
	pass = api_in_text(body, "password");
	code = api_in_text(body, "totp");
	str_copy(name, sizeof name, user);
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if (store_user_auth_by_name(api_store(), name, &cx->user) != STORE_OK) {
		login_unknown(req, res, name, pass);
		goto out;
	}
	if (login_reserve(req, res, cx, now, &in.attempt) != 0)
		goto out;
	/* argon2id and the code's check run between the two transactions: not under the writer
	 * lock */
	in.password_ok = crypto_pw_verify(cx->user.pw_hash, pass) == 0;
	in.code_given = code != NULL;
	in.code_step = cx->user.totp_enabled ? totp_step(cx->user.totp_secret, code, now) : -1;
	crypto_token(token);
	crypto_token(csrf);
	crypto_blake2b_hex(h, token, strlen(token));
	in.token_hash = h;
	in.csrf = csrf;
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	login_ctx(req, tx.st, cx->user.id, cx->user.username, now, &c);
	if (ops_session_login(&c, &cx->user, &in, &result, &until, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_store_error(res, STORE_EIO);
		goto out;
	}
	if (result == OPS_LOGIN_OK)
		login_ok(req, res, &tx, cx, token, csrf);
	else
		login_refused(req, res, &tx, result, until);
out:
	json_decref(body);
	return 0;
}

int api_auth_logout(struct http_req *req, struct http_res *res)
{
	const char *cookie = http_cookie(req, API_SESSION_COOKIE);
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	char h[CRYPTO_HASH_HEX];

	if (api_tx_begin(req, res, &tx, false))
		return 0;
	if (cookie)
		crypto_blake2b_hex(h, cookie, strlen(cookie));
	api_ops_ctx(req, tx.st, &c);
	if (ops_session_logout(&c, cookie ? h : NULL, &err) != OPS_OK) {
		api_tx_abort(&tx);
		return api_ops_error(res, &err);
	}
	res->status = 204;
	if (api_tx_commit(&tx, req, res) == 0)
		set_cookie(res, "", true);
	return 0;
}

int api_auth_me(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store *st = api_store();
	char h[CRYPTO_HASH_HEX];
	struct store_session s;
	const char *cookie = http_cookie(req, API_SESSION_COOKIE);
	json_t *u = me_json(st, cx);

	if (u == NULL)
		return api_store_error(res, STORE_EIO);
	if (cx->via_cookie && cookie) {
		crypto_blake2b_hex(h, cookie, strlen(cookie));
		if (store_session_get(st, h, &s) == STORE_OK)
			json_object_set_new(u, "csrf_token", json_string(s.csrf));
	}
	json_object_set_new(u, "must_change_password", json_boolean(cx->user.must_change_pw));
	return http_res_json(res, 200, u);
}

int api_auth_password(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *cur, *nw;
	char hash[CRYPTO_PWHASH_MAX];
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	json_t *in;

	if (api_body(req, res, &in) != 0)
		return 0;
	cur = api_in_text(in, "current_password");
	nw = api_in_text(in, "new_password");
	/* argon2id (verify and hash) before the transaction: it must not hold the writer lock */
	if (ops_session_password_check(cx->user.username, cx->user.pw_hash, cur, nw, hash, &err) !=
	    OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_session_password(&c, cx->session_id, hash, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_store_error(res, STORE_EIO);
		goto out;
	}
	res->status = 204;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	return 0;
}

int api_auth_totp_enroll(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	char raw[20], *b32 = NULL, uri[512];
	size_t b32len = 0;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;

	if (cx->user.totp_enabled) { /* answered before a secret is made; the operation checks too */
		http_res_problem(res, 409, "Already enrolled", NULL, M_auth_totp_already_enabled);
		return 0;
	}
	crypto_random(raw, sizeof raw);
	if (oath_base32_encode(raw, sizeof raw, &b32, &b32len) != OATH_OK)
		return api_store_error(res, STORE_EIO);
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_user_totp_enrol(&c, b32, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	snprintf(uri, sizeof uri, "otpauth://totp/ungcuu:%s?secret=%s&issuer=ungcuu&digits=6&period=30",
		 cx->user.username, b32);
	http_res_json(res, 200, json_pack("{s:s, s:s}", "secret", b32, "uri", uri));
	api_tx_commit(&tx, req, res);
out:
	free(b32);
	return 0;
}

/* Confirms an enrolment (confirm) or turns the second factor off: the code is matched against
 * the account's secret here (liboath is the API's), the operation spends its time step and
 * decides; answers 204, or the refusal. */
static int totp_change(struct http_req *req, struct http_res *res, bool confirm)
{
	struct api_ctx *cx = req->ctx;
	const char *code;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t step;
	json_t *in;
	int rc;

	if (api_body(req, res, &in) != 0)
		return 0;
	code = api_in_text(in, "code");
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	step = totp_step(cx->user.totp_secret, code, c.now);
	rc = confirm ? ops_user_totp_confirm(&c, cx->user.totp_secret, step, &err)
		     : ops_user_totp_disable(&c, step, &err);
	if (rc != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	res->status = 204;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	return 0;
}

int api_auth_totp_confirm(struct http_req *req, struct http_res *res)
{
	return totp_change(req, res, true);
}

int api_auth_totp_disable(struct http_req *req, struct http_res *res)
{
	return totp_change(req, res, false);
}

/* Prepares what login needs once per process. Returns 0 or -1. */
int api_auth_init(void)
{
	return oath_init() == OATH_OK ? 0 : -1;
}
