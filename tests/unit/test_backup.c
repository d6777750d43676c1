/* test_backup.c - the pure parts of jobs/backup.c the API leans on: backup names (the only thing a
 * client may name), the daily settings, and when a restore test is overdue (001 Đ12.6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jobs/backup.h"
#include "ops/backup.h"
#include "util/tm.h"

static void test_names(void **state)
{
	static const char *const good[] = {"20261121T163122Z", "20261121T163122Z-2",
					   "20261121T163122Z-99", "00000000T000000Z"};
	static const char *const bad[] = {
		"", ".", "..", "../20261121T163122Z", "20261121T163122Z/..", "20261121T163122Z.partial",
		"20261121T163122Z-1", "20261121T163122Z-0", "20261121T163122Z-100",
		"20261121T163122Z-", "20261121T163122Z-02", "20261121T163122", "20261121t163122z",
		"2026112XT163122Z", "20261121T163122Z ", " 20261121T163122Z", "20261121T163122Z\n",
		"/20261121T163122Z", "20261121T1631220Z", "backups"};

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(backup_name_ok(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (backup_name_ok(bad[i]))
			fail_msg("accepted: '%s'", bad[i]);
	}
	assert_false(backup_name_ok(NULL));
}

static void test_settings(void **state)
{
	struct backup_settings s;

	(void)state;
	unsetenv("UNGCUU_BACKUP_HOUR");
	unsetenv("UNGCUU_BACKUP_KEEP");
	assert_int_equal(backup_settings_get(&s), 0);
	assert_true(s.enabled);
	assert_int_equal(s.hour, 1);
	assert_int_equal(s.keep, 14);
	setenv("UNGCUU_BACKUP_HOUR", "23", 1);
	setenv("UNGCUU_BACKUP_KEEP", "3", 1);
	assert_int_equal(backup_settings_get(&s), 0);
	assert_true(s.enabled && s.hour == 23 && s.keep == 3);
	setenv("UNGCUU_BACKUP_HOUR", "off", 1);
	assert_int_equal(backup_settings_get(&s), 0);
	assert_false(s.enabled);
	setenv("UNGCUU_BACKUP_HOUR", "24", 1);
	assert_int_equal(backup_settings_get(&s), -1);
	assert_false(s.enabled);
	setenv("UNGCUU_BACKUP_HOUR", "2", 1);
	setenv("UNGCUU_BACKUP_KEEP", "0", 1);
	assert_int_equal(backup_settings_get(&s), -1);
	unsetenv("UNGCUU_BACKUP_HOUR");
	unsetenv("UNGCUU_BACKUP_KEEP");
}

static bool overdue(struct store *st, int64_t now)
{
	json_t *j = NULL;
	bool v;

	assert_int_equal(backup_state(st, now, &j), STORE_OK);
	v = json_is_true(json_object_get(j, "restore_test_overdue"));
	json_decref(j);
	return v;
}

static void test_overdue_after_six_calendar_months(void **state)
{
	char dir[64] = "/tmp/test_backup.XXXXXX", v[32];
	struct store *st = NULL;
	struct ops_ctx c;
	struct ops_err err;
	json_t *j = NULL;
	/* tested 31 Aug 2026 10:00 Vietnam time: due by 28 Feb 2027 10:00 (the shorter month) */
	int64_t tested = tm_vn_midnight(2026, 8, 31) + 10 * 3600;
	int64_t due = tm_vn_midnight(2027, 2, 28) + 10 * 3600;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(dir, STORE_CREATE, &st), STORE_OK);
	/* the machine records it (ops/backup.c); a new database has no coordinator yet */
	c = (struct ops_ctx){.st = st, .actor = {.machine = true, .username = "test", .ip = "local"},
			     .now = tested, .channel = OPS_CLI};
	assert_true(overdue(st, tested)); /* never tested */
	assert_int_equal(backup_state(st, tested, &j), STORE_OK);
	assert_true(json_is_null(json_object_get(j, "restore_tested_at")));
	assert_true(json_is_null(json_object_get(j, "last_daily_backup")));
	json_decref(j);
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(ops_backup_restore_test(&c, true, tested, NULL, &err), OPS_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_meta_get(st, "backup_restore_tested_at", v, sizeof v), STORE_OK);
	assert_false(overdue(st, tested));
	assert_false(overdue(st, due));
	assert_true(overdue(st, due + 1));
	assert_int_equal(backup_state(st, due, &j), STORE_OK);
	assert_string_equal(json_string_value(json_object_get(j, "restore_tested_at")),
			    "2026-08-31T03:00:00Z");
	json_decref(j);
	store_close(st);
	assert_int_equal(backup_remove(dir), 0);
}

/* The daily backup runs in its hour, never because the server starts at another one: a copy of
 * a large database would compete with the first users of the day (issue 13). */
static void test_daily_backup_only_in_its_hour(void **state)
{
	char dir[64] = "/tmp/test_backup.XXXXXX", last[16] = "";
	struct store *st = NULL;
	int64_t day = tm_vn_midnight(2026, 12, 31);

	(void)state;
	unsetenv("UNGCUU_BACKUP_HOUR");
	unsetenv("UNGCUU_BACKUP_KEEP");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(dir, STORE_CREATE, &st), STORE_OK);
	/* a server started at 10:00 and 23:59 on 31/12: not the hour (01:00 by default) */
	assert_int_equal(backup_daily(st, dir, day + 10 * 3600), 0);
	assert_int_equal(backup_daily(st, dir, day + 23 * 3600 + 59 * 60), 0);
	assert_int_equal(store_meta_get(st, "backup_last_day", last, sizeof last), STORE_ENOTFOUND);
	/* 00:59: not yet; 01:20 on 1/1: the backup, once */
	assert_int_equal(backup_daily(st, dir, day + 86400 + 59 * 60), 0);
	assert_int_equal(backup_daily(st, dir, day + 86400 + 3600 + 20 * 60), 1);
	assert_int_equal(backup_daily(st, dir, day + 86400 + 3600 + 40 * 60), 0);
	assert_int_equal(store_meta_get(st, "backup_last_day", last, sizeof last), STORE_OK);
	assert_string_equal(last, "2027-01-01");
	/* the hour set to 23: 23:05 runs, 22:59 does not */
	setenv("UNGCUU_BACKUP_HOUR", "23", 1);
	assert_int_equal(backup_daily(st, dir, day + 86400 * 2 + 22 * 3600 + 59 * 60), 0);
	assert_int_equal(backup_daily(st, dir, day + 86400 * 2 + 23 * 3600 + 5 * 60), 1);
	unsetenv("UNGCUU_BACKUP_HOUR");
	store_close(st);
	assert_int_equal(backup_remove(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_overdue_after_six_calendar_months),
		cmocka_unit_test(test_daily_backup_only_in_its_hour),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
