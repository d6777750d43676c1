/* sqlite_priv.h - what the src/store/sqlite*.c files share: the connection, its statement cache,
 * error mapping, binding and the row-to-JSON conventions of store.h. Private to the SQLite
 * backend: nothing outside src/store/sqlite*.c includes it. */
#ifndef UNGCUU_SQLITE_PRIV_H
#define UNGCUU_SQLITE_PRIV_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/jsonw.h"

/* The first telling of each role of incident i, "coordinator:<unix>,national:<unix>" (migration
 * 015; core/clock.h clock_told_parse reads it), on the index incident_told_first. */
#define TOLD_FIRSTS_SQL                                                                            \
	"(SELECT group_concat(role || ':' || at) FROM (SELECT role, min(at) AS at FROM "            \
	"incident_told t WHERE t.incident_id = i.id GROUP BY role))"

/* Every statement with a fixed text, one slot each in the per-connection cache. The SQL text
 * sits next to its one use; the slot only says where the prepared form is kept. */
enum sq_id {
	SQ_BEGIN, SQ_BEGIN_READ, SQ_COMMIT, SQ_PART_BEGIN, SQ_PART_RELEASE, SQ_PART_ROLLBACK, SQ_ROLLBACK, SQ_SAVEPOINT, SQ_RELEASE, SQ_ROLLBACK_TO,
	SQ_USER_VERSION,
	SQ_META_GET, SQ_META_SET, SQ_PRESET_PUT, SQ_PRESET_GET,
	SQ_ORG_INSERT, SQ_ORG_GET, SQ_ORG_BY_CODE, SQ_ORG_ROLE, SQ_ORG_LIST, SQ_ORG_NAMES,
	SQ_USER_INSERT, SQ_USER_GET, SQ_USER_LIST, SQ_USER_AUTH_NAME, SQ_USER_AUTH_ID,
	SQ_USER_AUTH_TOKEN,
	SQ_USER_RESERVE, SQ_USER_RELEASE, SQ_USER_LOCKED, SQ_USER_OK, SQ_USER_PASSWORD,
	SQ_USER_ACTIVE,
	SQ_USER_TOTP, SQ_USER_TOTP_STEP, SQ_USER_EXISTS,
	SQ_SESSION_INSERT, SQ_SESSION_GET, SQ_SESSION_TOUCH, SQ_SESSION_DELETE,
	SQ_SESSION_DELETE_USER,
	SQ_TOKEN_INSERT, SQ_TOKEN_TOUCH, SQ_TOKEN_REVOKE, SQ_TOKEN_REVOKE_USER,
	SQ_TOKEN_LIST,
	SQ_SYSTEM_INSERT, SQ_SYSTEM_GET, SQ_SYSTEM_ASSETS, SQ_SYSTEM_ASSET_INSERT,
	SQ_SYSTEM_ASSET_CLEAR, SQ_SYSTEM_ACCESS, SQ_SYSTEM_LIST,
	SQ_COUNTER_NEXT, SQ_INCIDENT_INSERT, SQ_INCIDENT_GET, SQ_INCIDENT_READ, SQ_INCIDENT_SYSTEMS,
	SQ_INCIDENT_ORGS, SQ_INCIDENT_ACCESS, SQ_INCIDENT_STATE, SQ_INCIDENT_EXISTS,
	SQ_INCIDENT_TEXT, SQ_INCIDENT_SYSTEM_INSERT, SQ_INCIDENT_SYSTEM_CLEAR,
	SQ_INCIDENT_ADD_ORG, SQ_FTS_INSERT, SQ_FTS_DELETE, SQ_INCIDENT_CHILDREN,
	SQ_INCIDENT_RANGE, SQ_INCIDENT_SCOPE_SIZE,
	SQ_JOURNAL_INSERT, SQ_JOURNAL_LIST,
	SQ_REQUEST_INSERT, SQ_REQUEST_GET, SQ_REQUEST_ANSWER, SQ_REQUEST_LIST,
	SQ_ATTACHMENT_INSERT, SQ_ATTACHMENT_GET, SQ_ATTACHMENT_LIST,
	SQ_AUDIT_LAST, SQ_AUDIT_INSERT, SQ_AUDIT_LIST, SQ_AUDIT_ALL,
	SQ_IDEM_GET, SQ_IDEM_PUT,
	SQ_ESC_RECORD, SQ_ESC_REQUEST, SQ_ESC_OUTBOX, SQ_ESC_NAME, SQ_ESC_ROLE_ORGS, SQ_ESC_PARENT,
	SQ_ESC_LIST, SQ_FTS_KNOWN,
	SQ_BACKUP_COUNTS,
	/* STIX / TAXII exchange (sqlite_stix.c) */
	SQ_STIX_INDICATOR_INSERT, SQ_STIX_SET_ID,
	SQ_STIX_WARNING_ROW,
	SQ_STIX_INCIDENT_ROW, SQ_STIX_IND_WARNING, SQ_STIX_IND_INCIDENT,
	SQ_SYSTEM_PRODUCTS, SQ_SYSTEM_PRODUCT_INSERT, SQ_SYSTEM_PRODUCT_CLEAR, SQ_PREFIX_ADD,
	SQ_PREFIX_LIST, SQ_MATCH_ASSET, SQ_MATCH_RANGE, SQ_MATCH_SYSTEM, SQ_MATCH_PRODUCT,
	SQ_MATCH_IND, SQ_IND_EXISTS, SQ_IND_INSERT, SQ_IND_LIST, SQ_RELATED_ADD, SQ_RELATED_LIST,
	SQ_WARNING_INSERT, SQ_WARNING_GET, SQ_WARNING_ACCESS, SQ_WARNING_LIST, SQ_WARNING_STATUS,
	SQ_WARNING_IND_CLEAR, SQ_WARNING_TARGET_ADD, SQ_WARNING_SYSTEM_MATCH, SQ_WARNING_NOTIFY,
	SQ_WARNING_ACK, SQ_WARNING_REPORT_UPSERT, SQ_WARNING_RESPONDED, SQ_WARNING_TRACK_ORGS,
	SQ_WARNING_TRACK_SYSTEMS, SQ_WARNING_OVERDUE, SQ_WARNING_FIRE, SQ_WARNING_FIND,
	SQ_WARNING_ORGS_ALL, SQ_WARNING_ORGS_ROLE, SQ_WARNING_ORG_ACTIVE, SQ_WARNING_COUNTER,
	SQ_WARNING_FIRE_ROLE, SQ_WARNING_ROW_ORG, SQ_WARNING_IND_RELATED_CLEAR,
	/* sqlite_notify.c: duty reminders and digests (migration 006) */
	SQ_REMIND_CANDIDATES, SQ_REMIND_INSERT, SQ_REMIND_LINK, SQ_NOTIFY_OUTBOX,
	SQ_DIGEST_USERS, SQ_DIGEST_INSERT, SQ_DIGEST_LINK,
	SQ_NOTIFY_VERSION, SQ_NOTIFY_PREFS, SQ_NOTIFY_BUMP, SQ_NOTIFY_PUT,
	SQ_FANOUT_NEXT, SQ_FANOUT_USERS, SQ_FANOUT_ADD, SQ_FANOUT_DONE,
	SQ_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ_COUNT];
	const char *sql[SQ_COUNT]; /* the text each slot was prepared from, to catch a reused id */
	int bind_rc;               /* first failed bind since the last step (sticky, like ferror);
				    * the next step reports and clears it */
	bool read_open;            /* a store_read_begin transaction is open */
	/* incidents created in the open transaction whose full-text row is written at commit
	 * (sq_fts_flush): FTS5 flushes its pending terms to a new segment whenever a savepoint
	 * opens, so indexing each incident inside its request's savepoint made one segment per
	 * incident; at commit a whole group of requests makes one. */
	int64_t *fts_due;
	size_t nfts_due, capfts_due;
	size_t fts_part_mark;      /* nfts_due when the current store_part_begin began */
};

