/* sqlite.c - the SQLite backend of store.h: opening, migrations, transactions, the statement
 * cache, error mapping, binding, the row-to-JSON conventions, meta and presets.
 * The record functions live in sqlite_<prefix>.c and share sqlite_priv.h.
 *
 * One connection per thread (SQLITE_OPEN_NOMUTEX): the server keeps one per worker, so SQLite's
 * own mutexes would only cost. Statements with a fixed text are prepared once per connection
 * (SQLITE_PREPARE_PERSISTENT) and reset after each use; only the incident list and the updates
 * of given keys build their SQL, from fixed fragments and whitelisted column names. */
#include "sqlite_priv.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "util/buf.h"
#include "util/embed.h"
#include "util/fold.h"
#include "util/log.h"
#include "util/str.h"
#include "util/tm.h"

#define SQ_PATH_MAX 4096
#define SQ_FOLD_MAX (1u << 20) /* fold() in SQL: longer values are an error, not a silent cut */
#define SQ_UPDATE_SQL_MAX 2048

/* ---- statement cache and errors ---- */

int sq_stmt(struct store *st, enum sq_id id, const char *sql, sqlite3_stmt **out)
{
	int rc;

	*out = NULL;
	if (st->stmt[id] != NULL) {
		/* two call sites sharing one slot with different SQL would run the wrong query */
		if (st->sql[id] != sql && strcmp(st->sql[id], sql) != 0) {
			log_err("store: statement slot %d reused for different SQL", (int)id);
			return STORE_EIO;
		}
		*out = st->stmt[id];
		return STORE_OK;
	}
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL);
	if (rc != SQLITE_OK) {
		log_err("store: prepare failed: %s: %s", sqlite3_errmsg(st->db), sql);
		return STORE_EIO;
	}
	st->sql[id] = sql;
	*out = st->stmt[id];
	return STORE_OK;
}

void sq_done(sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int sq_err(struct store *st, int rc, const char *what)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return STORE_ECONFLICT;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return STORE_EINVAL;
	default:
		break;
	}
	if ((rc & 0xff) == SQLITE_BUSY) {
		log_warn("store: %s: database busy: %s", what, sqlite3_errmsg(st->db));
		return STORE_EBUSY;
	}
	log_err("store: %s: %s (%d)", what, sqlite3_errmsg(st->db), rc);
	return STORE_EIO;
}

/* A failed bind is a programming error or an oversized value; report it once, at the step. */
static int sq_bind_failed(struct store *st, const char *what)
{
	int rc = st->bind_rc;

	st->bind_rc = SQLITE_OK;
	if (rc == SQLITE_OK)
		return STORE_OK;
	log_err("store: %s: bind failed: %s", what, sqlite3_errstr(rc));
	return STORE_EIO;
}

int sq_step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sq_bind_failed(st, what);

	if (rc != STORE_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	return sq_err(st, rc, what);
}

int sq_step_row(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sq_bind_failed(st, what);

	if (rc != STORE_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE)
		return STORE_ENOTFOUND;
	return sq_err(st, rc, what);
}

int sq_exec(struct store *st, const char *sql, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_err(st, rc, what);
}

/* ---- binding ---- */

static void sq_bind_note(struct store *st, int rc)
{
	if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
		st->bind_rc = rc;
}

void sq_bind_int(struct store *st, sqlite3_stmt *s, int i, int64_t v)
{
	sq_bind_note(st, sqlite3_bind_int64(s, i, v));
}

static void sq_bind_textn(struct store *st, sqlite3_stmt *s, int i, const char *v, size_t n)
{
	if (n > INT_MAX) {
		sq_bind_note(st, SQLITE_TOOBIG);
		return;
	}
	sq_bind_note(st, sqlite3_bind_text(s, i, v, (int)n, SQLITE_TRANSIENT));
}

void sq_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		v = "";
	sq_bind_textn(st, s, i, v, strlen(v));
}

void sq_bind_ref(struct store *st, sqlite3_stmt *s, int i, int64_t v)
{
	sq_bind_note(st, v != 0 ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i));
}

