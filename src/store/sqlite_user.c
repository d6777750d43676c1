/* sqlite_user.c - accounts, sessions and API tokens (store_user_*, store_session_*,
 * store_token_*). Only hashes of session and token secrets are stored.
 * Login bookkeeping (failed_logins, locked_until, last_seen) does not bump an account's version:
 * the version is the ETag of what people edit, and a failed login must not make an
 * administrator's pending edit conflict. */
#include "sqlite_priv.h"

#include <string.h>

#include "util/str.h"
#include "util/tm.h"

static const struct sq_col user_cols[] = {
	{"username", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
	{"full_name", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"email", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"phone", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"position", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"org_id", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"roles", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"pw_hash", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
	{"must_change_pw", SQK_FLAG, SQC_CREATE, 1},
};

static const struct sq_table user_table = {"users", user_cols, SQ_NELEM(user_cols)};

/* usernames are stored lower case so logins match whatever case is typed */
static const char user_insert_sql[] =
	"INSERT INTO users(username, full_name, email, phone, position, org_id, roles, pw_hash, "
	"must_change_pw, created_at, updated_at) "
	"VALUES (lower(?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";

int store_user_create(struct store *st, const json_t *user, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_USER_INSERT, user_insert_sql, &s), n;

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	rc = sq_bind_create(st, s, user, user_cols, SQ_NELEM(user_cols), &n);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, n + 1, tm_now());
	rc = sq_step_done(st, s, "user create");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sq_done(s);
	return rc;
}

/* No pw_hash, no totp_secret: user rows never carry secrets. */
#define USER_ROW                                                                                 \
	"SELECT u.id, u.username, u.full_name, u.email, u.phone, u.position, u.org_id, u.roles, " \
	"u.must_change_pw, u.failed_logins, u.locked_until, u.totp_enabled, u.active, u.version, " \
	"u.created_at, u.updated_at, o.code AS org_code, o.name AS org_name "                     \
	"FROM users u JOIN orgs o ON o.id = u.org_id "

static const char user_get_sql[] = USER_ROW "WHERE u.id = ?1";
static const char user_list_sql[] = USER_ROW "WHERE ?1 = 0 OR u.org_id = ?1 ORDER BY u.username";

int store_user_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_USER_GET, user_get_sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "user get", out);
	sq_done(s);
	return rc;
}

int store_user_list(struct store *st, int64_t org_id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_USER_LIST, user_list_sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, org_id);
	rc = sq_rows_json(st, s, "user list", out);
	sq_done(s);
	return rc;
}

/* The account, its organisation, and the settings deciding what it may do (coordinator, TOTP
 * policy) in one statement: authentication runs on every request. */
#define USER_AUTH_COLS                                                                           \
	"SELECT u.id, u.org_id, u.roles, u.username, u.pw_hash, u.must_change_pw, "               \
	"u.failed_logins, u.locked_until, u.active, u.totp_enabled, u.totp_secret, o.role, "     \
	"u.totp_last_step, "                                                                      \
	"coalesce(o.id = (SELECT CAST(value AS INTEGER) FROM meta "                               \
	"WHERE key = 'coordinator_org_id'), 0), "                                                 \
	"coalesce((SELECT CASE WHEN value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9]*' "             \
	"THEN CAST(value AS INTEGER) END FROM meta WHERE key = 'totp_required_roles'), -1), "      \
	"coalesce((SELECT value = '1' FROM meta WHERE key = 'totp_enforce'), 0)"
#define USER_AUTH_FROM " FROM users u JOIN orgs o ON o.id = u.org_id "
#define USER_AUTH USER_AUTH_COLS USER_AUTH_FROM

static const char user_auth_name_sql[] = USER_AUTH "WHERE u.username = lower(?1)";
static const char user_auth_id_sql[] = USER_AUTH "WHERE u.id = ?1";
/* USER_AUTH's columns, then the token's id and last use */
static const char user_auth_token_sql[] =
	USER_AUTH_COLS ", t.id, t.last_used " USER_AUTH_FROM
	"JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?1 AND t.revoked_at = 0";

