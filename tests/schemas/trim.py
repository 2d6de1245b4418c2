#!/usr/bin/env python3
"""Trim Microsoft's Microsoft.Network.NRP.json to what peerc writes.

Usage: trim.py FULL.json >Microsoft.Network.NRP.json

Keeps id, title, description and $schema, the resourceDefinitions below and
every entry of definitions reachable from them through #/definitions/ refs.
Values are never edited; keys keep their order. Run once by hand (the
schema is not fetched at build time); see README.md."""
import json
import sys

KEEP = ["virtualNetworks", "virtualNetworks_subnets",
        "virtualNetworks_virtualNetworkPeerings", "routeTables",
        "routeTables_routes", "virtualNetworkGateways", "publicIPAddresses"]


def refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            out.append(r[len("#/definitions/"):])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def main():
    full = json.load(open(sys.argv[1], encoding="utf-8"))
    rd = {k: full["resourceDefinitions"][k] for k in KEEP}
    todo, seen = [], set()
    refs(rd, todo)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        refs(full["definitions"][name], todo)
    out = {k: full[k] for k in ("id", "title", "description", "$schema")}
    out["resourceDefinitions"] = rd
    out["definitions"] = {k: v for k, v in full["definitions"].items() if k in seen}
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


main()
