/* http.c - libmicrohttpd adapter and router.
 * One request = one struct reqstate, created on MHD's first callback, filled on the following
 * ones (body capped while it arrives: MHD itself has no body limit), answered on the last.
 * Answering on the first callback would make MHD 0.9.75 close keep-alive connections, so only
 * refusals (413 on a declared oversize body) are sent then.
 * Threads: one libmicrohttpd daemon per thread, without a listening socket of its own; the
 * serving thread accepts every connection and hands it to the daemon holding the fewest (see
 * http_serve for why). */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define PATH_CAP 2048

struct http_conn {
	struct MHD_Connection *c;
};

struct reqstate {
	struct http_req req;
	struct http_conn conn;
	bool started;            /* the first access callback has run */
	bool bad_path;           /* the raw path encodes a control byte (%00...) */
	const struct http_route *route;
	int route_status;        /* 0 matched, 404 or 405; 400 when not routed (bad_path) */
	char pathbuf[PATH_CAP];  /* copy of the path, cut at '/' for the params */
	struct buf body;
	bool too_big;
	bool bad_upload;
	int upload_fd;
	char upload_tmp[PATH_CAP];
	crypto_hash_sha256_state sha;
	struct MHD_PostProcessor *pp; /* multipart uploads */
	int file_parts;               /* multipart: parts named "file" seen (one allowed) */
	bool multipart;
	int64_t start_us;
	/* HTTP_DEFER: the job handed to opts->defer and the answer it fills (allocated then: a
	 * response is 7 KB, and zeroing it for every request showed in profiles of GETs) */
	struct http_job job;
	struct http_res *dres;
	atomic_int job_state; /* JOB_NONE, JOB_RUNNING, JOB_DONE */
};

enum { JOB_NONE, JOB_RUNNING, JOB_DONE };

/* Deferred requests not answered yet: the daemon may only stop when none is suspended. */
static atomic_int deferred_inflight;

/* Each connection's memory in MHD: the request line and headers must fit (about 30 KB of them;
 * longer ones are answered 431). MHD zeroes all of it after every request of a keep-alive
 * connection, so 64 KB cost ~4 us a request in profiles of GETs, for header room no client
 * uses. */
#define HTTP_CONN_MEMORY (32 * 1024)

static const struct http_opts *opts;

/* The first segments of the routes ("/api/", "/taxii2/"): paths under them are the APIs', answered
 * by routes or with an error, never with the UI's files. */
#define API_PREFIX_MAX 8
static char api_prefix[API_PREFIX_MAX][32];
static size_t napi_prefix;

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
			  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/* ---- routing ---- */

/* Matches path against pattern; on success fills the params (pointing into st->pathbuf). */
static bool route_match(const char *pattern, struct reqstate *st)
{
	const char *p = pattern;
	char *s = st->pathbuf;
	size_t n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			char *se = strchr(s, '/');

			if (pe == NULL || n >= HTTP_MAX_PARAMS)
				return false;
			if (se == s)
				return false;
			st->req.params[n++] = s;
			p = pe + 1;
			if (se == NULL)
				s += strlen(s);
			else
				s = se;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	st->req.nparams = n;
	return true;
}

/* Finds the route; params are cut into NUL-terminated pieces only once a route matched. */
static void route_find(struct reqstate *st, const char *method, const char *url)
{
	bool path_seen = false;

	st->route_status = 404;
	for (size_t i = 0; i < opts->nroutes; i++) {
		const struct http_route *r = &opts->routes[i];

		if (str_copy(st->pathbuf, sizeof st->pathbuf, url) != 0)
			return;
		if (!route_match(r->pattern, st))
			continue;
		path_seen = true;
		if (strcmp(r->method, method) != 0)
			continue;
		st->route = r;
		st->req.route = r;
		st->route_status = 0;
		for (size_t k = 0; k < st->req.nparams; k++) {
			char *slash = strchr((char *)st->req.params[k], '/');

			if (slash)
				*slash = '\0';
		}
		return;
	}
	if (path_seen)
		st->route_status = 405;
}

/* ---- responses ---- */

void http_res_init(struct http_res *res)
{
	memset(res, 0, sizeof *res);
	res->status = 500;
	res->fd = -1;
	buf_init(&res->body, 64u << 20);
	str_copy(res->content_type, sizeof res->content_type, "application/json");
}

