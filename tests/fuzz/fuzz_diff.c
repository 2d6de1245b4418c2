/* libFuzzer harness for the line diff of --diff: the input's two halves,
 * byte by byte, are the two sequences. The edit script must keep the same
 * elements of both, in order, and count its edits right; past
 * DIFF_COST_LIMIT it may be longer than the shortest, never invalid. Built
 * and run by tests/fuzz/run, never by `make check`. */
#include "common.h"

#include "textdiff.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_script(const uint32_t *a, size_t n, const bool *adel,
			 const uint32_t *b, size_t m, const bool *bins,
			 size_t edits)
{
	size_t i = 0, j = 0, kept = 0;

	for (;;) {
		while (i < n && adel[i])
			i++;
		while (j < m && bins[j])
			j++;
		if (i == n || j == m)
			break;
		if (a[i++] != b[j++])
			abort();
		kept++;
	}
	if (i != n || j != m || edits != n + m - 2 * kept)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size / 2, m = size - n;
	uint32_t *a = xcalloc(n + 1, sizeof(*a)), *b = xcalloc(m + 1, sizeof(*b));
	bool *adel = xcalloc(n + 1, 1), *bins = xcalloc(m + 1, 1);

	/* Few distinct values make long common runs and many ties. */
	for (size_t i = 0; i < n; i++)
		a[i] = data[i] % 8;
	for (size_t j = 0; j < m; j++)
		b[j] = data[n + j] % 8;
	check_script(a, n, adel, b, m, bins, diff_seq(a, n, b, m, adel, bins));
	free(a);
	free(b);
	free(adel);
	free(bins);
	return 0;
}
