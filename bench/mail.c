/* mail.c - issue 7's figures (docs/benchmarks.md): e-mail in and out through the real code.
 *   1. `ungcuu mailgate` on a 50 KB "[TBSC]" report with two attachments: one process per
 *      message as an MTA runs it, against a fresh data folder; and the in-process parse rate
 *      (GMime + the form parser, no database).
 *   2. outbox delivery to a local real MTA (OpenSMTPD, started by bench/mail-run): messages/s.
 *   3. from an escalation firing to its e-mail accepted by the MTA: p50/p99 over 50 firings
 *      (the transaction, the fan-out and the send of one job round; the server's job thread
 *      adds its wake-up interval, --jobs-interval, 60 s by default).
 * Usage: mail UNGCUU_BIN DATA_DIR [messages]   (DATA_DIR must not exist; parts 2 and 3 need
 * UNGCUU_SMTP_URL, which bench/mail-run sets) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/tm.h"

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char body_vi[] =
	"Kính gửi Sở Khoa học và Công nghệ,\r\n\r\n"
	"Tên đơn vị: Sở Tài chính tỉnh Bình Minh\r\nĐịa chỉ: 12 Lê Lợi, TP Bình Minh\r\n"
	"Điện thoại: 0234 3822 111\r\nThư điện tử: stc@binhminh.gov.vn\r\n"
	"Người liên hệ: Trần Thị Bình\r\nChức vụ: Phó trưởng phòng CNTT\r\n"
	"Điện thoại: 0912 345 678\r\nThư điện tử: ttb@binhminh.gov.vn\r\n"
	"Đơn vị vận hành: Trung tâm CNTT Sở Tài chính\r\nMức độ: Cao\r\n"
	"Loại sự cố: Thay đổi giao diện\r\nNgày phát hiện: 20/11/2026 08:30\r\n"
	"Tình trạng hiện tại: Đã tạm ngắt cổng thông tin\r\n"
	"Mô tả sự cố: Trang chủ cổng thông tin bị thay đổi giao diện.\r\n";

/* Appends base64 lines of n pseudo-random bytes. */
static void b64_block(struct buf *b, size_t n, unsigned seed)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t chars = (n + 2) / 3 * 4;

	for (size_t i = 0; i < chars; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_append(b, &a[(seed >> 16) % 64], 1);
		if (i % 76 == 75)
			buf_puts(b, "\r\n");
	}
	buf_puts(b, "\r\n");
}

#define BENCH_AUTHSERV "mx.binhminh.gov.vn" /* the MTA's authserv-id */

/* A 50 KB report: the form, 60 lines of description, two attachments of 17.8 KB each. */
static char *message(int i)
{
	struct buf b;

	buf_init(&b, 1u << 20);
	/* the MTA vouches for the sender (docs/mail.md "Who may write in"), so it is stored */
	buf_printf(&b,
		   "Authentication-Results: " BENCH_AUTHSERV "; dkim=pass header.d="
		   "demo.binhminh.gov.vn; dmarc=pass header.from=demo.binhminh.gov.vn\r\n"
		   "From: \"Trần Thị Bình\" <taichinh@demo.binhminh.gov.vn>\r\nTo: "
		   "tiepnhan@binhminh.gov.vn\r\nSubject: =?UTF-8?B?W1RCU0NdIFThuqVuIGPDtG5nIHRoYXkg"
		   "xJHhu5VpIGdpYW8gZGnhu4du?=\r\nMessage-ID: <bench-%d-%ld@example.org>\r\n"
		   "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
		   "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit"
		   "\r\n\r\n%s",
		   i, (long)getpid(), body_vi);
	for (int k = 0; k < 60; k++)
		buf_printf(&b, "Nhật ký máy chủ web ghi nhận truy cập bất thường số %d từ 203.0.113.%d.\r\n",
			   k, k);
	buf_puts(&b, "\r\n--b1\r\nContent-Type: text/plain; name=\"access.log\"\r\n"
		     "Content-Disposition: attachment; filename=\"access.log\"\r\n"
		     "Content-Transfer-Encoding: base64\r\n\r\n");
	b64_block(&b, 17800, (unsigned)i);
	buf_puts(&b, "--b1\r\nContent-Type: application/pdf; name=\"anh-chup.pdf\"\r\n"
		     "Content-Disposition: attachment; filename=\"anh-chup.pdf\"\r\n"
		     "Content-Transfer-Encoding: base64\r\n\r\n");
	b64_block(&b, 17800, (unsigned)i + 7u);
	buf_puts(&b, "--b1--\r\n");
	return buf_take(&b);
}