static int user_auth_fill(sqlite3_stmt *s, struct store_user_auth *out)
{
	int rc;

	out->id = sqlite3_column_int64(s, 0);
	out->org_id = sqlite3_column_int64(s, 1);
	out->roles = (unsigned)sqlite3_column_int64(s, 2);
	rc = sq_col_copy(s, 3, out->username, sizeof out->username);
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 4, out->pw_hash, sizeof out->pw_hash);
	out->must_change_pw = sqlite3_column_int(s, 5) != 0;
	out->failed_logins = sqlite3_column_int(s, 6);
	out->locked_until = sqlite3_column_int64(s, 7);
	out->active = sqlite3_column_int(s, 8) != 0;
	out->totp_enabled = sqlite3_column_int(s, 9) != 0;
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 10, out->totp_secret, sizeof out->totp_secret);
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 11, out->org_role, sizeof out->org_role);
	out->totp_last_step = sqlite3_column_int64(s, 12);
	out->org_coordinator = sqlite3_column_int(s, 13) != 0;
	out->totp_roles_setting = sqlite3_column_int64(s, 14);
	out->totp_enforce = sqlite3_column_int(s, 15) != 0;
	if (sqlite3_column_count(s) > 17) { /* by token */
		out->token_id = sqlite3_column_int64(s, 16);
		out->token_last_used = sqlite3_column_int64(s, 17);
	}
	return rc;
}

static int user_auth(struct store *st, enum sq_id id, const char *sql, const char *name,
		     int64_t key, struct store_user_auth *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	rc = sq_stmt(st, id, sql, &s);
	if (rc != STORE_OK)
		return rc;
	if (name != NULL) /* a user name or a token hash */
		sq_bind_text(st, s, 1, name);
	else
		sq_bind_int(st, s, 1, key);
	rc = sq_step_row(st, s, "user auth");
	if (rc == STORE_OK)
		rc = user_auth_fill(s, out);
	if (rc != STORE_OK)
		memset(out, 0, sizeof *out); /* no half-filled account, least of all its hash */
	sq_done(s);
	return rc;
}

int store_user_auth_by_name(struct store *st, const char *username, struct store_user_auth *out)
{
	return user_auth(st, SQ_USER_AUTH_NAME, user_auth_name_sql, username, 0, out);
}

int store_user_auth_by_id(struct store *st, int64_t id, struct store_user_auth *out)
{
	return user_auth(st, SQ_USER_AUTH_ID, user_auth_id_sql, NULL, id, out);
}

int store_user_auth_by_token(struct store *st, const char *token_hash, struct store_user_auth *out)
{
	return user_auth(st, SQ_USER_AUTH_TOKEN, user_auth_token_sql, token_hash, 0, out);
}

/* Runs a single-row UPDATE: ?1 = row id, then ?2 = a, ?3 = b and ?4 = text for as many
 * parameters as the statement has. STORE_ENOTFOUND when no row changed. */
static int user_write(struct store *st, enum sq_id id, const char *sql, const char *what,
		      int64_t row, int64_t a, int64_t b, const char *text)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s), np;

	if (rc != STORE_OK)
		return rc;
	np = sqlite3_bind_parameter_count(s);
	sq_bind_int(st, s, 1, row);
	if (np >= 2)
		sq_bind_int(st, s, 2, a);
	if (np >= 3)
		sq_bind_int(st, s, 3, b);
	if (np >= 4)
		sq_bind_text(st, s, 4, text);
	rc = sq_step_done(st, s, what);
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
	sq_done(s);
	return rc;
}

/* The count and the check are one statement under the writer's lock: a 6th attempt racing the
 * 5th finds the account locked without its password being checked. locked_until <> 0 in a row
 * that passes the WHERE is a lock that ran out: the count starts again. */
static const char user_reserve_sql[] =
	"UPDATE users SET "
	"failed_logins = CASE WHEN locked_until <> 0 THEN 1 ELSE failed_logins + 1 END, "
	"locked_until = CASE WHEN (CASE WHEN locked_until <> 0 THEN 1 ELSE failed_logins + 1 END) "
	">= ?3 THEN ?4 ELSE 0 END "
	"WHERE id = ?1 AND locked_until <= ?2 RETURNING failed_logins, locked_until";
static const char user_locked_sql[] = "SELECT locked_until FROM users WHERE id = ?1";

/* Why nothing was reserved: the account is locked (*until), or there is no such account. */
static int user_locked(struct store *st, int64_t id, int64_t *until)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_USER_LOCKED, user_locked_sql, &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "user locked");
	if (rc == STORE_OK) {
		*until = sqlite3_column_int64(s, 0);
		rc = STORE_ECONFLICT;
	}
	sq_done(s);
	return rc;
}

