/* The address checks: every prefix well formed, address spaces Azure
 * accepts, subnets and NVAs inside their VNet, and no overlap where Azure
 * (or routing) cannot tell two networks apart. Every search for overlaps is
 * one sort and sweep (overlap.h), never a comparison of every pair, so
 * 100,000 VNets are checked in well under a second. */
#include "common.h"

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "overlap.h"
#include "reach.h"
#include "regions.h"
#include "resolve.h"
#include "util.h"

/* ------------------------------------------------ every prefix as written */

typedef void prefix_fn(struct check_ctx *ctx, const struct value *v);

/* Address spaces and subnets (every prefix of each) of each VNet in
 * declaration order, then sites. */
static void each_prefix(struct check_ctx *ctx, prefix_fn *fn)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		for (size_t k = 0; k < v->nspace; k++)
			fn(ctx, s->vnets[i].space_src[k]);
		for (size_t k = 0; k < v->nsubnets; k++)
			for (size_t j = 0; j < v->subnets[k].nprefixes; j++)
				fn(ctx, sema_value_at(s->vnets[i].subnet_src[k], j));
	}
	for (size_t i = 0; i < s->model.nsites; i++)
		for (size_t k = 0; k < s->model.sites[i].nprefixes; k++)
			fn(ctx, s->sites[i].prefix_src[k]);
}

static void length_in_range(struct check_ctx *ctx, const struct value *v)
{
	const struct ip_prefix *p = &v->u.prefix;

	if (!ip_prefix_len_ok(p))
		check_report(ctx, v->loc,
			     "prefix length /%u is out of range: an IPv%d prefix "
			     "has at most %u bits", p->len, p->addr.family,
			     ip_bits(p->addr.family));
}

void check_prefix_length(struct check_ctx *ctx)
{
	each_prefix(ctx, length_in_range);
}

static void no_host_bits(struct check_ctx *ctx, const struct value *v)
{
	char text[IP_STRLEN], net[IP_STRLEN];

	if (!ip_prefix_has_host_bits(&v->u.prefix))
		return;
	struct ip_prefix m = ip_prefix_masked(&v->u.prefix);
	ip_prefix_str(&m, net);
	struct diag *d = check_report(ctx, v->loc,
		"%s has host bits set; the network is %s",
		ip_prefix_str(&v->u.prefix, text), net);
	diag_fixit(ctx->diags, d, v->loc, arena_strdup(ctx->arena, net));
}

void check_prefix_host_bits(struct check_ctx *ctx)
{
	each_prefix(ctx, no_host_bits);
}

/* ------------------------------------------------ which IPv4 space */

struct named_range {
	const char *prefix, *what;
};

/* Azure refuses these in a VNet's address space (azure.md 4.1). */
static const struct named_range forbidden[] = {
	{ "224.0.0.0/4", "multicast" },
	{ "255.255.255.255/32", "broadcast" },
	{ "127.0.0.0/8", "loopback" },
	{ "169.254.0.0/16", "link-local" },
	{ "168.63.129.16/32", "Azure's virtual public IP for DNS and health probes" },
};

/* RFC 1918 private space and RFC 6598 shared address space. */
static const struct named_range private_space[] = {
	{ "10.0.0.0/8", "RFC 1918" },
	{ "172.16.0.0/12", "RFC 1918" },
	{ "192.168.0.0/16", "RFC 1918" },
	{ "100.64.0.0/10", "RFC 6598" },
};

/* The ranges of a table, parsed once per check rather than once per prefix. */
struct ranges {
	struct ip_prefix forbidden[ARRAY_SIZE(forbidden)];
	struct ip_prefix private_space[ARRAY_SIZE(private_space)];
};

static void parse_ranges(const struct named_range *r, size_t n,
			 struct ip_prefix *out)
{
	for (size_t i = 0; i < n; i++)
		if (!ip_parse_prefix(r[i].prefix, strlen(r[i].prefix), &out[i]))
			BUG();
}

static void ranges_init(struct ranges *r)
{
	parse_ranges(forbidden, ARRAY_SIZE(forbidden), r->forbidden);
	parse_ranges(private_space, ARRAY_SIZE(private_space), r->private_space);
}