void http_res_free(struct http_res *res)
{
	buf_free(&res->body);
	if (res->fd >= 0)
		close(res->fd);
	res->fd = -1;
}

int http_res_header(struct http_res *res, const char *name, const char *value)
{
	if (res->nheaders >= HTTP_MAX_HEADERS)
		return -1;
	if (str_copy(res->headers[res->nheaders].name, sizeof res->headers[0].name, name) != 0 ||
	    str_copy(res->headers[res->nheaders].value, sizeof res->headers[0].value, value) != 0)
		return -1;
	res->nheaders++;
	return 0;
}

int http_res_json(struct http_res *res, int status, json_t *body)
{
	int rc;

	res->status = status;
	str_copy(res->content_type, sizeof res->content_type, "application/json");
	buf_reset(&res->body);
	if (body == NULL)
		return -1;
	/* straight into the response body: no intermediate string */
	rc = http_json_write(&res->body, body);
	if (rc != 0)
		buf_reset(&res->body);
	json_decref(body);
	return rc;
}

struct buf *http_res_json_text(struct http_res *res, int status)
{
	res->status = status;
	str_copy(res->content_type, sizeof res->content_type, "application/json");
	buf_reset(&res->body);
	return &res->body;
}


json_t *http_problem_body(int status, const char *title, const char *field,
			    const struct msg *m, enum msg_lang lang)
{
	char detail[2048];
	struct msg generic;
	json_t *o, *params = json_object();

	if (m->id == M_none) { /* no reason given: still a problem with a code */
		msg_set(&generic, M_server_error);
		m = &generic;
	}
	(void)msg_render(m, lang, detail, sizeof detail);
	for (size_t i = 0; params && i < m->n; i++)
		json_object_set_new(params, m->p[i].name,
				    m->p[i].is_num ? json_integer(m->p[i].num)
						   : json_string(msg_value_in(m, i, lang)));
	o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:o}", "type", "about:blank", "title", title,
		      "code", msg_code(m->id), "status", status, "detail", detail, "params", params);
	if (o && field)
		json_object_set_new(o, "field", json_string(field));
	return o;
}

int http_res_problem_msg(struct http_res *res, int status, const char *title, const char *field,
			 const struct msg *m)
{
	if (http_res_json(res, status, http_problem_body(status, title, field, m, res->lang)) != 0) {
		/* no memory for the tree: still a problem with a code, in words that need none (the
		 * catalogue's text of server_error has no quote nor backslash to escape) */
		buf_reset(&res->body);
		buf_printf(&res->body,
			   "{\"type\":\"about:blank\",\"title\":\"Error\",\"code\":\"%s\","
			   "\"status\":%d,\"detail\":\"%s\",\"params\":{}}",
			   msg_code(M_server_error), status, msg_text(M_server_error, res->lang));
		str_copy(res->content_type, sizeof res->content_type, "application/problem+json");
		return -1;
	}
	str_copy(res->content_type, sizeof res->content_type, "application/problem+json");
	return 0;
}

int http_res_problem_args(struct http_res *res, int status, const char *title,
			  const char *field, enum msg_id id, const struct msg_arg *a, size_t n)
{
	struct msg m;

	msg_bind(&m, id, a, n);
	return http_res_problem_msg(res, status, title, field, &m);
}

/* The stable title of an error status, for the answers below. */
static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 413: return "Body too large";
	case 422: return "Unprocessable";
	case 503: return "Service unavailable";
	default: return status >= 500 ? "Internal error" : "Error";
	}
}

/* An error answer a handler left without a body gets a problem body: every error is one.
 * Returns true when it wrote one. */
static bool problem_if_empty(struct http_res *res)
{
	if (res->status < 400 || res->fd >= 0 || res->body.len > 0)
		return false;
	http_res_problem(res, res->status, status_title(res->status), NULL, M_request_unserved,
			 MN("status", res->status));
	return true;
}

/* ---- request accessors ---- */

const char *http_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->c, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->c, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_query_n(const struct http_req *req, const char *name, size_t *len)
{
	const char *v = NULL;

	*len = 0;
	if (MHD_lookup_connection_value_n(req->conn->c, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
					  len) != MHD_YES)
		return NULL;
	return v;
}

