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
	const char *help;
} commands[] = {
	{"init", cli_init, "tạo thư mục dữ liệu mới / create a data folder"},
	{"serve", cli_serve, "chạy máy chủ web và API / run the web server and API"},
	{"org", cli_org, "đơn vị: add, list / organisations"},
	{"user", cli_user, "tài khoản: add, list, reset, disable, enable, unlock / accounts"},
	{"token", cli_token, "mã truy cập API: create, revoke, list / API tokens"},
	{"incident", cli_incident, "sự cố: list / incidents"},
	{"audit", cli_audit, "nhật ký kiểm toán: verify / audit trail"},
	{"preset", cli_preset, "quy chế: check, switch / regulation presets, lead body handover"},
	{"sweep", cli_sweep, "chạy một lượt chuyển cấp và lịch nhiệm vụ / run escalations and duties once"},
	/* official documents (cli/export.c) */
	{"export", cli_export, "văn bản: report, closing, summary, bulletin / official documents"},
	/* backups (cli/backup.c) */
	{"backup", cli_backup, "sao lưu: create, list, verify [--restore-test] / backups"},
	{"restore", cli_restore, "khôi phục bản sao lưu vào thư mục mới / restore a backup"},
	/* imports from other tools (cli/import.c) */
	{"import", cli_import, "nhập dữ liệu: scan, stix, misp / import scanner reports, STIX, MISP"},
	/* e-mail intake (cli/mailgate.c) */
	{"mailgate", cli_mailgate, "nhận một thư điện tử vào nhật ký sự cố / one e-mail into an incident"},
};

static int usage(FILE *out)
{
	fprintf(out, "ungcuu %s — điều phối ứng cứu sự cố an toàn thông tin mạng\n\n"
		     "usage: ungcuu COMMAND [options]   (ungcuu COMMAND --help)\n\n",
		UNGCUU_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nexit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 conflict, 5 invalid\n");
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
		fprintf(stderr, "ungcuu: libsodium failed to start\n");
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
	fprintf(stderr, "ungcuu: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
