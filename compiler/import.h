/* peerc import: a live estate (compiler/live.h) as a .peer file that,
 * compiled, declares exactly the live peerings with their settings.
 *
 * - defaults: the most common subscription, resource group and region of
 *   the imported VNets, and the most common peering name pattern;
 * - VNets peered in the same way with one VNet become `hub H -> ...`
 *   (`gateway` where a gateway's IP configuration or a peering that uses
 *   it shows one), groups of VNets all peered with each other the same way
 *   become `mesh`, the rest `peer` statements with only the settings that
 *   differ from what the statement gives by itself;
 * - VNets named by a peering but absent from the input become `existing`
 *   with their ID and the address space the peering reports;
 * - half-peerings, peerings not Connected and peerings whose address spaces
 *   are out of sync get a `peer` statement of their own with a comment
 *   saying what is wrong and what to do, and a warning at their JSON path;
 * - names that are not valid handles get one, and `name = "..."` keeps the
 *   Azure name. */
#ifndef PEERC_IMPORT_H
#define PEERC_IMPORT_H

#include "common.h"

struct diag_list;
struct live;
struct strbuf;

struct import_options {
	/* Declare every VNet `existing` (by ID): the file then manages only
	 * the peerings, never a VNet's subnets or tags. */
	bool peerings_only;
	const char *const *inputs; /* the JSON files, named in the header */
	size_t ninputs;
};

/* Appends the .peer text to out; warnings go to diags. */
void import_estate(const struct live *l, const struct import_options *o,
		   struct diag_list *diags, struct strbuf *out);

#endif
