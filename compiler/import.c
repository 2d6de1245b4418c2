/* peerc import (see import.h). The estate becomes pairs of VNets with both
 * sides' settings; pairs are grouped into mesh, then hub, then peer
 * statements, each written with only what differs from the statement's own
 * defaults. Everything is linear in the estate's size except the grouping,
 * which is linear in the sum over VNets of (peerings x mesh size): Azure's
 * 500-peering limit bounds both factors. */
#include "common.h"

#include <strings.h>

#include "azid.h"
#include "diag.h"
#include "import.h"
#include "live.h"
#include "peertext.h"
#include "resolve.h"
#include "util.h"

#define BUILTIN_PATTERN "{local}-to-{remote}"

struct imp_side {
	const struct live_peering *live; /* NULL: not in the input (assumed) */
	const char *name;
	bool setting[PEERING_SETTINGS];
	const char *pattern;             /* the name with the VNets' names as
					  * {local} and {remote} */
};

struct imp_pair {
	size_t v[2];
	struct imp_side side[2];
	const char *notes;  /* comment lines for its statement, or NULL */
	bool used;          /* a statement declares it */
};

struct imp_vnet {
	const struct live_vnet *lv; /* NULL: outside the input */
	const char *id, *name, *subscription, *resource_group, *location;
	const struct ip_prefix *space;
	size_t nspace;
	const char *handle;
	bool existing, gateway;
	/* The live gateway's ID (canonical), when the input shows its IP
	 * configuration; NULL when only a peering's useRemoteGateways does. */
	const char *gateway_id;
	bool unnamed_gateway; /* created, but left existing: see name_gateways */
	size_t *pairs;   /* its pairs, indices into importer.pairs */
	size_t npairs, pairs_cap;
};

struct importer {
	struct arena *a;
	const struct live *live;
	const struct import_options *opts;
	struct diag_list *diags;
	struct imp_vnet *vnets;
	size_t nvnets, vnets_cap;
	struct imp_pair *pairs;
	size_t npairs, pairs_cap;
	struct strmap vnet_by_id;  /* lower-cased ID -> index + 1 */
	struct strmap pair_by_key; /* "i:j", i < j -> index + 1 */
	const char *sub, *group, *location, *pattern; /* the defaults */
	struct pt_doc doc;
};

static void warn(struct importer *im, const struct live_vnet *v, const char *path,
		 const char *fmt, ...) PRINTF_LIKE(4, 5);

static void warn(struct importer *im, const struct live_vnet *v, const char *path,
		 const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct diag *d = diag_add(im->diags, DIAG_WARNING, "import", LOC_NONE,
				  "%s: %s", path, msg);
	if (d)
		d->src = v->file;
}

