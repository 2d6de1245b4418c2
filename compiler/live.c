/* Reading the live estate's JSON with jansson. The reader is tolerant of
 * what it does not use (az and the REST API add fields with every version)
 * and strict about what it does: a wrong type is an error at its JSON path,
 * never a guess. Every error of a file is reported, not just the first. */
#include "common.h"

#include <jansson.h>
#include <strings.h>

#include "azid.h"
#include "diag.h"
#include "live.h"
#include "names.h"
#include "srcpos.h"
#include "util.h"

/* One file being read. path is the JSON path of the value at hand; each
 * function that descends appends to it and cuts it back on return. */
struct reader {
	struct live *l;
	struct arena *a;
	struct diag_list *diags;
	const struct source *src;
	struct strbuf path;
	bool failed;
};

static void report(struct reader *rd, enum diag_severity sev, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static void report(struct reader *rd, enum diag_severity sev, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct diag *d = diag_add(rd->diags, sev, "live-json", LOC_NONE, "%s: %s",
				  rd->path.buf, msg);
	if (d)
		d->src = rd->src;
	if (sev == DIAG_ERROR)
		rd->failed = true;
}

static size_t push_key(struct reader *rd, const char *key)
{
	size_t at = rd->path.len;
	sb_printf(&rd->path, ".%s", key);
	return at;
}

static size_t push_index(struct reader *rd, size_t i)
{
	size_t at = rd->path.len;
	sb_printf(&rd->path, "[%zu]", i);
	return at;
}

static void pop(struct reader *rd, size_t at)
{
	rd->path.len = at;
	rd->path.buf[at] = '\0';
}

static const char *kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

/* obj[key], or NULL when it is absent or null (az prints null for unset). */
static json_t *field(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return v && !json_is_null(v) ? v : NULL;
}

/* obj[key] when it has the type want (JSON_TRUE standing for a boolean);
 * NULL when absent, and reported when of another type. */
static json_t *typed(struct reader *rd, const json_t *obj, const char *key,
		     json_type want, const char *want_text)
{
	json_t *v = field(obj, key);
	if (!v)
		return NULL;
	bool ok = want == JSON_TRUE ? json_is_boolean(v) : json_typeof(v) == want;
	if (ok)
		return v;
	size_t at = push_key(rd, key);
	report(rd, DIAG_ERROR, "%s is needed, not %s", want_text, kind_of(v));
	pop(rd, at);
	return NULL;
}

static const char *get_string(struct reader *rd, const json_t *obj, const char *key)
{
	json_t *v = typed(rd, obj, key, JSON_STRING, "a string");
	return v ? arena_strndup(rd->a, json_string_value(v), json_string_length(v)) : NULL;
}

static bool get_bool(struct reader *rd, const json_t *obj, const char *key, bool dflt)
{
	json_t *v = typed(rd, obj, key, JSON_TRUE, "a boolean");
	return v ? json_is_true(v) : dflt;
}

static void missing(struct reader *rd, const char *key)
{
	report(rd, DIAG_ERROR, "'%s' is missing", key);
}

/* The object whose fields describe the resource: az flattens `properties`
 * into the resource, the REST API keeps it. *at is where to cut the path. */
static const json_t *props(struct reader *rd, const json_t *obj, size_t *at)
{
	json_t *p = typed(rd, obj, "properties", JSON_OBJECT, "an object");

	*at = rd->path.len;
	if (!p)
		return obj;
	push_key(rd, "properties");
	return p;
}

/* ------------------------------------------------------------- addresses */

/* One prefix string; false (reported) when it is not one. */
static bool prefix_value(struct reader *rd, const json_t *s, struct ip_prefix *out)
{
	struct ip_prefix p;

	if (!json_is_string(s)) {
		report(rd, DIAG_ERROR, "a prefix string is needed, not %s", kind_of(s));
		return false;
	}
	if (!ip_parse_prefix(json_string_value(s), json_string_length(s), &p) ||
	    !ip_prefix_len_ok(&p)) {
		report(rd, DIAG_ERROR, "'%s' is not an address prefix", json_string_value(s));
		return false;
	}
	*out = ip_prefix_masked(&p);
	return true;
}

/* An array of prefixes (obj[key]); *has says whether the array is there. */
static struct ip_prefix *prefix_array(struct reader *rd, const json_t *obj,
				      const char *key, size_t *n, bool *has)
{
	json_t *arr = typed(rd, obj, key, JSON_ARRAY, "an array of prefixes");
	size_t at = push_key(rd, key);
	struct ip_prefix *out = NULL;
	size_t k = 0;

	*has = arr != NULL;
	if (arr)
		out = arena_alloc(rd->a, (json_array_size(arr) + 1) * sizeof(*out));
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		size_t ai = push_index(rd, i);
		if (prefix_value(rd, json_array_get(arr, i), &out[k]))
			k++;
		pop(rd, ai);
	}
	pop(rd, at);
	*n = k;
	return out;
}

