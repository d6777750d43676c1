/* incidents.c - incidents, their procedure transitions and journal (the path of one report in
 * ARCHITECTURE.md): parse and validate here, decide in core/, write in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/clock.h"
#include "core/codes.h"
#include "core/procedure.h"
#include "forms.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define TITLE_MAX 300
#define TEXT_MAX 20000
#define MAX_SYSTEMS 50
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

/* Loads what access needs and decides. An incident the caller may not read answers 404, so
 * its existence does not leak; one it may read but not change answers 403. */
int api_incidents_access(const struct http_req *req, struct http_res *res, int64_t id,
			 enum ac_action a, struct ac_incident *ai)
{
	const struct api_ctx *cx = req->ctx;
	int rc = store_incident_access(api_store(), id, cx->subject.org_id, ai);

	if (rc != STORE_OK)
		return api_store_error(res, rc), -1;
	return api_access_answer(res, access_incident(&cx->subject, ai, AC_READ),
				 a == AC_READ || access_incident(&cx->subject, ai, a), "sự cố",
				 "incident");
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
				 "Trường '%s' phải là ngày giờ ISO 8601, ví dụ 2026-11-21T08:30:00+07:00 "
				 "/ field '%s' must be an ISO 8601 time",
				 name, name);
		return -1;
	}
	if (*out > tm_now() + FUTURE_SLACK) {
		http_res_problem(res, 422, "Invalid field", name,
				 "Trường '%s' ở tương lai / field '%s' is in the future", name, name);
		return -1;
	}
	return 1;
}

/* Checks group/type/severity against the preset and copies them to row. */
static int classify(const json_t *in, bool required, json_t *row, struct http_res *res)
{
	const struct preset *p = api_env.preset;
	const char *g, *t, *s;
	const struct preset_item *ti, *si;
	int hg, ht, hs;

	if ((hg = http_json_str(in, "group", required, PRESET_CODE, false, res, &g)) < 0 ||
	    (ht = http_json_str(in, "type", required, PRESET_CODE, false, res, &t)) < 0 ||
	    (hs = http_json_str(in, "severity", required, PRESET_CODE, false, res, &s)) < 0)
		return -1;
	if (hg != ht) {
		http_res_problem(res, 422, "Invalid field", hg ? "type" : "group",
				 "Cần gửi cả nhóm và loại sự cố / send group and type together");
		return -1;
	}
	if (hg) {
		if (preset_group(p, g) == NULL) {
			http_res_problem(res, 422, "Invalid field", "group",
					 "Nhóm sự cố '%s' không có trong quy chế %s / unknown group '%s'",
					 g, p->name, g);
			return -1;
		}
		ti = preset_type(p, t);
		if (ti == NULL || strcmp(ti->parent, g) != 0) {
			http_res_problem(res, 422, "Invalid field", "type",
					 "Loại sự cố '%s' không thuộc nhóm '%s' / type '%s' is not in "
					 "group '%s'",
					 t, g, t, g);
			return -1;
		}
		json_object_set_new(row, "grp", json_string(g));
		json_object_set_new(row, "type", json_string(t));
	}
	if (hs) {
		si = preset_severity(p, s);
		if (si == NULL) {
			http_res_problem(res, 422, "Invalid field", "severity",
					 "Mức độ '%s' không có trong quy chế / unknown severity '%s'", s,
					 s);
			return -1;
		}
		json_object_set_new(row, "severity", json_string(s));
		json_object_set_new(row, "severity_rank", json_integer(si->rank));
	}
	return 0;
}

static int text_fields(const json_t *in, bool create, json_t *row, struct http_res *res)
{
	static const struct { const char *name; size_t max; bool multi; } f[] = {
		{"title", TITLE_MAX, false}, {"description", TEXT_MAX, true},
		{"impact", TEXT_MAX, true},  {"actions_taken", TEXT_MAX, true},
	};
	const char *v;

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		int got = http_json_str(in, f[i].name, create && i < 2, f[i].max, f[i].multi, res, &v);

		if (got < 0)
			return -1;
		if (got)
			json_object_set_new(row, f[i].name, json_string(v));
	}
	return 0;
}

