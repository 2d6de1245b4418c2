/* A VNet's `gateway` attribute: part of the resolution pass (resolve.c).
 *
 *   gateway                       a gateway: created with a VNet peerc
 *   gateway = vpn | expressroute  creates, assumed in an existing VNet
 *   gateway { ... }               the same, with its settings, or naming an
 *                                 existing gateway to read (doc/language.md)
 *
 * Read after the VNet's other attributes and defaults, since what the
 * gateway becomes depends on whether peerc creates the VNet, and its
 * defaults on the VNet's name and region. */
#include "common.h"

#include <strings.h>

#include "ast.h"
#include "azid.h"
#include "diag.h"
#include "regions.h"
#include "resolve.h"
#include "resolve_int.h"
#include "util.h"

/* Azure's gateway SKUs by type: Microsoft.Network/virtualNetworkGateways
 * sku.name in the 2025-07-01 schema, the ones azurerm accepts for each type
 * (virtual_network_gateway_resource.go validators). */
static const char *const vpn_skus[] = {
	"Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ",
	"VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ", NULL,
};
static const char *const er_skus[] = {
	"Standard", "HighPerformance", "UltraPerformance", "ErGw1AZ", "ErGw2AZ",
	"ErGw3AZ", "ErGwScale", NULL,
};

/* ASNs Azure keeps for itself (Microsoft's "About BGP and VPN Gateway":
 * 8074, 8075, 12076 public; 65515 to 65520 private). */
static bool reserved_asn(int64_t asn)
{
	return asn == 8074 || asn == 8075 || asn == 12076 ||
	       (asn >= 65515 && asn <= 65520);
}

/* What the attribute says, before the VNet decides what it means. */
struct gw_decl {
	enum gateway_kind kind;
	const char *sku, *name, *id;
	int generation;       /* 0: the SKU's default */
	bool active_active, existing, asn_set;
	int64_t asn;
	struct loc sku_loc;   /* LOC_NONE when not given */
	struct loc name_loc;  /* LOC_NONE when not given */
	struct loc create_loc; /* the first setting only a created gateway takes */
	const char *create_name;
};

