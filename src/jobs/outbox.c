/* outbox.c - delivers the notification outbox by e-mail (docs/mail.md).
 *
 * One row at a time: in a transaction the row is CLAIMED (attempts + 1, next_at = now + the
 * backoff of this attempt) and committed; then the message is sent; then, in a second
 * transaction, sent_at is set (or the error recorded, the row keeping the backoff time as its
 * next try). So:
 *   - two senders (the server's job thread and `ungcuu sweep`) never send one row together:
 *     the claim only succeeds if next_at is still what the sender read;
 *   - a kill -9 before the claim commits loses nothing (the row is still due);
 *   - a kill -9 after the claim but before sent_at is written leaves the row claimed: it is
 *     tried again after its backoff, so the message may go out a second time (at most once per
 *     such crash). Its Message-ID is derived from the row id and the instance, so the receiving
 *     MTA or reader can drop the duplicate.
 * Retries back off exponentially (base * 2^(attempt-1), capped at 6 h) up to OUTBOX_MAX_ATTEMPTS;
 * a permanent refusal (5xx, no address) is not retried. The claim and the outcome are written
 * by ops/notify.c (ops_notify_claim, _mark, _hook_claim, _hook_mark); here is the sending. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/cite.h"
#include "jobs.h"
#include "mail/mail.h"
#include "ops/notify.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/msg.h"
#include "util/str.h"
#include "util/tm.h"

#define OUTBOX_MAX_ATTEMPTS 10
#define OUTBOX_BATCH 100
#define OUTBOX_BACKOFF_CAP (6 * 3600)
#define OUTBOX_NEVER ((int64_t)253402300799) /* 9999-12-31: given up */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct mail_config cfg;
static struct mail_config given; /* jobs_outbox_config: `serve --smtp-*` over the environment */
static bool have_given;
static struct mail_templates *tpls;
static int64_t backoff_base = 60;
static bool ready;

/* Reads the configuration and loads the templates, once per process. */
static void outbox_init(void)
{
	const char *b = getenv("UNGCUU_OUTBOX_BACKOFF");

	if (b != NULL && b[0] != '\0' && str_to_i64(b, 1, 86400, &backoff_base) != 0)
		log_warn("outbox: UNGCUU_OUTBOX_BACKOFF must be 1..86400 seconds; using 60");
	if (have_given) {
		cfg = given;
	} else if (mail_config_env(&cfg) != MAIL_OK) {
		log_err("outbox: invalid UNGCUU_SMTP_* configuration; e-mail disabled");
		return;
	}
	if (cfg.url[0] == '\0') {
		log_info("outbox: UNGCUU_SMTP_URL not set; notifications stay queued");
		return;
	}
	if (mail_templates_load(cfg.templates, cfg.lang, &tpls) != MAIL_OK) {
		log_err("outbox: cannot load mail templates; e-mail disabled");
		return;
	}
	ready = true;
	log_info("outbox: e-mail via %s from %s, templates %s (%s)", cfg.url, cfg.from,
		 cfg.templates, cfg.lang);
}

/* The delay before attempt number `attempt` + 1. */
static int64_t backoff(int64_t attempt)
{
	int64_t d = backoff_base;

	for (int64_t i = 1; i < attempt && d < OUTBOX_BACKOFF_CAP; i++)
		d *= 2;
	return d < OUTBOX_BACKOFF_CAP ? d : OUTBOX_BACKOFF_CAP;
}

/* Claims the next due row (ops_notify_claim) and reads the instance's tag of Message-IDs.
 * STORE_ENOTFOUND when none is due. */
