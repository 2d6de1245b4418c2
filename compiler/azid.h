/* Azure resource IDs of Microsoft.Network resources: what `id` in a .peer
 * file, the live estate's JSON and Terraform's import blocks all spell the
 * same way. One parser and one printer, so that what the resolver writes
 * and what peerc import and drift compare it with are the same text. */
#ifndef PEERC_AZID_H
#define PEERC_AZID_H

#include "common.h"

struct arena;

/* The resource types peerc reads IDs of, as the ID's type segment. */
#define AZID_VNET "virtualNetworks"
#define AZID_GATEWAY "virtualNetworkGateways"

/* Splits /subscriptions/S/resourceGroups/G/providers/Microsoft.Network/
 * TYPE/N (segment names in any case, as Azure accepts them) into S, G and
 * N, copied into a, S in lower case when it is a GUID (azid_guid); false
 * when id is not of that form. */
bool azid_split(struct arena *a, const char *id, const char *type,
		const char *part[3]);

/* The ID of the resource TYPE named part[2] in group part[1] of
 * subscription part[0], with the segment names as Azure writes them:
 * azurerm's ID parsers are case-sensitive on them. */
const char *azid_format(struct arena *a, const char *const part[3], const char *type);

/* A subscription GUID in lower case (GUIDs that differ only in case are
 * one subscription); anything that is not a GUID's characters as given,
 * so that a check can report it as written. */
const char *azid_guid(struct arena *a, const char *sub);

/* A copy of id in lower case: IDs compare without regard to case. */
char *azid_key(struct arena *a, const char *id);

#endif
