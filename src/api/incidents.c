/* incidents.c - incidents, their procedure transitions and journal (the path of one report in
 * ARCHITECTURE.md): parse and validate here, decide in core/, write in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/clock.h"
#include "core/codes.h"
#include "core/fields.h"
#include "core/procedure.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define TEXT_MAX 20000
#define FUTURE_SLACK 600
#define SEARCH_MAX_WORDS 8 /* the store builds one FTS term per word */ /* a detection time may be this far ahead of our clock */

/* Store rows say grp (a reserved word in SQL); the API says group. */
/* Store rows say grp (a reserved word in SQL) and keep flags as "a,b"; the API says group and
 * gives flags as a list. */
static void present(json_t *inc)
{
	json_t *g = json_object_get(inc, "grp");
	const char *flags = json_string_value(json_object_get(inc, "flags"));

	if (g) {
		json_object_set(inc, "group", g);
		json_object_del(inc, "grp");
	}
	if (flags) {
		json_t *arr = json_array();

		while (*flags) {
			const char *comma = strchr(flags, ',');
			size_t n = comma ? (size_t)(comma - flags) : strlen(flags);

			if (n)
				json_array_append_new(arr, json_stringn(flags, n));
			flags += n + (comma != NULL);
		}
		json_object_set_new(inc, "flags", arr);
	}
}

bool api_incident_readable(const struct api_ctx *cx, int64_t id)
{
	struct ac_incident ai;

	return store_incident_access(api_store(), id, cx->subject.org_id, &ai) == STORE_OK &&
	       access_incident(&cx->subject, &ai, AC_READ);
}

/* Loads what access needs and decides. An incident the caller may not read answers 404, so
 * its existence does not leak; one it may read but not change answers 403. */
int api_incidents_access(const struct http_req *req, struct http_res *res, int64_t id,
			 enum ac_action a, struct ac_incident *ai)
{
	const struct api_ctx *cx = req->ctx;
	int rc = store_incident_access(api_store(), id, cx->subject.org_id, ai);

	/* a missing incident answers as an unreadable one: the 404 tells nothing of which exist */
	if (rc == STORE_ENOTFOUND)
		return api_access_answer(res, false, false, API_OBJ_INCIDENT);
	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	return api_access_answer(res, access_incident(&cx->subject, ai, AC_READ),
				 a == AC_READ || access_incident(&cx->subject, ai, a),
				 API_OBJ_INCIDENT);
}

/* ---- validation shared by create and update ---- */

static int parse_time(const json_t *in, const char *name, bool required, struct http_res *res,
		      int64_t *out)
{
	const char *s;
	int got = http_json_str(in, name, required, 40, false, res, &s);

	*out = 0;
	if (got <= 0)
		return got;
	if (tm_parse_iso(s, out) != 0) {
		http_res_problem(res, 422, "Invalid field", name,
				 M_field_time_invalid, MS("field", name));
		return -1;
	}
	if (*out > tm_now() + FUTURE_SLACK) {
		http_res_problem(res, 422, "Invalid field", name,
				 M_field_time_future, MS("field", name));
		return -1;
	}
	return 1;
}

/* Affected systems as sent: a list of ids (ops/ checks the caller may name each). */
static int systems_list(const json_t *in, json_t *row, struct http_res *res)
{
	const json_t *arr, *v;
	json_t *ids;
	size_t i;
	int got = http_json_list(in, "systems", false, fields_find(&fields_incident, "systems")->cap,
				 res, &arr);

	if (got <= 0)
		return got;
	ids = json_array();
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v)) {
			json_decref(ids);
			return http_res_problem(res, 422, "Invalid field", "systems",
						M_incident_system_not_id, MN("index", i + 1)),
			       -1;
		}
		json_array_append_new(ids, json_integer(json_integer_value(v)));
	}
	json_object_set_new(row, "systems", ids);
	return 0;
}

/* The forms sent, merged into row (ops_form_merge); -1 with res set when one is not valid. */
static int form_merge(const json_t *in, const json_t *current, json_t *row,
			  struct http_res *res)
{
	struct ops_err err;

