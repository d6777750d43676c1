/* preset.c - loads a regulation preset (docs/presets.md) from YAML with libyaml.
 *
 * The text is untrusted: a province writes it, the fuzzer writes worse. So:
 * - the whole text must be valid UTF-8 without control characters, at most PRESET_MAX_TEXT bytes;
 * - a first pass over libyaml's events refuses anchors and aliases (one node reached twice would
 *   break the "every list is bounded" reasoning) and nesting deeper than PRESET_NESTING, before
 *   the document API builds the tree;
 * - the walk of the tree follows the fixed schema, so it never goes deeper than the schema;
 * - every list and every string has a cap, and going over it is an error, never truncation;
 * - the only recursion is `extends`, at most PRESET_MAX_DEPTH presets deep, cycles refused.
 * A child preset inherits its parent's lists; an item with the same code replaces the parent's
 * in place, a new code is appended, and `remove:` drops parent items first. Cross-references are
 * checked once, on the merged result, and an error names the file and line of the culprit. */
#include "core/preset.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/codes.h"
#include "core/notify.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/tm.h"

/* The schema is at most 7 levels deep (top, forms, form, fields, field, options); anything
 * deeper is refused before libyaml builds a tree for it. */
#define PRESET_NESTING 8
/* Most roles a transition can list (each once). */
#define PRESET_MAX_ROLES ROLE_COUNT

/* The sections of a preset that hold lists keyed by code. */
enum sect {
	S_GROUPS,
	S_TYPES,
	S_SEVERITIES,
	S_STATES,
	S_TRANSITIONS,
	S_FORMS,
	S_CLOCKS,
	S_FLAGS,
	S_ESCALATIONS,
	S_DUTIES,
	S_DOCUMENTS,
	S_COUNT
};
static const char *const sect_names[S_COUNT] = {
	"groups", "types", "severities", "states", "transitions",
	"forms",  "clocks", "flags",     "escalations", "duties", "documents",
};

/* What `remove:` of one file names. */
struct removal {
	char code[PRESET_CODE];
	int line;
};
struct removes {
	struct removal *r[S_COUNT];
	size_t n[S_COUNT];
	int line; /* of the `remove:` value, 0 if absent */
};

/* One preset file being read. */
struct rd {
	yaml_document_t doc;
	bool have_doc;
	const char *name;     /* for messages */
	unsigned char origin; /* depth in the extends chain, stored in every item */
	struct preset_err *err;
	struct removes *rm;
	int extends_line;
};

/* ---- errors ---------------------------------------------------------------------------- */

__attribute__((format(printf, 4, 0))) static int vfail(struct preset_err *err, const char *file,
						       int line, const char *fmt, va_list ap)
{
	char tmp[2048];

	(void)str_copy(err->file, sizeof err->file, file != NULL ? file : "");
	err->line = line;
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	/* str_copy cuts on a UTF-8 boundary: the message stays valid text */
	(void)str_copy(err->msg, sizeof err->msg, tmp);
	return -1;
}

__attribute__((format(printf, 4, 5))) static int fail(struct preset_err *err, const char *file,
						      int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(err, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 3, 4))) static int rfail(struct rd *r, int line, const char *fmt,
						       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(r->err, r->name, line, fmt, ap);
	va_end(ap);
	return -1;
}

static int node_line(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "single value";
	case YAML_SEQUENCE_NODE:
		return "list";
	case YAML_MAPPING_NODE:
		return "mapping";
	default:
		return "empty node";
	}
}

/* ---- small parsers --------------------------------------------------------------------- */

/* Codes are what the API, URLs and the database use: keep them plain. */
static bool is_code(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Preset names are file names too ("bacgiang-2024"): a code that may also hold '-'. */
static bool is_name(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

int preset_parse_within(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t v, mul;

	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (n < 2)
		return -1;
	switch (s[n - 1]) {
	case 'd':
		mul = 86400;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'm':
		mul = 60;
		break;
	default:
		return -1;
	}
	if (str_to_i64n(s, n - 1, 0, PRESET_MAX_WITHIN / mul, &v) != 0)
		return -1;
	*out = v * mul;
	return 0;
}

static const char *const field_types[] = {
	NULL, "text", "textarea", "date", "datetime", "email", "phone", "int", "bool", "select",
};
#define FIELD_TYPE_COUNT (sizeof field_types / sizeof field_types[0])

const char *preset_field_type_name(enum preset_field_type t)
{
	return (size_t)t > 0 && (size_t)t < FIELD_TYPE_COUNT ? field_types[t] : NULL;
}

/* Conditions a transition may name in `when` (optionally negated with "!"); the incident engine
 * evaluates them, so a typo must fail here rather than silently never match. */
static const char *const conditions[] = {"central_hosted"};
/* Events a clock may start from. */
static const char *const clock_starts[] = {"detected"};
/* Kinds of coordination request an escalation may open (api/requests.c knows the same five). */
static const char *const request_kinds[] = {"support", "investigate", "mobilise", "notify",
					    "evidence"};
/* What may mark a duty instance done besides a person: nothing, or a scanner import. */
static const char *const evidences[] = {"scan"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- typed reads of a node -------------------------------------------------------------- */

static yaml_node_t *rd_node(struct rd *r, int idx)
{
	return yaml_document_get_node(&r->doc, idx);
}

/* Copies a scalar into dst[dstsz]: text only, valid UTF-8, must fit. */
static int rd_str(struct rd *r, const char *what, const char *key, yaml_node_t *v, char *dst,
		  size_t dstsz, bool required)
{
	size_t len;

	if (v->type != YAML_SCALAR_NODE)
		return rfail(r, node_line(v), "%s: '%s' must be a single value, not a %s", what,
			     key, node_kind(v));
	len = v->data.scalar.length;
	if (!str_utf8_valid((const char *)v->data.scalar.value, len))
		return rfail(r, node_line(v), "%s: '%s' is not valid UTF-8 text", what, key);
	if (len >= dstsz)
		return rfail(r, node_line(v), "%s: '%s' is %zu bytes long, at most %zu allowed",
			     what, key, len, dstsz - 1);
	if (required && len == 0)
		return rfail(r, node_line(v), "%s: '%s' must not be empty", what, key);
	memcpy(dst, v->data.scalar.value, len);
	dst[len] = '\0';
	return 0;
}

static int rd_code(struct rd *r, const char *what, const char *key, yaml_node_t *v, char *dst,
		   size_t dstsz)
{
	if (rd_str(r, what, key, v, dst, dstsz, true) != 0)
		return -1;
	if (!is_code(dst))
		return rfail(r, node_line(v),
			     "%s: '%s' is '%s', not a code (a-z, 0-9 and _, starting with a letter)",
			     what, key, dst);
	return 0;
}

/* A preset name (is_name): `name`, `extends`. */
static int rd_name(struct rd *r, const char *what, const char *key, yaml_node_t *v, char *dst,
		   size_t dstsz)
{
	if (rd_str(r, what, key, v, dst, dstsz, true) != 0)
		return -1;
	if (!is_name(dst))
		return rfail(r, node_line(v),
			     "%s: '%s' is '%s', not a preset name (a-z, 0-9, _ and -, starting "
			     "with a letter)",
			     what, key, dst);
	return 0;
}

static int rd_int(struct rd *r, const char *what, const char *key, yaml_node_t *v, int64_t min,
		  int64_t max, int64_t *out)
{
	if (v->type != YAML_SCALAR_NODE ||
	    str_to_i64n((const char *)v->data.scalar.value, v->data.scalar.length, min, max,
			out) != 0)
		return rfail(r, node_line(v), "%s: '%s' must be a whole number from %lld to %lld",
			     what, key, (long long)min, (long long)max);
	return 0;
}

static int rd_bool(struct rd *r, const char *what, const char *key, yaml_node_t *v, bool *out)
{
	const char *s = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";

	if (strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0)
		*out = false;
	else
		return rfail(r, node_line(v), "%s: '%s' must be true or false", what, key);
	return 0;
}

/* Checks that v is a list of at most max entries; sets *count. */
static int rd_seq(struct rd *r, const char *what, const char *key, yaml_node_t *v, size_t max,
		  size_t *count)
{
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE)
		return rfail(r, node_line(v), "%s: '%s' must be a list, not a %s", what, key,
			     node_kind(v));
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > max)
		return rfail(r, node_line(v), "%s: '%s' has %zu entries, at most %zu allowed", what,
			     key, n, max);
	*count = n;
	return 0;
}

static yaml_node_t *rd_seq_item(struct rd *r, yaml_node_t *v, size_t i)
{
	return rd_node(r, v->data.sequence.items.start[i]);
}

/* ---- mappings driven by key tables ------------------------------------------------------ */

enum ktype { KT_STR, KT_CODE, KT_INT, KT_BOOL, KT_OTHER };

struct key {
	const char *name;
	enum ktype t;
	size_t off;   /* of the field in the struct being filled */
	size_t size;  /* KT_STR, KT_CODE: bytes of the char array */
	bool required;
	int64_t min, max; /* KT_INT */
};

#define FSZ(T, f) sizeof(((T *)0)->f)
#define KSTR(k, T, f, req) {k, KT_STR, offsetof(T, f), FSZ(T, f), req, 0, 0}
#define KCODE(k, T, f, req) {k, KT_CODE, offsetof(T, f), FSZ(T, f), req, 0, 0}
#define KINT(k, T, f, req, lo, hi) {k, KT_INT, offsetof(T, f), sizeof(int), req, lo, hi}
#define KBOOL(k, T, f) {k, KT_BOOL, offsetof(T, f), sizeof(bool), false, 0, 0}
#define KOTHER(k, req) {k, KT_OTHER, 0, 0, req, 0, 0}
#define NKEYS(a) (sizeof(a) / sizeof(a[0]))

/* Handles a KT_OTHER key of the struct obj. */
typedef int (*other_fn)(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			void *obj);

static int rd_value(struct rd *r, const char *what, const struct key *k, yaml_node_t *v,
		    void *obj, other_fn other)
{
	char *field = (char *)obj + k->off;
	int64_t x;

	switch (k->t) {
	case KT_STR:
		return rd_str(r, what, k->name, v, field, k->size, k->required);
	case KT_CODE:
		return rd_code(r, what, k->name, v, field, k->size);
	case KT_INT:
		if (rd_int(r, what, k->name, v, k->min, k->max, &x) != 0)
			return -1;
		*(int *)(void *)field = (int)x;
		return 0;
	case KT_BOOL:
		return rd_bool(r, what, k->name, v, (bool *)(void *)field);
	case KT_OTHER:
		return other(r, what, k->name, v, obj);
	}
	return -1;
}

/* Reads the mapping n into obj: every key must be in the table, given once; required ones must
 * be there. `what` names the mapping in messages ("types item 3"). If lines is not NULL,
 * lines[i] is set to the line of keys[i], or 0 when the key is absent. */
static int rd_map_lines(struct rd *r, yaml_node_t *n, const char *what, const struct key *keys,
			size_t nkeys, void *obj, other_fn other, int *lines)
{
	uint64_t seen = 0;
	yaml_node_pair_t *pr;
	size_t i;

	if (lines != NULL)
		memset(lines, 0, nkeys * sizeof *lines);
	if (n->type != YAML_MAPPING_NODE)
		return rfail(r, node_line(n), "%s: must be a mapping (key: value), not a %s", what,
			     node_kind(n));
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = rd_node(r, pr->key), *v = rd_node(r, pr->value);
		const char *ks;
		size_t klen;

		if (k == NULL || v == NULL)
			return rfail(r, node_line(n), "%s: broken mapping", what);
		if (k->type != YAML_SCALAR_NODE)
			return rfail(r, node_line(k), "%s: a key must be a word, not a %s", what,
				     node_kind(k));
		ks = (const char *)k->data.scalar.value;
		klen = k->data.scalar.length;
		if (!str_utf8_valid(ks, klen))
			return rfail(r, node_line(k), "%s: a key is not valid UTF-8 text", what);
		for (i = 0; i < nkeys; i++)
			if (strlen(keys[i].name) == klen && memcmp(keys[i].name, ks, klen) == 0)
				break;
		if (i == nkeys) {
			char kname[PRESET_CODE];

			(void)str_copy(kname, sizeof kname, ks);
			return rfail(r, node_line(k), "%s: unknown key '%s'", what, kname);
		}
		if (seen & (UINT64_C(1) << i))
			return rfail(r, node_line(k), "%s: key '%s' given twice", what,
				     keys[i].name);
		seen |= UINT64_C(1) << i;
		if (lines != NULL)
			lines[i] = node_line(k);
		if (rd_value(r, what, &keys[i], v, obj, other) != 0)
			return -1;
	}
	for (i = 0; i < nkeys; i++)
		if (keys[i].required && !(seen & (UINT64_C(1) << i)))
			return rfail(r, node_line(n), "%s: missing required key '%s'", what,
				     keys[i].name);
	return 0;
}

