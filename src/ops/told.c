/* told.c - a report of an incident made outside the platform (told.h). */
#include <stdio.h>
#include <string.h>

#include "store/msg_json.h"
#include "util/tm.h"

#include "told.h"

/* The means a report can go by, and how the journal words each. */
static const struct {
	const char *code;
	enum msg_id words;
} means[] = {
	{"letter", M_told_by_letter}, {"fax", M_told_by_fax},         {"phone", M_told_by_phone},
	{"email", M_told_by_email},   {"meeting", M_told_by_meeting},
};

/* The words of means `how`, or M_none when it is none of them. */
static enum msg_id means_words(const char *how)
{
	for (size_t i = 0; how && i < sizeof means / sizeof means[0]; i++)
		if (strcmp(how, means[i].code) == 0)
			return means[i].words;
	return M_none;
}

/* Whether attachment id belongs to incident incident_id. */
static bool attachment_of(const struct ops_ctx *c, int64_t id, int64_t incident_id)
{
	json_t *a = NULL;
	bool ok = store_attachment_get(c->st, id, &a) == STORE_OK &&
		  json_integer_value(json_object_get(a, "incident_id")) == incident_id;

	json_decref(a);
	return ok;
}

/* The report is valid for incident inc (its record): 422 naming the field otherwise. Sets *at
 * and *org (the organisation's record, caller decrefs). */
static int check(const struct ops_ctx *c, const json_t *inc, const struct ops_told_in *in,
		 int64_t *at, json_t **org, struct ops_err *err)
{
	int64_t detected = 0;

	*org = NULL;
	if (means_words(in->how) == M_none)
		return ops_refuse(err, 422, "Invalid field", "how", M_told_how_invalid);
	if (strcmp(in->how, "letter") == 0 && (in->ref == NULL || in->ref[0] == '\0'))
		return ops_refuse(err, 422, "Missing field", "ref", M_told_letter_number);
	if (in->at == NULL || tm_parse_iso(in->at, at) != 0)
		return ops_refuse(err, 422, "Invalid field", "told_at", M_told_at_invalid);
	(void)tm_parse_iso(json_string_value(json_object_get(inc, "detected_at")), &detected);
	if (*at < detected || *at > c->now)
		return ops_refuse(err, 422, "Invalid field", "told_at", M_told_at_range);
	if (in->attachment_id != 0 && !attachment_of(c, in->attachment_id,
						      json_integer_value(json_object_get(inc, "id"))))
		return ops_refuse(err, 422, "Invalid field", "attachment_id",
				  M_told_attachment_invalid);
	if (in->org_id == json_integer_value(json_object_get(inc, "org_id")) ||
	    store_org_get(c->st, in->org_id, org) != STORE_OK ||
	    !json_is_true(json_object_get(*org, "active")))
		return ops_refuse(err, 422, "Invalid field", "org_id", M_told_org_invalid);
	return OPS_OK;
}

/* The journal entry of the fact, its words made when read (journal_told); the note is its body. */
static int journal(const struct ops_ctx *c, int64_t id, const struct ops_told_in *in,
		   const json_t *org, int64_t at, int64_t told_id)
{
	enum msg_id how = means_words(in->how);
	int y, mo, d, h, mi, s;
	char when[32];
	json_t *data = json_pack("{s:I, s:I, s:s, s:s}", "told_id", (json_int_t)told_id, "org_id",
				 (json_int_t)in->org_id, "how", in->how, "ref",
				 in->ref ? in->ref : "");
	struct msg m;
	int rc;

	/* as people write it, in Vietnam's time: 22/11/2026 10:00 */
	tm_vn_fields(at, &y, &mo, &d, &h, &mi, &s);
	snprintf(when, sizeof when, "%02d/%02d/%04d %02d:%02d", d, mo, y, h, mi);
	msg_set(&m, M_journal_told, MS("org", json_string_value(json_object_get(org, "name"))),
		MSV("how", msg_text(how, MSG_VI), msg_text(how, MSG_EN)),
		MS("ref", in->ref && in->ref[0] ? in->ref : "-"), MS("at", when));
	rc = data && msg_json_put(data, &m) == 0
		     ? store_journal_add(c->st, id, "told", c->actor.user_id, c->actor.subject.org_id,
					 in->note ? in->note : "", data, NULL)
		     : STORE_EIO;
	json_decref(data);
	return rc;
}

/* The fact told_id as the list gives it, into *after. */
static int read_back(const struct ops_ctx *c, int64_t id, int64_t told_id, json_t **after)
{
	json_t *all = NULL, *v;
	size_t i;
	int rc = store_told_list(c->st, id, &all);

	json_array_foreach(all, i, v)
		if (json_integer_value(json_object_get(v, "id")) == told_id)
			*after = json_incref(v);
	json_decref(all);
	return rc == STORE_OK && *after == NULL ? STORE_EIO : rc;
}

int ops_incident_told(const struct ops_ctx *c, int64_t id, const struct ops_told_in *in,
		      json_t **after, struct ops_err *err)
{
	json_t *inc = NULL, *org = NULL;
	struct store_told t = {.incident_id = id, .org_id = in->org_id, .how = in->how,
			       .ref = in->ref, .note = in->note, .attachment_id = in->attachment_id,
			       .recorded_by = c->actor.user_id,
			       .recorded_at = c->now};
	int64_t told_id = 0;
	int rc;

	*after = NULL;
	rc = ops_incident_may(c, id, AC_TRANSITION, err);
	if (rc != OPS_OK)
		return rc;
	rc = ops_store(err, store_incident_get(c->st, id, &inc));
	if (rc == OPS_OK)
		rc = check(c, inc, in, &t.at, &org, err);
	if (rc != OPS_OK)
		goto out;
	rc = store_told_add(c->st, &t, &told_id);
	if (rc == STORE_OK)
		rc = journal(c, id, in, org, t.at, told_id);
	if (rc == STORE_OK)
		rc = read_back(c, id, told_id, after);
	if (rc == STORE_OK)
		rc = ops_audit(c, "incident.told", "incident", id, NULL, *after);
	rc = ops_store(err, rc);
out:
	json_decref(inc);
	json_decref(org);
	return rc;
}
