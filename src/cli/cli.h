/* cli.h - the subcommands (docs/cli.md). Exit codes are part of the interface operators script
 * against; keep them stable. */
#ifndef UNGCUU_CLI_H
#define UNGCUU_CLI_H
#include <stdbool.h>
#include <stdio.h>

#include "core/preset.h"
#include "ops/ops.h"
#include "store/store.h"

#define EXIT_OK 0
#define EXIT_FAIL 1      /* runtime error (database, file system) */
#define EXIT_USAGE 2     /* wrong arguments */
#define EXIT_NOTFOUND 3  /* no such organisation, user, token... */
#define EXIT_CONFLICT 4  /* already exists, or not allowed in this state */
#define EXIT_INVALID 5   /* verification failed: broken audit chain, invalid preset */
/* e-mail intake (cli/mailgate.c, docs/mail.md) */
#define EXIT_TOOBIG 6     /* mailgate: the message is over --max-size */
#define EXIT_TEMPFAIL 75  /* mailgate: temporary failure (sysexits EX_TEMPFAIL): the MTA retries */

/* Each runs one subcommand with the arguments after its name (argv[0] is the subcommand) and
 * returns an exit code. */
int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_org(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_incident(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_preset(int argc, char **argv);
int cli_sweep(int argc, char **argv);
/* official documents (cli/export.c): report, closing, summary, bulletin */
int cli_export(int argc, char **argv);

/* Opens the data folder's store (creating it when create). Prints the error and returns
 * EXIT_FAIL, or EXIT_OK with *st (close with store_close). */
int cli_open(const char *dir, bool create, struct store **st);
/* Writes who runs this command, as the audit names it: "cli:<name> (uid N)" from the real uid
 * and the system's account database, plus " via <user> (sudo)" when sudo made it root. */
void cli_actor(char *out, size_t outsz);
/* Fills c for an operation asked from the command line: the machine's operator as cli_actor
 * names it (the buffer who, size >= 160, holds the name), preset p, now. Prints the error and
 * returns EXIT_FAIL when the database cannot say who coordinates, else EXIT_OK. */
int cli_ops_ctx(struct ops_ctx *c, struct store *st, const struct preset *p, char *who,
		size_t whosz);
/* The text of message m in the command line's language (util/msg.h msg_lang_env): a static
 * buffer, overwritten by the next call (the command line is one thread). */
const char *cli_text(const struct msg *m);
/* Prints message id with its parameters in the command line's language and a new line to out,
 * after "ungcuu: " when error: cli_say(stdout, M_x, MS("a", s)), cli_error(M_x, MN("n", 3)). */
void cli_say_args(FILE *out, bool error, enum msg_id id, const struct msg_arg *a, size_t n);
#define cli_say(out, id, ...) cli_say_args((out), false, (id), MSG_ARGS(__VA_ARGS__))
#define cli_error(id, ...) cli_say_args(stderr, true, (id), MSG_ARGS(__VA_ARGS__))
/* Prints message id to stderr after "<who>: " (a program part such as "mailgate", or a
 * "FILE:LINE" place) instead of "ungcuu: ": cli_error_at("mailgate", M_x, MS("a", s)). */
void cli_error_at_args(const char *who, enum msg_id id, const struct msg_arg *a, size_t n);
#define cli_error_at(who, id, ...) cli_error_at_args((who), (id), MSG_ARGS(__VA_ARGS__))
/* Prints a command's usage: "cách dùng:" ("usage:" in English) and the synopsis, lines of
 * command and option names that are not translated (NULL-terminated, the first beside that
 * word, the others aligned under it), then message note with its parameters (M_none: none).
 * Asked for (help): to stdout, returns EXIT_OK; after wrong arguments: to stderr, EXIT_USAGE. */
int cli_usage_args(bool help, const char *const *synopsis, enum msg_id note,
		   const struct msg_arg *a, size_t n);
#define cli_usage(help, synopsis, note, ...)                                                 \
	cli_usage_args((help), (synopsis), (note), MSG_ARGS(__VA_ARGS__))
/* Ends the transaction of an operation that answered rc (OPS_*; err says why when not OPS_OK):
 * commits it, or rolls it back and prints why ("ungcuu: <detail>"); st NULL for a refusal
 * before any transaction (nothing to end). Returns the exit code
 * (docs/cli.md): 0; 3 for 404 or "not found"; 4 for 409 or a store conflict ("already exists");
 * 2 for 422 (a value refused); 1 otherwise. */
int cli_ops_end(struct store *st, int rc, const struct ops_err *err);
/* Fills c for the machine itself asking on channel ch (the command line, the mail gate) when
 * no preset or coordinator is needed: cli_actor names it in who (size >= 160), from "local",
 * now. For an operation that only writes and audits (ops_audit, ops_mailin_quarantine). */
void cli_machine_ctx(struct ops_ctx *c, struct store *st, enum ops_channel ch, char *who,
		     size_t whosz);
/* Appends an audit entry for a change made from the command line (user: cli_actor): an
 * adapter of ops_audit. STORE_E* codes. */
int cli_audit_append(struct store *st, const char *action, const char *object_type,
		     int64_t object_id, const json_t *after);
/* Loads the preset named `name`: from presets_dir when given (extends resolved there too),
 * otherwise from the presets compiled into the binary. Prints errors with file and line.
 * Returns 0 and *out (preset_free), or -1. Also returns the YAML texts of the chain in
 * *texts (json object name -> text, caller decrefs) when texts is not NULL. */
int cli_preset_load(const char *name, const char *presets_dir, struct preset **out, json_t **texts);
/* Loads the preset in force from the store (the texts saved at init). Returns 0 or -1. */
int cli_preset_from_store(struct store *st, struct preset **out);
/* Every demo account's password (README). */
#define CLI_DEMO_PASSWORD "Demo@2026"
/* Fills the demo province (organisations of every role, users, systems, incidents). */
int cli_demo(struct store *st, const struct preset *p, int64_t coordinator_id);
/* Reads a whole file into a NUL-terminated malloc'd buffer of at most max bytes. Returns 0 or -1. */
int cli_read_file(const char *path, size_t max, char **out, size_t *len);

/* --config FILE (cli/config.c, docs/cli.md): argv is the command's (argv[0] its name). Takes
 * --config FILE / --config=FILE (or UNGCUU_CONFIG) out of it and puts the file's options for this
 * command before the command line's; sets the file's UNGCUU_* variables the environment lacks.
 * *owned (free with cli_config_free) holds the new argv. Returns 0, or -1 having printed the
 * problem with its line number. */
int cli_config_apply(int *argc, char ***argv, char ***owned);
void cli_config_free(char **owned);
/* Parses a configuration's text (NUL-terminated, len bytes; changed in place) for command cmd,
 * as --config would, and counts its options in *nargs (for the fuzzer). Returns 0 or -1. */
int cli_config_parse(char *text, size_t len, const char *cmd, int *nargs);

/* backups (cli/backup.c, docs/backup.md) */
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
/* imports from other tools (cli/import.c): `import scan` (scanner reports, docs/scan.md),
 * `import stix|misp` (cli/stix.c, docs/stix.md: a draft warning; argv[0] is "stix" / "misp") */
int cli_import(int argc, char **argv);
int cli_import_stix(int argc, char **argv);
int cli_import_misp(int argc, char **argv);
/* `export stix` (cli/stix.c), dispatched from cli/export.c (argv[0] is "stix") */
int cli_export_stix(int argc, char **argv);

/* e-mail intake (cli/mailgate.c): one message on stdin to an incident's journal */
int cli_mailgate(int argc, char **argv);

#endif
