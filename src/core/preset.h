/* preset.h - a regulation as data (DOMAIN.md: "a regulation is data"). A preset file (YAML,
 * docs/presets.md) names the incident groups, types, severities, the procedure (states and
 * transitions), clocks, escalation rules, forms and periodic duties of one regulation, each with
 * its legal source. A preset may extend another (`extends: national`).
 * core/ does no I/O: the caller hands the YAML text in, and a resolver callback supplies the text
 * of presets named by `extends`. */
#ifndef UNGCUU_PRESET_H
#define UNGCUU_PRESET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRESET_CODE 48   /* codes: "attack", "ddos", "reported", ... */
#define PRESET_NAME 256  /* display names, Vietnamese and English */
#define PRESET_SOURCE 256 /* legal source: "001 Đ15.4a" */
#define PRESET_MAX_ITEMS 256 /* per list: a longer list is an error, not silent growth */
#define PRESET_DESC 1024 /* descriptions (severity levels of 001 Đ15.3 are long) */
#define PRESET_MAX_DEPTH 4 /* presets in one `extends` chain, the one asked for included */
#define PRESET_MAX_FIELDS 128 /* fields per form */
#define PRESET_MAX_OPTIONS 64 /* options per select field */
#define PRESET_MAX_SECTIONS 32 /* sections per form */
#define PRESET_MAX_TEXT (256u * 1024u) /* bytes of one preset file */
#define PRESET_MAX_WITHIN (366 * 86400) /* longest clock, seconds */
#define PRESET_MAX_MAXLEN 100000 /* largest field maxlen, characters */

/* A named code: group, type, severity, state, role name... */
struct preset_item {
	char code[PRESET_CODE];
	char name_vi[PRESET_NAME];
	char name_en[PRESET_NAME];
	char parent[PRESET_CODE];   /* types: their group; otherwise empty */
	char source[PRESET_SOURCE];
	int rank;                   /* severities: 1 = lowest; states: procedure step (1..99) */
	bool final;                 /* states: the procedure ends here */
	bool initial;               /* states: a new incident starts here */
	char desc_vi[PRESET_DESC];  /* optional longer text: a severity's definition... */
	char desc_en[PRESET_DESC];
	int line;                   /* line of the item in its preset file (for messages) */
	unsigned char origin;       /* the preset that defined it: index into preset.chain */
};

/* Who may take a transition, besides the roles: the incident's own organisation, the
 * coordinator, or either. */
enum preset_by { PRESET_BY_OWNER = 1, PRESET_BY_COORDINATOR = 2, PRESET_BY_EITHER = 3 };

struct preset_transition {
	char action[PRESET_CODE];   /* "report_to_coordinator" */
	char from[PRESET_CODE];     /* state code, or "*" for any non-final state */
	char to[PRESET_CODE];
	char name_vi[PRESET_NAME];
	char name_en[PRESET_NAME];
	unsigned roles;             /* ROLE_* bits allowed */
	enum preset_by by;
	/* a condition on the incident: "" (always), "central_hosted", "!central_hosted" */
	char when[PRESET_CODE];
	/* what must exist before: "" or a form code ("closing") that must be filled */
	char requires[PRESET_CODE];
	char source[PRESET_SOURCE];
	int line;                   /* as in preset_item */
	unsigned char origin;
};

/* Field types of a form. */
enum preset_field_type {
	PRESET_FIELD_TEXT = 1,
	PRESET_FIELD_TEXTAREA,
	PRESET_FIELD_DATE,     /* yyyy-mm-dd */
	PRESET_FIELD_DATETIME, /* ISO 8601 with offset */
	PRESET_FIELD_EMAIL,
	PRESET_FIELD_PHONE,
	PRESET_FIELD_INT,
	PRESET_FIELD_BOOL,
	PRESET_FIELD_SELECT,
};

/* One choice of a select field; the value is stored and shown as is. */
struct preset_option {
	char value[PRESET_NAME];
};