static int claim(const struct ops_ctx *oc, struct store_outbox_row *row, char *tag,
		 size_t tagsz)
{
	struct ops_err err;
	int rc = store_begin(oc->st);

	if (rc != STORE_OK)
		return rc;
	rc = store_outbox_next(oc->st, oc->now, OUTBOX_MAX_ATTEMPTS, row);
	if (rc == STORE_OK)
		rc = jobs_rc(ops_notify_claim(oc, row, oc->now + backoff(row->attempts + 1), &err),
			     &err);
	if (rc == STORE_OK)
		rc = jobs_rc(ops_notify_instance(oc, tag, tagsz, &err), &err);
	if (rc == STORE_OK)
		rc = store_commit(oc->st);
	if (rc != STORE_OK)
		store_rollback(oc->st);
	return rc;
}

static int mark(const struct ops_ctx *oc, int64_t id, int64_t sent_at, int64_t next_at,
		const char *error)
{
	struct ops_err err;
	int rc = store_begin(oc->st);

	if (rc == STORE_OK)
		rc = jobs_rc(ops_notify_mark(oc, id, sent_at, next_at, error, &err), &err);
	if (rc == STORE_OK)
		rc = store_commit(oc->st);
	if (rc != STORE_OK) {
		store_rollback(oc->st);
		log_err("outbox: cannot record the outcome of row %lld (%d)", (long long)id, rc);
	}
	return rc;
}

/* The preset's name of a code, in the template language. */
static void name_of(json_t *obj, const char *key, const char *as,
		    const struct preset_item *(*find)(const struct preset *, const char *),
		    const struct preset *p)
{
	const char *code = json_string_value(json_object_get(obj, key));
	const struct preset_item *it = p && code ? find(p, code) : NULL;

	if (it != NULL)
		json_object_set_new(obj, as, json_string(strcmp(cfg.lang, "vi") == 0 && it->name_vi[0]
								 ? it->name_vi
								 : it->name_en));
}

/* An ISO time of obj[key] also as Vietnam-local "08:30 21/11/2026" under obj[as]. */
static void local_time(json_t *obj, const char *key, const char *as)
{
	const char *iso = json_string_value(json_object_get(obj, key));
	char out[64];
	int64_t t;

	if (iso != NULL && tm_parse_iso(iso, &t) == 0 &&
	    tm_format_vn_datetime(t, out, sizeof out) == 0)
		json_object_set_new(obj, as, json_string(out));
}

/* What an e-mail says in place of a text that stays in the system (TLP tlp, NULL: unknown),
 * into out (cap bytes): Vietnamese first, then English on its own line. */
static void tlp_note(const char *tlp, char *out, size_t cap)
{
	char vi[160], en[160];
	struct msg m;

	msg_set(&m, M_mail_tlp_withheld, MS("tlp", tlp ? tlp : "?"));
	(void)msg_render(&m, MSG_VI, vi, sizeof vi);
	(void)msg_render(&m, MSG_EN, en, sizeof en);
	snprintf(out, cap, "%s\n%s", vi, en);
}

/* A warning as the templates see it: severity name, local times, indicators and references as
 * text; above TLP:GREEN the description and indicators stay in the system (000 Đ4.4). */
static void humanise_warning(json_t *w, const struct preset *p)
{
	const char *tlp = json_string_value(json_object_get(w, "tlp"));
	json_t *v;
	struct buf b;
	size_t i;

	if (!json_is_object(w))
		return;
	name_of(w, "severity", "severity_name", preset_severity, p);
	local_time(w, "due_at", "due_local");
	local_time(w, "issued_at", "issued_local");
	if (json_is_null(json_object_get(w, "due_at")) || json_object_get(w, "due_at") == NULL)
		json_object_set_new(w, "due_local", json_string("-"));
	buf_init(&b, 8192);
	json_array_foreach(json_object_get(w, "refs"), i, v)
		buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(json_object_get(v, "value")));
	json_object_set_new(w, "refs_text", json_string(b.p ? b.p : ""));
	buf_reset(&b);
	json_array_foreach(json_object_get(w, "indicators"), i, v)
		buf_printf(&b, "%s%s %s", i ? "; " : "", json_string_value(json_object_get(v, "kind")),
			   json_string_value(json_object_get(v, "value")));
	json_object_set_new(w, "indicators_text", json_string(b.p ? b.p : ""));
	buf_free(&b);
	if (tlp == NULL || (strcmp(tlp, "clear") != 0 && strcmp(tlp, "green") != 0)) {
		char note[320];

		tlp_note(tlp, note, sizeof note);
		json_object_set_new(w, "description", json_string(note));
		json_object_set_new(w, "indicators_text", json_string(note));
		json_object_del(w, "indicators");
	}
}

