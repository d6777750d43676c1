/* scan.c - importing a scanner report and changing a finding's status: who may (access_scan),
 * the findings' bookkeeping (store_scan_import), the scan duties a report fulfils and the audit
 * entry. The channels parse the file first (a bad file changes nothing) and keep it on disk. */
#include <stdio.h>
#include <string.h>

#include "core/finding.h"
#include "util/buf.h"
#include "util/str.h"

#include "scan.h"

#define DAY 86400

/* Splits "a,b" into a JSON array of strings (ints when as_int). */
static json_t *split_list(const char *s, bool as_int)
{
	json_t *a = json_array();

	while (a && s && *s) {
		size_t n = strcspn(s, ",");
		int64_t v;

		if (as_int) {
			if (str_to_i64n(s, n, 1, INT64_MAX, &v) == 0)
				json_array_append_new(a, json_integer(v));
		} else if (n > 0) {
			json_array_append_new(a, json_stringn(s, n));
		}
		s += n;
		if (*s == ',')
			s++;
	}
	return a;
}

void ops_scan_list_field(json_t *row, const char *key, bool as_int)
{
	json_object_set_new(row, key, split_list(json_string_value(json_object_get(row, key)),
						 as_int));
}

/* The actor's access to the scans and findings of system id: not readable -> 404, readable
 * but not `a` -> 403. */
static int system_access(const struct ops_ctx *c, int64_t id, enum ac_action a,
			 struct ops_err *err)
{
	struct ac_system sys;
	int rc = store_system_access(c->st, id, &sys);

	if (rc == STORE_ENOTFOUND ||
	    (rc == STORE_OK && !ops_may(c, access_scan(&c->actor.subject, &sys, AC_READ))))
		return ops_refuse(err, 404, "Not found", NULL, M_system_not_found);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (!ops_may(c, access_scan(&c->actor.subject, &sys, a)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_scan_forbidden);
	return OPS_OK;
}

/* Marks done the pending scan duties of the period holding the scan (duties with evidence
 * "scan"): the system owner's or operator's (whoever imports), and an organisation duty per
 * system (the police's monthly scan of critical systems) when the importer's organisation holds
 * it. The report is the evidence. Appends the instance ids to ids. */
static int mark_duties(const struct ops_ctx *c, const struct ops_scan_in *in, int64_t scan_id,
		       int64_t scanned_at, struct buf *ids)
{
	const struct preset *p = c->preset;
	char note[300], sha[17];
	struct msg m;
	int rc = STORE_OK;

	/* the instance's note, which people edit: in Vietnamese, the data's language */
	snprintf(sha, sizeof sha, "%.16s", in->sha256);
	msg_set(&m, M_scan_duty_done_note, MN("scan_id", scan_id), MS("sha256", sha));
	(void)msg_render(&m, MSG_VI, note, sizeof note);
	for (size_t i = 0; p && i < p->nduties && rc == STORE_OK; i++) {
		const struct preset_duty *d = &p->duties[i];
		bool per_system = d->who == PRESET_DUTY_SYSTEM_OWNER ||
				  d->who == PRESET_DUTY_SYSTEM_OPERATOR;
		int64_t months = d->every_months > 0 ? d->every_months : 12, id, eid;

		if (strcmp(d->evidence, "scan") != 0 || (!per_system && in->org_id == 0))
			continue;
		rc = store_duty_pending_for(c->st, d->code, in->system_id,
					    per_system ? 0 : in->org_id, scanned_at,
					    scanned_at + (months * 31 + 1) * DAY, &id);
		if (rc == STORE_ENOTFOUND) {
			rc = STORE_OK;
			continue;
		}
		if (rc == STORE_OK)
			rc = store_duty_done(c->st, id, in->user_id, note,
					     scanned_at < c->now ? scanned_at : c->now);
		/* the evidence row names who uploaded it; a command-line import without --as has
		 * nobody, and the note names the import instead */
		if (rc == STORE_OK && in->user_id != 0)
			rc = store_duty_evidence_add(c->st, id, in->sha256, in->name,
						     "application/xml", in->size, in->user_id, c->now,
						     &eid);
		if (rc == STORE_OK)
			buf_printf(ids, "%s%lld", ids->len ? "," : "", (long long)id);
	}
	return rc;
}

/* The writes of an import, once access is decided. STORE_E* codes. */
static int import_writes(const struct ops_ctx *c, const struct ops_scan_in *in,
			 const struct scan_report *rep, int64_t *scan_id, json_t **after)
{
	struct store_scan_counts counts;
	struct store_scan sc = {
		.system_id = in->system_id,
		.scanner = rep->scanner,
		.format = rep->format,
		.sha256 = in->sha256,
		.name = in->name,
		.size = in->size,
		.scanned_at = rep->scanned_at ? rep->scanned_at : c->now,
		.ignored = (int64_t)rep->ignored,
		.imported_by = in->user_id,
		.now = c->now,
	};
	struct buf ids;
	int64_t added, cancelled;
	int rc;

	buf_init(&ids, 4096);
	rc = store_duty_sync_window(c->st, c->preset, c->now, &added, &cancelled);
	if (rc == STORE_OK)
		rc = store_scan_import(c->st, &sc, rep->items, rep->n, scan_id, &counts);
	if (rc == STORE_OK)
		rc = mark_duties(c, in, *scan_id, sc.scanned_at, &ids);
	if (rc == STORE_OK && ids.len > 0)
		rc = store_scan_set_duties(c->st, *scan_id, ids.p);
	if (rc == STORE_OK)
		rc = store_scan_get(c->st, *scan_id, after);
	if (rc == STORE_OK)
		ops_scan_list_field(*after, "duties", true);
	buf_free(&ids);
	return rc;
}

int ops_scan_import(const struct ops_ctx *c, const struct ops_scan_in *in,
		    const struct scan_report *rep, int64_t *scan_id, json_t **after,
		    struct ops_err *err)
{
	int rc;

