/* scan.c - issue 6's scanner import figures (docs/benchmarks.md, docs/scan.md): a Greenbone
 * report of N results (default 10,000) made up here, parsed and imported for one system of a
 * fresh Quảng Nam demo instance; then the same report again an hour later (every finding
 * deduplicated), and a later one without a tenth of the results (those closed).
 * usage: build/bench/scan DIR [N] - DIR must not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "cli/cli.h"
#include "importer/scan.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A GVM 22.4-like report: n results over 250 hosts, each with an NVT, CVSS v3 score, 3 CVEs and
 * a description; results i % skip == 0 left out when skip > 0. */
static int make_report(struct buf *b, int n, int skip, int64_t at)
{
	char iso[32];

	tm_format_iso(at, iso, sizeof iso);
	buf_reset(b);
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report id=\"bench\" "
		      "format_id=\"a994b278-1f62-11e1-96ac-406186ea4fc5\"><report id=\"bench\">"
		      "<scan_start>%s</scan_start><results start=\"1\" max=\"%d\">\n", iso, n);
	for (int i = 0; i < n; i++) {
		int host = i % 250, port = (int[]){22, 80, 443, 3306, 8080}[i % 5];
		double score = (double)(i % 100) / 10.0 + 0.1;

		if (skip > 0 && i % skip == 0)
			continue;
		buf_printf(b,
			   "<result id=\"r%d\"><name>Bench vulnerability %d</name><host>10.%d.%d.%d"
			   "<asset asset_id=\"a%d\"/><hostname>h%d.binhminh.gov.vn</hostname></host>"
			   "<port>%d/tcp</port><nvt oid=\"1.3.6.1.4.1.25623.1.0.%d\"><type>nvt</type>"
			   "<name>Bench vulnerability %d in a web server component</name><family>Web"
			   "</family><cvss_base>%.1f</cvss_base><severities score=\"%.1f\"><severity "
			   "type=\"cvss_base_v3\"><origin/><date>2024-01-01T00:00:00Z</date><score>%.1f"
			   "</score><value>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</value>"
			   "</severity></severities><refs><ref type=\"cve\" id=\"CVE-2024-%d\"/><ref "
			   "type=\"cve\" id=\"CVE-2023-%d\"/><ref type=\"cve\" id=\"CVE-2022-%d\"/><ref "
			   "type=\"url\" id=\"https://example.org/%d\"/></refs></nvt><threat>%s</threat>"
			   "<severity>%.1f</severity><qod><value>80</value></qod><description>Installed "
			   "version: 2.4.%d\nFixed version: 2.4.99\nThe remote host runs a version that "
			   "is affected by several vulnerabilities allowing remote code execution."
			   "</description></result>\n",
			   i, i, host / 100, host % 100, i % 7, host, host, port, 100000 + i, i, score,
			   score, score, 10000 + i, 20000 + i, 30000 + i, i,
			   score >= 7 ? "High" : score >= 4 ? "Medium" : "Low", score, i % 60);
	}
	return buf_puts(b, "</results></report></report>\n") == BUF_OK ? 0 : -1;
}

/* Parses and imports the report in one transaction. Returns 0 and the times, or -1. */
static int import(struct store *st, const struct preset *p, int64_t system_id, const struct buf *b,
		  double *t_parse, double *t_import, struct store_scan_counts *c)
{
	struct scan_report rep;
	struct api_scan_in in = {.system_id = system_id, .sha256 = "0", .name = "bench.xml",
				 .size = (int64_t)b->len, .now = tm_now()};
	json_t *after = NULL;
	int64_t scan_id;
	double t0 = secs();
	int rc = scan_parse(b->p, b->len, NULL, &rep);

	*t_parse = secs() - t0;
	if (rc != SCAN_OK) {
		char msg[512];

		fprintf(stderr, "bench scan: %s\n", scan_report_problem(&rep, msg, sizeof msg));
		scan_report_free(&rep);
		return -1;
	}
	t0 = secs();
	rc = store_begin(st);
	if (rc == STORE_OK)
		rc = api_scan_apply(st, p, &in, &rep, &scan_id, &after);
	if (rc == STORE_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	*t_import = secs() - t0;
	if (rc == STORE_OK) {
		c->results = json_integer_value(json_object_get(after, "results"));
		c->created = json_integer_value(json_object_get(after, "new_count"));
		c->seen = json_integer_value(json_object_get(after, "seen_count"));
		c->closed = json_integer_value(json_object_get(after, "closed_count"));
	}
	json_decref(after);
	scan_report_free(&rep);
	return rc == STORE_OK ? 0 : -1;
}

static void report(const char *what, int n, size_t bytes, double tp, double ti,
		   const struct store_scan_counts *c)
{
	printf("%-34s %6d results %6.1f MB: parse %6.3f s, import %6.3f s, total %6.3f s = %8.0f "
	       "results/s (new %lld, seen %lld, closed %lld)\n",
	       what, n, (double)bytes / 1e6, tp, ti, tp + ti, (double)n / (tp + ti),
	       (long long)c->created, (long long)c->seen, (long long)c->closed);
}

int main(int argc, char **argv)
{
	char *init[] = {"init", "--data", NULL, "--preset", "quangnam-2022", "--demo", NULL};
	struct store_scan_counts c = {0};
	struct preset *p = NULL;
	struct store *st = NULL;
	struct buf b;
	int64_t n = 10000, now = tm_now();
	double tp, ti;

	if (argc < 2 || argc > 3 || (argc == 3 && str_to_i64(argv[2], 1, 1000000, &n) != 0)) {
		fprintf(stderr, "usage: %s DIR [RESULTS]\n", argv[0]);
		return 2;
	}
	init[2] = argv[1];
	if (crypto_init() != 0 || cli_init(6, init) != 0 || cli_open(argv[1], false, &st) != 0 ||
	    cli_preset_from_store(st, &p) != 0)
		return 1;
	buf_init(&b, (size_t)1 << 30);
	if (make_report(&b, (int)n, 0, now - 7200) != 0 ||
	    import(st, p, 3, &b, &tp, &ti, &c) != 0)
		return 1;
	report("first import (all new)", (int)n, b.len, tp, ti, &c);
	if (make_report(&b, (int)n, 0, now - 3600) != 0 ||
	    import(st, p, 3, &b, &tp, &ti, &c) != 0)
		return 1;
	report("re-import (all deduplicated)", (int)n, b.len, tp, ti, &c);
	if (make_report(&b, (int)n, 10, now - 60) != 0 || import(st, p, 3, &b, &tp, &ti, &c) != 0)
		return 1;
	report("later scan, 10% fixed (closed)", (int)c.results, b.len, tp, ti, &c);
	buf_free(&b);
	preset_free(p);
	store_close(st);
	return 0;
}
