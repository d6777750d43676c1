/* test_stix.c - unit tests for src/core/stix.c (SHA-1, UUIDv5 known vectors, identifiers,
 * timestamps, TLP 2.0 markings, the pattern builder and parser, MISP attribute types) and for
 * the import rules of api/stix_import.c and api/misp.c on a temporary store. Expected values
 * are written by hand from FIPS 180-4, RFC 9562 (and Python's uuid module), the STIX 2.1
 * specification and the OASIS TLP 2.0 extension definition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/stix.h"
#include "cli/cli.h"
#include "core/codes.h"
#include "core/stix.h"
#include "store/store.h"
#include "util/str.h"

static void hex(const unsigned char *d, size_t n, char *out)
{
	str_hex(out, d, n);
}

static void test_sha1_vectors(void **state)
{
	unsigned char d[20];
	char h[41];
	char *million = malloc(1000000);

	(void)state;
	stix_sha1("abc", 3, d);
	hex(d, 20, h);
	assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	stix_sha1("", 0, d);
	hex(d, 20, h);
	assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	stix_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex(d, 20, h);
	assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	stix_sha1(million, 1000000, d);
	hex(d, 20, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(million);
}

static void test_uuid5_vectors(void **state)
{
	unsigned char dns[16], url[16], u[16];
	char txt[37], big[201];

	(void)state;
	assert_int_equal(stix_uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8", 36, dns), 0);
	assert_int_equal(stix_uuid_parse("6BA7B811-9DAD-11D1-80B4-00C04FD430C8", 36, url), 0);
	stix_uuid5(dns, "python.org", 10, u);
	stix_uuid_format(u, txt);
	assert_string_equal(txt, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	stix_uuid5(url, "https://www.oasis-open.org/", 27, u);
	stix_uuid_format(u, txt);
	assert_string_equal(txt, "34a41e54-8904-5db2-8130-4e837302b373");
	memset(big, 'x', 200);
	big[200] = '\0';
	stix_uuid5(dns, big, 200, u); /* more than one SHA-1 block */
	stix_uuid_format(u, txt);
	assert_string_equal(txt, "ddcc691a-b8e2-53e5-b059-6a232874b2eb");
	assert_int_equal(stix_uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430c", 35, u), -1);
	assert_int_equal(stix_uuid_parse("6ba7b810x9dad-11d1-80b4-00c04fd430c8", 36, u), -1);
	assert_int_equal(stix_uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430cg", 36, u), -1);
}

static void expect_id(const char *id, const char *type, int want)
{
	const char *why;
	int rc = stix_id_check(id, strlen(id), type, &why);

	if (rc != want)
		fail_msg("%s (%s): got %d (%s)", id, type ? type : "any", rc, why);
	if (rc != 0)
		assert_true(why[0] != '\0');
}

static void test_ids(void **state)
{
	char id[STIX_ID_MAX];
	const char *why;

	(void)state;
	expect_id("indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", "indicator", 0);
	expect_id("indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", NULL, 0);
	expect_id("x-acme-widget--a932fcc6-e032-476c-826f-cb970a5a1ade", NULL, 0);
	expect_id("malware--a932fcc6-e032-476c-826f-cb970a5a1ade", "indicator", -1);
	expect_id("indicator-a932fcc6-e032-476c-826f-cb970a5a1ade", NULL, -1);
	expect_id("Indicator--a932fcc6-e032-476c-826f-cb970a5a1ade", NULL, -1);
	expect_id("in--a932fcc6-e032-476c-826f-cb970a5a1ade", NULL, -1);     /* type < 3 */
	expect_id("indicator--a932fcc6-e032-476c-026f-cb970a5a1ade", NULL, -1); /* NCS variant */
	expect_id("indicator--a932fcc6e032476c826fcb970a5a1ade", NULL, -1);
	expect_id("indicator--", NULL, -1);
	expect_id("a--b--a932fcc6-e032-476c-826f-cb970a5a1ade", NULL, -1);
	assert_true(stix_type_ok("course-of-action", 16));
	assert_false(stix_type_ok("course--of-action", 17));
	assert_false(stix_type_ok("course-", 7));
	assert_false(stix_type_ok("1abc", 4));
	assert_int_equal(stix_id_make(stix_ns_ungcuu, "report", "warning:CB-2026-000001", 22, id,
				      sizeof id), 0);
	assert_true(str_starts(id, "report--"));
	assert_int_equal(stix_id_check(id, strlen(id), "report", &why), 0);
	assert_int_equal(id[8 + 14], '5'); /* version 5 */
	assert_int_equal(stix_id_make(stix_ns_ungcuu, "report", "k", 1, id, 20), -1);
}

static void expect_time(const char *s, int64_t sec, int ms)
{
	const char *why;
	int64_t got;
	int gotms;

	if (stix_time_parse(s, strlen(s), &got, &gotms, &why) != 0)
		fail_msg("'%s' refused: %s", s, why);
	assert_int_equal(got, sec);
	assert_int_equal(gotms, ms);
}

static void expect_bad_time(const char *s)
{
	const char *why;
	int64_t got;
	int ms;

	if (stix_time_parse(s, strlen(s), &got, &ms, &why) == 0)
		fail_msg("'%s' accepted", s);
}

static void test_timestamps(void **state)
{
	char out[STIX_TIME_MAX];

	(void)state;
	expect_time("2026-11-21T01:30:00Z", 1795224600, 0);
	expect_time("2026-11-21T01:30:00.5Z", 1795224600, 500);
	expect_time("2026-11-21T01:30:00.123456Z", 1795224600, 123);
	expect_time("1970-01-01T00:00:00.000Z", 0, 0);
	expect_time("2024-02-29T23:59:59.999Z", 1709251199, 999);
	expect_bad_time("2026-11-21T01:30:00");          /* no Z */
	expect_bad_time("2026-11-21T01:30:00+07:00");    /* UTC only */
	expect_bad_time("2026-11-21 01:30:00Z");
	expect_bad_time("2026-11-21T01:30Z");
	expect_bad_time("2026-02-29T00:00:00Z");         /* not a leap year */
	expect_bad_time("2026-13-01T00:00:00Z");
	expect_bad_time("2026-11-21T24:00:00Z");
	expect_bad_time("2026-11-21T01:30:00.Z");
	expect_bad_time("21/11/2026");
	expect_bad_time("2026-11-21T01:30:00Zjunk");
	assert_int_equal(stix_time_format(1795224600, 7, out, sizeof out), 0);
	assert_string_equal(out, "2026-11-21T01:30:00.007Z");
	assert_int_equal(stix_time_format(0, 0, out, sizeof out), 0);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	assert_int_equal(stix_time_format(0, 0, out, 10), -1);
}

static void test_tlp_markings(void **state)
{
	(void)state;
	assert_string_equal(stix_tlp_marking_id(TLP_CLEAR),
			    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487");
	assert_string_equal(stix_tlp_marking_id(TLP_GREEN),
			    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb");
	assert_string_equal(stix_tlp_marking_id(TLP_AMBER),
			    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421");
	assert_string_equal(stix_tlp_marking_id(TLP_AMBER_STRICT),
			    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003");
	assert_string_equal(stix_tlp_marking_id(TLP_RED),
			    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
	assert_string_equal(stix_tlp_marking_name(TLP_AMBER_STRICT), "TLP:AMBER+STRICT");
	assert_string_equal(stix_tlp_value(TLP_AMBER_STRICT), "amber+strict");
	assert_null(stix_tlp_marking_id(5));
	for (int t = 0; t < TLP_COUNT; t++)
		assert_int_equal(stix_tlp_of_marking(stix_tlp_marking_id(t)), t);
	/* the STIX 2.1 TLP 1.0 markings: white is clear */
	assert_int_equal(stix_tlp_of_marking("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
			 TLP_CLEAR);
	assert_int_equal(stix_tlp_of_marking("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"),
			 TLP_RED);
	assert_int_equal(stix_tlp_of_marking("marking-definition--00000000-0000-4000-8000-000000000000"), -1);
}

static void expect_pattern(enum ind_kind k, const char *v, const char *want)
{
	char out[STIX_PATTERN_MAX];

	assert_int_equal(stix_pattern_make(k, v, out, sizeof out), 0);
	assert_string_equal(out, want);
}

struct got {
	char items[16][IND_VALUE_MAX + 16];
	int n;
};

static int collect(void *ctx, enum ind_kind kind, const char *value)
{
	struct got *g = ctx;

	if (g->n < 16)
		snprintf(g->items[g->n++], sizeof g->items[0], "%s %s", indicator_kind_name(kind), value);
	return 0;
}

static int parse(const char *p, struct got *g, char *why, size_t whysz)
{
	memset(g, 0, sizeof *g);
	return stix_pattern_parse(p, strlen(p), collect, g, why, whysz);
}

static void test_pattern_builder(void **state)
{
	(void)state;
	expect_pattern(IND_IPV4, "198.51.100.3", "[ipv4-addr:value = '198.51.100.3']");
	expect_pattern(IND_IPV6, "2001:db8::1", "[ipv6-addr:value = '2001:db8::1']");
	expect_pattern(IND_CIDR, "10.0.0.0/8", "[ipv4-addr:value ISSUBSET '10.0.0.0/8']");
	expect_pattern(IND_CIDR, "2001:db8::/32", "[ipv6-addr:value ISSUBSET '2001:db8::/32']");
	expect_pattern(IND_DOMAIN, "evil.example", "[domain-name:value = 'evil.example']");
	expect_pattern(IND_URL, "http://a.example/it's\\x",
		       "[url:value = 'http://a.example/it\\'s\\\\x']");
	expect_pattern(IND_MD5, "5d41402abc4b2a76b9719d911017c592",
		       "[file:hashes.MD5 = '5d41402abc4b2a76b9719d911017c592']");
	expect_pattern(IND_SHA1, "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
		       "[file:hashes.'SHA-1' = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3']");
	expect_pattern(IND_SHA256, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
		       "[file:hashes.'SHA-256' = "
		       "'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae']");
	expect_pattern(IND_EMAIL, "a@b.example", "[email-addr:value = 'a@b.example']");
	{
		char small[10];

		assert_int_equal(stix_pattern_make(IND_IPV4, "198.51.100.3", small, sizeof small), -1);
		assert_int_equal(stix_pattern_make(IND_KIND_COUNT, "x", small, sizeof small), -1);
	}
}

static void test_pattern_roundtrip(void **state)
{
	static const struct {
		enum ind_kind k;
		const char *v;
	} cases[] = {
		{IND_IPV4, "198.51.100.3"}, {IND_IPV6, "2001:db8::1"}, {IND_CIDR, "10.0.0.0/8"},
		{IND_DOMAIN, "evil.example"}, {IND_URL, "http://a.example/it's"},
		{IND_MD5, "5d41402abc4b2a76b9719d911017c592"},
		{IND_SHA1, "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"},
		{IND_EMAIL, "a@b.example"},
	};
	char out[STIX_PATTERN_MAX], why[200], want[IND_VALUE_MAX + 16];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(stix_pattern_make(cases[i].k, cases[i].v, out, sizeof out), 0);
		assert_int_equal(parse(out, &g, why, sizeof why), 1);
		snprintf(want, sizeof want, "%s %s", indicator_kind_name(cases[i].k), cases[i].v);
		assert_string_equal(g.items[0], want);
	}
}

static void test_pattern_parser(void **state)
{
	char why[300];
	struct got g;

	(void)state;
	assert_int_equal(parse("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = "
			       "'198.51.100.2'] OR [domain-name:value = 'EVIL.example.']",
			       &g, why, sizeof why), 3);
	assert_string_equal(g.items[0], "ipv4 198.51.100.1");
	assert_string_equal(g.items[1], "ipv4 198.51.100.2");
	assert_string_equal(g.items[2], "domain evil.example");
	assert_int_equal(parse("([ipv4-addr:value ISSUBSET '10.1.2.3/16']) OR "
			       "[file:hashes.SHA256 = "
			       "'2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE']",
			       &g, why, sizeof why), 2);
	assert_string_equal(g.items[0], "cidr 10.1.0.0/16");
	assert_string_equal(g.items[1],
			    "sha256 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
	assert_int_equal(parse("[ipv4-addr:value = '10.0.0.0/8']", &g, why, sizeof why), 1);
	assert_string_equal(g.items[0], "cidr 10.0.0.0/8");
	assert_int_equal(parse("[(url:value = 'http://x.example/' OR email-message:from_ref.value = "
			       "'A@X.example')]", &g, why, sizeof why), 2);
	assert_string_equal(g.items[1], "email a@x.example");
	/* what is not taken, with a reason */
	assert_int_equal(parse("[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '1.2.3.5']", &g,
			       why, sizeof why), -1);
	assert_non_null(strstr(why, "AND"));
	assert_int_equal(parse("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.5']",
			       &g, why, sizeof why), -1);
	assert_int_equal(parse("[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS", &g, why,
			       sizeof why), -1);
	assert_non_null(strstr(why, "qualifiers"));
	assert_int_equal(parse("[process:name = 'evil.exe']", &g, why, sizeof why), -1);
	assert_non_null(strstr(why, "process:name"));
	assert_int_equal(parse("[domain-name:value LIKE '%.example']", &g, why, sizeof why), -1);
	assert_int_equal(parse("[domain-name:value != 'a.example']", &g, why, sizeof why), -1);
	assert_int_equal(parse("[ipv4-addr:value = '999.1.1.1']", &g, why, sizeof why), -1);
	assert_int_equal(parse("[ipv4-addr:value = '1.2.3.4'", &g, why, sizeof why), -1);
	assert_int_equal(parse("[url:value = 'http://x.example/\\n']", &g, why, sizeof why), -1);
	assert_int_equal(parse("", &g, why, sizeof why), -1);
	assert_int_equal(parse("[ipv4-addr:value = '1.2.3.4'] junk", &g, why, sizeof why), -1);
	assert_int_equal(parse("((((((((((((((((((([ipv4-addr:value = '1.2.3.4']))))))))))))))))))",
			       &g, why, sizeof why), -1);
}

static void test_misp_types(void **state)
{
	int parts[2];
	size_t n;
	enum ind_kind k;
	char out[IND_VALUE_MAX];

	(void)state;
	assert_int_equal(stix_misp_type("ip-dst", parts, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(parts[0], STIX_MISP_IP);
	assert_int_equal(stix_misp_type("ip-dst|port", parts, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(parts[1], STIX_MISP_IGNORE);
	assert_int_equal(stix_misp_type("domain|ip", parts, &n), 0);
	assert_int_equal(parts[0], IND_DOMAIN);
	assert_int_equal(parts[1], STIX_MISP_IP);
	assert_int_equal(stix_misp_type("filename|sha256", parts, &n), 0);
	assert_int_equal(parts[0], STIX_MISP_IGNORE);
	assert_int_equal(parts[1], IND_SHA256);
	assert_int_equal(stix_misp_type("hostname", parts, &n), 0);
	assert_int_equal(parts[0], IND_DOMAIN);
	assert_int_equal(stix_misp_type("email-src", parts, &n), 0);
	assert_int_equal(parts[0], IND_EMAIL);
	assert_int_equal(stix_misp_type("vulnerability", parts, &n), 0);
	assert_int_equal(parts[0], STIX_MISP_VULN);
	assert_int_equal(stix_misp_type("btc", parts, &n), -1);
	assert_int_equal(stix_misp_type("text", parts, &n), -1);
	assert_int_equal(stix_ip_normalize("10.1.2.3/16", 11, &k, out, sizeof out), 0);
	assert_int_equal(k, IND_CIDR);
	assert_string_equal(out, "10.1.0.0/16");
	assert_int_equal(stix_ip_normalize("2001:DB8::1", 11, &k, out, sizeof out), 0);
	assert_int_equal(k, IND_IPV6);
	assert_int_equal(stix_ip_normalize("example.com", 11, &k, out, sizeof out), -1);
	assert_true(stix_cve_ok("CVE-2023-36884", 14));
	assert_true(stix_cve_ok("cve-2021-44228", 14));
	assert_false(stix_cve_ok("CVE-2023-368", 12));
	assert_false(stix_cve_ok("CVE-23-36884", 12));
	assert_false(stix_cve_ok("GHSA-2023-36884", 15));
}

static void test_json_text(void **state)
{
	const char *in = "Cảnh báo \"khẩn\" C:\\tmp\n\t\x01 end";
	struct buf b;
	json_t *back;

	(void)state;
	buf_init(&b, 1024);
	stix_json_str(&b, in);
	assert_string_equal(b.p, "\"Cảnh báo \\\"khẩn\\\" C:\\\\tmp\\n\\t\\u0001 end\"");
	back = json_loadb(b.p, b.len, JSON_DECODE_ANY, NULL);
	assert_non_null(back);
	assert_string_equal(json_string_value(back), in);
	json_decref(back);
	buf_reset(&b);
	stix_json_str(&b, "");
	assert_string_equal(b.p, "\"\"");
	buf_free(&b);
}

/* ---- the import rules, on a temporary store ---- */

struct fx {
	char dir[64];
	struct store *st;
	struct preset *p;
	int64_t org;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	json_t *org;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_stix.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(store_open(f->dir, STORE_CREATE, &f->st), STORE_OK);
	assert_int_equal(cli_preset_load("national", NULL, &f->p, NULL), 0);
	org = json_pack("{s:s, s:s, s:s, s:n}", "code", "dieuphoi", "name", "Cơ quan điều phối",
			"role", "coordinator", "parent_id");
	assert_int_equal(store_org_create(f->st, org, &f->org), STORE_OK);
	json_decref(org);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	store_close(f->st);
	preset_free(f->p);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Imports text as the machine acting for the coordinator's organisation; the operation's code. */
static int import_text(struct fx *f, const char *text, bool misp, json_t **result)
{
	struct ops_ctx c = {.st = f->st, .preset = f->p,
			    .actor = {.subject = {.org_id = f->org, .org_role = ORG_COORDINATOR,
						  .roles = ROLE_ALL, .coordinator = true},
				      .machine = true, .username = "test", .ip = "local"},
			    .now = 1800000000, .channel = OPS_CLI};
	struct ops_err err;
	char why[300];
	json_t *doc;
	int rc;

	if (stix_import_parse(text, strlen(text), &doc, why, sizeof why) != 0)
		fail_msg("parse: %s", why);
	assert_int_equal(store_begin(f->st), STORE_OK);
	rc = misp ? misp_import_event(&c, doc, result, &err) : stix_import_bundle(&c, doc, result, &err);
	if (rc == OPS_OK)
		assert_int_equal(store_commit(f->st), STORE_OK);
	else
		store_rollback(f->st);
	json_decref(doc);
	return rc;
}

/* True if result's errors name index and property. */
static bool has_error(const json_t *result, int64_t index, const char *property)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(result, "errors"), i, e) {
		const char *p = json_string_value(json_object_get(e, "property"));

		if (json_integer_value(json_object_get(e, "index")) == index && p &&
		    strcmp(p, property) == 0)
			return true;
	}
	return false;
}

#define IND(id, extra)                                                                           \
	"{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--" id "\","        \
	"\"created\":\"2026-11-18T02:15:00.000Z\",\"modified\":\"2026-11-18T02:15:00.000Z\"" extra "}"
#define BUNDLE(objs)                                                                             \
	"{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","          \
	"\"objects\":[" objs "]}"

static void test_import_validator(void **state)
{
	struct fx *f = *state;
	json_t *r = NULL;

	/* missing pattern_type and valid_from; modified before created; bad marking ref */
	assert_int_equal(
		import_text(f,
			    BUNDLE(IND("a932fcc6-e032-476c-826f-cb970a5a1ade",
				       ",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\"") ","
				   "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--1ed8caa7-a708-4706-b651-f1186ede6ca1\","
				   "\"created\":\"2026-11-18T02:15:00.000Z\",\"modified\":\"2026-11-18T02:14:59.999Z\","
				   "\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\",\"pattern_type\":\"stix\","
				   "\"valid_from\":\"2026-11-18T02:15:00Z\",\"valid_until\":\"2026-11-18T02:15:00Z\","
				   "\"object_marking_refs\":[\"tlp-red\"]}"),
			    false, &r),
		OPS_EREFUSED);
	assert_true(has_error(r, 0, "pattern_type"));
	assert_true(has_error(r, 0, "valid_from"));
	assert_true(has_error(r, 1, "modified"));
	assert_true(has_error(r, 1, "valid_until"));
	assert_true(has_error(r, 1, "object_marking_refs"));
	json_decref(r);
	/* a duplicate id, a missing spec_version */
	assert_int_equal(
		import_text(f,
			    BUNDLE(IND("a932fcc6-e032-476c-826f-cb970a5a1ade",
				       ",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-18T02:15:00Z\"") ","
				   IND("a932fcc6-e032-476c-826f-cb970a5a1ade", "") ","
				   "{\"type\":\"identity\",\"id\":\"identity--b38dfe21-7477-40d1-aa90-5c8671ce51ca\","
				   "\"created\":\"2026-11-18T02:00:00.000Z\",\"modified\":\"2026-11-18T02:00:00.000Z\",\"name\":\"x\"}"),
			    false, &r),
		OPS_EREFUSED);
	assert_true(has_error(r, 1, "id"));
	assert_true(has_error(r, 2, "spec_version"));
	json_decref(r);
}

static void test_import_takes_and_skips(void **state)
{
	struct fx *f = *state;
	json_t *r = NULL, *w;

	assert_int_equal(
		import_text(f,
			    BUNDLE(IND("a932fcc6-e032-476c-826f-cb970a5a1ade",
				       ",\"pattern\":\"[ipv4-addr:value = '198.51.100.1'] OR [ipv4-addr:value = '198.51.100.1']\","
				       "\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-18T02:15:00Z\","
				       "\"object_marking_refs\":[\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\"]") ","
				   IND("1ed8caa7-a708-4706-b651-f1186ede6ca1",
				       ",\"pattern\":\"[process:name = 'x']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-18T02:15:00Z\"") ","
				   "{\"type\":\"x-acme\",\"spec_version\":\"2.1\",\"id\":\"x-acme--26ffb872-1dd9-446e-b6f5-d58527e5b5d2\","
				   "\"created\":\"2026-11-18T02:00:00.000Z\",\"modified\":\"2026-11-18T02:00:00.000Z\"}"),
			    false, &r),
		OPS_OK);
	w = json_object_get(r, "warning");
	assert_int_equal(json_integer_value(json_object_get(w, "indicators")), 1); /* deduped */
	assert_string_equal(json_string_value(json_object_get(w, "tlp")), "red");
	assert_string_equal(json_string_value(json_object_get(w, "status")), "draft");
	assert_int_equal(json_array_size(json_object_get(r, "skipped")), 2);
	json_decref(r);
}

static void test_misp_mapping(void **state)
{
	struct fx *f = *state;
	json_t *r = NULL, *w;

	assert_int_equal(
		import_text(f,
			    "{\"Event\":{\"info\":\"Sự kiện\",\"uuid\":\"5f3c8a52-9b1e-4d6f-8a2c-1e7b9d0c4f3a\","
			    "\"threat_level_id\":3,\"Tag\":[{\"name\":\"tlp:white\"}],"
			    "\"Attribute\":[{\"type\":\"domain|ip\",\"value\":\"a.example|198.51.100.9\"},"
			    "{\"type\":\"ip-src|port\",\"value\":\"2001:db8::5|8080\",\"to_ids\":\"1\"},"
			    "{\"type\":\"vulnerability\",\"value\":\"cve-2021-44228\",\"to_ids\":false},"
			    "{\"type\":\"md5\",\"value\":\"5d41402abc4b2a76b9719d911017c592\",\"deleted\":true},"
			    "{\"type\":\"mutex\",\"value\":\"Global\\\\x\"}]}}",
			    true, &r),
		OPS_OK);
	w = json_object_get(r, "warning");
	assert_int_equal(json_integer_value(json_object_get(w, "indicators")), 3);
	assert_int_equal(json_integer_value(json_object_get(w, "references")), 1);
	assert_string_equal(json_string_value(json_object_get(w, "tlp")), "clear");
	assert_int_equal(json_array_size(json_object_get(r, "skipped")), 2);
	json_decref(r);
	/* a composite type with one part is an error; nothing is created */
	assert_int_equal(import_text(f,
				     "{\"Event\":{\"info\":\"x\",\"uuid\":\"5f3c8a52-9b1e-4d6f-8a2c-1e7b9d0c4f3a\","
				     "\"Attribute\":[{\"type\":\"domain|ip\",\"value\":\"a.example\"}]}}",
				     true, &r),
			 OPS_EREFUSED);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_uuid5_vectors),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_tlp_markings),
		cmocka_unit_test(test_pattern_builder),
		cmocka_unit_test(test_pattern_roundtrip),
		cmocka_unit_test(test_pattern_parser),
		cmocka_unit_test(test_misp_types),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test_setup_teardown(test_import_validator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_takes_and_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misp_mapping, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