static void note(struct importer *im, struct imp_pair *p, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static void note(struct importer *im, struct imp_pair *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *line = arena_vprintf(im->a, fmt, ap);
	va_end(ap);
	p->notes = p->notes ? arena_printf(im->a, "%s\n%s", p->notes, line) : line;
}

/* ----------------------------------------------------------------- VNets */

static size_t add_vnet(struct importer *im, const struct imp_vnet *v)
{
	ARENA_PUSH(im->a, im->vnets, im->nvnets, im->vnets_cap);
	im->vnets[im->nvnets - 1] = *v;
	strmap_put(&im->vnet_by_id, azid_key(im->a, v->id), (void *)(uintptr_t)im->nvnets);
	return im->nvnets - 1;
}

static ptrdiff_t vnet_index(struct importer *im, const char *id)
{
	uintptr_t i = (uintptr_t)strmap_get(&im->vnet_by_id, azid_key(im->a, id));
	return i ? (ptrdiff_t)i - 1 : -1;
}

static void add_live_vnets(struct importer *im)
{
	for (size_t i = 0; i < im->live->nvnets; i++) {
		const struct live_vnet *lv = &im->live->vnets[i];
		struct imp_vnet v = {
			.lv = lv, .id = lv->id, .name = lv->name,
			.subscription = lv->subscription,
			.resource_group = lv->resource_group,
			.location = lv->location, .space = lv->space,
			.nspace = lv->nspace, .gateway = lv->gateway_id != NULL,
			.gateway_id = lv->gateway_id,
			.existing = im->opts->peerings_only,
		};
		add_vnet(im, &v);
	}
}

/* The VNet a peering points at that the input does not have: `existing`,
 * with the address space the peering reports. -1 (warned) when it cannot
 * be declared. */
static ptrdiff_t outside_vnet(struct importer *im, const struct live_peering *p)
{
	const char *part[3];
	ptrdiff_t i = vnet_index(im, p->remote_id);

	if (i >= 0)
		return i;
	if (!azid_split(im->a, p->remote_id, AZID_VNET, part)) {
		warn(im, p->vnet, p->path, "remoteVirtualNetwork.id '%s' is not a "
		     "virtual network's ID: peering '%s' is left out", p->remote_id,
		     p->name);
		return -1;
	}
	if (!p->has_remote_space || p->nremote_space == 0) {
		warn(im, p->vnet, p->path, "the remote VNet '%s' is not in the input "
		     "and the peering gives no remoteAddressSpace: peering '%s' is "
		     "left out (import the remote VNet's subscription too)", part[2],
		     p->name);
		return -1;
	}
	struct imp_vnet v = {
		.id = p->remote_id, .name = part[2], .subscription = part[0],
		.resource_group = part[1], .space = p->remote_space,
		.nspace = p->nremote_space, .existing = true,
	};
	return (ptrdiff_t)add_vnet(im, &v);
}

/* ----------------------------------------------------------------- pairs */

static const char *pair_key(struct arena *a, size_t x, size_t y)
{
	return arena_printf(a, "%zu:%zu", x < y ? x : y, x < y ? y : x);
}

static ptrdiff_t pair_index(const struct importer *im, size_t x, size_t y)
{
	char key[48];

	snprintf(key, sizeof(key), "%zu:%zu", x < y ? x : y, x < y ? y : x);
	uintptr_t i = (uintptr_t)strmap_get(&im->pair_by_key, key);
	return i ? (ptrdiff_t)i - 1 : -1;
}

static void link_pair(struct importer *im, size_t vi, size_t pi)
{
	struct imp_vnet *v = &im->vnets[vi];
	ARENA_PUSH(im->a, v->pairs, v->npairs, v->pairs_cap);
	v->pairs[v->npairs - 1] = pi;
}

static size_t get_pair(struct importer *im, size_t x, size_t y)
{
	ptrdiff_t i = pair_index(im, x, y);

	if (i >= 0)
		return (size_t)i;
	ARENA_PUSH(im->a, im->pairs, im->npairs, im->pairs_cap);
	struct imp_pair *p = &im->pairs[im->npairs - 1];
	memset(p, 0, sizeof(*p));
	p->v[0] = x;
	p->v[1] = y;
	strmap_put(&im->pair_by_key, pair_key(im->a, x, y), (void *)(uintptr_t)im->npairs);
	link_pair(im, x, im->npairs - 1);
	link_pair(im, y, im->npairs - 1);
	return im->npairs - 1;
}

static void add_side(struct importer *im, size_t vi, const struct live_peering *lp)
{
	ptrdiff_t ri = outside_vnet(im, lp);

	if (ri < 0)
		return;
	if ((size_t)ri == vi) {
		warn(im, lp->vnet, lp->path, "peering '%s' peers '%s' with itself: left out",
		     lp->name, lp->vnet->name);
		return;
	}
	size_t pi = get_pair(im, vi, (size_t)ri); /* may move im->pairs */
	struct imp_pair *p = &im->pairs[pi];
	struct imp_side *s = &p->side[p->v[0] == vi ? 0 : 1];
	if (s->live) {
		warn(im, lp->vnet, lp->path, "'%s' has a second peering with the same "
		     "remote VNet ('%s' and '%s'): only the first is imported",
		     lp->vnet->name, s->live->name, lp->name);
		return;
	}
	*s = (struct imp_side){ .live = lp, .name = lp->name };
	memcpy(s->setting, lp->setting, sizeof(s->setting));
}

static void add_pairs(struct importer *im)
{
	for (size_t i = 0; i < im->live->nvnets; i++) {
		const struct live_vnet *lv = &im->live->vnets[i];
		for (size_t k = 0; k < lv->npeerings; k++)
			add_side(im, i, &lv->peerings[k]);
	}
}

/* ----------------------------------------------------------------- notes */

/* What is wrong with one live side: its state, its sync level, the remote
 * address space it holds. */
static void side_notes(struct importer *im, struct imp_pair *p, int k)
{
	const struct live_peering *lp = p->side[k].live;
	const struct imp_vnet *remote = &im->vnets[p->v[!k]];
	const struct live_vnet *lv = lp->vnet;

	if (lp->state && strcmp(lp->state, "Connected") != 0) {
		bool disc = strcmp(lp->state, "Disconnected") == 0;
		note(im, p, "%s's peering '%s' is %s: %s", lv->name, lp->name, lp->state,
		     disc ? "the other side was deleted or re-created; delete this "
			    "side and create both again" :
			    "the other side does not exist (yet)");
		warn(im, lv, lp->path, "peering '%s' of '%s' is %s", lp->name, lv->name,
		     lp->state);
	}
	const char *sync_cmd = arena_printf(im->a,
		"az network vnet peering sync --subscription %s --resource-group %s "
		"--vnet-name %s --name %s", lv->subscription, lv->resource_group,
		lv->name, lp->name);
	if (lp->sync && strcmp(lp->sync, "FullyInSync") != 0) {
		note(im, p, "%s's peering '%s' is %s: run", lv->name, lp->name, lp->sync);
		note(im, p, "  %s", sync_cmd);
		warn(im, lv, lp->path, "peering '%s' of '%s' is %s: run %s", lp->name,
		     lv->name, lp->sync, sync_cmd);
	} else if (remote->lv && lp->has_remote_space &&
		   !live_same_space(lp->remote_space, lp->nremote_space, remote->space,
			       remote->nspace)) {
		note(im, p, "%s's peering '%s' holds %s for %s, whose address space "
		     "is %s: run", lv->name, lp->name,
		     live_space_text(im->a, lp->remote_space, lp->nremote_space),
		     remote->name, live_space_text(im->a, remote->space, remote->nspace));
		note(im, p, "  %s", sync_cmd);
		warn(im, lv, lp->path, "peering '%s' of '%s' is out of sync with the "
		     "address space of '%s': run %s", lp->name, lv->name,
		     remote->name, sync_cmd);
	}
}

/* A side the input lacks: assumed to mirror the other one, as far as
 * Azure allows (useRemoteGateways needs allowGatewayTransit opposite). */
static void assume_side(struct importer *im, struct imp_pair *p, int k)
{
	const struct imp_side *o = &p->side[!k];
	const struct imp_vnet *me = &im->vnets[p->v[k]];

	p->side[k] = (struct imp_side){ .setting = {
		[SET_ACCESS] = o->setting[SET_ACCESS],
		[SET_GATEWAY_TRANSIT] = o->setting[SET_REMOTE_GATEWAY],
	} };
	if (!me->lv)
		return; /* outside the input: its side cannot be seen */
	note(im, p, "half-peering: only %s's side '%s' exists; this statement also "
	     "declares %s's side, which compiling creates", o->live->vnet->name,
	     o->live->name, me->name);
	warn(im, o->live->vnet, o->live->path, "half-peering: '%s' has no peering "
	     "back to '%s'", me->name, o->live->vnet->name);
}

static void complete_pairs(struct importer *im)
{
	for (size_t i = 0; i < im->npairs; i++) {
		struct imp_pair *p = &im->pairs[i];
		for (int k = 0; k < 2; k++)
			if (p->side[k].live)
				side_notes(im, p, k);
		for (int k = 0; k < 2; k++)
			if (!p->side[k].live)
				assume_side(im, p, k);
		/* useRemoteGateways proves the remote VNet has a gateway. */
		for (int k = 0; k < 2; k++)
			if (p->side[k].setting[SET_REMOTE_GATEWAY])
				im->vnets[p->v[!k]].gateway = true;
	}
}

/* A VNet the output creates that has a live gateway gets `gateway {
 * existing  name = ... }`: a bare `gateway` would have peerc create a second
 * gateway in its GatewaySubnet, which Azure refuses (one per VNet). A
 * gateway only a useRemoteGateways proves has no name to read it by, so its
 * VNet is declared existing instead (left as it is), with a note. */
static void name_gateways(struct importer *im)
{
	for (size_t i = 0; i < im->nvnets; i++) {
		struct imp_vnet *v = &im->vnets[i];
		if (!v->gateway || v->gateway_id || v->existing)
			continue;
		v->existing = v->unnamed_gateway = true;
		warn(im, v->lv, v->lv->path, "'%s' has a gateway (a peering uses it) but "
		     "no subnet shows its IP configuration, so it cannot be named: "
		     "'%s' is imported as existing, which peerc does not change",
		     v->name, v->name);
	}
}

/* --------------------------------------------------------------- handles */

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A handle for an Azure name: the name when it is one, else the name with
 * other characters as '-' (ERP.Prod.VNet01 -> ERP-Prod-VNet01), made to
 * start with a letter; "-2", "-3", ... when taken. */
static const char *make_handle(struct importer *im, struct strmap *taken,
			       const char *name)
{
	char *h = arena_strdup(im->a, name);

	for (char *p = h; *p; p++)
		if (!is_name_char(*p))
			*p = '-';
	size_t n = strlen(h);
	while (n > 0 && h[n - 1] == '-')
		h[--n] = '\0';
	if (!pt_is_name(h))
		h = arena_printf(im->a, "vnet-%s", h);
	if (!pt_is_name(h))
		h = arena_strdup(im->a, "vnet");
	const char *want = h;
	for (unsigned k = 2; strmap_get(taken, h); k++)
		h = arena_printf(im->a, "%s-%u", want, k);
	strmap_put(taken, h, (void *)1);
	return h;
}

static void name_vnets(struct importer *im)
{
	struct strmap taken;

	strmap_init(&taken, im->a);
	for (size_t i = 0; i < im->nvnets; i++)
		im->vnets[i].handle = make_handle(im, &taken, im->vnets[i].name);
}

/* -------------------------------------------------------------- defaults */

/* The value most created VNets have (deterministic on a tie); NULL when
 * none has one. which: 0 the subscription and group together (a default
 * group must exist in the default subscription: ARM and Bicep deploy to
 * it), 1 the location. Counted by pointer to a counter: strmap keeps
 * values. */
static const struct imp_vnet *most_common(struct importer *im, int which)
{
	struct strmap count;
	const struct imp_vnet *best = NULL;
	size_t best_n = 0;

	strmap_init(&count, im->a);
	for (size_t i = 0; i < im->nvnets; i++) {
		const struct imp_vnet *v = &im->vnets[i];
		if (v->existing)
			continue;
		const char *key = which == 0 ? arena_printf(im->a, "%s/%s", v->subscription,
							    v->resource_group) :
				  v->location;
		size_t *n = strmap_get(&count, key);
		if (!n) {
			n = arena_alloc(im->a, sizeof(*n));
			strmap_put(&count, key, n);
		}
		if (++*n > best_n) {
			best_n = *n;
			best = v;
		}
	}
	return best;
}

/* -------------------------------------------------------------- patterns */

/* A side's name with the VNets' names as {local} and {remote}: the longer
 * name is looked for first, so "hub" inside "hub2" stays itself. */
static const char *derive_pattern(struct arena *a, const char *name,
				  const char *local, const char *remote)
{
	bool local_longer = strlen(local) >= strlen(remote);
	const char *first = local_longer ? local : remote;
	const char *second = local_longer ? remote : local;
	const char *tag1 = local_longer ? "{local}" : "{remote}";
	const char *tag2 = local_longer ? "{remote}" : "{local}";
	size_t n1 = strlen(first), n2 = strlen(second);
	struct strbuf sb;

	sb_init(&sb);
	for (const char *p = name; *p;) {
		if (n1 && strncmp(p, first, n1) == 0) {
			sb_puts(&sb, tag1);
			p += n1;
		} else if (n2 && strncmp(p, second, n2) == 0) {
			sb_puts(&sb, tag2);
			p += n2;
		} else {
			sb_putc(&sb, *p++);
		}
	}
	const char *r = arena_strdup(a, sb.buf);
	sb_free(&sb);
	return r;
}

static const char *expand_pattern(struct arena *a, const char *pattern,
				  const char *local, const char *remote)
{
	struct strbuf sb;

	sb_init(&sb);
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{local}", 7) == 0) {
			sb_puts(&sb, local);
			p += 7;
		} else if (strncmp(p, "{remote}", 8) == 0) {
			sb_puts(&sb, remote);
			p += 8;
		} else {
			sb_putc(&sb, *p++);
		}
	}
	const char *r = arena_strdup(a, sb.buf);
	sb_free(&sb);
	return r;
}

