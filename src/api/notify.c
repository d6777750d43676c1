/* notify.c - the caller's own notification preferences (docs/mail.md, core/notify.h):
 * GET/PUT /api/v1/me/notifications, with ETag/If-Match like every update. The preset's minimum
 * (events some people must get at once) cannot be lowered: such a PUT is a 422 naming the event
 * and its legal source. */
#include <string.h>

#include "api.h"
#include "core/notify.h"

/* The caller's preferences: every event with its mode, whether it is required (and why). */
static json_t *prefs_json(const struct ac_subject *s, const json_t *stored, int64_t version)
{
	const struct preset *p = api_preset();
	json_t *events = json_array();

	for (size_t i = 0; events && i < NOTIFY_NEVENTS; i++) {
		const char *ev = notify_events[i];
		const struct preset_notify_rule *r =
			notify_required(p, ev, s->org_role, s->coordinator, s->roles);
		enum notify_mode def = notify_default(p, ev, s->org_role, s->coordinator, s->roles),
				 m = def;
		const char *chosen = json_string_value(json_object_get(stored, ev));

		if (r != NULL)
			m = NOTIFY_IMMEDIATE;
		else if (chosen != NULL && notify_mode_parse(chosen, &m) != 0)
			m = def;
		json_array_append_new(events,
				      json_pack("{s:s, s:s, s:s, s:b, s:s?}", "event", ev, "mode",
						notify_mode_name(m), "default", notify_mode_name(def),
						"required", r != NULL, "source", r ? r->source : NULL));
	}
	return json_pack("{s:o, s:[sss], s:I}", "events", events, "modes", "immediate", "digest",
			 "off", "version", (json_int_t)version);
}

int api_notify_get(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *stored = NULL;
	int64_t version;
	int rc = store_notify_get(api_store(), cx->user.id, &stored, &version);

	if (rc != STORE_OK)
		return api_store_error(res, rc);
	api_etag(res, version);
	rc = http_res_json(res, 200, prefs_json(&cx->subject, stored, version));
	json_decref(stored);
	return rc;
}

/* Checks the body {"events": {event: mode}}; 422 (res set) and -1 when it is not acceptable. */
static int check_body(const struct ac_subject *s, const json_t *in, struct http_res *res,
		      json_t **modes)
{
	json_t *ev = json_object_get(in, "events"), *v;
	const char *key;

	*modes = NULL;
	if (!json_is_object(ev) || json_object_size(ev) == 0 ||
	    json_object_size(ev) > NOTIFY_NEVENTS) {
		http_res_problem(res, 422, "Invalid field", "events",
				 "Cần một đối tượng {sự kiện: chế độ} / an object {event: mode} is "
				 "required");
		return -1;
	}
	json_object_foreach(ev, key, v) {
		enum notify_mode m;
		const struct preset_notify_rule *r;

		if (!notify_event_ok(key)) {
			http_res_problem(res, 422, "Invalid field", "events",
					 "Sự kiện không tồn tại / unknown event (%.40s)", key);
			return -1;
		}
		if (!json_is_string(v) || notify_mode_parse(json_string_value(v), &m) != 0) {
			http_res_problem(res, 422, "Invalid field", "events",
					 "Chế độ của %s phải là immediate, digest hoặc off / the mode "
					 "of %s must be immediate, digest or off",
					 key, key);
			return -1;
		}
		r = notify_required(api_preset(), key, s->org_role, s->coordinator, s->roles);
		if (r != NULL && m != NOTIFY_IMMEDIATE) {
			http_res_problem(res, 422, "Notification required", "events",
					 "Không được tắt thông báo '%s': quy chế yêu cầu báo ngay (%s) / "
					 "the notification '%s' cannot be switched off: the regulation "
					 "requires it at once (%s)",
					 key, r->source, key, r->source);
			return -1;
		}
	}
	*modes = ev;
	return 0;
}

int api_notify_put(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"events", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *modes, *stored = NULL, *before = NULL, *after = NULL;
	int64_t version = 0;
	struct api_tx tx;
	int rc;

	if (http_json_body(req, res, &in) != 0)
		return 0;
	if (http_json_only(in, allowed, res) != 0 || check_body(&cx->subject, in, res, &modes) != 0)
		goto out;
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	rc = store_notify_get(tx.st, cx->user.id, &stored, &version);
	if (rc == STORE_OK && api_if_match(req, res, version) != 0) {
		api_tx_abort(&tx);
		goto out;
	}
	if (rc == STORE_OK) {
		before = prefs_json(&cx->subject, stored, version);
		rc = store_notify_set(tx.st, cx->user.id, version, modes);
	}
	json_decref(stored);
	stored = NULL;
	if (rc == STORE_OK)
		rc = store_notify_get(tx.st, cx->user.id, &stored, &version);
	if (rc == STORE_OK) {
		after = prefs_json(&cx->subject, stored, version);
		rc = api_audit(req, "user.notifications", "user", cx->user.id, before, after);
	}
	if (rc != STORE_OK) {
		api_tx_abort(&tx);
		api_store_error(res, rc);
		goto out;
	}
	api_etag(res, version);
	http_res_json(res, 200, after);
	after = NULL;
	api_tx_commit(&tx, req, res);
out:
	json_decref(in);
	json_decref(stored);
	json_decref(before);
	json_decref(after);
	return 0;
}
