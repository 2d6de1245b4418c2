#include "common.h"

#include "textdiff.h"
#include "util.h"

/* ------------------------------------------------------------ Myers */

struct seqs {
	const uint32_t *a, *b;
	bool *adel, *bins;
	long *vf, *vb; /* furthest reaching x per diagonal, forward and reverse */
};

struct snake {
	long x0, y0, x1, y1; /* a diagonal run from (x0, y0) to (x1, y1) */
};

/* The part of a and b still to compare: a[ax, ax+n) and b[by, by+m). */
struct box {
	long ax, n, by, m;
};

/* Step d of the search from the start (rev false) or, over both sequences
 * read backwards, from the end. Diagonal k of one search is delta - k of the
 * other; when they meet, the snake just followed is the middle snake. The
 * forward search looks for the meeting when delta is odd, the reverse one
 * when it is even, each after the other has taken its last step. */
static bool search_step(const struct seqs *s, const struct box *bx, long d,
			bool rev, struct snake *out)
{
	long *v = rev ? s->vb : s->vf, *other = rev ? s->vf : s->vb;
	long n = bx->n, m = bx->m, delta = n - m;
	long reach = rev ? d : d - 1; /* the other search's last step */
	bool meet = (delta & 1) != rev;
	const uint32_t *a = s->a + bx->ax, *b = s->b + bx->by;

	for (long k = -d; k <= d; k += 2) {
		long x = (k == -d || (k != d && v[k - 1] < v[k + 1])) ?
			v[k + 1] : v[k - 1] + 1;
		long y = x - k, x0 = x, y0 = y;

		while (x < n && y < m &&
		       (rev ? a[n - 1 - x] == b[m - 1 - y] : a[x] == b[y]))
			x++, y++;
		v[k] = x;
		if (!meet || delta - k < -reach || delta - k > reach ||
		    x + other[delta - k] < n)
			continue;
		if (rev)
			*out = (struct snake){ bx->ax + n - x, bx->by + m - y,
					       bx->ax + n - x0, bx->by + m - y0 };
		else
			*out = (struct snake){ bx->ax + x0, bx->by + y0,
					       bx->ax + x, bx->by + y };
		return true;
	}
	return false;
}

/* Steps of one search after which it stops looking for the middle of a
 * shortest path. Each step costs as much as the steps before it, so texts
 * with D edits between them cost O(D^2) however long: an output file that
 * has nothing in common with what peerc writes took seconds for every
 * thousand lines, growing quadratically. Past the limit the script is still
 * valid, only perhaps not the shortest. */
enum { DIFF_COST_LIMIT = 1024 };

/* Where the forward search has got furthest after step d, inside the box
 * and short of its end: a split point of a path of at least d edits, which
 * leaves two smaller boxes. False when there is none. */
static bool furthest_point(const struct seqs *s, const struct box *bx, long d,
			   struct snake *out)
{
	long best = 0;

	for (long k = -d; k <= d; k += 2) {
		long x = s->vf[k], y = x - k;
		if (x > bx->n || y < 0 || y > bx->m || x + y <= best ||
		    x + y >= bx->n + bx->m)
			continue;
		best = x + y;
		*out = (struct snake){ bx->ax + x, bx->by + y, bx->ax + x,
				       bx->by + y };
	}
	return best > 0;
}

/* The snake in the middle of a shortest path through the box; both
 * sequences are non-empty and differ at both ends, so the path has at least
 * two edits and the snake splits it into two shorter ones. A path longer
 * than twice DIFF_COST_LIMIT is split where the forward search got to. */
static struct snake middle_snake(const struct seqs *s, const struct box *bx)
{
	struct snake sn;

	s->vf[1] = 0;
	s->vb[1] = 0;
	for (long d = 0; d <= (bx->n + bx->m + 1) / 2; d++) {
		if (search_step(s, bx, d, false, &sn) ||
		    search_step(s, bx, d, true, &sn))
			return sn;
		if (d >= DIFF_COST_LIMIT && furthest_point(s, bx, d, &sn))
			return sn;
	}
	BUG();
}

static void compare(const struct seqs *s, long x0, long x1, long y0, long y1)
{
	while (x0 < x1 && y0 < y1 && s->a[x0] == s->b[y0])
		x0++, y0++;
	while (x0 < x1 && y0 < y1 && s->a[x1 - 1] == s->b[y1 - 1])
		x1--, y1--;
	if (x0 == x1) {
		for (long y = y0; y < y1; y++)
			s->bins[y] = true;
		return;
	}
	if (y0 == y1) {
		for (long x = x0; x < x1; x++)
			s->adel[x] = true;
		return;
	}
	struct box bx = { x0, x1 - x0, y0, y1 - y0 };
	struct snake sn = middle_snake(s, &bx);
	compare(s, x0, sn.x0, y0, sn.y0);
	compare(s, sn.x1, x1, sn.y1, y1);
}

size_t diff_seq(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
		bool *adel, bool *bins)
{
	/* Diagonals run from -(d+1) to d+1 with d at most (n + m + 1) / 2. */
	size_t half = (n + m + 1) / 2 + 2;
	long *vf = xcalloc(2 * half + 1, sizeof(*vf));
	long *vb = xcalloc(2 * half + 1, sizeof(*vb));
	struct seqs s = { a, b, adel, bins, vf + half, vb + half };
	size_t edits = 0;

	compare(&s, 0, (long)n, 0, (long)m);
	free(vf);
	free(vb);
	for (size_t i = 0; i < n; i++)
		edits += adel[i];
	for (size_t j = 0; j < m; j++)
		edits += bins[j];
	return edits;
}

