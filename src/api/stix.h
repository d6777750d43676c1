/* stix.h - what the exchange formats share (api/stix.c, api/taxii.c, api/misp.c, cli/stix.c):
 * the STIX object builder that turns warnings and incidents walked by store_stix_* into STIX 2.1
 * objects, and the reading of STIX bundles and MISP events into draft warnings. docs/stix.md. */
#ifndef UNGCUU_API_STIX_H
#define UNGCUU_API_STIX_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/preset.h"
#include "core/stix.h"
#include "ops/ops.h"
#include "store/store.h"
#include "util/buf.h"

#define STIX_IMPORT_MAX (16u << 20)    /* bytes of one imported file */
#define STIX_IMPORT_OBJECTS 50000      /* objects of one bundle, attributes of one MISP event */
#define STIX_IMPORT_INDICATORS 20000   /* indicators one import may create */
#define STIX_IMPORT_ERRORS 500         /* errors listed (then one "too many errors") */
#define STIX_MEDIA "application/stix+json;version=2.1"
#define TAXII_MEDIA "application/taxii+json;version=2.1"

/* Where an object stands in a walk: the row's (date_added, id) and its place among the objects
 * made from that row (TAXII paging resumes there). */
struct stix_pos {
	int64_t at, id;
	int64_t seq;
};

/* What a sink may need of an object without reading its text. */
struct stix_meta {
	const char *type, *id, *created, *modified;
	int tlp;
};
#define STIX_OBJECT_MAX (8u << 20) /* bytes of one object's JSON text */

/* Receives each object made, as compact JSON text (len bytes, valid during the call), with
 * what it is and its position. Returns 0 to go on, STORE_STIX_STOP to end the walk, or a
 * negative STORE_E* code. */
typedef int (*stix_sink_fn)(void *ctx, const char *json, size_t len, const struct stix_meta *m,
			    const struct stix_pos *pos);

/* The builder's state; fill with stix_build_init. */
struct stix_build {
	unsigned char ns[16];
	stix_sink_fn sink;
	void *ctx;
	bool warning;                  /* the current row is a warning (else an incident) */
	bool inline_identity;          /* bundles: each row brings its organisation's identity;
					* TAXII walks: identities come as rows of their own */
	struct store_stix_warning w;   /* the current row (strings valid until its end) */
	struct store_stix_incident i;
	char report_id[STIX_ID_MAX], identity_id[STIX_ID_MAX], main_id[STIX_ID_MAX];
	char created[STIX_TIME_MAX], modified[STIX_TIME_MAX];
	int tlp;
	int org_tlp;                   /* the TLP marking of identity rows (TAXII walks) */
	struct buf out;                /* the object being written */
	struct buf refs;               /* the report's object_refs so far, as JSON text */
	size_t nrefs;
	struct stix_meta meta;
	struct stix_pos pos;
	struct stix_pos resume;        /* TAXII: objects of this row before resume.seq were sent */
};

/* Appends s as a JSON string (quoted; '"', '\\' and control characters escaped). */
void stix_json_str(struct buf *b, const char *s);
/* Reads the instance's namespace (store_stix_namespace) into ns. STORE_* codes. */
int stix_namespace(struct store *st, unsigned char ns[16]);
/* Prepares a builder sending objects to sink(ctx) and fills *v to pass to the store's walks. */
void stix_build_init(struct stix_build *b, const unsigned char ns[16], stix_sink_fn sink,
		     void *ctx, struct store_stix_visitor *v);
/* Turns a prepared builder to a TAXII walk: identities come once, as rows of their own, marked
 * with org_tlp. */
void stix_build_walk(struct stix_build *b, struct store_stix_visitor *v, int org_tlp);
/* Releases what the builder holds. */
void stix_build_free(struct stix_build *b);
/* The TLP 2.0 marking-definition object of enum tlp t (a new reference). */
json_t *stix_marking_object(int t);

/* Validates a STIX 2.1 bundle and, when it has no errors, makes one draft warning of it for
 * the actor of c, in its transaction (ops_exchange_import). OPS_OK with *result (caller decrefs)
 * {"warning": {id, ref, status, title, tlp, source, stix_id, indicators, references},
 * "skipped": [...], "errors": []}; OPS_EREFUSED with err and, when the file is invalid (422,
 * nothing created), *result {"errors": [...], "skipped": [...]}; OPS_ESTORE. */
int stix_import_bundle(const struct ops_ctx *c, const json_t *doc, json_t **result,
		       struct ops_err *err);
/* The same for a MISP event ({"Event": {...}}, as MISP feeds publish it). */
int misp_import_event(const struct ops_ctx *c, const json_t *doc, json_t **result,
		      struct ops_err *err);
/* Parses an imported file's bytes as JSON with the request limits (size, depth 16, duplicate
 * keys). Returns 0 and *out, or -1 with a reason in why. */
int stix_import_parse(const char *data, size_t len, json_t **out, char *why, size_t whysz);

/* A bundle of every object of one warning or incident (the row's TLP marking definition
 * included), as a new JSON object; STORE_ENOTFOUND when there is none. */
int stix_bundle_warning(struct store *st, int64_t id, json_t **out);
int stix_bundle_incident(struct store *st, int64_t id, json_t **out);
/* A bundle of every published warning (the command line's `export stix` without --warning). */
int stix_bundle_all_warnings(struct store *st, json_t **out);

#endif
