/* IPv4 and IPv6 addresses and prefixes, and the arithmetic the checks need.
 * Both families are held as 128-bit big-endian numbers so one set of
 * functions serves both; an IPv4 address lives in the first four bytes. */
#ifndef PEERC_ADDR_H
#define PEERC_ADDR_H

#include "common.h"

enum ip_family { IP_V4 = 4, IP_V6 = 6 };

struct ip_addr {
	uint8_t family; /* enum ip_family */
	uint8_t b[16];  /* network order; IPv4 uses b[0..3], the rest is zero */
};

struct ip_prefix {
	struct ip_addr addr; /* as written: host bits may be set (a check says so) */
	unsigned len;        /* as written: may exceed the family's width (likewise) */
};

static inline unsigned ip_bits(enum ip_family f)
{
	return f == IP_V4 ? 32 : 128;
}

/* "IPv4" or "IPv6", for messages. */
static inline const char *ip_family_name(enum ip_family f)
{
	return f == IP_V4 ? "IPv4" : "IPv6";
}

/* Parse text that is exactly an address (dotted quad, or any RFC 4291 form). */
bool ip_parse_addr(const char *s, size_t n, struct ip_addr *out);
/* Parse "ADDR/LEN"; LEN is any decimal up to 9999 (range is checked later). */
bool ip_parse_prefix(const char *s, size_t n, struct ip_prefix *out);

/* Canonical text: dotted quad, or RFC 5952 for IPv6. buf needs IP_STRLEN. */
#define IP_STRLEN 64
const char *ip_addr_str(const struct ip_addr *a, char buf[IP_STRLEN]);
const char *ip_prefix_str(const struct ip_prefix *p, char buf[IP_STRLEN]);

int ip_addr_cmp(const struct ip_addr *a, const struct ip_addr *b);
bool ip_prefix_len_ok(const struct ip_prefix *p);
/* The prefix with its host bits cleared. */
struct ip_prefix ip_prefix_masked(const struct ip_prefix *p);
bool ip_prefix_has_host_bits(const struct ip_prefix *p);
/* The first and last address of a (valid-length) prefix. */
void ip_prefix_range(const struct ip_prefix *p, struct ip_addr *first,
		     struct ip_addr *last);
bool ip_prefix_contains(const struct ip_prefix *outer, const struct ip_prefix *inner);
bool ip_prefix_contains_addr(const struct ip_prefix *p, const struct ip_addr *a);
bool ip_prefix_overlap(const struct ip_prefix *a, const struct ip_prefix *b);

#endif
