/* stix.c - STIX 2.1 export (docs/stix.md): the builder that makes STIX objects from the rows
 * the store walks (shared with the TAXII server), bundles of one warning or incident, and their
 * download routes. Every id is deterministic (UUIDv5 of the instance namespace and a stable key),
 * so an export made twice is byte for byte the same and TAXII clients dedupe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "core/indicator.h"
#include "stix.h"
#include "util/str.h"

int stix_namespace(struct store *st, unsigned char ns[16])
{
	char txt[64];
	int rc = store_stix_namespace(st, txt, sizeof txt);

	if (rc == STORE_OK)
		stix_instance_ns(txt, ns);
	return rc;
}

json_t *stix_marking_object(int t)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}", "type", "marking-definition",
			 "spec_version", "2.1", "id", stix_tlp_marking_id(t), "created",
			 STIX_TLP2_CREATED, "name", stix_tlp_marking_name(t), "extensions",
			 STIX_TLP2_EXTENSION, "extension_type", "property-extension", "tlp_2_0",
			 stix_tlp_value(t));
}

static void fmt_time(int64_t t, char out[STIX_TIME_MAX])
{
	if (stix_time_format(t, 0, out, STIX_TIME_MAX) != 0)
		stix_time_format(0, 0, out, STIX_TIME_MAX);
}

/* ---- JSON text: the objects are written directly (the TAXII pages are large; jansson's
 * allocations per value were most of their cost) ---- */

void stix_json_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	buf_append(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		if (c == '"')
			buf_append(b, "\\\"", 2);
		else if (c == '\\')
			buf_append(b, "\\\\", 2);
		else if (c == '\n')
			buf_append(b, "\\n", 2);
		else if (c == '\r')
			buf_append(b, "\\r", 2);
		else if (c == '\t')
			buf_append(b, "\\t", 2);
		else
			buf_append(b, esc, sizeof esc);
		run = s + 1;
	}
	buf_append(b, run, (size_t)(s - run));
	buf_append(b, "\"", 1);
}

static void prop(struct stix_build *b, const char *key, const char *v)
{
	buf_printf(&b->out, ",\"%s\":", key);
	stix_json_str(&b->out, v);
}

/* One external reference list [{"source_name": src, "external_id": id}]. */
static void extref(struct stix_build *b, const char *src, const char *id)
{
	buf_puts(&b->out, ",\"external_references\":[{\"source_name\":");
	stix_json_str(&b->out, src);
	buf_puts(&b->out, ",\"external_id\":");
	stix_json_str(&b->out, id);
	buf_puts(&b->out, "}]");
}

/* Starts an object with the properties every object of a row carries. */
static void base(struct stix_build *b, const char *type, const char *id, const char *created,
		 const char *modified, bool by_ref)
{
	buf_reset(&b->out);
	buf_printf(&b->out, "{\"type\":\"%s\",\"spec_version\":\"2.1\",\"id\":\"%s\",\"created\":"
			    "\"%s\",\"modified\":\"%s\"",
		   type, id, created, modified);
	if (by_ref)
		buf_printf(&b->out, ",\"created_by_ref\":\"%s\"", b->identity_id);
	buf_printf(&b->out, ",\"object_marking_refs\":[\"%s\"]", stix_tlp_marking_id(b->tlp));
	b->meta = (struct stix_meta){.type = type, .id = id, .created = created,
				     .modified = modified, .tlp = b->tlp};
}

static int emit(struct stix_build *b)
{
	int rc;

	if (buf_puts(&b->out, "}") != BUF_OK)
		return STORE_EIO;
	rc = b->sink(b->ctx, b->out.p, b->out.len, &b->meta, &b->pos);
	b->pos.seq++;
	return rc;
}

/* Adds an id to the object_refs of the row's report. */
static void add_ref(struct stix_build *b, const char *id)
{
	buf_printf(&b->refs, "%s\"%s\"", b->nrefs ? "," : "", id);
	b->nrefs++;
}

