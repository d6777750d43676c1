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
	/* TEMPORARY (stix worktree): `import stix|misp`; the lead merges it into cli/import.c's
	 * dispatcher (cli_import_stix / cli_import_misp) */
	{"import", cli_import_formats, "nhập tệp: stix, misp / import files (draft warnings)"},
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

int main(int argc, char **argv)
{
	const char *lv = getenv("UNGCUU_LOG");

	if (lv && strcmp(lv, "debug") == 0)
		log_set_level(LOG_DEBUG);
	if (crypto_init() != 0) {
		fprintf(stderr, "ungcuu: libsodium failed to start\n");
		return EXIT_FAIL;
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
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ungcuu: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
