/* taxii.c - a read-only TAXII 2.1 server inside `ungcuu serve` (docs/stix.md): discovery, one API
 * root, collections per TLP of the published warnings and one of the incidents the caller may
 * see, their objects (paged by added_after / limit / next, filtered by match[type] and match[id])
 * and manifests. Authentication is the API's own (Bearer token, or the session); what a caller
 * sees is decided by core/access.c (access_warning_scope, access_incident_scope) and turned into
 * SQL by the store. Objects are derived from the rows on each request (api/stix.c builds them);
 * a page resumes at a keyset position (date_added, row id, object within the row). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "stix.h"
#include "util/str.h"

#define TAXII_LIMIT_DEFAULT 1000
#define TAXII_LIMIT_MAX 10000
#define TAXII_MATCH_MAX 16
#define TAXII_MAX_CONTENT (16u << 20)
#define TLP2_CREATED_SEC 1664582400 /* 2022-10-01T00:00:00Z, the TLP 2.0 markings' created */

/* The collections, declared: their title and description in both languages (the answer gives
 * the request's), as the route table declares its texts. */
struct collection {
	const char *alias, *title_vi, *title_en, *description_vi, *description_en;
	int min_tlp, max_tlp;
	bool incidents;
};

static const struct collection collections[] = {
	{"warnings-clear", "Cảnh báo TLP:CLEAR", "Warnings, TLP:CLEAR",
	 "Cảnh báo đã phát hành, công khai", "Issued warnings, public", TLP_CLEAR, TLP_CLEAR, false},
	{"warnings-green", "Cảnh báo TLP:GREEN", "Warnings, TLP:GREEN",
	 "Cảnh báo đã phát hành cho cộng đồng mạng lưới",
	 "Issued warnings for the network community", TLP_GREEN, TLP_GREEN, false},
	{"warnings-amber", "Cảnh báo TLP:AMBER và AMBER+STRICT", "Warnings, TLP:AMBER(+STRICT)",
	 "Cảnh báo gửi tới đơn vị của bạn (và cơ quan điều phối)",
	 "Issued warnings for the organisations they target (and the coordinator)", TLP_AMBER,
	 TLP_AMBER_STRICT, false},
	{"warnings-red", "Cảnh báo TLP:RED", "Warnings, TLP:RED", "Chỉ đơn vị được nêu tên",
	 "The named targets only", TLP_RED, TLP_RED, false},
	{"incidents-visible", "Sự cố bạn được xem", "Incidents you may see",
	 "Sự cố (không gồm diễn tập) theo quyền đọc của tài khoản",
	 "Incidents (drills left out) the account may read", TLP_CLEAR, TLP_RED, true},
};
#define NCOLLECTIONS (sizeof collections / sizeof collections[0])

static void collection_id(const struct collection *c, char out[STIX_UUID_LEN + 1])
{
	char key[64];
	unsigned char u[16];

	snprintf(key, sizeof key, "taxii-collection:%s", c->alias);
	stix_uuid5(stix_ns_ungcuu, key, strlen(key), u);
	stix_uuid_format(u, out);
}

/* The collection named by id or alias, or NULL. */
static const struct collection *find_collection(const char *name)
{
	char id[STIX_UUID_LEN + 1];

	for (size_t i = 0; i < NCOLLECTIONS; i++) {
		collection_id(&collections[i], id);
		if (strcmp(name, id) == 0 || strcmp(name, collections[i].alias) == 0)
			return &collections[i];
	}
	return NULL;
}

/* A TAXII error message (TAXII 2.1 §3.6.1): title the fixed kind, desc its text, code the
 * catalogue's stable code (error_code) and details its parameters (stolen, may be NULL). */
static void taxii_error_write(struct http_res *res, int status, const char *title,
			      const char *desc, const char *code, json_t *details)
{
	json_t *e = json_pack("{s:s, s:s, s:s}", "title", title, "description", desc, "error_code",
			      code);
	char st[8];

	snprintf(st, sizeof st, "%d", status);
	json_object_set_new(e, "http_status", json_string(st));
	if (details)
		json_object_set_new(e, "details", details);
	http_res_json(res, status, e);
	str_copy(res->content_type, sizeof res->content_type, TAXII_MEDIA);
}

/* The same saying the catalogue's message id with its parameters a (n of them), in the
 * request's language. Returns 0. */
