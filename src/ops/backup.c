/* backup.c - what the backups write in the live database: the restore test the regulation asks
 * for every 6 months (001 Đ12.6), from the API and `ungcuu backup verify --restore-test`, and the
 * day of the server's daily backup. */
#include <stdio.h>
#include <string.h>

#include "backup.h"

int ops_backup_restore_test(const struct ops_ctx *c, bool sound, int64_t tested_at,
			    const json_t *after, struct ops_err *err)
{
	char stamp[32];
	int rc = STORE_OK;

	if (!ops_may(c, access_backup(&c->actor.subject, AC_ADMIN)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_admins_only);
	if (sound) {
		snprintf(stamp, sizeof stamp, "%lld", (long long)tested_at);
		rc = store_meta_set(c->st, "backup_restore_tested_at", stamp);
	}
	if (rc == STORE_OK)
		rc = ops_audit(c, sound ? "backup.restore_test" : "backup.restore_test_failed",
			       "backup", 0, NULL, after);
	return ops_store(err, rc);
}

int ops_backup_daily(const struct ops_ctx *c, const char *day, bool *due, struct ops_err *err)
{
	char last[16] = "";
	int rc;

	*due = false;
	if (!ops_may(c, false))
		return ops_refuse(err, 403, "Forbidden", NULL, M_job_thread_only);
	rc = store_meta_get(c->st, "backup_last_day", last, sizeof last);
	if (rc == STORE_OK && strcmp(last, day) == 0)
		return OPS_OK;
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		return ops_store(err, rc);
	*due = true;
	return ops_store(err, store_meta_set(c->st, "backup_last_day", day));
}
