/* Azure's rules for the names peerc writes: one table, one row per kind of
 * resource, read by every name check and by whatever makes a name (route
 * tables, deployments) so that what it makes is valid. */
#ifndef PEERC_NAMES_H
#define PEERC_NAMES_H

#include "common.h"

enum azure_name {
	NAME_VNET,
	NAME_SUBNET,
	NAME_PEERING,
	NAME_ROUTE_TABLE,
	NAME_ROUTE,
	NAME_GATEWAY,
	NAME_PUBLIC_IP,
	NAME_RESOURCE_GROUP,
	NAME_DEPLOYMENT,
	AZURE_NAMES
};

struct name_rule {
	const char *what;     /* "VNet", in messages */
	size_t min, max;      /* length in bytes */
	const char *punct;    /* allowed besides ASCII letters and digits */
	bool unicode;         /* any non-ASCII character allowed (.NET's \w) */
	bool alnum_first;     /* must start with a letter or digit */
	const char *last;     /* allowed last besides letters and digits; NULL:
			       * anything allowed at all */
	const char *not_last; /* never last (a resource group's '.') */
};

const struct name_rule *name_rule(enum azure_name kind);

/* Why `name` breaks the rule of `kind` ("it is longer than 80 characters"),
 * in buf or a constant, or NULL when it does not. */
const char *name_problem(enum azure_name kind, const char *name, char *buf,
			 size_t bufsz);

#endif
