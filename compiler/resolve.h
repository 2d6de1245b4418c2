/* Name resolution: the AST becomes the semantic data the checks read. Names
 * are looked up, defaults applied, hub and mesh statements expanded into
 * peerings and transit route tables built. The result holds the model the
 * back ends will read (sema.model) plus, beside every model object, where in
 * the file each of its settings came from, so a check can point at it.
 *
 * Every array below that says "parallel to" has the same length and order as
 * the model array it names. Every loc is a real place in the file: the
 * attribute that set the value, the defaults block entry it came from, or
 * the head of the statement that implied it. */
#ifndef PEERC_RESOLVE_H
#define PEERC_RESOLVE_H

#include "common.h"
#include "ast.h"
#include "model.h"
#include "util.h"

struct diag_list;

/* Where a setting came from. */
struct s_origin {
	struct loc loc;
	bool from_defaults; /* the defaults block gave it */
};

struct s_vnet {
	const struct stmt *stmt; /* the vnet statement */
	/* The address space and subnets as written (host bits and all), parallel
	 * to m_vnet.space and m_vnet.subnets: a subnet's first prefix, the
	 * next one its ->next (sema_value_at). */
	const struct value **space_src;
	const struct value **subnet_src;
	const struct value *nva_src;      /* the first NVA address; NULL: none */
	const struct value **dns_src;     /* parallel to m_vnet.dns_servers */
	struct loc space_loc;             /* the prefix list or address attribute */
	struct s_origin location, resource_group, subscription, name;
	struct loc gateway_loc;           /* LOC_NONE when no gateway */
	const struct attr *gateway_src;   /* the gateway attribute, or NULL */
	struct loc gateway_sku_loc;       /* the gateway's `sku`, else gateway_loc */
	struct loc gateway_name_loc;      /* the gateway's `name`, else gateway_loc */
	/* Peerings this VNet is a side of (indices into model.peerings), in
	 * model order. */
	size_t *peerings;
	size_t npeerings;
	/* Hub statements this VNet is a spoke of (indices into sema.hubs). */
	size_t *spoke_of;
	size_t nspoke_of;
	/* Sites via this VNet (indices into model.sites), in order. */
	size_t *sites;
	size_t nsites;
	/* The transit route table of this VNet as a spoke (the first, when
	 * route-table-conflict says there are two), or NULL. */
	const struct m_route_table *transit_table;
};

/* Per side of a peering: where each setting was given. */
struct s_side {
	struct loc setting[PEERING_SETTINGS];
	struct loc name;    /* the statement's `name` pattern, else its head */
	struct loc pattern; /* where the name pattern is written (the statement
			     * or defaults); LOC_NONE: the built-in one */
};

struct s_peering {
	struct s_side side[2]; /* parallel to m_peering.side */
	/* The statements that declared the pair, in source order (a pair may be
	 * declared by a peer, a hub and a mesh at once). */
	const struct stmt **stmts;
	size_t nstmts;
};

enum transit_mode { TRANSIT_NONE, TRANSIT_NVA, TRANSIT_GATEWAY };

/* What the spokes' transit route tables of a hub hold (`routes`). */
enum route_pattern {
	ROUTES_SPOKES,  /* each other spoke's prefixes: n - 1 spokes' worth */
	ROUTES_DEFAULT, /* 0.0.0.0/0 (and ::/0) to the NVA */
	ROUTES_SUMMARY, /* the hub's `summary` prefixes */
};

struct s_hub {
	const struct stmt *stmt;
	struct m_vnet *hub;
	struct m_vnet **spokes; /* in written order, the unknown ones left out */
	size_t nspokes;
	enum transit_mode transit;
	struct loc transit_loc;   /* LOC_NONE when no transit */
	bool direct;
	bool gateway;             /* gateway = H in effect, set or defaulted */
	bool gateway_implied;     /* only by default: H has a gateway */
	struct loc gateway_loc;   /* the attribute, or the statement head */
	/* The name pattern of its route tables ({spoke}, {hub}) and where it is
	 * written: the hub block or defaults; NULL and LOC_NONE: built in. */
	const char *rt_pattern;
	struct loc rt_pattern_loc;
	/* The routing options; each loc is LOC_NONE when not written. */
	enum route_pattern routes;
	struct loc routes_loc;
	struct ip_prefix *summary;       /* masked, in written order */
	const struct value *summary_src; /* the first; the next ones follow */
	size_t nsummary;
	struct loc summary_loc;
	bool propagate;                  /* propagate_gateway_routes */
	struct loc propagate_loc;
	bool gateway_subnet_routes;      /* a table on H's GatewaySubnet */
	struct loc gateway_subnet_routes_loc;
	/* Counted by expand_route_tables: the routes of the largest spoke
	 * table (and that spoke) and of the GatewaySubnet table. The tables
	 * are made only when each is within SEMA_MAX_ROUTES. */
	size_t most_routes;
	const struct m_vnet *most_routes_spoke;
	size_t gateway_routes;
};

