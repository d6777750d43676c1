/* scan.h - scanner reports of an information system and the findings they track (docs/scan.md):
 * the import of a parsed report and a finding's status change, whatever the channel (the API's
 * upload, `ungcuu import scan`). */
#ifndef UNGCUU_OPS_SCAN_H
#define UNGCUU_OPS_SCAN_H
#include "importer/scan.h"
#include "ops.h"

/* A parsed report to import: its file is kept by its SHA-256 before the transaction. */
struct ops_scan_in {
	int64_t system_id;
	const char *sha256; /* hex, of the file */
	const char *name;   /* the file's name */
	int64_t size;       /* bytes */
	int64_t user_id;    /* who imports, named on the import and its evidence: the actor's
			     * account, the command line's --as account, 0 for none */
	int64_t org_id;     /* that account's organisation (its organisation duties), 0 for none */
};
/* Imports a parsed report into system in->system_id: the actor may import scans of it (404
 * when it may not read it, 403). Syncs the duty calendar, records the import and its findings
 * (deduplicated, closed when no longer seen, reopened when back), marks done the scan duties of
 * the period holding the scan with the report as evidence, audits "scan.import". Sets *scan_id
 * and *after (the import with its counts and duty ids; caller decrefs). */
int ops_scan_import(const struct ops_ctx *c, const struct ops_scan_in *in,
		    const struct scan_report *rep, int64_t *scan_id, json_t **after,
		    struct ops_err *err);

/* Sets a finding's status ("open", "fixed", "accepted_risk", "false_positive") with a note
 * (NULL: none; required to accept a risk or call a false positive, 422): the actor may change
 * the findings of its system (404/403), if_version (0: any) is its version (412). Audits
 * "finding.update" before -> after. *after: the finding (caller decrefs). */
int ops_finding_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
		       const char *status, const char *note, json_t **after, struct ops_err *err);

/* Replaces row[key], a comma-separated list as the store keeps it, by a JSON array (of
 * integers when as_int): an import's duty ids, a finding's CVEs. */
void ops_scan_list_field(json_t *row, const char *key, bool as_int);

#endif