/* The most common pattern of the live sides becomes defaults.peering_name
 * (when it names the remote: names are unique within a VNet); sides the
 * input lacks are named by it. */
static void choose_patterns(struct importer *im)
{
	struct strmap count;
	size_t best_n = 0;

	strmap_init(&count, im->a);
	im->pattern = BUILTIN_PATTERN;
	for (size_t i = 0; i < im->npairs; i++) {
		struct imp_pair *p = &im->pairs[i];
		for (int k = 0; k < 2; k++) {
			struct imp_side *s = &p->side[k];
			if (!s->live)
				continue;
			s->pattern = derive_pattern(im->a, s->name, im->vnets[p->v[k]].name,
						    im->vnets[p->v[!k]].name);
			size_t *n = strmap_get(&count, s->pattern);
			if (!n) {
				n = arena_alloc(im->a, sizeof(*n));
				strmap_put(&count, s->pattern, n);
			}
			if (++*n > best_n && strstr(s->pattern, "{remote}")) {
				best_n = *n;
				im->pattern = s->pattern;
			}
		}
	}
	/* A side the default names gets the default, however it was derived
	 * (hub-to-hub: {local}-to-{local} or {local}-to-{remote}). */
	for (size_t i = 0; i < im->npairs; i++) {
		struct imp_pair *p = &im->pairs[i];
		for (int k = 0; k < 2; k++) {
			struct imp_side *s = &p->side[k];
			const char *dflt = expand_pattern(im->a, im->pattern,
							  im->vnets[p->v[k]].name,
							  im->vnets[p->v[!k]].name);
			if (!s->live || strcmp(dflt, s->name) == 0) {
				s->pattern = im->pattern;
				s->name = dflt;
			}
		}
	}
}

