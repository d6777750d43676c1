/* main.c - ungcuu: incident response coordination for a province (README.md, docs/cli.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/crypto.h"
#include "util/log.h"

#define UNGCUU_VERSION "0.1.0"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	enum msg_id help;
} commands[] = {
	{"init", cli_init, M_cli_cmd_init},
	{"serve", cli_serve, M_cli_cmd_serve},
	{"org", cli_org, M_cli_cmd_org},
	{"user", cli_user, M_cli_cmd_user},
	{"token", cli_token, M_cli_cmd_token},
	{"incident", cli_incident, M_cli_cmd_incident},
	{"audit", cli_audit, M_cli_cmd_audit},
	{"preset", cli_preset, M_cli_cmd_preset},
	{"sweep", cli_sweep, M_cli_cmd_sweep},
	/* official documents (cli/export.c) */
	{"export", cli_export, M_cli_cmd_export},
	/* backups (cli/backup.c) */
	{"backup", cli_backup, M_cli_cmd_backup},
	{"restore", cli_restore, M_cli_cmd_restore},
	/* imports from other tools (cli/import.c) */
	{"import", cli_import, M_cli_cmd_import},
	/* e-mail intake (cli/mailgate.c) */
	{"mailgate", cli_mailgate, M_cli_cmd_mailgate},
};

static int usage(FILE *out)
{
	struct msg m;

	cli_say(out, M_cli_usage_title, MS("version", UNGCUU_VERSION));
	fputc('\n', out);
	cli_say(out, M_cli_usage_synopsis);
	fputc('\n', out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		msg_set(&m, commands[i].help);
		fprintf(out, "  %-9s %s\n", commands[i].name, cli_text(&m));
	}
	fputc('\n', out);
	cli_say(out, M_cli_usage_exit_codes);
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

/* Runs a command with the options of --config FILE (or UNGCUU_CONFIG) before its own. */
static int run(int (*fn)(int, char **), int argc, char **argv)
{
	char **owned = NULL;
	int rc;

	if (cli_config_apply(&argc, &argv, &owned) != 0)
		return EXIT_USAGE;
	rc = fn(argc, argv);
	cli_config_free(owned);
	return rc;
}

int main(int argc, char **argv)
{
	const char *lv = getenv("UNGCUU_LOG");

	if (lv && strcmp(lv, "debug") == 0)
		log_set_level(LOG_DEBUG);
	if (crypto_init() != 0) {
		cli_error(M_cli_crypto_failed);
		return EXIT_FAIL;
	}
	/* `ungcuu --config FILE COMMAND ...` as well as after the command */
	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		setenv("UNGCUU_CONFIG", argv[2], 1);
		argv += 2;
		argc -= 2;
	} else if (argc > 1 && strncmp(argv[1], "--config=", 9) == 0) {
		setenv("UNGCUU_CONFIG", argv[1] + 9, 1);
		argv++;
		argc--;
	}
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("ungcuu %s\n", UNGCUU_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return run(commands[i].fn, argc - 1, argv + 1);
	cli_error(M_cli_unknown_command, MS("command", argv[1]));
	return usage(stderr);
}
