/* libFuzzer harness for the template engine: the first byte picks the
 * target, the rest is the template text, parsed and rendered with a small
 * tree of every kind of value. Template text is copied through to the layout
 * pass, so this fuzzes the layouts of every target on arbitrary text too.
 * Built and run by tests/fuzz/run, never by `make check`. */
#include "common.h"

#include "diag.h"
#include "template.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A string with everything a target must escape. */
static const char tricky[] = "a\"b'c\\d\n\t${x}%{y}[z]\x01\x7f\xc3\xa9";

static struct tval *item(struct arena *a, const char *name, long long i)
{
	struct tval *o = tv_object(a);

	tv_set(a, o, "name", tv_string(a, name));
	tv_set(a, o, "id", tv_int(a, i));
	tv_set(a, o, "on", tv_bool(a, i % 2));
	tv_set(a, o, "tags", tv_list(a));
	return o;
}

static struct tval *values(struct arena *a)
{
	struct tval *root = tv_object(a);
	struct tval *list = tv_set(a, root, "l", tv_list(a));
	struct tval *obj = tv_set(a, root, "o", tv_object(a));

	tv_set(a, root, "s", tv_string(a, tricky));
	tv_set(a, root, "e", tv_string(a, ""));
	tv_set(a, root, "r", tv_raw(a, "azurerm_virtual_network.hub.id"));
	tv_set(a, root, "b", tv_bool(a, true));
	tv_set(a, root, "f", tv_bool(a, false));
	tv_set(a, root, "i", tv_int(a, -42));
	tv_set(a, root, "n", tv_list(a));
	tv_push(a, list, item(a, "hub", 0));
	tv_push(a, list, item(a, tricky, 1));
	tv_push(a, list, tv_string(a, "[x]"));
	tv_set(a, obj, "for", tv_string(a, "keyword"));
	tv_set(a, obj, "a b", tv_int(a, 1));
	tv_set(a, obj, "inner", item(a, "spoke", 2));
	tv_set(a, obj, "list", list);
	return root;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum tmpl_target targets[] = {
		TMPL_HCL, TMPL_BICEP, TMPL_JSON, TMPL_ARM,
	};

	if (size == 0)
		return 0;
	struct arena *a = arena_new();
	struct diag_list diags;
	struct strbuf out;

	diag_list_init(&diags, a, NULL, 0);
	sb_init(&out);
	struct tmpl *t = tmpl_parse(a, &diags, "fuzz.tmpl",
				    (const char *)data + 1, size - 1,
				    targets[data[0] % ARRAY_SIZE(targets)]);
	if (t)
		tmpl_render(t, values(a), &diags, &out);
	sb_free(&out);
	arena_free(a);
	return 0;
}