	if (ops_form_merge(api_env.preset, in, current, row, &err) == OPS_OK)
		return 0;
	api_ops_error(res, &err);
	return -1;
}

/* ---- create ---- */

/* The classification as sent: group, type and severity codes copied to the row for
 * ops_incident_classify (and the report) to check against the preset. */
static int classification(const json_t *in, bool required, const char **g, const char **t,
			  const char **sev, struct http_res *res)
{
	*g = *t = *sev = NULL;
	return http_json_str(in, "group", required, PRESET_CODE, false, res, g) < 0 ||
			       http_json_str(in, "type", required, PRESET_CODE, false, res, t) < 0 ||
			       http_json_str(in, "severity", required, PRESET_CODE, false, res, sev) < 0
		       ? -1
		       : 0;
}

static int incident_answer(struct http_req *req, struct http_res *res, int64_t id, int status);

int api_incidents_create(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *out = NULL, *obs = NULL;
	const char *g, *t, *sev;
	bool extract = false;
	struct ops_report rep;
	struct ops_err err;
	struct ops_ctx c;
	int64_t detected, id;
	struct api_tx tx;
	char loc[64];

	api_ops_ctx(req, api_store(), &c);
	if (ops_incident_may_report(&c, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0)
		goto out;
	api_fields_row(&fields_incident, in, FIELD_CREATE, row);
	api_in_bool(in, "extract", &extract);
	if (classification(in, true, &g, &t, &sev, res) != 0 ||
	    parse_time(in, "detected_at", true, res, &detected) < 0 ||
	    systems_list(in, row, res) != 0 || form_merge(json_object_get(in, "form"), NULL, row, res) != 0 ||
	    api_indicators_parse(json_object_get(in, "observables"), "observables",
				 API_INDICATORS_MAX, res, &obs) != 0)
		goto out;
	/* observables named in the description (docs/warnings.md) */
	if (extract)
		api_indicators_extract(json_string_value(json_object_get(row, "description")), obs,
				       API_INDICATORS_MAX);
	json_object_set_new(row, "grp", json_string(g));
	json_object_set_new(row, "type", json_string(t));
	json_object_set_new(row, "severity", json_string(sev));
	json_object_set_new(row, "detected_at", json_integer(detected));
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rep = (struct ops_report){.row = row, .observables = obs,
				  .observables_source = extract ? "extract" : "api", .journal_text = ""};
	if (ops_incident_report(&c, &rep, &id, &out, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	/* one answer shape: the record as GET gives it, read in the report's own transaction, so
	 * an idempotent replay answers the same */
	snprintf(loc, sizeof loc, "/api/v1/incidents/%lld", (long long)id);
	http_res_header(res, "Location", loc);
	incident_answer(req, res, id, 201);
	if (res->status != 201)
		api_tx_abort(&tx);
	else
		api_tx_commit(&tx, req, res);
out:
	json_decref(obs);
	json_decref(in);
	json_decref(row);
	json_decref(out);
	return 0;
}

/* ---- clocks ---- */

#define MAX_CLOCKS 16

static int64_t iso_of(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	int64_t t = 0;

	return s && tm_parse_iso(s, &t) == 0 ? t : 0;
}

/* Whether an incident in state `status` is closed (its clocks that did not stop stay unmet). */
static bool closed_state(const char *status)
{
	const struct preset_item *st = status ? preset_state(api_env.preset, status) : NULL;

	return st != NULL && st->final;
}

/* Marks a list row: overdue (a deadline passed unmet) and next_due_at (the earliest deadline
 * still running or overdue, for "about to expire"). */
static void mark_deadlines(json_t *row, int64_t now);

static json_t *time_or_null(int64_t t)
{
	char iso[TM_ISO_MAX];

	if (t == 0 || tm_format_iso(t, iso, sizeof iso) != 0)
		return json_null();
	return json_string(iso);
}

/* Reads a list row's "told" ("coordinator:1764000000,national:..." : the first telling of each
 * role, store_incident_list) into told_at, and answers it as {role: time} (the facts the row's
 * deadlines come from). */
static void told_of_row(json_t *row, int64_t *told_at)
{
	json_t *shown = json_object();

	clock_told_parse(json_string_value(json_object_get(row, "told")), told_at);
	for (int r = 0; r < ORG_ROLE_COUNT; r++)
		if (told_at[r] != 0)
			json_object_set_new(shown, codes_org_role_name(r), time_or_null(told_at[r]));
	json_object_set_new(row, "told", shown);
}

static void mark_deadlines(json_t *row, int64_t now)
{
	struct clock_eval ev[MAX_CLOCKS];
	struct clock_facts f = {
		.severity = json_string_value(json_object_get(row, "severity")),
		.detected_at = iso_of(row, "detected_at"),
		.closed = closed_state(json_string_value(json_object_get(row, "status"))),
	};
	bool overdue = false;
	int64_t next = 0;
	size_t n;

	told_of_row(row, f.told_at);
	clock_evaluate(api_env.preset, &f, now, ev, MAX_CLOCKS, &n);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].state == CLOCK_OVERDUE)
			overdue = true;
		if ((ev[i].state == CLOCK_OVERDUE || ev[i].state == CLOCK_RUNNING) &&
		    (next == 0 || ev[i].due_at < next))
			next = ev[i].due_at;
	}
	json_object_set_new(row, "overdue", json_boolean(overdue));
	json_object_set_new(row, "next_due_at", time_or_null(next));
}

