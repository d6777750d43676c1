/* sqlite_warning.c - warnings (cảnh báo, 000 Đ7.4; 003 §1; 002 Đ7.2c): drafts, issuing with
 * targeting and matching, acknowledgement and per-system status reports, the live tracking
 * table, and the unique firings of the "warning_unanswered" escalation. docs/warnings.md. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "msg_json.h"
#include "util/str.h"
#include "util/tm.h"

static const struct sq_col warning_cols[] = {
	{"issuer_org_id", SQK_INT, SQC_CREATE | SQC_REQUIRED, 0},
	{"title", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"description", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"severity", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"severity_rank", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"tlp", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"legal_basis", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"refs", SQK_OBJ, SQC_CREATE | SQC_UPDATE, 0},
	{"products", SQK_OBJ, SQC_CREATE | SQC_UPDATE, 0},
	{"actions", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"due_at", SQK_INT, SQC_CREATE | SQC_UPDATE, 0},
	{"target", SQK_OBJ, SQC_CREATE | SQC_UPDATE, 0},
	{"source", SQK_TEXT, SQC_CREATE, 0},
	{"stix_id", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"created_by", SQK_REF, SQC_CREATE, 0},
};

static const struct sq_table warning_table = {"warnings", warning_cols, SQ_NELEM(warning_cols)};

static const char warning_insert_sql[] =
	"INSERT INTO warnings(issuer_org_id, title, description, severity, severity_rank, tlp, "
	"legal_basis, refs, products, actions, due_at, target, source, stix_id, created_by, ref, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	"?14, ?15, ?16, ?17, ?17)";

static int next_ref(struct store *st, int64_t now, char *ref, size_t refsz)
{
	char name[32];
	sqlite3_stmt *s;
	int year, mo, d, h, mi, sec, rc;

	tm_vn_fields(now, &year, &mo, &d, &h, &mi, &sec);
	snprintf(name, sizeof name, "warning-%04d", year);
	rc = sq_stmt(st, SQ_WARNING_COUNTER,
		     "INSERT INTO counters(name, value) VALUES (?1, 1) ON CONFLICT(name) "
		     "DO UPDATE SET value = value + 1 RETURNING value",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, name);
	rc = sq_step_row(st, s, "warning counter");
	if (rc == STORE_ENOTFOUND)
		rc = STORE_EIO;
	if (rc == STORE_OK &&
	    snprintf(ref, refsz, "CB-%04d-%06lld", year, (long long)sqlite3_column_int64(s, 0)) >=
		    (int)refsz)
		rc = STORE_EIO;
	sq_done(s);
	return rc;
}

/* Adds the indicators [{kind, value}] of a warning. */
static int put_indicators(struct store *st, int64_t id, const json_t *inds, const char *source,
			  int64_t now)
{
	const json_t *v;
	size_t i;
	int rc = STORE_OK;

	if (inds == NULL || json_is_null(inds))
		return STORE_OK;
	if (!json_is_array(inds))
		return STORE_EINVAL;
	json_array_foreach(inds, i, v) {
		rc = store_indicator_add(st, "warning", id,
					 json_string_value(json_object_get(v, "kind")),
					 json_string_value(json_object_get(v, "value")),
					 source && source[0] ? source : "api", now);
		if (rc != STORE_OK)
			break;
	}
	return rc;
}

int store_warning_create(struct store *st, const json_t *w, int64_t *id, char *ref)
{
	json_t *row = json_deep_copy(w);
	char r[32];
	sqlite3_stmt *s = NULL;
	int64_t now = tm_now(), new_id = 0;
	int rc, n;

	*id = 0;
	if (row == NULL || !json_is_object(row))
		return json_decref(row), STORE_EINVAL;
	/* absent lists and target are empty, not "{}" */
	if (json_object_get(row, "refs") == NULL)
		json_object_set_new(row, "refs", json_array());
	if (json_object_get(row, "products") == NULL)
		json_object_set_new(row, "products", json_array());
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		return json_decref(row), rc;
	rc = next_ref(st, now, r, sizeof r);
	if (rc == STORE_OK)
		rc = sq_stmt(st, SQ_WARNING_INSERT, warning_insert_sql, &s);
	if (rc == STORE_OK) {
		rc = sq_bind_create(st, s, row, warning_cols, SQ_NELEM(warning_cols), &n);
		sq_bind_text(st, s, n + 1, r);
		sq_bind_int(st, s, n + 2, now);
		if (rc == STORE_OK)
			rc = sq_step_done(st, s, "warning create");
		if (rc == STORE_OK)
			new_id = sqlite3_last_insert_rowid(st->db);
		sq_done(s);
	}
	if (rc == STORE_OK)
		rc = put_indicators(st, new_id, json_object_get(row, "indicators"),
				    json_string_value(json_object_get(row, "source")), now);
	json_decref(row);
	rc = sq_finish(st, rc);
	if (rc == STORE_OK) {
		*id = new_id;
		if (ref)
			str_copy(ref, 32, r);
	}
	return rc;
}