static int rd_map(struct rd *r, yaml_node_t *n, const char *what, const struct key *keys,
		  size_t nkeys, void *obj, other_fn other)
{
	return rd_map_lines(r, n, what, keys, nkeys, obj, other, NULL);
}

/* Index of the key `name` in a table (the name must be there). */
static size_t key_index(const struct key *keys, size_t nkeys, const char *name)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].name, name) == 0)
			break;
	return i;
}

/* ---- the key tables --------------------------------------------------------------------- */

#define ITEM_COMMON                                                                          \
	KCODE("code", struct preset_item, code, true),                                       \
	    KSTR("name_vi", struct preset_item, name_vi, true),                              \
	    KSTR("name_en", struct preset_item, name_en, false),                             \
	    KSTR("desc_vi", struct preset_item, desc_vi, false),                             \
	    KSTR("desc_en", struct preset_item, desc_en, false),                             \
	    KSTR("source", struct preset_item, source, false)

static const struct key group_keys[] = {ITEM_COMMON};
static const struct key type_keys[] = {
	ITEM_COMMON,
	KCODE("group", struct preset_item, parent, true),
};
static const struct key severity_keys[] = {
	ITEM_COMMON,
	KINT("rank", struct preset_item, rank, true, 1, 100),
};
static const struct key state_keys[] = {
	ITEM_COMMON,
	KINT("step", struct preset_item, rank, true, 1, 99),
	KBOOL("initial", struct preset_item, initial),
	KBOOL("final", struct preset_item, final),
};
static const struct key section_keys[] = {
	KCODE("code", struct preset_item, code, true),
	KSTR("name_vi", struct preset_item, name_vi, true),
	KSTR("name_en", struct preset_item, name_en, false),
};
static const struct key transition_keys[] = {
	KCODE("action", struct preset_transition, action, true),
	KOTHER("from", true),
	KCODE("to", struct preset_transition, to, true),
	KSTR("name_vi", struct preset_transition, name_vi, true),
	KSTR("name_en", struct preset_transition, name_en, false),
	KOTHER("roles", true),
	KOTHER("by", true),
	KOTHER("when", false),
	KCODE("requires", struct preset_transition, requires, false),
	KSTR("source", struct preset_transition, source, false),
};
static const struct key form_keys[] = {
	KCODE("code", struct preset_form, code, true),
	KSTR("name_vi", struct preset_form, name_vi, true),
	KSTR("name_en", struct preset_form, name_en, false),
	KSTR("source", struct preset_form, source, false),
	KSTR("subject_prefix", struct preset_form, subject_prefix, false),
	KOTHER("sections", false),
	KOTHER("fields", true),
};
static const struct key field_keys[] = {
	KCODE("name", struct preset_field, name, true),
	KSTR("label_vi", struct preset_field, label_vi, true),
	KSTR("label_en", struct preset_field, label_en, false),
	KSTR("hint_vi", struct preset_field, hint_vi, false),
	KSTR("hint_en", struct preset_field, hint_en, false),
	KOTHER("type", true),
	KBOOL("required", struct preset_field, required),
	KINT("maxlen", struct preset_field, maxlen, false, 1, PRESET_MAX_MAXLEN),
	KOTHER("options", false),
	KCODE("section", struct preset_field, section, false),
};
static const struct key clock_keys[] = {
	KCODE("code", struct preset_clock, code, true),
	KSTR("name_vi", struct preset_clock, name_vi, true),
	KSTR("name_en", struct preset_clock, name_en, false),
	KOTHER("start", false),
	/* read, without effect, in presets written when a clock stopped at a step: a clock is met
	 * by telling its target (core/clock.h) */
	KOTHER("stop_step", false),
	KOTHER("stop_state", false),
	KOTHER("within", true),
	KCODE("min_severity", struct preset_clock, min_severity, false),
	KOTHER("target", true),
	KSTR("source", struct preset_clock, source, false),
};
static const struct key flag_keys[] = {ITEM_COMMON};
static const struct key escalation_keys[] = {
	KCODE("code", struct preset_escalation, code, true),
	KSTR("name_vi", struct preset_escalation, name_vi, true),
	KSTR("name_en", struct preset_escalation, name_en, false),
	KOTHER("trigger", true),
	KCODE("state", struct preset_escalation, state, false),
	KINT("step", struct preset_escalation, step, false, 1, 99),
	KCODE("flag", struct preset_escalation, flag, false),
	KOTHER("after", false),
	KCODE("clock", struct preset_escalation, clock, false),
	KCODE("min_severity", struct preset_escalation, min_severity, false),
	KCODE("group", struct preset_escalation, group, false),
	KOTHER("action", true),
	KOTHER("to", true),
	KOTHER("request_kind", false),
	KOTHER("request_within", false),
	KSTR("source", struct preset_escalation, source, true),
};
static const struct key duty_keys[] = {
	KCODE("code", struct preset_duty, code, true),
	KSTR("name_vi", struct preset_duty, name_vi, true),
	KSTR("name_en", struct preset_duty, name_en, false),
	KSTR("desc_vi", struct preset_duty, desc_vi, false),
	KSTR("desc_en", struct preset_duty, desc_en, false),
	KOTHER("who", true),
	KOTHER("roles", false),
	KINT("min_level", struct preset_duty, min_level, false, 0, 5),
	KINT("max_level", struct preset_duty, max_level, false, 1, 5),
	KBOOL("critical", struct preset_duty, critical),
	KBOOL("per_system", struct preset_duty, per_system),
	KOTHER("every_months", true),
	KOTHER("dates", false),
	KOTHER("first_due", false),
	KOTHER("evidence", false),
	KSTR("source", struct preset_duty, source, true),
};
static const struct key document_keys[] = {
	KSTR("ref", struct preset_doc, ref, true),
	KSTR("kind_vi", struct preset_doc, kind_vi, true),
	KSTR("kind_en", struct preset_doc, kind_en, false),
	KSTR("title_vi", struct preset_doc, title_vi, true),
	KSTR("title_en", struct preset_doc, title_en, false),
	KSTR("number", struct preset_doc, number, false),
	KOTHER("date", false),
	KOTHER("in_force", false),
	KSTR("issuer_vi", struct preset_doc, issuer_vi, false),
	KSTR("issuer_en", struct preset_doc, issuer_en, false),
	KSTR("issued_with_vi", struct preset_doc, issued_with_vi, false),
	KSTR("issued_with_en", struct preset_doc, issued_with_en, false),
};
static const struct key basis_keys[] = {
	KSTR("accounts", struct preset_basis, accounts, false),
	KSTR("password", struct preset_basis, password, false),
	KSTR("lockout", struct preset_basis, lockout, false),
	KSTR("idle", struct preset_basis, idle, false),
	KSTR("backup", struct preset_basis, backup, false),
	KSTR("warning", struct preset_basis, warning, false),
	KSTR("bulletin", struct preset_basis, bulletin, false),
	KSTR("summary", struct preset_basis, summary, false),
};
static const struct key top_keys[] = {
	KOTHER("name", false),
	KSTR("title", struct preset, title, false),
	KSTR("title_en", struct preset, title_en, false),
	KSTR("source", struct preset, source, false),
	KOTHER("extends", false),
	KOTHER("lead_role", false),
	KOTHER("groups", false),
	KOTHER("types", false),
	KOTHER("severities", false),
	KOTHER("states", false),
	KOTHER("transitions", false),
	KOTHER("forms", false),
	KOTHER("clocks", false),
	KOTHER("flags", false),
	KOTHER("escalations", false),
	KOTHER("duties", false),
	KOTHER("reminders", false),
	KOTHER("notifications", false),
	KOTHER("documents", false),
	KOTHER("basis", false),
	KOTHER("remove", false),
};
static const struct key remove_keys[] = {
	KOTHER("groups", false),      KOTHER("types", false), KOTHER("severities", false),
	KOTHER("states", false),      KOTHER("transitions", false), KOTHER("forms", false),
	KOTHER("clocks", false),      KOTHER("flags", false), KOTHER("escalations", false),
	KOTHER("duties", false),
};

/* ---- element helpers, by section (merge, duplicates) ----------------------------------- */

static void field_release(struct preset_field *f)
{
	free(f->options);
	f->options = NULL;
	f->noptions = 0;
}

static void form_release(struct preset_form *f)
{
	for (size_t i = 0; i < f->nfields; i++)
		field_release(&f->fields[i]);
	free(f->fields);
	free(f->sections);
	f->fields = NULL;
	f->nfields = 0;
	f->sections = NULL;
	f->nsections = 0;
}

