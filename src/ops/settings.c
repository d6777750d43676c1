/* settings.c - the instance's settings: the second-factor policy, a new data folder's start. */
#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "settings.h"
#include "util/str.h"

#define DEFAULT_TOTP_ROLES (ROLE_ADMIN | ROLE_OPERATOR)

unsigned ops_settings_totp_roles(int64_t setting)
{
	return setting >= 0 && setting <= ROLE_ALL ? (unsigned)setting : DEFAULT_TOTP_ROLES;
}

void ops_settings_totp(struct store *st, unsigned *roles, bool *enforce)
{
	char v[32];
	int64_t n;

	*roles = DEFAULT_TOTP_ROLES;
	*enforce = false;
	if (store_meta_get(st, "totp_required_roles", v, sizeof v) == STORE_OK &&
	    str_to_i64(v, 0, ROLE_ALL, &n) == 0)
		*roles = ops_settings_totp_roles(n);
	if (store_meta_get(st, "totp_enforce", v, sizeof v) == STORE_OK)
		*enforce = strcmp(v, "1") == 0;
}

json_t *ops_settings_security_json(struct store *st)
{
	json_t *roles = json_array();
	unsigned bits;
	bool enforce;

	ops_settings_totp(st, &bits, &enforce);
	for (int i = 0; i < ROLE_COUNT; i++)
		if (bits & (1u << i))
			json_array_append_new(roles, json_string(codes_user_role_name(1u << i)));
	return json_pack("{s:o, s:b}", "totp_required_roles", roles, "totp_enforce", enforce);
}

int ops_settings_may_change(const struct ops_ctx *c, struct ops_err *err)
{
	if (!ops_may(c, access_user(&c->actor.subject, 0, 0, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_admins_only);
	if (!ops_may(c, access_settings(&c->actor.subject)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_security_policy_forbidden);
	return OPS_OK;
}

int ops_settings_security(const struct ops_ctx *c, int64_t roles, int enforce, json_t **after,
			  struct ops_err *err)
{
	json_t *before = NULL, *now = NULL;
	char num[16];
	int rc = ops_settings_may_change(c, err);

	*after = NULL;
	if (rc != OPS_OK)
		return rc;
	before = ops_settings_security_json(c->st);
	rc = STORE_OK;
	if (roles >= 0) {
		snprintf(num, sizeof num, "%u", (unsigned)roles);
		rc = store_meta_set(c->st, "totp_required_roles", num);
	}
	if (rc == STORE_OK && enforce >= 0)
		rc = store_meta_set(c->st, "totp_enforce", enforce ? "1" : "0");
	if (rc == STORE_OK)
		now = ops_settings_security_json(c->st);
	if (rc == STORE_OK)
		rc = now ? ops_audit(c, "settings.security", "settings", 0, before, now) : STORE_EIO;
	json_decref(before);
	if (rc == STORE_OK) {
		*after = now;
		now = NULL;
	}
	json_decref(now);
	return ops_store(err, rc);
}

int ops_settings_install(const struct ops_ctx *c, const char *name, const json_t *texts,
			 struct ops_err *err)
{
	const char *k;
	json_t *v;
	char now[32];
	int rc = STORE_OK;

	if (!c->actor.machine)
		return ops_refuse(err, 403, "Forbidden", NULL, M_init_only);
	json_object_foreach((json_t *)texts, k, v) {
		rc = store_preset_put(c->st, k, json_string_value(v), json_string_length(v));
		if (rc != STORE_OK)
			return ops_store(err, rc);
	}
	/* no duty is due before the instance existed (jobs/calendar.c) */
	snprintf(now, sizeof now, "%lld", (long long)c->now);
	rc = store_meta_set(c->st, "calendar_start", now);
	if (rc == STORE_OK)
		rc = store_meta_set(c->st, "preset", name);
	return ops_store(err, rc);
}