int store_warning_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	json_t *w = NULL, *inds = NULL;
	int rc = sq_stmt(st, SQ_WARNING_GET,
			 "SELECT w.id, w.ref, w.issuer_org_id, o.name AS issuer_name, w.title, "
			 "w.description, w.severity, w.severity_rank, w.tlp, w.legal_basis, w.refs, "
			 "w.products, w.actions, w.due_at, w.status, w.target, w.source, w.stix_id, "
			 "w.issued_at, w.created_by, w.version, w.created_at, w.updated_at FROM "
			 "warnings w JOIN orgs o ON o.id = w.issuer_org_id WHERE w.id = ?1",
			 &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "warning get", &w);
	sq_done(s);
	if (rc == STORE_OK)
		rc = store_indicator_list(st, "warning", id, &inds);
	if (rc == STORE_OK)
		rc = sq_set(w, "indicators", inds);
	if (rc != STORE_OK)
		return json_decref(w), rc;
	*out = w;
	return STORE_OK;
}

int store_warning_find(struct store *st, const char *stix_id, const char *ref, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_WARNING_FIND,
			 "SELECT id FROM warnings WHERE (?1 <> '' AND stix_id = ?1) OR (?2 <> '' AND "
			 "ref = ?2) ORDER BY id LIMIT 1",
			 &s);

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, stix_id ? stix_id : "");
	sq_bind_text(st, s, 2, ref ? ref : "");
	rc = sq_step_row(st, s, "warning find");
	if (rc == STORE_OK)
		*id = sqlite3_column_int64(s, 0);
	sq_done(s);
	return rc;
}

int store_warning_access(struct store *st, int64_t id, int64_t subject_org_id,
			 struct ac_warning *out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_WARNING_ACCESS,
			 "SELECT w.issuer_org_id, w.tlp, w.status, t.reason, w.issued_at FROM warnings "
			 "w LEFT JOIN "
			 "warning_targets t ON t.warning_id = w.id AND t.org_id = ?2 WHERE w.id = ?1",
			 &s);

	memset(out, 0, sizeof *out);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_int(st, s, 2, subject_org_id);
	rc = sq_step_row(st, s, "warning access");
	if (rc == STORE_OK) {
		const char *status = (const char *)sqlite3_column_text(s, 2);
		const char *reason = (const char *)sqlite3_column_text(s, 3);

		out->issuer_org_id = sqlite3_column_int64(s, 0);
		out->tlp = sqlite3_column_int(s, 1);
		/* never issued (a draft, or one withdrawn as a draft): the issuer's alone */
		out->draft = sqlite3_column_int64(s, 4) == 0;
		out->open = status && strcmp(status, "issued") == 0;
		out->targeted = reason != NULL;
		out->named = reason != NULL && strcmp(reason, "list") == 0;
		out->published = status && (strcmp(status, "issued") == 0 ||
					    strcmp(status, "closed") == 0);
	}
	sq_done(s);
	return rc;
}

/* The scope of access_warning_scope: own (issuer, any status), targeted (issued; TLP:RED only
 * when named), every one ever issued below RED for the coordinator (?3), and issued or closed
 * TLP:CLEAR/GREEN ones for everyone (tlp 0, 1: the community TLPs). */
