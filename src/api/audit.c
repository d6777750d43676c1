/* audit.c - the audit trail for auditors: read, and verify the hash chain. */
#include <string.h>

#include "api.h"

#define AUDIT_PAGE 200	     /* entries read from the store at once */
#define AUDIT_SCAN_MAX 5000 /* entries looked at for one answer; past that the page ends early */

static int64_t ji(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Whether the caller may read the object an audit entry is about, under that object's own
 * access rule: the entry tells what was done to the object, and its before/after hold the
 * object's content (a scan or a finding is read as its system, docs/scan.md). Objects of the directory and the platform (accounts, organisations,
 * tokens, settings, backups, the instance) are what auditors are for; anything else, or an
 * object that no longer resolves, is withheld. */
static bool entry_readable(const struct api_ctx *cx, const char *type, int64_t id)
{
	struct ac_warning aw;
	struct ac_system as;
	json_t *row = NULL;
	bool ok = false;

	if (strcmp(type, "incident") == 0)
		return api_incident_readable(cx, id);
	if (strcmp(type, "warning") == 0)
		return store_warning_access(api_store(), id, cx->subject.org_id, &aw) == STORE_OK &&
		       access_warning(&cx->subject, &aw, AC_READ);
	if (strcmp(type, "system") == 0)
		return store_system_access(api_store(), id, &as) == STORE_OK &&
		       access_system(&cx->subject, &as, AC_READ);
	if (strcmp(type, "request") == 0) {
		if (store_request_get(api_store(), id, &row) == STORE_OK)
			ok = api_incident_readable(cx, ji(row, "incident_id"));
	} else if (strcmp(type, "duty") == 0) {
		if (store_duty_get(api_store(), id, &row) == STORE_OK)
			ok = access_duty(&cx->subject, ji(row, "org_id"), AC_READ);
	} else if (strcmp(type, "scan") == 0 || strcmp(type, "finding") == 0) {
		if ((type[0] == 's' ? store_scan_get(api_store(), id, &row)
				    : store_finding_get(api_store(), id, &row)) == STORE_OK &&
		    store_system_access(api_store(), ji(row, "system_id"), &as) == STORE_OK)
			ok = access_scan(&cx->subject, &as, AC_READ);
	} else if (strcmp(type, "mail_quarantine") == 0) {
		ok = access_mail_quarantine(&cx->subject);
	} else if (strcmp(type, "document") == 0) {
		if (store_document_get(api_store(), id, &row) == STORE_OK)
			ok = api_documents_readable(cx, row);
	} else {
		static const char *const platform[] = {"user", "org", "token", "settings", "backup",
						       "", NULL};

		for (size_t i = 0; platform[i] != NULL && !ok; i++)
			ok = strcmp(type, platform[i]) == 0;
	}
	json_decref(row);
	return ok;
}

/* Appends to items the entries of one store page the caller may read, up to limit; sets *last
 * to the id of the last entry looked at (the cursor to go on from). Returns how many it looked
 * at before items was full. */
static size_t take_readable(const struct api_ctx *cx, json_t *page, json_t *items, size_t limit,
			    int64_t *last)
{
	size_t i, n = json_array_size(page);

	for (i = 0; i < n && json_array_size(items) < limit; i++) {
		json_t *e = json_array_get(page, i);
		const char *type = json_string_value(json_object_get(e, "object_type"));

		*last = ji(e, "id");
		if (entry_readable(cx, type != NULL ? type : "", ji(e, "object_id")))
			json_array_append(items, e);
	}
	return i;
}

int api_audit_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	const char *type = http_query(req, "object_type");
	int64_t before, limit, object_id, user_id, next = 0, last = 0;
	json_t *items = NULL, *page = NULL;
	size_t scanned = 0, used;
	int rc;

	if (!access_audit(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL, M_audit_forbidden);
	if (type && strlen(type) > 32)
		return http_res_problem(res, 400, "Invalid parameter", "object_type",
					M_audit_type_too_long, MN("max", 32));
	/* at most AUDIT_PAGE a page: what store_audit_list accepts */
	if (api_query_page(req, res, 100, AUDIT_PAGE, &limit, &before) != 0 ||
	    api_query_int(req, "object_id", 0, INT64_MAX, 0, res, &object_id) != 0 ||
	    api_query_int(req, "user_id", 0, INT64_MAX, 0, res, &user_id) != 0)
		return 0;
	items = json_array();
	/* Entries the caller may not read are skipped, so one answer may read several pages of
	 * the store; it ends early (with a cursor) rather than scan the whole trail. */
	do {
		rc = store_audit_list(api_store(), before, AUDIT_PAGE, type && type[0] ? type : NULL,
				      object_id, user_id, &page, &next);
		if (rc != STORE_OK) {
			json_decref(items);
			return api_store_error(res, rc);
		}
		used = take_readable(cx, page, items, (size_t)limit, &last);
		scanned += used;
		/* more to read: entries left in this page, or another page */
		next = used < json_array_size(page) || next != 0 ? last : 0;
		json_decref(page);
		page = NULL;
		before = next;
	} while (next != 0 && json_array_size(items) < (size_t)limit && scanned < AUDIT_SCAN_MAX);
	return http_res_json(res, 200,
			     json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       next ? json_integer(next) : json_null()));
}

int api_audit_verify(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	int64_t bad = 0, count = 0;
	int rc;

	if (!access_audit(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL, M_audit_verify_forbidden);
	rc = store_audit_verify(api_store(), &bad, &count);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200,
			     json_pack("{s:b, s:I, s:o}", "intact", bad == 0, "entries",
				       (json_int_t)count, "first_broken_id",
				       bad ? json_integer(bad) : json_null()));
}
