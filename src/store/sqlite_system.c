/* sqlite_system.c - information systems and their assets (store_system_*). */
#include "sqlite_priv.h"

#include <string.h>

#include "core/match.h"
#include "util/tm.h"

static const struct sq_col system_cols[] = {
	{"name", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"description", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"owner_org_id", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"operator_org_id", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"level", SQK_INT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"central_hosted", SQK_FLAG, SQC_CREATE | SQC_UPDATE, 0},
	{"critical", SQK_FLAG, SQC_CREATE | SQC_UPDATE, 0},
	{"plan_updated_at", SQK_INT, SQC_CREATE | SQC_UPDATE, 0},
};

static const struct sq_table system_table = {"systems", system_cols, SQ_NELEM(system_cols)};

static const struct sq_col asset_cols[] = {
	{"kind", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
	{"value", SQK_TEXT, SQC_CREATE | SQC_REQUIRED, 0},
};

static const char system_insert_sql[] =
	"INSERT INTO systems(name, description, owner_org_id, operator_org_id, level, "
	"central_hosted, critical, plan_updated_at, created_at, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";

static const char asset_insert_sql[] =
	"INSERT INTO system_assets(system_id, kind, value, mkey, lo) VALUES (?3, ?1, ?2, ?4, ?5)";

/* Binds the matching keys of an asset (core/match.c) as ?4, ?5 and records its prefix length. */
static int asset_keys(struct store *st, sqlite3_stmt *s, const json_t *a)
{
	const char *kind = json_string_value(json_object_get(a, "kind"));
	const char *value = json_string_value(json_object_get(a, "value"));
	char mkey[MATCH_KEY_MAX] = "", lo[MATCH_LO_MAX] = "";
	unsigned fam = 0, bits = 0;

	if (kind == NULL || value == NULL)
		return STORE_EINVAL;
	/* a value that is not canonical (written before 010) is stored, just not matched */
	if (match_asset_key(kind, value, mkey, sizeof mkey, lo, sizeof lo, &fam, &bits) != 0)
		mkey[0] = lo[0] = '\0';
	sq_bind_text(st, s, 4, mkey);
	sq_bind_text(st, s, 5, lo);
	return fam != 0 ? sq_prefix_add(st, fam, bits) : STORE_OK;
}

/* Replaces the products of a system by the array (NULL or null: none). */
static int system_put_products(struct store *st, int64_t id, const json_t *products)
{
	sqlite3_stmt *s = NULL;
	const json_t *p;
	size_t i;
	int rc;

	if (products != NULL && !json_is_null(products) && !json_is_array(products))
		return STORE_EINVAL;
	rc = sq_stmt(st, SQ_SYSTEM_PRODUCT_CLEAR, "DELETE FROM system_products WHERE system_id = ?1",
		     &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_done(st, s, "products clear");
	sq_done(s);
	if (rc != STORE_OK || !json_is_array(products))
		return rc;
	json_array_foreach(products, i, p) {
		const char *vendor = json_string_value(json_object_get(p, "vendor"));
		const char *product = json_string_value(json_object_get(p, "product"));
		const char *version = json_string_value(json_object_get(p, "version"));
		char key[MATCH_PRODUCT_MAX];

		if (vendor == NULL || product == NULL ||
		    match_product_key(vendor, product, key, sizeof key) != 0)
			return STORE_EINVAL;
		rc = sq_stmt(st, SQ_SYSTEM_PRODUCT_INSERT,
			     "INSERT INTO system_products(system_id, vendor, product, version, "
			     "match_key) VALUES (?1, ?2, ?3, ?4, ?5)",
			     &s);
		if (rc != STORE_OK)
			return rc;
		sq_bind_int(st, s, 1, id);
		sq_bind_text(st, s, 2, vendor);
		sq_bind_text(st, s, 3, product);
		sq_bind_text(st, s, 4, version ? version : "");
		sq_bind_text(st, s, 5, key);
		rc = sq_step_done(st, s, "product insert");
		sq_done(s);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* Replaces the assets of a system by the array (NULL or null: none). */
static int system_put_assets(struct store *st, int64_t id, const json_t *assets)
{
	sqlite3_stmt *s = NULL;
	const json_t *a;
	size_t i;
	int rc, n;

	if (assets != NULL && !json_is_null(assets) && !json_is_array(assets))
		return STORE_EINVAL;
	rc = sq_stmt(st, SQ_SYSTEM_ASSET_CLEAR, "DELETE FROM system_assets WHERE system_id = ?1", &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_done(st, s, "assets clear");
	sq_done(s);
	if (rc != STORE_OK || !json_is_array(assets))
		return rc;
	rc = sq_stmt(st, SQ_SYSTEM_ASSET_INSERT, asset_insert_sql, &s);
	json_array_foreach(assets, i, a) {
		if (rc != STORE_OK)
			break;
		rc = sq_bind_create(st, s, a, asset_cols, SQ_NELEM(asset_cols), &n);
		sq_bind_int(st, s, n + 1, id);
		if (rc == STORE_OK)
			rc = asset_keys(st, s, a);
		if (rc == STORE_OK)
			rc = sq_step_done(st, s, "asset insert");
		sq_done(s);
	}
	return rc;
}

static int system_insert(struct store *st, const json_t *sys, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_SYSTEM_INSERT, system_insert_sql, &s), n;

	if (rc != STORE_OK)
		return rc;
	rc = sq_bind_create(st, s, sys, system_cols, SQ_NELEM(system_cols), &n);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, n + 1, tm_now());
	rc = sq_step_done(st, s, "system create");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sq_done(s);
	return rc;
}

int store_system_create(struct store *st, const json_t *sys, int64_t *id)
{
	int64_t new_id = 0;
	int rc;

	*id = 0;
	rc = sq_savepoint(st);
	if (rc != STORE_OK)
		return rc;
	rc = system_insert(st, sys, &new_id);
	if (rc == STORE_OK)
		rc = system_put_assets(st, new_id, json_object_get(sys, "assets"));
	if (rc == STORE_OK)
		rc = system_put_products(st, new_id, json_object_get(sys, "products"));
	rc = sq_finish(st, rc);
	if (rc == STORE_OK)
		*id = new_id;
	return rc;
}

#define SYSTEM_ROW                                                                               \
	"SELECT s.id, s.name, s.description, s.owner_org_id, ow.name AS owner_name, "            \
	"s.operator_org_id, op.name AS operator_name, s.level, s.central_hosted, s.critical, "   \
	"s.plan_updated_at, s.version, s.created_at, s.updated_at FROM systems s "              \
	"JOIN orgs ow ON ow.id = s.owner_org_id JOIN orgs op ON op.id = s.operator_org_id "

static const char system_get_sql[] = SYSTEM_ROW "WHERE s.id = ?1";

static int system_assets(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_SYSTEM_ASSETS,
			 "SELECT kind, value FROM system_assets WHERE system_id = ?1 ORDER BY id", &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_rows_json(st, s, "system assets", out);
	sq_done(s);
	return rc;
}

int store_system_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	json_t *sys = NULL, *assets = NULL;
	int rc = sq_stmt(st, SQ_SYSTEM_GET, system_get_sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "system get", &sys);
	sq_done(s);
	if (rc == STORE_OK)
		rc = system_assets(st, id, &assets);
	if (rc == STORE_OK)
		rc = sq_set(sys, "assets", assets);
	if (rc == STORE_OK) {
		json_t *products = NULL;

		rc = sq_stmt(st, SQ_SYSTEM_PRODUCTS,
			     "SELECT vendor, product, version FROM system_products WHERE system_id = "
			     "?1 ORDER BY id",
			     &s);
		if (rc == STORE_OK) {
			sq_bind_int(st, s, 1, id);
			rc = sq_rows_json(st, s, "system products", &products);
			sq_done(s);
		}
		if (rc == STORE_OK)
			rc = sq_set(sys, "products", products);
	}
	if (rc != STORE_OK) {
		json_decref(sys);
		return rc;
	}
	*out = sys;
	return STORE_OK;
}

int store_system_access(struct store *st, int64_t id, struct ac_system *out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_SYSTEM_ACCESS,
			 "SELECT owner_org_id, operator_org_id, critical FROM systems WHERE id = ?1",
			 &s);

	memset(out, 0, sizeof *out);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "system access");
	if (rc == STORE_OK) {
		out->owner_org_id = sqlite3_column_int64(s, 0);
		out->operator_org_id = sqlite3_column_int64(s, 1);
		out->critical = sqlite3_column_int(s, 2) != 0;
	}
	sq_done(s);
	return rc;
}

