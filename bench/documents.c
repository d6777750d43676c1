/* documents.c - the official documents' figures: the quarterly bulletin (PDF, XLSX) and the
 * half-year summary Mẫu 05 (PDF, XLSX, CSV) over 100,000 incidents, through the real store and
 * renderers (api_doc_make, no HTTP). Each document is made in a child process of its own, so the
 * peak resident memory (getrusage ru_maxrss) is that of making it: opening the store, loading
 * the preset, fontconfig and pango, the queries, the layout. Targets: < 2 s and < 100 MB each.
 *
 * Usage: documents DATA_DIR [incidents]   (default 100000; a DATA_DIR that exists already is
 * measured as it is, without seeding)
 * Build (after `make all`), from the repository root, with the Makefile's own flags and libraries:
 *   cc -std=c17 -D_GNU_SOURCE -O2 -g -Isrc \
 *      $(make -s --no-print-directory --eval='f: ; @echo $(PKG_CFLAGS)' f) \
 *      -o build/bench/documents bench/documents.c \
 *      $(find build/src -mindepth 2 -name '*.o') build/migrations.o build/presets.o \
 *      $(make -s --no-print-directory --eval='l: ; @echo $(PKG_LIBS)' l)
 * and run: build/bench/documents /tmp/ungcuu-bench-documents */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/codes.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

#define NORGS 200

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

static int add_orgs(struct store *st, int64_t *ids)
{
	for (int i = 0; i < NORGS; i++) {
		char code[32], name[96];
		const char *role = i == 0 ? "police" : i == 1 ? "national" : i < 5 ? "isp" : "member";
		json_t *o;
		int rc;

		snprintf(code, sizeof code, "org%d", i);
		snprintf(name, sizeof name, "Sở, ban, ngành thử nghiệm số %d tỉnh Bình Minh", i);
		o = json_pack("{s:s, s:s, s:s}", "code", code, "name", name, "role", role);
		rc = store_org_create(st, o, &ids[i]);
		json_decref(o);
		if (rc != STORE_OK)
			return -1;
	}
	return 0;
}

/* n incidents detected across [from, to): every group and type, severity and TLP of the preset;
 * one in ten helped by the police (an accepted request), one in twenty with the national
 * coordinator named, one in five with a closing form (foreign help, damage, proposals). */
static int add_incidents(struct store *st, const struct preset *p, int n, const int64_t *orgs,
			 int64_t user, int64_t from, int64_t to)
{
	static const char *const tlps[] = {"clear", "green", "amber", "amber", "red"};

	for (int i = 0; i < n; i++) {
		const struct preset_item *ty = &p->types[next((unsigned)p->ntypes)];
		const struct preset_item *sev = &p->severities[next((unsigned)p->nseverities)];
		int64_t org = orgs[5 + next(NORGS - 5)], id, rid;
		json_t *form = next(5) == 0 ? json_pack("{s:{s:b, s:I, s:s}}", "closing", "foreign_help",
							  next(3) == 0, "estimated_damage",
							  (json_int_t)(next(1000) * 100000),
							  "proposals", "Tăng cường giám sát, tập huấn")
					    : json_object();
		json_t *inc = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:b, s:I, s:s, s:I, s:o, s:[]}",
			"org_id", (json_int_t)org, "title", "Sự cố thử nghiệm hiệu năng bản tin", "grp",
			ty->parent, "type", ty->code, "severity", sev->code, "severity_rank", sev->rank,
			"status", "reported", "tlp", codes_tlp_parse(tlps[next(5)]), "is_drill",
			next(50) == 0, "detected_at", (json_int_t)(from + (int64_t)next((unsigned)(to - from))),
			"description", "Lưu lượng bất thường vào cổng thông tin điện tử", "created_by",
			(json_int_t)user, "form", form, "systems");
		int rc = store_incident_create(st, inc, &id, NULL);

		json_decref(inc);
		if (rc == STORE_OK && next(10) == 0) {
			json_t *req = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "incident_id",
						(json_int_t)id, "from_org_id", (json_int_t)orgs[0],
						"to_org_id", (json_int_t)orgs[0], "kind", "support", "body",
						"Đề nghị hỗ trợ", "status", "open", "created_by",
						(json_int_t)user);

			json_object_set_new(req, "from_org_id", json_integer(org));
			rc = store_request_create(st, req, &rid);
			json_decref(req);
			if (rc == STORE_OK)
				rc = store_request_answer(st, rid, "accepted", "Đã hỗ trợ", user, to);
			if (rc == STORE_OK)
				rc = store_incident_add_org(st, id, orgs[0], "request");
		}
		if (rc == STORE_OK && next(20) == 0)
			rc = store_incident_add_org(st, id, orgs[1], "escalation");
		if (rc != STORE_OK)
			return -1;
	}
	return 0;
}

