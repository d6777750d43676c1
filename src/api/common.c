/* common.c - what every resource handler shares. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/cite.h"
#include "core/codes.h"
#include "util/jsonw.h"
#include "ops/idempotency.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

struct api_env api_env;

#define MAX_STORES 64
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *stores[MAX_STORES];
static size_t nstores;
static _Thread_local struct store *thread_store;

struct store *api_store(void)
{
	struct store *st = NULL;

	if (thread_store)
		return thread_store;
	pthread_mutex_lock(&stores_lock);
	if (nstores < MAX_STORES && store_open(api_env.data_dir, 0, &st) == STORE_OK) {
		stores[nstores++] = st;
		thread_store = st;
	}
	pthread_mutex_unlock(&stores_lock);
	return thread_store;
}

struct store *api_store_if_open(void)
{
	return thread_store;
}

void api_store_close_all(void)
{
	pthread_mutex_lock(&stores_lock);
	for (size_t i = 0; i < nstores; i++)
		store_close(stores[i]);
	nstores = 0;
	pthread_mutex_unlock(&stores_lock);
}

int api_access_answer(struct http_res *res, bool readable, bool allowed, enum api_object o)
{
	bool warning = o == API_OBJ_WARNING;

	if (!readable)
		return http_res_problem(res, 404, "Not found", NULL,
					warning ? M_access_no_warning : M_access_no_incident),
		       -1;
	if (!allowed)
		return http_res_problem(res, 403, "Forbidden", NULL,
					warning ? M_access_warning_denied : M_access_incident_denied),
		       -1;
	return 0;
}

int api_store_error(struct http_res *res, int rc)
{
	switch (rc) {
	case STORE_ENOTFOUND:
		return http_res_problem(res, 404, "Not found", NULL, M_not_found);
	case STORE_ECONFLICT:
		return http_res_problem(res, 409, "Conflict", NULL, M_record_conflict);
	case STORE_EINVAL:
		return http_res_problem(res, 422, "Invalid reference", NULL,
					M_record_reference_missing);
	case STORE_EBUSY:
		http_res_header(res, "Retry-After", "1");
		return http_res_problem(res, 503, "Busy", NULL, M_db_busy);
	default:
		return http_res_problem(res, 500, "Internal error", NULL, M_storage_error);
	}
}

void api_ops_ctx(const struct http_req *req, struct store *st, struct ops_ctx *out)
{
	const struct api_ctx *cx = req->ctx;

	*out = (struct ops_ctx){
		.st = st,
		.preset = api_env.preset,
		.actor = {.user_id = cx ? cx->user.id : 0,
			  .username = cx ? cx->user.username : "",
			  .ip = req->ip},
		.now = tm_now(),
		.channel = cx && cx->session_id == 0 ? OPS_TOKEN : OPS_WEB,
	};
	if (cx)
		out->actor.subject = cx->subject;
}

int api_ops_error(struct http_res *res, const struct ops_err *err)
{
	if (err->status == 0)
		return api_store_error(res, err->store_rc);
	return http_res_problem_msg(res, err->status, err->title, err->field[0] ? err->field : NULL,
				    &err->msg);
}

int api_audit(const struct http_req *req, const char *action, const char *object_type,
	      int64_t object_id, const json_t *before, const json_t *after)
{
	struct ops_ctx c;

	api_ops_ctx(req, api_store(), &c);
	return ops_audit(&c, action, object_type, object_id, before, after);
}

int api_param_id(const struct http_req *req, size_t i, struct http_res *res, int64_t *id)
{
	*id = 0;
	if (i >= req->nparams || str_to_i64(req->params[i], 1, INT64_MAX, id) != 0) {
		http_res_problem(res, 404, "Not found", NULL, M_id_invalid);
		return -1;
	}
	return 0;
}

/* A query parameter's value, or NULL when absent or empty. -1 when it holds a NUL (%00): parsed
 * as a C string it would end there, and "5%00junk" would read as "5". */
static int query_value(const struct http_req *req, const char *name, const char **out)
{
	size_t len;
	const char *v = http_query_n(req, name, &len);

	*out = NULL;
	if (v == NULL || len == 0)
		return 0;
	if (strlen(v) != len)
		return -1;
	*out = v;
	return 0;
}

