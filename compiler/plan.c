/* The deployment plan (plan.h): units of resources that stay together,
 * chunked per (group, phase) within Azure's limits, deployments packed into
 * stages, then ordered, named, and their waits computed. Linear in the
 * model but for a sort of the deployments and the halves' chain. */
#include "common.h"

#include <stdlib.h>

#include "diag.h"
#include "names.h"
#include "plan.h"
#include "util.h"

/* ------------------------------------------------------------------ phases */

static const char *const phase_names[PLAN_PHASES] = {
	[PLAN_GROUPS] = "groups",
	[PLAN_NETWORK] = "network",
	[PLAN_LOOKUP] = "existing-route-tables",
	[PLAN_GATEWAYS] = "gateways",
	[PLAN_PEERINGS] = "peerings",
	[PLAN_REMOTE_GATEWAYS] = "remote-gateways",
};

const char *plan_phase_name(enum plan_phase ph)
{
	return phase_names[ph];
}

enum plan_phase plan_side_phase(const struct m_peering *p, int k)
{
	return p->first >= 0 && p->first != k ? PLAN_REMOTE_GATEWAYS : PLAN_PEERINGS;
}

/* ------------------------------------------------------------------- names */

/* A character Azure takes in a deployment's name. */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(name_rule(NAME_DEPLOYMENT)->punct, c));
}

/* Eight hex digits of FNV-1a over s: what tells apart two bases that
 * shortening or replacing characters made alike. */
static uint32_t base_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

const char *plan_base(struct arena *a, const char *output_name,
		      const char *source_name)
{
	enum { MAX_BASE = 20, HASH = 9 /* "-" and 8 hex digits */ };
	const char *from = output_name && strcmp(output_name, "-") != 0 ? output_name :
			   source_name && strcmp(source_name, "-") != 0 ? source_name : "main";
	const char *slash = strrchr(from, '/');
	char *base = arena_strdup(a, slash ? slash + 1 : from);
	char *dot = strrchr(base, '.');
	bool changed = false;

	if (dot && dot != base)
		*dot = '\0';
	uint32_t h = base_hash(base);
	for (char *p = base; *p; p++)
		if (!name_char(*p)) {
			*p = '-';
			changed = true;
		}
	/* Two outputs in one folder must not share module files or
	 * deployment names: a base made shorter or changed keeps a hash of
	 * the name it came from. */
	if (changed || strlen(base) > MAX_BASE) {
		if (strlen(base) > MAX_BASE - HASH)
			base[MAX_BASE - HASH] = '\0';
		return arena_printf(a, "%s-%08x", base, h);
	}
	return *base ? base : "main";
}

/* ------------------------------------------------------- resources, waits */

uint32_t plan_at(const struct plan *p, struct plan_ref r)
{
	switch (r.kind) {
	case PLAN_GROUP:
		return p->group_at[r.index];
	case PLAN_VNET:
		return p->vnet_at[r.index];
	case PLAN_ROUTE_TABLE:
		return p->table_at[r.index];
	case PLAN_SUBNET:
		return p->table_at[p->m->vnets[r.index].subnets[r.sub].route_table -
				   p->m->route_tables];
	case PLAN_PUBLIC_IP:
	case PLAN_GATEWAY:
		return p->gateway_at[r.index];
	case PLAN_SIDE:
		return p->side_at[r.index];
	}
	BUG();
}

static struct plan_ref ref(enum plan_kind kind, size_t index, size_t sub)
{
	return (struct plan_ref){ kind, (uint32_t)index, (uint32_t)sub };
}

static bool same_ref(struct plan_ref x, struct plan_ref y)
{
	return x.kind == y.kind && x.index == y.index && x.sub == y.sub;
}

static uint32_t table_index(const struct plan *p, const struct m_route_table *rt)
{
	return (uint32_t)(rt - p->m->route_tables);
}

/* What one waits for before naming v: the VNet when the output creates
 * it; else the last write of its subnets (a VNet being updated is not
 * ready for a peering: azure.md 6.3); else nothing. */
static bool anchor(const struct plan *p, const struct m_vnet *v, struct plan_ref *out)
{
	if (!v->existing) {
		*out = ref(PLAN_VNET, v->index, 0);
		return true;
	}
	if (p->last_subnet[v->index] == PLAN_NONE)
		return false;
	*out = ref(PLAN_SUBNET, v->index, p->last_subnet[v->index]);
	return true;
}

/* Appends r to out[*n] unless it is there. */
static void add_wait(struct plan_ref *out, size_t *n, struct plan_ref r)
{
	for (size_t i = 0; i < *n; i++)
		if (same_ref(out[i], r))
			return;
	out[(*n)++] = r;
}

/* The created group a resource of VNet v lives in. */
static void wait_group(const struct plan *p, const struct m_vnet *v,
		       struct plan_ref *out, size_t *n)
{
	if (p->subscription_scope && p->m->groups[v->group].create)
		add_wait(out, n, ref(PLAN_GROUP, v->group, 0));
}

static void side_waits(const struct plan *p, size_t s, struct plan_ref *out, size_t *n)
{
	const struct m_peering *pe = &p->m->peerings[s / 2];
	int k = (int)(s % 2);
	struct plan_ref r;

	wait_group(p, pe->side[k].vnet, out, n);
	for (int e = 0; e < 2; e++)
		if (anchor(p, pe->side[e ? !k : k].vnet, &r))
			add_wait(out, n, r);
	/* Azure does not change a VNet's peerings while its gateway is being
	 * made, and a half that uses the gateway needs it. */
	for (int e = 0; e < 2; e++) {
		const struct m_vnet *v = pe->side[e ? !k : k].vnet;
		if (plan_creates_gateway(v))
			add_wait(out, n, ref(PLAN_GATEWAY, v->index, 0));
	}
	if (plan_side_phase(pe, k) == PLAN_REMOTE_GATEWAYS)
		add_wait(out, n, ref(PLAN_SIDE, 2 * (s / 2) + (size_t)pe->first, 0));
	for (int e = 0; e < 2; e++)
		if (p->chain[s][e] != PLAN_NONE)
			add_wait(out, n, ref(PLAN_SIDE, p->chain[s][e], 0));
}

size_t plan_waits(const struct plan *p, struct plan_ref r, struct plan_ref *out)
{
	const struct model *m = p->m;
	size_t n = 0;
	struct plan_ref a;

	switch (r.kind) {
	case PLAN_GROUP:
		break;
	case PLAN_PUBLIC_IP:
		wait_group(p, &m->vnets[r.index], out, &n);
		break;
	case PLAN_VNET:
		/* the tables its subnets name, in their order */
		wait_group(p, &m->vnets[r.index], out, &n);
		for (size_t k = 0; k < m->vnets[r.index].nsubnets; k++)
			if (m->vnets[r.index].subnets[k].route_table)
				add_wait(out, &n, ref(PLAN_ROUTE_TABLE, table_index(p,
					m->vnets[r.index].subnets[k].route_table), 0));
		break;
	case PLAN_ROUTE_TABLE:
		wait_group(p, m->route_tables[r.index].vnet, out, &n);
		break;
	case PLAN_SUBNET: {
		const struct m_vnet *v = &m->vnets[r.index];
		add_wait(out, &n, ref(PLAN_ROUTE_TABLE,
				      table_index(p, v->subnets[r.sub].route_table), 0));
		for (size_t k = r.sub; k-- > 0;)
			if (v->subnets[k].route_table) {
				add_wait(out, &n, ref(PLAN_SUBNET, r.index, k));
				break;
			}
		break;
	}
	case PLAN_GATEWAY:
		wait_group(p, &m->vnets[r.index], out, &n);
		for (size_t k = 0; k < m->vnets[r.index].gw->npublic_ips; k++)
			add_wait(out, &n, ref(PLAN_PUBLIC_IP, r.index, k));
		if (anchor(p, &m->vnets[r.index], &a))
			add_wait(out, &n, a);
		break;
	case PLAN_SIDE:
		side_waits(p, r.index, out, &n);
		break;
	}
	return n;
}