/* One field of a form, in the order of the paper form. */
struct preset_field {
	char name[PRESET_CODE];       /* "org_name": the key in the stored JSON */
	char label_vi[PRESET_NAME];
	char label_en[PRESET_NAME];
	char hint_vi[PRESET_NAME];    /* optional help under the field */
	char hint_en[PRESET_NAME];
	char section[PRESET_CODE];    /* a section code of the form, or "" */
	enum preset_field_type type;
	bool required;                /* marked (*) on the paper form */
	int maxlen;                   /* characters (code points); 0 for int, bool, select */
	struct preset_option *options; /* select only: 1..PRESET_MAX_OPTIONS */
	size_t noptions;
	int line;
};

/* A form of the regulation (Mẫu 01, Mẫu 02, a biên bản): what a step must file. */
struct preset_form {
	char code[PRESET_CODE];        /* "report", "closing", "record" */
	char name_vi[PRESET_NAME];
	char name_en[PRESET_NAME];
	char source[PRESET_SOURCE];
	char subject_prefix[PRESET_CODE]; /* e-mail subject starts with it ("[TBSC]"), or "" */
	struct preset_item *sections;  /* headings the fields are grouped under (code, names) */
	size_t nsections;
	struct preset_field *fields;
	size_t nfields;
	int line;
	unsigned char origin;
};

/* A reporting deadline: from `start` (the incident's detection), an organisation with role
 * `target` must have been told of the incident within `within` seconds (core/clock.h: met by
 * the fact of telling, never by the incident's step). */
struct preset_clock {
	char code[PRESET_CODE];
	char name_vi[PRESET_NAME];
	char name_en[PRESET_NAME];
	char start[PRESET_CODE];        /* "detected" */
	int64_t within;                 /* seconds; 0 = at once (ngay lập tức) */
	char min_severity[PRESET_CODE]; /* applies from this severity up; "" = to every incident */
	int target;                     /* enum org_role (core/codes.h) */
	char source[PRESET_SOURCE];
	int line;
	unsigned char origin;
};

/* ---- escalation rules (000 Đ7.1c-e, 001 Đ15.5, 002 Đ7) ---- */

/* What makes a rule fire. */
enum preset_trigger {
	PRESET_TRIGGER_STATE = 1, /* the incident enters `state`, or first reaches step >= `step` */
	PRESET_TRIGGER_FLAG,      /* the flag `flag` is raised on the incident */
	PRESET_TRIGGER_IDLE,      /* no transition for `after` seconds while in `state` (or, with
				   * state "", in any non-final state) */
	PRESET_TRIGGER_CLOCK,     /* the clock `clock` is overdue */
	PRESET_TRIGGER_REQUEST,   /* a coordination request is unanswered `after` seconds past due */
	PRESET_TRIGGER_WARNING,   /* yaml "warning_unanswered": a targeted organisation has not fully
				   * answered a warning `after` seconds past its due time (000 Đ7.4,
				   * 003 §1); the late organisation and the issuer are told */
};

/* What a firing does. Either way it is journaled with the rule's legal source. */
enum preset_esc_action {
	PRESET_ESC_NOTIFY = 1, /* tell the target organisations (journal, notification outbox) */
	PRESET_ESC_REQUEST,    /* open a coordination request of `request_kind` to each target */
};

/* Target bits: 1u << enum org_role (core/codes.h), plus these two, which are not roles of
 * organisations but relations to the incident. ORG_COORDINATOR means the organisation holding
 * the coordinator role now (which may be the police, 002). */
#define PRESET_TARGET_SUPERIOR (1u << 16) /* the parent organisation of the incident's owner */
#define PRESET_TARGET_OWNER (1u << 17)    /* the incident's own organisation (its leader) */

