/* common.c - what the subcommands share: opening the data folder, auditing CLI changes,
 * loading presets from files, from the binary or from the database. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "util/embed.h"
#include "util/str.h"
#include "util/tm.h"

#define PRESET_FILE_MAX (1u << 20)

int cli_read_file(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			char *np;

			cap = cap ? cap * 2 : 8192;
			np = realloc(p, cap);
			if (np == NULL)
				goto out;
			p = np;
		}
		got = fread(p + n, 1, cap - n - 1, f);
		n += got;
		if (n > max)
			goto out;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto out;
	p[n] = '\0';
	*out = p;
	*len = n;
	p = NULL;
	rc = 0;
out:
	free(p);
	fclose(f);
	return rc;
}

int cli_open(const char *dir, bool create, struct store **st)
{
	char path[1100];
	struct stat sb;

	*st = NULL;
	if (!create) {
		snprintf(path, sizeof path, "%s/ungcuu.db", dir);
		if (stat(path, &sb) != 0) {
			cli_error(M_cli_no_data_folder, MS("folder", dir));
			return EXIT_FAIL;
		}
	}
	if (store_open(dir, create ? STORE_CREATE : 0, st) != STORE_OK) {
		cli_error(M_cli_database_unopenable, MS("folder", dir));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

void cli_actor(char *out, size_t outsz)
{
	char pwbuf[1024], name[64] = "?";
	struct passwd pw, *found = NULL;
	const char *via = getenv("SUDO_USER");
	uid_t uid = getuid();

	/* the real uid, which no environment variable changes, and its name from the system */
	if (getpwuid_r(uid, &pw, pwbuf, sizeof pwbuf, &found) == 0 && found != NULL)
		snprintf(name, sizeof name, "%s", found->pw_name);
	/* SUDO_USER tells who ran sudo; it means something only when sudo made us root */
	if (uid == 0 && via != NULL && via[0] != '\0' && strlen(via) < 64 &&
	    strspn(via, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
		    strlen(via))
		snprintf(out, outsz, "cli:%s (uid %lu) via %s (sudo)", name, (unsigned long)uid, via);
	else
		snprintf(out, outsz, "cli:%s (uid %lu)", name, (unsigned long)uid);
}

