#!/usr/bin/env python3
"""The ARM output deploys what the Bicep output does. For NAME.json and
NAME.bicep (with their stage files and modules), outputs of one fixture,
compares:
  created VNets: name, location, address space, DNS servers, subnets with
    their prefixes and route tables;
  peering halves: VNet and name, the four settings, the remote VNet;
  route tables: name, location, routes (name, prefix, next hop);
  subnet writes of existing VNets: VNet, subnet, prefix, route table;
  gateways, public IPs, created resource groups;
  the tags of every created resource, by type and name (a created group's
    are the defaults');
  the deployments (compiler/plan.h): each stage's nested deployments (Bicep
    modules) by name, with their scope and what each waits for (other
    deployments by name, main-template resources by type and name), and
    the main templates' resources that wait for deployments.
A location read from Azure at deployment (a parameter in Bicep, reference()
in ARM) compares as None. The Bicep side is read with the Bicep tests'
parser (tests/bicep/bicepsubset.py).

Usage: arm-same-as-bicep.py NAME.json NAME.bicep"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "bicep"))
import bicepsubset as bs  # noqa: E402

T_VNET = "Microsoft.Network/virtualNetworks"
T_SUBNET = "Microsoft.Network/virtualNetworks/subnets"
T_PEERING = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
T_RT = "Microsoft.Network/routeTables"
T_GW = "Microsoft.Network/virtualNetworkGateways"
T_PIP = "Microsoft.Network/publicIPAddresses"
FLAGS = ("allowVirtualNetworkAccess", "allowForwardedTraffic",
         "allowGatewayTransit", "useRemoteGateways")


T_DEPLOYMENT = "Microsoft.Resources/deployments"
T_GROUP = "Microsoft.Resources/resourceGroups"


def facts():
    return {"vnets": {}, "peerings": {}, "route_tables": {}, "subnet_writes": {},
            "gateways": {}, "public_ips": {}, "resource_groups": {},
            "deployments": {}, "main_waits": {}, "tags": {}}


def routes(props):
    return sorted((r["name"] if isinstance(r, dict) else r.get("name"),
                   get(r, "properties", "addressPrefix"),
                   get(r, "properties", "nextHopType"),
                   get(r, "properties", "nextHopIpAddress"))
                  for r in (get(props, "routes") or []))


def subnet_prefixes(props):
    """A subnet's prefixes, however written: addressPrefix for one,
    addressPrefixes for a dual-stack subnet (both are the same to Azure)."""
    one = get(props, "addressPrefix")
    return [one] if one is not None else list(get(props, "addressPrefixes") or [])


def get(v, *keys):
    for k in keys:
        if v is None:
            return None
        v = v.get(k)
    return v


# ------------------------------------------------------------------ ARM

LAST_ARG = re.compile(r"'((?:[^']|'')*)'\)\]$")


def last_name(expr):
    """The last name of "[resourceId(..., 'name')]"."""
    return LAST_ARG.search(expr).group(1).replace("''", "'")


def arm_value(v, params):
    """A literal, or what "[parameters('x')]" stands for; None for anything
    read at deployment."""
    if isinstance(v, str) and v.startswith("[parameters('"):
        return params.get(v[len("[parameters('"):-len("')]")])
    if isinstance(v, str) and v.startswith("[") and not v.startswith("[["):
        return None
    return v


ID = re.compile(r"^\[(resourceId|subscriptionResourceId)\((.*)\)\]$")
LIT = re.compile(r"'((?:[^']|'')*)'")


def arm_ref(expr):
    """What a dependsOn names: ("deployment", name) or (type, names)."""
    args = [a.replace("''", "'") for a in LIT.findall(ID.match(expr).group(2))]
    i = next(k for k, a in enumerate(args) if "/" in a)
    if args[i] == T_DEPLOYMENT:
        return ("deployment", args[i + 1])
    return (args[i].lower(), tuple(args[i + 1:]))


def arm_scope(res, home):
    """A nested deployment's target: ("rg", sub, rg) or ("sub", sub)."""
    sub = res.get("subscriptionId", home[0])
    if "resourceGroup" not in res and ("subscriptionId" in res or not home[1]):
        return ("sub", sub.lower())
    return ("rg", sub.lower(), res.get("resourceGroup", home[1]).lower())


