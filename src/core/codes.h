/* codes.h - the fixed vocabularies of the domain (DOMAIN.md): organisation roles, user roles,
 * TLP labels. Incident groups, types, severities and states are NOT here: they come from the
 * regulation preset (core/preset.h), because a province may change them. */
#ifndef UNGCUU_CODES_H
#define UNGCUU_CODES_H
#include <stdbool.h>

enum org_role {
	ORG_COORDINATOR,
	ORG_POLICE,
	ORG_MILITARY,
	ORG_CENTRAL_AGENCY,
	ORG_MEMBER,
	ORG_RESPONSE_TEAM,
	ORG_ISP,
	ORG_SECURITY_FIRM,
	ORG_NATIONAL,
	ORG_SUPERIOR,
	ORG_ROLE_COUNT
};

/* A user holds a set of these (bit flags). */
enum user_role {
	ROLE_REPORTER = 1u << 0,
	ROLE_OFFICER = 1u << 1,
	ROLE_LEADER = 1u << 2,
	ROLE_OPERATOR = 1u << 3,
	ROLE_AUDITOR = 1u << 4,
	ROLE_ADMIN = 1u << 5,
};
#define ROLE_ALL 0x3Fu
#define ROLE_COUNT 6

/* Traffic Light Protocol 2.0, lowest restriction first. */
enum tlp { TLP_CLEAR, TLP_GREEN, TLP_AMBER, TLP_AMBER_STRICT, TLP_RED, TLP_COUNT };

/* Returns the code ("coordinator", ...) of r, or NULL when out of range. Static storage. */
const char *codes_org_role_name(int r);
/* Parses an org role code. Returns the role or -1. */
int codes_org_role_parse(const char *s);
/* Returns the code of the single role bit r ("reporter", ...), or NULL. Static storage. */
const char *codes_user_role_name(unsigned r);
/* Parses one user role code. Returns its bit or 0. */
unsigned codes_user_role_parse(const char *s);
/* Returns "clear", "green", "amber", "amber+strict", "red", or NULL. Static storage. */
const char *codes_tlp_name(int t);
/* Parses a TLP code, with or without the "TLP:" prefix, any case. Returns it or -1. */
int codes_tlp_parse(const char *s);

#define CODES_FILE_NAME_MAX 200 /* characters of an uploaded file's name */
/* True if s is an acceptable file name for an upload, whatever the channel: valid UTF-8, 1 to
 * CODES_FILE_NAME_MAX characters, no path (/ or \), no control character, no " and no
 * bidirectional override that would show another extension than the real one. */
bool codes_file_name_ok(const char *s);
/* True if s is a valid username: 3..64 of a-z, 0-9, '.', '_', '-'. */
bool codes_username_ok(const char *s);
/* True if s is a valid organisation code: 1..32 of a-z, 0-9, '-', '_'. */
bool codes_org_code_ok(const char *s);

#endif