int cli_ops_ctx(struct ops_ctx *c, struct store *st, const struct preset *p, char *who,
		size_t whosz)
{
	struct ops_err err;

	cli_actor(who, whosz);
	if (ops_ctx_machine(c, st, p, OPS_CLI, who, tm_now(), &err) != OPS_OK) {
		cli_error(M_cli_coordinator_unreadable);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_ops_end(struct store *st, int rc, const struct ops_err *err)
{
	struct ops_err commit;

	if (rc == OPS_OK && st != NULL) {
		rc = ops_store(&commit, store_commit(st));
		err = &commit;
	}
	if (rc == OPS_OK)
		return EXIT_OK;
	if (st != NULL)
		store_rollback(st);
	if (err->status == 0) {
		cli_error(err->store_rc == STORE_ECONFLICT   ? M_cli_already_exists
			  : err->store_rc == STORE_ENOTFOUND ? M_not_found
							     : M_cli_failed);
		return err->store_rc == STORE_ECONFLICT	  ? EXIT_CONFLICT
		       : err->store_rc == STORE_ENOTFOUND ? EXIT_NOTFOUND
							  : EXIT_FAIL;
	}
	fprintf(stderr, "ungcuu: %s\n", cli_text(&err->msg));
	switch (err->status) {
	case 404: return EXIT_NOTFOUND;
	case 409: return EXIT_CONFLICT;
	case 422: return EXIT_USAGE;
	default: return EXIT_FAIL;
	}
}

void cli_machine_ctx(struct ops_ctx *c, struct store *st, enum ops_channel ch, char *who,
		     size_t whosz)
{
	cli_actor(who, whosz);
	*c = (struct ops_ctx){.st = st,
			      .actor = {.machine = true, .username = who, .ip = "local"},
			      .now = tm_now(),
			      .channel = ch};
}

int cli_audit_append(struct store *st, const char *action, const char *object_type,
		     int64_t object_id, const json_t *after)
{
	struct ops_ctx c;
	char who[160];

	cli_machine_ctx(&c, st, OPS_CLI, who, sizeof who);
	return ops_audit(&c, action, object_type, object_id, NULL, after);
}

/* Where extends are looked up: a folder, else the embedded presets; texts are collected. */
struct resolver {
	const char *dir;
	json_t *texts;
	char *held[8];
	size_t nheld;
};

static bool name_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static int resolve(void *ctx, const char *name, const char **text, size_t *len)
{
	struct resolver *r = ctx;
	char path[1200], *buf;
	size_t n;

	if (!name_ok(name))
		return -1;
	if (r->dir) {
		snprintf(path, sizeof path, "%s/%s.yaml", r->dir, name);
		if (r->nheld < 8 && cli_read_file(path, PRESET_FILE_MAX, &buf, &n) == 0) {
			r->held[r->nheld++] = buf;
			*text = buf;
			*len = n;
			goto found;
		}
	}
	if (embed_preset(name, text, len) != 0)
		return -1;
found:
	if (r->texts)
		json_object_set_new(r->texts, name, json_stringn(*text, *len));
	return 0;
}

static void print_err(const struct preset_err *e)
{
	if (e->line > 0)
		fprintf(stderr, "%s.yaml:%d: %s\n", e->file, e->line, e->msg);
	else
		fprintf(stderr, "%s.yaml: %s\n", e->file, e->msg);
}

int cli_preset_load(const char *name, const char *presets_dir, struct preset **out, json_t **texts)
{
	struct resolver r = {.dir = presets_dir, .texts = texts ? json_object() : NULL};
	struct preset_err err;
	const char *text;
	size_t len;
	int rc = -1;

	*out = NULL;
	if (resolve(&r, name, &text, &len) != 0) {
		if (presets_dir)
			cli_error(M_cli_preset_not_found_in, MS("name", name), MS("folder", presets_dir));
		else
			cli_error(M_cli_preset_not_built_in, MS("name", name));
		goto out;
	}
	memset(&err, 0, sizeof err);
	if (preset_parse(name, text, len, resolve, &r, out, &err) != 0) {
		print_err(&err);
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < r.nheld; i++)
		free(r.held[i]);
	if (texts && rc == 0)
		*texts = r.texts;
	else
		json_decref(r.texts);
	return rc;
}

/* Resolves extends from the presets table saved at init. */
struct store_resolver {
	struct store *st;
	char *held[8];
	size_t nheld;
};

static int resolve_store(void *ctx, const char *name, const char **text, size_t *len)
{
	struct store_resolver *r = ctx;
	char *body;

	if (r->nheld >= 8 || store_preset_get(r->st, name, &body, len) != STORE_OK)
		return -1;
	r->held[r->nheld++] = body;
	*text = body;
	return 0;
}

int cli_preset_from_store(struct store *st, struct preset **out)
{
	struct store_resolver r = {.st = st};
	struct preset_err err;
	char name[64];
	const char *text;
	size_t len;
	int rc = -1;

	*out = NULL;
	if (store_meta_get(st, "preset", name, sizeof name) != STORE_OK) {
		cli_error(M_cli_preset_unnamed);
		return -1;
	}
	if (resolve_store(&r, name, &text, &len) != 0) {
		cli_error(M_cli_preset_missing, MS("name", name));
		goto out;
	}
	memset(&err, 0, sizeof err);
	if (preset_parse(name, text, len, resolve_store, &r, out, &err) != 0) {
		cli_error(M_cli_preset_broken);
		print_err(&err);
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < r.nheld; i++)
		free(r.held[i]);
	return rc;
}

const char *cli_text(const struct msg *m)
{
	static char text[2048];

	(void)msg_render(m, msg_lang_env(), text, sizeof text);
	return text;
}

void cli_say_args(FILE *out, bool error, enum msg_id id, const struct msg_arg *a, size_t n)
{
	struct msg m;

	msg_bind(&m, id, a, n);
	fprintf(out, "%s%s\n", error ? "ungcuu: " : "", cli_text(&m));
}

void cli_error_at_args(const char *who, enum msg_id id, const struct msg_arg *a, size_t n)
{
	struct msg m;

	msg_bind(&m, id, a, n);
	fprintf(stderr, "%s: %s\n", who, cli_text(&m));
}

int cli_usage_args(bool help, const char *const *synopsis, enum msg_id note,
		   const struct msg_arg *a, size_t n)
{
	FILE *out = help ? stdout : stderr;
	struct msg m;
	const char *word;
	size_t width = 1;

	msg_set(&m, M_cli_usage_word);
	word = cli_text(&m);
	for (const char *c = word; *c; c++) /* its width in characters: UTF-8 lead bytes */
		width += ((unsigned char)*c & 0xC0) != 0x80;
	fprintf(out, "%s", word);
	for (size_t i = 0; synopsis[i] != NULL; i++)
		fprintf(out, "%*s%s\n", i == 0 ? 1 : (int)width, "", synopsis[i]);
	if (note != M_none) {
		msg_bind(&m, note, a, n);
		fprintf(out, "%s\n", cli_text(&m));
	}
	return help ? EXIT_OK : EXIT_USAGE;
}
