/* scan.h - parsers of vulnerability scanner reports (docs/scan.md): Greenbone/OpenVAS XML
 * (GVM 21.4/22.4 <report>, or <get_reports_response> around it) and Nmap XML (<nmaprun>), into
 * core findings. The input is untrusted: libxml2 reads it as a stream without DTDs, entity
 * expansion or network access, under a size, depth and result limit. */
#ifndef UNGCUU_SCAN_H
#define UNGCUU_SCAN_H
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"

#define SCAN_OK 0
#define SCAN_EINVAL (-1)   /* not a report we read, or malformed: see error */
#define SCAN_EITEMS (-2)   /* a well-formed report with bad items: see items_bad and errors */
#define SCAN_ETOOBIG (-3)  /* over max_bytes or max_results */
#define SCAN_ENOMEM (-4)

#define SCAN_DEFAULT_MAX_BYTES ((size_t)50 << 20)
#define SCAN_DEFAULT_MAX_DEPTH 32
#define SCAN_DEFAULT_MAX_RESULTS 50000
#define SCAN_MAX_ERRORS 20       /* item errors kept (all are counted) */
#define SCAN_ERROR_MAX 300

struct scan_limits {
	size_t max_bytes;     /* 0 = SCAN_DEFAULT_MAX_BYTES */
	int max_depth;        /* element nesting; 0 = SCAN_DEFAULT_MAX_DEPTH */
	size_t max_results;   /* findings; 0 = SCAN_DEFAULT_MAX_RESULTS */
};

struct scan_item_error {
	size_t item;          /* 1-based index of the <result> (Greenbone) or <host> (Nmap) */
	long line;            /* line in the file, 0 if unknown */
	char msg[SCAN_ERROR_MAX];
};

struct scan_report {
	const char *scanner;  /* "greenbone" or "nmap" (static) */
	const char *format;   /* "gvm-report" or "nmap-xml" (static) */
	int64_t scanned_at;   /* when the scan started (from the file); 0 if it does not say */
	struct finding *items;
	size_t n, cap;
	size_t ignored;       /* log-level results, ports not open, hosts down */
	size_t items_seen;    /* <result> or <host> elements read */
	size_t items_bad;     /* of which invalid (the first SCAN_MAX_ERRORS are in errors) */
	struct scan_item_error errors[SCAN_MAX_ERRORS];
	size_t nerrors;
	char error[SCAN_ERROR_MAX]; /* the file-level error, English */
};

/* Parses a report of len bytes. Detects the format from the root element. Returns SCAN_OK with
 * *out filled (free with scan_report_free, also on error), or a SCAN_E* code with out->error or
 * out->errors saying what is wrong. lim may be NULL (defaults). */
int scan_parse(const char *data, size_t len, const struct scan_limits *lim, struct scan_report *out);
/* Frees what scan_parse allocated; the struct may be parsed into again. */
void scan_report_free(struct scan_report *r);
/* Writes a one-line summary of what is wrong ("result 3 (line 57): ...; 2 more") into out.
 * Returns out. */
const char *scan_report_problem(const struct scan_report *r, char *out, size_t outsz);

#endif
