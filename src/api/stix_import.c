/* stix_import.c - STIX 2.1 bundles into draft warnings (docs/stix.md): every object is checked
 * against the STIX 2.1 rules ungcuu implements (identifier form and type, spec_version, the
 * required properties of the types it takes, timestamp form, modified >= created); errors are
 * listed per object and any error creates nothing. What is valid but not taken (patterns beyond
 * the supported subset, object types without a place in a warning) is listed as skipped. What
 * was found goes to ops_exchange_import, which writes the draft in the caller's transaction;
 * that shared tail is the MISP import's too (api/misp.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "http/http.h"
#include "ops/exchange.h"
#include "stix.h"
#include "stix_import.h"
#include "util/str.h"

#define TITLE_MAX_CHARS 300
#define TEXT_MAX_CHARS 20000

void stix_import_init(struct stix_import *m)
{
	memset(m, 0, sizeof *m);
	m->errors = json_array();
	m->skipped = json_array();
	m->indicators = json_array();
	m->seen = json_object();
	m->refs = json_array();
	m->tlp = -1;
	buf_init(&m->actions, 4 * TEXT_MAX_CHARS);
}

void stix_import_free(struct stix_import *m)
{
	json_decref(m->errors);
	json_decref(m->skipped);
	json_decref(m->indicators);
	json_decref(m->seen);
	json_decref(m->refs);
	buf_free(&m->actions);
	free(m->title);
	free(m->description);
}

static json_t *where(int64_t index, const char *id)
{
	json_t *o = json_object();

	if (index >= 0)
		json_object_set_new(o, "index", json_integer(index));
	json_object_set_new(o, "id", id ? json_string(id) : json_null());
	return o;
}

void stix_import_error(struct stix_import *m, int64_t index, const char *id, const char *property,
	       const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *o;

	m->nerrors++;
	if (json_array_size(m->errors) > STIX_IMPORT_ERRORS)
		return;
	if (json_array_size(m->errors) == STIX_IMPORT_ERRORS) {
		json_array_append_new(m->errors, json_pack("{s:n, s:s}", "id", "error",
							   "too many errors; the rest are not listed"));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	o = where(index, id);
	json_object_set_new(o, "property", property ? json_string(property) : json_null());
	json_object_set_new(o, "error", json_string(msg));
	json_array_append_new(m->errors, o);
}

void stix_import_skip(struct stix_import *m, int64_t index, const char *id, const char *type,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *o;

	if (json_array_size(m->skipped) >= STIX_IMPORT_OBJECTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	o = where(index, id);
	if (type)
		json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "reason", json_string(msg));
	json_array_append_new(m->skipped, o);
}

int stix_import_indicator(struct stix_import *m, enum ind_kind kind, const char *value,
			  const char *note)
{
	char key[IND_VALUE_MAX + 16];

	snprintf(key, sizeof key, "%s|%s", indicator_kind_name(kind), value);
	if (json_object_get(m->seen, key))
		return 0;
	if (json_array_size(m->indicators) >= STIX_IMPORT_INDICATORS) {
		if (!m->too_many) {
			stix_import_error(m, -1, NULL, NULL, "more than %d indicators in one import",
				  STIX_IMPORT_INDICATORS);
			m->too_many = true;
		}
		return -1;
	}
	json_object_set_new(m->seen, key, json_true());
	json_array_append_new(m->indicators,
			      json_pack("{s:s, s:s, s:s}", "kind", indicator_kind_name(kind), "value",
					value, "note", note ? note : ""));
	return 0;
}

void stix_import_reference(struct stix_import *m, const char *type, const char *value)
{
	json_t *r;
	size_t i;

	json_array_foreach(m->refs, i, r)
		if (strcmp(json_string_value(json_object_get(r, "value")), value) == 0)
			return;
	json_array_append_new(m->refs, json_pack("{s:s, s:s}", "type", type, "value", value));
}

/* A copy of at most maxchars code points of s (cut on a character boundary). */
static char *clip(const char *s, size_t maxchars)
{
	size_t n = 0, chars = 0;

	while (s[n] && chars < maxchars) {
		n++;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	return strndup(s, n);
}

void stix_import_text(char **dst, const char *s, bool title)
{
	free(*dst);
	*dst = clip(s, title ? TITLE_MAX_CHARS : TEXT_MAX_CHARS);
}

void stix_import_action(struct stix_import *m, const char *name, const char *desc)
{
	if (m->actions.len)
		buf_puts(&m->actions, "\n");
	buf_puts(&m->actions, name);
	if (desc && desc[0]) {
		buf_puts(&m->actions, ": ");
		buf_puts(&m->actions, desc);
	}
}

int stix_import_create(const struct ops_ctx *c, struct stix_import *m, const char *format,
		       const char *source, json_t **result, struct ops_err *err)
{
	const char *name = strcmp(format, "misp") == 0 ? "MISP" : "STIX";
	struct ops_import in;
	json_t *w = NULL;
	char *actions;
	int rc;

	*result = NULL;
	if (m->nerrors) {
		size_t n = json_array_size(m->errors);

		*result = json_pack("{s:O, s:O}", "errors", m->errors, "skipped", m->skipped);
		return ops_refuse(err, 422, "Invalid document", NULL,
				  M_import_invalid, MS("format", name), MN("errors", n));
	}
	actions = clip(m->actions.p ? m->actions.p : "", TEXT_MAX_CHARS);
	in = (struct ops_import){.format = format, .source = source, .title = m->title,
				 .description = m->description, .actions = actions,
				 .severity_rank = m->severity_rank, .tlp = m->tlp, .refs = m->refs,
				 .indicators = m->indicators};
	rc = ops_exchange_import(c, &in, &w, err);
	free(actions);
	if (rc != OPS_OK)
		return rc;
	*result = json_pack("{s:o, s:O, s:[]}", "warning", w, "skipped", m->skipped, "errors");
	return *result ? OPS_OK : ops_store(err, STORE_EIO);
}

int stix_import_parse(const char *data, size_t len, json_t **out, char *why, size_t whysz)
{
	struct http_res res;
	json_t *detail;
	int rc;

	*out = NULL;
	http_res_init(&res);
	rc = http_json_parse(data, len, "application/json", &res, out);
	if (rc != 0) {
		json_t *p = json_loadb(res.body.p ? res.body.p : "{}", res.body.len, 0, NULL);

		detail = json_object_get(p, "detail");
		snprintf(why, whysz, "%s",
			 json_string_value(detail) ? json_string_value(detail) : "invalid JSON");
		json_decref(p);
	}
	http_res_free(&res);
	return rc;
}

/* ---- STIX validation ---- */

static bool is_sco(const char *type)
{
	static const char *const scos[] = {
		"artifact", "autonomous-system", "directory", "domain-name", "email-addr",
		"email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
		"network-traffic", "process", "software", "url", "user-account",
		"windows-registry-key", "x509-certificate", NULL};

	for (size_t i = 0; scos[i]; i++)
		if (strcmp(type, scos[i]) == 0)
			return true;
	return false;
}

struct obj_ctx {
	struct stix_import *m;
	int64_t index;
	const char *id;
	const json_t *o;
};

static const char *req_str(struct obj_ctx *c, const char *prop)
{
	const json_t *v = json_object_get(c->o, prop);

	if (v == NULL) {
		stix_import_error(c->m, c->index, c->id, prop, "required property is missing");
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		stix_import_error(c->m, c->index, c->id, prop, "must be a non-empty string");
		return NULL;
	}
	return json_string_value(v);
}

/* A timestamp property; sets *sec and *ms. Returns 1 present and valid, 0 absent, -1 invalid. */
static int ts_prop(struct obj_ctx *c, const char *prop, bool required, int64_t *sec, int *ms)
{
	const json_t *v = json_object_get(c->o, prop);
	const char *why;

	*sec = 0;
	*ms = 0;
	if (v == NULL) {
		if (required)
			stix_import_error(c->m, c->index, c->id, prop, "required property is missing");
		return required ? -1 : 0;
	}
	if (!json_is_string(v) ||
	    stix_time_parse(json_string_value(v), json_string_length(v), sec, ms, &why) != 0) {
		stix_import_error(c->m, c->index, c->id, prop, "%s",
			  json_is_string(v) ? why : "a timestamp must be a string");
		return -1;
	}
	return 1;
}

static int cmp_ts(int64_t a, int am, int64_t b, int bm)
{
	return a != b ? (a < b ? -1 : 1) : (am != bm ? (am < bm ? -1 : 1) : 0);
}

/* An identifier property (or each of a list when list): valid, of type when not NULL. */
static void id_prop(struct obj_ctx *c, const char *prop, const char *type, bool list,
		    bool required)
{
	const json_t *v = json_object_get(c->o, prop), *x;
	const char *why;
	size_t i;

	if (v == NULL) {
		if (required)
			stix_import_error(c->m, c->index, c->id, prop, "required property is missing");
		return;
	}
	if (list) {
		if (!json_is_array(v) || json_array_size(v) == 0) {
			stix_import_error(c->m, c->index, c->id, prop, "must be a non-empty list of identifiers");
			return;
		}
		json_array_foreach(v, i, x) {
			if (!json_is_string(x) ||
			    stix_id_check(json_string_value(x), json_string_length(x), type, &why) != 0) {
				stix_import_error(c->m, c->index, c->id, prop, "item %zu: %s", i,
					  json_is_string(x) ? why : "an identifier must be a string");
				return;
			}
		}
		return;
	}
	if (!json_is_string(v) ||
	    stix_id_check(json_string_value(v), json_string_length(v), type, &why) != 0)
		stix_import_error(c->m, c->index, c->id, prop, "%s",
			  json_is_string(v) ? why : "an identifier must be a string");
}

/* Common properties (STIX 2.1 §3). Returns the TLP of the object's markings (-1 none). */
static int common(struct obj_ctx *c, const char *type)
{
	const json_t *sv = json_object_get(c->o, "spec_version"), *mr, *er, *x;
	int64_t cs, ms;
	int cms, mms, hc, hm, tlp = -1;
	size_t i;

	if (sv == NULL && !is_sco(type))
		stix_import_error(c->m, c->index, c->id, "spec_version", "required property is missing");
	else if (sv && (!json_is_string(sv) || strcmp(json_string_value(sv), "2.1") != 0))
		stix_import_error(c->m, c->index, c->id, "spec_version", "must be \"2.1\"");
	if (is_sco(type))
		return -1;
	hc = ts_prop(c, "created", true, &cs, &cms);
	if (strcmp(type, "marking-definition") != 0) {
		hm = ts_prop(c, "modified", true, &ms, &mms);
		if (hc == 1 && hm == 1 && cmp_ts(ms, mms, cs, cms) < 0)
			stix_import_error(c->m, c->index, c->id, "modified", "modified is earlier than created");
	}
	id_prop(c, "created_by_ref", "identity", false, false);
	mr = json_object_get(c->o, "object_marking_refs");
	if (mr) {
		id_prop(c, "object_marking_refs", "marking-definition", true, false);
		json_array_foreach(mr, i, x) {
			int t = json_is_string(x) ? stix_tlp_of_marking(json_string_value(x)) : -1;

			if (t > tlp)
				tlp = t;
		}
	}
	er = json_object_get(c->o, "external_references");
	if (er && !json_is_array(er))
		stix_import_error(c->m, c->index, c->id, "external_references", "must be a list");
	json_array_foreach(er, i, x)
		if (!json_is_object(x) || !json_is_string(json_object_get(x, "source_name")))
			stix_import_error(c->m, c->index, c->id, "external_references",
				  "item %zu has no source_name", i);
	x = json_object_get(c->o, "revoked");
	if (x && !json_is_boolean(x))
		stix_import_error(c->m, c->index, c->id, "revoked", "must be true or false");
	return tlp;
}

struct pat_ctx {
	struct stix_import *m;
	const char *note;
	int added;
};

static int pattern_found(void *ctx, enum ind_kind kind, const char *value)
{
	struct pat_ctx *p = ctx;

	if (stix_import_indicator(p->m, kind, value, p->note) != 0)
		return -2;
	p->added++;
	return 0;
}

static void take_indicator(struct obj_ctx *c)
{
	const char *pattern = req_str(c, "pattern"), *ptype = req_str(c, "pattern_type");
	const char *name = json_string_value(json_object_get(c->o, "name"));
	int64_t vf, vu;
	int vfm, vum, hf, hu, rc;
	struct pat_ctx p = {.m = c->m, .note = name ? name : ""};
	char why[256];

	hf = ts_prop(c, "valid_from", true, &vf, &vfm);
	hu = ts_prop(c, "valid_until", false, &vu, &vum);
	if (hf == 1 && hu == 1 && cmp_ts(vu, vum, vf, vfm) <= 0)
		stix_import_error(c->m, c->index, c->id, "valid_until",
				  "valid_until must be later than valid_from");
	if (pattern == NULL || ptype == NULL || c->m->nerrors)
		return;
	if (strcmp(ptype, "stix") != 0) {
		stix_import_skip(c->m, c->index, c->id, "indicator", "pattern_type '%s' is not taken (only stix)",
			 ptype);
		return;
	}
	rc = stix_pattern_parse(pattern, strlen(pattern), pattern_found, &p, why, sizeof why);
	if (rc == -1)
		stix_import_skip(c->m, c->index, c->id, "indicator", "pattern not taken: %s", why);
}

static void take_vulnerability(struct obj_ctx *c)
{
	const char *name = req_str(c, "name");
	const json_t *er = json_object_get(c->o, "external_references"), *x;
	size_t i;

	if (name == NULL)
		return;
	json_array_foreach(er, i, x) {
		const char *src = json_string_value(json_object_get(x, "source_name"));
		const char *eid = json_string_value(json_object_get(x, "external_id"));

		if (src && eid && str_ieq(src, "cve") && stix_cve_ok(eid, strlen(eid))) {
			char up[32];

			str_copy(up, sizeof up, eid);
			for (char *q = up; *q; q++)
				if (*q >= 'a' && *q <= 'z')
					*q = (char)(*q - 32);
			stix_import_reference(c->m, "cve", up);
			return;
		}
	}
	if (stix_cve_ok(name, strlen(name))) {
		char up[32];

		str_copy(up, sizeof up, name);
		for (char *q = up; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 32);
		stix_import_reference(c->m, "cve", up);
		return;
	}
	stix_import_skip(c->m, c->index, c->id, "vulnerability", "no CVE id (external reference 'cve')");
}

static void take_report(struct obj_ctx *c)
{
	const char *name = req_str(c, "name");
	const char *desc = json_string_value(json_object_get(c->o, "description"));
	int64_t p;
	int pm;

	ts_prop(c, "published", true, &p, &pm);
	id_prop(c, "object_refs", NULL, true, true);
	if (name && !c->m->have_report) {
		c->m->have_report = true;
		stix_import_text(&c->m->title, name, true);
		stix_import_text(&c->m->description, desc ? desc : "", false);
	} else if (name) {
		stix_import_skip(c->m, c->index, c->id, "report", "only the first report gives the title");
	}
}

static void take_object(struct stix_import *m, int64_t index, const json_t *o)
{
	struct obj_ctx c = {.m = m, .index = index, .o = o};
	const json_t *t = json_object_get(o, "type"), *id = json_object_get(o, "id");
	const char *type, *why;
	int tlp;

	if (!json_is_object(o)) {
		stix_import_error(m, index, NULL, NULL, "an object must be a JSON object");
		return;
	}
	if (!json_is_string(t) || !stix_type_ok(json_string_value(t), json_string_length(t))) {
		stix_import_error(m, index, NULL, "type", "missing, or not a valid STIX type name");
		return;
	}
	type = json_string_value(t);
	if (!json_is_string(id)) {
		stix_import_error(m, index, NULL, "id", "required property is missing");
		return;
	}
	c.id = json_string_value(id);
	if (stix_id_check(c.id, json_string_length(id), type, &why) != 0) {
		stix_import_error(m, index, c.id, "id", "%s", why);
		return;
	}
	if (json_object_get(m->seen_ids, c.id)) {
		stix_import_error(m, index, c.id, "id", "the same object appears twice in the bundle");
		return;
	}
	json_object_set_new(m->seen_ids, c.id, json_true());
	tlp = common(&c, type);
	if (tlp > m->tlp)
		m->tlp = tlp;
	if (json_is_true(json_object_get(o, "revoked"))) {
		stix_import_skip(m, index, c.id, type, "revoked");
		return;
	}
	if (strcmp(type, "indicator") == 0) {
		take_indicator(&c);
	} else if (strcmp(type, "vulnerability") == 0) {
		take_vulnerability(&c);
	} else if (strcmp(type, "report") == 0) {
		take_report(&c);
	} else if (strcmp(type, "course-of-action") == 0) {
		const char *name = req_str(&c, "name");

		if (name)
			stix_import_action(m, name, json_string_value(json_object_get(o, "description")));
	} else if (strcmp(type, "identity") == 0) {
		req_str(&c, "name"); /* the sender: the draft's issuer is the importing organisation */
	} else if (strcmp(type, "marking-definition") == 0) {
		int mt = stix_tlp_of_marking(c.id);

		if (mt < 0 && json_object_get(o, "definition") == NULL &&
		    json_object_get(o, "extensions") == NULL)
			stix_import_error(m, index, c.id, "definition",
					  "a marking definition needs definition or extensions");
	} else if (strcmp(type, "relationship") == 0) {
		req_str(&c, "relationship_type");
		id_prop(&c, "source_ref", NULL, false, true);
		id_prop(&c, "target_ref", NULL, false, true);
		stix_import_skip(m, index, c.id, type, "relationships are not imported");
	} else {
		stix_import_skip(m, index, c.id, type, "objects of type '%s' have no place in a warning", type);
	}
}

int stix_import_bundle(const struct ops_ctx *c, const json_t *doc, json_t **result,
		       struct ops_err *err)
{
	const json_t *objects = json_object_get(doc, "objects"), *x;
	const json_t *type = json_object_get(doc, "type"), *id = json_object_get(doc, "id");
	const char *why = "";
	char source[STIX_ID_MAX + 8];
	struct stix_import m;
	size_t i;
	int rc;

	stix_import_init(&m);
	m.seen_ids = json_object();
	if (!json_is_string(type) || strcmp(json_string_value(type), "bundle") != 0)
		stix_import_error(&m, -1, NULL, "type", "the document must be a STIX bundle (type \"bundle\")");
	if (!json_is_string(id) ||
	    stix_id_check(json_string_value(id), json_string_length(id), "bundle", &why) != 0)
		stix_import_error(&m, -1, NULL, "id", "the bundle id: %s",
			  json_is_string(id) ? why : "required property is missing");
	if (json_object_get(doc, "spec_version"))
		stix_import_error(&m, -1, NULL, "spec_version",
			  "a STIX 2.1 bundle has no spec_version (this looks like STIX 2.0)");
	if (!json_is_array(objects) || json_array_size(objects) == 0)
		stix_import_error(&m, -1, NULL, "objects", "the bundle must hold a non-empty list of objects");
	else if (json_array_size(objects) > STIX_IMPORT_OBJECTS)
		stix_import_error(&m, -1, NULL, "objects", "more than %d objects in one bundle",
			  STIX_IMPORT_OBJECTS);
	else
		json_array_foreach(objects, i, x)
			take_object(&m, (int64_t)i, x);
	snprintf(source, sizeof source, "stix:%s", json_string_value(id) ? json_string_value(id) : "");
	if (!m.nerrors && json_array_size(m.indicators) == 0 && json_array_size(m.refs) == 0 &&
	    m.actions.len == 0 && !m.have_report)
		stix_import_error(&m, -1, NULL, "objects",
			  "nothing to import: no report, indicator, vulnerability or course of action");
	rc = stix_import_create(c, &m, "stix", source, result, err);
	json_decref(m.seen_ids);
	stix_import_free(&m);
	return rc;
}

/* ---- routes: POST /api/v1/imports/stix and /api/v1/imports/misp (raw body = the file) ---- */

static bool import_type_ok(const char *ct)
{
	return ct == NULL || ct[0] == '\0' || str_starts(ct, "application/json") ||
	       str_starts(ct, "application/stix+json") || str_starts(ct, "application/taxii+json") ||
	       str_starts(ct, "application/octet-stream");
}

/* Reads the upload's temp file (at most STIX_IMPORT_MAX bytes). Returns 0 or -1. */
static int read_upload(const struct http_req *req, struct buf *out)
{
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = 0;

	if (req->upload_path == NULL)
		return buf_append(out, req->body, req->body_len) == BUF_OK ? 0 : -1;
	f = fopen(req->upload_path, "rb");
	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(out, chunk, n) != BUF_OK) {
			rc = -1;
			break;
		}
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

/* Answers an invalid file: 422 problem+json with the errors and what was skipped. */
static void invalid_file(struct http_res *res, const struct ops_err *err, const json_t *result)
{
	json_t *p;

	/* the problem as every error is, with what the file held wrong beside it */
	p = http_problem_body(422, err->title, err->field[0] ? err->field : NULL, &err->msg,
			      res->lang);
	if (p == NULL) {
		http_res_problem_msg(res, 422, err->title, NULL, &err->msg);
		return;
	}
	json_object_set(p, "errors", json_object_get(result, "errors"));
	json_object_set(p, "skipped", json_object_get(result, "skipped"));
	http_res_json(res, 422, p);
	str_copy(res->content_type, sizeof res->content_type, "application/problem+json");
}

static int import_route(struct http_req *req, struct http_res *res, bool misp)
{
	json_t *doc = NULL, *result = NULL, *w;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	struct buf data;
	char loc[64];
	int rc;

	api_ops_ctx(req, api_store(), &c);
	if (ops_exchange_may_import(&c, &err) != OPS_OK)
		return api_ops_error(res, &err);
	if (!import_type_ok(http_header(req, "Content-Type")))
		return http_res_problem(res, 415, "Unsupported media type", NULL,
					M_import_media_type);
	if (req->upload_len > STIX_IMPORT_MAX)
		return http_res_problem(res, 413, "Upload too large", "file",
					M_import_too_large, MN("max", STIX_IMPORT_MAX));
	buf_init(&data, STIX_IMPORT_MAX);
	if (read_upload(req, &data) != 0) {
		buf_free(&data);
		return api_store_error(res, STORE_EIO);
	}
	/* the request's own limits and problem (400 Malformed JSON), in the reader's language */
	rc = http_json_parse(data.p ? data.p : "", data.len, "application/json", res, &doc);
	buf_free(&data);
	if (rc != 0)
		return 0;
	if (api_tx_begin(req, res, &tx, true))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	rc = misp ? misp_import_event(&c, doc, &result, &err)
		  : stix_import_bundle(&c, doc, &result, &err);
	if (rc != OPS_OK) {
		api_tx_abort(&tx);
		if (rc == OPS_EREFUSED && result)
			invalid_file(res, &err, result);
		else
			api_ops_error(res, &err);
		goto out;
	}
	w = json_object_get(result, "warning");
	snprintf(loc, sizeof loc, "/api/v1/warnings/%lld",
		 (long long)json_integer_value(json_object_get(w, "id")));
	http_res_header(res, "Location", loc);
	http_res_json(res, 201, result);
	result = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(result);
	json_decref(doc);
	return 0;
}

int api_imports_stix(struct http_req *req, struct http_res *res)
{
	return import_route(req, res, false);
}

int api_imports_misp(struct http_req *req, struct http_res *res)
{
	return import_route(req, res, true);
}
