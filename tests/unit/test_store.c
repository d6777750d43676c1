/* test_store.c - the SQLite backend of store.h, on a temporary data folder per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/access.h"
#include "core/codes.h"
#include "util/tm.h"
#include "store/store.h"
#include "store/sqlite_priv.h" /* the connection, to read its pragmas */
#include "util/embed.h"
#include "util/str.h"

#define T0 1795224600 /* 2026-11-21T01:30:00Z */
#define T0_ISO "2026-11-21T01:30:00Z"

struct fx {
	char dir[64];
	struct store *st;
};

/* The highest migration compiled in: what a fresh database reaches. */
static int migration_number(const char *name)
{
	int64_t v = -1;

	assert_int_equal(str_to_i64n(name, strspn(name, "0123456789"), 1, 999, &v), 0);
	return (int)v;
}

static int known_version(void)
{
	int v = 0;

	for (const struct embed_file *m = store_migration; m->name != NULL; m++)
		v = migration_number(m->name);
	return v;
}

static void fx_path(const struct fx *f, const char *name, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s/%s", f->dir, name);

	assert_true(n > 0 && (size_t)n < outsz);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(store_open(f->dir, STORE_CREATE, &f->st), STORE_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	static const char *const files[] = {"ungcuu.db", "ungcuu.db-wal", "ungcuu.db-shm"};
	struct fx *f = *state;
	char p[128];

	store_close(f->st);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		fx_path(f, files[i], p, sizeof p);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Runs one SQL statement behind the store's back, as a tamperer with file access would. */
static void raw_exec(const struct fx *f, const char *sql)
{
	char p[128];
	sqlite3 *db = NULL;

	fx_path(f, "ungcuu.db", p, sizeof p);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	assert_non_null(s);
	return s;
}

static json_int_t jint(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static int64_t mk_org(struct store *st, const char *code, const char *name, const char *role,
		      int64_t parent)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "code", code, "name", name, "role", role,
			      "parent_id", (json_int_t)parent);
	int64_t id = 0;

	assert_non_null(o);
	assert_int_equal(store_org_create(st, o, &id), STORE_OK);
	json_decref(o);
	assert_true(id > 0);
	return id;
}

static int64_t mk_user(struct store *st, int64_t org, const char *username, unsigned roles)
{
	json_t *u = json_pack("{s:s, s:s, s:I, s:I, s:s}", "username", username, "full_name",
			      "Nguyễn Văn An", "org_id", (json_int_t)org, "roles", (json_int_t)roles,
			      "pw_hash", "$argon2id$fake");
	int64_t id = 0;

	assert_non_null(u);
	assert_int_equal(store_user_create(st, u, &id), STORE_OK);
	json_decref(u);
	return id;
}

static json_t *inc_json(int64_t org, int64_t user, const char *title, int tlp, int64_t detected)
{
	json_t *i = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:I, s:s, s:{s:s}}",
			      "org_id", (json_int_t)org, "title", title, "grp", "malware", "type",
			      "ransomware", "severity", "high", "severity_rank", 3, "status", "new",
			      "tlp", tlp, "detected_at", (json_int_t)detected, "created_by",
			      (json_int_t)user, "description", "Mô tả", "form", "ip", "10.0.0.1");

	assert_non_null(i);
	return i;
}

static int64_t mk_incident(struct store *st, int64_t org, int64_t user, const char *title, int tlp)
{
	json_t *i = inc_json(org, user, title, tlp, T0);
	int64_t id = 0;

	assert_int_equal(store_incident_create(st, i, &id, NULL), STORE_OK);
	json_decref(i);
	return id;
}

static struct store_incident_filter all_filter(int limit)
{
	return (struct store_incident_filter){.drill = -1, .limit = limit};
}

/* ---- opening ---- */

static int pragma_synchronous(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int v;

	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA synchronous", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Nothing is acknowledged before it is durable, power loss included: FULL (2) unless the
 * operator asks for NORMAL (1) by name. */
static void test_synchronous_full_by_default(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;

	assert_int_equal(pragma_synchronous(f->st), 2);
	assert_int_equal(setenv("UNGCUU_SYNC", "normal", 1), 0);
	assert_int_equal(store_open(f->dir, 0, &st), STORE_OK);
	assert_int_equal(pragma_synchronous(st), 1);
	store_close(st);
	assert_int_equal(setenv("UNGCUU_SYNC", "off", 1), 0); /* anything else: FULL */
	assert_int_equal(store_open(f->dir, 0, &st), STORE_OK);
	assert_int_equal(pragma_synchronous(st), 2);
	store_close(st);
	assert_int_equal(unsetenv("UNGCUU_SYNC"), 0);
}

static void test_open_migrate_reopen(void **state)
{
	struct fx *f = *state;
	char value[64], *body = NULL;
	size_t len = 0;
	int v = 0;

	assert_int_equal(store_schema_version(f->st, &v), STORE_OK);
	assert_true(v >= 2);
	assert_int_equal(v, known_version());
	assert_int_equal(store_meta_set(f->st, "instance", "tinh-a"), STORE_OK);
	assert_int_equal(store_meta_set(f->st, "instance", "tinh-b"), STORE_OK);
	assert_int_equal(store_preset_put(f->st, "national", "name: x\n", 8), STORE_OK);
	store_close(f->st);
	f->st = NULL;

	/* reopening applies nothing and keeps the data */
	assert_int_equal(store_open(f->dir, 0, &f->st), STORE_OK);
	assert_int_equal(store_schema_version(f->st, &v), STORE_OK);
	assert_int_equal(v, known_version());
	assert_int_equal(store_meta_get(f->st, "instance", value, sizeof value), STORE_OK);
	assert_string_equal(value, "tinh-b");
	assert_int_equal(store_meta_get(f->st, "nothing", value, sizeof value), STORE_ENOTFOUND);
	assert_int_equal(store_meta_get(f->st, "instance", value, 3), STORE_EINVAL);
	assert_int_equal(store_preset_get(f->st, "national", &body, &len), STORE_OK);
	assert_int_equal(len, 8);
	assert_string_equal(body, "name: x\n");
	free(body);
	assert_int_equal(store_preset_get(f->st, "none", &body, &len), STORE_ENOTFOUND);
	assert_null(body);

	/* the STIX namespace is made with the data folder (migration 014): a version-4 UUID that a
	 * read-only connection reads as it is, never writing it */
	{
		struct store *ro = NULL;
		char ns[64], again[64];

		assert_int_equal(store_stix_namespace(f->st, ns, sizeof ns), STORE_OK);
		assert_int_equal(strlen(ns), 36);
		assert_true(ns[8] == '-' && ns[13] == '-' && ns[18] == '-' && ns[23] == '-');
		assert_int_equal(ns[14], '4');
		assert_non_null(strchr("89ab", ns[19]));
		for (size_t i = 0; i < 36; i++)
			assert_non_null(strchr("0123456789abcdef-", ns[i]));

		assert_int_equal(store_open(f->dir, STORE_READONLY, &ro), STORE_OK);
		assert_int_equal(store_stix_namespace(ro, again, sizeof again), STORE_OK);
		assert_string_equal(again, ns);
		assert_int_equal(store_meta_get(ro, "instance", value, sizeof value), STORE_OK);
		assert_int_equal(store_meta_set(ro, "x", "y"), STORE_EIO);
		store_close(ro);
	}
}

static void test_open_missing_without_create(void **state)
{
	struct fx *f = *state;
	struct store *st = (struct store *)1;
	char dir[96];

	snprintf(dir, sizeof dir, "%s/nothing-here", f->dir);
	assert_int_equal(store_open(dir, 0, &st), STORE_EIO);
	assert_null(st);
	store_close(NULL);
	store_rollback(f->st); /* no transaction open: harmless */
}

static void test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	char sql[64];

	store_close(f->st);
	f->st = NULL;
	raw_exec(f, "PRAGMA user_version = 999");
	assert_int_equal(store_open(f->dir, 0, &st), STORE_EIO);
	assert_null(st);
	assert_int_equal(store_open(f->dir, STORE_READONLY, &st), STORE_EIO);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", known_version());
	raw_exec(f, sql);
	assert_int_equal(store_open(f->dir, 0, &f->st), STORE_OK);
}

