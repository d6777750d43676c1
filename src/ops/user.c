/* user.c - operations on personal accounts: create, change, the admin's reset, disable,
 * enable, unlock and second-factor reset, and what an account's owner sets for itself (its
 * second factor, its notification preferences). */
#include <string.h>

#include "core/cite.h"
#include "core/codes.h"
#include "core/notify.h"
#include "core/passwd.h"
#include "settings.h"
#include "user.h"

static const char *text_of(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

int ops_user_password(const char *username, const char *pw, const char *field,
		      char *temp, char hash[CRYPTO_PWHASH_MAX], struct ops_err *err)
{
	struct msg why;

	if (pw == NULL) {
		crypto_temp_password(temp);
		pw = temp;
	} else if (passwd_check(username, pw, &why) != 0) {
		return ops_refuse_msg(err, 422, "Weak password", field, &why);
	}
	if (crypto_pw_hash(hash, pw) != 0)
		return ops_store(err, STORE_EIO);
	return OPS_OK;
}

/* ---- create ---- */

int ops_user_may_create(const struct ops_ctx *c, struct ops_err *err)
{
	if (!ops_may(c, access_user(&c->actor.subject, 0, 0, AC_CREATE)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_user_create_admins_only);
	return OPS_OK;
}

int ops_user_check_new(const struct ops_ctx *c, const json_t *row, struct ops_err *err)
{
	const char *username = text_of(row, "username");
	int64_t org = json_integer_value(json_object_get(row, "org_id"));
	int rc = ops_user_may_create(c, err);

	if (rc != OPS_OK)
		return rc;
	if (!ops_may(c, access_user(&c->actor.subject, 0, org, AC_CREATE)))
		return ops_refuse(err, 403, "Forbidden", "org_id", M_user_create_org_forbidden);
	if (username == NULL || !codes_username_ok(username))
		return ops_refuse(err, 422, "Invalid field", "username", M_username_invalid);
	if (json_object_get(row, "roles") == NULL || json_object_get(row, "full_name") == NULL)
		return ops_refuse(err, 422, "Missing field",
				  json_object_get(row, "roles") ? "full_name" : "roles",
				  M_user_fields_missing);
	return OPS_OK;
}

int ops_user_create(const struct ops_ctx *c, const json_t *row, const char *pw_hash,
		    int64_t *id, json_t **after, struct ops_err *err)
{
	json_t *r = NULL, *rec = NULL;
	int rc = ops_user_check_new(c, row, err);

	*id = 0;
	if (after)
		*after = NULL;
	if (rc != OPS_OK)
		return rc;
	r = json_deep_copy(row);
	if (r == NULL)
		return ops_store(err, STORE_EIO);
	/* the one who hands the password over must not know the one in use: changed at first login
	 * (the demo's accounts keep the password the README publishes: nobody hands it over) */
	json_object_set_new(r, "pw_hash", json_string(pw_hash));
	json_object_set_new(r, "must_change_pw", json_boolean(c->channel != OPS_DEMO));
	rc = store_user_create(c->st, r, id);
	if (rc == STORE_OK)
		rc = store_user_get(c->st, *id, &rec);
	json_decref(r);
	return ops_store(err, ops_audit_record(c, rc, "user.create", "user", *id, NULL, rec, after));
}

/* ---- change ---- */

int ops_user_may_edit(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	if (!ops_may(c, access_user(&c->actor.subject, id, 0, AC_EDIT)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_user_edit_forbidden);
	return OPS_OK;
}

/* Nobody grants themselves access: an account's own organisation and roles are changed by
 * another admin, never by its owner, admin or not. Sending them unchanged (the roles dialog
 * saved on oneself) changes nothing and passes. before is the account as it is in this
 * transaction. */
static int self_grant_refused(const struct ops_ctx *c, int64_t id, const json_t *row,
			      const json_t *before, struct ops_err *err)
{
	const json_t *roles = json_object_get(row, "roles"), *org = json_object_get(row, "org_id");
	json_t *v;
	unsigned have = 0;
	size_t i;

	if (id != c->actor.user_id)
		return OPS_OK;
	json_array_foreach(json_object_get(before, "roles"), i, v)
		have |= codes_user_role_parse(json_string_value(v));
	if (roles != NULL && (json_int_t)have != json_integer_value(roles))
		return ops_refuse(err, 403, "Forbidden", "roles", M_user_own_roles);
	if (org != NULL &&
	    json_integer_value(org) != json_integer_value(json_object_get(before, "org_id")))
		return ops_refuse(err, 403, "Forbidden", "org_id", M_user_own_org);
	return OPS_OK;
}

/* An admin changes the accounts of its own organisation only (the coordinator's admins any),
 * and moves one only into an organisation it administers. */
static int admin_scope_refused(const struct ops_ctx *c, int64_t id, const json_t *before,
			       const json_t *row, struct ops_err *err)
{
	const struct ac_subject *s = &c->actor.subject;
	int64_t org = json_integer_value(json_object_get(before, "org_id"));
	int64_t new_org = json_integer_value(json_object_get(row, "org_id"));
	bool self = id == c->actor.user_id;

	if (!self && !ops_may(c, access_user(s, id, org, AC_EDIT)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_account_other_org);
	if ((new_org != 0 && !ops_may(c, access_user(s, 0, new_org, AC_ADMIN))) ||
	    (json_object_get(row, "roles") && !self &&
	     !ops_may(c, access_user(s, id, org, AC_ADMIN))))
		return ops_refuse(err, 403, "Forbidden", new_org ? "org_id" : "roles",
				  M_user_org_admins_only);
	return OPS_OK;
}

int ops_user_update(const struct ops_ctx *c, int64_t id, int64_t if_version, const json_t *row,
		    json_t **after, struct ops_err *err)
{
	bool grants = json_object_get(row, "roles") || json_object_get(row, "org_id");
	json_t *before = NULL;
	int64_t version;
	int rc = ops_user_may_edit(c, id, err);

	*after = NULL;
	if (rc != OPS_OK)
		return rc;
	if (grants && !ops_may(c, access_user(&c->actor.subject, 0, 0, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden",
				  json_object_get(row, "roles") ? "roles" : "org_id",
				  M_user_roles_admins_only);
	rc = store_user_get(c->st, id, &before);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	version = json_integer_value(json_object_get(before, "version"));
	rc = ops_version_check(if_version, version, err);
	if (rc == OPS_OK)
		rc = admin_scope_refused(c, id, before, row, err);
	if (rc == OPS_OK)
		rc = self_grant_refused(c, id, row, before, err);
	if (rc != OPS_OK)
		goto out;
	rc = store_user_update(c->st, id, version, row);
	if (rc == STORE_OK)
		rc = store_user_get(c->st, id, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, grants ? "user.permissions" : "user.update", "user", id, before,
			       *after);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	rc = ops_store(err, rc);
out:
	json_decref(before);
	return rc;
}

/* ---- the admin's operations ---- */

enum admin_verb { RESET, DISABLE, ENABLE, UNLOCK, TOTP_RESET };

int ops_user_may_admin(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	if (!ops_may(c, access_user(&c->actor.subject, id, 0, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_admins_only);
	return OPS_OK;
}

/* The write of each verb. STORE_E* codes. */
static int admin_write(const struct ops_ctx *c, int64_t id, enum admin_verb v,
		       const char *pw_hash)
{
	int rc = STORE_OK;

	switch (v) {
	case RESET:
		rc = store_user_set_password(c->st, id, pw_hash, true);
		if (rc == STORE_OK)
			rc = store_session_delete_user(c->st, id, 0);
		break;
	case DISABLE: /* the store ends its sessions and revokes its tokens with it */
		rc = store_user_set_active(c->st, id, false);
		break;
	case ENABLE:
		rc = store_user_set_active(c->st, id, true);
		break;
	case UNLOCK:
		rc = store_user_unlock(c->st, id);
		break;
	case TOTP_RESET: /* a lost device: the user enrols again */
		rc = store_user_set_totp(c->st, id, "", false);
		if (rc == STORE_OK)
			rc = store_session_delete_user(c->st, id, 0);
		break;
	}
	return rc;
}

/* One admin operation: who may, on which account, the write, the audit entry. */
static int user_admin(const struct ops_ctx *c, int64_t id, enum admin_verb v,
		      const char *pw_hash, json_t **after, struct ops_err *err)
{
	static const char *const actions[] = {"user.reset", "user.disable", "user.enable",
					      "user.unlock", "user.totp_reset"};
	json_t *before = NULL, *rec = NULL;
	int rc = ops_user_may_admin(c, id, err);

	if (after)
		*after = NULL;
	if (rc != OPS_OK)
		return rc;
	if (v == DISABLE && id == c->actor.user_id)
		return ops_refuse(err, 409, "Conflict", NULL, M_user_disable_self);
	rc = store_user_get(c->st, id, &before);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (!ops_may(c, access_user(&c->actor.subject, id,
				    json_integer_value(json_object_get(before, "org_id")), AC_ADMIN))) {
		json_decref(before);
		return ops_refuse(err, 403, "Forbidden", NULL, M_account_other_org);
	}
	rc = admin_write(c, id, v, pw_hash);
	if (rc == STORE_OK)
		rc = store_user_get(c->st, id, &rec);
	rc = ops_audit_record(c, rc, actions[v], "user", id, before, rec, after);
	json_decref(before);
	return ops_store(err, rc);
}

int ops_user_reset(const struct ops_ctx *c, int64_t id, const char *pw_hash, json_t **after,
		   struct ops_err *err)
{
	return user_admin(c, id, RESET, pw_hash, after, err);
}

int ops_user_disable(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err)
{
	return user_admin(c, id, DISABLE, NULL, after, err);
}

int ops_user_enable(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err)
{
	return user_admin(c, id, ENABLE, NULL, after, err);
}

int ops_user_unlock(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err)
{
	return user_admin(c, id, UNLOCK, NULL, after, err);
}

int ops_user_totp_reset(const struct ops_ctx *c, int64_t id, json_t **after,
			struct ops_err *err)
{
	return user_admin(c, id, TOTP_RESET, NULL, after, err);
}

/* ---- the actor's own second factor ---- */

int ops_user_totp_use(const struct ops_ctx *c, int64_t user_id, int64_t step,
		      struct ops_err *err)
{
	int rc = step < 0 ? STORE_ECONFLICT : store_user_totp_step(c->st, user_id, step);

	if (rc == STORE_ECONFLICT) /* no step matched, or it was spent already */
		return ops_refuse(err, 422, "Wrong code", "code", M_totp_code_wrong);
	return ops_store(err, rc);
}

/* The actor's own account as login sees it (secret, whether enabled, roles, the policy). */
static int own_account(const struct ops_ctx *c, struct store_user_auth *u, struct ops_err *err)
{
	if (c->actor.user_id == 0)
		return ops_refuse(err, 403, "Forbidden", NULL, M_account_owner_only);
	return ops_store(err, store_user_auth_by_id(c->st, c->actor.user_id, u));
}

int ops_user_totp_enrol(const struct ops_ctx *c, const char *secret, struct ops_err *err)
{
	struct store_user_auth u;
	int rc = own_account(c, &u, err);

	if (rc != OPS_OK)
		return rc;
	if (u.totp_enabled)
		return ops_refuse(err, 409, "Already enrolled", NULL, M_totp_already_enabled);
	return ops_store(err, store_user_set_totp(c->st, u.id, secret, false));
}

int ops_user_totp_confirm(const struct ops_ctx *c, const char *secret, int64_t step,
			  struct ops_err *err)
{
	struct store_user_auth u;
	int rc = own_account(c, &u, err);

	if (rc != OPS_OK)
		return rc;
	if (u.totp_secret[0] == '\0' || u.totp_enabled)
		return ops_refuse(err, 409, "Not enrolling", NULL, M_totp_not_enrolling);
	rc = ops_user_totp_use(c, u.id, step, err);
	if (rc != OPS_OK)
		return rc;
	rc = store_user_set_totp(c->st, u.id, secret, true);
	if (rc == STORE_OK)
		rc = ops_audit(c, "totp_enable", "user", u.id, NULL, NULL);
	return ops_store(err, rc);
}

int ops_user_totp_disable(const struct ops_ctx *c, int64_t step, struct ops_err *err)
{
	struct store_user_auth u;
	int rc = own_account(c, &u, err);

	if (rc != OPS_OK)
		return rc;
	if (!u.totp_enabled)
		return ops_refuse(err, 409, "Not enrolled", NULL, M_totp_not_enabled);
	if (u.roles & ops_settings_totp_roles(u.totp_roles_setting))
		return ops_refuse(err, 403, "Second factor required", NULL, M_totp_required);
	rc = ops_user_totp_use(c, u.id, step, err);
	if (rc != OPS_OK)
		return rc;
	rc = store_user_set_totp(c->st, u.id, "", false);
	if (rc == STORE_OK)
		rc = ops_audit(c, "totp_disable", "user", u.id, NULL, NULL);
	return ops_store(err, rc);
}

/* ---- the actor's own notification preferences ---- */

json_t *ops_user_notify_prefs(const struct preset *p, const struct ac_subject *s,
			      const json_t *stored, int64_t version)
{
	json_t *events = json_array();

	for (size_t i = 0; events && i < NOTIFY_NEVENTS; i++) {
		const char *ev = notify_events[i];
		const struct preset_notify_rule *r =
			notify_required(p, ev, s->org_role, s->coordinator, s->roles);
		enum notify_mode def = notify_default(p, ev, s->org_role, s->coordinator, s->roles),
				 m = def;
		const char *chosen = json_string_value(json_object_get(stored, ev));

		if (r != NULL)
			m = NOTIFY_IMMEDIATE;
		else if (chosen != NULL && notify_mode_parse(chosen, &m) != 0)
			m = def;
		json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s?}", "event", ev, "mode",
				      notify_mode_name(m), "default", notify_mode_name(def),
				      "required", r != NULL, "source", r ? r->source : NULL);

		ops_cite(p, o, r ? r->source : NULL);
		json_array_append_new(events, o);
	}
	return json_pack("{s:o, s:[sss], s:I}", "events", events, "modes", "immediate", "digest",
			 "off", "version", (json_int_t)version);
}

/* The modes asked for ({event: mode}): known events and modes, none below the preset's minimum
 * for the actor (001, TT 20/2017: some events must reach some people at once). */
static int check_modes(const struct ops_ctx *c, const json_t *ev, struct ops_err *err)
{
	const struct ac_subject *s = &c->actor.subject;
	const char *key;
	json_t *v;

	if (!json_is_object(ev) || json_object_size(ev) == 0 ||
	    json_object_size(ev) > NOTIFY_NEVENTS)
		return ops_refuse(err, 422, "Invalid field", "events", M_notify_events_not_object);
	json_object_foreach((json_t *)ev, key, v) {
		enum notify_mode m;
		const struct preset_notify_rule *r;

		if (!notify_event_ok(key))
			return ops_refuse(err, 422, "Invalid field", "events",
					  M_notify_event_unknown, MS("event", key));
		if (!json_is_string(v) || notify_mode_parse(json_string_value(v), &m) != 0)
			return ops_refuse(err, 422, "Invalid field", "events",
					  M_notify_mode_invalid, MS("event", key));
		r = notify_required(c->preset, key, s->org_role, s->coordinator, s->roles);
		if (r != NULL && m != NOTIFY_IMMEDIATE) {
			/* the article as people write it (core/cite.c): the regulation's own words */
			char src[CITE_MAX / 4], src_en[CITE_MAX / 4];

			(void)cite_str(c->preset, r->source, CITE_VI, src, sizeof src);
			(void)cite_str(c->preset, r->source, CITE_EN, src_en, sizeof src_en);
			return ops_refuse(err, 422, "Notification required", "events",
					  M_notify_required, MS("event", key),
					  MSV("source", src, src_en));
		}
	}
	return OPS_OK;
}

int ops_user_notifications(const struct ops_ctx *c, int64_t if_version, const json_t *events,
			   json_t **after, int64_t *version, struct ops_err *err)
{
	int64_t uid = c->actor.user_id;
	json_t *stored = NULL, *before = NULL;
	int rc;

	*after = NULL;
	*version = 0;
	if (uid == 0) /* one's own, nobody anyone else's */
		return ops_refuse(err, 403, "Forbidden", NULL, M_account_owner_only);
	rc = check_modes(c, events, err);
	if (rc != OPS_OK)
		return rc;
	rc = store_notify_get(c->st, uid, &stored, version);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (ops_version_check(if_version, *version, err) != OPS_OK) {
		json_decref(stored);
		return OPS_EREFUSED;
	}
	before = ops_user_notify_prefs(c->preset, &c->actor.subject, stored, *version);
	json_decref(stored);
	stored = NULL;
	rc = store_notify_set(c->st, uid, *version, events);
	if (rc == STORE_OK)
		rc = store_notify_get(c->st, uid, &stored, version);
	if (rc == STORE_OK) {
		*after = ops_user_notify_prefs(c->preset, &c->actor.subject, stored, *version);
		rc = ops_audit(c, "user.notifications", "user", uid, before, *after);
	}
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	json_decref(stored);
	json_decref(before);
	return ops_store(err, rc);
}
