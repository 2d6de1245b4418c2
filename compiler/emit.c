#include "common.h"

#include "addr.h"
#include "ast.h"
#include "emit.h"
#include "model.h"
#include "plan.h"
#include "util.h"

static const struct backend backends[] = {
	{ PEERC_TARGET_TERRAFORM, "terraform", ".tf", NULL, "terraform", false,
	  ".tf.json", "Terraform would load it as Terraform JSON configuration",
	  NULL, emit_terraform },
	{ PEERC_TARGET_BICEP, "bicep", ".bicep", NULL, "bicep", false, NULL, NULL,
	  "modules", emit_bicep },
	{ PEERC_TARGET_ARM, "arm", ".json", NULL, "arm", false, NULL, NULL, NULL,
	  emit_arm },
	{ PEERC_TARGET_DOT, "dot", ".dot", "a picture of the topology, for Graphviz",
	  "dot", false, NULL, NULL, NULL, emit_dot },
	{ PEERC_TARGET_MERMAID, "mermaid", ".mmd", "the same as a Mermaid flowchart",
	  "mermaid", false, NULL, NULL, NULL, emit_mermaid },
	{ PEERC_TARGET_AST, "ast", NULL, "the parsed file as JSON", NULL, true,
	  NULL, NULL, NULL, emit_ast },
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

void emit_ast(const struct model *m, const struct peerc_options *opts,
	      struct peerc_result *r)
{
	struct strbuf sb;

	sb_init(&sb);
	ast_to_json(r->ast, &r->source, &sb);
	emit_add_output(r, NULL, sb.buf, sb.len);
	sb_free(&sb);
}

/* The record of an output; its data is NULL when it went to the sink. */
static struct peerc_output *add_output(struct peerc_result *r, const char *path)
{
	ARENA_PUSH(r->arena, r->outputs, r->noutputs, r->outputs_cap);
	struct peerc_output *o = &r->outputs[r->noutputs - 1];
	o->path = path ? arena_strdup(r->arena, path) : NULL;
	return o;
}

void emit_add_output(struct peerc_result *r, const char *path,
		     const char *data, size_t len)
{
	const struct peerc_sink *k = r->sink;

	if (k && !(k->open(k->ctx, path) && k->write(k->ctx, data, len) &&
		   k->close(k->ctx)))
		return;
	struct peerc_output *o = add_output(r, path);
	o->data = k ? NULL : arena_strndup(r->arena, data, len);
	o->len = len;
}

bool emit_render(const struct backend *b, const struct peerc_options *opts,
		 struct peerc_result *r, const char *file, enum tmpl_target t,
		 const struct tval *root, struct strbuf *out)
{
	struct tmpl *tm = tmpl_load(r->arena, &r->diags, opts->template_dir,
				    b->dir, file, t);
	return tm && tmpl_render(tm, root, &r->diags, out);
}

/* A render's pieces to the compile's sink, counted, and shown to a tap. */
struct counted_sink {
	const struct peerc_sink *k;
	size_t len;
	emit_tap *tap;
	void *tap_ctx;
};

static bool write_counted(void *ctx, const char *data, size_t len)
{
	struct counted_sink *c = ctx;

	c->len += len;
	if (c->tap)
		c->tap(c->tap_ctx, data, len);
	return c->k->write(c->k->ctx, data, len);
}

/* A loaded template rendered as output path: to the sink as it is made,
 * else kept in the result. */
static bool render_loaded(const struct tmpl *tm, struct peerc_result *r,
			  const struct tval *root, const char *path, emit_tap *tap,
			  void *tap_ctx)
{
	if (!r->sink) {
		struct strbuf sb;
		sb_init(&sb);
		bool ok = tmpl_render(tm, root, &r->diags, &sb);
		if (ok && tap)
			tap(tap_ctx, sb.buf ? sb.buf : "", sb.len);
		if (ok)
			emit_add_output(r, path, sb.buf, sb.len);
		sb_free(&sb);
		return ok;
	}
	struct counted_sink c = { r->sink, 0, tap, tap_ctx };
	struct tmpl_sink ts = { write_counted, &c };
	if (!r->sink->open(r->sink->ctx, path))
		return false;
	/* closed even after an error, which the sink's owner then discards */
	bool ok = tmpl_render_to(tm, root, &r->diags, &ts);
	ok = r->sink->close(r->sink->ctx) && ok;
	if (ok)
		add_output(r, path)->len = c.len;
	return ok;
}

bool emit_template_tap(const struct backend *b, const struct peerc_options *opts,
		       struct peerc_result *r, const char *file, enum tmpl_target t,
		       const struct tval *root, const char *path, emit_tap *tap,
		       void *tap_ctx)
{
	struct tmpl *tm = tmpl_load(r->arena, &r->diags, opts->template_dir,
				    b->dir, file, t);

	return tm && render_loaded(tm, r, root, path, tap, tap_ctx);
}

bool emit_loaded(const struct tmpl *tm, struct peerc_result *r,
		 const struct tval *root, const char *path)
{
	return render_loaded(tm, r, root, path, NULL, NULL);
}

bool emit_template(const struct backend *b, const struct peerc_options *opts,
		   struct peerc_result *r, const char *file,
		   enum tmpl_target t, const struct tval *root, const char *path)
{
	return emit_template_tap(b, opts, r, file, t, root, path, NULL, NULL);
}

void emit_stage_groups(struct arena *a, const struct plan *p, uint32_t s,
		       emit_group_fn *group, struct tval **required,
		       struct tval **created)
{
	uint32_t *gs = arena_alloc(a, (p->m->ngroups + 1) * sizeof(*gs));
	size_t made, n = plan_stage_groups(p, s, gs, &made);

	*required = tv_list(a);
	*created = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(a, i < n - made ? *required : *created, group(a, &p->m->groups[gs[i]]));
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

const char *emit_comment_text(struct arena *a, const char *s)
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

struct tval *emit_peerc_values(struct peerc_result *r, const struct peerc_options *opts,
				const char *dflt_output)
{
	struct arena *a = r->arena;
	struct tval *v = tv_object(a);
	const char *name = r->source.name ? r->source.name : "<stdin>";
	const char *base = strrchr(name, '/');
	const char *safe = emit_comment_text(a, base ? base + 1 : name);

	tv_set(a, v, "version", tv_raw(a, PACKAGE_VERSION));
	tv_set(a, v, "source", tv_raw(a, safe));
	tv_set(a, v, "source_name", tv_string(a, safe));
	tv_set(a, v, "output", tv_raw(a, emit_comment_text(a, opts->output_name &&
		strcmp(opts->output_name, "-") != 0 ? opts->output_name : dflt_output)));
	return v;
}

const char *emit_stage_file(struct arena *a, const char *main, uint32_t stage)
{
	const char *dot = strrchr(main, '.');
	int stem = dot && dot != main ? (int)(dot - main) : (int)strlen(main);

	return arena_printf(a, "%.*s.stage%u%s", stem, main, stage + 1, main + stem);
}

/* The line that starts every output, and the mark of a module's header. */
#define HEADER_START "// Generated by peerc "
#define MODULE_MARK "// A module of "

bool emit_is_module_of(struct arena *a, const char *text, size_t len,
		       const char *output_name)
{
	const char *mark = arena_printf(a, MODULE_MARK "%s,",
					emit_comment_text(a, output_name));
	size_t mlen = strlen(mark);

	if (len < strlen(HEADER_START) ||
	    memcmp(text, HEADER_START, strlen(HEADER_START)) != 0)
		return false;
	for (size_t i = 0; i < len && text[i] == '/';) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end - i >= mlen && memcmp(text + i, mark, mlen) == 0)
			return true;
		i = end + 1;
	}
	return false;
}