static int tlp_drill(const json_t *in, json_t *row, struct http_res *res)
{
	const char *t;
	bool drill;
	int got = http_json_str(in, "tlp", false, 20, false, res, &t);

	if (got < 0)
		return -1;
	if (got) {
		int v = codes_tlp_parse(t);

		if (v < 0) {
			http_res_problem(res, 422, "Invalid field", "tlp",
					 "Nhãn TLP phải là clear, green, amber, amber+strict hoặc red / "
					 "tlp must be clear, green, amber, amber+strict or red");
			return -1;
		}
		json_object_set_new(row, "tlp", json_integer(v));
	}
	got = http_json_bool(in, "is_drill", false, res, &drill);
	if (got < 0)
		return -1;
	if (got)
		json_object_set_new(row, "is_drill", json_boolean(drill));
	return 0;
}

/* Affected systems: ids the caller's organisation owns or operates (or any, for the
 * coordinator). Sets *central when one is hosted centrally. */
static int systems_field(const struct http_req *req, const json_t *in, json_t *row,
			 struct http_res *res)
{
	const struct api_ctx *cx = req->ctx;
	const json_t *arr, *v;
	json_t *ids;
	size_t i;
	int got = http_json_list(in, "systems", false, MAX_SYSTEMS, res, &arr);

	if (got <= 0)
		return got;
	ids = json_array();
	json_array_foreach(arr, i, v) {
		struct ac_system as;

		if (!json_is_integer(v) ||
		    store_system_access(api_store(), json_integer_value(v), &as) != STORE_OK ||
		    !access_system(&cx->subject, &as, AC_READ)) {
			json_decref(ids);
			http_res_problem(res, 422, "Invalid field", "systems",
					 "Hệ thống thứ %zu không tồn tại hoặc không thuộc đơn vị / system "
					 "%zu does not exist or is not yours",
					 i + 1, i + 1);
			return -1;
		}
		json_array_append_new(ids, json_integer(json_integer_value(v)));
	}
	json_object_set_new(row, "systems", ids);
	return 0;
}

/* ---- create ---- */

int api_incidents_create(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"title", "group", "type", "severity", "detected_at",
					      "description", "impact", "actions_taken", "tlp",
					      "is_drill", "systems", "form", "observables",
					      "extract", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *out = NULL, *obs = NULL;
	struct ac_incident self = {.org_id = cx->subject.org_id, .tlp = TLP_CLEAR};
	bool extract = false;
	char ref[32];
	int64_t detected, id;
	struct api_tx tx;
	int rc;

	if (!access_incident(&cx->subject, &self, AC_CREATE)) {
		http_res_problem(res, 403, "Forbidden", NULL,
				 "Bạn không có quyền báo cáo sự cố / you may not report incidents");
		goto out;
	}
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    text_fields(in, true, row, res) != 0 || classify(in, true, row, res) != 0 ||
	    parse_time(in, "detected_at", true, res, &detected) < 0 ||
	    tlp_drill(in, row, res) != 0 || systems_field(req, in, row, res) != 0 ||
	    forms_merge(api_env.preset, json_object_get(in, "form"), NULL, row, res) != 0 ||
	    http_json_bool(in, "extract", false, res, &extract) < 0 ||
	    api_indicators_parse(json_object_get(in, "observables"), "observables",
				 API_INDICATORS_MAX, res, &obs) != 0)
		goto out;
	/* observables named in the description (docs/warnings.md) */
	if (extract)
		api_indicators_extract(json_string_value(json_object_get(row, "description")), obs,
				       API_INDICATORS_MAX);
	json_object_set_new(row, "org_id", json_integer(cx->subject.org_id));
	json_object_set_new(row, "created_by", json_integer(cx->user.id));
	json_object_set_new(row, "detected_at", json_integer(detected));
	json_object_set_new(row, "status", json_string(preset_initial_state(api_env.preset)->code));
	if (json_object_get(row, "tlp") == NULL)
		json_object_set_new(row, "tlp", json_integer(TLP_AMBER));
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	rc = store_incident_create(tx.st, row, &id, ref);
	if (rc == STORE_OK)
		rc = store_journal_add(tx.st, id, "created", cx->user.id, cx->subject.org_id, "", NULL,
				       NULL);
	if (rc == STORE_OK)
		rc = api_escalate_state(tx.st, id, json_string_value(json_object_get(row, "severity")),
					json_string_value(json_object_get(row, "grp")), NULL,
					json_string_value(json_object_get(row, "status")));
	if (rc == STORE_OK)
		rc = api_indicators_store(tx.st, "incident", id, obs, extract ? "extract" : "api",
					  tm_now());
	if (rc == STORE_OK) {
		rc = store_incident_get(tx.st, id, &out);
		present(out);
	}
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"incident.create", "incident", id, NULL, 201,
					 "/api/v1/incidents"},
		      out);
	out = NULL;
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

