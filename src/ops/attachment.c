/* attachment.c - a file attached to an incident: who may (access_incident AC_COMMENT), the
 * row, the journal entry and the audit entry. */
#include "attachment.h"

int ops_attachment_add(const struct ops_ctx *c, int64_t id, const struct ops_file *f,
		       int64_t *aid, json_t **after, struct ops_err *err)
{
	json_t *data;
	int rc = ops_incident_may(c, id, AC_COMMENT, err);

	*aid = 0;
	*after = NULL;
	if (rc != OPS_OK)
		return rc;
	rc = store_attachment_add(c->st, id, f->sha256, f->name, f->content_type, f->size,
				  c->actor.user_id, aid);
	data = json_pack("{s:I, s:s, s:s, s:I}", "attachment_id", (json_int_t)*aid, "name",
			 f->name, "sha256", f->sha256, "size", (json_int_t)f->size);
	if (rc == STORE_OK)
		rc = data ? store_journal_add(c->st, id, "attachment", c->actor.user_id,
					      c->actor.subject.org_id, f->name, data, NULL)
			  : STORE_EIO;
	json_decref(data);
	if (rc == STORE_OK)
		rc = store_attachment_get(c->st, *aid, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "attachment.add", "incident", id, NULL, *after);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}
