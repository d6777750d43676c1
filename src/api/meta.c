/* meta.c - health, the preset in force (for the UI's forms and labels), the OpenAPI document
 * (generated from the route table, so it cannot drift from what the server does). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/cite.h"
#include "core/codes.h"
#include "util/str.h"

int api_meta_health(struct http_req *req, struct http_res *res)
{
	int v = 0;

	(void)req;
	if (api_store() == NULL || store_schema_version(api_store(), &v) != STORE_OK)
		return http_res_problem(res, 503, "Unavailable", NULL, M_database_unavailable);
	return http_res_json(res, 200, json_pack("{s:s, s:i, s:s}", "status", "ok", "schema", v,
						 "preset", api_env.preset->name));
}

static json_t *items_json(const struct preset_item *it, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "code", it[i].code, "name_vi",
				      it[i].name_vi, "name_en", it[i].name_en, "rank", it[i].rank);

		if (it[i].parent[0])
			json_object_set_new(o, "parent", json_string(it[i].parent));
		if (it[i].source[0])
			json_object_set_new(o, "source", json_string(it[i].source));
		api_cite(o, it[i].source);
		if (it[i].final)
			json_object_set_new(o, "final", json_true());
		if (it[i].initial)
			json_object_set_new(o, "initial", json_true());
		if (it[i].desc_vi[0])
			json_object_set_new(o, "desc_vi", json_string(it[i].desc_vi));
		if (it[i].desc_en[0])
			json_object_set_new(o, "desc_en", json_string(it[i].desc_en));
		json_array_append_new(a, o);
	}
	return a;
}

static const char *const field_types[] = {"", "text", "textarea", "date", "datetime", "email",
					  "phone", "int", "bool", "select"};

static json_t *form_json(const struct preset_form *f)
{
	json_t *fields = json_array();

	for (size_t i = 0; i < f->nfields; i++) {
		const struct preset_field *x = &f->fields[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:s, s:s}", "name", x->name,
				      "label_vi", x->label_vi, "label_en", x->label_en, "type",
				      field_types[x->type], "section", x->section, "required",
				      x->required, "maxlen", x->maxlen, "hint_vi", x->hint_vi,
				      "hint_en", x->hint_en);

		if (x->noptions) {
			json_t *opts = json_array();

			for (size_t k = 0; k < x->noptions; k++)
				json_array_append_new(opts, json_string(x->options[k].value));
			json_object_set_new(o, "options", opts);
		}
		json_array_append_new(fields, o);
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", f->code, "name_vi",
			      f->name_vi, "name_en", f->name_en, "source", f->source, "sections",
			      items_json(f->sections, f->nsections), "fields", fields);

	api_cite(o, f->source);
	return o;
}

/* The documents the preset's sources cite, each by its full name. */
static json_t *documents_json(const struct preset *p)
{
	json_t *a = json_array();

	for (size_t i = 0; i < p->ndocuments; i++) {
		const struct preset_doc *d = &p->documents[i];
		struct buf vi, en;

		buf_init(&vi, CITE_MAX);
		buf_init(&en, CITE_MAX);
		if (cite_document(d, CITE_VI, &vi) == BUF_OK && cite_document(d, CITE_EN, &en) == BUF_OK)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "ref", d->ref,
							   "name_vi", vi.p ? vi.p : "", "name_en",
							   en.p ? en.p : "", "number", d->number,
							   "date", d->date, "in_force", d->in_force));
		buf_free(&vi);
		buf_free(&en);
	}
	return a;
}

/* The legal basis of the platform's own rules under this preset: {rule: {source, citation_vi,
 * citation_en}}, a rule the preset names no article for left out. */
static json_t *basis_json(const struct preset *p)
{
	const struct {
		const char *key;
		const char *src;
	} rules[] = {{"accounts", p->basis.accounts}, {"password", p->basis.password},
		     {"lockout", p->basis.lockout},   {"idle", p->basis.idle},
		     {"backup", p->basis.backup},     {"warning", p->basis.warning},
		     {"bulletin", p->basis.bulletin}, {"summary", p->basis.summary}};
	json_t *o = json_object();

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		json_t *r;

		if (rules[i].src[0] == '\0')
			continue;
		r = json_pack("{s:s}", "source", rules[i].src);
		api_cite(r, rules[i].src);
		json_object_set_new(o, rules[i].key, r);
	}
	return o;
}

/* The preset in force as the UI names it: its title, and its own text cited. */
json_t *api_preset_summary(const struct preset *p)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", p->name, "title", p->title,
			      "title_en", p->title_en, "source", p->source, "lead_role",
			      p->lead_role);

	ops_cite(p, o, p->source); /* with its own documents: it may not be the one in force */
	return o;
}

