/* access.h - the one place that decides who may do what (role x organisation x TLP).
 * Every endpoint asks these functions; list queries ask for a scope, which store/ turns into a
 * WHERE clause that selects exactly the rows access_incident() would allow to read.
 * The rules, in words, are in docs/access.md. */
#ifndef UNGCUU_ACCESS_H
#define UNGCUU_ACCESS_H
#include <stdbool.h>
#include <stdint.h>

enum ac_action {
	AC_READ,       /* see the record */
	AC_COMMENT,    /* add a journal entry or an attachment */
	AC_EDIT,       /* change fields */
	AC_TRANSITION, /* move along the procedure */
	AC_REQUEST,    /* ask another organisation for help */
	AC_CREATE,     /* create a new record (incidents: in own organisation) */
	AC_ADMIN,      /* account and organisation administration */
};

/* Who is asking. */
struct ac_subject {
	int64_t user_id;
	int64_t org_id;
	int org_role;        /* enum org_role of the subject's organisation */
	unsigned roles;      /* ROLE_* bits */
	bool coordinator;    /* the subject's organisation holds the coordinator role now */
};

/* What access needs to know of an incident. */
struct ac_incident {
	int64_t org_id;        /* the reporting (owning) organisation */
	int64_t org_parent_id; /* that organisation's superior, 0 if none */
	int tlp;               /* enum tlp */
	bool participant;      /* the subject's organisation was named on it (coordination request) */
};

/* What access needs to know of an information system. */
struct ac_system {
	int64_t owner_org_id;
	int64_t operator_org_id;
	bool critical;
};

/* What access needs to know of a warning (cảnh báo, 000 Đ7.4). */
struct ac_warning {
	int64_t issuer_org_id;
	int tlp;              /* enum tlp */
	bool draft;           /* not issued yet: only the issuer sees it */
	bool open;            /* issued and not closed or withdrawn: targets may answer */
	bool targeted;        /* the subject's organisation is a target */
	bool named;           /* ... named in the list of the warning (not by role, all or match) */
	bool published;       /* issued or closed (not a draft, not withdrawn): what feeds publish */
};

/* The rows of a list the subject may read, for store/ to turn into SQL. */
struct ac_scope {
	bool none;            /* nothing at all */
	int64_t org_id;       /* rows of this organisation */
	bool all_below_red;   /* every row with TLP below RED */
	bool children;        /* rows of organisations whose parent is org_id, TLP below RED */
	bool participations;  /* rows the organisation participates in, any TLP */
	bool critical;        /* systems only: every critical system */
	bool everything;      /* every row, TLP:RED too: only for the machine's operator (CLI) */
};

/* True if the subject may take the action on the incident. */
bool access_incident(const struct ac_subject *s, const struct ac_incident *inc, enum ac_action a);
/* Fills the scope of incidents the subject may read. */
void access_incident_scope(const struct ac_subject *s, struct ac_scope *out);
/* True if the subject may take the action on the system (AC_CREATE: in own organisation). */
bool access_system(const struct ac_subject *s, const struct ac_system *sys, enum ac_action a);
/* Scanner reports and findings of a system (docs/scan.md): AC_READ as the system; AC_CREATE
 * (import a report) and AC_EDIT (change a finding's status): the handlers of the owner and the
 * operator, of the coordinator, and of the police for critical systems (002 Đ7.2c). */
bool access_scan(const struct ac_subject *s, const struct ac_system *sys, enum ac_action a);
/* Fills the scope of systems the subject may read. */
void access_system_scope(const struct ac_subject *s, struct ac_scope *out);
/* True if the subject may take the action on the organisation: everyone reads the directory,
 * admins administer, an organisation's leader or officer edits its own contact point. */
bool access_org(const struct ac_subject *s, int64_t org_id, enum ac_action a);
/* True if the subject may add an organisation or change the identity of one (name, code, role,
 * parent): the coordinator's admins; other admins and an organisation's own staff may not. */
bool access_org_identity(const struct ac_subject *s);
/* True if the subject may read and set the organisation's webhook (where its notifications
 * are posted): its own leader, officer or admin, or the coordinator's admins. */
bool access_org_webhook(const struct ac_subject *s, int64_t org_id);
/* True if the subject may change the instance's security settings (the second-factor policy):
 * the coordinator's admins. */
bool access_settings(const struct ac_subject *s);
/* True if the subject may take the action on the account of user_id in org_id: admins
 * administer (AC_CREATE, AC_ADMIN, AC_EDIT) the accounts of their own organisation, the
 * coordinator's admins those of every one (org_id 0: of some organisation); everyone edits
 * their own profile; admins, auditors, the user and its organisation's leader read it. */
bool access_user(const struct ac_subject *s, int64_t user_id, int64_t org_id, enum ac_action a);
/* Periodic duties: the responsible organisation reads its own, and its officers, leaders and
 * operators mark them done with evidence (AC_EDIT, AC_COMMENT); the coordinator reads all. */
bool access_duty(const struct ac_subject *s, int64_t duty_org_id, enum ac_action a);
/* The requests sent to or by the subject's organisation: its staff with an incident role (an
 * admin account alone reads no incident content). */
bool access_request_box(const struct ac_subject *s);
/* The compliance table: the coordinator's staff and auditors. */
bool access_compliance(const struct ac_subject *s);
/* Who may write warnings: officers, leaders and operators of the coordinator, the police, a
 * central agency, the national coordinator or the response team (000 Đ7.4, 002 Đ7.2c, 003 §1). */
bool access_warning_issuer(const struct ac_subject *s);
/* True if the subject may take the action on the warning: AC_READ see it (the issuer's staff in
 * any state; once issued: its targets — TLP:RED only the named ones —, every organisation for
 * TLP:CLEAR/GREEN, the coordinator below TLP:RED); AC_CREATE a new draft, also by import
 * (access_warning_issuer); AC_EDIT change a draft,
 * issue, close or withdraw (the issuer); AC_COMMENT acknowledge, report a system's status, upload
 * evidence, open an incident from it (a target); AC_TRANSITION read the live tracking table (the
 * issuer and the coordinator). */
bool access_warning(const struct ac_subject *s, const struct ac_warning *w, enum ac_action a);
/* Fills the scope of warnings the subject may read, as access_warning decides: org_id (its own,
 * any state), participations (those it is a target of; TLP:RED only when named), all_below_red
 * (every issued one below TLP:RED: the coordinator); issued TLP:CLEAR/GREEN ones are read by
 * every organisation. */
void access_warning_scope(const struct ac_subject *s, struct ac_scope *out);
/* TAXII and STIX exports: any account with an incident role (not an admin account alone). */
bool access_exchange(const struct ac_subject *s);
/* True if the subject may read the audit trail. */
bool access_audit(const struct ac_subject *s);
/* The mail quarantine (docs/mail.md "Who may write in"): messages `ungcuu mailgate` did not
 * store wait for the coordinator's operators and admins, who read and decide them. Accepting a
 * reply also needs AC_COMMENT on its incident (access_incident). */
bool access_mail_quarantine(const struct ac_subject *s);
/* The instance's backups (docs/backup.md): admins and auditors read the list and the state
 * (AC_READ); only admins make, verify and restore-test one (AC_ADMIN). */
bool access_backup(const struct ac_subject *s, enum ac_action a);

#endif
