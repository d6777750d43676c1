/* settings.h - the instance's settings, whatever the channel: the security policy an admin of
 * the coordinator sets (which roles need the TOTP second factor, whether they must enrol before
 * anything else; 001 Đ10.1d) and what `ungcuu init` writes into a new data folder. */
#ifndef UNGCUU_OPS_SETTINGS_H
#define UNGCUU_OPS_SETTINGS_H
#include "ops.h"

/* The roles needing a second factor for a stored setting (meta totp_required_roles, -1 or out
 * of range when unset: admins and operators). */
unsigned ops_settings_totp_roles(int64_t setting);
/* Reads the TOTP policy from the store: the roles needing it and whether enrolment is enforced
 * (defaults when unset). */
void ops_settings_totp(struct store *st, unsigned *roles, bool *enforce);
/* The security settings as the API shows them ({totp_required_roles: [...], totp_enforce}); a
 * new reference (caller decrefs), NULL when out of memory. */
json_t *ops_settings_security_json(struct store *st);

/* Whether the actor may change the security settings at all (the first check of
 * ops_settings_security): an admin (403 "only admins") of the coordinator (403). OPS_OK or
 * OPS_EREFUSED. */
int ops_settings_may_change(const struct ops_ctx *c, struct ops_err *err);
/* Sets the second-factor policy: roles (ROLE_* bits) unless negative, enforce (0 or 1) unless
 * negative. Audits "settings.security" before -> after. *after: the settings as they are now
 * (ops_settings_security_json; caller decrefs). OPS_OK, OPS_EREFUSED, OPS_ESTORE. */
int ops_settings_security(const struct ops_ctx *c, int64_t roles, int enforce, json_t **after,
			  struct ops_err *err);

/* Writes what a new data folder starts with: the preset texts of the chain (texts: {name:
 * YAML text}), the preset in force (name) and the day the duty calendar starts (now). Only the
 * machine (`ungcuu init`) does this (403 otherwise). OPS_OK, OPS_EREFUSED, OPS_ESTORE. */
int ops_settings_install(const struct ops_ctx *c, const char *name, const json_t *texts,
			 struct ops_err *err);

#endif
