#!/usr/bin/env python3
"""Checks an ARM output peerc wrote, beyond byte-for-byte goldens.

Usage: arm-check.py [--sample N] SCHEMADIR FILE.json...

An output is its main file and, when it is deployed in stages, the stage
files its metadata lists ("stages"): each stage is deployed once the one
before has finished. A stage file named on the command line is checked
with its output.

1. Microsoft's JSON schemas (tests/schemas/, draft-04): each template's
   shape against deploymentTemplate.json (subscriptionDeploymentTemplate
   .json for one deployed to a subscription), each resource against
   resourceBase and its own resource definition, nested deployments' inner
   templates the same way. The schemas' resource bodies are open; here the
   objects peerc writes are closed (additionalProperties false) so a
   misspelt property fails. A oneOf that holds the empty schema is read as
   anyOf: with it every ARM expression would match two branches (see
   README.md). With --sample N, at most N resources of each type per
   template are checked against the schemas (the rest of the checks read
   every one).
2. What the ARM template test toolkit asks (outputs-and-tooling.md 2.3): no
   "", {}, [] or null; every parameter used and every one used declared;
   literal, non-preview API versions; IDs from resourceId() or
   subscriptionResourceId().
3. Azure's limits ("Azure subscription and service limits", compiler/plan.h):
   a stage's file at most 4,194,304 bytes (one request), a nested
   deployment at most 1 MB as a client sends it (compact JSON), at most 800
   resources and 256 parameters per template, deployment names of 1 to 64
   of [-\\w._()] and distinct (without case) in their group over all stages,
   at most 800 deployments per group.
4. Order: dependsOn names resources of the same template; no cycle; every
   peering half is created after the VNets it joins (when the output
   creates them, or else after the output's writes of their subnets), a
   half that uses the remote gateway after the other half, which must allow
   gateway transit, and after the gateway when the output creates it; one
   VNet's subnet writes one after the other; and no two peering halves that
   touch one VNet (as theirs or as the remote one) at once: Azure processes
   a VNet's operations one after another and answers
   AnotherOperationInProgress or ReferencedResourceNotProvisioned (azurerm
   locks both VNets around every peering write and retries
   ReferencedResourceNotProvisioned:
   internal/services/network/virtual_network_peering_resource.go). A
   resource in a nested deployment runs once its deployment starts, which
   is after what the deployment depends on; the deployment completes after
   all its resources; a stage after every earlier one.
5. No partial subnet PUT: a subnet written outside its VNet (an existing
   VNet's) is the live subnet, read by the main template that deploys it
   (reference() of that subnet, passed in as a parameter), merged with the
   route table; a body of addressPrefix and routeTable alone would drop the
   subnet's NSG, service endpoints, delegations and policies.

Prints one line per problem and exits 1 if there was any."""
import json
import os
import re
import sys
import warnings

import jsonschema

warnings.simplefilter("ignore", DeprecationWarning)

NET = "https://schema.management.azure.com/schemas/2025-07-01/Microsoft.Network.NRP.json"
RES = "https://schema.management.azure.com/schemas/2025-04-01/Microsoft.Resources.json"
SCHEMA_URL = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA_URL = ("https://schema.management.azure.com/schemas/2018-05-01/"
                  "subscriptionDeploymentTemplate.json#")

T_VNET = "microsoft.network/virtualnetworks"
T_PEERING = "microsoft.network/virtualnetworks/virtualnetworkpeerings"
T_SUBNET = "microsoft.network/virtualnetworks/subnets"
T_RT = "microsoft.network/routetables"
T_DEPLOYMENT = "microsoft.resources/deployments"
T_GROUP = "microsoft.resources/resourcegroups"
T_GATEWAY = "microsoft.network/virtualnetworkgateways"
T_PUBLIC_IP = "microsoft.network/publicipaddresses"