/* How a JSON value going IN is bound to a column. */
enum sq_kind {
	SQK_TEXT, /* JSON string */
	SQK_INT,  /* JSON integer (ids, counts, Unix-second times, tlp, roles) */
	SQK_FLAG, /* JSON boolean (or 0/1) */
	SQK_REF,  /* JSON integer id, or null/0 for SQL NULL (optional references) */
	SQK_OBJ,  /* JSON object, stored as its compact text */
};

#define SQC_CREATE 1u   /* bound by the create statement, in array order as ?1, ?2, ... */
#define SQC_UPDATE 2u   /* may be changed by the table's update */
#define SQC_REQUIRED 4u /* create fails with STORE_EINVAL when absent or null */

/* One column of a table as the store's JSON-in functions see it. */
struct sq_col {
	const char *name;
	enum sq_kind kind;
	unsigned flags;
	int64_t def; /* default for an absent SQK_INT/SQK_FLAG on create */
};

/* A table that has a versioned update: its name and its whitelist of columns. */
struct sq_table {
	const char *name;
	const struct sq_col *cols;
	size_t ncols;
};

#define SQ_NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define SQ_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Returns the cached statement for id, preparing sql on first use (persistent). sql must be
 * static text (a literal): the cache keeps the pointer to check that the slot is not reused for
 * other SQL. The statement must be given back with sq_done. */
int sq_stmt(struct store *st, enum sq_id id, const char *sql, sqlite3_stmt **out);
/* Resets a statement and clears its bindings so the cache can hand it out again. NULL is fine. */
void sq_done(sqlite3_stmt *s);
/* Maps a SQLite result code to STORE_E*, logging what failed unless it is an expected conflict. */
int sq_err(struct store *st, int rc, const char *what);
/* Steps a statement that returns no row. STORE_OK or the mapped error. */
int sq_step_done(struct store *st, sqlite3_stmt *s, const char *what);
/* Steps to the next row: STORE_OK with a row, STORE_ENOTFOUND at the end, or an error. */
int sq_step_row(struct store *st, sqlite3_stmt *s, const char *what);
/* Runs one statement of fixed text that needs no cache (PRAGMAs at open). */
int sq_exec(struct store *st, const char *sql, const char *what);