/* The forbidden range p overlaps, or NULL. */
static const struct named_range *forbidden_range(const struct ranges *r,
						 const struct ip_prefix *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(forbidden); i++)
		if (ip_prefix_overlap(p, &r->forbidden[i]))
			return &forbidden[i];
	return NULL;
}

static bool is_private(const struct ranges *r, const struct ip_prefix *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(private_space); i++)
		if (ip_prefix_contains(&r->private_space[i], p))
			return true;
	return false;
}

void check_forbidden_address_space(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;
	char buf[IP_STRLEN];
	struct ranges ranges;

	ranges_init(&ranges);
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		for (size_t k = 0; k < v->nspace; k++) {
			const struct named_range *r = forbidden_range(&ranges, &v->space[k]);
			if (r)
				check_report(ctx, ctx->sema->vnets[i].space_src[k]->loc,
					     "address space %s of '%s' overlaps %s (%s), "
					     "which Azure does not allow in a VNet",
					     ip_prefix_str(&v->space[k], buf),
					     v->handle, r->prefix, r->what);
		}
	}
}

void check_public_address_space(struct check_ctx *ctx)
{
	const struct model *m = &ctx->sema->model;
	char buf[IP_STRLEN];
	struct ranges ranges;

	ranges_init(&ranges);
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct m_vnet *v = &m->vnets[i];
		for (size_t k = 0; k < v->nspace; k++) {
			const struct ip_prefix *p = &v->space[k];
			/* A forbidden range has its own error. */
			if (p->addr.family != IP_V4 || is_private(&ranges, p) ||
			    forbidden_range(&ranges, p))
				continue;
			check_report(ctx, ctx->sema->vnets[i].space_src[k]->loc,
				     "address space %s of '%s' is public IPv4 space "
				     "(not RFC 1918 or RFC 6598)",
				     ip_prefix_str(p, buf), v->handle);
		}
	}
}

/* ------------------------------------------------ inside the VNet */

static bool space_contains(const struct m_vnet *v, const struct ip_prefix *p)
{
	struct ip_prefix m = ip_prefix_masked(p);

	for (size_t k = 0; k < v->nspace; k++)
		if (ip_prefix_contains(&v->space[k], &m))
			return true;
	return false;
}

static bool space_contains_addr(const struct m_vnet *v, const struct ip_addr *a)
{
	for (size_t k = 0; k < v->nspace; k++)
		if (ip_prefix_contains_addr(&v->space[k], a))
			return true;
	return false;
}

/* "the address space of 'hub' is 10.0.0.0/16, fd00::/48" at the space. */
static void note_space(struct check_ctx *ctx, struct diag *d, size_t vi)
{
	const struct m_vnet *v = &ctx->sema->model.vnets[vi];
	struct strbuf sb;
	char buf[IP_STRLEN];

	if (!d)
		return;
	sb_init(&sb);
	for (size_t k = 0; k < v->nspace; k++)
		sb_printf(&sb, "%s%s", k ? ", " : "", ip_prefix_str(&v->space[k], buf));
	diag_note(ctx->diags, d, ctx->sema->vnets[vi].space_loc,
		  "the address space of '%s' is %s", v->handle, sb.buf);
	sb_free(&sb);
}

void check_subnet_outside_vnet(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[IP_STRLEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		if (v->nspace == 0) /* vnet-incomplete says so */
			continue;
		for (size_t k = 0; k < v->nsubnets; k++) {
			const struct m_subnet *sn = &v->subnets[k];
			for (size_t j = 0; j < sn->nprefixes; j++) {
				if (space_contains(v, &sn->prefixes[j]))
					continue;
				struct diag *d = check_report(ctx,
					sema_value_at(s->vnets[i].subnet_src[k], j)->loc,
					"subnet '%s' %s is outside the address space of '%s'",
					sn->name, ip_prefix_str(&sn->prefixes[j], buf),
					v->handle);
				note_space(ctx, d, i);
			}
		}
	}
}

void check_nva_outside_vnet(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	char buf[IP_STRLEN];

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		for (size_t k = 0; v->nspace && k < v->nnvas; k++) {
			if (space_contains_addr(v, &v->nvas[k]))
				continue;
			struct diag *d = check_report(ctx,
				sema_value_at(s->vnets[i].nva_src, k)->loc,
				"NVA address %s is outside the address space of '%s'",
				ip_addr_str(&v->nvas[k], buf), v->handle);
			note_space(ctx, d, i);
		}
	}
}

