/* system.h - the registry of information systems (docs/access.md "Systems"): registering one
 * and changing it, with the access decision, the duty calendar's resync and the audit entry. */
#ifndef UNGCUU_OPS_SYSTEM_H
#define UNGCUU_OPS_SYSTEM_H
#include "ops.h"

/* Registers a system: row holds store columns (name, description, level, central_hosted,
 * critical, owner_org_id, operator_org_id, assets canonical, products; not stolen); owner and
 * operator default to the actor's organisation. The actor may register systems for that owner
 * and operator (403). Resyncs the duty calendar, audits "system.create". Sets *id and, if after
 * is not NULL, *after to the stored record (caller decrefs). */
int ops_system_register(const struct ops_ctx *c, const json_t *row, int64_t *id,
			json_t **after, struct ops_err *err);

/* Changes the given keys of system id (as in register; assets and products replace the
 * lists): the actor may edit it (404 when it may not read it, 403) and, after the change, may
 * still edit it (moving it to another owner); if_version (0: any) is its version (412).
 * Resyncs the duty calendar, audits "system.update" before -> after. *after: the record
 * (caller decrefs; NULL allowed). */
int ops_system_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
		      const json_t *fields, json_t **after, struct ops_err *err);

#endif