static int taxii_error_args(struct http_res *res, int status, const char *title, enum msg_id id,
			    const struct msg_arg *a, size_t n)
{
	struct msg m;
	char desc[1024];
	json_t *details = json_object();

	msg_bind(&m, id, a, n);
	(void)msg_render(&m, res->lang, desc, sizeof desc);
	for (size_t i = 0; details && i < m.n; i++)
		json_object_set_new(details, m.p[i].name,
				    m.p[i].is_num ? json_integer(m.p[i].num)
						  : json_string(msg_value(&m, i)));
	taxii_error_write(res, status, title, desc, msg_code(id), details);
	return 0;
}
#define taxii_error(res, status, title, id, ...)                                            \
	taxii_error_args((res), (status), (title), (id), MSG_ARGS(__VA_ARGS__))

void api_taxii_error_from_problem(const struct http_req *req, struct http_res *res)
{
	json_t *p, *params;
	const char *title, *detail, *code;

	if ((!str_starts(req->path, "/taxii2/") && strcmp(req->path, "/taxii2") != 0) ||
	    res->status < 400)
		return;
	p = json_loadb(res->body.p ? res->body.p : "", res->body.len, 0, NULL);
	title = json_string_value(json_object_get(p, "title"));
	detail = json_string_value(json_object_get(p, "detail"));
	code = json_string_value(json_object_get(p, "code"));
	params = json_object_get(p, "params");
	taxii_error_write(res, res->status, title ? title : "Error", detail ? detail : "",
			  code ? code : "", json_is_object(params) ? json_incref(params) : NULL);
	json_decref(p);
}

/* One media range of an Accept header matches the TAXII 2.1 media type. */
static bool range_ok(const char *r, size_t n)
{
	char buf[160];
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < sizeof buf; i++)
		if (r[i] != ' ' && r[i] != '\t')
			buf[k++] = (char)(r[i] >= 'A' && r[i] <= 'Z' ? r[i] + 32 : r[i]);
	buf[k] = '\0';
	return strcmp(buf, "*/*") == 0 || strcmp(buf, "application/*") == 0 ||
	       strcmp(buf, "application/taxii+json") == 0 ||
	       strcmp(buf, "application/taxii+json;version=2.1") == 0;
}

/* Accept absent, or naming application/taxii+json (version 2.1 or none) or a wildcard. */
static bool accept_ok(const struct http_req *req)
{
	const char *a = http_header(req, "Accept");

	if (a == NULL || a[0] == '\0')
		return true;
	while (*a) {
		const char *comma = strchr(a, ',');
		size_t n = comma ? (size_t)(comma - a) : strlen(a);
		const char *q = memchr(a, ';', n);

		/* drop a trailing ";q=..." weight but keep ";version=2.1" */
		if (q && strstr(q, "q=") && !strstr(q, "version"))
			n = (size_t)(q - a);
		if (range_ok(a, n))
			return true;
		a += n + (comma != NULL);
		if (comma == NULL)
			break;
	}
	return false;
}

/* Accept and the caller's right to read; answers the error otherwise. 0 or -1. */
static int taxii_check(const struct http_req *req, struct http_res *res)
{
	if (!accept_ok(req)) {
		taxii_error(res, 406, "Not Acceptable", M_taxii_not_acceptable);
		return -1;
	}
	return 0;
}

static int taxii_json(struct http_res *res, json_t *o)
{
	http_res_json(res, 200, o);
	str_copy(res->content_type, sizeof res->content_type, TAXII_MEDIA);
	return 0;
}

int api_taxii_discovery(struct http_req *req, struct http_res *res)
{
	const char *host = http_header(req, "Host");
	char root[300];

	if (taxii_check(req, res) != 0)
		return 0;
	snprintf(root, sizeof root, "%s://%s/taxii2/api1/", api_env.secure_cookies ? "https" : "http",
		 host && strlen(host) < 200 ? host : "localhost");
	return taxii_json(res, json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "title",
					 "ungcuu TAXII 2.1", "description",
					 msg_text(M_taxii_network, res->lang), "contact",
					 msg_text(M_taxii_contact, res->lang), "default", root,
					 "api_roots", root));
}

