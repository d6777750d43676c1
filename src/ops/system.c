/* system.c - registering and changing information systems: who may (core/access.c), the duty
 * calendar that follows the registry (store_duty_sync_window) and the audit entry. The API
 * parses and canonicalises the fields (api/systems.c); the demo seeder calls the same. */
#include "system.h"

static bool may(const struct ops_ctx *c, const json_t *row, enum ac_action a)
{
	struct ac_system s = {
		.owner_org_id = json_integer_value(json_object_get(row, "owner_org_id")),
		.operator_org_id = json_integer_value(json_object_get(row, "operator_org_id")),
		.critical = json_is_true(json_object_get(row, "critical")),
	};

	return ops_may(c, access_system(&c->actor.subject, &s, a));
}

/* A system's duties (the preset's per-system duties) follow the registry at once, not at the
 * job thread's next minute. */
static int resync_duties(const struct ops_ctx *c)
{
	int64_t added, cancelled;

	return store_duty_sync_window(c->st, c->preset, c->now, &added, &cancelled);
}

static int refuse_edit(struct ops_err *err)
{
	return ops_refuse(err, 403, "Forbidden", NULL, M_system_edit_forbidden);
}

int ops_system_register(const struct ops_ctx *c, const json_t *row, int64_t *id,
			json_t **after, struct ops_err *err)
{
	json_t *r = json_deep_copy(row), *out = NULL;
	int rc;

	*id = 0;
	if (after)
		*after = NULL;
	if (r == NULL)
		return ops_store(err, STORE_EIO);
	if (json_object_get(r, "owner_org_id") == NULL)
		json_object_set_new(r, "owner_org_id", json_integer(c->actor.subject.org_id));
	if (json_object_get(r, "operator_org_id") == NULL)
		json_object_set_new(r, "operator_org_id", json_integer(c->actor.subject.org_id));
	if (!may(c, r, AC_CREATE)) {
		json_decref(r);
		return ops_refuse(err, 403, "Forbidden", NULL, M_system_register_forbidden);
	}
	rc = store_system_create(c->st, r, id);
	if (rc == STORE_OK)
		rc = resync_duties(c);
	if (rc == STORE_OK)
		rc = store_system_get(c->st, *id, &out);
	if (rc == STORE_OK)
		rc = ops_audit(c, "system.create", "system", *id, NULL, out);
	json_decref(r);
	rc = ops_store(err, rc);
	if (rc == OPS_OK && after) {
		*after = out;
		out = NULL;
	}
	json_decref(out);
	return rc;
}

/* Loads system id for an edit by the actor: 404 when it may not read it, 403 when it may not
 * edit it. *before on OPS_OK (caller decrefs). */
static int load_for_edit(const struct ops_ctx *c, int64_t id, json_t **before,
			 struct ops_err *err)
{
	int rc = store_system_get(c->st, id, before);

	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		return ops_store(err, rc);
	if (rc == STORE_ENOTFOUND || !may(c, *before, AC_READ))
		rc = ops_refuse(err, 404, "Not found", NULL, M_system_not_found);
	else if (!may(c, *before, AC_EDIT))
		rc = refuse_edit(err);
	else
		return OPS_OK;
	json_decref(*before);
	*before = NULL;
	return rc;
}

/* The change keeps the system editable by the actor (moving it to another owner must), and
 * if_version (0: any) is its version. OPS_OK, or a 403 / 412 refusal. */
static int check_change(const struct ops_ctx *c, const json_t *before, const json_t *fields,
			int64_t if_version, struct ops_err *err)
{
	json_t *check = json_deep_copy(before);
	int64_t version = json_integer_value(json_object_get(before, "version"));
	bool still;

	json_object_update(check, (json_t *)fields);
	still = check && may(c, check, AC_EDIT);
	json_decref(check);
	if (!still)
		return refuse_edit(err);
	return ops_version_check(if_version, version, err);
}

int ops_system_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
		      const json_t *fields, json_t **after, struct ops_err *err)
{
	json_t *before = NULL, *out = NULL;
	int rc;

	if (after)
		*after = NULL;
	rc = load_for_edit(c, id, &before, err);
	if (rc == OPS_OK)
		rc = check_change(c, before, fields, if_version, err);
	if (rc != OPS_OK) {
		json_decref(before);
		return rc;
	}
	rc = store_system_update(c->st, id, json_integer_value(json_object_get(before, "version")),
				 fields);
	if (rc == STORE_OK)
		rc = resync_duties(c);
	if (rc == STORE_OK)
		rc = store_system_get(c->st, id, &out);
	if (rc == STORE_OK)
		rc = ops_audit(c, "system.update", "system", id, before, out);
	json_decref(before);
	rc = ops_store(err, rc);
	if (rc == OPS_OK && after) {
		*after = out;
		out = NULL;
	}
	json_decref(out);
	return rc;
}
