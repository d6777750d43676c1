/* sqlite_org.c - organisations (store_org_*). */
#include "sqlite_priv.h"

#include <string.h>

#include "util/buf.h"
#include "util/fold.h"
#include "util/str.h"
#include "util/tm.h"

#define ORG_Q_MAX 1024 /* folded filter text; longer is a bad argument */

static const struct sq_col org_cols[] = {
	{"code", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"name", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"role", SQK_TEXT, SQC_CREATE | SQC_UPDATE | SQC_REQUIRED, 0},
	{"parent_id", SQK_REF, SQC_CREATE | SQC_UPDATE, 0},
	{"address", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"phone", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"fax", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"email", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"hotline", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"hotline_247", SQK_FLAG, SQC_CREATE | SQC_UPDATE, 0},
	{"contact_name", SQK_TEXT, SQC_CREATE | SQC_UPDATE, 0},
	{"active", SQK_FLAG, SQC_UPDATE, 1},
};

static const struct sq_table org_table = {"orgs", org_cols, SQ_NELEM(org_cols)};

static const char org_insert_sql[] =
	"INSERT INTO orgs(code, name, role, parent_id, address, phone, fax, email, hotline, "
	"hotline_247, contact_name, created_at, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";

int store_org_create(struct store *st, const json_t *org, int64_t *id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ORG_INSERT, org_insert_sql, &s), n;

	*id = 0;
	if (rc != STORE_OK)
		return rc;
	rc = sq_bind_create(st, s, org, org_cols, SQ_NELEM(org_cols), &n);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, n + 1, tm_now());
	rc = sq_step_done(st, s, "org create");
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sq_done(s);
	return rc;
}

#define ORG_COLS                                                                                 \
	"id, code, name, role, parent_id, address, phone, fax, email, hotline, hotline_247, "    \
	"contact_name, active, version, created_at, updated_at"

static const char org_get_sql[] = "SELECT " ORG_COLS " FROM orgs WHERE id = ?1";
static const char org_by_code_sql[] = "SELECT " ORG_COLS " FROM orgs WHERE code = ?1";

int store_org_get(struct store *st, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ORG_GET, org_get_sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_one_json(st, s, "org get", out);
	sq_done(s);
	return rc;
}

int store_org_by_code(struct store *st, const char *code, json_t **out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ORG_BY_CODE, org_by_code_sql, &s);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, code);
	rc = sq_one_json(st, s, "org by code", out);
	sq_done(s);
	return rc;
}

int store_org_role(struct store *st, int64_t id, char *role, size_t rolesz, int64_t *parent_id)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_ORG_ROLE,
			 "SELECT role, coalesce(parent_id, 0) FROM orgs WHERE id = ?1", &s);

	if (rolesz > 0)
		role[0] = '\0';
	*parent_id = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "org role");
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 0, role, rolesz);
	if (rc == STORE_OK)
		*parent_id = sqlite3_column_int64(s, 1);
	sq_done(s);
	return rc;
}

/* The directory is small (hundreds of rows), so the folded-substring filter is a plain scan;
 * an empty ?1 keeps every row. */
static const char org_list_sql[] =
	"SELECT " ORG_COLS " FROM orgs WHERE ?1 = '' OR instr(fold(name), ?1) > 0 OR "
	"instr(fold(code), ?1) > 0 OR instr(fold(email), ?1) > 0 OR instr(fold(phone), ?1) > 0 "
	"ORDER BY name, code";

int store_org_list(struct store *st, const char *q, json_t **out)
{
	sqlite3_stmt *s = NULL;
	struct buf fq;
	int rc;

	*out = NULL;
	buf_init(&fq, ORG_Q_MAX);
	if (q != NULL && fold_text(&fq, q, strlen(q)) != BUF_OK) {
		rc = STORE_EINVAL;
		goto out;
	}
	rc = sq_stmt(st, SQ_ORG_LIST, org_list_sql, &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_text(st, s, 1, fq.p != NULL ? fq.p : "");
	rc = sq_rows_json(st, s, "org list", out);
out:
	sq_done(s);
	buf_free(&fq);
	return rc;
}

#define ORG_NAME_KEY_MAX 2048 /* a folded name of at most 256 bytes, with room for ß -> ss */

/* The key of a name (store_org_name_taken) into out, reset first. */
static int org_name_key(struct buf *out, struct buf *tmp, const char *name)
{
	bool space = false;

	buf_reset(out);
	buf_reset(tmp);
	if (fold_text(tmp, name, strlen(name)) != BUF_OK)
		return STORE_EINVAL;
	for (size_t i = 0; i < tmp->len; i++) {
		char c = tmp->p[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = out->len > 0;
			continue;
		}
		if (space && buf_append(out, " ", 1) != BUF_OK)
			return STORE_EINVAL;
		if (buf_append(out, &c, 1) != BUF_OK)
			return STORE_EINVAL;
		space = false;
	}
	return buf_append(out, "", 0) == BUF_OK ? STORE_OK : STORE_EINVAL;
}

/* The directory is small (hundreds of rows): every other name is keyed and compared. */
int store_org_name_taken(struct store *st, const char *name, int64_t except_id,
			 int64_t *other_id)
{
	sqlite3_stmt *s = NULL;
	struct buf want, key, tmp;
	int rc;

	*other_id = 0;
	buf_init(&want, ORG_NAME_KEY_MAX);
	buf_init(&key, ORG_NAME_KEY_MAX);
	buf_init(&tmp, ORG_NAME_KEY_MAX);
	rc = org_name_key(&want, &tmp, name);
	if (rc == STORE_OK)
		rc = sq_stmt(st, SQ_ORG_NAMES, "SELECT id, name FROM orgs WHERE id <> ?1", &s);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, 1, except_id);
	while ((rc = sq_step_row(st, s, "org names")) == STORE_OK) {
		const char *other = (const char *)sqlite3_column_text(s, 1);

		if (other == NULL || org_name_key(&key, &tmp, other) != STORE_OK)
			continue;
		if (strcmp(key.p, want.p) == 0) {
			*other_id = sqlite3_column_int64(s, 0);
			break;
		}
	}
	if (rc == STORE_ENOTFOUND || *other_id != 0)
		rc = STORE_OK;
out:
	sq_done(s);
	buf_free(&want);
	buf_free(&key);
	buf_free(&tmp);
	return rc;
}

int store_org_update(struct store *st, int64_t id, int64_t version, const json_t *fields)
{
	return sq_update(st, &org_table, id, version, fields, NULL);
}
