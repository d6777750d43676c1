/* exchange.c - an imported STIX bundle or MISP event becomes a draft warning (docs/stix.md):
 * the rules of the draft itself; the files' own rules are their readers' (api/stix_import.c,
 * api/misp.c). */
#include <stdio.h>

#include "core/codes.h"
#include "core/stix.h"
#include "exchange.h"
#include "warning.h"

int ops_exchange_may_import(const struct ops_ctx *c, struct ops_err *err)
{
	struct ac_warning own = {.issuer_org_id = c->actor.subject.org_id};

	if (!ops_may(c, access_warning(&c->actor.subject, &own, AC_CREATE)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_warning_org_may_not_issue);
	return OPS_OK;
}

/* The preset's severity of a rank, else the first. */
static const struct preset_item *severity_of(const struct preset *p, int rank)
{
	for (size_t i = 0; i < p->nseverities; i++)
		if (p->severities[i].rank == rank)
			return &p->severities[i];
	return p->nseverities ? &p->severities[0] : NULL;
}

/* The draft's row: the actor's organisation issues it, the rank's severity, TLP:AMBER unless
 * the file said. NULL when it cannot be made. */
static json_t *draft_row(const struct ops_ctx *c, const struct ops_import *in)
{
	const struct preset_item *sev =
		severity_of(c->preset, in->severity_rank ? in->severity_rank : 2);

	if (sev == NULL)
		return NULL;
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:O, s:s, s:s, s:I}", "issuer_org_id",
			 (json_int_t)c->actor.subject.org_id, "title",
			 in->title ? in->title : in->source, "description",
			 in->description ? in->description : "", "severity", sev->code,
			 "severity_rank", sev->rank, "tlp", in->tlp >= 0 ? in->tlp : TLP_AMBER, "refs",
			 in->refs, "actions", in->actions ? in->actions : "", "source", in->source,
			 "created_by", (json_int_t)c->actor.user_id);
}

int ops_exchange_import(const struct ops_ctx *c, const struct ops_import *in, json_t **after,
			struct ops_err *err)
{
	char ref[32] = "", rid[STIX_ID_MAX], action[48];
	json_t *w = NULL, *out = NULL;
	int64_t id = 0;
	int rc;

	*after = NULL;
	rc = ops_exchange_may_import(c, err);
	if (rc != OPS_OK)
		return rc;
	w = draft_row(c, in);
	rc = w ? store_stix_warning_create(c->st, w, in->indicators, in->format, &id, ref, sizeof ref)
	       : STORE_EIO;
	if (rc == STORE_OK)
		rc = ops_warning_stix_id(c->st, id, ref, rid, sizeof rid);
	if (rc == STORE_OK) {
		out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)id,
				"ref", ref, "status", "draft", "title",
				json_string_value(json_object_get(w, "title")), "tlp",
				codes_tlp_name((int)json_integer_value(json_object_get(w, "tlp"))),
				"source", in->source, "stix_id", rid, "indicators",
				(json_int_t)json_array_size(in->indicators), "references",
				(json_int_t)json_array_size(in->refs));
		rc = out ? STORE_OK : STORE_EIO;
	}
	snprintf(action, sizeof action, "warning.import_%s", in->format);
	if (rc == STORE_OK)
		rc = ops_audit(c, action, "warning", id, NULL, out);
	rc = ops_store(err, rc);
	if (rc == OPS_OK) {
		*after = out;
		out = NULL;
	}
	json_decref(w);
	json_decref(out);
	return rc;
}