size_t plan_depends(const struct plan *p, struct plan_ref r, struct plan_wait *out)
{
	struct plan_ref w[PLAN_MAX_WAITS];
	size_t n = plan_waits(p, r, w), k = 0;
	uint32_t here = plan_at(p, r);
	const struct plan_deployment *h = &p->deployments[here];

	for (size_t i = 0; i < n; i++) {
		uint32_t d = plan_at(p, w[i]);
		bool seen = false;
		if (d == here) {
			out[k++] = (struct plan_wait){ d, w[i] };
			continue;
		}
		if (!h->top || p->deployments[d].stage != h->stage)
			continue;
		for (size_t j = 0; j < k && !seen; j++)
			seen = out[j].deployment == d;
		if (!seen)
			out[k++] = (struct plan_wait){ d, w[i] };
	}
	return k;
}

/* ------------------------------------------------------------------- chain */

struct chain_key {
	uint32_t phase, group, side;
};

static int chain_cmp(const void *x, const void *y)
{
	const struct chain_key *a = x, *b = y;

	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->side < b->side ? -1 : a->side > b->side;
}

/* Each half waits for the half before it, in (phase, group of its VNet,
 * model order), that touches its local VNet, and the one that touches its
 * remote VNet: every wait goes to an earlier half, so there is no cycle. */
static void make_chain(struct plan *p, struct arena *a)
{
	const struct model *m = p->m;
	size_t n = 2 * m->npeerings;
	struct chain_key *order = xcalloc(n + 1, sizeof(*order));
	uint32_t *last = xcalloc(m->nvnets + 1, sizeof(*last));

	p->chain = arena_alloc(a, (n + 1) * sizeof(*p->chain));
	for (size_t i = 0; i < m->nvnets; i++)
		last[i] = PLAN_NONE;
	for (size_t s = 0; s < n; s++) {
		const struct m_peering *pe = &m->peerings[s / 2];
		order[s] = (struct chain_key){ plan_side_phase(pe, (int)(s % 2)),
			(uint32_t)pe->side[s % 2].vnet->group, (uint32_t)s };
	}
	qsort(order, n, sizeof(*order), chain_cmp);
	for (size_t o = 0; o < n; o++) {
		uint32_t s = order[o].side;
		const struct m_peering *pe = &m->peerings[s / 2];
		size_t local = pe->side[s % 2].vnet->index;
		size_t remote = pe->side[1 - s % 2].vnet->index;
		p->chain[s][0] = last[local];
		p->chain[s][1] = last[remote];
		last[local] = last[remote] = s;
	}
	free(order);
	free(last);
}

/* -------------------------------------------------------------- estimates */

size_t plan_resource(const struct plan *p, struct plan_ref r, const char **type,
		     const char **names)
{
	const struct model *m = p->m;
	const struct m_vnet *v = r.kind == PLAN_ROUTE_TABLE ? m->route_tables[r.index].vnet :
				 r.kind == PLAN_SIDE ? m->peerings[r.index / 2].side[r.index % 2].vnet :
				 r.kind == PLAN_GROUP ? NULL : &m->vnets[r.index];

	names[1] = names[2] = NULL;
	switch (r.kind) {
	case PLAN_GROUP:
		*type = "Microsoft.Resources/resourceGroups";
		names[0] = m->groups[r.index].resource_group;
		return r.index;
	case PLAN_VNET:
		*type = "Microsoft.Network/virtualNetworks";
		names[0] = v->name;
		break;
	case PLAN_ROUTE_TABLE:
		*type = "Microsoft.Network/routeTables";
		names[0] = m->route_tables[r.index].name;
		break;
	case PLAN_SUBNET:
		*type = "Microsoft.Network/virtualNetworks/subnets";
		names[0] = v->name;
		names[1] = v->subnets[r.sub].name;
		break;
	case PLAN_PUBLIC_IP:
		*type = "Microsoft.Network/publicIPAddresses";
		names[0] = v->gw->public_ips[r.sub];
		break;
	case PLAN_GATEWAY:
		*type = "Microsoft.Network/virtualNetworkGateways";
		names[0] = v->gw->name;
		break;
	case PLAN_SIDE:
		*type = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";
		names[0] = v->name;
		names[1] = m->peerings[r.index / 2].side[r.index % 2].name;
		break;
	}
	return v->group;
}

/* Upper bounds of the bytes the ARM template spends on each resource,
 * written as nested deployments write them (the deepest indentation, every
 * line with its comma), line by line as templates/arm/azuredeploy.json.tmpl
 * lays them out. The Bicep output deploys the same resources: what Bicep
 * compiles them to is the same JSON but for longer cross-scope IDs and a
 * template hash per module, far less than the indentation counted here
 * that a request does not carry (tests/unit/check_plan.c holds the
 * estimates against the ARM text). */
enum {
	DEPTH = 7,            /* a nested template's resource properties */
	API_VERSION = 10,
	ID_CALL = 20,         /* "[resourceId(" ... ")]" */
	GUID = 36,
	DEPLOYMENT_NAME = PLAN_MAX_DEPLOYMENT_NAME,
};

static size_t line(int depth, size_t len)
{
	return 2 * (size_t)depth + len + 2;
}

/* A string value as JSON writes it, quotes included (and a '[' doubled). */
static size_t json_len(const char *s)
{
	size_t n = 3;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		n += c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' ? 2 :
		     c < 0x20 ? 6 : 1;
	}
	return n;
}

/* A name inside an ARM expression: quoted, a quote in it doubled, then
 * the whole escaped as JSON. */
static size_t expr_len(const char *s)
{
	return 2 * json_len(s);
}

/* resourceId() of r within its template, and as another template names it
 * (with subscription and group, or the deployment that holds it): the
 * first when full is false, else the longer. */
static size_t id_len(const struct plan *p, struct plan_ref r, bool full)
{
	const char *type, *names[3];
	size_t g = plan_resource(p, r, &type, names);
	size_t where = 2 * (GUID + 4) + (r.kind == PLAN_GROUP ? 0 :
		expr_len(p->m->groups[g].resource_group) + 2);
	size_t n = ID_CALL + strlen(type) + 2, d;

	for (size_t i = 0; names[i]; i++)
		n += expr_len(names[i]) + 2;
	if (!full)
		return n;
	d = ID_CALL + where + strlen("Microsoft.Resources/deployments") + DEPLOYMENT_NAME + 6;
	return n + where > d ? n + where : d;
}

/* A dependsOn of what r waits for: all of it, as a main template's resource
 * names it (full), or what is in deployment d (a nested deployment's
 * resource names nothing else). */
static size_t est_depends(const struct plan *p, struct plan_ref r, bool full, uint32_t d)
{
	struct plan_ref w[PLAN_MAX_WAITS];
	size_t n = plan_waits(p, r, w), b = 0;

	for (size_t i = 0; i < n; i++)
		if (full || plan_at(p, w[i]) == d)
			b += line(DEPTH + 1, id_len(p, w[i], full));
	return b ? b + line(DEPTH, 14) + line(DEPTH, 1) : 0;
}

static size_t key_line(int depth, const char *key, size_t value)
{
	return line(depth, strlen(key) + 4 + value);
}

