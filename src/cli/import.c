/* import.c - `ungcuu import KIND ...`: data from other tools into the data folder. One table row
 * per kind; `scan` reads a Greenbone/OpenVAS or Nmap XML report of an information system
 * (docs/scan.md, docs/cli.md). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "core/codes.h"
#include "importer/scan.h"
#include "ops/scan.h"
#include "util/str.h"
#include "util/tm.h"

#define SCAN_FUTURE_SLACK 86400
#define SCAN_HELP (-1) /* scan_opts_parse: --help was asked and answered */

static int import_scan(int argc, char **argv);

/* The kinds of `ungcuu import`: adding one is one row here and its function. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	enum msg_id help;
} import_kinds[] = {
	{"scan", import_scan, M_cli_import_scan},
	{"stix", cli_import_stix, M_cli_import_stix},
	{"misp", cli_import_misp, M_cli_import_misp},
};

static int import_usage(FILE *out)
{
	struct msg m;

	cli_say(out, M_cli_import_usage);
	fputc('\n', out);
	for (size_t i = 0; i < sizeof import_kinds / sizeof import_kinds[0]; i++) {
		msg_set(&m, import_kinds[i].help);
		fprintf(out, "  %-6s %s\n", import_kinds[i].name, cli_text(&m));
	}
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

int cli_import(int argc, char **argv)
{
	if (argc < 2)
		return import_usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return import_usage(stdout);
	for (size_t i = 0; i < sizeof import_kinds / sizeof import_kinds[0]; i++)
		if (strcmp(argv[1], import_kinds[i].name) == 0)
			return import_kinds[i].fn(argc - 1, argv + 1);
	cli_error(M_cli_import_unknown_kind, MS("kind", argv[1]));
	return import_usage(stderr);
}

/* ---- import scan ---- */

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int scan_usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu import scan --data DIR --system ID [--as USERNAME] [--name NAME]",
		"                   [--max-size BYTES] [--max-results N] [--json] FILE", NULL};

	return cli_usage(help, synopsis, M_cli_usage_scan);
}

/* Writes data to DIR/files/<sha> unless it is there (content-addressed), via a temporary file
 * and rename, synced. *placed says whether this call made it. Returns 0 or -1. */
static int keep_file(const char *dir, const char *sha, const char *data, size_t len, bool *placed)
{
	char path[1200], tmp[1300], fdir[1100];
	size_t off = 0;
	int fd, dfd;

	*placed = false;
	snprintf(fdir, sizeof fdir, "%s/files", dir);
	if (snprintf(path, sizeof path, "%s/%s", fdir, sha) >= (int)sizeof path)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	if (mkdir(fdir, 0700) != 0 && errno != EEXIST)
		return -1;
	snprintf(tmp, sizeof tmp, "%s.import-%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off != len || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		if (off != len)
			close(fd);
		unlink(tmp);
		return -1;
	}
	*placed = true;
	dfd = open(fdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* The importer named by --as: the account and what access needs of it (*s, the subject the
 * import acts as). Returns an exit code. */
static int import_as(struct store *st, const char *username, int64_t system_id,
		     struct store_user_auth *u, struct ac_subject *s)
{
	struct ac_system sys;
	char v[32];
	int64_t coord = 0;

	if (store_user_auth_by_name(st, username, u) != STORE_OK) {
		cli_error(M_cli_user_not_found, MS("username", username));
		return EXIT_NOTFOUND;
	}
	if (!u->active) {
		cli_error(M_cli_scan_user_disabled, MS("username", username));
		return EXIT_CONFLICT;
	}
	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK)
		str_to_i64(v, 1, INT64_MAX, &coord);
	*s = (struct ac_subject){.user_id = u->id, .org_id = u->org_id,
				 .org_role = codes_org_role_parse(u->org_role), .roles = u->roles,
				 .coordinator = coord != 0 && coord == u->org_id};
	if (store_system_access(st, system_id, &sys) != STORE_OK || !access_scan(s, &sys, AC_CREATE)) {
		cli_error(M_cli_scan_not_allowed, MS("username", username), MN("system", system_id));
		return EXIT_CONFLICT;
	}
	return EXIT_OK;
}

/* A count of the import's result. */
static long long count_of(const json_t *after, const char *key)
{
	return (long long)json_integer_value(json_object_get(after, key));
}

static void print_result(const json_t *after, bool as_json)
{
	struct msg m;

	if (as_json) {
		char *s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);

		if (s)
			printf("%s\n", s);
		free(s);
		return;
	}
	/* one line in two messages (a message has at most MSG_MAX_PARAMS parameters) */
	msg_set(&m, M_cli_scan_result, MN("scan", count_of(after, "id")),
		MN("system", count_of(after, "system_id")),
		MS("scanner", json_string_value(json_object_get(after, "scanner"))),
		MN("results", count_of(after, "results")));
	printf("%s ", cli_text(&m));
	cli_say(stdout, M_cli_scan_counts, MN("new", count_of(after, "new_count")),
		MN("seen", count_of(after, "seen_count")),
		MN("reopened", count_of(after, "reopened_count")),
		MN("closed", count_of(after, "closed_count")), MN("ignored", count_of(after, "ignored")));
	if (json_array_size(json_object_get(after, "duties")) > 0) {
		char ids[512] = "";
		size_t i, used = 0;
		json_t *d;

		json_array_foreach(json_object_get(after, "duties"), i, d) {
			int k = snprintf(ids + used, sizeof ids - used, "%s%lld", i ? " " : "",
					 (long long)json_integer_value(d));

			if (k < 0 || (size_t)k >= sizeof ids - used)
				break;
			used += (size_t)k;
		}
		cli_say(stdout, M_cli_scan_duties_done, MS("duties", ids));
	}
}

