/* The live estate: the virtual networks Azure reports, as read from the
 * JSON of `az network vnet list -o json` (one file per subscription, as
 * many files as given). `peerc import` turns it into a .peer file, `peerc
 * drift` compares it with one, and `--import-from` adopts its resources in
 * Terraform. Everything lives in one arena.
 *
 * Accepted shapes (doc/import.md): an array of VirtualNetwork objects as
 * az prints them (properties flattened, camelCase), the REST list
 * response `{"value": [...]}` whose objects keep their `properties`, or a
 * single VirtualNetwork (`az network vnet show`). Fields peerc does not
 * use are ignored, so newer API versions read; a field peerc uses with the
 * wrong type, or a document of another shape, is an error naming the file
 * and the JSON path ($[3].virtualNetworkPeerings[0].allowForwardedTraffic). */
#ifndef PEERC_LIVE_H
#define PEERC_LIVE_H

#include "common.h"
#include "addr.h"
#include "model.h"
#include "util.h"

struct diag_list;
struct source;

/* The largest JSON file read (output.h's limits: far above anything real,
 * so that /dev/zero ends in a message): 10,000 VNets are 13 MB of az JSON
 * (tests/bench), and one file is one subscription's list. */
#define LIVE_JSON_MAX ((size_t)256 << 20)

struct live_vnet;

/* One VirtualNetworkPeering: a side of a peering, in `vnet`. */
struct live_peering {
	struct live_vnet *vnet;
	const char *name;
	const char *remote_id;   /* remoteVirtualNetwork.id */
	struct live_vnet *remote; /* NULL: the remote VNet is not in the input */
	bool setting[PEERING_SETTINGS]; /* live_setting_property[] */
	const char *state;       /* peeringState; NULL when absent */
	const char *sync;        /* peeringSyncLevel; NULL when absent */
	/* remoteAddressSpace (what this side has synced of the remote), else
	 * remoteVirtualNetworkAddressSpace; has_remote_space false when
	 * neither is given. */
	struct ip_prefix *remote_space;
	size_t nremote_space;
	bool has_remote_space;
	const char *path;        /* JSON path, "$[3].virtualNetworkPeerings[0]" */
};

struct live_subnet {
	const char *name;
	struct ip_prefix *prefixes; /* addressPrefix, or addressPrefixes */
	size_t nprefixes;
	/* The subnet's settings a .peer file cannot express (network security
	 * group, route table, NAT gateway, delegations, service endpoints),
	 * as "networkSecurityGroup, routeTable", or NULL. */
	const char *unexpressed;
};

struct live_vnet {
	size_t index;            /* position in live.vnets */
	const char *id;
	const char *name;
	const char *subscription, *resource_group; /* from the ID */
	const char *location;
	struct ip_prefix *space; /* addressSpace.addressPrefixes, masked */
	size_t nspace;
	struct live_subnet *subnets;
	size_t nsubnets;
	struct ip_addr *dns;     /* dhcpOptions.dnsServers */
	size_t ndns;
	struct m_tag *tags;      /* in the input's order */
	size_t ntags;
	struct live_peering *peerings;
	size_t npeerings;
	/* A virtual network gateway has an IP configuration in one of its
	 * subnets (GatewaySubnet): the one evidence of a gateway the VNet
	 * list itself holds, and it gives the gateway's ID (canonical), else
	 * NULL. */
	const char *gateway_id;
	const struct source *file; /* the JSON file it came from */
	const char *path;          /* "$[3]" */
};

struct live {
	struct arena *arena;
	struct live_vnet *vnets;
	size_t nvnets, cap;
	struct strmap by_id;      /* lower-cased VNet ID -> struct live_vnet * */
	struct strmap subscriptions; /* lower-cased subscription -> itself */
	struct strmap groups;     /* lower-cased "subscription/group" -> itself */
};

/* The peering properties that hold the four settings, by enum
 * peering_setting: "allowVirtualNetworkAccess", ... */
extern const char *const live_setting_property[PEERING_SETTINGS];

void live_init(struct live *l, struct arena *a);

/* Reads one JSON document (name for messages). Every problem is reported to
 * diags (errors located in the JSON file: a syntax error at its line and
 * column, anything else at its JSON path); returns false when there was
 * one. A VNet already read from an earlier file is reported and skipped. */
bool live_read(struct live *l, const char *name, const char *text, size_t len,
	       struct diag_list *diags);

/* Links each peering to its VNet and its remote VNet once every file is
 * read; pointers into live.vnets are valid only from then on. */
void live_link(struct live *l);

/* The live VNet with this resource ID (any case), or NULL. */
struct live_vnet *live_find(const struct live *l, const char *id);
/* Whether any VNet of the input is in this subscription (any case): what
 * the input can say anything about. */
bool live_covers(const struct live *l, const char *subscription);

/* Whether a VNet of the input lives in this resource group (any case):
 * then the group exists. */
bool live_has_group(const struct live *l, const char *subscription,
		    const char *group);

/* The peering of v whose remote is the VNet with this ID, or NULL. */
struct live_peering *live_peering_to(const struct live_vnet *v,
				     const char *remote_id);

/* The ID of a model VNet: its `id`, else built from subscription, group
 * and name (NULL when one is missing). */
const char *live_model_id(struct arena *a, const struct m_vnet *v);

/* Whether two address spaces hold the same prefixes, in any order (Azure
 * keeps no order that matters). */
bool live_same_space(const struct ip_prefix *a, size_t na,
		     const struct ip_prefix *b, size_t nb);
/* "10.0.0.0/16, fd00::/48" */
const char *live_space_text(struct arena *a, const struct ip_prefix *p, size_t n);

#endif
