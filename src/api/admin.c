/* admin.c - switching the regulation in force and handing the coordinator role to another
 * organisation on a live instance (the 2025 reform moved it from the DIC to the police): open
 * incidents and pending requests are re-routed, history stays, the change is audited. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "util/embed.h"
#include "util/str.h"
#include "util/tm.h"

#define MAX_RETIRED 64

static pthread_mutex_t retired_lock = PTHREAD_MUTEX_INITIALIZER;
static struct preset *retired[MAX_RETIRED];
static size_t nretired;

void api_preset_swap(struct preset *p)
{
	struct preset *old = atomic_exchange(&api_env.preset, p);

	if (old == NULL)
		return;
	pthread_mutex_lock(&retired_lock);
	if (nretired < MAX_RETIRED)
		retired[nretired++] = old; /* past the cap it leaks: 64 switches in one run */
	pthread_mutex_unlock(&retired_lock);
}

void api_preset_free_all(void)
{
	preset_free(atomic_exchange(&api_env.preset, NULL));
	pthread_mutex_lock(&retired_lock);
	for (size_t i = 0; i < nretired; i++)
		preset_free(retired[i]);
	nretired = 0;
	pthread_mutex_unlock(&retired_lock);
}

const struct preset *api_preset(void)
{
	return api_env.preset;
}

static int resolve_embedded(void *ctx, const char *name, const char **text, size_t *len)
{
	(void)ctx;
	return embed_preset(name, text, len);
}

/* Loads a compiled-in preset and saves the texts of its chain in the database. */
static int load_and_save(struct store *st, const char *name, struct preset **out, char *why,
			 size_t whysz)
{
	struct preset_err err = {0};
	const char *text;
	size_t len;

	if (embed_preset(name, &text, &len) != 0) {
		snprintf(why, whysz, "Không có quy chế '%s' / no preset named '%s'", name, name);
		return -1;
	}
	if (preset_parse(name, text, len, resolve_embedded, NULL, out, &err) != 0) {
		snprintf(why, whysz, "Quy chế '%s' lỗi ở %s:%d: %s / preset invalid", name, err.file,
			 err.line, err.msg);
		return -1;
	}
	for (size_t i = 0; i < (*out)->nchain; i++)
		if (embed_preset((*out)->chain[i], &text, &len) != 0 ||
		    store_preset_put(st, (*out)->chain[i], text, len) != STORE_OK) {
			snprintf(why, whysz, "Không lưu được quy chế / could not save the preset");
			preset_free(*out);
			*out = NULL;
			return -1;
		}
	return store_meta_set(st, "preset", name) == STORE_OK ? 0 : -1;
}

static int64_t meta_int(struct store *st, const char *key)
{
	char v[32];
	int64_t n = 0;

	if (store_meta_get(st, key, v, sizeof v) == STORE_OK)
		str_to_i64(v, 0, INT64_MAX, &n);
	return n;
}

static int bump_serial(struct store *st)
{
	char v[32];

	snprintf(v, sizeof v, "%lld", (long long)(meta_int(st, "preset_serial") + 1));
	return store_meta_set(st, "preset_serial", v);
}

int api_handover_apply(struct store *st, const char *name, int64_t new_coord, const char *note,
		       struct preset **loaded, json_t **out, char *why, size_t whysz)
{
	const struct preset *p = api_env.preset;
	const char *finals[PRESET_MAX_ITEMS];
	int64_t old_coord = meta_int(st, "coordinator_org_id"), incidents = 0, requests = 0,
		superseded = 0;
	size_t nfinal = 0;
	char role[32], text[1024];
	int64_t parent;

