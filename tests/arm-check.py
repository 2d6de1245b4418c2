#!/usr/bin/env python3
"""Checks an ARM template peerc wrote, beyond byte-for-byte goldens.

Usage: arm-check.py SCHEMADIR FILE.json...

1. Microsoft's JSON schemas (tests/schemas/, draft-04): the template's shape
   against deploymentTemplate.json, each resource against resourceBase and
   its own resource definition, nested deployments' inner templates the same
   way. The schemas' resource bodies are open; here the objects peerc
   writes are closed (additionalProperties false) so a misspelt property
   fails. A oneOf that holds the empty schema is read as anyOf: with it
   every ARM expression would match two branches (see README.md).
2. What the ARM template test toolkit asks (outputs-and-tooling.md 2.3): no
   "", {}, [] or null; every parameter used and every one used declared;
   literal, non-preview API versions; IDs from resourceId().
3. Order: dependsOn names resources of the same template; no cycle; every
   peering half is created after the VNets it joins (when the file creates
   them, or else after the file's writes of their subnets), a half that uses
   the remote gateway after the other half, which must allow gateway
   transit, and after the gateway when the file creates it; one VNet's
   subnet writes one after the other; and no two peering halves that touch
   one VNet (as theirs or as the remote one) at once: Azure processes a
   VNet's operations one after another and answers AnotherOperationInProgress
   or ReferencedResourceNotProvisioned (azurerm locks both VNets around every
   peering write and retries ReferencedResourceNotProvisioned:
   internal/services/network/virtual_network_peering_resource.go).
4. No partial subnet PUT: a subnet written outside its VNet (an existing
   VNet's) is the live subnet, read by the template that deploys it
   (reference() of that subnet, passed in as a parameter), merged with the
   route table; a body of addressPrefix and routeTable alone would drop the
   subnet's NSG, service endpoints, delegations and policies.

Prints one line per problem and exits 1 if there was any."""
import copy
import json
import re
import sys
import warnings

import jsonschema

warnings.simplefilter("ignore", DeprecationWarning)

NET = "https://schema.management.azure.com/schemas/2025-07-01/Microsoft.Network.NRP.json"
RES = "https://schema.management.azure.com/schemas/2025-04-01/Microsoft.Resources.json"
EXPR = "https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression"
SCHEMA_URL = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

T_VNET = "microsoft.network/virtualnetworks"
T_PEERING = "microsoft.network/virtualnetworks/virtualnetworkpeerings"
T_SUBNET = "microsoft.network/virtualnetworks/subnets"
T_RT = "microsoft.network/routetables"
T_DEPLOYMENT = "microsoft.resources/deployments"
T_GATEWAY = "microsoft.network/virtualnetworkgateways"
T_PUBLIC_IP = "microsoft.network/publicipaddresses"

RESOURCE_DEFS = {
    T_VNET: (NET, "virtualNetworks"),
    T_PEERING: (NET, "virtualNetworks_virtualNetworkPeerings"),
    T_RT: (NET, "routeTables"),
    T_SUBNET: (NET, "virtualNetworks_subnets"),
    T_DEPLOYMENT: (RES, "deployments"),
    T_GATEWAY: (NET, "virtualNetworkGateways"),
    T_PUBLIC_IP: (NET, "publicIPAddresses"),
}
# The objects peerc writes, closed for the test.
CLOSED = {
    NET: ["CommonVirtualNetworkPropertiesFormat", "CommonAddressSpace",
          "CommonDhcpOptions", "CommonSubnet", "CommonSubnetPropertiesFormat",
          "CommonRouteTable", "CommonSubResource",
          "CommonVirtualNetworkPeeringPropertiesFormat",
          "CommonRouteTablePropertiesFormat", "CommonRoute",
          "CommonRoutePropertiesFormat",
          "VirtualNetworkGatewayPropertiesFormat", "VirtualNetworkGatewaySku",
          "VirtualNetworkGatewayIPConfiguration",
          "VirtualNetworkGatewayIPConfigurationPropertiesFormat", "BgpSettings",
          "CommonPublicIPAddressPropertiesFormat", "CommonPublicIPAddressSku"],
    RES: ["DeploymentPropertiesOrDeploymentPropertiesExtended",
          "ExpressionEvaluationOptions", "DeploymentParameter"],
}
TOP_KEYS = {"type", "apiVersion", "name", "location", "tags", "dependsOn",
            "properties", "sku", "zones"}
