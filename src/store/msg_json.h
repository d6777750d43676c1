/* msg_json.h - a message stored in a record as facts (docs/architecture-notes.md, note 16):
 * the record's JSON holds {"msg": "journal_escalation", "params": {"rule": {"vi": "...", "en":
 * "..."}, "org_id": 7}}, and the words a person reads are rendered from the catalogue when the
 * record is read, in the reader's language. In store/, the layer of records (util/ and core/
 * use no JSON library: scripts/checksrc); the operations that word a record include it. */
#ifndef UNGCUU_MSG_JSON_H
#define UNGCUU_MSG_JSON_H
#include <jansson.h>

#include "util/msg.h"

/* Sets obj's "msg" (m's code) and "params" ({name: number, text, or {"vi": text, "en": text}
 * when the value has words in each language}). Returns 0, or -1 when out of memory (obj may
 * then hold part of it). */
int msg_json_put(json_t *obj, const struct msg *m);
/* Binds m to the message obj stores, with the n parameters extra added after the stored ones
 * (values the reader computes, such as a citation under the preset in force). Returns 0, or -1
 * when obj stores no message the catalogue knows (m is then bound to M_none). */
int msg_json_get(const json_t *obj, const struct msg_arg *extra, size_t n, struct msg *m);

#endif
