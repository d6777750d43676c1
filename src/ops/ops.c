/* ops.c - what every operation shares: refusals, store errors, the audit entry. */
#include <stdarg.h>
#include <stdio.h>

#include "ops.h"

const char *ops_channel_name(enum ops_channel c)
{
	static const char *const names[] = {"web", "token", "cli", "mail", "job", "demo"};

	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

int ops_refuse(struct ops_err *err, int status, const char *title, const char *field,
	       const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	err->title = title;
	err->store_rc = STORE_OK;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof err->detail, fmt, ap);
	va_end(ap);
	return OPS_EREFUSED;
}

int ops_store(struct ops_err *err, int store_rc)
{
	if (store_rc == STORE_OK)
		return OPS_OK;
	err->status = 0;
	err->title = NULL;
	err->field[0] = err->detail[0] = '\0';
	err->store_rc = store_rc;
	return OPS_ESTORE;
}

int ops_audit(const struct ops_ctx *c, const char *action, const char *object_type,
	      int64_t object_id, const json_t *before, const json_t *after)
{
	struct store_audit e = {
		.user_id = c->actor.user_id,
		.username = c->actor.username ? c->actor.username : "",
		.ip = c->actor.ip ? c->actor.ip : "",
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.before = before,
		.after = after,
	};

	return store_audit_append(c->st, &e, c->now);
}
