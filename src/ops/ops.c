/* ops.c - what every operation shares: refusals, store errors, the audit entry. */
#include <stdarg.h>
#include <stdio.h>

#include "core/cite.h"
#include "core/codes.h"
#include "store/msg_json.h"
#include "util/str.h"

#include "ops.h"

int ops_refuse_args(struct ops_err *err, int status, const char *title, const char *field,
		    enum msg_id id, const struct msg_arg *a, size_t n)
{
	err->status = status;
	err->title = title;
	err->store_rc = STORE_OK;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	msg_bind(&err->msg, id, a, n);
	return OPS_EREFUSED;
}

int ops_refuse_msg(struct ops_err *err, int status, const char *title, const char *field,
		   const struct msg *m)
{
	(void)ops_refuse_args(err, status, title, field, M_none, NULL, 0);
	err->msg = *m;
	return OPS_EREFUSED;
}

int ops_version_check(int64_t if_version, int64_t version, struct ops_err *err)
{
	if (if_version == 0 || if_version == version)
		return OPS_OK;
	return ops_refuse(err, 412, "Precondition failed", NULL, M_version_changed,
			  MN("version", version));
}

int ops_store(struct ops_err *err, int store_rc)
{
	if (store_rc == STORE_OK)
		return OPS_OK;
	err->status = 0;
	err->title = NULL;
	err->field[0] = '\0';
	msg_set(&err->msg, M_none);
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

int ops_ctx_machine(struct ops_ctx *c, struct store *st, const struct preset *p,
		    enum ops_channel channel, const char *username, int64_t now,
		    struct ops_err *err)
{
	char v[32];
	int64_t coord = 0;
	int rc = store_meta_get(st, "coordinator_org_id", v, sizeof v);

	if (rc == STORE_OK && str_to_i64(v, 1, INT64_MAX, &coord) != 0)
		rc = STORE_EIO;
	*c = (struct ops_ctx){
		.st = st,
		.preset = p,
		.actor = {.subject = {.org_id = coord, .org_role = ORG_COORDINATOR,
				      .roles = ROLE_ALL, .coordinator = true},
			  .machine = true,
			  .username = username,
			  .ip = "local"},
		.now = now,
		.channel = channel,
	};
	return ops_store(err, rc);
}

bool ops_may(const struct ops_ctx *c, bool allowed)
{
	return allowed || c->actor.machine;
}

int ops_audit_record(const struct ops_ctx *c, int rc, const char *action, const char *object_type,
		     int64_t object_id, const json_t *before, json_t *rec, json_t **after)
{
	if (rc == STORE_OK)
		rc = ops_audit(c, action, object_type, object_id, before, rec);
	if (rc == STORE_OK && after) {
		*after = rec;
		rec = NULL;
	}
	json_decref(rec);
	return rc;
}

void ops_cite(const struct preset *p, json_t *obj, const char *src)
{
	char vi[CITE_MAX], en[CITE_MAX];

	if (obj == NULL || src == NULL || src[0] == '\0')
		return;
	(void)cite_str(p, src, CITE_VI, vi, sizeof vi);
	(void)cite_str(p, src, CITE_EN, en, sizeof en);
	json_object_set_new(obj, "citation_vi", json_string(vi));
	json_object_set_new(obj, "citation_en", json_string(en));
}

int ops_words(const struct preset *p, const json_t *obj, enum msg_lang lang, char *out,
	      size_t cap)
{
	const char *src = json_string_value(json_object_get(obj, "source"));
	char vi[CITE_MAX] = "", en[CITE_MAX] = "";
	struct msg_arg cited[] = {MSV("citation", vi, en)};
	struct msg m;

	if (cap > 0)
		out[0] = '\0';
	if (src != NULL && src[0] != '\0' && p != NULL) {
		(void)cite_str(p, src, CITE_VI, vi, sizeof vi);
		(void)cite_str(p, src, CITE_EN, en, sizeof en);
	}
	if (msg_json_get(obj, cited, 1, &m) != 0)
		return -1;
	(void)msg_render(&m, lang, out, cap);
	return 0;
}
