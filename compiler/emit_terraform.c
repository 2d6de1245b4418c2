/* Terraform (azurerm) back end: the model as template values for
 * templates/terraform/main.tf.tmpl. Every variable is listed in
 * templates/README.md; the decisions (labels, references, which VNets are
 * read with a data source) are made here, the layout is the template's. */
#include "common.h"

#include "diag.h"
#include "emit.h"
#include "live.h"
#include "model.h"
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
	const char *ref;      /* "azurerm_virtual_network.hub", or NULL */
	struct tval *provider; /* raw "azurerm.sub_x", or "" */
};

struct tf {
	struct arena *a;
	const struct model *m;
	const struct peerc_options *opts;
	struct tf_vnet *vnets; /* parallel to model.vnets */
	struct strmap aliases; /* subscription -> provider alias (not the first) */
	/* Labels in use, one namespace per block type, except that a data
	 * source never shares its label with a VNet resource. */
	struct strmap vnet_labels, peering_labels, rt_labels, assoc_labels;
	struct tval *imports; /* import blocks: --import-from's live resources */
};

/* ---------------------------------------------------------------- labels */

/* A readable label from any text: HCL identifiers may hold '-', but
 * Terraform's own style is snake_case, so '-' and anything else that is not
 * a letter, digit or '_' become '_'. */
static char *label_text(struct arena *a, const char *s)
{
	char *l = arena_strdup(a, s);

	for (char *p = l; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
	if (!((l[0] >= 'a' && l[0] <= 'z') || (l[0] >= 'A' && l[0] <= 'Z') ||
	      l[0] == '_'))
		return arena_printf(a, "_%s", l);
	return l;
}

/* want, or want_2, want_3, ... when taken: labels are unique per block type
 * and follow model order, so the same file always gets the same labels. */
static const char *unique_label(struct tf *t, struct strmap *used,
				const char *want)
{
	char *l = label_text(t->a, want);

	for (unsigned n = 2; strmap_get(used, l); n++)
		l = arena_printf(t->a, "%s_%u", label_text(t->a, want), n);
	strmap_put(used, l, l);
	return l;
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
	char *first = arena_strndup(t->a, sub, strcspn(sub, "-"));

	for (char *p = first; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return is_alias_text(first) && *first ? arena_printf(t->a, "sub_%s", first) :
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
				alias = label_text(a, arena_printf(a, "sub_%s", sub));
			while (strmap_get(&used, alias))
				alias = arena_printf(a, "%s_%zu", alias, i + 1);
			strmap_put(&used, alias, alias);
			strmap_put(&t->aliases, sub, alias);
		}
		tv_set(a, p, "alias", tv_string(a, alias ? alias : ""));
		tv_set(a, p, "subscription_id", tv_string(a, sub));
		tv_push(a, list, p);
	}
	return list;
}

static struct tval *provider_of(struct tf *t, const struct m_vnet *v)
{
	const char *alias = v->subscription ? strmap_get(&t->aliases, v->subscription) : NULL;

	return tv_raw(t->a, alias ? arena_printf(t->a, "azurerm.%s", alias) : "");
}

/* --------------------------------------------------------------- adoption */

/* An import block for the resource at TYPE.LABEL when it exists live. */
static void adopt(struct tf *t, const char *type, const char *label, const char *id)
{
	if (!id)
		return;
	struct tval *o = tv_object(t->a);
	tv_set(t->a, o, "to", tv_raw(t->a, arena_printf(t->a, "%s.%s", type, label)));
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
	return lp->id ? lp->id : arena_printf(t->a, "%s/virtualNetworkPeerings/%s",
					      lv->id, lp->name);
}

/* ------------------------------------------------------------------ VNets */

static struct tval *prefix_list(struct arena *a, const struct ip_prefix *p, size_t n)
{
	struct tval *l = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(a, l, emit_prefix(a, &p[i]));
	return l;
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
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		struct tf_vnet *tv = &t->vnets[i];
		tv->provider = provider_of(t, v);
		if (!v->existing) {
			tv->kind = VK_CREATED;
			tv->label = unique_label(t, &t->vnet_labels, v->handle);
			tv->ref = arena_printf(t->a, "azurerm_virtual_network.%s", tv->label);
		} else if (!v->id || spoke_without_location[i]) {
			tv->kind = VK_DATA;
			tv->label = unique_label(t, &t->vnet_labels, v->handle);
			tv->ref = arena_printf(t->a, "data.azurerm_virtual_network.%s", tv->label);
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
	return tv_raw(t->a, arena_printf(t->a, "%s.%s", tv->ref, attr));
}

static struct tval *subnets_value(struct arena *a, const struct m_vnet *v)
{
	struct tval *l = tv_list(a);

	for (size_t i = 0; i < v->nsubnets; i++) {
		struct tval *s = tv_object(a);
		tv_set(a, s, "name", tv_string(a, v->subnets[i].name));
		tv_set(a, s, "address_prefixes", prefix_list(a, &v->subnets[i].prefix, 1));
		tv_push(a, l, s);
	}
	return l;
}

static struct tval *created_vnet(struct tf *t, const struct m_vnet *v)
{
	struct arena *a = t->a;
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct tval *o = tv_object(a);
	struct tval *dns = tv_list(a);

