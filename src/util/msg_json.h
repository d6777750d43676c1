/* msg_json.h - a message stored in a record as facts (docs/architecture-notes.md, note 16):
 * the record's JSON holds {"msg": "journal_escalation", "params": {"rule": {"vi": "...", "en":
 * "..."}, "org_id": 7}}, and the words a person reads are rendered from the catalogue when the
 * record is read, in the reader's language. Apart from util/msg.c so that what links the
 * catalogue alone (the pure core's tests) does not need jansson. */
#ifndef UNGCUU_MSG_JSON_H
#define UNGCUU_MSG_JSON_H
#include <jansson.h>

#include "msg.h"

/* Sets obj's "msg" (m's code) and "params" ({name: number, text, or {"vi": text, "en": text}
 * when the value has words in each language}). Returns 0, or -1 when out of memory (obj may
 * then hold part of it). */
int msg_json_put(json_t *obj, const struct msg *m);
/* Binds m to the message obj stores, with the n parameters extra added after the stored ones
 * (values the reader computes, such as a citation under the preset in force). Returns 0, or -1
 * when obj stores no message the catalogue knows (m is then bound to M_none). */
int msg_json_get(const json_t *obj, const struct msg_arg *extra, size_t n, struct msg *m);

#endif