/* The deadlines of an incident with whether each was met (DOMAIN.md "Clocks"), as an array.
 * Preset texts are valid UTF-8: core/preset.c checks every scalar of a preset as it reads it. */
static void clocks_write(struct jsonw *w, const struct store_incident_head *h,
			 const int64_t *told_at)
{
	struct clock_facts f = {.severity = h->severity, .detected_at = h->detected_at,
				.closed = closed_state(h->status)};
	struct clock_eval ev[MAX_CLOCKS];
	size_t n;

	memcpy(f.told_at, told_at, sizeof f.told_at);
	clock_evaluate(api_env.preset, &f, tm_now(), ev, MAX_CLOCKS, &n);
	jsonw_array(w);
	for (size_t i = 0; i < n; i++) {
		const struct preset_clock *c = ev[i].clock;
		const char *target = codes_org_role_name(c->target);

		jsonw_object(w);
		jsonw_member_text(w, "code", c->code);
		jsonw_member_text(w, "name_vi", c->name_vi);
		jsonw_member_text(w, "name_en", c->name_en);
		jsonw_member_text(w, "target", target ? target : "");
		jsonw_keyz(w, "within");
		jsonw_int(w, c->within);
		jsonw_member_time(w, "due_at", ev[i].due_at);
		jsonw_member_time(w, "stopped_at", ev[i].stopped_at);
		jsonw_member_text(w, "state", clock_state_name(ev[i].state));
		jsonw_member_text(w, "source", c->source);
		api_cite_w(w, c->source);
		jsonw_close(w);
	}
	jsonw_close(w);
}

/* ---- list ---- */

static int list_filter(struct http_req *req, struct http_res *res, struct store_incident_filter *f)
{
	int64_t limit, org, drill;
	const char *q = http_query(req, "q");

	memset(f, 0, sizeof *f);
	f->status = http_query(req, "status");
	f->severity = http_query(req, "severity");
	f->grp = http_query(req, "group");
	if (q && q[0]) {
		size_t words = 0;

		for (const char *p = q; *p; p++)
			if (*p != ' ' && (p == q || p[-1] == ' '))
				words++;
		if (words > SEARCH_MAX_WORDS) {
			http_res_problem(res, 400, "Invalid parameter", "q",
					 M_search_words, MN("max", SEARCH_MAX_WORDS));
			return -1;
		}
		if (strlen(q) > 200 || !str_utf8_valid(q, strlen(q))) {
			http_res_problem(res, 400, "Invalid parameter", "q",
					 M_search_invalid, MN("max", 200));
			return -1;
		}
		f->q = q;
	}
	if (api_query_page(req, res, 50, 200, &limit, &f->before_id) != 0 ||
	    api_query_int(req, "org", 0, INT64_MAX, 0, res, &org) != 0 ||
	    api_query_int(req, "drill", -1, 1, -1, res, &drill) != 0 ||
	    api_query_time(req, "from", res, &f->from) != 0 ||
	    api_query_time(req, "to", res, &f->to) != 0)
		return -1;
	f->limit = (int)limit;
	f->org_id = org;
	f->drill = (int)drill;
	return 0;
}