	for (size_t i = 0; i < v->ndns_servers; i++)
		tv_push(a, dns, emit_addr(a, &v->dns_servers[i]));
	tv_set(a, o, "label", tv_string(a, tv->label));
	tv_set(a, o, "provider", tv->provider);
	tv_set(a, o, "name", tv_string(a, v->name));
	tv_set(a, o, "resource_group", tv_string(a, v->resource_group));
	tv_set(a, o, "location", tv_string(a, v->location));
	tv_set(a, o, "address_space", prefix_list(a, v->space, v->nspace));
	tv_set(a, o, "dns_servers", dns);
	tv_set(a, o, "subnets", subnets_value(a, v));
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	const struct live_vnet *lv = live_vnet_of(t, v);
	adopt(t, "azurerm_virtual_network", tv->label, lv ? lv->id : NULL);
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

static void build_vnets(struct tf *t, struct tval *root)
{
	struct arena *a = t->a;
	struct tval *created = tv_set(a, root, "vnets", tv_list(a));
	struct tval *read = tv_set(a, root, "existing_vnets", tv_list(a));

	for (size_t i = 0; i < t->m->nvnets; i++) {
		const struct m_vnet *v = &t->m->vnets[i];
		if (t->vnets[i].kind == VK_CREATED)
			tv_push(a, created, created_vnet(t, v));
		else if (t->vnets[i].kind == VK_DATA)
			tv_push(a, read, read_vnet(t, v));
	}
}

/* ----------------------------------------------------------- route tables */

/* The ID of a subnet of v. A created VNet's subnets are its inline subnet
 * blocks, whose IDs the VNet exports; an existing VNet's are read as its ID
 * plus "/subnets/NAME", the form Azure gives them. */
static struct tval *subnet_id(struct tf *t, const struct m_vnet *v,
			      const char *subnet)
{
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct strbuf sb;
	sb_init(&sb);

	if (tv->kind == VK_CREATED) {
		sb_printf(&sb, "one([for s in %s.subnet : s.id if s.name == ", tv->ref);
		tmpl_quote(TMPL_HCL, subnet, &sb);
		sb_puts(&sb, "])");
	} else if (tv->kind == VK_DATA) {
		/* "${REF.id}" then the quoted rest, minus its opening quote */
		sb_printf(&sb, "\"${%s.id}", tv->ref);
		size_t at = sb.len;
		tmpl_quote(TMPL_HCL, arena_printf(t->a, "/subnets/%s", subnet), &sb);
		memmove(sb.buf + at, sb.buf + at + 1, sb.len - at);
		sb.len--;
	} else {
		const char *id = arena_printf(t->a, "%s/subnets/%s", v->id, subnet);
		sb_free(&sb);
		return tv_string(t->a, id);
	}
	struct tval *r = tv_raw(t->a, arena_strdup(t->a, sb.buf));
	sb_free(&sb);
	return r;
}

static struct tval *route_value(struct arena *a, const struct m_route *r)
{
	struct tval *o = tv_object(a);
	bool nva = r->hop == HOP_VIRTUAL_APPLIANCE;

	tv_set(a, o, "name", tv_string(a, r->name));
	tv_set(a, o, "address_prefix", emit_prefix(a, &r->prefix));
	tv_set(a, o, "next_hop_type", emit_next_hop_type(a, r->hop));
	tv_set(a, o, "next_hop_in_ip_address",
	       nva ? emit_addr(a, &r->next_hop_ip) : tv_string(a, ""));
	return o;
}

static struct tval *route_table_value(struct tf *t, const struct m_route_table *rt)
{
	struct arena *a = t->a;
	const struct m_vnet *v = rt->vnet;
	const struct tf_vnet *tv = &t->vnets[v->index];
	struct tval *o = tv_object(a);
	const char *label = unique_label(t, &t->rt_labels,
		arena_printf(a, "%s_via_%s", v->handle, rt->hub->handle));
	struct tval *routes = tv_list(a), *assoc = tv_list(a);

	for (size_t i = 0; i < rt->nroutes; i++)
		tv_push(a, routes, route_value(a, &rt->routes[i]));
	for (size_t i = 0; i < v->nsubnets; i++) {
		struct tval *s = tv_object(a);
		tv_set(a, s, "label", tv_string(a, unique_label(t, &t->assoc_labels,
			arena_printf(a, "%s_%s", label, v->subnets[i].name))));
		tv_set(a, s, "subnet_id", subnet_id(t, v, v->subnets[i].name));
		tv_push(a, assoc, s);
	}
	tv_set(a, o, "label", tv_string(a, label));
	tv_set(a, o, "id", tv_raw(a, arena_printf(a, "azurerm_route_table.%s.id", label)));
	tv_set(a, o, "provider", tv->provider);
	tv_set(a, o, "name", tv_string(a, rt->name));
	tv_set(a, o, "resource_group", tv_string(a, v->resource_group));
	tv_set(a, o, "location", v->location ? tv_string(a, v->location) :
					       vnet_attr(t, v, "location", NULL));
	tv_set(a, o, "routes", routes);
	tv_set(a, o, "associations", assoc);
	tv_set(a, o, "tags", emit_tags(a, v->tags, v->ntags));
	return o;
}

/* --------------------------------------------------------------- peerings */

/* What re-syncs a side when the remote address space changes. */
static struct tval *remote_space(struct tf *t, const struct m_vnet *remote)
{
	const struct tf_vnet *tv = &t->vnets[remote->index];