# Resource definitions by (type, deployed to a subscription).
RESOURCE_DEFS = {
    (T_VNET, False): (NET, "resourceDefinitions", "virtualNetworks"),
    (T_PEERING, False): (NET, "resourceDefinitions", "virtualNetworks_virtualNetworkPeerings"),
    (T_RT, False): (NET, "resourceDefinitions", "routeTables"),
    (T_SUBNET, False): (NET, "resourceDefinitions", "virtualNetworks_subnets"),
    (T_DEPLOYMENT, False): (RES, "resourceDefinitions", "deployments"),
    (T_GATEWAY, False): (NET, "resourceDefinitions", "virtualNetworkGateways"),
    (T_PUBLIC_IP, False): (NET, "resourceDefinitions", "publicIPAddresses"),
    (T_DEPLOYMENT, True): (RES, "subscription_resourceDefinitions", "deployments"),
    (T_GROUP, True): (RES, "subscription_resourceDefinitions", "resourceGroups"),
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
DEPLOYMENT_KEYS = TOP_KEYS - {"tags"} | {"resourceGroup", "subscriptionId"}

# Azure's limits (compiler/plan.h cites the page).
MAX_REQUEST = 4194304
MAX_DEFINITION = 1048576
MAX_RESOURCES = 800
MAX_PARAMETERS = 256
MAX_GROUP_DEPLOYMENTS = 800
DEPLOYMENT_NAME = re.compile(r"^[-\w._()]{1,64}$", re.ASCII)

problems = []


def problem(where, text):
    problems.append("%s: %s" % (where, text))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=no_duplicates)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate keys %s" % sorted({k for k in keys if keys.count(k) > 1}))
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
                    "2018-05-01/subscriptionDeploymentTemplate.json",
                    "2025-07-01/Microsoft.Network.NRP.json",
                    "2025-04-01/Microsoft.Resources.json",
                    "common/definitions.json"):
            doc = load("%s/%s" % (root, rel))
            any_of_empty(doc)
            self.docs[doc["id"].rstrip("#")] = doc
        for url, names in CLOSED.items():
            for n in names:
                self.docs[url]["definitions"][n]["additionalProperties"] = False
        store = dict(self.docs)
        for k, v in self.docs.items():
            store[k + "#"] = v
        self.template, self.resource = {}, {}
        for sub, url in ((False, SCHEMA_URL), (True, SUB_SCHEMA_URL)):
            tmpl = self.docs[url.rstrip("#")]
            # The shape only: resources are checked one by one below.
            tmpl["definitions"]["resource"] = {"type": "object"}
            self.template[sub] = self.validator(tmpl, store)
        for (t, sub), (url, where, name) in RESOURCE_DEFS.items():
            base = {"$ref": (SUB_SCHEMA_URL if sub else SCHEMA_URL) +
                    "/definitions/resourceBase"}
            self.resource[t, sub] = self.validator(
                {"allOf": [base, {"$ref": "%s#/%s/%s" % (url, where, name)}]}, store)

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

ARGS = re.compile(r"^\[(resourceId|subscriptionResourceId|parameters)\((.*)\)\]$")
LIT = re.compile(r"'((?:[^']|'')*)'")


def literals(text):
    """The single-quoted arguments of an expression, unescaped."""
    return [m.replace("''", "'") for m in LIT.findall(text)]


def resolve_id(expr, scope):
    """A peerc resourceId() or subscriptionResourceId() as (sub, rg, type,
    names) from scope (sub, rg); rg is "" for a resource of a subscription."""
    m = ARGS.match(expr)
    if not m or m.group(1) == "parameters":
        return None
    args = literals(m.group(2))
    i = next((k for k, a in enumerate(args) if "/" in a), None)
    if i is None:
        return None
    sub, rg = scope
    if m.group(1) == "subscriptionResourceId":
        if i > 1:
            return None
        sub, rg = (args[0] if i == 1 else sub), ""
    elif i == 2:
        sub, rg = args[0], args[1]
    elif i == 1:
        rg = args[0]
    elif i > 2:
        return None
    return (sub.lower(), rg.lower(), args[i].lower(),
            tuple(n.lower() for n in args[i + 1:]))


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
    if len(declared) > MAX_PARAMETERS:
        problem(where, "%d parameters, more than %d" % (len(declared), MAX_PARAMETERS))