static void identity_id(struct stix_build *b, int64_t org_id)
{
	char key[48];

	snprintf(key, sizeof key, "org:%lld", (long long)org_id);
	stix_id_make(b->ns, "identity", key, strlen(key), b->identity_id, sizeof b->identity_id);
}

/* The identity of the issuing or reporting organisation (in a bundle: only the first time). */
static int emit_identity(struct stix_build *b, int64_t org_id, const char *name, int64_t created,
			 int64_t modified, const char *code)
{
	char c[STIX_TIME_MAX], m[STIX_TIME_MAX];

	identity_id(b, org_id);
	if (!b->inline_identity)
		return 0;
	fmt_time(created, c);
	fmt_time(modified > created ? modified : created, m);
	base(b, "identity", b->identity_id, c, m, false);
	prop(b, "name", name);
	buf_puts(&b->out, ",\"identity_class\":\"organization\",\"sectors\":[\"government-regional\"]");
	extref(b, "ungcuu-org", code);
	return emit(b);
}

/* A TAXII walk's identity row: the organisation's identity, marked with the lowest TLP of the
 * collection (identities of the network's organisations are not secret). */
static int on_org(void *ctx, const struct store_stix_org *org)
{
	struct stix_build *b = ctx;
	bool keep = b->inline_identity;
	int rc;

	b->pos = (struct stix_pos){.at = org->updated_at, .id = -org->id, .seq = 0};
	b->tlp = b->org_tlp;
	b->inline_identity = true;
	rc = emit_identity(b, org->id, org->name, org->created_at, org->updated_at, org->code);
	b->inline_identity = keep;
	return rc;
}

static void row_start(struct stix_build *b, int tlp, int64_t at, int64_t id, int64_t created,
		      int64_t updated)
{
	b->tlp = tlp >= 0 && tlp < TLP_COUNT ? tlp : TLP_RED;
	b->pos = (struct stix_pos){.at = at, .id = id, .seq = 0};
	fmt_time(created, b->created);
	fmt_time(updated > created ? updated : created, b->modified);
	buf_reset(&b->refs);
	b->nrefs = 0;
}

static int on_warning(void *ctx, const struct store_stix_warning *w)
{
	struct stix_build *b = ctx;

	b->warning = true;
	b->w = *w;
	row_start(b, w->tlp, w->updated_at, w->id, w->created_at, w->updated_at);
	stix_warning_report_id(b->ns, w->stix_id, w->ref, b->report_id, sizeof b->report_id);
	str_copy(b->main_id, sizeof b->main_id, b->report_id);
	return emit_identity(b, w->issuer_org_id, w->org_name, w->org_created_at, w->org_updated_at,
			     w->org_code);
}

static int on_incident(void *ctx, const struct store_stix_incident *i)
{
	struct stix_build *b = ctx;
	char key[64];
	int rc;

	b->warning = false;
	b->i = *i;
	row_start(b, i->tlp, i->updated_at, i->id, i->created_at, i->updated_at);
	snprintf(key, sizeof key, "incident:%s", i->ref);
	stix_id_make(b->ns, "incident", key, strlen(key), b->main_id, sizeof b->main_id);
	snprintf(key, sizeof key, "incident-report:%s", i->ref);
	stix_id_make(b->ns, "report", key, strlen(key), b->report_id, sizeof b->report_id);
	rc = emit_identity(b, i->org_id, i->org_name, i->org_created_at, i->org_updated_at,
			   i->org_code);
	if (rc != 0)
		return rc;
	/* the STIX 2.1 incident object (a stub in 2.1: name, description) */
	base(b, "incident", b->main_id, b->created, b->modified, true);
	prop(b, "name", i->title);
	if (i->description[0])
		prop(b, "description", i->description);
	extref(b, "ungcuu", i->ref);
	buf_puts(&b->out, ",\"labels\":[");
	stix_json_str(&b->out, i->grp);
	buf_puts(&b->out, ",");
	stix_json_str(&b->out, i->type);
	buf_puts(&b->out, ",");
	stix_json_str(&b->out, i->severity);
	buf_puts(&b->out, "]");
	add_ref(b, b->main_id);
	return emit(b);
}

