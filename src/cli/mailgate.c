/* mailgate.c - `ungcuu mailgate`: reads one e-mail on stdin, like an MDA (an MTA pipes each
 * message for the intake address to it), and appends it to the journal of the incident named
 * in its subject ("[UC-2026-000123]"), or, for a subject with the report form's prefix
 * ("[TBSC]") and no reference, makes a new incident report of it (docs/mail.md). docs/mail.md
 * lists the exit codes the MTA acts on. A message is stored only when the MTA vouches for its
 * sender (Authentication-Results) and that sender's account may comment (or report) under the API's
 * access rule; anything else waits in the quarantine for the coordinator (api/mailq.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "ops/mailin.h"
#include "cli.h"
#include "mail/mail.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

#define MAILGATE_DEFAULT_MAX ((int64_t)25 << 20)
#define MAILGATE_ATTACH_MAX ((int64_t)25 << 20) /* as the API's default upload limit */
#define AUTHSERV_ID_MAX 255

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu mailgate --data DIR [--max-size BYTES] [--max-attachment BYTES]",
		"                [--authserv-id ID] < message.eml", NULL};

	return cli_usage(help, synopsis, M_cli_usage_mailgate);
}

/* Reads stdin up to max bytes. 1 when there is more (too big), 0 ok, -1 on error. */
static int read_all(size_t max, char **out, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap), *q;

	*out = NULL;
	*len = 0;
	if (p == NULL)
		return -1;
	for (;;) {
		size_t got;

		if (n == cap) {
			if (cap > max) {
				free(p);
				return 1;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if ((q = realloc(p, cap)) == NULL) {
				free(p);
				return -1;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, stdin);
		n += got;
		if (n > max) {
			free(p);
			return 1;
		}
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(p);
		return -1;
	}
	*out = p;
	*len = n;
	return 0;
}

/* One delivery: the message as it came and as intake read it, what the MTA vouched for, and
 * whose account the sender's address is. */
struct gate {
	struct store *st;
	const char *dir;
	const char *raw; /* the message as delivered */
	size_t len;
	const struct mail_intake *m;
	struct mail_auth auth;
	struct ops_mailin_who who;
};

/* Keeps a message that may not be stored: the raw bytes as DATA/files/<sha256> and a row of
 * the quarantine (incident_id 0 for a report), with its audit entry, in one transaction; the
 * same bytes delivered again add nothing. The exit code for the MTA: delivered (0), or
 * EXIT_TEMPFAIL. */
static int quarantine(struct gate *g, const char *kind, int64_t incident_id, const char *reason)
{
	char sha[CRYPTO_HASH_HEX], path[1200], who[160];
	const char *text = g->m->text != NULL ? g->m->text : "";
	struct ops_err err;
	struct ops_ctx c;
	json_t *row = NULL;
	int64_t id = 0;
	bool placed;
	int rc;

	if (ops_mailin_keep(g->dir, g->raw, g->len, sha, path, sizeof path, &placed) != 0) {
		cli_error_at("mailgate", M_cli_mail_keep_failed, MS("folder", g->dir));
		return EXIT_TEMPFAIL;
	}
	row = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:s, "
			"s:I, s:I}",
			"received_at", (json_int_t)tm_now(), "sha256", sha, "size",
			(json_int_t)g->len, "message_id", g->m->message_id ? g->m->message_id : "",
			"from_addr", g->m->from ? g->m->from : "", "subject", g->m->subject,
			"body", text, "kind", kind, "incident_id", (json_int_t)incident_id, "ref",
			g->m->ref, "reason", reason, "reason_text",
			ops_mailin_reason_text(reason, kind), "authenticated",
			g->auth.authenticated, "auth", g->auth.summary, "user_id",
			(json_int_t)g->who.user_id, "org_id", (json_int_t)g->who.org_id);
	cli_machine_ctx(&c, g->st, OPS_MAIL, who, sizeof who);
	rc = row != NULL ? store_begin(g->st) : STORE_EIO;
	if (rc == STORE_OK && ops_mailin_quarantine(&c, row, &id, &err) != OPS_OK)
		rc = err.store_rc;
	if (rc == STORE_OK)
		rc = store_commit(g->st);
	if (rc != STORE_OK)
		store_rollback(g->st);
	json_decref(row);
	if (rc == STORE_ECONFLICT) {
		cli_error_at("mailgate", M_cli_mail_quarantine_again, MN("id", id));
		return EXIT_OK;
	}
	if (rc != STORE_OK) {
		if (placed)
			unlink(path);
		cli_error_at("mailgate", M_cli_mail_db_failed, MN("code", rc));
		return EXIT_TEMPFAIL;
	}
	cli_error_at("mailgate", M_cli_mail_quarantined, MN("id", id), MS("reason", reason));
	return EXIT_OK;
}