/* For list rows: a clock stopped if the current state is at or past its stop. The time does not
 * matter there, only whether it still runs. */
static int64_t stopped_by_status(void *ctx, const struct preset_clock *c)
{
	const char *status = ctx;

	return preset_clock_stops(api_env.preset, c, status) ? 1 : 0;
}

/* For one incident: the first time it entered a state stopping the clock (its first state from
 * its creation, the others from the journal's status entries). */
#define MAX_STATES 32

struct state_times {
	int64_t created_at;
	const struct store_state_entry *e;
	size_t n;
};

static int64_t stopped_by_state_entry(void *ctx, const struct preset_clock *c)
{
	const struct state_times *t = ctx;
	const struct preset_item *first = preset_initial_state(api_env.preset);

	if (preset_clock_stops(api_env.preset, c, first->code))
		return t->created_at;
	for (size_t i = 0; i < t->n; i++)
		if (preset_clock_stops(api_env.preset, c, t->e[i].state))
			return t->e[i].at;
	return 0;
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

static void mark_deadlines(json_t *row, int64_t now)
{
	struct clock_eval ev[MAX_CLOCKS];
	const char *status = json_string_value(json_object_get(row, "status"));
	bool overdue = false;
	int64_t next = 0;
	size_t n;

	clock_evaluate(api_env.preset, json_string_value(json_object_get(row, "severity")),
		       iso_of(row, "detected_at"), now, stopped_by_status, (void *)status, ev,
		       MAX_CLOCKS, &n);
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
			 const struct store_state_entry *e, size_t ne)
{
	struct state_times st = {.created_at = h->created_at, .e = e, .n = ne};
	struct clock_eval ev[MAX_CLOCKS];
	size_t n;

	clock_evaluate(api_env.preset, h->severity, h->detected_at, tm_now(), stopped_by_state_entry,
		       &st, ev, MAX_CLOCKS, &n);
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
					 "Tìm kiếm tối đa %d từ / search with at most %d words",
					 SEARCH_MAX_WORDS, SEARCH_MAX_WORDS);
			return -1;
		}
		if (strlen(q) > 200 || !str_utf8_valid(q, strlen(q))) {
			http_res_problem(res, 400, "Invalid parameter", "q",
					 "Chuỗi tìm kiếm không hợp lệ hoặc dài quá 200 byte / search text "
					 "invalid or longer than 200 bytes");
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

struct facts_ctx {
	json_t *form;
};

static bool form_filled_cb(void *ctx, const char *code)
{
	const struct facts_ctx *fc = ctx;

	return forms_filled(api_env.preset, fc->form, code);
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

/* What the procedure decides with, but the form: procedure_actions does not look at it. */
static void facts_init(const struct api_ctx *cx, const char *status, bool central_hosted,
		       int64_t org_id, struct proc_facts *f)
{
	*f = (struct proc_facts){
		.status = status != NULL ? status : "",
		.central_hosted = central_hosted,
		.own = org_id == cx->subject.org_id,
		.coordinator = cx->subject.coordinator,
		.roles = cx->subject.roles,
	};
}

static void facts_of(const struct api_ctx *cx, json_t *inc, struct facts_ctx *fc,
		     struct proc_facts *f)
{
	fc->form = json_object_get(inc, "form");
	facts_init(cx, json_string_value(json_object_get(inc, "status")), any_central(inc),
		   json_integer_value(json_object_get(inc, "org_id")), f);
	f->form_filled = form_filled_cb;
	f->ctx = fc;
}

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
	jsonw_close(w);
}

/* The caller's actions, permissions and the incident's clocks, after the record. */
static void derived_write(struct jsonw *w, const struct api_ctx *cx,
			  const struct store_incident_head *h, const struct ac_incident *ai,
			  const struct store_state_entry *e, size_t ne)
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
		facts_init(cx, h->status, h->central_hosted, ai->org_id, &f);
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
	clocks_write(w, h, e, ne);
}

