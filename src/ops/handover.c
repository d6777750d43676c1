/* handover.c - switching the regulation in force and handing the coordinator role to another
 * organisation on a live instance (the 2025 reform moved it from the DIC to the police): open
 * incidents and pending requests are re-routed, history stays, the change is audited. The API
 * (api/admin.c) and `ungcuu preset switch` (cli/preset.c) both call ops_handover. */
#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "handover.h"
#include "util/embed.h"
#include "util/str.h"

#define NOTE_MAX 2000 /* characters of a handover's note, as the API reads it */

static int resolve_embedded(void *ctx, const char *name, const char **text, size_t *len)
{
	(void)ctx;
	return embed_preset(name, text, len);
}

/* The field a refusal names: the preset when one was asked, else the organisation (what the
 * API has always answered, whichever part failed). */
static const char *field_of(const struct ops_handover *in)
{
	return in->preset ? "preset" : "coordinator_org_id";
}

/* Loads the compiled-in preset in->preset and saves the texts of its chain and its name in the
 * database. OPS_OK with *out (caller frees), or a refusal / store error. */
static int load_and_save(const struct ops_ctx *c, const struct ops_handover *in,
			 struct preset **out, struct ops_err *err)
{
	const char *name = in->preset, *text;
	struct preset_err perr = {0};
	size_t len;
	int rc = STORE_OK;

	if (embed_preset(name, &text, &len) != 0)
		return ops_refuse(err, 422, "Handover refused", field_of(in), M_handover_no_preset,
				  MS("name", name));
	if (preset_parse(name, text, len, resolve_embedded, NULL, out, &perr) != 0)
		return ops_refuse(err, 422, "Handover refused", field_of(in),
				  M_handover_preset_invalid, MS("name", name),
				  MS("file", perr.file), MN("line", perr.line),
				  MS("error", perr.msg));
	for (size_t i = 0; i < (*out)->nchain && rc == STORE_OK; i++)
		rc = embed_preset((*out)->chain[i], &text, &len) != 0
			     ? STORE_EIO /* the binary holds every preset it names */
			     : store_preset_put(c->st, (*out)->chain[i], text, len);
	if (rc == STORE_OK)
		rc = store_meta_set(c->st, "preset", name);
	if (rc != STORE_OK) {
		preset_free(*out);
		*out = NULL;
	}
	return ops_store(err, rc);
}

static int64_t meta_int(struct store *st, const char *key)
{
	char v[32];
	int64_t n = 0;

	if (store_meta_get(st, key, v, sizeof v) == STORE_OK)
		str_to_i64(v, 0, INT64_MAX, &n);
	return n;
}

/* meta preset_serial + 1: a server that did not make the change (a CLI switch) reloads. */
static int bump_serial(struct store *st)
{
	char v[32];

	snprintf(v, sizeof v, "%lld", (long long)(meta_int(st, "preset_serial") + 1));
	return store_meta_set(st, "preset_serial", v);
}

/* The note goes whole into the journals: text of at most NOTE_MAX characters (the command line
 * is not parsed like the API's body). OPS_OK or a 422 naming "note". */
static int note_check(const char *note, struct ops_err *err)
{
	size_t n = note ? strlen(note) : 0;

	if (n > 0 && !str_utf8_valid(note, n))
		return ops_refuse(err, 422, "Invalid field", "note", M_note_not_text);
	if (n > 0 && str_utf8_len(note, n) > NOTE_MAX)
		return ops_refuse(err, 422, "Invalid field", "note", M_note_too_long,
				  MN("max", NOTE_MAX));
	return OPS_OK;
}

/* Re-routes open incidents and requests from old_coord to in->coordinator under preset p (its
 * final states are where an incident is no longer open). Sets the counts. STORE_E* codes. */
static int hand_over(const struct ops_ctx *c, const struct preset *p,
		     const struct ops_handover *in, int64_t old_coord, int64_t counts[3])
{
	const char *finals[PRESET_MAX_ITEMS];
	size_t nfinal = 0;
	struct msg words;

	for (size_t i = 0; i < p->nstates && nfinal < PRESET_MAX_ITEMS; i++)
		if (p->states[i].final)
			finals[nfinal++] = p->states[i].code;
	msg_set(&words, M_journal_handover, MN("org_id", in->coordinator));
	return store_handover(c->st, old_coord, in->coordinator, finals, nfinal, &words,
			      in->note ? in->note : "", c->now, &counts[0], &counts[1], &counts[2]);
}

int ops_handover_may(const struct ops_ctx *c, struct ops_err *err)
{
	/* the role is handed over by the body that holds it (its admins): no other
	 * organisation's admin takes it, and the coordinator's powers with it */
	if (!ops_may(c, access_org_identity(&c->actor.subject)))
		return ops_refuse(err, 403, "Forbidden", NULL, M_coordinator_admins_only);
	return OPS_OK;
}

int ops_handover(const struct ops_ctx *c, const struct ops_handover *in, struct preset **loaded,
		 json_t **out, struct ops_err *err)
{
	const struct preset *p = c->preset;
	int64_t old_coord, counts[3] = {0, 0, 0}; /* incidents, requests re-routed; superseded */
	json_t *before = NULL;
	char role[32];
	int64_t parent;
	int rc;

	*loaded = NULL;
	*out = NULL;
	rc = ops_handover_may(c, err);
	if (rc == OPS_OK)
		rc = note_check(in->note, err);
	if (rc != OPS_OK)
		return rc;
	old_coord = meta_int(c->st, "coordinator_org_id");
	if (in->coordinator) {
		rc = store_org_role(c->st, in->coordinator, role, sizeof role, &parent);
		if (rc == STORE_ENOTFOUND)
			return ops_refuse(err, 422, "Handover refused", field_of(in),
					  M_handover_no_org, MN("org_id", in->coordinator));
		if (rc != STORE_OK)
			return ops_store(err, rc);
	}
	before = json_pack("{s:s, s:I}", "preset", p->name, "coordinator_org_id",
			   (json_int_t)old_coord);
	if (before == NULL)
		return ops_store(err, STORE_EIO);
	if (in->preset && (rc = load_and_save(c, in, loaded, err)) != OPS_OK)
		goto out;
	if (*loaded)
		p = *loaded;
	rc = STORE_OK;
	if (in->coordinator && in->coordinator != old_coord)
		rc = hand_over(c, p, in, old_coord, counts);
	if (rc == STORE_OK)
		rc = bump_serial(c->st);
	if (rc == STORE_OK) {
		*out = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "preset", p->name,
				 "coordinator_org_id",
				 (json_int_t)(in->coordinator ? in->coordinator : old_coord),
				 "previous_coordinator_org_id", (json_int_t)old_coord,
				 "incidents_rerouted", (json_int_t)counts[0], "requests_rerouted",
				 (json_int_t)counts[1], "requests_superseded", (json_int_t)counts[2]);
		rc = *out ? STORE_OK : STORE_EIO;
	}
	if (rc == STORE_OK)
		rc = ops_audit(c, "preset.handover", "settings", 0, before, *out);
	rc = ops_store(err, rc);
out:
	if (rc != OPS_OK) {
		preset_free(*loaded);
		*loaded = NULL;
		json_decref(*out);
		*out = NULL;
	}
	json_decref(before);
	return rc;
}