struct preset_escalation {
	char code[PRESET_CODE];
	char name_vi[PRESET_NAME];
	char name_en[PRESET_NAME];
	enum preset_trigger trigger;
	char state[PRESET_CODE];        /* STATE, IDLE: a state code, or "" */
	int step;                       /* STATE: 1..99 instead of a state, or 0 */
	char flag[PRESET_CODE];         /* FLAG: a code of preset.flags; IDLE: only incidents
					 * carrying it (optional) */
	int64_t after;                  /* IDLE, REQUEST: seconds (yaml "3d", "12h") */
	char clock[PRESET_CODE];        /* CLOCK: a code of preset.clocks */
	char min_severity[PRESET_CODE]; /* "" = any severity; else this one and above */
	char group[PRESET_CODE];        /* "" = any group; else only this incident group */
	enum preset_esc_action action;
	unsigned targets;               /* yaml `to: [police, military, national, superior...]` */
	char request_kind[PRESET_CODE]; /* REQUEST: support|investigate|mobilise|notify|evidence */
	int64_t request_within;         /* REQUEST: the opened request is due after this; 0 = none */
	char source[PRESET_SOURCE];
	int line;
	unsigned char origin;
};

/* ---- periodic duties (DOMAIN.md "Periodic duties") ---- */

/* Who carries a duty out. */
enum preset_duty_who {
	PRESET_DUTY_ORGS = 1,    /* every organisation whose role is in `roles` (ORG_COORDINATOR =
				  * the organisation holding the coordinator role now) */
	PRESET_DUTY_ALL,         /* every organisation of the network */
	PRESET_DUTY_SYSTEM_OWNER,    /* for each matching system, its owner */
	PRESET_DUTY_SYSTEM_OPERATOR, /* for each matching system, its operator */
};

#define PRESET_MAX_DATES 12

struct preset_duty {
	char code[PRESET_CODE];
	char name_vi[PRESET_NAME];
	char name_en[PRESET_NAME];
	char desc_vi[PRESET_DESC];
	char desc_en[PRESET_DESC];
	enum preset_duty_who who;
	unsigned roles;           /* ORGS: bits 1u << enum org_role */
	int min_level;            /* per-system duties: systems of security level >= min_level
				   * (0 = any) */
	bool critical;            /* per-system duties: only systems on the critical list */
	int max_level;            /* per-system duties: systems of level <= max_level (0 = no
				   * bound); 004 §2 sets one duty for levels 3-4, another for 5 */
	/* ORGS, ALL: one instance per matching system (min_level, max_level, critical) for each
	 * organisation, with the system named (002 Đ7.2c: the police scan each critical system
	 * monthly). Always true for SYSTEM_OWNER and SYSTEM_OPERATOR. */
	bool per_system;
	int every_months;         /* 1, 3, 6 or 12: due at the end of each period (last day of
				   * the period's last month), unless `dates` are given */
	/* fixed due dates in every year: {day, month}, e.g. 14/6, in calendar order; when given
	 * there are exactly 12 / every_months of them */
	int dates[PRESET_MAX_DATES][2];
	size_t ndates;
	int64_t first_due;        /* no instance due before this (Unix seconds, from yaml
				   * "yyyy-mm-dd" as Vietnam-local midnight); 0 = none */
	char evidence[PRESET_CODE]; /* "" = marked done by hand; "scan" = a scanner import marks it */
	char source[PRESET_SOURCE];
	int line;
	unsigned char origin;
};

/* ---- duty reminders (docs/presets.md "reminders", docs/mail.md) ---- */

#define PRESET_MAX_REMINDERS 8

/* When the organisation responsible for a pending duty instance is reminded by e-mail: N days
 * before the due day (each of before_days), on the due day, and once when it is overdue. */
struct preset_reminders {
	int before_days[PRESET_MAX_REMINDERS]; /* descending, 1..366, no repeats */
	size_t nbefore;
	bool on_due;
	bool overdue;
	char source[PRESET_SOURCE];
	bool set;                 /* given by a file of the chain (else the defaults below) */
	int line;
};
/* Without a `reminders:` key anywhere in the chain: 7 and 1 days before, on the due day, and
 * once overdue. */
#define PRESET_REMINDER_DEFAULT_1 7
#define PRESET_REMINDER_DEFAULT_2 1

