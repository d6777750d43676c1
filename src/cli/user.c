/* user.c - `ungcuu user add|list|reset|disable|enable|unlock` and `ungcuu token create|revoke|list`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/codes.h"
#include "core/passwd.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/tm.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: ungcuu user add --data DIR --org ORG --role ROLE[,ROLE...] [--name FULL_NAME]\n"
		"                       [--email E] [--password-stdin] USERNAME\n"
		"       ungcuu user list --data DIR [--json]\n"
		"       ungcuu user reset|disable|enable|unlock --data DIR USERNAME\n"
		"roles: reporter officer leader operator auditor admin\n");
	return EXIT_USAGE;
}

static int token_usage(void)
{
	fprintf(stderr, "usage: ungcuu token create --data DIR --user USERNAME [--name NAME]\n"
			"       ungcuu token revoke --data DIR ID\n"
			"       ungcuu token list --data DIR [--json]\n");
	return EXIT_USAGE;
}

/* "officer,leader" -> role bits; 0 if any name is unknown. */
static unsigned parse_roles(const char *s)
{
	unsigned bits = 0;

	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		char one[32];
		unsigned r;

		if (n == 0 || n >= sizeof one)
			return 0;
		memcpy(one, s, n);
		one[n] = '\0';
		r = codes_user_role_parse(one);
		if (r == 0)
			return 0;
		bits |= r;
		s += n + (comma != NULL);
	}
	return bits;
}

/* Reads the first line of stdin as the password. */
static int read_password(char *out, size_t outsz)
{
	size_t n;

	if (fgets(out, (int)outsz, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	return 0;
}

/* Runs fn in one transaction with an audit entry; maps store errors to exit codes. */
static int commit_or_fail(struct store *st, int rc)
{
	if (rc == STORE_OK)
		rc = store_commit(st);
	if (rc == STORE_OK)
		return EXIT_OK;
	store_rollback(st);
	fprintf(stderr, "ungcuu: %s\n",
		rc == STORE_ECONFLICT ? "already exists" : rc == STORE_ENOTFOUND ? "not found" : "failed");
	return rc == STORE_ECONFLICT ? EXIT_CONFLICT : rc == STORE_ENOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL;
}

static int user_add(struct store *st, const char *username, const char *org, unsigned roles,
		    const char *name, const char *email, bool pw_stdin)
{
	char pw[PASSWD_MAX + 2], hash[CRYPTO_PWHASH_MAX];
	const char *why = NULL;
	json_t *o = NULL, *row;
	int64_t id;
	int rc;

	if (!codes_username_ok(username)) {
		fprintf(stderr, "ungcuu: a username is 3-64 of a-z, 0-9, . _ -\n");
		return EXIT_USAGE;
	}
	if (store_org_by_code(st, org, &o) != STORE_OK) {
		fprintf(stderr, "ungcuu: no organisation with code %s\n", org);
		return EXIT_NOTFOUND;
	}
	if (pw_stdin) {
		if (read_password(pw, sizeof pw) != 0 || passwd_check(username, pw, &why) != 0) {
			fprintf(stderr, "ungcuu: password refused: %s\n", why ? why : "no password on stdin");
			json_decref(o);
			return EXIT_USAGE;
		}
	} else {
		crypto_temp_password(pw);
	}
	if (crypto_pw_hash(hash, pw) != 0) {
		json_decref(o);
		return EXIT_FAIL;
	}
	row = json_pack("{s:s, s:s, s:s, s:O, s:i, s:s, s:b}", "username", username, "full_name",
			name ? name : username, "email", email ? email : "", "org_id",
			json_object_get(o, "id"), "roles", (int)roles, "pw_hash", hash,
			"must_change_pw", 1);
	json_decref(o);
	rc = store_begin(st);
	if (rc == STORE_OK)
		rc = store_user_create(st, row, &id);
	json_object_del(row, "pw_hash");
	if (rc == STORE_OK)
		rc = cli_audit_append(st, "user.create", "user", id, row);
	json_decref(row);
	rc = commit_or_fail(st, rc);
	if (rc == EXIT_OK && !pw_stdin)
		printf("%s\n", pw);
	return rc;
}

static int user_list(struct store *st, bool as_json)
{
	json_t *items = NULL, *u, *r;
	size_t i, k;

	if (store_user_list(st, 0, &items) != STORE_OK)
		return EXIT_FAIL;
	if (as_json) {
		json_dumpf(items, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_array_foreach(items, i, u) {
		if (as_json)
			break;
		printf("%-6lld %-20s %-14s %-8s ", (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "username")),
		       json_string_value(json_object_get(u, "org_code")),
		       json_is_true(json_object_get(u, "active")) ? "active" : "disabled");
		json_array_foreach(json_object_get(u, "roles"), k, r)
			printf("%s%s", k ? "," : "", json_string_value(r));
		putchar('\n');
	}
	json_decref(items);
	return EXIT_OK;
}

static int user_op(struct store *st, const char *verb, const char *username)
{
	struct store_user_auth u;
	char pw[CRYPTO_TEMP_PW], hash[CRYPTO_PWHASH_MAX], action[32];
	int rc;

	if (store_user_auth_by_name(st, username, &u) != STORE_OK) {
		fprintf(stderr, "ungcuu: no user %s\n", username);
		return EXIT_NOTFOUND;
	}
	if (strcmp(verb, "reset") == 0) {
		crypto_temp_password(pw);
		if (crypto_pw_hash(hash, pw) != 0)
			return EXIT_FAIL;
	}
	rc = store_begin(st);
	if (rc == STORE_OK) {
		if (strcmp(verb, "reset") == 0) {
			rc = store_user_set_password(st, u.id, hash, true);
			if (rc == STORE_OK)
				rc = store_session_delete_user(st, u.id, 0);
		} else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) {
			rc = store_user_set_active(st, u.id, verb[0] == 'e');
		} else {
			rc = store_user_unlock(st, u.id);
		}
	}
	snprintf(action, sizeof action, "user.%s", verb);
	if (rc == STORE_OK)
		rc = cli_audit_append(st, action, "user", u.id, NULL);
	rc = commit_or_fail(st, rc);
	if (rc == EXIT_OK && strcmp(verb, "reset") == 0)
		printf("%s\n", pw);
	return rc;
}

int cli_user(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"org", required_argument, NULL, 'o'},
		{"role", required_argument, NULL, 'r'}, {"name", required_argument, NULL, 'n'},
		{"email", required_argument, NULL, 'e'}, {"password-stdin", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},       {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *dir = "./data", *org = NULL, *name = NULL, *email = NULL;
	const char *verb = argc > 1 ? argv[1] : "";
	unsigned roles = 0;
	bool pw_stdin = false, as_json = false;
	struct store *st;
	int c, rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return usage(), EXIT_OK;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'o': org = optarg; break;
		case 'r': {
			unsigned r = parse_roles(optarg);

			if (r == 0)
				return usage();
			roles |= r;
			break;
		}
		case 'n': name = optarg; break;
		case 'e': email = optarg; break;
		case 'p': pw_stdin = true; break;
		case 'j': as_json = true; break;
		case 'h': usage(); return EXIT_OK;
		default: return usage();
		}
	}
	if (strcmp(verb, "list") == 0 ? optind != argc : optind + 1 != argc)
		return usage();
	if (strcmp(verb, "add") == 0 && (org == NULL || roles == 0))
		return usage();
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "reset") != 0 &&
	    strcmp(verb, "disable") != 0 && strcmp(verb, "enable") != 0 && strcmp(verb, "unlock") != 0)
		return usage();
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (strcmp(verb, "add") == 0)
		rc = user_add(st, argv[optind], org, roles, name, email, pw_stdin);
	else if (strcmp(verb, "list") == 0)
		rc = user_list(st, as_json);
	else
		rc = user_op(st, verb, argv[optind]);
	store_close(st);
	return rc;
}