static size_t sect_size(enum sect s)
{
	switch (s) {
	case S_TRANSITIONS:
		return sizeof(struct preset_transition);
	case S_FORMS:
		return sizeof(struct preset_form);
	case S_CLOCKS:
		return sizeof(struct preset_clock);
	case S_ESCALATIONS:
		return sizeof(struct preset_escalation);
	case S_DUTIES:
		return sizeof(struct preset_duty);
	case S_DOCUMENTS:
		return sizeof(struct preset_doc);
	default:
		return sizeof(struct preset_item);
	}
}

/* Returns the list of section s and points *n at its count. */
static void *sect_list(struct preset *p, enum sect s, size_t **n)
{
	switch (s) {
	case S_GROUPS:
		*n = &p->ngroups;
		return p->groups;
	case S_TYPES:
		*n = &p->ntypes;
		return p->types;
	case S_SEVERITIES:
		*n = &p->nseverities;
		return p->severities;
	case S_STATES:
		*n = &p->nstates;
		return p->states;
	case S_TRANSITIONS:
		*n = &p->ntransitions;
		return p->transitions;
	case S_FORMS:
		*n = &p->nforms;
		return p->forms;
	case S_CLOCKS:
		*n = &p->nclocks;
		return p->clocks;
	case S_FLAGS:
		*n = &p->nflags;
		return p->flags;
	case S_ESCALATIONS:
		*n = &p->nescalations;
		return p->escalations;
	case S_DOCUMENTS:
		*n = &p->ndocuments;
		return p->documents;
	default:
		*n = &p->nduties;
		return p->duties;
	}
}

static void sect_set(struct preset *p, enum sect s, void *list)
{
	switch (s) {
	case S_GROUPS:
		p->groups = list;
		break;
	case S_TYPES:
		p->types = list;
		break;
	case S_SEVERITIES:
		p->severities = list;
		break;
	case S_STATES:
		p->states = list;
		break;
	case S_TRANSITIONS:
		p->transitions = list;
		break;
	case S_FORMS:
		p->forms = list;
		break;
	case S_CLOCKS:
		p->clocks = list;
		break;
	case S_FLAGS:
		p->flags = list;
		break;
	case S_ESCALATIONS:
		p->escalations = list;
		break;
	case S_DOCUMENTS:
		p->documents = list;
		break;
	default:
		p->duties = list;
		break;
	}
}

/* The code `remove:` matches; for transitions, the action. */
static const char *el_code(enum sect s, const void *e)
{
	switch (s) {
	case S_TRANSITIONS:
		return ((const struct preset_transition *)e)->action;
	case S_FORMS:
		return ((const struct preset_form *)e)->code;
	case S_CLOCKS:
		return ((const struct preset_clock *)e)->code;
	case S_ESCALATIONS:
		return ((const struct preset_escalation *)e)->code;
	case S_DUTIES:
		return ((const struct preset_duty *)e)->code;
	case S_DOCUMENTS:
		return ((const struct preset_doc *)e)->ref;
	default:
		return ((const struct preset_item *)e)->code;
	}
}

static int el_line(enum sect s, const void *e)
{
	switch (s) {
	case S_TRANSITIONS:
		return ((const struct preset_transition *)e)->line;
	case S_FORMS:
		return ((const struct preset_form *)e)->line;
	case S_CLOCKS:
		return ((const struct preset_clock *)e)->line;
	case S_ESCALATIONS:
		return ((const struct preset_escalation *)e)->line;
	case S_DUTIES:
		return ((const struct preset_duty *)e)->line;
	case S_DOCUMENTS:
		return ((const struct preset_doc *)e)->line;
	default:
		return ((const struct preset_item *)e)->line;
	}
}

/* Same key: a child's element replaces the parent's. A transition is keyed by action and
 * from-state, so one action may leave several states. */
static bool el_same(enum sect s, const void *a, const void *b)
{
	if (strcmp(el_code(s, a), el_code(s, b)) != 0)
		return false;
	if (s == S_TRANSITIONS)
		return strcmp(((const struct preset_transition *)a)->from,
			      ((const struct preset_transition *)b)->from) == 0;
	return true;
}

static void el_release(enum sect s, void *e)
{
	if (s == S_FORMS)
		form_release(e);
}

/* Refuses two elements of one file's section with the same key. */
static int check_dups(struct rd *r, struct preset *p, enum sect s)
{
	size_t *n, sz = sect_size(s);
	const char *list = sect_list(p, s, &n);

	for (size_t j = 1; j < *n; j++)
		for (size_t i = 0; i < j; i++)
			if (el_same(s, list + i * sz, list + j * sz))
				return rfail(r, el_line(s, list + j * sz),
					     "%s: '%s' given twice (first at line %d)",
					     sect_names[s], el_code(s, list + j * sz),
					     el_line(s, list + i * sz));
	return 0;
}

static int check_item_dups(struct rd *r, const char *what, const struct preset_item *a, size_t n)
{
	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j; i++)
			if (strcmp(a[i].code, a[j].code) == 0)
				return rfail(r, a[j].line, "%s: '%s' given twice (first at line %d)",
					     what, a[j].code, a[i].line);
	return 0;
}

/* ---- lists ------------------------------------------------------------------------------- */

/* Reads a list of named items (groups, types, severities, states, form sections). The list is
 * stored in *out as soon as it exists, so the caller frees it on error. */
static int rd_items(struct rd *r, const char *key, yaml_node_t *v, const struct key *keys,
		    size_t nkeys, size_t max, struct preset_item **out, size_t *nout)
{
	char what[96];
	size_t n;

	if (rd_seq(r, key, key, v, max, &n) != 0)
		return -1;
	*out = calloc(n > 0 ? n : 1, sizeof **out);
	if (*out == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_item *e = &(*out)[i];

		snprintf(what, sizeof what, "%s item %zu", key, i + 1);
		(*nout)++;
		e->line = node_line(it);
		e->origin = r->origin;
		if (rd_map(r, it, what, keys, nkeys, e, NULL) != 0)
			return -1;
	}
	return 0;
}

/* A non-empty list of user roles (reporter, officer, leader, operator, auditor, admin), each
 * once, as a bit set. */
static int rd_user_roles(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			 unsigned *out)
{
	char s[PRESET_CODE];
	size_t n;

	*out = 0;
	if (rd_seq(r, what, key, v, ROLE_COUNT, &n) != 0)
		return -1;
	if (n == 0)
		return rfail(r, node_line(v), "%s: '%s' must name at least one role", what, key);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		unsigned bit;

		if (rd_str(r, what, key, it, s, sizeof s, true) != 0)
			return -1;
		bit = codes_user_role_parse(s);
		if (bit == 0)
			return rfail(r, node_line(it),
				     "%s: unknown role '%s' (reporter, officer, leader, operator, "
				     "auditor, admin)",
				     what, s);
		if (*out & bit)
			return rfail(r, node_line(it), "%s: role '%s' listed twice", what, s);
		*out |= bit;
	}
	return 0;
}

static int transition_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			    void *obj)
{
	struct preset_transition *t = obj;
	char s[PRESET_CODE];

	if (strcmp(key, "from") == 0) {
		if (rd_str(r, what, key, v, t->from, sizeof t->from, true) != 0)
			return -1;
		if (strcmp(t->from, "*") != 0 && !is_code(t->from))
			return rfail(r, node_line(v), "%s: 'from' is '%s', not a state code or *",
				     what, t->from);
		return 0;
	}
	if (strcmp(key, "roles") == 0)
		return rd_user_roles(r, what, key, v, &t->roles);
	if (strcmp(key, "by") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		if (strcmp(s, "owner") == 0)
			t->by = PRESET_BY_OWNER;
		else if (strcmp(s, "coordinator") == 0)
			t->by = PRESET_BY_COORDINATOR;
		else if (strcmp(s, "either") == 0)
			t->by = PRESET_BY_EITHER;
		else
			return rfail(r, node_line(v),
				     "%s: 'by' is '%s', not owner, coordinator or either", what, s);
		return 0;
	}
	/* when */
	if (rd_str(r, what, key, v, t->when, sizeof t->when, false) != 0)
		return -1;
	if (t->when[0] != '\0' &&
	    !in_list(t->when + (t->when[0] == '!'), conditions, NKEYS(conditions)))
		return rfail(r, node_line(v), "%s: 'when' is '%s', not a known condition "
			     "(central_hosted or !central_hosted)", what, t->when);
	return 0;
}

static int rd_transitions(struct rd *r, yaml_node_t *v, struct preset *p)
{
	char what[96];
	size_t n;

	if (rd_seq(r, "transitions", "transitions", v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->transitions = calloc(n > 0 ? n : 1, sizeof *p->transitions);
	if (p->transitions == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_transition *t = &p->transitions[i];

		snprintf(what, sizeof what, "transitions item %zu", i + 1);
		p->ntransitions++;
		t->line = node_line(it);
		t->origin = r->origin;
		if (rd_map(r, it, what, transition_keys, NKEYS(transition_keys), t,
			   transition_other) != 0)
			return -1;
	}
	return 0;
}

static int field_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
		       void *obj)
{
	struct preset_field *f = obj;
	char s[PRESET_CODE];
	size_t n, i;

	if (strcmp(key, "type") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		for (i = 1; i < FIELD_TYPE_COUNT; i++)
			if (strcmp(s, field_types[i]) == 0)
				break;
		if (i == FIELD_TYPE_COUNT)
			return rfail(r, node_line(v),
				     "%s: 'type' is '%s', not one of text, textarea, date, "
				     "datetime, email, phone, int, bool, select",
				     what, s);
		f->type = (enum preset_field_type)i;
		return 0;
	}
	/* options */
	if (rd_seq(r, what, key, v, PRESET_MAX_OPTIONS, &n) != 0)
		return -1;
	if (n == 0)
		return rfail(r, node_line(v), "%s: 'options' is empty", what);
	f->options = calloc(n, sizeof *f->options);
	if (f->options == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);

		if (rd_str(r, what, "options", it, f->options[i].value, sizeof f->options[i].value,
			   true) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(f->options[j].value, f->options[i].value) == 0)
				return rfail(r, node_line(it), "%s: option '%s' given twice", what,
					     f->options[i].value);
		f->noptions++;
	}
	return 0;
}

/* Checks that do not fit the key table: options only for select, maxlen where it means
 * something, and a default maxlen so every consumer gets a bound. */
