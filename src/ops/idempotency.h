/* idempotency.h - the answer a create gave, kept for its Idempotency-Key, so a client that
 * repeats the request gets the same answer and nothing is made twice. */
#ifndef UNGCUU_OPS_IDEMPOTENCY_H
#define UNGCUU_OPS_IDEMPOTENCY_H
#include "ops.h"

/* The answer to keep: its status, Location and body, and the hash of the request it answered. */
struct ops_idempotent_answer {
	const char *key;          /* the Idempotency-Key, from the client */
	const char *request_hash; /* the request's hash: the same key with another body is a
				   * conflict */
	int status;
	const char *location;
	const char *body;
};
/* Records the actor's answer under its key, in the caller's transaction (so it is kept exactly
 * when what it answered is). OPS_OK or OPS_ESTORE. */
int ops_idempotency_record(const struct ops_ctx *c, const struct ops_idempotent_answer *a,
			   struct ops_err *err);

#endif
