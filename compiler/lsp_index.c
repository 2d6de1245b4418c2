#include "common.h"

#include "lsp_index.h"
#include "util.h"

static void add(struct name_index *x, const char *name, struct loc loc,
		enum name_role role, const struct stmt *st)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->uses = xrealloc(x->uses, x->cap * sizeof(*x->uses));
	}
	x->uses[x->n++] = (struct name_use){ name, loc, role, st };
}

static void add_idents(struct name_index *x, const struct ident *id,
		       enum name_role role, const struct stmt *st)
{
	for (; id; id = id->next)
		add(x, id->name, id->loc, role, st);
}

static bool names_one_of(const char *name, const struct ident *ids, size_t n)
{
	for (size_t i = 0; i < n && ids; i++, ids = ids->next)
		if (strcmp(name, ids->name) == 0)
			return true;
	return false;
}

/* In a peer block, `A.x` and `gateway = A` name one of the two VNets; in a
 * hub block `gateway = H` names the hub (its qualifiers are the roles `hub`
 * and `spokes`, not names). */
static void add_block_uses(struct name_index *x, const struct stmt *st)
{
	size_t n = st->kind == STMT_PEER ? 2 : 1;

	for (const struct attr *at = st->attrs; at; at = at->next) {
		if (st->kind == STMT_PEER && at->qual &&
		    names_one_of(at->qual, st->names, 2))
			add(x, at->qual, at->qual_loc, NAME_USE, st);
		const struct value *v = at->values;
		if (!at->qual && strcmp(at->name, "gateway") == 0 && v &&
		    v->kind == VAL_IDENT && names_one_of(v->u.str, st->names, n))
			add(x, v->u.str, v->loc, NAME_USE, st);
	}
}

void name_index_build(struct name_index *x, const struct ast_file *f)
{
	*x = (struct name_index){ 0 };
	for (const struct stmt *st = f->stmts; st; st = st->next) {
		switch (st->kind) {
		case STMT_VNET:
			add_idents(x, st->names, NAME_VNET_DEF, st);
			break;
		case STMT_SITE:
			add_idents(x, st->names, NAME_SITE_DEF, st);
			if (st->via)
				add(x, st->via->name, st->via->loc, NAME_USE, st);
			break;
		case STMT_PEER:
		case STMT_HUB:
			add_idents(x, st->names, NAME_USE, st);
			add_block_uses(x, st);
			break;
		case STMT_MESH:
		case STMT_REQUIRE:
		case STMT_DENY:
			add_idents(x, st->names, NAME_USE, st);
			break;
		case STMT_DEFAULTS:
			break;
		}
	}
}

void name_index_free(struct name_index *x)
{
	free(x->uses);
	*x = (struct name_index){ 0 };
}

const struct name_use *name_index_at(const struct name_index *x, uint32_t off)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->uses[i].loc.start <= off && off <= x->uses[i].loc.end)
			return &x->uses[i];
	return NULL;
}

const struct name_use *name_index_def(const struct name_index *x, const char *name)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->uses[i].role != NAME_USE && strcmp(x->uses[i].name, name) == 0)
			return &x->uses[i];
	return NULL;
}