static int field_check(struct rd *r, const char *what, yaml_node_t *n, struct preset_field *f)
{
	bool has_len = f->type != PRESET_FIELD_INT && f->type != PRESET_FIELD_BOOL &&
		       f->type != PRESET_FIELD_SELECT;

	if (f->type == PRESET_FIELD_SELECT && f->noptions == 0)
		return rfail(r, node_line(n), "%s: a select field needs 'options'", what);
	if (f->type != PRESET_FIELD_SELECT && f->noptions > 0)
		return rfail(r, node_line(n), "%s: 'options' is only for a select field", what);
	if (!has_len && f->maxlen != 0)
		return rfail(r, node_line(n), "%s: 'maxlen' does not apply to a %s field", what,
			     field_types[f->type]);
	if (has_len && f->maxlen == 0) {
		switch (f->type) {
		case PRESET_FIELD_TEXTAREA:
			f->maxlen = 10000;
			break;
		case PRESET_FIELD_DATE:
			f->maxlen = 10;
			break;
		case PRESET_FIELD_DATETIME:
			f->maxlen = 32;
			break;
		case PRESET_FIELD_EMAIL:
			f->maxlen = 254;
			break;
		case PRESET_FIELD_PHONE:
			f->maxlen = 32;
			break;
		default:
			f->maxlen = 500;
			break;
		}
	}
	return 0;
}

static int rd_fields(struct rd *r, yaml_node_t *v, struct preset_form *form)
{
	char what[96];
	size_t n;

	if (rd_seq(r, "fields", "fields", v, PRESET_MAX_FIELDS, &n) != 0)
		return -1;
	if (n == 0)
		return rfail(r, node_line(v), "fields: a form needs at least one field");
	form->fields = calloc(n, sizeof *form->fields);
	if (form->fields == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_field *f = &form->fields[i];

		snprintf(what, sizeof what, "fields item %zu", i + 1);
		form->nfields++;
		f->line = node_line(it);
		if (rd_map(r, it, what, field_keys, NKEYS(field_keys), f, field_other) != 0 ||
		    field_check(r, what, it, f) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(form->fields[j].name, f->name) == 0)
				return rfail(r, f->line,
					     "fields: '%s' given twice (first at line %d)", f->name,
					     form->fields[j].line);
	}
	return 0;
}

static int form_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
		      void *obj)
{
	struct preset_form *f = obj;

	(void)what;
	if (strcmp(key, "sections") == 0)
		return rd_items(r, "sections", v, section_keys, NKEYS(section_keys),
				PRESET_MAX_SECTIONS, &f->sections, &f->nsections) != 0 ||
				       check_item_dups(r, "sections", f->sections, f->nsections) != 0
			       ? -1
			       : 0;
	return rd_fields(r, v, f);
}

/* A field's section must be one of its form's sections. */
static int form_check(struct rd *r, const struct preset_form *f)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct preset_field *fd = &f->fields[i];
		size_t j;

		if (fd->section[0] == '\0')
			continue;
		for (j = 0; j < f->nsections; j++)
			if (strcmp(f->sections[j].code, fd->section) == 0)
				break;
		if (j == f->nsections)
			return rfail(r, fd->line,
				     "form '%s', field '%s': section '%s' does not exist in the "
				     "form's 'sections'",
				     f->code, fd->name, fd->section);
	}
	return 0;
}

