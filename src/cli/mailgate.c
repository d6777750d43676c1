/* mailgate.c - `ungcuu mailgate`: reads one e-mail on stdin, like an MDA (an MTA pipes each
 * message for the intake address to it), and appends it to the journal of the incident named
 * in its subject ("[UC-2026-000123]"). docs/mail.md lists the exit codes the MTA acts on. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mail/mail.h"
#include "util/str.h"
#include "util/tm.h"

#define MAILGATE_DEFAULT_MAX ((int64_t)25 << 20)
#define MAILGATE_TEXT_MAX (64u << 10) /* the journal keeps at most this much of the text */

static int usage(void)
{
	fprintf(stderr, "usage: ungcuu mailgate --data DIR [--max-size BYTES] < message.eml\n"
			"exit: 0 stored (or ignored: automatic reply), 2 usage, 3 no reference or no "
			"such incident,\n      5 not an e-mail, 6 too big, 75 temporary failure "
			"(retry)\n");
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

int cli_mailgate(int argc, char **argv)
{
	static const struct option longopts[] = {{"data", required_argument, NULL, 'd'},
						 {"max-size", required_argument, NULL, 'm'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *dir = "./data";
	int64_t max = MAILGATE_DEFAULT_MAX, incident_id = 0;
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
	if (m.ref[0] == '\0') {
		fprintf(stderr, "mailgate: no incident reference [UC-YYYY-NNNNNN] in the subject\n");
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (store_open(dir, 0, &st) != STORE_OK) {
		fprintf(stderr, "mailgate: cannot open the database in %s\n", dir);
		rc = EXIT_TEMPFAIL;
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
