/* Inside the resolution pass: what resolve.c (names, declarations,
 * attributes) and expand.c (peerings, hubs, meshes, route tables) share.
 * Nothing outside these two files includes it. */
#ifndef PEERC_RESOLVE_INT_H
#define PEERC_RESOLVE_INT_H

#include "common.h"
#include "ast.h"
#include "resolve.h"

struct defaults {
	const char *subscription, *resource_group, *location;
	struct loc subscription_loc, resource_group_loc, location_loc;
	const struct attr *tags; /* the tags block's entries */
	const char *peering_name;
	struct loc peering_name_loc;
	const char *api_version;
};

/* One run of the pass. */
struct resolver {
	struct sema *s;
	struct arena *a;
	struct diag_list *diags;
	struct defaults dflt;
	size_t nhints;
	size_t peerings_cap, hubs_cap, rules_cap, route_tables_cap;
};

/* What an attribute takes. */
enum want {
	W_FLAG,     /* a bare flag, true or false */
	W_TEXT,     /* a string or a name */
	W_STRING,   /* a string */
	W_ADDR,     /* one address */
	W_ADDRS,    /* a list of addresses */
	W_PREFIXES, /* a list of prefixes */
	W_IDENT,    /* one name */
	W_INT,      /* one integer */
	W_BLOCK,    /* a nested block */
};


struct diag *res_error(struct resolver *r, const char *name, struct loc loc,
		       const char *fmt, ...) PRINTF_LIKE(4, 5);
/* Whether the attribute's value has the shape w; reports it when not. */
bool res_value_ok(struct resolver *r, const struct attr *at, enum want w);
/* The value of a flag or boolean attribute that res_value_ok accepted. */
bool res_flag(const struct attr *at);
/* The text of a string or name attribute that res_value_ok accepted. */
const char *res_text(const struct attr *at);
bool res_known_attr(const char *const *known, const char *name);
/* Reports an unknown attribute, with the closest of known as a hint. */
void res_unknown_attr(struct resolver *r, const struct attr *at,
		      const char *const *known, const char *where);
/* Whether at repeats an attribute of its block passed before with the same
 * seen map (reported); the block's loop gives each attribute in order. */
bool res_repeated(struct resolver *r, struct strmap *seen,
		  const struct attr *at);
/* Whether at has no side qualifier (reported when it has). */
bool res_unqualified(struct resolver *r, const struct attr *at, const char *where);
/* The VNet an identifier names, or NULL (reported). */
/* The attributes of peer, hub and mesh blocks (expand.c); NULL for others. */
const char *const *expand_block_attrs(enum stmt_kind k);
struct m_vnet *res_lookup_vnet(struct resolver *r, const struct ident *id);

/* A Microsoft.Network resource ID, /subscriptions/S/resourceGroups/G/
 * providers/Microsoft.Network/TYPE/NAME with the segment names in any case:
 * part[] gets S, G and NAME; false when id is not of that form. */
bool res_split_id(struct resolver *r, const char *id, const char *type,
		  const char *part[3]);
/* The same ID with the segment names as Azure writes them (names as given,
 * the subscription GUID lower case): azurerm's ID parsers are
 * case-sensitive on the segment names. */
const char *res_canonical_id(struct resolver *r, const char *const part[3],
			     const char *type);
/* A subscription GUID in lower case: GUIDs that differ only in case are
 * one subscription. */
const char *res_guid(struct resolver *r, const char *guid);

/* gateway.c: the gateway attribute, once the VNet's defaults are known. */
void res_gateway_finish(struct resolver *r, struct m_vnet *v, struct s_vnet *sv);

/* expand.c */
void expand_peer(struct resolver *r, const struct stmt *st);
void expand_hub(struct resolver *r, const struct stmt *st);
void expand_mesh(struct resolver *r, const struct stmt *st);
void expand_route_tables(struct resolver *r, size_t hub);

#endif