static int sq_bind_default(struct store *st, sqlite3_stmt *s, int i, const struct sq_col *c)
{
	if (c->flags & SQC_REQUIRED) {
		log_warn("store: missing value for %s", c->name);
		return STORE_EINVAL;
	}
	switch (c->kind) {
	case SQK_TEXT:
		sq_bind_text(st, s, i, "");
		break;
	case SQK_INT:
	case SQK_FLAG:
		sq_bind_int(st, s, i, c->def);
		break;
	case SQK_REF:
		sq_bind_ref(st, s, i, 0);
		break;
	case SQK_OBJ:
		sq_bind_text(st, s, i, "{}");
		break;
	}
	return STORE_OK;
}

static int sq_bind_obj(struct store *st, sqlite3_stmt *s, int i, const json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT);

	if (text == NULL)
		return STORE_EIO;
	sq_bind_text(st, s, i, text);
	free(text);
	return STORE_OK;
}

int sq_bind_json(struct store *st, sqlite3_stmt *s, int i, const json_t *v, const struct sq_col *c)
{
	if (v == NULL || json_is_null(v))
		return sq_bind_default(st, s, i, c);
	switch (c->kind) {
	case SQK_TEXT:
		if (!json_is_string(v))
			break;
		sq_bind_textn(st, s, i, json_string_value(v), json_string_length(v));
		return STORE_OK;
	case SQK_INT:
	case SQK_REF:
		if (!json_is_integer(v))
			break;
		if (c->kind == SQK_REF)
			sq_bind_ref(st, s, i, json_integer_value(v));
		else
			sq_bind_int(st, s, i, json_integer_value(v));
		return STORE_OK;
	case SQK_FLAG:
		if (json_is_boolean(v))
			sq_bind_int(st, s, i, json_is_true(v) ? 1 : 0);
		else if (json_is_integer(v))
			sq_bind_int(st, s, i, json_integer_value(v) != 0 ? 1 : 0);
		else
			break;
		return STORE_OK;
	case SQK_OBJ:
		if (!json_is_object(v) && !json_is_array(v))
			break;
		return sq_bind_obj(st, s, i, v);
	}
	log_warn("store: wrong JSON type for %s", c->name);
	return STORE_EINVAL;
}

int sq_bind_create(struct store *st, sqlite3_stmt *s, const json_t *obj, const struct sq_col *cols,
		   size_t ncols, int *n)
{
	int rc = STORE_OK, i = 0;

	*n = 0;
	if (!json_is_object(obj))
		return STORE_EINVAL;
	for (size_t k = 0; k < ncols && rc == STORE_OK; k++) {
		if (!(cols[k].flags & SQC_CREATE))
			continue;
		i++;
		rc = sq_bind_json(st, s, i, json_object_get(obj, cols[k].name), &cols[k]);
	}
	*n = i;
	return rc;
}

/* ---- rows out ---- */

/* How a column becomes JSON, by its name (the store.h conventions). */
enum sq_col_kind {
	COL_PLAIN,  /* as stored */
	COL_FLAG,   /* 0/1 -> false/true */
	COL_TIME,   /* Unix seconds -> ISO 8601, 0 -> null */
	COL_TLP,    /* TLP code number -> its name */
	COL_ROLES,  /* role bits -> list of role names */
	COL_JSON,   /* JSON text -> embedded value, "" -> null */
	COL_SECRET, /* never leaves the store as JSON, whatever a query selects */
	COL_CSV,    /* comma-separated codes -> list (text writer only, see sq_row_write) */
};

/* One strlen and a comparison of lengths per name before any memcmp: every column of every row
 * passes here (a string comparison chain here showed in profiles of GET by id). audit.at is a
 * time though it lacks the _at suffix. */
static enum sq_col_kind sq_col_kind(const char *name)
{
#define K(s, k) {s, sizeof s - 1, k}
	static const struct {
		const char *name;
		size_t len;
		enum sq_col_kind kind;
	} named[] = {
		K("active", COL_FLAG), K("hotline_247", COL_FLAG), K("central_hosted", COL_FLAG),
		K("critical", COL_FLAG), K("is_drill", COL_FLAG), K("must_change_pw", COL_FLAG),
		K("totp_enabled", COL_FLAG), K("authenticated", COL_FLAG), K("at", COL_TIME), K("locked_until", COL_TIME),
		K("last_seen", COL_TIME), K("last_used", COL_TIME), K("tlp", COL_TLP),
		K("roles", COL_ROLES), K("form", COL_JSON), K("data", COL_JSON),
		K("before", COL_JSON), K("after", COL_JSON), K("refs", COL_JSON),
		K("products", COL_JSON), K("target", COL_JSON), K("matched", COL_JSON),
		K("pw_hash", COL_SECRET), K("totp_secret", COL_SECRET),
	};
#undef K
	size_t n = strlen(name);

