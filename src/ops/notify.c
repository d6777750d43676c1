/* notify.c - delivering notifications (docs/mail.md): the duty reminders and the leaders'
 * weekly digest the job thread queues on time, the per-user copies of an organisation's
 * notification, and the claim / outcome bookkeeping of the outbox and of webhooks. jobs/
 * decides when, sends and renders; what is written is decided here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access.h"
#include "core/codes.h"
#include "core/duty.h"
#include "core/escalation.h"
#include "core/notify.h"
#include "mail/mail.h"
#include "notify.h"
#include "util/crypto.h"
#include "util/str.h"

#define DIGEST_DUTY_AHEAD (14 * 86400) /* duties due in the next 14 days */
#define DIGEST_MAX_PAYLOAD 2000        /* an outbox payload holds 2048 bytes */

/* Deliveries are the machine's: no account queues, claims or marks them. */
static int machine_only(const struct ops_ctx *c, struct ops_err *err)
{
	if (!ops_may(c, false))
		return ops_refuse(err, 403, "Forbidden", NULL, M_job_thread_only);
	return OPS_OK;
}

int ops_notify_remind(const struct ops_ctx *c, const struct store_reminder_cand *d, bool *queued,
		      struct ops_err *err)
{
	char kind[24];
	int days, rc = machine_only(c, err);

	*queued = false;
	if (rc != OPS_OK)
		return rc;
	if (!duty_reminder_due(&c->preset->reminders, d->due_at, c->now, kind, sizeof kind, &days))
		return OPS_OK;
	return ops_store(err, store_duty_remind(c->st, d, kind, days, c->now, queued));
}

/* The clocks of the preset as overdue conditions (escalation_query of a CLOCK rule). */
static size_t clock_queries(const struct preset *p, int64_t now, struct esc_query *q,
			    struct preset_escalation *rules, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nclocks && n < max; i++) {
		memset(&rules[n], 0, sizeof rules[n]);
		rules[n].trigger = PRESET_TRIGGER_CLOCK;
		memcpy(rules[n].clock, p->clocks[i].code, sizeof rules[n].clock);
		if (escalation_query(p, &rules[n], now, &q[n]) == 0)
			n++;
	}
	return n;
}

int ops_notify_digest(const struct ops_ctx *c, const struct store_digest_user *u,
		      const char *week, int64_t monday, bool *queued, struct ops_err *err)
{
	enum { MAXC = 16 };
	struct esc_query clocks[MAXC];
	struct preset_escalation rules[MAXC];
	/* the leader reads as a leader of their organisation, whatever else they are */
	struct ac_subject subj = {.user_id = u->user_id, .org_id = u->org_id,
				  .org_role = u->org_role, .roles = ROLE_LEADER,
				  .coordinator = u->org_id == c->actor.subject.org_id};
	struct ac_scope scope;
	struct store_digest_query q = {.scope = &scope, .week_start = monday, .now = c->now,
				       .duty_ahead = DIGEST_DUTY_AHEAD, .clocks = clocks};
	json_t *figures = NULL;
	char *text = NULL;
	int rc = machine_only(c, err);

	*queued = false;
	if (rc != OPS_OK)
		return rc;
	access_incident_scope(&subj, &scope);
	/* the coordinator's leaders read the whole province, others their organisation */
	q.org_id = subj.coordinator ? 0 : u->org_id;
	q.nclocks = clock_queries(c->preset, c->now, clocks, rules, MAXC);
	rc = store_digest_counts(c->st, &q, &figures);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	json_object_set_new(figures, "week", json_string(week));
	json_object_set_new(figures, "province", json_boolean(subj.coordinator));
	text = json_dumps(figures, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL || strlen(text) >= DIGEST_MAX_PAYLOAD)
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = store_digest_queue(c->st, u->user_id, u->org_id, week, text, c->now, queued);
	free(text);
	json_decref(figures);
	return ops_store(err, rc);
}

/* What an organisation's notification is about, as access decides on it for the organisation
 * told. */
struct about {
	enum { ABOUT_NOTHING, ABOUT_ORG, ABOUT_INCIDENT, ABOUT_WARNING, ABOUT_DUTY } kind;
	struct ac_incident inc;
	struct ac_warning w;
};

/* Reads what f is about. An incident or warning gone since reads as ABOUT_NOTHING. */
static int about_of(const struct ops_ctx *c, const struct store_fanout *f, struct about *a)
{
	json_t *pl = NULL;
	int64_t wid;
	int rc = STORE_OK;

	memset(a, 0, sizeof *a);
	if (f->incident_id > 0) {
		a->kind = ABOUT_INCIDENT;
		rc = store_incident_access(c->st, f->incident_id, f->org_id, &a->inc);
	} else {
		pl = json_loads(f->payload, 0, NULL);
		wid = json_integer_value(json_object_get(pl, "warning_id"));
		a->kind = wid > 0 ? ABOUT_WARNING
			  : json_integer_value(json_object_get(pl, "duty_id")) > 0 ? ABOUT_DUTY
										: ABOUT_ORG;
		if (wid > 0)
			rc = store_warning_access(c->st, wid, f->org_id, &a->w);
		json_decref(pl);
	}
	if (rc == STORE_ENOTFOUND) {
		a->kind = ABOUT_NOTHING;
		rc = STORE_OK;
	}
	return rc;
}

/* Whether person s of f's organisation may read what f is about: a copy of their own carries
 * what the organisation was told (a title, a reference, a due date), so it goes only to those
 * the API would show it to. */
