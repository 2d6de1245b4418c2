/* Hover: what the file means at the cursor, in Markdown. On a VNet: its
 * settings, its peerings with both sides' four settings, and whom it can
 * and cannot reach (the --explain machinery, reach.c); on a site: its
 * prefixes and who reaches it; on the keyword of a peer, hub or mesh: the
 * peerings it expands to; on a prefix: its range and size; and where a
 * diagnostic is, its check and a link to its documentation. */
#include "common.h"

#include "addr.h"
#include "checks.h"
#include "diag.h"
#include "lsp_index.h"
#include "lsp_int.h"
#include "reach.h"
#include "resolve.h"
#include "rules.h"

/* Lists in a hover stop here: a hub of 500 spokes should not fill a screen. */
#define HOVER_MAX_ITEMS 12

struct hover {
	struct strbuf md;
	const struct sema *sema; /* NULL when the file never resolved */
	bool stale;              /* sema is of an earlier version of the file */
	struct arena *arena;     /* for reach's sentences; freed after */
};

static void put_prefixes(struct strbuf *md, const struct ip_prefix *p, size_t n)
{
	char buf[IP_STRLEN];

	for (size_t i = 0; i < n; i++)
		sb_printf(md, "%s`%s`", i ? ", " : "", ip_prefix_str(&p[i], buf));
}

static const char *gateway_name(enum gateway_kind g)
{
	static const char *const names[] = {
		[GW_NONE] = "none", [GW_ANY] = "yes", [GW_VPN] = "VPN",
		[GW_EXPRESSROUTE] = "ExpressRoute",
	};
	return names[g];
}

static void put_vnet_settings(struct hover *h, const struct m_vnet *v)
{
	struct strbuf *md = &h->md;
	char buf[IP_STRLEN];

	sb_printf(md, "**vnet %s**%s\n\n", v->handle, v->existing ? " (existing)" : "");
	if (strcmp(v->name, v->handle) != 0)
		sb_printf(md, "- Azure name: `%s`\n", v->name);
	sb_puts(md, "- address space: ");
	put_prefixes(md, v->space, v->nspace);
	sb_printf(md, "\n- region: %s\n- resource group: %s\n- subscription: %s\n",
		  v->location ? v->location : "(not given)", v->resource_group,
		  v->subscription);
	if (v->gateway != GW_NONE)
		sb_printf(md, "- gateway: %s\n", gateway_name(v->gateway));
	for (size_t i = 0; i < v->nnvas; i++)
		sb_printf(md, "%s%s", i ? ", " : "- NVA: ", ip_addr_str(&v->nvas[i], buf));
	sb_puts(md, v->nnvas ? "\n" : "");
	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_subnet *sn = &v->subnets[i];
		sb_printf(md, "%s`%s` %s", i ? ", " : "- subnets: ", sn->name,
			  ip_prefix_str(&sn->prefixes[0], buf));
		if (sn->nprefixes > 1)
			sb_printf(md, " and %s", ip_prefix_str(&sn->prefixes[1], buf));
	}
	sb_puts(md, v->nsubnets ? "\n" : "");
}

static void put_side(struct strbuf *md, const struct m_side *s)
{
	const bool *on = s->setting;

	sb_printf(md, "`%s`: access %s, forwarded %s, gateway transit %s, "
		  "remote gateway %s", s->vnet->handle, on[SET_ACCESS] ? "on" : "off",
		  on[SET_FORWARDED] ? "on" : "off",
		  on[SET_GATEWAY_TRANSIT] ? "on" : "off",
		  on[SET_REMOTE_GATEWAY] ? "on" : "off");
}

static void put_peering(struct strbuf *md, const struct m_peering *p)
{
	sb_printf(md, "- **%s <-> %s**\n  - ", p->side[0].vnet->handle,
		  p->side[1].vnet->handle);
	put_side(md, &p->side[0]);
	sb_puts(md, "\n  - ");
	put_side(md, &p->side[1]);
	sb_putc(md, '\n');
}

static void put_more(struct strbuf *md, size_t shown, size_t total)
{
	if (total > shown)
		sb_printf(md, "- and %zu more\n", total - shown);
}

