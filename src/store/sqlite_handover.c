/* sqlite_handover.c - moving the coordinator role to another organisation while incidents are
 * open (the 2025 reform: DIC -> provincial police). Nothing is rewritten in history: the old
 * coordinator stays named on the incidents it handled; the new one is named on every open one
 * and takes over the requests still unfinished; those made to the new coordinator itself are
 * superseded. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>

#include "msg_json.h"

/* Runs sql with the integers v as ?1.. and the texts (NULL-ended, or NULL) after them. */
static int run(struct store *st, const char *sql, const int64_t *v, int nv,
	       const char *const *text, const char *what, int64_t *changes)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return sq_err(st, rc, what);
	for (int i = 0; i < nv; i++)
		sq_bind_int(st, s, i + 1, v[i]);
	for (int i = 0; text && text[i]; i++)
		sq_bind_text(st, s, nv + 1 + i, text[i]);
	rc = sq_step_done(st, s, what);
	if (rc == STORE_OK && changes)
		*changes = sqlite3_changes(st->db);
	sqlite3_finalize(s);
	return rc;
}

int store_handover(struct store *st, int64_t old_id, int64_t new_id, const char *const *final_states,
		   size_t nfinal, const struct msg *words, const char *note, int64_t now,
		   int64_t *incidents, int64_t *requests, int64_t *superseded)
{
	char open_sql[1024], num[32], *data = NULL;
	int64_t v[3] = {old_id, new_id, now};
	json_t *facts = json_pack("{s:I, s:I}", "from_org_id", (json_int_t)old_id, "to_org_id",
				  (json_int_t)new_id);
	size_t len;
	int rc;

	*incidents = *requests = *superseded = 0;
	/* open incidents: status not final; the list of final states comes from the preset */
	len = (size_t)snprintf(open_sql, sizeof open_sql, "SELECT id FROM incidents WHERE status NOT IN ('__none__'");
	for (size_t i = 0; i < nfinal && len < sizeof open_sql - 64; i++)
		len += (size_t)snprintf(open_sql + len, sizeof open_sql - len, ", '%s'", final_states[i]);
	snprintf(open_sql + len, sizeof open_sql - len, ")");
	if (facts != NULL && msg_json_put(facts, words) == 0)
		data = json_dumps(facts, JSON_COMPACT);
	json_decref(facts);
	if (data == NULL)
		return STORE_EIO;
	rc = sq_savepoint(st);
	if (rc != STORE_OK) {
		free(data);
		return rc;
	}
	rc = run(st,
		 "CREATE TEMP TABLE IF NOT EXISTS handover_open(id INTEGER PRIMARY KEY)", NULL, 0,
		 NULL, "handover temp", NULL);
	if (rc == STORE_OK)
		rc = run(st, "DELETE FROM temp.handover_open", NULL, 0, NULL, "handover temp", NULL);
	if (rc == STORE_OK) {
		char sql[1200];

		snprintf(sql, sizeof sql, "INSERT INTO temp.handover_open %s", open_sql);
		rc = run(st, sql, NULL, 0, NULL, "handover open", NULL);
	}
	/* the new coordinator is named on every open incident the old one was named on */
	if (rc == STORE_OK)
		rc = run(st,
			 "INSERT OR IGNORE INTO incident_orgs(incident_id, org_id, reason, added_at) "
			 "SELECT x.incident_id, ?2, 'coordinator', ?3 FROM incident_orgs x JOIN "
			 "temp.handover_open h ON h.id = x.incident_id WHERE x.org_id = ?1",
			 v, 3, NULL, "handover name", incidents);
	/* unfinished requests (procedure_request_unfinished: open, accepted) the old coordinator
	 * made to the new one end: the organisation asked now holds the incident itself and
	 * cannot ask itself; who asked stays as it was */
	if (rc == STORE_OK)
		rc = run(st,
			 "UPDATE requests SET status = 'superseded', answered_at = ?3 WHERE "
			 "from_org_id = ?1 AND to_org_id = ?2 AND status IN ('open', 'accepted') AND "
			 "incident_id IN (SELECT id FROM temp.handover_open)",
			 v, 3, NULL, "handover requests superseded", superseded);
	/* the other unfinished ones are now the new coordinator's: answers reach it */
	if (rc == STORE_OK)
		rc = run(st,
			 "UPDATE requests SET from_org_id = ?2 WHERE from_org_id = ?1 AND status IN "
			 "('open', 'accepted') AND incident_id IN (SELECT id FROM temp.handover_open)",
			 v, 2, NULL, "handover requests", requests);
	/* every open incident's journal says what happened: the facts, worded by the reader
	 * (api/journal.c), and the note as its body */
	if (rc == STORE_OK) {
		const char *texts[] = {note, data, NULL};

		rc = run(st,
			 "INSERT INTO journal(incident_id, kind, created_at, body, data) SELECT id, "
			 "'handover', ?3, ?4, ?5 FROM temp.handover_open",
			 v, 3, texts, "handover journal", NULL);
	}
	free(data);
	if (rc == STORE_OK) {
		snprintf(num, sizeof num, "%lld", (long long)new_id);
		rc = store_meta_set(st, "coordinator_org_id", num);
	}
	return sq_finish(st, rc);
}
