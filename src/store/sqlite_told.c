/* sqlite_told.c - who was told of an incident, and when (store_told_*; migration 015): the facts
 * its clocks are met by. The platform's notifications are written by the outbox's trigger in the
 * transaction that queues them; a report made outside the platform is added here. The first
 * telling of each role is read with the incident itself (TOLD_FIRSTS_SQL). Statements are
 * prepared per call. */
#include "sqlite_priv.h"

#include <string.h>

/* The role an organisation holds now, as a telling records it: "coordinator" for the one that
 * holds the coordinator role (meta), else its own role. ?1 is the organisation. */
#define ROLE_NOW                                                                                  \
	"CASE WHEN CAST(o.id AS TEXT) = (SELECT value FROM meta WHERE key = 'coordinator_org_id') " \
	"THEN 'coordinator' ELSE o.role END"

int store_told_add(struct store *st, const struct store_told *t, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db,
				    "INSERT INTO incident_told(incident_id, org_id, role, at, how, ref, "
				    "note, recorded_by, recorded_at, attachment_id) SELECT ?1, o.id, "
				    ROLE_NOW ", ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM orgs o WHERE o.id = ?2",
				    -1, &s, NULL);

	*id = 0;
	if (rc != SQLITE_OK)
		return sq_err(st, rc, "told add");
	sq_bind_int(st, s, 1, t->incident_id);
	sq_bind_int(st, s, 2, t->org_id);
	sq_bind_int(st, s, 3, t->at);
	sq_bind_text(st, s, 4, t->how);
	sq_bind_text(st, s, 5, t->ref ? t->ref : "");
	sq_bind_text(st, s, 6, t->note ? t->note : "");
	sq_bind_ref(st, s, 7, t->recorded_by);
	sq_bind_int(st, s, 8, t->recorded_at);
	sq_bind_ref(st, s, 9, t->attachment_id);
	rc = sq_step_done(st, s, "told add");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND; /* no such organisation */
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return rc;
}

int store_told_list(struct store *st, int64_t incident_id, json_t **out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db,
				    "SELECT t.id, t.org_id, o.name AS org_name, t.role, t.at AS told_at, "
				    "t.how, t.ref, t.note, t.attachment_id, a.name AS attachment_name, "
				    "t.outbox_id, x.event, t.recorded_by, u.full_name AS recorded_by_name, "
				    "t.recorded_at FROM incident_told t JOIN orgs o ON o.id = t.org_id "
				    "LEFT JOIN outbox x ON x.id = t.outbox_id LEFT JOIN users u ON u.id = "
				    "t.recorded_by LEFT JOIN attachments a ON a.id = t.attachment_id WHERE "
				    "t.incident_id = ?1 ORDER BY t.at, t.id",
				    -1, &s, NULL);

	*out = NULL;
	if (rc != SQLITE_OK)
		return sq_err(st, rc, "told list");
	sq_bind_int(st, s, 1, incident_id);
	rc = sq_rows_json(st, s, "told list", out);
	sqlite3_finalize(s);
	return rc;
}