/* -------------------------------------------------------------- grouping */

enum group_kind { G_HUB, G_MESH, G_PEER };

struct group {
	enum group_kind kind;
	size_t center;    /* the hub */
	size_t *vnets;    /* a mesh's members */
	size_t nvnets;
	size_t *pairs;    /* a hub's pairs, in its spokes' order; a peer's one */
	size_t npairs;
};

struct groups {
	struct group *g;
	size_t n, cap;
};

static struct group *new_group(struct importer *im, struct groups *gs, enum group_kind k)
{
	ARENA_PUSH(im->a, gs->g, gs->n, gs->cap);
	struct group *g = &gs->g[gs->n - 1];
	memset(g, 0, sizeof(*g));
	g->kind = k;
	return g;
}

static bool no_gateway(const struct imp_pair *p)
{
	for (int k = 0; k < 2; k++)
		if (p->side[k].setting[SET_GATEWAY_TRANSIT] ||
		    p->side[k].setting[SET_REMOTE_GATEWAY])
			return false;
	return true;
}

/* The same access and forwarded, what a mesh says of its pairs. */
static bool same_access(const struct imp_side *a, const struct imp_side *b)
{
	return a->setting[SET_ACCESS] == b->setting[SET_ACCESS] &&
	       a->setting[SET_FORWARDED] == b->setting[SET_FORWARDED];
}

/* Whether a `mesh` can declare p: free, untroubled, no gateway setting, the
 * same access, forwarded and name pattern on both sides. */
static bool mesh_ok(const struct imp_pair *p)
{
	return !p->used && !p->notes && no_gateway(p) &&
	       same_access(&p->side[0], &p->side[1]) &&
	       strcmp(p->side[0].pattern, p->side[1].pattern) == 0;
}

static bool same_mesh(const struct imp_pair *a, const struct imp_pair *b)
{
	return same_access(&a->side[0], &b->side[0]) &&
	       strcmp(a->side[0].pattern, b->side[0].pattern) == 0;
}

static size_t other(const struct imp_pair *p, size_t v)
{
	return p->v[0] == v ? p->v[1] : p->v[0];
}

/* Grows a clique from v through the free pairs like ref, greedily in the
 * order of v's pairs; a mesh when it reaches three VNets. */
