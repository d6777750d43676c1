/* mailgate.c - `ungcuu mailgate`: reads one e-mail on stdin, like an MDA (an MTA pipes each
 * message for the intake address to it), and appends it to the journal of the incident named
 * in its subject ("[UC-2026-000123]"), or, for a subject with the report form's prefix
 * ("[TBSC]") and no reference, makes a new incident report of it (docs/mail.md). docs/mail.md
 * lists the exit codes the MTA acts on. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "cli.h"
#include "core/codes.h"
#include "core/indicator.h"
#include "mail/mail.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

#define MAILGATE_DEFAULT_MAX ((int64_t)25 << 20)
#define MAILGATE_TEXT_MAX (64u << 10) /* the journal keeps at most this much of the text */
#define MAILGATE_ATTACH_MAX ((int64_t)25 << 20) /* as the API's default upload limit */
#define REPORT_TITLE_MAX 300                     /* as the API's (api/incidents.c) */
#define REPORT_TEXT_MAX 20000

static int usage(void)
{
	fprintf(stderr, "usage: ungcuu mailgate --data DIR [--max-size BYTES] [--max-attachment BYTES]"
			" < message.eml\n"
			"exit: 0 stored (or ignored: automatic reply, duplicate), 2 usage, 3 no reference "
			"(nor [TBSC])\n      or no such incident, 5 not an e-mail, 6 too big (message or "
			"an attachment),\n      75 temporary failure (retry)\n");
	return EXIT_USAGE;
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

/* Stores the message in one transaction: journal entry and audit entry, or nothing. */
#define MAIL_OBSERVABLES_MAX 200 /* observables taken from one message */

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

static int store_message(struct store *st, int64_t incident_id, const struct mail_intake *m)
{
	int64_t user_id = 0, org_id = 0, entry = 0;
	json_t *data = NULL;
	const char *sender = "unknown";
	int rc = store_begin(st);

	if (rc != STORE_OK)
		return rc;
	/* an MTA may deliver one message twice: the second copy is not stored again */
	if (m->message_id != NULL && store_mail_seen(st, incident_id, m->message_id) == STORE_OK) {
		store_rollback(st);
		fprintf(stderr, "mailgate: message %s already stored; ignored\n", m->message_id);
		return STORE_OK;
	}
	rc = store_mail_sender(st, m->from, &user_id, &org_id);
	if (rc == STORE_OK)
		sender = user_id ? "user" : "organisation";
	else if (rc == STORE_ENOTFOUND)
		rc = STORE_OK;
	data = json_pack("{s:s, s:s, s:s?, s:b, s:s}", "from", m->from, "subject", m->subject,
			 "message_id", m->message_id, "verified", user_id != 0 || org_id != 0,
			 "sender", sender);
	if (data == NULL)
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = link_observables(st, incident_id, m, data);
	if (rc == STORE_OK)
		rc = store_journal_add(st, incident_id, "email", user_id, org_id, m->text, data,
				       &entry);
	if (rc == STORE_OK)
		rc = cli_audit_append(st, "incident.mail", "incident", incident_id, data);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	else
		fprintf(stderr, "mailgate: stored as journal entry %lld (%s sender)\n",
			(long long)entry, user_id || org_id ? "verified" : "unverified");
	json_decref(data);
	return rc;
}

/* ---- a new incident report by e-mail ("[TBSC]", TT 20/2017 Mẫu 03) ---- */

/* The preset's form that e-mail reports fill (the one with a subject prefix). */
static const struct preset_form *report_form(const struct preset *p)
{
	for (size_t i = 0; i < p->nforms; i++)
		if (p->forms[i].subject_prefix[0] != '\0')
			return &p->forms[i];
	return NULL;
}

/* The state a report to the coordinator reaches from the initial state: the target of the
 * first transition out of it into procedure step 3 or later; the initial state when none. */
static const struct preset_item *report_state(const struct preset *p)
{
	const struct preset_item *init = preset_initial_state(p);

	for (size_t i = 0; i < p->ntransitions; i++) {
		const struct preset_item *to = preset_state(p, p->transitions[i].to);

		if (strcmp(p->transitions[i].from, init->code) == 0 && to != NULL && to->rank >= 3)
			return to;
	}
	return init;
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

/* Writes data to DIR/files/<sha256> unless it is there (content-addressed, like the API's
 * attachments); *placed when this call made the file. 0 or -1. */
static int keep_file(const char *dir, const struct mail_attachment *a, char *sha, char *path,
		     size_t pathsz, bool *placed)
{
	char tmp[1200], d[1100];
	int fd, dfd;
	size_t off = 0;
	bool ok;

	*placed = false;
	crypto_sha256_hex(sha, a->data, a->len);
	snprintf(d, sizeof d, "%s/files", dir);
	if (mkdir(d, 0750) != 0 && errno != EEXIST)
		return -1;
	if (snprintf(path, pathsz, "%s/%s", d, sha) >= (int)pathsz ||
	    snprintf(tmp, sizeof tmp, "%s/.mailgate-%s-%ld", d, sha, (long)getpid()) >=
		    (int)sizeof tmp)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	while (off < a->len) {
		ssize_t w = write(fd, a->data + off, a->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	ok = off == a->len && fsync(fd) == 0;
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

struct report_files {
	char sha[MAIL_MAX_ATTACHMENTS][CRYPTO_HASH_HEX];
	char path[MAIL_MAX_ATTACHMENTS][1200];
	bool placed[MAIL_MAX_ATTACHMENTS];
	bool keep[MAIL_MAX_ATTACHMENTS]; /* a non-empty file with an acceptable name */
};

/* The incident row of the report (see docs/mail.md for every default). */
static json_t *report_row(const struct preset *p, const struct preset_form *f,
			  const struct mail_intake *m, const struct mail_report *r, int64_t org_id,
			  int64_t created_by, bool known, int64_t now)
{
	const struct preset_item *sev = r->severity, *type = r->type, *status;
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
	status = known ? report_state(p) : preset_initial_state(p);
	d = strdup(desc != NULL ? desc : m->text);
	if (d == NULL)
		return NULL;
	cut_chars(d, REPORT_TEXT_MAX);
	form = json_pack("{s:O}", f->code, r->form);
	row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:I, s:s, s:o, s:I}", "org_id",
			(json_int_t)org_id, "title", title, "grp", type->parent, "type", type->code,
			"severity", sev->code, "severity_rank", sev->rank, "status", status->code,
			"tlp", known ? TLP_AMBER : TLP_RED, "detected_at",
			(json_int_t)(r->detected_at ? r->detected_at : now), "reported_at",
			(json_int_t)(status->rank >= 3 ? now : 0), "description", d, "form", form,
			"created_by", (json_int_t)created_by);
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

/* Stores the report in one transaction: the incident, its journal, the attachments' rows, the
 * audit entry and the coordinator's notification; or nothing. */
static int store_report(struct store *st, const struct preset *p,
			const struct preset_form *f, const struct mail_intake *m,
			const struct mail_report *r, const struct report_files *fl, int64_t *id,
			char *ref)
{
	int64_t user_id = 0, org_id = 0, coord = 0, author, entry = 0, aid, now = tm_now();
	json_t *row = NULL, *data = NULL, *atts = json_array();
	const char *sender = "unknown";
	bool known;
	char v[32];
	int rc = store_begin(st);

	if (rc != STORE_OK)
		goto out;
	if (m->message_id != NULL && store_mail_report_seen(st, m->message_id) == STORE_OK) {
		rc = STORE_ECONFLICT; /* delivered twice: stored once */
		goto out;
	}
	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) != STORE_OK ||
	    str_to_i64(v, 1, INT64_MAX, &coord) != 0) {
		rc = STORE_EIO;
		goto out;
	}
	rc = store_mail_sender(st, m->from, &user_id, &org_id);
	if (rc == STORE_OK)
		sender = user_id ? "user" : "organisation";
	else if (rc == STORE_ENOTFOUND)
		rc = STORE_OK;
	known = org_id != 0;
	/* an unknown sender: the coordinator's, to triage, seen by the coordinator only (RED) */
	if (!known)
		org_id = coord;
	author = user_id;
	if (rc == STORE_OK && author == 0)
		rc = store_intake_user(st, coord, now, &author);
	if (rc == STORE_OK && (row = report_row(p, f, m, r, org_id, author, known, now)) == NULL)
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = store_incident_create(st, row, id, ref);
	if (rc == STORE_OK && !known) {
		json_t *flags = json_pack("{s:s}", "flags", "unverified");

		rc = flags ? store_incident_update(st, *id, 0, flags) : STORE_EIO;
		json_decref(flags);
	}
	if (rc == STORE_OK)
		rc = store_incident_add_org(st, *id, coord, "coordinator");
	for (size_t i = 0; rc == STORE_OK && i < m->natt; i++) {
		if (!fl->keep[i])
			continue;
		rc = store_attachment_add(st, *id, fl->sha[i], m->att[i].name, m->att[i].mime,
					  (int64_t)m->att[i].len, author, &aid);
		json_array_append_new(atts, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)aid, "name",
						      m->att[i].name, "sha256", fl->sha[i]));
	}
	data = json_pack("{s:s?, s:s, s:s?, s:b, s:s, s:b, s:b, s:O, s:o}", "from", m->from,
			 "subject", m->subject, "message_id", m->message_id, "verified", known,
			 "sender", sender, "report", 1, "from_html", m->text_from_html, "attachments",
			 atts, "fields", keys_of(r->form));
	if (data == NULL)
		rc = rc == STORE_OK ? STORE_EIO : rc;
	if (rc == STORE_OK)
		rc = link_observables(st, *id, m, data);
	if (rc == STORE_OK)
		rc = store_journal_add(st, *id, "email", user_id, known ? org_id : 0, m->text, data,
				       &entry);
	if (rc == STORE_OK)
		rc = ops_escalate_state(&(struct ops_ctx){.st = st, .preset = p, .now = now,
							  .channel = OPS_MAIL},
					*id, json_string_value(json_object_get(row, "severity")),
					json_string_value(json_object_get(row, "grp")), NULL,
					json_string_value(json_object_get(row, "status")));
	if (rc == STORE_OK)
		rc = cli_audit_append(st, "incident.mail_report", "incident", *id, data);
	if (rc == STORE_OK)
		rc = store_outbox_add(st, "incident_reported", coord, *id, 0, now);
	if (rc == STORE_OK)
		rc = store_commit(st);
out:
	if (rc != STORE_OK)
		store_rollback(st);
	json_decref(row);
	json_decref(data);
	json_decref(atts);
	return rc;
}