/* The scope of access_system_scope as one fixed statement: ?1 = org, ?2 = every system
 * (the coordinator; systems carry no TLP), ?3 = every critical system (police). */
static const char system_list_sql[] =
	SYSTEM_ROW "WHERE s.owner_org_id = ?1 OR s.operator_org_id = ?1 OR ?2 <> 0 OR "
		   "(?3 <> 0 AND s.critical <> 0) ORDER BY s.id";

int store_system_list(struct store *st, const struct ac_scope *scope, json_t **out)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if (scope->none) {
		*out = json_array();
		return *out != NULL ? STORE_OK : STORE_EIO;
	}
	rc = sq_stmt(st, SQ_SYSTEM_LIST, system_list_sql, &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, scope->org_id);
	sq_bind_int(st, s, 2, scope->all_below_red ? 1 : 0);
	sq_bind_int(st, s, 3, scope->critical ? 1 : 0);
	rc = sq_rows_json(st, s, "system list", out);
	sq_done(s);
	return rc;
}

static const char *const system_skip[] = {"assets", "products", NULL};

int store_system_update(struct store *st, int64_t id, int64_t version, const json_t *fields)
{
	int rc = sq_savepoint(st);

	if (rc != STORE_OK)
		return rc;
	rc = sq_update(st, &system_table, id, version, fields, system_skip);
	if (rc == STORE_OK && json_object_get(fields, "assets") != NULL)
		rc = system_put_assets(st, id, json_object_get(fields, "assets"));
	if (rc == STORE_OK && json_object_get(fields, "products") != NULL)
		rc = system_put_products(st, id, json_object_get(fields, "products"));
	return sq_finish(st, rc);
}
