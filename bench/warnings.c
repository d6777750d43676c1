/* warnings.c - issue 6's figures (docs/warnings.md): matching an incident's 100 observables
 * against 1,000,000 stored indicators and 50,000 system assets (networks of several prefix
 * lengths and domains, so CIDR containment and domain suffixes are exercised), p50/p99 latency
 * (target < 5 ms); and issuing a warning to 10,000 organisations with asset matching, time until
 * every target, its outbox row and its matched systems are written (target < 1 s). Through the
 * real store (store_match, store_warning_issue); the indicator rows are bulk-loaded with SQLite
 * directly, which is only the seeding. Prints figures; `make bench` runs it.
 * Usage: warnings DATA_DIR [indicators assets orgs]   (DATA_DIR must not exist) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

#define RUNS 300
#define OBSERVABLES 100

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Organisations and systems with two assets each (a network of /24, /28 or /29 inside
 * 10.0.0.0/8, and a domain sysN.orgM.gov.vn), through the store so the matching keys are made
 * as in production. */
static int seed_registry(struct store *st, int norgs, int nassets, int64_t *orgs)
{
	static const unsigned lens[] = {24, 28, 29};

	for (int i = 0; i < norgs; i++) {
		char code[32], name[64];
		json_t *o;
		int rc;

		snprintf(code, sizeof code, "org%d", i);
		snprintf(name, sizeof name, "Đơn vị thử nghiệm số %d", i);
		o = json_pack("{s:s, s:s, s:s}", "code", code, "name", name, "role",
			      i < 5 ? "isp" : "member");
		rc = store_org_create(st, o, &orgs[i]);
		json_decref(o);
		if (rc != STORE_OK)
			return -1;
	}
	for (int i = 0; i < nassets / 2; i++) {
		unsigned len = lens[i % 3];
		int64_t org = orgs[next((unsigned)norgs)], id;
		char net[64], dom[96], name[64];
		json_t *s;
		int rc;

		/* /24s on distinct third octets; /28 and /29 carved out of 10.200-255.x.x */
		if (len == 24)
			snprintf(net, sizeof net, "10.%d.%d.0/24", (i / 256) % 200, i % 256);
		else
			snprintf(net, sizeof net, "10.%d.%d.%d/%u", 200 + (i / 4096) % 56,
				 (i / 16) % 256, (i % 16) * 16, len);
		snprintf(dom, sizeof dom, "sys%d.org%d.gov.vn", i, (int)(org % 1000));
		snprintf(name, sizeof name, "Hệ thống %d", i);
		s = json_pack("{s:s, s:I, s:I, s:i, s:[{s:s, s:s}, {s:s, s:s}]}", "name", name,
			      "owner_org_id", (json_int_t)org, "operator_org_id", (json_int_t)org,
			      "level", 2, "assets", "kind", "cidr", "value", net, "kind", "domain",
			      "value", dom);
		rc = store_system_create(st, s, &id);
		json_decref(s);
		if (rc != STORE_OK)
			return -1;
	}
	return 0;
}

static void random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		out[i] = hex[next(16)];
	out[n] = '\0';
}

/* n indicators over 2,000 imported warnings: addresses (some inside the assets' networks),
 * domains (some under the systems' domains), hashes, URLs, and networks of /16 and /22 so the
 * prefix set holds those too. */