const char *http_cookie(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->c, MHD_COOKIE_KIND, name);
}

/* ---- static files ---- */

static const char *mime_of(const char *path)
{
	static const struct { const char *ext, *mime; } types[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".json", "application/json"},
		{".svg", "image/svg+xml"},             {".png", "image/png"},
		{".ico", "image/x-icon"},              {".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].mime;
	return "application/octet-stream";
}

/* A UI path is plain: no "..", "//", backslash, control byte, or '%' left after MHD decoded it
 * once (double encoding). Anything else is refused rather than answered with the app. */
static bool static_path_ok(const char *url)
{
	if (strstr(url, "..") || strstr(url, "//") || strchr(url, '\\') || strchr(url, '%'))
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return false;
	return true;
}

/* Serves a file of the UI. Paths without an extension get index.html (client-side routes). */
static void serve_static(const char *url, struct http_res *res)
{
	char path[PATH_CAP];
	const char *rel = url;
	const char *last = strrchr(url, '/');
	struct stat sb;
	int fd;

	if (!static_path_ok(url)) {
		http_res_problem(res, 400, "Bad path", NULL, M_path_invalid);
		return;
	}
	if (strcmp(url, "/") == 0 || (last && strchr(last, '.') == NULL))
		rel = "/index.html";
	if (snprintf(path, sizeof path, "%s%s", opts->static_dir, rel) >= (int)sizeof path) {
		http_res_problem(res, 414, "Path too long", NULL, M_path_too_long);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		http_res_problem(res, 404, "Not found", NULL, M_not_found);
		return;
	}
	res->status = 200;
	res->fd = fd;
	res->fd_len = (uint64_t)sb.st_size;
	str_copy(res->content_type, sizeof res->content_type, mime_of(path));
	http_res_header(res, "Cache-Control", "no-cache");
}

/* ---- MHD glue ---- */

static enum MHD_Result queue(struct MHD_Connection *c, struct http_res *res, bool api)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (res->fd >= 0) {
		r = MHD_create_response_from_fd64(res->fd_len, res->fd);
		res->fd = -1; /* MHD closes it */
	} else {
		size_t len = res->body.len;

		r = MHD_create_response_from_buffer(len, buf_take(&res->body), MHD_RESPMEM_MUST_FREE);
	}
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", res->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	if (api)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	for (size_t i = 0; i < res->nheaders; i++) {
		/* an API answer is never stored, whatever a handler asked (two Cache-Control
		 * headers would leave the choice to each cache) */
		if (api && str_ieq(res->headers[i].name, "Cache-Control"))
			continue;
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	}
	ret = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	out[0] = '\0';
	if (ci == NULL || ci->client_addr == NULL)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
			  out, (socklen_t)outsz);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
			  (socklen_t)outsz);
}

/* A request's state, empty: on_completed may free it before the first access callback. */
static struct reqstate *state_alloc(void)
{
	struct reqstate *st = calloc(1, sizeof *st);

	if (st)
		st->upload_fd = -1;
	return st;
}

/* Fills the request's state on MHD's first access callback. */
static void state_init(struct reqstate *st, struct MHD_Connection *c, const char *method,
		       const char *url)
{
	st->started = true;
	st->start_us = tm_mono_us();
	st->conn.c = c;
	st->req.conn = &st->conn;
	st->req.method = method;
	st->req.path = url;
	st->req.body = "";
	buf_init(&st->body, opts->max_body);
	client_ip(c, st->req.ip, sizeof st->req.ip);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True if the path of a raw request target (before '?') holds or encodes a control byte. MHD
 * decodes the path in place and hands it on as a C string, so "/x/1%00/y" would arrive as "/x/1":
 * only the raw text shows what was asked. */
static bool raw_path_bad(const char *uri)
{
	for (const char *p = uri; *p && *p != '?'; p++) {
		int v = (unsigned char)*p;

		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0)
			v = hexval(p[1]) * 16 + hexval(p[2]);
		if (v < 0x20 || v == 0x7F)
			return true;
	}
	return false;
}