int api_meta_preset(struct http_req *req, struct http_res *res)
{
	const struct preset *p = api_env.preset;
	json_t *forms = json_array(), *clocks = json_array();

	(void)req;
	for (size_t i = 0; i < p->nforms; i++)
		json_array_append_new(forms, form_json(&p->forms[i]));
	for (size_t i = 0; i < p->nclocks; i++) {
		const struct preset_clock *c = &p->clocks[i];

		json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "code", c->code,
				      "name_vi", c->name_vi, "name_en", c->name_en, "within",
				      (json_int_t)c->within, "min_severity", c->min_severity, "target",
				      codes_org_role_name(c->target) ? codes_org_role_name(c->target)
								     : "",
				      "source", c->source);

		api_cite(o, c->source);
		json_array_append_new(clocks, o);
	}
	char coord[32] = "";
	int64_t coord_id = 0;

	if (store_meta_get(api_store(), "coordinator_org_id", coord, sizeof coord) == STORE_OK)
		str_to_i64(coord, 1, INT64_MAX, &coord_id);
	json_t *out = api_preset_summary(p);

	json_object_update_new(
		out, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			       "coordinator_org_id", (json_int_t)coord_id, "groups",
			       items_json(p->groups, p->ngroups), "types", items_json(p->types, p->ntypes),
			       "severities", items_json(p->severities, p->nseverities), "states",
			       items_json(p->states, p->nstates), "flags",
			       items_json(p->flags, p->nflags), "forms", forms, "clocks", clocks,
			       "documents", documents_json(p), "basis", basis_json(p)));
	return http_res_json(res, 200, out);
}

/* "/api/v1/incidents/{id}" -> the parameters object of its path. */
static json_t *path_params(const char *pattern)
{
	json_t *a = json_array();
	const char *p = pattern;

	while ((p = strchr(p, '{')) != NULL) {
		const char *e = strchr(p, '}');
		json_t *name;

		if (e == NULL)
			break;
		name = json_stringn(p + 1, (size_t)(e - p - 1));
		json_array_append_new(a, json_pack("{s:o, s:s, s:b, s:{s:s}}", "name", name, "in",
						   "path", "required", 1, "schema", "type", "integer"));
		p = e + 1;
	}
	return a;
}

/* The route's access declaration (api/routes.c) as the document shows it, its rule in lang. */
static json_t *access_json(const struct api_access *a, enum msg_lang lang)
{
	static const char *const objects[] = {"", "incident", "warning", "request", "attachment",
					      "by-operation"};
	static const char *const actions[] = {"read", "comment", "edit", "transition", "request",
					      "create", "admin"};

	if (a == NULL)
		return json_null();
	if (a->object == API_OBJ_NONE || a->object == API_OBJ_HANDLER)
		return json_pack("{s:s, s:s, s:s}", "object", objects[a->object], "rule",
				 msg_text(a->text, lang), "rule_code", msg_code(a->text));
	return json_pack("{s:s, s:s, s:s, s:s}", "object", objects[a->object], "action",
			 actions[a->action], "rule", msg_text(M_access_object, lang), "rule_code",
			 msg_code(M_access_object));
}

/* One field as a JSON Schema. */
static json_t *field_schema(const struct field *f, enum msg_lang lang)
{
	static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};
	json_t *o = json_pack("{s:s}", "description", lang == MSG_EN ? f->doc_en : f->doc_vi);

	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_TEXTAREA:
	case FIELD_CODE:
		json_object_set_new(o, "type", json_string("string"));
		if (f->cap)
			json_object_set_new(o, "maxLength", json_integer((json_int_t)f->cap));
		break;
	case FIELD_TIME:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "format", json_string("date-time"));
		break;
	case FIELD_INT:
		json_object_set_new(o, "type", json_string("integer"));
		json_object_set_new(o, "minimum", json_integer(1));
		if (f->cap)
			json_object_set_new(o, "maximum", json_integer((json_int_t)f->cap));
		break;
	case FIELD_BOOL:
		json_object_set_new(o, "type", json_string("boolean"));
		break;
	case FIELD_TLP: {
		json_t *e = json_array();

		for (size_t i = 0; i < sizeof tlps / sizeof tlps[0]; i++)
			json_array_append_new(e, json_string(tlps[i]));
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "enum", e);
		break;
	}
	case FIELD_IDS:
		json_object_set_new(o, "type", json_string("array"));
		json_object_set_new(o, "items", json_pack("{s:s}", "type", "integer"));
		break;
	case FIELD_LIST:
		json_object_set_new(o, "type", json_string("array"));
		break;
	case FIELD_OBJECT:
		json_object_set_new(o, "type", json_string("object"));
		break;
	}
	if ((f->type == FIELD_IDS || f->type == FIELD_LIST) && f->cap)
		json_object_set_new(o, "maxItems", json_integer((json_int_t)f->cap));
	return o;
}

