/* Terraform (azurerm) back end: the model as template values for
 * templates/terraform/main.tf.tmpl. Every variable is listed in
 * templates/README.md; the decisions (labels, references, which VNets are
 * read with a data source, what waits for what) are made here, the layout
 * is the template's.
 *
 * Labels depend only on the thing labelled (tf_labels below), so adding,
 * removing or reordering statements never renames a resource; when a label
 * changes anyway and the previous output is given, tf_moved.c writes the
 * moved blocks. */
#include "common.h"

#include <inttypes.h>

#include "diag.h"
#include "emit.h"
#include "live.h"
#include "model.h"
#include "output.h"
#include "tf_moved.h"
#include "util.h"

/* How the configuration refers to one VNet. */
enum vnet_kind {
	VK_CREATED, /* resource "azurerm_virtual_network" */
	VK_DATA,    /* data "azurerm_virtual_network" */
	VK_LITERAL, /* existing, by the literal ID given with `id` */
};

struct tf_vnet {
	enum vnet_kind kind;
	const char *label;    /* the block label */
	struct tval *provider; /* raw "azurerm.sub_x", or "" */
};

/* How the configuration names a VNet: TYPE.LABEL, with this TYPE (the
 * references are joined as a block needs them, not kept per VNet). */
static const char *vnet_type(const struct tf_vnet *tv)
{
	return tv->kind == VK_DATA ? "data.azurerm_virtual_network." :
				     "azurerm_virtual_network.";
}

/* One namespace of labels: a label is its readable form when no other
 * thing of the namespace wants the same one; the things that collide each
 * take their readable form and a hash of their own key. Counting first and
 * hashing keys, never positions, makes a label independent of the file's
 * order and of the other things in it but for a collision. */
struct want {
	const char *label; /* the readable form; NULL: an empty slot */
	uint32_t n;        /* things that want it */
	uint32_t hash;     /* of label, so that growing hashes no text again */
};

/* The wants are an open-addressing table of their own, on the heap: the
 * namespaces of VNets and peerings hold one per VNet and per peering side,
 * and the table is sized for them before they come and freed once every
 * label is handed out, rather than left in the compile's arena with the
 * tables it outgrew. */
struct labels {
	struct want *wants;  /* cap slots, at most half of them used */
	size_t cap, used;
	struct strmap taken; /* hashed labels handed out */
};

enum label_ns {
	NS_VNET,        /* resource and data source azurerm_virtual_network */
	NS_PEERING,
	NS_ROUTE_TABLE,
	NS_ASSOCIATION,
	NS_GATEWAY,     /* resource and data source azurerm_virtual_network_gateway */
	NS_PUBLIC_IP,
	NS_GROUP,
	NS_COUNT
};

struct tf {
	struct arena *a;
	const struct model *m;
	const struct peerc_options *opts;
	struct tf_vnet *vnets; /* parallel to model.vnets */
	const char **gw_label; /* parallel to model.vnets: its gateway's */
	const char **group_label; /* parallel to model.groups, when created */
	const char **rt_label; /* parallel to model.route_tables */
	/* Labels handed out before the blocks are built (label_get must see
	 * them in a fixed order; a block is built when the render reaches it) */
	const char *(*peer_label)[2]; /* parallel to model.peerings */
	const char ***ip_label;       /* parallel to model.vnets: its public IPs' */
	const char ***assoc_label;    /* parallel to model.route_tables */
	/* What the VNets and peerings want, from the first pass to the
	 * second: each label is looked up once (heap; freed before the render) */
	size_t *vnet_want;      /* parallel to model.vnets: a slot of ns[NS_VNET] */
	size_t (*peer_want)[2]; /* parallel to model.peerings: of ns[NS_PEERING] */
	/* Which VNets each list of blocks takes, by index into model.vnets */
	struct picks { size_t *at, n; } created, read, gw_created, gw_read;
	struct strmap aliases; /* subscription -> provider alias (not the first) */
	struct strmap providers; /* subscription -> raw "azurerm.ALIAS", shared */
	struct labels ns[NS_COUNT];
	struct tval *imports; /* import blocks: --import-from's live resources */
};

/* ---------------------------------------------------------------- labels */

/* The parts, ended by NULL, joined in a. Labels, references and keys are
 * made by the hundred thousand, and parsing a printf format for each cost
 * more than copying them (a sixth of the back end's time at 10,000 VNets). */
static char *join_parts(struct arena *a, const char *const *part)
{
	size_t len[8], n = 0, total = 0;

	for (; part[n]; n++) {
		if (n == ARRAY_SIZE(len))
			BUG();
		total += len[n] = strlen(part[n]);
	}
	char *s = arena_alloc(a, total + 1), *at = s;
	for (size_t i = 0; i < n; i++) {
		memcpy(at, part[i], len[i]);
		at += len[i];
	}
	return s;
}

#define JOIN(a, ...) join_parts((a), (const char *const[]){ __VA_ARGS__, NULL })

/* A readable label from any text: HCL identifiers may hold '-', but
 * Terraform's own style is snake_case, so '-' and anything else that is not
 * a letter, digit or '_' become '_'. */
static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static bool label_start(char c)
{
	return label_char(c) && !(c >= '0' && c <= '9');
}

/* The readable label of the parts joined (ended by NULL), in small when it
 * fits (labels are short), else in *heap, which the caller frees: a label
 * looked up is kept only when it is new. */
static char *label_join(char *small, size_t size, const char *const *part,
			char **heap)
{
	size_t n = 0;

	for (size_t i = 0; part[i]; i++)
		n += strlen(part[i]);
	char *buf = n + 2 <= size ? small : (*heap = xmalloc(n + 2));
	char *p = buf + 1;
	for (size_t i = 0; part[i]; i++)
		for (const char *c = part[i]; *c; c++)
			*p++ = label_char(*c) ? *c : '_';
	*p = '\0';
	if (label_start(buf[1]))
		return buf + 1;
	buf[0] = '_';
	return buf;
}

