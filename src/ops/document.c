/* document.c - recording a document handed out: the row every copy has, the reader's read
 * (store_document_read: the audit keeps the first of an hour, not each download) and the audit
 * entry. */
#include <stdio.h>
#include <stdlib.h>

#include "document.h"

/* What makes two copies the same document for the audit: kind, incident and parameters, as
 * "bulletin|0|{...}". Returns 0, or -1 when it does not fit. */
static int doc_key(const struct ops_document *d, char *out, size_t outsz)
{
	char *params = json_dumps(d->params, JSON_COMPACT | JSON_SORT_KEYS);
	int n;

	if (params == NULL)
		return -1;
	n = snprintf(out, outsz, "%s|%lld|%s", d->kind, (long long)d->incident_id, params);
	free(params);
	return n > 0 && (size_t)n < outsz ? 0 : -1;
}

/* A document of an incident goes only to whom may read the incident. */
static int may_read(const struct ops_ctx *c, int64_t incident_id, struct ops_err *err)
{
	return incident_id == 0 ? OPS_OK : ops_incident_may(c, incident_id, AC_READ, err);
}

/* The audit record of a copy. NULL when out of memory. */
static json_t *audit_record(const struct ops_document *d, int64_t id)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:O, s:s, s:I}", "id", (json_int_t)id, "kind",
			      d->kind, "ref", d->ref, "params", d->params, "sha256", d->sha256,
			      "size", (json_int_t)d->size);

	if (o && d->incident_id)
		json_object_set_new(o, "incident_id", json_integer(d->incident_id));
	return o;
}

int ops_document_record(const struct ops_ctx *c, const struct ops_document *d, int64_t *id,
			struct ops_err *err)
{
	struct store_document sd = {.kind = d->kind, .ref = d->ref, .incident_id = d->incident_id,
				    .params = d->params, .sha256 = d->sha256, .size = d->size,
				    .created_by = c->actor.user_id, .created_at = c->now};
	char key[512];
	json_t *after;
	/* the command line's exports are few and each is an operator's act: every one is audited */
	bool audit = c->actor.user_id == 0;
	int rc = may_read(c, d->incident_id, err);

	*id = 0;
	if (rc != OPS_OK)
		return rc;
	rc = store_document_add(c->st, &sd, id);
	if (rc == STORE_OK && c->actor.user_id != 0)
		rc = doc_key(d, key, sizeof key) == 0
			     ? store_document_read(c->st, c->actor.user_id, key, c->now / 3600, &audit)
			     : STORE_EINVAL;
	if (rc == STORE_OK && audit) {
		after = audit_record(d, *id);
		rc = after ? ops_audit(c, "document.read", "document", *id, NULL, after) : STORE_EIO;
		json_decref(after);
	}
	return ops_store(err, rc);
}
