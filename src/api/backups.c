/* backups.c - the instance's backups for its admins (docs/backup.md): the list with the state of
 * the daily backup and of the restore test the regulation asks for every 6 months (001 Đ12.1,
 * Đ12.6), a backup now, the verification of one and a restore test. The work is jobs/backup.c's,
 * shared with `ungcuu backup`; here are access, names, answers and the audit trail; what a
 * restore test records is ops_backup_restore_test's (ops/backup.c).
 *
 * None of it holds the writer lock while it copies, hashes or restores: a backup reads one
 * snapshot (VACUUM INTO) and the other requests go on writing. Only the audit entry (and the
 * restore test's meta) is written afterwards, in a short transaction. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "jobs/backup.h"
#include "ops/backup.h"
#include "util/tm.h"

static int forbidden(struct http_res *res)
{
	return http_res_problem(res, 403, "Forbidden", NULL, M_backups_admins_only);
}

static int backups_root(char *out, size_t outsz)
{
	int w = snprintf(out, outsz, "%s/backups", api_env.data_dir);

	return (w < 0 || (size_t)w >= outsz) ? -1 : 0;
}

/* A listing entry as the API shows it (changed in place): created_at in ISO 8601 (null for an
 * unfinished backup), without the server's path. Returns e. */
static json_t *public_entry(json_t *e)
{
	char iso[TM_ISO_MAX];
	int64_t created = json_integer_value(json_object_get(e, "created_at"));

	json_object_del(e, "path");
	if (json_is_true(json_object_get(e, "complete")) &&
	    tm_format_iso(created, iso, sizeof iso) == 0)
		json_object_set_new(e, "created_at", json_string(iso));
	else
		json_object_set_new(e, "created_at", json_null());
	return e;
}

/* The problem's text in the reader's language lang, or null when there is none. */
static json_t *problem_json(const struct backup_report *r, bool sound, enum msg_lang lang)
{
	struct msg unknown;
	char text[1024];

	if (sound)
		return json_null();
	msg_set(&unknown, M_backup_problem_unknown);
	(void)msg_render(r->problem.id != M_none ? &r->problem : &unknown, lang, text, sizeof text);
	return json_string(text);
}

/* The problem's stable code (util/msg.h), or null when there is none. */
static json_t *problem_code(const struct backup_report *r, bool sound)
{
	if (sound)
		return json_null();
	return json_string(msg_code(r->problem.id != M_none ? r->problem.id
							    : M_backup_problem_unknown));
}

/* The folder of the backup named by path parameter 0: strictly a backup's name, under
 * DATA/backups only. Returns 0, or -1 with 422 (not a backup name) or 404 (none such) set. */
static int resolve(const struct http_req *req, struct http_res *res, char *path, size_t pathsz)
{
	char root[BACKUP_PATH_MAX];
	const char *name = req->nparams ? req->params[0] : "";
	int rc;

	if (backups_root(root, sizeof root) != 0) {
		api_store_error(res, STORE_EIO);
		return -1;
	}
	rc = backup_find(root, name, path, pathsz, NULL);
	if (rc == -1)
		http_res_problem(res, 422, "Invalid backup name", "name", M_backups_name_invalid);
	else if (rc != 0)
		http_res_problem(res, 404, "Not found", "name", M_backups_no_such);
	return rc == 0 ? 0 : -1;
}

int api_backups_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	char root[BACKUP_PATH_MAX];
	json_t *items = NULL, *out = NULL, *state = NULL;
	size_t n;
	int rc;

	if (!access_backup(&cx->subject, AC_READ))
		return http_res_problem(res, 403, "Forbidden", NULL, M_backups_read_denied);
	if (backups_root(root, sizeof root) != 0 || backup_list(root, &items) != 0)
		return http_res_problem(res, 500, "Internal error", NULL, M_backups_folder_unreadable);
	rc = backup_state(api_store(), tm_now(), &state);
	if (rc != STORE_OK) {
		json_decref(items);
		return api_store_error(res, rc);
	}
	out = json_array();
	for (n = json_array_size(items); n > 0; n--) /* newest first */
		json_array_append(out, public_entry(json_array_get(items, n - 1)));
	json_decref(items);
	json_object_set_new(state, "items", out);
	return http_res_json(res, 200, state);
}