static char *label_text(struct arena *a, const char *s)
{
	char small[128], *heap = NULL;
	char *l = arena_strdup(a, label_join(small, sizeof(small),
					     (const char *const[]){ s, NULL }, &heap));
	free(heap);
	return l;
}

/* FNV-1a, 64 bits, of the parts joined: the same on every machine. */
static uint64_t fnv1a(const char *const *part)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; part[i]; i++)
		for (const char *s = part[i]; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 0x100000001b3ULL;
		}
	return h;
}

/* A list of parts, ended by NULL, for the labels' texts and keys. */
#define PARTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static uint32_t label_hash(const char *l)
{
	return (uint32_t)fnv1a(PARTS(l));
}

/* The slot of l: its own, or the empty one where it would go. */
static size_t wants_slot(const struct labels *ls, const char *l, uint32_t h)
{
	size_t mask = ls->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask)
		if (!ls->wants[i].label ||
		    (ls->wants[i].hash == h && strcmp(ls->wants[i].label, l) == 0))
			return i;
}

/* Room for n wants. A slot's number changes when the table grows: the
 * ones kept (vnet_want, peer_want) are of namespaces sized beforehand. */
static void wants_reserve(struct labels *ls, size_t n)
{
	size_t cap = ls->cap ? ls->cap : 16, old_cap = ls->cap;
	struct want *old = ls->wants;

	while (cap < 2 * n)
		cap *= 2;
	if (cap == old_cap)
		return;
	ls->wants = xcalloc(cap, sizeof(*ls->wants));
	ls->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		size_t j = old[i].hash & (cap - 1);
		while (old[i].label && ls->wants[j].label)
			j = (j + 1) & (cap - 1);
		if (old[i].label)
			ls->wants[j] = old[i];
	}
	free(old);
}

static bool is_wanted(const struct labels *ls, const char *l)
{
	return ls->cap && ls->wants[wants_slot(ls, l, label_hash(l))].label;
}

/* First pass: the label the parts of `want` make will be asked for once.
 * Returns its slot. */
static size_t label_want(struct tf *t, enum label_ns ns, const char *const *want)
{
	struct labels *ls = &t->ns[ns];
	char small[128], *heap = NULL, *l = label_join(small, sizeof(small), want, &heap);
	uint32_t h = label_hash(l);

	wants_reserve(ls, ls->used + 1);
	size_t i = wants_slot(ls, l, h);
	if (!ls->wants[i].label) {
		ls->wants[i] = (struct want){ arena_strdup(t->a, l), 0, h };
		ls->used++;
	}
	ls->wants[i].n++;
	free(heap);
	return i;
}

/* Second pass: the label of the thing whose key is the parts of `key` and
 * that wanted the label in slot i. The hash grows to 16 digits, then takes
 * a counter, only if it still collides (with a readable label or another
 * hash), which no real file makes. A label wanted once is handed out once:
 * only hashed ones need keeping, and a hash that equals a readable label
 * is wanted. */
static const char *label_of(struct tf *t, enum label_ns ns, size_t i,
			    const char *const *key)
{
	struct labels *ls = &t->ns[ns];
	const struct want *w = &ls->wants[i];

	if (w->n < 2)
		return w->label;
	uint64_t h = fnv1a(key);
	const char *l = arena_printf(t->a, "%s_%08" PRIx64, w->label, h >> 32);
	if (is_wanted(ls, l) || strmap_get(&ls->taken, l))
		l = arena_printf(t->a, "%s_%016" PRIx64, w->label, h);
	for (unsigned n = 2; is_wanted(ls, l) || strmap_get(&ls->taken, l); n++)
		l = arena_printf(t->a, "%s_%016" PRIx64 "_%u", w->label, h, n);
	strmap_put(&ls->taken, l, ls);
	return l;
}

/* label_of for a label wanted in the first pass, found again by its text. */
static const char *label_get(struct tf *t, enum label_ns ns,
			     const char *const *want, const char *const *key)
{
	const struct labels *ls = &t->ns[ns];
	char small[128], *heap = NULL, *l = label_join(small, sizeof(small), want, &heap);
	size_t i = ls->cap ? wants_slot(ls, l, label_hash(l)) : 0;

	free(heap);
	if (!ls->cap || !ls->wants[i].label) /* every label is wanted first */
		BUG();
	return label_of(t, ns, i, key);
}

/* ------------------------------------------------------------- providers */

