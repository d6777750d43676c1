/* mailin.c - storing an incoming e-mail, for `ungcuu mailgate` and for the coordinator accepting
 * one from the quarantine (api/mailq.c): one path, so an accepted message is stored exactly as it
 * would have been. Who may write in is decided here with core/access.c, the rule the API uses. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/access.h"
#include "core/codes.h"
#include "core/indicator.h"
#include "core/procedure.h"
#include "mailin.h"
#include "ops.h"
#include "util/str.h"
#include "util/tm.h"

#define MAIL_OBSERVABLES_MAX 200 /* observables taken from one message */
#define REPORT_TITLE_MAX 300     /* as the API's (api/incidents.c) */
#define REPORT_TEXT_MAX 20000

int ops_mailin_sender(struct store *st, const char *addr, struct ops_mailin_who *who)
{
	int rc = store_mail_sender(st, addr, &who->user_id, &who->org_id);

	who->ambiguous = rc == STORE_ECONFLICT;
	return rc == STORE_ENOTFOUND || rc == STORE_ECONFLICT ? STORE_OK : rc;
}

/* The access subject of the sender's account, as the API builds it for a session. */
static int sender_subject(struct store *st, int64_t user_id, struct ac_subject *s)
{
	struct store_user_auth u;
	int rc = store_user_auth_by_id(st, user_id, &u);

	memset(s, 0, sizeof *s);
	if (rc != STORE_OK)
		return rc;
	s->user_id = u.id;
	s->org_id = u.org_id;
	s->roles = u.roles;
	s->org_role = codes_org_role_parse(u.org_role);
	s->coordinator = u.org_coordinator;
	return STORE_OK;
}

const char *ops_mailin_refusal(struct store *st, const struct mail_auth *auth,
			       const struct ops_mailin_who *who, int64_t incident_id, int *rc)
{
	struct ac_subject s;
	struct ac_incident ai;

	*rc = STORE_OK;
	if (!auth->authenticated)
		return auth->reason != NULL ? auth->reason : "auth_failed";
	if (who->ambiguous)
		return "sender_ambiguous";
	/* an organisation's contact address is a mailbox, not a person with roles */
	if (who->user_id == 0)
		return "no_account";
	if ((*rc = sender_subject(st, who->user_id, &s)) != STORE_OK)
		return NULL;
	if (incident_id == 0) {
		/* a report: in the sender's own organisation, as POST /api/v1/incidents decides */
		ai = (struct ac_incident){.org_id = s.org_id, .tlp = TLP_CLEAR};
		return access_incident(&s, &ai, AC_CREATE) ? NULL : "not_allowed";
	}
	if ((*rc = store_incident_access(st, incident_id, s.org_id, &ai)) != STORE_OK)
		return NULL;
	return access_incident(&s, &ai, AC_COMMENT) ? NULL : "not_allowed";
}

const char *ops_mailin_reason_text(const char *code, const char *kind)
{
	static const struct {
		const char *code, *text;
	} texts[] = {
		{"auth_unconfigured", "Chưa cấu hình máy chủ thư tin cậy (authserv-id): không xác thực "
				      "được người gửi"},
		{"auth_missing", "Không có kết quả xác thực của máy chủ thư tiếp nhận: địa chỉ người "
				 "gửi có thể bị giả mạo"},
		{"auth_failed", "Xác thực người gửi không đạt (DMARC, DKIM, SPF không khớp địa chỉ "
				"người gửi)"},
		{"sender_ambiguous", "Nhiều tài khoản dùng chung địa chỉ thư này: không xác định được "
				     "người gửi"},
		{"no_account", "Địa chỉ người gửi không thuộc tài khoản nào"},
	};

	if (code != NULL && strcmp(code, "not_allowed") == 0)
		return kind != NULL && strcmp(kind, "report") == 0
			       ? "Người gửi không có quyền báo cáo sự cố"
			       : "Người gửi không có quyền ghi ý kiến vào sự cố này";
	for (size_t i = 0; code != NULL && i < sizeof texts / sizeof texts[0]; i++)
		if (strcmp(code, texts[i].code) == 0)
			return texts[i].text;
	return "Chưa được lưu";
}

