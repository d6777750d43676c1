/* access.c - access decisions. Kept as plain boolean rules so a reader can check them against
 * docs/access.md line by line; the endpoint matrix test checks them against the running server. */
#include "access.h"

#include "codes.h"

#define INCIDENT_ROLES (ROLE_REPORTER | ROLE_OFFICER | ROLE_LEADER | ROLE_OPERATOR | ROLE_AUDITOR)
#define HANDLER_ROLES (ROLE_OFFICER | ROLE_LEADER | ROLE_OPERATOR)
#define WRITER_ROLES (ROLE_REPORTER | HANDLER_ROLES)

static bool has(const struct ac_subject *s, unsigned roles)
{
	return (s->roles & roles) != 0;
}

/* Own organisation: everyone with an incident role reads; staff write; handlers move it on. */
static bool own_incident(const struct ac_subject *s, enum ac_action a)
{
	switch (a) {
	case AC_READ:
		return has(s, INCIDENT_ROLES);
	case AC_COMMENT:
	case AC_CREATE:
		return has(s, WRITER_ROLES);
	case AC_TRANSITION:
		/* which steps exactly is the preset's say (transition roles): a reporter may send
		 * the report on (001 Đ15.4c), only handlers may close */
		return has(s, WRITER_ROLES);
	case AC_EDIT:
		return has(s, HANDLER_ROLES);
	case AC_REQUEST:
		return s->coordinator && has(s, HANDLER_ROLES);
	case AC_ADMIN:
		return false;
	}
	return false;
}

/* The coordinator handles the incidents it receives (000 Đ7.1a): those it was named on - the
 * unit reported it (step 3), a rule escalated it, or it was asked - whatever their TLP. Before
 * that an incident is the unit's own (001 Đ15.1b, Đ15.4a-b: handled by local forces, closed with
 * the unit's own record) and its information stays the unit's (001 Đ15.1c, 000 Đ4.4): the
 * coordinator neither reads nor counts it (docs/access.md). */
static bool coordinator_incident(const struct ac_subject *s, const struct ac_incident *inc,
				 enum ac_action a)
{
	if (!inc->participant)
		return false;
	switch (a) {
	case AC_READ:
		return has(s, INCIDENT_ROLES);
	case AC_COMMENT:
	case AC_EDIT:
	case AC_TRANSITION:
	case AC_REQUEST:
		return has(s, HANDLER_ROLES);
	case AC_CREATE:
	case AC_ADMIN:
		return false;
	}
	return false;
}

bool access_incident(const struct ac_subject *s, const struct ac_incident *inc, enum ac_action a)
{
	if (s->org_id == inc->org_id)
		return own_incident(s, a);
	if (s->coordinator)
		return coordinator_incident(s, inc, a);
	if (inc->participant)
		/* asked for help: police, military, ISP, experts read and answer, nothing more */
		return a == AC_READ ? has(s, INCIDENT_ROLES) : a == AC_COMMENT && has(s, HANDLER_ROLES);
	if (inc->org_parent_id != 0 && inc->org_parent_id == s->org_id && inc->tlp < TLP_RED)
		/* the superior body is told of its units' incidents (001 Đ15.5) */
		return a == AC_READ && has(s, ROLE_LEADER | ROLE_OFFICER);
	return false;
}

void access_incident_scope(const struct ac_subject *s, struct ac_scope *out)
{
	*out = (struct ac_scope){.org_id = s->org_id};
	if (!has(s, INCIDENT_ROLES)) {
		out->none = true;
		return;
	}
	out->participations = true;
	/* the coordinator reads what it was named on (coordinator_incident): its participations */
	out->children = !s->coordinator && has(s, ROLE_LEADER | ROLE_OFFICER);
}