int api_backups_create(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	char root[BACKUP_PATH_MAX], path[BACKUP_PATH_MAX], found[BACKUP_PATH_MAX];
	const struct api_done done = {.action = "backup.create", .object_type = "backup",
				      .status = 201};
	const char *name;
	json_t *entry = NULL;
	struct api_tx tx;

	if (!access_backup(&cx->subject, AC_ADMIN))
		return forbidden(res);
	if (api_body(req, res, NULL) != 0)
		return 0;
	/* a create repeated with its Idempotency-Key answers the first backup, makes no second */
	if (http_header(req, "Idempotency-Key")) {
		if (api_tx_begin(req, res, &tx, true))
			return 0;
		api_tx_abort(&tx);
	}
	if (backups_root(root, sizeof root) != 0 ||
	    backup_create(api_store(), api_env.data_dir, NULL, tm_now(), path, sizeof path) != 0)
		return http_res_problem(res, 500, "Backup failed", NULL, M_backups_failed);
	name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (backup_find(root, name, found, sizeof found, &entry) != 0)
		return http_res_problem(res, 500, "Backup failed", NULL, M_backups_unreadable_new);
	if (api_tx_begin(req, res, &tx, true)) {
		json_decref(entry);
		return 0;
	}
	api_tx_finish(&tx, req, res, STORE_OK, &done, public_entry(entry));
	return 0;
}

int api_backups_verify(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	char path[BACKUP_PATH_MAX];
	const struct api_done done = {.action = "backup.verify", .object_type = "backup",
				      .status = 200};
	struct backup_report r;
	struct api_tx tx;
	json_t *after;
	bool sound;

	if (!access_backup(&cx->subject, AC_ADMIN))
		return forbidden(res);
	if (api_body(req, res, NULL) != 0 || resolve(req, res, path, sizeof path) != 0)
		return 0;
	sound = backup_verify(path, &r) == 0;
	after = json_pack("{s:s, s:b, s:o, s:o, s:I, s:I, s:I}", "name", req->params[0], "sound",
			  sound, "problem", problem_json(&r, sound, res->lang), "problem_code",
			  problem_code(&r, sound), "incidents", (json_int_t)r.incidents,
			  "audit_entries", (json_int_t)r.audit_entries, "files",
			  (json_int_t)r.files);
	if (after == NULL)
		return api_store_error(res, STORE_EIO);
	if (api_tx_begin(req, res, &tx, false)) {
		json_decref(after);
		return 0;
	}
	api_tx_finish(&tx, req, res, STORE_OK, &done, after);
	return 0;
}

int api_backups_restore_test(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	char path[BACKUP_PATH_MAX], iso[TM_ISO_MAX] = "";
	const struct api_done done = {.action = "backup.restore_test", .object_type = "backup",
				      .status = 200};
	struct backup_report r;
	struct ops_ctx c;
	struct ops_err err;
	struct api_tx tx;
	json_t *after;
	int64_t now = tm_now();
	bool sound;

	if (!access_backup(&cx->subject, AC_ADMIN))
		return forbidden(res);
	if (api_body(req, res, NULL) != 0 || resolve(req, res, path, sizeof path) != 0)
		return 0;
	sound = backup_restore_test(api_env.data_dir, path, now, &r) == 0;
	if (sound)
		tm_format_iso(now, iso, sizeof iso);
	after = json_pack("{s:s, s:b, s:o, s:o, s:I, s:I, s:I, s:o}", "name", req->params[0],
			  "sound", sound, "problem", problem_json(&r, sound, res->lang), "problem_code",
			  problem_code(&r, sound), "incidents",
			  (json_int_t)r.incidents, "audit_entries", (json_int_t)r.audit_entries,
			  "files", (json_int_t)r.files, "restore_tested_at",
			  sound ? json_string(iso) : json_null());
	if (after == NULL)
		return api_store_error(res, STORE_EIO);
	if (api_tx_begin(req, res, &tx, false)) {
		json_decref(after);
		return 0;
	}
	/* a failed test is on the record too, under its own name: it proves nothing */
	api_ops_ctx(req, tx.st, &c);
	if (ops_backup_restore_test(&c, sound, now, after, &err) != OPS_OK) {
		api_tx_abort(&tx);
		json_decref(after);
		return api_ops_error(res, &err);
	}
	api_tx_answer(&tx, req, res, STORE_OK, &done, after);
	return 0;
}