/* ------------------------------------------------ overlaps: the machinery */

/* Who holds a prefix: VNets are owners 0 .. nvnets-1, sites come after. */
struct holder {
	const char *name;
	bool site;
	const struct ip_prefix *prefixes; /* masked */
	const struct value *const *src;  /* as written, for locations */
	size_t n;
};

static struct holder holder_of(const struct sema *s, uint32_t owner)
{
	if (owner < s->model.nvnets) {
		const struct m_vnet *v = &s->model.vnets[owner];
		return (struct holder){ v->handle, false, v->space,
					s->vnets[owner].space_src, v->nspace };
	}
	size_t i = owner - s->model.nvnets;
	const struct m_site *site = &s->model.sites[i];
	return (struct holder){ site->name, true, site->prefixes,
				s->sites[i].prefix_src, site->nprefixes };
}

static uint32_t site_owner(const struct sema *s, const struct m_site *site)
{
	return (uint32_t)(s->model.nvnets + (size_t)(site - s->model.sites));
}

static struct loc entry_loc(const struct sema *s, const struct ov_entry *e)
{
	return holder_of(s, e->owner).src[e->item]->loc;
}

/* "'spoke1'" or "site 'onprem'" */
static const char *holder_name(struct check_ctx *ctx, uint32_t owner)
{
	struct holder h = holder_of(ctx->sema, owner);

	return arena_printf(ctx->arena, "%s'%s'", h.site ? "site " : "", h.name);
}

struct entries {
	struct ov_entry *e;
	size_t n, cap;
};

static void add_entry(struct entries *es, struct ov_entry e)
{
	if (es->n == es->cap) {
		es->cap = es->cap ? 2 * es->cap : 256;
		es->e = xrealloc(es->e, es->cap * sizeof(*es->e));
	}
	es->e[es->n++] = e;
}

/* Adds every address space prefix of `owner` to `group`. */
static void add_holder(struct entries *es, const struct sema *s, uint32_t group,
		       uint32_t owner)
{
	struct holder h = holder_of(s, owner);

	for (size_t k = 0; k < h.n; k++)
		add_entry(es, (struct ov_entry){ .prefix = h.prefixes[k],
			  .group = group, .owner = owner, .item = (uint32_t)k });
}

/* One overlap to report: `later` is the prefix declared later in the file,
 * where the message goes; the note points at `earlier`. */
struct found {
	const struct ov_entry *later, *earlier;
	struct loc later_loc, earlier_loc;
};

static int found_cmp(const void *pa, const void *pb)
{
	const struct found *a = pa, *b = pb;

	if (a->later_loc.start != b->later_loc.start)
		return a->later_loc.start < b->later_loc.start ? -1 : 1;
	if (a->earlier_loc.start != b->earlier_loc.start)
		return a->earlier_loc.start < b->earlier_loc.start ? -1 : 1;
	if (a->later->group != b->later->group)
		return a->later->group < b->later->group ? -1 : 1;
	return 0;
}

static bool same_prefixes(const struct found *a, const struct found *b)
{
	return a->later_loc.start == b->later_loc.start &&
	       a->earlier_loc.start == b->earlier_loc.start;
}

/* Called once per overlapping pair of prefixes, in source order. */
typedef void found_fn(struct check_ctx *ctx, const struct found *f);
/* Where an entry's prefix is written. */
typedef struct loc entry_loc_fn(const struct sema *s, const struct ov_entry *e);

/* Finds the overlaps among `es` and hands each pair of prefixes to `fn`
 * once (a pair found in several groups is reported for the first), ordered
 * by where the later prefix is written, so output is stable. */
