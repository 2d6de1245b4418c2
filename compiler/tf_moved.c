/* Moved blocks between two Terraform files peerc wrote. Both are read with
 * the same small scanner, which knows only the canonical layout peerc
 * writes: a block header at column 0, one argument per line, nested blocks
 * and multi-line values indented below it. Anything else is skipped, so a
 * hand-edited or foreign file gives fewer moves, never a crash. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "template.h"
#include "tf_moved.h"
#include "util.h"

/* The arguments that say which Azure object a block is. */
static const char *const id_args[] = {
	"name", "resource_group_name", "virtual_network_name", "subnet_id",
	"route_table_id",
};
#define NARGS (sizeof(id_args) / sizeof(id_args[0]))

/* References are followed this deep, and a resolved value grows this long;
 * past either, a file peerc did not write, which gives fewer moves. */
#define MAX_DEPTH 16
#define MAX_RESOLVED 1024

struct block {
	bool data;            /* a data source: referenced, never moved */
	const char *address;  /* "TYPE.LABEL" ("data.TYPE.LABEL" for data) */
	const char *type;
	const char *arg[NARGS]; /* the raw value text, or NULL */
	const char *resolved[NARGS]; /* arg[] resolved, made on first use, so
				      * that no reference is followed twice */
	const char *identity; /* made on first use */
	bool busy;
};

struct file {
	struct block *blocks;
	size_t n, cap;
	struct strmap by_address;
	/* moved blocks: from and to addresses */
	const char **from, **to;
	size_t nmoved, moved_cap;
};

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A quoted label at *p: its text, with *p past it; NULL when there is none
 * (peerc's labels need no escapes). */
static const char *quoted(struct arena *a, const char **p, const char *end)
{
	const char *s = *p;

	if (s >= end || *s != '"')
		return NULL;
	const char *q = s + 1;
	while (q < end && ident_char(*q))
		q++;
	if (q >= end || *q != '"' || q == s + 1)
		return NULL;
	*p = q + 1;
	return arena_strndup(a, s + 1, (size_t)(q - s - 1));
}

/* `resource "T" "L" {` or `data "T" "L" {` at the start of a line. */
static bool header(struct arena *a, const char *line, const char *end,
		   struct block *b)
{
	const char *p = line;
	bool data = end - p > 5 && memcmp(p, "data ", 5) == 0;

	if (data)
		p += 5;
	else if (end - p > 9 && memcmp(p, "resource ", 9) == 0)
		p += 9;
	else
		return false;
	const char *type = quoted(a, &p, end);
	if (!type || p >= end || *p++ != ' ')
		return false;
	const char *label = quoted(a, &p, end);
	if (!label || end - p < 2 || memcmp(p, " {", 2) != 0)
		return false;
	memset(b, 0, sizeof(*b));
	b->data = data;
	b->type = type;
	b->address = arena_printf(a, "%s%s.%s", data ? "data." : "", type, label);
	return true;
}

/* `  KEY = VALUE` directly inside a block: KEY and the trimmed VALUE. */
static bool argument(const char *line, const char *end, const char **key,
		     size_t *keylen, const char **val, size_t *vallen)
{
	const char *p = line + 2;

	if (end - line < 3 || line[0] != ' ' || line[1] != ' ' || !ident_char(*p))
		return false;
	*key = p;
	while (p < end && ident_char(*p))
		p++;
	*keylen = (size_t)(p - *key);
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '=')
		return false;
	for (p++; p < end && *p == ' '; p++)
		;
	const char *e = end;
	while (e > p && (e[-1] == ' ' || e[-1] == '\r'))
		e--;
	*val = p;
	*vallen = (size_t)(e - p);
	return true;
}

static void add_arg(struct arena *a, struct block *b, const char *key, size_t keylen,
		    const char *val, size_t vallen)
{
	for (size_t i = 0; i < NARGS; i++)
		if (strlen(id_args[i]) == keylen && memcmp(id_args[i], key, keylen) == 0)
			b->arg[i] = arena_strndup(a, val, vallen);
}