def resource_key(res, scope):
    """A resource's ID as a tuple; a deployment lives in its target group
    (or subscription: a subscriptionId without a resourceGroup)."""
    names = tuple(n.lower() for n in res["name"].split("/"))
    t = res["type"].lower()
    sub = res.get("subscriptionId", scope[0])
    rg = res.get("resourceGroup", "" if t == T_DEPLOYMENT and "subscriptionId" in res
                 else scope[1])
    if t == T_GROUP:
        rg = ""
    return (sub.lower(), rg.lower(), t, names)


# ---------------------------------------------------------------- graphs

class Dag:
    """One template's waits, or a stage's main level: reachability by
    bitsets in topological order."""

    def __init__(self):
        self.edges = {}

    def node(self, a):
        self.edges.setdefault(a, set())

    def edge(self, a, b):
        self.edges.setdefault(a, set()).add(b)
        self.edges.setdefault(b, set())

    def close(self):
        """Topological order (Kahn) and each node's closure; False on a
        cycle, with self.cycle a node on it."""
        nodes = list(self.edges)
        self.index = {n: i for i, n in enumerate(nodes)}
        users = {n: [] for n in nodes}
        left = {n: len(self.edges[n]) for n in nodes}
        for n in nodes:
            for m in self.edges[n]:
                users[m].append(n)
        ready = [n for n in nodes if left[n] == 0]
        self.order, self.closure = {}, {}
        while ready:
            n = ready.pop()
            bits = 0
            for m in self.edges[n]:
                bits |= self.closure[m] | 1 << self.index[m]
            self.closure[n] = bits
            self.order[n] = len(self.order)
            for u in users[n]:
                left[u] -= 1
                if left[u] == 0:
                    ready.append(u)
        self.cycle = next((n for n in nodes if n not in self.order), None)
        return self.cycle is None

    def reaches(self, a, b):
        return a == b or bool(self.closure[a] >> self.index[b] & 1)