	if (n > 3 && memcmp(name + n - 3, "_at", 3) == 0)
		return COL_TIME;
	for (size_t i = 0; i < SQ_NELEM(named); i++)
		if (named[i].len == n && memcmp(named[i].name, name, n) == 0)
			return named[i].kind;
	return COL_PLAIN;
}

static const char *sq_tlp_code(int64_t v)
{
	return codes_tlp_name(v >= 0 && v < TLP_COUNT ? (int)v : -1);
}

static json_t *sq_time_json(int64_t t)
{
	char iso[TM_ISO_MAX];

	if (t == 0)
		return json_null();
	if (tm_format_iso(t, iso, sizeof iso) != 0) {
		log_warn("store: time %lld out of range", (long long)t);
		return json_null();
	}
	return json_string(iso);
}

static json_t *sq_roles_json(int64_t roles)
{
	json_t *a = json_array();

	for (int i = 0; a != NULL && i < ROLE_COUNT; i++) {
		unsigned bit = 1u << i;

		if ((roles & (int64_t)bit) != 0 &&
		    json_array_append_new(a, json_string(codes_user_role_name(bit))) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *sq_text_json(const char *name, enum sq_col_kind kind, const char *text,
			    size_t len)
{
	json_t *v;

	if (kind == COL_JSON) {
		if (len == 0)
			return json_null();
		v = json_loadb(text, len, JSON_DECODE_ANY, NULL);
		if (v == NULL)
			log_warn("store: column %s holds invalid JSON", name);
		return v != NULL ? v : json_null();
	}
	v = json_stringn(text, len);
	if (v == NULL)
		log_err("store: column %s holds invalid UTF-8", name);
	return v;
}

static json_t *sq_col_json(sqlite3_stmt *s, int i, const char *name, enum sq_col_kind kind)
{
	int64_t v;

	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		v = sqlite3_column_int64(s, i);
		switch (kind) {
		case COL_FLAG: return json_boolean(v != 0);
		case COL_TIME: return sq_time_json(v);
		case COL_TLP: {
			const char *code = sq_tlp_code(v);

			return code != NULL ? json_string(code) : json_null();
		}
		case COL_ROLES: return sq_roles_json(v);
		default: return json_integer(v);
		}
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(s, i));
	default: {
		const char *t = (const char *)sqlite3_column_text(s, i);
		int n = sqlite3_column_bytes(s, i);

		return sq_text_json(name, kind, t != NULL ? t : "", n > 0 ? (size_t)n : 0);
	}
	}
}

int sq_set(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL)
		return STORE_EIO;
	return json_object_set_new(obj, key, v) == 0 ? STORE_OK : STORE_EIO;
}