/* MHD's URI callback: called once per request with the raw request target, before MHD decodes
 * it. The request's state starts here (freed in on_completed, which MHD then always calls). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct reqstate *st = state_alloc();

	(void)cls;
	(void)c;
	if (st)
		st->bad_path = raw_path_bad(uri);
	return st;
}

static int upload_open(struct reqstate *st)
{
	if (snprintf(st->upload_tmp, sizeof st->upload_tmp, "%s/upload-XXXXXX", opts->upload_dir) >=
	    (int)sizeof st->upload_tmp)
		return -1;
	st->upload_fd = mkostemp(st->upload_tmp, O_CLOEXEC);
	if (st->upload_fd < 0) {
		log_err("upload temp file in %s: %s", opts->upload_dir, strerror(errno));
		st->upload_tmp[0] = '\0';
		return -1;
	}
	crypto_hash_sha256_init(&st->sha);
	return 0;
}

static void upload_chunk(struct reqstate *st, const char *data, size_t n)
{
	if (st->too_big || st->bad_upload)
		return;
	if (st->req.upload_len + n > opts->max_upload) {
		st->too_big = true;
		return;
	}
	if (st->upload_fd < 0 && upload_open(st) != 0) {
		st->bad_upload = true;
		return;
	}
	crypto_hash_sha256_update(&st->sha, (const unsigned char *)data, n);
	while (n > 0) {
		ssize_t w = write(st->upload_fd, data, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			st->bad_upload = true;
			return;
		}
		data += w;
		n -= (size_t)w;
		st->req.upload_len += (uint64_t)w;
	}
}

/* Called by MHD's post processor for each piece of a multipart body: the part named "file" goes
 * to the temp file like a raw upload; other parts are ignored. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	struct reqstate *st = cls;

	(void)kind;
	(void)transfer_encoding;
	if (key == NULL || strcmp(key, "file") != 0)
		return MHD_YES;
	if (off == 0) {
		if (++st->file_parts > 1) {
			st->bad_upload = true; /* one file per request keeps one hash per request */
			return MHD_NO;
		}
		if (filename && str_copy(st->req.upload_name, sizeof st->req.upload_name,
					 filename) != 0)
			st->req.upload_name_long = true;
		if (content_type)
			str_copy(st->req.upload_type, sizeof st->req.upload_type, content_type);
	}
	if (size > 0)
		upload_chunk(st, data, size);
	return st->too_big || st->bad_upload ? MHD_NO : MHD_YES;
}

static bool is_multipart(struct MHD_Connection *c)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");

	return ct && str_starts(ct, "multipart/form-data");
}

/* Routes one received piece of an upload body: raw, or through the multipart parser. */
static void upload_data_in(struct reqstate *st, const char *data, size_t n)
{
	if (st->pp == NULL) {
		upload_chunk(st, data, n);
		return;
	}
	if (!st->too_big && !st->bad_upload && MHD_post_process(st->pp, data, n) != MHD_YES &&
	    !st->too_big)
		st->bad_upload = true;
}

static void upload_finish(struct reqstate *st)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	if (st->upload_fd < 0 && upload_open(st) != 0) {
		st->bad_upload = true;
		return;
	}
	crypto_hash_sha256_final(&st->sha, h);
	str_hex(st->req.upload_sha256, h, sizeof h);
	if (fsync(st->upload_fd) != 0)
		st->bad_upload = true;
	st->req.upload_path = st->upload_tmp;
}

/* True for a path under the first segment of a route ("/api/...", "/taxii2/...", or that segment
 * alone): the APIs' ground, where the UI's files are never the answer. */
static bool is_api(const char *url)
{
	for (size_t i = 0; i < napi_prefix; i++) {
		size_t n = strlen(api_prefix[i]);

		if (strncmp(url, api_prefix[i], n) == 0 && (url[n] == '/' || url[n] == '\0'))
			return true;
	}
	return false;
}

/* Collects the routes' first segments ("/api", "/taxii2") for is_api. */
static void api_prefixes(const struct http_opts *o)
{
	napi_prefix = 0;
	for (size_t i = 0; i < o->nroutes; i++) {
		const char *p = o->routes[i].pattern, *slash = strchr(p + 1, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p), k;

		for (k = 0; k < napi_prefix; k++)
			if (strlen(api_prefix[k]) == n && strncmp(api_prefix[k], p, n) == 0)
				break;
		if (k < napi_prefix || n >= sizeof api_prefix[0] || napi_prefix == API_PREFIX_MAX)
			continue;
		memcpy(api_prefix[napi_prefix], p, n);
		api_prefix[napi_prefix++][n] = '\0';
	}
}