bool emit_is_generated(const char *text)
{
	const char *g = strstr(text, "\"_generator\": {");

	return strncmp(text, HEADER_START, strlen(HEADER_START)) == 0 ||
	       (g && strstr(g, "\"name\": \"peerc\""));
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

void emit_subnet_prefixes(struct arena *a, struct tval *o, const struct m_subnet *sn)
{
	struct tval *l = tv_list(a);

	for (size_t i = 0; i < sn->nprefixes; i++)
		tv_push(a, l, emit_prefix(a, &sn->prefixes[i]));
	tv_set(a, o, "prefix", emit_prefix(a, &sn->prefixes[0]));
	tv_set(a, o, "prefixes", l);
	tv_set(a, o, "dual", tv_bool(a, sn->nprefixes > 1));
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

void emit_gateway_settings(struct arena *a, struct tval *o, const struct m_vnet *v)
{
	const struct m_gateway *gw = v->gw;

	tv_set(a, o, "gateway_type", tv_string(a, v->gateway == GW_VPN ? "Vpn" : "ExpressRoute"));
	tv_set(a, o, "vpn", tv_bool(a, v->gateway == GW_VPN));
	tv_set(a, o, "sku", tv_string(a, gw->sku));
	tv_set(a, o, "generation", tv_string(a, gw->generation ? gw->generation : ""));
	tv_set(a, o, "active_active", tv_bool(a, gw->active_active));
	tv_set(a, o, "bgp", tv_bool(a, gw->bgp_asn != 0));
	tv_set(a, o, "asn", tv_int(a, gw->bgp_asn));
}

struct tval *emit_subnets(struct arena *a, const struct m_vnet *v,
			  emit_table_ref *table, void *ctx)
{
	struct tval *l = tv_list(a);

	for (size_t i = 0; i < v->nsubnets; i++) {
		const struct m_subnet *sn = &v->subnets[i];
		struct tval *o = tv_object(a);
		tv_set(a, o, "name", tv_string(a, sn->name));
		emit_subnet_prefixes(a, o, sn);
		tv_set(a, o, "route_table", sn->route_table ? table(ctx, sn->route_table) :
							      tv_raw(a, ""));
		tv_push(a, l, o);
	}
	return l;
}

struct tval *emit_vnet(struct arena *a, const struct m_vnet *v, struct tval *location,
		       struct tval *tags, emit_table_ref *table, void *ctx)
{
	struct tval *o = tv_object(a), *space = tv_list(a), *dns = tv_list(a);

	for (size_t i = 0; i < v->nspace; i++)
		tv_push(a, space, emit_prefix(a, &v->space[i]));
	for (size_t i = 0; i < v->ndns_servers; i++)
		tv_push(a, dns, emit_addr(a, &v->dns_servers[i]));
	tv_set(a, o, "name", tv_string(a, v->name));
	tv_set(a, o, "location", location);
	tv_set(a, o, "address_prefixes", space);
	tv_set(a, o, "dns_servers", dns);
	tv_set(a, o, "subnets", emit_subnets(a, v, table, ctx));
	tv_set(a, o, "tags", tags);
	return o;
}

struct tval *emit_routes(struct arena *a, const struct m_route_table *rt)
{
	struct tval *l = tv_list(a);

	for (size_t i = 0; i < rt->nroutes; i++) {
		const struct m_route *r = &rt->routes[i];
		struct tval *o = tv_object(a);
		tv_set(a, o, "name", tv_string(a, r->name));
		tv_set(a, o, "prefix", emit_prefix(a, &r->prefix));
		tv_set(a, o, "next_hop_type", emit_next_hop_type(a, r->hop));
		tv_set(a, o, "next_hop_ip", r->hop == HOP_VIRTUAL_APPLIANCE ?
		       emit_addr(a, &r->next_hop_ip) : tv_raw(a, ""));
		tv_push(a, l, o);
	}
	return l;
}