/* A [TBSC] message: parse, keep the files, store; the exit code for the MTA. */
static int new_report(struct store *st, const char *dir, const struct mail_intake *m,
		      int64_t att_max)
{
	struct preset *p = NULL;
	const struct preset_form *f;
	struct mail_report r = {0};
	struct report_files *fl = NULL;
	char ref[32] = "";
	int64_t id = 0;
	int rc = EXIT_TEMPFAIL, src;

	if (cli_preset_from_store(st, &p) != 0)
		return EXIT_TEMPFAIL;
	api_preset_swap(p); /* the escalation rules read the preset in force; freed at the end */
	f = report_form(p);
	if (f == NULL || !mail_report_subject(m->subject, f->subject_prefix)) {
		fprintf(stderr, "mailgate: no incident reference [UC-YYYY-NNNNNN] and no report "
				"prefix in the subject\n");
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (m->too_many) {
		fprintf(stderr, "mailgate: more than %d attachments; rejected\n", MAIL_MAX_ATTACHMENTS);
		rc = EXIT_TOOBIG;
		goto out;
	}
	for (size_t i = 0; i < m->natt; i++)
		if ((int64_t)m->att[i].len > att_max) {
			fprintf(stderr, "mailgate: attachment %zu is larger than %lld bytes; rejected\n",
				i + 1, (long long)att_max);
			rc = EXIT_TOOBIG;
			goto out;
		}
	if (mail_report_parse(p, f, m->text, strlen(m->text), &r) != MAIL_OK ||
	    (fl = calloc(1, sizeof *fl)) == NULL)
		goto out;
	/* the files first (content-addressed); removed again when the transaction fails */
	for (size_t i = 0; i < m->natt; i++) {
		fl->keep[i] = m->att[i].len > 0 && api_file_name_ok(m->att[i].name) &&
			      strlen(m->att[i].mime) <= 100;
		if (fl->keep[i] && keep_file(dir, &m->att[i], fl->sha[i], fl->path[i],
					     sizeof fl->path[i], &fl->placed[i]) != 0) {
			fprintf(stderr, "mailgate: cannot write an attachment in %s/files\n", dir);
			goto undo;
		}
	}
	src = store_report(st, p, f, m, &r, fl, &id, ref);
	if (src == STORE_ECONFLICT) {
		fprintf(stderr, "mailgate: report %s already stored; ignored\n", m->message_id);
		rc = EXIT_OK;
		goto undo;
	}
	if (src != STORE_OK) {
		fprintf(stderr, "mailgate: the database failed (%d); try again later\n", src);
		goto undo;
	}
	fprintf(stderr, "mailgate: new incident %s from a report by e-mail (%zu fields, %zu "
			"attachments)\n",
		ref, json_object_size(r.form), m->natt);
	printf("%s\n", ref);
	rc = EXIT_OK;
	goto out;
undo:
	for (size_t i = 0; fl && i < m->natt; i++)
		if (fl->placed[i])
			unlink(fl->path[i]);
out:
	free(fl);
	mail_report_free(&r);
	api_preset_free_all();
	return rc;
}

int cli_mailgate(int argc, char **argv)
{
	static const struct option longopts[] = {{"data", required_argument, NULL, 'd'},
						 {"max-size", required_argument, NULL, 'm'},
						 {"max-attachment", required_argument, NULL, 'a'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *dir = "./data";
	int64_t max = MAILGATE_DEFAULT_MAX, att_max = MAILGATE_ATTACH_MAX, incident_id = 0;
	struct mail_intake m = {0};
	struct store *st = NULL;
	char *raw = NULL;
	size_t len = 0;
	int ch, rc = EXIT_FAIL, src;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'm':
			if (str_to_i64(optarg, 1024, (int64_t)1 << 30, &max) != 0)
				return usage();
			break;
		case 'a':
			if (str_to_i64(optarg, 1, (int64_t)4 << 30, &att_max) != 0)
				return usage();
			break;
		case 'h': usage(); return EXIT_OK;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	src = read_all((size_t)max, &raw, &len);
	if (src == 1) {
		fprintf(stderr, "mailgate: message larger than %lld bytes; rejected\n",
			(long long)max);
		return EXIT_TOOBIG;
	}
	if (src != 0) {
		fprintf(stderr, "mailgate: cannot read the message\n");
		return EXIT_TEMPFAIL;
	}
	src = mail_intake_parse(raw, len, MAILGATE_TEXT_MAX, &m);
	if (src != MAIL_OK) {
		fprintf(stderr, "mailgate: not a readable e-mail; rejected\n");
		rc = src == MAIL_ENOMEM ? EXIT_TEMPFAIL : EXIT_INVALID;
		goto out;
	}
	if (m.automatic) {
		fprintf(stderr, "mailgate: automatic message (auto-reply, bulk or loop); ignored\n");
		rc = EXIT_OK;
		goto out;
	}
	if (store_open(dir, 0, &st) != STORE_OK) {
		fprintf(stderr, "mailgate: cannot open the database in %s\n", dir);
		rc = EXIT_TEMPFAIL;
		goto out;
	}
	if (m.ref[0] == '\0') {
		/* "[TBSC] ..." without a reference: a new report (or exit 3) */
		rc = new_report(st, dir, &m, att_max);
		goto out;
	}
	src = store_incident_by_ref(st, m.ref, &incident_id);
	if (src == STORE_ENOTFOUND) {
		fprintf(stderr, "mailgate: no incident %s\n", m.ref);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (src == STORE_OK)
		src = store_message(st, incident_id, &m);
	rc = src == STORE_OK ? EXIT_OK : EXIT_TEMPFAIL;
	if (src != STORE_OK)
		fprintf(stderr, "mailgate: the database failed (%d); try again later\n", src);
out:
	store_close(st);
	mail_intake_free(&m);
	free(raw);
	return rc;
}
