/* test_match.c - unit tests for src/core/match.c: the keys an indicator is looked up by among
 * system assets (networks at the stored prefix lengths, a domain and its parents, a URL's or an
 * e-mail's host) and among stored indicators, the keys assets are stored under, network ranges,
 * and product keys. Expected values are written by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/match.h"

#define MAX_KEYS 64

struct keys {
	char k[MAX_KEYS][MATCH_KEY_MAX + 16];
	char why[MAX_KEYS][128];
	size_t n;
};

static int asset_cb(void *ctx, const char *key, const char *why)
{
	struct keys *ks = ctx;

	assert_true(ks->n < MAX_KEYS);
	snprintf(ks->k[ks->n], sizeof ks->k[0], "%s", key);
	snprintf(ks->why[ks->n++], sizeof ks->why[0], "%s", why);
	return 0;
}

static int ind_cb(void *ctx, const char *kind, const char *value, const char *why)
{
	struct keys *ks = ctx;

	assert_true(ks->n < MAX_KEYS);
	snprintf(ks->k[ks->n], sizeof ks->k[0], "%s %s", kind, value);
	snprintf(ks->why[ks->n++], sizeof ks->why[0], "%s", why);
	return 0;
}

static bool has(const struct keys *ks, const char *key)
{
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(ks->k[i], key) == 0)
			return true;
	return false;
}

static struct match_prefixes prefixes(void)
{
	struct match_prefixes p = {0};

	match_prefixes_add(&p, 4, 24);
	match_prefixes_add(&p, 4, 29);
	match_prefixes_add(&p, 4, 32);
	match_prefixes_add(&p, 6, 48);
	match_prefixes_add(&p, 4, 99); /* ignored */
	return p;
}

static void test_address_keys(void **state)
{
	struct match_prefixes p = prefixes();
	struct keys ks = {0};

	(void)state;
	assert_int_equal(match_asset_keys(IND_IPV4, "198.51.100.9", &p, asset_cb, &ks), 0);
	assert_int_equal(ks.n, 3);
	assert_true(has(&ks, "n:198.51.100.0/24"));
	assert_true(has(&ks, "n:198.51.100.8/29"));
	assert_true(has(&ks, "n:198.51.100.9/32"));
	assert_non_null(strstr(ks.why[0], "match_address_in_range"));
	/* a network is looked up at its own length and the shorter ones, never longer */
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_asset_keys(IND_CIDR, "198.51.100.0/24", &p, asset_cb, &ks), 0);
	assert_int_equal(ks.n, 1);
	assert_string_equal(ks.k[0], "n:198.51.100.0/24");
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_asset_keys(IND_IPV6, "2001:db8:1::5", &p, asset_cb, &ks), 0);
	assert_int_equal(ks.n, 1);
	assert_string_equal(ks.k[0], "n:2001:db8:1::/48");
	/* hashes match no asset */
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_asset_keys(IND_MD5, "d41d8cd98f00b204e9800998ecf8427e", &p, asset_cb,
					  &ks), 0);
	assert_int_equal(ks.n, 0);
}

static void test_name_keys(void **state)
{
	struct match_prefixes p = prefixes();
	struct keys ks = {0};

	(void)state;
	assert_int_equal(match_asset_keys(IND_DOMAIN, "api.ngansach.binhminh.gov.vn", &p, asset_cb,
					  &ks), 0);
	assert_int_equal(ks.n, 4); /* not the bare top-level domain */
	assert_string_equal(ks.k[0], "d:api.ngansach.binhminh.gov.vn");
	assert_string_equal(ks.k[1], "d:ngansach.binhminh.gov.vn");
	assert_string_equal(ks.k[3], "d:gov.vn");
	assert_non_null(strstr(ks.why[0], "match_same_domain"));
	assert_non_null(strstr(ks.why[1], "match_subdomain"));
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_asset_keys(IND_URL, "https://benhvien.binhminh.gov.vn/dang-nhap", &p,
					  asset_cb, &ks), 0);
	assert_true(has(&ks, "d:benhvien.binhminh.gov.vn"));
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_asset_keys(IND_URL, "http://198.51.100.10/x", &p, asset_cb, &ks), 0);
	assert_true(has(&ks, "n:198.51.100.8/29"));
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_asset_keys(IND_EMAIL, "admin@ngansach.binhminh.gov.vn", &p, asset_cb,
					  &ks), 0);
	assert_true(has(&ks, "d:binhminh.gov.vn"));
}

