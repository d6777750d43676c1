/* backup.h - backups of a data folder (jobs/backup.c, docs/backup.md): create, verify, restore,
 * list, prune, and the server's daily backup. A backup is a folder BACKUPS/<UTC time>/ holding
 * ungcuu.db (a consistent copy), files/<sha256> (the attachments) and manifest.json (hashes and
 * counts); it is written as <name>.partial and renamed when complete. */
#ifndef UNGCUU_BACKUP_H
#define UNGCUU_BACKUP_H
#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

#define BACKUP_PATH_MAX 1024

/* What verification found. problem is "" when the backup is sound, else the first problem
 * (Vietnamese / English). */
struct backup_report {
	int64_t created_at;
	int64_t incidents;
	int64_t audit_entries;
	int64_t files;
	char problem[512];
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
/* Removes the oldest complete backups under root beyond keep, and unfinished ones older than
 * the newest entry. Returns how many were removed, or -1. */
int backup_prune(const char *root, int keep);
/* Removes a folder tree (a restore test's scratch folder). Returns 0 or -1. */
int backup_remove(const char *path);
/* The server's daily backup: once per Vietnam-local day, from the hour UNGCUU_BACKUP_HOUR
 * (0-23, default 1; "off" disables), keeping UNGCUU_BACKUP_KEEP (default 14). Returns 1 when a
 * backup was made, 0 when none was due, -1 on failure (logged). */
int backup_daily(struct store *st, const char *data_dir, int64_t now);

#endif
