/* procedure.c - issue 3's figures: duty-calendar generation for 1,000 organisations and 5,000
 * systems across a 3-year horizon, and one escalation sweep over 100,000 open incidents, through
 * the real store and engines (no HTTP). Prints times; bench/run builds and runs it.
 * Usage: procedure DATA_DIR [orgs systems incidents]   (DATA_DIR must not exist) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "jobs/jobs.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

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

static int add_orgs(struct store *st, int n, int64_t *ids)
{

	for (int i = 0; i < n; i++) {
		char code[32], name[64];
		json_t *o;
		int rc;
		/* a province: one police, one military command, one response team, a few ISPs and firms,
		 * the rest members */
		const char *role = i == 0 ? "police" : i == 1 ? "military" : i == 2 ? "response_team" :
						   i < 8 ? "isp" : i < 12 ? "security_firm" : i < 14 ? "central_agency" :
						   i == 14 ? "national" : "member";

		snprintf(code, sizeof code, "org%d", i);
		snprintf(name, sizeof name, "Đơn vị thử nghiệm số %d", i);
		o = json_pack("{s:s, s:s, s:s}", "code", code, "name", name, "role", role);
		rc = store_org_create(st, o, &ids[i]);
		json_decref(o);
		if (rc != STORE_OK)
			return -1;
	}
	return 0;
}

static int add_systems(struct store *st, int n, const int64_t *orgs, int norgs)
{
	for (int i = 0; i < n; i++) {
		int64_t org = orgs[next((unsigned)norgs)], id;
		char name[64];
		json_t *s;
		int rc;

		snprintf(name, sizeof name, "Hệ thống thông tin %d", i);
		s = json_pack("{s:s, s:I, s:I, s:i, s:b, s:b}", "name", name, "owner_org_id",
			      (json_int_t)org, "operator_org_id", (json_int_t)org, "level",
			      (int)next(5) + 1, "central_hosted", next(3) == 0, "critical",
			      next(10) == 0);
		rc = store_system_create(st, s, &id);
		json_decref(s);
		if (rc != STORE_OK)
			return -1;
	}
	return 0;
}

static int add_incidents(struct store *st, const struct preset *p, int n, const int64_t *orgs,
			 int norgs, int64_t user, int64_t now)
{
	static const char *const states[] = {"new", "reported", "coordinated", "internal"};

	for (int i = 0; i < n; i++) {
		const struct preset_item *sev = &p->severities[next((unsigned)p->nseverities)];
		json_t *inc = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:s, s:I, s:[]}", "org_id",
			(json_int_t)orgs[next((unsigned)norgs)], "title",
			"Sự cố tấn công thử nghiệm hiệu năng", "grp", "attack", "type", "ddos",
			"severity", sev->code, "severity_rank", sev->rank, "status",
			states[next(4)], "tlp", TLP_AMBER, "detected_at",
			(json_int_t)(now - 86400 * (int64_t)next(30)), "description",
			"Lưu lượng bất thường vào cổng thông tin điện tử", "created_by", (json_int_t)user,
			"systems");
		int64_t id;
		int rc = store_incident_create(st, inc, &id, NULL);

		json_decref(inc);
		if (rc != STORE_OK)
			return -1;
	}
	return 0;
}

