#include "common.h"

#include "apiversions.h"
#include "model.h"
#include "util.h"

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

/* The stable Microsoft.Network API versions peerc writes: those whose
 * virtualNetworks/virtualNetworkPeerings Microsoft's ARM template reference
 * lists (learn.microsoft.com/azure/templates/microsoft.network/
 * virtualnetworks/virtualnetworkpeerings, up to 2025-01-01), from
 * 2018-04-01: the ARM output sets the route tables'
 * disableBgpRoutePropagation, for which azurerm moved to that version
 * (hashicorp/terraform-provider-azurerm#1435), and older ones are not known
 * to have it; then 2025-05-01 (the REST
 * API reference, Virtual Network Peerings - Create Or Update), 2025-07-01
 * (the ARM schema in tests/schemas) and 2025-09-01 (the Bicep type data in
 * tests/). Sorted. */
static const char *const network_versions[] = {
	"2018-04-01", "2018-06-01", "2018-07-01", "2018-08-01", "2018-10-01",
	"2018-11-01", "2018-12-01", "2019-02-01", "2019-04-01", "2019-06-01",
	"2019-07-01", "2019-08-01", "2019-09-01", "2019-11-01", "2019-12-01",
	"2020-03-01", "2020-04-01", "2020-05-01", "2020-06-01", "2020-07-01",
	"2020-08-01", "2020-11-01", "2021-02-01", "2021-03-01", "2021-05-01",
	"2021-08-01", "2022-01-01", "2022-05-01", "2022-07-01", "2022-09-01",
	"2022-11-01", "2023-02-01", "2023-04-01", "2023-05-01", "2023-06-01",
	"2023-09-01", "2023-11-01", "2024-01-01", "2024-03-01", "2024-05-01",
	"2024-07-01", "2024-10-01", "2025-01-01", "2025-05-01", "2025-07-01",
	"2025-09-01",
};

bool api_version_known(const char *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(network_versions); i++)
		if (strcmp(network_versions[i], v) == 0)
			return true;
	return false;
}

void api_version_explain(struct strbuf *sb, const char *v)
{
	size_t n = ARRAY_SIZE(network_versions), after = 0;

	while (after < n && strcmp(network_versions[after], v) < 0)
		after++;
	sb_printf(sb, "it knows the %zu from %s to %s that Microsoft documents",
		  n, network_versions[0], network_versions[n - 1]);
	if (after == 0)
		sb_printf(sb, "; the oldest is %s", network_versions[0]);
	else if (after == n)
		sb_printf(sb, "; the newest is %s", network_versions[n - 1]);
	else
		sb_printf(sb, "; the nearest are %s and %s", network_versions[after - 1],
			  network_versions[after]);
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