/* Written straight from the rows into the answer, without a jansson tree: this is the request
 * asked for most (every incident page, every poll), and building, writing and freeing the tree
 * was a fifth of its time in profiles. */
int api_incidents_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	struct store_incident_head h;
	struct ac_incident ai;
	struct store_state_entry entries[MAX_STATES];
	struct jsonw w;
	size_t nentries;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0)
		return 0;
	/* the record and what access needs of it in one read; what was written is replaced by the
	 * problem unless the caller may read it */
	jsonw_init(&w, http_res_json_text(res, 200));
	jsonw_object(&w);
	rc = store_incident_write(api_store(), id, cx->subject.org_id, &w, &h, &ai);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	if (api_access_answer(res, access_incident(&cx->subject, &ai, AC_READ), true, "sự cố",
			      "incident") != 0)
		return 0;
	rc = store_journal_state_entries(api_store(), id, entries, MAX_STATES, &nentries);
	if (rc == STORE_OK) {
		derived_write(&w, cx, &h, &ai, entries, nentries);
		jsonw_keyz(&w, "escalations");
		rc = store_escalation_write(api_store(), id, &w);
	}
	jsonw_close(&w);
	if (rc == STORE_OK && jsonw_end(&w) != 0)
		rc = STORE_EIO;
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_etag(res, h.version);
	return 0;
}

/* ---- update ---- */

/* Keys whose values differ between before and after, for the journal. */
static json_t *changed_keys(const json_t *before, const json_t *row)
{
	json_t *keys = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)row, k, v)
		if (strcmp(k, "severity_rank") != 0 && !json_equal(json_object_get(before, k), v))
			json_array_append_new(keys, json_string(strcmp(k, "grp") ? k : "group"));
	return keys;
}

/* Starts a write on incident id and reads it as it is. Returns 0, or -1 with res set (and
 * nothing left open). */
static int begin_on(struct http_req *req, struct http_res *res, struct api_tx *tx, int64_t id,
		    json_t **before)
{
	int rc;

	*before = NULL;
	if (api_tx_begin(req, res, tx, false))
		return -1;
	rc = store_incident_get(tx->st, id, before);
	if (rc != STORE_OK) {
		api_tx_abort(tx);
		api_store_error(res, rc);
		return -1;
	}
	return 0;
}

int api_incidents_update(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"title", "group", "type", "severity", "detected_at",
					      "description", "impact", "actions_taken", "tlp",
					      "is_drill", "systems", "form", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *row = json_object(), *before = NULL, *after = NULL;
	struct ac_incident ai;
	int64_t id, version, detected;
	struct api_tx tx;
	int rc, got;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_EDIT, &ai) != 0)
		goto out;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    text_fields(in, false, row, res) != 0 || classify(in, false, row, res) != 0 ||
	    (got = parse_time(in, "detected_at", false, res, &detected)) < 0 ||
	    tlp_drill(in, row, res) != 0 || systems_field(req, in, row, res) != 0)
		goto out;
	if (got)
		json_object_set_new(row, "detected_at", json_integer(detected));
	if (json_object_size(row) == 0 && json_object_get(in, "form") == NULL) {
		api_incidents_get(req, res); /* nothing to change: the record as it is */
		goto out;
	}
	if (begin_on(req, res, &tx, id, &before) != 0)
		goto out;
	version = json_integer_value(json_object_get(before, "version"));
	if (api_if_match(req, res, version) != 0 ||
	    forms_merge(api_env.preset, json_object_get(in, "form"), json_object_get(before, "form"),
			row, res) != 0) {
		api_tx_abort(&tx);
		goto out;
	}
	rc = store_incident_update(tx.st, id, version, row);
	if (rc == STORE_OK)
		rc = store_incident_get(tx.st, id, &after);
	if (rc == STORE_OK) {
		json_t *data = json_pack("{s:o}", "changed", changed_keys(before, row));

		rc = store_journal_add(tx.st, id, "update", cx->user.id, cx->subject.org_id, "", data,
				       NULL);
		json_decref(data);
	}
	if (rc == STORE_OK)
		present(after);
	api_tx_finish(&tx, req, res, rc,
		      &(struct api_done){"incident.update", "incident", id, before, 200, NULL}, after);
	after = NULL;