int sq_row_json(sqlite3_stmt *s, json_t **out)
{
	int n = sqlite3_column_count(s), rc = STORE_OK;
	json_t *o = json_object();

	*out = NULL;
	if (o == NULL)
		return STORE_EIO;
	for (int i = 0; i < n && rc == STORE_OK; i++) {
		const char *name = sqlite3_column_name(s, i);
		enum sq_col_kind kind = name != NULL ? sq_col_kind(name) : COL_SECRET;
		json_t *v;

		if (kind == COL_SECRET)
			continue;
		v = sq_col_json(s, i, name, kind);
		/* names from our own SQL: no UTF-8 check needed */
		if (v == NULL || json_object_set_new_nocheck(o, name, v) != 0)
			rc = STORE_EIO;
	}
	if (rc != STORE_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return STORE_OK;
}

int sq_rows_json(struct store *st, sqlite3_stmt *s, const char *what, json_t **out)
{
	json_t *a = json_array(), *row = NULL;
	int rc;

	*out = NULL;
	if (a == NULL)
		return STORE_EIO;
	while ((rc = sq_step_row(st, s, what)) == STORE_OK) {
		rc = sq_row_json(s, &row);
		if (rc != STORE_OK)
			goto out;
		if (json_array_append_new(a, row) != 0) {
			rc = STORE_EIO;
			goto out;
		}
	}
	if (rc != STORE_ENOTFOUND)
		goto out;
	rc = STORE_OK;
	*out = a;
	a = NULL;
out:
	json_decref(a);
	return rc;
}

/* ---- rows as JSON text ----
 * The same values sq_row_json gives, written as text without a tree, for the answers read most.
 * One difference of kind: "flags" (comma-separated codes, kept as text in the tree for the code
 * that edits them, and turned into a list by the API before it answers) is written as the list. */

static void sq_csv_write(struct jsonw *w, const char *text, size_t len)
{
	size_t i = 0;

	jsonw_array(w);
	while (i < len) {
		const char *comma = memchr(text + i, ',', len - i);
		size_t n = comma ? (size_t)(comma - (text + i)) : len - i;

		if (n > 0)
			jsonw_string(w, text + i, n);
		i += n + (comma != NULL);
	}
	jsonw_close(w);
}

static int sq_col_write(struct jsonw *w, sqlite3_stmt *s, int i, const char *name,
			enum sq_col_kind kind)
{
	int64_t v;

	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		jsonw_null(w);
		return STORE_OK;
	case SQLITE_INTEGER:
		v = sqlite3_column_int64(s, i);
		switch (kind) {
		case COL_FLAG: jsonw_bool(w, v != 0); break;
		case COL_TIME: jsonw_time(w, v); break;
		case COL_TLP: {
			const char *code = sq_tlp_code(v);

			if (code != NULL)
				jsonw_stringz(w, code);
			else
				jsonw_null(w);
			break;
		}
		case COL_ROLES:
			jsonw_array(w);
			for (int r = 0; r < ROLE_COUNT; r++)
				if ((v & (int64_t)(1u << r)) != 0)
					jsonw_stringz(w, codes_user_role_name(1u << r));
			jsonw_close(w);
			break;
		default: jsonw_int(w, v); break;
		}
		return STORE_OK;
	case SQLITE_FLOAT:
		jsonw_real(w, sqlite3_column_double(s, i));
		return STORE_OK;
	default: break;
	}
	const char *t = (const char *)sqlite3_column_text(s, i);
	int n = sqlite3_column_bytes(s, i);
	size_t len = t != NULL && n > 0 ? (size_t)n : 0;

	if (len == 0 && kind == COL_JSON) {
		jsonw_null(w);
		return STORE_OK;
	}
	if (!str_utf8_valid(t != NULL ? t : "", len)) {
		log_err("store: column %s holds invalid UTF-8", name);
		return STORE_EIO;
	}
	if (kind == COL_JSON)
		jsonw_raw(w, t, len);
	else if (kind == COL_CSV)
		sq_csv_write(w, t != NULL ? t : "", len);
	else
		jsonw_string(w, t != NULL ? t : "", len);
	return STORE_OK;
}

int sq_row_write(sqlite3_stmt *s, int n, struct jsonw *w)
{
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s, i);
		enum sq_col_kind kind = name != NULL ? sq_col_kind(name) : COL_SECRET;
		int rc;

		if (kind == COL_SECRET)
			continue;
		if (kind == COL_PLAIN && strcmp(name, "flags") == 0)
			kind = COL_CSV;
		jsonw_keyz(w, name);
		rc = sq_col_write(w, s, i, name, kind);
		if (rc != STORE_OK)
			return rc;
	}
	return w->err == 0 ? STORE_OK : STORE_EIO;
}

int sq_rows_write(struct store *st, sqlite3_stmt *s, const char *what, struct jsonw *w)
{
	int rc;

	jsonw_array(w);
	while ((rc = sq_step_row(st, s, what)) == STORE_OK) {
		jsonw_object(w);
		rc = sq_row_write(s, sqlite3_column_count(s), w);
		if (rc != STORE_OK)
			return rc;
		jsonw_close(w);
	}
	if (rc != STORE_ENOTFOUND)
		return rc;
	jsonw_close(w);
	return w->err == 0 ? STORE_OK : STORE_EIO;
}

int sq_one_json(struct store *st, sqlite3_stmt *s, const char *what, json_t **out)
{
	int rc = sq_step_row(st, s, what);

	*out = NULL;
	if (rc != STORE_OK)
		return rc;
	return sq_row_json(s, out);
}

int sq_col_copy(sqlite3_stmt *s, int col, char *out, size_t outsz)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	if (str_copy(out, outsz, t != NULL ? t : "") != 0) {
		log_err("store: column %s too long for its buffer", sqlite3_column_name(s, col));
		return STORE_EIO;
	}
	return STORE_OK;
}

/* ---- savepoints and transactions ---- */