int api_query_int(const struct http_req *req, const char *name, int64_t min, int64_t max,
		  int64_t def, struct http_res *res, int64_t *out)
{
	const char *v;
	int nul = query_value(req, name, &v);

	*out = def;
	if (nul == 0 && v == NULL)
		return 0;
	if (nul != 0 || str_to_i64(v, min, max, out) != 0) {
		*out = def;
		http_res_problem(res, 400, "Invalid parameter", name, M_param_not_integer,
				 MS("param", name), MN("min", min), MN("max", max));
		return -1;
	}
	return 0;
}

int api_query_page(const struct http_req *req, struct http_res *res, int64_t def, int64_t max,
		   int64_t *limit, int64_t *cursor)
{
	const char *v;
	int nul;

	if (cursor)
		*cursor = 0;
	if (api_query_int(req, "limit", 1, max, def, res, limit) != 0)
		return -1;
	if (cursor == NULL)
		return 0;
	nul = query_value(req, "cursor", &v);
	if (nul == 0 && v == NULL)
		return 0;
	if (nul != 0 || str_to_i64(v, 0, INT64_MAX, cursor) != 0) {
		*cursor = 0;
		http_res_problem(res, 400, "Invalid parameter", "cursor", M_param_cursor_invalid,
				 MN("max", INT64_MAX));
		return -1;
	}
	return 0;
}

int api_query_time(const struct http_req *req, const char *name, struct http_res *res,
		   int64_t *out)
{
	const char *v;
	int nul = query_value(req, name, &v);

	*out = 0;
	if (nul == 0 && v == NULL)
		return 0;
	if (nul != 0 || tm_parse_iso(v, out) != 0) {
		*out = 0;
		http_res_problem(res, 400, "Invalid parameter", name, M_param_not_time,
				 MS("param", name));
		return -1;
	}
	return 0;
}

int64_t api_if_match_version(const struct http_req *req)
{
	const char *im = http_header(req, "If-Match");
	size_t n;
	int64_t v;

	if (im == NULL || strcmp(im, "*") == 0)
		return 0;
	n = strlen(im);
	if (n < 4 || im[0] != '"' || im[1] != 'v' || im[n - 1] != '"' ||
	    str_to_i64n(im + 2, n - 3, 1, INT64_MAX, &v) != 0)
		return -1;
	return v;
}

void api_etag(struct http_res *res, int64_t version)
{
	char tag[32];

	snprintf(tag, sizeof tag, "\"v%lld\"", (long long)version);
	http_res_header(res, "ETag", tag);
}

/* One write transaction at a time in this process. SQLite allows one writer anyway; a second
 * thread that finds the lock taken sleeps in the busy handler (milliseconds), where waiting on
 * this mutex wakes it the moment the first commits. Other processes (the CLI) still meet the
 * busy timeout. */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

/* Set on the batch thread while it runs a group of requests in one transaction (api/batch.c):
 * each request's transaction is then a part of it (a savepoint). */
static _Thread_local bool in_batch;

void api_writer_lock(bool batch)
{
	pthread_mutex_lock(&writer);
	in_batch = batch;
}

void api_writer_unlock(void)
{
	in_batch = false;
	pthread_mutex_unlock(&writer);
}

#define IDEM_KEY_MAX 128

/* The request an Idempotency-Key stands for: method, path and body. */
static void request_hash(const struct http_req *req, char out[65])
{
	struct buf b;

	buf_init(&b, (size_t)-1 / 2);
	buf_printf(&b, "%s %s\n", req->method, req->path);
	buf_append(&b, req->body, req->body_len);
	if (req->upload_path) { /* an upload is its content and its name */
		const char *name = http_query(req, "name");

		buf_printf(&b, "\n%s\n%s\n%s", req->upload_sha256, req->upload_name,
			   name ? name : "");
	}
	crypto_blake2b_hex(out, b.p ? b.p : "", b.len);
	buf_free(&b);
}

