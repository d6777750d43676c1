/* init.c - `ungcuu init`: a new data folder with its database, the regulation preset, the
 * organisation holding the coordinator role and the first admin (one-time password printed,
 * change forced at first login). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "core/codes.h"
#include "ops/org.h"
#include "ops/settings.h"
#include "ops/user.h"
#include "util/crypto.h"
#include "util/tm.h"

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu init --data DIR --preset NAME [--presets DIR] [--demo]",
		"            [--coordinator-name NAME] [--admin USERNAME]", NULL};

	return cli_usage(help, synopsis, M_none);
}

static int make_dirs(const char *dir)
{
	static const char *const subs[] = {"", "/files", "/backups", "/tmp"};
	char path[1100];

	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		snprintf(path, sizeof path, "%s%s", dir, subs[i]);
		if (mkdir(path, 0750) != 0 && errno != EEXIST) {
			cli_error(M_cli_init_mkdir_failed, MS("folder", path), MS("problem", strerror(errno)));
			return -1;
		}
	}
	return 0;
}

/* The machine's operator before anyone coordinates: ops_ctx_machine reads who does, and nobody
 * does until the first organisation is made. */
static void founding_ctx(struct ops_ctx *c, struct store *st, const struct preset *p,
			 const char *who)
{
	*c = (struct ops_ctx){
		.st = st,
		.preset = p,
		.actor = {.subject = {.org_role = ORG_COORDINATOR, .roles = ROLE_ALL,
				      .coordinator = true},
			  .machine = true,
			  .username = who,
			  .ip = "local"},
		.now = tm_now(),
		.channel = OPS_CLI,
	};
}

/* In the caller's transaction: the presets, the organisation holding the coordinator role and
 * the first admin, by the same operations as later ones (ops/settings.c, org.c, user.c).
 * Returns 0, or -1 having said why. */
static int found(struct store *st, const struct preset *p, const char *name, json_t *texts,
		 const char *org_name, const char *admin, int64_t *org_id, char pw[CRYPTO_TEMP_PW])
{
	char hash[CRYPTO_PWHASH_MAX], who[160];
	struct ops_err err;
	struct ops_ctx c;
	json_t *user;
	int64_t uid;
	int rc;

	cli_actor(who, sizeof who);
	founding_ctx(&c, st, p, who);
	rc = ops_settings_install(&c, name, texts, &err);
	if (rc == OPS_OK)
		rc = ops_org_create_coordinator(&c, org_name, org_id, &err);
	if (rc == OPS_OK && cli_ops_ctx(&c, st, p, who, sizeof who) != EXIT_OK)
		return -1;
	if (rc == OPS_OK)
		rc = ops_user_password(admin, NULL, NULL, pw, hash, &err);
	if (rc != OPS_OK)
		return cli_ops_end(NULL, rc, &err), -1;
	user = json_pack("{s:s, s:s, s:I, s:i}", "username", admin, "full_name",
			 "Quản trị hệ thống", "org_id", (json_int_t)*org_id, "roles", ROLE_ADMIN);
	rc = user ? ops_user_create(&c, user, hash, &uid, NULL, &err) : ops_store(&err, STORE_EIO);
	json_decref(user);
	if (rc != OPS_OK)
		return cli_ops_end(NULL, rc, &err), -1;
	return 0;
}

int cli_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},    {"preset", required_argument, NULL, 'p'},
		{"presets", required_argument, NULL, 'P'}, {"demo", no_argument, NULL, 'D'},
		{"coordinator-name", required_argument, NULL, 'c'},
		{"admin", required_argument, NULL, 'a'},   {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = NULL, *preset = NULL, *presets_dir = NULL, *admin = "admin";
	const char *org_name = "Cơ quan điều phối ứng cứu sự cố";
	char pw[CRYPTO_TEMP_PW], path[1100];
	struct preset *p = NULL;
	json_t *texts = NULL;
	struct store *st = NULL;
	struct stat sb;
	bool demo = false;
	int64_t org_id;
	int c, rc = EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'p': preset = optarg; break;
		case 'P': presets_dir = optarg; break;
		case 'D': demo = true; break;
		case 'c': org_name = optarg; break;
		case 'a': admin = optarg; break;
		case 'h': return usage(true);
		default: return usage(false);
		}
	}
	if (dir == NULL || preset == NULL || optind != argc)
		return usage(false);
	snprintf(path, sizeof path, "%s/ungcuu.db", dir);
	if (stat(path, &sb) == 0) {
		cli_error(M_cli_init_exists, MS("folder", dir));
		return EXIT_CONFLICT;
	}
	if (cli_preset_load(preset, presets_dir, &p, &texts) != 0)
		return EXIT_INVALID;
	if (make_dirs(dir) != 0 || cli_open(dir, true, &st) != EXIT_OK)
		goto out;
	if (store_begin(st) != STORE_OK ||
	    found(st, p, preset, texts, org_name, admin, &org_id, pw) != 0 ||
	    (demo && cli_demo(st, p, org_id) != 0) || store_commit(st) != STORE_OK) {
		store_rollback(st);
		cli_error(M_cli_init_failed);
		goto out;
	}
	cli_say(stdout, M_cli_init_done, MS("folder", dir), MS("preset", preset));
	cli_say(stdout, M_cli_init_admin, MS("username", admin));
	cli_say(stdout, M_cli_init_password, MS("password", pw));
	cli_say(stdout, M_cli_init_password_change);
	if (demo)
		cli_say(stdout, M_cli_init_demo, MS("password", CLI_DEMO_PASSWORD));
	rc = EXIT_OK;
out:
	store_close(st);
	preset_free(p);
	json_decref(texts);
	return rc;
}
