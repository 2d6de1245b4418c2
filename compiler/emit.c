#include "common.h"

#include "addr.h"
#include "emit.h"
#include "model.h"
#include "util.h"

static const struct backend backends[] = {
	{ PEERC_TARGET_TERRAFORM, "terraform", ".tf", "terraform", emit_terraform },
	{ PEERC_TARGET_BICEP, "bicep", ".bicep", "bicep", emit_bicep },
	{ PEERC_TARGET_ARM, "arm", ".json", "arm", emit_arm },
	{ PEERC_TARGET_DOT, "dot", ".dot", "dot", emit_dot },
	{ PEERC_TARGET_MERMAID, "mermaid", ".mmd", "mermaid", emit_mermaid },
};

const struct backend *backend_find(enum peerc_target t)
{
	for (size_t i = 0; i < ARRAY_SIZE(backends); i++)
		if (backends[i].target == t)
			return &backends[i];
	return NULL;
}

size_t backend_count(void)
{
	return ARRAY_SIZE(backends);
}

const struct backend *backend_at(size_t i)
{
	return &backends[i];
}

void emit_add_output(struct peerc_result *r, const char *path,
		     const char *data, size_t len)
{
	ARENA_PUSH(r->arena, r->outputs, r->noutputs, r->outputs_cap);
	struct peerc_output *o = &r->outputs[r->noutputs - 1];
	o->path = path ? arena_strdup(r->arena, path) : NULL;
	o->data = arena_strndup(r->arena, data, len);
	o->len = len;
}

bool emit_template(const struct backend *b, const struct peerc_options *opts,
		   struct peerc_result *r, const char *file,
		   enum tmpl_target t, const struct tval *root, const char *path)
{
	struct tmpl *tm = tmpl_load(r->arena, &r->diags, opts->template_dir,
				    b->dir, file, t);
	if (!tm)
		return false;
	struct strbuf sb;
	sb_init(&sb);
	bool ok = tmpl_render(tm, root, &r->diags, &sb);
	if (ok)
		emit_add_output(r, path, sb.buf, sb.len);
	sb_free(&sb);
	return ok;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 :
		   s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;

	if (s[0] >= 0xF5)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	/* overlong three- and four-byte forms, surrogates, past U+10FFFF */
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* Text that cannot end a comment or break the output's encoding. */
static const char *comment_safe(struct arena *a, const char *s)
{
	struct strbuf sb;
	sb_init(&sb);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = *p < 0x80 ? 1 : utf8_len(p);
		if (n == 0 || *p < 0x20 || *p == 0x7f) {
			sb_putc(&sb, '?');
			p++;
			continue;
		}
		sb_putn(&sb, (const char *)p, n);
		p += n;
	}
	const char *out = arena_strdup(a, sb.buf ? sb.buf : "");
	sb_free(&sb);
	return out;
}

struct tval *emit_peerc_values(struct peerc_result *r)
{
	struct arena *a = r->arena;
	struct tval *v = tv_object(a);
	const char *name = r->source.name ? r->source.name : "<stdin>";
	const char *base = strrchr(name, '/');
	const char *safe = comment_safe(a, base ? base + 1 : name);

	tv_set(a, v, "version", tv_raw(a, PACKAGE_VERSION));
	tv_set(a, v, "source", tv_raw(a, safe));
	tv_set(a, v, "source_name", tv_string(a, safe));
	return v;
}

struct tval *emit_prefix(struct arena *a, const struct ip_prefix *p)
{
	char buf[IP_STRLEN];
	return tv_string(a, arena_strdup(a, ip_prefix_str(p, buf)));
}

struct tval *emit_addr(struct arena *a, const struct ip_addr *ip)
{
	char buf[IP_STRLEN];
	return tv_string(a, arena_strdup(a, ip_addr_str(ip, buf)));
}

struct tval *emit_next_hop_type(struct arena *a, enum next_hop hop)
{
	return tv_string(a, hop == HOP_VIRTUAL_APPLIANCE ? "VirtualAppliance" :
			 "VirtualNetworkGateway");
}

struct tval *emit_tags(struct arena *a, const struct m_tag *tags, size_t n)
{
	struct tval *o = tv_object(a);

	for (size_t i = 0; i < n; i++)
		tv_set(a, o, tags[i].key, tv_string(a, tags[i].value));
	return o;
}