struct s_site {
	const struct stmt *stmt;
	const struct value **prefix_src; /* parallel to m_site.prefixes */
	struct loc via_loc;
};

/* One end of a require or deny: a VNet or a site. */
struct s_end {
	struct m_vnet *vnet; /* exactly one of vnet and site is set */
	struct m_site *site;
	struct loc loc;
};

struct s_rule {
	const struct stmt *stmt;
	bool deny;
	struct s_end a, b;
};

struct sema {
	struct arena *arena;
	struct model model;
	struct s_vnet *vnets;       /* parallel to model.vnets */
	struct s_peering *peerings; /* parallel to model.peerings */
	struct s_site *sites;       /* parallel to model.sites */
	struct s_hub *hubs;
	size_t nhubs;
	size_t *route_table_hub;    /* parallel to model.route_tables: its hub in hubs */
	struct s_rule *rules;       /* require and deny, in source order */
	size_t nrules;
	const struct stmt *defaults; /* NULL when the file has none */
	const char *api_version;     /* defaults.api_version, or NULL */
	struct loc api_version_loc;  /* where it is written */
	struct strmap vnet_by_handle; /* handle -> struct m_vnet * */
	struct strmap site_by_name;   /* name -> struct m_site * */
	struct idmap pair_index;      /* internal: see sema_peering_between */
};

/* Resolves the file. Returns NULL only when ast is NULL. Every problem is
 * reported to diags (names: see resolve.c); when one was, the sema holds what
 * could be resolved, and the checks do not run on it. The model (and the
 * sema struct that holds it) is made in a; what only the checks read (the
 * per-VNet and per-peering records of where things were written, the name
 * maps) in checks_a, which may be a, and which the caller may free with the
 * AST it points into once the checks have run. */
struct sema *resolve(const struct ast_file *ast, struct arena *a,
		     struct arena *checks_a, struct diag_list *diags);

/* Whether an attribute always takes a value (`location = X`): it is an
 * attribute of some block and can be written bare in none. The parser's
 * hint for a missing '=' asks this. */
bool resolve_attr_takes_value(const char *name);

/* For editors' completion: the attributes of the block a statement of
 * kind k opens, or of the block named nested inside it (a vnet's
 * `gateway { }`; NULL: the statement's own), or with side those a side
 * qualifier takes (`A.access`). Fills up to max and returns how many. */
struct resolve_attr {
	const char *name;
	bool takes_value;           /* NAME = VALUE */
	bool flag;                  /* NAME alone */
	const char *const *choices; /* the names its value may be, or NULL */
};
size_t resolve_attrs_of(enum stmt_kind k, const char *nested, bool side,
			struct resolve_attr *out, size_t max);

/* The peering between two VNets (either order), as an index into
 * model.peerings, or -1. Average O(1). */
ptrdiff_t sema_peering_between(const struct sema *s, const struct m_vnet *a,
			       const struct m_vnet *b);

/* The keyword and names of a statement: where a diagnostic about a setting
 * the statement implies points (the whole statement may span many lines). */
struct loc sema_stmt_head(const struct stmt *st);

/* Azure's limit of peerings on one VNet (azure.md 4.5; 1,000 only through
 * AVNM, which peerc does not write). */
#define SEMA_MAX_PEERINGS 500
/* Azure's limit of routes in one route table (azure.md 4.5). */
#define SEMA_MAX_ROUTES 400

/* The next hop of hub h's transit routes for family f, in *out (hop and
 * next_hop_ip): false when h carries no traffic of that family (its NVA
 * has no address of it; a gateway carries both). */
bool sema_next_hop(const struct s_hub *h, enum ip_family f, struct m_route *out);

/* The name of Azure's subnet for virtual network gateways, matched
 * exactly (azurerm's IsGatewaySubnet does). */
#define SEMA_GATEWAY_SUBNET "GatewaySubnet"

/* A VNet's GatewaySubnet, or NULL. */
const struct m_subnet *sema_gateway_subnet(const struct m_vnet *v);

/* Whether a subnet name is one of Azure's subnets with a purpose of their
 * own (GatewaySubnet, AzureFirewallSubnet, ...), which never take a
 * transit route table: doc/language.md lists them with their sources. */
bool sema_special_subnet(const char *name);

/* The value k places further along a written list (a subnet's second
 * prefix, an NVA's second address). */
static inline const struct value *sema_value_at(const struct value *v, size_t k)
{
	while (k--)
		v = v->next;
	return v;
}

/* The language's name of a setting of a side ("remote_gateway"). */
const char *sema_setting_name(enum peering_setting k);

/* The side of peering p that lives in VNet v (0 or 1). */
static inline int sema_side_of(const struct m_peering *p, const struct m_vnet *v)
{
	return p->side[0].vnet == v ? 0 : 1;
}

#endif
