/* idempotency.c - the answer of a create kept for its Idempotency-Key (idempotency.h). */
#include "idempotency.h"

int ops_idempotency_record(const struct ops_ctx *c, const struct ops_idempotent_answer *a,
			   struct ops_err *err)
{
	return ops_store(err, store_idem_put(c->st, c->actor.user_id, a->key, a->request_hash,
					      a->status, a->location, a->body, c->now));
}