static int sq_run(struct store *st, enum sq_id id, const char *sql, const char *what)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc == STORE_OK)
		rc = sq_step_done(st, s, what);
	sq_done(s);
	return rc;
}

static const char sql_savepoint[] = "SAVEPOINT store_op";
static const char sql_release[] = "RELEASE store_op";
static const char sql_rollback_to[] = "ROLLBACK TO store_op";

int sq_savepoint(struct store *st)
{
	return sq_run(st, SQ_SAVEPOINT, sql_savepoint, "savepoint");
}

int sq_release(struct store *st)
{
	return sq_run(st, SQ_RELEASE, sql_release, "release");
}

void sq_rollback_to(struct store *st)
{
	/* ROLLBACK TO keeps the savepoint open; the RELEASE after it ends it with nothing kept */
	if (sq_run(st, SQ_ROLLBACK_TO, sql_rollback_to, "rollback to") == STORE_OK)
		(void)sq_release(st);
}

int sq_finish(struct store *st, int rc)
{
	if (rc != STORE_OK) {
		sq_rollback_to(st);
		return rc;
	}
	rc = sq_release(st);
	if (rc != STORE_OK)
		sq_rollback_to(st);
	return rc;
}

/* BEGIN IMMEDIATE takes the write lock up front, so a writer waits (busy timeout) at the start
 * instead of failing at its first write after reading a snapshot that is then stale. */
int store_begin(struct store *st)
{
	store_read_end(st);
	return sq_run(st, SQ_BEGIN, "BEGIN IMMEDIATE", "begin");
}

/* A savepoint named apart from the store's own "store_op", which nests inside it. */
int store_part_begin(struct store *st)
{
	st->fts_part_mark = st->nfts_due;
	return sq_run(st, SQ_PART_BEGIN, "SAVEPOINT api_part", "part begin");
}

int store_part_release(struct store *st)
{
	return sq_run(st, SQ_PART_RELEASE, "RELEASE api_part", "part release");
}

void store_part_rollback(struct store *st)
{
	if (st->nfts_due > st->fts_part_mark)
		st->nfts_due = st->fts_part_mark; /* the part's incidents are gone */
	if (sq_run(st, SQ_PART_ROLLBACK, "ROLLBACK TO api_part", "part rollback") == STORE_OK)
		(void)store_part_release(st);
}

int store_read_begin(struct store *st)
{
	int rc;

	if (!sqlite3_get_autocommit(st->db))
		return STORE_OK;
	rc = sq_run(st, SQ_BEGIN_READ, "BEGIN", "begin read");
	st->read_open = rc == STORE_OK;
	return rc;
}

void store_read_end(struct store *st)
{
	if (st == NULL || !st->read_open)
		return;
	st->read_open = false;
	if (!sqlite3_get_autocommit(st->db))
		(void)sq_run(st, SQ_COMMIT, "COMMIT", "end read");
}

int store_commit(struct store *st)
{
	int rc = sq_fts_flush(st);

	return rc == STORE_OK ? sq_run(st, SQ_COMMIT, "COMMIT", "commit") : rc;
}

void store_rollback(struct store *st)
{
	if (st == NULL)
		return;
	st->nfts_due = 0;
	if (sqlite3_get_autocommit(st->db))
		return;
	st->read_open = false;
	(void)sq_run(st, SQ_ROLLBACK, "ROLLBACK", "rollback");
}

/* ---- updates of given keys ---- */

static const struct sq_col *sq_find_col(const struct sq_table *t, const char *key)
{
	for (size_t i = 0; i < t->ncols; i++)
		if ((t->cols[i].flags & SQC_UPDATE) && strcmp(t->cols[i].name, key) == 0)
			return &t->cols[i];
	return NULL;
}

static bool sq_skipped(const char *const *skip, const char *key)
{
	for (; skip != NULL && *skip != NULL; skip++)
		if (strcmp(*skip, key) == 0)
			return true;
	return false;
}

/* Builds "UPDATE t SET c1 = ?1, ..., version = version + 1, updated_at = ?k WHERE id = ?k+1
 * AND (?k+2 = 0 OR version = ?k+2)" from whitelisted names only, and the matching columns. */
static int sq_update_sql(const struct sq_table *t, const json_t *fields, const char *const *skip,
			 struct buf *sql, const struct sq_col **cols, int *ncols)
{
	const char *key;
	json_t *v;
	int n = 0;