static void test_indicator_keys(void **state)
{
	struct match_prefixes p = prefixes();
	struct keys ks = {0};

	(void)state;
	assert_int_equal(match_indicator_keys(IND_IPV4, "198.51.100.9", &p, ind_cb, &ks), 0);
	assert_true(has(&ks, "ipv4 198.51.100.9"));
	assert_true(has(&ks, "cidr 198.51.100.0/24"));
	assert_true(has(&ks, "cidr 198.51.100.9/32"));
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_indicator_keys(IND_URL, "http://c2.bad.example/x", &p, ind_cb, &ks),
			 0);
	assert_true(has(&ks, "url http://c2.bad.example/x"));
	assert_true(has(&ks, "domain c2.bad.example"));
	assert_true(has(&ks, "domain bad.example"));
	memset(&ks, 0, sizeof ks);
	assert_int_equal(match_indicator_keys(IND_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", &p, ind_cb, &ks), 0);
	assert_int_equal(ks.n, 1);
}

static void test_asset_keys_and_ranges(void **state)
{
	char mkey[MATCH_KEY_MAX], lo[MATCH_LO_MAX], hi[MATCH_LO_MAX], pk[MATCH_PRODUCT_MAX];
	unsigned fam, bits;

	(void)state;
	assert_int_equal(match_asset_key("cidr", "198.51.100.8/29", mkey, sizeof mkey, lo, sizeof lo,
					 &fam, &bits), 0);
	assert_string_equal(mkey, "n:198.51.100.8/29");
	assert_string_equal(lo, "4:c6336408");
	assert_int_equal(fam, 4);
	assert_int_equal(bits, 29);
	assert_int_equal(match_asset_key("domain", "binhminh.gov.vn", mkey, sizeof mkey, lo, sizeof lo,
					 &fam, &bits), 0);
	assert_string_equal(mkey, "d:binhminh.gov.vn");
	assert_string_equal(lo, "");
	assert_int_equal(fam, 0);
	assert_int_equal(match_asset_key("url", "https://[2001:db8::1]:8443/a", mkey, sizeof mkey, lo,
					 sizeof lo, &fam, &bits), 0);
	assert_string_equal(mkey, "n:2001:db8::1/128");
	assert_int_equal(fam, 6);
	assert_int_equal(match_asset_key("url", "https://Portal.example/a", mkey, sizeof mkey, lo,
					 sizeof lo, &fam, &bits), 0);
	assert_string_equal(mkey, "d:portal.example");
	assert_int_equal(match_asset_key("cidr", "not a network", mkey, sizeof mkey, lo, sizeof lo,
					 &fam, &bits), -1);
	assert_int_equal(match_range("198.51.100.0/24", lo, hi, sizeof lo), 0);
	assert_string_equal(lo, "4:c6336400");
	assert_string_equal(hi, "4:c63364ff");
	assert_int_equal(match_range("2001:db8::/126", lo, hi, sizeof lo), 0);
	assert_string_equal(lo, "6:20010db8000000000000000000000000");
	assert_string_equal(hi, "6:20010db8000000000000000000000003");
	assert_int_equal(match_product_key(" Apache ", "Tomcat", pk, sizeof pk), 0);
	assert_string_equal(pk, "apache|tomcat");
	assert_int_equal(match_product_key("", "Tomcat", pk, sizeof pk), -1);
}

static void test_versions(void **state)
{
	(void)state;
	assert_int_equal(match_version_in("9.0.80", "< 9.0.99"), 1);
	assert_int_equal(match_version_in("9.0.100", "< 9.0.99"), 0);
	assert_int_equal(match_version_in("9.0.99", "<= 9.0.99"), 1);
	assert_int_equal(match_version_in("2.4.61", ">= 2.4, < 2.4.62"), 1);
	assert_int_equal(match_version_in("2.5", ">= 2.4, < 2.4.62"), 0);
	assert_int_equal(match_version_in("10.1.5", "< 9.0.99; >= 10.1.0, < 10.1.35"), 1);
	assert_int_equal(match_version_in("10.1.40", "< 9.0.99 || >= 10.1.0, < 10.1.35"), 0);
	assert_int_equal(match_version_in("1.2.3", "1.2.3"), 1);
	assert_int_equal(match_version_in("1.2", "= 1.2.0"), 1);
	assert_int_equal(match_version_in("2019 CU14", "< 2019 CU15"), 1);
	assert_int_equal(match_version_in("", "< 9"), -1);
	assert_int_equal(match_version_in("9.0", ""), -1);
	assert_int_equal(match_version_in("9.0", "<"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_keys),
		cmocka_unit_test(test_name_keys),
		cmocka_unit_test(test_indicator_keys),
		cmocka_unit_test(test_asset_keys_and_ranges),
		cmocka_unit_test(test_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
