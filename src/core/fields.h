/* fields.h - each resource's fields, declared once: name in the API, column in the store, type,
 * limit, when a client may write it, whether the answer shows it. The declaration drives the
 * request's validation (which keys, how long), and the OpenAPI schemas; a field a client may not
 * write is refused by name. */
#ifndef UNGCUU_FIELDS_H
#define UNGCUU_FIELDS_H
#include <stdbool.h>
#include <stddef.h>

enum field_type {
	FIELD_TEXT,     /* one line of text, at most `cap` characters */
	FIELD_TEXTAREA, /* text with line breaks, at most `cap` characters */
	FIELD_CODE,     /* a code of the preset in force (group, type, severity...) */
	FIELD_TIME,     /* ISO 8601 in, Unix seconds in the store */
	FIELD_INT,
	FIELD_BOOL,
	FIELD_TLP,      /* clear, green, amber, amber+strict, red */
	FIELD_IDS,      /* a list of at most `cap` ids */
	FIELD_OBJECT,   /* a JSON object (the preset's forms) */
	FIELD_LIST,     /* a JSON list of at most `cap` items (observables) */
};

#define FIELD_CREATE 1u   /* a client may send it when creating */
#define FIELD_UPDATE 2u   /* ... when changing */
#define FIELD_REQUIRED 4u /* required when creating */
#define FIELD_SHOWN 8u    /* in the answer */
#define FIELD_SECRET 16u  /* never in an answer, nor in a log */
#define FIELD_INPUT 32u   /* an instruction of the request, not stored (extract: ...) */

struct field {
	const char *name;   /* in the API */
	const char *column; /* in the store, NULL when it is not a column */
	enum field_type type;
	size_t cap;         /* characters for text, items for lists; 0 none */
	unsigned flags;
	const char *doc;    /* Vietnamese / English, for the OpenAPI document */
};

struct resource {
	const char *name; /* "Incident" */
	const struct field *fields;
	size_t nfields;
};

/* The incident (sự cố), the warning (cảnh báo) and the information system as the API reads
 * and writes them. */
extern const struct resource fields_incident;
extern const struct resource fields_warning;
extern const struct resource fields_system;
/* The organisation (its contact point, 000 Đ5.3a) and the account. */
extern const struct resource fields_org;
extern const struct resource fields_user;

/* The field called name, or NULL. */
const struct field *fields_find(const struct resource *r, const char *name);
/* Fills keys (size max, NULL-terminated) with the names a client may send with `mode`
 * (FIELD_CREATE or FIELD_UPDATE). Returns how many, or -1 when max is too small. */
int fields_keys(const struct resource *r, unsigned mode, const char **keys, size_t max);

#endif