	*loaded = NULL;
	*out = NULL;
	if (new_coord && store_org_role(st, new_coord, role, sizeof role, &parent) != STORE_OK) {
		snprintf(why, whysz, "Đơn vị %lld không tồn tại / no organisation %lld",
			 (long long)new_coord, (long long)new_coord);
		return -1;
	}
	if (name && load_and_save(st, name, loaded, why, whysz) != 0)
		return -1;
	if (*loaded)
		p = *loaded;
	for (size_t i = 0; i < p->nstates; i++)
		if (p->states[i].final)
			finals[nfinal++] = p->states[i].code;
	if (new_coord && new_coord != old_coord) {
		snprintf(text, sizeof text,
			 "Chuyển vai trò cơ quan điều phối sang đơn vị %lld%s%s / coordinator role "
			 "handed to organisation %lld",
			 (long long)new_coord, note && note[0] ? ": " : "", note ? note : "",
			 (long long)new_coord);
		if (store_handover(st, old_coord, new_coord, finals, nfinal, text, tm_now(), &incidents,
				   &requests, &superseded) != STORE_OK)
			goto fail;
	}
	if (bump_serial(st) != STORE_OK)
		goto fail;
	*out = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "preset", p->name, "coordinator_org_id",
			 (json_int_t)(new_coord ? new_coord : old_coord), "previous_coordinator_org_id",
			 (json_int_t)old_coord, "incidents_rerouted", (json_int_t)incidents,
			 "requests_rerouted", (json_int_t)requests, "requests_superseded",
			 (json_int_t)superseded);
	return 0;
fail:
	snprintf(why, whysz, "Lỗi lưu trữ / storage error");
	preset_free(*loaded);
	*loaded = NULL;
	return -1;
}

int api_admin_handover(struct http_req *req, struct http_res *res)
{
	static const char *const allowed[] = {"preset", "coordinator_org_id", "note", NULL};
	struct api_ctx *cx = req->ctx;
	json_t *in = NULL, *out = NULL, *before = NULL;
	struct preset *loaded = NULL;
	const char *name, *note;
	char why[768];
	struct api_tx tx;
	int64_t coord;
	int got;

	/* the role is handed over by the body that holds it (its admins): no other organisation's
	 * admin takes it, and the coordinator's powers with it */
	if (!access_org_identity(&cx->subject))
		return http_res_problem(res, 403, "Forbidden", NULL,
					"Chỉ quản trị của cơ quan điều phối / only the coordinator's "
					"admins");
	if (http_json_body(req, res, &in) != 0 || http_json_only(in, allowed, res) != 0 ||
	    http_json_str(in, "preset", false, PRESET_CODE, false, res, &name) < 0 ||
	    (got = http_json_int(in, "coordinator_org_id", false, 1, INT64_MAX, res, &coord)) < 0 ||
	    http_json_str(in, "note", false, 2000, true, res, &note) < 0)
		goto out;
	if (name == NULL && !got) {
		http_res_problem(res, 422, "Missing field", "preset",
				 "Cần 'preset' hoặc 'coordinator_org_id' / send 'preset' or "
				 "'coordinator_org_id'");
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	before = json_pack("{s:s, s:I}", "preset", api_env.preset->name, "coordinator_org_id",
			   (json_int_t)meta_int(tx.st, "coordinator_org_id"));
	if (api_handover_apply(tx.st, name, got ? coord : 0, note, &loaded, &out, why,
			       sizeof why) != 0) {
		api_tx_abort(&tx);
		http_res_problem(res, 422, "Handover refused", name ? "preset" : "coordinator_org_id",
				 "%s", why);
		goto out;
	}
	if (api_audit(req, "preset.handover", "settings", 0, before, out) != STORE_OK) {
		api_tx_abort(&tx);
		preset_free(loaded);
		api_store_error(res, STORE_EIO);
		goto out;
	}
	http_res_json(res, 200, json_incref(out));
	if (api_tx_commit(&tx, req, res) == 0 && loaded)
		api_preset_swap(loaded);
	else
		preset_free(loaded);
out:
	json_decref(in);
	json_decref(out);
	json_decref(before);
	return 0;
}

int api_admin_presets(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *items = json_array();

	if (!access_org(&cx->subject, 0, AC_ADMIN)) {
		json_decref(items);
		return http_res_problem(res, 403, "Forbidden", NULL, "Chỉ quản trị hệ thống / only admins");
	}
	for (const struct embed_file *f = preset_files; f->name; f++) {
		struct preset *p = NULL;
		struct preset_err err;
		char name[PRESET_CODE];
		size_t n = strlen(f->name);

		if (n < 6 || n - 5 >= sizeof name)
			continue;
		memcpy(name, f->name, n - 5);
		name[n - 5] = '\0';
		if (preset_parse(name, f->text, f->len, resolve_embedded, NULL, &p, &err) != 0)
			continue;
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", p->name,
						       "title", p->title, "source", p->source,
						       "lead_role", p->lead_role, "in_force",
						       strcmp(p->name, api_env.preset->name) == 0));
		preset_free(p);
	}
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}