static const char warning_list_sql[] =
	"SELECT w.id, w.ref, w.title, w.severity, w.tlp, w.status, w.issuer_org_id, "
	"o.name AS issuer_name, w.due_at, w.issued_at, w.created_at, "
	"(SELECT count(*) FROM warning_targets x WHERE x.warning_id = w.id) AS targets, "
	"(SELECT count(*) FROM warning_targets x WHERE x.warning_id = w.id AND x.acked_at > 0) AS "
	"acked, "
	"t.reason AS my_reason, t.acked_at AS my_acked_at, t.responded_at AS my_responded_at, "
	"(SELECT count(*) FROM warning_systems y WHERE y.warning_id = w.id AND y.org_id = ?1 AND "
	"y.status IN ('unknown', 'affected', 'fixing')) AS my_open "
	"FROM warnings w JOIN orgs o ON o.id = w.issuer_org_id LEFT JOIN warning_targets t ON "
	"t.warning_id = w.id AND t.org_id = ?1 "
	"WHERE w.id < ?2 AND (w.issuer_org_id = ?1 OR (t.org_id IS NOT NULL AND w.issued_at > 0 "
	"AND (w.tlp < 4 OR t.reason = 'list')) OR (?3 <> 0 AND w.tlp < 4 AND w.issued_at > 0) OR "
	"(w.tlp <= 1 AND w.status IN ('issued', 'closed'))) AND (?4 = '' OR w.status = ?4) AND "
	"(?5 = 0 OR w.issuer_org_id = ?5) AND "
	"(?6 = '' OR w.severity = ?6) AND (?7 = 0 OR t.org_id IS NOT NULL) "
	"ORDER BY w.id DESC LIMIT ?8";

int store_warning_list(struct store *st, const struct ac_scope *scope,
		       const struct store_warning_filter *f, json_t **out, int64_t *next)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	*next = 0;
	if (scope->none) {
		*out = json_array();
		return *out ? STORE_OK : STORE_EIO;
	}
	rc = sq_stmt(st, SQ_WARNING_LIST, warning_list_sql, &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, scope->org_id);
	sq_bind_int(st, s, 2, f->before_id > 0 ? f->before_id : INT64_MAX);
	sq_bind_int(st, s, 3, scope->all_below_red ? 1 : 0);
	sq_bind_text(st, s, 4, f->status ? f->status : "");
	sq_bind_int(st, s, 5, f->issuer_org_id);
	sq_bind_text(st, s, 6, f->severity ? f->severity : "");
	sq_bind_int(st, s, 7, f->mine ? 1 : 0);
	sq_bind_int(st, s, 8, (int64_t)f->limit + 1);
	rc = sq_rows_json(st, s, "warning list", out);
	sq_done(s);
	if (rc == STORE_OK && json_array_size(*out) > (size_t)f->limit) {
		json_array_remove(*out, (size_t)f->limit);
		*next = json_integer_value(
			json_object_get(json_array_get(*out, (size_t)f->limit - 1), "id"));
	}
	return rc;
}

static const char *const warning_skip[] = {"indicators", NULL};

int store_warning_update(struct store *st, int64_t id, int64_t version, const json_t *fields)
{
	const json_t *inds = json_object_get(fields, "indicators");
	int rc = sq_savepoint(st);

	if (rc != STORE_OK)
		return rc;
	rc = sq_update(st, &warning_table, id, version, fields, warning_skip);
	if (rc == STORE_OK && inds != NULL) {
		int64_t ints[] = {id};
		sqlite3_stmt *s;

		rc = sq_stmt(st, SQ_WARNING_IND_CLEAR, "DELETE FROM indicators WHERE warning_id = ?1",
			     &s);
		if (rc == STORE_OK) {
			sq_bind_int(st, s, 1, ints[0]);
			rc = sq_step_done(st, s, "warning indicators clear");
			sq_done(s);
		}
		if (rc == STORE_OK)
			rc = sq_stmt(st, SQ_WARNING_IND_RELATED_CLEAR,
				     "DELETE FROM related WHERE (a_kind = 'warning' AND a_id = ?1) OR "
				     "(b_kind = 'warning' AND b_id = ?1)",
				     &s);
		if (rc == STORE_OK) {
			sq_bind_int(st, s, 1, id);
			rc = sq_step_done(st, s, "warning related clear");
			sq_done(s);
		}
		if (rc == STORE_OK)
			rc = put_indicators(st, id, inds, "api", tm_now());
	}
	return sq_finish(st, rc);
}

int store_warning_set_status(struct store *st, int64_t id, const char *status, int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_WARNING_STATUS,
			 "UPDATE warnings SET status = ?2, issued_at = CASE WHEN ?2 = 'issued' THEN "
			 "?3 ELSE issued_at END, version = version + 1, updated_at = ?3 WHERE id = ?1",
			 &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	sq_bind_text(st, s, 2, status);
	sq_bind_int(st, s, 3, now);
	rc = sq_step_done(st, s, "warning status");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
	sq_done(s);
	return rc;
}