int api_incidents_list(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store_incident_filter f;
	struct ac_scope scope;
	json_t *items = NULL, *v;
	int64_t next = 0;
	size_t i;
	int rc;

	if (list_filter(req, res, &f) != 0)
		return 0;
	access_incident_scope(&cx->subject, &scope);
	rc = store_incident_list(api_store(), &scope, &f, &items, &next);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	json_array_foreach(items, i, v) {
		present(v);
		mark_deadlines(v, tm_now());
	}
	return http_res_json(res, 200,
			     json_pack("{s:o, s:o}", "items", items, "next_cursor",
				       next ? json_integer(next) : json_null()));
}

/* ---- get ---- */

/* One action the caller may take now, from the preset (texts checked when it was read). */
static void action_write(void *arg, const struct preset_transition *t)
{
	struct jsonw *w = arg;

	jsonw_object(w);
	jsonw_member_text(w, "action", t->action);
	jsonw_member_text(w, "to", t->to);
	jsonw_member_text(w, "name_vi", t->name_vi);
	jsonw_member_text(w, "name_en", t->name_en);
	jsonw_member_text(w, "requires", t->requires);
	jsonw_member_text(w, "source", t->source);
	api_cite_w(w, t->source);
	jsonw_close(w);
}

/* The caller's actions, permissions and the incident's clocks, after the record. */
static void derived_write(struct jsonw *w, const struct api_ctx *cx,
			  const struct store_incident_head *h, const struct ac_incident *ai,
			  const int64_t *told_at)
{
	static const struct {
		const char *name;
		enum ac_action action;
	} perms[] = {{"edit", AC_EDIT},
		     {"comment", AC_COMMENT},
		     {"transition", AC_TRANSITION},
		     {"request", AC_REQUEST}};
	struct proc_facts f;

	jsonw_keyz(w, "actions");
	jsonw_array(w);
	if (access_incident(&cx->subject, ai, AC_TRANSITION)) {
		ops_procedure_facts(&cx->subject, h->status, h->central_hosted, ai->org_id, &f);
		procedure_actions(api_env.preset, &f, action_write, w);
	}
	jsonw_close(w);
	jsonw_keyz(w, "permissions");
	jsonw_object(w);
	for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
		jsonw_keyz(w, perms[i].name);
		jsonw_bool(w, access_incident(&cx->subject, ai, perms[i].action));
	}
	jsonw_close(w);
	jsonw_keyz(w, "clocks");
	clocks_write(w, h, told_at);
}

/* Written straight from the rows into the answer, without a jansson tree: this is the request
 * asked for most (every incident page, every poll), and building, writing and freeing the tree
 * was a fifth of its time in profiles. */
/* Answers incident id as GET gives it, with status: the record, its actions, permissions,
 * clocks and escalations as they are in the caller's store now (inside a write's transaction,
 * as that write left it). Returns 0 (res set: the answer, or the problem). */
