/* Times the stages of one compilation of FILE: parse, resolve, every check,
 * and the address checks alone (checks_address.c), with the peak memory.
 * Times are CPU seconds of this (single-threaded) process, so a busy
 * machine does not inflate them. A benchmark, built by `make bench`; not
 * part of peerc. */
#include "common.h"

#include <sys/resource.h>
#include <time.h>

#include "checks.h"
#include "diag.h"
#include "parse.h"
#include "resolve.h"
#include "srcpos.h"
#include "util.h"

/* The checks of checks_address.c, in table order. */
static const char *const address_checks[] = {
	"prefix-length", "prefix-host-bits", "forbidden-address-space",
	"subnet-outside-vnet", "nva-outside-vnet", "vnet-prefix-overlap",
	"subnet-overlap", "peered-overlap", "shared-peer-overlap",
	"require-overlap", "site-overlap", "public-address-space",
	"connected-group-overlap", "unknown-region",
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	struct strbuf sb;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_putn(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return sb.buf;
}

/* Runs `table` on a fresh diagnostic list; returns the seconds it took. */
static double time_table(const struct check *table, size_t n,
			 const struct sema *sema, struct arena *a, size_t *ndiags)
{
	enum check_status status[ARRAY_SIZE(address_checks)];
	struct diag_list diags;

	diag_list_init(&diags, a, NULL, 0);
	double t = now();
	checks_run_table(table, n, sema, &diags, status);
	t = now() - t;
	*ndiags = diags.n;
	return t;
}

/* Runs the address checks as a table of their own, then each one alone
 * (after prefix-length, which they all need) to print its share. */
static double time_address_checks(const struct sema *sema, struct arena *a,
				  size_t *ndiags, struct strbuf *each)
{
	struct check table[ARRAY_SIZE(address_checks)];
	size_t n = 0, nd;

	for (size_t i = 0; i < ARRAY_SIZE(address_checks); i++)
		if (check_find(address_checks[i]))
			table[n++] = *check_find(address_checks[i]);
	double total = time_table(table, n, sema, a, ndiags);
	for (size_t i = 1; i < n; i++) {
		struct check pair[2] = { table[0], table[i] };
		double t = time_table(pair, 2, sema, a, &nd);
		sb_printf(each, " %s %.3f", table[i].name, t);
	}
	return total;
}

int main(int argc, char **argv)
{
	size_t len, naddr = 0;
	char *text;
	struct strbuf each;

	if (argc != 2 || !(text = slurp(argv[1], &len))) {
		fprintf(stderr, "usage: bench_checks FILE\n");
		return 2;
	}
	struct arena *a = arena_new();
	struct source src;
	struct diag_list diags;
	diag_list_init(&diags, a, NULL, 0);
	if (!source_init(&src, a, argv[1], text, len))
		return 2;
	free(text);
	double t0 = now();
	struct ast_file *ast = parse_source(&src, a, &diags);
	double t1 = now();
	struct sema *sema = diags.nerrors ? NULL : resolve(ast, a, &diags);
	double t2 = now();
	if (sema && !diags.nerrors)
		checks_run(sema, &diags, NULL);
	double t3 = now();
	sb_init(&each);
	double taddr = sema ? time_address_checks(sema, a, &naddr, &each) : 0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("CPU s: parse %.3f  resolve %.3f  checks %.3f  address-checks %.3f"
	       "  peak %ld KB  diagnostics %zu (address %zu)\n",
	       t1 - t0, t2 - t1, t3 - t2, taddr, ru.ru_maxrss, diags.n, naddr);
	printf("   each (with prefix-length):%s\n", each.buf);
	sb_free(&each);
	diag_print_all(stderr, &src, &diags, false);
	arena_free(a);
	return diags.nerrors ? 1 : 0;
}
