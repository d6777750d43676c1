/* bench/taxii.c - the exchange formats' figures (docs/benchmarks.md, docs/stix.md):
 *   1. STIX import rate: a 10,000-indicator bundle made here, parsed, validated and written as a
 *      draft warning (stix_import_parse + stix_import_bundle + commit), indicators/s;
 *   2. TAXII paging through the real server over loopback with a Bearer token: a collection of
 *      ~1,000,000 objects (issued TLP:GREEN warnings of 1,000 indicators each, seeded through the
 *      store) read page by page with limit and next until more is false, objects/s (target
 *      > 50,000/s), at limit 10,000 and 1,000, with the slowest page.
 * usage: build/bench/taxii DATA_DIR [objects] [server binary]   (DATA_DIR must not exist)
 * The client is a plain HTTP/1.1 keep-alive client on one socket; it counts objects by their
 * "spec_version" members and follows "next". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/stix.h"
#include "cli/cli.h"
#include "core/codes.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

#define PER_WARNING 1000

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An indicator value, distinct per n: addresses, domains and SHA-256 hashes in turn. */
static void value(int64_t n, char *kind, size_t ksz, char *out, size_t osz)
{
	unsigned char h[20];

	switch (n % 3) {
	case 0:
		snprintf(kind, ksz, "ipv4");
		snprintf(out, osz, "10.%d.%d.%d", (int)(n >> 16 & 255), (int)(n >> 8 & 255), (int)(n & 255));
		break;
	case 1:
		snprintf(kind, ksz, "domain");
		snprintf(out, osz, "c2-%lld.bad-example.net", (long long)n);
		break;
	default:
		snprintf(kind, ksz, "sha256");
		stix_sha1(&n, sizeof n, h);
		str_hex(out, h, 20);
		str_hex(out + 40, h, 12);
		break;
	}
}

/* Issues a warning to every organisation, as the API does (targets, matching, outbox). */
static int issue_all(struct store *st, int64_t id)
{
	json_t *f = json_pack("{s:{s:s}}", "target", "mode", "all");
	int64_t targets, systems;
	int rc = f ? store_warning_update(st, id, 0, f) : STORE_EIO;

	json_decref(f);
	return rc == STORE_OK ? store_warning_issue(st, id, tm_now(), &targets, &systems) : rc;
}

/* Issued TLP:GREEN warnings of PER_WARNING indicators until about n objects. */
static int seed(struct store *st, const struct preset *p, int64_t org, int64_t n, double *t)
{
	int64_t warnings = n / (PER_WARNING + 1), k = 0;
	char kind[16], v[128], ref[32];
	double t0 = secs();

	(void)p;
	if (store_begin(st) != STORE_OK)
		return -1;
	for (int64_t w = 0; w < warnings; w++) {
		json_t *inds = json_array(), *row;
		int64_t id;
		int rc;

		for (int i = 0; i < PER_WARNING; i++, k++) {
			value(k, kind, sizeof kind, v, sizeof v);
			json_array_append_new(inds, json_pack("{s:s, s:s, s:s}", "kind", kind, "value", v,
							      "note", ""));
		}
		row = json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:[], s:s, s:s, s:I}", "issuer_org_id",
				(json_int_t)org, "title", "Cảnh báo thử tải TAXII", "description",
				"bench/taxii.c", "severity", "medium", "severity_rank", 2, "tlp",
				TLP_GREEN, "refs", "actions", "", "source", "bench", "created_by",
				(json_int_t)0);
		rc = store_stix_warning_create(st, row, inds, "bench", &id, ref, sizeof ref);
		if (rc == STORE_OK)
			rc = issue_all(st, id);
		json_decref(row);
		json_decref(inds);
		if (rc != STORE_OK) {
			store_rollback(st);
			return -1;
		}
	}
	if (store_commit(st) != STORE_OK)
		return -1;
	*t = secs() - t0;
	printf("seeded %lld warnings x %d indicators (%lld objects with their reports) in %.1f s\n",
	       (long long)warnings, PER_WARNING, (long long)(warnings * (PER_WARNING + 1)), *t);
	return 0;
}

