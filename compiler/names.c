#include "common.h"

#include "names.h"

/* Source: Microsoft, "Naming rules and restrictions for Azure resources"
 * (learn.microsoft.com/azure/azure-resource-manager/management/
 * resource-name-rules; MicrosoftDocs/azure-docs, articles/
 * azure-resource-manager/management/resource-name-rules.md), the
 * Microsoft.Network and Microsoft.Resources tables; azure.md 4.6. Names are
 * case-insensitive; scope: VNets, route tables, gateways, public IP
 * addresses and deployments per resource group, subnets and peerings per VNet, routes per route table. */
#define NETWORK_PUNCT "_.-"

static const struct name_rule rules[AZURE_NAMES] = {
	[NAME_VNET] = { "VNet", 2, 64, NETWORK_PUNCT, false, true, "_", NULL },
	[NAME_SUBNET] = { "subnet", 1, 80, NETWORK_PUNCT, false, true, "_", NULL },
	[NAME_PEERING] = { "peering", 1, 80, NETWORK_PUNCT, false, true, "_", NULL },
	[NAME_ROUTE_TABLE] = { "route table", 1, 80, NETWORK_PUNCT, false, true,
			       "_", NULL },
	[NAME_ROUTE] = { "route", 1, 80, NETWORK_PUNCT, false, true, "_", NULL },
	[NAME_GATEWAY] = { "virtual network gateway", 1, 80, NETWORK_PUNCT, false,
			   true, "_", NULL },
	[NAME_PUBLIC_IP] = { "public IP address", 1, 80, NETWORK_PUNCT, false, true,
			     "_", NULL },
	/* Unicode letters are \w in the documented ^[-\w._()]+$. */
	[NAME_RESOURCE_GROUP] = { "resource group", 1, 90, "-_.()", true, false,
				  NULL, "." },
	[NAME_DEPLOYMENT] = { "deployment", 1, 64, "-_.()", false, false, NULL, NULL },
};

const struct name_rule *name_rule(enum azure_name kind)
{
	return &rules[kind];
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool allowed(const struct name_rule *r, unsigned char c)
{
	return is_alnum(c) || (c >= 0x80 && r->unicode) ||
	       (c >= 0x20 && c < 0x7f && strchr(r->punct, c));
}

static const char *bad_char(unsigned char c, char *buf, size_t bufsz)
{
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, bufsz, "it has the byte 0x%02x", c);
	else
		snprintf(buf, bufsz, "it has the character '%c'", c);
	return buf;
}

const char *name_problem(enum azure_name kind, const char *name, char *buf,
			 size_t bufsz)
{
	const struct name_rule *r = &rules[kind];
	size_t n = strlen(name);

	if (n == 0)
		return "it is empty";
	if (n < r->min) {
		snprintf(buf, bufsz, "it is shorter than %zu characters", r->min);
		return buf;
	}
	if (n > r->max) {
		snprintf(buf, bufsz, "it is longer than %zu characters", r->max);
		return buf;
	}
	for (size_t i = 0; i < n; i++)
		if (!allowed(r, (unsigned char)name[i]))
			return bad_char((unsigned char)name[i], buf, bufsz);
	unsigned char last = (unsigned char)name[n - 1];
	if (r->alnum_first && !is_alnum((unsigned char)name[0]))
		return "it must start with a letter or digit";
	if (r->last && !is_alnum(last) && !strchr(r->last, last)) {
		snprintf(buf, bufsz, "it must end with a letter, a digit or '%s'",
			 r->last);
		return buf;
	}
	if (r->not_last && strchr(r->not_last, last)) {
		snprintf(buf, bufsz, "it must not end with '%c'", last);
		return buf;
	}
	return NULL;
}