	if (tv->kind != VK_LITERAL)
		return tv_raw(t->a, arena_printf(t->a, "join(\",\", %s.address_space)",
						 tv->ref));
	struct strbuf sb;
	char buf[IP_STRLEN];
	sb_init(&sb);
	for (size_t i = 0; i < remote->nspace; i++)
		sb_printf(&sb, "%s%s", i ? "," : "", ip_prefix_str(&remote->space[i], buf));
	struct tval *r = tv_string(t->a, arena_strdup(t->a, sb.buf));
	sb_free(&sb);
	return r;
}

static struct tval *side_value(struct tf *t, const struct m_peering *p, int i,
			       const char *const labels[2])
{
	struct arena *a = t->a;
	const struct m_side *s = &p->side[i];
	const struct m_vnet *local = s->vnet, *remote = p->side[!i].vnet;
	struct tval *o = tv_object(a);
	struct tval *deps = tv_list(a);

	/* Azure checks useRemoteGateways against the remote side's
	 * allowGatewayTransit when the peering is created. */
	if (p->first >= 0 && p->first != i)
		tv_push(a, deps, tv_raw(a, arena_printf(a,
			"azurerm_virtual_network_peering.%s", labels[p->first])));
	tv_set(a, o, "label", tv_string(a, labels[i]));
	tv_set(a, o, "provider", t->vnets[local->index].provider);
	tv_set(a, o, "name", tv_string(a, s->name));
	tv_set(a, o, "resource_group_name",
	       vnet_attr(t, local, "resource_group_name", local->resource_group));
	tv_set(a, o, "virtual_network_name", vnet_attr(t, local, "name", local->name));
	tv_set(a, o, "remote_virtual_network_id", vnet_attr(t, remote, "id", remote->id));
	tv_set(a, o, "allow_virtual_network_access", tv_bool(a, s->access));
	tv_set(a, o, "allow_forwarded_traffic", tv_bool(a, s->forwarded));
	tv_set(a, o, "allow_gateway_transit", tv_bool(a, s->gateway_transit));
	tv_set(a, o, "use_remote_gateways", tv_bool(a, s->remote_gateway));
	tv_set(a, o, "remote_address_space", remote_space(t, remote));
	tv_set(a, o, "depends_on", deps);
	return o;
}

static struct tval *build_peerings(struct tf *t, struct peerc_result *r)
{
	struct arena *a = t->a;
	struct tval *list = tv_list(a);

	for (size_t i = 0; i < t->m->npeerings; i++) {
		const struct m_peering *p = &t->m->peerings[i];
		const char *labels[2];
		for (int k = 0; k < 2; k++)
			labels[k] = unique_label(t, &t->peering_labels,
				arena_printf(a, "%s_to_%s", p->side[k].vnet->handle,
					     p->side[!k].vnet->handle));
		for (int k = 0; k < 2; k++) {
			tv_push(a, list, side_value(t, p, k, labels));
			adopt(t, "azurerm_virtual_network_peering", labels[k],
			      live_side_id(t, r, p, k));
		}
	}
	return list;
}

/* ------------------------------------------------------------------- main */

void emit_terraform(const struct model *m, const struct peerc_options *opts,
		    struct peerc_result *r)
{
	struct tf t = { .a = r->arena, .m = m, .opts = opts };
	struct arena *a = r->arena;
	struct tval *root = tv_object(a);

	strmap_init(&t.aliases, a);
	strmap_init(&t.vnet_labels, a);
	strmap_init(&t.peering_labels, a);
	strmap_init(&t.rt_labels, a);
	strmap_init(&t.assoc_labels, a);
	tv_set(a, root, "peerc", emit_peerc_values(r));
	tv_set(a, root, "providers", build_providers(&t));
	t.imports = tv_set(a, root, "imports", tv_list(a));
	classify_vnets(&t);
	build_vnets(&t, root);
	struct tval *rts = tv_set(a, root, "route_tables", tv_list(a));
	for (size_t i = 0; i < m->nroute_tables; i++)
		tv_push(a, rts, route_table_value(&t, &m->route_tables[i]));
	tv_set(a, root, "peerings", build_peerings(&t, r));
	const struct backend *b = backend_find(PEERC_TARGET_TERRAFORM);
	if (emit_template(b, opts, r, "main.tf.tmpl", TMPL_HCL, root, NULL) && opts->adopt)
		emit_template(b, opts, r, "imports.tf.tmpl", TMPL_HCL, root, "imports.tf");
}
