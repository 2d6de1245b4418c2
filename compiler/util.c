#include "common.h"

#include <unistd.h>

#include "utf8.h"
#include "util.h"

/* Nothing here may allocate: the message is formatted on the stack and
 * written with one write(2). _exit skips atexit handlers, so a leak checker
 * does not report the memory a run still held as leaked. */
void out_of_memory(const char *what, size_t n)
{
	char msg[512];
	int len = what ? snprintf(msg, sizeof(msg),
				  "peerc: error: out of memory while %s "
				  "(%zu bytes asked for)\n", what, n) :
			 snprintf(msg, sizeof(msg),
				  "peerc: error: out of memory while "
				  "allocating %zu bytes\n", n);

	if (len > (int)sizeof(msg) - 1)
		len = (int)sizeof(msg) - 1;
	ssize_t put = write(STDERR_FILENO, msg, len > 0 ? (size_t)len : 0);
	(void)put; /* nowhere left to report a failed write */
	_exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(NULL, n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory(NULL, size && n > SIZE_MAX / size ? SIZE_MAX : n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory(NULL, n);
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/* ---------------------------------------------------------------- arena */

#define ARENA_CHUNK (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct chunk *head;
	const char *phase;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_set_phase(struct arena *a, const char *what)
{
	a->phase = what;
}

const char *arena_phase(const struct arena *a)
{
	return a->phase;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void arena_clear(struct arena *a)
{
	struct chunk *keep = NULL;

	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		if (!keep && c->size == ARENA_CHUNK)
			keep = c;
		else
			free(c);
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
}

static struct chunk *chunk_new(const struct arena *a, size_t size,
			       struct chunk *next)
{
	struct chunk *c = size > SIZE_MAX - sizeof(*c) ? NULL :
			  malloc(sizeof(*c) + size);

	if (!c)
		out_of_memory(a->phase, size);
	c->next = next;
	c->used = 0;
	c->size = size;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	struct chunk *c = a->head;

	if (need < n)
		out_of_memory(a->phase, n);
	if (need > ARENA_CHUNK / 4) {
		/* A big block gets a chunk of its own behind the current one, so
		 * the space left in the current chunk is not wasted. */
		struct chunk *big = chunk_new(a, need, c ? c->next : NULL);

		if (c)
			c->next = big;
		else
			a->head = big;
		big->used = need;
		return memset(big->data, 0, n);
	}
	if (!c || c->size - c->used < need) {
		c = chunk_new(a, ARENA_CHUNK, c);
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += need;
	return memset(p, 0, n);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* The length of fmt formatted with ap, leaving ap for the real call. printf
 * fails only on text of INT_MAX bytes or more, which no memory holds twice. */
static size_t formatted_len(const char *fmt, va_list ap, const char *what)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		out_of_memory(what, SIZE_MAX);
	return (size_t)n;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	size_t n = formatted_len(fmt, ap, a->phase);
	char *p = arena_alloc(a, n + 1);
	vsnprintf(p, n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/* An array that is the last allocation of the current chunk grows where
 * it is (its address, and pointers into it, stay good): the doubling
 * arrays of ARENA_PUSH would otherwise leave every smaller copy behind.
 * A big array has a chunk of its own and is copied, as before: a pointer
 * into the old copy may still be held. */
void *arena_grow(struct arena *a, const void *old, size_t old_n, size_t new_n)
{
	struct chunk *c = a->head;
	size_t old_need = (old_n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	size_t new_need = (new_n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	unsigned char *at = (unsigned char *)(uintptr_t)old;
	bool last = old && c && (uintptr_t)at >= (uintptr_t)c->data &&
		    (uintptr_t)at + old_need == (uintptr_t)(c->data + c->used);

	if (last && new_need >= new_n && new_need > old_need &&
	    c->size - c->used >= new_need - old_need) {
		c->used += new_need - old_need;
		memset(at + old_n, 0, new_n - old_n);
		return at;
	}
	void *p = arena_alloc(a, new_n);

	if (old_n)
		memcpy(p, old, old_n < new_n ? old_n : new_n);
	return p;
}

/* ---------------------------------------------------------------- strbuf */

void sb_init(struct strbuf *sb)
{
	sb->cap = 64;
	sb->len = 0;
	sb->what = NULL;
	sb->buf = xmalloc(sb->cap);
	sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
}

void sb_reserve(struct strbuf *sb, size_t more)
{
	if (more >= SIZE_MAX / 2 - sb->len)
		out_of_memory(sb->what, SIZE_MAX);
	if (sb->len + more + 1 <= sb->cap)
		return;
	size_t cap = sb->cap;
	while (sb->len + more + 1 > cap)
		cap *= 2;
	char *p = realloc(sb->buf, cap);
	if (!p)
		out_of_memory(sb->what, cap);
	sb->buf = p;
	sb->cap = cap;
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	size_t n = formatted_len(fmt, ap, sb->what);

	sb_reserve(sb, n);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	sb->len += n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_indent(struct strbuf *sb, size_t spaces)
{
	sb_reserve(sb, spaces);
	memset(sb->buf + sb->len, ' ', spaces);
	sb->len += spaces;
	sb->buf[sb->len] = '\0';
}

/* ---------------------------------------------------------------- strmap */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The smallest power of two that holds n keys at most three quarters full. */
static size_t map_cap(size_t n)
{
	size_t cap = 16;

	while (cap / 4 * 3 < n)
		cap *= 2;
	return cap;
}

static void strmap_alloc(struct strmap *m, size_t cap)
{
	m->cap = cap;
	m->e = arena_alloc(m->arena, cap * sizeof(*m->e));
	m->hash = arena_alloc(m->arena, cap * sizeof(*m->hash));
}

void strmap_init_n(struct strmap *m, struct arena *a, size_t n)
{
	m->arena = a;
	m->n = 0;
	strmap_alloc(m, map_cap(n));
}

void strmap_init(struct strmap *m, struct arena *a)
{
	strmap_init_n(m, a, 0);
}

static size_t strmap_slot(const struct strmap *m, const char *key, uint32_t hash)
{
	size_t i = hash & (m->cap - 1);

	while (m->e[i].key && (m->hash[i] != hash || strcmp(m->e[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	size_t i = strmap_slot(m, key, hash_str(key));

	return m->e[i].key ? m->e[i].val : NULL;
}

static void strmap_rehash(struct strmap *m)
{
	struct strmap old = *m;

	strmap_alloc(m, old.cap * 2);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.e[i].key)
			continue;
		size_t j = old.hash[i] & (m->cap - 1);
		while (m->e[j].key)
			j = (j + 1) & (m->cap - 1);
		m->e[j] = old.e[i];
		m->hash[j] = old.hash[i];
	}
}

void *strmap_put(struct strmap *m, const char *key, void *val)
{
	if (m->n + 1 > m->cap / 4 * 3)
		strmap_rehash(m);
	uint32_t hash = hash_str(key);
	size_t i = strmap_slot(m, key, hash);
	if (m->e[i].key)
		return m->e[i].val;
	m->e[i] = (struct strmap_entry){ key, val };
	m->hash[i] = hash;
	m->n++;
	return NULL;
}

/* ---------------------------------------------------------------- idmap */

/* A 64-bit mix (splitmix64's finaliser): pairs of small indexes differ in
 * few bits, which a mask alone would pile into a few slots. */
static size_t hash_id(uint64_t k)
{
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebULL;
	k ^= k >> 31;
	return (size_t)k;
}

void idmap_init(struct idmap *m, struct arena *a, size_t n)
{
	m->arena = a;
	m->n = 0;
	m->cap = map_cap(n);
	m->keys = arena_alloc(a, m->cap * sizeof(*m->keys));
	m->vals = arena_alloc(a, m->cap * sizeof(*m->vals));
}

static size_t idmap_slot(const uint64_t *keys, size_t cap, uint64_t key)
{
	size_t i = hash_id(key) & (cap - 1);

	while (keys[i] && keys[i] != key + 1)
		i = (i + 1) & (cap - 1);
	return i;
}

uintptr_t idmap_get(const struct idmap *m, uint64_t key)
{
	return m->vals[idmap_slot(m->keys, m->cap, key)];
}

static void idmap_rehash(struct idmap *m)
{
	size_t cap = m->cap * 2;
	uint64_t *keys = arena_alloc(m->arena, cap * sizeof(*keys));
	uintptr_t *vals = arena_alloc(m->arena, cap * sizeof(*vals));

	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = idmap_slot(keys, cap, m->keys[i] - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
}

uintptr_t idmap_put(struct idmap *m, uint64_t key, uintptr_t val)
{
	if (m->n + 1 > m->cap / 4 * 3)
		idmap_rehash(m);
	size_t i = idmap_slot(m->keys, m->cap, key);
	if (m->keys[i])
		return m->vals[i];
	m->keys[i] = key + 1;
	m->vals[i] = val;
	m->n++;
	return 0;
}

/* ---------------------------------------------------------------- misc */

size_t edit_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);

	if ((la > lb ? la - lb : lb - la) > max || la > 255 || lb > 255)
		return max + 1;
	size_t row[256];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best = i;
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = diag + cost;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

void match_init(struct match *m, const char *given)
{
	*m = (struct match){ .given = given, .max = (strlen(given) + 2) / 3 };
	m->best_d = m->max + 1;
}

void match_offer(struct match *m, const char *candidate)
{
	size_t len = strlen(m->given);
	size_t d = edit_distance(m->given, candidate, m->max);

	if (d < m->best_d && d < strlen(candidate)) {
		m->best = candidate;
		m->best_d = d;
	}
	if (len >= 3 && strncmp(candidate, m->given, len) == 0 &&
	    m->nprefixed++ == 0)
		m->prefixed = candidate;
}

const char *match_result(const struct match *m)
{
	return m->best ? m->best : m->nprefixed == 1 ? m->prefixed : NULL;
}

const char *closest_match(const char *given, const char *const *names, size_t n)
{
	struct match m;

	match_init(&m, given);
	for (size_t i = 0; i < n; i++)
		match_offer(&m, names[i]);
	return match_result(&m);
}

char *str_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = ascii_lower(*p);
	return s;
}

char *arena_lower(struct arena *a, const char *s)
{
	return str_lower(arena_strdup(a, s));
}

char *unique_name(struct arena *a, struct strmap *used, const char *want,
		  const char *sep, bool fold, bool (*reserved)(const char *))
{
	char *name = arena_strdup(a, want);

	for (unsigned n = 2;; n++) {
		const char *key = fold ? arena_lower(a, name) : name;
		if (!(reserved && reserved(name)) && !strmap_get(used, key)) {
			strmap_put(used, key, used); /* a set */
			return name;
		}
		name = arena_printf(a, "%s%s%u", want, sep, n);
	}
}

void sb_json_string(struct strbuf *sb, const char *s, size_t n)
{
	sb_putc(sb, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = 1, bad;
		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c == '\n') {
			sb_puts(sb, "\\n");
		} else if (c == '\t') {
			sb_puts(sb, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			sb_printf(sb, "\\u%04x", c);
		} else if (c < 0x80) {
			sb_putc(sb, (char)c);
		} else if ((len = utf8_valid((const unsigned char *)s + i, n - i, &bad))) {
			sb_putn(sb, s + i, len);
		} else {
			sb_puts(sb, "\\ufffd");
			len = bad;
		}
		i += len;
	}
	sb_putc(sb, '"');
}