static int incident_answer(struct http_req *req, struct http_res *res, int64_t id, int status)
{
	struct api_ctx *cx = req->ctx;
	struct store_incident_head h;
	struct ac_incident ai;
	struct jsonw w;
	int rc;

	/* the record and what access needs of it in one read; what was written is replaced by the
	 * problem unless the caller may read it */
	jsonw_init(&w, http_res_json_text(res, status));
	jsonw_object(&w);
	rc = store_incident_write(api_store(), id, cx->subject.org_id, &w, &h, &ai);
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		return api_store_error(res, rc);
	/* a missing incident answers as an unreadable one */
	if (api_access_answer(res, rc == STORE_OK && access_incident(&cx->subject, &ai, AC_READ),
			      true, API_OBJ_INCIDENT) != 0)
		return 0;
	derived_write(&w, cx, &h, &ai, h.told_at);
	jsonw_keyz(&w, "escalations");
	rc = store_escalation_write(api_store(), id, &w);
	jsonw_close(&w);
	if (rc == STORE_OK && jsonw_end(&w) != 0)
		rc = STORE_EIO;
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_etag(res, h.version);
	return 0;
}

int api_incidents_get(struct http_req *req, struct http_res *res)
{
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	return incident_answer(req, res, id, 200);
}

/* ---- update ---- */

/* Ends a change made by an operation: the record presented with its ETag, or the refusal. */
static int changed(struct http_req *req, struct http_res *res, struct api_tx *tx, int rc,
		   const struct ops_err *err, json_t *after)
{
	if (rc != OPS_OK) {
		api_tx_abort(tx);
		json_decref(after);
		return api_ops_error(res, err);
	}
	json_decref(after);
	http_res_json(res, 200, json_object());
	if (api_tx_commit(tx, req, res) != 0)
		return 0;
	/* one answer shape per resource: a change answers the record as GET gives it (its
	 * actions, permissions and clocks as they are now) */
	return api_incidents_get(req, res);
}

int api_incidents_update(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *row = json_object(), *after = NULL;
	const char *g, *t, *sev;
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	int64_t id, detected;
	struct api_tx tx;
	int rc, got;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_EDIT, &ai) != 0)
		goto out;
	if (api_body(req, res, &in) != 0)
		goto out;
	api_fields_row(&fields_incident, in, FIELD_UPDATE, row);
	if (classification(in, false, &g, &t, &sev, res) != 0 ||
	    (got = parse_time(in, "detected_at", false, res, &detected)) < 0 ||
	    systems_list(in, row, res) != 0)
		goto out;
	if (got)
		json_object_set_new(row, "detected_at", json_integer(detected));
	if (g)
		json_object_set_new(row, "grp", json_string(g));
	if (t)
		json_object_set_new(row, "type", json_string(t));
	if (sev)
		json_object_set_new(row, "severity", json_string(sev));
	if (json_object_size(row) == 0 && json_object_get(in, "form") == NULL) {
		api_incidents_get(req, res); /* nothing to change: the record as it is */
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_incident_update(&c, id, api_if_match_version(req), row, json_object_get(in, "form"),
				 &after, &err);
	changed(req, res, &tx, rc, &err, after);
out:
	json_decref(in);
	json_decref(row);
	return 0;
}

/* ---- procedure transitions ---- */

int api_incidents_transition(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	struct ops_step step = {0};
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_TRANSITION, &ai) != 0)
		goto out;
	if (api_body(req, res, &in) != 0)
		goto out;
	step.action = api_in_text(in, "action");
	step.note = api_in_text(in, "note");
	step.form = json_object_get(in, "form");
	step.if_version = api_if_match_version(req);
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_incident_transition(&c, id, &step, &after, &err);
	changed(req, res, &tx, rc, &err, after);
out:
	json_decref(in);
	return 0;
}

/* ---- flags (beyond capacity, violation of law, unresolved...) ---- */

int api_incidents_flag(struct http_req *req, struct http_res *res)
{
	json_t *in = NULL, *after = NULL;
	const char *code, *note;
	struct ac_incident ai;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_EDIT, &ai) != 0)
		return 0;
	if (api_body(req, res, &in) != 0)
		goto out;
	code = api_in_text(in, "flag");
	note = api_in_text(in, "note");
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = ops_incident_flag(&c, id, code, note, &after, &err);
	changed(req, res, &tx, rc, &err, after);
out:
	json_decref(in);
	return 0;
}
