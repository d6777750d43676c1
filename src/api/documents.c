/* documents.c - official documents (DOMAIN.md "Forms"): the incident report (TT 20/2017 Mẫu 03,
 * seed form 01) and closing report (Mẫu 04, form 02) of an incident, the half-year / yearly
 * summary (Mẫu 05) and the coordinator's quarterly bulletin (000 Đ5.1d), as PDF, XLSX or CSV.
 *
 * Here the data is gathered from the store (incident, organisations, systems, form values,
 * counts) into the plain structs of render/official.h; render/ lays them out. Every copy
 * handed out is recorded with the SHA-256 of its bytes (documents table), so it can be checked
 * against the record (GET /api/v1/documents/{sha256} and /api/v1/documents/verify?ref= say
 * which document it is, to readers who may read it); reading is audited once per reader,
 * document and hour, and not journaled. The bulletin goes to the whole network, so it is one
 * document whoever makes it (api_doc_bulletin). The command line (cli/export.c) and the
 * benchmark use api_doc_make and ops_document_record too. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ops/document.h"
#include "core/cite.h"
#include "core/codes.h"
#include "render/doc.h"
#include "render/official.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define DAY 86400
#define NOTABLE_MAX 10
#define BULLETIN_WARNINGS_MAX 200 /* named in section II; more are counted only */
#define ORG_ROWS_MAX 50      /* bulletin: organisations listed, the rest summed in one row */
#define COMPLIANCE_ROWS_MAX 100
#define VALUE_MAX (512u << 10) /* a form value: up to 100,000 characters (PRESET_MAX_MAXLEN) */

_Static_assert(sizeof(((struct api_doc *)0)->ref) == RDOC_REF_MAX, "ref size");
_Static_assert(sizeof(((struct api_doc *)0)->sha256) == RDOC_SHA256_HEX, "sha256 size");

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static int64_t ji(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static int64_t iso_time(const char *s)
{
	int64_t t = 0;

	return s && s[0] && tm_parse_iso(s, &t) == 0 ? t : 0;
}

const char *api_doc_mime(enum api_doc_format f)
{
	switch (f) {
	case API_DOC_XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	case API_DOC_CSV:
		return "text/csv; charset=utf-8";
	case API_DOC_PDF:
		break;
	}
	return "application/pdf";
}

static const char *ext_of(enum api_doc_format f)
{
	return f == API_DOC_XLSX ? "xlsx" : f == API_DOC_CSV ? "csv" : "pdf";
}

void api_doc_free(struct api_doc *doc)
{
	buf_free(&doc->data);
	json_decref(doc->params);
	doc->params = NULL;
}

/* ---- the issuer, place and recipients ---- */

static int64_t meta_id(struct store *st, const char *key)
{
	char v[32];
	int64_t id = 0;

	if (store_meta_get(st, key, v, sizeof v) == STORE_OK)
		str_to_i64(v, 1, INT64_MAX, &id);
	return id;
}

/* The place of the date line: meta "place" when set, else the province in an organisation's
 * name ("Sở Tài chính tỉnh Bình Minh" -> "Bình Minh"), trying each name in turn. */
static void place_of(struct store *st, const char *const *names, size_t n, char *out, size_t outsz)
{
	static const char *const marks[] = {"tỉnh ", "thành phố ", "Tỉnh ", "Thành phố "};

	out[0] = '\0';
	if (store_meta_get(st, "place", out, outsz) == STORE_OK && out[0])
		return;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *best = NULL;
		size_t len;

		for (size_t m = 0; names[i] && m < sizeof marks / sizeof marks[0]; m++) {
			const char *p = names[i], *hit;

			while ((hit = strstr(p, marks[m])) != NULL) {
				if (best == NULL || hit + strlen(marks[m]) > best)
					best = hit + strlen(marks[m]);
				p = hit + 1;
			}
		}
		if (best == NULL)
			continue;
		len = strcspn(best, "(,;");
		while (len > 0 && best[len - 1] == ' ')
			len--;
		if (len == 0 || len >= outsz)
			continue;
		memcpy(out, best, len);
		out[len] = '\0';
		return;
	}
}

/* An organisation's name and its superior's (or ""); caller decrefs *org. */
static int org_and_parent(struct store *st, int64_t id, json_t **org, char *parent, size_t psz)
{
	json_t *p = NULL;
	int rc = store_org_get(st, id, org);

	parent[0] = '\0';
	if (rc != STORE_OK)
		return rc;
	if (ji(*org, "parent_id") > 0 && store_org_get(st, ji(*org, "parent_id"), &p) == STORE_OK)
		str_copy(parent, psz, js(p, "name"));
	json_decref(p);
	return STORE_OK;
}

/* The first organisation of a role, e.g. the national coordinator; "" when none. */
static void org_of_role(struct store *st, const char *role, char *out, size_t outsz)
{
	json_t *all = NULL, *o;
	size_t i;

	out[0] = '\0';
	if (store_org_list(st, NULL, &all) != STORE_OK)
		return;
	json_array_foreach(all, i, o)
		if (strcmp(js(o, "role"), role) == 0) {
			str_copy(out, outsz, js(o, "name"));
			break;
		}
	json_decref(all);
}

/* ---- incident report and closing report ---- */

struct form_ctx {
	const struct preset *p;
	json_t *inc, *org, *creator, *system;
	const json_t *values;   /* inc.form[code] */
	const json_t *record;   /* inc.form.record */
};

static void vn_datetime(int64_t t, char *out, size_t outsz)
{
	int y, m, d, h, mi, s;

	if (t == 0) {
		out[0] = '\0';
		return;
	}
	tm_vn_fields(t, &y, &m, &d, &h, &mi, &s);
	snprintf(out, outsz, "%02d giờ %02d phút, ngày %02d/%02d/%04d", h, mi, d, m, y);
}

static void vn_date(int64_t t, char *out, size_t outsz)
{
	if (t == 0 || tm_format_vn_date(t, out, outsz) != 0)
		out[0] = '\0';
}

/* A stored form value as printed: datetimes and dates in Vietnamese order, yes/no in words,
 * integers with '.' thousands. */
