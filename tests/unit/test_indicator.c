/* test_indicator.c - unit tests for src/core/indicator.c: validation and canonical spelling of
 * each kind, extraction from Vietnamese free text (defanged forms, file names that are not
 * domains), and the matching keys (networks containing an address, parent domains). Expected
 * values are written by hand from the RFCs (RFC 5952 for IPv6 text). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/indicator.h"

static void expect_norm(enum ind_kind kind, const char *in, const char *want)
{
	char out[IND_VALUE_MAX];
	int rc = indicator_normalize(kind, in, strlen(in), out, sizeof out);

	if (want == NULL) {
		if (rc == 0)
			fail_msg("%s '%s' accepted as '%s'", indicator_kind_name(kind), in, out);
		assert_string_equal(out, "");
		return;
	}
	if (rc != 0)
		fail_msg("%s '%s' rejected", indicator_kind_name(kind), in);
	assert_string_equal(out, want);
}

static void test_kind_names(void **state)
{
	enum ind_kind k;

	(void)state;
	for (unsigned i = 0; i < IND_KIND_COUNT; i++) {
		assert_int_equal(indicator_kind_parse(indicator_kind_name((enum ind_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(indicator_kind_parse("ip", &k), -1);
	assert_null(indicator_kind_name(IND_KIND_COUNT));
}

static void test_addresses(void **state)
{
	(void)state;
	expect_norm(IND_IPV4, "203.113.131.1", "203.113.131.1");
	expect_norm(IND_IPV4, "256.1.1.1", NULL);
	expect_norm(IND_IPV4, "1.2.3", NULL);
	expect_norm(IND_IPV4, "1.2.3.4 ", NULL);
	expect_norm(IND_IPV6, "2001:DB8:0:0:0:0:0:1", "2001:db8::1");
	expect_norm(IND_IPV6, "1.2.3.4", NULL);
	expect_norm(IND_CIDR, "10.1.2.3/16", "10.1.0.0/16");
	expect_norm(IND_CIDR, "10.1.2.3", "10.1.2.3/32");
	expect_norm(IND_CIDR, "2001:db8:abcd::1/32", "2001:db8::/32");
	expect_norm(IND_CIDR, "10.0.0.0/33", NULL);
	expect_norm(IND_CIDR, "10.0.0.0/", NULL);
	expect_norm(IND_CIDR, "10.0.0.0/8x", NULL);
	expect_norm(IND_CIDR, "10.0.0.0/-1", NULL);
}

static void test_domains_hashes_emails(void **state)
{
	(void)state;
	expect_norm(IND_DOMAIN, "Cong-DichVu.BinhMinh.GOV.VN.", "cong-dichvu.binhminh.gov.vn");
	expect_norm(IND_DOMAIN, "xn--sở-tc-9ya.vn", NULL); /* Unicode: only the xn-- form */
	expect_norm(IND_DOMAIN, "xn--s-tc-xx.vn", "xn--s-tc-xx.vn");
	expect_norm(IND_DOMAIN, "localhost", NULL);
	expect_norm(IND_DOMAIN, "-a.vn", NULL);
	expect_norm(IND_DOMAIN, "a-.vn", NULL);
	expect_norm(IND_DOMAIN, "a..vn", NULL);
	expect_norm(IND_DOMAIN, "1.2.3.4", NULL);
	expect_norm(IND_DOMAIN, "e.g", NULL);
	expect_norm(IND_MD5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e");
	expect_norm(IND_MD5, "d41d8cd98f00b204e9800998ecf8427", NULL);
	expect_norm(IND_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		    "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	expect_norm(IND_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",
		    NULL);
	expect_norm(IND_EMAIL, "An.Nguyen@STC.BinhMinh.gov.vn", "an.nguyen@stc.binhminh.gov.vn");
	expect_norm(IND_EMAIL, "a..b@x.vn", NULL);
	expect_norm(IND_EMAIL, "@x.vn", NULL);
	expect_norm(IND_EMAIL, "a b@x.vn", NULL);
}

static void test_urls(void **state)
{
	char host[IND_VALUE_MAX];
	enum ind_kind hk;

	(void)state;
	expect_norm(IND_URL, "HTTPS://Evil.EXAMPLE.com:8443/Login?A=B",
		    "https://evil.example.com:8443/Login?A=B");
	expect_norm(IND_URL, "http://[2001:db8::1]/x", "http://[2001:db8::1]/x");
	expect_norm(IND_URL, "http://user@203.0.113.9/", "http://user@203.0.113.9/");
	expect_norm(IND_URL, "javascript:alert(1)", NULL);
	expect_norm(IND_URL, "http://", NULL);
	expect_norm(IND_URL, "http://exa mple.com/", NULL);
	assert_int_equal(indicator_host(IND_URL, "https://evil.example.com:8443/Login", &hk, host,
					sizeof host),
			 0);
	assert_int_equal(hk, IND_DOMAIN);
	assert_string_equal(host, "evil.example.com");
	assert_int_equal(indicator_host(IND_URL, "http://[2001:db8::1]:80/x", &hk, host, sizeof host),
			 0);
	assert_int_equal(hk, IND_IPV6);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(indicator_host(IND_EMAIL, "a@b.vn", &hk, host, sizeof host), 0);
	assert_string_equal(host, "b.vn");
	assert_int_equal(indicator_host(IND_DOMAIN, "b.vn", &hk, host, sizeof host), -1);
}