int ops_mailin_keep(const char *dir, const void *data, size_t len, char sha[CRYPTO_HASH_HEX],
		    char *path, size_t pathsz, bool *placed)
{
	static _Atomic unsigned long seq; /* threads of one server write at once */
	const unsigned char *bytes = data;
	char tmp[1200], d[1100];
	int fd, dfd;
	size_t off = 0;
	bool ok;

	*placed = false;
	crypto_sha256_hex(sha, data, len);
	if (snprintf(d, sizeof d, "%s/files", dir) >= (int)sizeof d)
		return -1;
	if (mkdir(d, 0750) != 0 && errno != EEXIST)
		return -1;
	if (snprintf(path, pathsz, "%s/%s", d, sha) >= (int)pathsz ||
	    snprintf(tmp, sizeof tmp, "%s/.mailgate-%s-%ld-%lu", d, sha, (long)getpid(),
		     atomic_fetch_add(&seq, 1)) >= (int)sizeof tmp)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, bytes + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	ok = off == len && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	*placed = true;
	dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* ---- observables ---- */

struct observables {
	struct store *st;
	int64_t incident_id, now;
	json_t *list; /* what was linked, for the journal entry */
	int rc;
};

static int add_observable(void *ctx, enum ind_kind kind, const char *value)
{
	struct observables *o = ctx;

	o->rc = store_indicator_add(o->st, "incident", o->incident_id, indicator_kind_name(kind),
				    value, "mail", o->now);
	if (o->rc == STORE_OK)
		json_array_append_new(o->list, json_pack("{s:s, s:s}", "kind",
							 indicator_kind_name(kind), "value", value));
	return o->rc != STORE_OK;
}

/* Extracts the observables of the message's text (addresses, domains, URLs, hashes, e-mail
 * addresses; defanged ones too) and links them to the incident as its indicators, in the
 * caller's transaction: matching then finds related incidents and warnings. Adds the list to
 * data as "observables". STORE_* codes. */
static int link_observables(struct store *st, int64_t incident_id, const struct mail_intake *m,
			    json_t *data)
{
	struct observables o = {.st = st, .incident_id = incident_id, .now = tm_now(),
				.list = json_array(), .rc = STORE_OK};

	if (o.list == NULL)
		return STORE_EIO;
	if (m->text != NULL)
		indicator_extract(m->text, strlen(m->text), MAIL_OBSERVABLES_MAX, add_observable, &o);
	json_object_set_new(data, "observables", o.list);
	return o.rc;
}

/* The journal data every stored e-mail carries. "verified": the MTA vouched for the address
 * and it is an account's or an organisation's; "sender" says which. */
static json_t *mail_data(const struct mail_intake *m, const struct ops_mailin_who *who)
{
	bool known = who->user_id != 0 || who->org_id != 0;
	json_t *data = json_pack("{s:s?, s:s, s:s?, s:b, s:b, s:s}", "from", m->from, "subject",
				 m->subject, "message_id", m->message_id, "verified",
				 who->authenticated && known, "authenticated", who->authenticated,
				 "sender", who->user_id ? "user" : known ? "organisation" : "unknown");

	if (data != NULL && who->quarantine_id != 0) {
		json_object_set_new(data, "quarantine_id", json_integer(who->quarantine_id));
		json_object_set_new(data, "accepted_by", json_integer(who->accepted_by));
	}
	return data;
}

int ops_mailin_reply(struct store *st, int64_t incident_id, const struct mail_intake *m,
		     const struct ops_mailin_who *who, int64_t *entry, json_t **data)
{
	int rc;

	*entry = 0;
	*data = NULL;
	/* an MTA may deliver one message twice: the second copy is not stored again */
	if (m->message_id != NULL && store_mail_seen(st, incident_id, m->message_id) == STORE_OK)
		return STORE_ECONFLICT;
	if ((*data = mail_data(m, who)) == NULL)
		return STORE_EIO;
	rc = link_observables(st, incident_id, m, *data);
	if (rc == STORE_OK)
		rc = store_journal_add(st, incident_id, "email", who->user_id, who->org_id, m->text,
				       *data, entry);
	return rc;
}

/* ---- a new incident report by e-mail ("[TBSC]", TT 20/2017 Mẫu 03) ---- */

const struct preset_form *ops_mailin_report_form(const struct preset *p)
{
	for (size_t i = 0; i < p->nforms; i++)
		if (p->forms[i].subject_prefix[0] != '\0')
			return &p->forms[i];
	return NULL;
}

/* The state a report to the coordinator reaches from the initial state: the target of the
 * first transition out of it into procedure step 3 or later; the initial state when none. */
/* The step that reports an incident from its first state (001 Đ15.4c: "báo cáo ... theo mẫu số
 * 01"): a report by e-mail to the coordinator is that step. NULL when the preset has none. */
static const struct preset_transition *report_step(const struct preset *p)
{
	const struct preset_item *init = preset_initial_state(p);

	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct preset_transition *t = &p->transitions[i];

		if (strcmp(t->from, init->code) == 0 &&
		    procedure_step_reached(p, init->code, t->to) >= PROCEDURE_STEP_REPORTED)
			return t;
	}
	return NULL;
}