static int rd_forms(struct rd *r, yaml_node_t *v, struct preset *p)
{
	char what[96];
	size_t n;

	if (rd_seq(r, "forms", "forms", v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->forms = calloc(n > 0 ? n : 1, sizeof *p->forms);
	if (p->forms == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_form *f = &p->forms[i];

		snprintf(what, sizeof what, "forms item %zu", i + 1);
		p->nforms++;
		f->line = node_line(it);
		f->origin = r->origin;
		if (rd_map(r, it, what, form_keys, NKEYS(form_keys), f, form_other) != 0 ||
		    form_check(r, f) != 0)
			return -1;
	}
	return 0;
}

static int clock_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
		       void *obj)
{
	struct preset_clock *c = obj;
	char s[PRESET_CODE];
	int role;

	if (strcmp(key, "start") == 0) {
		if (rd_str(r, what, key, v, c->start, sizeof c->start, true) != 0)
			return -1;
		if (!in_list(c->start, clock_starts, NKEYS(clock_starts)))
			return rfail(r, node_line(v), "%s: 'start' is '%s', not 'detected'", what,
				     c->start);
		return 0;
	}
	if (strcmp(key, "stop_step") == 0 || strcmp(key, "stop_state") == 0)
		return 0;
	if (strcmp(key, "within") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		if (preset_parse_within(s, &c->within) != 0)
			return rfail(r, node_line(v),
				     "%s: 'within' is '%s', not a duration like 5d, 24h, 30m or 0 "
				     "(at most 366d)",
				     what, s);
		return 0;
	}
	/* target */
	if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
		return -1;
	role = codes_org_role_parse(s);
	if (role < 0)
		return rfail(r, node_line(v), "%s: 'target' is '%s', not an organisation role",
			     what, s);
	c->target = role;
	return 0;
}

static int rd_clocks(struct rd *r, yaml_node_t *v, struct preset *p)
{
	char what[96];
	size_t n;

	if (rd_seq(r, "clocks", "clocks", v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->clocks = calloc(n > 0 ? n : 1, sizeof *p->clocks);
	if (p->clocks == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_clock *c = &p->clocks[i];

		snprintf(what, sizeof what, "clocks item %zu", i + 1);
		p->nclocks++;
		c->line = node_line(it);
		c->origin = r->origin;
		c->target = -1;
		if (rd_map(r, it, what, clock_keys, NKEYS(clock_keys), c, clock_other) != 0)
			return -1;
		if (c->start[0] == '\0')
			(void)str_copy(c->start, sizeof c->start, "detected");
	}
	return 0;
}

/* ---- escalations ------------------------------------------------------------------------ */

static const char *const triggers[] = {NULL,    "state",   "flag",
				       "idle",  "clock",   "request",
				       "warning_unanswered"};
#define TRIGGER_COUNT (sizeof triggers / sizeof triggers[0])

/* Parses a list of org roles (plus "owner", "superior" when targets) into bits. */
static int rd_roles_org(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			bool targets, unsigned *out)
{
	char s[PRESET_CODE];
	size_t n;

	if (rd_seq(r, what, key, v, (size_t)ORG_ROLE_COUNT + 1, &n) != 0)
		return -1;
	if (n == 0)
		return rfail(r, node_line(v), "%s: '%s' must name at least one %s", what, key,
			     targets ? "target" : "organisation role");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		unsigned bit = 0;
		int role;

		if (rd_str(r, what, key, it, s, sizeof s, true) != 0)
			return -1;
		role = is_code(s) ? codes_org_role_parse(s) : -1;
		if (targets && strcmp(s, "superior") == 0)
			bit = PRESET_TARGET_SUPERIOR;
		else if (targets && strcmp(s, "owner") == 0)
			bit = PRESET_TARGET_OWNER;
		else if (role >= 0)
			bit = 1u << role;
		else
			return rfail(r, node_line(it),
				     "%s: '%s' in '%s' is not an organisation role%s", what, s, key,
				     targets ? " (nor owner or superior)" : "");
		if (*out & bit)
			return rfail(r, node_line(it), "%s: '%s' listed twice in '%s'", what, s,
				     key);
		*out |= bit;
	}
	return 0;
}

static int rd_duration(struct rd *r, const char *what, const char *key, yaml_node_t *v,
		       int64_t *out)
{
	char s[PRESET_CODE];

	if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
		return -1;
	if (preset_parse_within(s, out) != 0)
		return rfail(r, node_line(v),
			     "%s: '%s' is '%s', not a duration like 5d, 24h, 30m or 0 (at most 366d)",
			     what, key, s);
	return 0;
}

static int escalation_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			    void *obj)
{
	struct preset_escalation *e = obj;
	char s[PRESET_CODE];
	size_t i;

	if (strcmp(key, "trigger") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		for (i = 1; i < TRIGGER_COUNT; i++)
			if (strcmp(s, triggers[i]) == 0)
				break;
		if (i == TRIGGER_COUNT)
			return rfail(r, node_line(v),
				     "%s: 'trigger' is '%s', not state, flag, idle, clock, request or "
				     "warning_unanswered",
				     what, s);
		e->trigger = (enum preset_trigger)i;
		return 0;
	}
	if (strcmp(key, "action") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		if (strcmp(s, "notify") == 0)
			e->action = PRESET_ESC_NOTIFY;
		else if (strcmp(s, "request") == 0)
			e->action = PRESET_ESC_REQUEST;
		else
			return rfail(r, node_line(v), "%s: 'action' is '%s', not notify or request",
				     what, s);
		return 0;
	}
	if (strcmp(key, "to") == 0)
		return rd_roles_org(r, what, key, v, true, &e->targets);
	if (strcmp(key, "request_kind") == 0) {
		if (rd_str(r, what, key, v, e->request_kind, sizeof e->request_kind, true) != 0)
			return -1;
		if (!in_list(e->request_kind, request_kinds, NKEYS(request_kinds)))
			return rfail(r, node_line(v),
				     "%s: 'request_kind' is '%s', not support, investigate, "
				     "mobilise, notify or evidence",
				     what, e->request_kind);
		return 0;
	}
	if (strcmp(key, "after") == 0)
		return rd_duration(r, what, key, v, &e->after);
	/* request_within */
	return rd_duration(r, what, key, v, &e->request_within);
}

/* Which of the trigger keys each trigger needs and allows (bits in the order of trig_key). */
static const char *const trig_key[] = {"state", "step", "flag", "after", "clock"};
#define TK_STATE 1u
#define TK_STEP 2u
#define TK_FLAG 4u
#define TK_AFTER 8u
#define TK_CLOCK 16u
static const struct {
	unsigned needs;   /* every one of these, or for the state trigger exactly one */
	unsigned allows;
} trig_rules[TRIGGER_COUNT] = {
	[PRESET_TRIGGER_STATE] = {TK_STATE | TK_STEP, TK_STATE | TK_STEP},
	[PRESET_TRIGGER_FLAG] = {TK_FLAG, TK_FLAG},
	/* idle may also require a flag: "still unresolved N days after it was flagged" (000 Đ7.1d) */
	[PRESET_TRIGGER_IDLE] = {TK_AFTER, TK_AFTER | TK_STATE | TK_FLAG},
	[PRESET_TRIGGER_CLOCK] = {TK_CLOCK, TK_CLOCK},
	[PRESET_TRIGGER_REQUEST] = {TK_AFTER, TK_AFTER},
	[PRESET_TRIGGER_WARNING] = {TK_AFTER, TK_AFTER},
};

/* A trigger's keys present and no others; the action's keys likewise. */
static int escalation_check(struct rd *r, const char *what, const struct preset_escalation *e,
			    const int *lines)
{
	const char *tname = triggers[e->trigger];
	unsigned given = 0, needs = trig_rules[e->trigger].needs;
	int kl[NKEYS(trig_key)];

	for (size_t i = 0; i < NKEYS(trig_key); i++) {
		kl[i] = lines[key_index(escalation_keys, NKEYS(escalation_keys), trig_key[i])];
		if (kl[i] != 0)
			given |= 1u << i;
	}
	for (size_t i = 0; i < NKEYS(trig_key); i++)
		if ((given & (1u << i)) && !(trig_rules[e->trigger].allows & (1u << i)))
			return rfail(r, kl[i], "%s: '%s' does not apply to trigger '%s'", what,
				     trig_key[i], tname);
	if (e->trigger == PRESET_TRIGGER_STATE) {
		if (given == (TK_STATE | TK_STEP))
			return rfail(r, kl[1], "%s: trigger 'state' takes one of 'state' and "
				     "'step', not both", what);
		if (given == 0)
			return rfail(r, e->line, "%s: trigger 'state' needs 'state' or 'step'", what);
	} else {
		for (size_t i = 0; i < NKEYS(trig_key); i++)
			if ((needs & (1u << i)) && !(given & (1u << i)))
				return rfail(r, e->line, "%s: trigger '%s' needs '%s'", what, tname,
					     trig_key[i]);
	}
	if (e->trigger == PRESET_TRIGGER_IDLE && e->after == 0)
		return rfail(r, kl[3], "%s: 'after' of trigger 'idle' must be more than 0", what);
	if (e->action == PRESET_ESC_REQUEST && e->request_kind[0] == '\0')
		return rfail(r, e->line, "%s: action 'request' needs 'request_kind'", what);
	if (e->action == PRESET_ESC_NOTIFY) {
		int l = lines[key_index(escalation_keys, NKEYS(escalation_keys), "request_kind")];

		if (l == 0)
			l = lines[key_index(escalation_keys, NKEYS(escalation_keys),
					    "request_within")];
		if (l != 0)
			return rfail(r, l, "%s: 'request_kind' and 'request_within' are only for "
				     "action 'request'", what);
	}
	return 0;
}

static int rd_escalations(struct rd *r, yaml_node_t *v, struct preset *p)
{
	int lines[NKEYS(escalation_keys)];
	char what[96];
	size_t n;

	if (rd_seq(r, "escalations", "escalations", v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->escalations = calloc(n > 0 ? n : 1, sizeof *p->escalations);
	if (p->escalations == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_escalation *e = &p->escalations[i];

		snprintf(what, sizeof what, "escalations item %zu", i + 1);
		p->nescalations++;
		e->line = node_line(it);
		e->origin = r->origin;
		if (rd_map_lines(r, it, what, escalation_keys, NKEYS(escalation_keys), e,
				 escalation_other, lines) != 0 ||
		    escalation_check(r, what, e, lines) != 0)
			return -1;
	}
	return 0;
}

/* ---- duties ----------------------------------------------------------------------------- */

static const char *const duty_whos[] = {NULL, "orgs", "all", "system_owner", "system_operator"};
#define DUTY_WHO_COUNT (sizeof duty_whos / sizeof duty_whos[0])

/* "dd/mm" or "d/m": a day that exists in every year (so not 29/02). */
static int parse_day_month(const char *s, int *day, int *month)
{
	const char *slash = strchr(s, '/');
	int64_t d, m;

	if (slash == NULL || slash == s || slash - s > 2 || strlen(slash + 1) == 0 ||
	    strlen(slash + 1) > 2)
		return -1;
	if (str_to_i64n(s, (size_t)(slash - s), 1, 31, &d) != 0 ||
	    str_to_i64n(slash + 1, strlen(slash + 1), 1, 12, &m) != 0)
		return -1;
	/* 2001 is not a leap year: a due date must exist in every year */
	if (d > tm_days_in_month(2001, (int)m))
		return -1;
	*day = (int)d;
	*month = (int)m;
	return 0;
}

/* "yyyy-mm-dd" exactly, a real date from 2000 on; Vietnam-local midnight in Unix seconds. */
static int parse_first_due(const char *s, int64_t *out)
{
	int64_t y, m, d, t;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    str_to_i64n(s, 4, 2000, 9999, &y) != 0 || str_to_i64n(s + 5, 2, 1, 12, &m) != 0 ||
	    str_to_i64n(s + 8, 2, 1, 31, &d) != 0)
		return -1;
	t = tm_vn_midnight((int)y, (int)m, (int)d);
	if (t < 0)
		return -1;
	*out = t;
	return 0;
}

static int duty_other(struct rd *r, const char *what, const char *key, yaml_node_t *v, void *obj)
{
	struct preset_duty *d = obj;
	char s[PRESET_CODE];
	size_t i, n;

	if (strcmp(key, "who") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		for (i = 1; i < DUTY_WHO_COUNT; i++)
			if (strcmp(s, duty_whos[i]) == 0)
				break;
		if (i == DUTY_WHO_COUNT)
			return rfail(r, node_line(v),
				     "%s: 'who' is '%s', not orgs, all, system_owner or "
				     "system_operator",
				     what, s);
		d->who = (enum preset_duty_who)i;
		return 0;
	}
	if (strcmp(key, "roles") == 0)
		return rd_roles_org(r, what, key, v, false, &d->roles);
	if (strcmp(key, "every_months") == 0) {
		int64_t m;

		if (v->type != YAML_SCALAR_NODE ||
		    str_to_i64n((const char *)v->data.scalar.value, v->data.scalar.length, 1, 12,
				&m) != 0 ||
		    (m != 1 && m != 3 && m != 6 && m != 12))
			return rfail(r, node_line(v), "%s: 'every_months' must be 1, 3, 6 or 12",
				     what);
		d->every_months = (int)m;
		return 0;
	}
	if (strcmp(key, "dates") == 0) {
		if (rd_seq(r, what, key, v, PRESET_MAX_DATES, &n) != 0)
			return -1;
		if (n == 0)
			return rfail(r, node_line(v), "%s: 'dates' is empty", what);
		for (i = 0; i < n; i++) {
			yaml_node_t *it = rd_seq_item(r, v, i);
			int day, month;

			if (rd_str(r, what, key, it, s, sizeof s, true) != 0)
				return -1;
			if (parse_day_month(s, &day, &month) != 0)
				return rfail(r, node_line(it),
					     "%s: '%s' in 'dates' is not a day of every year "
					     "written dd/mm (29/02 is not one)",
					     what, s);
			if (i > 0 && month * 100 + day <= d->dates[i - 1][1] * 100 +
								      d->dates[i - 1][0])
				return rfail(r, node_line(it),
					     "%s: 'dates' must be in calendar order, each once; "
					     "'%s' is not after %02d/%02d",
					     what, s, d->dates[i - 1][0], d->dates[i - 1][1]);
			d->dates[i][0] = day;
			d->dates[i][1] = month;
			d->ndates++;
		}
		return 0;
	}
	if (strcmp(key, "first_due") == 0) {
		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		if (parse_first_due(s, &d->first_due) != 0)
			return rfail(r, node_line(v),
				     "%s: 'first_due' is '%s', not a date yyyy-mm-dd (from 2000)",
				     what, s);
		return 0;
	}
	/* evidence */
	if (rd_str(r, what, key, v, d->evidence, sizeof d->evidence, false) != 0)
		return -1;
	if (d->evidence[0] != '\0' && !in_list(d->evidence, evidences, NKEYS(evidences)))
		return rfail(r, node_line(v), "%s: 'evidence' is '%s', not scan (or empty)", what,
			     d->evidence);
	return 0;
}

/* Keys that only make sense together: roles with who: orgs, system conditions with a
 * per-system duty, dates with the period. */
static int duty_check(struct rd *r, const char *what, struct preset_duty *d, const int *lines)
{
#define LINE(k) lines[key_index(duty_keys, NKEYS(duty_keys), k)]
	static const char *const conds[] = {"min_level", "max_level", "critical"};
	bool sys = d->who == PRESET_DUTY_SYSTEM_OWNER || d->who == PRESET_DUTY_SYSTEM_OPERATOR;

	if (d->who == PRESET_DUTY_ORGS && LINE("roles") == 0)
		return rfail(r, d->line, "%s: who 'orgs' needs 'roles'", what);
	if (d->who != PRESET_DUTY_ORGS && LINE("roles") != 0)
		return rfail(r, LINE("roles"), "%s: 'roles' is only for who 'orgs'", what);
	if (sys && LINE("per_system") != 0)
		return rfail(r, LINE("per_system"),
			     "%s: 'per_system' is only for who 'orgs' or 'all' (a system duty is "
			     "per system already)",
			     what);
	if (sys)
		d->per_system = true;
	for (size_t i = 0; i < NKEYS(conds); i++)
		if (!d->per_system && LINE(conds[i]) != 0)
			return rfail(r, LINE(conds[i]),
				     "%s: '%s' is a condition on systems: it needs who "
				     "'system_owner' or 'system_operator', or 'per_system: true'",
				     what, conds[i]);
	if (d->max_level != 0 && d->max_level < d->min_level)
		return rfail(r, LINE("max_level"), "%s: 'max_level' %d is below 'min_level' %d",
			     what, d->max_level, d->min_level);
	if (d->ndates > 0 && d->ndates != (size_t)(12 / d->every_months))
		return rfail(r, LINE("dates"),
			     "%s: every_months %d means %d due dates a year, 'dates' gives %zu",
			     what, d->every_months, 12 / d->every_months, d->ndates);
	return 0;
#undef LINE
}

static int rd_duties(struct rd *r, yaml_node_t *v, struct preset *p)
{
	int lines[NKEYS(duty_keys)];
	char what[96];
	size_t n;

	if (rd_seq(r, "duties", "duties", v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->duties = calloc(n > 0 ? n : 1, sizeof *p->duties);
	if (p->duties == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_duty *d = &p->duties[i];

		snprintf(what, sizeof what, "duties item %zu", i + 1);
		p->nduties++;
		d->line = node_line(it);
		d->origin = r->origin;
		if (rd_map_lines(r, it, what, duty_keys, NKEYS(duty_keys), d, duty_other, lines) !=
			    0 ||
		    duty_check(r, what, d, lines) != 0)
			return -1;
	}
	return 0;
}

static int reminders_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			   void *obj)
{
	struct preset_reminders *m = obj;
	size_t n;

	(void)key;
	if (rd_seq(r, what, "before_days", v, PRESET_MAX_REMINDERS, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t d;

		if (rd_int(r, what, "before_days", rd_seq_item(r, v, i), 1, 366, &d) != 0)
			return -1;
		if (i > 0 && d >= m->before_days[i - 1])
			return rfail(r, node_line(v),
				     "%s: 'before_days' must be in descending order without repeats "
				     "(e.g. [7, 1])",
				     what);
		m->before_days[i] = (int)d;
	}
	m->nbefore = n;
	return 0;
}

static const struct key reminder_keys[] = {
	KOTHER("before_days", false),
	KBOOL("on_due", struct preset_reminders, on_due),
	KBOOL("overdue", struct preset_reminders, overdue),
	KSTR("source", struct preset_reminders, source, false),
};

static int rd_reminders(struct rd *r, yaml_node_t *v, struct preset *p)
{
	struct preset_reminders *m = &p->reminders;

	memset(m, 0, sizeof *m);
	m->set = true;
	m->line = node_line(v);
	/* keys left out keep the defaults */
	m->before_days[0] = PRESET_REMINDER_DEFAULT_1;
	m->before_days[1] = PRESET_REMINDER_DEFAULT_2;
	m->nbefore = 2;
	m->on_due = m->overdue = true;
	return rd_map(r, v, "reminders", reminder_keys, NKEYS(reminder_keys), m, reminders_other);
}

static int notify_rule_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			     void *obj)
{
	struct preset_notify_rule *n = obj;

	if (strcmp(key, "event") == 0) {
		if (rd_code(r, what, key, v, n->event, sizeof n->event) != 0)
			return -1;
		if (!notify_event_ok(n->event))
			return rfail(r, node_line(v),
				     "%s: 'event' is '%s', not incident_reported, request, answer, "
				     "escalation, duty_reminder, warning or digest",
				     what, n->event);
		return 0;
	}
	if (strcmp(key, "org_roles") == 0)
		return rd_roles_org(r, what, key, v, false, &n->org_roles);
	/* roles: user roles */
	return rd_user_roles(r, what, key, v, &n->roles);
}

static const struct key notify_rule_keys[] = {
	KOTHER("event", true),
	KOTHER("org_roles", true),
	KOTHER("roles", true),
	KSTR("source", struct preset_notify_rule, source, true),
};

static int notifications_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			       void *obj)
{
	struct preset *p = obj;
	char w[96];
	size_t n;

	(void)what;
	if (rd_seq(r, "notifications", key, v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->notify_required = calloc(n > 0 ? n : 1, sizeof *p->notify_required);
	if (p->notify_required == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_notify_rule *e = &p->notify_required[i];

		snprintf(w, sizeof w, "notifications required item %zu", i + 1);
		p->nnotify_required++;
		e->line = node_line(it);
		if (rd_map(r, it, w, notify_rule_keys, NKEYS(notify_rule_keys), e,
			   notify_rule_other) != 0)
			return -1;
	}
	return 0;
}

static const struct key notifications_keys[] = {
	KOTHER("required", true),
};

static int remove_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			void *obj)
{
	struct removes *rm = obj;
	size_t n, s;

	(void)what;
	for (s = 0; s < S_COUNT; s++)
		if (strcmp(key, sect_names[s]) == 0)
			break;
	if (s == S_COUNT)
		return rfail(r, node_line(v), "remove: unknown section '%s'", key);
	if (rd_seq(r, "remove", key, v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	rm->r[s] = calloc(n > 0 ? n : 1, sizeof *rm->r[s]);
	if (rm->r[s] == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct removal *e = &rm->r[s][i];

		if (rd_code(r, "remove", key, it, e->code, sizeof e->code) != 0)
			return -1;
		e->line = node_line(it);
		rm->n[s]++;
	}
	return 0;
}

/* `date`, `in_force`: "yyyy-mm-dd", a day of the calendar. */
static int document_other(struct rd *r, const char *what, const char *key, yaml_node_t *v,
			  void *obj)
{
	struct preset_doc *d = obj;
	char *day = strcmp(key, "date") == 0 ? d->date : d->in_force;
	int64_t t;
	char iso[40];

	if (rd_str(r, what, key, v, day, PRESET_DATE, false) != 0)
		return -1;
	if (day[0] == '\0')
		return 0;
	snprintf(iso, sizeof iso, "%sT00:00:00+07:00", day);
	if (strlen(day) != 10 || tm_parse_iso(iso, &t) != 0)
		return rfail(r, node_line(v), "%s: '%s' is '%s', not a day written yyyy-mm-dd", what,
			     key, day);
	return 0;
}

/* `documents:` a list of legal texts, each named once by its `ref`. */
static int rd_documents(struct rd *r, yaml_node_t *v, struct preset *p)
{
	char what[96];
	size_t n;

	if (rd_seq(r, "documents", "documents", v, PRESET_MAX_ITEMS, &n) != 0)
		return -1;
	p->documents = calloc(n > 0 ? n : 1, sizeof *p->documents);
	if (p->documents == NULL)
		return rfail(r, node_line(v), "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = rd_seq_item(r, v, i);
		struct preset_doc *e = &p->documents[i];

		snprintf(what, sizeof what, "documents item %zu", i + 1);
		p->ndocuments++;
		e->line = node_line(it);
		e->origin = r->origin;
		if (rd_map(r, it, what, document_keys, NKEYS(document_keys), e, document_other) != 0)
			return -1;
		if (e->ref[0] == '\0' || strchr(e->ref, ';') != NULL || strchr(e->ref, ',') != NULL)
			return rfail(r, e->line, "%s: 'ref' must be a short name without ';' or ','",
				     what);
	}
	return 0;
}

static int top_other(struct rd *r, const char *what, const char *key, yaml_node_t *v, void *obj)
{
	struct preset *p = obj;
	char s[PRESET_CODE];

	if (strcmp(key, "name") == 0) {
		if (rd_name(r, what, key, v, s, sizeof s) != 0)
			return -1;
		if (strcmp(s, r->name) != 0)
			return rfail(r, node_line(v),
				     "name: the file says '%s' but was loaded as '%s'", s, r->name);
		return 0;
	}
	if (strcmp(key, "extends") == 0) {
		r->extends_line = node_line(v);
		return rd_name(r, what, key, v, p->extends, sizeof p->extends);
	}
	if (strcmp(key, "lead_role") == 0) {
		int role;

		if (rd_str(r, what, key, v, s, sizeof s, true) != 0)
			return -1;
		role = codes_org_role_parse(s);
		if (role < 0)
			return rfail(r, node_line(v),
				     "lead_role: '%s' is not an organisation role", s);
		(void)str_copy(p->lead_role, sizeof p->lead_role, codes_org_role_name(role));
		return 0;
	}
	if (strcmp(key, "groups") == 0)
		return rd_items(r, key, v, group_keys, NKEYS(group_keys), PRESET_MAX_ITEMS,
				&p->groups, &p->ngroups);
	if (strcmp(key, "types") == 0)
		return rd_items(r, key, v, type_keys, NKEYS(type_keys), PRESET_MAX_ITEMS,
				&p->types, &p->ntypes);
	if (strcmp(key, "severities") == 0)
		return rd_items(r, key, v, severity_keys, NKEYS(severity_keys), PRESET_MAX_ITEMS,
				&p->severities, &p->nseverities);
	if (strcmp(key, "states") == 0)
		return rd_items(r, key, v, state_keys, NKEYS(state_keys), PRESET_MAX_ITEMS,
				&p->states, &p->nstates);
	if (strcmp(key, "transitions") == 0)
		return rd_transitions(r, v, p);
	if (strcmp(key, "forms") == 0)
		return rd_forms(r, v, p);
	if (strcmp(key, "clocks") == 0)
		return rd_clocks(r, v, p);
	if (strcmp(key, "flags") == 0)
		return rd_items(r, key, v, flag_keys, NKEYS(flag_keys), PRESET_MAX_ITEMS, &p->flags,
				&p->nflags);
	if (strcmp(key, "escalations") == 0)
		return rd_escalations(r, v, p);
	if (strcmp(key, "duties") == 0)
		return rd_duties(r, v, p);
	if (strcmp(key, "reminders") == 0)
		return rd_reminders(r, v, p);
	if (strcmp(key, "documents") == 0)
		return rd_documents(r, v, p);
	if (strcmp(key, "basis") == 0)
		return rd_map(r, v, "basis", basis_keys, NKEYS(basis_keys), &p->basis, NULL);
	if (strcmp(key, "notifications") == 0) {
		p->notify_set = true;
		return rd_map(r, v, "notifications", notifications_keys, NKEYS(notifications_keys), p,
			      notifications_other);
	}
	/* remove */
	r->rm->line = node_line(v);
	return rd_map(r, v, "remove", remove_keys, NKEYS(remove_keys), r->rm, remove_other);
}

/* ---- reading one file ------------------------------------------------------------------- */

/* Whole text: size cap, valid UTF-8, no control characters; reports the offending line. */
static int check_text(struct preset_err *err, const char *name, const char *text, size_t len)
{
	size_t i = 0;
	int line = 1;

	if (text == NULL)
		return fail(err, name, 0, "no text given");
	if (len > PRESET_MAX_TEXT)
		return fail(err, name, 0, "the file is %zu bytes, at most %u allowed", len,
			    PRESET_MAX_TEXT);
	/* '\n' never occurs inside a multi-byte sequence, so checking line by line is exact */
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;

		if (!str_utf8_valid(text + i, end - i))
			return fail(err, name, line,
				    "not valid UTF-8 text (a broken byte sequence or a control "
				    "character)");
		i = end + 1;
		line++;
	}
	return 0;
}

/* Line of a byte offset (libyaml's reader errors carry an offset, not a mark). */
static int offset_line(const char *text, size_t len, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off && i < len; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static int syntax_fail(struct rd *r, const yaml_parser_t *ps, const char *text, size_t len)
{
	int line;

	if (ps->error == YAML_MEMORY_ERROR)
		return rfail(r, 0, "out of memory");
	if (ps->error == YAML_READER_ERROR)
		line = offset_line(text, len, ps->problem_offset);
	else
		line = (int)ps->problem_mark.line + 1;
	if (ps->context != NULL)
		return rfail(r, line, "YAML syntax: %s (%s, line %d)",
			     ps->problem != NULL ? ps->problem : "error", ps->context,
			     (int)ps->context_mark.line + 1);
	return rfail(r, line, "YAML syntax: %s", ps->problem != NULL ? ps->problem : "error");
}

/* First pass over the events: one document, no anchors or aliases, bounded nesting. */
static int scan_events(struct rd *r, const char *text, size_t len)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	int depth = 0, docs = 0, rc = -1;
	bool done = false;

	if (!yaml_parser_initialize(&ps))
		return rfail(r, 0, "out of memory");
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&ps, YAML_UTF8_ENCODING);
	while (!done) {
		const yaml_char_t *anchor = NULL;
		int line, bad = 0;

		if (!yaml_parser_parse(&ps, &ev)) {
			syntax_fail(r, &ps, text, len);
			goto out;
		}
		line = (int)ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				bad = rfail(r, line, "only one YAML document is allowed");
			break;
		case YAML_ALIAS_EVENT:
			bad = rfail(r, line, "aliases (*name) are not allowed");
			break;
		case YAML_SCALAR_EVENT:
			anchor = ev.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = ev.data.sequence_start.anchor;
			depth++;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = ev.data.mapping_start.anchor;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (bad == 0 && anchor != NULL)
			bad = rfail(r, line, "anchors (&name) are not allowed");
		if (bad == 0 && depth > PRESET_NESTING)
			bad = rfail(r, line, "nested deeper than %d levels", PRESET_NESTING);
		yaml_event_delete(&ev);
		if (bad != 0)
			goto out;
	}
	if (docs == 0) {
		rfail(r, 1, "the preset is empty");
		goto out;
	}
	rc = 0;
out:
	yaml_parser_delete(&ps);
	return rc;
}

static int load_doc(struct rd *r, const char *text, size_t len)
{
	yaml_parser_t ps;
	int rc = 0;

	if (!yaml_parser_initialize(&ps))
		return rfail(r, 0, "out of memory");
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&ps, YAML_UTF8_ENCODING);
	if (yaml_parser_load(&ps, &r->doc))
		r->have_doc = true;
	else
		rc = syntax_fail(r, &ps, text, len);
	yaml_parser_delete(&ps);
	return rc;
}

/* Reads one preset file into a new preset holding only what the file says (*out, free with
 * preset_free) and its removals (*rm, free with removes_free). */
static int read_file(struct preset_err *err, const char *name, unsigned char origin,
		     const char *text, size_t len, struct preset **out, struct removes *rm,
		     int *extends_line)
{
	struct rd r;
	struct preset *p = NULL;
	yaml_node_t *root;
	int rc = -1;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.origin = origin;
	r.err = err;
	r.rm = rm;
	*out = NULL;
	if (check_text(err, name, text, len) != 0 || scan_events(&r, text, len) != 0 ||
	    load_doc(&r, text, len) != 0)
		goto out;
	root = yaml_document_get_root_node(&r.doc);
	if (root == NULL) {
		rfail(&r, 1, "the preset is empty");
		goto out;
	}
	p = calloc(1, sizeof *p);
	if (p == NULL) {
		rfail(&r, 0, "out of memory");
		goto out;
	}
	(void)str_copy(p->name, sizeof p->name, name);
	if (rd_map(&r, root, "preset", top_keys, NKEYS(top_keys), p, top_other) != 0)
		goto out;
	for (int s = 0; s < S_COUNT; s++)
		if (check_dups(&r, p, (enum sect)s) != 0)
			goto out;
	*extends_line = r.extends_line;
	*out = p;
	p = NULL;
	rc = 0;
out:
	preset_free(p);
	if (r.have_doc)
		yaml_document_delete(&r.doc);
	return rc;
}

static void removes_free(struct removes *rm)
{
	for (int s = 0; s < S_COUNT; s++)
		free(rm->r[s]);
}

/* ---- merging a child into its parent ---------------------------------------------------- */

static bool removed(const struct removes *rm, enum sect s, const char *code)
{
	for (size_t i = 0; i < rm->n[s]; i++)
		if (strcmp(rm->r[s][i].code, code) == 0)
			return true;
	return false;
}

/* Merges section s of the child c into the parent p: removals, then replacements in place,
 * then new codes appended. Elements are moved (the source is zeroed), so whatever fails
 * half-way, each element has exactly one owner. */
static int merge_sect(struct preset *p, struct preset *c, const struct removes *rm, enum sect s,
		      struct preset_err *err)
{
	size_t *pn, *cn, sz = sect_size(s), nn = 0, i, j;
	char *pa = sect_list(p, s, &pn), *ca = sect_list(c, s, &cn), *na;

	for (i = 0; i < rm->n[s]; i++) {
		for (j = 0; j < *pn; j++)
			if (strcmp(el_code(s, pa + j * sz), rm->r[s][i].code) == 0)
				break;
		if (j == *pn)
			return fail(err, c->name, rm->r[s][i].line,
				    "remove: %s of '%s' has no '%s'", sect_names[s], p->name,
				    rm->r[s][i].code);
	}
	na = calloc(*pn + *cn > 0 ? *pn + *cn : 1, sz);
	if (na == NULL)
		return fail(err, c->name, 0, "out of memory");
	for (i = 0; i < *pn; i++) {
		char *e = pa + i * sz;

		if (removed(rm, s, el_code(s, e)))
			el_release(s, e);
		else
			memcpy(na + nn++ * sz, e, sz);
		memset(e, 0, sz);
	}
	for (i = 0; i < *cn; i++) {
		char *e = ca + i * sz;

		for (j = 0; j < nn; j++)
			if (el_same(s, na + j * sz, e))
				break;
		if (j == nn && nn >= PRESET_MAX_ITEMS) {
			for (j = 0; j < nn; j++)
				el_release(s, na + j * sz);
			free(na);
			return fail(err, c->name, el_line(s, e),
				    "%s: more than %d entries once merged with '%s'",
				    sect_names[s], PRESET_MAX_ITEMS, p->name);
		}
		if (j < nn)
			el_release(s, na + j * sz);
		else
			nn++;
		memcpy(na + j * sz, e, sz);
		memset(e, 0, sz);
	}
	free(pa);
	sect_set(p, s, na);
	*pn = nn;
	return 0;
}

/* Merges the child c (one file) into its parent p (already merged); p becomes the result. */
static int merge(struct preset *p, struct preset *c, const struct removes *rm,
		 struct preset_err *err)
{
	for (int s = 0; s < S_COUNT; s++)
		if (merge_sect(p, c, rm, (enum sect)s, err) != 0)
			return -1;
	/* a child's title comes with its own English title, even an empty one */
	if (c->title[0] != '\0') {
		memcpy(p->title, c->title, sizeof p->title);
		memcpy(p->title_en, c->title_en, sizeof p->title_en);
	}
	if (c->source[0] != '\0')
		memcpy(p->source, c->source, sizeof p->source);
	if (c->lead_role[0] != '\0')
		memcpy(p->lead_role, c->lead_role, sizeof p->lead_role);
	/* `reminders:` is one setting: a child's replaces the parent's as a whole */
	if (c->reminders.set)
		p->reminders = c->reminders;
	/* so is `notifications:`: the child's list replaces the parent's */
	if (c->notify_set) {
		free(p->notify_required);
		p->notify_required = c->notify_required;
		p->nnotify_required = c->nnotify_required;
		p->notify_set = true;
		c->notify_required = NULL;
		c->nnotify_required = 0;
	}
	/* `basis:` key by key: what the child names replaces the parent's */
#define BASIS_KEEP(f)                                                                        \
	if (c->basis.f[0] != '\0')                                                            \
		memcpy(p->basis.f, c->basis.f, sizeof p->basis.f);
	BASIS_KEEP(accounts)
	BASIS_KEEP(password)
	BASIS_KEEP(lockout)
	BASIS_KEEP(idle)
	BASIS_KEEP(backup)
	BASIS_KEEP(warning)
	BASIS_KEEP(bulletin)
	BASIS_KEEP(summary)
#undef BASIS_KEEP
	memcpy(p->name, c->name, sizeof p->name);
	memcpy(p->extends, c->extends, sizeof p->extends);
	return 0;
}

/* ---- the extends chain ------------------------------------------------------------------ */

struct loader {
	preset_resolver resolver;
	void *ctx;
	struct preset_err *err;
	char chain[PRESET_MAX_DEPTH][PRESET_CODE]; /* names by depth, the one asked for first */
	size_t nchain;
};

static int check_chain(struct loader *L, size_t depth, const char *ext, int line)
{
	const char *name = L->chain[depth];

	for (size_t i = 0; i <= depth; i++) {
		struct buf b;

		if (strcmp(L->chain[i], ext) != 0)
			continue;
		buf_init(&b, 400);
		for (size_t j = 0; j <= depth; j++)
			(void)buf_printf(&b, "%s -> ", L->chain[j]);
		(void)buf_puts(&b, ext);
		fail(L->err, name, line, "extends: cycle %s", b.p != NULL ? b.p : ext);
		buf_free(&b);
		return -1;
	}
	if (depth + 1 >= PRESET_MAX_DEPTH)
		return fail(L->err, name, line,
			    "extends: '%s' would make a chain of more than %d presets", ext,
			    PRESET_MAX_DEPTH);
	return 0;
}

/* Loads the preset L->chain[depth] from text, with its ancestors; *out is the merged result.
 * Recursion is bounded by check_chain (PRESET_MAX_DEPTH). */
static int load(struct loader *L, const char *text, size_t len, size_t depth,
		struct preset **out)
{
	struct preset *f = NULL, *parent = NULL;
	struct removes rm;
	const char *name = L->chain[depth], *ptext = NULL;
	size_t plen = 0;
	int ext_line = 0, rc = -1;

	memset(&rm, 0, sizeof rm);
	*out = NULL;
	if (depth + 1 > L->nchain)
		L->nchain = depth + 1;
	if (read_file(L->err, name, (unsigned char)depth, text, len, &f, &rm, &ext_line) != 0)
		goto out;
	if (f->extends[0] == '\0') {
		if (rm.line != 0) {
			fail(L->err, name, rm.line,
			     "remove: only a preset that extends another may remove");
			goto out;
		}
		*out = f;
		f = NULL;
		rc = 0;
		goto out;
	}
	if (check_chain(L, depth, f->extends, ext_line) != 0)
		goto out;
	if (L->resolver == NULL || L->resolver(L->ctx, f->extends, &ptext, &plen) != 0 ||
	    ptext == NULL) {
		fail(L->err, name, ext_line, "extends: unknown preset '%s'", f->extends);
		goto out;
	}
	(void)str_copy(L->chain[depth + 1], sizeof L->chain[depth + 1], f->extends);
	if (load(L, ptext, plen, depth + 1, &parent) != 0 || merge(parent, f, &rm, L->err) != 0)
		goto out;
	*out = parent;
	parent = NULL;
	rc = 0;
out:
	removes_free(&rm);
	preset_free(f);
	preset_free(parent);
	return rc;
}

/* ---- checks on the merged result -------------------------------------------------------- */

static const struct preset_item *find_item(const struct preset_item *a, size_t n,
					   const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].code, code) == 0)
			return &a[i];
	return NULL;
}