int store_user_login_reserve(struct store *st, int64_t id, int64_t now, int max,
			     int64_t lock_until, int *attempt, int64_t *locked_until)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_USER_RESERVE, user_reserve_sql, &s);

	*attempt = 0;
	*locked_until = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, now);
	sq_bind_int(st, s, 3, max);
	sq_bind_int(st, s, 4, lock_until);
	rc = sq_step_row(st, s, "login reserve");
	if (rc == STORE_OK) {
		*attempt = sqlite3_column_int(s, 0);
		*locked_until = sqlite3_column_int64(s, 1);
	}
	sq_done(s);
	if (rc == STORE_ENOTFOUND)
		rc = user_locked(st, id, locked_until);
	return rc;
}

static const char user_release_sql[] =
	"UPDATE users SET failed_logins = max(failed_logins - 1, 0), "
	"locked_until = CASE WHEN failed_logins - 1 < ?2 THEN 0 ELSE locked_until END "
	"WHERE id = ?1";

int store_user_login_release(struct store *st, int64_t id, int max)
{
	return user_write(st, SQ_USER_RELEASE, user_release_sql, "login release", id, max, 0, NULL);
}

static const char user_ok_sql[] =
	"UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1";

int store_user_login_ok(struct store *st, int64_t id)
{
	return user_write(st, SQ_USER_OK, user_ok_sql, "login ok", id, 0, 0, NULL);
}

int store_user_unlock(struct store *st, int64_t id)
{
	return user_write(st, SQ_USER_OK, user_ok_sql, "unlock", id, 0, 0, NULL);
}

static const char user_password_sql[] =
	"UPDATE users SET pw_hash = ?4, must_change_pw = ?2, failed_logins = 0, locked_until = 0, "
	"version = version + 1, updated_at = ?3 WHERE id = ?1";

int store_user_set_password(struct store *st, int64_t id, const char *pw_hash, bool must_change)
{
	return user_write(st, SQ_USER_PASSWORD, user_password_sql, "set password", id,
			  must_change ? 1 : 0, tm_now(), pw_hash);
}

static const char user_totp_sql[] =
	"UPDATE users SET totp_secret = ?4, totp_enabled = ?2, version = version + 1, "
	"updated_at = ?3 WHERE id = ?1";

int store_user_set_totp(struct store *st, int64_t id, const char *secret, bool enabled)
{
	return user_write(st, SQ_USER_TOTP, user_totp_sql, "set totp", id, enabled ? 1 : 0,
			  tm_now(), secret);
}

static const char user_totp_step_sql[] =
	"UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2";

static const char user_exists_sql[] = "SELECT 1 FROM users WHERE id = ?1";

/* The compare and the write are one statement, so two logins racing with the same code cannot
 * both take the step. */
int store_user_totp_step(struct store *st, int64_t id, int64_t step)
{
	int rc = user_write(st, SQ_USER_TOTP_STEP, user_totp_step_sql, "totp step", id, step, 0,
			    NULL);

	if (rc == STORE_ENOTFOUND && sq_exists(st, SQ_USER_EXISTS, user_exists_sql, id) == STORE_OK)
		rc = STORE_ECONFLICT; /* the account exists: the step was not later than the last */
	return rc;
}

static const char user_active_sql[] =
	"UPDATE users SET active = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1";
static const char token_revoke_user_sql[] =
	"UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at = 0";

static int user_revoke_tokens(struct store *st, int64_t user_id, int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_TOKEN_REVOKE_USER, token_revoke_user_sql, &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, user_id);
	sq_bind_int(st, s, 2, now);
	rc = sq_step_done(st, s, "revoke user tokens");
	sq_done(s);
	return rc;
}

/* A deactivated account must lose every way in at once: its sessions and tokens go with it. */
int store_user_set_active(struct store *st, int64_t id, bool active)
{
	int64_t now = tm_now();
	int rc = sq_savepoint(st);

	if (rc != STORE_OK)
		return rc;
	rc = user_write(st, SQ_USER_ACTIVE, user_active_sql, "set active", id, active ? 1 : 0, now,
			NULL);
	if (rc == STORE_OK && !active)
		rc = store_session_delete_user(st, id, 0);
	if (rc == STORE_OK && !active)
		rc = user_revoke_tokens(st, id, now);
	return sq_finish(st, rc);
}