	*ncols = 0;
	if (buf_printf(sql, "UPDATE %s SET ", t->name) != BUF_OK)
		return STORE_EIO;
	json_object_foreach((json_t *)fields, key, v) {
		const struct sq_col *c = sq_find_col(t, key);

		(void)v;
		if (c == NULL) {
			if (sq_skipped(skip, key))
				continue;
			log_warn("store: %s has no updatable field %.64s", t->name, key);
			return STORE_EINVAL;
		}
		/* c->name comes from the whitelist, never the JSON key itself */
		if (buf_printf(sql, "%s = ?%d, ", c->name, n + 1) != BUF_OK)
			return STORE_EIO;
		cols[n++] = c;
	}
	if (buf_printf(sql, "version = version + 1, updated_at = ?%d WHERE id = ?%d AND "
			    "(?%d = 0 OR version = ?%d)", n + 1, n + 2, n + 3, n + 3) != BUF_OK)
		return STORE_EIO;
	*ncols = n;
	return STORE_OK;
}

static int sq_update_missing(struct store *st, const struct sq_table *t, int64_t id)
{
	char sql[128];
	sqlite3_stmt *s = NULL;
	int rc;

	if (snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?1", t->name) >= (int)sizeof sql)
		return STORE_EIO;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return sq_err(st, sqlite3_errcode(st->db), "update check");
	sq_bind_int(st, s, 1, id);
	rc = sq_step_row(st, s, "update check");
	sqlite3_finalize(s);
	/* the row exists, so its version differed */
	return rc == STORE_OK ? STORE_ECONFLICT : rc;
}

int sq_update(struct store *st, const struct sq_table *t, int64_t id, int64_t version,
	      const json_t *fields, const char *const *skip)
{
	const struct sq_col *cols[32];
	struct buf sql;
	sqlite3_stmt *s = NULL;
	int rc, n = 0;

	buf_init(&sql, SQ_UPDATE_SQL_MAX);
	if (!json_is_object(fields) || t->ncols > SQ_NELEM(cols)) {
		rc = STORE_EINVAL;
		goto out;
	}
	rc = sq_update_sql(t, fields, skip, &sql, cols, &n);
	if (rc != STORE_OK)
		goto out;
	if (sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL) != SQLITE_OK) {
		rc = sq_err(st, sqlite3_errcode(st->db), "update prepare");
		goto out;
	}
	for (int i = 0; i < n && rc == STORE_OK; i++)
		rc = sq_bind_json(st, s, i + 1, json_object_get(fields, cols[i]->name), cols[i]);
	if (rc != STORE_OK)
		goto out;
	sq_bind_int(st, s, n + 1, tm_now());
	sq_bind_int(st, s, n + 2, id);
	sq_bind_int(st, s, n + 3, version);
	rc = sq_step_done(st, s, "update");
	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = sq_update_missing(st, t, id);
out:
	if (s != NULL)
		sqlite3_finalize(s);
	buf_free(&sql);
	return rc;
}

int sq_exists(struct store *st, enum sq_id id, const char *sql, int64_t key)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, id, sql, &s);

	if (rc == STORE_OK) {
		sq_bind_int(st, s, 1, key);
		rc = sq_step_row(st, s, "exists");
	}
	sq_done(s);
	return rc;
}

/* ---- opening and migrations ---- */

/* fold(text) in SQL, so list filters match the way search does ("ha noi" finds "Hà Nội"). */
static void sq_fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *t = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	struct buf b;

	(void)argc;
	if (t == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	buf_init(&b, SQ_FOLD_MAX);
	if (fold_text(&b, (const char *)t, (size_t)n) != BUF_OK)
		sqlite3_result_error(ctx, "fold: text too long", -1);
	else
		sqlite3_result_text(ctx, b.p != NULL ? b.p : "", (int)b.len, SQLITE_TRANSIENT);
	buf_free(&b);
}

static int sq_user_version(struct store *st, int *out)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_USER_VERSION, "PRAGMA user_version", &s);

	*out = 0;
	if (rc == STORE_OK)
		rc = sq_step_row(st, s, "user_version");
	if (rc == STORE_OK)
		*out = sqlite3_column_int(s, 0);
	sq_done(s);
	return rc;
}

/* The number a migration file starts with ("002_fts.sql" -> 2), or -1. */
static int sq_migration_number(const char *name)
{
	size_t n = strspn(name, "0123456789");
	int64_t v;

	if (n == 0 || str_to_i64n(name, n, 1, 1000000, &v) != 0)
		return -1;
	return (int)v;
}