static int seed_indicators(const char *dir, int n, int64_t issuer)
{
	char path[1200], v[160];
	sqlite3 *db = NULL;
	sqlite3_stmt *w = NULL, *ins = NULL;
	int rc = -1;

	snprintf(path, sizeof path, "%s/ungcuu.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO warnings(ref, issuer_org_id, title, severity, severity_rank, "
			       "tlp, status, source, created_at, updated_at) VALUES (?1, ?2, "
			       "'Cảnh báo nhập từ MISP', 'high', 3, 2, 'closed', 'misp:bench', 0, 0)",
			       -1, &w, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO indicators(kind, value, warning_id, source, created_at) "
			       "VALUES (?1, ?2, ?3, 'misp', 0)",
			       -1, &ins, NULL) != SQLITE_OK)
		goto out;
	for (int i = 1; i <= 2000; i++) {
		snprintf(v, sizeof v, "CB-1999-%06d", i);
		sqlite3_bind_text(w, 1, v, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(w, 2, issuer);
		if (sqlite3_step(w) != SQLITE_DONE)
			goto out;
		sqlite3_reset(w);
	}
	for (int i = 0; i < n; i++) {
		const char *kind;
		unsigned k = next(100);

		if (k < 35) {
			kind = "ipv4";
			snprintf(v, sizeof v, "%u.%u.%u.%u", 1 + next(223), next(256), next(256), next(256));
		} else if (k < 65) {
			kind = "domain";
			snprintf(v, sizeof v, "h%u.d%u.example", next(1000000), next(50000));
		} else if (k < 85) {
			kind = "sha256";
			random_hex(v, 64);
		} else if (k < 97) {
			kind = "url";
			snprintf(v, sizeof v, "http://d%u.example/p/%u", next(50000), next(1000000));
		} else {
			kind = "cidr";
			if (k < 99)
				snprintf(v, sizeof v, "%u.%u.0.0/16", 1 + next(223), next(256));
			else
				snprintf(v, sizeof v, "%u.%u.%u.0/22", 1 + next(223), next(256), next(64) * 4);
		}
		sqlite3_bind_text(ins, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, v, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 3, 1 + next(2000));
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto out;
		sqlite3_reset(ins);
	}
	if (sqlite3_exec(db, "INSERT OR IGNORE INTO match_prefixes(family, bits) VALUES (4, 16), (4, 22); "
			     "COMMIT; ANALYZE",
			 NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "seed: %s\n", db ? sqlite3_errmsg(db) : "open");
	sqlite3_finalize(w);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return rc;
}

/* 100 observables of an incident: addresses in and out of the registry's networks, names under
 * the systems' domains and elsewhere, URLs and hashes. */
static json_t *observables(int nsys)
{
	json_t *a = json_array();
	char v[160];

	for (int i = 0; i < OBSERVABLES; i++) {
		const char *kind;
		unsigned k = next(100);

		if (k < 40) {
			kind = "ipv4";
			if (next(2))
				snprintf(v, sizeof v, "10.%u.%u.%u", next(256), next(256), 1 + next(254));
			else
				snprintf(v, sizeof v, "%u.%u.%u.%u", 1 + next(223), next(256), next(256),
					 next(256));
		} else if (k < 70) {
			kind = "domain";
			snprintf(v, sizeof v, "www.sys%u.org%u.gov.vn", next((unsigned)nsys), next(1000));
		} else if (k < 80) {
			kind = "url";
			snprintf(v, sizeof v, "https://cdn%u.example/x.js", next(100000));
		} else {
			kind = "sha256";
			random_hex(v, 64);
		}
		json_array_append_new(a, json_pack("{s:s, s:s}", "kind", kind, "value", v));
	}
	return a;
}

static int match_bench(struct store *st, int nsys)
{
	double t[RUNS], c[RUNS], sum = 0;
	size_t hits = 0, inds = 0;

	for (int r = 0; r < RUNS; r++) {
		json_t *obs = observables(nsys), *out = NULL;
		double t0 = secs(), c0 = cpu();
		int rc = store_match(st, obs, NULL, "incident", 0, &out);

		t[r] = (secs() - t0) * 1000;
		c[r] = (cpu() - c0) * 1000;
		sum += t[r];
		if (rc != STORE_OK) {
			fprintf(stderr, "match failed (%d)\n", rc);
			return -1;
		}
		hits += json_array_size(json_object_get(out, "systems"));
		inds += json_array_size(json_object_get(out, "indicators"));
		json_decref(obs);
		json_decref(out);
	}
	qsort(t, RUNS, sizeof t[0], cmp_double);
	qsort(c, RUNS, sizeof c[0], cmp_double);
	printf("match %d observables (%d runs): wall p50 %.2f ms, p99 %.2f ms, mean %.2f ms; CPU "
	       "p50 %.2f ms, p99 %.2f ms; %.1f systems and %.1f stored indicators matched per run "
	       "(target < 5 ms)\n",
	       OBSERVABLES, RUNS, t[RUNS / 2], t[RUNS * 99 / 100], sum / RUNS, c[RUNS / 2],
	       c[RUNS * 99 / 100], (double)hits / RUNS, (double)inds / RUNS);
	return 0;
}

/* A warning to every organisation (mode all) naming networks and domains of the registry, so
 * the matched systems are recorded for their owners too; issued in one transaction. */
static int issue_bench(struct store *st, int64_t issuer, const char *mode, const char *label)
{
	json_t *w = json_pack("{s:I, s:s, s:s, s:i, s:i, s:{s:s}, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}",
			      "issuer_org_id", (json_int_t)issuer, "title",
			      "Cảnh báo lỗ hổng cho toàn tỉnh", "severity", "high", "severity_rank",
			      3, "tlp", TLP_AMBER, "target", "mode", mode, "indicators", "kind",
			      "cidr", "value", "10.0.0.0/12", "kind", "domain", "value", "www.sys17.org5.gov.vn",
			      "kind", "ipv4", "value", "10.200.0.5");
	int64_t id = 0, targets = 0, systems = 0, now = tm_now();
	double t0;
	int rc;

	rc = store_begin(st);
	if (rc == STORE_OK)
		rc = store_warning_create(st, w, &id, NULL);
	if (rc == STORE_OK)
		rc = store_commit(st);
	json_decref(w);
	if (rc != STORE_OK)
		return -1;
	t0 = secs();
	rc = store_begin(st);
	if (rc == STORE_OK)
		rc = store_warning_issue(st, id, now, &targets, &systems);
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK) {
		store_rollback(st);
		fprintf(stderr, "issue failed (%d)\n", rc);
		return -1;
	}
	printf("issue a warning (%s): %lld organisations targeted, %lld matched systems recorded, "
	       "outbox rows written, in %.3f s (target < 1 s)\n",
	       label, (long long)targets, (long long)systems, secs() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	int nind = 1000000, nassets = 50000, norgs = 10000;
	struct store *st = NULL;
	int64_t *orgs, coord = 0;
	double t0;
	char v[32];

	if (argc != 2 && argc != 5) {
		fprintf(stderr, "usage: warnings DATA_DIR [indicators assets orgs]\n");
		return 2;
	}
	if (argc == 5) {
		int64_t n[3];

		for (int i = 0; i < 3; i++)
			if (str_to_i64(argv[2 + i], 1, 100000000, &n[i]) != 0) {
				fprintf(stderr, "warnings: sizes are whole numbers\n");
				return 2;
			}
		nind = (int)n[0];
		nassets = (int)n[1];
		norgs = (int)n[2];
	}
	setenv("UNGCUU_FAST_HASH", "1", 1);
	orgs = calloc((size_t)norgs, sizeof *orgs);
	{
		char *iargv[] = {"init", "--data", argv[1], "--preset", "national", NULL};

		if (orgs == NULL || crypto_init() != 0 || cli_init(5, iargv) != 0 ||
		    cli_open(argv[1], false, &st) != 0)
			return 1;
	}
	if (store_meta_get(st, "coordinator_org_id", v, sizeof v) != STORE_OK ||
	    str_to_i64(v, 1, INT64_MAX, &coord) != 0)
		return 1;
	t0 = secs();
	if (store_begin(st) != STORE_OK || seed_registry(st, norgs, nassets, orgs) != 0 ||
	    store_commit(st) != STORE_OK) {
		fprintf(stderr, "seeding the registry failed\n");
		return 1;
	}
	printf("registry: %d organisations, %d systems, %d assets (seeded in %.1f s)\n", norgs,
	       nassets / 2, nassets, secs() - t0);
	store_close(st);
	t0 = secs();
	if (seed_indicators(argv[1], nind, coord) != 0)
		return 1;
	printf("indicators: %d stored (bulk-loaded in %.1f s)\n", nind, secs() - t0);
	if (cli_open(argv[1], false, &st) != 0)
		return 1;
	if (match_bench(st, nassets / 2) != 0 ||
	    issue_bench(st, coord, "all", "all organisations, asset matching") != 0 ||
	    issue_bench(st, coord, "match", "mode match: owners of matching systems") != 0)
		return 1;
	store_close(st);
	free(orgs);
	return 0;
}
