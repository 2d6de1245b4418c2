/* libFuzzer harness for the formatter (compiler/fmt.c): every input that
 * parses is formatted, and then
 *  - the formatted text parses, and formatting it again changes nothing;
 *  - it means the same: its AST equals the input's, node for node, with
 *    the source ranges left out (what `peerc -t ast` prints, less ranges).
 * A broken promise aborts, so libFuzzer keeps the input. Built and run by
 * tests/fuzz/run, never by `make check`. */
#include "common.h"

#include "ast.h"
#include "fmt.h"
#include "peerc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_value(const struct value *a, const struct value *b)
{
	for (; a && b; a = a->next, b = b->next) {
		if (a->kind != b->kind)
			return false;
		switch (a->kind) {
		case VAL_STRING:
		case VAL_IDENT:
			if (!same_str(a->u.str, b->u.str))
				return false;
			break;
		case VAL_INT:
			if (a->u.num != b->u.num)
				return false;
			break;
		case VAL_ADDR:
			if (memcmp(&a->u.addr, &b->u.addr, sizeof(a->u.addr)) != 0)
				return false;
			break;
		case VAL_PREFIX:
			if (memcmp(&a->u.prefix.addr, &b->u.prefix.addr,
				   sizeof(a->u.prefix.addr)) != 0 ||
			    a->u.prefix.len != b->u.prefix.len)
				return false;
			break;
		case VAL_BOOL:
			if (a->u.boolean != b->u.boolean)
				return false;
			break;
		}
	}
	return !a && !b;
}

static bool same_idents(const struct ident *a, const struct ident *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!same_str(a->name, b->name))
			return false;
	return !a && !b;
}

static bool same_attrs(const struct attr *a, const struct attr *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!same_str(a->qual, b->qual) || !same_str(a->name, b->name) ||
		    a->name_is_string != b->name_is_string ||
		    a->is_flag != b->is_flag || a->has_block != b->has_block ||
		    !same_value(a->values, b->values) || !same_attrs(a->block, b->block))
			return false;
	return !a && !b;
}

static bool same_ast(const struct ast_file *x, const struct ast_file *y)
{
	const struct stmt *a = x->stmts, *b = y->stmts;

	for (; a && b; a = a->next, b = b->next)
		if (a->kind != b->kind || !same_idents(a->names, b->names) ||
		    !same_value(a->prefixes, b->prefixes) ||
		    !same_idents(a->region, b->region) || !same_idents(a->via, b->via) ||
		    a->has_block != b->has_block || !same_attrs(a->attrs, b->attrs))
			return false;
	return !a && !b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct peerc_result *once = peerc_format("fuzz.peer", (const char *)data, size);

	if (once->noutputs == 1) {
		const struct peerc_output *o = &once->outputs[0];
		struct peerc_result *twice = peerc_format("fuzz.peer", o->data, o->len);
		if (twice->noutputs != 1)
			abort(); /* the formatted text does not parse */
		const struct peerc_output *t = &twice->outputs[0];
		if (t->len != o->len || memcmp(t->data, o->data, o->len) != 0)
			abort(); /* not idempotent */
		if (!same_ast(once->ast, twice->ast))
			abort(); /* the meaning changed */
		peerc_result_free(twice);
	}
	peerc_result_free(once);
	return 0;
}