static const char *origin_name(const struct preset *p, unsigned char origin)
{
	return origin < p->nchain ? p->chain[origin] : p->name;
}

static int check_states(const struct preset *p, struct preset_err *err)
{
	const struct preset_item *init = NULL;
	bool any_final = false;

	if (p->nstates == 0)
		return fail(err, p->name, 1, "missing required key 'states'");
	for (size_t i = 0; i < p->nstates; i++) {
		const struct preset_item *s = &p->states[i];

		if (s->initial && s->final)
			return fail(err, origin_name(p, s->origin), s->line,
				    "state '%s': cannot be both initial and final", s->code);
		if (s->initial && init != NULL)
			return fail(err, origin_name(p, s->origin), s->line,
				    "state '%s': a second initial state ('%s' is one already); "
				    "exactly one is allowed",
				    s->code, init->code);
		if (s->initial)
			init = s;
		any_final |= s->final;
	}
	if (init == NULL)
		return fail(err, origin_name(p, p->states[0].origin), p->states[0].line,
			    "states: no initial state; exactly one needs 'initial: true'");
	if (!any_final)
		return fail(err, origin_name(p, p->states[0].origin), p->states[0].line,
			    "states: no final state; at least one needs 'final: true'");
	return 0;
}

static int check_items(const struct preset *p, struct preset_err *err)
{
	for (size_t i = 0; i < p->ntypes; i++) {
		const struct preset_item *t = &p->types[i];

		if (find_item(p->groups, p->ngroups, t->parent) == NULL)
			return fail(err, origin_name(p, t->origin), t->line,
				    "type '%s': group '%s' does not exist", t->code, t->parent);
	}
	for (size_t i = 0; i < p->nseverities; i++)
		for (size_t j = 0; j < i; j++)
			if (p->severities[i].rank == p->severities[j].rank)
				return fail(err, origin_name(p, p->severities[i].origin),
					    p->severities[i].line,
					    "severity '%s': rank %d is already used by '%s'",
					    p->severities[i].code, p->severities[i].rank,
					    p->severities[j].code);
	return 0;
}