static bool one_of(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* The SKU of list that s means but for case, else the closest. */
static const char *sku_hint(const char *const *list, const char *s)
{
	size_t n = 0;

	for (; list[n]; n++)
		if (strcasecmp(list[n], s) == 0)
			return list[n];
	return closest_match(s, list, n);
}

const char *const res_gateway_types[] = { "vpn", "expressroute", NULL };
static const enum gateway_kind type_kinds[] = { GW_VPN, GW_EXPRESSROUTE };

/* The first setting only a created gateway takes, for the message when the
 * gateway exists. */
static void note_create(struct gw_decl *d, const struct attr *at)
{
	if (!loc_is_none(d->create_loc))
		return;
	d->create_loc = at->name_loc;
	d->create_name = at->name;
}

static void gw_type(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct gw_decl *d = obj;

	d->kind = type_kinds[res_choice(res_gateway_types, at)];
}

static void gw_sku(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct gw_decl *d = obj;

	d->sku = res_text(at);
	d->sku_loc = at->values->loc;
	note_create(d, at);
}

static void gw_generation(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct gw_decl *d = obj;

	if (at->values->u.num != 1 && at->values->u.num != 2) {
		res_error(r, "invalid-value", at->values->loc,
			  "a gateway's generation is 1 or 2");
		return;
	}
	d->generation = (int)at->values->u.num;
	note_create(d, at);
}

static void gw_active_active(struct resolver *r, void *obj, const struct attr *at,
			     int key)
{
	struct gw_decl *d = obj;

	d->active_active = res_flag(at);
	note_create(d, at);
}

static void gw_bgp_asn(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct gw_decl *d = obj;
	int64_t asn = at->values->u.num;

	if (asn < 1 || asn > 4294967295LL) {
		res_error(r, "invalid-value", at->values->loc, "a BGP ASN is 1 to 4294967295");
		return;
	}
	if (reserved_asn(asn)) {
		res_error(r, "invalid-value", at->values->loc,
			  "ASN %lld is reserved by Azure (8074, 8075, 12076, "
			  "65515 to 65520)", (long long)asn);
		return;
	}
	d->asn = asn;
	d->asn_set = true;
	note_create(d, at);
}

static void gw_name(struct resolver *r, void *obj, const struct attr *at, int key)
{
	struct gw_decl *d = obj;

	d->name = res_text(at);
	d->name_loc = at->values->loc;
}

static void gw_id(struct resolver *r, void *obj, const struct attr *at, int key)
{
	((struct gw_decl *)obj)->id = res_text(at);
}

static void gw_existing(struct resolver *r, void *obj, const struct attr *at, int key)
{
	((struct gw_decl *)obj)->existing = res_flag(at);
}

static const struct attr_row gateway_attrs[] = {
	{ "type", W_CHOICE, res_gateway_types, gw_type, 0 },
	{ "sku", W_IDENT, NULL, gw_sku, 0 },
	{ "generation", W_INT, NULL, gw_generation, 0 },
	{ "active_active", W_FLAG, NULL, gw_active_active, 0 },
	{ "bgp_asn", W_INT, NULL, gw_bgp_asn, 0 },
	{ "name", W_TEXT, NULL, gw_name, 0 },
	{ "id", W_STRING, NULL, gw_id, 0 },
	{ "existing", W_FLAG, NULL, gw_existing, 0 },
};
const struct attr_table res_gateway_table = {
	"a gateway block", gateway_attrs, ARRAY_SIZE(gateway_attrs)
};

/* The attribute as written (res_block checked its shape); false after
 * reporting an error in its block. */
static bool parse(struct resolver *r, const struct attr *at, struct gw_decl *d)
{
	memset(d, 0, sizeof(*d));
	d->sku_loc = d->name_loc = d->create_loc = LOC_NONE;
	d->kind = GW_ANY;
	if (at->has_block) {
		struct attr_block b = { .table = &res_gateway_table, .obj = d };
		size_t before = r->diags->nerrors;
		res_block(r, &b, at->block);
		return r->diags->nerrors == before;
	}
	int c = res_choice(res_gateway_types, at);
	d->kind = c >= 0 ? type_kinds[c] : res_flag(at) ? GW_ANY : GW_NONE;
	return true;
}

static void check_sku(struct resolver *r, struct m_vnet *v, const struct gw_decl *d)
{
	const char *const *list = v->gateway == GW_EXPRESSROUTE ? er_skus : vpn_skus;
	const char *hint;

	if (!d->sku || one_of(list, d->sku))
		return;
	hint = sku_hint(list, d->sku);
	struct diag *diag = res_error(r, "invalid-value", d->sku_loc,
		"'%s' is not a%s gateway SKU%s%s%s", d->sku,
		v->gateway == GW_EXPRESSROUTE ? "n ExpressRoute" : " VPN",
		hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
	if (hint)
		diag_fixit(r->diags, diag, d->sku_loc, hint);
}

/* The SKU's generation: Basic and VpnGw1 only have the first, VpnGw4 and 5
 * only the second (azurerm's SKU validators by generation). */
static int generation_for(struct resolver *r, const char *sku, int want, struct loc loc)
{
	bool only1 = strcmp(sku, "Basic") == 0 || strncmp(sku, "VpnGw1", 6) == 0;
	bool only2 = strncmp(sku, "VpnGw4", 6) == 0 || strncmp(sku, "VpnGw5", 6) == 0;

	if (want == 0)
		return only1 ? 1 : 2;
	if ((want == 2 && only1) || (want == 1 && only2))
		res_error(r, "invalid-value", loc, "gateway SKU '%s' has no generation %d",
			  sku, want);
	return want;
}

static void fill_created(struct resolver *r, struct m_vnet *v, struct m_gateway *gw,
			 const struct gw_decl *d, struct loc loc)
{
	bool vpn = v->gateway == GW_VPN;

	gw->sku = d->sku ? d->sku : vpn ? "VpnGw2AZ" : "ErGw1AZ";
	check_sku(r, v, d);
	if (vpn)
		gw->generation = generation_for(r, gw->sku, d->generation, loc) == 1 ?
					 "Generation1" : "Generation2";
	else if (d->generation || d->active_active || d->asn_set)
		res_error(r, "invalid-value", d->create_loc,
			  "an ExpressRoute gateway takes no generation, active_active "
			  "or bgp_asn (Azure sets them)");
	if (vpn && strcmp(gw->sku, "Basic") == 0 && (d->active_active || d->asn_set))
		res_error(r, "invalid-value", d->create_loc,
			  "a Basic VPN gateway can be neither active-active nor use BGP");
	gw->active_active = d->active_active;
	gw->bgp_asn = (uint32_t)d->asn;
	gw->name = d->name ? d->name : arena_printf(r->a, "vgw-%s", v->name);
	gw->zones = region_has_zones(v->location) && strstr(gw->sku, "AZ") != NULL;
	gw->npublic_ips = gw->active_active ? 2 : 1;
	gw->public_ips[0] = arena_printf(r->a, "pip-%s", gw->name);
	gw->public_ips[1] = arena_printf(r->a, "pip-%s-2", gw->name);
}

/* An existing gateway: read when the file names it, else assumed. */
static void fill_existing(struct resolver *r, struct m_vnet *v, struct m_gateway *gw,
			  const struct gw_decl *d, const struct attr *at)
{
	const char *part[3];

	if (!loc_is_none(d->create_loc)) {
		res_error(r, "invalid-value", d->create_loc,
			  "'%s' describes a gateway peerc creates, but the gateway of "
			  "'%s' exists (%s)", d->create_name, v->handle,
			  v->existing ? "the VNet is existing" : "the block says so");
		return;
	}
	gw->source = d->name || d->id ? GWSRC_READ : GWSRC_ASSUMED;
	gw->name = d->name;
	if (d->id && !azid_split(r->a, d->id, AZID_GATEWAY, part)) {
		res_error(r, "invalid-value", at->loc,
			  "'id' is not a virtual network gateway's resource ID "
			  "(/subscriptions/ID/resourceGroups/GROUP/providers/"
			  "Microsoft.Network/virtualNetworkGateways/NAME)");
		return;
	}
	if (d->id) {
		gw->subscription = part[0];
		gw->resource_group = part[1];
		if (!gw->name)
			gw->name = part[2];
		gw->id = azid_format(r->a, part, AZID_GATEWAY);
	}
	if (gw->source == GWSRC_ASSUMED && !v->existing)
		res_error(r, "invalid-value", at->loc,
			  "an existing gateway of a VNet peerc creates needs its "
			  "'name' or 'id', so that it can be read");
}

void res_gateway_finish(struct resolver *r, struct m_vnet *v, struct s_vnet *sv)
{
	const struct attr *at = sv->gateway_src;
	struct gw_decl d;

	if (!at || !parse(r, at, &d) || d.kind == GW_NONE)
		return;
	struct m_gateway *gw = arena_alloc(r->a, sizeof(*gw));
	bool create = !v->existing && !d.existing && !d.id;
	v->gateway = d.kind == GW_ANY && create ? GW_VPN : d.kind;
	v->gw = gw;
	gw->resource_group = v->resource_group;
	gw->subscription = v->subscription;
	sv->gateway_loc = at->loc;
	sv->gateway_sku_loc = loc_is_none(d.sku_loc) ? at->loc : d.sku_loc;
	sv->gateway_name_loc = loc_is_none(d.name_loc) ? at->loc : d.name_loc;
	if (create)
		fill_created(r, v, gw, &d, at->loc);
	else
		fill_existing(r, v, gw, &d, at);
}
