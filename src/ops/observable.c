/* observable.c - observables added to an incident: who may add them, and what is written with
 * them (the indicators and their related links: ops_indicators_add; the journal; the audit). */
#include "observable.h"

/* The actor may comment on incident id: 404 when it may not read it (whether it exists does
 * not leak), 403 when it may read it but not comment. */
static int may_comment(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	struct ac_incident ai;
	int rc = store_incident_access(c->st, id, c->actor.subject.org_id, &ai);

	if (rc == STORE_ENOTFOUND ||
	    (rc == STORE_OK && !ops_may(c, access_incident(&c->actor.subject, &ai, AC_READ))))
		return ops_refuse(err, 404, "Not found", NULL,
				  "Không tìm thấy sự cố / no such incident");
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (!ops_may(c, access_incident(&c->actor.subject, &ai, AC_COMMENT)))
		return ops_refuse(err, 403, "Forbidden", NULL,
				  "Bạn không có quyền thực hiện thao tác này với sự cố / you may not "
				  "do this on the incident");
	return OPS_OK;
}

int ops_observable_add(const struct ops_ctx *c, int64_t id, const json_t *list,
		       const char *source, json_t **after, struct ops_err *err)
{
	json_t *items = NULL, *out = NULL, *data;
	int rc;

	*after = NULL;
	rc = may_comment(c, id, err);
	if (rc != OPS_OK)
		return rc;
	rc = ops_indicators_add(c, "incident", id, list, source);
	data = json_pack("{s:O}", "observables", list);
	if (rc == STORE_OK && json_array_size(list) > 0)
		rc = data ? store_journal_add(c->st, id, "observables", c->actor.user_id,
					      c->actor.subject.org_id, "", data, NULL)
			  : STORE_EIO;
	json_decref(data);
	if (rc == STORE_OK)
		rc = store_indicator_list(c->st, "incident", id, &items);
	if (rc == STORE_OK) {
		out = json_pack("{s:o, s:O}", "items", items, "added", list);
		rc = out ? STORE_OK : STORE_EIO;
	}
	if (rc == STORE_OK)
		rc = ops_audit(c, "incident.observables", "incident", id, NULL, out);
	rc = ops_store(err, rc);
	if (rc == OPS_OK) {
		*after = out;
		out = NULL;
	}
	json_decref(out);
	return rc;
}