static bool is_alias_text(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* "sub_" and the subscription GUID's first group, which people recognise;
 * the whole GUID when two share it. */
static char *alias_for(struct tf *t, const char *sub, size_t i)
{
	char *first = arena_lower(t->a, arena_strndup(t->a, sub, strcspn(sub, "-")));

	return is_alias_text(first) && *first ? JOIN(t->a, "sub_", first) :
						arena_printf(t->a, "sub_%zu", i + 1);
}

static struct tval *build_providers(struct tf *t)
{
	struct arena *a = t->a;
	struct tval *list = tv_list(a);
	struct strmap used;

	strmap_init(&used, a);
	for (size_t i = 0; i < t->m->nsubscriptions; i++) {
		const char *sub = t->m->subscriptions[i];
		struct tval *p = tv_object(a);
		char *alias = NULL;
		if (i > 0) {
			alias = alias_for(t, sub, i);
			if (strmap_get(&used, alias))
				alias = label_text(a, JOIN(a, "sub_", sub));
			alias = unique_name(a, &used, alias, "_", false, NULL);
			strmap_put(&t->aliases, sub, alias);
		}
		tv_set(a, p, "alias", tv_string(a, alias ? alias : ""));
		tv_set(a, p, "subscription_id", tv_string(a, sub));
		tv_push(a, list, p);
	}
	return list;
}

/* One value per subscription, shared by its VNets' blocks. */
static struct tval *provider_of(struct tf *t, const struct m_vnet *v)
{
	const char *sub = v->subscription;
	struct tval *p = sub ? strmap_get(&t->providers, sub) : NULL;
	const char *alias = sub ? strmap_get(&t->aliases, sub) : NULL;

	if (!sub)
		return tv_raw(t->a, "");
	if (!p) {
		p = tv_raw(t->a, alias ? JOIN(t->a, "azurerm.", alias) : "");
		strmap_put(&t->providers, sub, p);
	}
	return p;
}

/* --------------------------------------------------------------- adoption */

/* An import block for the resource at TYPE.LABEL when it exists live. */
static void adopt(struct tf *t, const char *type, const char *label, const char *id)
{
	if (!id)
		return;
	struct tval *o = tv_object(t->a);
	tv_set(t->a, o, "to", tv_raw(t->a, JOIN(t->a, type, ".", label)));
	tv_set(t->a, o, "id", tv_string(t->a, id));
	tv_push(t->a, t->imports, o);
}

static const struct live_vnet *live_vnet_of(struct tf *t, const struct m_vnet *v)
{
	const char *id = t->opts->adopt ? live_model_id(t->a, v) : NULL;
	return id ? live_find(t->opts->adopt, id) : NULL;
}

/* The live half of side i, when it exists with the name the file gives
 * it; one with another name is not adopted (name forces a new resource),
 * and a warning says so. */
static const char *live_side_id(struct tf *t, struct peerc_result *r,
				const struct m_peering *p, int i)
{
	const struct live_vnet *lv = live_vnet_of(t, p->side[i].vnet);
	const char *remote = lv ? live_model_id(t->a, p->side[!i].vnet) : NULL;
	const struct live_peering *lp = remote ? live_peering_to(lv, remote) : NULL;

	if (!lp)
		return NULL;
	if (strcmp(lp->name, p->side[i].name) != 0) {
		diag_add(&r->diags, DIAG_WARNING, "adopt-name", p->loc,
			 "the peering of '%s' with '%s' is named '%s' in Azure, '%s' "
			 "here: it is not imported, and Azure refuses a second peering "
			 "of the pair", p->side[i].vnet->handle, p->side[!i].vnet->handle,
			 lp->name, p->side[i].name);
		return NULL;
	}
	/* Built from the VNet's canonical ID rather than taken from the
	 * input, whose segment names azurerm's parser may not accept. */
	return JOIN(t->a, lv->id, "/virtualNetworkPeerings/", lp->name);
}

/* ---------------------------------------------------------- resource groups */

/* The resource group name of something in group g: a reference to the
 * group's resource when the output creates it (so that it waits for it),
 * else the name. */
static struct tval *group_name(struct tf *t, size_t g, const char *name)
{
	if (t->group_label && t->group_label[g] && t->m->groups[g].create &&
	    strcmp(t->m->groups[g].resource_group, name) == 0)
		return tv_raw(t->a, JOIN(t->a, "azurerm_resource_group.",
					 t->group_label[g], ".name"));
	return tv_string(t->a, name);
}

static struct tval *build_groups(struct tf *t, struct tval *prerequisites)
{
	struct arena *a = t->a;
	const struct model *m = t->m;
	struct tval *list = tv_list(a);
	bool *used = arena_alloc(a, m->ngroups + 1);

	for (size_t i = 0; i < m->nvnets; i++)
		if (m->vnets[i].subscription && m->vnets[i].resource_group)
			used[m->vnets[i].group] = true;
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct m_group *mg = &m->groups[g];
		struct tval *o = tv_object(a);
		if (!used[g])
			continue;
		if (!mg->create) {
			tv_set(a, o, "subscription", tv_raw(a, emit_comment_text(a, mg->subscription)));
			tv_set(a, o, "resource_group", tv_raw(a, emit_comment_text(a, mg->resource_group)));
			tv_push(a, prerequisites, o);
			continue;
		}
		const char *alias = strmap_get(&t->aliases, mg->subscription);
		tv_set(a, o, "label", tv_string(a, t->group_label[g]));
		tv_set(a, o, "provider", tv_raw(a, alias ? JOIN(a, "azurerm.", alias) : ""));
		tv_set(a, o, "name", tv_string(a, mg->resource_group));
		tv_set(a, o, "location", tv_string(a, mg->location));
		tv_set(a, o, "tags", emit_tags(a, mg->tags, mg->ntags));
		tv_push(a, list, o);
		if (t->opts->adopt && live_has_group(t->opts->adopt, mg->subscription,
						     mg->resource_group))
			adopt(t, "azurerm_resource_group", t->group_label[g],
			      JOIN(a, "/subscriptions/", mg->subscription,
				   "/resourceGroups/", mg->resource_group));
	}
	return list;
}

/* ------------------------------------------------------------------ VNets */

/* The label a route table asks for: SPOKE_via_HUB, or HUB_gateway_subnet;
 * and the key that tells tables apart (spoke and hub; the hub alone).
 * With a subnet, its association's: the table's and "_SUBNET" (in the
 * key, "\nSUBNET"). want and key get room for 6 parts each. */
