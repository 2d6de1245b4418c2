/* peerc drift (see drift.h). One pass over the file's VNets, one over its
 * peerings, one over the estate for what was not matched: linear in both,
 * with one lookup by ID per VNet and a scan of a VNet's halves (at most
 * Azure's 500) per half. */
#include "common.h"

#include <strings.h>

#include "addr.h"
#include "drift.h"
#include "live.h"
#include "model.h"
#include "resolve.h"
#include "util.h"

static const char *const kind_names[] = {
	[DRIFT_MISSING_VNET] = "missing-vnet",
	[DRIFT_ADDRESS_SPACE] = "address-space",
	[DRIFT_MISSING_PEERING] = "missing-peering",
	[DRIFT_SETTING] = "setting",
	[DRIFT_NAME] = "peering-name",
	[DRIFT_STATE] = "peering-state",
	[DRIFT_SYNC] = "peering-sync",
	[DRIFT_EXTRA_PEERING] = "extra-peering",
	[DRIFT_UNKNOWN_VNET] = "unknown-vnet",
};

const char *drift_kind_name(enum drift_kind k)
{
	return kind_names[k];
}

struct drift {
	const struct sema *s;
	const struct live *l;
	struct arena *a;
	struct drift_report *out;
	const struct live_vnet **match; /* parallel to model.vnets */
	bool *known;                    /* parallel to live.vnets */
	bool **seen;                    /* per live VNet, per half: matched */
};

static struct drift_finding *add(struct drift *d, enum drift_kind k, struct loc loc,
				 const char *fmt, ...) PRINTF_LIKE(4, 5);

static struct drift_finding *add(struct drift *d, enum drift_kind k, struct loc loc,
				 const char *fmt, ...)
{
	va_list ap;

	ARENA_PUSH(d->a, d->out->items, d->out->n, d->out->cap);
	struct drift_finding *f = &d->out->items[d->out->n - 1];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->loc = loc;
	va_start(ap, fmt);
	f->message = arena_vprintf(d->a, fmt, ap);
	va_end(ap);
	return f;
}

/* ----------------------------------------------------------------- VNets */

static void compare_vnet(struct drift *d, size_t i)
{
	const struct m_vnet *v = &d->s->model.vnets[i];
	const struct s_vnet *sv = &d->s->vnets[i];
	const char *id = live_model_id(d->a, v);
	const struct live_vnet *lv = id ? live_find(d->l, id) : NULL;

	if (!lv) {
		if (v->subscription && live_covers(d->l, v->subscription)) {
			struct drift_finding *f = add(d, DRIFT_MISSING_VNET, v->loc,
				"%sVNet '%s' (%s in subscription %s) does not exist in Azure",
				v->existing ? "existing " : "", v->name, v->resource_group,
				v->subscription);
			f->vnet = v->handle;
		}
		return;
	}
	d->match[i] = lv;
	d->known[lv->index] = true;
	d->out->vnets++;
	if (live_same_space(v->space, v->nspace, lv->space, lv->nspace))
		return;
	const char *file = live_space_text(d->a, v->space, v->nspace);
	const char *azure = live_space_text(d->a, lv->space, lv->nspace);
	struct drift_finding *f = add(d, DRIFT_ADDRESS_SPACE, sv->space_loc,
		"address space of '%s' is %s in Azure; the file says %s",
		v->handle, azure, file);
	f->live = lv;
	f->live_path = lv->path;
	f->vnet = v->handle;
	f->setting = "addressSpace.addressPrefixes";
	f->in_file = file;
	f->in_azure = azure;
}

/* -------------------------------------------------------------- peerings */

/* The portal's four check boxes, as the manage-peering doc names them. */
static const char *box(struct arena *a, enum peering_setting which, const char *local,
		       const char *remote)
{
	switch (which) {
	case SET_ACCESS:
		return arena_printf(a, "Allow '%s' to access '%s'", local, remote);
	case SET_FORWARDED:
		return arena_printf(a, "Allow '%s' to receive forwarded traffic from '%s'",
				    local, remote);
	case SET_GATEWAY_TRANSIT:
		return arena_printf(a, "Allow gateway or route server in '%s' to forward "
				    "traffic to '%s'", local, remote);
	default:
		return arena_printf(a, "Enable '%s' to use '%s's' remote gateway or "
				    "route server", local, remote);
	}
}

static void compare_settings(struct drift *d, const struct m_side *ms,
			     const struct s_side *ss, const struct live_peering *lp,
			     const struct m_vnet *remote)
{
	for (int i = 0; i < PEERING_SETTINGS; i++) {
		bool want = ms->setting[i], have = lp->setting[i];
		if (want == have)
			continue;
		struct drift_finding *f = add(d, DRIFT_SETTING, ss->setting[i],
			"peering '%s' of '%s': \"%s\" is %s in Azure; the file says %s "
			"(%s.%s)", lp->name, ms->vnet->handle,
			box(d->a, i, lp->vnet->name, remote->name), have ? "on" : "off",
			want ? "on" : "off", ms->vnet->handle, sema_setting_name(i));
		f->setting = live_setting_property[i];
		f->in_file = want ? "true" : "false";
		f->in_azure = have ? "true" : "false";
		f->peering = lp->name;
	}
}

static const char *sync_command(struct arena *a, const struct live_peering *lp)
{
	const struct live_vnet *v = lp->vnet;

	return arena_printf(a, "az network vnet peering sync --subscription %s "
			    "--resource-group %s --vnet-name %s --name %s",
			    v->subscription, v->resource_group, v->name, lp->name);
}