static int on_indicator(void *ctx, const char *kind, const char *value, int64_t created_at)
{
	struct stix_build *b = ctx;
	char pattern[STIX_PATTERN_MAX], id[STIX_ID_MAX], c[STIX_TIME_MAX], name[160];
	char key[STIX_ID_MAX + 16 + IND_VALUE_MAX];
	enum ind_kind k;
	int n;

	if (indicator_kind_parse(kind, &k) != 0 ||
	    stix_pattern_make(k, value, pattern, sizeof pattern) != 0)
		return 0; /* a row this version does not know: left out */
	n = snprintf(key, sizeof key, "%s|%s|%s", b->main_id, kind, value);
	if (n < 0 || (size_t)n >= sizeof key)
		return 0;
	stix_id_make(b->ns, "indicator", key, (size_t)n, id, sizeof id);
	if (b->pos.at == b->resume.at && b->pos.id == b->resume.id && b->pos.seq < b->resume.seq) {
		/* sent on an earlier page: only its id is needed, for the report */
		add_ref(b, id);
		b->pos.seq++;
		return 0;
	}
	fmt_time(created_at, c);
	base(b, "indicator", id, c, c, true);
	snprintf(name, sizeof name, "%s: %.120s%s", kind, value, strlen(value) > 120 ? "..." : "");
	prop(b, "name", name);
	buf_puts(&b->out, ",\"indicator_types\":[\"malicious-activity\"]");
	prop(b, "pattern", pattern);
	buf_printf(&b->out, ",\"pattern_type\":\"stix\",\"pattern_version\":\"2.1\","
			    "\"valid_from\":\"%s\"", c);
	add_ref(b, id);
	return emit(b);
}

/* The vulnerabilities (CVE references) and recommended actions of a warning. */
static int warning_extras(struct stix_build *b)
{
	json_t *refs = json_loads(b->w.refs, 0, NULL), *r;
	char key[STIX_ID_MAX + 64], id[STIX_ID_MAX], name[400];
	struct msg m;
	size_t i;
	int rc = 0;

	json_array_foreach(refs, i, r) {
		const char *type = json_string_value(json_object_get(r, "type"));
		const char *v = json_string_value(json_object_get(r, "value"));

		if (rc != 0 || type == NULL || v == NULL || strcmp(type, "cve") != 0 ||
		    !stix_cve_ok(v, strlen(v)))
			continue;
		snprintf(key, sizeof key, "%s|cve|%s", b->report_id, v);
		stix_id_make(b->ns, "vulnerability", key, strlen(key), id, sizeof id);
		base(b, "vulnerability", id, b->created, b->modified, true);
		prop(b, "name", v);
		extref(b, "cve", v);
		add_ref(b, id);
		rc = emit(b);
	}
	json_decref(refs);
	if (rc != 0 || b->w.actions[0] == '\0')
		return rc;
	snprintf(key, sizeof key, "%s|course-of-action", b->report_id);
	stix_id_make(b->ns, "course-of-action", key, strlen(key), id, sizeof id);
	base(b, "course-of-action", id, b->created, b->modified, true);
	/* the bundle is the same for every reader (TAXII serves it as stored): a document of the
	 * province, in Vietnamese */
	msg_set(&m, M_stix_course_of_action, MS("ref", b->w.ref));
	(void)msg_render(&m, MSG_VI, name, sizeof name);
	prop(b, "name", name);
	prop(b, "description", b->w.actions);
	add_ref(b, id);
	return emit(b);
}