static int seed(const char *dir, int n, int64_t from, int64_t to, double *t)
{
	char *argv[] = {"init", "--data", (char *)dir, "--preset", "national", NULL};
	int64_t orgs[NORGS];
	struct store_user_auth u;
	struct preset *p = NULL;
	struct store *st = NULL;
	int rc = -1;
	double t0;

	if (cli_init(5, argv) != 0 || cli_open(dir, false, &st) != 0)
		return -1;
	if (cli_preset_from_store(st, &p) != 0 || store_user_auth_by_name(st, "admin", &u) != STORE_OK)
		goto out;
	t0 = secs();
	if (store_begin(st) != STORE_OK || add_orgs(st, orgs) != 0 ||
	    add_incidents(st, p, n, orgs, u.id, from, to) != 0 || store_commit(st) != STORE_OK)
		goto out;
	*t = secs() - t0;
	rc = 0;
out:
	preset_free(p);
	store_close(st);
	return rc;
}

/* Makes one document in a child process; prints its time, size and the child's peak RSS. */
static int measure(const char *dir, const char *label, struct api_doc_req r)
{
	int fds[2], status;
	pid_t pid;
	char line[256] = "";
	ssize_t got;

	if (pipe(fds) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		struct preset *p = NULL;
		struct store *st = NULL;
		struct api_doc doc;
		struct rusage ru;
		char tmp[1100];
		double cpu;
		double t0 = secs(), t1, t2;
		size_t size;

		close(fds[0]);
		snprintf(tmp, sizeof tmp, "%s/tmp", dir);
		r.tmpdir = tmp;
		r.now = tm_now();
		if (cli_open(dir, false, &st) != 0 || cli_preset_from_store(st, &p) != 0 ||
		    api_doc_make(st, p, &r, &doc) != STORE_OK)
			_exit(1);
		t1 = secs() - t0;
		size = doc.data.len;
		api_doc_free(&doc);
		t0 = secs();
		if (api_doc_make(st, p, &r, &doc) != STORE_OK) /* again, fonts and caches warm */
			_exit(1);
		t2 = secs() - t0;
		api_doc_free(&doc);
		getrusage(RUSAGE_SELF, &ru);
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		snprintf(line, sizeof line,
			 "%-42s %6.3f s (again %6.3f s; CPU both %6.3f s) %7zu bytes, peak RSS %5.1f MB\n",
			 label, t1, t2, cpu, size, (double)ru.ru_maxrss / 1024.0);
		if (write(fds[1], line, strlen(line)) < 0)
			_exit(1);
		preset_free(p);
		store_close(st);
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], line, sizeof line - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (got <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s: failed\n", label);
		return -1;
	}
	line[got] = '\0';
	fputs(line, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int64_t n = 100000, from, to, hfrom, hto, coord;
	struct api_doc_req r;
	struct ac_scope everything = {.everything = true}, coordinator;
	struct store *st;
	double t_seed;
	char v[32];
	int fails = 0;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: documents DATA_DIR [incidents]\n");
		return 2;
	}
	if (argc == 3 && str_to_i64(argv[2], 1, 10000000, &n) != 0)
		return 2;
	setenv("UNGCUU_FAST_HASH", "1", 1);
	if (crypto_init() != 0)
		return 1;
	api_doc_quarter(2026, 3, &from, &to);
	api_doc_half_year(from, &hfrom, &hto);
	if (access(argv[1], F_OK) == 0) {
		t_seed = 0;
		printf("measuring the existing %s\n", argv[1]);
	} else if (seed(argv[1], (int)n, from, to, &t_seed) != 0) {
		fprintf(stderr, "seeding failed\n");
		return 1;
	}
	if (cli_open(argv[1], false, &st) != 0 ||
	    store_meta_get(st, "coordinator_org_id", v, sizeof v) != STORE_OK ||
	    str_to_i64(v, 1, INT64_MAX, &coord) != 0)
		return 1;
	store_close(st);
	/* the coordinator's scope in the server: everything below RED and what it was named on */
	coordinator = (struct ac_scope){.org_id = coord, .participations = true, .all_below_red = true};
	printf("%lld incidents in the third quarter of 2026, %d organisations (seeded in %.1f s)\n",
	       (long long)n, NORGS, t_seed);

	r = (struct api_doc_req){.kind = "bulletin", .format = API_DOC_PDF, .year = 2026, .quarter = 3,
				 .from = from, .to = to, .scope = coordinator,
				 .max_tlp_text = TLP_RED};
	fails += measure(argv[1], "bulletin PDF (coordinator's scope)", r) != 0;
	r.format = API_DOC_XLSX;
	fails += measure(argv[1], "bulletin XLSX (coordinator's scope)", r) != 0;
	r.format = API_DOC_PDF;
	r.scope = everything;
	r.max_tlp_text = TLP_GREEN;
	fails += measure(argv[1], "bulletin PDF (command line: everything)", r) != 0;

	r = (struct api_doc_req){.kind = "summary", .format = API_DOC_PDF, .from = hfrom, .to = hto,
				 .scope = coordinator, .max_tlp_text = TLP_RED};
	fails += measure(argv[1], "Mẫu 05 PDF, whole province (coordinator)", r) != 0;
	r.format = API_DOC_XLSX;
	fails += measure(argv[1], "Mẫu 05 XLSX, whole province", r) != 0;
	r.format = API_DOC_CSV;
	fails += measure(argv[1], "Mẫu 05 CSV, whole province", r) != 0;
	r.format = API_DOC_PDF;
	r.scope = everything;
	r.max_tlp_text = TLP_GREEN;
	fails += measure(argv[1], "Mẫu 05 PDF (command line: everything)", r) != 0;
	return fails ? 1 : 0;
}
