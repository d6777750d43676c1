/* org.h - organisations and their contact points (đầu mối; 000 Đ5.3a, Đ6.4a) and webhooks,
 * whatever the channel: the API (api/orgs.c, api/webhooks.c) and the command line (`ungcuu org
 * add`, `ungcuu init`). The coordinator's admins add organisations and set their identity (name,
 * code, role, parent: what others trust them by); an organisation's leader or officer keeps its
 * own contact point current; no two organisations share a name. docs/access.md. */
#ifndef UNGCUU_OPS_ORG_H
#define UNGCUU_OPS_ORG_H
#include "ops.h"
#include "util/crypto.h"

/* Whether the actor adds organisations at all (the coordinator's admins; 403), the first check
 * of ops_org_create. */
int ops_org_may_create(const struct ops_ctx *c, struct ops_err *err);
/* Adds an organisation from row (code, name, role, parent_id, address, phone, fax, email,
 * hotline, hotline_247, contact_name; not stolen): a valid code and role (422), a name no other
 * organisation has (422 "Name taken"), then its duties from the preset's calendar (reads
 * c->preset). Audits "org.create". Sets *id and, if after is not NULL, *after (the record;
 * caller decrefs). A taken code is OPS_ESTORE with STORE_ECONFLICT. */
int ops_org_create(const struct ops_ctx *c, const json_t *row, int64_t *id, json_t **after,
		   struct ops_err *err);
/* The first organisation of a new data folder (`ungcuu init`, the machine only: 403), holding
 * the coordinator role: code "coordinator", the name given, the preset's lead role; named in
 * meta coordinator_org_id (409 when one is named already). Audits "org.create". Sets *id. */
int ops_org_create_coordinator(const struct ops_ctx *c, const char *name, int64_t *id,
			       struct ops_err *err);

/* Whether the actor may edit organisation id at all (an admin, or its own leader or officer;
 * 403), the first check of ops_org_update. */
int ops_org_may_edit(const struct ops_ctx *c, int64_t id, struct ops_err *err);
/* Whether the actor may send the identity fields present in fields (name, code, role,
 * parent_id): the coordinator's admins, else 403 naming the first one present. */
int ops_org_may_set_identity(const struct ops_ctx *c, const json_t *fields,
			     struct ops_err *err);
/* Changes the fields of organisation id (store columns as for ops_org_create, not stolen):
 * the checks above, if_version (0: any) its version (412), valid code and role, a free name.
 * Audits "org.update" before -> after. *after: the record (caller decrefs). */
int ops_org_update(const struct ops_ctx *c, int64_t id, int64_t if_version, const json_t *row,
		   json_t **after, struct ops_err *err);

/* Whether the actor may read and set organisation id's webhook (access_org_webhook; 403). */
int ops_org_may_webhook(const struct ops_ctx *c, int64_t id, struct ops_err *err);
/* Sets organisation id's webhook: url http(s):// (422), active. A new hook, or rotate, gets a
 * new signing secret, copied into secret and *fresh set (shown once); an existing one keeps
 * its own. Audits "org.webhook" with the hook as stored, never the secret. *after: the hook
 * (store_webhook_get's; caller decrefs). */
int ops_org_webhook_set(const struct ops_ctx *c, int64_t id, const char *url, bool active,
			bool rotate, json_t **after, char secret[CRYPTO_TOKEN_CHARS], bool *fresh,
			struct ops_err *err);

#endif
