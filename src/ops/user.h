/* user.h - personal accounts (001 Đ8: one account per person, revoked when the person leaves
 * while the records stay), whatever the channel: the admin pages and API (api/users.c), the
 * account's owner (api/auth.c, api/notify.c) and the command line (`ungcuu user`, `ungcuu
 * init`). Who may do what: docs/access.md "Organisations, accounts, audit". None of these reads
 * c->preset except ops_user_notifications (a channel may leave it NULL for the others). */
#ifndef UNGCUU_OPS_USER_H
#define UNGCUU_OPS_USER_H
#include "ops.h"
#include "util/crypto.h"

/* A password for an account, made before the write transaction (argon2id must not hold the
 * writer lock): pw NULL makes a one-time password into temp (shown once, changed at first
 * login); otherwise pw must pass the policy (core/passwd.c: 422 "Weak password" naming field)
 * and temp may be NULL. Sets hash. OPS_OK, OPS_EREFUSED, or OPS_ESTORE when hashing failed. */
int ops_user_password(const char *username, const char *pw, const char *field,
		      char *temp, char hash[CRYPTO_PWHASH_MAX], struct ops_err *err);

/* Whether the actor creates accounts at all (an admin; 403), the first check of
 * ops_user_create for a channel answering before it reads the input. */
int ops_user_may_create(const struct ops_ctx *c, struct ops_err *err);
/* The checks of ops_user_create on its row, for a channel to ask before it hashes a password:
 * the actor administers the organisation (403 naming org_id), the username is 3-64 of a-z, 0-9,
 * . _ - (422), full_name and roles are given (422). OPS_OK or OPS_EREFUSED. */
int ops_user_check_new(const struct ops_ctx *c, const json_t *row, struct ops_err *err);
/* Creates an account from row (username, full_name, email, phone, position, org_id, roles
 * (ROLE_* bits); not stolen) with the password hash pw_hash, to be changed at first login.
 * Audits "user.create". Sets *id and, if after is not NULL, *after to the stored record (caller
 * decrefs). A taken username is OPS_ESTORE with STORE_ECONFLICT. */
int ops_user_create(const struct ops_ctx *c, const json_t *row, const char *pw_hash,
		    int64_t *id, json_t **after, struct ops_err *err);

/* Whether the actor may edit account id at all (its own, or an admin; 403). */
int ops_user_may_edit(const struct ops_ctx *c, int64_t id, struct ops_err *err);
/* Changes an account's profile (full_name, email, phone, position) and, by an admin of both
 * organisations, its roles (bits) and org_id: nobody changes their own roles or organisation
 * (403 naming the field; the same values are no change), if_version (0: any) is its version
 * (412). Audits "user.permissions" when roles or org_id were sent, else "user.update", before
 * -> after. *after: the record (caller decrefs). */
int ops_user_update(const struct ops_ctx *c, int64_t id, int64_t if_version, const json_t *row,
		    json_t **after, struct ops_err *err);

/* Whether the actor administers accounts at all (an admin; 403 "only admins"), the first check
 * of the operations below. */
int ops_user_may_admin(const struct ops_ctx *c, int64_t id, struct ops_err *err);
/* The admin's operations on account id of an organisation the actor administers (403
 * otherwise, 404 for no such account). Each audits "user.<verb>" before -> after and sets
 * *after to the record (caller decrefs; after may be NULL). */
/* New password hash (ops_user_password with pw NULL), change forced, sessions ended. */
int ops_user_reset(const struct ops_ctx *c, int64_t id, const char *pw_hash, json_t **after,
		   struct ops_err *err);
/* Revokes access at once (sessions and tokens end, records stay); not one's own (409). */
int ops_user_disable(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err);
int ops_user_enable(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err);
/* Clears a lockout after failed logins. */
int ops_user_unlock(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err);
/* A lost device: the second factor is removed, sessions end, the user enrols again. */
int ops_user_totp_reset(const struct ops_ctx *c, int64_t id, json_t **after,
			struct ops_err *err);

/* ---- the actor's own second factor (TOTP, RFC 6238) ---- */

/* Spends the time step a code matched (step < 0: the code matched none) for account user_id, so
 * a code is never accepted twice (RFC 6238 §5.2): OPS_OK, or OPS_EREFUSED 422 "Wrong code". */
int ops_user_totp_use(const struct ops_ctx *c, int64_t user_id, int64_t step,
		      struct ops_err *err);
/* Starts an enrolment with the new base32 secret (409 when one is enabled already). */
int ops_user_totp_enrol(const struct ops_ctx *c, const char *secret, struct ops_err *err);
/* Confirms the enrolment of secret (the one the code was checked against) with the code's time
 * step: 409 when no enrolment is in progress, 422 for a wrong or spent code. Audits
 * "totp_enable". */
int ops_user_totp_confirm(const struct ops_ctx *c, const char *secret, int64_t step,
			  struct ops_err *err);
/* Turns the second factor off with a code's time step: 409 when none is on, 403 when the
 * account's roles require it (the policy, ops/settings.c), 422 for a wrong code. Audits
 * "totp_disable". */
int ops_user_totp_disable(const struct ops_ctx *c, int64_t step, struct ops_err *err);

/* ---- the actor's own notification preferences (docs/mail.md "Preferences") ---- */

/* The preferences as shown to subject s under preset p: every event with its mode, its default
 * and whether the preset requires it (and why), from the stored modes ({event: mode}) and their
 * version. A new reference (caller decrefs). */
json_t *ops_user_notify_prefs(const struct preset *p, const struct ac_subject *s,
			      const json_t *stored, int64_t version);
/* Sets the actor's own modes ({event: mode}, 1..NOTIFY_NEVENTS events): known events and modes
 * (422), never below the preset's minimum (422 "Notification required" naming the event and its
 * source), if_version (0: any) the current version (412). Audits "user.notifications" before ->
 * after. *after: ops_user_notify_prefs of the result, *version its version. */
int ops_user_notifications(const struct ops_ctx *c, int64_t if_version, const json_t *events,
			   json_t **after, int64_t *version, struct ops_err *err);

#endif