/* Runs `bin mailgate --data dir` with msg on its stdin; its exit status. */
static int mailgate(const char *bin, const char *dir, const char *path)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		int null = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execl(bin, bin, "mailgate", "--data", dir, "--authserv-id", BENCH_AUTHSERV,
		      (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* An incident of organisation org for the escalation firings. */
static int new_incident(struct store *st, int64_t org, int64_t user, int i, int64_t *id)
{
	char title[64], ref[32];
	json_t *row;
	int rc;

	snprintf(title, sizeof title, "Sự cố đo thời gian chuyển cấp %d", i);
	row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:s, s:I}", "org_id",
			(json_int_t)org, "title", title, "grp", "attack", "type", "intrusion", "severity",
			"high", "severity_rank", 3, "status", "new", "tlp", TLP_GREEN, "detected_at",
			(json_int_t)tm_now(), "description", "Đo thời gian / latency run", "created_by",
			(json_int_t)user);
	rc = store_incident_create(st, row, id, ref);
	json_decref(row);
	return rc;
}

int main(int argc, char **argv)
{
	const char *bin, *dir;
	int n = 200, bad = 0;
	char cmd[2200], path[1200];
	struct preset *p = NULL;
	struct store *st = NULL;
	double t0, t;
	char *msg;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: mail UNGCUU_BIN DATA_DIR [messages]\n");
		return 2;
	}
	bin = argv[1];
	dir = argv[2];
	if (argc > 3) {
		int64_t v;

		if (str_to_i64(argv[3], 1, 100000, &v) != 0)
			return 2;
		n = (int)v;
	}
	snprintf(cmd, sizeof cmd, "'%s' init --data '%s' --preset national --demo >/dev/null 2>&1",
		 bin, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "mail: init failed\n");
		return 1;
	}

	/* 1a. one mailgate process per message, as the MTA runs it */
	msg = message(0);
	printf("mailgate message: %zu bytes, 2 attachments, [TBSC] report of 14 fields\n",
	       strlen(msg));
	free(msg);
	t = 0;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/bench-msg.eml", dir);
		msg = message(i + 1);
		f = fopen(path, "w");
		if (f == NULL)
			return 1;
		fputs(msg, f);
		fclose(f);
		free(msg);
		t0 = secs();
		if (mailgate(bin, dir, path) != 0)
			bad++;
		t += secs() - t0;
	}
	printf("mailgate, one process per message (fresh data folder, %d messages): %.1f "
	       "messages/s (%.1f ms each), %d failed\n",
	       n, n / t, 1000 * t / n, bad);

	/* 1b. in-process: GMime parse + the form parser, no database */
	if (cli_preset_load("national", NULL, &p, NULL) != 0)
		return 1;
	msg = message(1);
	{
		const struct preset_form *form = preset_form(p, "report");
		long k = 0;

		t0 = secs();
		do {
			struct mail_intake m;
			struct mail_report r;

			if (mail_intake_parse(msg, strlen(msg), 64u << 10, &m) != MAIL_OK)
				return 1;
			if (mail_report_parse(p, form, m.text, strlen(m.text), &r) == MAIL_OK)
				mail_report_free(&r);
			if (m.natt != 2)
				return 1;
			mail_intake_free(&m);
			k++;
		} while (secs() - t0 < 3.0);
		t = secs() - t0;
		printf("mailgate parse in process (GMime + form parser): %.0f messages/s (%.2f ms "
		       "each)\n",
		       (double)k / t, 1000 * t / (double)k);
	}
	free(msg);
	if (getenv("UNGCUU_SMTP_URL") == NULL || getenv("UNGCUU_SMTP_URL")[0] == '\0') {
		printf("outbox: UNGCUU_SMTP_URL not set (run bench/mail-run for the MTA figures)\n");
		preset_free(p);
		return bad ? 1 : 0;
	}

	/* 2. outbox delivery rate to the MTA */
	if (store_open(dir, 0, &st) != STORE_OK)
		return 1;
	{
		struct jobs_counts c = {0};
		int64_t coord = 0, inc = 0, user = 0, sent;
		char v[32];

		/* what the demo and part 1 queued goes first, unmeasured */
		do {
			sent = c.mails_sent;
			if (jobs_outbox_send(st, p, tm_now(), &c) != STORE_OK)
				return 1;
		} while (c.mails_sent > sent);
		if (store_meta_get(st, "coordinator_org_id", v, sizeof v) != STORE_OK ||
		    str_to_i64(v, 1, INT64_MAX, &coord) != 0 ||
		    store_incident_by_ref(st, "UC-2026-000001", &inc) != STORE_OK)
			return 1;
		if (store_begin(st) != STORE_OK)
			return 1;
		for (int i = 0; i < 500; i++)
			if (store_outbox_add(st, "incident_reported", coord, inc, 0, tm_now()) != STORE_OK)
				return 1;
		if (store_commit(st) != STORE_OK)
			return 1;
		memset(&c, 0, sizeof c);
		t0 = secs();
		do {
			sent = c.mails_sent;
			if (jobs_outbox_send(st, p, tm_now(), &c) != STORE_OK)
				return 1;
		} while (c.mails_sent > sent && c.mails_sent < 500);
		t = secs() - t0;
		printf("outbox to the MTA (500 messages, one SMTP connection each): %.1f messages/s, "
		       "%lld sent, %lld failed\n",
		       (double)c.mails_sent / t, (long long)c.mails_sent, (long long)c.mails_failed);

		/* 3. escalation firing -> e-mail accepted by the MTA */
		{
			const struct preset_escalation *r = preset_escalation(p, "beyond_capacity_at_once");
			double lat[50];
			int64_t ids[50], org = 0;
			char text[1024];

			{
				json_t *row = NULL;

				if (store_incident_get(st, inc, &row) != STORE_OK)
					return 1;
				org = json_integer_value(json_object_get(row, "org_id"));
				json_decref(row);
			}
			if (r == NULL || store_mail_sender(st, "taichinh@demo.binhminh.gov.vn", &user,
							   &(int64_t){0}) != STORE_OK)
				return 1;
			if (store_begin(st) != STORE_OK)
				return 1;
			for (int i = 0; i < 50; i++)
				if (new_incident(st, org, user, i, &ids[i]) != STORE_OK)
					return 1;
			if (store_commit(st) != STORE_OK)
				return 1;
			escalation_text(r, text, sizeof text);
			for (int i = 0; i < 50; i++) {
				struct store_firing fi = {.incident_id = ids[i], .rule = r, .text = text,
							  .now = tm_now()};
				struct jobs_counts c2 = {0};
				bool fired = false;

				t0 = secs();
				if (store_begin(st) != STORE_OK ||
				    store_escalation_fire(st, &fi, &fired) != STORE_OK ||
				    store_commit(st) != STORE_OK || !fired)
					return 1;
				if (jobs_fanout(st, p, tm_now(), &c2) != STORE_OK ||
				    jobs_outbox_send(st, p, tm_now(), &c2) != STORE_OK || c2.mails_sent < 1)
					return 1;
				lat[i] = 1000 * (secs() - t0);
			}
			qsort(lat, 50, sizeof lat[0], cmp_double);
			printf("escalation fired -> its e-mails accepted by the MTA (50 firings, each to "
			       "the coordinator, the superior and the coordinator's people): p50 %.1f "
			       "ms, p99 %.1f ms, max %.1f ms\n",
			       lat[24], lat[49], lat[49]);
		}
	}
	store_close(st);
	preset_free(p);
	return bad ? 1 : 0;
}
