/* official.h - the official documents of DOMAIN.md "Forms", composed into a document of doc.h
 * from plain data that api/ (or the command line) gathered:
 *   - the incident report (TT 20/2017 Mẫu 03, seed form 01) and the closing report (Mẫu 04,
 *     seed form 02): the preset's form, its sections and fields in order, filled;
 *   - the half-year / yearly summary (TT 20/2017 Mẫu 05): attack types x how they were handled;
 *   - the quarterly bulletin of the coordinator (000 Đ5.1d): counts, charts, duties, notable
 *     incidents.
 * Labels and section names come from the caller (the preset), so a province's preset decides
 * them; the fixed wording here is the documents' own (titles, motto, column heads). */
#ifndef UNGCUU_RENDER_OFFICIAL_H
#define UNGCUU_RENDER_OFFICIAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/doc.h"

#define OFFICIAL_VERIFY "/api/v1/documents/verify"
#define OFFICIAL_MAX_GROUPS 10

/* Who issues the document, where and when. */
struct official_header {
	const char *superior; /* the issuer's superior body, or "" */
	const char *issuer;   /* the issuing organisation's name (upper-cased here) */
	const char *place;    /* "Bình Minh" (the date line starts with it), or "" */
	int64_t date;         /* Unix seconds: the document's date */
	const char *ref;      /* the document's reference (rdoc_new_ref) */
	int tlp;              /* enum tlp marked on every page, or -1 for none */
};

/* ---- incident report and closing report ---- */
struct official_field {
	const char *label;
	const char *value;   /* "" = left to fill by hand */
	size_t section;      /* index into sections */
};
struct official_form {
	struct official_header h;
	const char *number;       /* "UC-2026-000123/BC-SC" */
	const char *title;        /* the form's name (upper-cased here) */
	const char *source;       /* the form's legal source, printed under the title */
	const char *recipient;    /* "Kính gửi": the coordinator, or "" */
	const char *const *sections; /* section names; fields with section >= nsections go last */
	size_t nsections;
	const struct official_field *fields;
	size_t nfields;
	const char *sign_label;   /* the signer field's label ("Người báo cáo (ký, ...)") or "" */
	const char *sign_name;    /* the signer, or "" */
	const char *recipients;   /* "Nơi nhận" lines, '\n'-separated */
	const char *missing;      /* labels of required fields still empty, or "" */
};
/* Composes the form into d (header set, blocks appended). Returns 0 or -1. */
int official_form(struct rdoc *d, const struct official_form *f);

/* ---- half-year / yearly summary (Mẫu 05) ---- */
struct official_summary_row {
	const char *name;
	int64_t count, alone, with_help, foreign_help, national, damage;
};
struct official_count {
	const char *name;
	int64_t count;
};
struct official_summary {
	struct official_header h;
	int64_t from, to;            /* detected_at window [from, to) */
	const char *org_name;        /* "" = the whole province (everything in the reader's scope) */
	const char *org_code;
	const char *recipient;       /* the national coordinator */
	const struct official_summary_row *rows; /* the attack types, in the preset's order */
	size_t nrows;
	int64_t drills;              /* counted apart */
	int64_t other_groups;        /* real incidents of the other groups */
	const struct official_count *helpers; /* organisations that helped, with incidents */
	size_t nhelpers;
	const char *const *proposals; /* "UC-2026-000012: ..." */
	size_t nproposals;
	int64_t withheld;            /* proposals not printed (TLP above GREEN, command line) */
};
/* Composes the summary into d; its first table is the Mẫu 05 table (the CSV). 0 or -1. */
int official_summary(struct rdoc *d, const struct official_summary *s);

/* ---- quarterly bulletin (000 Đ5.1d) ---- */
struct official_compliance {
	const char *org;
	int64_t due, on_time, late, overdue, pending;
};
struct official_notable {
	const char *ref;
	const char *title;
	const char *org, *severity, *type, *status;
	int64_t detected_at;
};
struct official_warning {
	const char *ref, *title, *severity, *issuer;
	int64_t issued_at, targets, acked;
};
struct official_bulletin {
	struct official_header h;
	int year, quarter;
	int64_t from, to;
	int64_t total, open, drills;
	const struct official_count *groups;     /* every group of the preset, in order */
	size_t ngroups;                          /* <= OFFICIAL_MAX_GROUPS */
	const struct official_count *severities; /* lowest first */
	size_t nseverities;
	const struct official_count *orgs;       /* most incidents first, up to TLP:GREEN */
	size_t norgs;
	int64_t by_month[3][OFFICIAL_MAX_GROUPS]; /* the quarter's months x groups */
	const struct official_compliance *compliance;
	size_t ncompliance;
	const struct official_notable *notable;  /* up to TLP:GREEN */
	size_t nnotable;
	/* real incidents above TLP:GREEN: in the counts, never named nor placed by organisation */
	int64_t restricted;
	/* the warnings issued in the quarter: how many, how many above TLP:GREEN (counted, never
	 * named), and those up to TLP:GREEN */
	int64_t warnings_total, warnings_restricted;
	const struct official_warning *warnings;
	size_t nwarnings;
	/* the bulletin's legal basis as people write it (the preset's basis.bulletin), or "" */
	const char *basis;
};
/* Composes the bulletin into d. Returns 0 or -1. */
int official_bulletin(struct rdoc *d, const struct official_bulletin *b);

/* "6 tháng đầu năm 2026", "Năm 2026", "Quý III năm 2026" or "Từ ngày 01/02/2026 đến ngày
 * 15/03/2026" for the window [from, to), into out. */
void official_period(int64_t from, int64_t to, char *out, size_t outsz);

#endif
