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