/* Cuts s to at most max code points. */
static void cut_chars(char *s, size_t max)
{
	size_t i = 0, cps = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && cps++ == max)
			break;
	s[i] = '\0';
}

int ops_mailin_files_keep(const char *dir, const struct mail_intake *m,
			  struct ops_mailin_files *fl)
{
	memset(fl, 0, sizeof *fl);
	for (size_t i = 0; i < m->natt; i++) {
		fl->keep[i] = m->att[i].len > 0 && codes_file_name_ok(m->att[i].name) &&
			      strlen(m->att[i].mime) <= 100;
		if (fl->keep[i] && ops_mailin_keep(dir, m->att[i].data, m->att[i].len, fl->sha[i],
						   fl->path[i], sizeof fl->path[i],
						   &fl->placed[i]) != 0) {
			ops_mailin_files_undo(m, fl);
			return -1;
		}
	}
	return 0;
}

void ops_mailin_files_undo(const struct mail_intake *m, const struct ops_mailin_files *fl)
{
	for (size_t i = 0; i < m->natt; i++)
		if (fl->placed[i])
			unlink(fl->path[i]);
}

/* The incident row of the report (see docs/mail.md for every default). */
static json_t *report_row(const struct preset *p, const struct preset_form *f,
			  const struct mail_intake *m, const struct mail_report *r, bool known,
			  int64_t now)
{
	const struct preset_item *sev = r->severity, *type = r->type;
	char title[REPORT_TITLE_MAX * 4 + 1];
	json_t *row, *form;
	const char *desc = json_string_value(json_object_get(r->form, "description"));
	char *d;

	mail_report_title(m->subject, f->subject_prefix, title, sizeof title);
	cut_chars(title, REPORT_TITLE_MAX);
	if (title[0] == '\0')
		snprintf(title, sizeof title, "Báo cáo sự cố qua thư điện tử");
	/* unclassified until triage: the lowest severity, "other attack" (or the first type) */
	for (size_t i = 0; sev == NULL && i < p->nseverities; i++)
		if (p->severities[i].rank == 1)
			sev = &p->severities[i];
	if (sev == NULL)
		sev = &p->severities[0];
	if (type == NULL)
		type = preset_type(p, "other_attack");
	if (type == NULL)
		type = &p->types[0];
	d = strdup(desc != NULL ? desc : m->text);
	if (d == NULL)
		return NULL;
	cut_chars(d, REPORT_TEXT_MAX);
	form = json_pack("{s:O}", f->code, r->form);
	row = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:o}", "title", title, "grp",
			type->parent, "type", type->code, "severity", sev->code, "tlp",
			known ? TLP_AMBER : TLP_RED, "detected_at",
			(json_int_t)(r->detected_at && r->detected_at <= now ? r->detected_at : now),
			"description", d, "form", form);
	free(d);
	return row;
}

