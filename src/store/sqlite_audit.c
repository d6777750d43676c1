/* sqlite_audit.c - the audit trail as a hash chain (store_audit_*).
 * Each entry's hash is BLAKE2b(prev_hash || canonical line), the line being
 * at|user_id|username|ip|action|object_type|object_id|before|after with times and ids in
 * decimal and before/after as stored (compact JSON with sorted keys, "" when absent). Verify
 * rebuilds every line from the stored columns with the same function that built it. */
#include "sqlite_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"

#define AUDIT_LINE_MAX (16u << 20) /* before+after of one entry; bigger records are refused */
#define AUDIT_LIMIT_MAX 200

struct audit_fields {
	int64_t at;
	int64_t user_id;
	const char *username, *ip, *action, *object_type;
	int64_t object_id;
	const char *before, *after;
};

static int audit_line(struct buf *b, const struct audit_fields *f)
{
	buf_reset(b);
	return buf_printf(b, "%lld|%lld|%s|%s|%s|%s|%lld|%s|%s", (long long)f->at,
			  (long long)f->user_id, f->username, f->ip, f->action, f->object_type,
			  (long long)f->object_id, f->before, f->after) == BUF_OK
		       ? STORE_OK
		       : STORE_EINVAL;
}

/* Hash of the newest entry, or 64 zeros for the first. */
static int audit_last_hash(struct store *st, char prev[CRYPTO_HASH_HEX])
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_AUDIT_LAST, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", &s);

	memcpy(prev, SQ_ZERO_HASH, CRYPTO_HASH_HEX);
	if (rc != STORE_OK)
		return rc;
	rc = sq_step_row(st, s, "audit last");
	if (rc == STORE_OK)
		rc = sq_col_copy(s, 0, prev, CRYPTO_HASH_HEX);
	else if (rc == STORE_ENOTFOUND)
		rc = STORE_OK;
	sq_done(s);
	return rc;
}

static const char audit_insert_sql[] =
	"INSERT INTO audit(at, user_id, username, ip, action, object_type, object_id, before, "
	"after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

static int audit_insert(struct store *st, const struct audit_fields *f, const char *prev,
			const char *hash)
{
	sqlite3_stmt *s;
	int rc = sq_stmt(st, SQ_AUDIT_INSERT, audit_insert_sql, &s);

	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, f->at);
	sq_bind_ref(st, s, 2, f->user_id); /* 0 (system, unknown user) is stored as NULL */
	sq_bind_text(st, s, 3, f->username);
	sq_bind_text(st, s, 4, f->ip);
	sq_bind_text(st, s, 5, f->action);
	sq_bind_text(st, s, 6, f->object_type);
	sq_bind_int(st, s, 7, f->object_id);
	sq_bind_text(st, s, 8, f->before);
	sq_bind_text(st, s, 9, f->after);
	sq_bind_text(st, s, 10, prev);
	sq_bind_text(st, s, 11, hash);
	rc = sq_step_done(st, s, "audit append");
	sq_done(s);
	return rc;
}

#define AUDIT_JSON (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)

/* Outside a transaction two writers could read the same last hash and fork the chain. */
int store_audit_append(struct store *st, const struct store_audit *e, int64_t now)
{
	char prev[CRYPTO_HASH_HEX], hash[CRYPTO_HASH_HEX];
	char *before = NULL, *after = NULL;
	struct audit_fields f;
	struct buf line;
	int rc = STORE_OK;

	buf_init(&line, AUDIT_LINE_MAX);
	if (sqlite3_get_autocommit(st->db)) {
		log_err("store: audit append outside a transaction");
		rc = STORE_EINVAL;
		goto out;
	}
	if ((e->before != NULL && (before = json_dumps(e->before, AUDIT_JSON)) == NULL) ||
	    (e->after != NULL && (after = json_dumps(e->after, AUDIT_JSON)) == NULL)) {
		rc = STORE_EIO;
		goto out;
	}
	f = (struct audit_fields){now,
				  e->user_id,
				  e->username != NULL ? e->username : "",
				  e->ip != NULL ? e->ip : "",
				  e->action != NULL ? e->action : "",
				  e->object_type != NULL ? e->object_type : "",
				  e->object_id,
				  before != NULL ? before : "",
				  after != NULL ? after : ""};
	rc = audit_last_hash(st, prev);
	if (rc == STORE_OK)
		rc = audit_line(&line, &f);
	if (rc != STORE_OK)
		goto out;
	crypto_blake2b2_hex(hash, prev, strlen(prev), line.p, line.len);
	rc = audit_insert(st, &f, prev, hash);
out:
	free(before);
	free(after);
	buf_free(&line);
	return rc;
}

