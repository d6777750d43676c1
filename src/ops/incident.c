/* incident.c - operations on incidents: the report (step 1 of 001 Đ15.4), whatever the
 * channel: the web form, an API token, an e-mail to the gate, an incident opened from a
 * warning, the demo seeder. */
#include <string.h>

#include "core/codes.h"
#include "core/procedure.h"
#include "ops.h"
#include "util/buf.h"
#include "store/msg_json.h"
#include "util/str.h"

#define FUTURE_SLACK 600 /* a detection time may be this far ahead of our clock */

int ops_incident_classify(const struct ops_ctx *c, const char *group, const char *type,
			  const char *severity, json_t *row, struct ops_err *err)
{
	const struct preset *p = c->preset;
	const struct preset_item *ti, *si;

	if ((group == NULL) != (type == NULL))
		return ops_refuse(err, 422, "Invalid field", group ? "type" : "group",
				  M_incident_group_type_together);
	if (group != NULL) {
		if (preset_group(p, group) == NULL)
			return ops_refuse(err, 422, "Invalid field", "group",
					  M_incident_group_unknown, MS("group", group),
					  MS("preset", p->name));
		ti = preset_type(p, type);
		if (ti == NULL || strcmp(ti->parent, group) != 0)
			return ops_refuse(err, 422, "Invalid field", "type",
					  M_incident_type_not_in_group, MS("type", type),
					  MS("group", group));
		json_object_set_new(row, "grp", json_string(group));
		json_object_set_new(row, "type", json_string(type));
	}
	if (severity != NULL) {
		si = preset_severity(p, severity);
		if (si == NULL)
			return ops_refuse(err, 422, "Invalid field", "severity", M_severity_unknown,
					  MS("severity", severity));
		json_object_set_new(row, "severity", json_string(severity));
		json_object_set_new(row, "severity_rank", json_integer(si->rank));
	}
	return OPS_OK;
}