/* A database left at migration 1 gets every later one, in order, when opened read-write. */
static void test_pending_migration_applied(void **state)
{
	static const char *const files[] = {"ungcuu.db", "ungcuu.db-wal", "ungcuu.db-shm"};
	struct fx *f = *state;
	struct ac_scope all = {.org_id = 1, .all_below_red = true};
	struct store_incident_filter flt = {.drill = -1, .limit = 10, .q = "su co"};
	struct store *ro = NULL;
	json_t *list = NULL;
	char p[128];
	int64_t org, user, next;
	int v = 0;

	store_close(f->st);
	f->st = NULL;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		fx_path(f, files[i], p, sizeof p);
		unlink(p);
	}
	assert_int_equal(migration_number(store_migration[0].name), 1);
	raw_exec(f, store_migration[0].text);
	raw_exec(f, "PRAGMA user_version = 1");
	assert_int_equal(store_open(f->dir, STORE_READONLY, &ro), STORE_EIO); /* cannot migrate */
	assert_null(ro);
	assert_int_equal(store_open(f->dir, 0, &f->st), STORE_OK);
	assert_int_equal(store_schema_version(f->st, &v), STORE_OK);
	assert_int_equal(v, known_version());
	org = mk_org(f->st, "a", "A", "member", 0);
	user = mk_user(f->st, org, "u", ROLE_REPORTER);
	mk_incident(f->st, org, user, "Sự cố", TLP_GREEN);
	assert_int_equal(store_incident_list(f->st, &all, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
}

static void test_transaction_rollback(void **state)
{
	struct fx *f = *state;
	json_t *o = NULL;
	int64_t id;

	assert_int_equal(store_begin(f->st), STORE_OK);
	id = mk_org(f->st, "tmp", "Tạm", "member", 0);
	store_rollback(f->st);
	assert_int_equal(store_org_get(f->st, id, &o), STORE_ENOTFOUND);
	assert_null(o);
	assert_int_equal(store_begin(f->st), STORE_OK);
	id = mk_org(f->st, "kept", "Giữ", "member", 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_org_get(f->st, id, &o), STORE_OK);
	json_decref(o);
}

/* A second writer waits the busy timeout (5 s), then gets STORE_EBUSY, not STORE_EIO. */
static void test_busy_writer(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	char value[16];

	assert_int_equal(store_open(f->dir, 0, &other), STORE_OK);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_meta_set(f->st, "k", "first"), STORE_OK);
	assert_int_equal(store_begin(other), STORE_EBUSY);
	/* readers are not blocked by the writer (WAL) and see the last commit */
	assert_int_equal(store_meta_get(other, "k", value, sizeof value), STORE_ENOTFOUND);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_begin(other), STORE_OK);
	assert_int_equal(store_meta_set(other, "k", "second"), STORE_OK);
	assert_int_equal(store_commit(other), STORE_OK);
	assert_int_equal(store_meta_get(f->st, "k", value, sizeof value), STORE_OK);
	assert_string_equal(value, "second");
	store_close(other);
}

/* ---- organisations ---- */

