/* jobs.h - work that runs on time rather than on a request: the escalation sweep, the
 * periodic-duty calendar, and the thread of `ungcuu serve` that runs them every minute. jobs/
 * is the scheduler: it decides when; what is written is an operation of ops/ asked as the
 * machine (jobs_ctx). */
#ifndef UNGCUU_JOBS_H
#define UNGCUU_JOBS_H
#include <signal.h>
#include <stdint.h>

#include "core/preset.h"
#include "ops/ops.h"
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
	/* queued by jobs/notify.c */
	int64_t reminders;
	int64_t digests;
	int64_t fanned; /* per-user copies queued */
};

/* Fills c for the operations of the job thread on st with preset p (NULL where none is read)
 * at now: the machine, audited as "job". A coordinator the database cannot name leaves its
 * organisation 0, as the digest and the fan-out have always taken it. */
void jobs_ctx(struct ops_ctx *c, struct store *st, const struct preset *p, int64_t now);
/* The STORE_E* code of an operation's answer rc (a refusal, which the machine does not meet,
 * as STORE_EINVAL). */
int jobs_rc(int rc, const struct ops_err *err);

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
/* Queues the duty reminders current at now (preset `reminders:`; core/duty.h): each duty
 * instance and kind once, in one transaction with its unique key. Adds to c->reminders. */
int jobs_reminders(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c);
/* On Monday from 08:00 to midnight (Asia/Ho_Chi_Minh) queues the weekly digest of every active
 * leader with an e-mail, once per ISO week (a unique key). Adds to c->digests. */
int jobs_digest(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c);
/* Fans each organisation notification of the outbox out, once, to the organisation's people
 * whose preference (or the preset's minimum, core/notify.h) for its event is immediate: a copy
 * to their own e-mail, never twice to one address. Adds to c->fanned. */
int jobs_fanout(struct store *st, const struct preset *p, int64_t now, struct jobs_counts *c);
/* The ISO 8601 week of t in Vietnam time as "2026-W47" (out size >= 9), and when not NULL the
 * Unix time of that week's Monday 00:00 Vietnam time. Returns 0 or -1. */
int jobs_iso_week(int64_t t, char *out, size_t outsz, int64_t *monday);
struct mail_config;
/* Makes the outbox send with c (copied) instead of reading UNGCUU_SMTP_* itself: `serve`
 * calls it with its --smtp-* flags applied over the environment, before the job thread starts. */
void jobs_outbox_config(const struct mail_config *c);
/* The duty sync and the sweep above, the reminders, the digest and the per-user copies (whose
 * failure is returned but does not hold the outbox back), then the outbox. */
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