int store_warning_notify(struct store *st, const char *event, int64_t org_id, int64_t warning_id,
			 const json_t *extra, int64_t now)
{
	json_t *payload = extra ? json_deep_copy(extra) : json_object();
	char *text;
	sqlite3_stmt *s;
	int rc;

	if (payload == NULL || org_id <= 0)
		return json_decref(payload), STORE_EINVAL;
	json_object_set_new(payload, "warning_id", json_integer(warning_id));
	text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(payload);
	if (text == NULL)
		return STORE_EIO;
	rc = sq_stmt(st, SQ_WARNING_NOTIFY,
		     "INSERT INTO outbox(event, org_id, incident_id, payload, created_at) VALUES "
		     "(?1, ?2, NULL, ?3, ?4)",
		     &s);
	if (rc == STORE_OK) {
		sq_bind_text(st, s, 1, event);
		sq_bind_int(st, s, 2, org_id);
		sq_bind_text(st, s, 3, text);
		sq_bind_int(st, s, 4, now);
		rc = sq_step_done(st, s, "warning notify");
		sq_done(s);
	}
	free(text);
	return rc;
}

/* ---- issuing ---- */

struct issue {
	struct store *st;
	int64_t id, issuer, now;
	json_t *targets; /* "org id" -> reason */
	int64_t ntargets, nsystems;
};

static void target(struct issue *is, int64_t org, const char *reason)
{
	char key[32];

	if (org <= 0)
		return;
	snprintf(key, sizeof key, "%lld", (long long)org);
	if (json_object_get(is->targets, key) == NULL)
		json_object_set_new(is->targets, key, json_string(reason));
}