struct seen {
	char items[32][160];
	size_t n;
};

static int collect(void *ctx, enum ind_kind kind, const char *value)
{
	struct seen *s = ctx;

	snprintf(s->items[s->n++], sizeof s->items[0], "%s %s", indicator_kind_name(kind), value);
	return s->n == 32;
}

static bool has(const struct seen *s, const char *item)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i], item) == 0)
			return true;
	return false;
}

static void test_extract_vietnamese_text(void **state)
{
	const char *text =
		"Phát hiện máy chủ 203.113.131.5 kết nối tới hxxp://mal-ware[.]example[.]com/a.php "
		"và tên miền c2.badsite.net (IP:198.51.100.7:8080). Tệp độc hại bao-cao.docx có "
		"SHA-256 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855; thư từ "
		"attacker@phish[.]vn. Dải mạng 10.20.0.0/16, ví dụ e.g. v1.2 và Đ7.4. Lại 203.113.131.5.";
	struct seen s = {0};
	int n = indicator_extract(text, strlen(text), 100, collect, &s);

	(void)state;
	assert_int_equal(n, (int)s.n);
	assert_true(has(&s, "ipv4 203.113.131.5"));
	assert_true(has(&s, "url http://mal-ware.example.com/a.php"));
	assert_true(has(&s, "domain c2.badsite.net"));
	assert_true(has(&s, "ipv4 198.51.100.7"));
	assert_true(has(&s, "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	assert_true(has(&s, "email attacker@phish.vn"));
	assert_true(has(&s, "cidr 10.20.0.0/16"));
	for (size_t i = 0; i < s.n; i++)
		if (strstr(s.items[i], "docx") || strstr(s.items[i], "e.g") ||
		    strstr(s.items[i], "v1.2") || strcmp(s.items[i], "domain 7.4") == 0)
			fail_msg("taken for an observable: %s", s.items[i]);
	assert_int_equal(s.n, 7); /* the repeated address counted once */
}

static void test_extract_limits(void **state)
{
	char big[200000];
	struct seen s = {0};

	(void)state;
	/* max bounds the calls */
	assert_int_equal(indicator_extract("1.1.1.1 2.2.2.2 3.3.3.3", 23, 2, collect, &s), 2);
	/* a long text with an address past the first window, and a token longer than a URL */
	memset(big, 'a', sizeof big);
	memcpy(big + 100000, " 192.0.2.44 ", 12);
	s.n = 0;
	assert_int_equal(indicator_extract(big, sizeof big, 10, collect, &s), 1);
	assert_true(has(&s, "ipv4 192.0.2.44"));
	/* NUL bytes and binary are boundaries, not crashes */
	s.n = 0;
	assert_int_equal(indicator_extract("\0\xff" "8.8.8.8\x01", 11, 10, collect, &s), 1);
}

static void test_matching_keys(void **state)
{
	char out[64];
	unsigned fam, bits;

	(void)state;
	assert_int_equal(indicator_network("10.1.2.3", 16, out, sizeof out), 0);
	assert_string_equal(out, "10.1.0.0/16");
	assert_int_equal(indicator_network("10.1.2.3", 32, out, sizeof out), 0);
	assert_string_equal(out, "10.1.2.3/32");
	assert_int_equal(indicator_network("10.1.2.3", 0, out, sizeof out), 0);
	assert_string_equal(out, "0.0.0.0/0");
	assert_int_equal(indicator_network("10.1.0.0/16", 8, out, sizeof out), 0);
	assert_string_equal(out, "10.0.0.0/8");
	assert_int_equal(indicator_network("10.1.0.0/16", 24, out, sizeof out), -1);
	assert_int_equal(indicator_network("2001:db8::1", 32, out, sizeof out), 0);
	assert_string_equal(out, "2001:db8::/32");
	assert_int_equal(indicator_network("10.1.2.3", 33, out, sizeof out), -1);
	assert_int_equal(indicator_network("abc.vn", 8, out, sizeof out), -1);
	assert_int_equal(indicator_prefix("2001:db8::/32", &fam, &bits), 0);
	assert_int_equal(fam, 16);
	assert_int_equal(bits, 32);
	assert_int_equal(indicator_prefix("10.0.0.1", &fam, &bits), 0);
	assert_int_equal(fam, 4);
	assert_int_equal(bits, 32);

	assert_string_equal(indicator_parent_domain("a.b.gov.vn"), "b.gov.vn");
	assert_null(indicator_parent_domain("vn"));
	assert_true(indicator_domain_within("mail.binhminh.gov.vn", "binhminh.gov.vn"));
	assert_true(indicator_domain_within("binhminh.gov.vn", "binhminh.gov.vn"));
	assert_false(indicator_domain_within("xbinhminh.gov.vn", "binhminh.gov.vn"));
	assert_false(indicator_domain_within("gov.vn", "binhminh.gov.vn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_domains_hashes_emails),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_extract_vietnamese_text),
		cmocka_unit_test(test_extract_limits),
		cmocka_unit_test(test_matching_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
