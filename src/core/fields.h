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
	const char *doc_vi; /* what it is, in Vietnamese, for the OpenAPI document (a declaration: */
	const char *doc_en; /* the document is in the reader's language); in English */
};

struct resource {
	const char *name; /* "Incident", or "Transition" for a body that is not a resource */
	const struct field *fields;
	size_t nfields;
	bool body_only;   /* the body of an action (a procedure step, an answer, a log-in...),
			   * never answered: every field is sent with FIELD_CREATE */
};

/* The incident (sự cố), the warning (cảnh báo) and the information system as the API reads
 * and writes them. */
extern const struct resource fields_incident;
extern const struct resource fields_warning;
extern const struct resource fields_system;
/* The organisation (its contact point, 000 Đ5.3a) and the account. */
extern const struct resource fields_org;
extern const struct resource fields_user;

/* The bodies of the actions on those resources and of the platform's own requests, one per
 * route that reads a JSON body and is not a resource's create or change (api/routes.c names
 * them): a procedure step, a flag, a comment, a coordination request and its answer, a duty
 * done, a report made outside the platform, a finding's status, a mail decision, the handover, a warning's closing, a system's
 * remediation status and an incident spawned from a warning; observables, indicators to check;
 * log-in, password change, a TOTP code; notification preferences, the security settings, an
 * organisation's webhook. Caps are the only ones: handlers read what these let through. */
extern const struct resource fields_transition, fields_flag, fields_comment, fields_told,
	fields_request,
	fields_answer, fields_duty_done, fields_finding_status, fields_mail_decision,
	fields_handover, fields_warning_close, fields_remediation, fields_spawn, fields_observables,
	fields_indicator_check, fields_login, fields_password, fields_totp_code,
	fields_notify_prefs, fields_security, fields_webhook;

/* The field called name, or NULL. */
const struct field *fields_find(const struct resource *r, const char *name);

#endif