/* Names and local times the templates want next to the raw codes. */
static void humanise(json_t *ctx, const struct preset *p)
{
	json_t *inc = json_object_get(ctx, "incident"), *req = json_object_get(ctx, "request");

	if (json_is_object(inc)) {
		const char *tlp = json_string_value(json_object_get(inc, "tlp"));

		/* e-mail leaves the system: only TLP:CLEAR/GREEN descriptions go in the message
		 * (000 Đ4.4, confidentiality as the participant requires) */
		if (tlp == NULL || (strcmp(tlp, "clear") != 0 && strcmp(tlp, "white") != 0 &&
				    strcmp(tlp, "green") != 0)) {
			char note[320];

			tlp_note(tlp, note, sizeof note);
			json_object_set_new(inc, "description", json_string(note));
			json_object_del(inc, "impact");
			json_object_del(inc, "actions_taken");
			json_object_del(inc, "form");
		}
		name_of(inc, "severity", "severity_name", preset_severity, p);
		name_of(inc, "status", "status_name", preset_state, p);
		name_of(inc, "type", "type_name", preset_type, p);
		name_of(inc, "grp", "group_name", preset_group, p);
		local_time(inc, "detected_at", "detected_local");
		local_time(inc, "reported_at", "reported_local");
	}
	if (json_is_object(req))
		local_time(req, "due_at", "due_local");
	humanise_warning(json_object_get(ctx, "warning"), p);
}

static bool lang_vi(void)
{
	return strcmp(cfg.lang, "vi") == 0;
}

/* Renders message id with its parameters in the mail's language into out (cap bytes).
 * Returns out. */
static const char *mail_text_args(char *out, size_t cap, enum msg_id id, const struct msg_arg *a,
				  size_t n)
{
	struct msg m;

	msg_bind(&m, id, a, n);
	(void)msg_render(&m, lang_vi() ? MSG_VI : MSG_EN, out, cap);
	return out;
}
#define mail_text(out, cap, id, ...) mail_text_args((out), (cap), (id), MSG_ARGS(__VA_ARGS__))

/* A duty reminder: the preset's name and source of the duty, its due date dd/mm/yyyy, what the
 * reminder says (reminder.when) and a link to the duties page. */
static void duty_context(json_t *ctx, const struct preset *p, int64_t duty_id)
{
	json_t *duty = json_object_get(ctx, "duty"), *pl = json_object_get(ctx, "payload");
	const char *code = json_string_value(json_object_get(duty, "duty"));
	const char *kind = json_string_value(json_object_get(pl, "kind"));
	const struct preset_duty *d = p && code ? preset_duty(p, code) : NULL;
	const char *iso = json_string_value(json_object_get(duty, "due_at"));
	long long days = (long long)json_integer_value(json_object_get(pl, "days"));
	char buf[600];
	int64_t t;

	if (d != NULL) {
		json_object_set_new(duty, "name", json_string(lang_vi() || !d->name_en[0] ? d->name_vi
											 : d->name_en));
		char cited[CITE_MAX];

		json_object_set_new(duty, "source", json_string(d->source));
		/* the source as people write it, in the mail's language (core/cite.c) */
		(void)cite_str(p, d->source, lang_vi() ? CITE_VI : CITE_EN, cited, sizeof cited);
		json_object_set_new(duty, "citation", json_string(cited));
		json_object_set_new(duty, "desc", json_string(lang_vi() || !d->desc_en[0] ? d->desc_vi
											 : d->desc_en));
	} else if (code != NULL) {
		json_object_set_new(duty, "name", json_string(code));
	}
	if (iso != NULL && tm_parse_iso(iso, &t) == 0 && tm_format_vn_date(t, buf, sizeof buf) == 0)
		json_object_set_new(duty, "due_date", json_string(buf));
	if (!json_is_string(json_object_get(duty, "system_name")))
		json_object_set_new(duty, "system_name",
				    json_string(mail_text(buf, sizeof buf, M_mail_duty_whole_org)));
	if (kind == NULL)
		kind = "";
	if (strcmp(kind, "overdue") == 0)
		mail_text(buf, sizeof buf, M_mail_duty_overdue);
	else if (strcmp(kind, "due") == 0)
		mail_text(buf, sizeof buf, M_mail_duty_due_today);
	else
		mail_text(buf, sizeof buf, M_mail_duty_due_in, MN("days", days));
	json_object_set_new(ctx, "reminder", json_pack("{s:s, s:s, s:I}", "kind", kind, "when", buf,
						      "days", (json_int_t)days));
	if (cfg.public_url[0] != '\0')
		snprintf(buf, sizeof buf, "%s/duties?id=%lld", cfg.public_url, (long long)duty_id);
	else
		mail_text(buf, sizeof buf, M_mail_duties_page);
	json_object_set_new(ctx, "link", json_string(buf));
}