static int token_create(struct store *st, const char *username, const char *name)
{
	char token[CRYPTO_TOKEN_CHARS], h[CRYPTO_HASH_HEX];
	struct store_user_auth u;
	int64_t id;
	int rc;

	if (store_user_auth_by_name(st, username, &u) != STORE_OK || !u.active) {
		fprintf(stderr, "ungcuu: no active user %s\n", username);
		return EXIT_NOTFOUND;
	}
	crypto_token(token);
	crypto_blake2b_hex(h, token, strlen(token));
	rc = store_begin(st);
	if (rc == STORE_OK)
		rc = store_token_create(st, h, u.id, name ? name : "", &id);
	if (rc == STORE_OK)
		rc = cli_audit_append(st, "token.create", "token", id, NULL);
	rc = commit_or_fail(st, rc);
	if (rc == EXIT_OK)
		printf("%s\n", token);
	return rc;
}

int cli_token(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'}, {"user", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	const char *dir = "./data", *user = NULL, *name = NULL, *verb = argc > 1 ? argv[1] : "";
	bool as_json = false;
	struct store *st;
	json_t *items;
	int64_t id;
	int c, rc = EXIT_USAGE;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return token_usage(), EXIT_OK;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'n': name = optarg; break;
		case 'j': as_json = true; break;
		case 'h': token_usage(); return EXIT_OK;
		default: return token_usage();
		}
	}
	if ((strcmp(verb, "create") == 0 && (user == NULL || optind != argc)) ||
	    (strcmp(verb, "revoke") == 0 &&
	     (optind + 1 != argc || str_to_i64(argv[optind], 1, INT64_MAX, &id) != 0)) ||
	    (strcmp(verb, "list") == 0 && optind != argc) ||
	    (strcmp(verb, "create") && strcmp(verb, "revoke") && strcmp(verb, "list")))
		return token_usage();
	if (cli_open(dir, false, &st) != EXIT_OK)
		return EXIT_FAIL;
	if (strcmp(verb, "create") == 0) {
		rc = token_create(st, user, name);
	} else if (strcmp(verb, "revoke") == 0) {
		rc = store_begin(st);
		if (rc == STORE_OK)
			rc = store_token_revoke(st, id, tm_now());
		if (rc == STORE_OK)
			rc = cli_audit_append(st, "token.revoke", "token", id, NULL);
		rc = commit_or_fail(st, rc);
	} else if (store_token_list(st, 0, &items) == STORE_OK) {
		json_dumpf(items, stdout, as_json ? JSON_INDENT(2) : JSON_COMPACT);
		putchar('\n');
		json_decref(items);
		rc = EXIT_OK;
	} else {
		rc = EXIT_FAIL;
	}
	store_close(st);
	return rc;
}