static const char *text_of(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

int ops_incident_check_systems(const struct ops_ctx *c, const json_t *ids, struct ops_err *err)
{
	const json_t *v;
	size_t i;

	if (ids != NULL && !json_is_array(ids))
		return ops_refuse(err, 422, "Invalid field", "systems",
				  M_incident_systems_not_list);
	json_array_foreach(ids, i, v) {
		struct ac_system as;

		if (!json_is_integer(v) ||
		    store_system_access(c->st, json_integer_value(v), &as) != STORE_OK ||
		    !ops_may(c, access_system(&c->actor.subject, &as, AC_READ)))
			return ops_refuse(err, 422, "Invalid field", "systems",
					  M_incident_system_invalid, MN("position", i + 1));
	}
	return OPS_OK;
}

/* The report's own rules: who may report, what a report must hold. Completes row with what the
 * operation decides (organisation, author, initial state, default TLP, severity rank). */
int ops_incident_may_report(const struct ops_ctx *c, struct ops_err *err)
{
	struct ac_incident self = {.org_id = c->actor.subject.org_id, .tlp = TLP_CLEAR};

	if (!ops_may(c, access_incident(&c->actor.subject, &self, AC_CREATE)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_incident_report_forbidden);
	return OPS_OK;
}

static int report_check(const struct ops_ctx *c, json_t *row, struct ops_err *err)
{
	const char *title = text_of(row, "title");
	json_t *tlp = json_object_get(row, "tlp"), *detected = json_object_get(row, "detected_at");
	int rc = ops_incident_may_report(c, err);

	if (rc != OPS_OK)
		return rc;
	if (title == NULL || title[0] == '\0')
		return ops_refuse(err, 422, "Missing field", "title", M_incident_title_missing);
	if (text_of(row, "grp") == NULL || text_of(row, "severity") == NULL)
		return ops_refuse(err, 422, "Missing field",
				  text_of(row, "grp") ? "severity" : "group",
				  M_incident_class_missing);
	rc = ops_incident_classify(c, text_of(row, "grp"), text_of(row, "type"),
				   text_of(row, "severity"), row, err);
	if (rc != OPS_OK)
		return rc;
	if (!json_is_integer(detected))
		return ops_refuse(err, 422, "Missing field", "detected_at",
				  M_incident_detected_missing);
	if (json_integer_value(detected) > c->now + FUTURE_SLACK)
		return ops_refuse(err, 422, "Invalid field", "detected_at",
				  M_incident_detected_future);
	if (tlp != NULL && (!json_is_integer(tlp) || json_integer_value(tlp) < TLP_CLEAR ||
			    json_integer_value(tlp) >= TLP_COUNT))
		return ops_refuse(err, 422, "Invalid field", "tlp", M_tlp_invalid);
	rc = ops_incident_check_systems(c, json_object_get(row, "systems"), err);
	if (rc != OPS_OK)
		return rc;
	json_object_set_new(row, "org_id", json_integer(c->actor.subject.org_id));
	json_object_set_new(row, "created_by", json_integer(c->actor.user_id));
	json_object_set_new(row, "status", json_string(preset_initial_state(c->preset)->code));
	if (tlp == NULL)
		json_object_set_new(row, "tlp", json_integer(TLP_AMBER));
	return OPS_OK;
}

int ops_incident_report(const struct ops_ctx *c, const struct ops_report *in, int64_t *id,
			json_t **after, struct ops_err *err)
{
	json_t *row = json_deep_copy(in->row), *rec = NULL;
	int rc;

	*id = 0;
	if (after)
		*after = NULL;
	if (row == NULL)
		return ops_store(err, STORE_EIO);
	json_object_del(row, "org_id"); /* the organisation reporting is the actor's, always */
	rc = report_check(c, row, err);
	if (rc != OPS_OK)
		goto out;
	rc = store_incident_create(c->st, row, id, NULL);
	if (rc == STORE_OK)
		rc = store_journal_add(c->st, *id, "created", c->actor.user_id,
				       c->actor.subject.org_id,
				       in->journal_text ? in->journal_text : "", NULL, NULL);
	if (rc == STORE_OK)
		rc = ops_escalate_state(c, *id, text_of(row, "severity"), text_of(row, "grp"), NULL,
					text_of(row, "status"));
	if (rc == STORE_OK && in->observables)
		rc = ops_indicators_add(c, "incident", *id, in->observables,
					in->observables_source ? in->observables_source : "api");
	if (rc == STORE_OK)
		rc = store_incident_get(c->st, *id, &rec);
	if (rc == STORE_OK)
		rc = ops_audit(c, "incident.create", "incident", *id, NULL, rec);
	rc = ops_store(err, rc);
	if (rc == OPS_OK && after) {
		*after = rec;
		rec = NULL;
	}
out:
	json_decref(row);
	json_decref(rec);
	return rc;
}

int ops_indicators_add(const struct ops_ctx *c, const char *owner_kind, int64_t owner_id,
		       const json_t *list, const char *source)
{
	const json_t *v;
	size_t i;
	int rc = STORE_OK;

	json_array_foreach(list, i, v) {
		rc = store_indicator_add(c->st, owner_kind, owner_id,
					 json_string_value(json_object_get(v, "kind")),
					 json_string_value(json_object_get(v, "value")), source,
					 c->now);
		if (rc != STORE_OK)
			break;
	}
	return rc;
}

/* ---- changes of an existing incident ---- */

/* Loads incident id for an action of the actor (ops_incident_may), 412 when if_version (0:
 * any) is not the current version. Sets *before (caller decrefs) on OPS_OK. */
int ops_incident_may(const struct ops_ctx *c, int64_t id, enum ac_action a, struct ops_err *err)
{
	struct ac_incident ai;
	int rc = store_incident_access(c->st, id, c->actor.subject.org_id, &ai);

	if (rc == STORE_ENOTFOUND ||
	    (rc == STORE_OK && !ops_may(c, access_incident(&c->actor.subject, &ai, AC_READ))))
		return ops_refuse(err, 404, "Not found", NULL, M_incident_not_found);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	if (a != AC_READ && !ops_may(c, access_incident(&c->actor.subject, &ai, a)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_incident_forbidden);
	return OPS_OK;
}

static int incident_load(const struct ops_ctx *c, int64_t id, enum ac_action a,
			 int64_t if_version, json_t **before, struct ops_err *err)
{
	int64_t version;
	int rc = ops_incident_may(c, id, a, err);

	*before = NULL;
	if (rc != OPS_OK)
		return rc;
	rc = store_incident_get(c->st, id, before);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	version = json_integer_value(json_object_get(*before, "version"));
	if (ops_version_check(if_version, version, err) != OPS_OK) {
		json_decref(*before);
		*before = NULL;
		return OPS_EREFUSED;
	}
	return OPS_OK;
}

/* Ends a change: reads the record as it is now, audits before -> after, hands after over. */
static int incident_done(const struct ops_ctx *c, int64_t id, const char *action,
			 const json_t *before, int rc, json_t **after, struct ops_err *err)
{
	json_t *rec = NULL;

	if (rc == STORE_OK)
		rc = store_incident_get(c->st, id, &rec);
	return ops_store(err, ops_audit_record(c, rc, action, "incident", id, before, rec, after));
}

/* Keys whose values differ between before and the change, for the journal. */
static json_t *changed_keys(const json_t *before, const json_t *row)
{
	json_t *keys = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)row, k, v)
		if (strcmp(k, "severity_rank") != 0 && !json_equal(json_object_get(before, k), v))
			json_array_append_new(keys, json_string(strcmp(k, "grp") ? k : "group"));
	return keys;
}

int ops_incident_update(const struct ops_ctx *c, int64_t id, int64_t if_version,
			const json_t *fields, const json_t *form, json_t **after,
			struct ops_err *err)
{
	json_t *before = NULL, *row = json_deep_copy(fields), *data;
	int rc;

	if (after)
		*after = NULL;
	if (row == NULL)
		return ops_store(err, STORE_EIO);
	rc = incident_load(c, id, AC_EDIT, if_version, &before, err);
	if (rc == OPS_OK)
		rc = ops_incident_classify(c, json_string_value(json_object_get(row, "grp")),
					   json_string_value(json_object_get(row, "type")),
					   json_string_value(json_object_get(row, "severity")), row,
					   err);
	if (rc == OPS_OK)
		rc = ops_incident_check_systems(c, json_object_get(row, "systems"), err);
	if (rc == OPS_OK)
		rc = ops_form_merge(c->preset, form, json_object_get(before, "form"), row, err);
	if (rc != OPS_OK)
		goto out;
	rc = store_incident_update(c->st, id, json_integer_value(json_object_get(before, "version")),
				   row);
	data = json_pack("{s:o}", "changed", changed_keys(before, row));
	if (rc == STORE_OK)
		rc = store_journal_add(c->st, id, "update", c->actor.user_id, c->actor.subject.org_id,
				       "", data, NULL);
	json_decref(data);
	rc = incident_done(c, id, "incident.update", before, rc, after, err);
out:
	json_decref(before);
	json_decref(row);
	return rc;
}

/* ---- procedure transitions ---- */

struct form_facts {
	const struct preset *p;
	const json_t *form;
};

static bool form_filled_cb(void *ctx, const char *code)
{
	const struct form_facts *ff = ctx;

	return ops_form_filled(ff->p, ff->form, code);
}

static bool any_central(const json_t *inc)
{
	json_t *systems = json_object_get(inc, "systems"), *s;
	size_t i;

	json_array_foreach(systems, i, s)
		if (json_is_true(json_object_get(s, "central_hosted")))
			return true;
	return false;
}

void ops_procedure_facts(const struct ac_subject *s, const char *status, bool central_hosted,
			 int64_t org_id, struct proc_facts *f)
{
	*f = (struct proc_facts){
		.status = status != NULL ? status : "",
		.central_hosted = central_hosted,
		.own = org_id == s->org_id,
		.coordinator = s->coordinator,
		.roles = s->roles,
	};
}

void ops_incident_facts(const struct ops_ctx *c, const json_t *inc, struct proc_facts *f)
{
	ops_procedure_facts(&c->actor.subject, json_string_value(json_object_get(inc, "status")),
			    any_central(inc), json_integer_value(json_object_get(inc, "org_id")), f);
}

/* Side effects of entering a state: reaching step 3 reports the incident to the coordinator
 * (it becomes a named participant, so it sees even TLP:RED, and it is told); a final state
 * closes it (closing at step 2 reports nothing: procedure_step_reached). */
static int enter_state(const struct ops_ctx *c, int64_t id, const json_t *inc,
		       const struct preset_item *to, json_t *row)
{
	const char *from = json_string_value(json_object_get(inc, "status"));
	char v[32];
	int64_t coord;
	int rc;

	json_object_set_new(row, "status", json_string(to->code));
	json_object_set_new(row, "state_changed_at", json_integer(c->now));
	if (procedure_step_reached(c->preset, from, to->code) >= PROCEDURE_STEP_REPORTED &&
	    json_is_null(json_object_get(inc, "reported_at"))) {
		json_object_set_new(row, "reported_at", json_integer(c->now));
		if (store_meta_get(c->st, "coordinator_org_id", v, sizeof v) == STORE_OK &&
		    str_to_i64(v, 1, INT64_MAX, &coord) == 0) {
			rc = store_incident_add_org(c->st, id, coord, "coordinator");
			if (rc == STORE_OK) /* docs/mail.md */
				rc = store_outbox_add(c->st, "incident_reported", coord, id, 0,
						      c->now);
			if (rc != STORE_OK)
				return rc;
		}
	}
	if (to->final)
		json_object_set_new(row, "closed_at", json_integer(c->now));
	return STORE_OK;
}

int ops_incident_transition(const struct ops_ctx *c, int64_t id, const struct ops_step *in,
			    json_t **after, struct ops_err *err)
{
	json_t *before = NULL, *row = json_object(), *data;
	const struct preset_transition *t;
	const struct preset_item *to;
	struct form_facts ff = {.p = c->preset};
	struct proc_facts f;
	struct msg why;
	int rc;

	if (after)
		*after = NULL;
	rc = incident_load(c, id, AC_TRANSITION, in->if_version, &before, err);
	/* a form sent with the action (the closing record with "close") counts for its check */
	if (rc == OPS_OK)
		rc = ops_form_merge(c->preset, in->form, json_object_get(before, "form"), row, err);
	if (rc != OPS_OK)
		goto out;
	ops_incident_facts(c, before, &f);
	ff.form = json_object_get(row, "form") ? json_object_get(row, "form")
					       : json_object_get(before, "form");
	f.form_filled = form_filled_cb;
	f.ctx = &ff;
	if (procedure_check(c->preset, &f, in->action, &t, &why) != 0) {
		rc = ops_refuse_msg(err, 409, "Transition not allowed", "action", &why);
		goto out;
	}
	to = preset_state(c->preset, t->to);
	rc = enter_state(c, id, before, to, row);
	if (rc == STORE_OK)
		rc = store_incident_update(c->st, id,
					   json_integer_value(json_object_get(before, "version")), row);
	data = json_pack("{s:s, s:s, s:s, s:s}", "action", t->action, "from",
			 json_string_value(json_object_get(before, "status")), "to", t->to, "source",
			 t->source);
	if (rc == STORE_OK && in->words && (data == NULL || msg_json_put(data, in->words) != 0))
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = store_journal_add(c->st, id, "status", c->actor.user_id, c->actor.subject.org_id,
				       in->note ? in->note : "", data, NULL);
	json_decref(data);
	if (rc == STORE_OK)
		rc = ops_escalate_state(c, id, json_string_value(json_object_get(before, "severity")),
					json_string_value(json_object_get(before, "grp")),
					json_string_value(json_object_get(before, "status")), t->to);
	rc = incident_done(c, id, "incident.transition", before, rc, after, err);
out:
	json_decref(before);
	json_decref(row);
	return rc;
}

/* ---- flags (beyond capacity, violation of law, unresolved...) ---- */

/* True if the comma-separated list has the code. */
static bool has_flag(const char *list, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && strncmp(p, code, n) == 0)
			return true;
		p += len + (comma != NULL);
	}
	return false;
}

