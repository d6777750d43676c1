/* sqlite_backup.c - the database's part of backups (jobs/backup.c): a consistent copy of a live
 * database, its integrity check, and the counts a backup's manifest records. */
#include "sqlite_priv.h"

#include <string.h>

#include "util/str.h"

int store_backup_into(struct store *st, const char *path)
{
	sqlite3_stmt *s = NULL;
	int rc;

	/* VACUUM INTO reads one snapshot (writers go on meanwhile) and writes a compact copy
	 * with no WAL beside it. Not cached: it runs once a day. */
	if (sqlite3_prepare_v2(st->db, "VACUUM INTO ?1", -1, &s, NULL) != SQLITE_OK)
		return sq_err(st, sqlite3_errcode(st->db), "backup prepare");
	sq_bind_text(st, s, 1, path);
	rc = sq_step_done(st, s, "backup (VACUUM INTO)");
	sqlite3_finalize(s);
	return rc;
}

int store_integrity_check(struct store *st, char *msg, size_t msgsz)
{
	sqlite3_stmt *s = NULL;
	int rc;

	msg[0] = '\0';
	if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check(1)", -1, &s, NULL) != SQLITE_OK)
		return sq_err(st, sqlite3_errcode(st->db), "integrity_check");
	rc = sq_step_row(st, s, "integrity_check");
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 0, msg, msgsz) == STORE_OK ? STORE_OK : STORE_EIO;
	sqlite3_finalize(s);
	if (rc == STORE_OK && strcmp(msg, "ok") != 0)
		rc = STORE_EINVAL;
	return rc;
}

int store_backup_counts(struct store *st, int64_t *incidents, int64_t *users)
{
	sqlite3_stmt *s;
	int rc;

	*incidents = *users = 0;
	rc = sq_stmt(st, SQ_BACKUP_COUNTS,
		     "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM users)", &s);
	if (rc == STORE_OK)
		rc = sq_step_row(st, s, "backup counts");
	if (rc == STORE_OK) {
		*incidents = sqlite3_column_int64(s, 0);
		*users = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc;
}