static size_t est_tags(const struct m_tag *tags, size_t n, int depth)
{
	size_t b = n ? line(depth, 9) + line(depth, 1) : 0;

	for (size_t i = 0; i < n; i++)
		b += line(depth + 1, json_len(tags[i].key) + 2 +
			  (*tags[i].value ? json_len(tags[i].value) : 16));
	return b;
}

/* The common head of a resource: braces, type, apiVersion, name, location,
 * tags (its dependsOn is counted where it is placed). */
static size_t est_head(const struct plan *p, struct plan_ref r, size_t name,
		       size_t location, const struct m_tag *tags, size_t ntags)
{
	const char *type, *names[3];

	plan_resource(p, r, &type, names);
	return line(DEPTH - 1, 1) * 2 + key_line(DEPTH, "type", strlen(type) + 2) +
	       key_line(DEPTH, "apiVersion", API_VERSION + 2) + key_line(DEPTH, "name", name) +
	       (location ? key_line(DEPTH, "location", location) : 0) +
	       est_tags(tags, ntags, DEPTH);
}

/* A location: a parameter named after the region, or a value read. */
static size_t est_location(const char *region)
{
	return 40 + (region ? expr_len(region) : 100);
}

enum { PREFIX = 3 + 43 }; /* the longest IPv6 prefix, quoted */

static size_t est_table(const struct plan *p, size_t i)
{
	const struct m_route_table *rt = &p->m->route_tables[i];
	const struct m_vnet *v = rt->vnet;
	size_t b = est_head(p, ref(PLAN_ROUTE_TABLE, i, 0), json_len(rt->name),
			    est_location(v->location), v->tags, v->ntags) +
		   line(DEPTH, 15) + line(DEPTH, 1) + line(DEPTH + 1, 14) + line(DEPTH + 1, 1) +
		   line(DEPTH + 1, 36);

	for (size_t k = 0; k < rt->nroutes; k++)
		b += line(DEPTH + 2, 1) * 2 + key_line(DEPTH + 3, "name", json_len(rt->routes[k].name)) +
		     line(DEPTH + 3, 15) + line(DEPTH + 3, 1) +
		     key_line(DEPTH + 4, "addressPrefix", PREFIX) +
		     key_line(DEPTH + 4, "nextHopType", 24) +
		     key_line(DEPTH + 4, "nextHopIpAddress", PREFIX);
	return b;
}

/* A subnet's prefixes: one, or addressPrefixes of two. */
static size_t est_prefixes(const struct m_subnet *sn)
{
	return sn->nprefixes > 1 ? line(DEPTH + 4, 20) + line(DEPTH + 4, 1) +
				   sn->nprefixes * line(DEPTH + 5, PREFIX) :
				   key_line(DEPTH + 4, "addressPrefix", PREFIX);
}

/* A created VNet with the route tables that live in it. */
static size_t est_vnet(const struct plan *p, const struct m_vnet *v)
{
	size_t b = est_head(p, ref(PLAN_VNET, v->index, 0), json_len(v->name),
			    est_location(v->location), v->tags, v->ntags) +
		   line(DEPTH, 15) + line(DEPTH, 1) +
		   4 * line(DEPTH + 1, 22) + (v->nspace + v->ndns_servers) * line(DEPTH + 3, PREFIX) +
		   4 * line(DEPTH + 1, 18) + line(DEPTH + 1, 14) + line(DEPTH + 1, 1);

	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_route_table *rt = v->subnets[i].route_table;
		b += line(DEPTH + 2, 1) * 2 + key_line(DEPTH + 3, "name", json_len(v->subnets[i].name)) +
		     line(DEPTH + 3, 15) + line(DEPTH + 3, 1) + est_prefixes(&v->subnets[i]) +
		     (rt ? line(DEPTH + 5, 8 + ID_CALL + 31 + expr_len(rt->name)) +
			   2 * line(DEPTH + 4, 16) : 0);
	}
	for (uint32_t k = p->table_start[v->index]; k < p->table_start[v->index + 1]; k++)
		b += est_table(p, p->tables[k]);
	return b;
}

/* An existing VNet's subnet write: the live subnet merged with its table. */
static size_t est_subnet(const struct plan *p, const struct m_vnet *v, size_t k)
{
	const struct m_route_table *rt = v->subnets[k].route_table;
	size_t name = json_len(v->name) + json_len(v->subnets[k].name);

	return est_head(p, ref(PLAN_SUBNET, v->index, k), name, 0, NULL, 0) +
	       key_line(DEPTH, "properties", 100 + 2 * name + ID_CALL + 31 + expr_len(rt->name));
}

static size_t est_gateway(const struct plan *p, const struct m_vnet *v)
{
	const struct m_gateway *gw = v->gw;
	size_t b = est_head(p, ref(PLAN_GATEWAY, v->index, 0), json_len(gw->name),
			    est_location(v->location), v->tags, v->ntags) +
		   20 * line(DEPTH + 2, 60);

	for (size_t k = 0; k < gw->npublic_ips; k++)
		b += est_head(p, ref(PLAN_PUBLIC_IP, v->index, k), json_len(gw->public_ips[k]),
			      est_location(v->location), v->tags, v->ntags) +
		     12 * line(DEPTH + 1, 40) + 12 * line(DEPTH + 4, 30) +
		     2 * line(DEPTH + 5, 20 + ID_CALL + 42 + 2 * json_len(v->name) +
			      expr_len(gw->public_ips[k]));
	return b;
}

static size_t est_side(const struct plan *p, size_t s)
{
	const struct m_peering *pe = &p->m->peerings[s / 2];
	const struct m_side *sd = &pe->side[s % 2];

	return est_head(p, ref(PLAN_SIDE, s, 0), json_len(sd->vnet->name) + json_len(sd->name),
			0, NULL, 0) + line(DEPTH, 15) + line(DEPTH, 1) + line(DEPTH + 1, 24) +
	       line(DEPTH + 1, 1) + line(DEPTH + 2, 8 + id_len(p, ref(PLAN_VNET,
			pe->side[!(s % 2)].vnet->index, 0), true)) + 4 * line(DEPTH + 1, 35);
}

static size_t est_group(const struct plan *p, size_t g)
{
	return est_head(p, ref(PLAN_GROUP, g, 0), json_len(p->m->groups[g].resource_group),
			est_location(p->m->groups[g].location), p->m->groups[g].tags,
			p->m->groups[g].ntags);
}

/* What a nested deployment adds around its template in the main one: its
 * head, properties, a parameter passed (declared inside too) and a
 * dependsOn entry. */
enum {
	DEPLOYMENT_HEAD = 1200,
	PARAMETER_PASSED = 700,
	DEPENDS_ENTRY = 400,
	TEMPLATE_HEAD = 400,   /* a nested template's own head */
	MAIN_HEAD = 6000,      /* a main template's metadata and parameters */
	MAIN_PER_GROUP = 200,  /* its list of the groups that must exist */
	REGION_PARAMETER = 300, /* a location parameter, declared */
};

/* A parameter a nested template declares for what its main template reads:
 * a live subnet, or an existing VNet's region. */
static size_t est_parameter(const struct m_vnet *v, const char *subnet)
{
	return 300 + 2 * (json_len(v->name) + (subnet ? json_len(subnet) : 0));
}

/* ------------------------------------------------------------------- units */

/* A unit: resources that go in one deployment. */
enum unit_kind {
	U_GROUP,   /* a created group */
	U_VNET,    /* a created VNet, with a created spoke's route table */
	U_TABLE,   /* an existing VNet's route tables and subnet writes */
	U_GATEWAY, /* a created gateway and its public IPs */
	U_SIDE,    /* a peering half */
};