static void form_value(const struct preset_field *f, const json_t *v, char *out, size_t outsz)
{
	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return;
	switch (f->type) {
	case PRESET_FIELD_BOOL:
		str_copy(out, outsz, json_is_true(v) ? "Có" : "Không");
		return;
	case PRESET_FIELD_INT:
		if (json_is_integer(v))
			rdoc_int_text(json_integer_value(v), out, outsz);
		return;
	case PRESET_FIELD_DATETIME:
		vn_datetime(iso_time(json_string_value(v)), out, outsz);
		return;
	case PRESET_FIELD_DATE:
		vn_date(iso_time(json_string_value(v)), out, outsz);
		return;
	default:
		if (json_is_string(v))
			str_copy(out, outsz, json_string_value(v));
		return;
	}
}

/* The systems' names with their domains and address ranges ("Cổng ... (binhminh.gov.vn)"). */
static void systems_text(const struct form_ctx *c, const char *kinds, char *out, size_t outsz,
			 bool names)
{
	json_t *systems = json_object_get(c->inc, "systems"), *s, *a;
	struct buf b;
	size_t i, k;

	buf_init(&b, outsz - 1);
	json_array_foreach(systems, i, s) {
		if (names)
			buf_printf(&b, "%s%s", b.len ? "; " : "", js(s, "name"));
		if (i == 0 && c->system) {
			bool first = true;

			json_array_foreach(json_object_get(c->system, "assets"), k, a) {
				if (strstr(kinds, js(a, "kind")) == NULL)
					continue;
				buf_printf(&b, "%s%s", first ? (names ? " (" : "") : ", ", js(a, "value"));
				first = false;
			}
			if (!first && names)
				buf_puts(&b, ")");
		}
	}
	str_copy(out, outsz, b.p ? b.p : "");
	buf_free(&b);
}

/* What the record says for a field the form left empty, by the field's name: the incident,
 * its organisation, the person who reported it, its first system. A province's preset may
 * add fields; those are printed as filled (or left to fill by hand). */
static void default_value(const struct form_ctx *c, const char *name, char *out, size_t outsz)
{
	const struct preset_item *state;
	const json_t *v;

	out[0] = '\0';
	if (strcmp(name, "org_name") == 0)
		str_copy(out, outsz, js(c->inc, "org_name"));
	else if (strcmp(name, "org_address") == 0)
		str_copy(out, outsz, js(c->org, "address"));
	else if (strcmp(name, "org_phone") == 0)
		str_copy(out, outsz, js(c->org, "phone"));
	else if (strcmp(name, "org_email") == 0)
		str_copy(out, outsz, js(c->org, "email"));
	else if (strcmp(name, "contact_name") == 0)
		str_copy(out, outsz, js(c->creator, "full_name"));
	else if (strcmp(name, "contact_position") == 0)
		str_copy(out, outsz, js(c->creator, "position"));
	else if (strcmp(name, "contact_phone") == 0)
		str_copy(out, outsz, js(c->creator, "phone"));
	else if (strcmp(name, "contact_email") == 0)
		str_copy(out, outsz, js(c->creator, "email"));
	else if (strcmp(name, "operator_unit") == 0)
		str_copy(out, outsz, js(c->system, "operator_name"));
	else if (strcmp(name, "owner_body") == 0)
		str_copy(out, outsz, js(c->system, "owner_name"));
	else if (strcmp(name, "system_name") == 0)
		systems_text(c, "domain cidr url", out, outsz, true);
	else if (strcmp(name, "security_level") == 0 && c->system)
		snprintf(out, outsz, "%lld", (long long)ji(c->system, "level"));
	else if (strcmp(name, "domains") == 0)
		systems_text(c, "domain url", out, outsz, false);
	else if (strcmp(name, "public_ips") == 0)
		systems_text(c, "cidr", out, outsz, false);
	else if (strcmp(name, "detected_at") == 0)
		vn_datetime(iso_time(js(c->inc, "detected_at")), out, outsz);
	else if (strcmp(name, "reported_at") == 0)
		vn_datetime(iso_time(js(c->inc, "reported_at")), out, outsz);
	else if (strcmp(name, "report_date") == 0)
		vn_date(iso_time(js(c->inc, "reported_at")), out, outsz);
	else if (strcmp(name, "report_number") == 0)
		snprintf(out, outsz, "%s/BC-SC", js(c->inc, "ref"));
	else if (strcmp(name, "current_status") == 0 &&
		 (state = preset_state(c->p, js(c->inc, "status"))) != NULL)
		str_copy(out, outsz, state->name_vi);
	else if (strcmp(name, "reported_to") == 0) {
		json_t *o;
		size_t i;
		struct buf b;

		buf_init(&b, outsz - 1);
		json_array_foreach(json_object_get(c->inc, "orgs"), i, o)
			buf_printf(&b, "%s%s", b.len ? "; " : "", js(o, "name"));
		str_copy(out, outsz, b.p ? b.p : "");
		buf_free(&b);
	} else if (strcmp(name, "incident_name") == 0)
		str_copy(out, outsz, js(c->inc, "title"));
	else if (strcmp(name, "what_happened") == 0)
		str_copy(out, outsz, js(c->record, "what_happened")[0] ? js(c->record, "what_happened")
								       : js(c->inc, "impact"));
	else if (strcmp(name, "resolution") == 0)
		str_copy(out, outsz, js(c->record, "handling")[0] ? js(c->record, "handling")
								  : js(c->inc, "actions_taken"));
	else if ((v = json_object_get(c->inc, name)) != NULL && json_is_string(v))
		str_copy(out, outsz, json_string_value(v));
}

static int load_form_ctx(struct store *st, int64_t id, struct form_ctx *c)
{
	json_t *systems;
	int rc = store_incident_get(st, id, &c->inc);

	if (rc != STORE_OK)
		return rc;
	if (store_user_get(st, ji(c->inc, "created_by"), &c->creator) != STORE_OK)
		c->creator = NULL;
	systems = json_object_get(c->inc, "systems");
	if (json_array_size(systems) > 0 &&
	    store_system_get(st, ji(json_array_get(systems, 0), "id"), &c->system) != STORE_OK)
		c->system = NULL;
	return STORE_OK;
}