/* Prints what is wrong with a report that was not imported: the importer's own words
 * (importer/, English) after the file's name and line, in the command line's language. */
static void print_problem(const char *file, const struct scan_report *r)
{
	bool nmap = strcmp(r->scanner, "nmap") == 0;
	char at[1100];
	struct msg m;

	if (r->error[0] != '\0' || r->nerrors == 0) {
		msg_set(&m, M_cli_scan_invalid);
		fprintf(stderr, "%s: %s\n", file, r->error[0] ? r->error : cli_text(&m));
		return;
	}
	cli_error_at(file, M_cli_scan_items_invalid, MN("bad", r->items_bad), MN("seen", r->items_seen),
		     MSV("items", nmap ? "máy" : "kết quả", nmap ? "hosts" : "results"));
	for (size_t i = 0; i < r->nerrors; i++) {
		snprintf(at, sizeof at, "%s:%ld", file, r->errors[i].line);
		cli_error_at(at, M_cli_scan_item_problem,
			     MSV("item", nmap ? "máy" : "kết quả", nmap ? "host" : "result"),
			     MN("n", r->errors[i].item), MS("problem", r->errors[i].msg));
	}
	if (r->items_bad > r->nerrors)
		cli_error_at(file, M_cli_scan_more, MN("more", r->items_bad - r->nerrors));
}

struct scan_opts {
	const char *dir, *as, *name, *file;
	int64_t system_id, max_size, max_results;
	bool json;
};