out:
	json_decref(in);
	json_decref(row);
	json_decref(before);
	json_decref(after);
	return 0;
}

/* ---- procedure transitions ---- */

/* Side effects of entering a state: reaching step 3 reports the incident to the coordinator
 * (it becomes a named participant, so it sees even TLP:RED); a final state closes it. */
static int enter_state(struct store *st, int64_t id, const json_t *inc,
		       const struct preset_item *to, json_t *row)
{
	char v[32];
	int64_t coord, now = tm_now();

	json_object_set_new(row, "status", json_string(to->code));
	json_object_set_new(row, "state_changed_at", json_integer(now));
	if (to->rank >= 3 && json_is_null(json_object_get(inc, "reported_at"))) {
		json_object_set_new(row, "reported_at", json_integer(now));
		if (store_meta_get(st, "coordinator_org_id", v, sizeof v) == STORE_OK &&
		    str_to_i64(v, 1, INT64_MAX, &coord) == 0) {
			int rc = store_incident_add_org(st, id, coord, "coordinator");

			if (rc == STORE_OK) rc = store_outbox_add(st, "incident_reported", coord, id, 0, now); /* docs/mail.md */
			if (rc != STORE_OK)
				return rc;
		}
	}
	if (to->final)
		json_object_set_new(row, "closed_at", json_integer(now));
	return STORE_OK;
}

static int transition_apply(struct http_req *req, struct http_res *res, struct api_tx *tx,
			    int64_t id, json_t *before, const struct preset_transition *t,
			    const char *note, json_t *row)
{
	struct api_ctx *cx = req->ctx;
	const struct preset_item *to = preset_state(api_env.preset, t->to);
	json_t *after = NULL, *data;
	int rc;

	rc = enter_state(tx->st, id, before, to, row);
	if (rc == STORE_OK)
		rc = store_incident_update(tx->st, id,
					   json_integer_value(json_object_get(before, "version")), row);
	data = json_pack("{s:s, s:s, s:s, s:s}", "action", t->action, "from",
			 json_string_value(json_object_get(before, "status")), "to", t->to, "source",
			 t->source);
	if (rc == STORE_OK)
		rc = store_journal_add(tx->st, id, "status", cx->user.id, cx->subject.org_id,
				       note ? note : "", data, NULL);
	json_decref(data);
	if (rc == STORE_OK)
		rc = api_escalate_state(tx->st, id,
					json_string_value(json_object_get(before, "severity")),
					json_string_value(json_object_get(before, "grp")),
					json_string_value(json_object_get(before, "status")), t->to);
	if (rc == STORE_OK && (rc = store_incident_get(tx->st, id, &after)) == STORE_OK)
		present(after);
	return api_tx_finish(tx, req, res, rc,
			     &(struct api_done){"incident.transition", "incident", id, before, 200,
						NULL},
			     after);
}