int store_user_update(struct store *st, int64_t id, int64_t version, const json_t *fields)
{
	return sq_update(st, &user_table, id, version, fields, NULL);
}

/* ---- sessions ---- */

int store_session_create(struct store *st, const char *token_hash, const char *csrf,
			 int64_t user_id, const char *ip, int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_SESSION_INSERT,
			 "INSERT INTO sessions(token_hash, csrf, user_id, ip, created_at, last_seen) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?5)", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, token_hash);
	sq_bind_text(st, s, 2, csrf);
	sq_bind_int(st, s, 3, user_id);
	sq_bind_text(st, s, 4, ip);
	sq_bind_int(st, s, 5, now);
	rc = sq_step_done(st, s, "session create");
	sq_done(s);
	return rc;
}

int store_session_get(struct store *st, const char *token_hash, struct store_session *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	rc = sq_stmt(st, SQ_SESSION_GET,
		     "SELECT id, user_id, csrf, created_at, last_seen FROM sessions "
		     "WHERE token_hash = ?1", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, token_hash);
	rc = sq_step_row(st, s, "session get");
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 2, out->csrf, sizeof out->csrf);
	if (rc == STORE_OK) {
		out->id = sqlite3_column_int64(s, 0);
		out->user_id = sqlite3_column_int64(s, 1);
		out->created_at = sqlite3_column_int64(s, 3);
		out->last_seen = sqlite3_column_int64(s, 4);
	}
	sq_done(s);
	return rc;
}

/* Binds ?1 (text when not NULL, else a) and, when the statement has it, ?2 = b; then steps.
 * For the small writes below. */
static int write2(struct store *st, enum sq_id id, const char *sql, const char *what,
		  const char *text, int64_t a, int64_t b)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc != STORE_OK)
		return rc;
	if (text != NULL)
		sq_bind_text(st, s, 1, text);
	else
		sq_bind_int(st, s, 1, a);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sq_bind_int(st, s, 2, b);
	rc = sq_step_done(st, s, what);
	sq_done(s);
	return rc;
}

int store_session_touch(struct store *st, int64_t id, int64_t now)
{
	return write2(st, SQ_SESSION_TOUCH, "UPDATE sessions SET last_seen = ?2 WHERE id = ?1",
		      "session touch", NULL, id, now);
}

int store_session_delete(struct store *st, const char *token_hash)
{
	return write2(st, SQ_SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?1",
		      "session delete", token_hash, 0, 0);
}

int store_session_delete_user(struct store *st, int64_t user_id, int64_t keep_id)
{
	return write2(st, SQ_SESSION_DELETE_USER,
		      "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", "session delete user",
		      NULL, user_id, keep_id);
}

/* ---- API tokens ---- */

int store_token_create(struct store *st, const char *token_hash, int64_t user_id,
		       const char *name, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_TOKEN_INSERT,
			 "INSERT INTO api_tokens(token_hash, user_id, name, created_at) "
			 "VALUES (?1, ?2, ?3, ?4)", &s);

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, token_hash);
	sq_bind_int(st, s, 2, user_id);
	sq_bind_text(st, s, 3, name);
	sq_bind_int(st, s, 4, tm_now());
	rc = sq_step_done(st, s, "token create");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	sq_done(s);
	return rc;
}

int store_token_touch(struct store *st, int64_t id, int64_t now)
{
	return write2(st, SQ_TOKEN_TOUCH, "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1",
		      "token touch", NULL, id, now);
}

int store_token_revoke(struct store *st, int64_t id, int64_t now)
{
	int rc = write2(st, SQ_TOKEN_REVOKE,
			"UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0",
			"token revoke", NULL, id, now);

	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
	return rc;
}

int store_token_list(struct store *st, int64_t user_id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_TOKEN_LIST,
			 "SELECT t.id, t.user_id, u.username, u.org_id, t.name, t.created_at, "
			 "t.last_used, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
			 "WHERE ?1 = 0 OR t.user_id = ?1 ORDER BY t.id", &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, user_id);
	rc = sq_rows_json(st, s, "token list", out);
	sq_done(s);
	return rc;
}