/* Flags every incident "unresolved" in one statement, as a coordinator would have over weeks. */
static int flag_all(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "sqlite3 %s/ungcuu.db \"UPDATE incidents SET flags = 'unresolved', "
		 "state_changed_at = state_changed_at - 10 * 86400\"", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup(const char *dir, int norgs, int nsys, int ninc, struct preset **p, double *t)
{
	char *argv[] = {"init", "--data", (char *)dir, "--preset", "hue-2017", NULL};
	struct store_user_auth u;
	struct store *st;
	int64_t *orgs = calloc((size_t)norgs, sizeof *orgs), now = tm_now();
	int rc = -1;
	double t0;

	if (orgs == NULL || cli_init(5, argv) != 0 || cli_open(dir, false, &st) != 0)
		return -1;
	if (cli_preset_from_store(st, p) != 0 || store_user_auth_by_name(st, "admin", &u) != STORE_OK)
		goto out;
	t0 = secs();
	if (store_begin(st) != STORE_OK || add_orgs(st, norgs, orgs) != 0 ||
	    add_systems(st, nsys, orgs, norgs) != 0 ||
	    add_incidents(st, *p, ninc, orgs, norgs, u.id, now) != 0 || store_commit(st) != STORE_OK)
		goto out;
	*t = secs() - t0;
	rc = 0;
out:
	store_close(st);
	free(orgs);
	return rc;
}

int main(int argc, char **argv)
{
	int norgs = 1000, nsys = 5000, ninc = 100000;
	struct jobs_counts c1 = {0}, c2 = {0}, c3 = {0}, c4 = {0};
	struct preset *p = NULL;
	struct store *st = NULL;
	int64_t now, added, cancelled;
	double t_seed, t0, t_dut, t_dut2, t_scan, t_fire, t_again;
	const char *names[] = {"hue-2017", "tayson", "quangnam-2022", "hue-2019", "bacgiang-2024"};

	if (argc != 2 && argc != 5) {
		fprintf(stderr, "usage: procedure DATA_DIR [orgs systems incidents]\n");
		return 2;
	}
	if (argc == 5) {
		int64_t v[3];

		for (int i = 0; i < 3; i++)
			if (str_to_i64(argv[2 + i], 1, 10000000, &v[i]) != 0) {
				fprintf(stderr, "procedure: sizes are whole numbers\n");
				return 2;
			}
		norgs = (int)v[0];
		nsys = (int)v[1];
		ninc = (int)v[2];
	}
	setenv("UNGCUU_FAST_HASH", "1", 1);
	if (crypto_init() != 0 || setup(argv[1], norgs, nsys, ninc, &p, &t_seed) != 0 ||
	    cli_open(argv[1], false, &st) != 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	printf("registry: %d organisations, %d systems, %d open incidents (seeded in %.1f s)\n", norgs,
	       nsys, ninc, t_seed);
	now = tm_now();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct preset *q = NULL;

		if (cli_preset_load(names[i], NULL, &q, NULL) != 0)
			return 1;
		/* a fresh calendar for each preset: the cost of generating everything */
		store_begin(st);
		t0 = secs();
		store_duty_sync(st, q, now, now + 3 * 366 * 86400LL, now, &added, &cancelled);
		t_dut = secs() - t0;
		t0 = secs();
		store_duty_sync(st, q, now, now + 3 * 366 * 86400LL, now, &c1.duties_added, &c1.duties_cancelled);
		t_dut2 = secs() - t0;
		store_rollback(st);
		printf("duty calendar, 3 years, preset %-14s %7lld instances generated in %6.3f s; "
		       "re-sync (nothing new) %6.3f s\n",
		       names[i], (long long)added, t_dut, t_dut2);
		preset_free(q);
	}
	t0 = secs();
	jobs_sweep(st, p, now, &c2); /* no rule can fire yet: the scan alone */
	t_scan = secs() - t0;
	printf("escalation sweep over %d open incidents, nothing due: %.3f s (%lld candidates)\n", ninc,
	       t_scan, (long long)c2.candidates);
	store_close(st);
	if (flag_all(argv[1]) != 0 || cli_open(argv[1], false, &st) != 0)
		return 1;
	t0 = secs();
	jobs_sweep(st, p, now, &c3);
	t_fire = secs() - t0;
	printf("escalation sweep over %d open incidents, all due (000 Đ7.1d): %.3f s, %lld fired "
	       "(%.0f firings/s)\n",
	       ninc, t_fire, (long long)c3.fired, (double)c3.fired / t_fire);
	t0 = secs();
	jobs_sweep(st, p, now, &c4);
	t_again = secs() - t0;
	printf("the same sweep again (all fired already): %.3f s, %lld fired\n", t_again,
	       (long long)c4.fired);
	store_close(st);
	preset_free(p);
	return 0;
}
