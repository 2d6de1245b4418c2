#include "common.h"

#include <strings.h>

#include "azid.h"
#include "util.h"

bool azid_split(struct arena *a, const char *id, const char *type,
		const char *part[3])
{
	const char *const keys[] = { "subscriptions", "resourceGroups",
				     "providers", "Microsoft.Network", type };
	const char *seg[10];
	size_t len[10], n = 0;
	const char *p = id;

	while (*p == '/' && n < 10) {
		const char *q = strchr(p + 1, '/');
		size_t l = q ? (size_t)(q - p - 1) : strlen(p + 1);
		seg[n] = p + 1;
		len[n++] = l;
		p += 1 + l;
	}
	if (*p || n != 8 || len[1] == 0 || len[3] == 0 || len[7] == 0)
		return false;
	const size_t at[] = { 0, 2, 4, 5, 6 };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (len[at[i]] != strlen(keys[i]) ||
		    strncasecmp(seg[at[i]], keys[i], len[at[i]]) != 0)
			return false;
	part[0] = azid_guid(a, arena_strndup(a, seg[1], len[1]));
	part[1] = arena_strndup(a, seg[3], len[3]);
	part[2] = arena_strndup(a, seg[7], len[7]);
	return true;
}

const char *azid_format(struct arena *a, const char *const part[3], const char *type)
{
	return arena_printf(a, "/subscriptions/%s/resourceGroups/%s/providers/"
			    "Microsoft.Network/%s/%s", part[0], part[1], type, part[2]);
}

const char *azid_guid(struct arena *a, const char *sub)
{
	if (sub[strspn(sub, "0123456789abcdefABCDEF-")] != '\0')
		return sub;
	return arena_lower(a, sub);
}

char *azid_key(struct arena *a, const char *id)
{
	return arena_lower(a, id);
}