/* ---- notifications a person cannot switch off (docs/presets.md "notifications") ---- */
struct preset_notify_rule {
	char event[PRESET_CODE];  /* one of core/notify.h's events */
	unsigned org_roles;       /* bits 1u << enum org_role; ORG_COORDINATOR = the organisation
				   * holding the coordinator role now */
	unsigned roles;           /* ROLE_* bits of the people concerned */
	char source[PRESET_SOURCE];
	int line;
};

/* ---- the documents a preset's sources cite (docs/presets.md "documents") ---- */

#define PRESET_DATE 11 /* "yyyy-mm-dd" */

/* A legal text the sources of a preset name, by the short name they write: the seed number
 * ("001") or the text's own short name ("TT 20/2017/TT-BTTTT"). core/cite.c turns "001 Đ15.4c"
 * into "Điểm c khoản 4 Điều 15 Quy chế ..." with it. Number, date and issuer are "" when the
 * text at hand does not give them (seed 001): the citation says so instead. */
struct preset_doc {
	char ref[PRESET_CODE];          /* "001", "QĐ 05/2017/QĐ-TTg" */
	char kind_vi[PRESET_CODE];      /* "Quy chế", "Chỉ thị", "Thông tư" */
	char kind_en[PRESET_CODE];      /* "Regulation", "Directive", "Circular" */
	char title_vi[PRESET_NAME];     /* what follows the kind: "bảo đảm an toàn thông tin ..." */
	char title_en[PRESET_NAME];     /* "on network information security ..." */
	char number[PRESET_CODE];       /* "2711/QĐ-UBND", or "" */
	char date[PRESET_DATE];         /* of issue, "2017-11-17", or "" */
	char in_force[PRESET_DATE];     /* in force from, when the text says ("2025-01-20"), or "" */
	char issuer_vi[PRESET_NAME];    /* "UBND tỉnh Thừa Thiên Huế", or "" */
	char issuer_en[PRESET_NAME];
	/* a regulation issued with a decision: "Quyết định" / "Decision" (number and date are the
	 * decision's); "" when the number is the text's own */
	char issued_with_vi[PRESET_CODE];
	char issued_with_en[PRESET_CODE];
	int line;
	unsigned char origin;
};

/* The legal basis of what the platform does whatever the preset (docs/presets.md "basis"):
 * each a source like "001 Đ12.1b", or "" when the preset in force does not name one. A child's
 * key replaces the parent's; keys it leaves out are inherited. */
struct preset_basis {
	char accounts[PRESET_SOURCE]; /* one personal account per person, revoked on leaving */
	char password[PRESET_SOURCE]; /* length and mix of a password, change at first login */
	char lockout[PRESET_SOURCE];  /* locked after 5 failed logins */
	char idle[PRESET_SOURCE];     /* session ended after 10 minutes without interaction */
	char backup[PRESET_SOURCE];   /* backups and a restore test every 6 months */
	char warning[PRESET_SOURCE];  /* warnings to the organisations concerned (the form's
				       * default legal basis) */
	char bulletin[PRESET_SOURCE]; /* the coordinator's quarterly bulletin (its PDF) */
	char summary[PRESET_SOURCE];  /* the half-year / yearly summary (Mẫu 05) */
};