/* A reply to incident_id: stored when its sender may comment on it, else quarantined. */
static int reply(struct gate *g, int64_t incident_id)
{
	const char *why;
	int64_t entry = 0;
	json_t *data = NULL;
	int rc = STORE_OK;

	why = ops_mailin_refusal(g->st, &g->auth, &g->who, incident_id, &rc);
	if (rc != STORE_OK)
		goto out;
	if (why != NULL)
		return quarantine(g, "reply", incident_id, why);
	rc = store_begin(g->st);
	if (rc == STORE_OK)
		rc = ops_mailin_reply(g->st, incident_id, g->m, &g->who, &entry, &data);
	if (rc == STORE_OK)
		rc = cli_audit_append(g->st, "incident.mail", "incident", incident_id, data);
	if (rc == STORE_OK)
		rc = store_commit(g->st);
	if (rc != STORE_OK)
		store_rollback(g->st);
out:
	json_decref(data);
	if (rc == STORE_ECONFLICT) {
		cli_error_at("mailgate", M_cli_mail_message_again,
			     MS("message_id", g->m->message_id ? g->m->message_id : ""));
		return EXIT_OK;
	}
	if (rc != STORE_OK) {
		cli_error_at("mailgate", M_cli_mail_db_failed, MN("code", rc));
		return EXIT_TEMPFAIL;
	}
	cli_error_at("mailgate", M_cli_mail_stored, MN("entry", entry));
	return EXIT_OK;
}

/* Stores the report in one transaction: the incident, its journal, the attachments' rows, the
 * audit entry and the coordinator's notification; or nothing. */
static int store_report(struct gate *g, const struct preset *p, const struct preset_form *f,
			const struct mail_report *r, const struct ops_mailin_files *fl, int64_t *id,
			char *ref)
{
	json_t *data = NULL;
	int rc = store_begin(g->st);

	if (rc == STORE_OK)
		rc = ops_mailin_report(g->st, p, f, g->m, r, fl, &g->who, id, ref, &data);
	if (rc == STORE_OK)
		rc = cli_audit_append(g->st, "incident.mail_report", "incident", *id, data);
	if (rc == STORE_OK)
		rc = store_commit(g->st);
	if (rc != STORE_OK)
		store_rollback(g->st);
	json_decref(data);
	return rc;
}

/* A [TBSC] message: checked, then stored when its sender may report, else quarantined; the
 * exit code for the MTA. */