/* A bundle of one report and n indicators of simple patterns. */
static char *make_bundle(int n)
{
	struct buf b;
	char kind[16], v[128], id[STIX_ID_MAX], pat[STIX_PATTERN_MAX], key[32];
	enum ind_kind k;

	buf_init(&b, 64u << 20);
	buf_puts(&b, "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
		     "\"objects\":[{\"type\":\"report\",\"spec_version\":\"2.1\",\"id\":"
		     "\"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3\",\"created\":"
		     "\"2026-11-18T02:15:00.000Z\",\"modified\":\"2026-11-18T02:15:00.000Z\","
		     "\"published\":\"2026-11-18T02:15:00.000Z\",\"name\":\"Bench import\","
		     "\"object_refs\":[\"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade\"],"
		     "\"object_marking_refs\":[\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\"]}");
	for (int i = 0; i < n; i++) {
		value(5000000 + i, kind, sizeof kind, v, sizeof v);
		indicator_kind_parse(kind, &k);
		stix_pattern_make(k, v, pat, sizeof pat);
		snprintf(key, sizeof key, "%d", i);
		stix_id_make(stix_ns_ungcuu, "indicator", key, strlen(key), id, sizeof id);
		buf_printf(&b, ",{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"%s\","
			       "\"created\":\"2026-11-18T02:15:00.000Z\",\"modified\":"
			       "\"2026-11-18T02:15:00.000Z\",\"name\":\"%s\",\"pattern\":\"%s\","
			       "\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-18T02:15:00Z\"}",
			   id, v, pat);
	}
	buf_puts(&b, "]}");
	return buf_take(&b);
}

static int import_rate(struct store *st, const struct preset *p, int64_t org)
{
	struct ops_ctx c = {.st = st, .preset = p,
			    .actor = {.subject = {.org_id = org, .org_role = ORG_COORDINATOR,
						  .roles = ROLE_ALL, .coordinator = true},
				      .machine = true, .username = "bench", .ip = "local"},
			    .now = tm_now(), .channel = OPS_CLI};
	char *text = make_bundle(10000), why[300];
	struct ops_err err;
	json_t *doc = NULL, *res = NULL;
	double t0, t1;
	int rc = -1;

	if (text == NULL)
		return -1;
	t0 = secs();
	if (stix_import_parse(text, strlen(text), &doc, why, sizeof why) == 0 &&
	    store_begin(st) == STORE_OK && stix_import_bundle(&c, doc, &res, &err) == OPS_OK &&
	    store_commit(st) == STORE_OK)
		rc = 0;
	t1 = secs();
	if (rc == 0)
		printf("STIX import: 10,000-indicator bundle (%zu bytes) in %.3f s = %.0f indicators/s\n",
		       strlen(text), t1 - t0, 10000 / (t1 - t0));
	else
		fprintf(stderr, "import failed: %s\n", why);
	json_decref(doc);
	json_decref(res);
	free(text);
	return rc;
}

