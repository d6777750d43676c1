/* sqlite_match.c - indicators and matching (store_indicator_*, store_match, store_related_*):
 * every lookup is an equality (or, for networks inside a warned network, one range) on an index;
 * the keys come from core/match.c. docs/warnings.md explains the rules. */
#include "sqlite_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"

#include "util/msg.h"

/* why a system matches (core/match.c has the others): catalogue codes, worded when read */
#define WHY_INSIDE msg_code(M_match_range_inside)
#define WHY_PRODUCT msg_code(M_match_same_product)
#define WHY_VERSION msg_code(M_match_affected_version)

int sq_prefix_add(struct store *st, unsigned family, unsigned bits)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_PREFIX_ADD,
			 "INSERT OR IGNORE INTO match_prefixes(family, bits) VALUES (?1, ?2)", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, family);
	sq_bind_int(st, s, 2, bits);
	rc = sq_step_done(st, s, "prefix add");
	sq_done(s);
	return rc;
}

static int load_prefixes(struct store *st, struct match_prefixes *p)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_PREFIX_LIST, "SELECT family, bits FROM match_prefixes", &s);

	memset(p, 0, sizeof *p);
	if (rc != STORE_OK)
		return rc;
	while ((rc = sq_step_row(st, s, "prefixes")) == STORE_OK)
		match_prefixes_add(p, (unsigned)sqlite3_column_int(s, 0),
				   (unsigned)sqlite3_column_int(s, 1));
	sq_done(s);
	return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

/* ---- one matching run ----
 * All the keys of all the observables go into two JSON arrays (core/match.c makes them), and
 * each array is looked up in ONE statement: json_each drives index probes of system_assets(mkey)
 * and indicators(value, kind), so 100 observables cost two statements, not a thousand. */

#define MATCH_KEYS_MAX (64u << 20) /* bytes of keys per run */
#define MATCH_ROWS_MAX 20000       /* hits read per run */

struct mrun {
	struct store *st;
	struct match_prefixes pre;
	const char *self_kind;
	int64_t self_id;
	json_t *systems;  /* array of system entries */
	json_t *by_id;    /* "id" -> entry (borrowed) */
	json_t *inds;     /* array of indicator hits */
	json_t *seen;     /* dedupe keys */
	const char **kinds, **values; /* the observables, by index */
	size_t nobs, cur;
	struct buf akeys, ikeys; /* [[key, obs, why], ...] and [[kind, value, obs, why], ...] */
	size_t nakeys, nikeys;
	int err;
};

/* Appends s as a JSON string. */
static int put_str(struct buf *b, const char *s)
{
	int rc = buf_append(b, "\"", 1);

	for (const char *p = s; *p && rc == BUF_OK; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\')
			rc = buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			rc = buf_printf(b, "\\u%04x", c);
		else
			rc = buf_append(b, p, 1);
	}
	return rc == BUF_OK ? buf_append(b, "\"", 1) : rc;
}

static bool seen_once(struct mrun *m, const char *key)
{
	if (json_object_get(m->seen, key) != NULL)
		return false;
	json_object_set_new(m->seen, key, json_true());
	return true;
}

