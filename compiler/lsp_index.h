/* Every place a VNet or site name is written in a file, from the AST alone
 * (so it works on a file that does not resolve): the vnet and site
 * statements define names; peer, hub, mesh, require, deny, `via`, the side
 * qualifiers of a peer block (`A.access`) and `gateway = A` in peer and hub
 * blocks use them. The language server's definition, references, rename
 * and highlights read it. */
#ifndef PEERC_LSP_INDEX_H
#define PEERC_LSP_INDEX_H

#include "common.h"
#include "ast.h"

enum name_role { NAME_VNET_DEF, NAME_SITE_DEF, NAME_USE };

struct name_use {
	const char *name;
	struct loc loc;
	enum name_role role;
	const struct stmt *stmt; /* the statement it is written in */
};

struct name_index {
	struct name_use *uses; /* in statement order (heap) */
	size_t n, cap;
};

void name_index_build(struct name_index *x, const struct ast_file *f);
void name_index_free(struct name_index *x);
/* The name written at byte offset off (its end included, where an editor's
 * cursor stands after typing it), or NULL. */
const struct name_use *name_index_at(const struct name_index *x, uint32_t off);
/* The first definition of name, or NULL. */
const struct name_use *name_index_def(const struct name_index *x, const char *name);

#endif