struct preset {
	char name[PRESET_CODE];        /* "tayson" */
	char title[PRESET_NAME];       /* "Quy chế ... huyện Tây Sơn" */
	char title_en[PRESET_NAME];
	char source[PRESET_SOURCE];    /* the regulation itself: "QĐ 2711/QĐ-UBND" */
	char extends[PRESET_CODE];     /* "national" or "" */
	char lead_role[PRESET_CODE];   /* org role holding the coordinator role: "coordinator"/"police" */
	struct preset_item *groups;
	size_t ngroups;
	struct preset_item *types;
	size_t ntypes;
	struct preset_item *severities;
	size_t nseverities;
	struct preset_item *states;
	size_t nstates;
	struct preset_transition *transitions;
	size_t ntransitions;
	struct preset_form *forms;
	size_t nforms;
	struct preset_clock *clocks;
	size_t nclocks;
	/* flags an incident may carry (beyond_capacity, violation_of_law, unresolved...): items */
	struct preset_item *flags;
	size_t nflags;
	struct preset_escalation *escalations;
	size_t nescalations;
	struct preset_duty *duties;
	size_t nduties;
	struct preset_reminders reminders; /* never unset after preset_parse (defaults) */
	/* `notifications: required:` - a child's list replaces the parent's */
	struct preset_notify_rule *notify_required;
	size_t nnotify_required;
	bool notify_set;
	/* `documents:` the legal texts its sources name (inherited, replaced by `ref`) */
	struct preset_doc *documents;
	size_t ndocuments;
	struct preset_basis basis;
	/* the presets this one was built from: chain[0] is this preset, chain[1] its parent... */
	char chain[PRESET_MAX_DEPTH][PRESET_CODE];
	size_t nchain;
};

/* An error while loading: which preset, where, what. */
struct preset_err {
	char file[PRESET_CODE];
	int line;   /* 1-based, 0 if unknown */
	char msg[512];
};

/* Supplies the YAML text of the preset named `name` (for `extends`). Returns 0 and sets
 * *text and *len (owned by the resolver, valid until preset_parse returns), or -1 if unknown. */
typedef int (*preset_resolver)(void *ctx, const char *name, const char **text, size_t *len);

/* Parses the preset `name` whose YAML text is given, resolving `extends` through resolver
 * (may be NULL when nothing is extended). Validates every cross-reference (a type's group, a
 * transition's states and roles, exactly one initial state...). Returns 0 and *out (free with
 * preset_free), or -1 with err filled. */
int preset_parse(const char *name, const char *text, size_t len, preset_resolver resolver,
		 void *ctx, struct preset **out, struct preset_err *err);
/* Frees a preset from preset_parse; NULL is fine. */
void preset_free(struct preset *p);

/* Lookups; each returns the item or NULL. Pointers live as long as the preset. */
const struct preset_item *preset_group(const struct preset *p, const char *code);
const struct preset_item *preset_type(const struct preset *p, const char *code);
const struct preset_item *preset_severity(const struct preset *p, const char *code);
const struct preset_item *preset_state(const struct preset *p, const char *code);
/* The state a new incident starts in (never NULL for a parsed preset). */
const struct preset_item *preset_initial_state(const struct preset *p);
/* Finds the transition `action` from state `from`: one naming `from` exactly, else one from
 * "*" when `from` is not final. Returns it or NULL (also for an unknown state). */
const struct preset_transition *preset_transition(const struct preset *p, const char *from,
						  const char *action);
/* The form `code`, or NULL. */
const struct preset_form *preset_form(const struct preset *p, const char *code);
/* The field `name` of a form, or NULL. */
const struct preset_field *preset_form_field(const struct preset_form *f, const char *name);
/* The flag, escalation rule or duty `code`, or NULL. */
const struct preset_item *preset_flag(const struct preset *p, const char *code);
const struct preset_escalation *preset_escalation(const struct preset *p, const char *code);
const struct preset_duty *preset_duty(const struct preset *p, const char *code);
/* The document the sources name `ref` ("001"), or NULL. */
const struct preset_doc *preset_document(const struct preset *p, const char *ref);
/* The clock `code`, or NULL. */
const struct preset_clock *preset_clock(const struct preset *p, const char *code);
/* True if the clock runs for an incident of severity `severity` (a code; NULL or "" when not yet
 * classified: then only clocks for every incident run). */
bool preset_clock_applies(const struct preset *p, const struct preset_clock *c,
			  const char *severity);
/* Parses a duration "5d", "24h", "30m" or "0" into seconds (<= PRESET_MAX_WITHIN). Returns 0 and
 * *out, or -1. */
int preset_parse_within(const char *s, int64_t *out);
/* Returns the code of a field type ("text", ...), or NULL. Static storage. */
const char *preset_field_type_name(enum preset_field_type t);

#endif
