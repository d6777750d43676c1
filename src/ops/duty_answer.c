/* duty_answer.c - marking a duty instance done and adding its evidence: who may (access_duty:
 * the responsible organisation), the instance's state and the audit entry. */
#include <string.h>

#include "core/cite.h"
#include "util/tm.h"

#include "duty_answer.h"

void ops_duty_describe(const struct preset *p, json_t *row)
{
	const struct preset_duty *d = preset_duty(p, json_string_value(json_object_get(row, "duty")));

	if (d == NULL)
		return; /* a duty of a preset no longer in force: history, shown by code */
	json_object_set_new(row, "name_vi", json_string(d->name_vi));
	json_object_set_new(row, "name_en", json_string(d->name_en));
	json_object_set_new(row, "desc_vi", json_string(d->desc_vi));
	json_object_set_new(row, "desc_en", json_string(d->desc_en));
	json_object_set_new(row, "source", json_string(d->source));
	ops_cite(p, row, d->source);
	json_object_set_new(row, "evidence_kind", json_string(d->evidence));
}

void ops_duty_mark_overdue(json_t *row, int64_t now)
{
	const char *due = json_string_value(json_object_get(row, "due_at"));
	const char *status = json_string_value(json_object_get(row, "status"));
	int64_t t;

	json_object_set_new(row, "overdue",
			    json_boolean(status && strcmp(status, "pending") == 0 && due &&
					 tm_parse_iso(due, &t) == 0 && t < now));
}

/* Loads instance id for action a by the actor: 404 when its organisation's duties are not the
 * actor's to see, 403 when it may see but not do a. *row on OPS_OK (caller decrefs). */
static int load(const struct ops_ctx *c, int64_t id, enum ac_action a, json_t **row,
		struct ops_err *err)
{
	int64_t org;
	int rc = store_duty_get(c->st, id, row);

	if (rc == STORE_ENOTFOUND)
		return ops_refuse(err, 404, "Not found", NULL, M_not_found);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	org = json_integer_value(json_object_get(*row, "org_id"));
	if (!ops_may(c, access_duty(&c->actor.subject, org, AC_READ)))
		rc = ops_refuse(err, 404, "Not found", NULL, M_not_found);
	else if (!ops_may(c, access_duty(&c->actor.subject, org, a)))
		rc = ops_refuse(err, 403, "Forbidden", NULL, M_duty_not_responsible);
	else
		return OPS_OK;
	json_decref(*row);
	*row = NULL;
	return rc;
}

int ops_duty_done(const struct ops_ctx *c, int64_t id, const char *note, json_t **after,
		  struct ops_err *err)
{
	json_t *before = NULL;
	int rc = load(c, id, AC_EDIT, &before, err);

	*after = NULL;
	if (rc != OPS_OK)
		return rc;
	rc = store_duty_done(c->st, id, c->actor.user_id, note, c->now);
	if (rc == STORE_ECONFLICT) {
		json_decref(before);
		return ops_refuse(err, 409, "Not pending", NULL, M_duty_not_pending);
	}
	if (rc == STORE_OK && (rc = store_duty_get(c->st, id, after)) == STORE_OK) {
		ops_duty_describe(c->preset, *after);
		ops_duty_mark_overdue(*after, c->now);
		rc = ops_audit(c, "duty.done", "duty", id, before, *after);
	}
	json_decref(before);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}

int ops_duty_evidence(const struct ops_ctx *c, int64_t id, const struct ops_duty_file *f,
		      json_t **after, struct ops_err *err)
{
	json_t *row = NULL;
	int64_t eid;
	int rc = load(c, id, AC_COMMENT, &row, err);

	*after = NULL;
	json_decref(row);
	if (rc != OPS_OK)
		return rc;
	rc = store_duty_evidence_add(c->st, id, f->sha256, f->name, f->content_type, f->size,
				     c->actor.user_id, c->now, &eid);
	if (rc == STORE_OK)
		rc = store_duty_get(c->st, id, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "duty.evidence", "duty", id, NULL, *after);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}