/* After the row's indicators: its extras, then the report that names them all. */
static int on_end(void *ctx)
{
	struct stix_build *b = ctx;
	char published[STIX_TIME_MAX];
	int rc = 0;

	if (b->warning)
		rc = warning_extras(b);
	if (rc != 0)
		return rc;
	if (b->nrefs == 0)
		add_ref(b, b->identity_id);
	base(b, "report", b->report_id, b->created, b->modified, true);
	if (b->warning) {
		fmt_time(b->w.issued_at ? b->w.issued_at : b->w.created_at, published);
		prop(b, "name", b->w.title);
		if (b->w.description[0])
			prop(b, "description", b->w.description);
		buf_puts(&b->out, ",\"report_types\":[\"threat-report\"],\"labels\":[");
		stix_json_str(&b->out, b->w.severity);
		buf_puts(&b->out, ",");
		stix_json_str(&b->out, b->w.status);
		buf_puts(&b->out, "]");
		extref(b, "ungcuu", b->w.ref);
	} else {
		fmt_time(b->i.reported_at ? b->i.reported_at : b->i.created_at, published);
		prop(b, "name", b->i.title);
		buf_puts(&b->out, ",\"report_types\":[\"incident\"],\"labels\":[");
		stix_json_str(&b->out, b->i.status);
		buf_puts(&b->out, "]");
		extref(b, "ungcuu", b->i.ref);
	}
	buf_printf(&b->out, ",\"published\":\"%s\",\"object_refs\":[", published);
	buf_append(&b->out, b->refs.p ? b->refs.p : "", b->refs.len);
	buf_puts(&b->out, "]");
	return emit(b);
}

void stix_build_init(struct stix_build *b, const unsigned char ns[16], stix_sink_fn sink,
		     void *ctx, struct store_stix_visitor *v)
{
	memset(b, 0, sizeof *b);
	memcpy(b->ns, ns, 16);
	b->sink = sink;
	b->ctx = ctx;
	b->inline_identity = true;
	buf_init(&b->out, STIX_OBJECT_MAX);
	buf_init(&b->refs, STIX_OBJECT_MAX);
	*v = (struct store_stix_visitor){.warning = on_warning, .incident = on_incident,
					 .indicator = on_indicator, .end = on_end, .ctx = b};
}

void stix_build_walk(struct stix_build *b, struct store_stix_visitor *v, int org_tlp)
{
	b->inline_identity = false;
	b->org_tlp = org_tlp;
	v->org = on_org;
}

void stix_build_free(struct stix_build *b)
{
	buf_free(&b->out);
	buf_free(&b->refs);
}

/* ---- bundles ---- */

struct bundle_sink {
	json_t *objects;
	json_t *ids;        /* ids already in the bundle: an issuer's identity comes once */
	bool tlp[TLP_COUNT];
};

static int bundle_add(void *ctx, const char *text, size_t len, const struct stix_meta *m,
		      const struct stix_pos *pos)
{
	struct bundle_sink *bs = ctx;
	json_t *obj;

	(void)pos;
	if (m->tlp >= 0 && m->tlp < TLP_COUNT)
		bs->tlp[m->tlp] = true;
	if (json_object_get(bs->ids, m->id)) /* an issuer's identity comes once */
		return 0;
	obj = json_loadb(text, len, 0, NULL);
	if (obj == NULL)
		return STORE_EIO;
	json_object_set_new(bs->ids, m->id, json_true());
	return json_array_append_new(bs->objects, obj) == 0 ? 0 : STORE_EIO;
}

/* Wraps the objects: the marking definitions they use first, then the objects; the bundle id
 * is a hash of the objects' ids and versions, so the same content gives the same bundle. */
