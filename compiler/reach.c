#include "common.h"

#include "check_fns.h"
#include "checks.h"
#include "diag.h"
#include "reach.h"
#include "util.h"

/* The answer of one query: the sentence, the place it is about, and the
 * path (or the nearest one) as hops. */
struct answer {
	struct arena *ar;
	const char *why;  /* the reason, without the edit */
	const char *edit; /* NULL: none */
	struct loc where;
	const char *note; /* what to say at where; NULL: the caller's default */
	struct reach_path *path; /* NULL: the caller wants only the sentence */
};

static bool say(struct answer *ans, bool yes, struct loc where, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

static bool say(struct answer *ans, bool yes, struct loc where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ans->why = arena_vprintf(ans->ar, fmt, ap);
	va_end(ap);
	ans->where = where;
	ans->note = NULL;
	return yes;
}

static void hop(struct answer *ans, enum reach_hop_kind kind,
		const struct m_vnet *v, const struct m_peering *p,
		const struct m_site *site)
{
	struct reach_path *rp = ans->path;

	if (!rp)
		return;
	ARENA_PUSH(ans->ar, rp->hops, rp->nhops, rp->hops_cap);
	rp->hops[rp->nhops - 1] = (struct reach_hop){ kind, v, p, site };
}

/* VNet a, the peering to b, VNet b. */
static void hop_peered(struct answer *ans, const struct sema *s,
		       const struct m_vnet *a, const struct m_vnet *b, bool first)
{
	ptrdiff_t pi = sema_peering_between(s, a, b);

	if (first)
		hop(ans, REACH_VNET, a, NULL, NULL);
	if (pi >= 0)
		hop(ans, REACH_PEERING, NULL, &s->model.peerings[pi], NULL);
	hop(ans, REACH_VNET, b, NULL, NULL);
}

static void missing(struct answer *ans, const struct m_vnet *a,
		    const struct m_vnet *b)
{
	if (ans->path) {
		ans->path->missing[0] = a;
		ans->path->missing[1] = b;
	}
}

static const char *transit_word(enum transit_mode t)
{
	return t == TRANSIT_NVA ? "nva" : "gateway";
}

/* The first hub with transit that both VNets are spokes of; with
 * any_transit false, the first hub they share at all. Both lists are in hub
 * order, so one merge walk finds it. */
static const struct s_hub *shared_hub(const struct sema *s, const struct m_vnet *a,
				      const struct m_vnet *b, bool any_transit)
{
	const struct s_vnet *sa = &s->vnets[a->index], *sb = &s->vnets[b->index];
	size_t i = 0, j = 0;

	while (i < sa->nspoke_of && j < sb->nspoke_of) {
		size_t ha = sa->spoke_of[i], hb = sb->spoke_of[j];
		if (ha < hb) {
			i++;
		} else if (hb < ha) {
			j++;
		} else {
			const struct s_hub *h = &s->hubs[ha];
			if (!any_transit || h->transit != TRANSIT_NONE)
				return h;
			i++;
			j++;
		}
	}
	return NULL;
}

static bool both_access(const struct m_peering *p)
{
	return p->side[0].setting[SET_ACCESS] && p->side[1].setting[SET_ACCESS];
}

/* The edit that gives a hub transit: through its NVA when it has one, else
 * through its VPN gateway, else it needs an NVA first. */
static const char *transit_advice(const struct m_vnet *hub)
{
	if (hub->has_nva)
		return "add 'transit = nva' to the hub";
	if (hub->gateway == GW_VPN || hub->gateway == GW_ANY)
		return "add 'transit = gateway' to the hub";
	return "give the hub an 'nva' and add 'transit = nva'";
}

static bool vnet_to_vnet(const struct sema *s, const struct m_vnet *a,
			 const struct m_vnet *b, struct answer *ans)
{
	ptrdiff_t pi = a == b ? -1 : sema_peering_between(s, a, b);
	const struct s_hub *h;

	if (a == b) {
		hop(ans, REACH_VNET, a, NULL, NULL);
		return say(ans, true, a->loc, "being the same VNet");
	}
	if (pi >= 0 && both_access(&s->model.peerings[pi])) {
		hop_peered(ans, s, a, b, true);
		return say(ans, true, s->model.peerings[pi].loc,
			   "the peering '%s' <-> '%s'", a->handle, b->handle);
	}
	h = shared_hub(s, a, b, true);
	if (h) {
		hop_peered(ans, s, a, h->hub, true);
		hop(ans, h->transit == TRANSIT_NVA ? REACH_NVA : REACH_GATEWAY,
		    h->hub, NULL, NULL);
		hop_peered(ans, s, h->hub, b, false);
		return say(ans, true, h->transit_loc,
			   "hub '%s': '%s' -> '%s' -> '%s' (transit = %s)",
			   h->hub->handle, a->handle, h->hub->handle, b->handle,
			   transit_word(h->transit));
	}
	if (pi >= 0) {
		const struct m_peering *p = &s->model.peerings[pi];
		int k = p->side[0].setting[SET_ACCESS] ? 1 : 0;
		hop_peered(ans, s, a, b, true);
		return say(ans, false, s->peerings[pi].side[k].setting[SET_ACCESS],
			   "the peering '%s' <-> '%s' has access = false on the side of '%s'",
			   a->handle, b->handle, p->side[k].vnet->handle);
	}
	h = shared_hub(s, a, b, false);
	if (h) {
		hop_peered(ans, s, a, h->hub, true);
		hop_peered(ans, s, h->hub, b, false);
		missing(ans, a, b);
		say(ans, false, sema_stmt_head(h->stmt),
		    "both are spokes of hub '%s', which has no transit, and "
		    "peering is not transitive", h->hub->handle);
		ans->edit = arena_printf(ans->ar, "%s, or add 'peer %s <-> %s'",
					 transit_advice(h->hub), a->handle, b->handle);
		ans->note = arena_printf(ans->ar, "hub '%s' is declared here without "
					 "transit", h->hub->handle);
		return false;
	}
	hop(ans, REACH_VNET, a, NULL, NULL);
	missing(ans, a, b);
	say(ans, false, LOC_NONE, "'%s' and '%s' are not peered and share no hub "
	    "with transit", a->handle, b->handle);
	ans->edit = arena_printf(ans->ar, "add 'peer %s <-> %s'", a->handle, b->handle);
	return false;
}

static bool uses_gateway_of(const struct sema *s, const struct m_vnet *a,
			    const struct m_vnet *h, ptrdiff_t *pi)
{
	*pi = sema_peering_between(s, a, h);
	if (*pi < 0)
		return false;
	const struct m_peering *p = &s->model.peerings[*pi];
	int k = sema_side_of(p, a);
	return p->side[k].setting[SET_REMOTE_GATEWAY] &&
	       p->side[1 - k].setting[SET_GATEWAY_TRANSIT];
}

/* From a through h's gateway to the site. */
static void hop_to_site(struct answer *ans, const struct sema *s,
			const struct m_vnet *a, const struct m_site *site)
{
	const struct m_vnet *h = site->via;

	if (a != h)
		hop_peered(ans, s, a, h, true);
	else
		hop(ans, REACH_VNET, h, NULL, NULL);
	if (h->gateway != GW_NONE)
		hop(ans, REACH_GATEWAY, h, NULL, NULL);
	hop(ans, REACH_SITE, NULL, NULL, site);
}

static bool vnet_to_site(const struct sema *s, const struct m_vnet *a,
			 const struct m_site *site, struct answer *ans)
{
	const struct m_vnet *h = site->via;
	ptrdiff_t pi;

	if (a == h) {
		hop_to_site(ans, s, a, site);
		return say(ans, true, site->loc, "'%s' -> site '%s' through the gateway of '%s'",
			   a->handle, site->name, h->handle);
	}
	if (uses_gateway_of(s, a, h, &pi)) {
		hop_to_site(ans, s, a, site);
		return say(ans, true, s->model.peerings[pi].loc,
			   "'%s' -> '%s' -> site '%s', using the gateway of '%s'",
			   a->handle, h->handle, site->name, h->handle);
	}
	if (pi >= 0) {
		hop_to_site(ans, s, a, site);
		say(ans, false, s->model.peerings[pi].loc,
		    "site '%s' is reached through the gateway of '%s', and '%s' "
		    "does not use it", site->name, h->handle, a->handle);
		ans->edit = arena_printf(ans->ar, "set 'gateway = %s' on the peering "
					 "'%s' <-> '%s'", h->handle, a->handle, h->handle);
		return false;
	}
	hop(ans, REACH_VNET, a, NULL, NULL);
	missing(ans, a, h);
	say(ans, false, site->loc,
	    "site '%s' is reached through '%s', and '%s' is not peered with it",
	    site->name, h->handle, a->handle);
	ans->edit = arena_printf(ans->ar, "add 'peer %s <-> %s { gateway = %s }'",
				 a->handle, h->handle, h->handle);
	return false;
}

static void reverse_hops(struct reach_path *rp)
{
	for (size_t i = 0; rp && i < rp->nhops / 2; i++) {
		struct reach_hop t = rp->hops[i];
		rp->hops[i] = rp->hops[rp->nhops - 1 - i];
		rp->hops[rp->nhops - 1 - i] = t;
	}
}

static bool ends(const struct sema *s, const struct s_end *a, const struct s_end *b,
		 struct answer *ans)
{
	bool yes;

	if (a->vnet && b->vnet)
		return vnet_to_vnet(s, a->vnet, b->vnet, ans);
	if (a->vnet)
		return vnet_to_site(s, a->vnet, b->site, ans);
	if (b->vnet) {
		/* the path is found from the VNet; it is told from A */
		yes = vnet_to_site(s, b->vnet, a->site, ans);
		if (yes)
			reverse_hops(ans->path);
		else if (ans->path)
			ans->path->nhops = 0;
		return yes;
	}
	return say(ans, false, b->site->loc,
		   "'%s' and '%s' are both sites; peerc knows only paths that start "
		   "in a VNet", a->site->name, b->site->name);
}

/* The reason, and the edit after it. */
static const char *sentence(const struct answer *ans)
{
	return ans->edit ? arena_printf(ans->ar, "%s; %s", ans->why, ans->edit)
			 : ans->why;
}

bool reach_ends(const struct sema *s, const struct s_end *a,
		const struct s_end *b, struct arena *ar, const char **why,
		struct loc *where, const char **note)
{
	struct answer ans = { ar, NULL, NULL, LOC_NONE, NULL, NULL };
	bool yes = ends(s, a, b, &ans);

	if (why)
		*why = sentence(&ans);
	if (where)
		*where = ans.where;
	if (note)
		*note = ans.note;
	return yes;
}

/* ------------------------------------------------ who reaches whom */

struct once_each {
	struct strmap seen;
	struct arena *ar;
	reach_fn *fn;
	void *ctx;
};

static void call_once(struct once_each *o, const struct m_vnet *v)
{
	char *key = arena_printf(o->ar, "%zu", v->index);

	if (!strmap_put(&o->seen, key, key))
		o->fn(o->ctx, v);
}

void reach_vnet_each(const struct sema *s, const struct m_vnet *v,
		     struct arena *ar, reach_fn *fn, void *ctx)
{
	const struct s_vnet *sv = &s->vnets[v->index];
	struct once_each o = { .ar = ar, .fn = fn, .ctx = ctx };

	strmap_init(&o.seen, ar);
	strmap_put(&o.seen, arena_printf(ar, "%zu", v->index), &o);
	for (size_t i = 0; i < sv->npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[sv->peerings[i]];
		if (both_access(p))
			call_once(&o, p->side[1 - sema_side_of(p, v)].vnet);
	}
	for (size_t i = 0; i < sv->nspoke_of; i++) {
		const struct s_hub *h = &s->hubs[sv->spoke_of[i]];
		for (size_t j = 0; h->transit != TRANSIT_NONE && j < h->nspokes; j++)
			call_once(&o, h->spokes[j]);
	}
}

void reach_site_each(const struct sema *s, const struct m_site *site,
		     reach_fn *fn, void *ctx)
{
	const struct m_vnet *h = site->via;
	const struct s_vnet *sh = &s->vnets[h->index];

	fn(ctx, h);
	for (size_t i = 0; i < sh->npeerings; i++) {
		const struct m_peering *p = &s->model.peerings[sh->peerings[i]];
		int k = sema_side_of(p, h);
		if (p->side[k].setting[SET_GATEWAY_TRANSIT] &&
		    p->side[1 - k].setting[SET_REMOTE_GATEWAY])
			fn(ctx, p->side[1 - k].vnet);
	}
}

/* ------------------------------------------------ explain */

static bool find_end(const struct sema *s, const char *name, struct s_end *e)
{
	e->vnet = strmap_get(&s->vnet_by_handle, name);
	e->site = e->vnet ? NULL : strmap_get(&s->site_by_name, name);
	e->loc = LOC_NONE;
	return e->vnet || e->site;
}

void reach_path(const struct sema *s, const char *a, const char *b,
		struct arena *ar, struct reach_path *out)
{
	struct s_end ea, eb;
	struct answer ans = { ar, NULL, NULL, LOC_NONE, NULL, out };

	memset(out, 0, sizeof(*out));
	if (!find_end(s, a, &ea) || !find_end(s, b, &eb)) {
		out->reason = arena_printf(ar, "'%s' is not a VNet or site of the file",
					   find_end(s, a, &ea) ? b : a);
		return;
	}
	out->known = true;
	out->reachable = ends(s, &ea, &eb, &ans);
	out->reason = ans.why;
	out->edit = ans.edit;
}

const char *reach_explain(const struct sema *s, const char *a, const char *b,
			  struct arena *ar, bool *reachable)
{
	struct reach_path rp;

	reach_path(s, a, b, ar, &rp);
	*reachable = rp.reachable;
	return arena_printf(ar, "%s, %s %s%s%s", rp.reachable ? "yes" : "no",
			    rp.reachable ? "by" : "because", rp.reason,
			    rp.edit ? "; " : "", rp.edit ? rp.edit : "");
}

/* ------------------------------------------------ require and deny */

static const char *end_name(const struct s_end *e)
{
	return e->vnet ? e->vnet->handle : e->site->name;
}

static void check_rules(struct check_ctx *ctx, bool deny)
{
	const struct sema *s = ctx->sema;

	for (size_t i = 0; i < s->nrules; i++) {
		const struct s_rule *rule = &s->rules[i];
		const char *why, *note;
		struct loc where;
		if (rule->deny != deny)
			continue;
		bool yes = reach_ends(s, &rule->a, &rule->b, ctx->arena, &why, &where, &note);
		if (yes != deny)
			continue;
		struct diag *d = check_report(ctx, rule->stmt->loc, "%s: '%s' %s '%s' %s %s",
			deny ? "deny fails" : "require fails", end_name(&rule->a),
			deny ? "reaches" : "cannot reach", end_name(&rule->b),
			deny ? "by" : "because", why);
		if (!loc_is_none(where))
			diag_note(ctx->diags, d, where, "%s", note ? note :
				  deny ? "the path is made here" :
				  "the nearest path is here");
	}
}

void check_require_failed(struct check_ctx *ctx)
{
	check_rules(ctx, false);
}

void check_deny_failed(struct check_ctx *ctx)
{
	check_rules(ctx, true);
}
