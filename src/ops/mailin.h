/* mailin.h - storing an incoming e-mail (docs/mail.md "E-mail in"): what `ungcuu mailgate`
 * does with a message whose sender may write in, and what accepting one from the quarantine does
 * (api/mailq.c), the same way. The functions write in the caller's transaction and leave the
 * audit entry to the caller, who knows who decided (the MTA's delivery, or an operator). */
#ifndef UNGCUU_OPS_MAILIN_H
#define UNGCUU_OPS_MAILIN_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/preset.h"
#include "mail/mail.h"
#include "store/store.h"
#include "util/crypto.h"

#include "ops.h"

#define OPS_MAILIN_TEXT_MAX (64u << 10) /* the journal keeps at most this much of the text */

/* Who an incoming message is stored as. */
struct ops_mailin_who {
	int64_t user_id;       /* the sender's account, 0 when none */
	int64_t org_id;        /* its organisation, or the one whose contact address it is; 0 */
	bool ambiguous;        /* several accounts have the address (user_id, org_id 0) */
	bool authenticated;    /* the MTA vouched for the From: address */
	int64_t quarantine_id; /* accepted from the quarantine: its row and who accepted it; 0 */
	int64_t accepted_by;
};

/* Fills who from the sender's address (store_mail_sender); authenticated and the quarantine
 * fields are left to the caller. STORE_OK, or a database error. */
int ops_mailin_sender(struct store *st, const char *addr, struct ops_mailin_who *who);
/* Whether the message may be stored now: NULL when it may, else the reason code it waits in
 * the quarantine for: auth->reason, "sender_ambiguous", "no_account", or "not_allowed" (the
 * sender's account may not comment on incident_id, or report an incident when it is 0, by
 * core/access.c like the API). STORE_OK or a database error in *rc. */
const char *ops_mailin_refusal(struct store *st, const struct mail_auth *auth,
			       const struct ops_mailin_who *who, int64_t incident_id, int *rc);
/* The Vietnamese text of a reason code for a message of kind "reply" or "report" (static). */
const char *ops_mailin_reason_text(const char *code, const char *kind);

/* Writes data (len bytes) to DIR/files/<sha256> unless it is there (content-addressed, like
 * the API's attachments): sha gets the hash, path the file; *placed when this call made the
 * file (to remove if the transaction then fails). 0 or -1. */
int ops_mailin_keep(const char *dir, const void *data, size_t len, char sha[CRYPTO_HASH_HEX],
		    char *path, size_t pathsz, bool *placed);

/* Stores a reply to incident_id: the journal entry of kind "email" by who (data: from,
 * subject, message_id, verified, authenticated, sender, observables, and quarantine_id,
 * accepted_by when accepted) and the observables of its text. *entry is the journal entry,
 * *data its data for the caller's audit entry (caller decrefs). STORE_ECONFLICT when the
 * incident's journal already has this Message-ID (delivered twice). */
int ops_mailin_reply(struct store *st, int64_t incident_id, const struct mail_intake *m,
		     const struct ops_mailin_who *who, int64_t *entry, json_t **data);

/* The attachments of a report as files: written before the transaction, removed again if it
 * fails. */
struct ops_mailin_files {
	char sha[MAIL_MAX_ATTACHMENTS][CRYPTO_HASH_HEX];
	char path[MAIL_MAX_ATTACHMENTS][1200];
	bool placed[MAIL_MAX_ATTACHMENTS];
	bool keep[MAIL_MAX_ATTACHMENTS]; /* a non-empty file with an acceptable name */
};
/* Writes the attachments worth keeping to DIR/files. 0, or -1 having removed what it placed. */
int ops_mailin_files_keep(const char *dir, const struct mail_intake *m,
			  struct ops_mailin_files *fl);
/* Removes the files ops_mailin_files_keep placed (the transaction failed). */
void ops_mailin_files_undo(const struct mail_intake *m, const struct ops_mailin_files *fl);
/* The preset's form that e-mail reports fill (the one with a subject prefix), or NULL. */
const struct preset_form *ops_mailin_report_form(const struct preset *p);
/* Stores a new report by e-mail: the incident (the sender's organisation's, TLP:AMBER,
 * reported; or, for nobody's address, the coordinator's at TLP:RED to triage), its journal
 * entry, attachments, escalation rules, and the coordinator's notification. *id, ref (size
 * >= 32) the new incident; *data the journal entry's data for the caller's audit entry (caller
 * decrefs). STORE_ECONFLICT when a report with this Message-ID was already stored. */
int ops_mailin_report(struct store *st, const struct preset *p, const struct preset_form *f,
		      const struct mail_intake *m, const struct mail_report *r,
		      const struct ops_mailin_files *fl, const struct ops_mailin_who *who,
		      int64_t *id, char *ref, json_t **data);

/* Puts a message the gate did not take in the quarantine for an operator to decide: row holds
 * the quarantine's columns (received_at, sha256, size, message_id, from_addr, subject, body,
 * kind, incident_id, ref, reason, reason_text, authenticated, auth, user_id, org_id; not
 * stolen). Audits "mail.quarantine" with the row without its text (that stays in the
 * quarantine). Sets *id. STORE_ECONFLICT (as err->store_rc) when the message is already there. */
int ops_mailin_quarantine(const struct ops_ctx *c, const json_t *row, int64_t *id,
			  struct ops_err *err);
/* Decides quarantined message id: status "accepted" (stored: where, incident_id and the journal
 * entry; 0 for none) or "rejected", with the actor's note: the coordinator's operators and
 * admins only (access_mail_quarantine, 403); STORE_ECONFLICT when it was decided meanwhile.
 * Audits "mail.accept" / "mail.reject" with the row without its text. *after: the row (caller
 * decrefs). */
int ops_mailin_decide(const struct ops_ctx *c, int64_t id, const char *status, const char *note,
		      int64_t incident_id, int64_t entry, json_t **after, struct ops_err *err);

#endif
