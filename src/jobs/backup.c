/* backup.c - backups of a data folder that can be checked and restored (001 Đ12.1, Đ12.6):
 * a folder per backup with a consistent copy of the database, the attachment files it refers
 * to, and a manifest of hashes; verification of all of it; restore into a new data folder; the
 * daily backup of the server's job thread with its retention. Layout in docs/backup.md. */
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jobs.h"
#include "ops/backup.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define MANIFEST "manifest.json"
#define FORMAT "ungcuu-backup-1"
#define MANIFEST_MAX (64u << 20)
#define MAX_BACKUPS 1000

static int path_join(char *out, size_t outsz, const char *a, const char *b)
{
	int w = snprintf(out, outsz, "%s/%s", a, b);

	return (w < 0 || (size_t)w >= outsz) ? -1 : 0;
}

static bool is_sha256_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

static int fsync_path(const char *path, bool dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Copies src to dst (new file), flushed to disk. */
static int copy_file(const char *src, const char *dst)
{
	char chunk[65536];
	int in = open(src, O_RDONLY), out = -1, rc = -1;
	ssize_t got;

	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (out < 0)
		goto out;
	while ((got = read(in, chunk, sizeof chunk)) > 0)
		if (write(out, chunk, (size_t)got) != got)
			goto out;
	if (got == 0 && fsync(out) == 0)
		rc = 0;
out:
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}

/* Attachment files are immutable (named by their content): a hard link costs no space; another
 * file system gets a copy. */
static int link_or_copy(const char *src, const char *dst)
{
	if (link(src, dst) == 0)
		return 0;
	return copy_file(src, dst);
}

static int write_manifest(const char *dir, const json_t *m)
{
	char tmp[BACKUP_PATH_MAX], final[BACKUP_PATH_MAX];
	FILE *f;
	int rc = -1;

	if (path_join(tmp, sizeof tmp, dir, MANIFEST ".tmp") != 0 ||
	    path_join(final, sizeof final, dir, MANIFEST) != 0)
		return -1;
	f = fopen(tmp, "wx");
	if (f == NULL)
		return -1;
	if (json_dumpf(m, f, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 && fflush(f) == 0 &&
	    fsync(fileno(f)) == 0)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0)
		rc = rename(tmp, final);
	return rc;
}

/* Copies every content-addressed file of DATA/files into dir/files and lists them. */
static int backup_files(const char *data_dir, const char *dir, json_t *list, int64_t *total)
{
	char src_dir[BACKUP_PATH_MAX], dst_dir[BACKUP_PATH_MAX], src[BACKUP_PATH_MAX],
		dst[BACKUP_PATH_MAX], hex[CRYPTO_HASH_HEX];
	struct dirent *e;
	DIR *d;
	int64_t size;
	int rc = 0;

	*total = 0;
	if (path_join(src_dir, sizeof src_dir, data_dir, "files") != 0 ||
	    path_join(dst_dir, sizeof dst_dir, dir, "files") != 0 || mkdir(dst_dir, 0750) != 0)
		return -1;
	d = opendir(src_dir);
	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!is_sha256_name(e->d_name))
			continue; /* uploads in progress, anything that is not an attachment */
		if (path_join(src, sizeof src, src_dir, e->d_name) != 0 ||
		    path_join(dst, sizeof dst, dst_dir, e->d_name) != 0 ||
		    crypto_sha256_file(src, hex, &size) != 0 || link_or_copy(src, dst) != 0) {
			rc = -1;
			break;
		}
		if (strcmp(hex, e->d_name) != 0)
			log_warn("backup: files/%s does not hash to its name (%s); kept as it is",
				 e->d_name, hex);
		json_array_append_new(list, json_pack("{s:s, s:I}", "sha256", e->d_name, "size",
						      (json_int_t)size));
		*total += size;
	}
	closedir(d);
	if (rc == 0)
		rc = fsync_path(dst_dir, true);
	return rc;
}

/* Claims a free backup name for now: the UTC time, with -2, -3... when taken, and creates its
 * <name>.partial folder (mkdir is the claim, so two backups started in the same second, by the
 * job thread and an admin, never share a folder). */