/* The weekly digest: the figures are in the payload (counted when it was queued); this adds
 * the severities by their preset names as one line, and who the figures are of. */
static void digest_context(json_t *ctx, const struct preset *p)
{
	json_t *pl = json_object_get(ctx, "payload"), *sev = json_object_get(pl, "by_severity");
	char line[1024] = "", scope[128];
	size_t len = 0;

	for (size_t i = 0; i < json_array_size(sev); i++) {
		const json_t *e = json_array_get(sev, i);
		const char *code = json_string_value(json_object_get(e, "code"));
		const struct preset_item *it = p && code ? preset_severity(p, code) : NULL;
		const char *name = it ? (lang_vi() || !it->name_en[0] ? it->name_vi : it->name_en)
				      : (code ? code : "?");
		int k = snprintf(line + len, sizeof line - len, "%s%s: %lld", i ? "; " : "", name,
				 (long long)json_integer_value(json_object_get(e, "count")));

		if (k < 0 || (size_t)k >= sizeof line - len)
			break;
		len += (size_t)k;
	}
	if (len == 0)
		mail_text(line, sizeof line, M_mail_digest_none);
	mail_text(scope, sizeof scope,
		  json_is_true(json_object_get(pl, "province")) ? M_mail_digest_province
								 : M_mail_digest_org);
	json_object_set_new(
		ctx, "digest",
		json_pack("{s:s, s:s}", "by_severity", line, "scope", scope));
	if (cfg.public_url[0] != '\0') {
		snprintf(line, sizeof line, "%s/", cfg.public_url);
		json_object_set_new(ctx, "link", json_string(line));
	} else {
		json_object_set_new(ctx, "link",
				    json_string(mail_text(line, sizeof line, M_mail_dashboard_page)));
	}
}