/* Answers from a stored response. Returns 1 (answered). */
static int idem_replay(const struct api_tx *tx, struct http_res *res, int status, char *body,
		       const char *location, const char *stored_hash)
{
	if (strcmp(stored_hash, tx->req_hash) != 0) {
		http_res_problem(res, 422, "Idempotency key reused", "Idempotency-Key",
				 M_idempotency_key_reused);
		return 1;
	}
	res->status = status;
	buf_reset(&res->body);
	buf_puts(&res->body, body);
	if (location[0])
		http_res_header(res, "Location", location);
	http_res_header(res, "Idempotent-Replayed", "true");
	return 1;
}

int api_tx_begin(struct http_req *req, struct http_res *res, struct api_tx *tx, bool create)
{
	const struct api_ctx *cx = req->ctx;
	char location[256], stored[65];
	char *body = NULL;
	int status, rc;

	memset(tx, 0, sizeof *tx);
	tx->st = api_store();
	if (tx->st == NULL) {
		api_store_error(res, STORE_EIO);
		return 1;
	}
	tx->idem_key = create ? http_header(req, "Idempotency-Key") : NULL;
	if (tx->idem_key && (strlen(tx->idem_key) == 0 || strlen(tx->idem_key) > IDEM_KEY_MAX)) {
		http_res_problem(res, 400, "Invalid header", "Idempotency-Key",
				 M_idempotency_key_length, MN("max", IDEM_KEY_MAX));
		return 1;
	}
	if (in_batch) {
		rc = store_part_begin(tx->st);
		tx->part = rc == STORE_OK;
	} else {
		pthread_mutex_lock(&writer);
		tx->locked = true;
		rc = store_begin(tx->st);
	}
	if (rc != STORE_OK) {
		api_tx_abort(tx);
		api_store_error(res, rc);
		return 1;
	}
	if (tx->idem_key == NULL)
		return 0;
	request_hash(req, tx->req_hash);
	rc = store_idem_get(tx->st, cx->user.id, tx->idem_key, &status, &body, location, stored);
	if (rc == STORE_ENOTFOUND)
		return 0;
	api_tx_abort(tx);
	if (rc != STORE_OK) {
		api_store_error(res, rc);
		return 1;
	}
	idem_replay(tx, res, status, body, location, stored);
	free(body);
	return 1;
}

static const char *res_location(const struct http_res *res)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (strcmp(res->headers[i].name, "Location") == 0)
			return res->headers[i].value;
	return "";
}

int api_tx_commit(struct api_tx *tx, struct http_req *req, struct http_res *res)
{
	int rc = STORE_OK;

	if (tx->idem_key && res->status < 300) {
		struct ops_idempotent_answer a = {.key = tx->idem_key, .request_hash = tx->req_hash,
						  .status = res->status,
						  .location = res_location(res),
						  .body = res->body.p ? res->body.p : ""};
		struct ops_err err;
		struct ops_ctx c;

		api_ops_ctx(req, tx->st, &c);
		if (ops_idempotency_record(&c, &a, &err) != OPS_OK)
			rc = err.store_rc;
	}
	if (rc == STORE_OK && tx->part) {
		rc = store_part_release(tx->st); /* durable when the batch commits (api/batch.c) */
		tx->part = rc != STORE_OK;
	} else if (rc == STORE_OK) {
		rc = store_commit(tx->st);
	}
	if (rc != STORE_OK) {
		api_tx_abort(tx);
		res->nheaders = 0;
		api_store_error(res, rc);
		return -1;
	}
	if (tx->locked) {
		tx->locked = false;
		pthread_mutex_unlock(&writer);
	}
	return 0;
}

void api_tx_abort(struct api_tx *tx)
{
	if (tx->part) {
		tx->part = false;
		store_part_rollback(tx->st); /* this request's part only, not the batch */
	} else if (tx->st && !in_batch) {
		store_rollback(tx->st);
	}
	if (tx->locked) {
		tx->locked = false;
		pthread_mutex_unlock(&writer);
	}
}

int api_tx_finish(struct api_tx *tx, struct http_req *req, struct http_res *res, int rc,
		  const struct api_done *d, json_t *after)
{
	if (rc == STORE_OK)
		rc = api_audit(req, d->action, d->object_type, d->id, d->before, after);
	return api_tx_answer(tx, req, res, rc, d, after);
}

