/* admin.c - switching the regulation in force and handing the coordinator role to another
 * organisation on a live instance (ops/handover.c decides and writes; here the body is read and
 * the preset loaded is put in force once committed), and the presets the binary ships. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "api.h"
#include "core/codes.h"
#include "ops/handover.h"
#include "util/embed.h"

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

int api_admin_handover(struct http_req *req, struct http_res *res)
{
	struct ops_handover ho = {0};
	json_t *in = NULL, *out = NULL;
	struct preset *loaded = NULL;
	struct ops_ctx c;
	struct ops_err err;
	struct api_tx tx;
	int got;

	api_ops_ctx(req, api_store(), &c);
	if (ops_handover_may(&c, &err) != OPS_OK) {
		api_ops_error(res, &err);
		goto out;
	}
	if (api_body(req, res, &in) != 0)
		goto out;
	ho.preset = api_in_text(in, "preset");
	ho.note = api_in_text(in, "note");
	got = api_in_int(in, "coordinator_org_id", &ho.coordinator);
	if (ho.preset == NULL && !got) {
		http_res_problem(res, 422, "Missing field", "preset", M_handover_missing);
		goto out;
	}
	if (api_tx_begin(req, res, &tx, false))
		goto out;
	api_ops_ctx(req, tx.st, &c);
	if (ops_handover(&c, &ho, &loaded, &out, &err) != OPS_OK) {
		api_tx_abort(&tx);
		api_ops_error(res, &err);
		goto out;
	}
	if (api_tx_answer(&tx, req, res, STORE_OK,
			  &(struct api_done){"preset.handover", "settings", 0, NULL, 200, NULL},
			  out) == 0 &&
	    loaded)
		api_preset_swap(loaded); /* in force once committed, not before */
	else
		preset_free(loaded);
out:
	json_decref(in);
	return 0;
}

int api_admin_presets(struct http_req *req, struct http_res *res)
{
	struct api_ctx *cx = req->ctx;
	json_t *items = json_array();

	if (!access_org(&cx->subject, 0, AC_ADMIN)) {
		json_decref(items);
		return http_res_problem(res, 403, "Forbidden", NULL, M_admins_only);
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
		json_t *o = api_preset_summary(p);

		json_object_set_new(o, "in_force", json_boolean(strcmp(p->name, api_env.preset->name) == 0));
		json_array_append_new(items, o);
		preset_free(p);
	}
	return http_res_json(res, 200, json_pack("{s:o}", "items", items));
}