/* An AddressSpace object's addressPrefixes. */
static struct ip_prefix *address_space(struct reader *rd, const json_t *obj,
				       const char *key, size_t *n, bool *has)
{
	json_t *as = typed(rd, obj, key, JSON_OBJECT, "an object");

	*n = 0;
	*has = false;
	if (!as)
		return NULL;
	size_t at = push_key(rd, key);
	struct ip_prefix *p = prefix_array(rd, as, "addressPrefixes", n, has);
	pop(rd, at);
	return p;
}

static void read_dns(struct reader *rd, struct live_vnet *v, const json_t *pr)
{
	json_t *dhcp = typed(rd, pr, "dhcpOptions", JSON_OBJECT, "an object");
	if (!dhcp)
		return;
	size_t at = push_key(rd, "dhcpOptions");
	json_t *arr = typed(rd, dhcp, "dnsServers", JSON_ARRAY, "an array of addresses");
	size_t at2 = push_key(rd, "dnsServers");
	if (arr)
		v->dns = arena_alloc(rd->a, (json_array_size(arr) + 1) * sizeof(*v->dns));
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		json_t *s = json_array_get(arr, i);
		size_t ai = push_index(rd, i);
		if (!json_is_string(s) ||
		    !ip_parse_addr(json_string_value(s), json_string_length(s),
				   &v->dns[v->ndns]))
			report(rd, DIAG_ERROR, "an IP address string is needed");
		else
			v->ndns++;
		pop(rd, ai);
	}
	pop(rd, at2);
	pop(rd, at);
}

static void read_tags(struct reader *rd, struct live_vnet *v, const json_t *obj)
{
	json_t *tags = typed(rd, obj, "tags", JSON_OBJECT, "an object");
	const char *key;
	json_t *val;

	if (!tags)
		return;
	v->tags = arena_alloc(rd->a, (json_object_size(tags) + 1) * sizeof(*v->tags));
	json_object_foreach(tags, key, val) {
		if (!json_is_string(val)) {
			size_t at = push_key(rd, "tags");
			report(rd, DIAG_ERROR, "tag '%s' is %s, not a string", key, kind_of(val));
			pop(rd, at);
			continue;
		}
		v->tags[v->ntags++] = (struct m_tag){
			arena_strdup(rd->a, key),
			arena_strndup(rd->a, json_string_value(val), json_string_length(val)),
		};
	}
}

/* --------------------------------------------------------------- subnets */

/* Whether a subnet property is set to something (az prints null, [] or
 * an object for each). */
static bool is_set(const json_t *v)
{
	return v && !json_is_null(v) &&
	       !(json_is_array(v) && json_array_size(v) == 0);
}