struct unit {
	uint32_t kind, index;
	uint32_t bucket;   /* group * PLAN_PHASES + phase */
	uint32_t region;   /* of its location parameter, or PLAN_NONE */
	uint32_t resources, params;
	size_t bytes;
};

struct builder {
	struct plan *p;
	struct arena *a;
	struct diag_list *diags;
	const struct model *m;
	struct unit *units;      /* by bucket, in model order within it */
	size_t nunits;
	uint32_t *unit_at;       /* unit -> deployment */
	uint32_t *first_unit;    /* deployment -> its first unit */
	size_t cap;              /* of p->deployments, first_unit and dead */
	struct strmap regions;   /* region -> index + 1 */
	uint32_t nregions;
	uint32_t *region_mark;   /* region -> deployment + 1 that counted it */
	bool *dead;              /* deployment -> merged into the top one */
	uint32_t *sub_group;     /* group -> the first created group of its
				  * subscription, which PLAN_GROUPS buckets use */
	struct plan_wait *waits; /* the deployments' waits, while building */
	size_t waits_cap;
	bool failed;
};

static uint32_t region_of(struct builder *b, const char *location)
{
	uintptr_t at;

	if (!location)
		return PLAN_NONE;
	if ((at = (uintptr_t)strmap_get(&b->regions, location)) == 0) {
		at = ++b->nregions;
		strmap_put(&b->regions, location, (void *)at);
	}
	return (uint32_t)(at - 1);
}

static void unit_cost(struct builder *b, struct unit *u)
{
	const struct model *m = b->m;

	switch ((enum unit_kind)u->kind) {
	case U_GROUP:
		u->resources = 1;
		u->region = region_of(b, m->groups[u->index].location);
		u->bytes = est_group(b->p, u->index);
		return;
	case U_VNET: {
		const struct plan *p = b->p;
		u->resources = 1 + p->table_start[u->index + 1] - p->table_start[u->index];
		u->region = region_of(b, m->vnets[u->index].location);
		u->bytes = est_vnet(p, &m->vnets[u->index]);
		return;
	}
	case U_TABLE: {
		const struct plan *p = b->p;
		const struct m_vnet *v = &m->vnets[u->index];
		u->region = region_of(b, v->location);
		for (uint32_t k = p->table_start[v->index]; k < p->table_start[v->index + 1]; k++) {
			u->resources++;
			u->params += v->location ? 0 : 1;
			u->bytes += est_table(p, p->tables[k]) +
				    (v->location ? 0 : est_parameter(v, NULL));
		}
		for (size_t k = 0; k < v->nsubnets; k++)
			if (v->subnets[k].route_table) {
				u->resources++;
				u->params++;
				u->bytes += est_subnet(b->p, v, k) +
					    est_parameter(v, v->subnets[k].name);
			}
		return;
	}
	case U_GATEWAY:
		u->resources = 1 + (uint32_t)m->vnets[u->index].gw->npublic_ips;
		u->region = region_of(b, m->vnets[u->index].location);
		u->bytes = est_gateway(b->p, &m->vnets[u->index]);
		return;
	case U_SIDE:
		u->resources = 1;
		u->region = PLAN_NONE;
		u->bytes = est_side(b->p, u->index);
		return;
	}
	BUG();
}

static void add_unit(struct builder *b, struct unit **list, size_t *n, size_t *cap,
		     enum unit_kind kind, size_t index, size_t group, enum plan_phase ph)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*list = xrealloc(*list, *cap * sizeof(**list));
	}
	struct unit *u = &(*list)[(*n)++];
	*u = (struct unit){ .kind = kind, .index = (uint32_t)index,
			    .bucket = (uint32_t)(group * PLAN_PHASES + ph) };
	unit_cost(b, u);
}

/* Every unit in model order, then sorted (stably, by counting) by bucket. */
static void make_units(struct builder *b)
{
	const struct model *m = b->m;
	const struct plan *p = b->p;
	struct unit *all = NULL;
	size_t n = 0, cap = 0;

	for (size_t g = 0; p->subscription_scope && g < m->ngroups; g++)
		if (m->groups[g].create)
			add_unit(b, &all, &n, &cap, U_GROUP, g, b->sub_group[g], PLAN_GROUPS);
	for (size_t i = 0; i < m->nvnets; i++)
		if (!m->vnets[i].existing)
			add_unit(b, &all, &n, &cap, U_VNET, i, m->vnets[i].group, PLAN_NETWORK);
	/* An existing spoke's tables go where the main template reads the
	 * live subnets; a created spoke's are written with its VNet. */
	for (size_t i = 0; i < m->nvnets; i++)
		if (m->vnets[i].existing && p->table_start[i + 1] > p->table_start[i])
			add_unit(b, &all, &n, &cap, U_TABLE, i, m->vnets[i].group, PLAN_LOOKUP);
	for (size_t i = 0; i < m->nvnets; i++)
		if (plan_creates_gateway(&m->vnets[i]))
			add_unit(b, &all, &n, &cap, U_GATEWAY, i, m->vnets[i].group,
				 PLAN_GATEWAYS);
	for (size_t s = 0; s < 2 * m->npeerings; s++) {
		const struct m_peering *pe = &m->peerings[s / 2];
		add_unit(b, &all, &n, &cap, U_SIDE, s, pe->side[s % 2].vnet->group,
			 plan_side_phase(pe, (int)(s % 2)));
	}
	size_t nb = m->ngroups * PLAN_PHASES + 1;
	size_t *start = xcalloc(nb + 1, sizeof(*start));
	for (size_t i = 0; i < n; i++)
		start[all[i].bucket + 1]++;
	for (size_t k = 0; k < nb; k++)
		start[k + 1] += start[k];
	b->units = xcalloc(n + 1, sizeof(*b->units));
	for (size_t i = 0; i < n; i++)
		b->units[start[all[i].bucket]++] = all[i];
	b->nunits = n;
	free(start);
	free(all);
}

/* -------------------------------------------------------------- placement */

/* Unit i's resources are in deployment d. */
static void place_unit(struct builder *b, size_t i, uint32_t d)
{
	struct plan *p = b->p;
	const struct unit *u = &b->units[i];

	switch ((enum unit_kind)u->kind) {
	case U_GROUP:
		p->group_at[u->index] = d;
		break;
	case U_VNET:
	case U_TABLE:
		if (u->kind == U_VNET)
			p->vnet_at[u->index] = d;
		for (uint32_t k = p->table_start[u->index]; k < p->table_start[u->index + 1]; k++)
			p->table_at[p->tables[k]] = d;
		break;
	case U_GATEWAY:
		p->gateway_at[u->index] = d;
		break;
	case U_SIDE:
		p->side_at[u->index] = d;
		break;
	}
}

/* The resources' deployments, from their units'. */
static void place(struct builder *b)
{
	for (size_t i = 0; i < b->nunits; i++)
		place_unit(b, i, b->unit_at[i]);
}

/* The resources of unit u in the order a template lists them. */
static size_t unit_resources(const struct builder *b, const struct unit *u,
			     struct plan_ref *out, size_t max)
{
	const struct model *m = b->m;
	size_t n = 0;

	switch ((enum unit_kind)u->kind) {
	case U_GROUP:
		out[n++] = ref(PLAN_GROUP, u->index, 0);
		break;
	case U_VNET:
	case U_TABLE: {
		const struct m_vnet *v = &m->vnets[u->index];
		const struct plan *p = b->p;
		if (u->kind == U_VNET)
			out[n++] = ref(PLAN_VNET, u->index, 0);
		for (uint32_t k = p->table_start[v->index];
		     k < p->table_start[v->index + 1] && n < max; k++)
			out[n++] = ref(PLAN_ROUTE_TABLE, p->tables[k], 0);
		for (size_t k = 0; u->kind == U_TABLE && k < v->nsubnets && n < max; k++)
			if (v->subnets[k].route_table)
				out[n++] = ref(PLAN_SUBNET, v->index, k);
		break;
	}
	case U_GATEWAY:
		for (size_t k = 0; k < m->vnets[u->index].gw->npublic_ips; k++)
			out[n++] = ref(PLAN_PUBLIC_IP, u->index, k);
		out[n++] = ref(PLAN_GATEWAY, u->index, 0);
		break;
	case U_SIDE:
		out[n++] = ref(PLAN_SIDE, u->index, 0);
		break;
	}
	return n;
}

