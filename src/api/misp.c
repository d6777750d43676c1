/* misp.c - MISP event JSON ({"Event": {...}} as MISP feeds publish it) into a draft warning
 * (docs/stix.md): attributes of the event and of its objects become indicators (composite
 * "a|b" types split, core/stix.c says which part is what), vulnerabilities become references,
 * threat_level_id the severity, the tlp: tag the TLP. Unknown attribute types, attributes not
 * meant for detection (to_ids false) and deleted ones are listed as skipped; malformed values are
 * errors, and any error creates nothing. */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "stix.h"
#include "stix_import.h"
#include "util/str.h"

struct misp {
	struct stix_import *m;
	int64_t count; /* attributes met, for the limit and the error index */
};

static bool truthy(const json_t *v, bool def)
{
	if (v == NULL)
		return def;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return strcmp(json_string_value(v), "1") == 0 || str_ieq(json_string_value(v), "true");
	return def;
}

/* One part of an attribute's value as its kind says. 0, or -1 (error recorded). */
static int take_part(struct misp *x, const char *path, int kind, const char *v, size_t n,
		     const char *comment)
{
	char canon[IND_VALUE_MAX];
	enum ind_kind k;

	if (kind == STIX_MISP_IGNORE)
		return 0;
	if (kind == STIX_MISP_VULN) {
		if (!stix_cve_ok(v, n)) {
			stix_import_skip(x->m, x->count, path, "vulnerability", "not a CVE id");
			return 0;
		}
		str_copy(canon, sizeof canon, v);
		canon[n < sizeof canon ? n : sizeof canon - 1] = '\0';
		for (char *q = canon; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 32);
		stix_import_reference(x->m, "cve", canon);
		return 0;
	}
	if (kind == STIX_MISP_IP) {
		if (stix_ip_normalize(v, n, &k, canon, sizeof canon) != 0) {
			stix_import_error(x->m, x->count, path, "value", "not an IPv4/IPv6 address or network");
			return -1;
		}
	} else {
		k = (enum ind_kind)kind;
		if (indicator_normalize(k, v, n, canon, sizeof canon) != 0) {
			stix_import_error(x->m, x->count, path, "value", "not a valid %s", indicator_kind_name(k));
			return -1;
		}
	}
	return stix_import_indicator(x->m, k, canon, comment);
}

static void take_attribute(struct misp *x, const char *path, const json_t *a)
{
	const json_t *t = json_object_get(a, "type"), *v = json_object_get(a, "value");
	const char *type, *val, *comment = json_string_value(json_object_get(a, "comment"));
	const char *bar;
	int parts[2];
	size_t nparts;

	x->count++;
	if (!json_is_object(a)) {
		stix_import_error(x->m, x->count, path, NULL, "an attribute must be a JSON object");
		return;
	}
	if (!json_is_string(t) || json_string_length(t) == 0) {
		stix_import_error(x->m, x->count, path, "type", "required property is missing or not a string");
		return;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		stix_import_error(x->m, x->count, path, "value", "required property is missing or not a string");
		return;
	}
	type = json_string_value(t);
	val = json_string_value(v);
	if (truthy(json_object_get(a, "deleted"), false)) {
		stix_import_skip(x->m, x->count, path, type, "deleted");
		return;
	}
	if (stix_misp_type(type, parts, &nparts) != 0) {
		stix_import_skip(x->m, x->count, path, type, "attribute type '%s' is not taken", type);
		return;
	}
	if (parts[0] != STIX_MISP_VULN && !truthy(json_object_get(a, "to_ids"), true)) {
		stix_import_skip(x->m, x->count, path, type, "to_ids is false: context, not an indicator");
		return;
	}
	bar = strchr(val, '|');
	if (nparts == 2) {
		if (bar == NULL) {
			stix_import_error(x->m, x->count, path, "value", "a '%s' value is two parts 'a|b'", type);
			return;
		}
		if (take_part(x, path, parts[0], val, (size_t)(bar - val), comment) == 0)
			take_part(x, path, parts[1], bar + 1, strlen(bar + 1), comment);
		return;
	}
	take_part(x, path, parts[0], val, strlen(val), comment);
}

static void take_attributes(struct misp *x, const char *prefix, const json_t *list)
{
	const json_t *a;
	char path[96];
	size_t i;

	if (list == NULL)
		return;
	if (!json_is_array(list)) {
		stix_import_error(x->m, -1, prefix, "Attribute", "must be a list");
		return;
	}
	json_array_foreach(list, i, a) {
		if (x->count >= STIX_IMPORT_OBJECTS) {
			stix_import_error(x->m, -1, NULL, "Attribute", "more than %d attributes in one event",
				  STIX_IMPORT_OBJECTS);
			return;
		}
		snprintf(path, sizeof path, "%sAttribute[%zu]", prefix, i);
		take_attribute(x, path, a);
	}
}