static void route_table_parts(const struct m_route_table *rt, const char *subnet,
			      const char *want[6], const char *key[6])
{
	bool transit = rt->kind == RT_TRANSIT;
	size_t n = 3;

	want[0] = transit ? rt->vnet->handle : rt->hub->handle;
	want[1] = transit ? "_via_" : "_gateway_subnet";
	want[2] = transit ? rt->hub->handle : "";
	key[0] = want[0];
	key[1] = "\n";
	key[2] = transit ? rt->hub->handle : "";
	if (subnet) {
		want[n] = "_";
		key[n++] = "\n";
		want[n] = key[n] = subnet;
		n++;
	}
	want[n] = key[n] = NULL;
}

/* Every label any block will ask for, so that label_get knows the
 * collisions before it hands out the first one. */
static void want_labels(struct tf *t)
{
	const struct model *m = t->m;

	const char *want[6], *key[6];

	t->vnet_want = xcalloc(m->nvnets + 1, sizeof(*t->vnet_want));
	t->peer_want = xcalloc(m->npeerings + 1, sizeof(*t->peer_want));
	wants_reserve(&t->ns[NS_VNET], m->nvnets);
	wants_reserve(&t->ns[NS_PEERING], 2 * m->npeerings);
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		t->vnet_want[i] = label_want(t, NS_VNET, PARTS(v->handle));
		if (v->gw && v->gw->source != GWSRC_ASSUMED)
			label_want(t, NS_GATEWAY, PARTS(v->handle));
		for (size_t k = 0; v->gw && v->gw->source == GWSRC_CREATED &&
				   k < v->gw->npublic_ips; k++)
			label_want(t, NS_PUBLIC_IP, PARTS(k ? arena_printf(t->a, "%s_%zu",
				v->handle, k + 1) : v->handle));
	}
	for (size_t i = 0; i < m->npeerings; i++)
		for (int k = 0; k < 2; k++)
			t->peer_want[i][k] = label_want(t, NS_PEERING, PARTS(
				m->peerings[i].side[k].vnet->handle, "_to_",
				m->peerings[i].side[!k].vnet->handle));
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_route_table *rt = &m->route_tables[i];
		route_table_parts(rt, NULL, want, key);
		label_want(t, NS_ROUTE_TABLE, want);
		for (size_t k = 0; rt->vnet->existing && k < rt->vnet->nsubnets; k++)
			if (rt->vnet->subnets[k].route_table == rt) {
				route_table_parts(rt, rt->vnet->subnets[k].name, want, key);
				label_want(t, NS_ASSOCIATION, want);
			}
	}
	for (size_t g = 0; g < m->ngroups; g++)
		if (m->groups[g].create)
			label_want(t, NS_GROUP, PARTS(m->groups[g].resource_group));
}

static void classify_vnets(struct tf *t)
{
	const struct model *m = t->m;
	/* A transit spoke's route table needs the spoke's location; an
	 * existing VNet given by `id` alone has none, so it is read after all. */
	bool *spoke_without_location = arena_alloc(t->a, m->nvnets * sizeof(bool) + 1);

	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_vnet *v = m->route_tables[i].vnet;
		spoke_without_location[v->index] = !v->location;
	}
	t->vnets = arena_alloc(t->a, m->nvnets * sizeof(*t->vnets) + 1);
	t->gw_label = arena_alloc(t->a, (m->nvnets + 1) * sizeof(*t->gw_label));
	t->group_label = arena_alloc(t->a, (m->ngroups + 1) * sizeof(*t->group_label));
	for (size_t g = 0; g < m->ngroups; g++)
		if (m->groups[g].create)
			t->group_label[g] = label_get(t, NS_GROUP,
				PARTS(m->groups[g].resource_group),
				PARTS(m->groups[g].subscription, "\n", m->groups[g].resource_group));
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		struct tf_vnet *tv = &t->vnets[i];
		tv->provider = provider_of(t, v);
		if (v->gw && v->gw->source != GWSRC_ASSUMED)
			t->gw_label[i] = label_get(t, NS_GATEWAY, PARTS(v->handle),
						   PARTS(v->handle));
		if (!v->existing) {
			tv->kind = VK_CREATED;
			tv->label = label_of(t, NS_VNET, t->vnet_want[i], PARTS(v->handle));
		} else if (!v->id || spoke_without_location[i]) {
			tv->kind = VK_DATA;
			tv->label = label_of(t, NS_VNET, t->vnet_want[i], PARTS(v->handle));
		} else {
			tv->kind = VK_LITERAL;
		}
	}
}

/* An attribute of a VNet as the configuration reads it: a reference to the
 * resource or data source, or the model's literal for a VNet known by ID. */
static struct tval *vnet_attr(struct tf *t, const struct m_vnet *v,
			      const char *attr, const char *literal)
{
	const struct tf_vnet *tv = &t->vnets[v->index];

	if (tv->kind == VK_LITERAL)
		return tv_string(t->a, literal);
	return tv_raw(t->a, JOIN(t->a, vnet_type(tv), tv->label, ".", attr));
}

static void route_table_labels(struct tf *t)
{
	const struct model *m = t->m;

	const char *want[6], *key[6];

	t->rt_label = arena_alloc(t->a, (m->nroute_tables + 1) * sizeof(*t->rt_label));
	for (size_t i = 0; i < m->nroute_tables; i++) {
		route_table_parts(&m->route_tables[i], NULL, want, key);
		t->rt_label[i] = label_get(t, NS_ROUTE_TABLE, want, key);
	}
}

/* A subnet's route table as the configuration names it. */
static struct tval *table_ref(void *ctx, const struct m_route_table *rt)
{
	struct tf *t = ctx;

	return tv_raw(t->a, JOIN(t->a, "azurerm_route_table.",
				     t->rt_label[rt - t->m->route_tables], ".id"));
}

/* A created VNet's subnets name their route table inline: azurerm 4.x reads
 * the attached table back into the inline block's route_table_id (Optional,
 * not Computed), so a separate azurerm_subnet_route_table_association
 * would be removed by the next plan and added by the one after
 * (terraform-provider-azurerm #30433, docs PR #30468). */