static void add_moved(struct arena *a, struct file *f, const char *from, const char *to)
{
	if (!from || !to)
		return;
	if (f->nmoved == f->moved_cap) {
		size_t cap = f->moved_cap ? 2 * f->moved_cap : 8;
		f->from = arena_grow(a, f->from, f->moved_cap * sizeof(*f->from),
				     cap * sizeof(*f->from));
		f->to = arena_grow(a, f->to, f->moved_cap * sizeof(*f->to),
				   cap * sizeof(*f->to));
		f->moved_cap = cap;
	}
	f->from[f->nmoved] = from;
	f->to[f->nmoved++] = to;
}

static void scan(struct arena *a, const char *text, size_t len, struct file *f)
{
	const char *p = text, *end = text + len;
	int depth = 0;
	bool in_moved = false;
	const char *from = NULL, *to = NULL;
	struct block *cur = NULL;

	strmap_init(&f->by_address, a);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *key, *val;
		size_t keylen, vallen;
		struct block b;

		if (depth == 0 && header(a, p, le, &b)) {
			ARENA_PUSH(a, f->blocks, f->n, f->cap);
			f->blocks[f->n - 1] = b;
			cur = &f->blocks[f->n - 1];
			depth = 1;
		} else if (depth == 0 && le - p >= 7 && memcmp(p, "moved {", 7) == 0) {
			in_moved = true;
			from = to = NULL;
			depth = 1;
		} else if (depth == 1 && le > p && *p == '}') {
			if (in_moved)
				add_moved(a, f, from, to);
			if (cur) /* a label given twice keeps its first block */
				strmap_put(&f->by_address, cur->address, cur);
			cur = NULL;
			in_moved = false;
			depth = 0;
		} else if (depth == 1 && argument(p, le, &key, &keylen, &val, &vallen)) {
			const char *v = arena_strndup(a, val, vallen);
			if (in_moved && keylen == 4 && memcmp(key, "from", 4) == 0)
				from = v;
			else if (in_moved && keylen == 2 && memcmp(key, "to", 2) == 0)
				to = v;
			else if (cur)
				add_arg(a, cur, key, keylen, val, vallen);
			if (vallen && (val[vallen - 1] == '{' || val[vallen - 1] == '['))
				depth++;
		} else if (depth >= 1) {
			const char *q = p;
			while (q < le && *q == ' ')
				q++;
			if (q < le && (*q == '}' || *q == ']'))
				depth--;
			else if (le > q && (le[-1] == '{' || le[-1] == '['))
				depth++;
			if (depth < 1)
				depth = 1;
		}
		p = nl ? nl + 1 : end;
	}
}

static const char *identity(struct arena *a, struct file *f, struct block *b,
			    int depth);

/* A value with each reference to another block replaced by what it names:
 * REF.ARG by that block's ARG when it is one of id_args (so that a literal
 * and a reference to the same name read the same), else REF by the
 * block's identity. */
static const char *resolve(struct arena *a, struct file *f, const char *v, int depth)
{
	struct strbuf sb;
	const char *p = v;

	sb_init(&sb);
	while (*p) {
		if (sb.len > MAX_RESOLVED) {
			sb_puts(&sb, p);
			break;
		}
		const char *s = p;
		bool data = strncmp(p, "data.azurerm_", 13) == 0;
		if (!data && strncmp(p, "azurerm_", 8) != 0) {
			sb_putc(&sb, *p++);
			continue;
		}
		/* TYPE.LABEL, then maybe .ARG */
		const char *q = p + (data ? 5 : 0);
		while (*q && ident_char(*q))
			q++;
		if (*q != '.') {
			sb_putn(&sb, s, (size_t)(q - s));
			p = q;
			continue;
		}
		q++;
		while (*q && ident_char(*q))
			q++;
		const char *addr = arena_strndup(a, s, (size_t)(q - s));
		struct block *target = strmap_get(&f->by_address, addr);
		const char *arg = NULL;
		size_t argi = NARGS;
		if (*q == '.') {
			const char *r = q + 1;
			while (*r && ident_char(*r))
				r++;
			arg = arena_strndup(a, q + 1, (size_t)(r - q - 1));
			for (size_t i = 0; i < NARGS; i++)
				if (strcmp(id_args[i], arg) == 0)
					argi = i;
			if (target && argi < NARGS && target->arg[argi])
				q = r;
		}
		if (!target || depth >= MAX_DEPTH || target->busy) {
			sb_puts(&sb, addr);
		} else if (argi < NARGS && target->arg[argi]) {
			if (!target->resolved[argi]) {
				target->busy = true;
				target->resolved[argi] = resolve(a, f, target->arg[argi],
								 depth + 1);
				target->busy = false;
			}
			sb_puts(&sb, target->resolved[argi]);
		} else
			sb_printf(&sb, "<%s>", identity(a, f, target, depth + 1));
		p = q;
	}
	const char *out = arena_strdup(a, sb.buf ? sb.buf : "");
	sb_free(&sb);
	return out;
}

