/* warning.c - operations on warnings (cảnh báo): the issuers of 000 Đ7.4 write drafts and issue
 * them to their targets; each targeted organisation acknowledges, reports per system what it
 * found and fixed (003 §1), and may open an incident from the warning. Whatever the channel:
 * the web, an API token, the command line (`import stix --issued`). docs/warnings.md. */
#include <string.h>

#include "core/cite.h"
#include "core/codes.h"
#include "core/stix.h"
#include "util/buf.h"
#include "util/tm.h"
#include "warning.h"

/* The description of an incident opened from a warning: the line naming the warning (a title
 * of 300 characters) and the 20,000 characters sent, 4 bytes each at most. */
#define SPAWN_TEXT_MAX (128u << 10)

static const char *const report_states[] = {"not_affected", "affected", "fixing", "fixed",
					    "accepted_risk", NULL};

static bool one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static const char *text_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool status_is(const json_t *w, const char *status)
{
	const char *s = text_of(w, "status");

	return s && strcmp(s, status) == 0;
}

/* ---- access ---- */

int ops_warning_may_create(const struct ops_ctx *c, struct ops_err *err)
{
	if (!ops_may(c, access_warning_issuer(&c->actor.subject)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_warning_issue_forbidden);
	return OPS_OK;
}

/* Reads what access needs of warning id and decides action a: 404 when the actor may not read
 * it (whether it exists does not leak), 403 when it may read it but not do this. */
static int warning_may(const struct ops_ctx *c, int64_t id, enum ac_action a,
		       struct ac_warning *aw, struct ops_err *err)
{
	int rc = store_warning_access(c->st, id, c->actor.subject.org_id, aw);

	if (rc == STORE_ENOTFOUND ||
	    (rc == STORE_OK && !ops_may(c, access_warning(&c->actor.subject, aw, AC_READ))))
		return ops_refuse(err, 404, "Not found", NULL, M_warning_not_found);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (a != AC_READ && !ops_may(c, access_warning(&c->actor.subject, aw, a)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_warning_forbidden);
	return OPS_OK;
}

/* warning_may, then the record as it is (*before, caller decrefs) for a change. */
static int warning_load(const struct ops_ctx *c, int64_t id, enum ac_action a,
			struct ac_warning *aw, json_t **before, struct ops_err *err)
{
	int rc = warning_may(c, id, a, aw, err);

	*before = NULL;
	return rc == OPS_OK ? ops_store(err, store_warning_get(c->st, id, before)) : rc;
}

int ops_warning_check_system(const struct ops_ctx *c, int64_t sid, struct ops_err *err)
{
	int64_t org = c->actor.subject.org_id;
	struct ac_system as;
	int rc = store_system_access(c->st, sid, &as);

	if (rc == STORE_OK && ops_may(c, as.owner_org_id == org || as.operator_org_id == org))
		return OPS_OK;
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		return ops_store(err, rc);
	return ops_refuse(err, 404, "Not found", NULL, M_warning_system_not_found);
}

/* Answers are taken while the warning is issued and not closed or withdrawn. */
static int warning_open(const struct ac_warning *aw, struct ops_err *err)
{
	if (aw->open)
		return OPS_OK;
	return ops_refuse(err, 409, "Not open", NULL, M_warning_not_open);
}

/* ---- the record as the actor sees it ---- */

static json_t *permissions(const struct ac_subject *s, const struct ac_warning *aw)
{
	return json_pack("{s:b, s:b, s:b}", "edit", access_warning(s, aw, AC_EDIT), "answer",
			 access_warning(s, aw, AC_COMMENT) && aw->open, "track",
			 access_warning(s, aw, AC_TRANSITION));
}

static int64_t iso_time(const json_t *obj, const char *key)
{
	const char *s = text_of(obj, key);
	int64_t t = 0;

	return s && tm_parse_iso(s, &t) == 0 ? t : 0;
}

void ops_warning_mark_late(json_t *rows, int64_t due, int64_t now)
{
	json_t *v;
	size_t i;

	json_array_foreach(rows, i, v) {
		int64_t r = iso_time(v, "responded_at");
		bool late = due > 0 && ((r == 0 && now > due) || (r > due));

		json_object_set_new(v, "late", json_boolean(late));
	}
}

int ops_warning_view(const struct ops_ctx *c, int64_t id, json_t **out)
{
	json_t *w = NULL, *mine = NULL;
	struct ac_warning aw;
	int rc = store_warning_access(c->st, id, c->actor.subject.org_id, &aw);

	*out = NULL;
	if (rc == STORE_OK)
		rc = store_warning_get(c->st, id, &w);
	if (rc != STORE_OK)
		return rc;
	json_object_set_new(w, "permissions", permissions(&c->actor.subject, &aw));
	if (aw.targeted && (rc = store_warning_tracking(c->st, id, c->actor.subject.org_id,
							&mine)) == STORE_OK) {
		ops_warning_mark_late(mine, iso_time(w, "due_at"), c->now);
		json_object_set(w, "mine", json_array_size(mine) ? json_array_get(mine, 0)
								 : json_null());
		json_decref(mine);
	}
	if (rc != STORE_OK)
		return json_decref(w), rc;
	*out = w;
	return STORE_OK;
}

/* Ends a change of the issuer's: the view as it is now, with extra's keys (stolen, may be
 * NULL), audited before -> view; the view handed over in *after when after is not NULL. */
static int warning_done(const struct ops_ctx *c, int64_t id, const char *action,
			const json_t *before, int rc, json_t *extra, json_t **after,
			struct ops_err *err)
{
	json_t *view = NULL;

	if (rc == STORE_OK)
		rc = ops_warning_view(c, id, &view);
	if (rc == STORE_OK && extra)
		json_object_update(view, extra);
	json_decref(extra);
	return ops_store(err, ops_audit_record(c, rc, action, "warning", id, before, view, after));
}

/* ---- the issuer's drafts ---- */

/* The severity code of row against the preset in force; sets its rank. */
static int classify(const struct ops_ctx *c, json_t *row, struct ops_err *err)
{
	const char *sev = text_of(row, "severity");
	const struct preset_item *si;

	if (sev == NULL)
		return OPS_OK;
	si = preset_severity(c->preset, sev);
	if (si == NULL)
		return ops_refuse(err, 422, "Invalid field", "severity", M_severity_unknown,
				  MS("severity", sev));
	json_object_set_new(row, "severity_rank", json_integer(si->rank));
	return OPS_OK;
}

/* What a new draft must hold, and what the operation decides of it. */
static int draft_check(const struct ops_ctx *c, json_t *row, struct ops_err *err)
{
	const char *title = text_of(row, "title");
	int rc = ops_warning_may_create(c, err);

	if (rc != OPS_OK)
		return rc;
	if (title == NULL || title[0] == '\0')
		return ops_refuse(err, 422, "Missing field", "title", M_warning_title_missing);
	if (text_of(row, "severity") == NULL)
		return ops_refuse(err, 422, "Missing field", "severity",
				  M_warning_severity_missing);
	rc = classify(c, row, err);
	if (rc != OPS_OK)
		return rc;
	if (json_object_get(row, "tlp") == NULL)
		json_object_set_new(row, "tlp", json_integer(TLP_AMBER));
	if (json_object_get(row, "target") == NULL)
		json_object_set_new(row, "target", json_pack("{s:s}", "mode", "match"));
	json_object_set_new(row, "issuer_org_id", json_integer(c->actor.subject.org_id));
	json_object_set_new(row, "created_by", json_integer(c->actor.user_id));
	json_object_set_new(row, "source", json_string(""));
	json_object_del(row, "stix_id"); /* ops_warning_stix_id gives it */
	return OPS_OK;
}

/* A warning written without a legal basis cites the one the preset in force names for warnings
 * (basis.warning: 000 Đ7.4, "Khoản 4 Điều 7 Quy chế phối hợp ..."), as people write it. */
static void default_basis(const struct preset *p, json_t *row)
{
	const char *given = json_string_value(json_object_get(row, "legal_basis"));
	char vi[CITE_MAX];

	if ((given != NULL && given[0] != '\0') || p->basis.warning[0] == '\0')
		return;
	if (cite_str(p, p->basis.warning, CITE_VI, vi, sizeof vi) == 0)
		json_object_set_new(row, "legal_basis", json_string(vi));
}

int ops_warning_create(const struct ops_ctx *c, const json_t *fields, int64_t *id,
		       json_t **after, struct ops_err *err)
{
	json_t *row = json_deep_copy(fields), *view = NULL;
	char ref[32] = "", sid[STIX_ID_MAX];
	int rc;

	*id = 0;
	*after = NULL;
	if (row == NULL)
		return ops_store(err, STORE_EIO);
	rc = draft_check(c, row, err);
	if (rc != OPS_OK)
		goto out;
	default_basis(c->preset, row);
	rc = store_warning_create(c->st, row, id, ref);
	if (rc == STORE_OK)
		rc = ops_warning_stix_id(c->st, *id, ref, sid, sizeof sid);
	if (rc == STORE_OK)
		rc = ops_warning_view(c, *id, &view);
	if (rc == STORE_OK)
		rc = ops_audit(c, "warning.create", "warning", *id, NULL, view);
	rc = ops_store(err, rc);
	if (rc == OPS_OK) {
		*after = view;
		view = NULL;
	}
out:
	json_decref(row);
	json_decref(view);
	return rc;
}

int ops_warning_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
		       const json_t *fields, json_t **after, struct ops_err *err)
{
	json_t *before = NULL, *row = json_deep_copy(fields);
	struct ac_warning aw;
	int64_t version = 0;
	int rc;

	if (after)
		*after = NULL;
	if (row == NULL)
		return ops_store(err, STORE_EIO);
	rc = warning_load(c, id, AC_EDIT, &aw, &before, err);
	if (rc == OPS_OK)
		version = json_integer_value(json_object_get(before, "version"));
	if (rc == OPS_OK && ops_version_check(if_version, version, err) != OPS_OK)
		rc = OPS_EREFUSED;
	else if (rc == OPS_OK && !status_is(before, "draft"))
		rc = ops_refuse(err, 409, "Not a draft", NULL, M_warning_edit_not_draft);
	if (rc == OPS_OK)
		rc = classify(c, row, err);
	if (rc == OPS_OK)
		rc = warning_done(c, id, "warning.update", before,
				  json_object_size(row) ? store_warning_update(c->st, id, version, row)
							: STORE_OK,
				  NULL, after, err);
	json_decref(before);
	json_decref(row);
	return rc;
}

/* Whom a draft may be issued to: it has targets, and a TLP:RED one names them (000 Đ4.4). */
static int issue_check(const json_t *w, const struct ac_warning *aw, struct ops_err *err)
{
	const char *mode = text_of(json_object_get(w, "target"), "mode");

	if (!status_is(w, "draft"))
		return ops_refuse(err, 409, "Not a draft", NULL, M_warning_issue_not_draft);
	if (mode == NULL)
		return ops_refuse(err, 422, "Invalid field", "target", M_warning_no_target);
	if (aw->tlp >= TLP_RED && strcmp(mode, "orgs") != 0)
		return ops_refuse(err, 422, "Invalid field", "target", M_warning_red_targets);
	return OPS_OK;
}

int ops_warning_issue(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err)
{
	json_t *before = NULL;
	struct ac_warning aw;
	int64_t targets = 0, systems = 0;
	int rc;

	if (after)
		*after = NULL;
	rc = warning_load(c, id, AC_EDIT, &aw, &before, err);
	if (rc == OPS_OK)
		rc = issue_check(before, &aw, err);
	if (rc != OPS_OK)
		goto out;
	rc = store_warning_issue(c->st, id, c->now, &targets, &systems);
	if (rc == STORE_EINVAL)
		rc = ops_refuse(err, 422, "Invalid field", "target", M_warning_target_invalid);
	else
		rc = warning_done(c, id, "warning.issue", before, rc,
				  json_pack("{s:{s:I, s:I}}", "issued", "targets", (json_int_t)targets,
					    "systems", (json_int_t)systems),
				  after, err);
out:
	json_decref(before);
	return rc;
}

int ops_warning_close(const struct ops_ctx *c, int64_t id, bool withdraw, json_t **after,
		      struct ops_err *err)
{
	json_t *before = NULL;
	struct ac_warning aw;
	int rc;

	if (after)
		*after = NULL;
	rc = warning_load(c, id, AC_EDIT, &aw, &before, err);
	if (rc == OPS_OK && !(status_is(before, "issued") || (withdraw && status_is(before, "draft"))))
		rc = ops_refuse(err, 409, "Not open", NULL, M_warning_close_not_issued);
	if (rc == OPS_OK)
		rc = warning_done(c, id, withdraw ? "warning.withdraw" : "warning.close", before,
				  store_warning_set_status(c->st, id, withdraw ? "withdrawn" : "closed",
							   c->now),
				  NULL, after, err);
	json_decref(before);
	return rc;
}

/* ---- the targets' answers ---- */

/* The actor's organisation's answers as they stand now (the target's view). */
static int mine_json(const struct ops_ctx *c, int64_t id, json_t **out)
{
	json_t *rows = NULL;
	int rc = store_warning_tracking(c->st, id, c->actor.subject.org_id, &rows);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	*out = json_incref(json_array_size(rows) ? json_array_get(rows, 0) : NULL);
	json_decref(rows);
	if (*out == NULL)
		*out = json_object();
	return STORE_OK;
}

/* Ends an answer: the organisation's answers, audited as before -> audited (NULL: the
 * answers), handed over in *after when after is not NULL. */
static int answered(const struct ops_ctx *c, int64_t id, const char *action,
		    const json_t *before, const json_t *audited, int rc, json_t **after,
		    struct ops_err *err)
{
	json_t *mine = NULL;

	if (rc == STORE_OK)
		rc = mine_json(c, id, &mine);
	if (rc == STORE_OK)
		rc = ops_audit(c, action, "warning", id, before, audited ? audited : mine);
	if (rc == STORE_OK && after) {
		*after = mine;
		mine = NULL;
	}
	json_decref(mine);
	return ops_store(err, rc);
}

int ops_warning_ack(const struct ops_ctx *c, int64_t id, json_t **after, struct ops_err *err)
{
	struct ac_warning aw;
	int rc;

	if (after)
		*after = NULL;
	rc = warning_may(c, id, AC_COMMENT, &aw, err);
	if (rc == OPS_OK)
		rc = warning_open(&aw, err);
	if (rc != OPS_OK)
		return rc;
	return answered(c, id, "warning.ack", NULL, NULL,
			store_warning_ack(c->st, id, c->actor.subject.org_id, c->actor.user_id,
					  c->now),
			after, err);
}

/* The checks of an answer about system sid: the warning (404/403), the system (404), open. */
static int answer_check(const struct ops_ctx *c, int64_t sid, const struct ac_warning *aw,
			struct ops_err *err)
{
	int rc = ops_warning_check_system(c, sid, err);

	return rc == OPS_OK ? warning_open(aw, err) : rc;
}

int ops_warning_report(const struct ops_ctx *c, int64_t id, int64_t sid, const char *status,
		       const char *note, json_t **after, struct ops_err *err)
{
	int64_t org = c->actor.subject.org_id;
	struct ac_warning aw;
	json_t *row;
	int rc;

	if (after)
		*after = NULL;
	rc = warning_may(c, id, AC_COMMENT, &aw, err);
	if (rc == OPS_OK && !one_of(status, report_states))
		rc = ops_refuse(err, 422, "Invalid field", "status",
				  M_warning_system_status_invalid);
	if (rc == OPS_OK)
		rc = answer_check(c, sid, &aw, err);
	if (rc != OPS_OK)
		return rc;
	row = json_pack("{s:s}", "status", status);
	if (row && note)
		json_object_set_new(row, "note", json_string(note));
	/* a report answers the warning, so it acknowledges it too */
	rc = row ? store_warning_ack(c->st, id, org, c->actor.user_id, c->now) : STORE_EIO;
	if (rc == STORE_OK)
		rc = store_warning_report(c->st, id, sid, org, row, c->actor.user_id, c->now);
	if (rc == STORE_OK)
		json_object_set_new(row, "system_id", json_integer(sid));
	rc = answered(c, id, "warning.report", row, NULL, rc, after, err);
	json_decref(row);
	return rc;
}

int ops_warning_evidence(const struct ops_ctx *c, int64_t id, int64_t sid, const char *sha256,
			 const char *name, json_t **after, struct ops_err *err)
{
	struct ac_warning aw;
	json_t *row;
	int rc;

	if (after)
		*after = NULL;
	rc = warning_may(c, id, AC_COMMENT, &aw, err);
	if (rc == OPS_OK)
		rc = answer_check(c, sid, &aw, err);
	if (rc != OPS_OK)
		return rc;
	row = json_pack("{s:s, s:s}", "evidence_sha256", sha256, "evidence_name", name);
	rc = row ? store_warning_report(c->st, id, sid, c->actor.subject.org_id, row,
					c->actor.user_id, c->now)
		 : STORE_EIO;
	if (rc == STORE_OK)
		json_object_set_new(row, "system_id", json_integer(sid));
	rc = answered(c, id, "warning.evidence", NULL, row, rc, after, err);
	json_decref(row);
	return rc;
}

/* ---- an incident opened from a warning ---- */

/* The first type of group whose code says "other", else the first of the group. */
static const char *default_type(const struct preset *p, const char *grp)
{
	const char *first = NULL;

	for (size_t i = 0; i < p->ntypes; i++) {
		if (strcmp(p->types[i].parent, grp) != 0)
			continue;
		if (first == NULL)
			first = p->types[i].code;
		if (strstr(p->types[i].code, "other"))
			return p->types[i].code;
	}
	return first;
}

/* The incident's row: what was sent, else the warning's; a description naming the warning. */
static int spawn_row(const struct ops_ctx *c, const json_t *w, int64_t sid,
		     const struct ops_spawn *in, json_t **row, struct ops_err *err)
{
	const struct preset *p = c->preset;
	const char *grp = in->group, *type = in->type, *ref = text_of(w, "ref");
	const char *desc = in->description;
	char line[2048];
	struct msg m;
	int tlp = in->tlp >= 0 ? in->tlp : codes_tlp_parse(text_of(w, "tlp"));
	struct buf b;

	*row = NULL;
	if (tlp < 0 || tlp >= TLP_COUNT)
		return ops_refuse(err, 422, "Invalid field", "tlp", M_tlp_invalid);
	if (grp == NULL)
		grp = preset_group(p, "attack") ? "attack" : (p->ngroups ? p->groups[0].code : "");
	if (type == NULL)
		type = default_type(p, grp);
	buf_init(&b, SPAWN_TEXT_MAX);
	/* the description people edit afterwards: in Vietnamese, the data's language */
	msg_set(&m, M_warning_incident_description, MS("ref", ref), MS("title", text_of(w, "title")));
	(void)msg_render(&m, MSG_VI, line, sizeof line);
	buf_printf(&b, "%s%s%s", line, desc && desc[0] ? "\n\n" : "", desc ? desc : "");
	*row = json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:b, s:I, s:s, s:[I]}", "title",
			 in->title ? in->title : text_of(w, "title"), "grp", grp, "type", type,
			 "severity", in->severity ? in->severity : text_of(w, "severity"), "tlp",
			 tlp, "is_drill", 0, "detected_at", (json_int_t)c->now, "description",
			 b.p ? b.p : "", "systems", (json_int_t)sid);
	buf_free(&b);
	return *row ? OPS_OK : ops_store(err, STORE_EIO);
}