static struct tval *created_vnet(struct tf *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct tval *o = emit_vnet(a, v, tv_string(a, v->location),
				   emit_tags(a, v->tags, v->ntags), table_ref, t);

	tv_set(a, o, "label", tv_string(a, tv->label));
	tv_set(a, o, "provider", tv->provider);
	tv_set(a, o, "resource_group", group_name(t, v->group, v->resource_group));
	return o;
}

static struct tval *read_vnet(struct tf *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct tval *o = tv_object(a);

	tv_set(a, o, "label", tv_string(a, tv->label));
	tv_set(a, o, "provider", tv->provider);
	tv_set(a, o, "name", tv_string(a, v->name));
	tv_set(a, o, "resource_group", tv_string(a, v->resource_group));
	return o;
}

/* Builds a block's values in a, the arena of one item of a lazy list. */
static struct arena *use_arena(struct tf *t, struct arena *a)
{
	struct arena *was = t->a;
	t->a = a;
	return was;
}

/* A lazy list of blocks, one per picked VNet, each built by build. */
typedef struct tval *vnet_block_fn(struct tf *t, const struct m_vnet *v);

struct vnet_blocks {
	struct tf *t;
	const struct picks *picks;
	vnet_block_fn *build;
};

static struct tval *vnet_block(void *ctx, struct arena *a, size_t i)
{
	const struct vnet_blocks *l = ctx;
	struct arena *was = use_arena(l->t, a);
	struct tval *o = l->build(l->t, &l->t->m->vnets[l->picks->at[i]]);
	use_arena(l->t, was);
	return o;
}

static struct tval *vnet_blocks(struct tf *t, const struct picks *p,
				vnet_block_fn *build)
{
	struct vnet_blocks *l = arena_alloc(t->a, sizeof(*l));

	*l = (struct vnet_blocks){ t, p, build };
	return tv_lazy_list(t->a, p->n, vnet_block, l);
}

static void pick(struct tf *t, struct picks *p, size_t i)
{
	if (!p->at)
		p->at = arena_alloc(t->a, (t->m->nvnets + 1) * sizeof(*p->at));
	p->at[p->n++] = i;
}

static void build_vnets(struct tf *t, struct tval *root)
{
	struct arena *a = t->a;

	for (size_t i = 0; i < t->m->nvnets; i++) {
		if (t->vnets[i].kind == VK_CREATED)
			pick(t, &t->created, i);
		else if (t->vnets[i].kind == VK_DATA)
			pick(t, &t->read, i);
	}
	/* import blocks now, not as the blocks are built: those are built
	 * when the render reaches them, in an arena emptied after each */
	for (size_t i = 0; t->opts->adopt && i < t->created.n; i++) {
		const struct m_vnet *v = &t->m->vnets[t->created.at[i]];
		const struct live_vnet *lv = live_vnet_of(t, v);
		adopt(t, "azurerm_virtual_network", t->vnets[v->index].label,
		      lv ? lv->id : NULL);
	}
	tv_set(a, root, "vnets", vnet_blocks(t, &t->created, created_vnet));
	tv_set(a, root, "existing_vnets", vnet_blocks(t, &t->read, read_vnet));
}

/* ----------------------------------------------------------------- gateways */

/* The subnet of a created VNet by name, from its inline blocks. */
static struct tval *inline_subnet_id(struct tf *t, const struct tf_vnet *tv,
				     const char *subnet)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "one([for s in %s%s.subnet : s.id if s.name == ", vnet_type(tv),
		  tv->label);
	tmpl_quote(TMPL_HCL, subnet, &sb);
	sb_puts(&sb, "])");
	struct tval *r = tv_raw(t->a, arena_strdup(t->a, sb.buf));
	sb_free(&sb);
	return r;
}

static struct tval *public_ip_value(struct tf *t, const struct m_vnet *v, size_t k)
{
	struct arena *a = t->a;
	const struct m_gateway *gw = v->gw;
	struct tval *o = tv_object(a);

	tv_set(a, o, "label", tv_string(a, t->ip_label[v->index][k]));
	tv_set(a, o, "provider", t->vnets[v->index].provider);
	tv_set(a, o, "name", tv_string(a, gw->public_ips[k]));
	tv_set(a, o, "resource_group", group_name(t, v->group, v->resource_group));
	tv_set(a, o, "location", tv_string(a, v->location));
	tv_set(a, o, "zones", tv_bool(a, gw->zones));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	return o;
}

static struct tval *created_gateway(struct tf *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct m_gateway *gw = v->gw;
	struct tval *o = tv_object(a), *ips = tv_list(a), *configs = tv_list(a);
	for (size_t k = 0; k < gw->npublic_ips; k++) {
		struct tval *ip = public_ip_value(t, v, k);
		struct tval *c = tv_object(a);
		tv_push(a, ips, ip);
		tv_set(a, c, "name", tv_string(a, k ? "vnetGatewayConfig2" : "vnetGatewayConfig"));
		tv_set(a, c, "public_ip_address_id", tv_raw(a, JOIN(a,
			"azurerm_public_ip.", tv_get(ip, "label")->u.str, ".id")));
		tv_set(a, c, "subnet_id", inline_subnet_id(t, &t->vnets[v->index],
							  "GatewaySubnet"));
		tv_push(a, configs, c);
	}
	tv_set(a, o, "label", tv_string(a, t->gw_label[v->index]));
	tv_set(a, o, "provider", t->vnets[v->index].provider);
	tv_set(a, o, "name", tv_string(a, gw->name));
	tv_set(a, o, "resource_group", group_name(t, v->group, v->resource_group));
	tv_set(a, o, "location", tv_string(a, v->location));
	emit_gateway_settings(a, o, v);
	tv_set(a, o, "public_ips", ips);
	tv_set(a, o, "ip_configurations", configs);
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	return o;
}