/* Every active organisation (but the issuer) of a role code, or of any role when role is NULL. */
static int target_orgs(struct issue *is, const char *role)
{
	sqlite3_stmt *s;
	int rc = role ? sq_stmt(is->st, SQ_WARNING_ORGS_ROLE,
				"SELECT id FROM orgs WHERE active = 1 AND role = ?1 AND id <> ?2", &s)
		      : sq_stmt(is->st, SQ_WARNING_ORGS_ALL,
				"SELECT id FROM orgs WHERE active = 1 AND id <> ?2 AND ?1 = ''", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_text(is->st, s, 1, role ? role : "");
	sq_bind_int(is->st, s, 2, is->issuer);
	while ((rc = sq_step_row(is->st, s, "warning orgs")) == STORE_OK)
		target(is, sqlite3_column_int64(s, 0), role ? "role" : "all");
	sq_done(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

static int target_list(struct issue *is, const json_t *orgs)
{
	const json_t *v;
	size_t i;
	int rc = STORE_OK;

	json_array_foreach(orgs, i, v) {
		sqlite3_stmt *s;

		rc = sq_stmt(is->st, SQ_WARNING_ORG_ACTIVE,
			     "SELECT 1 FROM orgs WHERE id = ?1 AND active = 1", &s);
		if (rc != STORE_OK)
			return rc;
		sq_bind_int(is->st, s, 1, json_integer_value(v));
		rc = sq_step_row(is->st, s, "warning org");
		sq_done(s);
		if (rc == STORE_ENOTFOUND)
			return STORE_EINVAL;
		if (rc != STORE_OK)
			return rc;
		target(is, json_integer_value(v), "list");
	}
	return rc;
}

/* The systems matched, recorded under the organisation answering for each: its owner when the
 * owner is targeted, else its operator. */
static int record_systems(struct issue *is, const json_t *systems)
{
	const json_t *sys;
	size_t i;
	int rc = STORE_OK;

	json_array_foreach(systems, i, sys) {
		int64_t owner = json_integer_value(json_object_get(sys, "owner_org_id"));
		int64_t oper = json_integer_value(json_object_get(sys, "operator_org_id"));
		char ko[32], kp[32], *matched;
		int64_t org = 0;
		sqlite3_stmt *s;

		snprintf(ko, sizeof ko, "%lld", (long long)owner);
		snprintf(kp, sizeof kp, "%lld", (long long)oper);
		if (json_object_get(is->targets, ko))
			org = owner;
		else if (json_object_get(is->targets, kp))
			org = oper;
		if (org == 0)
			continue;
		matched = json_dumps(json_object_get(sys, "matched"), JSON_COMPACT);
		if (matched == NULL)
			return STORE_EIO;
		rc = sq_stmt(is->st, SQ_WARNING_SYSTEM_MATCH,
			     "INSERT INTO warning_systems(warning_id, system_id, org_id, matched) "
			     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(warning_id, system_id) DO UPDATE SET "
			     "matched = excluded.matched",
			     &s);
		if (rc == STORE_OK) {
			sq_bind_int(is->st, s, 1, is->id);
			sq_bind_int(is->st, s, 2, json_integer_value(json_object_get(sys, "system_id")));
			sq_bind_int(is->st, s, 3, org);
			sq_bind_text(is->st, s, 4, matched);
			rc = sq_step_done(is->st, s, "warning system");
			sq_done(s);
		}
		free(matched);
		if (rc != STORE_OK)
			return rc;
		is->nsystems++;
	}
	return rc;
}

static int write_targets(struct issue *is)
{
	const char *key;
	json_t *reason;
	int rc = STORE_OK;

	json_object_foreach(is->targets, key, reason) {
		sqlite3_stmt *s;
		int64_t org = 0;

		str_to_i64(key, 1, INT64_MAX, &org);
		rc = sq_stmt(is->st, SQ_WARNING_TARGET_ADD,
			     "INSERT OR IGNORE INTO warning_targets(warning_id, org_id, reason, "
			     "added_at) VALUES (?1, ?2, ?3, ?4)",
			     &s);
		if (rc != STORE_OK)
			return rc;
		sq_bind_int(is->st, s, 1, is->id);
		sq_bind_int(is->st, s, 2, org);
		sq_bind_text(is->st, s, 3, json_string_value(reason));
		sq_bind_int(is->st, s, 4, is->now);
		rc = sq_step_done(is->st, s, "warning target");
		sq_done(s);
		if (rc == STORE_OK)
			rc = store_warning_notify(is->st, "warning", org, is->id, NULL, is->now);
		if (rc != STORE_OK)
			return rc;
		is->ntargets++;
	}
	return rc;
}

static int link_related(struct issue *is, const json_t *hits)
{
	const json_t *h;
	size_t i;
	int rc = STORE_OK;

	json_array_foreach(hits, i, h) {
		rc = store_related_add(is->st, "warning", is->id,
				       json_string_value(json_object_get(h, "owner_kind")),
				       json_integer_value(json_object_get(h, "owner_id")),
				       json_string_value(json_object_get(h, "value")), is->now);
		if (rc != STORE_OK)
			break;
	}
	return rc;
}

int store_warning_issue(struct store *st, int64_t id, int64_t now, int64_t *targets,
			int64_t *systems)
{
	struct issue is = {.st = st, .id = id, .now = now};
	json_t *w = NULL, *m = NULL, *tg, *v;
	const char *mode;
	size_t i;
	int rc;

	*targets = *systems = 0;
	rc = store_warning_get(st, id, &w);
	if (rc != STORE_OK)
		return rc;
	is.issuer = json_integer_value(json_object_get(w, "issuer_org_id"));
	is.targets = json_object();
	tg = json_object_get(w, "target");
	mode = json_string_value(json_object_get(tg, "mode"));
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		goto out;
	rc = store_match(st, json_object_get(w, "indicators"), json_object_get(w, "products"),
			 "warning", id, &m);
	if (rc == STORE_OK && mode && strcmp(mode, "all") == 0)
		rc = target_orgs(&is, NULL);
	else if (rc == STORE_OK && mode && strcmp(mode, "roles") == 0)
		json_array_foreach(json_object_get(tg, "roles"), i, v) {
			if (rc != STORE_OK)
				break;
			rc = target_orgs(&is, json_string_value(v));
		}
	else if (rc == STORE_OK && mode && strcmp(mode, "orgs") == 0)
		rc = target_list(&is, json_object_get(tg, "orgs"));
	else if (rc == STORE_OK && mode && strcmp(mode, "match") == 0)
		json_array_foreach(json_object_get(m, "systems"), i, v) {
			target(&is, json_integer_value(json_object_get(v, "owner_org_id")), "match");
			target(&is, json_integer_value(json_object_get(v, "operator_org_id")), "match");
		}
	else if (rc == STORE_OK)
		rc = STORE_EINVAL;
	/* matching is done whatever the mode: the issuer does not target itself */
	json_object_del(is.targets, "0");
	{
		char k[32];

		snprintf(k, sizeof k, "%lld", (long long)is.issuer);
		json_object_del(is.targets, k);
	}
	if (rc == STORE_OK)
		rc = write_targets(&is);
	if (rc == STORE_OK)
		rc = record_systems(&is, json_object_get(m, "systems"));
	if (rc == STORE_OK)
		rc = link_related(&is, json_object_get(m, "indicators"));
	if (rc == STORE_OK)
		rc = store_warning_set_status(st, id, "issued", now);
	rc = sq_finish(st, rc);
	if (rc == STORE_OK) {
		*targets = is.ntargets;
		*systems = is.nsystems;
	}
out:
	json_decref(w);
	json_decref(m);
	json_decref(is.targets);
	return rc;
}

/* ---- answers ---- */

/* responded_at = now when the organisation acknowledged and reported every system of it (kept
 * when it was set already), else 0. */
static int responded(struct store *st, int64_t wid, int64_t org, int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_WARNING_RESPONDED,
			 "UPDATE warning_targets SET responded_at = CASE WHEN acked_at > 0 AND NOT "
			 "EXISTS (SELECT 1 FROM warning_systems y WHERE y.warning_id = ?1 AND "
			 "y.org_id = ?2 AND y.status = 'unknown') THEN (CASE WHEN responded_at > 0 "
			 "THEN responded_at ELSE ?3 END) ELSE 0 END WHERE warning_id = ?1 AND "
			 "org_id = ?2",
			 &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, wid);
	sq_bind_int(st, s, 2, org);
	sq_bind_int(st, s, 3, now);
	rc = sq_step_done(st, s, "warning responded");
	sq_done(s);
	return rc;
}

int store_warning_ack(struct store *st, int64_t warning_id, int64_t org_id, int64_t user_id,
		      int64_t now)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_WARNING_ACK,
			 "UPDATE warning_targets SET acked_at = CASE WHEN acked_at = 0 THEN ?3 ELSE "
			 "acked_at END, acked_by = CASE WHEN acked_at = 0 THEN ?4 ELSE acked_by END "
			 "WHERE warning_id = ?1 AND org_id = ?2",
			 &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, warning_id);
	sq_bind_int(st, s, 2, org_id);
	sq_bind_int(st, s, 3, now);
	sq_bind_ref(st, s, 4, user_id);
	rc = sq_step_done(st, s, "warning ack");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_ENOTFOUND;
	sq_done(s);
	return rc == STORE_OK ? responded(st, warning_id, org_id, now) : rc;
}