bool access_system(const struct ac_subject *s, const struct ac_system *sys, enum ac_action a)
{
	bool mine = s->org_id == sys->owner_org_id || s->org_id == sys->operator_org_id;

	switch (a) {
	case AC_READ:
		if (!has(s, INCIDENT_ROLES))
			return false;
		/* police scan the critical systems monthly (002 Đ7.2c) */
		return mine || s->coordinator || (sys->critical && s->org_role == ORG_POLICE);
	case AC_CREATE:
	case AC_EDIT:
		return (mine && has(s, ROLE_OFFICER | ROLE_LEADER)) ||
		       (s->coordinator && has(s, ROLE_OPERATOR | ROLE_LEADER));
	case AC_COMMENT:
	case AC_TRANSITION:
	case AC_REQUEST:
	case AC_ADMIN:
		return false;
	}
	return false;
}

bool access_scan(const struct ac_subject *s, const struct ac_system *sys, enum ac_action a)
{
	bool mine = s->org_id == sys->owner_org_id || s->org_id == sys->operator_org_id;

	switch (a) {
	case AC_READ:
		return access_system(s, sys, AC_READ);
	case AC_CREATE:
	case AC_EDIT:
		return has(s, HANDLER_ROLES) &&
		       (mine || s->coordinator || (sys->critical && s->org_role == ORG_POLICE));
	case AC_COMMENT:
	case AC_TRANSITION:
	case AC_REQUEST:
	case AC_ADMIN:
		return false;
	}
	return false;
}

void access_system_scope(const struct ac_subject *s, struct ac_scope *out)
{
	*out = (struct ac_scope){.org_id = s->org_id};
	if (!has(s, INCIDENT_ROLES)) {
		out->none = true;
		return;
	}
	out->all_below_red = s->coordinator; /* systems carry no TLP: all of them */
	out->critical = s->org_role == ORG_POLICE;
}

bool access_org(const struct ac_subject *s, int64_t org_id, enum ac_action a)
{
	switch (a) {
	case AC_READ:
		return s->roles != 0;
	case AC_EDIT:
		return has(s, ROLE_ADMIN) || (org_id == s->org_id && has(s, ROLE_LEADER | ROLE_OFFICER));
	case AC_CREATE:
	case AC_ADMIN:
		return has(s, ROLE_ADMIN);
	case AC_COMMENT:
	case AC_TRANSITION:
	case AC_REQUEST:
		return false;
	}
	return false;
}

/* Others trust an organisation by its identity: its name, its code, its role (the police read
 * critical systems) and its parent (a parent reads its members' incidents). Only the
 * coordinator's admins set it, so no organisation's staff or admin grants itself access. */
bool access_org_identity(const struct ac_subject *s)
{
	return has(s, ROLE_ADMIN) && s->coordinator;
}

/* An admin administers the accounts of its own organisation; the coordinator's admins those
 * of every organisation. org_id 0: of some organisation (whether to offer the admin pages). */
static bool admin_of(const struct ac_subject *s, int64_t org_id)
{
	return has(s, ROLE_ADMIN) && (s->coordinator || org_id == 0 || org_id == s->org_id);
}

/* A webhook carries the organisation's notifications (incident titles and references) to
 * wherever its URL points: its own leader, officer or admin manage it, the coordinator's admins
 * any organisation's; an admin of another organisation may not redirect it to itself. */
bool access_org_webhook(const struct ac_subject *s, int64_t org_id)
{
	return (org_id == s->org_id && has(s, ROLE_LEADER | ROLE_OFFICER)) ||
	       (org_id != 0 && admin_of(s, org_id));
}

/* The instance's security settings (which roles need a second factor) bind every
 * organisation, the coordinator's admins included: only the coordinator's admins change them,
 * so a member organisation's admin cannot switch the second factor off for everyone. */
bool access_settings(const struct ac_subject *s)
{
	return has(s, ROLE_ADMIN) && s->coordinator;
}

bool access_user(const struct ac_subject *s, int64_t user_id, int64_t org_id, enum ac_action a)
{
	switch (a) {
	case AC_READ:
		/* auditors read accounts to know who did what in the audit trail */
		return has(s, ROLE_ADMIN | ROLE_AUDITOR) || user_id == s->user_id ||
		       (org_id == s->org_id && has(s, ROLE_LEADER));
	case AC_EDIT:
		return admin_of(s, org_id) || user_id == s->user_id;
	case AC_CREATE:
	case AC_ADMIN:
		return admin_of(s, org_id);
	case AC_COMMENT:
	case AC_TRANSITION:
	case AC_REQUEST:
		return false;
	}
	return false;
}