static int make_form(struct store *st, const struct preset *p, const struct api_doc_req *r,
		     const char *ref, struct rdoc *d)
{
	const struct preset_form *pf = preset_form(p, r->kind);
	struct form_ctx c = {.p = p};
	struct official_form of = {0};
	struct official_field *fields = NULL;
	const char **sections = NULL;
	char parent[512], place[128], coord_name[512] = "", sign_name[512] = "";
	char *value = malloc(VALUE_MAX);
	const char *sign_label = "", *names[3];
	json_t *coord = NULL, *form;
	struct buf missing;
	int rc;

	buf_init(&missing, 4096);
	if (value == NULL)
		return STORE_EIO;
	if (pf == NULL) {
		free(value);
		return STORE_ENOTFOUND;
	}
	rc = load_form_ctx(st, r->incident_id, &c);
	if (rc != STORE_OK)
		goto out;
	rc = org_and_parent(st, ji(c.inc, "org_id"), &c.org, parent, sizeof parent);
	if (rc != STORE_OK)
		goto out;
	if (meta_id(st, "coordinator_org_id") > 0 &&
	    store_org_get(st, meta_id(st, "coordinator_org_id"), &coord) == STORE_OK &&
	    ji(coord, "id") != ji(c.inc, "org_id"))
		str_copy(coord_name, sizeof coord_name, js(coord, "name"));
	form = json_object_get(c.inc, "form");
	c.values = json_object_get(form, r->kind);
	c.record = json_object_get(form, "record");
	fields = calloc(pf->nfields ? pf->nfields : 1, sizeof *fields);
	sections = calloc(pf->nsections ? pf->nsections : 1, sizeof *sections);
	if (fields == NULL || sections == NULL) {
		rc = STORE_EIO;
		goto out;
	}
	for (size_t s = 0; s < pf->nsections; s++)
		sections[s] = pf->sections[s].name_vi;
	for (size_t i = 0; i < pf->nfields; i++) {
		const struct preset_field *f = &pf->fields[i];
		size_t s = pf->nsections;

		form_value(f, json_object_get(c.values, f->name), value, VALUE_MAX);
		if (value[0] == '\0')
			default_value(&c, f->name, value, VALUE_MAX);
		if (strcmp(f->name, "signer") == 0) {
			/* printed in the signature block, not as a line of the body */
			sign_label = f->label_vi;
			str_copy(sign_name, sizeof sign_name, value);
			continue;
		}
		if (f->required && value[0] == '\0')
			buf_printf(&missing, "%s%s", missing.len ? "; " : "", f->label_vi);
		for (size_t k = 0; k < pf->nsections; k++)
			if (strcmp(pf->sections[k].code, f->section) == 0)
				s = k;
		fields[of.nfields++] = (struct official_field){
			.label = rdoc_str(d, f->label_vi), .value = rdoc_str(d, value), .section = s};
	}
	names[0] = js(c.inc, "org_name");
	names[1] = parent;
	names[2] = coord ? js(coord, "name") : "";
	place_of(st, names, 3, place, sizeof place);
	of.h = (struct official_header){.superior = parent, .issuer = js(c.inc, "org_name"),
					.place = place, .date = r->now, .ref = ref,
					.tlp = codes_tlp_parse(js(c.inc, "tlp"))};
	of.number = rdoc_fmt(d, "%s/%s", js(c.inc, "ref"),
			     strcmp(r->kind, "closing") == 0 ? "BC-KT" : "BC-SC");
	of.title = pf->name_vi;
	/* the form's source as people write it ("Mẫu số 03 Thông tư số 20/2017/TT-BTTTT ...") */
	char cited[CITE_MAX];

	(void)cite_str(api_preset(), pf->source, CITE_VI, cited, sizeof cited);
	of.source = rdoc_fmt(d, "%s", cited);
	of.recipient = coord_name;
	of.sections = sections;
	of.nsections = pf->nsections;
	of.fields = fields;
	of.sign_label = sign_label;
	of.sign_name = sign_name;
	of.recipients = parent[0] ? rdoc_fmt(d, "- Như trên;\n- %s;\n- Lưu: VT.", parent)
				  : "- Như trên;\n- Lưu: VT.";
	of.missing = missing.p ? missing.p : "";
	rc = official_form(d, &of) == 0 ? STORE_OK : STORE_EIO;
out:
	buf_free(&missing);
	free(value);
	free(fields);
	free(sections);
	json_decref(c.inc);
	json_decref(c.org);
	json_decref(c.creator);
	json_decref(c.system);
	json_decref(coord);
	return rc;
}

/* ---- the summary (Mẫu 05) ---- */

/* The group whose types are the rows: "attack" in the national preset. */
#define SUMMARY_GROUP "attack"

