#include "common.h"

#include <check.h>

#include "addr.h"

static struct ip_prefix P(const char *s)
{
	struct ip_prefix p;
	ck_assert_msg(ip_parse_prefix(s, strlen(s), &p), "%s does not parse", s);
	return p;
}

static const char *canon(const char *s)
{
	static char buf[IP_STRLEN];
	struct ip_addr a;
	if (!ip_parse_addr(s, strlen(s), &a))
		return "INVALID";
	return ip_addr_str(&a, buf);
}

START_TEST(parses_rfc4291_forms)
{
	ck_assert_str_eq(canon("10.0.1.4"), "10.0.1.4");
	ck_assert_str_eq(canon("2001:DB8:0:0:8:800:200C:417A"), "2001:db8::8:800:200c:417a");
	ck_assert_str_eq(canon("FF01::101"), "ff01::101");
	ck_assert_str_eq(canon("::1"), "::1");
	ck_assert_str_eq(canon("::"), "::");
	ck_assert_str_eq(canon("0:0:0:0:0:0:13.1.68.3"), "::13.1.68.3");
	ck_assert_str_eq(canon("::FFFF:129.144.52.38"), "::ffff:129.144.52.38");
	ck_assert_str_eq(canon("fd00:3::"), "fd00:3::");
	ck_assert_str_eq(canon("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
	ck_assert_str_eq(canon("10.0.1.256"), "INVALID");
	ck_assert_str_eq(canon("010.0.1.4"), "INVALID");
	ck_assert_str_eq(canon("1:2:3:4:5:6:7:8:9"), "INVALID");
	ck_assert_str_eq(canon("1::2::3"), "INVALID");
	ck_assert_str_eq(canon("12345::"), "INVALID");
	ck_assert_str_eq(canon("10.0.0"), "INVALID");
}
END_TEST

START_TEST(prefixes)
{
	char buf[IP_STRLEN];
	struct ip_prefix p = P("10.0.0.1/16");
	ck_assert(ip_prefix_has_host_bits(&p));
	struct ip_prefix m = ip_prefix_masked(&p);
	ck_assert_str_eq(ip_prefix_str(&m, buf), "10.0.0.0/16");
	ck_assert(!ip_prefix_has_host_bits(&m));

	p = P("fd00:3:0:0:1::/48");
	m = ip_prefix_masked(&p);
	ck_assert_str_eq(ip_prefix_str(&m, buf), "fd00:3::/48");

	p = P("10.0.0.0/33");
	ck_assert(!ip_prefix_len_ok(&p));
	p = P("::/128");
	ck_assert(ip_prefix_len_ok(&p));
	p = P("::/129");
	ck_assert(!ip_prefix_len_ok(&p));

	struct ip_prefix out;
	ck_assert(!ip_parse_prefix("10.0.0.0/", 9, &out));
	ck_assert(!ip_parse_prefix("10.0.0.0/12345", 14, &out));
	ck_assert(!ip_parse_prefix("10.0.0.0", 8, &out));
	ck_assert(!ip_parse_prefix("10.0.0.0/1a", 11, &out));
}
END_TEST

START_TEST(containment_and_overlap)
{
	struct ip_prefix a = P("10.0.0.0/16"), b = P("10.0.1.0/24"),
			 c = P("10.1.0.0/16"), d = P("0.0.0.0/0"),
			 v6 = P("::/0"), e = P("10.0.255.255/32");
	ck_assert(ip_prefix_contains(&a, &b));
	ck_assert(!ip_prefix_contains(&b, &a));
	ck_assert(ip_prefix_overlap(&a, &b));
	ck_assert(ip_prefix_overlap(&b, &a));
	ck_assert(!ip_prefix_overlap(&a, &c));
	ck_assert(ip_prefix_overlap(&d, &c));
	ck_assert(!ip_prefix_overlap(&v6, &a)); /* families never overlap */
	ck_assert(ip_prefix_contains(&a, &e));

	struct ip_addr lo, hi;
	char buf[IP_STRLEN];
	ip_prefix_range(&b, &lo, &hi);
	ck_assert_str_eq(ip_addr_str(&lo, buf), "10.0.1.0");
	ck_assert_str_eq(ip_addr_str(&hi, buf), "10.0.1.255");
	struct ip_prefix f = P("fd00::/127");
	ip_prefix_range(&f, &lo, &hi);
	ck_assert_str_eq(ip_addr_str(&hi, buf), "fd00::1");
	ck_assert(ip_prefix_contains_addr(&a, &e.addr));
	ck_assert(!ip_prefix_contains_addr(&c, &e.addr));
}
END_TEST

/* Masks at and around byte boundaries: the mask works a byte at a time. */
START_TEST(ranges_at_every_boundary)
{
	static const struct {
		const char *prefix, *first, *last;
	} cases[] = {
		{ "255.255.255.255/0", "0.0.0.0", "255.255.255.255" },
		{ "255.255.255.255/1", "128.0.0.0", "255.255.255.255" },
		{ "10.255.0.0/7", "10.0.0.0", "11.255.255.255" },
		{ "10.255.0.0/8", "10.0.0.0", "10.255.255.255" },
		{ "10.255.0.0/9", "10.128.0.0", "10.255.255.255" },
		{ "192.168.1.77/31", "192.168.1.76", "192.168.1.77" },
		{ "192.168.1.77/32", "192.168.1.77", "192.168.1.77" },
		{ "ffff::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ "fd00:ab:cd::/40", "fd00:ab::", "fd00:ab:ff:ffff:ffff:ffff:ffff:ffff" },
		{ "fd00::1:ff/127", "fd00::1:fe", "fd00::1:ff" },
		{ "fd00::1:ff/128", "fd00::1:ff", "fd00::1:ff" },
	};
	char a[IP_STRLEN], b[IP_STRLEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ip_prefix p = P(cases[i].prefix);
		struct ip_addr lo, hi;
		ip_prefix_range(&p, &lo, &hi);
		ck_assert_msg(strcmp(ip_addr_str(&lo, a), cases[i].first) == 0 &&
			      strcmp(ip_addr_str(&hi, b), cases[i].last) == 0,
			      "%s: %s - %s", cases[i].prefix, a, b);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, parses_rfc4291_forms);
	tcase_add_test(tc, prefixes);
	tcase_add_test(tc, containment_and_overlap);
	tcase_add_test(tc, ranges_at_every_boundary);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
