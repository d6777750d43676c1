/* escalation.h - which escalation rules of the preset fire (000 Đ7.1c-e, 001 Đ15.5, 002 Đ7).
 * Transitions and flags fire rules at once (escalation_on_*); time fires the others through a
 * periodic sweep, which asks the store for candidates described by escalation_query. Pure. */
#ifndef UNGCUU_ESCALATION_H
#define UNGCUU_ESCALATION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "preset.h"
#include "util/msg.h"

#define ESC_MAX_STATES 64

/* The incident as the rules see it. */
struct esc_facts {
	const char *severity;
	const char *grp;
};

/* True if the rule fires when the incident moves from state `from` (NULL when just created) to
 * state `to`. */
bool escalation_on_state(const struct preset *p, const struct preset_escalation *r,
			 const struct esc_facts *f, const char *from, const char *to);
/* True if the rule fires when `flag` is raised. */
bool escalation_on_flag(const struct preset *p, const struct preset_escalation *r,
			const struct esc_facts *f, const char *flag);

/* The candidates of a time-based rule, as conditions the store turns into SQL. */
struct esc_query {
	const struct preset_escalation *rule;
	bool requests;            /* REQUEST trigger: open requests due before request_due_before */
	int64_t request_due_before;
	const char *states[ESC_MAX_STATES]; /* incidents whose status is one of these */
	size_t nstates;
	int min_rank;             /* severity rank >= (0: any) */
	const char *grp;          /* NULL: any group */
	int64_t detected_before;  /* 0: no condition */
	int64_t changed_before;   /* 0: no condition (last state change before this) */
	const char *flag;         /* NULL: no condition; else incidents carrying this flag */
	const char *untold;       /* NULL: no condition; else incidents no organisation of this
				   * role (a code of core/codes.h) was told of */
	int64_t after_id;         /* keyset: only candidates with a larger id (batches) */
};

/* Describes the candidates of rule r at time now. Returns 0, or -1 when r is not time-based. */
int escalation_query(const struct preset *p, const struct preset_escalation *r, int64_t now,
		     struct esc_query *q);
/* Bytes that hold the words of any rule firing, rendered (a request's body). */
#define ESCALATION_TEXT 2048
/* Binds m to the words said when r fires (journal_escalation: the rule's names and {citation},
 * its source cited with the documents of p). p NULL leaves {citation} out: a record stores
 * the facts (the rule's names; its source beside them) and its reader cites the source with
 * the preset in force when it is read (ops_words). */
void escalation_words(const struct preset *p, const struct preset_escalation *r, struct msg *m);

#endif
