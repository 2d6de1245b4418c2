#!/usr/bin/env python3
"""The ARM output deploys what the Bicep output does. For NAME.json and
NAME.bicep (with its modules), goldens of one fixture, compares:
  created VNets: name, location, address space, DNS servers, subnets with
    their prefixes and route tables;
  peering halves: VNet and name, the four settings, the remote VNet;
  route tables: name, location, routes (name, prefix, next hop);
  subnet writes of existing VNets: VNet, subnet, prefix, route table.
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


def facts():
    return {"vnets": {}, "peerings": {}, "route_tables": {}, "subnet_writes": {},
            "gateways": {}, "public_ips": {}}


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


def arm(path):
    out = facts()
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    params = {k: p.get("defaultValue") for k, p in doc.get("parameters", {}).items()}
    arm_template(doc, params, out)
    return out


def arm_template(doc, params, out):
    for r in doc["resources"]:
        t, p = r["type"], r.get("properties", {})
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
        elif t == "Microsoft.Resources/deployments":
            inner = {k: arm_value(a["value"], params)
                     for k, a in p.get("parameters", {}).items()}
            arm_template(p["template"], inner, out)


# ---------------------------------------------------------------- Bicep

def bicep(path):
    out = facts()
    decls, files = [], [path]
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for d in bs.parse(fh.read()):
                decls.append(d)
                if d.kind == "module":
                    files.append(os.path.join(os.path.dirname(path), d.type))
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