/* ------------------------------------------------------- unified format */

enum { CONTEXT = 3 };

/* A text cut into lines, each keeping its '\n'; equal lines of both texts
 * share one id, so the diff compares integers. */
struct lines {
	const char **text;
	size_t *len;
	uint32_t *id;
	size_t n;
};

static void split_lines(struct arena *ar, struct strmap *ids, const char *t,
			size_t len, struct lines *out)
{
	size_t n = 0;

	for (const char *p = t, *end = t + len; p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	out->n = n;
	out->text = arena_alloc(ar, (n + 1) * sizeof(*out->text));
	out->len = arena_alloc(ar, (n + 1) * sizeof(*out->len));
	out->id = arena_alloc(ar, (n + 1) * sizeof(*out->id));
	const char *p = t, *end = t + len;
	for (size_t i = 0; i < n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		char *key = arena_strndup(ar, p, l);
		void *fresh = (void *)(uintptr_t)(ids->n + 1);
		void *old = strmap_put(ids, key, fresh);
		out->id[i] = (uint32_t)(uintptr_t)(old ? old : fresh);
		out->text[i] = p;
		out->len[i] = l;
		p += l;
	}
}

enum op_kind { OP_SAME, OP_DEL, OP_INS };

struct op {
	enum op_kind kind;
	size_t ai, bj; /* the lines of a and b before this op */
};

/* The edit script as one walk over both texts, deletions before insertions
 * within each change, as diff -u prints them. */
static struct op *edit_ops(struct arena *ar, const bool *adel, size_t n,
			   const bool *bins, size_t m, size_t *nops)
{
	struct op *ops = arena_alloc(ar, (n + m + 1) * sizeof(*ops));
	size_t i = 0, j = 0, k = 0;

	while (i < n || j < m) {
		enum op_kind kind = i < n && adel[i] ? OP_DEL :
				    j < m && bins[j] ? OP_INS : OP_SAME;
		ops[k++] = (struct op){ kind, i, j };
		i += kind != OP_INS;
		j += kind != OP_DEL;
	}
	*nops = k;
	return ops;
}

static void put_range(struct strbuf *out, char sign, size_t start, size_t count)
{
	/* An empty range names the line before it, as diff -u does. */
	sb_printf(out, " %c%zu", sign, count ? start + 1 : start);
	if (count != 1)
		sb_printf(out, ",%zu", count);
}

static void put_line(struct strbuf *out, char sign, const struct lines *l,
		     size_t i)
{
	sb_putc(out, sign);
	sb_putn(out, l->text[i], l->len[i]);
	if (l->len[i] == 0 || l->text[i][l->len[i] - 1] != '\n')
		sb_puts(out, "\n\\ No newline at end of file\n");
}

static void put_hunk(struct strbuf *out, const struct op *ops, size_t from,
		     size_t to, const struct lines *a, const struct lines *b)
{
	size_t acount = 0, bcount = 0;

	for (size_t k = from; k < to; k++) {
		acount += ops[k].kind != OP_INS;
		bcount += ops[k].kind != OP_DEL;
	}
	sb_puts(out, "@@");
	put_range(out, '-', ops[from].ai, acount);
	put_range(out, '+', ops[from].bj, bcount);
	sb_puts(out, " @@\n");
	for (size_t k = from; k < to; k++) {
		if (ops[k].kind == OP_INS)
			put_line(out, '+', b, ops[k].bj);
		else
			put_line(out, ops[k].kind == OP_DEL ? '-' : ' ', a, ops[k].ai);
	}
}

/* The end of the hunk whose first change is at ops[c]: changes closer than
 * twice the context share one hunk. */
static size_t hunk_end(const struct op *ops, size_t nops, size_t c)
{
	for (;;) {
		while (c < nops && ops[c].kind != OP_SAME)
			c++;
		size_t same = c;
		while (same < nops && ops[same].kind == OP_SAME)
			same++;
		if (same == nops || same - c > 2 * CONTEXT)
			return c + CONTEXT < same ? c + CONTEXT : same;
		c = same;
	}
}

void textdiff_unified(struct strbuf *out, const char *alabel, const char *a,
		      size_t alen, const char *blabel, const char *b,
		      size_t blen)
{
	if (alen == blen && memcmp(a, b, alen) == 0)
		return;
	struct arena *ar = arena_new();
	arena_set_phase(ar, "comparing for --diff");
	struct strmap ids;
	struct lines la, lb;
	strmap_init(&ids, ar);
	split_lines(ar, &ids, a, alen, &la);
	split_lines(ar, &ids, b, blen, &lb);
	bool *adel = arena_alloc(ar, la.n + 1);
	bool *bins = arena_alloc(ar, lb.n + 1);
	diff_seq(la.id, la.n, lb.id, lb.n, adel, bins);

	size_t nops;
	struct op *ops = edit_ops(ar, adel, la.n, bins, lb.n, &nops);
	sb_printf(out, "--- %s\n+++ %s\n", alabel, blabel);
	for (size_t k = 0; k < nops;) {
		if (ops[k].kind == OP_SAME) {
			k++;
			continue;
		}
		size_t from = k > CONTEXT ? k - CONTEXT : 0;
		size_t end = hunk_end(ops, nops, k);
		put_hunk(out, ops, from, end, &la, &lb);
		k = end;
	}
	arena_free(ar);
}