/* The warning's side of a spawned incident: linked, acknowledged, the system affected unless
 * reported otherwise, the incident named in its answer. *rep: that answer (caller decrefs). */
static int spawn_answer(const struct ops_ctx *c, const json_t *w, int64_t id, int64_t sid,
			int64_t iid, json_t **rep)
{
	int64_t org = c->actor.subject.org_id;
	json_t *mine = NULL, *s;
	bool known = false;
	size_t i;
	int rc = store_related_add(c->st, "incident", iid, "warning", id, text_of(w, "ref"), c->now);

	*rep = json_pack("{s:I}", "incident_id", (json_int_t)iid);
	if (rc == STORE_OK)
		rc = *rep ? store_warning_ack(c->st, id, org, c->actor.user_id, c->now) : STORE_EIO;
	if (rc != STORE_OK)
		return rc;
	/* opening an incident says the system is affected, unless reported otherwise */
	if (mine_json(c, id, &mine) == STORE_OK) {
		json_array_foreach(json_object_get(mine, "systems"), i, s)
			if (json_integer_value(json_object_get(s, "system_id")) == sid &&
			    text_of(s, "status") && strcmp(text_of(s, "status"), "unknown"))
				known = true;
		if (!known)
			json_object_set_new(*rep, "status", json_string("affected"));
	}
	json_decref(mine);
	return store_warning_report(c->st, id, sid, org, *rep, c->actor.user_id, c->now);
}

