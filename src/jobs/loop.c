/* loop.c - the server's background thread, and the context its operations run in. */
#include <unistd.h>

#include "backup.h"
#include "core/codes.h"
#include "jobs.h"
#include "util/log.h"
#include "util/tm.h"

void jobs_ctx(struct ops_ctx *c, struct store *st, const struct preset *p, int64_t now)
{
	struct ops_err err;

	if (ops_ctx_machine(c, st, p, OPS_JOB, "job", now, &err) == OPS_OK)
		return;
	/* the machine's rights do not depend on who coordinates: it still acts, for nobody's
	 * organisation */
	*c = (struct ops_ctx){.st = st,
			      .preset = p,
			      .actor = {.subject = {.org_role = ORG_COORDINATOR, .roles = ROLE_ALL,
						    .coordinator = true},
					.machine = true,
					.username = "job",
					.ip = "local"},
			      .now = now,
			      .channel = OPS_JOB};
}

int jobs_rc(int rc, const struct ops_err *err)
{
	if (rc == OPS_OK)
		return STORE_OK;
	return rc == OPS_ESTORE ? err->store_rc : STORE_EINVAL;
}

void *jobs_thread(void *arg)
{
	const struct jobs_loop *l = arg;
	struct store *st = NULL;
	unsigned waited;

	if (store_open(l->data_dir, 0, &st) != STORE_OK) {
		log_err("jobs: cannot open the database; deadlines will not be swept");
		return NULL;
	}
	while (!*l->stop) {
		struct jobs_counts c = {0};

		if (l->tick)
			l->tick(st);
		/* after the round's own work, so a long backup never delays a deadline by more than
		 * one round */
		if (jobs_run_once(st, l->preset(), tm_now(), &c) == STORE_OK &&
		    (c.fired || c.warnings_fired || c.duties_added || c.duties_cancelled))
			log_info("jobs: %lld escalations fired, %lld late warning answers, %lld duties "
				 "added, %lld cancelled",
				 (long long)c.fired, (long long)c.warnings_fired,
				 (long long)c.duties_added, (long long)c.duties_cancelled);
		backup_daily(st, l->data_dir, tm_now());
		for (waited = 0; waited < l->interval * 5 && !*l->stop; waited++)
			usleep(200 * 1000);
	}
	store_close(st);
	return NULL;
}