static int new_report(struct gate *g, int64_t att_max)
{
	const struct mail_intake *m = g->m;
	struct preset *p = NULL;
	const struct preset_form *f;
	struct mail_report r = {0};
	struct ops_mailin_files *fl = NULL;
	const char *why;
	char ref[32] = "";
	int64_t id = 0;
	int rc = EXIT_TEMPFAIL, src = STORE_OK;

	if (cli_preset_from_store(g->st, &p) != 0)
		return EXIT_TEMPFAIL;
	api_preset_swap(p); /* the escalation rules read the preset in force; freed at the end */
	f = ops_mailin_report_form(p);
	if (f == NULL || !mail_report_subject(m->subject, f->subject_prefix)) {
		cli_error_at("mailgate", M_cli_mail_no_reference);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (m->too_many) {
		cli_error_at("mailgate", M_cli_mail_too_many_attachments,
			     MN("max", MAIL_MAX_ATTACHMENTS));
		rc = EXIT_TOOBIG;
		goto out;
	}
	for (size_t i = 0; i < m->natt; i++)
		if ((int64_t)m->att[i].len > att_max) {
			cli_error_at("mailgate", M_cli_mail_attachment_too_big, MN("n", i + 1),
				     MN("max", att_max));
			rc = EXIT_TOOBIG;
			goto out;
		}
	why = ops_mailin_refusal(g->st, &g->auth, &g->who, 0, &src);
	if (src != STORE_OK)
		goto out;
	if (why != NULL) {
		rc = quarantine(g, "report", 0, why);
		goto out;
	}
	if (mail_report_parse(p, f, m->text, strlen(m->text), &r) != MAIL_OK ||
	    (fl = calloc(1, sizeof *fl)) == NULL)
		goto out;
	/* the files first (content-addressed); removed again when the transaction fails */
	if (ops_mailin_files_keep(g->dir, m, fl) != 0) {
		cli_error_at("mailgate", M_cli_mail_att_keep_failed, MS("folder", g->dir));
		goto out;
	}
	src = store_report(g, p, f, &r, fl, &id, ref);
	if (src == STORE_ECONFLICT) {
		cli_error_at("mailgate", M_cli_mail_report_again,
			     MS("message_id", m->message_id ? m->message_id : ""));
		rc = EXIT_OK;
		goto undo;
	}
	if (src != STORE_OK) {
		cli_error_at("mailgate", M_cli_mail_db_failed, MN("code", src));
		goto undo;
	}
	cli_error_at("mailgate", M_cli_mail_new_incident, MS("ref", ref),
		     MN("fields", json_object_size(r.form)), MN("attachments", m->natt));
	printf("%s\n", ref);
	rc = EXIT_OK;
	goto out;
undo:
	ops_mailin_files_undo(m, fl);
out:
	free(fl);
	mail_report_free(&r);
	api_preset_free_all();
	return rc;
}

/* The MTA's authserv-id: --authserv-id, else UNGCUU_MAIL_AUTHSERV_ID (docs/mail.md); NULL when
 * unset (then no sender is verified) or too long. */
static const char *authserv_id(const char *flag)
{
	const char *v = flag != NULL ? flag : getenv("UNGCUU_MAIL_AUTHSERV_ID");

	return v != NULL && v[0] != '\0' && strlen(v) <= AUTHSERV_ID_MAX ? v : NULL;
}

int cli_mailgate(int argc, char **argv)
{
	static const struct option longopts[] = {{"data", required_argument, NULL, 'd'},
						 {"max-size", required_argument, NULL, 'm'},
						 {"max-attachment", required_argument, NULL, 'a'},
						 {"authserv-id", required_argument, NULL, 's'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *dir = "./data", *authserv = NULL;
	int64_t max = MAILGATE_DEFAULT_MAX, att_max = MAILGATE_ATTACH_MAX, incident_id = 0;
	struct mail_intake m = {0};
	struct gate g = {0};
	char *raw = NULL;
	size_t len = 0;
	int ch, rc = EXIT_FAIL, src;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'm':
			if (str_to_i64(optarg, 1024, (int64_t)1 << 30, &max) != 0)
				return usage(false);
			break;
		case 'a':
			if (str_to_i64(optarg, 1, (int64_t)4 << 30, &att_max) != 0)
				return usage(false);
			break;
		case 's':
			if (optarg[0] == '\0' || strlen(optarg) > AUTHSERV_ID_MAX)
				return usage(false);
			authserv = optarg;
			break;
		case 'h': return usage(true);
		default: return usage(false);
		}
	}
	if (optind != argc)
		return usage(false);
	src = read_all((size_t)max, &raw, &len);
	if (src == 1) {
		cli_error_at("mailgate", M_cli_mail_too_big, MN("max", max));
		return EXIT_TOOBIG;
	}
	if (src != 0) {
		cli_error_at("mailgate", M_cli_mail_unreadable);
		return EXIT_TEMPFAIL;
	}
	src = mail_intake_parse(raw, len, OPS_MAILIN_TEXT_MAX, &m);
	if (src != MAIL_OK) {
		cli_error_at("mailgate", M_cli_mail_not_email);
		rc = src == MAIL_ENOMEM ? EXIT_TEMPFAIL : EXIT_INVALID;
		goto out;
	}
	if (m.automatic) {
		cli_error_at("mailgate", M_cli_mail_automatic);
		rc = EXIT_OK;
		goto out;
	}
	if (store_open(dir, 0, &g.st) != STORE_OK) {
		cli_error_at("mailgate", M_cli_database_unopenable, MS("folder", dir));
		rc = EXIT_TEMPFAIL;
		goto out;
	}
	g.dir = dir;
	g.raw = raw;
	g.len = len;
	g.m = &m;
	/* who sent it: what the MTA vouches for, and whose account the address is */
	mail_auth_check(&m, authserv_id(authserv), &g.auth);
	g.who.authenticated = g.auth.authenticated;
	if (ops_mailin_sender(g.st, m.from, &g.who) != STORE_OK) {
		cli_error_at("mailgate", M_cli_mail_db_unavailable);
		rc = EXIT_TEMPFAIL;
		goto out;
	}
	if (m.ref[0] == '\0') {
		/* "[TBSC] ..." without a reference: a new report (or exit 3) */
		rc = new_report(&g, att_max);
		goto out;
	}
	src = store_incident_by_ref(g.st, m.ref, &incident_id);
	if (src == STORE_ENOTFOUND) {
		cli_error_at("mailgate", M_cli_mail_no_incident, MS("ref", m.ref));
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (src != STORE_OK) {
		cli_error_at("mailgate", M_cli_mail_db_failed, MN("code", src));
		rc = EXIT_TEMPFAIL;
		goto out;
	}
	rc = reply(&g, incident_id);
out:
	store_close(g.st);
	mail_intake_free(&m);
	free(raw);
	return rc;
}