static const char *unexpressed(struct reader *rd, const json_t *pr)
{
	static const char *const keys[] = {
		"networkSecurityGroup", "routeTable", "natGateway", "delegations",
		"serviceEndpoints", "serviceEndpointPolicies",
	};
	struct strbuf sb;
	const char *out = NULL;

	sb_init(&sb);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (is_set(json_object_get(pr, keys[i])))
			sb_printf(&sb, "%s%s", sb.len ? ", " : "", keys[i]);
	if (sb.len)
		out = arena_strdup(rd->a, sb.buf);
	sb_free(&sb);
	return out;
}

/* The gateway whose IP configuration is in the subnet, from the
 * configuration's ID (.../virtualNetworkGateways/G/ipConfigurations/C):
 * its canonical ID, or NULL. */
static const char *gateway_of(struct reader *rd, const json_t *pr)
{
	static const char tail[] = "/ipConfigurations/";
	json_t *cfgs = json_object_get(pr, "ipConfigurations");
	const char *part[3];

	for (size_t i = 0; json_is_array(cfgs) && i < json_array_size(cfgs); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(cfgs, i), "id"));
		const char *end = id ? strrchr(id, '/') : NULL;
		size_t n = end ? (size_t)(end - id) : 0;
		/* back to the start of "/ipConfigurations/" */
		while (n > 0 && id[n - 1] != '/')
			n--;
		if (n < sizeof(tail) - 1 ||
		    strncasecmp(id + n - 1, tail, sizeof(tail) - 1) != 0)
			continue;
		const char *gw = arena_strndup(rd->a, id, n - 1);
		if (azid_split(rd->a, gw, AZID_GATEWAY, part))
			return azid_format(rd->a, part, AZID_GATEWAY);
	}
	return NULL;
}

static void read_subnet(struct reader *rd, struct live_vnet *v, const json_t *obj)
{
	struct live_subnet *s = &v->subnets[v->nsubnets];
	size_t at;
	bool has = false;

	if (!json_is_object(obj)) {
		report(rd, DIAG_ERROR, "a subnet object is needed, not %s", kind_of(obj));
		return;
	}
	s->name = get_string(rd, obj, "name");
	const json_t *pr = props(rd, obj, &at);
	/* addressPrefix and addressPrefixes are alternatives (dual stack
	 * needs the list). */
	json_t *one = typed(rd, pr, "addressPrefix", JSON_STRING, "a string");
	if (one) {
		size_t k = push_key(rd, "addressPrefix");
		s->prefixes = arena_alloc(rd->a, sizeof(*s->prefixes));
		s->nprefixes = prefix_value(rd, one, s->prefixes) ? 1 : 0;
		pop(rd, k);
	} else {
		s->prefixes = prefix_array(rd, pr, "addressPrefixes", &s->nprefixes, &has);
	}
	s->unexpressed = unexpressed(rd, pr);
	const char *gw = gateway_of(rd, pr);
	if (gw)
		v->gateway_id = gw;
	pop(rd, at);
	if (s->name)
		v->nsubnets++;
	else
		missing(rd, "name");
}

/* A name that breaks Azure's rule for its kind (names.h) did not come
 * from Azure, and one with a brace would read as a {local} pattern in the
 * .peer file. */
static bool azure_name_ok(struct reader *rd, enum azure_name kind, const char *name)
{
	char buf[96];
	const char *why = name_problem(kind, name, buf, sizeof(buf));

	if (why)
		report(rd, DIAG_ERROR, "'%s' is not a valid %s name: %s", name,
		       name_rule(kind)->what, why);
	return !why;
}

/* -------------------------------------------------------------- peerings */

/* A VNet ID in the resolver's spelling; anything else as given, for the
 * importer to report. */
static const char *canonical_vnet_id(struct reader *rd, const char *id)
{
	const char *part[3];

	if (id && azid_split(rd->a, id, AZID_VNET, part))
		return azid_format(rd->a, part, AZID_VNET);
	return id;
}

const char *const live_setting_property[PEERING_SETTINGS] = {
	[SET_ACCESS] = "allowVirtualNetworkAccess",
	[SET_FORWARDED] = "allowForwardedTraffic",
	[SET_GATEWAY_TRANSIT] = "allowGatewayTransit",
	[SET_REMOTE_GATEWAY] = "useRemoteGateways",
};

