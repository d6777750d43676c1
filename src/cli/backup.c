/* backup.c - `ungcuu backup [create|list|verify]` and `ungcuu restore` (docs/backup.md). The
 * regulations ask for backups whose restore is tested (001 Đ12.1, Đ12.6): `backup verify
 * --restore-test` restores into a scratch folder, checks it and records that it did. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "jobs/backup.h"
#include "ops/backup.h"
#include "util/str.h"
#include "util/tm.h"

struct backup_opts {
	const char *dir;
	const char *out;
	const char *target;
	bool json;
	bool restore_test;
};

static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu backup [create] --data DIR [--out FOLDER] [--json]",
		"ungcuu backup list --data DIR [--json]",
		"ungcuu backup verify --data DIR [--restore-test] [BACKUP]",
		"ungcuu restore --data NEW_DIR BACKUP", NULL};

	return cli_usage(help, synopsis, M_cli_usage_backup);
}

/* Parses the options after the subcommand word (first = index of the first option). Returns
 * -1 on a bad option, 1 for --help, else 0. */
static int parse(int argc, char **argv, int first, struct backup_opts *o)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"out", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'},       {"restore-test", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	int c;

	optind = first;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case 'o': o->out = optarg; break;
		case 'j': o->json = true; break;
		case 'r': o->restore_test = true; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind < argc)
		o->target = argv[optind++];
	return optind == argc ? 0 : -1;
}

/* Records a backup event in the audit trail, in its own transaction. */
static int audit(struct store *st, const char *action, json_t *after)
{
	int rc = store_begin(st);

	if (rc == STORE_OK)
		rc = cli_audit_append(st, action, "backup", 0, after);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

static void print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2));
	putchar('\n');
}