/* The names of the fields found, as a new array. */
static json_t *keys_of(const json_t *o)
{
	json_t *a = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)o, k, v)
		json_array_append_new(a, json_string(k));
	return a;
}

/* The context of a report by e-mail: the sender's account when the address is one; else the
 * machine on behalf of the coordinator, the message recorded as by the intake account. */
static int report_ctx(struct store *st, const struct preset *p, const struct ops_mailin_who *who,
		      int64_t now, struct ops_ctx *c)
{
	struct ops_err err;
	int64_t intake = 0;
	int rc;

	if (who->org_id != 0 && who->user_id != 0) {
		*c = (struct ops_ctx){.st = st, .preset = p, .now = now, .channel = OPS_MAIL,
				      .actor = {.user_id = who->user_id, .ip = "mail"}};
		rc = sender_subject(st, who->user_id, &c->actor.subject);
		c->actor.username = "mail";
		return rc;
	}
	if (ops_ctx_machine(c, st, p, OPS_MAIL, "mail", now, &err) != OPS_OK)
		return err.store_rc;
	rc = store_intake_user(st, c->actor.subject.org_id, now, &intake);
	c->actor.user_id = intake;
	return rc;
}

int ops_mailin_report(struct store *st, const struct preset *p, const struct preset_form *f,
		      const struct mail_intake *m, const struct mail_report *r,
		      const struct ops_mailin_files *fl, const struct ops_mailin_who *who,
		      int64_t *id, char *ref, json_t **data)
{
	const struct preset_transition *step = report_step(p);
	bool known = who->org_id != 0 && who->user_id != 0, reported = false;
	int64_t entry = 0, aid, now = tm_now();
	json_t *row = NULL, *atts = json_array(), *rec = NULL;
	struct ops_report rep;
	struct ops_err err;
	struct ops_ctx c;
	int rc = STORE_OK;

	*id = 0;
	*data = NULL;
	if (ref)
		ref[0] = '\0';
	if (m->message_id != NULL && store_mail_report_seen(st, m->message_id) == STORE_OK) {
		rc = STORE_ECONFLICT; /* delivered twice: stored once */
		goto out;
	}
	rc = report_ctx(st, p, who, now, &c);
	if (rc == STORE_OK && (row = report_row(p, f, m, r, known, now)) == NULL)
		rc = STORE_EIO;
	/* one report operation, whatever the channel: an account's report, or (nobody's address)
	 * the coordinator's to triage, seen by the coordinator only (RED) */
	rep = (struct ops_report){.row = row, .journal_text = ""};
	if (rc == STORE_OK && ops_incident_report(&c, &rep, id, NULL, &err) != OPS_OK)
		rc = err.status ? STORE_EINVAL : err.store_rc;
	/* an account's e-mail to the coordinator is the report itself (step 3), when the preset
	 * lets that account take it with what the message filled in */
	if (rc == STORE_OK && known && step != NULL) {
		struct msg words;
		struct ops_step s = {.action = step->action, .words = &words};
		int orc;

		msg_bind(&words, M_journal_reported_by_email, NULL, 0);
		orc = ops_incident_transition(&c, *id, &s, NULL, &err);

		reported = orc == OPS_OK;
		if (orc == OPS_ESTORE)
			rc = err.store_rc;
	}
	if (rc == STORE_OK && !known) {
		json_t *flags = json_pack("{s:s}", "flags", "unverified");

		rc = flags ? store_incident_update(st, *id, 0, flags) : STORE_EIO;
		json_decref(flags);
		/* the coordinator's own: it is told there is a message to triage */
		if (rc == STORE_OK)
			rc = store_incident_add_org(st, *id, c.actor.subject.org_id, "coordinator");
		if (rc == STORE_OK)
			rc = store_outbox_add(st, "incident_reported", c.actor.subject.org_id, *id, 0,
					      now);
	}
	for (size_t i = 0; rc == STORE_OK && i < m->natt; i++) {
		if (!fl->keep[i])
			continue;
		rc = store_attachment_add(st, *id, fl->sha[i], m->att[i].name, m->att[i].mime,
					  (int64_t)m->att[i].len, c.actor.user_id, &aid);
		json_array_append_new(atts, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)aid, "name",
						      m->att[i].name, "sha256", fl->sha[i]));
	}
	if (rc == STORE_OK && (*data = mail_data(m, who)) == NULL)
		rc = STORE_EIO;
	if (rc == STORE_OK) {
		json_object_set_new(*data, "report", json_true());
		json_object_set_new(*data, "reported", json_boolean(reported));
		json_object_set_new(*data, "from_html", json_boolean(m->text_from_html));
		json_object_set_new(*data, "attachments", json_incref(atts));
		json_object_set_new(*data, "fields", keys_of(r->form));
		rc = link_observables(st, *id, m, *data);
	}
	if (rc == STORE_OK)
		rc = store_journal_add(st, *id, "email", who->user_id, known ? who->org_id : 0, m->text,
				       *data, &entry);
	if (rc == STORE_OK && ref && store_incident_get(st, *id, &rec) == STORE_OK &&
	    json_is_string(json_object_get(rec, "ref")))
		snprintf(ref, 32, "%s", json_string_value(json_object_get(rec, "ref")));