class Output:
    def __init__(self, schemas, sample):
        self.s = schemas
        self.sample = sample
        self.where = {}      # resource key -> its template's id
        self.created = {}    # resource key -> its resource (JSON)
        self.inner = {}      # template id -> Dag of its resources
        self.main = {}       # stage -> Dag of its main level
        self.deps = {}       # nested deployment key -> its dependsOn keys
        self.stage = {}      # template id -> stage
        self.names = {}      # (sub, rg, lower name) -> where, over all stages
        self.history = {}    # (sub, rg) -> deployments made there

    # ----------------------------------------------------------- reading

    def check_template(self, doc, where, scope, tid, main, stage):
        """scope: (sub, rg) the template is deployed to (rg "" for a
        subscription); tid: its id, ("main", stage) or its deployment's key."""
        sub_scope = scope[1] == ""
        for e in errors(self.s.template[sub_scope], doc):
            problem(where, e)
        want = SUB_SCHEMA_URL if sub_scope else SCHEMA_URL
        if doc.get("$schema") != want:
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
        resources = doc.get("resources", [])
        if len(resources) > MAX_RESOURCES:
            problem(where, "%d resources, more than %d" % (len(resources), MAX_RESOURCES))
        self.stage[tid] = stage
        dag = self.main.setdefault(stage, Dag()) if main else self.inner.setdefault(tid, Dag())
        keys, sampled = {}, {}
        for i, res in enumerate(resources):
            w = "%s/resources/%d" % (where, i)
            t = res.get("type", "").lower()
            if (t, sub_scope) not in self.s.resource:
                problem(w, "unexpected type %r" % res.get("type"))
                continue
            sampled[t] = sampled.get(t, 0) + 1
            if not self.sample or sampled[t] <= self.sample:
                for e in errors(self.s.resource[t, sub_scope], res):
                    problem(w, e)
                # The schema requires a resource group's properties, which
                # have nothing to set.
                blanks({k: v for k, v in res.items()
                        if (t, k, v) != (T_GROUP, "properties", {})}, w)
            extra = set(res) - (DEPLOYMENT_KEYS if t == T_DEPLOYMENT else TOP_KEYS)
            if extra:
                problem(w, "unexpected keys %s" % sorted(extra))
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", res.get("apiVersion", "")):
                problem(w, "apiVersion %r is not a literal stable version"
                        % res.get("apiVersion"))
            key = resource_key(res, scope)
            if key in keys or key in self.where:
                problem(w, "resource %s written twice" % (key,))
            keys[key] = res
            self.where[key] = tid
            self.created[key] = res
            dag.node(key)
        for i, res in enumerate(resources):
            w = "%s/resources/%d" % (where, i)
            if (res.get("type", "").lower(), sub_scope) not in self.s.resource:
                continue
            key = resource_key(res, scope)
            for d in res.get("dependsOn", []):
                target = resolve_id(d, scope)
                if target is None:
                    problem(w, "dependsOn %r is not a resourceId()" % d)
                elif target not in keys:
                    problem(w, "dependsOn %r is not in this template" % d)
                else:
                    dag.edge(key, target)
            check_ids(res, w, scope)
            if main and res["type"].lower() == T_SUBNET:
                problem(w, "writes subnet %s in the main template, which cannot read "
                        "the live subnet it would write (a partial PUT)" % res["name"])
            if res["type"].lower() == T_DEPLOYMENT:
                self.check_deployment(res, w, scope, key, stage)

    def check_deployment(self, res, where, scope, key, stage):
        props = res["properties"]
        if props.get("mode") != "Incremental":
            problem(where, "mode is %r" % props.get("mode"))
        if props.get("expressionEvaluationOptions", {}).get("scope") != "Inner":
            problem(where, "expressionEvaluationOptions.scope is not Inner")
        to_sub = key[1] == ""
        if to_sub != ("location" in res):
            problem(where, "a deployment to a %s a location" %
                    ("subscription without" if to_sub else "resource group with"))
        if not DEPLOYMENT_NAME.match(res["name"]):
            problem(where, "deployment name %r is not 1 to 64 of [-\\w._()]" % res["name"])
        seen = self.names.get(key[:2] + (res["name"].lower(),))
        if seen:
            problem(where, "deployment name %r is used twice in %s (also at %s)"
                    % (res["name"], key[:2], seen))
        self.names[key[:2] + (res["name"].lower(),)] = where
        self.history[key[:2]] = self.history.get(key[:2], 0) + 1
        size = len(json.dumps(res, separators=(",", ":"), ensure_ascii=False).encode())
        if size > MAX_DEFINITION:
            problem(where, "nested deployment of %d bytes, more than %d" % (size, MAX_DEFINITION))
        self.deps[key] = set(resolve_id(d, scope) for d in res.get("dependsOn", []))
        template = props.get("template")
        if not isinstance(template, dict):
            problem(where, "no inline template")
            return
        passed = set(props.get("parameters", {}))
        declared = set(template.get("parameters", {}))
        if passed != declared:
            problem(where, "passes %s, the template declares %s"
                    % (sorted(passed), sorted(declared)))
        inner = where + "/properties/template"
        self.check_template(template, inner, key[:2], key, False, stage)
        check_subnet_writes(template, props.get("parameters", {}), key[:2], inner, scope)

    # ---------------------------------------------------------- ordering

    def close(self, where):
        ok = True
        for tid, dag in list(self.inner.items()) + list(self.main.items()):
            if not dag.close():
                problem(where, "dependency cycle through %s" % (dag.cycle,))
                ok = False
        return ok

    def level(self, k):
        """The main-level node that completes only after k."""
        tid = self.where[k]
        return k if tid[0] == "main" else tid

    def reaches(self, a, b):
        """Whether a starts only after b has finished."""
        ta, tb = self.where[a], self.where[b]
        sa, sb = self.stage[ta], self.stage[tb]
        if sa != sb:
            return sa > sb
        if ta == tb:
            return (self.main[sa] if ta[0] == "main" else self.inner[ta]).reaches(a, b)
        target = self.level(b)
        froms = [a] if ta[0] == "main" else [d for d in self.deps[ta] if d is not None]
        return any(self.main[sa].reaches(x, target) for x in froms if x in self.main[sa].index)

    def position(self, k):
        """A place in one linear order consistent with every wait."""
        tid = self.where[k]
        stage = self.stage[tid]
        top = self.main[stage].order[self.level(k)]
        return (stage, top, 0 if tid[0] == "main" else self.inner[tid].order[k])

    def check_order(self, where):
        if not self.close(where):
            return
        created = self.created
        peerings = {k: r for k, r in created.items() if k[2] == T_PEERING}
        vnets_created = {k for k in created if k[2] == T_VNET}
        gateways = {}  # VNet -> the gateways the output creates in it
        for k, r in created.items():
            if k[2] == T_GATEWAY:
                for c in r["properties"]["ipConfigurations"]:
                    sn = resolve_id(c["properties"]["subnet"]["id"], k[:2])
                    gateways.setdefault(sn[:2] + (T_VNET, sn[3][:1]), []).append(k)
        touching, remotes = {}, {}  # VNet -> the peering halves that touch it
        for key, res in peerings.items():
            sub, rg, _, (vnet, _peer) = key
            remote = resolve_id(res["properties"]["remoteVirtualNetwork"]["id"], (sub, rg))
            remotes[key] = remote
            for v in ((sub, rg, T_VNET, (vnet,)), remote):
                touching.setdefault(v, []).append(key)
        for v, halves in touching.items():
            halves.sort(key=self.position)
            for a, b in zip(halves, halves[1:]):
                if not self.reaches(b, a):
                    problem(where, "peerings %s and %s of VNet %s may be written at once"
                            % ("/".join(a[3]), "/".join(b[3]), v[3][0]))
        subnets = {}  # VNet -> its subnet writes
        for k in created:
            if k[2] == T_SUBNET:
                subnets.setdefault(k[:2] + (T_VNET, k[3][:1]), []).append(k)
        for ss in subnets.values():
            ss.sort(key=self.position)
            for a, b in zip(ss, ss[1:]):
                if not self.reaches(b, a):
                    problem(where, "subnets %s and %s may be written at once"
                            % ("/".join(a[3]), "/".join(b[3])))
        for k in created:
            group = (k[0], "", T_GROUP, (k[1],))
            if k[2] == T_DEPLOYMENT and group in created and not self.reaches(k, group):
                problem(where, "deployment %s may start before its group %s is created"
                        % (k[3][0], k[1]))
        by_pair = {(k[:2] + (T_VNET, k[3][:1]), remotes[k]): k for k in peerings}
        for key, res in peerings.items():
            local = key[:2] + (T_VNET, key[3][:1])
            remote = remotes[key]
            for v in (local, remote):
                if v in created and not self.reaches(key, v):
                    problem(where, "%s may be created before VNet %s" % ("/".join(key[3]), v[3][0]))
                for sn in subnets.get(v, ())[-1:]:
                    if not self.reaches(key, sn):
                        problem(where, "%s may be created while subnet %s is written"
                                % ("/".join(key[3]), "/".join(sn[3])))
                for gk in gateways.get(v, ()):
                    if not self.reaches(key, gk):
                        problem(where, "%s may be created while the gateway of %s is "
                                "being created" % ("/".join(key[3]), v[3][0]))
            if res["properties"]["useRemoteGateways"] and remote in vnets_created \
                    and not gateways.get(remote):
                problem(where, "%s uses the gateway of %s, which the output creates "
                        "without one (RemoteVnetHasNoGateways)" % ("/".join(key[3]), remote[3][0]))
            if not res["properties"]["useRemoteGateways"]:
                continue
            back = by_pair.get((remote, local))
            if back is None:
                problem(where, "%s: no other half" % "/".join(key[3]))
            elif not peerings[back]["properties"]["allowGatewayTransit"]:
                problem(where, "%s uses a remote gateway the other half does not offer"
                        % "/".join(key[3]))
            elif not self.reaches(key, back):
                problem(where, "%s may be created before %s, whose gateway it uses"
                        % ("/".join(key[3]), "/".join(back[3])))

    def check_history(self, where):
        for (sub, rg), n in sorted(self.history.items()):
            if n > MAX_GROUP_DEPLOYMENTS:
                problem(where, "%d deployments in %s/%s, more than %d"
                        % (n, sub, rg or "(subscription)", MAX_GROUP_DEPLOYMENTS))


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