static void test_org_crud(void **state)
{
	struct fx *f = *state;
	json_t *o = NULL, *list = NULL, *upd;
	int64_t parent, id, pid = -1, dup = 0;
	char role[32];

	setenv("UNGCUU_FAKE_NOW", "1795224600", 1);
	parent = mk_org(f->st, "stttt", "Sở Thông tin và Truyền thông", "coordinator", 0);
	o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:b, s:s}", "code", "ubnd-hn", "name",
		      "UBND huyện Hà Nội", "role", "member", "parent_id", (json_int_t)parent,
		      "email", "vanthu@hanoi.gov.vn", "hotline_247", 1, "phone", "024 1234");
	assert_int_equal(store_org_create(f->st, o, &id), STORE_OK);
	assert_int_equal(store_org_create(f->st, o, &dup), STORE_ECONFLICT);
	assert_int_equal(dup, 0);
	json_decref(o);

	assert_int_equal(store_org_get(f->st, id, &o), STORE_OK);
	assert_int_equal(jint(o, "id"), id);
	assert_string_equal(jstr(o, "code"), "ubnd-hn");
	assert_string_equal(jstr(o, "name"), "UBND huyện Hà Nội");
	assert_int_equal(jint(o, "parent_id"), parent);
	assert_true(json_is_true(json_object_get(o, "hotline_247")));
	assert_true(json_is_true(json_object_get(o, "active")));
	assert_string_equal(jstr(o, "created_at"), T0_ISO);
	assert_string_equal(jstr(o, "fax"), "");
	assert_int_equal(jint(o, "version"), 1);
	json_decref(o);

	assert_int_equal(store_org_get(f->st, parent, &o), STORE_OK);
	assert_true(json_is_null(json_object_get(o, "parent_id")));
	assert_true(json_is_false(json_object_get(o, "hotline_247")));
	json_decref(o);

	assert_int_equal(store_org_by_code(f->st, "ubnd-hn", &o), STORE_OK);
	assert_int_equal(jint(o, "id"), id);
	json_decref(o);
	assert_int_equal(store_org_by_code(f->st, "none", &o), STORE_ENOTFOUND);
	assert_int_equal(store_org_role(f->st, id, role, sizeof role, &pid), STORE_OK);
	assert_string_equal(role, "member");
	assert_int_equal(pid, parent);
	assert_int_equal(store_org_role(f->st, parent, role, sizeof role, &pid), STORE_OK);
	assert_int_equal(pid, 0);

	/* directory filter by folded substring */
	assert_int_equal(store_org_list(f->st, "HA NOI", &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(store_org_list(f->st, "1234", &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(store_org_list(f->st, NULL, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(jstr(json_array_get(list, 0), "code"), "stttt"); /* "Sở" < "UBND" */
	json_decref(list);

	/* versioned update */
	setenv("UNGCUU_FAKE_NOW", "1795224700", 1);
	upd = json_pack("{s:s, s:b}", "name", "UBND quận Hà Nội", "hotline_247", 0);
	assert_int_equal(store_org_update(f->st, id, 7, upd), STORE_ECONFLICT);
	assert_int_equal(store_org_update(f->st, id, 1, upd), STORE_OK);
	assert_int_equal(store_org_update(f->st, id, 1, upd), STORE_ECONFLICT);
	assert_int_equal(store_org_update(f->st, id, 0, upd), STORE_OK);
	assert_int_equal(store_org_update(f->st, 9999, 0, upd), STORE_ENOTFOUND);
	json_decref(upd);
	assert_int_equal(store_org_get(f->st, id, &o), STORE_OK);
	assert_string_equal(jstr(o, "name"), "UBND quận Hà Nội");
	assert_true(json_is_false(json_object_get(o, "hotline_247")));
	assert_int_equal(jint(o, "version"), 3);
	assert_string_equal(jstr(o, "updated_at"), "2026-11-21T01:31:40Z");
	assert_string_equal(jstr(o, "created_at"), T0_ISO);
	json_decref(o);

	/* unique code, unknown keys, wrong types, missing parents */
	upd = json_pack("{s:s}", "code", "stttt");
	assert_int_equal(store_org_update(f->st, id, 0, upd), STORE_ECONFLICT);
	json_decref(upd);
	upd = json_pack("{s:s}", "name = 'x', code", "y");
	assert_int_equal(store_org_update(f->st, id, 0, upd), STORE_EINVAL);
	json_decref(upd);
	upd = json_pack("{s:i}", "name", 5);
	assert_int_equal(store_org_update(f->st, id, 0, upd), STORE_EINVAL);
	json_decref(upd);
	upd = json_pack("{s:I}", "parent_id", (json_int_t)4242);
	assert_int_equal(store_org_update(f->st, id, 0, upd), STORE_EINVAL);
	json_decref(upd);
	o = json_pack("{s:s, s:s}", "code", "no-name", "role", "member");
	assert_int_equal(store_org_create(f->st, o, &dup), STORE_EINVAL);
	json_decref(o);
	assert_int_equal(store_org_get(f->st, id, &o), STORE_OK);
	assert_int_equal(jint(o, "version"), 3);
	json_decref(o);
	unsetenv("UNGCUU_FAKE_NOW");
}

/* ---- users, sessions, tokens ---- */

static void test_user_crud(void **state)
{
	struct fx *f = *state;
	struct store_user_auth a;
	int64_t until;
	int n;
	json_t *u = NULL, *list = NULL, *roles, *upd;
	int64_t org = mk_org(f->st, "org", "Tổ chức", "member", 0), org2, id, dup = 0;

	org2 = mk_org(f->st, "org2", "Tổ chức 2", "police", 0);
	id = mk_user(f->st, org, "AnNV", ROLE_REPORTER | ROLE_LEADER);
	u = json_pack("{s:s, s:s, s:I, s:i, s:s}", "username", "annv", "full_name", "X", "org_id",
		      (json_int_t)org, "roles", 1, "pw_hash", "h");
	assert_int_equal(store_user_create(f->st, u, &dup), STORE_ECONFLICT);
	json_decref(u);

	assert_int_equal(store_user_get(f->st, id, &u), STORE_OK);
	assert_string_equal(jstr(u, "username"), "annv");
	assert_string_equal(jstr(u, "org_code"), "org");
	assert_string_equal(jstr(u, "org_name"), "Tổ chức");
	roles = json_object_get(u, "roles");
	assert_true(json_is_array(roles));
	assert_int_equal(json_array_size(roles), 2);
	assert_string_equal(json_string_value(json_array_get(roles, 0)), "reporter");
	assert_string_equal(json_string_value(json_array_get(roles, 1)), "leader");
	assert_true(json_is_true(json_object_get(u, "must_change_pw")));
	assert_true(json_is_false(json_object_get(u, "totp_enabled")));
	assert_true(json_is_null(json_object_get(u, "locked_until")));
	assert_null(json_object_get(u, "pw_hash"));
	assert_null(json_object_get(u, "totp_secret"));
	json_decref(u);

	assert_int_equal(store_user_auth_by_name(f->st, "ANNV", &a), STORE_OK);
	assert_int_equal(a.id, id);
	assert_int_equal(a.org_id, org);
	assert_int_equal(a.roles, ROLE_REPORTER | ROLE_LEADER);
	assert_string_equal(a.pw_hash, "$argon2id$fake");
	assert_string_equal(a.org_role, "member");
	assert_true(a.must_change_pw && a.active && !a.totp_enabled);
	assert_int_equal(store_user_auth_by_name(f->st, "nobody", &a), STORE_ENOTFOUND);
	assert_int_equal(a.id, 0);

	/* login bookkeeping: each attempt is reserved before its password is checked, counted as
	 * failed in advance; the 5th locks, a 6th is refused while the lock holds */
	for (int i = 1; i <= 5; i++) {
		assert_int_equal(store_user_login_reserve(f->st, id, T0, 5, T0 + 900, &n, &until),
				 STORE_OK);
		assert_int_equal(n, i);
		assert_int_equal(until, i == 5 ? T0 + 900 : 0);
	}
	assert_int_equal(store_user_login_reserve(f->st, id, T0 + 899, 5, T0 + 1799, &n, &until),
			 STORE_ECONFLICT);
	assert_int_equal(n, 0);
	assert_int_equal(until, T0 + 900);
	assert_int_equal(store_user_auth_by_id(f->st, id, &a), STORE_OK);
	assert_int_equal(a.failed_logins, 5);
	assert_int_equal(a.locked_until, T0 + 900);
	assert_int_equal(store_user_get(f->st, id, &u), STORE_OK);
	assert_string_equal(jstr(u, "locked_until"), "2026-11-21T01:45:00Z");
	assert_int_equal(jint(u, "version"), 1);
	json_decref(u);
	/* a lock that ran out: the count starts again */
	assert_int_equal(store_user_login_reserve(f->st, id, T0 + 900, 5, T0 + 1800, &n, &until),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(until, 0);
	/* a reservation given back; the one that took the lock lifts it */
	assert_int_equal(store_user_login_release(f->st, id, 5), STORE_OK);
	assert_int_equal(store_user_auth_by_id(f->st, id, &a), STORE_OK);
	assert_int_equal(a.failed_logins, 0);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(store_user_login_reserve(f->st, id, T0 + 900, 5, T0 + 1800, &n,
							  &until), STORE_OK);
	assert_int_equal(store_user_login_release(f->st, id, 5), STORE_OK);
	assert_int_equal(store_user_auth_by_id(f->st, id, &a), STORE_OK);
	assert_int_equal(a.failed_logins, 4);
	assert_int_equal(a.locked_until, 0);
	assert_int_equal(store_user_unlock(f->st, id), STORE_OK);
	assert_int_equal(store_user_auth_by_id(f->st, id, &a), STORE_OK);
	assert_int_equal(a.failed_logins, 0);
	assert_int_equal(a.locked_until, 0);
	assert_int_equal(store_user_login_reserve(f->st, 4242, T0, 5, T0 + 900, &n, &until),
			 STORE_ENOTFOUND);
	assert_int_equal(store_user_login_reserve(f->st, id, T0, 5, T0 + 900, &n, &until),
			 STORE_OK);
	assert_int_equal(store_user_login_ok(f->st, id), STORE_OK);
	assert_int_equal(store_user_login_ok(f->st, 4242), STORE_ENOTFOUND);

	assert_int_equal(store_user_set_password(f->st, id, "$argon2id$new", false), STORE_OK);
	assert_int_equal(store_user_set_totp(f->st, id, "JBSWY3DPEHPK3PXP", true), STORE_OK);
	assert_int_equal(store_user_auth_by_id(f->st, id, &a), STORE_OK);
	assert_string_equal(a.pw_hash, "$argon2id$new");
	assert_false(a.must_change_pw);
	assert_true(a.totp_enabled);
	assert_string_equal(a.totp_secret, "JBSWY3DPEHPK3PXP");
	assert_int_equal(a.totp_last_step, 0);
	/* a TOTP step is taken once, and only moving forward */
	assert_int_equal(store_user_totp_step(f->st, id, 59000000), STORE_OK);
	assert_int_equal(store_user_totp_step(f->st, id, 59000000), STORE_ECONFLICT);
	assert_int_equal(store_user_totp_step(f->st, id, 58999999), STORE_ECONFLICT);
	assert_int_equal(store_user_totp_step(f->st, id, 59000001), STORE_OK);
	assert_int_equal(store_user_totp_step(f->st, 4242, 1), STORE_ENOTFOUND);
	assert_int_equal(store_user_auth_by_id(f->st, id, &a), STORE_OK);
	assert_int_equal(a.totp_last_step, 59000001);

	upd = json_pack("{s:I, s:I, s:s}", "roles", (json_int_t)ROLE_ADMIN, "org_id",
			(json_int_t)org2, "email", "an@x.vn");
	assert_int_equal(store_user_update(f->st, id, 1, upd), STORE_ECONFLICT);
	assert_int_equal(store_user_update(f->st, id, 3, upd), STORE_OK);
	json_decref(upd);
	upd = json_pack("{s:s}", "pw_hash", "stolen");
	assert_int_equal(store_user_update(f->st, id, 0, upd), STORE_EINVAL);
	json_decref(upd);
	assert_int_equal(store_user_get(f->st, id, &u), STORE_OK);
	assert_string_equal(jstr(u, "org_code"), "org2");
	assert_string_equal(json_string_value(json_array_get(json_object_get(u, "roles"), 0)),
			    "admin");
	assert_true(json_is_false(json_object_get(u, "must_change_pw")));
	assert_true(json_is_true(json_object_get(u, "totp_enabled")));
	assert_int_equal(jint(u, "version"), 4);
	json_decref(u);

	mk_user(f->st, org, "binh", ROLE_OFFICER);
	assert_int_equal(store_user_list(f->st, org, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(jstr(json_array_get(list, 0), "username"), "binh");
	json_decref(list);
	assert_int_equal(store_user_list(f->st, 0, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(jstr(json_array_get(list, 0), "username"), "annv");
	json_decref(list);
}

static void test_user_deactivate_kills_sessions_tokens(void **state)
{
	struct fx *f = *state;
	struct store_session s;
	struct store_user_auth a;
	int64_t org = mk_org(f->st, "org", "Tổ chức", "member", 0), other, uid, tok, tok2;
	json_t *list = NULL, *u = NULL;
	char num[24];

	uid = mk_user(f->st, org, "chi", ROLE_OFFICER);
	other = mk_user(f->st, org, "dung", ROLE_OFFICER);
	assert_int_equal(store_session_create(f->st, "h1", "csrf1", uid, "10.0.0.1", T0), STORE_OK);
	assert_int_equal(store_session_create(f->st, "h2", "csrf2", uid, "10.0.0.2", T0), STORE_OK);
	assert_int_equal(store_session_create(f->st, "h3", "csrf3", other, "", T0), STORE_OK);
	assert_int_equal(store_session_create(f->st, "h3", "csrf3", other, "", T0), STORE_ECONFLICT);
	assert_int_equal(store_session_create(f->st, "h4", "c", 4242, "", T0), STORE_EINVAL);
	assert_int_equal(store_session_get(f->st, "h1", &s), STORE_OK);
	assert_int_equal(s.user_id, uid);
	assert_string_equal(s.csrf, "csrf1");
	assert_int_equal(s.last_seen, T0);
	assert_int_equal(store_session_touch(f->st, s.id, T0 + 60), STORE_OK);
	assert_int_equal(store_session_get(f->st, "h1", &s), STORE_OK);
	assert_int_equal(s.last_seen, T0 + 60);
	assert_int_equal(s.created_at, T0);
	assert_int_equal(store_token_create(f->st, "t1", uid, "ci", &tok), STORE_OK);
	assert_int_equal(store_token_create(f->st, "t2", other, "ci", &tok2), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_OK);
	assert_int_equal(a.id, uid);
	assert_true(a.active);
	/* the settings authentication decides with come in the same row */
	assert_false(a.org_coordinator);
	assert_int_equal(a.totp_roles_setting, -1);
	assert_false(a.totp_enforce);
	assert_int_equal(store_meta_set(f->st, "coordinator_org_id", "999"), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_OK);
	assert_false(a.org_coordinator);
	snprintf(num, sizeof num, "%lld", (long long)a.org_id);
	assert_int_equal(store_meta_set(f->st, "coordinator_org_id", num), STORE_OK);
	assert_int_equal(store_meta_set(f->st, "totp_required_roles", "40"), STORE_OK);
	assert_int_equal(store_meta_set(f->st, "totp_enforce", "1"), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_OK);
	assert_true(a.org_coordinator);
	assert_int_equal(a.totp_roles_setting, 40);
	assert_true(a.totp_enforce);
	assert_int_equal(store_meta_set(f->st, "totp_required_roles", "4x"), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_OK);
	assert_int_equal(a.totp_roles_setting, -1); /* not a number: the default, as before */
	assert_int_equal(store_user_auth_by_token(f->st, "nope", &a), STORE_ENOTFOUND);
	assert_int_equal(a.token_id, 0); /* nothing half-filled */
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_OK);
	assert_int_equal(a.token_id, tok);
	assert_int_equal(a.token_last_used, 0);
	assert_int_equal(store_token_touch(f->st, tok, T0 + 5), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_OK);
	assert_int_equal(a.token_last_used, T0 + 5);
	assert_int_equal(store_user_auth_by_id(f->st, uid, &a), STORE_OK);
	assert_int_equal(a.token_id, 0); /* not by token */

	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_user_set_active(f->st, uid, false), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);

	assert_int_equal(store_session_get(f->st, "h1", &s), STORE_ENOTFOUND);
	assert_int_equal(store_session_get(f->st, "h2", &s), STORE_ENOTFOUND);
	assert_int_equal(store_session_get(f->st, "h3", &s), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_ENOTFOUND);
	assert_int_equal(store_user_auth_by_token(f->st, "t2", &a), STORE_OK);
	assert_int_equal(store_user_auth_by_id(f->st, uid, &a), STORE_OK);
	assert_false(a.active);
	assert_int_equal(store_user_get(f->st, uid, &u), STORE_OK);
	assert_true(json_is_false(json_object_get(u, "active")));
	json_decref(u);
	assert_int_equal(store_token_list(f->st, uid, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(jstr(json_array_get(list, 0), "username"), "chi");
	assert_true(json_is_string(json_object_get(json_array_get(list, 0), "revoked_at")));
	assert_string_equal(jstr(json_array_get(list, 0), "last_used"), "2026-11-21T01:30:05Z");
	json_decref(list);
	assert_int_equal(store_token_revoke(f->st, tok, T0), STORE_ENOTFOUND);

	/* reactivating does not bring the tokens back */
	assert_int_equal(store_user_set_active(f->st, uid, true), STORE_OK);
	assert_int_equal(store_user_auth_by_token(f->st, "t1", &a), STORE_ENOTFOUND);
	assert_int_equal(store_user_set_active(f->st, 4242, false), STORE_ENOTFOUND);

	/* the other user's token and sessions: revoke, logout, delete all but one */
	assert_int_equal(store_token_revoke(f->st, tok2, T0), STORE_OK);
	assert_int_equal(store_token_list(f->st, 0, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(store_session_create(f->st, "h5", "c5", other, "", T0), STORE_OK);
	assert_int_equal(store_session_get(f->st, "h5", &s), STORE_OK);
	assert_int_equal(store_session_delete_user(f->st, other, s.id), STORE_OK);
	assert_int_equal(store_session_get(f->st, "h3", &s), STORE_ENOTFOUND);
	assert_int_equal(store_session_get(f->st, "h5", &s), STORE_OK);
	assert_int_equal(store_session_delete(f->st, "h5"), STORE_OK);
	assert_int_equal(store_session_delete(f->st, "h5"), STORE_OK);
	assert_int_equal(store_session_get(f->st, "h5", &s), STORE_ENOTFOUND);
}

/* ---- systems ---- */

static void test_system_crud_and_scope(void **state)
{
	struct fx *f = *state;
	int64_t a = mk_org(f->st, "a", "A", "member", 0), b = mk_org(f->st, "b", "B", "isp", 0);
	int64_t c = mk_org(f->st, "c", "C", "coordinator", 0), p = mk_org(f->st, "p", "P", "police", 0);
	json_t *sys, *o = NULL, *list = NULL, *upd;
	struct ac_system acs;
	struct ac_scope sc;
	int64_t s1, s2, s3;

	sys = json_pack("{s:s, s:I, s:I, s:i, s:b, s:I, s:[{s:s, s:s}, {s:s, s:s}]}", "name",
			"Cổng dịch vụ công", "owner_org_id", (json_int_t)a, "operator_org_id",
			(json_int_t)b, "level", 3, "critical", 1, "plan_updated_at", (json_int_t)T0,
			"assets", "kind", "ip", "value", "203.0.113.5", "kind", "domain", "value",
			"dichvucong.example.vn");
	assert_int_equal(store_system_create(f->st, sys, &s1), STORE_OK);
	json_decref(sys);
	sys = json_pack("{s:s, s:I, s:I, s:i}", "name", "Thư điện tử", "owner_org_id",
			(json_int_t)b, "operator_org_id", (json_int_t)b, "level", 2);
	assert_int_equal(store_system_create(f->st, sys, &s2), STORE_OK);
	json_decref(sys);
	sys = json_pack("{s:s, s:I, s:I, s:i, s:[{s:s}]}", "name", "Hỏng", "owner_org_id",
			(json_int_t)c, "operator_org_id", (json_int_t)c, "level", 1, "assets", "kind",
			"ip");
	assert_int_equal(store_system_create(f->st, sys, &s3), STORE_EINVAL);
	assert_int_equal(s3, 0);
	json_decref(sys);

	assert_int_equal(store_system_get(f->st, s1, &o), STORE_OK);
	assert_string_equal(jstr(o, "owner_name"), "A");
	assert_string_equal(jstr(o, "operator_name"), "B");
	assert_true(json_is_true(json_object_get(o, "critical")));
	assert_true(json_is_false(json_object_get(o, "central_hosted")));
	assert_string_equal(jstr(o, "plan_updated_at"), T0_ISO);
	assert_int_equal(json_array_size(json_object_get(o, "assets")), 2);
	assert_string_equal(jstr(json_array_get(json_object_get(o, "assets"), 1), "value"),
			    "dichvucong.example.vn");
	json_decref(o);
	assert_int_equal(store_system_get(f->st, 4242, &o), STORE_ENOTFOUND);

	assert_int_equal(store_system_access(f->st, s1, &acs), STORE_OK);
	assert_int_equal(acs.owner_org_id, a);
	assert_int_equal(acs.operator_org_id, b);
	assert_true(acs.critical);

	upd = json_pack("{s:i, s:[{s:s, s:s}]}", "level", 4, "assets", "kind", "ip", "value",
			"198.51.100.1");
	assert_int_equal(store_system_update(f->st, s1, 2, upd), STORE_ECONFLICT);
	assert_int_equal(store_system_update(f->st, s1, 1, upd), STORE_OK);
	json_decref(upd);
	assert_int_equal(store_system_get(f->st, s1, &o), STORE_OK);
	assert_int_equal(jint(o, "level"), 4);
	assert_int_equal(json_array_size(json_object_get(o, "assets")), 1);
	json_decref(o);

	/* scopes: own (owner or operator), everything (coordinator), critical (police), none */
	sc = (struct ac_scope){.org_id = a};
	assert_int_equal(store_system_list(f->st, &sc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	sc = (struct ac_scope){.org_id = b};
	assert_int_equal(store_system_list(f->st, &sc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(jint(json_array_get(list, 0), "id"), s1);
	json_decref(list);
	sc = (struct ac_scope){.org_id = c, .all_below_red = true};
	assert_int_equal(store_system_list(f->st, &sc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	sc = (struct ac_scope){.org_id = p, .critical = true};
	assert_int_equal(store_system_list(f->st, &sc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(jint(json_array_get(list, 0), "id"), s1);
	json_decref(list);
	sc = (struct ac_scope){.org_id = b, .none = true};
	assert_int_equal(store_system_list(f->st, &sc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	(void)s2;
}

/* ---- incidents ---- */


/* store_incident_write (the text GET answers with) read back must be the tree store_incident_get
 * gives, with "group" for grp and the comma-separated flags as a list; its head must hold the
 * record's own values. Sets *ac. */
static void check_incident_text(struct store *st, int64_t id, int64_t subject,
				struct ac_incident *ac)
{
	struct store_incident_head h;
	struct buf b;
	struct jsonw w;
	json_t *text, *tree, *flags = json_array(), *sys;
	const char *csv;
	size_t i;

	buf_init(&b, 1u << 20);
	jsonw_init(&w, &b);
	jsonw_object(&w);
	assert_int_equal(store_incident_write(st, id, subject, &w, &h, ac), STORE_OK);
	jsonw_close(&w);
	assert_int_equal(jsonw_end(&w), 0);
	text = json_loads(b.p, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(text);
	assert_int_equal(store_incident_get(st, id, &tree), STORE_OK);
	json_object_set(tree, "group", json_object_get(tree, "grp"));
	json_object_del(tree, "grp");
	for (csv = jstr(tree, "flags"); *csv;) {
		size_t n = strcspn(csv, ",");

		if (n > 0)
			json_array_append_new(flags, json_stringn(csv, n));
		csv += n + (csv[n] == ',');
	}
	json_object_set_new(tree, "flags", flags);
	assert_true(json_equal(text, tree));
	assert_int_equal(h.version, jint(tree, "version"));
	assert_string_equal(h.status, jstr(tree, "status"));
	assert_string_equal(h.severity, jstr(tree, "severity"));
	assert_int_equal(h.detected_at, T0);
	assert_true(h.created_at > 0);
	json_array_foreach(json_object_get(tree, "systems"), i, sys)
		if (json_is_true(json_object_get(sys, "central_hosted")))
			break;
	assert_int_equal(h.central_hosted, i < json_array_size(json_object_get(tree, "systems")));
	json_decref(text);
	json_decref(tree);
	buf_free(&b);
}

static void test_incident_crud(void **state)
{
	struct fx *f = *state;
	int64_t org = mk_org(f->st, "org", "Tổ chức", "member", 0), helper, uid, sys, id, id2;
	json_t *inc, *o = NULL, *upd, *s;
	struct ac_incident ac;
	char ref[32], status[48];
	int64_t version;

	helper = mk_org(f->st, "police", "Công an tỉnh", "police", 0);
	uid = mk_user(f->st, org, "bao", ROLE_REPORTER);
	s = json_pack("{s:s, s:I, s:I, s:i}", "name", "Web", "owner_org_id", (json_int_t)org,
		      "operator_org_id", (json_int_t)org, "level", 2);
	assert_int_equal(store_system_create(f->st, s, &sys), STORE_OK);
	json_decref(s);

	inc = inc_json(org, uid, "Tấn công mã hóa dữ liệu", TLP_AMBER, T0);
	json_object_set_new(inc, "systems", json_pack("[I]", (json_int_t)sys));
	json_object_set_new(inc, "is_drill", json_true());
	assert_int_equal(store_incident_create(f->st, inc, &id, ref), STORE_OK);
	assert_string_equal(ref, "UC-2026-000001");
	assert_int_equal(store_incident_create(f->st, inc, &id2, ref), STORE_OK);
	assert_string_equal(ref, "UC-2026-000002");
	json_decref(inc);
	/* 2026-12-31T20:00Z is already 2027 in Vietnam: a new counter */
	inc = inc_json(org, uid, "Năm mới", TLP_GREEN, 1798747200);
	assert_int_equal(store_incident_create(f->st, inc, &id2, ref), STORE_OK);
	assert_string_equal(ref, "UC-2027-000001");
	json_decref(inc);
	inc = inc_json(4242, uid, "Không có tổ chức", TLP_GREEN, T0);
	assert_int_equal(store_incident_create(f->st, inc, &id2, ref), STORE_EINVAL);
	assert_int_equal(id2, 0);
	json_decref(inc);
	inc = inc_json(org, uid, "Chưa có thời điểm", TLP_GREEN, T0);
	json_object_del(inc, "detected_at");
	assert_int_equal(store_incident_create(f->st, inc, &id2, ref), STORE_EINVAL);
	json_decref(inc);

	assert_int_equal(store_incident_add_org(f->st, id, helper, "request"), STORE_OK);
	assert_int_equal(store_incident_add_org(f->st, id, helper, "again"), STORE_OK);
	assert_int_equal(store_incident_add_org(f->st, id, 4242, "x"), STORE_EINVAL);

	assert_int_equal(store_incident_get(f->st, id, &o), STORE_OK);
	assert_string_equal(jstr(o, "ref"), "UC-2026-000001");
	assert_string_equal(jstr(o, "tlp"), "amber");
	assert_string_equal(jstr(o, "org_name"), "Tổ chức");
	assert_string_equal(jstr(o, "org_code"), "org");
	assert_true(json_is_true(json_object_get(o, "is_drill")));
	assert_string_equal(jstr(o, "detected_at"), T0_ISO);
	assert_true(json_is_null(json_object_get(o, "reported_at")));
	assert_true(json_is_null(json_object_get(o, "closed_at")));
	assert_string_equal(jstr(json_object_get(o, "form"), "ip"), "10.0.0.1");
	assert_int_equal(json_array_size(json_object_get(o, "systems")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(o, "systems"), 0), "name"), "Web");
	assert_true(json_is_false(
		json_object_get(json_array_get(json_object_get(o, "systems"), 0), "critical")));
	assert_string_equal(jstr(o, "flags"), "");
	assert_true(json_is_string(json_object_get(o, "state_changed_at")));
	assert_string_equal(jstr(o, "state_changed_at"), jstr(o, "created_at"));
	assert_int_equal(json_array_size(json_object_get(o, "orgs")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(o, "orgs"), 0), "reason"),
			    "request");
	assert_string_equal(jstr(json_array_get(json_object_get(o, "orgs"), 0), "role"), "police");
	json_decref(o);

	assert_int_equal(store_incident_access(f->st, id, helper, &ac), STORE_OK);
	assert_int_equal(ac.org_id, org);
	assert_int_equal(ac.tlp, TLP_AMBER);
	assert_true(ac.participant);
	assert_int_equal(store_incident_access(f->st, id, org, &ac), STORE_OK);
	assert_false(ac.participant);
	assert_int_equal(store_incident_access(f->st, 4242, org, &ac), STORE_ENOTFOUND);
	/* the same answers from the one read GET makes, with the record as text */
	check_incident_text(f->st, id, helper, &ac);
	assert_int_equal(ac.org_id, org);
	assert_int_equal(ac.tlp, TLP_AMBER);
	assert_true(ac.participant);
	check_incident_text(f->st, id, org, &ac);
	assert_false(ac.participant);
	{
		struct buf b;
		struct jsonw w;
		struct store_incident_head h;

		buf_init(&b, 1u << 16);
		jsonw_init(&w, &b);
		jsonw_object(&w);
		assert_int_equal(store_incident_write(f->st, 4242, org, &w, &h, &ac), STORE_ENOTFOUND);
		assert_int_equal(ac.org_id, 0);
		buf_free(&b);
	}

	upd = json_pack("{s:s, s:i, s:I, s:[], s:{s:s}, s:s, s:I}", "status", "closed", "tlp",
			TLP_RED, "closed_at", (json_int_t)(T0 + 3600), "systems", "form", "note", "xong",
			"flags", "overdue,escalated", "state_changed_at", (json_int_t)(T0 + 3600));
	assert_int_equal(store_incident_update(f->st, id, 2, upd), STORE_ECONFLICT);
	assert_int_equal(store_incident_update(f->st, id, 1, upd), STORE_OK);
	json_decref(upd);
	assert_int_equal(store_incident_state(f->st, id, status, sizeof status, &version), STORE_OK);
	assert_string_equal(status, "closed");
	assert_int_equal(version, 2);
	assert_int_equal(store_incident_get(f->st, id, &o), STORE_OK);
	assert_string_equal(jstr(o, "tlp"), "red");
	assert_string_equal(jstr(o, "closed_at"), "2026-11-21T02:30:00Z");
	assert_int_equal(json_array_size(json_object_get(o, "systems")), 0);
	assert_string_equal(jstr(json_object_get(o, "form"), "note"), "xong");
	assert_string_equal(jstr(o, "flags"), "overdue,escalated");
	assert_string_equal(jstr(o, "state_changed_at"), "2026-11-21T02:30:00Z");
	json_decref(o);
	check_incident_text(f->st, id, org, &ac); /* flags, a closing time, TLP:RED, no systems */
	upd = json_pack("{s:s}", "ref", "UC-2026-999999");
	assert_int_equal(store_incident_update(f->st, id, 0, upd), STORE_EINVAL);
	json_decref(upd);
	upd = json_pack("{s:s}", "status", "x");
	assert_int_equal(store_incident_update(f->st, 4242, 0, upd), STORE_ENOTFOUND);
	json_decref(upd);
}

/* Every subject sees in the list exactly the incidents access_incident() lets it read. */
static void check_scope_matches_access(struct store *st, const struct ac_subject *subj,
				       const int64_t *ids, size_t n, const int64_t *want,
				       size_t nwant)
{
	struct store_incident_filter flt = all_filter(200);
	struct ac_scope sc;
	json_t *list = NULL;
	int64_t next = -1;

	access_incident_scope(subj, &sc);
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(next, 0);
	assert_int_equal(json_array_size(list), nwant);
	for (size_t i = 0; i < nwant; i++)
		assert_int_equal(jint(json_array_get(list, i), "id"), want[i]);
	for (size_t k = 0; k < n; k++) {
		struct ac_incident ac;
		bool listed = false, may;

		assert_int_equal(store_incident_access(st, ids[k], subj->org_id, &ac), STORE_OK);
		may = access_incident(subj, &ac, AC_READ);
		for (size_t i = 0; i < json_array_size(list); i++)
			if (jint(json_array_get(list, i), "id") == ids[k])
				listed = true;
		assert_int_equal(listed, may);
	}
	json_decref(list);
}

static void test_incident_scope(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	int64_t c = mk_org(st, "c", "Điều phối", "coordinator", 0);
	int64_t s = mk_org(st, "s", "Cấp trên", "superior", 0);
	int64_t a = mk_org(st, "a", "Đơn vị A", "member", s), b = mk_org(st, "b", "B", "member", 0);
	int64_t p = mk_org(st, "p", "Công an", "police", 0), u = mk_user(st, a, "u", ROLE_REPORTER);
	int64_t id[9];
	struct ac_subject subj;

	id[0] = mk_incident(st, a, u, "A xanh", TLP_GREEN);
	id[1] = mk_incident(st, a, u, "A đỏ", TLP_RED);
	id[2] = mk_incident(st, b, u, "B hổ phách", TLP_AMBER);
	id[3] = mk_incident(st, b, u, "B đỏ", TLP_RED);
	id[4] = mk_incident(st, b, u, "B đỏ, điều phối tham gia", TLP_RED);
	id[5] = mk_incident(st, b, u, "B, công an tham gia", TLP_AMBER);
	id[6] = mk_incident(st, a, u, "A amber+strict", TLP_AMBER_STRICT);
	id[7] = mk_incident(st, c, u, "Điều phối", TLP_CLEAR);
	id[8] = mk_incident(st, s, u, "Cấp trên đỏ", TLP_RED);
	assert_int_equal(store_incident_add_org(st, id[4], c, "coordination"), STORE_OK);
	assert_int_equal(store_incident_add_org(st, id[5], p, "request"), STORE_OK);

	/* the coordinator: its own, and what it was named on (reported to it), whatever the TLP;
	 * an incident no one reported to it stays the unit's */
	subj = (struct ac_subject){.org_id = c, .roles = ROLE_OFFICER, .coordinator = true};
	check_scope_matches_access(st, &subj, id, 9, (int64_t[]){id[7], id[4]}, 2);
	/* a member's reporter: its own organisation, any TLP */
	subj = (struct ac_subject){.org_id = a, .org_role = ORG_MEMBER, .roles = ROLE_REPORTER};
	check_scope_matches_access(st, &subj, id, 9, (int64_t[]){id[6], id[1], id[0]}, 3);
	/* the superior's leader: its own and its units' below RED */
	subj = (struct ac_subject){.org_id = s, .org_role = ORG_SUPERIOR, .roles = ROLE_LEADER};
	check_scope_matches_access(st, &subj, id, 9, (int64_t[]){id[8], id[6], id[0]}, 3);
	/* the police, asked for help once */
	subj = (struct ac_subject){.org_id = p, .org_role = ORG_POLICE, .roles = ROLE_OFFICER};
	check_scope_matches_access(st, &subj, id, 9, (int64_t[]){id[5]}, 1);
	subj = (struct ac_subject){.org_id = b, .org_role = ORG_MEMBER, .roles = ROLE_OFFICER};
	check_scope_matches_access(st, &subj, id, 9,
				   (int64_t[]){id[5], id[4], id[3], id[2]}, 4);
	/* a superior with more units than the list gives an arm each: one shared walk instead */
	{
		int64_t big = mk_org(st, "big", "Cấp trên lớn", "superior", 0), unit = 0, bid[4];
		char code[16];

		for (int k = 0; k < 70; k++) {
			snprintf(code, sizeof code, "unit%d", k);
			unit = mk_org(st, code, code, "member", big);
			if (k == 3)
				bid[0] = mk_incident(st, unit, u, "Đơn vị 3", TLP_AMBER);
		}
		bid[1] = mk_incident(st, unit, u, "Đơn vị 69 đỏ", TLP_RED);
		bid[2] = mk_incident(st, unit, u, "Đơn vị 69", TLP_CLEAR);
		bid[3] = mk_incident(st, big, u, "Cấp trên lớn", TLP_RED);
		subj = (struct ac_subject){.org_id = big, .org_role = ORG_SUPERIOR,
					   .roles = ROLE_OFFICER};
		check_scope_matches_access(st, &subj, bid, 4, (int64_t[]){bid[3], bid[2], bid[0]},
					   3);
		check_scope_matches_access(st, &subj, id, 9, (int64_t[]){bid[3], bid[2], bid[0]},
					   3);
	}
	/* an administrator without incident roles: nothing */
	subj = (struct ac_subject){.org_id = c, .roles = ROLE_ADMIN, .coordinator = true};
	check_scope_matches_access(st, &subj, id, 9, NULL, 0);
}

static void test_incident_filters_and_paging(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	int64_t a = mk_org(st, "a", "A", "member", 0), b = mk_org(st, "b", "B", "member", 0);
	int64_t u = mk_user(st, a, "u", ROLE_REPORTER), ids[25], next = 0, seen = 0;
	struct ac_scope sc = {.org_id = a, .participations = true};
	struct store_incident_filter flt = all_filter(10);
	json_t *list = NULL, *row, *upd;
	size_t sizes[3] = {10, 10, 5};

	for (int i = 0; i < 25; i++) {
		ids[i] = mk_incident(st, a, u, "Sự cố", TLP_GREEN);
		mk_incident(st, b, u, "Sự cố khác", TLP_GREEN); /* interleaved, out of scope */
	}
	/* three pages, newest first, no row twice, the last page says so */
	for (int page = 0; page < 3; page++) {
		flt.before_id = next;
		assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
		assert_int_equal(json_array_size(list), sizes[page]);
		for (size_t i = 0; i < json_array_size(list); i++) {
			row = json_array_get(list, i);
			assert_int_equal(jint(row, "id"), ids[24 - seen]);
			assert_int_equal(jint(row, "org_id"), a);
			assert_string_equal(jstr(row, "org_name"), "A");
			assert_string_equal(jstr(row, "tlp"), "green");
			assert_true(json_is_false(json_object_get(row, "is_drill")));
			assert_null(json_object_get(row, "description"));
			seen++;
		}
		if (page < 2)
			assert_int_equal(next, ids[24 - seen + 1]);
		json_decref(list);
	}
	assert_int_equal(next, 0);
	assert_int_equal(seen, 25);

	/* filters */
	upd = json_pack("{s:s, s:s, s:i, s:b, s:I}", "status", "closed", "severity", "low",
			"severity_rank", 1, "is_drill", 1, "detected_at", (json_int_t)(T0 - 86400));
	assert_int_equal(store_incident_update(st, ids[3], 0, upd), STORE_OK);
	json_decref(upd);
	flt = all_filter(50);
	flt.status = "closed";
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(jint(json_array_get(list, 0), "id"), ids[3]);
	json_decref(list);
	flt = all_filter(50);
	flt.min_rank = 2;
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 24);
	json_decref(list);
	flt = all_filter(50);
	flt.drill = 0;
	flt.severity = "high";
	flt.grp = "malware";
	flt.org_id = a;
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 24);
	json_decref(list);
	flt = all_filter(50);
	flt.from = T0 - 86400;
	flt.to = T0;
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	flt = all_filter(50);
	flt.from = T0 - 10 * 86400; /* a range with no incident in it */
	flt.to = T0 - 5 * 86400;
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	flt = all_filter(50);
	flt.from = T0; /* open-ended */
	flt.before_id = ids[20];
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 19); /* ids[0..19] but ids[3] moved a day back */
	json_decref(list);
	flt = all_filter(50);
	flt.org_id = b; /* a filter never widens the scope */
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	flt = all_filter(0);
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_EINVAL);
	assert_null(list);
	flt = all_filter(201);
	assert_int_equal(store_incident_list(st, &sc, &flt, &list, &next), STORE_EINVAL);
}

static size_t search_count(struct store *st, const struct ac_scope *sc, const char *q)
{
	struct store_incident_filter flt = all_filter(50);
	json_t *list = NULL;
	int64_t next;
	size_t n;

	flt.q = q;
	assert_int_equal(store_incident_list(st, sc, &flt, &list, &next), STORE_OK);
	n = json_array_size(list);
	json_decref(list);
	return n;
}

static void test_incident_search(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	int64_t c = mk_org(st, "c", "C", "coordinator", 0), a = mk_org(st, "a", "A", "member", 0);
	int64_t u = mk_user(st, a, "u", ROLE_REPORTER), id, third;
	struct ac_scope all = {.org_id = c, .all_below_red = true, .participations = true};
	struct ac_scope own = {.org_id = c, .participations = true};
	json_t *upd, *inc;

	id = mk_incident(st, a, u, "Sự cố đăng nhập bất thường vào hệ thống thư điện tử",
			 TLP_GREEN);
	mk_incident(st, c, u, "Tấn công từ chối dịch vụ", TLP_GREEN);
	inc = inc_json(a, u, "Lộ lọt dữ liệu", TLP_GREEN, T0);
	json_object_set_new(inc, "impact", json_string("Ảnh hưởng đến Cổng thông tin điện tử"));
	json_object_set_new(inc, "form", json_pack("{s:s, s:[s]}", "ma_doc", "Emotet", "ips",
						   "192.0.2.7"));
	assert_int_equal(store_incident_create(st, inc, &third, NULL), STORE_OK);
	json_decref(inc);

	assert_int_equal(search_count(st, &all, "su co dang nhap"), 1);
	assert_int_equal(search_count(st, &all, "Sự Cố ĐĂNG NHẬP"), 1);
	/* the last word matches as a prefix from four letters on; shorter words match whole, so a
	 * short prefix costs no FTS5 prefix merge (sqlite_incident_list.c) */
	assert_int_equal(search_count(st, &all, "su co dang nhap"), 1);
	assert_int_equal(search_count(st, &all, "su dang"), 1);
	assert_int_equal(search_count(st, &all, "he thon"), 1);  /* 4 letters: "thong" */
	assert_int_equal(search_count(st, &all, "co dan"), 0);   /* 3 letters: a whole word */
	assert_int_equal(search_count(st, &all, "nhap dan"), 0);
	assert_int_equal(search_count(st, &all, "  thu   dien  "), 1);
	assert_int_equal(search_count(st, &all, "dien tu"), 2);      /* description and impact */
	assert_int_equal(search_count(st, &all, "emotet"), 1);       /* form values */
	assert_int_equal(search_count(st, &all, "192.0.2"), 1);
	assert_int_equal(search_count(st, &all, "uc-2026-000002"), 1); /* the reference */
	assert_int_equal(search_count(st, &all, "dang nhap tan cong"), 0); /* words are ANDed */
	assert_int_equal(search_count(st, &all, "khongco"), 0);
	/* FTS5 syntax typed by people is text, not operators, and never an error */
	assert_int_equal(search_count(st, &all, "NEAR(\"su\" co) OR -dang ^nhap *"), 0);
	assert_int_equal(search_count(st, &all, "\"su co\" \""), 1);
	assert_int_equal(search_count(st, &all, "--- ..."), 3); /* no word: no text filter */
	/* search stays inside the scope */
	assert_int_equal(search_count(st, &own, "su co"), 0);
	assert_int_equal(search_count(st, &own, "tan cong"), 1);

	/* re-indexed on update */
	upd = json_pack("{s:s}", "title", "Mã độc tống tiền");
	assert_int_equal(store_incident_update(st, id, 0, upd), STORE_OK);
	json_decref(upd);
	assert_int_equal(search_count(st, &all, "dang nhap"), 0);
	assert_int_equal(search_count(st, &all, "ma doc tong tien"), 1);
	upd = json_pack("{s:s}", "status", "closed");
	assert_int_equal(store_incident_update(st, id, 0, upd), STORE_OK);
	json_decref(upd);
	assert_int_equal(search_count(st, &all, "ma doc tong tien"), 1);
}

/* ---- journal, requests, attachments ---- */

/* The first telling of each role of incident inc, from store_told_list (what TOLD_FIRSTS_SQL
 * gives the incident's read). */
static int told_firsts(struct store *st, int64_t inc, int64_t *told)
{
	json_t *list = NULL, *v;
	size_t i;
	int rc = store_told_list(st, inc, &list);

	memset(told, 0, sizeof(int64_t) * ORG_ROLE_COUNT);
	json_array_foreach(list, i, v) {
		int r = codes_org_role_parse(json_string_value(json_object_get(v, "role")));
		int64_t at = 0;

		(void)tm_parse_iso(json_string_value(json_object_get(v, "told_at")), &at);
		if (r >= 0 && (told[r] == 0 || at < told[r]))
			told[r] = at;
	}
	json_decref(list);
	return rc;
}

static void test_journal_requests_attachments(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	int64_t a = mk_org(st, "a", "A", "member", 0), p = mk_org(st, "p", "Công an", "police", 0);
	int64_t u = mk_user(st, a, "u", ROLE_OFFICER), inc = mk_incident(st, a, u, "X", TLP_GREEN);
	int64_t j1, j2, r, att;
	json_t *data = json_pack("{s:s, s:s}", "from", "new", "to", "triage"), *list = NULL;
	json_t *req, *o = NULL;
	struct store_told letter = {.incident_id = inc, .org_id = p, .at = T0 + 5, .how = "letter",
				    .ref = "12/STTTT-CNTT", .recorded_by = u, .recorded_at = T0 + 60};
	int64_t told[ORG_ROLE_COUNT], tid;

	assert_int_equal(store_journal_add(st, inc, "status", u, a, "Tiếp nhận", data, &j1),
			 STORE_OK);
	json_decref(data);
	assert_int_equal(store_journal_add(st, inc, "escalation", 0, 0, "", NULL, &j2), STORE_OK);
	assert_int_equal(store_journal_add(st, 4242, "comment", u, a, "x", NULL, NULL), STORE_EINVAL);
	assert_int_equal(store_journal_list(st, inc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	o = json_array_get(list, 0);
	assert_int_equal(jint(o, "id"), j1);
	assert_string_equal(jstr(o, "author_name"), "Nguyễn Văn An");
	assert_string_equal(jstr(o, "org_name"), "A");
	assert_string_equal(jstr(json_object_get(o, "data"), "to"), "triage");
	assert_true(json_is_string(json_object_get(o, "created_at")));
	o = json_array_get(list, 1);
	assert_int_equal(jint(o, "id"), j2);
	assert_true(json_is_null(json_object_get(o, "author_id")));
	assert_true(json_is_null(json_object_get(o, "author_name")));
	assert_true(json_is_object(json_object_get(o, "data")));
	json_decref(list);
	/* who was told, and when (migration 015): a notification about the incident tells its
	 * organisation with the role it holds then; a letter recorded by a person tells too; the
	 * first telling of each role counts */
	assert_int_equal(told_firsts(st, inc, told), STORE_OK);
	assert_int_equal(told[ORG_POLICE], 0);
	assert_int_equal(store_outbox_add(st, "request", p, inc, 0, T0 + 10), STORE_OK);
	assert_int_equal(told_firsts(st, inc, told), STORE_OK);
	assert_int_equal(told[ORG_POLICE], T0 + 10);
	assert_int_equal(told[ORG_COORDINATOR], 0);
	assert_int_equal(store_told_add(st, &letter, &tid), STORE_OK);
	assert_int_equal(told_firsts(st, inc, told), STORE_OK);
	assert_int_equal(told[ORG_POLICE], T0 + 5);
	/* the police holding the coordinator role (a handover): told from then as coordinator */
	assert_int_equal(store_meta_set(st, "coordinator_org_id", "2"), STORE_OK);
	assert_int_equal(p, 2);
	assert_int_equal(store_outbox_add(st, "escalation", p, inc, 0, T0 + 20), STORE_OK);
	assert_int_equal(told_firsts(st, inc, told), STORE_OK);
	assert_int_equal(told[ORG_COORDINATOR], T0 + 20);
	assert_int_equal(told[ORG_POLICE], T0 + 5);
	/* a per-person copy of a notification tells nobody new; no organisation, nothing told */
	letter.org_id = 4242;
	assert_int_equal(store_told_add(st, &letter, &tid), STORE_ENOTFOUND);
	assert_int_equal(store_told_list(st, inc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 3);
	o = json_array_get(list, 0);
	assert_string_equal(jstr(o, "how"), "letter");
	assert_string_equal(jstr(o, "ref"), "12/STTTT-CNTT");
	assert_string_equal(jstr(o, "role"), "police");
	assert_true(json_is_string(json_object_get(o, "told_at")));
	assert_true(json_is_null(json_object_get(o, "event")));
	assert_string_equal(jstr(json_array_get(list, 1), "event"), "request");
	assert_string_equal(jstr(json_array_get(list, 2), "role"), "coordinator");
	json_decref(list);
	assert_int_equal(told_firsts(st, 4242, told), STORE_OK);
	assert_int_equal(told[ORG_POLICE], 0);

	req = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "incident_id", (json_int_t)inc,
			"from_org_id", (json_int_t)a, "to_org_id", (json_int_t)p, "kind", "assist",
			"body", "Đề nghị hỗ trợ", "status", "open", "due_at", (json_int_t)(T0 + 7200),
			"created_by", (json_int_t)u);
	assert_int_equal(store_request_create(st, req, &r), STORE_OK);
	json_decref(req);
	assert_int_equal(store_request_get(st, r, &o), STORE_OK);
	assert_string_equal(jstr(o, "from_name"), "A");
	assert_string_equal(jstr(o, "to_name"), "Công an");
	assert_string_equal(jstr(o, "due_at"), "2026-11-21T03:30:00Z");
	assert_true(json_is_null(json_object_get(o, "answered_by")));
	assert_true(json_is_null(json_object_get(o, "answered_at")));
	json_decref(o);
	assert_int_equal(store_request_answer(st, r, "answered", "Đã xử lý", u, T0 + 60), STORE_OK);
	assert_int_equal(store_request_answer(st, 4242, "answered", "", u, T0), STORE_ENOTFOUND);
	assert_int_equal(store_request_list(st, inc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	o = json_array_get(list, 0);
	assert_string_equal(jstr(o, "status"), "answered");
	assert_int_equal(jint(o, "answered_by"), u);
	assert_string_equal(jstr(o, "answered_at"), "2026-11-21T01:31:00Z");
	json_decref(list);

	assert_int_equal(store_attachment_add(st, inc, "ab12", "log.txt", "text/plain", 42, u, &att),
			 STORE_OK);
	assert_int_equal(store_attachment_get(st, att, &o), STORE_OK);
	assert_string_equal(jstr(o, "sha256"), "ab12");
	assert_int_equal(jint(o, "size"), 42);
	assert_int_equal(jint(o, "uploaded_by"), u);
	json_decref(o);
	assert_int_equal(store_attachment_get(st, 4242, &o), STORE_ENOTFOUND);
	assert_int_equal(store_attachment_list(st, inc, &list), STORE_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
}

/* ---- audit ---- */

static void audit_add(struct store *st, int64_t user, const char *action, int64_t oid,
		      json_t *before, json_t *after, int64_t at)
{
	struct store_audit e = {.user_id = user, .username = user ? "an" : "", .ip = "10.0.0.1",
				.action = action, .object_type = "incident", .object_id = oid,
				.before = before, .after = after};

	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_audit_append(st, &e, at), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	json_decref(before);
	json_decref(after);
}

static void test_audit_chain(void **state)
{
	struct fx *f = *state;
	struct store *st = f->st;
	struct store_audit e = {.action = "login"};
	int64_t bad = -1, count = -1, next = -1;
	json_t *list = NULL, *row;

	/* an append outside a transaction could fork the chain */
	assert_int_equal(store_audit_append(st, &e, T0), STORE_EINVAL);
	assert_int_equal(store_audit_verify(st, &bad, &count), STORE_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, 0);

	audit_add(st, 0, "login_failed", 0, NULL, NULL, T0);
	audit_add(st, 7, "incident.create", 1, NULL, json_pack("{s:s, s:i}", "z", "Sự cố", "a", 1),
		  T0 + 1);
	audit_add(st, 7, "incident.update", 1, json_pack("{s:s}", "status", "new"),
		  json_pack("{s:s}", "status", "closed"), T0 + 2);
	audit_add(st, 7, "incident.update", 2, NULL, NULL, T0 + 3);
	assert_int_equal(store_audit_verify(st, &bad, &count), STORE_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(count, 4);

	/* rows out: newest first, JSON embedded, sorted keys kept, times as ISO */
	assert_int_equal(store_audit_list(st, 0, 2, NULL, 0, 0, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(jint(json_array_get(list, 0), "id"), 4);
	assert_int_equal(next, 3);
	json_decref(list);
	assert_int_equal(store_audit_list(st, next, 2, NULL, 0, 0, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(next, 0);
	row = json_array_get(list, 1);
	assert_int_equal(jint(row, "id"), 1);
	assert_true(json_is_null(json_object_get(row, "user_id")));
	assert_true(json_is_null(json_object_get(row, "after")));
	assert_string_equal(jstr(row, "at"), T0_ISO);
	assert_string_equal(jstr(row, "prev_hash"),
			    "0000000000000000000000000000000000000000000000000000000000000000");
	row = json_array_get(list, 0);
	assert_string_equal(jstr(json_object_get(row, "after"), "z"), "Sự cố");
	json_decref(list);
	assert_int_equal(store_audit_list(st, 0, 10, "incident", 1, 7, &list, &next), STORE_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(store_audit_list(st, 0, 0, NULL, 0, 0, &list, &next), STORE_EINVAL);

	/* a changed field names its row */
	raw_exec(f, "UPDATE audit SET after = '{\"a\":1,\"z\":\"Su co\"}' WHERE id = 2");
	assert_int_equal(store_audit_verify(st, &bad, &count), STORE_OK);
	assert_int_equal(bad, 2);
	assert_int_equal(count, 4);
	raw_exec(f, "UPDATE audit SET after = '{\"a\":1,\"z\":\"Sự cố\"}' WHERE id = 2");
	assert_int_equal(store_audit_verify(st, &bad, &count), STORE_OK);
	assert_int_equal(bad, 0);
	raw_exec(f, "UPDATE audit SET at = at + 1 WHERE id = 3");
	assert_int_equal(store_audit_verify(st, &bad, &count), STORE_OK);
	assert_int_equal(bad, 3);
	raw_exec(f, "UPDATE audit SET at = at - 1 WHERE id = 3");
	/* a deleted row breaks the link of the next one */
	raw_exec(f, "DELETE FROM audit WHERE id = 2");
	assert_int_equal(store_audit_verify(st, &bad, &count), STORE_OK);
	assert_int_equal(bad, 3);
	assert_int_equal(count, 3);
}

/* ---- idempotency ---- */

static void test_idempotency(void **state)
{
	struct fx *f = *state;
	char location[256], hash[65], *body = NULL;
	int status = -1;

	assert_int_equal(store_idem_get(f->st, 7, "k1", &status, &body, location, hash),
			 STORE_ENOTFOUND);
	assert_null(body);
	assert_int_equal(store_idem_put(f->st, 7, "k1", "abcd", 201, "/api/v1/incidents/5",
					"{\"id\":5}", T0), STORE_OK);
	assert_int_equal(store_idem_put(f->st, 7, "k1", "abcd", 201, "", "{}", T0), STORE_ECONFLICT);
	assert_int_equal(store_idem_put(f->st, 8, "k1", "ef", 200, "", "{}", T0), STORE_OK);
	assert_int_equal(store_idem_get(f->st, 7, "k1", &status, &body, location, hash), STORE_OK);
	assert_int_equal(status, 201);
	assert_string_equal(body, "{\"id\":5}");
	assert_string_equal(location, "/api/v1/incidents/5");
	assert_string_equal(hash, "abcd");
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_migrate_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_synchronous_full_by_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing_without_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_migration_applied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transaction_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_crud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_crud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_deactivate_kills_sessions_tokens, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_system_crud_and_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incident_crud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incident_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incident_filters_and_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incident_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_requests_attachments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotency, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