/* What the templates can name: incident, org (the addressee), request, payload, now. */
static int context(struct store *st, const struct preset *p, const struct store_outbox_row *row,
		   json_t **out)
{
	json_t *ctx = json_object(), *v = NULL, *payload;
	char when[64] = "";
	int64_t rid, did;
	int rc = STORE_OK;

	*out = NULL;
	if (ctx == NULL)
		return STORE_EIO;
	payload = json_loads(row->payload, 0, NULL);
	if (!json_is_object(payload)) {
		json_decref(payload);
		payload = json_object();
	}
	rid = json_integer_value(json_object_get(payload, "request_id"));
	json_object_set_new(ctx, "payload", payload);
	/* an escalation stores what fired (util/msg_json.h): {{payload.text}} words it in the
	 * mail's language, its source cited with the preset in force */
	if (json_object_get(payload, "msg") != NULL) {
		char words[2048];

		if (ops_words(p, payload, lang_vi() ? MSG_VI : MSG_EN, words, sizeof words) == 0)
			json_object_set_new(payload, "text", json_string(words));
	}
	rc = store_org_get(st, row->org_id, &v);
	if (rc != STORE_OK)
		goto out;
	json_object_set_new(ctx, "org", v);
	if (row->incident_id > 0) {
		if ((rc = store_incident_get(st, row->incident_id, &v)) != STORE_OK)
			goto out;
		json_object_set_new(ctx, "incident", v);
	}
	if (rid > 0) {
		if ((rc = store_request_get(st, rid, &v)) != STORE_OK)
			goto out;
		json_object_set_new(ctx, "request", v);
	}
	/* warning and warning_overdue (docs/warnings.md): the warning.* placeholders */
	if (json_integer_value(json_object_get(payload, "warning_id")) > 0) {
		if ((rc = store_warning_get(st, json_integer_value(json_object_get(payload,
										   "warning_id")),
					    &v)) != STORE_OK)
			goto out;
		json_object_set_new(ctx, "warning", v);
	}
	if (row->user_id > 0) {
		if ((rc = store_user_get(st, row->user_id, &v)) != STORE_OK)
			goto out;
		json_object_set_new(ctx, "user", v);
	}
	did = json_integer_value(json_object_get(payload, "duty_id"));
	if (did > 0) {
		if ((rc = store_duty_get(st, did, &v)) != STORE_OK)
			goto out;
		json_object_set_new(ctx, "duty", v);
		duty_context(ctx, p, did);
	}
	if (strcmp(row->event, "digest") == 0)
		digest_context(ctx, p);
	tm_format_vn_datetime(row->created_at, when, sizeof when);
	json_object_set_new(ctx, "event_time", json_string(when));
	humanise(ctx, p);
	*out = ctx;
	ctx = NULL;
out:
	json_decref(ctx);
	return rc;
}

/* Renders, builds and sends one claimed row (the message dated now); records the outcome. */
static int deliver(const struct ops_ctx *oc, const struct store_outbox_row *row, const char *tag,
		   int64_t now, struct jobs_counts *c, bool *halt)
{
	struct buf subject, text, html, msg;
	char err[512] = "", mid[400], domain[256] = "localhost";
	const char *to, *at = strchr(cfg.from, '@');
	json_t *ctx = NULL;
	int64_t next = 0;
	int rc, mrc;

	buf_init(&subject, 4096);
	buf_init(&text, MAIL_MAX / 2);
	buf_init(&html, MAIL_MAX / 2);
	buf_init(&msg, MAIL_MAX);
	if (at != NULL)
		str_copy(domain, sizeof domain, at + 1);
	rc = context(oc->st, oc->preset, row, &ctx);
	if (rc != STORE_OK) {
		snprintf(err, sizeof err, "cannot read the records of the notification (%d)", rc);
		next = rc == STORE_EBUSY || rc == STORE_EIO ? 0 : OUTBOX_NEVER;
		goto done;
	}
	if (!ops_notify_addressee_ok(row, json_object_get(ctx, "user"))) {
		snprintf(err, sizeof err, "user %lld is no longer active in organisation %lld",
			 (long long)row->user_id, (long long)row->org_id);
		next = OUTBOX_NEVER;
		goto done;
	}
	/* a row of one person (the digest) goes to their own address, else the contact point */
	to = json_string_value(json_object_get(json_object_get(ctx, row->user_id > 0 ? "user" : "org"),
					       "email"));
	if (to == NULL || !mail_addr_ok(to)) {
		if (row->user_id > 0)
			snprintf(err, sizeof err, "user %lld has no valid e-mail",
				 (long long)row->user_id);
		else
			snprintf(err, sizeof err, "organisation %lld has no valid contact e-mail",
				 (long long)row->org_id);
		next = OUTBOX_NEVER;
		goto done;
	}
	if (mail_render(tpls, row->event, ctx, &subject, &text, &html) != MAIL_OK ||
	    subject.p == NULL || text.p == NULL) {
		snprintf(err, sizeof err, "no template for event '%s' or message too big", row->event);
		next = OUTBOX_NEVER;
		goto done;
	}
	snprintf(mid, sizeof mid, "ungcuu-outbox-%lld.%s@%s", (long long)row->id, tag, domain);
	mrc = mail_build(&(struct mail_msg){.from = cfg.from, .to = to, .subject = subject.p,
					    .text = text.p, .html = html.len ? html.p : NULL,
					    .message_id = mid, .date = now},
			 &msg);
	if (mrc != MAIL_OK) {
		snprintf(err, sizeof err, "cannot build the message (%d)", mrc);
		next = OUTBOX_NEVER;
		goto done;
	}
	mrc = mail_smtp_send(&cfg, cfg.from, to, msg.p, msg.len, err, sizeof err);
	/* the server is unreachable or failing: do not wait on it for every row of this round */
	*halt = mrc == MAIL_ESEND;
	if (mrc == MAIL_EREJECT || mrc == MAIL_EINVAL)
		next = OUTBOX_NEVER;
	if (mrc == MAIL_OK) {
		rc = mark(oc, row->id, tm_now(), 0, "");
		if (rc == STORE_OK) {
			c->mails_sent++;
			log_info("outbox: row %lld (%s) sent to %s", (long long)row->id, row->event, to);
		}
		goto out;
	}
done:
	c->mails_failed++;
	log_warn("outbox: row %lld (%s) attempt %lld failed: %s", (long long)row->id, row->event,
		 (long long)row->attempts + 1, err);
	rc = mark(oc, row->id, 0, next, err);
out:
	json_decref(ctx);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	buf_free(&msg);
	return rc;
}