static int make_token(struct store *st, int64_t org, char token[CRYPTO_TOKEN_CHARS])
{
	char h[CRYPTO_HASH_HEX];
	json_t *u = json_pack("{s:s, s:s, s:I, s:i, s:s, s:b}", "username", "bench.taxii",
			      "full_name", "Bench TAXII", "org_id", (json_int_t)org, "roles",
			      ROLE_OPERATOR, "pw_hash", "-", "must_change_pw", 0);
	int64_t uid, tid;
	int rc = store_begin(st);

	crypto_token(token);
	crypto_blake2b_hex(h, token, strlen(token));
	if (rc == STORE_OK)
		rc = store_user_create(st, u, &uid);
	if (rc == STORE_OK)
		rc = store_token_create(st, h, uid, "bench", &tid);
	if (rc == STORE_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	json_decref(u);
	return rc == STORE_OK ? 0 : -1;
}

static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int dial(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* One GET on the keep-alive socket; the body into b. Returns the status or -1. */
static int get(int fd, const char *path, const char *token, struct buf *b)
{
	char req[2048], head[8192];
	size_t hl = 0, want;
	char *end, *cl;
	int64_t num;
	int n, status;

	n = snprintf(req, sizeof req,
		     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
		     "Accept: application/taxii+json;version=2.1\r\n\r\n", path, token);
	if (n <= 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n)
		return -1;
	buf_reset(b);
	for (;;) { /* headers */
		ssize_t r = read(fd, head + hl, sizeof head - 1 - hl);

		if (r <= 0)
			return -1;
		hl += (size_t)r;
		head[hl] = '\0';
		if ((end = strstr(head, "\r\n\r\n")) != NULL)
			break;
		if (hl == sizeof head - 1)
			return -1;
	}
	if (hl < 12 || str_to_i64n(head + 9, 3, 100, 599, &num) != 0)
		return -1;
	status = (int)num;
	cl = strcasestr(head, "Content-Length:");
	if (cl == NULL)
		return -1;
	cl += 15;
	while (*cl == ' ')
		cl++;
	if (str_to_i64n(cl, strspn(cl, "0123456789"), 0, INT64_MAX, &num) != 0)
		return -1;
	want = (size_t)num;
	buf_append(b, end + 4, hl - (size_t)(end + 4 - head));
	while (b->len < want) {
		char chunk[65536];
		ssize_t r = read(fd, chunk, sizeof chunk);

		if (r <= 0)
			return -1;
		buf_append(b, chunk, (size_t)r);
	}
	return status;
}

static int64_t count(const char *s)
{
	int64_t n = 0;

	while ((s = strstr(s, "\"spec_version\":\"2.1\"")) != NULL) {
		n++;
		s += 20;
	}
	return n;
}

/* Reads the whole collection at limit; prints objects/s. */
static int page_through(int port, const char *token, int limit, int64_t *total)
{
	char path[512], next[128] = "";
	double t0 = secs(), slowest = 0;
	struct buf b;
	int64_t pages = 0;
	int fd = dial(port), rc = -1;

	*total = 0;
	buf_init(&b, 256u << 20);
	if (fd < 0)
		goto out;
	for (;;) {
		double p0 = secs();
		const char *nx;
		int st;

		snprintf(path, sizeof path,
			 "/taxii2/api1/collections/warnings-green/objects/?limit=%d%s%s", limit,
			 next[0] ? "&next=" : "", next);
		st = get(fd, path, token, &b);
		if (st != 200 || b.p == NULL) {
			fprintf(stderr, "page %lld: status %d\n", (long long)pages, st);
			goto out;
		}
		if (secs() - p0 > slowest)
			slowest = secs() - p0;
		*total += count(b.p);
		pages++;
		nx = strstr(b.p, "\"next\":\"");
		if (strncmp(b.p, "{\"more\":true", 12) != 0 || nx == NULL)
			break;
		nx += 8;
		snprintf(next, sizeof next, "%.*s", (int)(strchr(nx, '"') - nx), nx);
	}
	printf("TAXII paging, limit %5d: %lld objects in %lld pages, %.2f s = %.0f objects/s "
	       "(slowest page %.0f ms)%s\n",
	       limit, (long long)*total, (long long)pages, secs() - t0,
	       (double)*total / (secs() - t0), slowest * 1000,
	       (double)*total / (secs() - t0) > 50000 ? "  [target > 50,000/s: pass]"
						       : "  [target > 50,000/s: FAIL]");
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	buf_free(&b);
	return rc;
}

int main(int argc, char **argv)
{
	char *initv[6], token[CRYPTO_TOKEN_CHARS], v[32], portarg[32];
	const char *server = argc > 3 ? argv[3] : "build/ungcuu";
	int64_t n = 1000000, coord, total;
	struct preset *p = NULL;
	struct store *st = NULL;
	double t_seed;
	pid_t pid;
	int port, fails = 0;

	if (argc < 2 || (argc > 2 && str_to_i64(argv[2], 2000, 100000000, &n) != 0)) {
		fprintf(stderr, "usage: taxii DATA_DIR [objects] [server binary]\n");
		return 2;
	}
	setenv("UNGCUU_FAST_HASH", "1", 1);
	if (crypto_init() != 0)
		return 1;
	initv[0] = "init";
	initv[1] = "--data";
	initv[2] = argv[1];
	initv[3] = "--preset";
	initv[4] = "national";
	initv[5] = NULL;
	if (cli_init(5, initv) != 0 || cli_open(argv[1], false, &st) != 0 ||
	    cli_preset_from_store(st, &p) != 0 ||
	    store_meta_get(st, "coordinator_org_id", v, sizeof v) != STORE_OK ||
	    str_to_i64(v, 1, INT64_MAX, &coord) != 0)
		return 1;
	if (import_rate(st, p, coord) != 0 || seed(st, p, coord, n, &t_seed) != 0 ||
	    make_token(st, coord, token) != 0)
		return 1;
	store_close(st);
	preset_free(p);
	port = free_port();
	snprintf(portarg, sizeof portarg, "127.0.0.1:%d", port);
	pid = fork();
	if (pid == 0) {
		execl(server, server, "serve", "--data", argv[1], "--listen", portarg, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) { /* wait for the listener */
		int fd = dial(port);

		if (fd >= 0) {
			close(fd);
			break;
		}
		usleep(50000);
	}
	fails += page_through(port, token, 10000, &total) != 0 || total < n - 2000;
	fails += page_through(port, token, 1000, &total) != 0 || total < n - 2000;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return fails ? 1 : 0;
}
