/* exchange.h - the operations of the exchange formats: a STIX 2.1 bundle or a MISP event,
 * validated and mapped by its reader (api/stix_import.c, api/misp.c), becomes a draft warning
 * of the importing organisation, whatever the channel (the API, `ungcuu import stix|misp`).
 * docs/stix.md. */
#ifndef UNGCUU_OPS_EXCHANGE_H
#define UNGCUU_OPS_EXCHANGE_H
#include "ops.h"

/* Whether the actor may import (its organisation writes warnings, 000 Đ7.4): the first check
 * of ops_exchange_import, for a channel that answers before it reads the file. OPS_OK or
 * OPS_EREFUSED (403). */
int ops_exchange_may_import(const struct ops_ctx *c, struct ops_err *err);

/* What a reader found in an imported file, valid and mapped (not stolen). */
struct ops_import {
	const char *format;       /* "stix" or "misp": the indicators' source, the audit's action */
	const char *source;       /* the warning's source: "stix:<bundle id>", "misp:<uuid>" */
	const char *title;        /* NULL: the source */
	const char *description;  /* may be NULL */
	const char *actions;      /* recommended actions, may be NULL */
	int severity_rank;        /* 0: the preset's rank 2 (medium) */
	int tlp;                  /* enum tlp, -1: TLP:AMBER */
	const json_t *refs;       /* [{type, value}] */
	const json_t *indicators; /* [{kind, value, note}], canonical and distinct */
};
/* Makes the draft warning of an import: the actor may import (403), the draft is its
 * organisation's with the preset's severity of the rank, its indicators, its STIX id; audited
 * as "warning.import_<format>". Sets *after (caller decrefs) to {id, ref, status, title, tlp,
 * source, stix_id, indicators, references}, the entry's after. */
int ops_exchange_import(const struct ops_ctx *c, const struct ops_import *in, json_t **after,
			struct ops_err *err);

#endif
