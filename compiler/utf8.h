/* UTF-8: the source must be valid UTF-8, and string escapes produce it. */
#ifndef PEERC_UTF8_H
#define PEERC_UTF8_H

#include "common.h"

/* The length (1 to 4) of the valid UTF-8 sequence at s, stopping at n bytes;
 * 0 when s does not start one. Then *bad gets the length of the maximal
 * ill-formed prefix (Unicode's "maximal subpart", at least 1), so that one bad
 * sequence is reported once and scanning goes on after it. Overlong forms,
 * surrogates and code points past U+10FFFF are invalid. */
size_t utf8_valid(const unsigned char *s, size_t n, size_t *bad);

/* Writes the encoding of a scalar value (not a surrogate) to out; returns its
 * length. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