static struct tval *read_gateway(struct tf *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct m_gateway *gw = v->gw;
	struct tval *o = tv_object(a);
	const char *alias = gw->subscription ? strmap_get(&t->aliases, gw->subscription) : NULL;

	tv_set(a, o, "label", tv_string(a, t->gw_label[v->index]));
	tv_set(a, o, "provider", tv_raw(a, alias ? JOIN(a, "azurerm.", alias) : ""));
	tv_set(a, o, "name", tv_string(a, gw->name));
	tv_set(a, o, "resource_group", tv_string(a, gw->resource_group));
	return o;
}

/* The labels of a created gateway's public IPs, in the model's order. */
static void public_ip_labels(struct tf *t, const struct m_vnet *v)
{
	size_t n = v->gw->npublic_ips;

	t->ip_label[v->index] = arena_alloc(t->a, (n + 1) * sizeof(const char *));
	for (size_t k = 0; k < n; k++) {
		const char *want = k ? arena_printf(t->a, "%s_%zu", v->handle, k + 1) :
				       v->handle;
		t->ip_label[v->index][k] = label_get(t, NS_PUBLIC_IP, PARTS(want),
						     PARTS(want));
	}
}

static void build_gateways(struct tf *t, struct tval *root)
{
	struct arena *a = t->a;

	t->ip_label = arena_alloc(a, (t->m->nvnets + 1) * sizeof(*t->ip_label));
	for (size_t i = 0; i < t->m->nvnets; i++) {
		const struct m_vnet *v = &t->m->vnets[i];
		if (!v->gw || v->gw->source == GWSRC_ASSUMED)
			continue;
		if (v->gw->source == GWSRC_CREATED)
			public_ip_labels(t, v);
		pick(t, v->gw->source == GWSRC_CREATED ? &t->gw_created : &t->gw_read, i);
	}
	tv_set(a, root, "gateways", vnet_blocks(t, &t->gw_created, created_gateway));
	tv_set(a, root, "existing_gateways", vnet_blocks(t, &t->gw_read, read_gateway));
}

/* The gateway of v as something to wait for, or NULL. */
static const char *gateway_ref(struct tf *t, const struct m_vnet *v)
{
	if (!v->gw || v->gw->source == GWSRC_ASSUMED)
		return NULL;
	return JOIN(t->a, v->gw->source == GWSRC_READ ? "data." : "",
		    "azurerm_virtual_network_gateway.", t->gw_label[v->index]);
}

/* ----------------------------------------------------------- route tables */

/* The ID of a subnet of an existing VNet: its ID plus "/subnets/NAME", the
 * form Azure gives them. */
static struct tval *existing_subnet_id(struct tf *t, const struct m_vnet *v,
				       const char *subnet)
{
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct strbuf sb;

	if (tv->kind == VK_LITERAL)
		return tv_string(t->a, JOIN(t->a, v->id, "/subnets/", subnet));
	/* "${REF.id}" then the quoted rest, minus its opening quote */
	sb_init(&sb);
	sb_printf(&sb, "\"${%s%s.id}", vnet_type(tv), tv->label);
	size_t at = sb.len;
	tmpl_quote(TMPL_HCL, JOIN(t->a, "/subnets/", subnet), &sb);
	memmove(sb.buf + at, sb.buf + at + 1, sb.len - at);
	sb.len--;
	struct tval *r = tv_raw(t->a, arena_strdup(t->a, sb.buf));
	sb_free(&sb);
	return r;
}

/* An existing spoke's subnets are not peerc's to write inline: each gets an
 * association, which reads the live subnet and writes it back with the
 * table set, keeping everything else (azurerm
 * subnet_route_table_association_resource.go: GET, set RouteTable, PUT;
 * it refuses a subnet that has a table already). */
static struct tval *route_table_value(struct tf *t, const struct m_route_table *rt,
				      const char *label)
{
	struct arena *a = t->a;
	const struct m_vnet *v = rt->vnet;
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct tval *o = tv_object(a);
	struct tval *assoc = tv_list(a);
	const char *const *labels = t->assoc_label[rt - t->m->route_tables];

	for (size_t i = 0, k = 0; v->existing && i < v->nsubnets; i++) {
		if (v->subnets[i].route_table != rt)
			continue;
		struct tval *s = tv_object(a);
		tv_set(a, s, "label", tv_string(a, labels[k++]));
		tv_set(a, s, "subnet_id", existing_subnet_id(t, v, v->subnets[i].name));
		tv_push(a, assoc, s);
	}
	tv_set(a, o, "label", tv_string(a, label));
	tv_set(a, o, "id", tv_raw(a, JOIN(a, "azurerm_route_table.", label, ".id")));
	tv_set(a, o, "provider", tv->provider);
	tv_set(a, o, "name", tv_string(a, rt->name));
	tv_set(a, o, "resource_group", group_name(t, v->group, v->resource_group));
	tv_set(a, o, "location", v->location ? tv_string(a, v->location) :
					       vnet_attr(t, v, "location", NULL));
	tv_set(a, o, "propagate", tv_bool(a, rt->propagate));
	tv_set(a, o, "routes", emit_routes(a, rt));
	tv_set(a, o, "associations", assoc);
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	return o;
}

static struct tval *route_table_item(void *ctx, struct arena *a, size_t i)
{
	struct tf *t = ctx;
	struct arena *was = use_arena(t, a);
	struct tval *o = route_table_value(t, &t->m->route_tables[i], t->rt_label[i]);
	use_arena(t, was);
	return o;
}