static void read_peering(struct reader *rd, struct live_vnet *v, const json_t *obj)
{
	struct live_peering *p = &v->peerings[v->npeerings];
	size_t at;

	if (!json_is_object(obj)) {
		report(rd, DIAG_ERROR, "a peering object is needed, not %s", kind_of(obj));
		return;
	}
	p->path = arena_strdup(rd->a, rd->path.buf);
	p->name = get_string(rd, obj, "name");
	const json_t *pr = props(rd, obj, &at);
	json_t *remote = typed(rd, pr, "remoteVirtualNetwork", JSON_OBJECT, "an object");
	if (remote) {
		size_t k = push_key(rd, "remoteVirtualNetwork");
		p->remote_id = canonical_vnet_id(rd, get_string(rd, remote, "id"));
		if (!p->remote_id && !field(remote, "id"))
			missing(rd, "id");
		pop(rd, k);
	} else if (!field(pr, "remoteVirtualNetwork")) {
		missing(rd, "remoteVirtualNetwork");
	}
	/* Absent flags take the API's defaults (azure.md 2.2): access on. */
	for (int i = 0; i < PEERING_SETTINGS; i++)
		p->setting[i] = get_bool(rd, pr, live_setting_property[i], i == SET_ACCESS);
	p->state = get_string(rd, pr, "peeringState");
	p->sync = get_string(rd, pr, "peeringSyncLevel");
	p->remote_space = address_space(rd, pr, "remoteAddressSpace",
					&p->nremote_space, &p->has_remote_space);
	if (!p->has_remote_space)
		p->remote_space = address_space(rd, pr, "remoteVirtualNetworkAddressSpace",
						&p->nremote_space, &p->has_remote_space);
	pop(rd, at);
	if (!p->name)
		missing(rd, "name");
	if (p->name && azure_name_ok(rd, NAME_PEERING, p->name) && p->remote_id)
		v->npeerings++;
}

/* Reads obj[key], an array, with fn for each element into a new arena
 * array of its size. */
#define READ_ARRAY(rd, obj, key, v, list, n, fn)                                  \
	do {                                                                      \
		json_t *arr_ = typed(rd, obj, key, JSON_ARRAY, "an array");       \
		size_t at_ = push_key(rd, key);                                   \
		if (arr_)                                                         \
			(v)->list = arena_alloc((rd)->a, (json_array_size(arr_) + 1) * \
						sizeof(*(v)->list));              \
		for (size_t i_ = 0; arr_ && i_ < json_array_size(arr_); i_++) {   \
			size_t ai_ = push_index(rd, i_);                          \
			fn(rd, v, json_array_get(arr_, i_));                      \
			pop(rd, ai_);                                             \
		}                                                                 \
		pop(rd, at_);                                                     \
	} while (0)

/* ----------------------------------------------------------------- VNets */

static bool is_vnet_type(const char *type)
{
	return strcasecmp(type, "Microsoft.Network/virtualNetworks") == 0;
}

static void add_vnet(struct reader *rd, struct live_vnet *v)
{
	struct live *l = rd->l;
	char *key = azid_key(rd->a, v->id);
	uintptr_t at = (uintptr_t)strmap_get(&l->by_id, key);

	if (at) {
		const struct live_vnet *old = &l->vnets[at - 1];
		report(rd, DIAG_WARNING, "VNet '%s' was read before, from %s at %s: "
		       "that one is kept", v->name, old->file->name, old->path);
		return;
	}
	ARENA_PUSH(l->arena, l->vnets, l->nvnets, l->cap);
	struct live_vnet *slot = &l->vnets[l->nvnets - 1];
	*slot = *v;
	slot->index = l->nvnets - 1;
	/* The map holds indices: the array moves as it grows. */
	strmap_put(&l->by_id, key, (void *)(uintptr_t)l->nvnets);
	strmap_put(&l->subscriptions, azid_key(rd->a, v->subscription), (void *)1);
	strmap_put(&l->groups, azid_key(rd->a, arena_printf(rd->a, "%s/%s", v->subscription,
							     v->resource_group)), (void *)1);
}