static void bind_opt_text(struct store *st, sqlite3_stmt *s, int i, const json_t *v)
{
	if (json_is_string(v))
		sq_bind_text(st, s, i, json_string_value(v));
	else
		sqlite3_bind_null(s, i);
}

int store_warning_report(struct store *st, int64_t warning_id, int64_t system_id, int64_t org_id,
			 const json_t *fields, int64_t user_id, int64_t now)
{
	sqlite3_stmt *s;
	int64_t row_org = org_id;
	int rc = sq_savepoint(st);

	if (rc != STORE_OK)
		return rc;
	rc = sq_stmt(st, SQ_WARNING_REPORT_UPSERT,
		     "INSERT INTO warning_systems(warning_id, system_id, org_id, status, note, "
		     "evidence_sha256, evidence_name, incident_id, updated_by, updated_at) VALUES "
		     "(?1, ?2, ?3, coalesce(?4, 'unknown'), coalesce(?5, ''), coalesce(?6, ''), "
		     "coalesce(?7, ''), ?8, ?9, ?10) ON CONFLICT(warning_id, system_id) DO UPDATE SET "
		     "status = coalesce(?4, status), note = coalesce(?5, note), evidence_sha256 = "
		     "coalesce(?6, evidence_sha256), evidence_name = coalesce(?7, evidence_name), "
		     "incident_id = coalesce(?8, incident_id), updated_by = ?9, updated_at = ?10",
		     &s);
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, warning_id);
		sq_bind_int(st, s, 2, system_id);
		sq_bind_int(st, s, 3, org_id);
		bind_opt_text(st, s, 4, json_object_get(fields, "status"));
		bind_opt_text(st, s, 5, json_object_get(fields, "note"));
		bind_opt_text(st, s, 6, json_object_get(fields, "evidence_sha256"));
		bind_opt_text(st, s, 7, json_object_get(fields, "evidence_name"));
		sq_bind_ref(st, s, 8, json_integer_value(json_object_get(fields, "incident_id")));
		sq_bind_ref(st, s, 9, user_id);
		sq_bind_int(st, s, 10, now);
		rc = sq_step_done(st, s, "warning report");
		sq_done(s);
	}
	if (rc == STORE_OK)
		rc = sq_stmt(st, SQ_WARNING_ROW_ORG,
			     "SELECT org_id FROM warning_systems WHERE warning_id = ?1 AND "
			     "system_id = ?2",
			     &s);
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, warning_id);
		sq_bind_int(st, s, 2, system_id);
		if ((rc = sq_step_row(st, s, "warning row org")) == STORE_OK)
			row_org = sqlite3_column_int64(s, 0);
		sq_done(s);
	}
	if (rc == STORE_OK)
		rc = responded(st, warning_id, org_id, now);
	if (rc == STORE_OK && row_org != org_id)
		rc = responded(st, warning_id, row_org, now);
	return sq_finish(st, rc);
}

