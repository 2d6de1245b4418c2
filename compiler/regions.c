#include "common.h"

#include <ctype.h>

#include "regions.h"
#include "util.h"

/* Source: the "Programmatic name" column of Microsoft's "Azure regions
 * list" (MicrosoftDocs/reliability-docs, articles/reliability/regions-list.md,
 * ms.date 09/23/2025), all tab. Added: swedensouth (listed there only as
 * Sweden Central's pair), jioindiacentral and jioindiawest (restricted,
 * shown by `az account list-locations`), and the two early-access (EUAP)
 * regions centraluseuap and eastus2euap, which deployments may name.
 * Sovereign clouds (China, US Government) are left out: a file for them
 * gets the warning, which -Wno-unknown-region silences.
 * Sorted, for bsearch. */
static const char *const regions[] = {
	"australiacentral",
	"australiacentral2",
	"australiaeast",
	"australiasoutheast",
	"austriaeast",
	"belgiumcentral",
	"brazilsouth",
	"brazilsoutheast",
	"canadacentral",
	"canadaeast",
	"centralindia",
	"centralus",
	"centraluseuap",
	"chilecentral",
	"denmarkeast",
	"eastasia",
	"eastus",
	"eastus2",
	"eastus2euap",
	"francecentral",
	"francesouth",
	"germanynorth",
	"germanywestcentral",
	"indonesiacentral",
	"israelcentral",
	"italynorth",
	"japaneast",
	"japanwest",
	"jioindiacentral",
	"jioindiawest",
	"koreacentral",
	"koreasouth",
	"malaysiawest",
	"mexicocentral",
	"newzealandnorth",
	"northcentralus",
	"northeurope",
	"norwayeast",
	"norwaywest",
	"polandcentral",
	"qatarcentral",
	"southafricanorth",
	"southafricawest",
	"southcentralus",
	"southeastasia",
	"southindia",
	"spaincentral",
	"swedencentral",
	"swedensouth",
	"switzerlandnorth",
	"switzerlandwest",
	"uaecentral",
	"uaenorth",
	"uksouth",
	"ukwest",
	"westcentralus",
	"westeurope",
	"westindia",
	"westus",
	"westus2",
	"westus3",
};

/* Regions with availability zones, where a zone-redundant public IP may
 * list zones 1, 2 and 3 (elsewhere Azure refuses the zones). Source: the
 * "Availability zone support" column of the same regions list, kept to the
 * regions whose zones are long established: a region missing here only
 * loses the explicit zones (the Terraform output then ignores what Azure
 * reports for them), while a region wrongly listed would fail to deploy.
 * Sorted, for bsearch. */
static const char *const zoned[] = {
	"australiaeast",
	"brazilsouth",
	"canadacentral",
	"centralindia",
	"centralus",
	"eastasia",
	"eastus",
	"eastus2",
	"francecentral",
	"germanywestcentral",
	"israelcentral",
	"italynorth",
	"japaneast",
	"koreacentral",
	"mexicocentral",
	"northeurope",
	"norwayeast",
	"polandcentral",
	"qatarcentral",
	"southafricanorth",
	"southcentralus",
	"southeastasia",
	"spaincentral",
	"swedencentral",
	"switzerlandnorth",
	"uaenorth",
	"uksouth",
	"westeurope",
	"westus2",
	"westus3",
};

size_t region_count(void)
{
	return ARRAY_SIZE(regions);
}

const char *region_at(size_t i)
{
	return regions[i];
}

static int name_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static const char *find(const char *name)
{
	const char *const *r = bsearch(name, regions, ARRAY_SIZE(regions),
				       sizeof(regions[0]), name_cmp);
	return r ? *r : NULL;
}

bool region_known(const char *name)
{
	return find(name) != NULL;
}

bool region_has_zones(const char *name)
{
	return name && bsearch(name, zoned, ARRAY_SIZE(zoned), sizeof(zoned[0]),
			       name_cmp) != NULL;
}

/* Lower case without spaces, '-' and '_': "West Europe" -> "westeurope".
 * Returns false when the name is too long to be a region. */
static bool fold(const char *name, char *out, size_t size)
{
	size_t n = 0;

	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;
		if (c == ' ' || c == '-' || c == '_')
			continue;
		if (n + 1 == size)
			return false;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	return true;
}

const char *region_hint(const char *name)
{
	char folded[64];
	const char *best;

	if (!fold(name, folded, sizeof(folded)))
		return NULL;
	if ((best = find(folded)))
		return best;
	/* A third of the name may be wrong: "westeurop", "eastus4", "uksoth";
	 * more than that is a guess, not a hint. */
	size_t max = strlen(folded) / 3, best_d = max + 1;
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		size_t d = edit_distance(folded, regions[i], max);
		if (d < best_d) {
			best_d = d;
			best = regions[i];
		}
	}
	return best;
}
