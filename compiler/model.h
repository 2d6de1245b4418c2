/* The resolved model: what the file means once names are resolved, defaults
 * applied, hub and mesh statements expanded and every check has passed.
 * Back ends read this and nothing else; they never re-derive a setting.
 * Everything lives in the run's arena. Order is the order of declaration, so
 * output is deterministic. */
#ifndef PEERC_MODEL_H
#define PEERC_MODEL_H

#include "common.h"
#include "addr.h"
#include "srcpos.h"

struct m_tag {
	const char *key, *value; /* own tags first, then defaults' not overridden */
};

/* Azure gives a subnet at most one prefix of each family. */
#define SUBNET_MAX_PREFIXES 2

struct m_route_table;

struct m_subnet {
	const char *name;
	/* In written order: one, or an IPv4 and an IPv6 prefix (dual stack). */
	struct ip_prefix prefixes[SUBNET_MAX_PREFIXES];
	size_t nprefixes;
	/* Takes its VNet's transit route table: false for Azure's special
	 * subnets (sema_special_subnet) and those written with
	 * `transit_routes = false`. */
	bool routed;
	/* The route table associated with it, or NULL: its VNet's transit
	 * table when routed, the hub's GatewaySubnet table for GatewaySubnet. */
	const struct m_route_table *route_table;
	struct loc loc;
};

/* GW_ANY: a gateway of unknown type, in an existing VNet the file does not
 * name it in. A gateway peerc creates or reads has a type. */
enum gateway_kind { GW_NONE, GW_ANY, GW_VPN, GW_EXPRESSROUTE };

enum gateway_source {
	GWSRC_CREATED, /* peerc creates it, with its public IP addresses */
	GWSRC_READ,    /* it exists, and the file names it: the outputs read it */
	GWSRC_ASSUMED, /* it exists in an existing VNet: trusted, not read */
};

/* A VNet's virtual network gateway. */
struct m_gateway {
	enum gateway_source source;
	const char *name;           /* NULL only when GWSRC_ASSUMED */
	const char *resource_group; /* where it lives (its VNet's, or its id's) */
	const char *subscription;
	const char *id;             /* the canonical ID given with `id`, or NULL */
	/* GWSRC_CREATED only: */
	const char *sku;            /* "VpnGw2AZ", "ErGw1AZ", ... */
	const char *generation;     /* "Generation1" or "2"; NULL for ExpressRoute */
	bool active_active;
	uint32_t bgp_asn;           /* 0: BGP off (VPN only) */
	/* Zone-redundant public IPs: zones 1, 2 and 3 written out, which only
	 * the regions with availability zones accept (regions.h). */
	bool zones;
	const char *public_ips[2];  /* their names; active-active has two */
	size_t npublic_ips;
};

struct m_vnet {
	size_t index;          /* position in model.vnets */
	const char *handle;    /* the name in the .peer file */
	const char *name;      /* the Azure resource name */
	const char *location;  /* NULL only for an existing VNet that gives none */
	const char *resource_group;
	const char *subscription; /* a GUID */
	bool existing;            /* read, not created */
	const char *id;           /* the literal resource ID given with `id`, or NULL */
	struct ip_prefix *space;  /* address space, masked, in written order */
	size_t nspace;
	struct m_subnet *subnets;
	size_t nsubnets;
	struct ip_addr *dns_servers;
	size_t ndns_servers;
	enum gateway_kind gateway;
	struct m_gateway *gw; /* set exactly when gateway != GW_NONE */
	/* The NVA's addresses, in written order: at most one per family, the
	 * next hop of the routes of that family. */
	struct ip_addr nvas[2];
	size_t nnvas;
	struct m_tag *tags;
	size_t ntags;
	size_t group;   /* its resource group: index into model.groups */
	struct loc loc; /* the name in the vnet statement */
};

/* The NVA address of a family, or NULL. */
static inline const struct ip_addr *m_vnet_nva(const struct m_vnet *v, enum ip_family f)
{
	for (size_t i = 0; i < v->nnvas; i++)
		if (v->nvas[i].family == f)
			return &v->nvas[i];
	return NULL;
}

/* Whether v's address space has a prefix of family f. */
static inline bool m_vnet_has_family(const struct m_vnet *v, enum ip_family f)
{
	for (size_t k = 0; k < v->nspace; k++)
		if (v->space[k].addr.family == f)
			return true;
	return false;
}

/* The four settings of one side of a peering: the portal's check boxes.
 * Arrays of settings are indexed by these. */