static int backup_claim(const char *root, int64_t now, char *name, size_t namesz, char *partial,
			size_t partialsz)
{
	char stamp[32], path[BACKUP_PATH_MAX];
	struct tm t;
	time_t tt = (time_t)now;
	struct stat sb;

	gmtime_r(&tt, &t);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &t);
	for (int i = 1; i < 100; i++) {
		int w = i == 1 ? snprintf(name, namesz, "%s", stamp)
			       : snprintf(name, namesz, "%s-%d", stamp, i);

		if (w < 0 || (size_t)w >= namesz || path_join(path, sizeof path, root, name) != 0 ||
		    snprintf(partial, partialsz, "%s.partial", path) >= (int)partialsz)
			return -1;
		if (stat(path, &sb) == 0)
			continue;
		if (mkdir(partial, 0750) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

int backup_create(struct store *st, const char *data_dir, const char *root, int64_t now,
		  char *path, size_t pathsz)
{
	char def_root[BACKUP_PATH_MAX], name[64], partial[BACKUP_PATH_MAX], db[BACKUP_PATH_MAX],
		hex[CRYPTO_HASH_HEX], final[BACKUP_PATH_MAX];
	json_t *m = NULL, *files = json_array();
	struct store *copy = NULL;
	int64_t db_size, files_size = 0, incidents, users, audit_bad, audit_count;
	int schema = 0, rc = -1;

	path[0] = '\0';
	if (root == NULL) {
		if (path_join(def_root, sizeof def_root, data_dir, "backups") != 0)
			goto out;
		root = def_root;
	}
	mkdir(root, 0750);
	if (backup_claim(root, now, name, sizeof name, partial, sizeof partial) != 0 ||
	    path_join(final, sizeof final, root, name) != 0) {
		log_err("backup: cannot create a folder in %s: %s", root, strerror(errno));
		goto out;
	}
	/* the database first: its snapshot is the backup's point in time; files only grow, so
	 * every file it refers to is already there when the files are copied after it */
	if (path_join(db, sizeof db, partial, "ungcuu.db") != 0 ||
	    store_backup_into(st, db) != STORE_OK || fsync_path(db, false) != 0 ||
	    crypto_sha256_file(db, hex, &db_size) != 0) {
		log_err("backup: the database copy failed");
		goto out;
	}
	if (backup_files(data_dir, partial, files, &files_size) != 0) {
		log_err("backup: copying the attachment files failed: %s", strerror(errno));
		goto out;
	}
	/* counted in the copy, not the live database that went on changing */
	if (store_open(partial, STORE_READONLY, &copy) != STORE_OK ||
	    store_schema_version(copy, &schema) != STORE_OK ||
	    store_backup_counts(copy, &incidents, &users) != STORE_OK ||
	    store_audit_verify(copy, &audit_bad, &audit_count) != STORE_OK)
		goto out;
	store_close(copy); /* before the rename: nothing of it left open in the folder */
	copy = NULL;
	m = json_pack("{s:s, s:I, s:s, s:i, s:{s:s, s:I}, s:I, s:I, s:I, s:I, s:O}", "format",
		      FORMAT, "created_at", (json_int_t)now, "name", name, "schema_version", schema,
		      "database", "sha256", hex, "size", (json_int_t)db_size, "incidents",
		      (json_int_t)incidents, "users", (json_int_t)users, "audit_entries",
		      (json_int_t)audit_count, "files_size", (json_int_t)files_size, "files", files);
	if (m == NULL || write_manifest(partial, m) != 0 || fsync_path(partial, true) != 0 ||
	    rename(partial, final) != 0 || fsync_path(root, true) != 0) {
		log_err("backup: writing the manifest failed: %s", strerror(errno));
		goto out;
	}
	rc = str_copy(path, pathsz, final) == 0 ? 0 : -1;
out:
	store_close(copy);
	json_decref(files);
	json_decref(m);
	return rc;
}

/* ---- verification ---- */

/* Keeps the first problem found in r (a later one is its consequence). */
static void problem_args(struct backup_report *r, enum msg_id id, const struct msg_arg *a,
			 size_t n)
{
	if (r->problem.id == M_none)
		msg_bind(&r->problem, id, a, n);
}
#define problem(r, id, ...) problem_args((r), (id), MSG_ARGS(__VA_ARGS__))

static json_t *read_manifest(const char *dir, struct backup_report *r)
{
	char p[BACKUP_PATH_MAX];
	json_error_t e;
	json_t *m;
	struct stat sb;

	if (path_join(p, sizeof p, dir, MANIFEST) != 0 || stat(p, &sb) != 0) {
		problem(r, M_backup_no_manifest, MS("folder", dir));
		return NULL;
	}
	if (sb.st_size > (off_t)MANIFEST_MAX ||
	    (m = json_load_file(p, JSON_REJECT_DUPLICATES, &e)) == NULL ||
	    !json_is_object(m) ||
	    strcmp(json_string_value(json_object_get(m, "format")) ?: "", FORMAT) != 0) {
		problem(r, M_backup_manifest_unreadable, MS("folder", dir));
		return NULL;
	}
	return m;
}

static int verify_files(const char *dir, const json_t *files, struct backup_report *r)
{
	char p[BACKUP_PATH_MAX], hex[CRYPTO_HASH_HEX], rel[96];
	const json_t *f;
	int64_t size;
	size_t i;

	json_array_foreach(files, i, f) {
		const char *sha = json_string_value(json_object_get(f, "sha256"));

		if (sha == NULL || !is_sha256_name(sha)) {
			problem(r, M_backup_manifest_bad_file);
			return -1;
		}
		snprintf(rel, sizeof rel, "files/%s", sha);
		if (path_join(p, sizeof p, dir, rel) != 0 || crypto_sha256_file(p, hex, &size) != 0) {
			problem(r, M_backup_file_missing, MS("file", rel));
			return -1;
		}
		if (strcmp(hex, sha) != 0 ||
		    size != json_integer_value(json_object_get(f, "size"))) {
			problem(r, M_backup_file_changed, MS("file", rel));
			return -1;
		}
		r->files++;
	}
	return 0;
}

/* Opens the backup's database read-only and checks it inside: integrity, the audit chain, the
 * counts of the manifest. */
static int verify_database(const char *dir, const json_t *m, struct backup_report *r)
{
	struct store *st = NULL;
	char msg[256];
	int64_t bad = 0, count = 0, incidents = 0, users = 0;
	int rc = -1;

	if (store_open(dir, STORE_READONLY, &st) != STORE_OK) {
		problem(r, M_backup_database_unopenable, MS("folder", dir));
		return -1;
	}
	if (store_integrity_check(st, msg, sizeof msg) != STORE_OK) {
		problem(r, M_backup_database_damaged, MS("detail", msg));
		goto out;
	}
	if (store_audit_verify(st, &bad, &count) != STORE_OK || bad != 0) {
		problem(r, M_backup_audit_broken, MN("entry", bad));
		goto out;
	}
	if (store_backup_counts(st, &incidents, &users) != STORE_OK ||
	    incidents != json_integer_value(json_object_get(m, "incidents")) ||
	    count != json_integer_value(json_object_get(m, "audit_entries"))) {
		problem(r, M_backup_counts_differ);
		goto out;
	}
	r->incidents = incidents;
	r->audit_entries = count;
	rc = 0;
out:
	store_close(st);
	return rc;
}

int backup_verify(const char *dir, struct backup_report *r)
{
	char p[BACKUP_PATH_MAX], hex[CRYPTO_HASH_HEX];
	json_t *m;
	int64_t size;
	int rc = -1;

	memset(r, 0, sizeof *r);
	m = read_manifest(dir, r);
	if (m == NULL)
		return -1;
	r->created_at = json_integer_value(json_object_get(m, "created_at"));
	if (path_join(p, sizeof p, dir, "ungcuu.db") != 0 || crypto_sha256_file(p, hex, &size) != 0) {
		problem(r, M_backup_database_missing, MS("folder", dir));
		goto out;
	}
	if (strcmp(hex, json_string_value(json_object_get(json_object_get(m, "database"),
							    "sha256")) ?: "") != 0) {
		problem(r, M_backup_database_changed);
		goto out;
	}
	if (verify_files(dir, json_object_get(m, "files"), r) != 0 ||
	    verify_database(dir, m, r) != 0)
		goto out;
	rc = 0;
out:
	json_decref(m);
	return rc;
}

/* ---- restore ---- */

int backup_restore(const char *dir, const char *new_dir, struct backup_report *r)
{
	char p[BACKUP_PATH_MAX], q[BACKUP_PATH_MAX], rel[96];
	struct store *st = NULL;
	json_t *m = NULL;
	const json_t *f;
	size_t i;
	int64_t bad = 0, count = 0;
	int rc = -1;

	if (backup_verify(dir, r) != 0)
		return -1;
	m = read_manifest(dir, r);
	if (m == NULL)
		return -1;
	if (path_join(p, sizeof p, new_dir, "ungcuu.db") != 0 || access(p, F_OK) == 0) {
		problem(r, M_backup_target_has_database, MS("folder", new_dir));
		goto out;
	}
	mkdir(new_dir, 0750);
	for (const char *const *sub = (const char *const[]){"files", "backups", "tmp", NULL}; *sub;
	     sub++)
		if (path_join(q, sizeof q, new_dir, *sub) == 0)
			mkdir(q, 0750);
	json_array_foreach(json_object_get(m, "files"), i, f) {
		snprintf(rel, sizeof rel, "files/%s", json_string_value(json_object_get(f, "sha256")));
		if (path_join(p, sizeof p, dir, rel) != 0 || path_join(q, sizeof q, new_dir, rel) != 0 ||
		    (copy_file(p, q) != 0 && errno != EEXIST)) {
			problem(r, M_backup_copy_failed, MS("file", rel));
			goto out;
		}
	}
	/* the database last: a folder without it is plainly not restored yet */
	if (path_join(p, sizeof p, dir, "ungcuu.db") != 0 ||
	    path_join(q, sizeof q, new_dir, "ungcuu.tmp") != 0 || copy_file(p, q) != 0 ||
	    path_join(p, sizeof p, new_dir, "ungcuu.db") != 0 || rename(q, p) != 0 ||
	    fsync_path(new_dir, true) != 0) {
		problem(r, M_backup_copy_database_failed, MS("folder", new_dir));
		goto out;
	}
	/* opened for writing: migrations newer than the backup apply here */
	if (store_open(new_dir, 0, &st) != STORE_OK || store_audit_verify(st, &bad, &count) != STORE_OK ||
	    bad != 0) {
		problem(r, M_backup_restored_unverified, MS("folder", new_dir));
		goto out;
	}
	rc = 0;
out:
	store_close(st);
	json_decref(m);
	return rc;
}

/* ---- listing and retention ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the entries of root (backups and .partial folders), sorted oldest first. */
static int list_names(const char *root, char ***names, size_t *n)
{
	DIR *d = opendir(root);
	struct dirent *e;
	char **v = NULL;

	*names = NULL;
	*n = 0;
	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL && *n < MAX_BACKUPS) {
		char **nv;

		if (e->d_name[0] == '.' || strlen(e->d_name) < 16)
			continue;
		nv = realloc(v, (*n + 1) * sizeof *v);
		if (nv == NULL)
			break;
		v = nv;
		v[*n] = strdup(e->d_name);
		if (v[*n] != NULL)
			(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, name_cmp);
	*names = v;
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* One entry of a listing: name, path, complete, created_at, incidents, database_size, files. */
static json_t *list_entry(const char *root, const char *name)
{
	char p[BACKUP_PATH_MAX];
	struct backup_report r = {0};
	json_t *m = NULL, *e;

	if (path_join(p, sizeof p, root, name) != 0)
		return NULL;
	if (!str_ends(name, ".partial"))
		m = read_manifest(p, &r);
	e = json_pack("{s:s, s:s, s:b, s:I, s:I, s:I, s:I}", "name", name, "path", p, "complete",
		      m != NULL, "created_at",
		      (json_int_t)json_integer_value(json_object_get(m, "created_at")), "incidents",
		      (json_int_t)json_integer_value(json_object_get(m, "incidents")), "database_size",
		      (json_int_t)json_integer_value(
			      json_object_get(json_object_get(m, "database"), "size")),
		      "files", (json_int_t)json_array_size(json_object_get(m, "files")));
	json_decref(m);
	return e;
}

int backup_list(const char *root, json_t **out)
{
	char **names;
	size_t n;
	json_t *arr = json_array();

	*out = NULL;
	if (arr == NULL || list_names(root, &names, &n) != 0) {
		json_decref(arr);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *e = list_entry(root, names[i]);

		if (e != NULL)
			json_array_append_new(arr, e);
	}
	free_names(names, n);
	*out = arr;
	return 0;
}

bool backup_name_ok(const char *name)
{
	static const char shape[] = "ddddddddTddddddZ"; /* yyyymmddTHHMMSSZ, as backup_claim */
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; shape[i]; i++) {
		char c = name[i];

		if (shape[i] == 'd' ? !(c >= '0' && c <= '9') : c != shape[i])
			return false;
	}
	if (name[i] == '\0')
		return true;
	/* -N, N from 2 to 99 as backup_claim makes them */
	if (name[i] != '-' || !(name[i + 1] >= '1' && name[i + 1] <= '9'))
		return false;
	if (name[i + 2] == '\0')
		return name[i + 1] >= '2';
	return name[i + 2] >= '0' && name[i + 2] <= '9' && name[i + 3] == '\0';
}

int backup_find(const char *root, const char *name, char *path, size_t pathsz, json_t **entry)
{
	struct stat sb;

	path[0] = '\0';
	if (entry)
		*entry = NULL;
	if (!backup_name_ok(name))
		return -1;
	/* lstat: a symbolic link planted in the folder is not followed out of it */
	if (path_join(path, pathsz, root, name) != 0 || lstat(path, &sb) != 0 ||
	    !S_ISDIR(sb.st_mode)) {
		path[0] = '\0';
		return -2;
	}
	if (entry && (*entry = list_entry(root, name)) == NULL)
		return -2;
	return 0;
}

static int remove_tree(const char *path)
{
	char p[BACKUP_PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(path);
	int rc = 0;

	if (d == NULL)
		return unlink(path);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (path_join(p, sizeof p, path, e->d_name) != 0 || remove_tree(p) != 0)
			rc = -1;
	}
	closedir(d);
	return rmdir(path) == 0 ? rc : -1;
}

int backup_remove(const char *path)
{
	return remove_tree(path);
}

int backup_prune(const char *root, int keep)
{
	char **names, p[BACKUP_PATH_MAX];
	size_t n, complete = 0;
	int removed = 0;

	if (keep < 1 || list_names(root, &names, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		complete += !str_ends(names[i], ".partial");
	/* oldest first; a .partial left by a crash goes once a newer backup exists */
	for (size_t i = 0; i < n && complete > (size_t)keep; i++) {
		if (str_ends(names[i], ".partial") || path_join(p, sizeof p, root, names[i]) != 0)
			continue;
		if (remove_tree(p) == 0) {
			removed++;
			complete--;
		}
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (str_ends(names[i], ".partial") && path_join(p, sizeof p, root, names[i]) == 0)
			removed += remove_tree(p) == 0;
	free_names(names, n);
	return removed;
}

/* ---- the restore test (001 Đ12.6) ---- */

int backup_restore_test(const char *data_dir, const char *dir, int64_t now,
			struct backup_report *r)
{
	char scratch[BACKUP_PATH_MAX], tmp[BACKUP_PATH_MAX];
	int rc;

	memset(r, 0, sizeof *r);
	/* a fresh folder of its own (mkdtemp): two tests at once never share one */
	if (path_join(tmp, sizeof tmp, data_dir, "tmp") != 0 ||
	    snprintf(scratch, sizeof scratch, "%s/restore-test-%lld-XXXXXX", tmp,
		     (long long)now) >= (int)sizeof scratch) {
		problem(r, M_backup_path_too_long, MS("path", data_dir));
		return -1;
	}
	mkdir(tmp, 0750);
	if (mkdtemp(scratch) == NULL) {
		problem(r, M_backup_scratch_failed, MS("folder", tmp),
			MS("reason", strerror(errno)));
		return -1;
	}
	rc = backup_restore(dir, scratch, r);
	if (remove_tree(scratch) != 0)
		log_warn("backup: the scratch folder %s could not be removed", scratch);
	return rc;
}

/* ---- the daily backup of the server ---- */

/* Whether the backup of `day` is still to be made, recorded as made now (ops_backup_daily) in a
 * transaction of its own. The server's own act: the machine's context. STORE_E* codes. */
static int claim_day(struct store *st, const char *day, int64_t now, bool *due)
{
	struct ops_ctx c;
	struct ops_err err;
	int rc = store_begin(st);

	if (rc != STORE_OK)
		return rc;
	jobs_ctx(&c, st, NULL, now);
	rc = jobs_rc(ops_backup_daily(&c, day, due, &err), &err);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

int backup_settings_get(struct backup_settings *s)
{
	const char *hour_env = getenv("UNGCUU_BACKUP_HOUR"), *keep_env = getenv("UNGCUU_BACKUP_KEEP");
	int64_t hour = 1, keep = 14;
	int rc = 0;

	s->enabled = !(hour_env && strcmp(hour_env, "off") == 0);
	if ((s->enabled && hour_env && str_to_i64(hour_env, 0, 23, &hour) != 0) ||
	    (keep_env && str_to_i64(keep_env, 1, 10000, &keep) != 0)) {
		s->enabled = false; /* backup_daily refuses to run on a setting it cannot read */
		hour = 1;
		keep = 14;
		rc = -1;
	}
	s->hour = (int)hour;
	s->keep = (int)keep;
	return rc;
}

/* The end of the 6-month period (001 Đ12.6) that began at t: the same Vietnam-local day and
 * time six months later, the month's last day when it is shorter (31 Aug -> 28/29 Feb). */
static int64_t six_months_after(int64_t t)
{
	int y, mo, d, hh, mi, ss;
	int64_t midnight;

	tm_vn_fields(t, &y, &mo, &d, &hh, &mi, &ss);
	mo += BACKUP_RESTORE_TEST_MONTHS;
	while (mo > 12) {
		mo -= 12;
		y++;
	}
	if (d > tm_days_in_month(y, mo))
		d = tm_days_in_month(y, mo);
	midnight = tm_vn_midnight(y, mo, d);
	return midnight < 0 ? t : midnight + hh * 3600 + mi * 60 + ss;
}

int backup_state(struct store *st, int64_t now, json_t **out)
{
	struct backup_settings set;
	char last[16] = "", tested[32] = "", iso[TM_ISO_MAX] = "";
	int64_t tested_at = 0;
	bool valid = backup_settings_get(&set) == 0;
	int rc;

	*out = NULL;
	rc = store_meta_get(st, "backup_last_day", last, sizeof last);
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		return rc;
	rc = store_meta_get(st, "backup_restore_tested_at", tested, sizeof tested);
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		return rc;
	if (rc == STORE_OK && str_to_i64(tested, 1, INT64_MAX, &tested_at) == 0)
		tm_format_iso(tested_at, iso, sizeof iso);
	else
		tested_at = 0;
	*out = json_pack("{s:o, s:o, s:b, s:{s:b, s:o, s:i, s:b}}", "last_daily_backup",
			 last[0] ? json_string(last) : json_null(), "restore_tested_at",
			 iso[0] ? json_string(iso) : json_null(), "restore_test_overdue",
			 tested_at == 0 || now > six_months_after(tested_at), "daily", "enabled",
			 set.enabled, "hour", set.enabled ? json_integer(set.hour) : json_null(),
			 "keep", set.keep, "settings_valid", valid);
	return *out ? STORE_OK : STORE_EIO;
}

int backup_daily(struct store *st, const char *data_dir, int64_t now)
{
	struct backup_settings set;
	char today[16], path[BACKUP_PATH_MAX], root[BACKUP_PATH_MAX];
	time_t local = (time_t)(now + TM_VN_OFFSET);
	struct tm t;
	bool due = false;

	if (backup_settings_get(&set) != 0) {
		log_warn("backup: UNGCUU_BACKUP_HOUR must be 0-23 or off, UNGCUU_BACKUP_KEEP 1-10000");
		return -1;
	}
	if (!set.enabled)
		return 0;
	gmtime_r(&local, &t);
	/* in its hour only: a server (re)started at another time of day does not copy the whole
	 * database in front of its first users; a day the server was down for that hour has no
	 * daily backup, which the admin page shows (last_daily_backup) */
	if (t.tm_hour != set.hour)
		return 0;
	strftime(today, sizeof today, "%Y-%m-%d", &t);
	/* recorded first: a backup that fails is logged and retried tomorrow, not every minute */
	if (claim_day(st, today, now, &due) != STORE_OK)
		return -1;
	if (!due)
		return 0;
	if (backup_create(st, data_dir, NULL, now, path, sizeof path) != 0)
		return -1;
	log_info("backup: %s", path);
	if (path_join(root, sizeof root, data_dir, "backups") == 0)
		backup_prune(root, set.keep);
	return 1;
}
