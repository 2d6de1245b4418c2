/* Azure public-cloud regions by programmatic name (the `location` of a
 * resource), to catch a misspelt `in REGION` before Azure does. */
#ifndef PEERC_REGIONS_H
#define PEERC_REGIONS_H

#include "common.h"

/* Whether `name` is a known region's programmatic name (exact, lower case). */
bool region_known(const char *name);

/* The programmatic name of the region `name` names as Azure reads a
 * location, without case and spaces ("West Europe", "WestEurope" ->
 * "westeurope"), or NULL. */
const char *region_canonical(const char *name);

/* The one region that `name`, which names none, is a one-letter slip of (a
 * letter more, less or other: "westeurop", "uksuoth" is two), or NULL when
 * none is or several are ("westus4": westus2, westus3). */
const char *region_misspelt(const char *name);

/* The known region `name` most likely means: its programmatic spelling when
 * `name` is a display name or differs in case, spaces, '-' or '_' ("West
 * Europe", "west-europe"), else the closest by edit distance; NULL when no
 * region is close enough to suggest. */
const char *region_hint(const char *name);

/* Whether the region `name` (programmatic) is known to have availability
 * zones, so that a zone-redundant resource may name zones 1, 2 and 3. */
bool region_has_zones(const char *name);

size_t region_count(void);
const char *region_at(size_t i);

#endif
