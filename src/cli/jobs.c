/* jobs.c - `ungcuu sweep`: one round of the server's background work (duty calendar, escalation
 * sweep), for a cron job when no server runs, and for tests. `--now` sweeps as of another time. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli.h"
#include "jobs/jobs.h"
#include "util/tm.h"

int cli_sweep(int argc, char **argv)
{
	static const struct option longopts[] = {{"data", required_argument, NULL, 'd'},
						 {"now", required_argument, NULL, 'n'},
						 {"json", no_argument, NULL, 'j'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	static const char *const synopsis[] = {"ungcuu sweep --data DIR [--now ISO8601] [--json]",
					       NULL};
	const char *dir = "./data";
	struct jobs_counts c = {0};
	struct preset *p = NULL;
	struct store *st = NULL;
	int64_t now = tm_now();
	bool as_json = false;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'n':
			if (tm_parse_iso(optarg, &now) != 0)
				goto usage;
			break;
		case 'j': as_json = true; break;
		case 'h': return cli_usage(true, synopsis, M_none);
		default: goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (cli_preset_from_store(st, &p) != 0) {
		store_close(st);
		return EXIT_INVALID;
	}
	rc = jobs_run_once(st, p, now, &c);
	store_close(st);
	preset_free(p);
	if (rc != STORE_OK)
		return EXIT_FAIL;
	if (as_json) {
		printf("{\"candidates\":%lld,\"fired\":%lld,\"duties_added\":%lld,\"duties_cancelled\":%lld,"
		       "\"warnings_fired\":%lld,\"reminders\":%lld,\"digests\":%lld,\"mails_sent\":%lld}\n",
		       (long long)c.candidates, (long long)c.fired, (long long)c.duties_added,
		       (long long)c.duties_cancelled, (long long)c.warnings_fired, (long long)c.reminders,
		       (long long)c.digests, (long long)c.mails_sent);
	} else {
		cli_say(stdout, M_cli_sweep_escalations, MN("fired", c.fired),
			MN("candidates", c.candidates));
		cli_say(stdout, M_cli_sweep_rest, MN("duties_added", c.duties_added),
			MN("duties_cancelled", c.duties_cancelled),
			MN("warnings_fired", c.warnings_fired), MN("reminders", c.reminders),
			MN("digests", c.digests));
	}
	return EXIT_OK;
usage:
	return cli_usage(false, synopsis, M_none);
}