out:
	json_decref(row);
	json_decref(rec);
	json_decref(atts);
	return rc;
}

int ops_mailin_quarantine(const struct ops_ctx *c, const json_t *row, int64_t *id,
			  struct ops_err *err)
{
	json_t *named;
	int rc;

	*id = 0;
	rc = store_quarantine_add(c->st, row, id);
	if (rc != STORE_OK)
		return ops_store(err, rc);
	/* the audit entry names the row, not the text (that stays in the quarantine) */
	named = json_deep_copy(row);
	if (named)
		json_object_del(named, "body");
	rc = named ? ops_audit(c, "mail.quarantine", "mail_quarantine", *id, NULL, named)
		   : STORE_EIO;
	json_decref(named);
	return ops_store(err, rc);
}

int ops_mailin_decide(const struct ops_ctx *c, int64_t id, const char *status, const char *note,
		      int64_t incident_id, int64_t entry, json_t **after, struct ops_err *err)
{
	json_t *summary = NULL;
	int rc;

	*after = NULL;
	if (!ops_may(c, access_mail_quarantine(&c->actor.subject)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_mail_quarantine_forbidden);
	rc = store_quarantine_decide(c->st, id, status, c->actor.user_id, note, incident_id, entry,
				     c->now);
	if (rc == STORE_OK)
		rc = store_quarantine_get(c->st, id, after);
	/* the message stays in the quarantine: the audit entry names it, without its text */
	if (rc == STORE_OK && (summary = json_deep_copy(*after)) == NULL)
		rc = STORE_EIO;
	if (rc == STORE_OK) {
		json_object_del(summary, "body");
		rc = ops_audit(c, strcmp(status, "accepted") == 0 ? "mail.accept" : "mail.reject",
			       "mail_quarantine", id, NULL, summary);
	}
	json_decref(summary);
	if (rc != STORE_OK) {
		json_decref(*after);
		*after = NULL;
	}
	return ops_store(err, rc);
}