static void report_overlaps(struct check_ctx *ctx, struct entries *es,
			    const struct ov_query *q, entry_loc_fn *where,
			    found_fn *fn)
{
	struct ov_result r = overlap_find(ctx->arena, es->e, es->n, q);
	struct found *f = xmalloc((r.npairs ? r.npairs : 1) * sizeof(*f));

	for (size_t i = 0; i < r.npairs; i++) {
		const struct ov_entry *a = r.pairs[i].outer, *b = r.pairs[i].inner;
		struct loc la = where(ctx->sema, a), lb = where(ctx->sema, b);
		f[i] = la.start > lb.start ? (struct found){ a, b, la, lb }
					   : (struct found){ b, a, lb, la };
	}
	qsort(f, r.npairs, sizeof(*f), found_cmp);
	size_t before = ctx->diags->n;
	for (size_t i = 0; i < r.npairs; i++)
		if (i == 0 || !same_prefixes(&f[i - 1], &f[i]))
			fn(ctx, &f[i]);
	/* An index, not a pointer: each report may move the array. */
	if (r.truncated && ctx->diags->n > before)
		diag_note(ctx->diags, &ctx->diags->items[ctx->diags->n - 1],
			  LOC_NONE, "more overlaps of this kind are not shown");
	free(f);
	free(es->e);
	*es = (struct entries){ 0 };
}

/* "address space 10.1.0.0/16 of 'spoke1' overlaps 10.1.128.0/17 of
 * 'spoke9'<tail>" at the later prefix, with a note at the earlier one. */
static struct diag *overlap_diag(struct check_ctx *ctx, const struct found *f,
				 struct loc at, const char *tail)
{
	char a[IP_STRLEN], b[IP_STRLEN];
	struct diag *d = check_report(ctx, at, "address space %s of %s overlaps %s of %s%s",
		ip_prefix_str(&f->later->prefix, a), holder_name(ctx, f->later->owner),
		ip_prefix_str(&f->earlier->prefix, b), holder_name(ctx, f->earlier->owner),
		tail);
	diag_note(ctx->diags, d, f->earlier_loc, "%s declares %s here",
		  holder_name(ctx, f->earlier->owner), b);
	return d;
}

/* ------------------------------------------------ overlaps within a VNet */

static void report_own(struct check_ctx *ctx, const struct found *f)
{
	char a[IP_STRLEN], b[IP_STRLEN];
	const char *name = ctx->sema->model.vnets[f->later->owner].handle;
	ip_prefix_str(&f->later->prefix, a);
	ip_prefix_str(&f->earlier->prefix, b);
	struct diag *d = strcmp(a, b) == 0
		? check_report(ctx, f->later_loc,
			       "address space %s of '%s' is given twice", a, name)
		: check_report(ctx, f->later_loc,
			       "address space %s of '%s' overlaps its %s", a, name, b);
	diag_note(ctx->diags, d, f->earlier_loc, "'%s' declares %s here", name, b);
}

void check_vnet_prefix_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct entries es = { 0 };
	struct ov_query q = { 0 };

	for (size_t i = 0; i < s->model.nvnets; i++)
		add_holder(&es, s, (uint32_t)i, (uint32_t)i);
	report_overlaps(ctx, &es, &q, entry_loc, report_own);
}

/* Subnet entries: owner and group are the VNet, item the subnet and which
 * of its prefixes (subnet * SUBNET_MAX_PREFIXES + prefix). */
static void report_subnets(struct check_ctx *ctx, const struct found *f)
{
	char a[IP_STRLEN], b[IP_STRLEN];
	const struct m_vnet *v = &ctx->sema->model.vnets[f->later->group];
	const struct m_subnet *x = &v->subnets[f->later->item / SUBNET_MAX_PREFIXES];
	const struct m_subnet *y = &v->subnets[f->earlier->item / SUBNET_MAX_PREFIXES];
	struct diag *d = check_report(ctx, f->later_loc,
		"subnet '%s' %s of '%s' overlaps subnet '%s' %s", x->name,
		ip_prefix_str(&f->later->prefix, a), v->handle, y->name,
		ip_prefix_str(&f->earlier->prefix, b));
	diag_note(ctx->diags, d, f->earlier_loc, "subnet '%s' is declared here",
		  y->name);
}

static struct loc subnet_loc(const struct sema *s, const struct ov_entry *e)
{
	return sema_value_at(s->vnets[e->owner].subnet_src[e->item / SUBNET_MAX_PREFIXES],
			     e->item % SUBNET_MAX_PREFIXES)->loc;
}

void check_subnet_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct entries es = { 0 };
	struct ov_query q = { 0 };

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct m_vnet *v = &s->model.vnets[i];
		for (size_t k = 0; k < v->nsubnets; k++)
			for (size_t j = 0; j < v->subnets[k].nprefixes; j++)
				add_entry(&es, (struct ov_entry){
					.prefix = v->subnets[k].prefixes[j],
					.group = (uint32_t)i, .owner = (uint32_t)i,
					.item = (uint32_t)(k * SUBNET_MAX_PREFIXES + j) });
	}
	report_overlaps(ctx, &es, &q, subnet_loc, report_subnets);
}

