/* msg.h - the server's message catalogue: every sentence the server says to a person (errors of
 * the API, the command line, e-mails, documents) in Vietnamese and English, declared once in
 * util/msg_*.def as MSG(id, "Vietnamese", "English") with named parameters "{name}".
 *
 * A message is bound where it is decided (struct msg: its id and parameters, copied), and
 * rendered where it is shown, in the language of whoever reads it: the API from Accept-Language,
 * the command line from UNGCUU_LANG, documents and e-mails in Vietnamese first. Its stable code
 * (the id as text) and its parameters travel with it, so a client can word it itself. */
#ifndef UNGCUU_MSG_H
#define UNGCUU_MSG_H
#include <stdbool.h>
#include <stddef.h>

enum msg_id {
	M_none = 0,
#define MSG(id, vi, en) M_##id,
#include "msg_all.def"
#undef MSG
	M_COUNT
};

enum msg_lang { MSG_VI = 0, MSG_EN = 1 };

/* One named parameter as a call site writes it: MS("field", name), MN("max", 300), or a value
 * that has its own words in each language, MSV("step", t->name_vi, t->name_en). */
struct msg_arg {
	const char *name;
	const char *str;    /* text value, or NULL for a number */
	long long num;
	const char *str_en; /* the English value when it differs, or NULL */
};
#define MS(n, s) {.name = (n), .str = (s)}
#define MN(n, v) {.name = (n), .str = NULL, .num = (long long)(v)}
#define MSV(n, vi, en) {.name = (n), .str = (vi), .str_en = (en)}

#define MSG_MAX_PARAMS 6
#define MSG_MAX_VALUE 1024 /* bytes of one parameter's text; longer is cut with "…" */
#define MSG_MAX_VALUES 4096 /* bytes of all of a message's parameters */

/* A message bound to its parameters, owning copies of their values (safe to keep after the
 * call site's strings are gone). */
struct msg_param {
	char name[24];
	size_t off;    /* where its text (a number written out) starts in the message's values:
			* an offset, so that a struct msg may be copied */
	size_t off_en; /* where its English text starts (the same as off when it has one) */
	bool is_num;
	long long num;
};
struct msg {
	enum msg_id id;
	size_t n;
	struct msg_param p[MSG_MAX_PARAMS];
	char values[MSG_MAX_VALUES];
	size_t used;
};

/* The argument list of a variadic call site: an array literal of its MS/MN and their count. */
#define MSG_ARGS(...)                                                                       \
	((const struct msg_arg[]){{.name = NULL}, __VA_ARGS__} + 1),                       \
	    (sizeof((const struct msg_arg[]){{.name = NULL}, __VA_ARGS__}) /               \
		 sizeof(struct msg_arg) -                                                   \
	     1)

/* Binds id to the n parameters a (values copied, cut on a UTF-8 boundary). Never fails: more
 * than MSG_MAX_PARAMS are dropped (a debug build asserts). */
void msg_bind(struct msg *m, enum msg_id id, const struct msg_arg *a, size_t n);
/* Same, as a call site writes it: msg_set(&m, M_x, MS("a", s), MN("b", 3)). */
#define msg_set(m, id, ...) msg_bind((m), (id), MSG_ARGS(__VA_ARGS__))

/* The text of m's parameter i (< m->n), in Vietnamese / in lang. */
#define msg_value(m, i) ((m)->values + (m)->p[i].off)
#define msg_value_in(m, i, lang) ((m)->values + ((lang) == MSG_EN ? (m)->p[i].off_en : (m)->p[i].off))
/* Renders m in lang into out (size cap, always NUL-terminated): its text with every {name}
 * replaced by the parameter's value. Returns 0, or -1 when cut (out then ends with "…" on a
 * character boundary). */
int msg_render(const struct msg *m, enum msg_lang lang, char *out, size_t cap);
/* The stable code of id ("field_too_long"), "" for M_none. Static storage. */
const char *msg_code(enum msg_id id);
/* The id whose stable code is code (a message a record stored, store/msg_json.h), or M_none
 * when the catalogue has none (NULL too). */
enum msg_id msg_find(const char *code);
/* The catalogue's text of id in lang, parameters unreplaced. Static storage. */
const char *msg_text(enum msg_id id, enum msg_lang lang);
/* The language asked by an Accept-Language header (NULL: none): English when "en" is asked
 * with a higher weight than "vi", else Vietnamese. */
enum msg_lang msg_lang_accept(const char *header);
/* The command line's language: English when UNGCUU_LANG starts with "en", else Vietnamese
 * (an operator's LANG is often en_US on a server: it does not choose the language). */
enum msg_lang msg_lang_env(void);

#endif
