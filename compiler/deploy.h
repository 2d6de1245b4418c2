/* Where the ARM and Bicep outputs deploy what, and in what order: the
 * placement rules both back ends follow, kept in one place. (A resource's
 * group is its VNet's, model.groups; the phases are enum deploy_phase.) */
#ifndef PEERC_DEPLOY_H
#define PEERC_DEPLOY_H

#include "common.h"
#include "model.h"

struct arena;

/* The phase of side k of peering p: DEPLOY_REMOTE_GATEWAYS when it must
 * wait for the other half (it uses the gateway that half offers), else
 * DEPLOY_PEERINGS. */
enum deploy_phase deploy_side_phase(const struct m_peering *p, int k);

/* The phase of a spoke's route table and subnet links: an existing spoke's
 * go where the main template reads the live subnets (DEPLOY_LOOKUP); a
 * created spoke's table is written with its VNet. */
enum deploy_phase deploy_route_table_phase(const struct m_vnet *spoke);

/* Whether peerc creates the gateway of v. */
static inline bool deploy_creates_gateway(const struct m_vnet *v)
{
	return v->gw && v->gw->source == GWSRC_CREATED;
}

/* Azure runs the operations on one VNet one after another; ARM and Bicep
 * create what they can at once, so the peering halves that touch a VNet
 * (as their own VNet or as the remote one: a peering's creation changes
 * the state of the remote VNet's half too) are chained. The halves are
 * put in one order, by (phase, group of their VNet, model order), and each
 * waits for the half before it that touches its local VNet and the one
 * that touches its remote VNet. Every wait goes to an earlier half in that
 * order, so there is no cycle, also between nested deployments, which wait
 * only for deployments of an earlier (phase, group); halves of unrelated
 * VNets do not wait for each other within a template.
 *
 * prev[2 * i + k] for side k of peering i: the indices (2 * j + m) of those
 * two halves, SIZE_MAX where there is none; a half's own other half may be
 * both. Linear in the number of peerings but for one sort. */
size_t (*deploy_chain(const struct model *m, struct arena *a))[2];

#endif