static void read_vnet(struct reader *rd, const json_t *obj)
{
	struct live_vnet v = { .file = rd->src };
	const char *part[3];
	size_t at;

	if (!json_is_object(obj)) {
		report(rd, DIAG_ERROR, "a virtual network object is needed, not %s",
		       kind_of(obj));
		return;
	}
	bool was = rd->failed;
	rd->failed = false;
	v.path = arena_strdup(rd->a, rd->path.buf);
	const char *type = get_string(rd, obj, "type");
	if (type && !is_vnet_type(type)) {
		report(rd, DIAG_ERROR, "a %s, not a virtual network "
		       "(Microsoft.Network/virtualNetworks)", type);
		rd->failed = true;
		goto out;
	}
	v.id = get_string(rd, obj, "id");
	v.name = get_string(rd, obj, "name");
	v.location = get_string(rd, obj, "location");
	if (v.id && azid_split(rd->a, v.id, AZID_VNET, part)) {
		/* Canonical, as the resolver writes `id`: what import writes,
		 * drift compares and Terraform's import blocks take. */
		v.id = azid_format(rd->a, part, AZID_VNET);
		v.subscription = part[0];
		v.resource_group = part[1];
		/* The ID is what Azure and every reference use: a name that
		 * is not the ID's would import a VNet nothing points at. */
		if (!v.name)
			v.name = part[2];
		else if (strcasecmp(v.name, part[2]) != 0)
			report(rd, DIAG_ERROR, "'name' is '%s' but 'id' names '%s'",
			       v.name, part[2]);
	} else if (v.id) {
		report(rd, DIAG_ERROR, "'id' is not a virtual network's resource ID: '%s'",
		       v.id);
	} else {
		missing(rd, "id");
	}
	if (v.name)
		azure_name_ok(rd, NAME_VNET, v.name);
	if (!v.location)
		missing(rd, "location");
	read_tags(rd, &v, obj);
	const json_t *pr = props(rd, obj, &at);
	bool has;
	v.space = address_space(rd, pr, "addressSpace", &v.nspace, &has);
	if (!has)
		missing(rd, "addressSpace.addressPrefixes");
	read_dns(rd, &v, pr);
	READ_ARRAY(rd, pr, "subnets", &v, subnets, nsubnets, read_subnet);
	READ_ARRAY(rd, pr, "virtualNetworkPeerings", &v, peerings, npeerings,
		   read_peering);
	pop(rd, at);
	if (!rd->failed)
		add_vnet(rd, &v);
out:
	rd->failed = rd->failed || was;
}

/* The VNets of a document: az's array, the REST list's "value", or one. */
static void read_document(struct reader *rd, const json_t *root)
{
	const json_t *list = root;

	if (json_is_object(root) && json_is_array(json_object_get(root, "value"))) {
		list = json_object_get(root, "value");
		push_key(rd, "value");
	} else if (json_is_object(root) &&
		   (json_object_get(root, "addressSpace") || json_object_get(root, "properties"))) {
		read_vnet(rd, root);
		return;
	}
	if (!json_is_array(list)) {
		report(rd, DIAG_ERROR, "not a list of virtual networks: %s, where "
		       "`az network vnet list` prints an array, the REST API "
		       "{\"value\": [...]}, `az network vnet show` one object "
		       "with \"addressSpace\"", kind_of(root));
		return;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		size_t at = push_index(rd, i);
		read_vnet(rd, json_array_get(list, i));
		pop(rd, at);
	}
}

void live_init(struct live *l, struct arena *a)
{
	memset(l, 0, sizeof(*l));
	l->arena = a;
	strmap_init(&l->by_id, a);
	strmap_init(&l->subscriptions, a);
	strmap_init(&l->groups, a);
}

