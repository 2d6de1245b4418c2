#include "common.h"

#include "utf8.h"

/* The valid range of the second byte depends on the first (RFC 3629, table
 * 3-7 of the Unicode standard): this is what rules out overlong forms,
 * surrogates and values past U+10FFFF. */
static bool second_ok(unsigned char lead, unsigned char c)
{
	switch (lead) {
	case 0xE0:
		return c >= 0xA0 && c <= 0xBF;
	case 0xED:
		return c >= 0x80 && c <= 0x9F;
	case 0xF0:
		return c >= 0x90 && c <= 0xBF;
	case 0xF4:
		return c >= 0x80 && c <= 0x8F;
	default:
		return c >= 0x80 && c <= 0xBF;
	}
}

static size_t seq_len(unsigned char lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xC2 && lead <= 0xDF)
		return 2;
	if (lead >= 0xE0 && lead <= 0xEF)
		return 3;
	if (lead >= 0xF0 && lead <= 0xF4)
		return 4;
	return 0;
}

size_t utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t len = seq_len(s[0]);

	*bad = 1;
	if (len == 0)
		return 0;
	for (size_t i = 1; i < len; i++) {
		bool ok = i < n && (i == 1 ? second_ok(s[0], s[1]) :
				    (s[i] & 0xC0) == 0x80);
		if (!ok) {
			*bad = i;
			return 0;
		}
	}
	return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