/* The labels of the associations of each table's subnets, in order. */
static void association_labels(struct tf *t)
{
	const struct model *m = t->m;

	t->assoc_label = arena_alloc(t->a, (m->nroute_tables + 1) * sizeof(*t->assoc_label));
	for (size_t i = 0; i < m->nroute_tables; i++) {
		const struct m_route_table *rt = &m->route_tables[i];
		const struct m_vnet *v = rt->vnet;
		const char *want[6], *key[6];
		size_t k = 0;
		t->assoc_label[i] = arena_alloc(t->a, (v->nsubnets + 1) * sizeof(const char *));
		for (size_t j = 0; v->existing && j < v->nsubnets; j++) {
			if (v->subnets[j].route_table != rt)
				continue;
			route_table_parts(rt, v->subnets[j].name, want, key);
			t->assoc_label[i][k++] = label_get(t, NS_ASSOCIATION, want, key);
		}
	}
}

/* --------------------------------------------------------------- peerings */

/* What re-syncs a side when the remote address space changes. */
static struct tval *remote_space(struct tf *t, const struct m_vnet *remote)
{
	const struct tf_vnet *tv = &t->vnets[remote->index];

	if (tv->kind != VK_LITERAL)
		return tv_raw(t->a, JOIN(t->a, "join(\",\", ", vnet_type(tv), tv->label,
					 ".address_space)"));
	struct strbuf sb;
	char buf[IP_STRLEN];
	sb_init(&sb);
	for (size_t i = 0; i < remote->nspace; i++)
		sb_printf(&sb, "%s%s", i ? "," : "", ip_prefix_str(&remote->space[i], buf));
	struct tval *r = tv_string(t->a, arena_strdup(t->a, sb.buf));
	sb_free(&sb);
	return r;
}

/* What a side waits for: the half whose gateway it uses (Azure checks
 * useRemoteGateways against the remote allowGatewayTransit at creation),
 * the gateway it uses (RemoteVnetHasNoGateways until it exists; a read one
 * fails the plan instead), and a gateway peerc creates in either VNet,
 * since azurerm retries a peering on a VNet that is not ready only for its
 * 30-minute create timeout and a gateway takes 30 to 45 minutes
 * (virtual_network_peering_resource.go, ReferencedResourceNotProvisioned). */
static struct tval *side_depends_on(struct tf *t, const struct m_peering *p, int i,
				    const char *const labels[2])
{
	struct arena *a = t->a;
	const struct m_side *s = &p->side[i];
	const struct m_vnet *local = s->vnet, *remote = p->side[!i].vnet;
	struct tval *deps = tv_list(a);
	const char *lg = gateway_ref(t, local), *rg = gateway_ref(t, remote);

	if (lg && local->gw->source == GWSRC_CREATED)
		tv_push(a, deps, tv_raw(a, lg));
	if (rg && (remote->gw->source == GWSRC_CREATED ||
		   s->setting[SET_REMOTE_GATEWAY]))
		tv_push(a, deps, tv_raw(a, rg));
	if (p->first >= 0 && p->first != i)
		tv_push(a, deps, tv_raw(a, JOIN(a,
			"azurerm_virtual_network_peering.", labels[p->first])));
	return deps;
}

static struct tval *side_value(struct tf *t, const struct m_peering *p, int i,
			       const char *const labels[2])
{
	struct arena *a = t->a;
	const struct m_side *s = &p->side[i];
	const struct m_vnet *local = s->vnet, *remote = p->side[!i].vnet;
	struct tval *o = tv_object(a);

	tv_set(a, o, "label", tv_string(a, labels[i]));
	tv_set(a, o, "provider", t->vnets[local->index].provider);
	tv_set(a, o, "name", tv_string(a, s->name));
	tv_set(a, o, "resource_group_name",
	       vnet_attr(t, local, "resource_group_name", local->resource_group));
	tv_set(a, o, "virtual_network_name", vnet_attr(t, local, "name", local->name));
	tv_set(a, o, "remote_virtual_network_id", vnet_attr(t, remote, "id", remote->id));
	tv_set(a, o, "allow_virtual_network_access", tv_bool(a, s->setting[SET_ACCESS]));
	tv_set(a, o, "allow_forwarded_traffic", tv_bool(a, s->setting[SET_FORWARDED]));
	tv_set(a, o, "allow_gateway_transit", tv_bool(a, s->setting[SET_GATEWAY_TRANSIT]));
	tv_set(a, o, "use_remote_gateways", tv_bool(a, s->setting[SET_REMOTE_GATEWAY]));
	tv_set(a, o, "remote_address_space", remote_space(t, remote));
	tv_set(a, o, "depends_on", side_depends_on(t, p, i, labels));
	return o;
}

static struct tval *side_item(void *ctx, struct arena *a, size_t i)
{
	struct tf *t = ctx;
	struct arena *was = use_arena(t, a);
	struct tval *o = side_value(t, &t->m->peerings[i / 2], (int)(i % 2),
				    t->peer_label[i / 2]);
	use_arena(t, was);
	return o;
}

static struct tval *build_peerings(struct tf *t, struct peerc_result *r)
{
	struct arena *a = t->a;

	t->peer_label = arena_alloc(a, (t->m->npeerings + 1) * sizeof(*t->peer_label));
	for (size_t i = 0; i < t->m->npeerings; i++) {
		const struct m_peering *p = &t->m->peerings[i];
		for (int k = 0; k < 2; k++) {
			const char *me = p->side[k].vnet->handle, *peer = p->side[!k].vnet->handle;
			t->peer_label[i][k] = label_of(t, NS_PEERING, t->peer_want[i][k],
						       PARTS(me, "\n", peer));
		}
		for (int k = 0; t->opts->adopt && k < 2; k++)
			adopt(t, "azurerm_virtual_network_peering", t->peer_label[i][k],
			      live_side_id(t, r, p, k));
	}
	return tv_lazy_list(a, 2 * t->m->npeerings, side_item, t);
}

