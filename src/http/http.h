/* http.h - the HTTP layer: libmicrohttpd adapter, router, limits, responses. It knows no
 * resource: api/ registers routes and a `before` hook (sessions and authentication). */
#ifndef UNGCUU_HTTP_H
#define UNGCUU_HTTP_H
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/msg.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 12

struct http_conn; /* the libmicrohttpd connection, opaque above http/ */

struct http_route;

struct http_req {
	const char *method;
	const char *path;               /* without the query string */
	char ip[64];
	const char *params[HTTP_MAX_PARAMS]; /* {name} segments of the route, in order */
	size_t nparams;
	const char *body;               /* NUL-terminated; "" when none */
	size_t body_len;
	const char *upload_path;        /* upload routes: the temp file holding the body, else NULL */
	uint64_t upload_len;
	char upload_sha256[65];         /* upload routes: hex SHA-256 of the body */
	char upload_name[1024];         /* multipart uploads: the file part's file name, else "" */
	bool upload_name_long;          /* the part's file name did not fit upload_name (which holds
					 * 255 characters of 4 bytes): too long for any use */
	char upload_type[128];          /* multipart uploads: the file part's content type, else "" */
	struct http_conn *conn;
	void *ctx;                      /* set by the before hook, for the handlers */
	json_t *json;                   /* the body as parsed by the first http_json_body, kept
					 * for the next (the before hook's check, then the handler);
					 * released when the request ends */
	bool json_checked;              /* the body was checked against the route's declaration */
	const struct http_route *route; /* the route matched (NULL: none) */
	void (*ctx_free)(void *ctx);    /* called when the request ends, if set */
};

struct http_res {
	int status;
	struct buf body;
	char content_type[96];
	struct { char name[48]; char value[512]; } headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	int fd;             /* >= 0: send this file (fd_len bytes) instead of body; closed by http */
	uint64_t fd_len;
	enum msg_lang lang; /* the language of the request's Accept-Language (problems' detail) */
};

typedef int (*http_handler)(struct http_req *req, struct http_res *res);

/* Route flags. */
#define HTTP_PUBLIC 1u  /* the before hook lets it through without a session */
#define HTTP_UPLOAD 2u  /* the body is streamed to a temp file (up to max_upload): either the raw
			 * body, or the part named "file" of a multipart/form-data body */
#define HTTP_DEFER 4u   /* after the before hook, the handler runs on opts->defer's thread (writes
			 * committed as a group) while the connection waits, suspended */

/* A request handed to opts->defer: run fn(req, res) on any thread, then call http_job_done. */
struct http_job {
	struct http_req *req;
	struct http_res *res;
	int (*fn)(struct http_req *req, struct http_res *res);
	struct http_job *next; /* free for the executor's queue */
	void *priv;            /* http's own */
};

struct http_route {
	const char *method;
	const char *pattern; /* "/api/v1/incidents/{id}"; {x} matches one non-empty segment */
	http_handler fn;
	unsigned flags;
	const char *summary_vi; /* for the OpenAPI document, in the reader's language: */
	const char *summary_en; /* Vietnamese, English (a declaration, not a message) */
	const void *access;  /* who may call it, as the before hook reads it (opaque to http/) */
};

struct http_opts {
	const char *addr;      /* "127.0.0.1" */
	uint16_t port;
	unsigned threads;      /* 0 = one per core */
	size_t max_body;       /* JSON bodies */
	uint64_t max_upload;   /* uploads */
	const char *upload_dir;/* temp files for uploads */
	const char *static_dir;/* the UI files, served for GET of non-API paths; NULL = none */
	const struct http_route *routes;
	size_t nroutes;
	/* Runs before every routed handler with the matched route; returns 0 to go on, or
	 * non-zero having filled res (401, 403, 404...). May set req->ctx. */
	int (*before)(struct http_req *req, struct http_res *res, const struct http_route *route);
	/* Runs on every error answer http/ makes itself on an API path (no such route, method not
	 * allowed, path or body refused, an error a handler left without a body), already a
	 * problem+json; may restate it in another format (TAXII's). May be NULL. */
	void (*error)(const struct http_req *req, struct http_res *res);
	/* Runs after every request, e.g. to log it. May be NULL. */
	void (*after)(const struct http_req *req, const struct http_res *res, int64_t usec);
	/* Takes HTTP_DEFER requests (NULL: they run inline like the others). Must not block; every
	 * job must come back through http_job_done, also while the server stops. */
	void (*defer)(struct http_job *job);
};

/* Answers a deferred request with its job->res; callable from any thread, once per job. */
void http_job_done(struct http_job *job);

/* Serves until *stop becomes non-zero (checked every 200 ms). Returns 0, or -1 when the
 * listener could not start (logged). */
int http_serve(const struct http_opts *o, volatile sig_atomic_t *stop);