static void compare_status(struct drift *d, struct loc head, const struct m_side *ms,
			   const struct live_peering *lp)
{
	if (lp->state && strcmp(lp->state, "Connected") != 0) {
		bool disc = strcmp(lp->state, "Disconnected") == 0;
		struct drift_finding *f = add(d, DRIFT_STATE, head,
			"peering '%s' of '%s' is %s, not Connected: %s", lp->name,
			ms->vnet->handle, lp->state,
			disc ? "the other half was deleted or re-created; delete this "
			       "half and create both again" :
			       "the other half does not exist");
		f->setting = "peeringState";
		f->in_azure = lp->state;
		f->in_file = "Connected";
		f->peering = lp->name;
	}
	if (lp->sync && strcmp(lp->sync, "FullyInSync") != 0) {
		struct drift_finding *f = add(d, DRIFT_SYNC, head,
			"peering '%s' of '%s' is %s: an address space changed since it "
			"was synced", lp->name, ms->vnet->handle, lp->sync);
		f->setting = "peeringSyncLevel";
		f->in_azure = lp->sync;
		f->in_file = "FullyInSync";
		f->peering = lp->name;
		f->fix = sync_command(d->a, lp);
	}
}

static void fill(struct drift_finding *f, const struct m_side *ms,
		 const struct m_vnet *remote, const struct live_vnet *lv,
		 const char *path)
{
	f->vnet = ms->vnet->handle;
	f->remote = remote->handle;
	f->live = lv;
	f->live_path = path;
	if (!f->peering)
		f->peering = ms->name;
}

static void compare_side(struct drift *d, size_t pi, int k)
{
	const struct m_peering *p = &d->s->model.peerings[pi];
	const struct s_peering *sp = &d->s->peerings[pi];
	const struct m_side *ms = &p->side[k];
	const struct m_vnet *remote = p->side[!k].vnet;
	const struct live_vnet *lv = d->match[ms->vnet->index];
	const char *remote_id = live_model_id(d->a, remote);
	struct loc head = sema_stmt_head(sp->stmts[0]);
	size_t before = d->out->n;

	if (!lv || !remote_id)
		return; /* the VNet is missing (reported) or not in the input */
	d->out->halves++;
	const struct live_peering *lp = live_peering_to(lv, remote_id);
	if (!lp) {
		add(d, DRIFT_MISSING_PEERING, head, "'%s' has no peering with '%s' in "
		    "Azure; the file declares '%s' in '%s'", ms->vnet->handle,
		    remote->handle, ms->name, ms->vnet->handle);
		fill(&d->out->items[before], ms, remote, lv, lv->path);
		return;
	}
	d->seen[lv->index][lp - lv->peerings] = true;
	if (strcasecmp(lp->name, ms->name) != 0) {
		struct drift_finding *f = add(d, DRIFT_NAME, sp->side[k].name,
			"the peering of '%s' with '%s' is named '%s' in Azure; the file "
			"names it '%s'", ms->vnet->handle, remote->handle, lp->name,
			ms->name);
		f->setting = "name";
		f->in_file = ms->name;
		f->in_azure = lp->name;
		f->peering = lp->name;
	}
	compare_settings(d, ms, &sp->side[k], lp, remote);
	compare_status(d, head, ms, lp);
	for (size_t i = before; i < d->out->n; i++)
		fill(&d->out->items[i], ms, remote, lv, lp->path);
}

/* --------------------------------------------------------- what is left */

static void compare_rest(struct drift *d)
{
	const struct model *m = &d->s->model;

	/* Halves of managed VNets that the file does not declare. An
	 * existing VNet is managed elsewhere: its other peerings are not ours. */
	for (size_t i = 0; i < m->nvnets; i++) {
		const struct live_vnet *lv = d->match[i];
		if (!lv || m->vnets[i].existing)
			continue;
		for (size_t k = 0; k < lv->npeerings; k++) {
			const struct live_peering *lp = &lv->peerings[k];
			if (d->seen[lv->index][k])
				continue;
			const char *remote = lp->remote ? lp->remote->name : lp->remote_id;
			struct drift_finding *f = add(d, DRIFT_EXTRA_PEERING, m->vnets[i].loc,
				"'%s' has a peering '%s' with '%s' in Azure that the file "
				"does not declare", m->vnets[i].handle, lp->name, remote);
			f->vnet = m->vnets[i].handle;
			f->remote = remote;
			f->peering = lp->name;
			f->live = lv;
			f->live_path = lp->path;
		}
	}
	for (size_t i = 0; i < d->l->nvnets; i++) {
		const struct live_vnet *lv = &d->l->vnets[i];
		if (d->known[i])
			continue;
		struct drift_finding *f = add(d, DRIFT_UNKNOWN_VNET, LOC_NONE,
			"VNet '%s' (%s in subscription %s) is in Azure but not in the file",
			lv->name, lv->resource_group, lv->subscription);
		f->vnet = lv->name;
		f->live = lv;
		f->live_path = lv->path;
	}
}

void drift_compare(const struct sema *s, const struct live *l, struct arena *a,
		   struct drift_report *out)
{
	struct drift d = { .s = s, .l = l, .a = a, .out = out };

	memset(out, 0, sizeof(*out));
	d.match = arena_alloc(a, (s->model.nvnets + 1) * sizeof(*d.match));
	d.known = arena_alloc(a, l->nvnets + 1);
	d.seen = arena_alloc(a, (l->nvnets + 1) * sizeof(*d.seen));
	for (size_t i = 0; i < l->nvnets; i++)
		d.seen[i] = arena_alloc(a, l->vnets[i].npeerings + 1);
	for (size_t i = 0; i < s->model.nvnets; i++)
		compare_vnet(&d, i);
	for (size_t i = 0; i < s->model.npeerings; i++)
		for (int k = 0; k < 2; k++)
			compare_side(&d, i, k);
	compare_rest(&d);
}