int api_taxii_root(struct http_req *req, struct http_res *res)
{
	if (taxii_check(req, res) != 0)
		return 0;
	return taxii_json(res, json_pack("{s:s, s:s, s:[s], s:I}", "title", "ungcuu api1",
					 "description", msg_text(M_taxii_root, res->lang),
					 "versions", TAXII_MEDIA, "max_content_length",
					 (json_int_t)TAXII_MAX_CONTENT));
}

/* The collection c as TAXII shows it, its words in lang. A new reference, NULL on ENOMEM. */
static json_t *collection_json(const struct http_req *req, enum msg_lang lang,
			       const struct collection *c)
{
	const struct api_ctx *cx = req->ctx;
	char id[STIX_UUID_LEN + 1];
	bool en = lang == MSG_EN;

	collection_id(c, id);
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:[s]}", "id", id, "title",
			 en ? c->title_en : c->title_vi, "description",
			 en ? c->description_en : c->description_vi, "alias", c->alias, "can_read",
			 access_exchange(&cx->subject), "can_write", 0, "media_types", STIX_MEDIA);
}

int api_taxii_collections(struct http_req *req, struct http_res *res)
{
	json_t *list = json_array();

	if (taxii_check(req, res) != 0) {
		json_decref(list);
		return 0;
	}
	for (size_t i = 0; i < NCOLLECTIONS; i++)
		json_array_append_new(list, collection_json(req, res->lang, &collections[i]));
	return taxii_json(res, json_pack("{s:o}", "collections", list));
}

/* The collection of the path (param 0), readable by the caller. NULL with the error set. */
static const struct collection *collection_of(const struct http_req *req, struct http_res *res,
					      bool objects)
{
	const struct api_ctx *cx = req->ctx;
	const struct collection *c;

	if (taxii_check(req, res) != 0)
		return NULL;
	c = req->nparams ? find_collection(req->params[0]) : NULL;
	if (c == NULL) {
		taxii_error(res, 404, "Collection not found", M_taxii_no_collection);
		return NULL;
	}
	if (objects && !access_exchange(&cx->subject)) {
		taxii_error(res, 403, "Forbidden", M_taxii_collections_denied);
		return NULL;
	}
	return c;
}

int api_taxii_collection(struct http_req *req, struct http_res *res)
{
	const struct collection *c = collection_of(req, res, false);

	return c ? taxii_json(res, collection_json(req, res->lang, c)) : 0;
}

/* ---- objects and manifests ---- */

struct page {
	struct stix_pos from;       /* resume here (objects of the row before from.seq skipped) */
	int64_t limit;
	const char *ids[TAXII_MATCH_MAX];
	size_t nids;
	const char *types[TAXII_MATCH_MAX];
	size_t ntypes;
	bool manifest;
	struct buf objects;         /* the objects (or manifest entries) as JSON text, comma-joined */
	size_t count;
	bool more;
	struct stix_pos next;
	int64_t first_at, last_at;
	char *lists;                /* the split copies of match[id] and match[type] */
};

static bool listed(const char *v, const char *const *list, size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (v && strcmp(v, list[i]) == 0)
			return true;
	return false;
}

static int page_add(void *ctx, const char *text, size_t len, const struct stix_meta *m,
		    const struct stix_pos *pos)
{
	struct page *p = ctx;
	int64_t at = pos->at < 0 ? TLP2_CREATED_SEC : pos->at;
	char da[STIX_TIME_MAX];

	if ((pos->at == p->from.at && pos->id == p->from.id && pos->seq < p->from.seq) ||
	    !listed(m->id, p->ids, p->nids) || !listed(m->type, p->types, p->ntypes))
		return 0;
	if ((int64_t)p->count == p->limit) {
		p->more = true;
		p->next = *pos;
		return STORE_STIX_STOP;
	}
	if (p->count)
		buf_append(&p->objects, ",", 1);
	if (p->manifest) {
		stix_time_format(at, 0, da, sizeof da);
		buf_printf(&p->objects,
			   "{\"id\":\"%s\",\"date_added\":\"%s\",\"version\":\"%s\","
			   "\"media_type\":\"" STIX_MEDIA "\"}",
			   m->id, da, m->modified ? m->modified : m->created);
	} else if (buf_append(&p->objects, text, len) != BUF_OK) {
		return STORE_EIO;
	}
	if (p->count == 0)
		p->first_at = at;
	p->last_at = at;
	p->count++;
	return 0;
}

