/* `peerc --explain A B --format=json`: reach.c's answer as the document
 * doc/explain.schema.json describes (doc/checks.md, "Reachability"). */
#include "common.h"

#include "addr.h"
#include "peerc.h"
#include "reach.h"
#include "resolve.h"
#include "util.h"

static void str(struct strbuf *b, const char *s)
{
	if (s)
		sb_json_string(b, s, strlen(s));
	else
		sb_puts(b, "null");
}

static const char *gateway_kind(enum gateway_kind k)
{
	return k == GW_VPN ? "vpn" : k == GW_EXPRESSROUTE ? "expressroute" : "any";
}

/* Both halves, with Azure's names for the four settings. */
static void peering_hop(struct strbuf *b, const struct m_peering *p)
{
	sb_puts(b, "{\"hop\": \"peering\", \"between\": [");
	str(b, p->side[0].vnet->handle);
	sb_puts(b, ", ");
	str(b, p->side[1].vnet->handle);
	sb_puts(b, "], \"sides\": [");
	for (int k = 0; k < 2; k++) {
		const struct m_side *s = &p->side[k];
		sb_puts(b, k ? ", {\"vnet\": " : "{\"vnet\": ");
		str(b, s->vnet->handle);
		sb_puts(b, ", \"name\": ");
		str(b, s->name);
		sb_printf(b, ", \"allowVirtualNetworkAccess\": %s, "
			  "\"allowForwardedTraffic\": %s, \"allowGatewayTransit\": %s, "
			  "\"useRemoteGateways\": %s}", s->setting[SET_ACCESS] ? "true" : "false",
			  s->setting[SET_FORWARDED] ? "true" : "false",
			  s->setting[SET_GATEWAY_TRANSIT] ? "true" : "false",
			  s->setting[SET_REMOTE_GATEWAY] ? "true" : "false");
	}
	sb_puts(b, "]}");
}

static void prefix_list(struct strbuf *b, const struct ip_prefix *p, size_t n)
{
	char buf[IP_STRLEN];

	sb_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		sb_puts(b, i ? ", " : "");
		str(b, ip_prefix_str(&p[i], buf));
	}
	sb_putc(b, ']');
}

static void hop_json(struct strbuf *b, const struct reach_hop *h)
{
	char buf[IP_STRLEN];

	switch (h->kind) {
	case REACH_VNET:
		sb_puts(b, "{\"hop\": \"vnet\", \"name\": ");
		str(b, h->vnet->handle);
		sb_puts(b, ", \"azureName\": ");
		str(b, h->vnet->name);
		sb_puts(b, ", \"addressSpace\": ");
		prefix_list(b, h->vnet->space, h->vnet->nspace);
		sb_putc(b, '}');
		return;
	case REACH_PEERING:
		peering_hop(b, h->peering);
		return;
	case REACH_NVA:
		sb_puts(b, "{\"hop\": \"nva\", \"vnet\": ");
		str(b, h->vnet->handle);
		sb_puts(b, ", \"address\": ");
		str(b, ip_addr_str(h->nva, buf));
		sb_putc(b, '}');
		return;
	case REACH_GATEWAY:
		sb_puts(b, "{\"hop\": \"gateway\", \"vnet\": ");
		str(b, h->vnet->handle);
		sb_printf(b, ", \"kind\": \"%s\"}", gateway_kind(h->vnet->gateway));
		return;
	case REACH_SITE:
		sb_puts(b, "{\"hop\": \"site\", \"name\": ");
		str(b, h->site->name);
		sb_puts(b, ", \"prefixes\": ");
		prefix_list(b, h->site->prefixes, h->site->nprefixes);
		sb_putc(b, '}');
		return;
	}
	BUG();
}

const char *peerc_explain_json(struct peerc_result *r, const char *a,
			       const char *b, bool *reachable)
{
	struct reach_path rp;
	struct strbuf sb;

	*reachable = false;
	if (!r->sema)
		return NULL;
	reach_path(r->sema, a, b, r->arena, &rp);
	*reachable = rp.reachable;
	sb_init(&sb);
	sb_puts(&sb, "{\n  \"version\": 1,\n  \"from\": ");
	str(&sb, a);
	sb_puts(&sb, ",\n  \"to\": ");
	str(&sb, b);
	sb_printf(&sb, ",\n  \"known\": %s,\n  \"reachable\": %s,\n  \"answer\": ",
		  rp.known ? "true" : "false", rp.reachable ? "true" : "false");
	str(&sb, rp.answer);
	sb_puts(&sb, ",\n  \"reason\": ");
	str(&sb, rp.reason);
	sb_puts(&sb, ",\n  \"edit\": ");
	str(&sb, rp.edit);
	sb_puts(&sb, ",\n  \"path\": [");
	for (size_t i = 0; i < rp.nhops; i++) {
		sb_puts(&sb, i ? ",\n    " : "\n    ");
		hop_json(&sb, &rp.hops[i]);
	}
	sb_puts(&sb, rp.nhops ? "\n  ],\n  \"missing\": " : "],\n  \"missing\": ");
	if (rp.missing[0]) {
		sb_puts(&sb, "{\"between\": [");
		str(&sb, rp.missing[0]->handle);
		sb_puts(&sb, ", ");
		str(&sb, rp.missing[1]->handle);
		sb_puts(&sb, "]}");
	} else {
		sb_puts(&sb, "null");
	}
	sb_puts(&sb, "\n}");
	const char *out = arena_strdup(r->arena, sb.buf);
	sb_free(&sb);
	return out;
}