static int check_transitions(const struct preset *p, struct preset_err *err)
{
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct preset_transition *t = &p->transitions[i];
		const char *file = origin_name(p, t->origin);

		if (strcmp(t->from, "*") != 0 && preset_state(p, t->from) == NULL)
			return fail(err, file, t->line,
				    "transition '%s': state '%s' in 'from' does not exist",
				    t->action, t->from);
		if (preset_state(p, t->to) == NULL)
			return fail(err, file, t->line,
				    "transition '%s': state '%s' in 'to' does not exist", t->action,
				    t->to);
		if (t->requires[0] != '\0' && preset_form(p, t->requires) == NULL)
			return fail(err, file, t->line,
				    "transition '%s': form '%s' in 'requires' does not exist",
				    t->action, t->requires);
	}
	return 0;
}

static int check_clocks(const struct preset *p, struct preset_err *err)
{
	for (size_t i = 0; i < p->nclocks; i++) {
		const struct preset_clock *c = &p->clocks[i];
		const char *file = origin_name(p, c->origin);

		if (c->min_severity[0] != '\0' && preset_severity(p, c->min_severity) == NULL)
			return fail(err, file, c->line,
				    "clock '%s': severity '%s' in 'min_severity' does not exist",
				    c->code, c->min_severity);
	}
	return 0;
}