static void put_vnet_peerings(struct hover *h, const struct m_vnet *v)
{
	const struct s_vnet *sv = &h->sema->vnets[v->index];
	size_t n = sv->npeerings;

	sb_printf(&h->md, "\n**%zu peering%s**\n\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < HOVER_MAX_ITEMS; i++)
		put_peering(&h->md, &h->sema->model.peerings[sv->peerings[i]]);
	put_more(&h->md, n < HOVER_MAX_ITEMS ? n : HOVER_MAX_ITEMS, n);
}

/* Whom v reaches, each with the path, then whom it does not: every other
 * VNet and site, asked one by one (the answer is what --explain says). */
static void put_reach(struct hover *h, const struct s_end *from)
{
	const struct model *m = &h->sema->model;
	struct strbuf no;
	size_t nyes = 0, nno = 0;

	sb_init(&no);
	sb_puts(&h->md, "\n**Reaches**\n\n");
	for (size_t i = 0; i < m->nvnets + m->nsites; i++) {
		struct s_end to = { 0 };
		const char *why;
		if (i < m->nvnets)
			to.vnet = &m->vnets[i];
		else
			to.site = &m->sites[i - m->nvnets];
		if (to.vnet == from->vnet || (to.site && to.site == from->site))
			continue;
		const char *name = to.vnet ? to.vnet->handle : to.site->name;
		struct reach_answer ans;
		bool yes = reach_ends(h->sema, from, &to, h->arena, LOC_NONE, &ans);
		why = ans.why;
		if (yes) {
			if (nyes++ < HOVER_MAX_ITEMS)
				sb_printf(&h->md, "- `%s`, by %s\n", name, why);
		} else if (nno++ < HOVER_MAX_ITEMS) {
			sb_printf(&no, "%s`%s`", nno > 1 ? ", " : "", name);
		}
	}
	if (nyes == 0)
		sb_puts(&h->md, "- nothing\n");
	put_more(&h->md, nyes < HOVER_MAX_ITEMS ? nyes : HOVER_MAX_ITEMS, nyes);
	if (nno)
		sb_printf(&h->md, "\n**Does not reach**: %s%s\n", no.buf,
			  nno > HOVER_MAX_ITEMS ? ", ..." : "");
	sb_free(&no);
}

static void hover_vnet(struct hover *h, struct m_vnet *v)
{
	put_vnet_settings(h, v);
	put_vnet_peerings(h, v);
	put_reach(h, &(struct s_end){ .vnet = v });
}

static void hover_site(struct hover *h, struct m_site *site)
{
	sb_printf(&h->md, "**site %s**\n\n- prefixes: ", site->name);
	put_prefixes(&h->md, site->prefixes, site->nprefixes);
	sb_printf(&h->md, "\n- via: `%s`\n", site->via ? site->via->handle : "?");
	put_reach(h, &(struct s_end){ .site = site });
}

static bool hover_name(struct hover *h, const struct name_use *u)
{
	struct m_vnet *v = h->sema ? strmap_get(&h->sema->vnet_by_handle, u->name) : NULL;
	struct m_site *site = h->sema ? strmap_get(&h->sema->site_by_name, u->name) : NULL;

	if (v)
		hover_vnet(h, v);
	else if (site)
		hover_site(h, site);
	else
		sb_printf(&h->md, "**%s**\n\n(more once the file resolves without "
			  "errors)\n", u->name);
	if ((v || site) && h->stale)
		sb_puts(&h->md, "\n*As of the last version of the file without errors.*\n");
	return true;
}

/* ------------------------------------------------------------ statements */

/* The peerings statement st declared (a pair may be declared by more). */
static void hover_expansion(struct hover *h, const struct stmt *st)
{
	const struct model *m = &h->sema->model;
	size_t n = 0;

	sb_printf(&h->md, "**%s** expands to:\n\n", stmt_kind_name(st->kind));
	for (size_t i = 0; i < m->npeerings; i++) {
		const struct s_peering *sp = &h->sema->peerings[i];
		bool mine = false;
		for (size_t k = 0; k < sp->nstmts && !mine; k++)
			mine = sp->stmts[k] == st;
		if (mine && n++ < HOVER_MAX_ITEMS)
			put_peering(&h->md, &m->peerings[i]);
	}
	put_more(&h->md, n < HOVER_MAX_ITEMS ? n : HOVER_MAX_ITEMS, n);
	for (size_t i = 0; i < h->sema->nhubs; i++) {
		const struct s_hub *hub = &h->sema->hubs[i];
		if (hub->stmt == st && hub->transit != TRANSIT_NONE)
			sb_printf(&h->md, "\nand a route table in each spoke sending the "
				  "other spokes' prefixes to the hub's %s\n",
				  hub->transit == TRANSIT_NVA ? "NVA" : "gateway");
	}
}

static const struct stmt *keyword_at(const struct ast_file *f, uint32_t off)
{
	for (const struct stmt *st = f->stmts; st; st = st->next)
		if (st->kw_loc.start <= off && off <= st->kw_loc.end)
			return st;
	return NULL;
}

/* ------------------------------------------------------------ prefixes */

static const struct value *prefix_in(const struct value *v, uint32_t off)
{
	for (; v; v = v->next)
		if (v->kind == VAL_PREFIX && v->loc.start <= off && off <= v->loc.end)
			return v;
	return NULL;
}

static const struct value *prefix_in_attrs(const struct attr *a, uint32_t off)
{
	for (; a; a = a->next) {
		const struct value *v = a->has_block ? prefix_in_attrs(a->block, off) :
					prefix_in(a->values, off);
		if (v)
			return v;
	}
	return NULL;
}

static const struct value *prefix_at(const struct ast_file *f, uint32_t off)
{
	for (const struct stmt *st = f->stmts; st; st = st->next) {
		if (off < st->loc.start || off > st->loc.end)
			continue;
		const struct value *v = prefix_in(st->prefixes, off);
		return v ? v : prefix_in_attrs(st->attrs, off);
	}
	return NULL;
}

/* "10.0.0.0 - 10.0.255.255, 65,536 addresses" (IPv6: 2^N). */
static void hover_prefix(struct hover *h, const struct ip_prefix *p)
{
	char a[IP_STRLEN], b[IP_STRLEN];
	struct ip_addr first, last;
	unsigned bits = ip_bits(p->addr.family);

	if (!ip_prefix_len_ok(p))
		return;
	ip_prefix_range(p, &first, &last);
	sb_printf(&h->md, "**%s**\n\n- first address: `%s`\n- last address: `%s`\n",
		  ip_prefix_str(p, a), ip_addr_str(&first, a), ip_addr_str(&last, b));
	if (bits - p->len < 40)
		sb_printf(&h->md, "- size: %llu addresses\n",
			  1ULL << (bits - p->len));
	else
		sb_printf(&h->md, "- size: 2^%u addresses\n", bits - p->len);
	if (ip_prefix_has_host_bits(p)) {
		struct ip_prefix net = ip_prefix_masked(p);
		sb_printf(&h->md, "- host bits set: the network is `%s`\n",
			  ip_prefix_str(&net, a));
	}
}

/* ------------------------------------------------------------ checks */

static void hover_diagnostics(struct hover *h, const struct diag_list *l,
			      uint32_t off)
{
	char link[256];

	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->items[i];
		const struct check *c = d->name ? check_find(d->name) : NULL;
		if (!c || d->src || loc_is_none(d->loc) || off < d->loc.start ||
		    off > d->loc.end)
			continue;
		sb_printf(&h->md, "%s`%s` (%s): %s.",
			  h->md.len ? "\n---\n\n" : "", c->name,
			  c->level == CHECK_ERROR ? "error" : "warning", c->summary);
		if (rules_doc_link(c->name, link, sizeof(link)))
			sb_printf(&h->md, " [Documentation](%s)", link);
		sb_putc(&h->md, '\n');
	}
}