/* The dependsOn unit i writes in deployment d (placed there), or all of
 * them as a main template's resources (full). */
static size_t unit_depends(const struct builder *b, size_t i, uint32_t d, bool full)
{
	struct plan_ref res[PLAN_MAX_RESOURCES + 4];
	size_t n = unit_resources(b, &b->units[i], res, ARRAY_SIZE(res)), bytes = 0;

	for (size_t k = 0; k < n; k++)
		bytes += est_depends(b->p, res[k], full, d);
	return bytes;
}

/* --------------------------------------------------------------- chunking */

/* A unit that no deployment can hold: it needs what, hint says what to
 * change. */
static void unit_too_large(struct builder *b, const struct unit *u, const char *what,
			   const char *hint)
{
	const struct model *m = b->m;
	const struct m_vnet *v = u->kind == U_SIDE ? m->peerings[u->index / 2].side[u->index % 2].vnet :
				 u->kind == U_GROUP ? NULL : &m->vnets[u->index];
	struct diag *d = diag_add(b->diags, DIAG_ERROR, "template-size",
		v ? v->loc : LOC_NONE, "the ARM and Bicep outputs cannot deploy '%s': "
		"its %s would need %s in one deployment, past Azure's limit",
		v ? v->name : m->groups[u->index].resource_group,
		u->kind == U_TABLE ? "route tables and subnet writes" :
		u->kind == U_GATEWAY ? "gateway" : u->kind == U_SIDE ? "peering" :
		u->kind == U_GROUP ? "creation" : "definition", what);
	diag_note(b->diags, d, LOC_NONE, "Azure takes at most %d resources, %d "
		  "parameters and %d bytes per deployment: %s",
		  PLAN_MAX_RESOURCES, PLAN_MAX_PARAMETERS, PLAN_MAX_DEFINITION_BYTES, hint);
	b->failed = true;
}

static bool fits(uint32_t resources, uint32_t params, uint32_t regions, size_t bytes)
{
	return resources <= PLAN_MAX_RESOURCES && params + regions <= PLAN_MAX_PARAMETERS &&
	       bytes <= PLAN_DEPLOYMENT_BUDGET;
}

static void check_unit(struct builder *b, const struct unit *u, size_t deps)
{
	uint32_t regions = u->region != PLAN_NONE;

	if (fits(u->resources, u->params, regions,
		 TEMPLATE_HEAD + u->bytes + deps + regions * REGION_PARAMETER))
		return;
	/* Each subnet given a route table is a resource (and, in an existing
	 * VNet, a parameter); the bytes are names, tags and subnets. */
	if (u->resources > PLAN_MAX_RESOURCES || u->params + regions > PLAN_MAX_PARAMETERS)
		unit_too_large(b, u, u->resources > PLAN_MAX_RESOURCES ?
			arena_printf(b->a, "%u resources", u->resources) :
			arena_printf(b->a, "%u parameters", u->params + regions),
			"give fewer of its subnets a route table (transit_routes = false)");
	else
		unit_too_large(b, u, arena_printf(b->a, "about %zu bytes", u->bytes + deps),
			       "write fewer subnets, or shorter names and tags");
}

static uint32_t new_deployment(struct builder *b, uint32_t group, enum plan_phase ph,
			       uint32_t chunk, uint32_t first)
{
	struct plan *p = b->p;

	if (p->ndeployments == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		p->deployments = xrealloc(p->deployments, b->cap * sizeof(*p->deployments));
		b->first_unit = xrealloc(b->first_unit, b->cap * sizeof(*b->first_unit));
		b->dead = xrealloc(b->dead, b->cap * sizeof(*b->dead));
	}
	p->deployments[p->ndeployments] = (struct plan_deployment){
		.group = group, .phase = ph, .chunk = chunk, .bytes = TEMPLATE_HEAD };
	b->first_unit[p->ndeployments] = first;
	b->dead[p->ndeployments] = false;
	return p->ndeployments++;
}

/* Adds unit i, whose dependsOn there weighs deps, to deployment d. */
static void take(struct builder *b, uint32_t d, size_t i, size_t deps)
{
	struct plan_deployment *dp = &b->p->deployments[d];
	const struct unit *u = &b->units[i];

	dp->nresources += u->resources;
	dp->nparams += u->params;
	dp->bytes += u->bytes + deps;
	if (u->region != PLAN_NONE && b->region_mark[u->region] != d + 1) {
		b->region_mark[u->region] = d + 1;
		dp->nregions++;
		dp->bytes += REGION_PARAMETER;
	}
	b->unit_at[i] = d;
	place_unit(b, i, d);
}

/* Cut each bucket's units, in order, into deployments within the limits:
 * a unit joins the deployment before it when both are of one bucket and it
 * fits, its dependsOn on what that deployment holds counted. */
static void chunk(struct builder *b)
{
	struct plan *p = b->p;
	uint32_t d = PLAN_NONE;

	b->unit_at = xcalloc(b->nunits + 1, sizeof(*b->unit_at));
	b->region_mark = xcalloc(b->nregions + 1, sizeof(*b->region_mark));
	for (size_t i = 0; i < b->nunits; i++) {
		const struct unit *u = &b->units[i];
		const struct plan_deployment *dp = d == PLAN_NONE ? NULL : &p->deployments[d];
		bool same = dp && dp->group * PLAN_PHASES + dp->phase == u->bucket;
		uint32_t region = u->region != PLAN_NONE && b->region_mark[u->region] != d + 1;
		size_t deps = 0;

		if (same) {
			place_unit(b, i, d);
			deps = unit_depends(b, i, d, false);
		}
		if (!same || !fits(dp->nresources + u->resources, dp->nparams + u->params,
				   dp->nregions + region, dp->bytes + u->bytes + deps +
				   region * REGION_PARAMETER)) {
			d = new_deployment(b, u->bucket / PLAN_PHASES,
					   (enum plan_phase)(u->bucket % PLAN_PHASES),
					   same ? dp->chunk + 1 : 0, (uint32_t)i);
			place_unit(b, i, d);
			deps = unit_depends(b, i, d, false);
			check_unit(b, u, deps);
		}
		take(b, d, i, deps);
	}
}

/* A dense number for each resource a nested deployment can wait for in a
 * main template. */
static size_t ref_id(const struct model *m, struct plan_ref r)
{
	switch (r.kind) {
	case PLAN_GROUP:
		return r.index;
	case PLAN_VNET:
		return m->ngroups + r.index;
	case PLAN_GATEWAY:
		return m->ngroups + m->nvnets + r.index;
	case PLAN_SIDE:
		return m->ngroups + 2 * m->nvnets + r.index;
	default:
		BUG();
	}
}

/* Each nested deployment's waits: the deployments and the main template's
 * resources its resources wait for, in the order its resources are listed
 * and then their waits, each once. Computed once the deployments are
 * chosen, before they are packed into stages (stage_waits keeps those of
 * each deployment's own stage). */