bool live_read(struct live *l, const char *name, const char *text, size_t len,
	       struct diag_list *diags)
{
	struct source *src = arena_alloc(l->arena, sizeof(*src));
	struct reader rd = { .l = l, .a = l->arena, .diags = diags, .src = src };
	json_error_t err;

	if (!source_init(src, l->arena, name, text, len)) {
		src->name = arena_strdup(l->arena, name);
		struct diag *d = diag_add(diags, DIAG_ERROR, "live-json", LOC_NONE,
					  "input too large (4 GiB or more)");
		if (d)
			d->src = src;
		return false;
	}
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		uint32_t at = err.position < 0 ? 0 : (uint32_t)err.position;
		if (at > len)
			at = (uint32_t)len;
		/* jansson points just past the offending character. */
		if (at > 0 && at == len)
			at--;
		struct diag *d = diag_add(diags, DIAG_ERROR, "live-json",
					  (struct loc){ at, at }, "not valid JSON: %s",
					  err.text);
		if (d)
			d->src = src;
		return false;
	}
	sb_init(&rd.path);
	sb_puts(&rd.path, "$");
	read_document(&rd, root);
	sb_free(&rd.path);
	json_decref(root);
	return !rd.failed;
}

void live_link(struct live *l)
{
	for (size_t i = 0; i < l->nvnets; i++) {
		struct live_vnet *v = &l->vnets[i];
		/* Only now: the array moved while it grew. */
		for (size_t k = 0; k < v->npeerings; k++) {
			v->peerings[k].vnet = v;
			v->peerings[k].remote = live_find(l, v->peerings[k].remote_id);
		}
	}
}

/* s in lower case into buf; false when it does not fit (longer than any
 * ID or subscription Azure gives). */
static bool lower_copy(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size)
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = ascii_lower(s[i]);
	return true;
}

struct live_vnet *live_find(const struct live *l, const char *id)
{
	char buf[1024];

	if (!lower_copy(buf, sizeof(buf), id))
		return NULL;
	uintptr_t at = (uintptr_t)strmap_get(&l->by_id, buf);
	return at ? &l->vnets[at - 1] : NULL;
}

bool live_covers(const struct live *l, const char *subscription)
{
	char buf[256];

	return lower_copy(buf, sizeof(buf), subscription) &&
	       strmap_get(&l->subscriptions, buf) != NULL;
}

bool live_has_group(const struct live *l, const char *subscription, const char *group)
{
	char key[512], buf[512];

	return snprintf(key, sizeof(key), "%s/%s", subscription, group) < (int)sizeof(key) &&
	       lower_copy(buf, sizeof(buf), key) && strmap_get(&l->groups, buf) != NULL;
}

struct live_peering *live_peering_to(const struct live_vnet *v, const char *remote_id)
{
	for (size_t i = 0; i < v->npeerings; i++)
		if (strcasecmp(v->peerings[i].remote_id, remote_id) == 0)
			return &v->peerings[i];
	return NULL;
}

const char *live_model_id(struct arena *a, const struct m_vnet *v)
{
	if (v->id)
		return v->id;
	if (!v->subscription || !v->resource_group)
		return NULL;
	const char *part[3] = { v->subscription, v->resource_group, v->name };
	return azid_format(a, part, AZID_VNET);
}

static bool has_prefix(const struct ip_prefix *set, size_t n, const struct ip_prefix *p)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].len == p->len && ip_addr_cmp(&set[i].addr, &p->addr) == 0)
			return true;
	return false;
}

bool live_same_space(const struct ip_prefix *a, size_t na,
		     const struct ip_prefix *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!has_prefix(b, nb, &a[i]))
			return false;
	return true;
}

const char *live_space_text(struct arena *a, const struct ip_prefix *p, size_t n)
{
	struct strbuf sb;
	char buf[IP_STRLEN];

	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", ip_prefix_str(&p[i], buf));
	const char *r = arena_strdup(a, sb.buf);
	sb_free(&sb);
	return r;
}