/* The entry of a system, created (with its name and organisations) on first hit. */
static int system_entry(struct mrun *m, int64_t sid, json_t **out)
{
	char key[32];
	sqlite3_stmt *s;
	json_t *e;
	int rc;

	snprintf(key, sizeof key, "%lld", (long long)sid);
	if ((e = json_object_get(m->by_id, key)) != NULL)
		return *out = e, STORE_OK;
	rc = sq_stmt(m->st, SQ_MATCH_SYSTEM,
		     "SELECT name, owner_org_id, operator_org_id FROM systems WHERE id = ?1", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(m->st, s, 1, sid);
	rc = sq_step_row(m->st, s, "match system");
	if (rc == STORE_OK) {
		e = json_pack("{s:I, s:s, s:I, s:I, s:[]}", "system_id", (json_int_t)sid, "name",
			      (const char *)sqlite3_column_text(s, 0), "owner_org_id",
			      (json_int_t)sqlite3_column_int64(s, 1), "operator_org_id",
			      (json_int_t)sqlite3_column_int64(s, 2), "matched");
		if (e == NULL)
			rc = STORE_EIO;
	}
	sq_done(s);
	if (rc != STORE_OK)
		return rc;
	json_array_append_new(m->systems, e);
	json_object_set(m->by_id, key, e);
	*out = e;
	return STORE_OK;
}

static int system_hit(struct mrun *m, int64_t sid, const char *asset, const char *indicator,
		      const char *why)
{
	char key[3 * IND_VALUE_MAX];
	json_t *e;
	int rc;

	snprintf(key, sizeof key, "s%lld|%s|%s", (long long)sid, asset, indicator);
	if (!seen_once(m, key))
		return STORE_OK;
	rc = system_entry(m, sid, &e);
	if (rc == STORE_OK &&
	    json_array_append_new(json_object_get(e, "matched"),
				  json_pack("{s:s, s:s, s:s}", "asset", asset, "indicator",
					    indicator, "why", why)) != 0)
		rc = STORE_EIO;
	return rc;
}

/* "kind value" of observable i. */
static void label_of(const struct mrun *m, size_t i, char *out, size_t outsz)
{
	if (i < m->nobs)
		snprintf(out, outsz, "%s %s", m->kinds[i], m->values[i]);
	else
		snprintf(out, outsz, "?");
}

static int asset_key_cb(void *ctx, const char *key, const char *why)
{
	struct mrun *m = ctx;
	struct buf *b = &m->akeys;
	int rc = m->nakeys++ ? buf_puts(b, ",[") : buf_puts(b, "[[");

	if (rc == BUF_OK)
		rc = put_str(b, key);
	if (rc == BUF_OK)
		rc = buf_printf(b, ",%zu,", m->cur);
	if (rc == BUF_OK)
		rc = put_str(b, why);
	if (rc == BUF_OK)
		rc = buf_append(b, "]", 1);
	if (rc != BUF_OK)
		m->err = STORE_EINVAL;
	return rc == BUF_OK ? 0 : -1;
}

static int ind_key_cb(void *ctx, const char *kind, const char *value, const char *why)
{
	struct mrun *m = ctx;
	struct buf *b = &m->ikeys;
	int rc = m->nikeys++ ? buf_puts(b, ",[") : buf_puts(b, "[[");

	if (rc == BUF_OK)
		rc = put_str(b, kind);
	if (rc == BUF_OK)
		rc = buf_append(b, ",", 1);
	if (rc == BUF_OK)
		rc = put_str(b, value);
	if (rc == BUF_OK)
		rc = buf_printf(b, ",%zu,", m->cur);
	if (rc == BUF_OK)
		rc = put_str(b, why);
	if (rc == BUF_OK)
		rc = buf_append(b, "]", 1);
	if (rc != BUF_OK)
		m->err = STORE_EINVAL;
	return rc == BUF_OK ? 0 : -1;
}

/* The assets whose key is one of the run's asset keys. */
static int asset_hits(struct mrun *m)
{
	sqlite3_stmt *s;
	int rc, rows = 0;

	if (m->nakeys == 0)
		return STORE_OK;
	if (buf_append(&m->akeys, "]", 1) != BUF_OK)
		return STORE_EINVAL;
	rc = sq_stmt(m->st, SQ_MATCH_ASSET,
		     "SELECT a.system_id, a.kind, a.value, k.value ->> 1, k.value ->> 2 FROM "
		     "json_each(?1) AS k CROSS JOIN system_assets AS a ON a.mkey = k.value ->> 0",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_text(s, 1, m->akeys.p, (int)m->akeys.len, SQLITE_STATIC);
	while ((rc = sq_step_row(m->st, s, "match assets")) == STORE_OK &&
	       rows++ < MATCH_ROWS_MAX) {
		char asset[IND_VALUE_MAX + 16], label[IND_VALUE_MAX + 16];

		snprintf(asset, sizeof asset, "%s %s", (const char *)sqlite3_column_text(s, 1),
			 (const char *)sqlite3_column_text(s, 2));
		label_of(m, (size_t)sqlite3_column_int64(s, 3), label, sizeof label);
		rc = system_hit(m, sqlite3_column_int64(s, 0), asset, label,
				(const char *)sqlite3_column_text(s, 4));
		if (rc != STORE_OK)
			break;
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

/* The stored indicators equal to one of the run's indicator keys. */
static int indicator_hits(struct mrun *m)
{
	sqlite3_stmt *s;
	int rc, rows = 0;

	if (m->nikeys == 0)
		return STORE_OK;
	if (buf_append(&m->ikeys, "]", 1) != BUF_OK)
		return STORE_EINVAL;
	rc = sq_stmt(m->st, SQ_MATCH_IND,
		     "SELECT coalesce(i.incident_id, 0), coalesce(i.warning_id, 0), i.kind, i.value, "
		     "k.value ->> 2, k.value ->> 3 FROM json_each(?1) AS k CROSS JOIN indicators AS i "
		     "ON i.value = k.value ->> 1 AND i.kind = k.value ->> 0",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_text(s, 1, m->ikeys.p, (int)m->ikeys.len, SQLITE_STATIC);
	while ((rc = sq_step_row(m->st, s, "match indicators")) == STORE_OK &&
	       rows++ < MATCH_ROWS_MAX) {
		int64_t inc = sqlite3_column_int64(s, 0), w = sqlite3_column_int64(s, 1);
		const char *ok = inc ? "incident" : "warning";
		int64_t oid = inc ? inc : w;
		char key[3 * IND_VALUE_MAX], stored[IND_VALUE_MAX + 16], label[IND_VALUE_MAX + 16];

		if (m->self_kind && strcmp(ok, m->self_kind) == 0 && oid == m->self_id)
			continue;
		snprintf(stored, sizeof stored, "%s %s", (const char *)sqlite3_column_text(s, 2),
			 (const char *)sqlite3_column_text(s, 3));
		label_of(m, (size_t)sqlite3_column_int64(s, 4), label, sizeof label);
		snprintf(key, sizeof key, "i%s%lld|%s|%s", ok, (long long)oid, stored, label);
		if (!seen_once(m, key))
			continue;
		if (json_array_append_new(m->inds,
					  json_pack("{s:s, s:I, s:s, s:s, s:s}", "owner_kind", ok,
						    "owner_id", (json_int_t)oid, "value", stored,
						    "indicator", label, "why",
						    (const char *)sqlite3_column_text(s, 5))) != 0) {
			rc = STORE_EIO;
			break;
		}
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

/* Networks of systems lying inside a warned network (the other way round of containment). */
static int inside_assets(struct mrun *m, size_t obs)
{
	char lo[MATCH_LO_MAX], hi[MATCH_LO_MAX], label[IND_VALUE_MAX + 16];
	unsigned fam, bits, abits, afam;
	sqlite3_stmt *s;
	int rc, rows = 0;

	if (indicator_prefix(m->values[obs], &fam, &bits) != 0 ||
	    match_range(m->values[obs], lo, hi, sizeof lo))
		return STORE_OK;
	label_of(m, obs, label, sizeof label);
	rc = sq_stmt(m->st, SQ_MATCH_RANGE,
		     "SELECT system_id, kind, value, mkey FROM system_assets WHERE lo >= ?1 AND "
		     "lo <= ?2 AND lo <> ''",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(m->st, s, 1, lo);
	sq_bind_text(m->st, s, 2, hi);
	while ((rc = sq_step_row(m->st, s, "match range")) == STORE_OK &&
	       rows++ < MATCH_ROWS_MAX) {
		const char *mkey = (const char *)sqlite3_column_text(s, 3);
		char asset[IND_VALUE_MAX + 16];

		if (mkey == NULL || strncmp(mkey, "n:", 2) != 0 ||
		    indicator_prefix(mkey + 2, &afam, &abits) != 0 || afam != fam || abits <= bits)
			continue;
		snprintf(asset, sizeof asset, "%s %s", (const char *)sqlite3_column_text(s, 1),
			 (const char *)sqlite3_column_text(s, 2));
		rc = system_hit(m, sqlite3_column_int64(s, 0), asset, label, WHY_INSIDE);
		if (rc != STORE_OK)
			break;
	}
	sq_done(s);
	return rc == STORE_ENOTFOUND || rc == STORE_OK ? STORE_OK : rc;
}

static int product_hits(struct mrun *m, const json_t *products)
{
	const json_t *p;
	size_t i;
	int rc = STORE_OK;

	json_array_foreach(products, i, p) {
		const char *vendor = json_string_value(json_object_get(p, "vendor"));
		const char *product = json_string_value(json_object_get(p, "product"));
		const char *versions = json_string_value(json_object_get(p, "versions"));
		char key[MATCH_PRODUCT_MAX], label[1200];
		sqlite3_stmt *s;
		int rows = 0;

		if (vendor == NULL || product == NULL ||
		    match_product_key(vendor, product, key, sizeof key) != 0)
			continue;
		snprintf(label, sizeof label, "product %s %s%s%s", vendor, product,
			 versions && versions[0] ? " " : "", versions ? versions : "");
		rc = sq_stmt(m->st, SQ_MATCH_PRODUCT,
			     "SELECT system_id, vendor, product, version FROM system_products WHERE "
			     "match_key = ?1",
			     &s);
		if (rc != STORE_OK)
			return rc;
		sq_bind_text(m->st, s, 1, key);
		while ((rc = sq_step_row(m->st, s, "match product")) == STORE_OK &&
		       rows++ < MATCH_ROWS_MAX) {
			char asset[1200];
			const char *ver = (const char *)sqlite3_column_text(s, 3);
			int in = match_version_in(ver, versions);

			if (in == 0) /* a version outside the affected ranges */
				continue;

			snprintf(asset, sizeof asset, "product %s %s%s%s",
				 (const char *)sqlite3_column_text(s, 1),
				 (const char *)sqlite3_column_text(s, 2), ver && ver[0] ? " " : "",
				 ver ? ver : "");
			rc = system_hit(m, sqlite3_column_int64(s, 0), asset, label,
					in == 1 ? WHY_VERSION : WHY_PRODUCT);
			if (rc != STORE_OK)
				break;
		}
		sq_done(s);
		if (rc != STORE_ENOTFOUND && rc != STORE_OK)
			return rc;
		rc = STORE_OK;
	}
	return rc;
}

static void mrun_free(struct mrun *m)
{
	json_decref(m->systems);
	json_decref(m->by_id);
	json_decref(m->inds);
	json_decref(m->seen);
	m->systems = m->by_id = m->inds = m->seen = NULL;
	free(m->kinds);
	free(m->values);
	m->kinds = m->values = NULL;
	buf_free(&m->akeys);
	buf_free(&m->ikeys);
}

static int mrun_init(struct store *st, struct mrun *m, const char *self_kind, int64_t self_id,
		     size_t nobs)
{
	memset(m, 0, sizeof *m);
	m->st = st;
	m->self_kind = self_kind;
	m->self_id = self_id;
	m->systems = json_array();
	m->by_id = json_object();
	m->inds = json_array();
	m->seen = json_object();
	m->kinds = calloc(nobs + 1, sizeof *m->kinds);
	m->values = calloc(nobs + 1, sizeof *m->values);
	buf_init(&m->akeys, MATCH_KEYS_MAX);
	buf_init(&m->ikeys, MATCH_KEYS_MAX);
	if (!m->systems || !m->by_id || !m->inds || !m->seen || !m->kinds || !m->values)
		return mrun_free(m), STORE_EIO;
	return load_prefixes(st, &m->pre);
}

/* Matches the observables added with mrun_add: stored indicators always, assets when asked. */
static int mrun_add(struct mrun *m, const char *kind, const char *value, bool assets)
{
	enum ind_kind k;

	if (kind == NULL || value == NULL || indicator_kind_parse(kind, &k) != 0)
		return STORE_OK;
	m->kinds[m->nobs] = kind;
	m->values[m->nobs] = value;
	m->cur = m->nobs++;
	match_indicator_keys(k, value, &m->pre, ind_key_cb, m);
	if (assets)
		match_asset_keys(k, value, &m->pre, asset_key_cb, m);
	if (m->err)
		return m->err;
	return assets && k == IND_CIDR ? inside_assets(m, m->cur) : STORE_OK;
}

int store_match(struct store *st, const json_t *indicators, const json_t *products,
		const char *self_kind, int64_t self_id, json_t **out)
{
	struct mrun m;
	const json_t *v;
	size_t i;
	int rc;

	*out = NULL;
	rc = mrun_init(st, &m, self_kind, self_id, json_array_size(indicators));
	json_array_foreach(indicators, i, v) {
		if (rc != STORE_OK)
			break;
		rc = mrun_add(&m, json_string_value(json_object_get(v, "kind")),
			      json_string_value(json_object_get(v, "value")), true);
	}
	if (rc == STORE_OK)
		rc = asset_hits(&m);
	if (rc == STORE_OK)
		rc = indicator_hits(&m);
	if (rc == STORE_OK && json_is_array(products))
		rc = product_hits(&m, products);
	if (rc == STORE_OK) {
		*out = json_pack("{s:O, s:O}", "systems", m.systems, "indicators", m.inds);
		if (*out == NULL)
			rc = STORE_EIO;
	}
	mrun_free(&m);
	return rc;
}

/* ---- indicators and related items ---- */

static bool owner_ok(const char *kind)
{
	return kind && (strcmp(kind, "incident") == 0 || strcmp(kind, "warning") == 0);
}

int store_related_add(struct store *st, const char *a_kind, int64_t a_id, const char *b_kind,
		      int64_t b_id, const char *why, int64_t now)
{
	sqlite3_stmt *s;
	int c, rc;

	if (!owner_ok(a_kind) || !owner_ok(b_kind))
		return STORE_EINVAL;
	c = strcmp(a_kind, b_kind);
	if (c == 0 && a_id == b_id)
		return STORE_OK;
	if (c > 0 || (c == 0 && a_id > b_id)) { /* the smaller (kind, id) first */
		const char *tk = a_kind;
		int64_t ti = a_id;

		a_kind = b_kind, a_id = b_id, b_kind = tk, b_id = ti;
	}
	rc = sq_stmt(st, SQ_RELATED_ADD,
		     "INSERT OR IGNORE INTO related(a_kind, a_id, b_kind, b_id, why, created_at) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, a_kind);
	sq_bind_int(st, s, 2, a_id);
	sq_bind_text(st, s, 3, b_kind);
	sq_bind_int(st, s, 4, b_id);
	sq_bind_text(st, s, 5, why);
	sq_bind_int(st, s, 6, now);
	rc = sq_step_done(st, s, "related add");
	sq_done(s);
	return rc;
}

int store_related_list(struct store *st, const char *kind, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(
		st, SQ_RELATED_LIST,
		"WITH r AS (SELECT b_kind AS kind, b_id AS id, why, created_at FROM related WHERE "
		"a_kind = ?1 AND a_id = ?2 UNION ALL SELECT a_kind, a_id, why, created_at FROM related "
		"WHERE b_kind = ?1 AND b_id = ?2) "
		"SELECT r.kind, r.id, r.why, r.created_at, coalesce(i.ref, w.ref) AS ref, "
		"coalesce(i.title, w.title) AS title, coalesce(i.tlp, w.tlp) AS tlp, "
		"coalesce(i.org_id, w.issuer_org_id) AS org_id, coalesce(i.status, w.status) AS status "
		"FROM r LEFT JOIN incidents i ON r.kind = 'incident' AND i.id = r.id "
		"LEFT JOIN warnings w ON r.kind = 'warning' AND w.id = r.id "
		"ORDER BY r.created_at DESC, r.id DESC LIMIT 500",
		&s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, kind);
	sq_bind_int(st, s, 2, id);
	rc = sq_rows_json(st, s, "related list", out);
	sq_done(s);
	return rc;
}

int store_indicator_add(struct store *st, const char *owner_kind, int64_t owner_id,
			const char *kind, const char *canonical_value, const char *source,
			int64_t now)
{
	bool inc = owner_kind && strcmp(owner_kind, "incident") == 0;
	enum ind_kind k;
	unsigned fam, bits;
	sqlite3_stmt *s;
	struct mrun m;
	const json_t *hit;
	size_t i;
	int rc;

	if (!owner_ok(owner_kind) || owner_id <= 0 || kind == NULL || canonical_value == NULL ||
	    indicator_kind_parse(kind, &k) != 0 || canonical_value[0] == '\0')
		return STORE_EINVAL;
	rc = sq_stmt(st, SQ_IND_EXISTS,
		     "SELECT 1 FROM indicators WHERE value = ?1 AND kind = ?2 AND "
		     "coalesce(incident_id, 0) = ?3 AND coalesce(warning_id, 0) = ?4",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, canonical_value);
	sq_bind_text(st, s, 2, kind);
	sq_bind_int(st, s, 3, inc ? owner_id : 0);
	sq_bind_int(st, s, 4, inc ? 0 : owner_id);
	rc = sq_step_row(st, s, "indicator exists");
	sq_done(s);
	if (rc != STORE_ENOTFOUND)
		return rc; /* STORE_OK: already there, nothing to do */
	rc = sq_stmt(st, SQ_IND_INSERT,
		     "INSERT INTO indicators(kind, value, incident_id, warning_id, source, "
		     "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, kind);
	sq_bind_text(st, s, 2, canonical_value);
	sq_bind_ref(st, s, 3, inc ? owner_id : 0);
	sq_bind_ref(st, s, 4, inc ? 0 : owner_id);
	sq_bind_text(st, s, 5, source ? source : "");
	sq_bind_int(st, s, 6, now);
	rc = sq_step_done(st, s, "indicator insert");
	sq_done(s);
	if (rc == STORE_OK && k == IND_CIDR && indicator_prefix(canonical_value, &fam, &bits) == 0)
		rc = sq_prefix_add(st, fam == 4 ? 4 : 6, bits);
	if (rc != STORE_OK)
		return rc;
	/* link the owner with every other item holding a matching indicator */
	rc = mrun_init(st, &m, owner_kind, owner_id, 1);
	if (rc == STORE_OK)
		rc = mrun_add(&m, kind, canonical_value, false);
	if (rc == STORE_OK)
		rc = indicator_hits(&m);
	json_array_foreach(m.inds, i, hit) {
		if (rc != STORE_OK)
			break;
		rc = store_related_add(st, owner_kind, owner_id,
				       json_string_value(json_object_get(hit, "owner_kind")),
				       json_integer_value(json_object_get(hit, "owner_id")),
				       json_string_value(json_object_get(hit, "value")), now);
	}
	mrun_free(&m);
	return rc;
}

int store_indicator_list(struct store *st, const char *owner_kind, int64_t owner_id,
			 json_t **out)
{
	bool inc = owner_kind && strcmp(owner_kind, "incident") == 0;
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_IND_LIST,
			 "SELECT id, kind, value, source, note, created_at FROM indicators WHERE "
			 "(?1 <> 0 AND incident_id = ?2) OR (?1 = 0 AND warning_id = ?2) ORDER BY id",
			 &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, inc ? 1 : 0);
	sq_bind_int(st, s, 2, owner_id);
	rc = sq_rows_json(st, s, "indicator list", out);
	sq_done(s);
	return rc;
}
