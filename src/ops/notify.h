/* notify.h - delivering notifications (ops/notify.c, docs/mail.md): what is written when a duty
 * reminder or a leader's weekly digest is queued, when an organisation's notification is fanned
 * out to its people, and when a delivery of the outbox (e-mail) or of a webhook is claimed and
 * its outcome recorded. jobs/ decides when each runs; these decide what is written, in the
 * caller's transaction. They are the machine's own acts (the job thread, `ungcuu sweep`): any
 * other actor is refused (403). */
#ifndef UNGCUU_OPS_NOTIFY_H
#define UNGCUU_OPS_NOTIFY_H
#include "ops.h"

/* Queues the reminder of duty instance d that the preset's `reminders:` make due at c->now
 * (core/duty.h: before_<N>d, due, overdue), once per instance and kind: *queued tells whether
 * one was queued now. OPS_OK, OPS_EREFUSED or OPS_ESTORE. */
int ops_notify_remind(const struct ops_ctx *c, const struct store_reminder_cand *d, bool *queued,
		      struct ops_err *err);

/* Queues the weekly digest of leader u for ISO week `week` ("2026-W47", starting at monday):
 * the figures of what u may read (the whole province for the coordinator's leaders, else their
 * organisation) counted at c->now, once per user and week (*queued). */
int ops_notify_digest(const struct ops_ctx *c, const struct store_digest_user *u,
		      const char *week, int64_t monday, bool *queued, struct ops_err *err);

/* Fans organisation notification f out, once: a copy to the own e-mail of each of its people
 * who may read what it is about (the incident, warning or duty, by core/access.c) and whose
 * preference (or the preset's minimum, core/notify.h) for the event is immediate, never two to
 * one address; then marks f as fanned out. Adds the copies queued to *fanned. */
int ops_notify_fanout(const struct ops_ctx *c, const struct store_fanout *f, int64_t *fanned,
		      struct ops_err *err);

/* Claims outbox row `row` (as store_outbox_next read it) for one e-mail attempt, leased until
 * lease_until; err->store_rc STORE_ECONFLICT when another sender took it meanwhile. */
int ops_notify_claim(const struct ops_ctx *c, const struct store_outbox_row *row,
		     int64_t lease_until, struct ops_err *err);
/* The instance's tag in Message-IDs (meta mail_instance, made on first use) into tag. */
int ops_notify_instance(const struct ops_ctx *c, char *tag, size_t tagsz, struct ops_err *err);
/* Records the outcome of an e-mail attempt of row id: sent_at (0: not sent), next_at (> 0: the
 * next try; 0 keeps the claim's lease) and the error text ("" when sent). */
int ops_notify_mark(const struct ops_ctx *c, int64_t id, int64_t sent_at, int64_t next_at,
		    const char *error, struct ops_err *err);

/* The demo seeder's own past: notification id counts as delivered (e-mail and webhook) at
 * c->now without a delivery logged; any other actor is refused (403). */
int ops_notify_settle(const struct ops_ctx *c, int64_t id, struct ops_err *err);
/* Whether the person row is addressed to (row->user_id; user: store_user_get's record of
 * them, read when it is sent) may still get it: an active account of the organisation the row
 * was queued for. Someone disabled or moved since gets nothing of that organisation's by
 * e-mail of their own. True for a row to an organisation (user_id 0). */
bool ops_notify_addressee_ok(const struct store_outbox_row *row, const json_t *user);

/* Claims the oldest webhook delivery due at c->now (store_hook_claim) into *out; err->store_rc
 * STORE_ENOTFOUND when none is due. */
int ops_notify_hook_claim(const struct ops_ctx *c, int max_attempts, int64_t lease,
			  struct store_hook_row *out, struct ops_err *err);
/* Records a webhook attempt of h at c->now: the receiver's HTTP status, the error text, sent_at
 * (0: not accepted) and next_at (> 0: the next try). */
int ops_notify_hook_mark(const struct ops_ctx *c, const struct store_hook_row *h, int status,
			 const char *error, int64_t sent_at, int64_t next_at,
			 struct ops_err *err);

#endif