DEPLOYMENT_KEYS = TOP_KEYS - {"location", "tags"} | {"resourceGroup",
                                                     "subscriptionId"}

problems = []


def problem(where, text):
    problems.append("%s: %s" % (where, text))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=no_duplicates)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dups = {k for k in keys if keys.count(k) > 1}
    if dups:
        raise ValueError("duplicate keys %s" % sorted(dups))
    return dict(pairs)


def any_of_empty(node):
    """oneOf [{}, x] -> anyOf, everywhere."""
    if isinstance(node, dict):
        if "oneOf" in node and any(b == {} for b in node["oneOf"]):
            node["anyOf"] = node.pop("oneOf")
        for v in node.values():
            any_of_empty(v)
    elif isinstance(node, list):
        for v in node:
            any_of_empty(v)


class Schemas:
    def __init__(self, root):
        self.docs = {}
        for rel in ("2019-04-01/deploymentTemplate.json",
                    "2025-07-01/Microsoft.Network.NRP.json",
                    "2025-04-01/Microsoft.Resources.json",
                    "common/definitions.json"):
            doc = load("%s/%s" % (root, rel))
            any_of_empty(doc)
            self.docs[doc["id"].rstrip("#")] = doc
        for url, names in CLOSED.items():
            for n in names:
                self.docs[url]["definitions"][n]["additionalProperties"] = False
        tmpl = self.docs[SCHEMA_URL.rstrip("#")]
        # The shape only: resources are checked one by one below.
        tmpl["definitions"]["resource"] = {"type": "object"}
        store = dict(self.docs)
        for k, v in self.docs.items():
            store[k + "#"] = v
        self.template = self.validator(tmpl, store)
        base = {"$ref": SCHEMA_URL + "/definitions/resourceBase"}
        self.resource = {
            t: self.validator({"allOf": [base, {"$ref": "%s#/resourceDefinitions/%s" % d}]},
                              store)
            for t, d in RESOURCE_DEFS.items()}

    @staticmethod
    def validator(schema, store):
        resolver = jsonschema.RefResolver("", schema, store=store)
        return jsonschema.Draft4Validator(schema, resolver=resolver)


def deepest(e):
    """Under a oneOf, the branch error that got furthest into the value:
    "'x' was unexpected" rather than "not valid under any of the schemas"."""
    while e.context:
        e = max(e.context, key=lambda c: (len(c.absolute_path), -len(c.context)))
    return e


def errors(validator, doc):
    out = []
    for e in validator.iter_errors(doc):
        e = deepest(e)
        out.append("%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)",
                               e.message[:300]))
    return out


# ------------------------------------------------------------ expressions

ARGS = re.compile(r"^\[(resourceId|parameters)\((.*)\)\]$")
LIT = re.compile(r"'((?:[^']|'')*)'")


def literals(text):
    """The single-quoted arguments of an expression, unescaped."""
    return [m.replace("''", "'") for m in LIT.findall(text)]


def resolve_id(expr, scope):
    """A peerc resourceId() as (sub, rg, type, names) from scope (sub, rg)."""
    m = ARGS.match(expr)
    if not m or m.group(1) != "resourceId":
        return None
    args = literals(m.group(2))
    i = next(k for k, a in enumerate(args) if "/" in a)
    sub, rg = scope
    if i == 2:
        sub, rg = args[0], args[1]
    elif i == 1:
        rg = args[0]
    return (sub.lower(), rg.lower(), args[i].lower(),
            tuple(n.lower() for n in args[i + 1:]))


# ---------------------------------------------------------------- a file

