#include "common.h"

#include "apiversions.h"
#include "model.h"

/* NULL: the model's Microsoft.Network version. */
static const struct {
	const char *type;
	const char *version;
} api_versions[] = {
	{ "Microsoft.Network/virtualNetworks", NULL },
	{ "Microsoft.Network/virtualNetworks/subnets", NULL },
	{ "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", NULL },
	{ "Microsoft.Network/routeTables", NULL },
	{ "Microsoft.Network/virtualNetworkGateways", NULL },
	{ "Microsoft.Network/publicIPAddresses", NULL },
	/* The newest Microsoft.Resources schema that still defines deployments. */
	{ "Microsoft.Resources/deployments", "2025-04-01" },
};

const char *api_version_for(const struct model *m, const char *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(api_versions); i++) {
		if (strcmp(api_versions[i].type, type) != 0)
			continue;
		if (api_versions[i].version)
			return api_versions[i].version;
		return m->api_version ? m->api_version : PEERC_DEFAULT_API_VERSION;
	}
	BUG();
}

bool api_version_valid(const char *text)
{
	static const char shape[] = "dddd-dd-dd";

	if (strlen(text) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		bool digit = text[i] >= '0' && text[i] <= '9';
		if (shape[i] == 'd' ? !digit : text[i] != '-')
			return false;
	}
	return true;
}
