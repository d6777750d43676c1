/* fuzz_scan.c - the scanner report parsers (src/importer/scan.c): Greenbone/OpenVAS and Nmap
 * XML as an untrusted upload, under small limits so deep or wide inputs hit them quickly. Every
 * finding must come out as valid UTF-8 with a known severity, and a refused file must say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "importer/scan.h"
#include "util/str.h"

static void check_text(const char *s)
{
	if (!str_utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_limits lim = {.max_bytes = 1 << 20, .max_depth = 24, .max_results = 2000};
	struct scan_report r;
	char msg[1024];
	int rc = scan_parse((const char *)data, size, &lim, &r);

	if (rc == SCAN_OK) {
		for (size_t i = 0; i < r.n; i++) {
			const struct finding *f = &r.items[i];

			check_text(f->key);
			check_text(f->title);
			check_text(f->cves);
			check_text(f->host);
			check_text(f->service);
			if (f->key[0] == '\0' || f->host[0] == '\0' || f->port < 0 || f->port > 65535 ||
			    (f->has_cvss && (f->cvss < 0 || f->cvss > 10.0)))
				abort();
			(void)finding_severity(f);
		}
	} else if (r.error[0] == '\0' && r.nerrors == 0) {
		abort(); /* refused without a reason */
	}
	check_text(scan_report_problem(&r, msg, sizeof msg));
	scan_report_free(&r);
	return 0;
}