static int do_create(const struct backup_opts *o)
{
	char path[BACKUP_PATH_MAX];
	struct store *st;
	json_t *after;
	int rc;

	if (cli_open(o->dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	rc = backup_create(st, o->dir, o->out, tm_now(), path, sizeof path);
	if (rc != 0) {
		store_close(st);
		cli_error(M_cli_backup_failed);
		return EXIT_FAIL;
	}
	after = json_pack("{s:s}", "path", path);
	audit(st, "backup.create", after);
	store_close(st);
	if (o->json)
		print_json(after);
	else
		printf("%s\n", path);
	json_decref(after);
	return EXIT_OK;
}

static int do_list(const struct backup_opts *o)
{
	char root[BACKUP_PATH_MAX];
	json_t *items, *b;
	size_t i;

	snprintf(root, sizeof root, "%s/backups", o->dir);
	if (backup_list(o->out ? o->out : root, &items) != 0) {
		cli_error(M_cli_backup_list_failed, MS("folder", o->out ? o->out : root));
		return EXIT_FAIL;
	}
	if (o->json) {
		print_json(items);
	} else {
		json_array_foreach(items, i, b) {
			char when[32] = "", counts[256], unfinished[128] = "";
			struct msg m;

			if (json_is_true(json_object_get(b, "complete")))
				tm_format_vn_datetime(
					json_integer_value(json_object_get(b, "created_at")), when,
					sizeof when);
			msg_set(&m, M_cli_backup_counts,
				MN("incidents", json_integer_value(json_object_get(b, "incidents"))),
				MN("files", json_integer_value(json_object_get(b, "files"))));
			(void)msg_render(&m, msg_lang_env(), counts, sizeof counts);
			if (!json_is_true(json_object_get(b, "complete"))) {
				msg_set(&m, M_cli_backup_unfinished);
				(void)msg_render(&m, msg_lang_env(), unfinished, sizeof unfinished);
			}
			printf("%-24s %-20s %10lld MB  %s%s%s\n",
			       json_string_value(json_object_get(b, "name")), when,
			       (long long)(json_integer_value(json_object_get(b, "database_size")) >> 20),
			       counts, unfinished[0] ? "  " : "", unfinished);
		}
	}
	json_decref(items);
	return EXIT_OK;
}

/* The folder of BACKUP: a path as given when it is a folder, else a name under DIR/backups;
 * without one, the newest complete backup. Returns 0, or EXIT_NOTFOUND. */
static int resolve(const struct backup_opts *o, char *path, size_t pathsz)
{
	char root[BACKUP_PATH_MAX];
	struct stat sb;
	json_t *items = NULL, *b;
	size_t i;
	int rc = EXIT_NOTFOUND;

	snprintf(root, sizeof root, "%s/backups", o->dir);
	if (o->target && stat(o->target, &sb) == 0 && S_ISDIR(sb.st_mode))
		return str_copy(path, pathsz, o->target) == 0 ? 0 : EXIT_USAGE;
	if (o->target) {
		if (snprintf(path, pathsz, "%s/%s", root, o->target) < (int)pathsz &&
		    stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			return 0;
		cli_error(M_cli_backup_not_found, MS("name", o->target));
		return EXIT_NOTFOUND;
	}
	if (backup_list(root, &items) == 0)
		json_array_foreach(items, i, b)
			if (json_is_true(json_object_get(b, "complete")) &&
			    str_copy(path, pathsz, json_string_value(json_object_get(b, "path"))) == 0)
				rc = 0;
	json_decref(items);
	if (rc != 0)
		cli_error(M_cli_backup_none_complete, MS("folder", root));
	return rc;
}

/* The restore test (jobs/backup.c, shared with the API); a passed test is recorded in the live
 * database by ops_backup_restore_test: meta backup_restore_tested_at and an audit entry, in one
 * transaction. */
static int restore_test(const struct backup_opts *o, const char *path, struct backup_report *r)
{
	struct store *st;
	struct ops_ctx c;
	struct ops_err err;
	json_t *after;
	char who[160];
	int64_t now = tm_now();
	int rc = backup_restore_test(o->dir, path, now, r);

	if (rc != 0)
		return rc;
	if (cli_open(o->dir, false, &st) != EXIT_OK)
		return -1;
	after = json_pack("{s:s, s:I, s:I}", "backup", path, "incidents", (json_int_t)r->incidents,
			  "audit_entries", (json_int_t)r->audit_entries);
	rc = store_begin(st);
	if (rc == STORE_OK && cli_ops_ctx(&c, st, NULL, who, sizeof who) != EXIT_OK)
		rc = STORE_EIO;
	if (rc == STORE_OK && ops_backup_restore_test(&c, true, now, after, &err) != OPS_OK)
		rc = err.status ? STORE_EINVAL : err.store_rc;
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	json_decref(after);
	store_close(st);
	return rc == STORE_OK ? 0 : -1;
}

/* The first problem of r in the command line's language (cli_text's buffer), or that it is
 * unknown (see the log above). */
static const char *problem_text(const struct backup_report *r)
{
	struct msg unknown;

	msg_set(&unknown, M_backup_problem_unknown);
	return cli_text(r->problem.id != M_none ? &r->problem : &unknown);
}

static int do_verify(const struct backup_opts *o)
{
	char path[BACKUP_PATH_MAX];
	struct backup_report r;
	int rc = resolve(o, path, sizeof path);

	if (rc != 0)
		return rc;
	rc = o->restore_test ? restore_test(o, path, &r) : backup_verify(path, &r);
	if (rc != 0) {
		cli_say(stdout, M_cli_backup_broken, MS("path", path), MS("problem", problem_text(&r)));
		return EXIT_INVALID;
	}
	cli_say(stdout, o->restore_test ? M_cli_backup_sound_tested : M_cli_backup_sound,
		MS("path", path), MN("incidents", r.incidents), MN("audit_entries", r.audit_entries),
		MN("files", r.files));
	return EXIT_OK;
}

int cli_backup(int argc, char **argv)
{
	struct backup_opts o = {.dir = "./data"};
	const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "create";
	int first = argc > 1 && argv[1][0] != '-' ? 2 : 1, p = parse(argc, argv, first, &o);

	if (p != 0)
		return usage(p == 1);
	if (strcmp(sub, "create") == 0 && o.target == NULL && !o.restore_test)
		return do_create(&o);
	if (strcmp(sub, "list") == 0 && o.target == NULL && !o.restore_test)
		return do_list(&o);
	if (strcmp(sub, "verify") == 0 && o.out == NULL)
		return do_verify(&o);
	return usage(false);
}

int cli_restore(int argc, char **argv)
{
	struct backup_opts o = {.dir = NULL};
	struct backup_report r;
	struct store *st;
	char path[BACKUP_PATH_MAX];
	int p = parse(argc, argv, 1, &o);

	if (p != 0 || o.dir == NULL || o.target == NULL || o.out || o.restore_test)
		return usage(p == 1);
	if (str_copy(path, sizeof path, o.target) != 0)
		return EXIT_USAGE;
	memset(&r, 0, sizeof r);
	if (backup_restore(path, o.dir, &r) != 0) {
		cli_say(stdout, M_cli_restore_failed, MS("problem", problem_text(&r)));
		return r.problem.id == M_backup_target_has_database ? EXIT_CONFLICT : EXIT_INVALID;
	}
	if (cli_open(o.dir, false, &st) == EXIT_OK) {
		json_t *after = json_pack("{s:s}", "from", path);

		audit(st, "backup.restore", after);
		json_decref(after);
		store_close(st);
	}
	cli_say(stdout, M_cli_restored, MS("folder", o.dir), MN("incidents", r.incidents),
		MN("files", r.files));
	return EXIT_OK;
}