/* Hands the request to opts->defer and suspends the connection until http_job_done. Suspended
 * first: the job may be done before defer returns. Returns 0, or -1 having set res to a 503. */
static int defer(struct MHD_Connection *c, struct reqstate *st, struct http_res *res)
{
	st->dres = malloc(sizeof *st->dres);
	if (st->dres == NULL)
		return http_res_problem(res, 503, "Service unavailable", NULL, M_out_of_memory), -1;
	*st->dres = *res; /* the response moves (its buffer with it) */
	st->job = (struct http_job){.req = &st->req, .res = st->dres, .fn = st->route->fn, .priv = st};
	atomic_store(&st->job_state, JOB_RUNNING);
	atomic_fetch_add(&deferred_inflight, 1);
	MHD_suspend_connection(c);
	opts->defer(&st->job);
	return 0;
}

void http_job_done(struct http_job *job)
{
	struct reqstate *st = job->priv;

	atomic_store(&st->job_state, JOB_DONE);
	MHD_resume_connection(st->conn.c);
}

static void dres_free(struct reqstate *st)
{
	http_res_free(st->dres);
	free(st->dres);
	st->dres = NULL;
}

/* Before an error answer leaves: one without a body gets a problem body, and on an API path one
 * made here (mine) may be restated by opts->error (TAXII's error format under /taxii2/). */
static void error_finish(const struct reqstate *st, struct http_res *res, bool api, bool mine)
{
	if (problem_if_empty(res))
		mine = true;
	if (mine && api && res->status >= 400 && opts->error)
		opts->error(&st->req, res);
}

/* Answers a deferred request once its job is done (MHD calls back after the resume). */
static enum MHD_Result answer_deferred(struct MHD_Connection *c, struct reqstate *st,
				       const char *url)
{
	enum MHD_Result ret;
	bool api = is_api(url);

	error_finish(st, st->dres, api, false);
	if (opts->after)
		opts->after(&st->req, st->dres, tm_mono_us() - st->start_us);
	ret = queue(c, st->dres, api);
	dres_free(st);
	atomic_store(&st->job_state, JOB_NONE);
	atomic_fetch_sub(&deferred_inflight, 1);
	return ret;
}

/* The refusals made before any route runs: a path or body refused. Returns true when res holds
 * one. */
static bool refusal(const struct reqstate *st, struct http_res *res)
{
	if (st->bad_path)
		http_res_problem(res, 400, "Bad path", NULL, M_path_control_char);
	else if (st->too_big && st->route && (st->route->flags & HTTP_UPLOAD))
		http_res_problem(res, 413, "Upload too large", "file", M_upload_too_large,
				 MN("max", opts->max_upload));
	else if (st->too_big)
		http_res_problem(res, 413, "Body too large", NULL, M_body_too_large,
				 MN("max", opts->max_body));
	else if (st->bad_upload && st->multipart)
		http_res_problem(res, 400, "Malformed upload", "file", M_upload_malformed);
	else if (st->bad_upload)
		http_res_problem(res, 500, "Upload failed", "file", M_upload_not_stored);
	else
		return false;
	return true;
}

/* Answers a fully received request. */
static enum MHD_Result dispatch(struct MHD_Connection *c, struct reqstate *st, const char *url)
{
	struct http_res res;
	enum MHD_Result ret;
	bool api = is_api(url), mine = true;

	http_res_init(&res);
	res.lang = msg_lang_accept(http_header(&st->req, "Accept-Language"));
	if (refusal(st, &res))
		;
	else if (st->route == NULL && !api && opts->static_dir &&
		 (strcmp(st->req.method, "GET") == 0 || strcmp(st->req.method, "HEAD") == 0))
		serve_static(url, &res);
	else if (st->route_status == 404)
		http_res_problem(&res, 404, "Not found", NULL, M_no_such_resource,
				 MS("path", url));
	else if (st->route_status == 405)
		http_res_problem(&res, 405, "Method not allowed", NULL, M_method_not_allowed,
				 MS("method", st->req.method));
	else {
		mine = false;
		st->req.body = st->body.p ? st->body.p : "";
		st->req.body_len = st->body.len;
		if (opts->before == NULL || opts->before(&st->req, &res, st->route) == 0) {
			if (!(st->route->flags & HTTP_DEFER) || !opts->defer)
				st->route->fn(&st->req, &res);
			else if (defer(c, st, &res) == 0)
				return MHD_YES;
		}
	}
	error_finish(st, &res, api, mine);
	if (opts->after)
		opts->after(&st->req, &res, tm_mono_us() - st->start_us);
	ret = queue(c, &res, api);
	http_res_free(&res);
	return ret;
}