static int make_summary(struct store *st, const struct preset *p, const struct api_doc_req *r,
			const char *ref, struct rdoc *d)
{
	struct store_summary_filter f = {.from = r->from, .to = r->to, .org_id = r->org_id,
					 .grp = SUMMARY_GROUP, .max_tlp_text = TLP_RED};
	struct official_summary s = {0};
	struct official_summary_row *rows = NULL;
	struct official_count *helpers = NULL;
	const char **props = NULL;
	char parent[512] = "", place[128], national[512];
	const char *names[2];
	json_t *data = NULL, *org = NULL, *row;
	int64_t issuer_id = r->org_id ? r->org_id : meta_id(st, "coordinator_org_id");
	size_t i, n = 0;
	int rc;

	rc = store_document_summary(st, &r->scope, &f, &data);
	if (rc == STORE_OK && issuer_id > 0)
		rc = org_and_parent(st, issuer_id, &org, parent, sizeof parent);
	if (rc != STORE_OK)
		goto out;
	rows = calloc(p->ntypes + json_array_size(json_object_get(data, "types")) + 1, sizeof *rows);
	helpers = calloc(json_array_size(json_object_get(data, "helpers")) + 1, sizeof *helpers);
	props = calloc(json_array_size(json_object_get(data, "proposals")) + 1, sizeof *props);
	if (rows == NULL || helpers == NULL || props == NULL) {
		rc = STORE_EIO;
		goto out;
	}
	/* the preset's attack types in order, then any type of the data the preset no longer has */
	for (size_t t = 0; t < p->ntypes; t++)
		if (strcmp(p->types[t].parent, SUMMARY_GROUP) == 0)
			rows[n++] = (struct official_summary_row){.name = p->types[t].name_vi};
	json_array_foreach(json_object_get(data, "types"), i, row) {
		const struct preset_item *ti = preset_type(p, js(row, "type"));
		size_t k = 0;

		for (k = 0; k < n; k++)
			if (ti && strcmp(rows[k].name, ti->name_vi) == 0)
				break;
		if (k == n)
			rows[n++].name = rdoc_str(d, ti ? ti->name_vi : js(row, "type"));
		rows[k].count += ji(row, "count");
		rows[k].alone += ji(row, "alone");
		rows[k].with_help += ji(row, "with_help");
		rows[k].foreign_help += ji(row, "foreign_help");
		rows[k].national += ji(row, "national");
		rows[k].damage += ji(row, "damage");
	}
	json_array_foreach(json_object_get(data, "helpers"), i, row)
		helpers[s.nhelpers++] = (struct official_count){rdoc_str(d, js(row, "name")),
								  ji(row, "count")};
	json_array_foreach(json_object_get(data, "proposals"), i, row) {
		if (codes_tlp_parse(js(row, "tlp")) > r->max_tlp_text) {
			s.withheld++;
			continue;
		}
		props[s.nproposals++] = rdoc_fmt(d, "%s: %s", js(row, "ref"), js(row, "text"));
	}
	org_of_role(st, "national", national, sizeof national);
	names[0] = js(org, "name");
	names[1] = parent;
	place_of(st, names, 2, place, sizeof place);
	s.h = (struct official_header){.superior = parent, .issuer = js(org, "name"), .place = place,
				       .date = r->now, .ref = ref, .tlp = TLP_GREEN};
	s.from = r->from;
	s.to = r->to;
	s.org_name = r->org_id ? js(org, "name") : "";
	s.org_code = r->org_id ? js(org, "code") : "";
	s.recipient = national[0] ? national : "Cơ quan điều phối quốc gia";
	s.rows = rows;
	s.nrows = n;
	s.drills = ji(data, "drills");
	s.other_groups = ji(data, "other_groups");
	s.helpers = helpers;
	s.proposals = props;
	/* proposals quote incidents: the document is marked with the highest TLP it quotes */
	json_array_foreach(json_object_get(data, "proposals"), i, row) {
		int t = codes_tlp_parse(js(row, "tlp"));

		if (t <= r->max_tlp_text && t > s.h.tlp)
			s.h.tlp = t;
	}
	rc = official_summary(d, &s) == 0 ? STORE_OK : STORE_EIO;
out:
	free(rows);
	free(helpers);
	free(props);
	json_decref(data);
	json_decref(org);
	return rc;
}

/* ---- the quarterly bulletin ---- */

static int by_count_desc(const void *a, const void *b)
{
	const struct official_count *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->name, y->name);
}

static void bulletin_counts(const struct preset *p, const json_t *stats,
			    struct official_bulletin *b, struct official_count *groups,
			    struct official_count *sevs)
{
	int y, m, dd, h, mi, s;
	json_t *row;
	size_t i;

	tm_vn_fields(b->from, &y, &m, &dd, &h, &mi, &s);
	for (size_t g = 0; g < p->ngroups && g < OFFICIAL_MAX_GROUPS; g++) {
		groups[b->ngroups++] = (struct official_count){p->groups[g].name_vi, 0};
		json_array_foreach(json_object_get(stats, "by_group"), i, row)
			if (strcmp(js(row, "code"), p->groups[g].code) == 0)
				groups[g].count += ji(row, "count");
		b->total += groups[g].count;
		json_array_foreach(json_object_get(stats, "by_month"), i, row) {
			for (int k = 0; k < 3; k++) {
				char key[32];
				int mm = m + k, yy = y + (mm > 12);

				snprintf(key, sizeof key, "%04d-%02d", yy % 10000, mm > 12 ? mm - 12 : mm);
				if (strcmp(js(row, "month"), key) == 0 &&
				    strcmp(js(row, "group"), p->groups[g].code) == 0)
					b->by_month[k][g] += ji(row, "count");
			}
		}
	}
	for (size_t v = 0; v < p->nseverities; v++) {
		sevs[b->nseverities] = (struct official_count){p->severities[v].name_vi, 0};
		json_array_foreach(json_object_get(stats, "by_severity"), i, row)
			if (strcmp(js(row, "code"), p->severities[v].code) == 0)
				sevs[b->nseverities].count += ji(row, "count");
		b->nseverities++;
	}
}

static int bulletin_orgs(struct rdoc *d, const json_t *stats, struct official_count **out,
			 size_t *n)
{
	json_t *rows = json_object_get(stats, "by_org"), *row;
	size_t i, all = json_array_size(rows);
	struct official_count *orgs = calloc(all + 1, sizeof *orgs);

	*out = orgs;
	*n = 0;
	if (orgs == NULL)
		return STORE_EIO;
	json_array_foreach(rows, i, row)
		orgs[i] = (struct official_count){rdoc_str(d, js(row, "org_name")), ji(row, "count")};
	qsort(orgs, all, sizeof *orgs, by_count_desc);
	if (all > ORG_ROWS_MAX) {
		int64_t rest = 0;

		for (i = ORG_ROWS_MAX - 1; i < all; i++)
			rest += orgs[i].count;
		orgs[ORG_ROWS_MAX - 1] = (struct official_count){
			rdoc_fmt(d, "Các cơ quan, đơn vị khác (%zu đơn vị)", all - ORG_ROWS_MAX + 1),
			rest};
		all = ORG_ROWS_MAX;
	}
	*n = all;
	return STORE_OK;
}

static int bulletin_compliance(struct rdoc *d, struct store *st, const struct api_doc_req *r,
			       struct official_compliance **out, size_t *n)
{
	json_t *data = NULL, *rows, *row;
	struct official_compliance *c;
	size_t i, all;
	int rc = store_duty_compliance(st, r->from, r->to, r->now, &data);

