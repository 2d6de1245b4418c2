/* Azure resource IDs of virtual networks: what `id` in a .peer file, the
 * live estate's JSON and Terraform's import blocks all spell the same way. */
#ifndef PEERC_AZID_H
#define PEERC_AZID_H

#include "common.h"

struct arena;

/* Splits /subscriptions/S/resourceGroups/G/providers/Microsoft.Network/
 * virtualNetworks/N (keywords in any case, as Azure accepts them) into S, G
 * and N, copied into a; false when id is not a VNet ID. */
bool azid_split_vnet(struct arena *a, const char *id, const char *part[3]);

/* The ID of the VNet N in group G of subscription S, in Azure's spelling. */
const char *azid_vnet(struct arena *a, const char *sub, const char *group,
		      const char *name);

/* A copy of id in lower case: IDs compare without regard to case. */
char *azid_key(struct arena *a, const char *id);

#endif
