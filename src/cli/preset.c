/* preset.c - `ungcuu preset check FILE`: validates a preset and prints errors with line numbers. */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/str.h"

static int usage(void)
{
	fprintf(stderr, "usage: ungcuu preset check FILE.yaml\n"
			"       (a preset named in `extends` is looked up beside FILE, then in the binary)\n");
	return EXIT_USAGE;
}

int cli_preset(int argc, char **argv)
{
	char dirbuf[1024], namebuf[256], *dir, *base, *dot;
	struct preset *p = NULL;

	if (argc != 3 || strcmp(argv[1], "check") != 0)
		return argc == 2 && strcmp(argv[1], "--help") == 0 ? (usage(), EXIT_OK) : usage();
	if (str_copy(dirbuf, sizeof dirbuf, argv[2]) != 0 ||
	    str_copy(namebuf, sizeof namebuf, argv[2]) != 0)
		return usage();
	dir = dirname(dirbuf);
	base = basename(namebuf);
	dot = strrchr(base, '.');
	if (dot == NULL || strcmp(dot, ".yaml") != 0) {
		fprintf(stderr, "ungcuu: a preset file is named NAME.yaml\n");
		return EXIT_USAGE;
	}
	*dot = '\0';
	if (cli_preset_load(base, dir, &p, NULL) != 0)
		return EXIT_INVALID;
	printf("%s: hợp lệ / valid — %zu nhóm, %zu loại, %zu mức độ, %zu trạng thái, %zu bước chuyển, "
	       "%zu biểu mẫu, %zu thời hạn / groups, types, severities, states, transitions, forms, "
	       "clocks\n",
	       argv[2], p->ngroups, p->ntypes, p->nseverities, p->nstates, p->ntransitions, p->nforms,
	       p->nclocks);
	preset_free(p);
	return EXIT_OK;
}