static bool grow_mesh(struct importer *im, struct groups *gs, size_t v,
		      const struct imp_pair *ref)
{
	const struct imp_vnet *iv = &im->vnets[v];
	size_t *k = arena_alloc(im->a, (iv->npairs + 1) * sizeof(*k));
	size_t n = 0;

	k[n++] = v;
	for (size_t i = 0; i < iv->npairs; i++) {
		const struct imp_pair *p = &im->pairs[iv->pairs[i]];
		if (!mesh_ok(p) || !same_mesh(p, ref))
			continue;
		size_t u = other(p, v);
		bool all = true;
		for (size_t j = 1; j < n && all; j++) {
			ptrdiff_t q = pair_index(im, u, k[j]);
			all = q >= 0 && mesh_ok(&im->pairs[q]) && same_mesh(&im->pairs[q], ref);
		}
		if (all)
			k[n++] = u;
	}
	if (n < 3)
		return false;
	struct group *g = new_group(im, gs, G_MESH);
	g->vnets = k;
	g->nvnets = n;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			im->pairs[pair_index(im, k[i], k[j])].used = true;
	return true;
}

static void find_meshes(struct importer *im, struct groups *gs)
{
	for (size_t v = 0; v < im->nvnets; v++) {
		const struct imp_vnet *iv = &im->vnets[v];
		/* Each kind of pair at most once: a failed kind stays failed. */
		for (size_t i = 0; i < iv->npairs; i++) {
			const struct imp_pair *ref = &im->pairs[iv->pairs[i]];
			bool tried = false;
			if (!mesh_ok(ref))
				continue;
			for (size_t j = 0; j < i && !tried; j++)
				tried = same_mesh(&im->pairs[iv->pairs[j]], ref) &&
					mesh_ok(&im->pairs[iv->pairs[j]]);
			if (!tried)
				grow_mesh(im, gs, v, ref);
		}
	}
}

static bool same_settings(const struct imp_side *a, const struct imp_side *b)
{
	return memcmp(a->setting, b->setting, sizeof(a->setting)) == 0 &&
	       strcmp(a->pattern, b->pattern) == 0;
}

/* Whether pairs p and q of hub v have the same settings side for side. */
static bool same_hub(const struct imp_pair *p, const struct imp_pair *q, size_t v)
{
	int kp = p->v[0] == v ? 0 : 1, kq = q->v[0] == v ? 0 : 1;

	return same_settings(&p->side[kp], &q->side[kq]) &&
	       same_settings(&p->side[!kp], &q->side[!kq]);
}

static bool hub_ok(const struct imp_pair *p)
{
	return !p->used && !p->notes;
}

static void hub_of(struct importer *im, struct groups *gs, size_t v)
{
	const struct imp_vnet *iv = &im->vnets[v];

	for (size_t i = 0; i < iv->npairs; i++) {
		const struct imp_pair ref = im->pairs[iv->pairs[i]];
		size_t n = 0;
		if (!hub_ok(&ref))
			continue;
		for (size_t j = i; j < iv->npairs; j++)
			n += hub_ok(&im->pairs[iv->pairs[j]]) &&
			     same_hub(&im->pairs[iv->pairs[j]], &ref, v);
		if (n < 2)
			continue;
		struct group *g = new_group(im, gs, G_HUB);
		g->center = v;
		g->pairs = arena_alloc(im->a, n * sizeof(*g->pairs));
		for (size_t j = i; j < iv->npairs; j++) {
			struct imp_pair *p = &im->pairs[iv->pairs[j]];
			if (hub_ok(p) && same_hub(p, &ref, v)) {
				g->pairs[g->npairs++] = iv->pairs[j];
				p->used = true;
			}
		}
	}
}

struct by_degree {
	size_t free_pairs, index;
};

/* Most free pairs first: hubs take their spokes before a spoke could pass
 * for a small hub of its own; then in the input's order. */
