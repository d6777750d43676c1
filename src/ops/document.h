/* document.h - official documents handed out (Mẫu 01, biên bản, the summary, the quarterly
 * bulletin): every copy is recorded so it can be checked by its SHA-256 or reference; the
 * reader's first copy of the hour (and every command-line export) is audited. */
#ifndef UNGCUU_OPS_DOCUMENT_H
#define UNGCUU_OPS_DOCUMENT_H
#include "ops.h"

/* A made document (api_doc_make, api_doc_bulletin). */
struct ops_document {
	const char *kind;     /* "report", "closing", "summary", "bulletin" */
	const char *ref;      /* the reference printed on it */
	int64_t incident_id;  /* 0 when not of one incident */
	const json_t *params; /* what was asked (period, organisation, format) */
	const char *sha256;   /* hex, of the bytes handed out */
	int64_t size;
};
/* Records a copy handed out to the actor: of an incident the actor may read (404). Writes the
 * documents row and the actor's read; audits "document.read" for the actor's first copy of this
 * document (kind, incident, parameters) in the hour, or for any copy the machine (the command
 * line) makes. Reading is not journaled on the incident. Sets *id. */
int ops_document_record(const struct ops_ctx *c, const struct ops_document *d, int64_t *id,
			struct ops_err *err);

#endif
