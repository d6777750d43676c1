/* backup.h - backups of a data folder (jobs/backup.c, docs/backup.md): create, verify, restore,
 * list, prune, and the server's daily backup. A backup is a folder BACKUPS/<UTC time>/ holding
 * ungcuu.db (a consistent copy), files/<sha256> (the attachments) and manifest.json (hashes and
 * counts); it is written as <name>.partial and renamed when complete. */
#ifndef UNGCUU_BACKUP_H
#define UNGCUU_BACKUP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/msg.h"

#define BACKUP_PATH_MAX 1024
/* 001 Đ12.6: restore from the backups at least every 6 months */
#define BACKUP_RESTORE_TEST_MONTHS 6

/* What verification found. problem is M_none when the backup is sound, else the first problem
 * (util/msg.h: rendered where it is shown, in its reader's language). */
struct backup_report {
	int64_t created_at;
	int64_t incidents;
	int64_t audit_entries;
	int64_t files;
	struct msg problem;
};

/* Backs up the data folder data_dir whose database st is open, into root (NULL: data_dir/
 * backups). Writes the new backup's folder to path. Returns 0, or -1 (logged; the unfinished
 * <name>.partial folder stays and is ignored and later pruned). */
int backup_create(struct store *st, const char *data_dir, const char *root, int64_t now,
		  char *path, size_t pathsz);
/* Checks the backup folder dir: the manifest, the database's SHA-256, every file's SHA-256 and
 * size, the database's integrity, its audit chain, its counts against the manifest. Returns 0
 * when sound, -1 with r->problem set. */
int backup_verify(const char *dir, struct backup_report *r);
/* Verifies the backup dir, then restores it into new_dir (which must not hold a database),
 * applies newer migrations and verifies the audit chain there. Returns 0, or -1 with
 * r->problem set. */
int backup_restore(const char *dir, const char *new_dir, struct backup_report *r);
/* Lists the backups under root, oldest first, as a JSON array of {name, path, complete,
 * created_at, incidents, database_size, files} (caller decrefs). Returns 0 or -1. */
int backup_list(const char *root, json_t **out);
/* Whether name is a backup's name as backup_create makes them: yyyymmddTHHMMSSZ, optionally
 * -N (2..99). Nothing else: no slash, no "..", no ".partial". */
bool backup_name_ok(const char *name);
/* Resolves a backup's name to its folder under root (a real folder, not a link), writing it to
 * path; with entry, also its listing entry (caller decrefs). Returns 0, -1 when the name is not
 * a backup name, -2 when there is no such backup. */
int backup_find(const char *root, const char *name, char *path, size_t pathsz, json_t **entry);
/* Removes the oldest complete backups under root beyond keep, and unfinished ones older than
 * the newest entry. Returns how many were removed, or -1. */
int backup_prune(const char *root, int keep);
/* Removes a folder tree (a restore test's scratch folder). Returns 0 or -1. */
int backup_remove(const char *path);
/* The restore test (001 Đ12.6) of the command line and the API: verifies the backup dir and
 * restores it into a new scratch folder under data_dir/tmp (newer migrations apply), checks the
 * audit chain there and removes the folder. Records nothing: the caller records it
 * (ops_backup_restore_test: meta backup_restore_tested_at and the audit entry). Returns 0, or -1
 * with r->problem set. */
int backup_restore_test(const char *data_dir, const char *dir, int64_t now,
			struct backup_report *r);
/* The daily backup's settings in force, from UNGCUU_BACKUP_HOUR and UNGCUU_BACKUP_KEEP. */
struct backup_settings {
	bool enabled; /* false when UNGCUU_BACKUP_HOUR=off, or a setting is invalid */
	int hour;     /* Vietnam-local hour from which the day's backup is made (0-23) */
	int keep;     /* complete backups kept */
};
/* Fills s from the environment (defaults: hour 1, keep 14). Returns 0, or -1 when a setting is
 * invalid (s then holds the defaults, disabled). */
int backup_settings_get(struct backup_settings *s);
/* The backup state of the instance st serves at now, as a new JSON object (caller decrefs):
 * last_daily_backup (meta backup_last_day, "yyyy-mm-dd" or null), restore_tested_at (ISO or
 * null), restore_test_overdue (never tested, or more than 6 months ago), daily {enabled, hour,
 * keep, settings_valid}. Returns a STORE_* code. */
int backup_state(struct store *st, int64_t now, json_t **out);
/* The server's daily backup: once per Vietnam-local day, from the hour UNGCUU_BACKUP_HOUR
 * (0-23, default 1; "off" disables), keeping UNGCUU_BACKUP_KEEP (default 14). Returns 1 when a
 * backup was made, 0 when none was due, -1 on failure (logged). */
int backup_daily(struct store *st, const char *data_dir, int64_t now);

#endif