/* ------------------------------------------------------------------- main */

/* Render; when the previous output is peerc's and an address changed,
 * render again with the moved blocks that carry the state over. */
static void render_twice(const struct peerc_options *opts, struct peerc_result *r,
			 struct tval *root)
{
	const struct backend *be = backend_find(PEERC_TARGET_TERRAFORM);
	struct strbuf sb;

	sb_init(&sb);
	if (!emit_render(be, opts, r, "main.tf.tmpl", TMPL_HCL, root, &sb)) {
		sb_free(&sb);
		return;
	}
	struct tval *moved = tf_moved(r->arena, opts->previous_output,
				      opts->previous_len, sb.buf, sb.len);
	if (moved->u.list.n) {
		tv_set(r->arena, root, "moved", moved);
		sb_reset(&sb);
		if (!emit_render(be, opts, r, "main.tf.tmpl", TMPL_HCL, root, &sb)) {
			sb_free(&sb);
			return;
		}
	}
	emit_add_output(r, NULL, sb.buf, sb.len);
	sb_free(&sb);
}

static void scan_piece(void *ctx, const char *data, size_t len)
{
	tf_scan_feed(ctx, data, len);
}

/* Streamed over a previous output on disk: the one render goes out while
 * its addresses are noted; only when the previous output has a resource
 * this one does not declare (or moved blocks) is it read whole and the
 * output rendered again, in memory, with the moves. */
static void render_over(const struct peerc_options *opts, struct peerc_result *r,
			struct tval *root)
{
	const struct backend *be = backend_find(PEERC_TARGET_TERRAFORM);
	struct tf_scan *scan = tf_scan_new();
	bool needed = false;
	bool ok = emit_template_tap(be, opts, r, "main.tf.tmpl", TMPL_HCL, root, NULL,
				    scan_piece, scan);

	if (ok)
		tf_scan_previous(scan, opts->previous_path, &needed);
	tf_scan_free(scan);
	if (!needed)
		return;
	struct strbuf prev;
	char why[128];
	sb_init(&prev);
	int err = file_read(opts->previous_path, &prev, OLD_OUTPUT_MAX);
	if (err) {
		/* without it, renamed resources would be destroyed and made anew */
		struct diag *d = diag_add(&r->diags, DIAG_ERROR, "io", LOC_NONE,
					  "cannot read %s: %s", opts->previous_path,
					  file_error(err, OLD_OUTPUT_MAX, "an existing output",
						     why, sizeof(why)));
		if (d) /* said of peerc, as the command line says it */
			d->src = &diag_no_source;
	} else {
		struct peerc_options again = *opts;
		again.previous_output = prev.buf ? prev.buf : "";
		again.previous_len = prev.len;
		r->noutputs--; /* the sink replaces the streamed one */
		render_twice(&again, r, root);
	}
	sb_free(&prev);
}

/* main.tf, then with --import-from the import blocks in imports.tf. */
static void render(const struct peerc_options *opts, struct peerc_result *r,
		   struct tval *root)
{
	const struct backend *be = backend_find(PEERC_TARGET_TERRAFORM);
	size_t errors = r->diags.nerrors;

	if (tf_moved_applies(opts->previous_output, opts->previous_len))
		render_twice(opts, r, root);
	else if (opts->previous_path && r->sink)
		render_over(opts, r, root);
	else
		emit_template(be, opts, r, "main.tf.tmpl", TMPL_HCL, root, NULL);
	if (opts->adopt && r->diags.nerrors == errors && r->noutputs)
		emit_template(be, opts, r, "imports.tf.tmpl", TMPL_HCL, root, "imports.tf");
}

static bool creates_gateway(const struct model *m)
{
	for (size_t i = 0; i < m->nvnets; i++)
		if (m->vnets[i].gw && m->vnets[i].gw->source == GWSRC_CREATED)
			return true;
	return false;
}

void emit_terraform(const struct model *m, const struct peerc_options *opts,
		    struct peerc_result *r)
{
	struct tf t = { .a = r->arena, .m = m, .opts = opts };
	struct arena *a = r->arena;
	struct tval *root = tv_object(a);

	strmap_init(&t.aliases, a);
	strmap_init(&t.providers, a);
	for (int ns = 0; ns < NS_COUNT; ns++)
		strmap_init(&t.ns[ns].taken, a);
	want_labels(&t);
	tv_set(a, root, "peerc", emit_peerc_values(r, opts, "main.tf"));
	tv_set(a, root, "providers", build_providers(&t));
	t.imports = tv_set(a, root, "imports", tv_list(a));
	classify_vnets(&t);
	struct tval *prerequisites = tv_list(a);
	tv_set(a, root, "resource_groups", build_groups(&t, prerequisites));
	tv_set(a, root, "prerequisites", prerequisites);
	tv_set(a, root, "creates_gateway", tv_bool(a, creates_gateway(m)));
	route_table_labels(&t);
	build_vnets(&t, root);
	build_gateways(&t, root);
	association_labels(&t);
	tv_set(a, root, "route_tables", tv_lazy_list(a, m->nroute_tables,
						     route_table_item, &t));
	tv_set(a, root, "peerings", build_peerings(&t, r));
	free(t.vnet_want);
	free(t.peer_want);
	for (int ns = 0; ns < NS_COUNT; ns++)
		free(t.ns[ns].wants);
	tv_set(a, root, "moved", tv_list(a));
	render(opts, r, root);
}