/* The schema of a resource as written with mode (FIELD_CREATE, FIELD_UPDATE: the fields a
 * client may send, the required ones on create) or as shown (0). */
static json_t *resource_schema(const struct resource *r, unsigned mode, enum msg_lang lang)
{
	json_t *props = json_object(), *req = json_array();

	for (size_t i = 0; i < r->nfields; i++) {
		const struct field *f = &r->fields[i];

		json_t *fs;

		/* a secret is sent (a password) but never shown */
		if (!(f->flags & (mode ? mode : FIELD_SHOWN)) || (mode == 0 && (f->flags & FIELD_SECRET)))
			continue;
		fs = field_schema(f, lang);
		if (f->flags & FIELD_SECRET)
			json_object_set_new(fs, "writeOnly", json_true());
		json_object_set_new(props, f->name, fs);
		if (mode == FIELD_CREATE && (f->flags & FIELD_REQUIRED))
			json_array_append_new(req, json_string(f->name));
	}
	return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required",
			 req, "additionalProperties", mode == 0);
}

/* "#/components/schemas/<Name><Create|Update>" (an action's body: "<Name>") for a route that
 * declares its body or answer, adding the schema to schemas the first time. */
static json_t *schema_ref(json_t *schemas, const struct resource *r, unsigned mode,
			  enum msg_lang lang)
{
	char name[64], ref[96];

	snprintf(name, sizeof name, "%s%s", r->name,
		 r->body_only		  ? ""
		 : mode == FIELD_CREATE ? "Create"
		 : mode == FIELD_UPDATE ? "Update"
					  : "");
	if (json_object_get(schemas, name) == NULL)
		json_object_set_new(schemas, name, resource_schema(r, mode, lang));
	snprintf(ref, sizeof ref, "#/components/schemas/%s", name);
	return json_pack("{s:s}", "$ref", ref);
}

/* The body a route reads and the record it answers, from its declarations. */
static void described(json_t *op, json_t *schemas, const struct api_access *a,
		      enum msg_lang lang)
{
	if (a == NULL)
		return;
	if (a->body) {
		bool required = false;

		for (size_t i = 0; i < a->body->nfields; i++)
			required |= a->mode == FIELD_CREATE &&
				    (a->body->fields[i].flags & FIELD_REQUIRED);
		json_object_set_new(
			op, "requestBody",
			json_pack("{s:b, s:{s:{s:o}}}", "required", required, "content",
				  "application/json", "schema",
				  schema_ref(schemas, a->body, a->mode, lang)));
	}
	if (a->shows)
		json_object_set_new(json_object_get(json_object_get(op, "responses"), "2XX"),
				    "content",
				    json_pack("{s:{s:o}}", "application/json", "schema",
					      schema_ref(schemas, a->shows, 0, lang)));
}

static void lower(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

int api_meta_openapi(struct http_req *req, struct http_res *res)
{
	json_t *paths = json_object(), *schemas = json_object();

	(void)req;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct http_route *r = &api_routes[i];
		json_t *item = json_object_get(paths, r->pattern);
		char method[16];
		json_t *op;

		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		lower(method, sizeof method, r->method);
		op = json_pack("{s:s, s:o, s:{s:{s:s}, s:{s:s}}}", "summary",
			       res->lang == MSG_EN ? r->summary_en : r->summary_vi, "parameters",
			       path_params(r->pattern), "responses", "default", "description",
			       "application/problem+json on error", "2XX", "description", "success");
		if ((r->flags & HTTP_PUBLIC) || (r->access && ((const struct api_access *)r->access)->public_))
			json_object_set_new(op, "security", json_array());
		else
			json_object_set_new(op, "x-access", access_json(r->access, res->lang));
		described(op, schemas, r->access, res->lang);
		if (r->flags & HTTP_UPLOAD)
			json_object_set_new(op, "requestBody",
					    json_pack("{s:{s:{s:{s:s, s:s}}}}", "content",
						      "application/octet-stream", "schema", "type",
						      "string", "format", "binary"));
		json_object_set_new(item, method, op);
	}
	/* its texts are in the language the request asked for */
	(void)http_res_header(res, "Vary", "Accept-Language");
	return http_res_json(
		res, 200,
		json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:o, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}, "
			  "s:[{s:[]}, {s:[]}]}",
			  "openapi", "3.1.0", "info", "title", "ungcuu API", "version", "1",
			  "description", msg_text(M_openapi_description, res->lang),
			  "paths", paths, "components", "schemas", schemas, "securitySchemes", "bearer", "type", "http",
			  "scheme", "bearer", "cookie", "type", "apiKey", "in", "cookie", "name",
			  API_SESSION_COOKIE, "security", "bearer", "cookie"));
}
