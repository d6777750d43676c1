/* duty_answer.h - an organisation's answers to its periodic duties (DOMAIN.md "Periodic
 * duties"): marking an instance done with a note, adding an evidence file; and how an instance
 * reads (the preset's names, overdue). The calendar's sync is not here (the job thread's). */
#ifndef UNGCUU_OPS_DUTY_ANSWER_H
#define UNGCUU_OPS_DUTY_ANSWER_H
#include "ops.h"

/* Marks duty instance id done with a note: the actor's organisation is the one responsible
 * (404 when it may not see it, 403), the instance is pending (409). Audits "duty.done" before
 * -> after. *after: the instance as ops_duty_describe and ops_duty_mark_overdue show it (caller
 * decrefs). */
int ops_duty_done(const struct ops_ctx *c, int64_t id, const char *note, json_t **after,
		  struct ops_err *err);

/* An evidence file, already kept by its SHA-256. */
struct ops_duty_file {
	const char *sha256;
	const char *name;
	const char *content_type;
	int64_t size;
};
/* Adds an evidence file to duty instance id: the actor's organisation may comment on it
 * (404/403). Audits "duty.evidence". *after: the instance with its evidence (caller decrefs). */
int ops_duty_evidence(const struct ops_ctx *c, int64_t id, const struct ops_duty_file *f,
		      json_t **after, struct ops_err *err);

/* Adds the preset's names, description, legal source and evidence kind of the duty to row (a
 * duty of a preset no longer in force stays as its code). */
void ops_duty_describe(const struct preset *p, json_t *row);
/* Sets row["overdue"]: pending and past due at now. */
void ops_duty_mark_overdue(json_t *row, int64_t now);

#endif
