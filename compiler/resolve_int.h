/* Inside the resolution pass: what resolve.c (names, declarations,
 * attributes), gateway.c (a VNet's gateway) and expand.c (peerings, hubs,
 * meshes, route tables) share. Nothing outside these files includes it. */
#ifndef PEERC_RESOLVE_INT_H
#define PEERC_RESOLVE_INT_H

#include "common.h"
#include "ast.h"
#include "resolve.h"

/* The text values of the defaults block. */
enum dflt_text {
	DFLT_SUBSCRIPTION,
	DFLT_RESOURCE_GROUP,
	DFLT_LOCATION,
	DFLT_PEERING_NAME,
	DFLT_ROUTE_TABLE_NAME,
	DFLT_TEXTS
};

struct defaults {
	const char *text[DFLT_TEXTS];  /* NULL when not given */
	struct loc text_loc[DFLT_TEXTS];
	const struct attr *tags; /* the tags block's entries */
	const char *api_version;
	struct loc api_version_loc;
};

/* One run of the pass. */
struct resolver {
	struct sema *s;
	struct arena *a;
	struct arena *sa; /* what only the checks read: see resolve() */
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
	W_ADDR_PAIR,   /* an address, or an IPv4 and an IPv6 one (the handler
			* checks the families: one_per_family) */
	W_PREFIX_PAIR, /* a prefix, or an IPv4 and an IPv6 one (likewise) */
	W_IDENT,    /* one name */
	W_INT,      /* one integer */
	W_BLOCK,    /* a nested block */
	W_CHOICE,   /* one name of the row's choices */
	W_FLAG_OR_CHOICE, /* a flag, or one name of the row's choices */
};

/* The handler of one attribute: called only when the value has the row's
 * shape, with the block's object and the row's key. */
typedef void attr_fn(struct resolver *r, void *obj, const struct attr *at, int key);

/* One attribute of a block. A block's rows are its whole vocabulary: they
 * decide what is unknown (and the hint), what is a value of the wrong kind,
 * and, for the parser, which names always take a value (a missing '='). */
struct attr_row {
	const char *name;            /* NULL: any name (the keys of tags, subnets) */
	enum want want;
	const char *const *choices;  /* W_CHOICE, W_FLAG_OR_CHOICE; NULL-terminated */
	attr_fn *set;                /* NULL: only checked (tags) */
	int key;                     /* handed to set: which setting it is */
};

struct attr_table {
	const char *where;           /* "a vnet": in messages */
	const struct attr_row *rows;
	size_t nrows;
};

/* A block being read: its table and what its handlers set. A block with
 * side qualifiers (peer A <-> B, hub) names them; a qualified attribute is
 * looked up in res_side_table and set on side[k]. */
struct attr_block {
	const struct attr_table *table;
	void *obj;
	const char *qual[2];         /* NULL: the block takes no qualifier */
	void *side[2];
};

/* The settings of one side of a peering (peer and hub blocks: A.access). */
extern const struct attr_table res_side_table;

struct diag *res_error(struct resolver *r, const char *name, struct loc loc,
		       const char *fmt, ...) PRINTF_LIKE(4, 5);
/* Reads every attribute of a block, in order: a repeat, a qualifier the
 * block does not have, an unknown name and a value of the wrong shape are
 * reported; the rest go to their row's handler. */
void res_block(struct resolver *r, const struct attr_block *b, const struct attr *list);
/* The value of a flag or boolean attribute that res_block accepted. */
bool res_flag(const struct attr *at);
/* The text of a string or name attribute that res_block accepted. */
const char *res_text(const struct attr *at);
/* The index in choices of the name a W_CHOICE or W_FLAG_OR_CHOICE value
 * that res_block accepted gives; -1 for a flag. */
int res_choice(const char *const *choices, const struct attr *at);
/* The VNet an identifier names, or NULL (reported). */
struct m_vnet *res_lookup_vnet(struct resolver *r, const struct ident *id);

/* expand.c: the tables of the peering statements' blocks. */
extern const struct attr_table res_peer_table, res_hub_table, res_mesh_table;

/* gateway.c: the gateway types as `gateway = TYPE` and `type = TYPE` name
 * them, the table of the `gateway { ... }` block, and the attribute read
 * once the VNet's defaults are known (sv->gateway_src, which res_block
 * accepted). */
extern const char *const res_gateway_types[];
extern const struct attr_table res_gateway_table;
void res_gateway_finish(struct resolver *r, struct m_vnet *v, struct s_vnet *sv);

/* expand.c */
void expand_peer(struct resolver *r, const struct stmt *st);
void expand_hub(struct resolver *r, const struct stmt *st);
void expand_mesh(struct resolver *r, const struct stmt *st);
void expand_route_tables(struct resolver *r, size_t hub);
void expand_link_route_tables(struct resolver *r);

#endif
