/* finding.h - a finding of a vulnerability scan of an information system (docs/scan.md): what
 * the scanner parsers (importer/scan.c) produce and the store tracks. Pure: no I/O. */
#ifndef UNGCUU_FINDING_H
#define UNGCUU_FINDING_H
#include <stdbool.h>
#include <stddef.h>

#define FINDING_KEY_MAX 400     /* "nvt:<oid>|<host>|<port>/<proto>" */
#define FINDING_TITLE_MAX 300   /* bytes, cut at a character boundary */
#define FINDING_CVES_MAX 1024   /* comma-separated ids; ids that do not fit are left out */
#define FINDING_HOST_MAX 256
#define FINDING_PROTO_MAX 16
#define FINDING_SERVICE_MAX 160
#define FINDING_NOTE_MAX 4000   /* characters of a status note */

enum finding_kind { FINDING_VULN, FINDING_OPEN_PORT };

struct finding {
	char key[FINDING_KEY_MAX];     /* dedupe key within a system and scanner */
	enum finding_kind kind;
	char title[FINDING_TITLE_MAX];
	char cves[FINDING_CVES_MAX];
	char host[FINDING_HOST_MAX];
	int port;                      /* 0 for a host-level result */
	char protocol[FINDING_PROTO_MAX];
	char service[FINDING_SERVICE_MAX];
	double cvss;                   /* 0.0 .. 10.0 when has_cvss */
	bool has_cvss;
};

/* The CVSS v3.x qualitative band of a score (FIRST CVSS v3.1 spec §5): "none" (0.0), "low"
 * (0.1-3.9), "medium" (4.0-6.9), "high" (7.0-8.9), "critical" (9.0-10.0); "unknown" for a
 * vulnerability without a score, "none" for an open port. Static string. */
const char *finding_severity(const struct finding *f);
/* The band of a score alone (as above; has false -> "unknown"). Static string. */
const char *finding_band(double cvss, bool has);
/* "vulnerability" or "open_port". Static string. */
const char *finding_kind_name(enum finding_kind k);
/* True if s is a status a finding may have: open, fixed, accepted_risk, false_positive. */
bool finding_status_valid(const char *s);
/* True if a status change to `status` needs a note (accepting a risk, calling it a false
 * positive: someone must say why). */
bool finding_status_needs_note(const char *status);
/* True if s is a well-formed CVE id ("CVE-2021-44228": year of 4 digits, 4 or more digits). */
bool finding_cve_valid(const char *s, size_t n);

#endif