int ops_warning_spawn(const struct ops_ctx *c, int64_t id, int64_t sid,
		      const struct ops_spawn *in, int64_t *iid, json_t **incident,
		      struct ops_err *err)
{
	json_t *w = NULL, *row = NULL, *rep = NULL;
	struct ops_report report;
	struct ac_warning aw;
	int rc;

	*iid = 0;
	*incident = NULL;
	rc = warning_may(c, id, AC_COMMENT, &aw, err);
	if (rc == OPS_OK)
		rc = answer_check(c, sid, &aw, err);
	if (rc == OPS_OK)
		rc = ops_store(err, store_warning_get(c->st, id, &w));
	if (rc == OPS_OK)
		rc = spawn_row(c, w, sid, in, &row, err);
	if (rc != OPS_OK)
		goto out;
	/* the warning's indicators become the incident's observables */
	report = (struct ops_report){.row = row, .observables = json_object_get(w, "indicators"),
				     .observables_source = "warning",
				     .journal_text = text_of(w, "ref")};
	rc = ops_incident_report(c, &report, iid, NULL, err);
	if (rc != OPS_OK)
		goto out;
	rc = spawn_answer(c, w, id, sid, *iid, &rep);
	if (rc == STORE_OK)
		rc = store_incident_get(c->st, *iid, incident);
	if (rc == STORE_OK)
		rc = ops_audit(c, "warning.incident", "warning", id, NULL, rep);
	rc = ops_store(err, rc);
	if (rc != OPS_OK) {
		json_decref(*incident);
		*incident = NULL;
	}
out:
	json_decref(w);
	json_decref(row);
	json_decref(rep);
	return rc;
}

/* ---- the STIX id ---- */

int ops_warning_stix_id(struct store *st, int64_t id, const char *ref, char *out, size_t outsz)
{
	unsigned char ns[16];
	char instance[64];
	int rc = store_stix_namespace(st, instance, sizeof instance);

	if (rc != STORE_OK)
		return rc;
	stix_instance_ns(instance, ns);
	stix_warning_report_id(ns, NULL, ref, out, outsz);
	return store_stix_warning_set_stix_id(st, id, out);
}