static void compute_waits(struct builder *b)
{
	struct plan *p = b->p;
	const struct model *m = b->m;
	uint32_t *dep_mark = xcalloc(p->ndeployments + 1, sizeof(*dep_mark));
	uint32_t *res_mark = xcalloc(m->ngroups + 2 * m->nvnets + 2 * m->npeerings + 1,
				     sizeof(*res_mark));
	struct plan_ref res[PLAN_MAX_RESOURCES + 4], w[PLAN_MAX_WAITS];
	size_t n = 0;

	for (uint32_t d = 0; d < p->ndeployments; d++) {
		struct plan_deployment *dp = &p->deployments[d];
		dp->waits = (uint32_t)n;
		dp->nwaits = 0;
		if (dp->top || b->dead[d])
			continue;
		for (size_t u = b->first_unit[d]; u < b->nunits && b->unit_at[u] == d; u++) {
			size_t nr = unit_resources(b, &b->units[u], res, ARRAY_SIZE(res));
			for (size_t i = 0; i < nr; i++) {
				size_t nw = plan_waits(p, res[i], w);
				for (size_t k = 0; k < nw; k++) {
					uint32_t e = plan_at(p, w[k]);
					if (e == d)
						continue;
					uint32_t *mark = p->deployments[e].top ?
						&res_mark[ref_id(m, w[k])] : &dep_mark[e];
					if (*mark == d + 1)
						continue;
					*mark = d + 1;
					if (n == b->waits_cap) {
						b->waits_cap = b->waits_cap ? 2 * b->waits_cap : 256;
						b->waits = xrealloc(b->waits, b->waits_cap *
								    sizeof(*b->waits));
					}
					b->waits[n++] = (struct plan_wait){ e, w[k] };
					dp->nwaits++;
				}
			}
		}
	}
	free(dep_mark);
	free(res_mark);
}

/* The waits of each deployment on its own stage, into the plan's arena:
 * an earlier stage has finished before a stage is deployed, and no wait
 * goes to a later one (stages are cut in the order every wait goes back
 * in). */
static void stage_waits(struct builder *b)
{
	struct plan *p = b->p;
	uint32_t n = 0;

	p->waits = arena_alloc(b->a, (b->waits_cap + 1) * sizeof(*p->waits));
	for (uint32_t d = 0; d < p->ndeployments; d++) {
		struct plan_deployment *dp = &p->deployments[d];
		uint32_t from = dp->waits, nw = dp->nwaits;
		dp->waits = n;
		dp->nwaits = 0;
		for (uint32_t i = from; i < from + nw; i++) {
			uint32_t at = p->deployments[b->waits[i].deployment].stage;
			if (at > dp->stage)
				BUG();
			if (at < dp->stage)
				continue;
			p->waits[n++] = b->waits[i];
			dp->nwaits++;
		}
	}
}

/* ----------------------------------------------------------------- stages */

/* What a nested deployment weighs in its stage's request. */
static size_t wrapped(const struct plan_deployment *d)
{
	return d->bytes + DEPLOYMENT_HEAD + (d->nparams + d->nregions) * PARAMETER_PASSED +
	       d->nwaits * DEPENDS_ENTRY;
}

static size_t main_head(const struct builder *b)
{
	return MAIN_HEAD + b->m->ngroups * MAIN_PER_GROUP + b->nregions * REGION_PARAMETER;
}

static bool stage_fits(const struct builder *b, uint32_t resources, size_t bytes)
{
	return resources <= PLAN_MAX_RESOURCES && bytes + main_head(b) <= PLAN_STAGE_BUDGET &&
	       b->nregions <= PLAN_MAX_PARAMETERS;
}

/* The home group's resources (but for those the main template reads
 * values for) as the main template's own, when the whole output then fits
 * one request: what a user would write by hand for a small estate. */
static bool try_top(struct builder *b)
{
	struct plan *p = b->p;
	uint32_t n = p->ndeployments, top = PLAN_NONE, resources = 0;
	uint32_t *saved;
	size_t bytes = 0;

	/* Every unit's bytes are in the request, the top one's or nested:
	 * an output past that needs no trial. */
	for (size_t u = 0; u < b->nunits; u++)
		bytes += b->units[u].bytes;
	if (!stage_fits(b, 0, bytes))
		return false;
	bytes = 0;
	saved = xcalloc(b->nunits + 1, sizeof(*saved));
	memcpy(saved, b->unit_at, b->nunits * sizeof(*saved));
	for (uint32_t d = 0; d < n; d++) {
		if (p->deployments[d].group != 0 || p->deployments[d].phase == PLAN_LOOKUP)
			continue;
		if (top == PLAN_NONE)
			top = new_deployment(b, 0, PLAN_NETWORK, 0, b->first_unit[d]);
		for (size_t u = b->first_unit[d]; u < b->nunits && saved[u] == d; u++)
			take(b, top, u, unit_depends(b, u, top, true));
		b->dead[d] = true;
	}
	if (top != PLAN_NONE) {
		p->deployments[top].top = true;
		place(b);
		compute_waits(b);
		for (uint32_t d = 0; d < p->ndeployments; d++) {
			const struct plan_deployment *dp = &p->deployments[d];
			if (b->dead[d])
				continue;
			resources += dp->top ? dp->nresources : 1;
			bytes += dp->top ? dp->bytes : wrapped(dp);
		}
		if (!stage_fits(b, resources, bytes)) {
			memcpy(b->unit_at, saved, b->nunits * sizeof(*saved));
			memset(b->dead, 0, n * sizeof(*b->dead));
			p->ndeployments = n;
			top = PLAN_NONE;
		}
	}
	free(saved);
	return top != PLAN_NONE;
}

/* A deployment's place in an order: sorted as keys, since qsort passes
 * no context. */
struct order_key {
	uint32_t k[5];
};

static int key_cmp(const void *x, const void *y)
{
	const struct order_key *a = x, *b = y;

	for (size_t i = 0; i < ARRAY_SIZE(a->k); i++)
		if (a->k[i] != b->k[i])
			return a->k[i] < b->k[i] ? -1 : 1;
	return 0;
}

/* The live deployments sorted by the keys key() gives; returns how many. */
static uint32_t sorted(const struct builder *b, struct order_key *keys,
		       struct order_key (*key)(const struct plan_deployment *, uint32_t))
{
	uint32_t n = 0;

	for (uint32_t d = 0; d < b->p->ndeployments; d++)
		if (!b->dead[d])
			keys[n++] = key(&b->p->deployments[d], d);
	qsort(keys, n, sizeof(*keys), key_cmp);
	return n;
}

/* (phase, group, chunk): the order every wait goes back in. */
static struct order_key by_phase(const struct plan_deployment *d, uint32_t i)
{
	return (struct order_key){ { !d->top, d->phase, d->group, d->chunk, i } };
}

/* (stage, top first, group, phase, chunk): the order of the output. */
static struct order_key by_stage(const struct plan_deployment *d, uint32_t i)
{
	return (struct order_key){ { d->stage, !d->top, d->group,
				     d->phase * 65536u + d->chunk, i } };
}

/* Deployments into stages, greedily in (phase, group, chunk). */
static void pack_stages(struct builder *b)
{
	struct plan *p = b->p;
	struct order_key *keys = xcalloc(p->ndeployments + 1, sizeof(*keys));
	uint32_t n = sorted(b, keys, by_phase), stage = 0, resources = 0, members = 0;
	size_t bytes = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct plan_deployment *d = &p->deployments[keys[i].k[4]];
		uint32_t r = d->top ? d->nresources : 1;
		size_t w = d->top ? d->bytes : wrapped(d);
		if (members && !stage_fits(b, resources + r, bytes + w)) {
			stage++;
			resources = members = 0;
			bytes = 0;
		}
		d->stage = stage;
		resources += r;
		bytes += w;
		members++;
	}
	free(keys);
}

