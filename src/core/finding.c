/* finding.c - severity bands and status rules of scan findings. */
#include "finding.h"

#include <string.h>

const char *finding_band(double cvss, bool has)
{
	if (!has)
		return "unknown";
	if (cvss < 0.05)
		return "none";
	if (cvss < 3.95)
		return "low";
	if (cvss < 6.95)
		return "medium";
	if (cvss < 8.95)
		return "high";
	return "critical";
}

const char *finding_severity(const struct finding *f)
{
	if (f->kind == FINDING_OPEN_PORT && !f->has_cvss)
		return "none";
	return finding_band(f->cvss, f->has_cvss);
}

const char *finding_kind_name(enum finding_kind k)
{
	return k == FINDING_OPEN_PORT ? "open_port" : "vulnerability";
}

bool finding_status_valid(const char *s)
{
	return s && (strcmp(s, "open") == 0 || strcmp(s, "fixed") == 0 ||
		     strcmp(s, "accepted_risk") == 0 || strcmp(s, "false_positive") == 0);
}

bool finding_status_needs_note(const char *status)
{
	return status && (strcmp(status, "accepted_risk") == 0 ||
			  strcmp(status, "false_positive") == 0);
}

bool finding_cve_valid(const char *s, size_t n)
{
	size_t i;

	if (n < 13 || n > 20 || strncmp(s, "CVE-", 4) != 0)
		return false;
	for (i = 4; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[8] != '-')
		return false;
	for (i = 9; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}
