/* stix_import.h - the state of one import (STIX bundle or MISP event) into a draft warning:
 * what was found, what was skipped, the errors; shared by api/stix_import.c and api/misp.c. */
#ifndef UNGCUU_API_STIX_IMPORT_H
#define UNGCUU_API_STIX_IMPORT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/indicator.h"
#include "stix.h"
#include "util/buf.h"

struct stix_import {
	json_t *errors;      /* [{index, id, property, error}] */
	json_t *skipped;     /* [{index, id, type, reason}] */
	json_t *indicators;  /* [{kind, value, note}], distinct */
	json_t *seen;        /* "kind|value" of the indicators */
	json_t *seen_ids;    /* STIX ids met (duplicates are errors); NULL for MISP */
	json_t *refs;        /* [{type, value}] */
	struct buf actions;
	char *title, *description;
	int tlp;             /* highest TLP met, -1 none (the draft is then TLP:AMBER) */
	int severity_rank;   /* 0: the preset's rank 2 */
	size_t nerrors;
	bool have_report, too_many;
};

/* Sets up / releases an import's state. */
void stix_import_init(struct stix_import *m);
void stix_import_free(struct stix_import *m);
/* Records an error of the item at index (-1: the document itself) with the id and property it
 * concerns (either may be NULL). */
void stix_import_error(struct stix_import *m, int64_t index, const char *id, const char *property,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records an item that is valid but not taken, and why. */
void stix_import_skip(struct stix_import *m, int64_t index, const char *id, const char *type,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds a canonical indicator once. 0, or -1 past STIX_IMPORT_INDICATORS (an error recorded). */
int stix_import_indicator(struct stix_import *m, enum ind_kind kind, const char *value,
			  const char *note);
/* Adds a reference {type, value} once. */
void stix_import_reference(struct stix_import *m, const char *type, const char *value);
/* Replaces *dst by a copy of s clipped to the title (300) or text (20,000) limit. */
void stix_import_text(char **dst, const char *s, bool title);
/* Appends a recommended action "name: description" (one per line). */
void stix_import_action(struct stix_import *m, const char *name, const char *desc);
/* Makes the draft of what was found when there were no errors (ops_exchange_import; see
 * stix_import_bundle for *result and the return). format is "stix" or "misp" (the indicators'
 * source, the audit's action), source the warning's ("stix:<bundle id>"). */
int stix_import_create(const struct ops_ctx *c, struct stix_import *m, const char *format,
		       const char *source, json_t **result, struct ops_err *err);

#endif