	*out = NULL;
	*n = 0;
	if (rc != STORE_OK)
		return rc;
	rows = json_object_get(data, "orgs");
	all = json_array_size(rows);
	c = calloc(all + 1, sizeof *c);
	if (c == NULL) {
		json_decref(data);
		return STORE_EIO;
	}
	json_array_foreach(rows, i, row) {
		struct official_compliance *x = &c[i < COMPLIANCE_ROWS_MAX ? i : COMPLIANCE_ROWS_MAX - 1];

		if (i < COMPLIANCE_ROWS_MAX)
			x->org = rdoc_str(d, js(row, "org_name"));
		else
			x->org = rdoc_fmt(d, "Các cơ quan, đơn vị khác (%zu đơn vị)",
					  all - COMPLIANCE_ROWS_MAX + 1);
		x->due += ji(row, "due");
		x->on_time += ji(row, "done_on_time");
		x->late += ji(row, "done_late");
		x->overdue += ji(row, "overdue");
		x->pending += ji(row, "pending");
	}
	json_decref(data);
	*out = c;
	*n = all < COMPLIANCE_ROWS_MAX ? all : COMPLIANCE_ROWS_MAX;
	return STORE_OK;
}

/* The bulletin goes to every member of the network, so it names (title, organisation) only what
 * every member may read; the incidents above this are counted, not named. */
#define BULLETIN_MAX_TLP TLP_GREEN

/* The bulletin's incidents are those its issuer, the coordinator's organisation, may read: the
 * same set whoever makes the document (its staff, an auditor, the command line). */
static void bulletin_scope(int64_t coord_id, struct ac_scope *out)
{
	struct ac_subject issuer = {.org_id = coord_id, .roles = ROLE_OFFICER,
				    .coordinator = coord_id > 0};

	access_incident_scope(&issuer, out);
}

/* The most severe incidents of the quarter up to BULLETIN_MAX_TLP, highest severity first,
 * newest first within one. */
static int bulletin_notable(struct rdoc *d, struct store *st, const struct preset *p,
			    const struct ac_scope *sc, const struct api_doc_req *r,
			    struct official_bulletin *b, struct official_notable *out)
{
	json_t *items = NULL, *row;
	size_t i;
	int rc = store_document_notable(st, sc, r->from, r->to, BULLETIN_MAX_TLP, NOTABLE_MAX,
					&items);

	if (rc != STORE_OK)
		return rc;
	json_array_foreach(items, i, row) {
		const struct preset_item *ty = preset_type(p, js(row, "type"));
		const struct preset_item *sv = preset_severity(p, js(row, "severity"));
		const struct preset_item *stt = preset_state(p, js(row, "status"));

		if (b->nnotable == NOTABLE_MAX)
			break;
		out[b->nnotable++] = (struct official_notable){
			.ref = rdoc_str(d, js(row, "ref")),
			.title = rdoc_str(d, js(row, "title")),
			.org = rdoc_str(d, js(row, "org_name")),
			.severity = sv ? sv->name_vi : rdoc_str(d, js(row, "severity")),
			.type = ty ? ty->name_vi : rdoc_str(d, js(row, "type")),
			.status = stt ? stt->name_vi : rdoc_str(d, js(row, "status")),
			.detected_at = iso_time(js(row, "detected_at")),
		};
	}
	json_decref(items);
	return STORE_OK;
}

/* The warnings issued in the quarter (section II): counted all, named up to BULLETIN_MAX_TLP,
 * as recorded. *outp: at most BULLETIN_WARNINGS_MAX of them (caller frees). */
static int bulletin_warnings(struct rdoc *d, struct store *st, const struct preset *p,
			     const struct api_doc_req *r, struct official_bulletin *b,
			     struct official_warning **outp)
{
	struct official_warning *out;
	json_t *w = NULL, *row;
	size_t i;
	int rc = store_document_warnings(st, r->from, r->to, BULLETIN_MAX_TLP,
					 BULLETIN_WARNINGS_MAX, &w);

	if (rc != STORE_OK)
		return rc;
	b->warnings_total = ji(w, "total");
	b->warnings_restricted = ji(w, "restricted");
	*outp = out = calloc(BULLETIN_WARNINGS_MAX, sizeof *out);
	if (out == NULL) {
		json_decref(w);
		return STORE_EIO;
	}
	json_array_foreach(json_object_get(w, "items"), i, row) {
		const struct preset_item *sv = preset_severity(p, js(row, "severity"));

		if (b->nwarnings == BULLETIN_WARNINGS_MAX)
			break;
		out[b->nwarnings++] = (struct official_warning){
			.ref = rdoc_str(d, js(row, "ref")),
			.title = rdoc_str(d, js(row, "title")),
			.issuer = rdoc_str(d, js(row, "issuer_name")),
			.severity = sv ? sv->name_vi : rdoc_str(d, js(row, "severity")),
			.issued_at = iso_time(js(row, "issued_at")),
			.targets = ji(row, "targets"),
			.acked = ji(row, "acked"),
		};
	}
	b->warnings = out;
	json_decref(w);
	return STORE_OK;
}

/* The caller's scope and max_tlp_text are not read: the bulletin is the same document for
 * every reader (bulletin_scope, BULLETIN_MAX_TLP). */