/* The highest migration this binary carries. */
static int sq_known_version(void)
{
	int max = 0;

	for (const struct embed_file *f = store_migration; f->name != NULL; f++) {
		int v = sq_migration_number(f->name);

		if (v > max)
			max = v;
	}
	return max;
}

/* Runs every statement of a migration's text (len bytes, not relying on a NUL). */
static int sq_run_script(struct store *st, const struct embed_file *f)
{
	const char *p = f->text, *end = f->text + f->len;

	while (p < end) {
		sqlite3_stmt *s = NULL;
		const char *tail = NULL;
		int rc;

		if (end - p > INT_MAX)
			return STORE_EIO;
		rc = sqlite3_prepare_v2(st->db, p, (int)(end - p), &s, &tail);
		if (rc != SQLITE_OK) {
			log_err("store: migration %s: %s", f->name, sqlite3_errmsg(st->db));
			return STORE_EIO;
		}
		if (s == NULL) /* only comments or spaces were left */
			break;
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
			log_err("store: migration %s: %s", f->name, sqlite3_errmsg(st->db));
			return STORE_EIO;
		}
		p = tail;
	}
	return STORE_OK;
}

/* Applies one migration in its own transaction. The version is read again under the write lock,
 * so two processes opening the same new database do not both apply it. */
static int sq_migrate_one(struct store *st, const struct embed_file *f, int number)
{
	char sql[64];
	int rc, cur;

	rc = store_begin(st);
	if (rc != STORE_OK)
		return rc;
	rc = sq_user_version(st, &cur);
	if (rc != STORE_OK || cur >= number)
		goto out;
	rc = sq_run_script(st, f);
	if (rc != STORE_OK)
		goto out;
	/* PRAGMA takes no parameters; number is an int we parsed, not outside text */
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", number);
	rc = sq_exec(st, sql, "set user_version");
	if (rc == STORE_OK)
		log_info("store: applied migration %s", f->name);
out:
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc != STORE_OK)
		store_rollback(st);
	return rc;
}

static int sq_check_version(struct store *st, bool migrate)
{
	int known = sq_known_version(), cur, rc;

	rc = sq_user_version(st, &cur);
	if (rc != STORE_OK)
		return rc;
	if (cur > known) {
		log_err("store: the database has schema version %d but this program knows only up "
			"to %d; refusing to open it (use the newer ungcuu that wrote it)", cur, known);
		return STORE_EIO;
	}
	if (cur < known && !migrate) {
		log_err("store: the database has schema version %d, this program needs %d; open it "
			"once read-write to migrate", cur, known);
		return STORE_EIO;
	}
	for (const struct embed_file *f = store_migration; f->name != NULL && rc == STORE_OK; f++) {
		int v = sq_migration_number(f->name);

		if (v < 0) {
			log_err("store: migration %s has no number", f->name);
			return STORE_EIO;
		}
		if (v > cur)
			rc = sq_migrate_one(st, f, v);
	}
	return rc;
}

static int sq_configure(struct store *st, bool readonly)
{
	const char *sync = getenv("UNGCUU_SYNC");
	/* FULL: a commit is on the disk before the request is answered, power loss included (WAL
	 * with NORMAL may lose the last commits then; docs/benchmarks.md has the cost, which the
	 * group commit pays). UNGCUU_SYNC=normal trades that for speed on a machine with a UPS. */
	bool full = sync == NULL || !str_ieq(sync, "normal");
	int rc;

	sqlite3_extended_result_codes(st->db, 1);
	if (sqlite3_busy_timeout(st->db, 5000) != SQLITE_OK)
		return sq_err(st, sqlite3_errcode(st->db), "busy_timeout");
	/* journal_mode is stored in the file; a read-only connection cannot and need not set it */
	if (!readonly && (rc = sq_exec(st, "PRAGMA journal_mode = WAL", "journal_mode")) != STORE_OK)
		return rc;
	rc = sq_exec(st, "PRAGMA foreign_keys = ON", "foreign_keys");
	/* every store write runs in a savepoint, whose undo copies (the statement journal) went to
	 * a temporary file on disk: a write of every touched page twice. They are small and live
	 * for one request, so memory. */
	if (rc == STORE_OK)
		rc = sq_exec(st, "PRAGMA temp_store = MEMORY", "temp_store");
	if (rc == STORE_OK)
		rc = sq_exec(st, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
			     "synchronous");
	if (rc != STORE_OK)
		return rc;
	if (sqlite3_create_function_v2(st->db, "fold", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				       sq_fold_fn, NULL, NULL, NULL) != SQLITE_OK)
		return sq_err(st, sqlite3_errcode(st->db), "create fold()");
	return STORE_OK;
}