SUBNET_MERGE = re.compile(
    r"^\[union\(parameters\('((?:[^']|'')*)'\), createObject\('routeTable', "
    r"createObject\('id', (resourceId\(.*\))\)\)\)\]$")
REFERENCE = re.compile(r"^\[reference\((resourceId\(.*\)), '[0-9-]+'\)\]$")


def check_subnet_writes(template, passed, scope, where, main_scope):
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
        if not r or resolve_id("[%s]" % r.group(1), main_scope) != want:
            problem(w, "subnet %s is merged with %r, not with the live subnet"
                    % (res["name"], value))


# ----------------------------------------------------------------- files

def stages_of(path, doc):
    """The files of the output whose main file is path, in order."""
    files = doc.get("metadata", {}).get("stages")
    if not files:
        return [path]
    here = os.path.dirname(path)
    return [os.path.join(here, f) for f in files]


def check_output(s, sample, path, doc):
    out = Output(s, sample)
    files = stages_of(path, doc)
    for k, f in enumerate(files):
        if os.path.getsize(f) > MAX_REQUEST:
            problem(f, "%d bytes, more than one request takes (%d)"
                    % (os.path.getsize(f), MAX_REQUEST))
        try:
            d = doc if k == 0 else load(f)
        except (OSError, ValueError) as e:
            problem(f, "cannot read: %s" % e)
            return
        meta = d.get("metadata", {})
        if len(files) > 1 and (meta.get("stage") != k + 1 or meta.get("stages") !=
                               doc["metadata"]["stages"]):
            problem(f, "metadata says stage %r of %r" % (meta.get("stage"), meta.get("stages")))
        to = meta.get("deployTo", {})
        scope = (to.get("subscriptionId", "-"), to.get("resourceGroup", "-" if "location"
                                                        not in to else ""))
        out.check_template(d, f, scope, ("main", k), True, k)
        key = (scope[0].lower(), scope[1].lower())
        out.history[key] = out.history.get(key, 0) + 1
    out.check_order(path)
    out.check_history(path)


def main():
    args = sys.argv[1:]
    sample = 0
    if args[0] == "--sample":
        sample = int(args[1])
        args = args[2:]
    s = Schemas(args[0])
    docs = {}
    for path in args[1:]:
        try:
            docs[path] = load(path)
        except ValueError as e:
            problem(path, "not JSON: %s" % e)
    for path, doc in docs.items():
        if doc.get("metadata", {}).get("stage", 1) > 1:
            continue  # checked with its main file
        check_output(s, sample, path, doc)
    for p in problems:
        print(p)
    return 1 if problems else 0


sys.exit(main())
