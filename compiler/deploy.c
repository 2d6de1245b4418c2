#include "common.h"

#include <stdlib.h>

#include "deploy.h"
#include "util.h"

enum deploy_phase deploy_side_phase(const struct m_peering *p, int k)
{
	return p->first >= 0 && p->first != k ? DEPLOY_REMOTE_GATEWAYS : DEPLOY_PEERINGS;
}

enum deploy_phase deploy_route_table_phase(const struct m_vnet *spoke)
{
	return spoke->existing || !spoke->location ? DEPLOY_LOOKUP : DEPLOY_NETWORK;
}

struct chain_key {
	enum deploy_phase phase;
	size_t group, side;
};

static int key_cmp(const void *x, const void *y)
{
	const struct chain_key *a = x, *b = y;

	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->side < b->side ? -1 : a->side > b->side;
}

size_t (*deploy_chain(const struct model *m, struct arena *a))[2]
{
	size_t n = 2 * m->npeerings;
	size_t (*prev)[2] = arena_alloc(a, (n + 1) * sizeof(*prev));
	struct chain_key *order = arena_alloc(a, (n + 1) * sizeof(*order));
	size_t *last = arena_alloc(a, (m->nvnets + 1) * sizeof(*last));

	for (size_t i = 0; i < m->nvnets; i++)
		last[i] = SIZE_MAX;
	for (size_t s = 0; s < n; s++) {
		const struct m_peering *p = &m->peerings[s / 2];
		order[s] = (struct chain_key){ deploy_side_phase(p, (int)(s % 2)),
					       p->side[s % 2].vnet->group, s };
	}
	qsort(order, n, sizeof(*order), key_cmp);
	for (size_t o = 0; o < n; o++) {
		size_t s = order[o].side;
		const struct m_peering *p = &m->peerings[s / 2];
		size_t local = p->side[s % 2].vnet->index;
		size_t remote = p->side[1 - s % 2].vnet->index;
		prev[s][0] = last[local];
		prev[s][1] = last[remote];
		last[local] = last[remote] = s;
	}
	return prev;
}