/* ------------------------------------------------ overlaps between VNets */

/* Group: the peering. Azure refuses to create it (VnetAddressSpacesOverlap). */
static void report_peered(struct check_ctx *ctx, const struct found *f)
{
	struct diag *d = overlap_diag(ctx, f, f->later_loc,
		", and they are peered (Azure: VnetAddressSpacesOverlap)");
	diag_note(ctx->diags, d, ctx->sema->model.peerings[f->later->group].loc,
		  "peered here");
}

void check_peered_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct entries es = { 0 };
	struct ov_query q = { .distinct_owners = true };

	for (size_t i = 0; i < s->model.npeerings; i++)
		for (int k = 0; k < 2; k++)
			add_holder(&es, s, (uint32_t)i,
				   (uint32_t)s->model.peerings[i].side[k].vnet->index);
	report_overlaps(ctx, &es, &q, entry_loc, report_peered);
}

/* The pair itself is peered: peered-overlap reports it. */
static bool not_peered(const struct ov_entry *a, const struct ov_entry *b,
		       const void *ctx)
{
	const struct sema *s = ctx;

	return sema_peering_between(s, &s->model.vnets[a->owner],
				    &s->model.vnets[b->owner]) < 0;
}

/* Group: the VNet both are peered with. Azure refuses the second peering
 * (VnetAddressSpaceOverlapsWithAlreadyPeeredVnet). */
static void report_shared_peer(struct check_ctx *ctx, const struct found *f)
{
	const struct sema *s = ctx->sema;
	const struct m_vnet *hub = &s->model.vnets[f->later->group];
	const struct m_vnet *v = &s->model.vnets[f->later->owner];
	const char *tail = arena_printf(ctx->arena,
		", and both are peered with '%s' "
		"(Azure: VnetAddressSpaceOverlapsWithAlreadyPeeredVnet)", hub->handle);
	struct diag *d = overlap_diag(ctx, f, f->later_loc, tail);
	ptrdiff_t p = sema_peering_between(s, v, hub);
	diag_note(ctx->diags, d, s->model.peerings[p].loc,
		  "'%s' is peered with '%s' here", v->handle, hub->handle);
}

void check_shared_peer_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct entries es = { 0 };
	struct ov_query q = { .distinct_owners = true, .keep = not_peered,
			      .ctx = s };

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const struct s_vnet *sv = &s->vnets[i];
		for (size_t k = 0; k < sv->npeerings; k++) {
			const struct m_peering *p = &s->model.peerings[sv->peerings[k]];
			const struct m_vnet *other = p->side[1 - sema_side_of(p,
					&s->model.vnets[i])].vnet;
			add_holder(&es, s, (uint32_t)i, (uint32_t)other->index);
		}
	}
	report_overlaps(ctx, &es, &q, entry_loc, report_shared_peer);
}

static uint32_t end_owner(const struct sema *s, const struct s_end *e)
{
	return e->vnet ? (uint32_t)e->vnet->index : site_owner(s, e->site);
}

/* Group: the index of the require in sema.rules. The message goes on the
 * require; both declarations get a note. */
static void report_require(struct check_ctx *ctx, const struct found *f)
{
	char b[IP_STRLEN];
	const struct s_rule *r = &ctx->sema->rules[f->later->group];
	struct diag *d = overlap_diag(ctx, f, r->stmt->loc,
		", and this require says they talk");

	diag_note(ctx->diags, d, f->later_loc, "%s declares %s here",
		  holder_name(ctx, f->later->owner),
		  ip_prefix_str(&f->later->prefix, b));
}

void check_require_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct entries es = { 0 };
	struct ov_query q = { .distinct_owners = true };

	for (size_t i = 0; i < s->nrules; i++) {
		const struct s_rule *r = &s->rules[i];
		if (r->deny)
			continue;
		add_holder(&es, s, (uint32_t)i, end_owner(s, &r->a));
		add_holder(&es, s, (uint32_t)i, end_owner(s, &r->b));
	}
	report_overlaps(ctx, &es, &q, entry_loc, report_require);
}