/* A declared body over the limit is refused at once, without reading it. */
static bool declared_too_big(struct MHD_Connection *c, const struct reqstate *st)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	int64_t n;
	uint64_t cap = st->route && (st->route->flags & HTTP_UPLOAD) ? opts->max_upload
								      : (uint64_t)opts->max_body;

	if (cl == NULL || str_to_i64(cl, 0, INT64_MAX, &n) != 0)
		return false;
	return (uint64_t)n > cap;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct reqstate *st = *con_cls;

	(void)cls;
	(void)version;
	if (st == NULL) { /* on_uri could not allocate it */
		st = state_alloc();
		if (st == NULL)
			return MHD_NO;
		*con_cls = st;
	}
	if (!st->started) {
		state_init(st, c, method, url);
		if (st->bad_path)
			st->route_status = 400; /* not routed: the path MHD decoded is cut short */
		else
			route_find(st, method, url);
		if (st->route && (st->route->flags & HTTP_UPLOAD) && is_multipart(c)) {
			st->multipart = true;
			st->pp = MHD_create_post_processor(c, 64 * 1024, on_part, st);
			if (st->pp == NULL)
				st->bad_upload = true; /* no boundary: answered below as a bad upload */
		}
		if (declared_too_big(c, st)) {
			st->too_big = true;
			return dispatch(c, st, url);
		}
		return MHD_YES;
	}
	switch (atomic_load(&st->job_state)) {
	case JOB_DONE: return answer_deferred(c, st, url);
	case JOB_RUNNING: return MHD_YES; /* not called while suspended; nothing to do if it is */
	default: break;
	}
	if (*upload_data_size != 0) {
		if (st->route && (st->route->flags & HTTP_UPLOAD))
			upload_data_in(st, upload_data, *upload_data_size);
		else if (!st->too_big && buf_append(&st->body, upload_data, *upload_data_size) != BUF_OK)
			st->too_big = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (st->pp) {
		/* destroying the parser flushes what it still holds of the last part */
		if (MHD_destroy_post_processor(st->pp) != MHD_YES && !st->too_big)
			st->bad_upload = true;
		st->pp = NULL;
	}
	if (st->route && (st->route->flags & HTTP_UPLOAD) && !st->too_big && !st->bad_upload)
		upload_finish(st);
	return dispatch(c, st, url);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct reqstate *st = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (st == NULL)
		return;
	if (atomic_load(&st->job_state) != JOB_NONE) {
		/* answered by the executor, but the client left before MHD could send it */
		dres_free(st);
		atomic_fetch_sub(&deferred_inflight, 1);
	}
	if (st->req.ctx_free && st->req.ctx)
		st->req.ctx_free(st->req.ctx);
	json_decref(st->req.json);
	if (st->pp)
		MHD_destroy_post_processor(st->pp);
	if (st->upload_fd >= 0)
		close(st->upload_fd);
	if (st->upload_tmp[0])
		unlink(st->upload_tmp); /* a handler that keeps the upload renames it first */
	buf_free(&st->body);
	free(st);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("mhd: %s", line);
}

/* ---- threads and the listening socket ----
 * MHD's own thread pool (MHD_OPTION_THREAD_POOL_SIZE) puts the one listening socket in every
 * thread's epoll set; whichever thread wakes first accepts up to 10 connections in a row, so
 * the 16 connections a client opens at once mostly landed on one thread, the other idle
 * (docs/benchmarks.md, "Connections across the HTTP threads": in 26 of 40 steps one of two
 * threads held none, and throughput halved). Instead each thread runs its own MHD daemon with
 * no listening socket, and the serving thread accepts and gives each connection to the daemon
 * holding the fewest (MHD_add_connection, woken through its inter-thread channel). One
 * SO_REUSEPORT socket per thread would let the kernel spread connections by a hash of their
 * addresses, but only by chance (up to 14 of 16 on one thread in 40 steps), and it lets a
 * second server start on the same port and take half the connections. */