/* The event's TLP from its tags ("tlp:amber", "tlp:white" = clear). */
static void take_tags(struct misp *x, const json_t *tags)
{
	const json_t *t;
	size_t i;

	if (tags != NULL && !json_is_array(tags)) {
		stix_import_error(x->m, -1, "Event", "Tag", "must be a list");
		return;
	}
	json_array_foreach(tags, i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		int tlp;

		if (name == NULL || !(str_starts(name, "tlp:") || str_starts(name, "TLP:")))
			continue;
		tlp = str_ieq(name + 4, "white") ? TLP_CLEAR : codes_tlp_parse(name + 4);
		if (tlp < 0)
			stix_import_skip(x->m, -1, "Event", "Tag", "unknown TLP tag '%s'", name);
		else if (tlp > x->m->tlp)
			x->m->tlp = tlp;
	}
}

static bool date_ok(const char *s)
{
	int64_t y, mo, d;

	return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && str_to_i64n(s, 4, 1970, 9999, &y) == 0 &&
	       str_to_i64n(s + 5, 2, 1, 12, &mo) == 0 && str_to_i64n(s + 8, 2, 1, 31, &d) == 0;
}

int misp_import_event(const struct ops_ctx *c, const json_t *doc, json_t **result,
		      struct ops_err *err)
{
	const json_t *ev = json_object_get(doc, "Event"), *objs, *ob, *tl;
	const char *info = NULL, *uuid = NULL, *date = NULL;
	unsigned char u[16];
	char source[64], desc[256], prefix[48];
	struct msg dm;
	struct stix_import m;
	struct misp x = {.m = &m};
	size_t i;
	int rc;

	stix_import_init(&m);
	if (!json_is_object(ev)) {
		stix_import_error(&m, -1, NULL, "Event", "the document must be a MISP event {\"Event\": {...}}");
		goto done;
	}
	info = json_string_value(json_object_get(ev, "info"));
	uuid = json_string_value(json_object_get(ev, "uuid"));
	date = json_string_value(json_object_get(ev, "date"));
	if (info == NULL || info[0] == '\0')
		stix_import_error(&m, -1, "Event", "info", "required property is missing or empty");
	if (uuid == NULL || stix_uuid_parse(uuid, strlen(uuid), u) != 0)
		stix_import_error(&m, -1, "Event", "uuid", "required, and must be a UUID");
	if (json_object_get(ev, "date") && (date == NULL || !date_ok(date)))
		stix_import_error(&m, -1, "Event", "date", "must be a date YYYY-MM-DD");
	tl = json_object_get(ev, "threat_level_id");
	if (tl) {
		int64_t lvl = 0;

		if ((json_is_string(tl) && str_to_i64(json_string_value(tl), 1, 4, &lvl) == 0) ||
		    (json_is_integer(tl) && (lvl = json_integer_value(tl)) >= 1 && lvl <= 4))
			/* 1 high, 2 medium, 3 low, 4 undefined -> severity ranks 3, 2, 1, 2 */
			m.severity_rank = lvl == 1 ? 3 : lvl == 3 ? 1 : 2;
		else
			stix_import_error(&m, -1, "Event", "threat_level_id", "must be 1, 2, 3 or 4");
	}
	take_tags(&x, json_object_get(ev, "Tag"));
	take_attributes(&x, "", json_object_get(ev, "Attribute"));
	objs = json_object_get(ev, "Object");
	if (objs && !json_is_array(objs))
		stix_import_error(&m, -1, "Event", "Object", "must be a list");
	json_array_foreach(objs, i, ob) {
		snprintf(prefix, sizeof prefix, "Object[%zu].", i);
		if (!json_is_object(ob))
			stix_import_error(&m, -1, prefix, NULL, "an object must be a JSON object");
		else
			take_attributes(&x, prefix, json_object_get(ob, "Attribute"));
	}
	if (info)
		stix_import_text(&m.title, info, true);
	/* the draft warning's text, kept in the store: in Vietnamese, as its issuer writes it */
	if (date)
		msg_set(&dm, M_misp_imported_from_dated, MS("uuid", uuid ? uuid : ""),
			MS("date", date));
	else
		msg_set(&dm, M_misp_imported_from, MS("uuid", uuid ? uuid : ""));
	(void)msg_render(&dm, MSG_VI, desc, sizeof desc);
	stix_import_text(&m.description, desc, false);
	if (!m.nerrors && json_array_size(m.indicators) == 0 && json_array_size(m.refs) == 0)
		stix_import_error(&m, -1, "Event", "Attribute", "nothing to import: no attribute ungcuu takes");
done:
	snprintf(source, sizeof source, "misp:%s", m.nerrors || uuid == NULL ? "" : uuid);
	rc = stix_import_create(c, &m, "misp", source, result, err);
	stix_import_free(&m);
	return rc;
}