static int scan_opts_parse(int argc, char **argv, struct scan_opts *o)
{
	static const struct option longopts[] = {{"data", required_argument, NULL, 'd'},
						 {"system", required_argument, NULL, 's'},
						 {"as", required_argument, NULL, 'a'},
						 {"name", required_argument, NULL, 'n'},
						 {"max-size", required_argument, NULL, 'm'},
						 {"max-results", required_argument, NULL, 'r'},
						 {"json", no_argument, NULL, 'j'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int c;

	*o = (struct scan_opts){.dir = "./data", .max_size = (int64_t)SCAN_DEFAULT_MAX_BYTES,
				.max_results = SCAN_DEFAULT_MAX_RESULTS};
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case 's':
			if (str_to_i64(optarg, 1, INT64_MAX, &o->system_id) != 0)
				return scan_usage(false);
			break;
		case 'a': o->as = optarg; break;
		case 'n': o->name = optarg; break;
		case 'm':
			if (str_to_i64(optarg, 1, INT32_MAX, &o->max_size) != 0)
				return scan_usage(false);
			break;
		case 'r':
			if (str_to_i64(optarg, 1, 10000000, &o->max_results) != 0)
				return scan_usage(false);
			break;
		case 'j': o->json = true; break;
		case 'h': scan_usage(true); return SCAN_HELP;
		default: return scan_usage(false);
		}
	}
	if (o->system_id == 0 || optind != argc - 1)
		return scan_usage(false);
	o->file = argv[optind];
	if (o->name == NULL) {
		const char *slash = strrchr(o->file, '/');

		o->name = slash ? slash + 1 : o->file;
	}
	if (!codes_file_name_ok(o->name)) {
		cli_error(M_cli_scan_name_invalid, MS("name", o->name));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Puts back what an import that failed left: its file, when this import placed it. */
static void unkeep_file(const char *dir, const char *sha, bool placed)
{
	char path[1200];

	if (!placed)
		return;
	snprintf(path, sizeof path, "%s/files/%s", dir, sha);
	unlink(path);
}

/* Imports the report in one transaction through the API's operation (ops_scan_import), as the
 * machine or, with --as, as that account. Returns an exit code. */
static int scan_apply(struct store *st, const struct preset *p, const struct ops_scan_in *in,
		      const struct ac_subject *as, const struct scan_report *rep, json_t **after)
{
	struct ops_err err;
	struct ops_ctx c;
	char who[160];
	int64_t scan_id = 0;
	int rc, ex = cli_ops_ctx(&c, st, p, who, sizeof who);

	if (ex != EXIT_OK)
		return ex;
	if (as) { /* the account's rights decide, not the machine's */
		c.actor.subject = *as;
		c.actor.machine = false;
	}
	rc = store_begin(st) == STORE_OK ? ops_scan_import(&c, in, rep, &scan_id, after, &err)
					 : ops_store(&err, STORE_EIO);
	if (rc == OPS_OK && (rc = ops_store(&err, store_commit(st))) == OPS_OK)
		return EXIT_OK;
	store_rollback(st);
	if (rc == OPS_EREFUSED) {
		fprintf(stderr, "ungcuu: %s\n", cli_text(&err.msg));
		return err.status == 404 ? EXIT_NOTFOUND : EXIT_CONFLICT;
	}
	cli_error(M_cli_scan_failed, MN("code", err.store_rc));
	return EXIT_FAIL;
}

/* Parses, stores and applies the report in one transaction. Returns an exit code. */
static int scan_run(const struct scan_opts *o, struct store *st, const char *data, size_t len,
		    const struct scan_report *rep)
{
	struct store_user_auth u = {0};
	struct ac_subject as = {0};
	struct ops_scan_in in;
	struct preset *p = NULL;
	unsigned char h[crypto_hash_sha256_BYTES];
	char sha[65];
	json_t *after = NULL;
	bool placed = false;
	struct ac_system sys;
	int ex;

	if (store_system_access(st, o->system_id, &sys) != STORE_OK) {
		cli_error(M_cli_scan_system_not_found, MN("system", o->system_id));
		return EXIT_NOTFOUND;
	}
	if (o->as && (ex = import_as(st, o->as, o->system_id, &u, &as)) != EXIT_OK)
		return ex;
	if (cli_preset_from_store(st, &p) != 0)
		return EXIT_FAIL;
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	str_hex(sha, h, sizeof h);
	in = (struct ops_scan_in){.system_id = o->system_id, .sha256 = sha, .name = o->name,
				  .size = (int64_t)len, .user_id = u.id, .org_id = u.org_id};
	ex = EXIT_FAIL;
	if (keep_file(o->dir, sha, data, len, &placed) != 0) {
		cli_error(M_cli_scan_keep_failed, MS("folder", o->dir), MS("problem", strerror(errno)));
		goto out;
	}
	ex = scan_apply(st, p, &in, o->as ? &as : NULL, rep, &after);
	if (ex != EXIT_OK) {
		unkeep_file(o->dir, sha, placed);
		goto out;
	}
	print_result(after, o->json);
out:
	json_decref(after);
	preset_free(p);
	return ex;
}

static int import_scan(int argc, char **argv)
{
	struct scan_limits lim = {0};
	struct scan_report rep = {0};
	struct scan_opts o;
	struct store *st = NULL;
	struct stat sb;
	char *data = NULL;
	size_t len = 0;
	int ex, rc;

	if ((ex = scan_opts_parse(argc, argv, &o)) != EXIT_OK)
		return ex == SCAN_HELP ? EXIT_OK : ex;
	if (stat(o.file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		cli_error(M_cli_file_unreadable, MS("file", o.file));
		return EXIT_NOTFOUND;
	}
	if (sb.st_size > o.max_size) {
		cli_error_at(o.file, M_cli_scan_too_big, MN("size", sb.st_size), MN("max", o.max_size));
		return EXIT_TOOBIG;
	}
	if (cli_read_file(o.file, (size_t)o.max_size, &data, &len) != 0) {
		cli_error(M_cli_file_unreadable, MS("file", o.file));
		return EXIT_FAIL;
	}
	lim.max_bytes = (size_t)o.max_size;
	lim.max_results = (size_t)o.max_results;
	/* parsed in full before the database is opened for writing: a bad file changes nothing */
	rc = scan_parse(data, len, &lim, &rep);
	if (rc == SCAN_OK && rep.scanned_at > tm_now() + SCAN_FUTURE_SLACK) {
		struct msg m;

		msg_set(&m, M_cli_scan_in_future);
		snprintf(rep.error, sizeof rep.error, "%s", cli_text(&m));
		rc = SCAN_EINVAL;
	}
	if (rc != SCAN_OK) {
		print_problem(o.file, &rep);
		ex = rc == SCAN_ETOOBIG ? EXIT_TOOBIG : rc == SCAN_ENOMEM ? EXIT_FAIL : EXIT_INVALID;
		goto out;
	}
	ex = cli_open(o.dir, false, &st);
	if (ex == EXIT_OK)
		ex = scan_run(&o, st, data, len, &rep);
out:
	store_close(st);
	scan_report_free(&rep);
	free(data);
	return ex;
}