enum peering_setting {
	SET_ACCESS,          /* allowVirtualNetworkAccess */
	SET_FORWARDED,       /* allowForwardedTraffic */
	SET_GATEWAY_TRANSIT, /* allowGatewayTransit */
	SET_REMOTE_GATEWAY,  /* useRemoteGateways */
	PEERING_SETTINGS
};

/* One Azure peering resource: it lives in `vnet` and points at the other side. */
struct m_side {
	struct m_vnet *vnet;
	const char *name;     /* the peering resource's name */
	bool setting[PEERING_SETTINGS];
};

struct m_peering {
	struct m_side side[2]; /* side[0] is the first-named VNet (the hub of a hub) */
	/* The side that must exist before the other is created: the one that
	 * allows gateway transit when the other uses the remote gateway (Azure
	 * validates useRemoteGateways at creation). -1 when the order is free. */
	int first;
	struct loc loc; /* the first statement that declared the pair */
};

enum next_hop { HOP_VIRTUAL_APPLIANCE, HOP_VIRTUAL_NETWORK_GATEWAY };

struct m_route {
	const char *name;
	struct ip_prefix prefix;
	enum next_hop hop;
	struct ip_addr next_hop_ip; /* HOP_VIRTUAL_APPLIANCE only */
};

enum route_table_kind {
	RT_TRANSIT,        /* a spoke's: its routed subnets take it */
	RT_GATEWAY_SUBNET, /* a hub's GatewaySubnet's: on-premises to the
			    * spokes through the NVA */
};

/* A route table of a hub with transit, created in the resource group and
 * location of the VNet it lives in. Its subnets name it (m_subnet). The
 * routes of the spokes' tables of one hub may be one array, shared. */
struct m_route_table {
	enum route_table_kind kind;
	struct m_vnet *vnet; /* where it lives: the spoke, or the hub */
	struct m_vnet *hub;
	const char *name;
	/* Gateway route propagation: the routes the VNet's gateway learns
	 * (BGP) reach the subnets (false: disableBgpRoutePropagation). */
	bool propagate;
	const struct m_route *routes;
	size_t nroutes;
};

/* A resource group that holds VNets. */
struct m_group {
	const char *subscription, *resource_group;
	/* Created by the output (defaults.create_resource_groups), in
	 * `location`: the region of its first created VNet. False
	 * for a group that holds an existing VNet, which must exist. */
	bool create;
	const char *location;
	/* A created group's tags: the defaults' (the language gives a group
	 * none of its own, and a file has one defaults), so that a policy
	 * requiring a tag on resource groups passes. Shared by all groups. */
	const struct m_tag *tags;
	size_t ntags;
};

/* A hub statement, for the back ends that draw the topology (the ones that
 * write infrastructure need only the peerings and route tables it made). */
struct m_hub {
	struct m_vnet *hub;
	struct m_vnet **spokes;  /* in written order */
	size_t nspokes;
	bool transit;            /* spokes reach each other through the hub */
	enum next_hop transit_hop; /* through its NVA or its gateway, when transit */
	bool direct;             /* the spokes are also peered pairwise */
};

struct m_site {
	const char *name;
	struct ip_prefix *prefixes;
	size_t nprefixes;
	struct m_vnet *via;
	struct loc loc;
};

struct model {
	struct m_vnet *vnets;
	size_t nvnets;
	struct m_peering *peerings;
	size_t npeerings;
	struct m_route_table *route_tables;
	size_t nroute_tables;
	struct m_site *sites;
	size_t nsites;
	struct m_hub *hubs;   /* in source order */
	size_t nhubs;
	/* Distinct subscriptions in first-use order; [0] is the default one
	 * (defaults.subscription when given). */
	const char **subscriptions;
	size_t nsubscriptions;
	/* The resource group an ARM or Bicep deployment targets, in
	 * subscriptions[0]: defaults.resource_group, else the first VNet's
	 * there. Resources elsewhere go in nested deployments / modules. */
	const char *resource_group;
	/* The home group (resource_group in subscriptions[0]) first, then the
	 * VNets' groups in first-use order. */
	struct m_group *groups;
	size_t ngroups;
	const char *api_version; /* Microsoft.Network API version for ARM/Bicep */
	bool create_resource_groups; /* defaults.create_resource_groups */
	struct loc create_resource_groups_loc;
};

/* The API version when neither the command line nor the file gives one:
 * the newest stable Microsoft.Network version (azure.md 2.1). */
#define PEERC_DEFAULT_API_VERSION "2025-07-01"

#endif