/* Binding helpers; a failure is remembered in st->bind_rc and reported by the next step. */
void sq_bind_int(struct store *st, sqlite3_stmt *s, int i, int64_t v);
/* Binds text (NULL binds ""). */
void sq_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *v);
/* Binds an id, or SQL NULL when it is 0. */
void sq_bind_ref(struct store *st, sqlite3_stmt *s, int i, int64_t v);
/* Binds one JSON value as kind; v NULL or null binds the default (or NULL for SQK_REF).
 * STORE_EINVAL when the JSON type does not fit the column. */
int sq_bind_json(struct store *st, sqlite3_stmt *s, int i, const json_t *v, const struct sq_col *c);
/* Binds the SQC_CREATE columns of cols from obj as ?1..?n. STORE_EINVAL on a missing required
 * key or a wrongly typed value. Sets *n to the number of parameters bound. */
int sq_bind_create(struct store *st, sqlite3_stmt *s, const json_t *obj, const struct sq_col *cols,
		   size_t ncols, int *n);

/* Returns a new JSON object of the current row of s under the store.h conventions. */
int sq_row_json(sqlite3_stmt *s, json_t **out);
/* Steps s to its end, returning every row as a new JSON array. */
int sq_rows_json(struct store *st, sqlite3_stmt *s, const char *what, json_t **out);
/* Writes the first n columns of the current row of s as members of the object open in w: the
 * values sq_row_json gives, except "flags" (comma-separated codes) written as a list. JSON columns
 * are written as stored: the query must select them through json_valid (NULL when invalid).
 * Returns STORE_OK, or STORE_EIO (invalid UTF-8 in a column, or the writer failed). */
int sq_row_write(sqlite3_stmt *s, int n, struct jsonw *w);
/* Steps s to its end, writing its rows to w as an array of objects (sq_row_write). */
int sq_rows_write(struct store *st, sqlite3_stmt *s, const char *what, struct jsonw *w);
/* Steps s once: its row as a new JSON object, or STORE_ENOTFOUND. */
int sq_one_json(struct store *st, sqlite3_stmt *s, const char *what, json_t **out);
/* Sets obj[key] = v (a new reference, stolen). STORE_EIO when v is NULL or on ENOMEM. */
int sq_set(json_t *obj, const char *key, json_t *v);

/* Opens a savepoint so a multi-statement write is atomic inside or outside the caller's
 * transaction. Pair with sq_release (on success) or sq_rollback_to (on failure). */
int sq_savepoint(struct store *st);
/* Releases the savepoint (keeps its writes). */
int sq_release(struct store *st);
/* Undoes and releases the savepoint. */
void sq_rollback_to(struct store *st);
/* Ends a savepoint: releases it when rc is STORE_OK, otherwise rolls it back. Returns rc, or the
 * release error. */
int sq_finish(struct store *st, int rc);

/* Updates the given keys of row id of table t: only keys of the whitelist (SQC_UPDATE) are
 * accepted; keys listed in skip are left to the caller (e.g. "assets"); anything else is
 * STORE_EINVAL. Bumps version and updated_at; version 0 matches any. STORE_ENOTFOUND,
 * STORE_ECONFLICT (version or unique key) or STORE_EINVAL (type, foreign key). */
int sq_update(struct store *st, const struct sq_table *t, int64_t id, int64_t version,
	      const json_t *fields, const char *const *skip);
/* STORE_OK when `SELECT 1 ... WHERE id = ?1` of the given cached statement finds a row. */
int sq_exists(struct store *st, enum sq_id id, const char *sql, int64_t key);

/* Appends the scope of access_incident_scope as one SQL condition over incidents i, with the
 * organisation bound as ?1 (statistics and documents; the list builds its own, index-walking
 * form in sqlite_incident_list.c). */
void sq_scope_sql(struct buf *b, const struct ac_scope *sc);

/* Records that networks of family (4, 6) and prefix length bits are stored (match_prefixes). */
int sq_prefix_add(struct store *st, unsigned family, unsigned bits);
/* Notes that incident id needs its full-text row written before the transaction commits.
 * STORE_OK, or an error (out of memory, or the flush a full list forces). */
int sq_fts_defer(struct store *st, int64_t id);
/* Writes the full-text rows sq_fts_defer noted (store_commit calls it). STORE_* codes. */
int sq_fts_flush(struct store *st);

/* Copies column col of the current row into out. STORE_EIO when it does not fit. */
int sq_col_copy(sqlite3_stmt *s, int col, char *out, size_t outsz);

#endif
