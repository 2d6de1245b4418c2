#include "common.h"

#include <arpa/inet.h>

#include "addr.h"

bool ip_parse_addr(const char *s, size_t n, struct ip_addr *out)
{
	char buf[IP_STRLEN];

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, sizeof(*out));
	/* inet_pton's IPv4 form is exactly four decimal octets (no octal, no
	 * short forms) and its IPv6 form is RFC 4291's, embedded IPv4 included. */
	if (memchr(buf, ':', n)) {
		out->family = IP_V6;
		return inet_pton(AF_INET6, buf, out->b) == 1;
	}
	out->family = IP_V4;
	return inet_pton(AF_INET, buf, out->b) == 1;
}

bool ip_parse_prefix(const char *s, size_t n, struct ip_prefix *out)
{
	const char *slash = memchr(s, '/', n);

	if (!slash || !ip_parse_addr(s, (size_t)(slash - s), &out->addr))
		return false;
	const char *d = slash + 1, *end = s + n;
	if (d == end || end - d > 4)
		return false;
	unsigned len = 0;
	for (; d < end; d++) {
		if (*d < '0' || *d > '9')
			return false;
		len = len * 10 + (unsigned)(*d - '0');
	}
	out->len = len;
	return true;
}

/* v in decimal at p; returns the end. The back ends write an address or
 * a prefix for every subnet, and formatting through printf cost more
 * than the rest of writing them. */
static char *put_decimal(char *p, unsigned v)
{
	char digits[10];
	size_t n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = digits[--n];
	return p;
}

const char *ip_addr_str(const struct ip_addr *a, char buf[IP_STRLEN])
{
	if (a->family == IP_V4) {
		char *p = buf;
		for (int i = 0; i < 4; i++) {
			p = put_decimal(p, a->b[i]);
			*p++ = i < 3 ? '.' : '\0';
		}
		return buf;
	}
	/* glibc's inet_ntop writes the RFC 5952 form: lower case, longest run
	 * of zero groups compressed, leading zeros dropped. */
	if (!inet_ntop(AF_INET6, a->b, buf, IP_STRLEN))
		BUG();
	return buf;
}

const char *ip_prefix_str(const struct ip_prefix *p, char buf[IP_STRLEN])
{
	size_t n;

	ip_addr_str(&p->addr, buf);
	n = strlen(buf); /* at most 45 (INET6_ADDRSTRLEN - 1) */
	buf[n] = '/';
	*put_decimal(buf + n + 1, p->len % 10000) = '\0';
	return buf;
}

int ip_addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, sizeof(a->b));
}

bool ip_prefix_len_ok(const struct ip_prefix *p)
{
	return p->len <= ip_bits(p->addr.family);
}

/* Keep the first `len` bits of `in`, and set the rest to `fill` (0 or 1).
 * Byte at a time: the overlap sweep calls this for every prefix. */
static void fill_host(struct ip_addr *out, const struct ip_addr *in,
		      unsigned len, int fill)
{
	unsigned bits = ip_bits(in->family);

	*out = *in;
	if (len > bits)
		len = bits;
	for (unsigned i = len / 8; i < bits / 8; i++) {
		unsigned kept = 8 * i < len ? len - 8 * i : 0; /* 0..7 */
		uint8_t host = (uint8_t)(0xffu >> kept);
		if (fill)
			out->b[i] |= host;
		else
			out->b[i] &= (uint8_t)~host;
	}
}

struct ip_prefix ip_prefix_masked(const struct ip_prefix *p)
{
	struct ip_prefix m = *p;

	fill_host(&m.addr, &p->addr, p->len, 0);
	return m;
}

bool ip_prefix_has_host_bits(const struct ip_prefix *p)
{
	struct ip_prefix m = ip_prefix_masked(p);

	return ip_addr_cmp(&m.addr, &p->addr) != 0;
}

void ip_prefix_range(const struct ip_prefix *p, struct ip_addr *first,
		     struct ip_addr *last)
{
	fill_host(first, &p->addr, p->len, 0);
	fill_host(last, &p->addr, p->len, 1);
}

bool ip_prefix_contains_addr(const struct ip_prefix *p, const struct ip_addr *a)
{
	struct ip_addr lo, hi;

	if (p->addr.family != a->family)
		return false;
	ip_prefix_range(p, &lo, &hi);
	return ip_addr_cmp(&lo, a) <= 0 && ip_addr_cmp(a, &hi) <= 0;
}

bool ip_prefix_contains(const struct ip_prefix *outer, const struct ip_prefix *inner)
{
	return outer->addr.family == inner->addr.family &&
	       outer->len <= inner->len &&
	       ip_prefix_contains_addr(outer, &inner->addr);
}

bool ip_prefix_overlap(const struct ip_prefix *a, const struct ip_prefix *b)
{
	/* Two prefixes overlap exactly when the shorter one contains the other. */
	return a->len <= b->len ? ip_prefix_contains(a, b) : ip_prefix_contains(b, a);
}
