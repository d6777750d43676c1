/* attachment.h - files on an incident: the file is kept by its SHA-256 by the channel before
 * the transaction (api/attachments.c); the operation records it, journals and audits it. */
#ifndef UNGCUU_OPS_ATTACHMENT_H
#define UNGCUU_OPS_ATTACHMENT_H
#include "ops.h"

/* A file already kept under DATA/files/<sha256>. */
struct ops_file {
	const char *sha256;
	const char *name;
	const char *content_type;
	int64_t size;
};
/* Attaches file f to incident id: the actor may comment on it (404/403). Journals it
 * ("attachment"), audits "attachment.add" on the incident. Sets *aid and *after (the
 * attachment row; caller decrefs). */
int ops_attachment_add(const struct ops_ctx *c, int64_t id, const struct ops_file *f,
		       int64_t *aid, json_t **after, struct ops_err *err);

#endif