#define AUDIT_COLS                                                                               \
	"id, at, user_id, username, ip, action, object_type, object_id, before, after, "          \
	"prev_hash, hash"

/* ?1 is never 0 here (0 becomes INT64_MAX), so `id < ?1` is a rowid range, not a scan. */
static const char audit_list_sql[] =
	"SELECT " AUDIT_COLS " FROM audit WHERE id < ?1 AND (?2 = '' OR object_type = ?2) AND "
	"(?3 = 0 OR object_id = ?3) AND (?4 = 0 OR user_id = ?4) ORDER BY id DESC LIMIT ?5";

int store_audit_list(struct store *st, int64_t before_id, int limit, const char *object_type,
		     int64_t object_id, int64_t user_id, json_t **out, int64_t *next)
{
	sqlite3_stmt *s;
	json_t *rows = NULL;
	size_t n;
	int rc;

	*out = NULL;
	*next = 0;
	if (limit < 1 || limit > AUDIT_LIMIT_MAX)
		return STORE_EINVAL;
	rc = sq_stmt(st, SQ_AUDIT_LIST, audit_list_sql, &s);
	if (rc != STORE_OK)
		return rc;
	sq_bind_int(st, s, 1, before_id > 0 ? before_id : INT64_MAX);
	sq_bind_text(st, s, 2, object_type);
	sq_bind_int(st, s, 3, object_id);
	sq_bind_int(st, s, 4, user_id);
	sq_bind_int(st, s, 5, (int64_t)limit + 1);
	rc = sq_rows_json(st, s, "audit list", &rows);
	sq_done(s);
	if (rc != STORE_OK)
		return rc;
	n = json_array_size(rows);
	if (n > (size_t)limit) {
		/* the extra row only tells that a next page exists */
		json_array_remove(rows, n - 1);
		*next = json_integer_value(json_object_get(json_array_get(rows, n - 2), "id"));
	}
	*out = rows;
	return STORE_OK;
}

static const char *audit_text(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return t != NULL ? t : "";
}

/* Checks one row: its link to the previous hash, then its own hash. */
static int audit_check_row(sqlite3_stmt *s, const char *expect_prev, struct buf *line, bool *ok)
{
	struct audit_fields f = {sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
				 audit_text(s, 3), audit_text(s, 4), audit_text(s, 5),
				 audit_text(s, 6), sqlite3_column_int64(s, 7), audit_text(s, 8),
				 audit_text(s, 9)};
	const char *prev = audit_text(s, 10), *hash = audit_text(s, 11);
	char want[CRYPTO_HASH_HEX];
	int rc;

	*ok = false;
	if (strcmp(prev, expect_prev) != 0)
		return STORE_OK;
	rc = audit_line(line, &f);
	if (rc != STORE_OK)
		return rc;
	crypto_blake2b2_hex(want, prev, strlen(prev), line->p, line->len);
	*ok = strcmp(want, hash) == 0;
	return STORE_OK;
}

int store_audit_verify(struct store *st, int64_t *bad_id, int64_t *count)
{
	char expect[CRYPTO_HASH_HEX];
	sqlite3_stmt *s;
	struct buf line;
	bool ok;
	int rc;

	*bad_id = 0;
	*count = 0;
	buf_init(&line, AUDIT_LINE_MAX);
	memcpy(expect, SQ_ZERO_HASH, CRYPTO_HASH_HEX);
	/* one statement reads one snapshot, so concurrent appends cannot look like a break */
	rc = sq_stmt(st, SQ_AUDIT_ALL, "SELECT " AUDIT_COLS " FROM audit ORDER BY id", &s);
	while (rc == STORE_OK && (rc = sq_step_row(st, s, "audit verify")) == STORE_OK) {
		(*count)++;
		rc = audit_check_row(s, expect, &line, &ok);
		if (rc == STORE_OK && !ok && *bad_id == 0)
			*bad_id = sqlite3_column_int64(s, 0);
		/* the next row must link to what this row claims, so one bad row names itself;
		 * an over-long (tampered) hash is cut and simply fails the next link */
		if (rc == STORE_OK)
			(void)str_copy(expect, sizeof expect, audit_text(s, 11));
	}
	if (rc == STORE_ENOTFOUND)
		rc = STORE_OK;
	sq_done(s);
	buf_free(&line);
	if (rc != STORE_OK) {
		*bad_id = 0;
		*count = 0;
	}
	return rc;
}