class Graph:
    def __init__(self):
        self.edges = {}   # node -> set of nodes it waits for
        self.created = {} # resource id -> its resource (JSON)

    def edge(self, a, b):
        self.edges.setdefault(a, set()).add(b)
        self.edges.setdefault(b, set())

    def reaches(self, a, b):
        seen, todo = set(), [a]
        while todo:
            n = todo.pop()
            if n == b:
                return True
            if n not in seen:
                seen.add(n)
                todo.extend(self.edges.get(n, ()))
        return False

    def cycle(self):
        state = {}
        for start in self.edges:
            if start in state:
                continue
            stack = [(start, iter(self.edges[start]))]
            state[start] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    return nxt
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(self.edges[nxt])))
        return None


def blanks(node, where):
    if node in ("", None) or node == {} or node == []:
        problem(where, "blank value %s" % json.dumps(node))
    elif isinstance(node, dict):
        for k, v in node.items():
            if k == "template" and isinstance(v, dict) and "$schema" in v:
                continue  # an inner template: checked on its own
            blanks(v, "%s/%s" % (where, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            blanks(v, "%s/%d" % (where, i))


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            if k == "template" and isinstance(v, dict) and "$schema" in v:
                continue
            yield k
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def check_parameters(doc, where):
    declared = set(doc.get("parameters", {}))
    used = set()
    for s in strings({k: v for k, v in doc.items() if k != "parameters"}):
        for m in re.finditer(r"parameters\('((?:[^']|'')*)'\)", s):
            used.add(m.group(1).replace("''", "'"))
    for p in sorted(declared - used):
        problem(where, "parameter %s is never used" % p)
    for p in sorted(used - declared):
        problem(where, "parameter %s is used but not declared" % p)


def resource_key(res, scope):
    """A resource's ID as a tuple; a deployment lives in its target group."""
    names = tuple(n.lower() for n in res["name"].split("/"))
    sub = res.get("subscriptionId", scope[0])
    rg = res.get("resourceGroup", scope[1])
    return (sub.lower(), rg.lower(), res["type"].lower(), names)


def check_template(s, g, doc, where, scope, unit, main):
    """scope: (sub, rg) the template is deployed to; unit: the main
    template's deployment this one runs in, or None for the main."""
    for e in errors(s.template, doc):
        problem(where, e)
    if doc.get("$schema") != SCHEMA_URL:
        problem(where, "$schema is %r" % doc.get("$schema"))
    if doc.get("contentVersion") != "1.0.0.0":
        problem(where, "contentVersion is %r" % doc.get("contentVersion"))
    if "languageVersion" in doc:
        problem(where, "languageVersion is set")
    if main != ("metadata" in doc):
        problem(where, "metadata is %s" % ("missing" if main else "set"))
    if main and doc["metadata"].get("_generator", {}).get("name") != "peerc":
        problem(where, "metadata._generator.name is not peerc")
    blanks({k: v for k, v in doc.items() if k != "resources"}, where)
    check_parameters(doc, where)
    keys = {}
    for i, res in enumerate(doc.get("resources", [])):
        w = "%s/resources/%d" % (where, i)
        t = res.get("type", "").lower()
        if t not in s.resource:
            problem(w, "unexpected type %r" % res.get("type"))
            continue
        for e in errors(s.resource[t], res):
            problem(w, e)
        extra = set(res) - (DEPLOYMENT_KEYS if t == T_DEPLOYMENT else TOP_KEYS)
        if extra:
            problem(w, "unexpected keys %s" % sorted(extra))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", res.get("apiVersion", "")):
            problem(w, "apiVersion %r is not a literal stable version"
                    % res.get("apiVersion"))
        blanks(res, w)
        key = resource_key(res, scope)
        if key in keys:
            problem(w, "resource %s written twice" % (key,))
        keys[key] = res
    for i, res in enumerate(doc.get("resources", [])):
        w = "%s/resources/%d" % (where, i)
        key = resource_key(res, scope)
        if unit is not None:
            g.edge(key, ("start",) + unit)  # runs once its deployment starts
            g.edge(unit, key)               # which completes after it
        g.created[key] = res
        for d in res.get("dependsOn", []):
            target = resolve_id(d, scope)
            if target is None:
                problem(w, "dependsOn %r is not a resourceId()" % d)
            elif target not in keys:
                problem(w, "dependsOn %r is not in this template" % d)
            else:
                g.edge(("start",) + key if res["type"].lower() == T_DEPLOYMENT
                       else key, target)
        check_ids(res, w, scope)
        if unit is None and res["type"].lower() == T_SUBNET:
            problem(w, "writes subnet %s in the main template, which cannot read "
                    "the live subnet it would write (a partial PUT)" % res["name"])
        if res["type"].lower() == T_DEPLOYMENT:
            check_deployment(s, g, res, w, scope, key)


def check_ids(res, where, scope):
    props = res.get("properties", {})
    ids = []
    if res["type"].lower() == T_PEERING:
        ids.append(props.get("remoteVirtualNetwork", {}).get("id", ""))
    subnets = props.get("subnets", []) if isinstance(props, dict) else []
    for sn in subnets:
        if "routeTable" in sn.get("properties", {}):
            ids.append(sn["properties"]["routeTable"].get("id", ""))
    if res["type"].lower() == T_GATEWAY:
        for c in props.get("ipConfigurations", []):
            ids.append(c["properties"]["subnet"]["id"])
            ids.append(c["properties"]["publicIPAddress"]["id"])
    for i in ids:
        if resolve_id(i, scope) is None:
            problem(where, "ID %r is not built with resourceId()" % i)


def check_deployment(s, g, res, where, scope, key):
    props = res["properties"]
    if props.get("mode") != "Incremental":
        problem(where, "mode is %r" % props.get("mode"))
    if props.get("expressionEvaluationOptions", {}).get("scope") != "Inner":
        problem(where, "expressionEvaluationOptions.scope is not Inner")
    if "subscriptionId" in res and "resourceGroup" not in res:
        problem(where, "subscriptionId without resourceGroup")
    inner = (res.get("subscriptionId", scope[0]), res.get("resourceGroup", scope[1]))
    g.edge(key, ("start",) + key)
    template = props.get("template")
    if not isinstance(template, dict):
        problem(where, "no inline template")
        return
    passed = set(props.get("parameters", {}))
    declared = set(template.get("parameters", {}))
    if passed != declared:
        problem(where, "passes %s, the template declares %s"
                % (sorted(passed), sorted(declared)))
    check_template(s, g, template, where + "/properties/template", inner, key, False)
    check_subnet_writes(template, props.get("parameters", {}), inner,
                        where + "/properties/template")


SUBNET_MERGE = re.compile(
    r"^\[union\(parameters\('((?:[^']|'')*)'\), createObject\('routeTable', "
    r"createObject\('id', (resourceId\(.*\))\)\)\)\]$")
REFERENCE = re.compile(r"^\[reference\((resourceId\(.*\)), '[0-9-]+'\)\]$")


def check_subnet_writes(template, passed, scope, where):
    """A subnet resource's body is the live subnet, read by the main
    template (a parameter whose value is reference() of that very subnet),
    with the route table set."""
    for i, res in enumerate(template.get("resources", [])):
        if res.get("type", "").lower() != T_SUBNET:
            continue
        w = "%s/resources/%d" % (where, i)
        m = SUBNET_MERGE.match(res.get("properties", "")) \
            if isinstance(res.get("properties"), str) else None
        if not m:
            problem(w, "writes subnet %s without its live properties (a partial "
                    "PUT drops its NSG, service endpoints and delegations)" % res["name"])
            continue
        value = passed.get(m.group(1).replace("''", "'"), {}).get("value", "")
        r = REFERENCE.match(value) if isinstance(value, str) else None
        want = (scope[0].lower(), scope[1].lower(), T_SUBNET,
                tuple(n.lower() for n in res["name"].split("/")))
        if not r or resolve_id("[%s]" % r.group(1), MAIN_SCOPE[0]) != want:
            problem(w, "subnet %s is merged with %r, not with the live subnet"
                    % (res["name"], value))


MAIN_SCOPE = [("-", "-")]


def check_order(g, where):
    c = g.cycle()
    if c:
        problem(where, "dependency cycle through %s" % (c,))
        return
    peerings = {k: r for k, r in g.created.items() if k[2] == T_PEERING}
    vnets_created = {k for k in g.created if k[2] == T_VNET}
    gateways = {}  # VNet -> the gateways the file creates in it
    for k, r in g.created.items():
        if k[2] == T_GATEWAY:
            for c in r["properties"]["ipConfigurations"]:
                sn = resolve_id(c["properties"]["subnet"]["id"], k[:2])
                gateways.setdefault(sn[:2] + (T_VNET, sn[3][:1]), []).append(k)
    touching = {}  # VNet -> the peering halves that touch it
    for key, res in peerings.items():
        sub, rg, _, (vnet, _peer) = key
        remote = resolve_id(res["properties"]["remoteVirtualNetwork"]["id"], (sub, rg))
        for v in ((sub, rg, T_VNET, (vnet,)), remote):
            touching.setdefault(v, []).append(key)
    for v, halves in touching.items():
        for a in halves:
            for b in halves:
                if a < b and not (g.reaches(a, b) or g.reaches(b, a)):
                    problem(where, "peerings %s and %s of VNet %s may be written at once"
                            % ("/".join(a[3]), "/".join(b[3]), v[3][0]))
    subnets = {}  # VNet -> its subnet writes
    for k in g.created:
        if k[2] == T_SUBNET:
            subnets.setdefault(k[:2] + (T_VNET, k[3][:1]), []).append(k)
    for ss in subnets.values():
        for a in ss:
            for b in ss:
                if a < b and not (g.reaches(a, b) or g.reaches(b, a)):
                    problem(where, "subnets %s and %s may be written at once"
                            % ("/".join(a[3]), "/".join(b[3])))
    for key, res in peerings.items():
        sub, rg, _, (vnet, _peer) = key
        local = (sub, rg, T_VNET, (vnet,))
        remote = resolve_id(res["properties"]["remoteVirtualNetwork"]["id"], (sub, rg))
        for v in (local, remote):
            if v in g.created and not g.reaches(key, v):
                problem(where, "%s may be created before VNet %s" % ("/".join(key[3]), v[3][0]))
            for sn in subnets.get(v, ()):
                if not g.reaches(key, sn):
                    problem(where, "%s may be created while subnet %s is written"
                            % ("/".join(key[3]), "/".join(sn[3])))
        for v in (local, remote):
            for gk in gateways.get(v, ()):
                if not g.reaches(key, gk):
                    problem(where, "%s may be created while the gateway of %s is "
                            "being created" % ("/".join(key[3]), v[3][0]))
        if res["properties"]["useRemoteGateways"] and remote in vnets_created \
                and not gateways.get(remote):
            problem(where, "%s uses the gateway of %s, which the file creates "
                    "without one (RemoteVnetHasNoGateways)" % ("/".join(key[3]), remote[3][0]))
        if not res["properties"]["useRemoteGateways"]:
            continue
        back = [k for k, r in peerings.items()
                if k[:2] == remote[:2] and k[3][0] == remote[3][0] and
                resolve_id(r["properties"]["remoteVirtualNetwork"]["id"], k[:2]) == local]
        if len(back) != 1:
            problem(where, "%s: %d other halves" % ("/".join(key[3]), len(back)))
        elif not peerings[back[0]]["properties"]["allowGatewayTransit"]:
            problem(where, "%s uses a remote gateway the other half does not offer"
                    % "/".join(key[3]))
        elif not g.reaches(key, back[0]):
            problem(where, "%s may be created before %s, whose gateway it uses"
                    % ("/".join(key[3]), "/".join(back[0][3])))


def main():
    s = Schemas(sys.argv[1])
    for path in sys.argv[2:]:
        try:
            doc = load(path)
        except ValueError as e:
            problem(path, "not JSON: %s" % e)
            continue
        to = doc.get("metadata", {}).get("deployTo", {})
        scope = (to.get("subscriptionId", "-"), to.get("resourceGroup", "-"))
        MAIN_SCOPE[0] = scope
        g = Graph()
        check_template(s, g, doc, path, scope, None, True)
        check_order(g, path)
    for p in problems:
        print(p)
    return 1 if problems else 0


sys.exit(main())
