/* backup.h - what the instance's backups record in its database (ops/backup.c, docs/backup.md):
 * a restore test (001 Đ12.6) and the day of the server's daily backup. The copying, hashing and
 * restoring is jobs/backup.c's and writes nothing here. */
#ifndef UNGCUU_OPS_BACKUP_H
#define UNGCUU_OPS_BACKUP_H
#include "ops.h"

/* Records a restore test run at tested_at: the actor may administer the backups (admins, or
 * the machine: 403). A sound one is the instance's last restore test (meta
 * backup_restore_tested_at) and is audited "backup.restore_test"; one that failed proves
 * nothing and is audited "backup.restore_test_failed". after (not stolen): the audit's
 * record of it. OPS_OK, OPS_EREFUSED or OPS_ESTORE. */
int ops_backup_restore_test(const struct ops_ctx *c, bool sound, int64_t tested_at,
			    const json_t *after, struct ops_err *err);

/* The server's daily backup of `day` ("yyyy-mm-dd", Vietnam time) is being made: *due is false
 * when that day's was made already, else it is recorded (meta backup_last_day) before the copy,
 * so a backup that fails is retried the next day, not every round. The machine's only (403). */
int ops_backup_daily(const struct ops_ctx *c, const char *day, bool *due, struct ops_err *err);

#endif
