/* jobs.h - work that runs on time rather than on a request: the escalation sweep, the
 * periodic-duty calendar, and the thread of `ungcuu serve` that runs them every minute. */
#ifndef UNGCUU_JOBS_H
#define UNGCUU_JOBS_H
#include <signal.h>
#include <stdint.h>

#include "core/preset.h"
#include "store/store.h"


struct jobs_counts {
	int64_t candidates; /* incidents and requests examined by time-based rules */
	int64_t fired;      /* escalations fired now */
	int64_t warnings_fired; /* late warning answers escalated now (docs/warnings.md) */
	int64_t duties_added;
	int64_t duties_cancelled;
	/* notification outbox (jobs/outbox.c) */
	int64_t mails_sent;
	int64_t mails_failed;
	int64_t hooks_sent;
};

/* Fires every time-based escalation rule of the preset that is due at `now`. Idempotent: a rule
 * fires once per incident (and request); two sweeps at once fire it once. Adds to *c. */
int jobs_sweep(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c);
/* Brings the duty calendar up to date for [start, now + horizon): start is a year back, but
 * never before the instance began (meta calendar_start). Adds to *c. */
int jobs_sync_duties(struct store *st, const struct preset *p, int64_t now,
		     struct jobs_counts *c);
/* Sends the due rows of the notification outbox to the organisations' webhooks (signed JSON),
 * and by e-mail (UNGCUU_SMTP_*; no e-mail when unset):
 * each row is claimed in its own transaction before sending and marked after, retried with
 * exponential backoff (docs/mail.md). p (may be NULL) names codes in the templates. Adds to *c. */
int jobs_outbox_send(struct store *st, const struct preset *p, int64_t now,
		     struct jobs_counts *c);
/* The duty sync and the sweep above, then the outbox. */
int jobs_run_once(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c);

/* The background loop of the server: opens its own connection to data_dir and runs
 * jobs_run_once every interval seconds (and at start) until *stop. preset() returns the preset
 * in force each time (it may change while the server runs). */
struct jobs_loop {
	const char *data_dir;
	/* called first in every round with the loop's connection (e.g. to reload a preset that was
	 * switched from the command line); may be NULL */
	void (*tick)(struct store *st);
	const struct preset *(*preset)(void);
	unsigned interval;
	volatile sig_atomic_t *stop;
};
/* Thread entry for pthread_create with a struct jobs_loop *. Returns NULL. */
void *jobs_thread(void *arg);

#endif