static const char *identity(struct arena *a, struct file *f, struct block *b,
			    int depth)
{
	struct strbuf sb;

	if (b->identity)
		return b->identity;
	if (b->busy || depth >= MAX_DEPTH)
		return b->address;
	b->busy = true;
	sb_init(&sb);
	sb_puts(&sb, b->type);
	for (size_t i = 0; i < NARGS; i++)
		sb_printf(&sb, "\n%s=%s", id_args[i],
			  b->arg[i] ? resolve(a, f, b->arg[i], depth) : "");
	b->identity = arena_strdup(a, sb.buf);
	sb_free(&sb);
	b->busy = false;
	return b->identity;
}

/* Identity -> the resource block that has it, and the identities two
 * resources share (neither of those moves). */
static void index_identities(struct arena *a, struct file *f, struct strmap *out,
			     struct strmap *shared)
{
	strmap_init(out, a);
	strmap_init(shared, a);
	for (size_t i = 0; i < f->n; i++) {
		struct block *b = &f->blocks[i];
		if (b->data || strmap_get(&f->by_address, b->address) != b)
			continue;
		const char *id = identity(a, f, b, 0);
		if (strmap_put(out, id, b))
			strmap_put(shared, id, b);
	}
}

static bool declared(const struct file *f, const char *address)
{
	return strmap_get(&f->by_address, address) != NULL;
}

static void push_move(struct arena *a, struct tval *list, struct strmap *seen,
		      const char *from, const char *to)
{
	if (strmap_put(seen, from, seen))
		return;
	struct tval *o = tv_object(a);
	tv_set(a, o, "from", tv_raw(a, from));
	tv_set(a, o, "to", tv_raw(a, to));
	tv_push(a, list, o);
}

bool tf_moved_applies(const char *old, size_t oldlen)
{
	static const char mark[] = "# Generated by peerc ";
	return old && oldlen >= sizeof(mark) - 1 &&
	       memcmp(old, mark, sizeof(mark) - 1) == 0;
}

struct tval *tf_moved(struct arena *a, const char *old, size_t oldlen,
		      const char *new, size_t newlen)
{
	struct tval *list = tv_list(a);
	struct file of = { 0 }, nf = { 0 };
	struct strmap new_ids, shared, seen, targets;

	if (!tf_moved_applies(old, oldlen))
		return list;
	scan(a, old, oldlen, &of);
	scan(a, new, newlen, &nf);
	index_identities(a, &nf, &new_ids, &shared);
	strmap_init(&seen, a);
	strmap_init(&targets, a);
	/* The moves this change makes, in the old file's order. */
	struct tval *fresh = tv_list(a);
	for (size_t i = 0; i < of.n; i++) {
		struct block *b = &of.blocks[i];
		if (b->data || declared(&nf, b->address))
			continue;
		const char *id = identity(a, &of, b, 0);
		struct block *nb = strmap_get(&new_ids, id);
		if (!nb || strmap_get(&shared, id))
			continue;
		strmap_put(&targets, b->address, nb);
		push_move(a, fresh, &seen, b->address, nb->address);
	}
	/* Earlier moves, while they still lead to a resource of this file
	 * (directly or through one of the moves above). */
	struct strmap kept;
	strmap_init(&kept, a);
	for (size_t i = 0; i < of.nmoved; i++) {
		const char *from = of.from[i], *to = of.to[i];
		if (declared(&nf, from) || strmap_get(&seen, from))
			continue;
		if (declared(&nf, to) || strmap_get(&targets, to))
			push_move(a, list, &kept, from, to);
	}
	for (size_t i = 0; i < fresh->u.list.n; i++)
		tv_push(a, list, fresh->u.list.items[i]);
	return list;
}