int api_tx_answer(struct api_tx *tx, struct http_req *req, struct http_res *res, int rc,
		  const struct api_done *d, json_t *after)
{
	json_t *version;
	char loc[128];

	if (rc != STORE_OK) {
		json_decref(after);
		api_tx_abort(tx);
		api_store_error(res, rc);
		return -1;
	}
	if (d->location) {
		snprintf(loc, sizeof loc, "%s/%lld", d->location, (long long)d->id);
		http_res_header(res, "Location", loc);
	}
	version = json_object_get(after, "version");
	if (json_is_integer(version))
		api_etag(res, json_integer_value(version));
	http_res_json(res, d->status, after);
	return api_tx_commit(tx, req, res);
}

void api_fields_row(const struct resource *r, const json_t *in, unsigned mode, json_t *row)
{
	for (size_t i = 0; i < r->nfields; i++) {
		const struct field *f = &r->fields[i];
		json_t *v = json_object_get(in, f->name);

		if (v == NULL || json_is_null(v) || !(f->flags & mode) || (f->flags & FIELD_INPUT) ||
		    f->column == NULL)
			continue;
		switch (f->type) {
		case FIELD_TEXT:
		case FIELD_TEXTAREA:
		case FIELD_CODE:
		case FIELD_INT:
		case FIELD_BOOL:
			json_object_set(row, f->column, v);
			break;
		case FIELD_TLP: /* stored as its number (codes_tlp_parse) */
			json_object_set_new(row, f->column,
					    json_integer(codes_tlp_parse(json_string_value(v))));
			break;
		default: /* times, lists and objects: their handler converts them */
			break;
		}
	}
}

const char *api_in_text(const json_t *in, const char *name)
{
	return json_string_value(json_object_get(in, name));
}

int api_in_int(const json_t *in, const char *name, int64_t *out)
{
	const json_t *v = json_object_get(in, name);

	*out = json_is_integer(v) ? json_integer_value(v) : 0;
	return json_is_integer(v);
}

int api_in_bool(const json_t *in, const char *name, bool *out)
{
	const json_t *v = json_object_get(in, name);

	*out = json_is_true(v);
	return json_is_boolean(v);
}

void api_cite(json_t *obj, const char *src)
{
	ops_cite(api_preset(), obj, src);
}

void api_cite_w(struct jsonw *w, const char *src)
{
	char out[CITE_MAX];

	if (src == NULL || src[0] == '\0')
		return;
	(void)cite_str(api_preset(), src, CITE_VI, out, sizeof out);
	jsonw_member_text(w, "citation_vi", out);
	(void)cite_str(api_preset(), src, CITE_EN, out, sizeof out);
	jsonw_member_text(w, "citation_en", out);
}

void api_journal_words(json_t *items, enum msg_lang lang)
{
	char words[4096];
	const char *note;
	size_t i;
	json_t *e;

	json_array_foreach(items, i, e) {
		json_t *data = json_object_get(e, "data");

		if (!json_is_object(data))
			continue;
		api_cite(data, json_string_value(json_object_get(data, "source")));
		if (ops_words(api_preset(), data, lang, words, sizeof words) != 0)
			continue;
		/* what a person wrote with it (a handover's note) stays whole, after the words */
		note = json_string_value(json_object_get(e, "body"));
		json_object_set_new(e, "body", note && note[0] ? json_sprintf("%s\n\n%s", words, note)
							       : json_string(words));
	}
}

void api_match_words(json_t *v, enum msg_lang lang)
{
	const char *key;
	json_t *m;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			api_match_words(m, lang);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, m) {
		enum msg_id id;

		if (strcmp(key, "why") != 0 || !json_is_string(m)) {
			api_match_words(m, lang);
			continue;
		}
		id = msg_find(json_string_value(m));
		if (id == M_none)
			continue;
		json_object_set_new(v, "why_code", json_string(msg_code(id)));
		json_object_set_new(v, "why", json_string(msg_text(id, lang)));
	}
}

int api_incident_items(struct http_req *req, struct http_res *res,
		       int (*list)(struct store *st, int64_t incident_id, json_t **out),
		       void (*present)(json_t *items, enum msg_lang lang))
{
	struct ac_incident ai;
	json_t *items = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = list(api_store(), id, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	if (present)
		present(items, res->lang);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}