/* Process-wide settings, before SQLite initialises. Memory statistics off: with them every
 * sqlite3_malloc and sqlite3_free takes one global mutex, which the server's threads then
 * fight over (futex calls on every statement step in a profile of concurrent GETs); nothing
 * here reads the statistics. Too late (SQLite already initialised by the caller) is harmless. */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_global_config(void)
{
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_debug("store: SQLite already initialised; memory statistics stay on");
}

int store_open(const char *dir, int mode, struct store **out)
{
	char path[SQ_PATH_MAX];
	bool readonly = (mode & STORE_READONLY) != 0;
	int flags = SQLITE_OPEN_NOMUTEX, rc;
	struct store *st = NULL;

	*out = NULL;
	if (dir == NULL || snprintf(path, sizeof path, "%s/ungcuu.db", dir) >= (int)sizeof path)
		return STORE_EINVAL;
	if (readonly)
		flags |= SQLITE_OPEN_READONLY;
	else
		flags |= SQLITE_OPEN_READWRITE | ((mode & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	pthread_once(&sq_once, sq_global_config);
	st = calloc(1, sizeof *st);
	if (st == NULL)
		return STORE_EIO;
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		log_err("store: cannot open %s: %s", path,
			st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		rc = STORE_EIO;
		goto out;
	}
	rc = sq_configure(st, readonly);
	if (rc == STORE_OK)
		rc = sq_check_version(st, !readonly);
	if (rc != STORE_OK)
		goto out;
	*out = st;
	st = NULL;
out:
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	free(st->fts_due);
	/* close_v2 defers the close until nothing else holds the handle */
	sqlite3_close_v2(st->db);
	free(st);
}

int store_schema_version(struct store *st, int *out)
{
	return sq_user_version(st, out);
}

/* ---- meta and presets ---- */

int store_meta_get(struct store *st, const char *key, char *out, size_t outsz)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_META_GET, "SELECT value FROM meta WHERE key = ?1", &s);

	if (outsz > 0)
		out[0] = '\0';
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, key);
	rc = sq_step_row(st, s, "meta get");
	if (rc == STORE_OK && str_copy(out, outsz, (const char *)sqlite3_column_text(s, 0)) != 0)
		rc = STORE_EINVAL; /* the caller's buffer is too small */
	sq_done(s);
	return rc;
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_META_SET,
			 "INSERT INTO meta(key, value) VALUES (?1, ?2) "
			 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, key);
	sq_bind_text(st, s, 2, value);
	rc = sq_step_done(st, s, "meta set");
	sq_done(s);
	return rc;
}

int store_preset_put(struct store *st, const char *name, const char *body, size_t len)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_PRESET_PUT,
			 "INSERT INTO presets(name, body, loaded_at) VALUES (?1, ?2, ?3) "
			 "ON CONFLICT(name) DO UPDATE SET body = excluded.body, "
			 "loaded_at = excluded.loaded_at", &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, name);
	sq_bind_textn(st, s, 2, body, len);
	sq_bind_int(st, s, 3, tm_now());
	rc = sq_step_done(st, s, "preset put");
	sq_done(s);
	return rc;
}

int store_preset_get(struct store *st, const char *name, char **body, size_t *len)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_PRESET_GET, "SELECT body FROM presets WHERE name = ?1", &s);
	const char *t;
	int n;

	*body = NULL;
	*len = 0;
	if (rc != STORE_OK)
		return rc;
	sq_bind_text(st, s, 1, name);
	rc = sq_step_row(st, s, "preset get");
	if (rc != STORE_OK)
		goto out;
	t = (const char *)sqlite3_column_text(s, 0);
	n = sqlite3_column_bytes(s, 0);
	*body = malloc((size_t)n + 1);
	if (*body == NULL) {
		rc = STORE_EIO;
		goto out;
	}
	if (n > 0)
		memcpy(*body, t, (size_t)n);
	(*body)[n] = '\0';
	*len = (size_t)n;
out:
	sq_done(s);
	return rc;
}