static json_t *bundle_wrap(const unsigned char ns[16], struct bundle_sink *bs)
{
	json_t *all = json_array(), *o, *b;
	struct buf key;
	char id[STIX_ID_MAX];
	size_t i;

	buf_init(&key, (size_t)1 << 30);
	for (int t = 0; t < TLP_COUNT; t++)
		if (bs->tlp[t])
			json_array_append_new(all, stix_marking_object(t));
	json_array_foreach(bs->objects, i, o) {
		json_array_append(all, o);
		const char *mod = json_string_value(json_object_get(o, "modified"));

		buf_printf(&key, "%s@%s\n", json_string_value(json_object_get(o, "id")),
			   mod ? mod : "");
	}
	stix_id_make(ns, "bundle", key.p ? key.p : "", key.len, id, sizeof id);
	buf_free(&key);
	b = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", id, "objects", all);
	return b;
}

typedef int (*walk_fn)(struct store *st, void *arg, const struct store_stix_visitor *v);

static int make_bundle(struct store *st, walk_fn fn, void *arg, json_t **out)
{
	struct bundle_sink bs = {.objects = json_array(), .ids = json_object()};
	struct store_stix_visitor v;
	struct stix_build b;
	unsigned char ns[16];
	int rc;

	*out = NULL;
	rc = stix_namespace(st, ns);
	if (rc != STORE_OK)
		goto out;
	stix_build_init(&b, ns, bundle_add, &bs, &v);
	rc = fn(st, arg, &v);
	stix_build_free(&b);
	if (rc == STORE_OK) {
		*out = bundle_wrap(ns, &bs);
		if (*out == NULL)
			rc = STORE_EIO;
	}
out:
	json_decref(bs.objects);
	json_decref(bs.ids);
	return rc;
}

static int walk_warning(struct store *st, void *arg, const struct store_stix_visitor *v)
{
	return store_stix_warning_visit(st, *(int64_t *)arg, v);
}

static int walk_incident(struct store *st, void *arg, const struct store_stix_visitor *v)
{
	return store_stix_incident_visit(st, *(int64_t *)arg, v);
}

static int walk_all(struct store *st, void *arg, const struct store_stix_visitor *v)
{
	struct ac_scope everything = {.everything = true};
	struct store_stix_page q = {.scope = &everything, .min_tlp = 0, .max_tlp = TLP_COUNT - 1,
				    .at = INT64_MIN, .id = 0, .added_after = INT64_MIN};

	(void)arg;
	return store_stix_warning_walk(st, &q, v);
}

int stix_bundle_warning(struct store *st, int64_t id, json_t **out)
{
	return make_bundle(st, walk_warning, &id, out);
}

int stix_bundle_incident(struct store *st, int64_t id, json_t **out)
{
	return make_bundle(st, walk_incident, &id, out);
}

int stix_bundle_all_warnings(struct store *st, json_t **out)
{
	return make_bundle(st, walk_all, NULL, out);
}

/* ---- routes ---- */

static int send_bundle(struct http_res *res, json_t *bundle, const char *name)
{
	char cd[160];
	char *s = json_dumps(bundle, JSON_COMPACT);

	json_decref(bundle);
	if (s == NULL)
		return api_store_error(res, STORE_EIO);
	res->status = 200;
	buf_reset(&res->body);
	buf_puts(&res->body, s);
	free(s);
	str_copy(res->content_type, sizeof res->content_type, STIX_MEDIA);
	snprintf(cd, sizeof cd, "attachment; filename=\"%s.stix.json\"", name);
	http_res_header(res, "Content-Disposition", cd);
	return 0;
}

int api_warnings_stix(struct http_req *req, struct http_res *res)
{
	struct ac_warning aw;
	json_t *bundle;
	char name[32];
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_warnings_access(req, res, id, AC_READ, &aw) != 0)
		return 0;
	rc = stix_bundle_warning(api_store(), id, &bundle);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	snprintf(name, sizeof name, "warning-%lld", (long long)id);
	return send_bundle(res, bundle, name);
}

int api_incidents_stix(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *bundle;
	char name[32];
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 ||
	    api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = stix_bundle_incident(api_store(), id, &bundle);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	snprintf(name, sizeof name, "incident-%lld", (long long)id);
	return send_bundle(res, bundle, name);
}