int store_warning_tracking(struct store *st, int64_t warning_id, int64_t org_id, json_t **out)
{
	sqlite3_stmt *s;
	json_t *orgs = NULL, *systems = NULL, *by = json_object(), *v;
	size_t i;
	int rc = sq_stmt(st, SQ_WARNING_TRACK_ORGS,
			 "SELECT t.org_id, o.name AS org_name, o.role AS org_role, t.reason, "
			 "t.acked_at, u.full_name AS acked_by_name, t.responded_at, (SELECT "
			 "min(f.fired_at) FROM warning_firings f WHERE f.warning_id = t.warning_id AND "
			 "f.org_id = t.org_id) AS escalated_at FROM warning_targets t JOIN orgs o ON "
			 "o.id = t.org_id LEFT JOIN users u ON u.id = t.acked_by WHERE t.warning_id = "
			 "?1 AND (?2 = 0 OR t.org_id = ?2) ORDER BY o.name, t.org_id",
			 &s);

	*out = NULL;
	if (by == NULL)
		return STORE_EIO;
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, warning_id);
		sq_bind_int(st, s, 2, org_id);
		rc = sq_rows_json(st, s, "warning tracking", &orgs);
		sq_done(s);
	}
	if (rc == STORE_OK)
		rc = sq_stmt(st, SQ_WARNING_TRACK_SYSTEMS,
			     "SELECT y.system_id, s.name, y.org_id, y.status, y.note, y.matched, "
			     "y.evidence_sha256, y.evidence_name, y.incident_id, i.ref AS incident_ref, "
			     "y.updated_at FROM warning_systems y JOIN systems s ON s.id = y.system_id "
			     "LEFT JOIN incidents i ON i.id = y.incident_id WHERE y.warning_id = ?1 AND "
			     "(?2 = 0 OR y.org_id = ?2) ORDER BY y.system_id",
			     &s);
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, warning_id);
		sq_bind_int(st, s, 2, org_id);
		rc = sq_rows_json(st, s, "warning tracking systems", &systems);
		sq_done(s);
	}
	if (rc == STORE_OK) {
		json_array_foreach(orgs, i, v) {
			char k[32];

			snprintf(k, sizeof k, "%lld",
				 (long long)json_integer_value(json_object_get(v, "org_id")));
			json_object_set_new(v, "systems", json_array());
			json_object_set(by, k, v);
		}
		json_array_foreach(systems, i, v) {
			char k[32];
			json_t *o;

			snprintf(k, sizeof k, "%lld",
				 (long long)json_integer_value(json_object_get(v, "org_id")));
			if ((o = json_object_get(by, k)) != NULL)
				json_array_append(json_object_get(o, "systems"), v);
		}
		*out = orgs;
		orgs = NULL;
	}
	json_decref(orgs);
	json_decref(systems);
	json_decref(by);
	return rc;
}

/* ---- escalation of late answers ---- */