int api_incidents_transition(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"action", "note", "form", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *before = NULL, *row = json_object();
	const struct preset_transition *t;
	const char *action, *note;
	struct ac_incident ai;
	struct facts_ctx fc;
	struct proc_facts f;
	char why[768];
	struct api_tx tx;
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_TRANSITION, &ai) != 0)
		goto out;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "action", true, PRESET_CODE, false, res, &action) < 0 ||
	    http_json_str(in, "note", false, TEXT_MAX, true, res, &note) < 0)
		goto out;
	if (begin_on(req, res, &tx, id, &before) != 0)
		goto out;
	/* a form sent with the action (the closing record with "close") counts for its check */
	if (api_if_match(req, res, json_integer_value(json_object_get(before, "version"))) != 0 ||
	    forms_merge(api_env.preset, json_object_get(in, "form"), json_object_get(before, "form"),
			row, res) != 0) {
		api_tx_abort(&tx);
		goto out;
	}
	facts_of(cx, before, &fc, &f);
	if (json_object_get(row, "form"))
		fc.form = json_object_get(row, "form");
	if (procedure_check(api_env.preset, &f, action, &t, why, sizeof why) != 0) {
		api_tx_abort(&tx);
		http_res_problem(res, 409, "Transition not allowed", "action", "%s", why);
		goto out;
	}
	transition_apply(req, res, &tx, id, before, t, note, row);
out:
	json_decref(in);
	json_decref(before);
	json_decref(row);
	return 0;
}

/* ---- flags (beyond capacity, violation of law, unresolved...) ---- */

static int flag_raise(struct http_req *req, struct http_res *res, struct api_tx *tx, int64_t id,
		      json_t *before, const struct preset_item *flag, const char *note)
{
	struct api_ctx *cx = req->ctx;
	const char *old = json_string_value(json_object_get(before, "flags"));
	json_t *row = json_object(), *after = NULL, *data;
	struct buf b;
	int rc;

	buf_init(&b, 4096);
	buf_printf(&b, "%s%s%s", old && old[0] ? old : "", old && old[0] ? "," : "", flag->code);
	json_object_set_new(row, "flags", json_string(b.p ? b.p : ""));
	buf_free(&b);
	rc = store_incident_update(tx->st, id, json_integer_value(json_object_get(before, "version")),
				   row);
	json_decref(row);
	data = json_pack("{s:s, s:s}", "flag", flag->code, "source", flag->source);
	if (rc == STORE_OK)
		rc = store_journal_add(tx->st, id, "flag", cx->user.id, cx->subject.org_id,
				       note ? note : flag->name_vi, data, NULL);
	json_decref(data);
	if (rc == STORE_OK)
		rc = api_escalate_flag(tx->st, id, json_string_value(json_object_get(before, "severity")),
				       json_string_value(json_object_get(before, "grp")), flag->code);
	if (rc == STORE_OK && (rc = store_incident_get(tx->st, id, &after)) == STORE_OK)
		present(after);
	return api_tx_finish(tx, req, res, rc,
			     &(struct api_done){"incident.flag", "incident", id, before, 200, NULL},
			     after);
}

int api_incidents_flag(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"flag", "note", NULL};
	json_t *in = NULL, *before = NULL;
	const struct preset_item *flag;
	const char *code, *note;
	struct ac_incident ai;
	struct api_tx tx;
	int64_t id;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_EDIT, &ai) != 0)
		return 0;
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "flag", true, PRESET_CODE, false, res, &code) < 0 ||
	    http_json_str(in, "note", false, TEXT_MAX, true, res, &note) < 0)
		goto out;
	flag = preset_flag(api_env.preset, code);
	if (flag == NULL) {
		http_res_problem(res, 422, "Invalid field", "flag",
				 "Dấu hiệu '%s' không có trong quy chế / the preset has no flag '%s'", code,
				 code);
		goto out;
	}
	if (begin_on(req, res, &tx, id, &before) != 0)
		goto out;
	if (has_flag(json_string_value(json_object_get(before, "flags")), code)) {
		api_tx_abort(&tx);
		present(before);
		http_res_json(res, 200, before); /* raising a raised flag changes nothing */
		before = NULL;
		goto out;
	}
	flag_raise(req, res, &tx, id, before, flag, note);
out:
	json_decref(in);
	json_decref(before);
	return 0;
}
