/* Memory and strings: an arena that owns everything one compilation makes,
 * a growable string buffer, and a string-keyed hash map. */
#ifndef PEERC_UTIL_H
#define PEERC_UTIL_H

#include "common.h"

/* Out of memory is not something a compiler can recover from in the middle
 * of a pass, but it must not end in a bare abort either: a failed allocation
 * prints "peerc: error: out of memory while WHAT (N bytes asked for)" and
 * exits with status 2, at once, without flushing or freeing anything. WHAT
 * is the arena's phase for arena allocations, the buffer's label for a
 * labelled strbuf; without one, "... while allocating N bytes". */
_Noreturn void out_of_memory(const char *what, size_t n);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Arena: every AST node, model object and diagnostic of one run lives here and
 * is freed at once, so error recovery in the parser cannot leak. */
struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Frees all that a holds, keeping one chunk for what comes next. */
void arena_clear(struct arena *a);
/* What the run is doing, for the message when an allocation fails ("parsing
 * FILE"); what must outlive the arena or be in it. */
void arena_set_phase(struct arena *a, const char *what);
const char *arena_phase(const struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* zero-filled, ARENA_ALIGN-aligned */
/* Enough for every object peerc makes (pointers, 64-bit integers, double;
 * no long double or vector types). max_align_t's 16 rounded each 24-byte
 * name or list node up to 32: 19 MiB of the 100,000-VNet estate. */
#define ARENA_ALIGN ((size_t)8)
_Static_assert(_Alignof(void *) <= ARENA_ALIGN && _Alignof(uint64_t) <= ARENA_ALIGN &&
	       _Alignof(double) <= ARENA_ALIGN && _Alignof(size_t) <= ARENA_ALIGN,
	       "an arena object would be misaligned");
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* A copy of old (old_n bytes) in a new block of new_n bytes; for doubling arrays. */
void *arena_grow(struct arena *a, const void *old, size_t old_n, size_t new_n);

/* Append one element to an arena array `p` of `n` elements and capacity `cap`. */
#define ARENA_PUSH(a, p, n, cap)                                                 \
	do {                                                                     \
		if ((n) == (cap)) {                                              \
			size_t ncap_ = (cap) ? 2 * (cap) : 8;                    \
			(p) = arena_grow((a), (p), (cap) * sizeof(*(p)),          \
					 ncap_ * sizeof(*(p)));                   \
			(cap) = ncap_;                                           \
		}                                                                \
		(n)++;                                                           \
	} while (0)

/* Growable byte buffer on the heap; always NUL-terminated. */
struct strbuf {
	char *buf;
	size_t len, cap;
	const char *what; /* NULL, or what it is for, when growing it fails */
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
/* Room for more bytes after len, and the NUL. */
void sb_reserve(struct strbuf *sb, size_t more);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
void sb_indent(struct strbuf *sb, size_t spaces);
/* n bytes of s as a JSON string literal (RFC 8259), quotes included: '"',
 * '\\' and control characters escaped, invalid UTF-8 as U+FFFD, so the
 * document stays valid whatever the bytes. */
void sb_json_string(struct strbuf *sb, const char *s, size_t n);

/* Open-addressing map from NUL-terminated keys (not copied: they must outlive
 * the map) to pointers; storage in the arena. Average O(1), so 100,000 VNets
 * resolve in linear time. Each slot keeps 32 bits of its key's hash, in an
 * array of their own: a probe walks the hashes, a cache line holding
 * sixteen, and compares strings only when one agrees; growing never hashes
 * a key again. So probes are cheap, and the map fills to three quarters. */
struct strmap_entry {
	const char *key;
	void *val;
};
struct strmap {
	struct arena *arena;
	struct strmap_entry *e;
	uint32_t *hash;
	size_t n, cap;
};
void strmap_init(struct strmap *m, struct arena *a);
/* The same with room for n keys: a map whose size is known up front never
 * grows, so it leaves no smaller tables behind in the arena. */
void strmap_init_n(struct strmap *m, struct arena *a, size_t n);
void *strmap_get(const struct strmap *m, const char *key);
/* Stores val under key unless key is present; returns the present value or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *val);

/* The same for keys that are two 32-bit numbers (a pair of VNet indexes),
 * so that such a key is not printed into a string to be looked up.
 * Values are never 0. */
struct idmap {
	struct arena *arena;
	uint64_t *keys;  /* key + 1: 0 marks a free slot */
	uintptr_t *vals;
	size_t n, cap;
};
void idmap_init(struct idmap *m, struct arena *a, size_t n);
uintptr_t idmap_get(const struct idmap *m, uint64_t key); /* 0: absent */
/* Stores val (not 0) under key unless key is present; returns the present
 * value or 0. */
uintptr_t idmap_put(struct idmap *m, uint64_t key, uintptr_t val);
/* The key of the unordered pair {x, y}. */
static inline uint64_t idmap_pair(size_t x, size_t y)
{
	return x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;
}

/* Levenshtein distance, capped: returns max+1 when it is larger than max. */
size_t edit_distance(const char *a, const char *b, size_t max);

/* "Did you mean": the one policy for every hint peerc gives. A candidate is
 * near when at most a third of `given` (rounded up) must change, as in
 * clang's typo correction, and not all of the candidate; the nearest wins,
 * ties going to the first offered. When none is near, the one candidate
 * that starts with `given` (three characters or more: "expl" for "explain";
 * when several do, none). Offer candidates one by one, then ask. */
struct match {
	const char *given;
	size_t max;            /* the most edits a hint may need */
	const char *best;      /* nearest so far, or NULL */
	size_t best_d;
	const char *prefixed;  /* a candidate that starts with given */
	size_t nprefixed;      /* how many do */
};
void match_init(struct match *m, const char *given);
void match_offer(struct match *m, const char *candidate);
const char *match_result(const struct match *m); /* NULL: nothing close */
/* The same over an array of n names. */
const char *closest_match(const char *given, const char *const *names, size_t n);

/* ASCII case folding, whatever the locale: Azure compares names this way. */
static inline char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}
/* s lower-cased in place; returns s. */
char *str_lower(char *s);
/* A lower-case copy of s in the arena. */
char *arena_lower(struct arena *a, const char *s);

/* A name no other in `used` has: want, else want SEP 2, want SEP 3, ...;
 * compared ignoring case when fold (Azure's names, file names), and never
 * one that reserved() (may be NULL) refuses. Records the result in used and
 * returns it. Filled in model order, so the same file gets the same names. */
char *unique_name(struct arena *a, struct strmap *used, const char *want,
			const char *sep, bool fold, bool (*reserved)(const char *));

#endif