static int by_free_pairs(const void *a, const void *b)
{
	const struct by_degree *x = a, *y = b;

	if (x->free_pairs != y->free_pairs)
		return x->free_pairs > y->free_pairs ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void find_hubs(struct importer *im, struct groups *gs)
{
	struct by_degree *order = arena_alloc(im->a, (im->nvnets + 1) * sizeof(*order));

	for (size_t v = 0; v < im->nvnets; v++) {
		order[v].index = v;
		for (size_t i = 0; i < im->vnets[v].npairs; i++)
			order[v].free_pairs += hub_ok(&im->pairs[im->vnets[v].pairs[i]]);
	}
	qsort(order, im->nvnets, sizeof(*order), by_free_pairs);
	for (size_t i = 0; i < im->nvnets; i++)
		hub_of(im, gs, order[i].index);
}

static void find_peers(struct importer *im, struct groups *gs)
{
	for (size_t i = 0; i < im->npairs; i++) {
		if (im->pairs[i].used)
			continue;
		struct group *g = new_group(im, gs, G_PEER);
		g->pairs = arena_alloc(im->a, sizeof(*g->pairs));
		g->pairs[0] = i;
		g->npairs = 1;
		im->pairs[i].used = true;
	}
}

/* ------------------------------------------------------------ statements */

static const char *name_text(struct importer *im, const char *s)
{
	return pt_is_name(s) ? s : pt_quote(im->a, s);
}

static void setting(struct importer *im, struct pt_stmt *st, const char *name,
		    bool want, bool base)
{
	if (want != base)
		pt_set(&im->doc, st, name, want ? NULL : "false");
}

/* Side i's setting k, qualified. */
static void one_side(struct importer *im, struct pt_stmt *st, const char *q,
		     enum peering_setting k, bool want, bool base)
{
	setting(im, st, arena_printf(im->a, "%s.%s", q, sema_setting_name(k)), want, base);
}

/* access or forwarded (k): unqualified when both sides agree. */
static void two_sided(struct importer *im, struct pt_stmt *st, const char *const q[2],
		      enum peering_setting k, const struct imp_side want[2], bool base)
{
	if (want[0].setting[k] == want[1].setting[k]) {
		setting(im, st, sema_setting_name(k), want[0].setting[k], base);
		return;
	}
	for (int i = 0; i < 2; i++)
		one_side(im, st, q[i], k, want[i].setting[k], base);
}

/* The four settings of both sides, as attributes that turn the statement's
 * own (base) into want. q: the side qualifiers; gw: the names `gateway =`
 * takes, or NULL where the statement has no such attribute. */
static void side_settings(struct importer *im, struct pt_stmt *st,
			  const struct imp_side want[2], const char *const q[2],
			  struct imp_side base[2], const char *const gw[2])
{
	enum { GT = SET_GATEWAY_TRANSIT, RG = SET_REMOTE_GATEWAY };

	if (base[0].setting[GT] && base[1].setting[RG] &&
	    !(want[0].setting[GT] && want[1].setting[RG])) {
		pt_set(&im->doc, st, "gateway", "none");
		base[0].setting[GT] = base[1].setting[RG] = false;
	}
	for (int k = 0; gw && k < 2; k++) {
		if (want[k].setting[GT] && want[!k].setting[RG] &&
		    !base[k].setting[GT] && !base[!k].setting[RG]) {
			pt_set(&im->doc, st, "gateway", gw[k]);
			base[k].setting[GT] = base[!k].setting[RG] = true;
			break;
		}
	}
	/* access and forwarded start the same on both sides in every statement */
	two_sided(im, st, q, SET_ACCESS, want, base[0].setting[SET_ACCESS]);
	two_sided(im, st, q, SET_FORWARDED, want, base[0].setting[SET_FORWARDED]);
	for (int i = 0; i < 2; i++)
		for (int k = GT; k <= RG; k++)
			one_side(im, st, q[i], k, want[i].setting[k], base[i].setting[k]);
}

/* Names: one `name` pattern when both sides share one, else each side's
 * (literal: its name as it is, for a single peering). */
static void side_names(struct importer *im, struct pt_stmt *st,
		       const struct imp_side s[2], const char *const q[2], bool literal)
{
	if (strcmp(s[0].pattern, s[1].pattern) == 0 &&
	    (!literal || strchr(s[0].pattern, '{'))) {
		if (strcmp(s[0].pattern, im->pattern) != 0)
			pt_set(&im->doc, st, "name", pt_quote(im->a, s[0].pattern));
		return;
	}
	for (int k = 0; k < 2; k++)
		if (strcmp(s[k].pattern, im->pattern) != 0)
			pt_set(&im->doc, st, arena_printf(im->a, "%s.name", q[k]),
			       pt_quote(im->a, literal ? s[k].name : s[k].pattern));
}

static void base_sides(struct imp_side base[2])
{
	for (int k = 0; k < 2; k++)
		base[k] = (struct imp_side){ .setting = { [SET_ACCESS] = true } };
}

static void hub_stmt(struct importer *im, const struct group *g, bool first)
{
	const struct imp_vnet *h = &im->vnets[g->center];
	struct strbuf head;

	sb_init(&head);
	sb_printf(&head, "hub %s ->", h->handle);
	for (size_t i = 0; i < g->npairs; i++)
		sb_printf(&head, "%s %s", i ? "," : "",
			  im->vnets[other(&im->pairs[g->pairs[i]], g->center)].handle);
	struct pt_stmt *st = pt_stmt(&im->doc, first, arena_strdup(im->a, head.buf));
	sb_free(&head);

	const struct imp_pair *p = &im->pairs[g->pairs[0]];
	int k = p->v[0] == g->center ? 0 : 1;
	const struct imp_side want[2] = { p->side[k], p->side[!k] };
	const char *const q[2] = { "hub", "spokes" };
	struct imp_side base[2];
	base_sides(base);
	/* A hub with a gateway shares it unless told `gateway = none`. */
	base[0].setting[SET_GATEWAY_TRANSIT] = h->gateway;
	base[1].setting[SET_REMOTE_GATEWAY] = h->gateway;
	side_settings(im, st, want, q, base, NULL);
	side_names(im, st, want, q, false);
}

static void mesh_stmt(struct importer *im, const struct group *g, bool first)
{
	struct strbuf head;

	sb_init(&head);
	sb_puts(&head, "mesh");
	for (size_t i = 0; i < g->nvnets; i++)
		sb_printf(&head, "%s %s", i ? "," : "", im->vnets[g->vnets[i]].handle);
	struct pt_stmt *st = pt_stmt(&im->doc, first, arena_strdup(im->a, head.buf));
	sb_free(&head);

	const struct imp_pair *p = &im->pairs[pair_index(im, g->vnets[0], g->vnets[1])];
	for (int k = SET_ACCESS; k <= SET_FORWARDED; k++)
		setting(im, st, sema_setting_name(k), p->side[0].setting[k], k == SET_ACCESS);
	if (strcmp(p->side[0].pattern, im->pattern) != 0)
		pt_set(&im->doc, st, "name", pt_quote(im->a, p->side[0].pattern));
}

static void peer_stmt(struct importer *im, const struct group *g, bool first)
{
	const struct imp_pair *p = &im->pairs[g->pairs[0]];
	const char *const q[2] = { im->vnets[p->v[0]].handle, im->vnets[p->v[1]].handle };
	struct pt_stmt *st = pt_stmt(&im->doc, first,
				     arena_printf(im->a, "peer %s <-> %s", q[0], q[1]));
	struct imp_side base[2];

	if (p->notes)
		pt_comment(&im->doc, st, p->notes);
	base_sides(base);
	side_settings(im, st, p->side, q, base, q);
	side_names(im, st, p->side, q, true);
}

/* ----------------------------------------------------------------- VNets */

/* `NAME = PREFIX`, or `NAME = IPV4, IPV6` for a dual-stack subnet: the
 * first prefix of each family, all a subnet takes (language.md, Dual
 * stack); any other is named in a comment. */
static void subnet_entry(struct importer *im, struct pt_stmt *st,
			 struct pt_attr *block, const struct live_subnet *s)
{
	const struct ip_prefix *first[2] = { NULL, NULL };
	struct strbuf kept, left;
	char buf[IP_STRLEN];

	sb_init(&kept);
	sb_init(&left);
	for (size_t k = 0; k < s->nprefixes; k++) {
		const struct ip_prefix *p = &s->prefixes[k];
		const struct ip_prefix **f = &first[p->addr.family == IP_V6];
		struct strbuf *to = *f ? &left : &kept;
		if (!*f)
			*f = p;
		sb_printf(to, "%s%s", to->len ? ", " : "", ip_prefix_str(p, buf));
	}
	pt_entry(&im->doc, block, name_text(im, s->name), arena_strdup(im->a, kept.buf));
	if (left.len)
		pt_comment(&im->doc, st, arena_printf(im->a, "subnet %s also has %s: a "
			   "subnet takes one prefix of each family in peerc", s->name,
			   left.buf));
	sb_free(&kept);
	sb_free(&left);
}

static void subnets_block(struct importer *im, struct pt_stmt *st,
			  const struct imp_vnet *v)
{
	const struct live_vnet *lv = v->lv;
	struct pt_attr *block = NULL;

	for (size_t i = 0; i < lv->nsubnets; i++) {
		const struct live_subnet *s = &lv->subnets[i];
		if (s->nprefixes == 0) {
			pt_comment(&im->doc, st, arena_printf(im->a, "subnet %s has no "
				   "address prefix here and is left out", s->name));
			continue;
		}
		if (!block)
			block = pt_block(&im->doc, st, "subnets");
		subnet_entry(im, st, block, s);
		if (s->unexpressed) {
			pt_comment(&im->doc, st, arena_printf(im->a, "subnet %s has %s, "
				   "which a .peer file cannot hold", s->name, s->unexpressed));
			warn(im, lv, lv->path, "subnet '%s' of '%s' has %s, which a .peer "
			     "file cannot hold: output compiled from it would drop them "
			     "(peerc import --peerings-only leaves VNets as they are)",
			     s->name, lv->name, s->unexpressed);
		}
	}
}

/* The live gateway, named so that peerc reads it and never creates one:
 * by name when it is in the VNet's group, else by ID (which implies
 * `existing`, as the VNet being existing does). A gateway with no name
 * stays a bare `gateway`, which on an existing VNet is assumed. */
static void gateway_attr(struct importer *im, struct pt_stmt *st,
			 const struct imp_vnet *v)
{
	const char *part[3];

	if (!v->gateway)
		return;
	if (!v->gateway_id || !azid_split(im->a, v->gateway_id, AZID_GATEWAY, part)) {
		pt_set(&im->doc, st, "gateway", NULL);
		return;
	}
	struct pt_attr *b = pt_block(&im->doc, st, "gateway");
	if (strcmp(part[0], v->subscription) != 0 ||
	    strcasecmp(part[1], v->resource_group) != 0) {
		pt_entry(&im->doc, b, "id", pt_quote(im->a, v->gateway_id));
		return;
	}
	if (!v->existing)
		pt_entry(&im->doc, b, "existing", NULL);
	pt_entry(&im->doc, b, "name", pt_quote(im->a, part[2]));
}

static void created_attrs(struct importer *im, struct pt_stmt *st,
			  const struct imp_vnet *v)
{
	const struct live_vnet *lv = v->lv;
	char buf[IP_STRLEN];

	if (strcmp(v->handle, v->name) != 0)
		pt_set(&im->doc, st, "name", pt_quote(im->a, v->name));
	if (!im->sub || strcmp(v->subscription, im->sub) != 0)
		pt_set(&im->doc, st, "subscription", pt_quote(im->a, v->subscription));
	if (!im->group || strcmp(v->resource_group, im->group) != 0)
		pt_set(&im->doc, st, "resource_group", pt_quote(im->a, v->resource_group));
	gateway_attr(im, st, v);
	if (lv->ndns) {
		struct strbuf sb;
		sb_init(&sb);
		for (size_t i = 0; i < lv->ndns; i++)
			sb_printf(&sb, "%s%s", i ? ", " : "", ip_addr_str(&lv->dns[i], buf));
		pt_set(&im->doc, st, "dns_servers", arena_strdup(im->a, sb.buf));
		sb_free(&sb);
	}
	subnets_block(im, st, v);
	if (lv->ntags) {
		struct pt_attr *tags = pt_block(&im->doc, st, "tags");
		for (size_t i = 0; i < lv->ntags; i++)
			pt_entry(&im->doc, tags, name_text(im, lv->tags[i].key),
				 pt_quote(im->a, lv->tags[i].value));
	}
}

static struct pt_stmt *vnet_stmt(struct importer *im, const struct imp_vnet *v,
				 bool first)
{
	struct strbuf head;

	sb_init(&head);
	sb_printf(&head, "vnet %s %s", v->handle, live_space_text(im->a, v->space, v->nspace));
	if (!v->existing && (!im->location || strcmp(v->location, im->location) != 0)) {
		if (pt_is_name(v->location))
			sb_printf(&head, " in %s", v->location);
	}
	struct pt_stmt *st = pt_stmt(&im->doc, first, arena_strdup(im->a, head.buf));
	sb_free(&head);
	if (!v->existing && !pt_is_name(v->location) &&
	    (!im->location || strcmp(v->location, im->location) != 0))
		pt_set(&im->doc, st, "location", pt_quote(im->a, v->location));
	if (v->existing) {
		if (v->unnamed_gateway)
			pt_comment(&im->doc, st, "its gateway (which a peering uses) "
				   "has no IP configuration in the input, so it\n"
				   "cannot be named: the VNet is declared existing");
		pt_set(&im->doc, st, "id", pt_quote(im->a, v->id));
		gateway_attr(im, st, v);
		return st;
	}
	created_attrs(im, st, v);
	return st;
}

static void defaults_stmt(struct importer *im)
{
	const struct imp_vnet *home = most_common(im, 0);
	const struct imp_vnet *region = most_common(im, 1);
	im->sub = home ? home->subscription : NULL;
	im->group = home ? home->resource_group : NULL;
	im->location = region ? region->location : NULL;
	if (!im->sub && strcmp(im->pattern, BUILTIN_PATTERN) == 0)
		return;
	struct pt_stmt *st = pt_stmt(&im->doc, true, "defaults");
	if (im->sub) {
		pt_set(&im->doc, st, "subscription", pt_quote(im->a, im->sub));
		pt_set(&im->doc, st, "resource_group", pt_quote(im->a, im->group));
		pt_set(&im->doc, st, "location", pt_is_name(im->location) ? im->location :
			     pt_quote(im->a, im->location));
	}
	if (strcmp(im->pattern, BUILTIN_PATTERN) != 0)
		pt_set(&im->doc, st, "peering_name", pt_quote(im->a, im->pattern));
}

/* ------------------------------------------------------------------ main */

static void header(struct importer *im, size_t outside)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "Imported by " PACKAGE_NAME " " PACKAGE_VERSION " from");
	for (size_t i = 0; i < im->opts->ninputs; i++) {
		const char *in = im->opts->inputs[i];
		const char *slash = strrchr(in, '/');
		sb_printf(&sb, "%s %s", i ? "," : "", strcmp(in, "-") == 0 ?
			  "standard input" : slash ? slash + 1 : in);
	}
	sb_printf(&sb, ": %zu VNets", im->nvnets - outside);
	if (outside)
		sb_printf(&sb, " and %zu outside the input", outside);
	sb_printf(&sb, ", %zu peerings.", im->npairs);
	im->doc.header = arena_strdup(im->a, sb.buf);
	sb_free(&sb);
}