int store_warning_overdue(struct store *st, const char *rule, int64_t due_before, int min_rank,
			  int64_t after_w, int64_t after_o, int64_t *wids, int64_t *oids,
			  size_t max, size_t *n)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_WARNING_OVERDUE,
			 "SELECT t.warning_id, t.org_id FROM warning_targets t JOIN warnings w ON "
			 "w.id = t.warning_id WHERE t.responded_at = 0 AND w.status = 'issued' AND "
			 "w.due_at > 0 AND w.due_at < ?1 AND w.severity_rank >= ?2 AND "
			 "(t.warning_id > ?3 OR (t.warning_id = ?3 AND t.org_id > ?4)) AND NOT EXISTS "
			 "(SELECT 1 FROM warning_firings f WHERE f.warning_id = t.warning_id AND "
			 "f.org_id = t.org_id AND f.rule = ?5) ORDER BY t.warning_id, t.org_id LIMIT ?6",
			 &s);

	*n = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, due_before);
	sq_bind_int(st, s, 2, min_rank);
	sq_bind_int(st, s, 3, after_w);
	sq_bind_int(st, s, 4, after_o);
	sq_bind_text(st, s, 5, rule);
	sq_bind_int(st, s, 6, (int64_t)max);
	while (*n < max && (rc = sq_step_row(st, s, "warning overdue")) == STORE_OK) {
		wids[*n] = sqlite3_column_int64(s, 0);
		oids[(*n)++] = sqlite3_column_int64(s, 1);
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

#define FIRE_MAX_TARGETS 256

static void add_org(int64_t *orgs, size_t *n, int64_t org)
{
	if (org <= 0)
		return;
	for (size_t i = 0; i < *n; i++)
		if (orgs[i] == org)
			return;
	if (*n < FIRE_MAX_TARGETS)
		orgs[(*n)++] = org;
}

int store_warning_fire(struct store *st, const struct preset_escalation *rule, int64_t warning_id,
		       int64_t org_id, const struct msg *words, int64_t now, bool *fired)
{
	int64_t orgs[FIRE_MAX_TARGETS], issuer = 0;
	size_t norgs = 0;
	json_t *w = NULL, *late = NULL, *extra = NULL;
	sqlite3_stmt *s;
	int rc;

	*fired = false;
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		return rc;
	rc = sq_stmt(st, SQ_WARNING_FIRE,
		     "INSERT OR IGNORE INTO warning_firings(warning_id, org_id, rule, fired_at) "
		     "VALUES (?1, ?2, ?3, ?4)",
		     &s);
	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, warning_id);
		sq_bind_int(st, s, 2, org_id);
		sq_bind_text(st, s, 3, rule->code);
		sq_bind_int(st, s, 4, now);
		rc = sq_step_done(st, s, "warning fire");
		*fired = rc == STORE_OK && sqlite3_changes(st->db) > 0;
		sq_done(s);
	}
	if (rc != STORE_OK || !*fired)
		return sq_finish(st, rc);
	rc = store_warning_get(st, warning_id, &w);
	if (rc == STORE_OK)
		rc = store_org_get(st, org_id, &late);
	if (rc == STORE_OK) {
		char v[32];
		int64_t coord = 0;

		issuer = json_integer_value(json_object_get(w, "issuer_org_id"));
		add_org(orgs, &norgs, org_id);
		add_org(orgs, &norgs, issuer);
		if ((rule->targets & (1u << ORG_COORDINATOR)) &&
		    store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK &&
		    str_to_i64(v, 1, INT64_MAX, &coord) == 0)
			add_org(orgs, &norgs, coord);
		for (int role = 0; role < ORG_ROLE_COUNT && rc == STORE_OK; role++) {
			if (role == ORG_COORDINATOR || !(rule->targets & (1u << role)))
				continue;
			rc = sq_stmt(st, SQ_WARNING_FIRE_ROLE,
				     "SELECT id FROM orgs WHERE active = 1 AND role = ?1 ORDER BY id",
				     &s);
			if (rc != STORE_OK)
				break;
			sq_bind_text(st, s, 1, codes_org_role_name(role));
			while ((rc = sq_step_row(st, s, "warning fire targets")) == STORE_OK)
				add_org(orgs, &norgs, sqlite3_column_int64(s, 0));
			sq_done(s);
			if (rc == STORE_ENOTFOUND)
				rc = STORE_OK;
		}
	}
	if (rc == STORE_OK) {
		const char *name = json_string_value(json_object_get(late, "name"));

		/* the e-mail words the rule in its language when it is sent (jobs/outbox.c) */
		extra = json_pack("{s:s, s:s, s:I, s:s}", "rule", rule->code, "source",
				  rule->source, "late_org_id", (json_int_t)org_id, "late_org_name",
				  name ? name : "");
		if (extra == NULL || msg_json_put(extra, words) != 0)
			rc = STORE_EIO;
	}
	for (size_t i = 0; i < norgs && rc == STORE_OK; i++)
		rc = store_warning_notify(st, "warning_overdue", orgs[i], warning_id, extra, now);
	json_decref(extra);
	json_decref(w);
	json_decref(late);
	if (rc != STORE_OK)
		*fired = false;
	return sq_finish(st, rc);
}