static int make_bulletin(struct store *st, const struct preset *p, const struct api_doc_req *r,
			 const char *ref, struct rdoc *d)
{
	struct official_bulletin b = {.year = r->year, .quarter = r->quarter, .from = r->from,
				      .to = r->to};
	char basis[CITE_MAX];

	(void)cite_str(p, p->basis.bulletin, CITE_VI, basis, sizeof basis);
	b.basis = rdoc_fmt(d, "%s", basis);
	struct official_count groups[OFFICIAL_MAX_GROUPS], *sevs = NULL, *orgs = NULL;
	struct official_compliance *comp = NULL;
	struct official_notable notable[NOTABLE_MAX];
	struct official_warning *warns = NULL;
	char parent[512] = "", place[128];
	const char *names[2];
	json_t *stats = NULL, *coord = NULL;
	int64_t coord_id = meta_id(st, "coordinator_org_id");
	struct ac_scope sc;
	int rc;

	bulletin_scope(coord_id, &sc);
	rc = store_document_counts(st, &sc, r->from, r->to, BULLETIN_MAX_TLP, &stats);
	if (rc == STORE_OK && coord_id > 0)
		rc = org_and_parent(st, coord_id, &coord, parent, sizeof parent);
	if (rc != STORE_OK)
		goto out;
	sevs = calloc(p->nseverities + 1, sizeof *sevs);
	if (sevs == NULL) {
		rc = STORE_EIO;
		goto out;
	}
	bulletin_counts(p, stats, &b, groups, sevs);
	b.groups = groups;
	b.severities = sevs;
	b.open = ji(stats, "open");
	b.drills = ji(stats, "drills");
	b.restricted = ji(stats, "restricted");
	rc = bulletin_orgs(d, stats, &orgs, &b.norgs);
	if (rc == STORE_OK)
		rc = bulletin_compliance(d, st, r, &comp, &b.ncompliance);
	if (rc == STORE_OK)
		rc = bulletin_notable(d, st, p, &sc, r, &b, notable);
	if (rc == STORE_OK)
		rc = bulletin_warnings(d, st, p, r, &b, &warns);
	if (rc != STORE_OK)
		goto out;
	b.orgs = orgs;
	b.compliance = comp;
	b.notable = notable;
	names[0] = js(coord, "name");
	names[1] = parent;
	place_of(st, names, 2, place, sizeof place);
	/* marked with the highest TLP of what it names, which is at most BULLETIN_MAX_TLP; never
	 * below GREEN: the counts and the duty table are the network's, not the public's */
	b.h = (struct official_header){.superior = parent, .issuer = js(coord, "name"),
				       .place = place, .date = r->now, .ref = ref,
				       .tlp = BULLETIN_MAX_TLP};
	rc = official_bulletin(d, &b) == 0 ? STORE_OK : STORE_EIO;
out:
	free(sevs);
	free(orgs);
	free(comp);
	free(warns);
	json_decref(stats);
	json_decref(coord);
	return rc;
}

/* ---- making and recording ---- */

static json_t *time_json(int64_t t)
{
	char iso[TM_ISO_MAX];

	return tm_format_iso(t, iso, sizeof iso) == 0 ? json_string(iso) : json_null();
}

int api_doc_make(struct store *st, const struct preset *p, const struct api_doc_req *r,
		 struct api_doc *out)
{
	struct rdoc *d = NULL;
	bool form = strcmp(r->kind, "report") == 0 || strcmp(r->kind, "closing") == 0;
	int rc;

	memset(out, 0, sizeof *out);
	buf_init(&out->data, 64u << 20);
	rdoc_new_ref(out->ref);
	out->incident_id = form ? r->incident_id : 0;
	if ((form && r->format != API_DOC_PDF) ||
	    (strcmp(r->kind, "bulletin") == 0 && r->format == API_DOC_CSV) ||
	    (!form && strcmp(r->kind, "summary") != 0 && strcmp(r->kind, "bulletin") != 0))
		return STORE_EINVAL;
	if (rdoc_new(&d) != 0)
		return STORE_EIO;
	if (form)
		rc = make_form(st, p, r, out->ref, d);
	else if (strcmp(r->kind, "summary") == 0)
		rc = make_summary(st, p, r, out->ref, d);
	else
		rc = make_bulletin(st, p, r, out->ref, d);
	if (rc == STORE_OK) {
		int w = r->format == API_DOC_PDF    ? rdoc_pdf(d, &out->data)
			: r->format == API_DOC_XLSX ? rdoc_xlsx_buf(d, r->tmpdir, &out->data)
			: rdoc_first_table(d)      ? rdoc_csv(rdoc_first_table(d), &out->data)
						    : -1;

		if (w != 0) {
			log_err("documents: rendering %s as %s failed", r->kind, ext_of(r->format));
			rc = STORE_EIO;
		}
	}
	rdoc_free(d);
	if (rc != STORE_OK) {
		api_doc_free(out);
		return rc;
	}
	rdoc_sha256_hex(out->data.p ? out->data.p : "", out->data.len, out->sha256);
	if (form)
		out->params = json_pack("{s:s, s:s}", "form", r->kind, "format", ext_of(r->format));
	else if (strcmp(r->kind, "summary") == 0)
		out->params = json_pack("{s:o, s:o, s:I, s:s}", "from", time_json(r->from), "to",
					time_json(r->to), "org_id", (json_int_t)r->org_id, "format",
					ext_of(r->format));
	else
		out->params = json_pack("{s:i, s:i, s:s}", "year", r->year, "quarter", r->quarter,
					"format", ext_of(r->format));
	return out->params ? STORE_OK : STORE_EIO;
}

int api_doc_bulletin(struct store *st, const struct preset *p, int year, int quarter,
		     enum api_doc_format f, int64_t now, const char *tmpdir, struct api_doc_req *r,
		     struct api_doc *out)
{
	*r = (struct api_doc_req){.kind = "bulletin", .format = f, .year = year,
				  .quarter = quarter, .tmpdir = tmpdir, .now = now};
	memset(out, 0, sizeof *out);
	if (api_doc_quarter(year, quarter, &r->from, &r->to) != 0)
		return STORE_EINVAL;
	return api_doc_make(st, p, r, out);
}

void api_doc_ops(const struct api_doc_req *r, const struct api_doc *doc,
		 struct ops_document *out)
{
	*out = (struct ops_document){.kind = r->kind, .ref = doc->ref,
				     .incident_id = doc->incident_id, .params = doc->params,
				     .sha256 = doc->sha256, .size = (int64_t)doc->data.len};
}

/* ---- handlers ---- */

/* "UC-2026-000123-report.pdf": ASCII only, safe in a header. */
static void disposition(struct http_res *res, const char *stem, enum api_doc_format f)
{
	char name[160], v[256];
	size_t n = 0;

	for (const char *p = stem; *p && n + 1 < sizeof name; p++)
		name[n++] = isalnum((unsigned char)*p) || *p == '-' || *p == '_' ? *p : '-';
	name[n] = '\0';
	snprintf(v, sizeof v, "attachment; filename=\"%s.%s\"", name, ext_of(f));
	http_res_header(res, "Content-Disposition", v);
}

/* Makes the document, records it (documents row; the audit entry for the reader's first copy
 * of the hour) in one transaction and answers its bytes. */