/* Group: the site. Each VNet that can reach the site (reach.h) must not
 * overlap it, or its routes toward the site are ambiguous. */
struct site_sweep {
	struct entries *es;
	const struct sema *s;
	uint32_t group;
};

static void add_reacher(void *ctx, const struct m_vnet *v)
{
	struct site_sweep *sw = ctx;

	add_holder(sw->es, sw->s, sw->group, (uint32_t)v->index);
}

/* Only pairs of the site and a VNet: two VNets that reach one site are
 * peered with its hub, and shared-peer-overlap reports them. */
static bool with_site(const struct ov_entry *a, const struct ov_entry *b,
		      const void *ctx)
{
	const struct sema *s = ctx;

	return a->owner >= s->model.nvnets || b->owner >= s->model.nvnets;
}

static void report_site(struct check_ctx *ctx, const struct found *f)
{
	const struct sema *s = ctx->sema;
	const struct m_site *site = &s->model.sites[f->later->group];
	const struct ov_entry *ve = f->later->owner < s->model.nvnets ? f->later
								      : f->earlier;
	const struct m_vnet *v = &s->model.vnets[ve->owner];
	const char *tail = v == site->via
		? arena_printf(ctx->arena, ", and the site is reached through '%s'",
			       v->handle)
		: arena_printf(ctx->arena, ", and '%s' reaches the site through "
			       "the gateway of '%s'", v->handle, site->via->handle);

	overlap_diag(ctx, f, f->later_loc, tail);
}

void check_site_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	struct entries es = { 0 };
	struct ov_query q = { .distinct_owners = true, .keep = with_site, .ctx = s };

	for (size_t i = 0; i < s->model.nsites; i++) {
		const struct m_site *site = &s->model.sites[i];
		struct site_sweep sw = { &es, s, (uint32_t)i };
		add_holder(&es, s, (uint32_t)i, site_owner(s, site));
		reach_site_each(s, site, add_reacher, &sw);
	}
	report_overlaps(ctx, &es, &q, entry_loc, report_site);
}

/* ------------------------------------------------ connected groups */

static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]]; /* path halving */
		x = parent[x];
	}
	return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	/* The smaller index becomes the root: deterministic, and cheap enough
	 * with path halving. */
	if (a < b)
		parent[b] = a;
	else
		parent[a] = b;
}

/* Whether two VNets are peered with one same VNet: a shared peer. Walks the
 * shorter peering list, so it costs at most 500 lookups. */
static bool share_peer(const struct sema *s, const struct m_vnet *a,
		       const struct m_vnet *b)
{
	if (s->vnets[a->index].npeerings > s->vnets[b->index].npeerings) {
		const struct m_vnet *t = a;
		a = b;
		b = t;
	}
	const struct s_vnet *sa = &s->vnets[a->index];
	for (size_t k = 0; k < sa->npeerings; k++) {
		const struct m_peering *p = &s->model.peerings[sa->peerings[k]];
		const struct m_vnet *mid = p->side[1 - sema_side_of(p, a)].vnet;
		if (sema_peering_between(s, mid, b) >= 0)
			return true;
	}
	return false;
}

struct group_sweep {
	const struct sema *s;
	struct idmap required; /* the pairs of ends of each require */
};

/* Pairs that are peered, share a peer or are the ends of a require are
 * errors of their own. */
static bool only_in_group(const struct ov_entry *a, const struct ov_entry *b,
			  const void *ctx)
{
	const struct group_sweep *g = ctx;
	const struct sema *s = g->s;
	const struct m_vnet *va = &s->model.vnets[a->owner];
	const struct m_vnet *vb = &s->model.vnets[b->owner];

	return sema_peering_between(s, va, vb) < 0 && !share_peer(s, va, vb) &&
	       !idmap_get(&g->required, idmap_pair(a->owner, b->owner));
}

static void report_group(struct check_ctx *ctx, const struct found *f)
{
	overlap_diag(ctx, f, f->later_loc,
		     ", and both are in one connected group of peered VNets");
}