int ops_incident_flag(const struct ops_ctx *c, int64_t id, const char *code, const char *note,
		      json_t **after, struct ops_err *err)
{
	const struct preset_item *flag = preset_flag(c->preset, code);
	json_t *before = NULL, *row = NULL, *data;
	const char *old;
	struct buf b;
	int rc;

	if (after)
		*after = NULL;
	if (flag == NULL)
		return ops_refuse(err, 422, "Invalid field", "flag", M_incident_flag_unknown,
				  MS("flag", code));
	rc = incident_load(c, id, AC_EDIT, 0, &before, err);
	if (rc != OPS_OK)
		return rc;
	old = json_string_value(json_object_get(before, "flags"));
	if (has_flag(old, code)) { /* raising a raised flag changes nothing */
		if (after)
			*after = before;
		else
			json_decref(before);
		return OPS_OK;
	}
	buf_init(&b, 4096);
	buf_printf(&b, "%s%s%s", old && old[0] ? old : "", old && old[0] ? "," : "", flag->code);
	row = json_pack("{s:s}", "flags", b.p ? b.p : "");
	buf_free(&b);
	rc = row ? store_incident_update(c->st, id,
					 json_integer_value(json_object_get(before, "version")), row)
		 : STORE_EIO;
	data = json_pack("{s:s, s:s}", "flag", flag->code, "source", flag->source);
	if (rc == STORE_OK)
		rc = store_journal_add(c->st, id, "flag", c->actor.user_id, c->actor.subject.org_id,
				       note ? note : flag->name_vi, data, NULL);
	json_decref(data);
	if (rc == STORE_OK)
		rc = ops_escalate_flag(c, id, json_string_value(json_object_get(before, "severity")),
				       json_string_value(json_object_get(before, "grp")), flag->code);
	rc = incident_done(c, id, "incident.flag", before, rc, after, err);
	json_decref(before);
	json_decref(row);
	return rc;
}

/* ---- the journal ---- */

int ops_incident_comment(const struct ops_ctx *c, int64_t id, const char *body,
			 json_t **entry, struct ops_err *err)
{
	json_t *before = NULL, *row = NULL;
	int64_t jid = 0;
	int rc;

	if (entry)
		*entry = NULL;
	rc = incident_load(c, id, AC_COMMENT, 0, &before, err);
	json_decref(before); /* a comment changes nothing of the record */
	if (rc != OPS_OK)
		return rc;
	if (body == NULL || body[0] == '\0')
		return ops_refuse(err, 422, "Missing field", "body", M_comment_body_missing);
	rc = store_journal_add(c->st, id, "comment", c->actor.user_id, c->actor.subject.org_id, body,
			       NULL, &jid);
	row = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)jid, "incident_id",
			(json_int_t)id, "kind", "comment", "body", body);
	if (rc == STORE_OK)
		rc = row ? ops_audit(c, "incident.comment", "incident", id, NULL, row) : STORE_EIO;
	if (rc == STORE_OK && entry) {
		*entry = row;
		row = NULL;
	}
	json_decref(row);
	return ops_store(err, rc);
}