/* ---- webhooks: the same claim / send / mark protocol on the hook_* columns ---- */

/* The JSON body of a webhook: the event, the incident and request as the organisation sees
 * them in the notification, never more. */
static char *hook_body(const struct store_outbox_row *row, const json_t *ctx)
{
	const json_t *inc = json_object_get(ctx, "incident"), *req = json_object_get(ctx, "request");
	json_t *o = json_pack("{s:I, s:s, s:I, s:O}", "id", (json_int_t)row->id, "event",
			      row->event, "created_at", (json_int_t)row->created_at, "payload",
			      json_object_get(ctx, "payload"));
	static const char *const inc_keys[] = {"id", "ref", "title", "status", "severity",
					       "org_name", "detected_at", "reported_at"};
	static const char *const req_keys[] = {"id", "kind", "status", "from_name", "to_name",
					       "body", "answer", "due_at"};
	static const char *const warn_keys[] = {"id", "ref", "title", "severity", "tlp", "status",
						"issuer_name", "due_at", "issued_at"};
	const json_t *warn = json_object_get(ctx, "warning");
	char *text;

	if (o == NULL)
		return NULL;
	if (json_is_object(inc)) {
		json_t *x = json_object();

		for (size_t i = 0; x && i < sizeof inc_keys / sizeof inc_keys[0]; i++)
			if (json_object_get(inc, inc_keys[i]))
				json_object_set(x, inc_keys[i], json_object_get(inc, inc_keys[i]));
		json_object_set_new(o, "incident", x ? x : json_null());
	}
	if (json_is_object(req)) {
		json_t *x = json_object();

		for (size_t i = 0; x && i < sizeof req_keys / sizeof req_keys[0]; i++)
			if (json_object_get(req, req_keys[i]))
				json_object_set(x, req_keys[i], json_object_get(req, req_keys[i]));
		json_object_set_new(o, "request", x ? x : json_null());
	}
	if (json_is_object(warn)) { /* docs/warnings.md: the summary, never the indicators */
		json_t *x = json_object();

		for (size_t i = 0; x && i < sizeof warn_keys / sizeof warn_keys[0]; i++)
			if (json_object_get(warn, warn_keys[i]))
				json_object_set(x, warn_keys[i], json_object_get(warn, warn_keys[i]));
		json_object_set_new(o, "warning", x ? x : json_null());
	}
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

/* Claims, posts and records one due webhook delivery. STORE_ENOTFOUND when none is due. */
static int hook_one(const struct ops_ctx *oc, struct jobs_counts *c)
{
	struct store_hook_row h;
	struct ops_ctx at = *oc;
	struct ops_err oerr;
	json_t *ctx = NULL;
	char *body = NULL, err[512] = "";
	int64_t next = 0, sent = 0;
	long status = 0;
	int rc = store_begin(oc->st), hrc;

	if (rc != STORE_OK)
		return rc;
	rc = jobs_rc(ops_notify_hook_claim(oc, OUTBOX_MAX_ATTEMPTS, backoff_base, &h, &oerr), &oerr);
	if (rc == STORE_OK)
		rc = store_commit(oc->st);
	if (rc != STORE_OK) {
		store_rollback(oc->st);
		return rc;
	}
	rc = context(oc->st, oc->preset, &h.row, &ctx);
	if (rc == STORE_OK && (body = hook_body(&h.row, ctx)) == NULL)
		rc = STORE_EIO;
	if (rc != STORE_OK) {
		snprintf(err, sizeof err, "cannot build the webhook body (%d)", rc);
		hrc = MAIL_EREJECT;
	} else {
		hrc = mail_webhook_post(h.url, h.secret, h.row.event, h.row.id, body, 30, &status,
					err, sizeof err);
	}
	if (hrc == MAIL_OK)
		sent = tm_now();
	else if (hrc == MAIL_EREJECT)
		next = OUTBOX_NEVER;
	if (hrc == MAIL_OK)
		c->hooks_sent++;
	else
		log_warn("outbox: webhook of row %lld to %s failed: %s", (long long)h.row.id, h.url,
			 err);
	at.now = tm_now(); /* the attempt is logged when it ended, after the post */
	rc = store_begin(at.st);
	if (rc == STORE_OK)
		rc = jobs_rc(ops_notify_hook_mark(&at, &h, (int)status, err, sent, next, &oerr),
			     &oerr);
	if (rc == STORE_OK)
		rc = store_commit(at.st);
	if (rc != STORE_OK)
		store_rollback(at.st);
	free(body);
	json_decref(ctx);
	return rc;
}

/* Sends the due webhooks, at most OUTBOX_BATCH. */
static int hooks_send(const struct ops_ctx *oc, struct jobs_counts *c)
{
	int rc = STORE_OK;

	for (int i = 0; i < OUTBOX_BATCH; i++) {
		rc = hook_one(oc, c);
		if (rc == STORE_ECONFLICT)
			continue;
		if (rc == STORE_ENOTFOUND)
			return STORE_OK;
		if (rc != STORE_OK)
			break;
	}
	return rc;
}

void jobs_outbox_config(const struct mail_config *c)
{
	given = *c;
	have_given = true;
}

int jobs_outbox_send(struct store *st, const struct preset *p, int64_t now,
		     struct jobs_counts *c)
{
	struct ops_ctx oc;
	char tag[40];
	int rc;

	pthread_once(&once, outbox_init);
	jobs_ctx(&oc, st, p, now);
	rc = hooks_send(&oc, c);
	if (rc != STORE_OK || !ready)
		return rc;
	for (int i = 0; i < OUTBOX_BATCH; i++) {
		struct store_outbox_row row;

		rc = claim(&oc, &row, tag, sizeof tag);
		if (rc == STORE_ECONFLICT)
			continue; /* another sender took it */
		if (rc == STORE_ENOTFOUND)
			return STORE_OK;
		if (rc != STORE_OK)
			break;
		bool halt = false;

		rc = deliver(&oc, &row, tag, tm_now(), c, &halt);
		if (rc != STORE_OK || halt)
			break;
	}
	return rc;
}
