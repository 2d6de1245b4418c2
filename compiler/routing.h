/* Routing: where Azure sends a packet, hop by hop, by the routes the model
 * has (the system routes of VNets and peerings, the gateway's routes to
 * sites, and the route tables peerc writes), so that require, deny,
 * --explain and the checks follow the packets rather than the statements.
 *
 * Route selection is Microsoft's, "Virtual network traffic routing", How
 * Azure selects a route: the longest prefix that contains the destination
 * wins; among routes of the same prefix a user-defined route (a route
 * table's) wins over a BGP route (a gateway's), and a BGP route over a
 * system route; but the system routes of the VNet and of its peerings are
 * preferred over BGP routes even when those are more specific. So a route
 * table's route for a peered VNet's own prefix takes that traffic off the
 * peering (through the NVA), while a default route 0.0.0.0/0 does not.
 *
 * Every walk costs the route tables and peerings of the VNets it passes
 * (at most WALK_MAX_HOPS of them), never the size of the file. */
#ifndef PEERC_ROUTING_H
#define PEERC_ROUTING_H

#include "common.h"
#include "resolve.h"

/* A packet is forwarded by at most this many NVAs or gateways before it
 * counts as looping (one is the usual hub; two a chain of hubs). */
#define WALK_MAX_HOPS 4

enum walk_result {
	WALK_DELIVERED,
	WALK_NO_ROUTE,       /* at `at`, no route contains the destination */
	WALK_ACCESS,         /* `peering` has access = false on `side` */
	WALK_FORWARDED,      /* forwarded traffic, and `side` of `peering`
			      * does not accept it (forwarded = false) */
	WALK_NOT_ADVERTISED, /* from a site: the gateway of `at` does not
			      * advertise the destination's VNet */
	WALK_ASTRAY,         /* it reaches `at`, which is not the destination
			      * (their address spaces overlap) */
	WALK_LOOP,           /* more than WALK_MAX_HOPS forwarding hops */
};

/* What the packet passed, in order, for --explain's path: a peering it
 * crossed, the NVA or gateway that forwarded it, the gateway that took it
 * to a site. Each forwarding hop may cross a peering first, and the last
 * lookup adds one step. */
enum walk_step_kind { STEP_PEERING, STEP_NVA, STEP_GATEWAY };
struct walk_step {
	enum walk_step_kind kind;
	ptrdiff_t peering;           /* STEP_PEERING */
	const struct m_vnet *vnet;   /* STEP_NVA, STEP_GATEWAY: whose */
	const struct m_route *route; /* STEP_NVA, STEP_GATEWAY: the user route
				      * that sent it there (NULL: to a site) */
};
#define WALK_MAX_STEPS (2 * (WALK_MAX_HOPS + 1) + 1)

struct walk {
	enum walk_result result;
	const struct m_vnet *at;     /* where the packet was at the end */
	/* The first hop through an NVA or a gateway: the user route that
	 * sent it there, from the table of the VNet it left (NULL: none). */
	const struct m_route *udr;
	const struct m_route_table *udr_table;
	/* A peering toward the destination whose system route lost to that
	 * user route (the same prefix or a shorter one), or -1. */
	ptrdiff_t beaten_peering;
	ptrdiff_t peering;           /* the last peering crossed, or the one
				      * that refused it; -1 */
	int side;                    /* of `peering`, the side at fault */
	const struct m_vnet *gateway; /* delivered to a site: whose gateway */
	bool no_gateway_routes;      /* WALK_NO_ROUTE where the VNet's route
				      * table keeps gateway routes out */
	struct walk_step steps[WALK_MAX_STEPS];
	size_t nsteps;
};

/* The walk of a packet from VNet `from` toward dst, a prefix of VNet `to`
 * or of site `to_site` (exactly one of them). */
void routing_walk(const struct sema *s, const struct m_vnet *from,
		  const struct ip_prefix *dst, const struct m_vnet *to,
		  const struct m_site *to_site, struct walk *w);

/* The walk from site `site` (its gateway's VNet) toward dst, a prefix of
 * VNet `to`. */
void routing_walk_from_site(const struct sema *s, const struct m_site *site,
			    const struct ip_prefix *dst, const struct m_vnet *to,
			    struct walk *w);

/* The transit route table the traffic of v takes: v's, when one of its
 * subnets takes it or v declares no subnets (their routes are unknown to
 * peerc: the table is assumed, and unassociated-route-table warns); NULL
 * when every declared subnet is opted out. */
const struct m_route_table *routing_table_of(const struct sema *s, const struct m_vnet *v);

/* The VNet whose gateway's routes (BGP) reach v's subnets: v itself when
 * it has a gateway, the VNet whose gateway it uses (remote_gateway with
 * gateway_transit), or NULL. Route propagation is not looked at. */
const struct m_vnet *routing_gateway_of(const struct sema *s, const struct m_vnet *v);

#endif