void import_estate(const struct live *l, const struct import_options *o,
		   struct diag_list *diags, struct strbuf *out)
{
	struct importer im = { .a = l->arena, .live = l, .opts = o, .diags = diags };
	struct groups gs = { 0 };
	size_t outside = 0;

	strmap_init(&im.vnet_by_id, im.a);
	strmap_init(&im.pair_by_key, im.a);
	pt_init(&im.doc, im.a);
	add_live_vnets(&im);
	add_pairs(&im);
	complete_pairs(&im);
	name_gateways(&im);
	name_vnets(&im);
	choose_patterns(&im);
	defaults_stmt(&im);
	find_meshes(&im, &gs);
	find_hubs(&im, &gs);
	find_peers(&im, &gs);

	for (size_t i = 0; i < im.nvnets; i++)
		if (im.vnets[i].lv)
			vnet_stmt(&im, &im.vnets[i], i == 0);
	for (size_t i = 0; i < im.nvnets; i++) {
		if (im.vnets[i].lv)
			continue;
		struct pt_stmt *st = vnet_stmt(&im, &im.vnets[i], outside == 0);
		if (outside++ == 0)
			pt_comment(&im.doc, st, "Peered with, but not in the input: "
				   "referenced by ID, not managed; only their\n"
				   "peering halves are declared (assumed to mirror "
				   "the halves above).");
	}
	header(&im, outside);
	for (enum group_kind k = G_HUB; k <= G_PEER; k++) {
		bool first = true;
		for (size_t i = 0; i < gs.n; i++) {
			if (gs.g[i].kind != k)
				continue;
			(k == G_HUB ? hub_stmt : k == G_MESH ? mesh_stmt :
				      peer_stmt)(&im, &gs.g[i], first);
			first = false;
		}
	}
	pt_print(&im.doc, out);
}