/* Splits a comma-separated query value into list (pointers into *copy). -1 when too many. */
static int split(const char *v, char **copy, const char **list, size_t *n)
{
	char *s, *save = NULL;

	*n = 0;
	if (v == NULL || v[0] == '\0')
		return 0;
	s = strdup(v);
	if (s == NULL)
		return -1;
	*copy = s;
	for (char *tok = s; tok; tok = save) {
		save = strchr(tok, ',');
		if (save)
			*save++ = '\0';
		if (tok[0] == '\0')
			continue;
		if (*n == TAXII_MATCH_MAX)
			return -1;
		list[(*n)++] = tok;
	}
	return 0;
}

static int parse_next(const char *v, struct stix_pos *pos)
{
	int64_t a, b, c;
	const char *d1 = strchr(v, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	bool na = v[0] == '-', nb = d1 && d1[1] == '-';

	if (d1 == NULL || d2 == NULL || d1 - v - na < 1 || d2 - d1 - 1 - nb < 1 ||
	    str_to_i64n(v + na, (size_t)(d1 - v - na), 0, INT64_MAX, &a) != 0 ||
	    str_to_i64n(d1 + 1 + nb, (size_t)(d2 - d1 - 1 - nb), 0, INT64_MAX, &b) != 0 ||
	    str_to_i64(d2 + 1, 0, 1000000000, &c) != 0)
		return -1;
	pos->at = na ? -a : a;
	pos->id = nb ? -b : b;
	pos->seq = c;
	return 0;
}

/* The marking definitions of the collection's TLPs, as the first "row" (at -1). */
static int markings(const struct collection *c, struct page *p)
{
	struct stix_pos pos = {.at = -1, .id = 0, .seq = 0};
	int rc = 0;

	for (int t = c->min_tlp; t <= c->max_tlp && rc == 0; t++, pos.seq++) {
		json_t *o = stix_marking_object(t);
		char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
		struct stix_meta m = {.type = "marking-definition", .id = stix_tlp_marking_id(t),
				      .created = STIX_TLP2_CREATED, .tlp = -1};

		rc = text ? page_add(p, text, strlen(text), &m, &pos) : STORE_EIO;
		free(text);
		json_decref(o);
	}
	return rc;
}

/* A query parameter of the objects and manifest routes (*out NULL when absent). Returns 0, or -1
 * having answered a TAXII 400 when the value holds a NUL (%00): as a C string it would end
 * there, and the rest would be silently dropped. */
static int tquery(const struct http_req *req, struct http_res *res, const char *name,
		  const char **out)
{
	size_t len;

	*out = http_query_n(req, name, &len);
	if (*out == NULL || strlen(*out) == len)
		return 0;
	*out = NULL;
	taxii_error(res, 400, "Invalid parameter", M_taxii_param_nul, MS("param", name));
	return -1;
}

static int objects(struct http_req *req, struct http_res *res, bool manifest, const char *only_id)
{
	const struct api_ctx *cx = req->ctx;
	const struct collection *c = collection_of(req, res, true);
	struct page p = {.limit = TAXII_LIMIT_DEFAULT, .manifest = manifest};
	struct store_stix_page q = {0};
	struct store_stix_visitor v;
	struct stix_build b;
	struct ac_scope scope;
	unsigned char ns[16];
	char *typecopy = NULL, *idcopy = NULL, da[STIX_TIME_MAX];
	const char *next, *aa, *mtype, *mid = only_id;
	int64_t added_after = INT64_MIN, lim;
	int ms, rc = STORE_OK;
	const char *why;

	if (c == NULL)
		return 0;
	/* any positive limit: a larger one than the server's is cut to it (TAXII 2.1 §3.4) */
	if (api_query_int(req, "limit", 1, INT64_MAX, TAXII_LIMIT_DEFAULT, res, &lim) != 0) {
		api_taxii_error_from_problem(req, res);
		return 0;
	}
	p.limit = lim < TAXII_LIMIT_MAX ? lim : TAXII_LIMIT_MAX;
	if (tquery(req, res, "added_after", &aa) != 0 || tquery(req, res, "next", &next) != 0 ||
	    tquery(req, res, "match[type]", &mtype) != 0 ||
	    (only_id == NULL && tquery(req, res, "match[id]", &mid) != 0))
		return 0;
	if (aa && aa[0] && stix_time_parse(aa, strlen(aa), &added_after, &ms, &why) != 0)
		return taxii_error(res, 400, "Invalid added_after", M_taxii_added_after_invalid,
				   MS("reason", why));
	p.from = (struct stix_pos){.at = -1, .id = 0, .seq = 0};
	if (next && next[0] && parse_next(next, &p.from) != 0)
		return taxii_error(res, 400, "Invalid next", M_taxii_next_invalid);
	if (split(mtype, &typecopy, p.types, &p.ntypes) != 0 ||
	    split(mid, &idcopy, p.ids, &p.nids) != 0) {
		taxii_error(res, 400, "Invalid match", M_taxii_match_too_many,
			    MN("max", TAXII_MATCH_MAX));
		goto out;
	}
	buf_init(&p.objects, 256u << 20);
	rc = stix_namespace(api_store(), ns);
	if (rc != STORE_OK)
		goto out;
	if (p.from.at < 0 && added_after < TLP2_CREATED_SEC)
		rc = markings(c, &p);
	if (rc == STORE_STIX_STOP)
		rc = STORE_OK;
	else if (rc == STORE_OK) {
		if (c->incidents)
			access_incident_scope(&cx->subject, &scope);
		else
			access_warning_scope(&cx->subject, &scope);
		q = (struct store_stix_page){.scope = &scope, .min_tlp = c->min_tlp,
					     .max_tlp = c->max_tlp,
					     .at = p.from.at < 0 ? INT64_MIN : p.from.at,
					     .id = p.from.at < 0 ? 0 : p.from.id,
					     .added_after = added_after};
		/* a report id of a warning is found by its index; other ids by walking */
		if (!c->incidents && p.nids == 1 && str_starts(p.ids[0], "report--"))
			q.stix_id = p.ids[0];
		stix_build_init(&b, ns, page_add, &p, &v);
		stix_build_walk(&b, &v, c->min_tlp);
		b.resume = p.from;
		rc = c->incidents ? store_stix_incident_walk(api_store(), &q, &v)
				  : store_stix_warning_walk(api_store(), &q, &v);
		if (rc == STORE_OK && q.stix_id && p.count == 0) { /* stix_id not set on the row */
			q.stix_id = NULL;
			rc = store_stix_warning_walk(api_store(), &q, &v);
		}
		stix_build_free(&b);
	}
	if (rc != STORE_OK) {
		api_store_error(res, rc);
		api_taxii_error_from_problem(req, res);
		goto out;
	}
	if (only_id && p.count == 0) {
		taxii_error(res, 404, "Object not found", M_taxii_no_object);
		goto out;
	}
	/* the envelope, written around the objects' text */
	res->status = 200;
	buf_reset(&res->body);
	buf_printf(&res->body, "{\"more\":%s", p.more ? "true" : "false");
	if (p.more)
		buf_printf(&res->body, ",\"next\":\"%lld.%lld.%lld\"", (long long)p.next.at,
			   (long long)p.next.id, (long long)p.next.seq);
	if (p.count) {
		buf_puts(&res->body, ",\"objects\":[");
		buf_append(&res->body, p.objects.p, p.objects.len);
		buf_puts(&res->body, "]");
	}
	if (buf_puts(&res->body, "}") != BUF_OK) {
		taxii_error(res, 500, "Internal error", M_taxii_page_too_large);
		goto out;
	}
	str_copy(res->content_type, sizeof res->content_type, TAXII_MEDIA);
	if (p.count) {
		stix_time_format(p.first_at, 0, da, sizeof da);
		http_res_header(res, "X-TAXII-Date-Added-First", da);
		stix_time_format(p.last_at, 0, da, sizeof da);
		http_res_header(res, "X-TAXII-Date-Added-Last", da);
	}
out:
	buf_free(&p.objects);
	free(typecopy);
	free(idcopy);
	return 0;
}

int api_taxii_objects(struct http_req *req, struct http_res *res)
{
	return objects(req, res, false, NULL);
}

int api_taxii_object(struct http_req *req, struct http_res *res)
{
	const char *why;

	if (req->nparams < 2 || stix_id_check(req->params[1], strlen(req->params[1]), NULL, &why) != 0)
		return taxii_error(res, 404, "Object not found", M_taxii_not_stix_id);
	return objects(req, res, false, req->params[1]);
}

int api_taxii_manifest(struct http_req *req, struct http_res *res)
{
	return objects(req, res, true, NULL);
}