/* Deployments in output order, the dead ones dropped. */
static void reorder(struct builder *b)
{
	struct plan *p = b->p;
	struct order_key *keys = xcalloc(p->ndeployments + 1, sizeof(*keys));
	uint32_t n = sorted(b, keys, by_stage);
	uint32_t *to = xcalloc(p->ndeployments + 1, sizeof(*to));
	struct plan_deployment *ds = arena_alloc(b->a, (n + 1) * sizeof(*ds));
	uint32_t *first = xcalloc(n + 1, sizeof(*first));

	for (uint32_t i = 0; i < n; i++) {
		to[keys[i].k[4]] = i;
		ds[i] = p->deployments[keys[i].k[4]];
		first[i] = b->first_unit[keys[i].k[4]];
	}
	for (size_t u = 0; u < b->nunits; u++)
		b->unit_at[u] = to[b->unit_at[u]];
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < ds[i].nwaits; k++)
			b->waits[ds[i].waits + k].deployment = to[b->waits[ds[i].waits + k].deployment];
	free(p->deployments);
	free(b->first_unit);
	p->deployments = ds;
	p->ndeployments = n;
	b->first_unit = first;
	for (size_t d = 0; d < b->cap; d++)
		b->dead[d] = false;
	free(keys);
	free(to);
}

static void make_stages(struct builder *b)
{
	struct plan *p = b->p;
	uint32_t cap = 0;

	p->nstages = 0;
	for (uint32_t d = 0; d < p->ndeployments; d++) {
		const struct plan_deployment *dp = &p->deployments[d];
		if (d == 0 || dp->stage != p->deployments[d - 1].stage) {
			ARENA_PUSH(b->a, p->stages, p->nstages, cap);
			p->stages[p->nstages - 1] = (struct plan_stage){ .first = d };
		}
		struct plan_stage *s = &p->stages[p->nstages - 1];
		s->n++;
		s->nresources += dp->top ? dp->nresources : 1;
		s->bytes += dp->top ? dp->bytes : wrapped(dp);
	}
	if (p->nstages == 0) {
		ARENA_PUSH(b->a, p->stages, p->nstages, cap);
		p->stages[0] = (struct plan_stage){ 0 };
	}
	for (uint32_t s = 0; s < p->nstages; s++)
		p->stages[s].bytes += main_head(b);
}

/* ------------------------------------------------------------------ names */

/* The index + 1 of sub in model.subscriptions. */
static size_t subscription_number(const struct model *m, const char *sub)
{
	for (size_t i = 0; i < m->nsubscriptions; i++)
		if (strcmp(m->subscriptions[i], sub) == 0)
			return i + 1;
	return 0;
}

static const char *deployment_name(struct builder *b, const struct plan_deployment *d,
				   const char *label)
{
	return arena_printf(b->a, "peerc-%s-%s-%s%s", b->p->base, label,
			    phase_names[d->phase], d->chunk ?
			    arena_printf(b->a, "-%u", d->chunk + 1) : "");
}

/* Whether label names all of ds (n of them) validly (names.h) and
 * uniquely. */
static bool label_fits(struct builder *b, const char *label, const uint32_t *ds,
		       size_t n, const struct strmap *names)
{
	char why[64];

	for (size_t i = 0; i < n; i++) {
		const char *name = deployment_name(b, &b->p->deployments[ds[i]], label);
		if (name_problem(NAME_DEPLOYMENT, name, why, sizeof(why)) ||
		    strmap_get(names, arena_lower(b->a, name)))
			return false;
	}
	return true;
}

/* Each group's deployments are named after it (its resource group's name,
 * else "group<N>", N from 1 in the groups' order; the subscription's
 * "sub<N>" for the groups it creates), so that names are valid, distinct
 * from each other without case, and the same from run to run. */
static void name_deployments(struct builder *b)
{
	struct plan *p = b->p;
	const struct model *m = b->m;
	struct strmap names;
	uint32_t *by_key = xcalloc(p->ndeployments + 1, sizeof(*by_key));
	size_t *start = xcalloc(m->ngroups * 2 + 2, sizeof(*start));

	strmap_init(&names, b->a);
	/* Deployments by (groups phase or not, group): counting sort. */
	for (uint32_t d = 0; d < p->ndeployments; d++)
		if (!p->deployments[d].top)
			start[2 * p->deployments[d].group + (p->deployments[d].phase != PLAN_GROUPS) + 1]++;
	for (size_t k = 0; k < 2 * m->ngroups + 1; k++)
		start[k + 1] += start[k];
	for (uint32_t d = 0; d < p->ndeployments; d++)
		if (!p->deployments[d].top)
			by_key[start[2 * p->deployments[d].group +
				     (p->deployments[d].phase != PLAN_GROUPS)]++] = d;
	for (size_t k = 2 * m->ngroups; k-- > 0;)
		start[k + 1] = start[k];
	start[0] = 0;
	for (size_t key = 0; key < 2 * m->ngroups; key++) {
		const uint32_t *ds = &by_key[start[key]];
		size_t n = start[key + 1] - start[key], g = key / 2;
		if (!n)
			continue;
		const char *label = key % 2 ? m->groups[g].resource_group :
			arena_printf(b->a, "sub%zu", subscription_number(m, m->groups[g].subscription));
		for (unsigned k = 1; !label_fits(b, label, ds, n, &names); k++)
			label = k == 1 ? arena_printf(b->a, "group%zu", g + 1) :
				arena_printf(b->a, "group%zu-%u", g + 1, k);
		for (size_t i = 0; i < n; i++) {
			struct plan_deployment *d = &p->deployments[ds[i]];
			d->name = deployment_name(b, d, label);
			d->file = d->name + strlen("peerc-");
			strmap_put(&names, arena_lower(b->a, d->name), d);
		}
	}
	free(by_key);
	free(start);
}

/* ----------------------------------------------------------------- limits */

/* Azure keeps 800 deployments per resource group (and per subscription for
 * subscription-level ones); a stage's main deployment counts too. */
static void check_history(struct builder *b)
{
	const struct plan *p = b->p;
	const struct model *m = b->m;
	uint32_t *count = xcalloc(m->ngroups + 1, sizeof(*count));

	for (uint32_t d = 0; d < p->ndeployments; d++)
		if (!p->deployments[d].top && p->deployments[d].phase != PLAN_GROUPS)
			count[p->deployments[d].group]++;
	if (m->ngroups && !p->subscription_scope)
		count[0] += p->nstages;
	for (size_t g = 0; g < m->ngroups; g++) {
		if (count[g] <= PLAN_MAX_GROUP_DEPLOYMENTS)
			continue;
		struct loc at = LOC_NONE;
		for (size_t i = 0; i < m->nvnets; i++)
			if (m->vnets[i].group == g) {
				at = m->vnets[i].loc;
				break;
			}
		struct diag *d = diag_add(b->diags, DIAG_ERROR, "template-size", at,
			"the ARM and Bicep outputs would make %u deployments in resource "
			"group '%s', and Azure keeps at most %d in a group's history",
			count[g], m->groups[g].resource_group, PLAN_MAX_GROUP_DEPLOYMENTS);
		diag_note(b->diags, d, LOC_NONE, "spread its VNets over more resource groups");
		b->failed = true;
	}
	free(count);
}

/* ----------------------------------------------------------------- stages */