/* ------------------------------------- the common case, text in pieces */

/* Past this a line is no block header peerc writes: the rest of it is
 * skipped, so a file of one huge line costs no memory. */
#define MAX_HEADER 4096

struct tf_scan {
	struct arena *a;      /* the new output's addresses */
	struct arena *line;   /* one header's strings at a time */
	struct strmap declared;
	struct strbuf partial; /* a line that began in an earlier piece */
	bool overlong;        /* partial is a line past MAX_HEADER */
	/* reading the previous output: */
	bool previous, needed;
};

typedef void line_fn(struct tf_scan *s, const char *line, const char *end);

static void line_piece(struct tf_scan *s, const char *p, const char *e)
{
	if (s->overlong || s->partial.len + (size_t)(e - p) > MAX_HEADER) {
		s->overlong = true;
		sb_reset(&s->partial);
		return;
	}
	sb_putn(&s->partial, p, (size_t)(e - p));
}

/* fn for each complete line of text given in pieces; last: the rest too. */
static void each_line(struct tf_scan *s, const char *text, size_t len, bool last,
		      line_fn *fn)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			line_piece(s, p, end);
			break;
		}
		if (s->partial.len || s->overlong) {
			line_piece(s, p, nl);
			if (!s->overlong)
				fn(s, s->partial.buf, s->partial.buf + s->partial.len);
			sb_reset(&s->partial);
			s->overlong = false;
		} else {
			fn(s, p, nl);
		}
		p = nl + 1;
	}
	if (last && s->partial.len && !s->overlong)
		fn(s, s->partial.buf, s->partial.buf + s->partial.len);
	if (last) {
		sb_reset(&s->partial);
		s->overlong = false;
	}
}

static void new_line(struct tf_scan *s, const char *line, const char *end)
{
	struct block b;

	if (header(s->a, line, end, &b))
		strmap_put(&s->declared, b.address, s);
}

/* A move is possible only from a resource the new output does not
 * declare, or through a moved block kept from an earlier run (tf_moved). */
static void old_line(struct tf_scan *s, const char *line, const char *end)
{
	struct block b;

	if (end - line >= 7 && memcmp(line, "moved {", 7) == 0)
		s->needed = true;
	else if (header(s->line, line, end, &b) && !b.data &&
		 !strmap_get(&s->declared, b.address))
		s->needed = true;
	arena_clear(s->line);
}

struct tf_scan *tf_scan_new(void)
{
	struct tf_scan *s = xcalloc(1, sizeof(*s));

	s->a = arena_new();
	s->line = arena_new();
	strmap_init(&s->declared, s->a);
	sb_init(&s->partial);
	return s;
}

void tf_scan_feed(struct tf_scan *s, const char *text, size_t len)
{
	each_line(s, text, len, false, new_line);
}

int tf_scan_previous(struct tf_scan *s, const char *path, bool *needed)
{
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	each_line(s, "", 0, true, new_line);
	*needed = false;
	if (fd < 0)
		return errno;
	for (bool first = true;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue; /* the first piece is still to come */
		if (n < 0) {
			int err = errno;
			close(fd);
			return err;
		}
		if (first && !tf_moved_applies(buf, (size_t)n))
			break; /* not peerc's: nothing is moved */
		first = false;
		each_line(s, buf, (size_t)n, n == 0, old_line);
		if (n == 0 || s->needed)
			break;
	}
	close(fd);
	*needed = s->needed;
	return 0;
}

void tf_scan_free(struct tf_scan *s)
{
	if (!s)
		return;
	arena_free(s->a);
	arena_free(s->line);
	sb_free(&s->partial);
	free(s);
}
