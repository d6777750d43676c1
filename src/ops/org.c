/* org.c - operations on organisations: add one, the first one of a new data folder (the
 * coordinator), change one, and its webhook. */
#include <stdio.h>

#include "core/codes.h"
#include "org.h"
#include "util/str.h"

static const char *text_of(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

/* The code and role given are ones the directory knows. */
static int valid_fields(const json_t *row, struct ops_err *err)
{
	const char *code = text_of(row, "code"), *role = text_of(row, "role");

	if (json_object_get(row, "code") && (code == NULL || !codes_org_code_ok(code)))
		return ops_refuse(err, 422, "Invalid field", "code", M_org_code_invalid);
	if (json_object_get(row, "role") && (role == NULL || codes_org_role_parse(role) < 0))
		return ops_refuse(err, 422, "Invalid field", "role", M_org_role_invalid,
				  MS("role", role ? role : ""));
	return OPS_OK;
}

/* Two organisations never share a name (compared folded: store_org_name_taken), so nobody
 * passes for the police in the directory or a notification. id: the organisation renamed, 0
 * for a new one. */
static int name_free(const struct ops_ctx *c, const json_t *row, int64_t id, struct ops_err *err)
{
	const char *name = text_of(row, "name");
	int64_t other;
	int rc;

	if (name == NULL)
		return OPS_OK;
	rc = store_org_name_taken(c->st, name, id, &other);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (other != 0)
		return ops_refuse(err, 422, "Name taken", "name", M_org_name_taken,
				  MN("org_id", other));
	return OPS_OK;
}

/* ---- add ---- */

int ops_org_may_create(const struct ops_ctx *c, struct ops_err *err)
{
	if (!ops_may(c, access_org(&c->actor.subject, 0, AC_CREATE) &&
			       access_org_identity(&c->actor.subject)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_org_create_forbidden);
	return OPS_OK;
}

/* Stores a new organisation and audits it; *after (may be NULL) gets the record. */
static int org_insert(const struct ops_ctx *c, const json_t *row, int64_t *id, json_t **after)
{
	json_t *rec = NULL;
	int rc = store_org_create(c->st, row, id);

	if (rc == STORE_OK)
		rc = store_org_get(c->st, *id, &rec);
	return ops_audit_record(c, rc, "org.create", "org", *id, NULL, rec, after);
}

int ops_org_create(const struct ops_ctx *c, const json_t *row, int64_t *id, json_t **after,
		   struct ops_err *err)
{
	int64_t added, cancelled;
	int rc = ops_org_may_create(c, err);

	*id = 0;
	if (after)
		*after = NULL;
	if (rc == OPS_OK)
		rc = valid_fields(row, err);
	if (rc == OPS_OK)
		rc = name_free(c, row, 0, err);
	if (rc != OPS_OK)
		return rc;
	rc = org_insert(c, row, id, after);
	/* the new organisation's periodic duties from the preset's calendar, at once */
	if (rc == STORE_OK)
		rc = store_duty_sync_window(c->st, c->preset, c->now, &added, &cancelled);
	if (rc != STORE_OK && after) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}

int ops_org_create_coordinator(const struct ops_ctx *c, const char *name, int64_t *id,
			       struct ops_err *err)
{
	json_t *row;
	char v[32];
	int rc;

	*id = 0;
	if (!c->actor.machine)
		return ops_refuse(err, 403, "Forbidden", NULL, M_init_only);
	if (store_meta_get(c->st, "coordinator_org_id", v, sizeof v) == STORE_OK)
		return ops_refuse(err, 409, "Conflict", NULL, M_coordinator_exists);
	row = json_pack("{s:s, s:s, s:s}", "code", "coordinator", "name", name, "role",
			c->preset->lead_role);
	if (row == NULL)
		return ops_store(err, STORE_EIO);
	rc = org_insert(c, row, id, NULL);
	json_decref(row);
	if (rc == STORE_OK) {
		snprintf(v, sizeof v, "%lld", (long long)*id);
		rc = store_meta_set(c->st, "coordinator_org_id", v);
	}
	return ops_store(err, rc);
}

/* ---- change ---- */

int ops_org_may_edit(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	if (!ops_may(c, access_org(&c->actor.subject, id, AC_EDIT)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_org_edit_forbidden);
	return OPS_OK;
}

/* The identity fields, in the order a refusal names them. */
static const char *const identity_fields[] = {"name", "code", "role", "parent_id", NULL};

int ops_org_may_set_identity(const struct ops_ctx *c, const json_t *fields,
			     struct ops_err *err)
{
	if (ops_may(c, access_org_identity(&c->actor.subject)))
		return OPS_OK;
	for (size_t i = 0; identity_fields[i] != NULL; i++)
		if (json_object_get(fields, identity_fields[i]) != NULL)
			return ops_refuse(err, 403, "Forbidden", identity_fields[i],
					  M_org_identity_forbidden);
	return OPS_OK;
}

int ops_org_update(const struct ops_ctx *c, int64_t id, int64_t if_version, const json_t *row,
		   json_t **after, struct ops_err *err)
{
	json_t *before = NULL;
	int64_t version;
	int rc = ops_org_may_edit(c, id, err);

	*after = NULL;
	if (rc == OPS_OK)
		rc = ops_org_may_set_identity(c, row, err);
	if (rc == OPS_OK)
		rc = valid_fields(row, err);
	if (rc != OPS_OK)
		return rc;
	rc = store_org_get(c->st, id, &before);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	version = json_integer_value(json_object_get(before, "version"));
	rc = ops_version_check(if_version, version, err);
	if (rc == OPS_OK)
		rc = name_free(c, row, id, err);
	if (rc != OPS_OK)
		goto out;
	rc = store_org_update(c->st, id, version, row);
	if (rc == STORE_OK)
		rc = store_org_get(c->st, id, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "org.update", "org", id, before, *after);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	rc = ops_store(err, rc);
out:
	json_decref(before);
	return rc;
}

/* ---- webhook ---- */

int ops_org_may_webhook(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	if (!ops_may(c, access_org_webhook(&c->actor.subject, id)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_org_webhook_forbidden);
	return OPS_OK;
}

int ops_org_webhook_set(const struct ops_ctx *c, int64_t id, const char *url, bool active,
			bool rotate, json_t **after, char secret[CRYPTO_TOKEN_CHARS], bool *fresh,
			struct ops_err *err)
{
	json_t *hook = NULL;
	int rc = ops_org_may_webhook(c, id, err);

	*after = NULL;
	*fresh = false;
	secret[0] = '\0';
	if (rc != OPS_OK)
		return rc;
	if (url == NULL || (!str_starts(url, "https://") && !str_starts(url, "http://")))
		return ops_refuse(err, 422, "Invalid field", "url", M_url_scheme_invalid);
	/* a new hook gets a secret; an existing one keeps its secret unless asked to rotate it */
	rc = store_webhook_get(c->st, id, &hook);
	json_decref(hook);
	hook = NULL;
	*fresh = rc == STORE_ENOTFOUND || rotate;
	if (*fresh) {
		crypto_token(secret);
		rc = store_webhook_set(c->st, id, url, secret, active, c->now);
	} else if (rc == STORE_OK) {
		rc = store_webhook_update(c->st, id, url, active, c->now);
	}
	if (rc == STORE_OK)
		rc = store_webhook_get(c->st, id, &hook);
	if (rc == STORE_OK) /* the audit never holds the secret */
		rc = ops_audit(c, "org.webhook", "org", id, NULL, hook);
	if (rc == STORE_OK) {
		*after = hook;
		hook = NULL;
	} else {
		*fresh = false;
		secret[0] = '\0';
	}
	json_decref(hook);
	return ops_store(err, rc);
}
