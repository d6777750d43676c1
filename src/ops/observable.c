/* observable.c - observables added to an incident: who may add them, and what is written with
 * them (the indicators and their related links: ops_indicators_add; the journal; the audit). */
#include "observable.h"

int ops_observable_add(const struct ops_ctx *c, int64_t id, const json_t *list,
		       const char *source, json_t **after, struct ops_err *err)
{
	json_t *items = NULL, *out = NULL, *data;
	int rc;

	*after = NULL;
	rc = ops_incident_may(c, id, AC_COMMENT, err);
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