static bool may_read(const struct about *a, const struct ac_subject *s,
		     const struct store_fanout *f)
{
	switch (a->kind) {
	case ABOUT_INCIDENT:
		return access_incident(s, &a->inc, AC_READ);
	case ABOUT_WARNING:
		return access_warning(s, &a->w, AC_READ);
	case ABOUT_DUTY: /* a reminder goes to the duty's own organisation */
		return access_duty(s, f->org_id, AC_READ);
	case ABOUT_ORG:
		return true;
	case ABOUT_NOTHING:
		break;
	}
	return false;
}

/* Whether user u of the organisation of f wants f's event by e-mail of their own now. */
static bool wants_now(const struct ops_ctx *c, const struct store_fanout *f,
		      const struct store_fanout_user *u)
{
	bool coord = f->org_id == c->actor.subject.org_id;
	enum notify_mode m;

	/* the preset's minimum wins over what was stored (the preset may have changed) */
	if (notify_required(c->preset, f->event, f->org_role, coord, u->roles) != NULL)
		m = NOTIFY_IMMEDIATE;
	else if (u->mode[0] == '\0' || notify_mode_parse(u->mode, &m) != 0)
		m = notify_default(c->preset, f->event, f->org_role, coord, u->roles);
	return m == NOTIFY_IMMEDIATE && mail_addr_ok(u->email);
}

int ops_notify_fanout(const struct ops_ctx *c, const struct store_fanout *f, int64_t *fanned,
		      struct ops_err *err)
{
	const char *chosen[STORE_FANOUT_MAX];
	size_t nchosen = 0;
	struct about a;
	int rc = machine_only(c, err);

	if (rc != OPS_OK)
		return rc;
	rc = about_of(c, f, &a);
	for (size_t i = 0; i < f->n && rc == STORE_OK; i++) {
		const struct store_fanout_user *u = &f->users[i];
		const struct ac_subject s = {.user_id = u->user_id, .org_id = f->org_id,
					     .org_role = f->org_role, .roles = u->roles,
					     .coordinator = f->org_id == c->actor.subject.org_id};
		bool dup = false, added = false;

		if (!wants_now(c, f, u) || !may_read(&a, &s, f))
			continue;
		/* two accounts with one address get one message */
		for (size_t k = 0; k < nchosen && !dup; k++)
			dup = strcmp(chosen[k], u->email) == 0;
		if (dup)
			continue;
		chosen[nchosen++] = u->email;
		rc = store_fanout_add(c->st, f->id, u->user_id, c->now, &added);
		if (added)
			(*fanned)++;
	}
	if (rc == STORE_OK)
		rc = store_fanout_done(c->st, f->id);
	return ops_store(err, rc);
}

int ops_notify_claim(const struct ops_ctx *c, const struct store_outbox_row *row,
		     int64_t lease_until, struct ops_err *err)
{
	int rc = machine_only(c, err);

	if (rc != OPS_OK)
		return rc;
	return ops_store(err, store_outbox_claim(c->st, row->id, row->next_at, lease_until));
}

int ops_notify_instance(const struct ops_ctx *c, char *tag, size_t tagsz, struct ops_err *err)
{
	unsigned char rnd[8];
	int rc = machine_only(c, err);

	if (rc != OPS_OK)
		return rc;
	rc = store_meta_get(c->st, "mail_instance", tag, tagsz);
	if (rc != STORE_ENOTFOUND)
		return ops_store(err, rc);
	if (tagsz < 2 * sizeof rnd + 1)
		return ops_store(err, STORE_EINVAL);
	crypto_random(rnd, sizeof rnd);
	str_hex(tag, rnd, sizeof rnd);
	return ops_store(err, store_meta_set(c->st, "mail_instance", tag));
}

int ops_notify_mark(const struct ops_ctx *c, int64_t id, int64_t sent_at, int64_t next_at,
		    const char *error, struct ops_err *err)
{
	int rc = machine_only(c, err);

	if (rc != OPS_OK)
		return rc;
	return ops_store(err, store_outbox_mark(c->st, id, sent_at, next_at, error));
}

bool ops_notify_addressee_ok(const struct store_outbox_row *row, const json_t *user)
{
	if (row->user_id <= 0)
		return true;
	return json_is_true(json_object_get(user, "active")) &&
	       json_integer_value(json_object_get(user, "org_id")) == row->org_id;
}

int ops_notify_hook_claim(const struct ops_ctx *c, int max_attempts, int64_t lease,
			  struct store_hook_row *out, struct ops_err *err)
{
	int rc = machine_only(c, err);

	if (rc != OPS_OK)
		return rc;
	return ops_store(err, store_hook_claim(c->st, c->now, max_attempts, lease, out));
}

int ops_notify_hook_mark(const struct ops_ctx *c, const struct store_hook_row *h, int status,
			 const char *error, int64_t sent_at, int64_t next_at,
			 struct ops_err *err)
{
	int rc = machine_only(c, err);

	if (rc != OPS_OK)
		return rc;
	return ops_store(err, store_hook_mark(c->st, h, status, error, sent_at, next_at, c->now));
}

int ops_notify_settle(const struct ops_ctx *c, int64_t id, struct ops_err *err)
{
	if (c->channel != OPS_DEMO || !c->actor.machine)
		return ops_refuse(err, 403, "Forbidden", NULL, M_demo_only);
	return ops_store(err, store_outbox_settle(c->st, id, c->now));
}