	*scan_id = 0;
	*after = NULL;
	rc = system_access(c, in->system_id, AC_CREATE, err);
	if (rc != OPS_OK)
		return rc;
	rc = import_writes(c, in, rep, scan_id, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "scan.import", "scan", *scan_id, NULL, *after);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}

/* The status and note are a valid change: 422 naming the field otherwise. */
static int check_status(const char *status, const char *note, struct ops_err *err)
{
	if (status == NULL || !finding_status_valid(status))
		return ops_refuse(err, 422, "Invalid field", "status", M_finding_status_invalid);
	if (finding_status_needs_note(status) && (note == NULL || note[0] == '\0'))
		return ops_refuse(err, 422, "Invalid field", "note", M_finding_note_required);
	return OPS_OK;
}

int ops_finding_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
		       const char *status, const char *note, json_t **after, struct ops_err *err)
{
	json_t *before = NULL;
	int64_t version = 0;
	int rc = store_finding_get(c->st, id, &before);

	*after = NULL;
	if (rc == STORE_ENOTFOUND)
		return ops_refuse(err, 404, "Not found", NULL, M_not_found);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	rc = system_access(c, json_integer_value(json_object_get(before, "system_id")), AC_EDIT,
			   err);
	if (rc == OPS_OK)
		rc = check_status(status, note, err);
	version = json_integer_value(json_object_get(before, "version"));
	if (rc == OPS_OK)
		rc = ops_version_check(if_version, version, err);
	if (rc != OPS_OK) {
		json_decref(before);
		return rc;
	}
	ops_scan_list_field(before, "cves", false);
	rc = store_finding_set_status(c->st, id, version, status, c->actor.user_id,
				      note ? note : "", c->now);
	if (rc == STORE_OK && (rc = store_finding_get(c->st, id, after)) == STORE_OK)
		ops_scan_list_field(*after, "cves", false);
	if (rc == STORE_OK)
		rc = ops_audit(c, "finding.update", "finding", id, before, *after);
	json_decref(before);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}
