/* incident.c - operations on incidents: the report (step 1 of 001 Đ15.4), whatever the
 * channel: the web form, an API token, an e-mail to the gate, an incident opened from a
 * warning, the demo seeder. */
#include <string.h>

#include "core/codes.h"
#include "ops.h"

#define FUTURE_SLACK 600 /* a detection time may be this far ahead of our clock */

int ops_incident_classify(const struct ops_ctx *c, const char *group, const char *type,
			  const char *severity, json_t *row, struct ops_err *err)
{
	const struct preset *p = c->preset;
	const struct preset_item *ti, *si;

	if ((group == NULL) != (type == NULL))
		return ops_refuse(err, 422, "Invalid field", group ? "type" : "group",
				  "Cần gửi cả nhóm và loại sự cố / send group and type together");
	if (group != NULL) {
		if (preset_group(p, group) == NULL)
			return ops_refuse(err, 422, "Invalid field", "group",
					  "Nhóm sự cố '%s' không có trong quy chế %s / unknown group "
					  "'%s'",
					  group, p->name, group);
		ti = preset_type(p, type);
		if (ti == NULL || strcmp(ti->parent, group) != 0)
			return ops_refuse(err, 422, "Invalid field", "type",
					  "Loại sự cố '%s' không thuộc nhóm '%s' / type '%s' is not in "
					  "group '%s'",
					  type, group, type, group);
		json_object_set_new(row, "grp", json_string(group));
		json_object_set_new(row, "type", json_string(type));
	}
	if (severity != NULL) {
		si = preset_severity(p, severity);
		if (si == NULL)
			return ops_refuse(err, 422, "Invalid field", "severity",
					  "Mức độ '%s' không có trong quy chế / unknown severity '%s'",
					  severity, severity);
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
				  "Danh sách hệ thống không hợp lệ / systems must be a list of ids");
	json_array_foreach(ids, i, v) {
		struct ac_system as;

		if (!json_is_integer(v) ||
		    store_system_access(c->st, json_integer_value(v), &as) != STORE_OK ||
		    !access_system(&c->actor.subject, &as, AC_READ))
			return ops_refuse(err, 422, "Invalid field", "systems",
					  "Hệ thống thứ %zu không tồn tại hoặc không thuộc đơn vị / "
					  "system %zu does not exist or is not yours",
					  i + 1, i + 1);
	}
	return OPS_OK;
}

/* The report's own rules: who may report, what a report must hold. Completes row with what the
 * operation decides (organisation, author, initial state, default TLP, severity rank). */
int ops_incident_may_report(const struct ops_ctx *c, struct ops_err *err)
{
	struct ac_incident self = {.org_id = c->actor.subject.org_id, .tlp = TLP_CLEAR};

	if (!access_incident(&c->actor.subject, &self, AC_CREATE))
		return ops_refuse(err, 403, "Forbidden", NULL,
				  "Bạn không có quyền báo cáo sự cố / you may not report incidents");
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
		return ops_refuse(err, 422, "Missing field", "title",
				  "Cần tiêu đề sự cố / an incident needs a title");
	if (text_of(row, "grp") == NULL || text_of(row, "severity") == NULL)
		return ops_refuse(err, 422, "Missing field", text_of(row, "grp") ? "severity" : "group",
				  "Cần nhóm, loại và mức độ sự cố / an incident needs a group, a type "
				  "and a severity");
	rc = ops_incident_classify(c, text_of(row, "grp"), text_of(row, "type"),
				   text_of(row, "severity"), row, err);
	if (rc != OPS_OK)
		return rc;
	if (!json_is_integer(detected))
		return ops_refuse(err, 422, "Missing field", "detected_at",
				  "Cần thời điểm phát hiện / an incident needs its detection time");
	if (json_integer_value(detected) > c->now + FUTURE_SLACK)
		return ops_refuse(err, 422, "Invalid field", "detected_at",
				  "Trường 'detected_at' ở tương lai / field 'detected_at' is in the "
				  "future");
	if (tlp != NULL && (!json_is_integer(tlp) || json_integer_value(tlp) < TLP_CLEAR ||
			    json_integer_value(tlp) >= TLP_COUNT))
		return ops_refuse(err, 422, "Invalid field", "tlp",
				  "Nhãn TLP phải là clear, green, amber, amber+strict hoặc red / "
				  "tlp must be clear, green, amber, amber+strict or red");
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