/* An escalation's state, step, flag, clock, severity and group must exist in the merged preset. */
static int check_escalations(const struct preset *p, struct preset_err *err)
{
	int top = 0;

	for (size_t i = 0; i < p->nstates; i++)
		if (p->states[i].rank > top)
			top = p->states[i].rank;
	for (size_t i = 0; i < p->nescalations; i++) {
		const struct preset_escalation *e = &p->escalations[i];
		const char *file = origin_name(p, e->origin);
		const struct preset_item *st = e->state[0] ? preset_state(p, e->state) : NULL;

		if (e->state[0] != '\0' && st == NULL)
			return fail(err, file, e->line,
				    "escalation '%s': state '%s' in 'state' does not exist", e->code,
				    e->state);
		if (e->trigger == PRESET_TRIGGER_IDLE && st != NULL && st->final)
			return fail(err, file, e->line,
				    "escalation '%s': state '%s' is final, an incident never idles "
				    "in it",
				    e->code, e->state);
		if (e->step > top)
			return fail(err, file, e->line,
				    "escalation '%s': no state has step %d or more, so it never fires",
				    e->code, e->step);
		if (e->flag[0] != '\0' && preset_flag(p, e->flag) == NULL)
			return fail(err, file, e->line,
				    "escalation '%s': flag '%s' in 'flag' does not exist", e->code,
				    e->flag);
		if (e->clock[0] != '\0' && preset_clock(p, e->clock) == NULL)
			return fail(err, file, e->line,
				    "escalation '%s': clock '%s' in 'clock' does not exist", e->code,
				    e->clock);
		if (e->min_severity[0] != '\0' && preset_severity(p, e->min_severity) == NULL)
			return fail(err, file, e->line,
				    "escalation '%s': severity '%s' in 'min_severity' does not exist",
				    e->code, e->min_severity);
		if (e->group[0] != '\0' && preset_group(p, e->group) == NULL)
			return fail(err, file, e->line,
				    "escalation '%s': group '%s' in 'group' does not exist", e->code,
				    e->group);
	}
	return 0;
}

/* Everything that needs the whole (merged) preset. */
static int check_preset(const struct preset *p, struct preset_err *err)
{
	if (p->title[0] == '\0')
		return fail(err, p->name, 1, "missing required key 'title'");
	if (p->lead_role[0] == '\0')
		return fail(err, p->name, 1, "missing required key 'lead_role'");
	if (check_states(p, err) != 0 || check_items(p, err) != 0 ||
	    check_transitions(p, err) != 0 || check_clocks(p, err) != 0 ||
	    check_escalations(p, err) != 0)
		return -1;
	return 0;
}

/* ---- public ----------------------------------------------------------------------------- */

int preset_parse(const char *name, const char *text, size_t len, preset_resolver resolver,
		 void *ctx, struct preset **out, struct preset_err *err)
{
	struct loader L;
	struct preset *p = NULL;
	int rc = -1;

	memset(err, 0, sizeof *err);
	*out = NULL;
	memset(&L, 0, sizeof L);
	L.resolver = resolver;
	L.ctx = ctx;
	L.err = err;
	if (name == NULL || !is_name(name) || str_copy(L.chain[0], sizeof L.chain[0], name) != 0)
		return fail(err, name != NULL ? name : "", 0,
			    "the preset name must be a code (a-z, 0-9, _ and -) of at most %d bytes",
			    PRESET_CODE - 1);
	if (load(&L, text, len, 0, &p) != 0)
		goto out;
	p->nchain = L.nchain;
	memcpy(p->chain, L.chain, sizeof p->chain);
	if (!p->reminders.set) {
		p->reminders.before_days[0] = PRESET_REMINDER_DEFAULT_1;
		p->reminders.before_days[1] = PRESET_REMINDER_DEFAULT_2;
		p->reminders.nbefore = 2;
		p->reminders.on_due = p->reminders.overdue = true;
	}
	if (check_preset(p, err) != 0)
		goto out;
	*out = p;
	p = NULL;
	rc = 0;
out:
	preset_free(p);
	return rc;
}

void preset_free(struct preset *p)
{
	if (p == NULL)
		return;
	free(p->groups);
	free(p->types);
	free(p->severities);
	free(p->states);
	free(p->transitions);
	for (size_t i = 0; i < p->nforms; i++)
		form_release(&p->forms[i]);
	free(p->forms);
	free(p->clocks);
	free(p->flags);
	free(p->escalations);
	free(p->duties);
	free(p->notify_required);
	free(p->documents);
	free(p);
}

const struct preset_item *preset_group(const struct preset *p, const char *code)
{
	return find_item(p->groups, p->ngroups, code);
}

const struct preset_item *preset_type(const struct preset *p, const char *code)
{
	return find_item(p->types, p->ntypes, code);
}

const struct preset_item *preset_severity(const struct preset *p, const char *code)
{
	return find_item(p->severities, p->nseverities, code);
}

const struct preset_item *preset_state(const struct preset *p, const char *code)
{
	return find_item(p->states, p->nstates, code);
}

const struct preset_item *preset_initial_state(const struct preset *p)
{
	for (size_t i = 0; i < p->nstates; i++)
		if (p->states[i].initial)
			return &p->states[i];
	return NULL;
}

const struct preset_transition *preset_transition(const struct preset *p, const char *from,
						  const char *action)
{
	const struct preset_transition *any = NULL;
	const struct preset_item *st = preset_state(p, from);

	if (st == NULL)
		return NULL;
	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct preset_transition *t = &p->transitions[i];

		if (strcmp(t->action, action) != 0)
			continue;
		if (strcmp(t->from, from) == 0)
			return t; /* an exact from-state wins over "*" */
		if (strcmp(t->from, "*") == 0 && !st->final && any == NULL)
			any = t;
	}
	return any;
}

const struct preset_form *preset_form(const struct preset *p, const char *code)
{
	for (size_t i = 0; i < p->nforms; i++)
		if (strcmp(p->forms[i].code, code) == 0)
			return &p->forms[i];
	return NULL;
}

const struct preset_field *preset_form_field(const struct preset_form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

const struct preset_item *preset_flag(const struct preset *p, const char *code)
{
	return find_item(p->flags, p->nflags, code);
}

const struct preset_escalation *preset_escalation(const struct preset *p, const char *code)
{
	for (size_t i = 0; i < p->nescalations; i++)
		if (strcmp(p->escalations[i].code, code) == 0)
			return &p->escalations[i];
	return NULL;
}

const struct preset_duty *preset_duty(const struct preset *p, const char *code)
{
	for (size_t i = 0; i < p->nduties; i++)
		if (strcmp(p->duties[i].code, code) == 0)
			return &p->duties[i];
	return NULL;
}

const struct preset_doc *preset_document(const struct preset *p, const char *ref)
{
	for (size_t i = 0; i < p->ndocuments; i++)
		if (strcmp(p->documents[i].ref, ref) == 0)
			return &p->documents[i];
	return NULL;
}

const struct preset_clock *preset_clock(const struct preset *p, const char *code)
{
	for (size_t i = 0; i < p->nclocks; i++)
		if (strcmp(p->clocks[i].code, code) == 0)
			return &p->clocks[i];
	return NULL;
}

bool preset_clock_applies(const struct preset *p, const struct preset_clock *c,
			  const char *severity)
{
	const struct preset_item *min, *sev;

	if (c->min_severity[0] == '\0')
		return true;
	if (severity == NULL || severity[0] == '\0')
		return false;
	min = preset_severity(p, c->min_severity);
	sev = preset_severity(p, severity);
	return min != NULL && sev != NULL && sev->rank >= min->rank;
}

