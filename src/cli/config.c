/* config.c - `--config FILE` for every command (ARCHITECTURE.md: "Config: --config FILE
 * (optional; flags and UNGCUU_* variables override)"). The file holds `name = value` lines; names
 * are the commands' long options (`data`, `listen`, `max-upload`...) or UNGCUU_* variables;
 * options under a `[command]` header apply to that command only, those before any header to
 * every command. Options from the file go before the command line's, so a flag given there
 * wins (the last occurrence of an option counts); a variable from the file is set only when the
 * environment does not already have it. Bad lines are errors with their line number. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/str.h"

#define CONFIG_FILE_MAX (64u * 1024u)
#define CONFIG_MAX_ARGS 128
#define CONFIG_NAME_MAX 64

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static bool option_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONFIG_NAME_MAX || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

static bool variable_name_ok(const char *s)
{
	if (!str_starts(s, "UNGCUU_") || strlen(s) >= CONFIG_NAME_MAX || s[7] == '\0')
		return false;
	for (; *s; s++)
		if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

struct parsed {
	char **args; /* "--name=value" or "--name" (value "true"), malloc'd */
	int nargs;
};

/* Handles one line of the file for command cmd. Returns 0, or -1 having printed the problem. */
static int config_line(const char *path, int lineno, char *line, const char *cmd, bool *active,
		       struct parsed *p)
{
	char *eq, *name, *value, *arg, at[1100];
	size_t need;

	snprintf(at, sizeof at, "%s:%d", path, lineno); /* where, before what is wrong */
	line = trim(line);
	if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
		return 0;
	if (line[0] == '[') {
		char *close = strchr(line, ']');

		if (close == NULL || trim(close + 1)[0] != '\0') {
			cli_error_at(at, M_cli_config_section);
			return -1;
		}
		*close = '\0';
		*active = strcmp(trim(line + 1), cmd) == 0;
		return 0;
	}
	eq = strchr(line, '=');
	if (eq == NULL) {
		cli_error_at(at, M_cli_config_expected);
		return -1;
	}
	*eq = '\0';
	name = trim(line);
	value = trim(eq + 1);
	if (variable_name_ok(name)) {
		if (*active)
			setenv(name, value, 0); /* the environment wins over the file */
		return 0;
	}
	if (!option_name_ok(name)) {
		cli_error_at(at, M_cli_config_unknown_name, MS("name", name));
		return -1;
	}
	if (!*active)
		return 0;
	if (p->nargs >= CONFIG_MAX_ARGS) {
		cli_error_at(at, M_cli_config_too_many, MN("max", CONFIG_MAX_ARGS));
		return -1;
	}
	need = strlen(name) + strlen(value) + 4;
	arg = malloc(need);
	if (arg == NULL)
		return -1;
	/* a switch (--json, --secure-cookies) is written `name = true` */
	if (strcmp(value, "true") == 0)
		snprintf(arg, need, "--%s", name);
	else
		snprintf(arg, need, "--%s=%s", name, value);
	p->args[p->nargs++] = arg;
	return 0;
}

/* Parses the text (NUL-terminated, len bytes, changed in place) of the file named path. */
static int config_text(const char *path, char *text, size_t len, const char *cmd, struct parsed *p)
{
	char *line, *next;
	bool active = true;
	int lineno = 0, rc = 0;

	if (strlen(text) != len || !str_utf8_valid(text, len)) {
		cli_error_at(path, M_cli_config_not_utf8);
		return -1;
	}
	for (line = text; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rc = config_line(path, ++lineno, line, cmd, &active, p);
	}
	return rc;
}

static int config_read(const char *path, const char *cmd, struct parsed *p)
{
	char *text = NULL;
	size_t len;
	int rc;

	if (cli_read_file(path, CONFIG_FILE_MAX, &text, &len) != 0) {
		cli_error(M_cli_config_unreadable, MS("file", path), MN("max", CONFIG_FILE_MAX));
		return -1;
	}
	rc = config_text(path, text, len, cmd, p);
	free(text);
	return rc;
}

int cli_config_parse(char *text, size_t len, const char *cmd, int *nargs)
{
	struct parsed p = {0};
	int rc;

	*nargs = 0;
	p.args = calloc(CONFIG_MAX_ARGS + 2, sizeof *p.args);
	if (p.args == NULL)
		return -1;
	rc = config_text("(text)", text, len, cmd, &p);
	*nargs = p.nargs;
	cli_config_free(p.args);
	return rc;
}

/* Finds and removes `--config FILE` / `--config=FILE` from argv (from index 1 on). */
static const char *take_config(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++) {
		const char *file = NULL;
		int drop = 1;

		if (strcmp(argv[i], "--config") == 0 && i + 1 < *argc) {
			file = argv[i + 1];
			drop = 2;
		} else if (str_starts(argv[i], "--config=")) {
			file = argv[i] + 9;
		}
		if (file) {
			memmove(argv + i, argv + i + drop, (size_t)(*argc - i - drop + 1) * sizeof *argv);
			*argc -= drop;
			return file;
		}
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	return NULL;
}

int cli_config_apply(int *argc, char ***argv, char ***owned)
{
	const char *file = take_config(argc, *argv);
	struct parsed p = {0};
	char **nv;
	int n, at = 1;

	*owned = NULL;
	if (file == NULL)
		file = getenv("UNGCUU_CONFIG");
	if (file == NULL || file[0] == '\0' || *argc < 1)
		return 0;
	p.args = calloc(CONFIG_MAX_ARGS + 2, sizeof *p.args); /* + the new argv + NULL */
	if (p.args == NULL || config_read(file, (*argv)[0], &p) != 0)
		goto fail;
	/* argv[0] is the command: the file's options right after it, then the command line's */
	n = *argc + p.nargs;
	nv = calloc((size_t)n + 1, sizeof *nv);
	if (nv == NULL)
		goto fail;
	nv[0] = (*argv)[0];
	/* a subcommand word (`user list`) stays right after the command */
	if (*argc > 1 && (*argv)[1][0] != '-')
		nv[at++] = (*argv)[1];
	memcpy(nv + at, p.args, (size_t)p.nargs * sizeof *nv);
	memcpy(nv + at + p.nargs, *argv + at, (size_t)(*argc - at) * sizeof *nv);
	nv[n] = NULL;
	*argc = n;
	*argv = nv;
	p.args[p.nargs] = (char *)nv; /* freed with the rest by cli_config_free */
	*owned = p.args;
	return 0;
fail:
	for (int i = 0; p.args && i < p.nargs; i++)
		free(p.args[i]);
	free(p.args);
	return -1;
}

void cli_config_free(char **owned)
{
	if (owned == NULL)
		return;
	for (int i = 0; owned[i]; i++)
		free(owned[i]);
	free(owned);
}
