/* Terraform moved blocks: when a resource's address changes between the
 * previous output and this one, a `moved` block carries its state over,
 * so that the plan moves it instead of destroying and creating it. */
#ifndef PEERC_TF_MOVED_H
#define PEERC_TF_MOVED_H

#include "common.h"

struct arena;
struct tval;

/* The moved blocks from `old` (the previous output, which must be peerc's:
 * its first line is peerc's header) to `new`, as a list of objects with
 * raw `from` and `to` addresses; an empty list when there is nothing to
 * move or `old` is not peerc's. A resource is recognised by what names it
 * in Azure (type, name, resource group, the VNet a peering is in, ...), so
 * a new label for the same resource is a move. Moved blocks of `old` are
 * kept while their resource still needs them. Linear in the two texts;
 * any text is safe to give. */
struct tval *tf_moved(struct arena *a, const char *old, size_t oldlen,
		      const char *new, size_t newlen);

#endif
