/* libFuzzer harness for peerc import and drift: every input is read as a
 * live estate (compiler/live.c); when it reads, it is imported, the .peer
 * text compiled, and, when that compiles, compared by drift with the
 * estate it came from. That comparison is also an oracle: a file imported
 * from an estate must agree with it on every half's name and settings and
 * every VNet's address space, so such a finding aborts. Built and run by
 * tests/fuzz/run import, never by `make check`. */
#include "common.h"

#include "diag.h"
#include "drift.h"
#include "import.h"
#include "live.h"
#include "peerc.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

static void check_drift(const struct peerc_result *r, const struct live *l,
			struct arena *a)
{
	struct drift_report rep;

	drift_compare(r->sema, l, a, &rep);
	for (size_t i = 0; i < rep.n; i++) {
		enum drift_kind k = rep.items[i].kind;
		if (k == DRIFT_SETTING || k == DRIFT_NAME || k == DRIFT_ADDRESS_SPACE ||
		    k == DRIFT_UNKNOWN_VNET) {
			fprintf(stderr, "import and drift disagree: %s\n",
				rep.items[i].message);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diag_list diags;
	struct live l;
	static const char *const inputs[] = { "fuzz.json" };

	diag_list_init(&diags, a, NULL, 0);
	live_init(&l, a);
	bool ok = live_read(&l, "fuzz.json", (const char *)data, size, &diags);
	diag_print_all(sink(), NULL, &diags, false);
	if (ok) {
		struct import_options o = { .inputs = inputs, .ninputs = 1 };
		struct strbuf text;
		sb_init(&text);
		live_link(&l);
		import_estate(&l, &o, &diags, &text);
		struct peerc_options opts = { .target = PEERC_TARGET_NONE };
		struct peerc_result *r = peerc_compile(&opts, "import.peer", text.buf,
						       text.len);
		diag_print_all(sink(), &r->source, &r->diags, false);
		if (r->model)
			check_drift(r, &l, a);
		peerc_result_free(r);
		sb_free(&text);
	}
	arena_free(a);
	return 0;
}