static int serve_doc(struct http_req *req, struct http_res *res, struct api_doc_req *r,
		     const char *stem)
{
	struct ops_document d;
	struct api_doc doc;
	struct ops_err err;
	struct ops_ctx c;
	struct api_tx tx;
	char path[1100];
	int64_t id;
	int rc;

	snprintf(path, sizeof path, "%s/tmp", api_env.data_dir);
	r->tmpdir = path;
	r->now = tm_now();
	if (api_store() == NULL)
		return api_store_error(res, STORE_EIO);
	rc = strcmp(r->kind, "bulletin") == 0
		     ? api_doc_bulletin(api_store(), api_env.preset, r->year, r->quarter, r->format,
					r->now, r->tmpdir, r, &doc)
		     : api_doc_make(api_store(), api_env.preset, r, &doc);
	if (rc == STORE_ENOTFOUND)
		return http_res_problem(res, 404, "Not found", NULL, M_doc_no_data);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	if (api_tx_begin(req, res, &tx, false)) {
		api_doc_free(&doc);
		return 0;
	}
	api_ops_ctx(req, tx.st, &c);
	c.now = r->now; /* the date printed on it */
	api_doc_ops(r, &doc, &d);
	if (ops_document_record(&c, &d, &id, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_doc_free(&doc);
		return api_ops_error(res, &err);
	}
	buf_reset(&res->body);
	if (buf_append(&res->body, doc.data.p ? doc.data.p : "", doc.data.len) != BUF_OK) {
		api_tx_abort(&tx);
		api_doc_free(&doc);
		return api_store_error(res, STORE_EIO);
	}
	res->status = 200;
	str_copy(res->content_type, sizeof res->content_type, api_doc_mime(r->format));
	http_res_header(res, "X-Content-SHA256", doc.sha256);
	http_res_header(res, "X-Document-Ref", doc.ref);
	disposition(res, stem, r->format);
	api_doc_free(&doc);
	api_tx_commit(&tx, req, res);
	return 0;
}

static int incident_doc(struct http_req *req, struct http_res *res, const char *kind)
{
	struct api_doc_req r = {.kind = kind, .format = API_DOC_PDF, .max_tlp_text = TLP_RED};
	struct ac_incident ai;
	char stem[64];
	json_t *inc = NULL;

	if (api_param_id(req, 0, res, &r.incident_id) != 0 ||
	    api_incidents_access(req, res, r.incident_id, AC_READ, &ai) != 0)
		return 0;
	if (store_incident_get(api_store(), r.incident_id, &inc) != STORE_OK)
		return api_store_error(res, STORE_ENOTFOUND);
	snprintf(stem, sizeof stem, "%s-%s", js(inc, "ref"),
		 strcmp(kind, "report") == 0 ? "bao-cao-ban-dau" : "bao-cao-ket-thuc");
	json_decref(inc);
	return serve_doc(req, res, &r, stem);
}

int api_documents_report(struct http_req *req, struct http_res *res)
{
	return incident_doc(req, res, "report");
}

int api_documents_closing(struct http_req *req, struct http_res *res)
{
	return incident_doc(req, res, "closing");
}

int api_documents_list(struct http_req *req, struct http_res *res)
{
	struct ac_incident ai;
	json_t *items = NULL;
	int64_t id;
	int rc;

	if (api_param_id(req, 0, res, &id) != 0 || api_incidents_access(req, res, id, AC_READ, &ai) != 0)
		return 0;
	rc = store_document_list(api_store(), id, NULL, NULL, 200, &items);
	if (rc != STORE_OK)
		return api_store_error(res, rc);
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

/* A date parameter: "2026-06-30" means the whole day (the window ends at the next midnight);
 * a time is taken as is. Absent -> 0. Returns 0 or -1 (400 set). */
static int date_param(struct http_req *req, struct http_res *res, const char *name, bool end,
		      int64_t *out)
{
	const char *v = http_query(req, name);

	*out = 0;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (api_doc_parse_date(v, end, out) != 0)
		return http_res_problem(res, 400, "Invalid parameter", name, M_param_not_date,
					MS("param", name)),
		       -1;
	return 0;
}

int api_doc_parse_date(const char *s, bool end, int64_t *out)
{
	if (tm_parse_iso(s, out) != 0)
		return -1;
	if (end && strlen(s) == 10)
		*out += DAY; /* a date alone: up to the end of that day */
	return 0;
}

void api_doc_half_year(int64_t now, int64_t *from, int64_t *to)
{
	int y, m, d, h, mi, s;

	tm_vn_fields(now, &y, &m, &d, &h, &mi, &s);
	*from = tm_vn_midnight(y, m <= 6 ? 1 : 7, 1);
	*to = m <= 6 ? tm_vn_midnight(y, 7, 1) : tm_vn_midnight(y + 1, 1, 1);
}

int api_doc_quarter(int year, int quarter, int64_t *from, int64_t *to)
{
	if (quarter < 1 || quarter > 4 || year < 1971 || year > 9998)
		return -1;
	*from = tm_vn_midnight(year, 3 * quarter - 2, 1);
	*to = quarter == 4 ? tm_vn_midnight(year + 1, 1, 1) : tm_vn_midnight(year, 3 * quarter + 1, 1);
	return 0;
}

/* The organisation a summary is of: ?org= (an id or a code); absent = the caller's own, or the
 * whole province (0) for the coordinator. Its own staff and the coordinator may ask. */
static int summary_org(struct http_req *req, struct http_res *res, int64_t *org_id)
{
	struct api_ctx *cx = req->ctx;
	const char *v = http_query(req, "org");
	json_t *org = NULL;

	*org_id = cx->subject.coordinator ? 0 : cx->subject.org_id;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (str_to_i64(v, 1, INT64_MAX, org_id) != 0) {
		if (store_org_by_code(api_store(), v, &org) != STORE_OK) {
			http_res_problem(res, 404, "Not found", "org", M_doc_no_org, MS("org", v));
			return -1;
		}
		*org_id = ji(org, "id");
		json_decref(org);
	} else if (store_org_get(api_store(), *org_id, &org) != STORE_OK) {
		http_res_problem(res, 404, "Not found", "org", M_doc_no_org, MS("org", v));
		return -1;
	} else {
		json_decref(org);
	}
	if (*org_id != cx->subject.org_id && !cx->subject.coordinator) {
		http_res_problem(res, 403, "Forbidden", "org", M_doc_summary_denied);
		return -1;
	}
	return 0;
}

static int summary(struct http_req *req, struct http_res *res, enum api_doc_format f)
{
	struct api_ctx *cx = req->ctx;
	struct api_doc_req r = {.kind = "summary", .format = f, .max_tlp_text = TLP_RED};
	char stem[64];
	int y, m, d, h, mi, s;

	access_incident_scope(&cx->subject, &r.scope);
	if (r.scope.none)
		return http_res_problem(res, 403, "Forbidden", NULL, M_doc_no_incident_role);
	if (summary_org(req, res, &r.org_id) != 0 || date_param(req, res, "from", false, &r.from) ||
	    date_param(req, res, "to", true, &r.to))
		return 0;
	if (r.from == 0 && r.to == 0)
		api_doc_half_year(tm_now(), &r.from, &r.to);
	else if (r.from == 0 || r.to == 0 || r.to <= r.from || r.to - r.from > 3700 * DAY)
		return http_res_problem(res, 400, "Invalid parameter", "to", M_doc_period_invalid);
	tm_vn_fields(r.from, &y, &m, &d, &h, &mi, &s);
	snprintf(stem, sizeof stem, "bao-cao-tong-hop-%04d%02d%02d", y, m, d);
	return serve_doc(req, res, &r, stem);
}

int api_reports_summary_pdf(struct http_req *req, struct http_res *res)
{
	return summary(req, res, API_DOC_PDF);
}

int api_reports_summary_xlsx(struct http_req *req, struct http_res *res)
{
	return summary(req, res, API_DOC_XLSX);
}

int api_reports_summary_csv(struct http_req *req, struct http_res *res)
{
	return summary(req, res, API_DOC_CSV);
}

static int bulletin(struct http_req *req, struct http_res *res, enum api_doc_format f)
{
	struct api_ctx *cx = req->ctx;
	struct api_doc_req r = {.kind = "bulletin", .format = f};
	int y, m, d, h, mi, s;
	int64_t year, quarter;
	char stem[64];

	if (!access_compliance(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL, M_doc_bulletin_denied);
	tm_vn_fields(tm_now(), &y, &m, &d, &h, &mi, &s);
	if (api_query_int(req, "year", 1971, 9998, y, res, &year) != 0 ||
	    api_query_int(req, "quarter", 1, 4, (m + 2) / 3, res, &quarter) != 0)
		return 0;
	/* only the quarter: not the reader's scope, the bulletin is the same for every reader */
	r.year = (int)year;
	r.quarter = (int)quarter;
	snprintf(stem, sizeof stem, "ban-tin-%04d-q%d", r.year, r.quarter);
	return serve_doc(req, res, &r, stem);
}

int api_reports_bulletin_pdf(struct http_req *req, struct http_res *res)
{
	return bulletin(req, res, API_DOC_PDF);
}

int api_reports_bulletin_xlsx(struct http_req *req, struct http_res *res)
{
	return bulletin(req, res, API_DOC_XLSX);
}

/* ---- verification ---- */

bool api_documents_readable(const struct api_ctx *cx, const json_t *row)
{
	const char *kind = js(row, "kind");
	struct ac_scope scope;

	if (ji(row, "incident_id") > 0) {
		return api_incident_readable(cx, ji(row, "incident_id"));
	}
	if (strcmp(kind, "bulletin") == 0)
		return access_compliance(&cx->subject);
	access_incident_scope(&cx->subject, &scope);
	return strcmp(kind, "summary") == 0 && !scope.none &&
	       (cx->subject.coordinator ||
		ji(json_object_get(row, "params"), "org_id") == cx->subject.org_id);
}

static int answer_doc(struct http_req *req, struct http_res *res, const char *sha256,
		      const char *ref)
{
	struct api_ctx *cx = req->ctx;
	json_t *rows = NULL, *row;
	const struct preset_form *pf;
	int rc = store_document_list(api_store(), 0, sha256, ref, 1, &rows);

	if (rc != STORE_OK)
		return api_store_error(res, rc);
	row = json_array_get(rows, 0);
	if (row == NULL || !api_documents_readable(cx, row)) {
		json_decref(rows);
		return http_res_problem(res, 404, "Not found", NULL, M_doc_no_match);
	}
	pf = preset_form(api_env.preset, js(row, "kind"));
	json_object_set_new(row, "kind_name",
			    json_string(pf                                      ? pf->name_vi
					: strcmp(js(row, "kind"), "summary") == 0  ? "Báo cáo tổng hợp (Mẫu 05)"
					: strcmp(js(row, "kind"), "bulletin") == 0 ? "Bản tin hằng quý"
										    : js(row, "kind")));
	if (json_is_null(json_object_get(row, "created_by")))
		json_object_set_new(row, "created_by_name",
				    json_string(msg_text(M_doc_by_command_line, res->lang)));
	json_object_set_new(row, "verified", json_true());
	json_incref(row);
	json_decref(rows);
	return http_res_json(res, 200, row);
}

static bool hex64(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n == 64;
}

static void lower(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; s[n] && n + 1 < outsz; n++)
		out[n] = (char)tolower((unsigned char)s[n]);
	out[n] = '\0';
}

int api_documents_get(struct http_req *req, struct http_res *res)
{
	char sha[RDOC_SHA256_HEX];

	if (req->nparams < 1 || !hex64(req->params[0]))
		return http_res_problem(res, 404, "Not found", NULL, M_doc_sha256_path);
	lower(req->params[0], sha, sizeof sha);
	return answer_doc(req, res, sha, NULL);
}

int api_documents_verify(struct http_req *req, struct http_res *res)
{
	const char *sha = http_query(req, "sha256"), *ref = http_query(req, "ref");
	char low[RDOC_SHA256_HEX], up[RDOC_REF_MAX];

	if (sha && sha[0]) {
		if (!hex64(sha))
			return http_res_problem(res, 400, "Invalid parameter", "sha256",
						M_doc_sha256_invalid);
		lower(sha, low, sizeof low);
		return answer_doc(req, res, low, NULL);
	}
	if (ref && ref[0] && strlen(ref) < sizeof up) {
		size_t n = 0;

		for (; ref[n]; n++)
			up[n] = (char)toupper((unsigned char)ref[n]);
		up[n] = '\0';
		return answer_doc(req, res, NULL, up);
	}
	return http_res_problem(res, 400, "Invalid parameter", "ref", M_doc_verify_what);
}