void check_connected_group_overlap(struct check_ctx *ctx)
{
	const struct sema *s = ctx->sema;
	size_t n = s->model.nvnets;
	size_t *parent = xmalloc((n ? n : 1) * sizeof(*parent));
	struct entries es = { 0 };
	struct group_sweep g = { .s = s };
	struct ov_query q = { .distinct_owners = true, .keep = only_in_group,
			      .ctx = &g };

	idmap_init(&g.required, ctx->arena, s->nrules);
	for (size_t i = 0; i < s->nrules; i++) {
		const struct s_rule *r = &s->rules[i];
		if (r->deny || !r->a.vnet || !r->b.vnet)
			continue;
		/* a set: the value only marks the key present */
		idmap_put(&g.required, idmap_pair(r->a.vnet->index, r->b.vnet->index), 1);
	}
	for (size_t i = 0; i < n; i++)
		parent[i] = i;
	for (size_t i = 0; i < s->model.npeerings; i++)
		uf_union(parent, s->model.peerings[i].side[0].vnet->index,
			 s->model.peerings[i].side[1].vnet->index);
	for (size_t i = 0; i < n; i++)
		add_holder(&es, s, (uint32_t)uf_find(parent, i), (uint32_t)i);
	free(parent);
	report_overlaps(ctx, &es, &q, entry_loc, report_group);
}

/* ------------------------------------------------ regions */

/* What peerc makes of an unknown name, worked out once per distinct name:
 * 100,000 VNets with one misspelt default would otherwise do it 100,000
 * times. */
struct region_guess {
	const char *misspelt; /* the one region it is a slip of, or NULL */
	const char *hint;     /* the closest region, or NULL */
};

static const struct region_guess *guess(struct check_ctx *ctx, struct strmap *cache,
					const char *name)
{
	struct region_guess *g = strmap_get(cache, name);

	if (!g) {
		g = arena_alloc(ctx->arena, sizeof(*g));
		g->misspelt = region_misspelt(name);
		g->hint = g->misspelt ? g->misspelt : region_hint(name);
		strmap_put(cache, name, g);
	}
	return g;
}

struct region_use {
	struct loc loc;
	const char *name;
};

static int use_cmp(const void *pa, const void *pb)
{
	const struct region_use *a = pa, *b = pb;

	return a->loc.start < b->loc.start ? -1 : a->loc.start > b->loc.start;
}

/* The places that name an unknown region, in source order; the defaults
 * block's location is one place, however many VNets take it. Known display
 * names ("West Europe") were made programmatic names by resolution. */
static size_t unknown_regions(const struct sema *s, struct region_use **out)
{
	struct region_use *uses = xmalloc((s->model.nvnets + 1) * sizeof(*uses));
	size_t n = 0;
	bool from_defaults = false;

	for (size_t i = 0; i < s->model.nvnets; i++) {
		const char *name = s->model.vnets[i].location;
		const struct s_origin *o = &s->vnets[i].location;
		if (!name || region_known(name) || (o->from_defaults && from_defaults))
			continue;
		from_defaults |= o->from_defaults;
		uses[n++] = (struct region_use){ o->loc, name };
	}
	qsort(uses, n, sizeof(*uses), use_cmp);
	*out = uses;
	return n;
}

/* Reports the unknown regions that are (misspelt) or are not one-letter
 * slips of a region: the error and the warning split them. */
static void report_regions(struct check_ctx *ctx, bool misspelt)
{
	struct region_use *uses;
	size_t n = unknown_regions(ctx->sema, &uses);
	struct strmap cache;

	strmap_init(&cache, ctx->arena);
	for (size_t i = 0; i < n; i++) {
		const struct region_guess *g = guess(ctx, &cache, uses[i].name);
		if (!g->misspelt != !misspelt)
			continue;
		if (!g->hint) {
			check_report(ctx, uses[i].loc, "unknown Azure region '%s'",
				     uses[i].name);
			continue;
		}
		struct diag *d = check_report(ctx, uses[i].loc,
			"unknown Azure region '%s'; did you mean '%s'?", uses[i].name,
			g->hint);
		diag_fixit(ctx->diags, d, uses[i].loc, g->hint);
	}
	free(uses);
}

/* An error: one letter from exactly one region, the name is a slip, not a
 * region peerc does not know yet. */
void check_misspelt_region(struct check_ctx *ctx)
{
	report_regions(ctx, true);
}

/* A warning: new regions appear before peerc knows them. */
void check_unknown_region(struct check_ctx *ctx)
{
	report_regions(ctx, false);
}
