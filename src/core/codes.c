/* codes.c - names of the fixed vocabularies. */
#include "codes.h"

#include <stddef.h>
#include <string.h>

#include "util/str.h"

static const char *const org_roles[ORG_ROLE_COUNT] = {
	"coordinator", "police", "military", "central_agency", "member",
	"response_team", "isp", "security_firm", "national", "superior",
};

static const char *const user_roles[ROLE_COUNT] = {
	"reporter", "officer", "leader", "operator", "auditor", "admin",
};

static const char *const tlps[TLP_COUNT] = {"clear", "green", "amber", "amber+strict", "red"};

const char *codes_org_role_name(int r)
{
	return r >= 0 && r < ORG_ROLE_COUNT ? org_roles[r] : NULL;
}

int codes_org_role_parse(const char *s)
{
	for (int i = 0; i < ORG_ROLE_COUNT; i++)
		if (str_ieq(s, org_roles[i]))
			return i;
	return -1;
}

const char *codes_user_role_name(unsigned r)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (r == 1u << i)
			return user_roles[i];
	return NULL;
}

unsigned codes_user_role_parse(const char *s)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (str_ieq(s, user_roles[i]))
			return 1u << i;
	return 0;
}

const char *codes_tlp_name(int t)
{
	return t >= 0 && t < TLP_COUNT ? tlps[t] : NULL;
}

int codes_tlp_parse(const char *s)
{
	if (str_starts(s, "TLP:") || str_starts(s, "tlp:"))
		s += 4;
	for (int i = 0; i < TLP_COUNT; i++)
		if (str_ieq(s, tlps[i]))
			return i;
	return -1;
}

/* True if every byte of s is a lower-case ASCII letter, a digit, or one of extra. */
static bool plain(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr(extra, *s)))
			return false;
	return true;
}

bool codes_username_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && n <= 64 && plain(s, "._-");
}

bool codes_org_code_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 32 && plain(s, "-_");
}

/* True if s holds a control character, or a bidirectional embedding, override or isolate
 * (U+202A-U+202E, U+2066-U+2069): "faktura\u202Efdp.exe" shows as "fakturaexe.pdf". */
static bool has_hidden_char(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p[0]; p++)
		if (p[0] < 0x20 || p[0] == 0x7F)
			return true;
		else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
			return true;
		else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
			return true;
	return false;
}

bool codes_file_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && str_utf8_valid(s, n) && str_utf8_len(s, n) <= CODES_FILE_NAME_MAX &&
	       !strpbrk(s, "/\\\"") && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
	       !has_hidden_char(s);
}