size_t plan_stage_groups(const struct plan *p, uint32_t s, uint32_t *out,
			 size_t *created)
{
	const struct plan_stage *st = &p->stages[s];
	bool *seen = xcalloc(p->m->ngroups + 1, sizeof(*seen));
	size_t n = 0, k = 0;

	if (p->m->ngroups && !p->subscription_scope) {
		seen[0] = true;
		out[n++] = 0;
	}
	for (uint32_t i = st->first; i < st->first + st->n; i++) {
		const struct plan_deployment *d = &p->deployments[i];
		if (d->phase == PLAN_GROUPS || seen[d->group])
			continue;
		seen[d->group] = true;
		out[n++] = d->group;
	}
	free(seen);
	/* the created ones after the others, stably */
	uint32_t *made = xcalloc(n + 1, sizeof(*made));
	*created = 0;
	for (size_t i = 0; i < n; i++) {
		if (p->subscription_scope && p->m->groups[out[i]].create)
			made[(*created)++] = out[i];
		else
			out[k++] = out[i];
	}
	memcpy(out + k, made, *created * sizeof(*made));
	free(made);
	return n;
}

/* The resources of one kind by stage: n of them, stage(p, i) of each
 * (PLAN_NONE: not of the kind), counted then placed in model order. */
static struct plan_by_stage of_kind_by_stage(const struct plan *p, struct arena *a, size_t n,
				     uint32_t (*stage)(const struct plan *, size_t))
{
	struct plan_by_stage r;
	uint32_t *at = xcalloc(n + 1, sizeof(*at));

	r.start = arena_alloc(a, (p->nstages + 2) * sizeof(*r.start));
	for (size_t i = 0; i < n; i++) {
		at[i] = stage(p, i);
		if (at[i] != PLAN_NONE)
			r.start[at[i] + 2]++;
	}
	for (uint32_t s = 0; s < p->nstages; s++)
		r.start[s + 2] += r.start[s + 1];
	r.at = arena_alloc(a, (r.start[p->nstages + 1] + 1) * sizeof(*r.at));
	for (size_t i = 0; i < n; i++)
		if (at[i] != PLAN_NONE)
			r.at[r.start[at[i] + 1]++] = (uint32_t)i;
	free(at);
	return r;
}

static uint32_t stage_at(const struct plan *p, uint32_t d)
{
	return d == PLAN_NONE ? PLAN_NONE : p->deployments[d].stage;
}

static uint32_t group_stage(const struct plan *p, size_t i)
{
	return stage_at(p, p->group_at[i]);
}

static uint32_t vnet_stage(const struct plan *p, size_t i)
{
	return stage_at(p, p->vnet_at[i]);
}

static uint32_t table_stage(const struct plan *p, size_t i)
{
	return stage_at(p, p->table_at[i]);
}

static uint32_t gateway_stage(const struct plan *p, size_t i)
{
	return stage_at(p, p->gateway_at[i]);
}

static uint32_t side_stage(const struct plan *p, size_t i)
{
	return stage_at(p, p->side_at[i]);
}

static void by_stages(struct plan *p, struct arena *a)
{
	const struct model *m = p->m;

	p->groups_by_stage = of_kind_by_stage(p, a, m->ngroups, group_stage);
	p->vnets_by_stage = of_kind_by_stage(p, a, m->nvnets, vnet_stage);
	p->tables_by_stage = of_kind_by_stage(p, a, m->nroute_tables, table_stage);
	p->gateways_by_stage = of_kind_by_stage(p, a, m->nvnets, gateway_stage);
	p->sides_by_stage = of_kind_by_stage(p, a, 2 * m->npeerings, side_stage);
}

/* ------------------------------------------------------------------ build */

static void allocate(struct builder *b)
{
	struct plan *p = b->p;
	const struct model *m = b->m;

#define ALLOC_NONE(field, n)                                                    \
	do {                                                                    \
		p->field = arena_alloc(b->a, ((n) + 1) * sizeof(*p->field));    \
		for (size_t i_ = 0; i_ < (n); i_++)                             \
			p->field[i_] = PLAN_NONE;                               \
	} while (0)
	ALLOC_NONE(vnet_at, m->nvnets);
	ALLOC_NONE(table_at, m->nroute_tables);
	ALLOC_NONE(gateway_at, m->nvnets);
	ALLOC_NONE(side_at, 2 * m->npeerings);
	ALLOC_NONE(group_at, m->ngroups);
	ALLOC_NONE(last_subnet, m->nvnets);
#undef ALLOC_NONE
	for (size_t v = 0; v < m->nvnets; v++)
		for (size_t k = 0; m->vnets[v].existing && k < m->vnets[v].nsubnets; k++)
			if (m->vnets[v].subnets[k].route_table)
				p->last_subnet[v] = (uint32_t)k;
	/* the tables of each VNet: counted, then placed in model order */
	p->table_start = arena_alloc(b->a, (m->nvnets + 2) * sizeof(*p->table_start));
	p->tables = arena_alloc(b->a, (m->nroute_tables + 1) * sizeof(*p->tables));
	for (size_t i = 0; i < m->nroute_tables; i++)
		p->table_start[m->route_tables[i].vnet->index + 2]++;
	for (size_t v = 0; v < m->nvnets; v++)
		p->table_start[v + 2] += p->table_start[v + 1];
	for (size_t i = 0; i < m->nroute_tables; i++)
		p->tables[p->table_start[m->route_tables[i].vnet->index + 1]++] = (uint32_t)i;
	b->sub_group = arena_alloc(b->a, (m->ngroups + 1) * sizeof(*b->sub_group));
	for (size_t g = 0; g < m->ngroups; g++) {
		b->sub_group[g] = (uint32_t)g;
		for (size_t h = 0; h < g; h++)
			if (m->groups[h].create &&
			    strcmp(m->groups[h].subscription, m->groups[g].subscription) == 0) {
				b->sub_group[g] = (uint32_t)h;
				break;
			}
	}
	strmap_init(&b->regions, b->a);
}

/* With the groups created in the main subscription as the main template's
 * own, or else the home group's when everything fits one request, or else
 * every resource nested and the deployments packed into stages. */
static void decide(struct builder *b)
{
	struct plan *p = b->p;
	const struct model *m = b->m;

	if (p->subscription_scope) {
		for (uint32_t d = 0; d < p->ndeployments; d++)
			if (p->deployments[d].phase == PLAN_GROUPS &&
			    p->deployments[d].chunk == 0 && strcmp(m->groups[p->deployments[d].group].subscription,
				   m->subscriptions[0]) == 0)
				p->deployments[d].top = true;
	} else if (try_top(b)) {
		return;
	}
	place(b);
	compute_waits(b);
	pack_stages(b);
}

static void builder_free(struct builder *b)
{
	free(b->units);
	free(b->unit_at);
	free(b->first_unit);
	free(b->dead);
	free(b->region_mark);
	free(b->waits);
}

bool plan_build(struct plan *p, const struct model *m, const char *base,
		struct arena *a, struct diag_list *diags)
{
	struct builder b = { .p = p, .a = a, .diags = diags, .m = m };

	*p = (struct plan){ .m = m, .base = base };
	for (size_t g = 0; g < m->ngroups; g++)
		if (m->groups[g].create && !p->subscription_scope) {
			p->subscription_scope = true;
			p->location = m->groups[g].location;
		}
	for (size_t i = 0; i < m->nvnets; i++)
		p->creates_gateway = p->creates_gateway || plan_creates_gateway(&m->vnets[i]);
	allocate(&b);
	make_chain(p, a);
	make_units(&b);
	chunk(&b);
	if (b.failed) {
		builder_free(&b);
		free(p->deployments);
		p->deployments = NULL;
		p->ndeployments = 0;
		return false;
	}
	decide(&b);
	reorder(&b);
	place(&b);
	stage_waits(&b);
	make_stages(&b);
	by_stages(p, a);
	name_deployments(&b);
	check_history(&b);
	builder_free(&b);
	return !b.failed;
}
