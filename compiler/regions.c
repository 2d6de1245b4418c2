#include "common.h"

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

/* Lower case without the characters of `drop`: "West Europe" ->
 * "westeurope". Returns false when the name is too long to be a region. */
static bool fold(const char *name, const char *drop, char *out, size_t size)
{
	size_t n = 0;

	for (; *name; name++) {
		if (strchr(drop, *name))
			continue;
		if (n + 1 == size)
			return false;
		out[n++] = ascii_lower(*name);
	}
	out[n] = '\0';
	return true;
}

/* Azure reads a location without case and spaces, so that a region's
 * display name ("West Europe", "West US 2") is its programmatic name. */
#define AZURE_FOLDS " "
/* A hint also looks past what people put between words. */
#define HINT_FOLDS " -_"

const char *region_canonical(const char *name)
{
	char folded[64];

	return fold(name, AZURE_FOLDS, folded, sizeof(folded)) ? find(folded) : NULL;
}

const char *region_misspelt(const char *name)
{
	char folded[64];
	const char *found = NULL;

	if (!fold(name, AZURE_FOLDS, folded, sizeof(folded)) || find(folded))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		if (edit_distance(folded, regions[i], 1) != 1)
			continue;
		if (found)
			return NULL;
		found = regions[i];
	}
	return found;
}

const char *region_hint(const char *name)
{
	char folded[64];
	const char *best;

	if (!fold(name, HINT_FOLDS, folded, sizeof(folded)))
		return NULL;
	if ((best = find(folded)))
		return best;
	/* "westeurop", "eastus4", "uksoth" */
	return closest_match(folded, regions, ARRAY_SIZE(regions));
}