def arm(path):
    out = facts()
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    files = doc["metadata"].get("stages") or [os.path.basename(path)]
    for stage, name in enumerate(files):
        with open(os.path.join(os.path.dirname(path), name), encoding="utf-8") as f:
            d = json.load(f)
        to = d["metadata"].get("deployTo", {})
        home = (to.get("subscriptionId", ""), to.get("resourceGroup", ""))
        params = {k: p.get("defaultValue") for k, p in d.get("parameters", {}).items()}
        for r in d["resources"]:
            deps = sorted(arm_ref(x) for x in r.get("dependsOn", []))
            if r["type"] == T_DEPLOYMENT:
                out["deployments"][(stage, r["name"])] = (arm_scope(r, home), deps)
            elif any(x[0] == "deployment" for x in deps):
                names = tuple(r["name"].split("/"))
                out["main_waits"][(stage, r["type"].lower(), names)] = \
                    [x for x in deps if x[0] == "deployment"]
        arm_template(d, params, out)
    return out


def arm_tag(v):
    """A tag's value as written: ARM escapes a leading [ as [[ and writes
    an empty value as an expression (the test toolkit rejects "")."""
    if v == "[string('')]":
        return ""
    return v[1:] if v.startswith("[[") else v


def arm_template(doc, params, out):
    for r in doc["resources"]:
        t, p = r["type"], r.get("properties", {})
        if "tags" in r:
            out["tags"][(t, r["name"])] = {k: arm_tag(v) for k, v in r["tags"].items()}
        if t == T_VNET:
            out["vnets"][r["name"]] = (
                arm_value(r["location"], params),
                sorted(p["addressSpace"]["addressPrefixes"]),
                get(p, "dhcpOptions", "dnsServers") or [],
                [(s["name"], subnet_prefixes(s["properties"]),
                  last_name(s["properties"]["routeTable"]["id"])
                  if "routeTable" in s["properties"] else None)
                 for s in p.get("subnets", [])])
        elif t == T_PEERING:
            vnet, name = r["name"].split("/")
            out["peerings"][(vnet, name)] = (
                tuple(p[f] for f in FLAGS), last_name(p["remoteVirtualNetwork"]["id"]))
        elif t == T_RT:
            out["route_tables"][r["name"]] = (arm_value(r["location"], params), routes(p),
                                              bool(p.get("disableBgpRoutePropagation")))
        elif t == T_SUBNET:
            # "[union(parameters('live'), createObject('routeTable',
            # createObject('id', resourceId(..., 'TABLE'))))]"
            vnet, name = r["name"].split("/")
            out["subnet_writes"][(vnet, name)] = last_name(p[:-len("))))]")] + ")]")
        elif t == T_GW:
            out["gateways"][r["name"]] = (
                p["gatewayType"], p["sku"]["name"], p.get("vpnGatewayGeneration"),
                p.get("activeActive"), get(p, "bgpSettings", "asn"),
                sorted(last_name(c["properties"]["publicIPAddress"]["id"])
                       for c in p["ipConfigurations"]))
        elif t == T_PIP:
            out["public_ips"][r["name"]] = (r["sku"]["name"], r.get("zones"))
        elif t == T_GROUP:
            out["resource_groups"][r["name"]] = arm_value(r["location"], params)
        elif t == "Microsoft.Resources/deployments":
            inner = {k: arm_value(a["value"], params)
                     for k, a in p.get("parameters", {}).items()}
            arm_template(p["template"], inner, out)



# ---------------------------------------------------------------- Bicep

def bicep_files(path):
    """Each stage's main file and the modules it deploys: [(stage, decls)]."""
    with open(path, encoding="utf-8") as fh:
        first = bs.parse(fh.read())
    stages = next((d.value for d in first if d.kind == "metadata" and
                   d.symbol == "peercStages"), [os.path.basename(path)])
    out = []
    for stage, name in enumerate(stages):
        files = [os.path.join(os.path.dirname(path), name)]
        for f in files:
            with open(f, encoding="utf-8") as fh:
                decls = bs.parse(fh.read())
            out.append((stage, f == files[0], decls))
            files.extend(os.path.join(os.path.dirname(path), d.type)
                         for d in decls if d.kind == "module")
    return out


