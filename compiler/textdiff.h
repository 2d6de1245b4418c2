/* Line diffs for --diff: Myers' O(ND) algorithm in linear space ("An O(ND)
 * Difference Algorithm and Its Variations", 1986, section 4b), so a large
 * output with a few changed lines costs little, and the unified format that
 * diff -u and patch use. */
#ifndef PEERC_TEXTDIFF_H
#define PEERC_TEXTDIFF_H

#include "common.h"

struct strbuf;

/* An edit script from a[0..n) to b[0..m), the shortest when it has fewer
 * than about 2,000 edits (beyond, finding the shortest would cost time
 * quadratic in the edits; see DIFF_COST_LIMIT): sets adel[i] for each
 * element of a it deletes and bins[j] for each element of b it inserts (both
 * arrays zeroed by the caller). Returns the number of edits. */
size_t diff_seq(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
		bool *adel, bool *bins);

/* Appends to out the unified diff, with 3 lines of context, that turns the
 * text a into b under the headers "--- alabel" and "+++ blabel". Appends
 * nothing when the texts are equal. */
void textdiff_unified(struct strbuf *out, const char *alabel, const char *a,
		      size_t alen, const char *blabel, const char *b,
		      size_t blen);

#endif