bool access_duty(const struct ac_subject *s, int64_t duty_org_id, enum ac_action a)
{
	bool mine = duty_org_id == s->org_id;

	switch (a) {
	case AC_READ:
		return has(s, INCIDENT_ROLES) && (mine || s->coordinator);
	case AC_EDIT:
	case AC_COMMENT:
		return mine && has(s, HANDLER_ROLES);
	case AC_TRANSITION:
	case AC_REQUEST:
	case AC_CREATE:
	case AC_ADMIN:
		return false;
	}
	return false;
}

bool access_request_box(const struct ac_subject *s)
{
	return has(s, INCIDENT_ROLES);
}

bool access_compliance(const struct ac_subject *s)
{
	return (s->coordinator && has(s, INCIDENT_ROLES)) || has(s, ROLE_AUDITOR);
}

bool access_exchange(const struct ac_subject *s)
{
	return has(s, INCIDENT_ROLES);
}

bool access_audit(const struct ac_subject *s)
{
	return has(s, ROLE_AUDITOR | ROLE_ADMIN);
}

bool access_warning_issuer(const struct ac_subject *s)
{
	if (!has(s, HANDLER_ROLES))
		return false;
	return s->coordinator || s->org_role == ORG_COORDINATOR || s->org_role == ORG_POLICE ||
	       s->org_role == ORG_CENTRAL_AGENCY || s->org_role == ORG_NATIONAL ||
	       s->org_role == ORG_RESPONSE_TEAM;
}

/* TLP:RED warnings go only to the organisations named in their list (000 Đ4.4). */
static bool warning_visible(const struct ac_subject *s, const struct ac_warning *w)
{
	if (s->org_id == w->issuer_org_id)
		return true;
	if (w->draft)
		return false;
	if (w->targeted && (w->tlp < TLP_RED || w->named))
		return true;
	/* TLP:CLEAR and GREEN are for the whole community: every organisation of the network
	 * reads an issued one (and the STIX/TAXII feeds publish it to them) */
	if (w->published && w->tlp <= TLP_GREEN)
		return true;
	return s->coordinator && w->tlp < TLP_RED;
}

bool access_warning(const struct ac_subject *s, const struct ac_warning *w, enum ac_action a)
{
	bool issuer = s->org_id == w->issuer_org_id;

	if (!has(s, INCIDENT_ROLES) || !warning_visible(s, w))
		return false;
	switch (a) {
	case AC_READ:
		return true;
	case AC_EDIT:
		return issuer && has(s, HANDLER_ROLES);
	case AC_COMMENT:
		return w->targeted && !w->draft && has(s, HANDLER_ROLES);
	case AC_TRANSITION:
		return issuer || s->coordinator;
	case AC_CREATE: /* a new draft (also an import of STIX or MISP) */
		return access_warning_issuer(s);
	case AC_REQUEST:
	case AC_ADMIN:
		return false;
	}
	return false;
}

void access_warning_scope(const struct ac_subject *s, struct ac_scope *out)
{
	*out = (struct ac_scope){.org_id = s->org_id};
	if (!has(s, INCIDENT_ROLES)) {
		out->none = true;
		return;
	}
	out->participations = true; /* the warnings the organisation is a target of */
	out->all_below_red = s->coordinator;
}

bool access_mail_quarantine(const struct ac_subject *s)
{
	return s->coordinator && has(s, ROLE_OPERATOR | ROLE_ADMIN);
}

bool access_backup(const struct ac_subject *s, enum ac_action a)
{
	return a == AC_READ ? has(s, ROLE_AUDITOR | ROLE_ADMIN) : a == AC_ADMIN && has(s, ROLE_ADMIN);
}