def bicep_scope(call):
    args = [a.lower() for a in call.args]
    return ("sub", args[0]) if call.name == "subscription" else ("rg",) + tuple(args)


def bicep_structure(stage, decls, out):
    """A main file's modules and its resources that wait for them."""
    syms = {d.symbol: d for d in decls if d.kind in ("resource", "module")}

    def ident(sym):
        d = syms[sym]
        if d.kind == "module":
            return ("deployment", d.value.get("name"))
        names = (d.value.get("name"),)
        parent = d.value.get("parent")
        if isinstance(parent, bs.Ref):
            names = (syms[parent.parts[0]].value.get("name"),) + names
        return (d.type.split("@")[0].lower(), names)

    for d in decls:
        if d.kind not in ("resource", "module") or d.existing:
            continue
        deps = sorted(ident(r.parts[0]) for r in (d.value.get("dependsOn") or []))
        if d.kind == "module":
            out["deployments"][(stage, d.value.get("name"))] = \
                (bicep_scope(d.value.get("scope")), deps)
        elif any(x[0] == "deployment" for x in deps):
            out["main_waits"][(stage,) + ident(d.symbol)] = \
                [x for x in deps if x[0] == "deployment"]


def bicep(path):
    out = facts()
    decls = []
    for stage, main, ds in bicep_files(path):
        decls.extend(ds)
        if main:
            bicep_structure(stage, ds, out)
    names = {d.symbol: d.value.get("name") for d in decls if d.kind == "resource"}

    def sym_name(ref):
        return names[ref.parts[0]] if isinstance(ref, bs.Ref) else None

    def literal(v):
        return v if isinstance(v, str) else None

    for d in decls:
        if d.kind != "resource" or d.existing:
            continue
        t, v = d.type.split("@")[0], d.value
        p = v.get("properties")
        if v.get("tags") is not None:
            out["tags"][(t, v.get("name"))] = {k: tv for k, _, tv, _ in v.get("tags").items}
        if t == T_VNET:
            out["vnets"][v.get("name")] = (
                literal(v.get("location")),
                sorted(get(p, "addressSpace", "addressPrefixes")),
                get(p, "dhcpOptions", "dnsServers") or [],
                [(s.get("name"), subnet_prefixes(get(s, "properties")),
                  sym_name(get(s, "properties", "routeTable", "id")))
                 for s in (p.get("subnets") or [])])
        elif t == T_PEERING:
            out["peerings"][(sym_name(v.get("parent")), v.get("name"))] = (
                tuple(p.get(f) for f in FLAGS),
                sym_name(get(p, "remoteVirtualNetwork", "id")))
        elif t == T_RT:
            out["route_tables"][v.get("name")] = (literal(v.get("location")), routes(p),
                                                  bool(p.get("disableBgpRoutePropagation")))
        elif t == T_SUBNET:
            merged = p.args[1] if isinstance(p, bs.Call) and len(p.args) == 2 else None
            out["subnet_writes"][(sym_name(v.get("parent")), v.get("name"))] = \
                sym_name(get(merged, "routeTable", "id"))
        elif t == T_GW:
            out["gateways"][v.get("name")] = (
                p.get("gatewayType"), get(p, "sku", "name"), p.get("vpnGatewayGeneration"),
                p.get("activeActive"), get(p, "bgpSettings", "asn"),
                sorted(sym_name(get(c, "properties", "publicIPAddress", "id"))
                       for c in p.get("ipConfigurations")))
        elif t == T_PIP:
            out["public_ips"][v.get("name")] = (get(v, "sku", "name"), v.get("zones"))
        elif t == T_GROUP:
            out["resource_groups"][v.get("name")] = literal(v.get("location"))
    return out


def main(json_path, bicep_path):
    a, b = arm(json_path), bicep(bicep_path)
    bad = 0
    for what in a:
        if a[what] != b[what]:
            bad = 1
            print("%s: %s differ from %s:" % (json_path, what, os.path.basename(bicep_path)))
            for k in sorted(set(a[what]) | set(b[what]), key=str):
                if a[what].get(k) != b[what].get(k):
                    print("  %s\n    arm:   %s\n    bicep: %s"
                          % (k, a[what].get(k), b[what].get(k)))
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