#define HTTP_MAX_THREADS 64
#define HTTP_CONN_LIMIT 2000u

struct worker {
	struct MHD_Daemon *d;
	atomic_int load; /* connections given to it and not closed yet (one MHD drops at once,
			  * out of memory, stays counted: only the balance errs) */
};

static struct worker workers[HTTP_MAX_THREADS];
static unsigned nworkers;

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct worker *w = cls;

	(void)c;
	(void)socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
		atomic_fetch_sub(&w->load, 1);
}

/* The thread with the fewest connections; ties go to the next one in turn. Only the serving
 * thread calls it. */
static struct worker *least_loaded(void)
{
	static unsigned turn;
	unsigned best = turn % nworkers;

	for (unsigned k = 1; k < nworkers; k++) {
		unsigned i = (turn + k) % nworkers;

		if (atomic_load(&workers[i].load) < atomic_load(&workers[best].load))
			best = i;
	}
	turn = best + 1;
	return &workers[best];
}

/* Accepts every waiting connection and hands each to a thread. */
static void accept_ready(int lfd)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		struct worker *w;
		int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* out of descriptors or memory: the connection stays queued, and
				 * poll would report it again at once */
				log_err("accept: %s", strerror(errno));
				usleep(100 * 1000);
			}
			return;
		}
		w = least_loaded();
		atomic_fetch_add(&w->load, 1);
		if (MHD_add_connection(w->d, fd, (struct sockaddr *)&ss, len) != MHD_YES)
			atomic_fetch_sub(&w->load, 1); /* MHD closed it */
	}
}

/* The listening socket on o->addr:o->port. Returns 0 and *out, or -1 (logged). */
static int listen_open(const struct http_opts *o, int *out)
{
	struct sockaddr_in sa;
	int fd, on = 1;

	*out = -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(o->port);
	if (inet_pton(AF_INET, o->addr, &sa.sin_addr) != 1) {
		log_err("listen address %s is not an IPv4 address", o->addr);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, SOMAXCONN) != 0) {
		log_err("cannot listen on %s:%u: %s", o->addr, (unsigned)o->port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*out = fd;
	return 0;
}

/* Starts one thread's daemon, holding at most limit connections. Returns 0 or -1. */
static int worker_start(struct worker *w, const struct http_opts *o, unsigned limit)
{
	atomic_store(&w->load, 0);
	w->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
					MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
					(o->defer ? MHD_ALLOW_SUSPEND_RESUME : 0),
				0, NULL, NULL, on_request, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_CONNECTION_LIMIT, limit,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, w,
				MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
				MHD_OPTION_END);
	return w->d ? 0 : -1;
}

static void workers_stop(void)
{
	for (unsigned i = 0; i < nworkers; i++)
		MHD_stop_daemon(workers[i].d);
	nworkers = 0;
}

int http_serve(const struct http_opts *o, volatile sig_atomic_t *stop)
{
	unsigned threads = o->threads;
	int lfd;

	opts = o;
	api_prefixes(o);
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		threads = n > 0 ? (unsigned)n : 1;
	}
	if (threads > HTTP_MAX_THREADS)
		threads = HTTP_MAX_THREADS;
	if (listen_open(o, &lfd) != 0)
		return -1;
	for (nworkers = 0; nworkers < threads; nworkers++) {
		unsigned limit = HTTP_CONN_LIMIT / threads + (nworkers < HTTP_CONN_LIMIT % threads);

		if (worker_start(&workers[nworkers], o, limit) != 0) {
			log_err("cannot start HTTP thread %u of %u", nworkers + 1, threads);
			workers_stop();
			close(lfd);
			return -1;
		}
	}
	log_info("serving on http://%s:%u with %u threads", o->addr, (unsigned)o->port, threads);
	while (!*stop) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};

		if (poll(&p, 1, 200) > 0)
			accept_ready(lfd);
	}
	close(lfd); /* new connections are refused from now on */
	/* stopping a daemon with a suspended connection is undefined: let the deferred requests
	 * be answered first (their executor still runs) */
	for (int i = 0; i < 3000 && atomic_load(&deferred_inflight) > 0; i++)
		usleep(10 * 1000);
	workers_stop();
	return 0;
}