/* A request header's value, or NULL. Valid for the request's life. */
const char *http_header(const struct http_req *req, const char *name);
/* A query parameter's (decoded) value, or NULL. A value the client gave with %00 ends at the
 * NUL here; http_query_n tells. */
const char *http_query(const struct http_req *req, const char *name);
/* A query parameter's decoded value and its length in bytes, counting what follows a NUL the
 * client encoded (%00), so len != strlen(value) means the value holds a NUL. Returns the value
 * (valid for the request's life) or NULL when absent (*len 0). */
const char *http_query_n(const struct http_req *req, const char *name, size_t *len);
/* A cookie's value, or NULL. */
const char *http_cookie(const struct http_req *req, const char *name);

/* Adds a response header. Returns 0, or -1 when full or too long. */
int http_res_header(struct http_res *res, const char *name, const char *value);
/* Sets status and a JSON body (steals the reference to body). Returns 0 or -1. */
int http_res_json(struct http_res *res, int status, json_t *body);
/* Sets status and an empty JSON body, and returns the body for the caller to write the JSON text
 * into (util/jsonw), for answers written without a jansson tree. On a failed write the caller
 * answers something else (http_res_problem empties the body again). */
struct buf *http_res_json_text(struct http_res *res, int status);
/* The problem+json object http_res_problem_msg answers (for an answer that adds members of its
 * own). A new reference (caller decrefs), NULL on ENOMEM. */
json_t *http_problem_body(int status, const char *title, const char *field, const struct msg *m,
			  enum msg_lang lang);
/* Sets an application/problem+json response (RFC 9457): title is the fixed kind of problem,
 * m the catalogue's message saying what and why (util/msg.h), field the offending input (or
 * NULL). The answer carries the message's stable code, its parameters ("params") and its text
 * ("detail") in the language of the request (res->lang). A parameter may echo client text: it is
 * made valid UTF-8 (U+FFFD for a byte that is not) and, over 1 KB, cut between characters and
 * ended with "…". Always leaves a problem body; returns 0, or -1 when only a generic one could
 * be written (out of memory). */
int http_res_problem_msg(struct http_res *res, int status, const char *title, const char *field,
			 const struct msg *m);
/* The same as a call site writes it: http_res_problem(res, 422, "Invalid field", "title",
 * M_field_too_long, MS("field", "title"), MN("max", 300)). */
#define http_res_problem(res, status, title, field, id, ...)                                \
	http_res_problem_args((res), (status), (title), (field), (id), MSG_ARGS(__VA_ARGS__))
int http_res_problem_args(struct http_res *res, int status, const char *title,
			  const char *field, enum msg_id id, const struct msg_arg *a, size_t n);

/* Parses req->body as one JSON object, enforcing the size cap and a nesting depth of at most 16;
 * a second call gives the first's parse again. Returns 0 and *out (a new reference: caller
 * decrefs), or -1 having filled res with a 400/413/415. */
int http_json_body(struct http_req *req, struct http_res *res, json_t **out);

/* The same for a body held anywhere (fuzzing, e-mail intake). */
int http_json_parse(const char *body, size_t len, const char *content_type,
		    struct http_res *res, json_t **out);
/* Starts an empty response (status 500 until set); http_res_free releases it. */
void http_res_init(struct http_res *res);
/* Releases a response's body and open file. */
void http_res_free(struct http_res *res);

/* Reads a string member: required or optional, at most maxchars code points, valid UTF-8 without
 * control characters (multiline allows \n\r\t). Returns 1 and *out (borrowed) when present, 0 when
 * absent and optional (*out = NULL), -1 having filled res with a 422 naming the field. */
int http_json_str(const json_t *obj, const char *name, bool required, size_t maxchars,
		  bool multiline, struct http_res *res, const char **out);
/* Reads an integer member in [min,max]. Returns 1, 0 (absent, optional) or -1 (res filled). */
int http_json_int(const json_t *obj, const char *name, bool required, int64_t min, int64_t max,
		  struct http_res *res, int64_t *out);
/* Reads an array member of at most max items (null counts as absent). Returns 1 and *out
 * (borrowed), 0 (absent, optional) or -1 (res filled with a 422 naming the field). */
int http_json_list(const json_t *obj, const char *name, bool required, size_t max,
		   struct http_res *res, const json_t **out);
/* Reads a boolean member. Returns 1, 0 (absent, optional) or -1 (res filled). */
int http_json_bool(const json_t *obj, const char *name, bool required, struct http_res *res,
		   bool *out);
/* Appends v as compact JSON text, the bytes json_dumps(v, JSON_COMPACT) would give. Returns 0, or
 * -1 when the buffer's cap is reached or v nests deeper than 64 levels (b then holds a prefix). */
int http_json_write(struct buf *b, const json_t *v);

#endif