static void hover_at(struct hover *h, const struct ast_file *f, uint32_t off)
{
	struct name_index x;
	const struct stmt *kw = keyword_at(f, off);
	const struct value *pv;

	name_index_build(&x, f);
	const struct name_use *u = name_index_at(&x, off);
	if (u)
		hover_name(h, u);
	else if (kw && h->sema && !h->stale && (kw->kind == STMT_PEER ||
						kw->kind == STMT_HUB || kw->kind == STMT_MESH))
		hover_expansion(h, kw);
	else if ((pv = prefix_at(f, off)))
		hover_prefix(h, &pv->u.prefix);
	name_index_free(&x);
}

json_t *lsp_hover(struct lsp_server *s, json_t *params, struct lsp_error *err)
{
	struct lsp_doc *doc = lsp_doc_param(s, params, err);
	uint32_t off;

	if (!doc || !lsp_offset_param(s, doc, params, &off, err))
		return NULL;
	const struct peerc_result *known = doc->result->sema ? doc->result : doc->good;
	struct hover h = {
		.sema = known ? known->sema : NULL,
		.stale = known && known != doc->result,
		.arena = arena_new(),
	};
	sb_init(&h.md);
	if (doc->result->ast)
		hover_at(&h, doc->result->ast, off);
	hover_diagnostics(&h, &doc->result->diags, off);
	json_t *result = h.md.len == 0 ? json_null() :
		json_pack("{s:{s:s,s:o}}", "contents", "kind", "markdown", "value",
			  lsp_string(h.md.buf));
	sb_free(&h.md);
	arena_free(h.arena);
	return result;
}
