/* serve.c - `ungcuu serve`: the HTTP server over the data folder with the preset in force. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api.h"
#include "cli.h"
#include "jobs/jobs.h"
#include "mail/mail.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"

static volatile sig_atomic_t stop;
static int64_t preset_serial; /* meta preset_serial of the preset in force */

static int64_t read_serial(struct store *st)
{
	char v[32];
	int64_t n = 0;

	if (store_meta_get(st, "preset_serial", v, sizeof v) == STORE_OK)
		str_to_i64(v, 0, INT64_MAX, &n);
	return n;
}

/* A preset switched with `ungcuu preset switch` while the server runs is picked up here, within
 * a minute; one switched through the API is already in force (the serial then only catches up). */
static void reload_if_switched(struct store *st)
{
	int64_t serial = read_serial(st);
	struct preset *p;

	if (serial == preset_serial)
		return;
	if (cli_preset_from_store(st, &p) == 0) {
		api_preset_swap(p);
		log_info("preset %s now in force", p->name);
	}
	preset_serial = serial;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Prints the usage, to stdout when asked for (help), and returns the exit code. */
static int usage(bool help)
{
	static const char *const synopsis[] = {
		"ungcuu serve --data DIR [--listen ADDR:PORT] [--ui DIR] [--threads N]",
		"             [--max-body BYTES] [--max-upload BYTES] [--secure-cookies]",
		"             [--jobs-interval SECONDS] [--smtp-url URL] [--smtp-from ADDR]",
		"             [--smtp-user U] [--smtp-password-file F] [--smtp-starttls]", NULL};

	return cli_usage(help, synopsis, M_cli_usage_serve);
}

static int parse_listen(const char *s, char *addr, size_t addrsz, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	int64_t p;

	if (colon == NULL || (size_t)(colon - s) >= addrsz ||
	    str_to_i64(colon + 1, 1, 65535, &p) != 0)
		return -1;
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	*port = (uint16_t)p;
	return 0;
}

/* The UI folder: --ui, else ./ui when present (a source checkout), else none. */
static const char *ui_dir(const char *given)
{
	struct stat sb;

	if (given)
		return given;
	if (stat("ui/index.html", &sb) == 0)
		return "ui";
	return NULL;
}

/* Applies the --smtp-* flags over the UNGCUU_SMTP_* variables and hands the result to the
 * outbox. The password is read from a file (first line), never from the command line, where
 * every user of the machine could see it. 0, or -1 with the reason printed. */
static int smtp_config(const char *url, const char *from, const char *user, const char *pwfile,
		       bool starttls)
{
	struct mail_config c;
	char *pw = NULL;
	int rc = -1;

	if (mail_config_env(&c) != MAIL_OK) {
		cli_error_at("serve", M_cli_serve_smtp_env);
		return -1;
	}
	if ((url && str_copy(c.url, sizeof c.url, url) != 0) ||
	    (from && str_copy(c.from, sizeof c.from, from) != 0) ||
	    (user && str_copy(c.user, sizeof c.user, user) != 0)) {
		cli_error_at("serve", M_cli_serve_smtp_too_long);
		return -1;
	}
	if (starttls)
		c.starttls = true;
	if (pwfile != NULL) {
		size_t len;

		if (cli_read_file(pwfile, sizeof c.password, &pw, &len) != 0) {
			cli_error_at("serve", M_cli_serve_smtp_password, MS("file", pwfile));
			goto out;
		}
		pw[strcspn(pw, "\r\n")] = '\0';
		if (str_copy(c.password, sizeof c.password, pw) != 0)
			goto out;
	}
	if (mail_config_check(&c) != MAIL_OK) {
		cli_error_at("serve", M_cli_serve_smtp_url);
		goto out;
	}
	jobs_outbox_config(&c);
	rc = 0;
out:
	if (pw != NULL) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	memset(&c, 0, sizeof c);
	return rc;
}

int cli_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},      {"listen", required_argument, NULL, 'l'},
		{"ui", required_argument, NULL, 'u'},        {"threads", required_argument, NULL, 't'},
		{"max-body", required_argument, NULL, 'b'},  {"max-upload", required_argument, NULL, 'U'},
		{"secure-cookies", no_argument, NULL, 's'},  {"help", no_argument, NULL, 'h'},
		{"jobs-interval", required_argument, NULL, 'J'},
		{"smtp-url", required_argument, NULL, 1001},
		{"smtp-from", required_argument, NULL, 1002},
		{"smtp-user", required_argument, NULL, 1003},
		{"smtp-password-file", required_argument, NULL, 1004},
		{"smtp-starttls", no_argument, NULL, 1005},
		{NULL, 0, NULL, 0}};
	const char *smtp_url = NULL, *smtp_from = NULL, *smtp_user = NULL, *smtp_pwfile = NULL;
	bool smtp_starttls = false;
	const char *dir = "./data", *listen = "127.0.0.1:8080", *ui = NULL;
	int64_t threads = 0, max_body = 1 << 20, max_upload = 25 << 20, interval = 60;
	struct http_opts o = {0};
	struct store *st = NULL;
	struct preset *p = NULL;
	struct jobs_loop jl = {0};
	pthread_t jobs;
	bool jobs_started = false;
	char addr[64], upload_dir[1100];
	struct sigaction sa;
	int c, rc = EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'l': listen = optarg; break;
		case 'u': ui = optarg; break;
		case 't':
			if (str_to_i64(optarg, 1, 64, &threads) != 0)
				return usage(false);
			break;
		case 'b':
			if (str_to_i64(optarg, 1024, 64 << 20, &max_body) != 0)
				return usage(false);
			break;
		case 'U':
			if (str_to_i64(optarg, 1024, (int64_t)4 << 30, &max_upload) != 0)
				return usage(false);
			break;
		case 's': api_env.secure_cookies = true; break;
		case 'J':
			if (str_to_i64(optarg, 1, 3600, &interval) != 0)
				return usage(false);
			break;
		case 1001: smtp_url = optarg; break;
		case 1002: smtp_from = optarg; break;
		case 1003: smtp_user = optarg; break;
		case 1004: smtp_pwfile = optarg; break;
		case 1005: smtp_starttls = true; break;
		case 'h': return usage(true);
		default: return usage(false);
		}
	}
	if (optind != argc || parse_listen(listen, addr, sizeof addr, &o.port) != 0)
		return usage(false);
	if ((smtp_url || smtp_from || smtp_user || smtp_pwfile || smtp_starttls) &&
	    smtp_config(smtp_url, smtp_from, smtp_user, smtp_pwfile, smtp_starttls) != 0)
		return EXIT_USAGE;
	if (str_copy(api_env.data_dir, sizeof api_env.data_dir, dir) != 0)
		return usage(false);
	/* migrations run here, once, before any reader thread opens the database */
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (cli_preset_from_store(st, &p) != 0) {
		store_close(st);
		return EXIT_INVALID;
	}
	api_preset_swap(p);
	preset_serial = read_serial(st);
	store_close(st);
	if (api_auth_init() != 0)
		goto out;
	snprintf(upload_dir, sizeof upload_dir, "%s/tmp", dir);
	mkdir(upload_dir, 0750);
	o.addr = addr;
	o.threads = (unsigned)threads;
	o.max_body = (size_t)max_body;
	o.max_upload = (uint64_t)max_upload;
	o.upload_dir = upload_dir;
	o.static_dir = ui_dir(ui);
	o.routes = api_routes;
	o.nroutes = api_nroutes;
	o.before = api_before;
	o.after = api_after;
	o.error = api_taxii_error_from_problem; /* errors under /taxii2/ in TAXII's format */
	/* group commit of reports and comments (api/batch.c); UNGCUU_GROUP_COMMIT=0 turns it off,
	 * to compare */
	if (!(getenv("UNGCUU_GROUP_COMMIT") && strcmp(getenv("UNGCUU_GROUP_COMMIT"), "0") == 0) &&
	    api_batch_start() == 0)
		o.defer = api_batch_defer;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("preset %s, data %s, ui %s", api_env.preset->name, dir, o.static_dir ? o.static_dir : "(none)");
	jl = (struct jobs_loop){.data_dir = dir, .tick = reload_if_switched, .preset = api_preset,
				.interval = (unsigned)interval, .stop = &stop};
	jobs_started = pthread_create(&jobs, NULL, jobs_thread, &jl) == 0;
	if (http_serve(&o, &stop) == 0)
		rc = EXIT_OK;
	api_batch_stop(); /* after the server: it answered every deferred request first */
	stop = 1;
	if (jobs_started)
		pthread_join(jobs, NULL);
out:
	api_store_close_all();
	api_preset_free_all();
	return rc;
}
