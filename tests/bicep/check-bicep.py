#!/usr/bin/env python3
"""Checks one Bicep output of peerc (MAIN.bicep and the modules it deploys)
the way Bicep would, as far as the data beside this script allows:

- every file parses (bicepsubset.py) and is laid out as Bicep's formatter
  writes it, one blank line between declarations;
- resource bodies against the Bicep type data (bicep-types-peering.json,
  VNets and peerings) and, for the types it lacks (route tables, subnets),
  against types taken from the ARM schema (arm-types.json): known
  properties only, no read-only one, values of the right kind;
- the Bicep linter's default rules that can apply to what peerc writes:
  no unused `existing`, no needless `dependsOn`, `parent:` rather than
  `a/b` names, symbolic references rather than resourceId() or hand-built
  IDs, unquoted property names, valid and unique symbols;
- modules: each file of the output is deployed exactly once by MAIN, with
  scope: resourceGroup('SUB', 'GROUP') matching the module's peercTarget.

Usage: check-bicep.py [--api-version V] MAIN.bicep
Prints one line per problem and exits 1 if there is any."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bicepsubset as bs  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
META_KEYS = {"name", "parent", "scope", "dependsOn"}
VNET = "Microsoft.Network/virtualNetworks"


def load_types():
    types = {}
    for f in ("bicep-types-peering.json", "arm-types.json"):
        with open(os.path.join(HERE, f), encoding="utf-8") as fh:
            types.update(json.load(fh)["resources"])
    return types


class Checker:
    def __init__(self, api_version):
        self.types = load_types()
        self.api = api_version
        self.problems = []

    def err(self, where, line, msg):
        self.problems.append(f"{where}:{line}: {msg}")

    # ------------------------------------------------------------ values

    def find_type(self, res, name):
        """An object type by name: the resource's own, else any resource's
        that expands it (the ARM-derived data expands RouteTable, which the
        Bicep data of virtualNetworks does not)."""
        own = res.get("types", {})
        if name in own:
            return own[name]
        for other in self.types.values():
            if name in other.get("types", {}):
                return other["types"][name]
        return None

    def value_ok(self, res, spec, v):
        """Whether v may be of kind spec; None when it can't be told."""
        k = spec["kind"]
        if isinstance(v, bs.Call) and v.name == "union" and k == "object":
            return True  # union(live subnet, { routeTable }): an object
        if isinstance(v, (bs.Ref, bs.Call)):
            return k in ("string", "any", "union", "literal") or None
        if k == "any":
            return True
        if k == "string":
            return isinstance(v, str)
        if k == "bool":
            return isinstance(v, bool)
        if k == "int":
            return isinstance(v, int) and not isinstance(v, bool)
        if k == "literal":
            return v == spec["value"]
        if k == "union":
            return any(self.value_ok(res, s, v) for s in spec["of"])
        if k == "array":
            return isinstance(v, list)
        if k == "object":
            return isinstance(v, bs.Obj)
        raise ValueError(f"unknown kind {k}")

    def check_value(self, where, res, spec, v, path, line):
        if not self.value_ok(res, spec, v):
            self.err(where, line, f"{path}: {v!r} is not {spec['kind']}")
            return
        if spec["kind"] == "array":
            for i, item in enumerate(v):
                self.check_value(where, res, spec["items"], item,
                                 f"{path}[{i}]", line)
        elif spec["kind"] == "object" and isinstance(v, bs.Obj):
            props = self.find_type(res, spec["name"])
            if props is None and spec["name"] in res.get("types_not_expanded", []):
                return  # the data does not describe it: not checked
            if props is None:
                self.err(where, line, f"{path}: no type data for {spec['name']}")
                return
            self.check_props(where, res, props, v, path)

    def check_props(self, where, res, props, obj, path):
        for key, quoted, v, line in obj.items:
            p = props.get(key, props.get("*"))
            if p is None:
                self.err(where, line, f"{path}.{key}: unknown property")
                continue
            if p.get("readOnly"):
                self.err(where, line, f"{path}.{key}: read-only, must not be set")
            self.check_value(where, res, p["typeSpec"], v, f"{path}.{key}", line)

    # ------------------------------------------------------- declarations

    def check_resource(self, where, d, decls):
        typ, _, version = d.type.partition("@")
        res = self.types.get(d.type)
        if typ.startswith("Microsoft.Network/") and version != self.api:
            self.err(where, d.line, f"{d.type}: API version is not {self.api}")
        if res is None:
            self.err(where, d.line, f"{d.type}: no type data")
            return
        body = d.value
        name = body.get("name")
        if not isinstance(name, str) or not name:
            self.err(where, d.line, "name: missing or not a literal string")
        parent_type = typ.rsplit("/", 1)[0]
        child = typ.count("/") > 1
        if child:
            if isinstance(name, str) and "/" in name:
                self.err(where, d.line, "use-parent-property: '/' in a name")
            parent = body.get("parent")
            target = decls.get(parent.parts[0]) if isinstance(parent, bs.Ref) else None
            if (target is None or len(parent.parts) != 1 or
                    target.kind != "resource" or
                    target.type.partition("@")[0] != parent_type):
                self.err(where, d.line, f"parent: not a {parent_type} symbol")
        elif "parent" in body.keys():
            self.err(where, d.line, "parent: on a top-level type")
        if "scope" in body.keys() and not d.existing:
            self.err(where, d.line, "scope: on a resource this file deploys "
                     "(BCP139: use a module)")
        if d.existing:
            extra = set(body.keys()) - {"name", "scope", "parent"}
            if extra:
                self.err(where, d.line, f"existing: sets {sorted(extra)}")
            return
        props = {k: v for k, v in res["properties"].items()}
        rest = bs.Obj(body.line)
        rest.items = [it for it in body.items if it[0] not in META_KEYS]
        self.check_props(where, res, props, rest, d.symbol)

    def check_module(self, where, d, modules_seen, outputs_dir):
        body = d.value
        path = os.path.normpath(os.path.join(outputs_dir, d.type))
        if not os.path.isfile(path):
            self.err(where, d.line, f"module {d.type}: no such file")
        if path in modules_seen:
            self.err(where, d.line, f"module {d.type}: deployed twice")
        modules_seen[path] = d
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 64:
            self.err(where, d.line, "module name: not a string of 1 to 64")
        scope = body.get("scope")
        if not (isinstance(scope, bs.Call) and scope.name == "resourceGroup" and
                len(scope.args) == 2 and all(isinstance(a, str) for a in scope.args)):
            self.err(where, d.line, "module scope: not resourceGroup('SUB', 'GROUP')")
        extra = set(body.keys()) - {"name", "scope", "dependsOn", "params"}
        if extra:
            self.err(where, d.line, f"module: sets {sorted(extra)}")

    # -------------------------------------------------------------- files

    def check_file(self, path, outputs_dir, modules_seen):
        where = os.path.relpath(path, outputs_dir)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for line, msg in bs.layout_errors(text):
            self.err(where, line, f"layout: {msg}")
        try:
            decls = bs.parse(text)
        except bs.BicepError as e:
            self.err(where, e.line, f"parse: {e.msg}")
            return None
        lines = text.split("\n")
        by_symbol = {}
        for i, d in enumerate(decls):
            if i > 0 and lines[d.line - 2] != "":
                self.err(where, d.line, "no blank line before the declaration")
            if d.kind == "targetScope" and d.value == "resourceGroup":
                self.err(where, d.line, "targetScope = 'resourceGroup' is the default")
            if d.symbol and d.kind in ("resource", "module", "param"):
                if d.symbol in by_symbol:
                    self.err(where, d.line, f"symbol {d.symbol} declared twice")
                by_symbol[d.symbol] = d
        for d in decls:
            if d.kind == "resource":
                self.check_resource(where, d, by_symbol)
            elif d.kind == "module":
                self.check_module(where, d, modules_seen, outputs_dir)
        self.check_refs(where, decls, by_symbol)
        self.check_order(where, decls, by_symbol)
        return decls

    def check_order(self, where, decls, by_symbol):
        """Within one file: no two peering halves that touch one VNet (as
        parent or as remote) without a dependsOn path between them (Azure
        runs a VNet's operations one at a time: AnotherOperationInProgress;
        azurerm locks both VNets around a peering write); and a subnet
        written outside its VNet is the live subnet passed in by main.bicep
        (union(PARAM, { routeTable }) with PARAM an object), never a partial
        body that would drop its NSG, service endpoints and delegations."""
        deps = {}  # resources and modules (a path may go through a module)
        for d in decls:
            if d.kind not in ("resource", "module") or d.existing or \
                    not isinstance(d.value, bs.Obj):
                continue
            refs = []
            collect(d.value, refs)
            deps[d.symbol] = {r.parts[0] for r in refs if isinstance(r, bs.Ref)}
        def reaches(a, b, seen=None):
            seen = seen or set()
            if a == b:
                return True
            seen.add(a)
            return any(reaches(n, b, seen) for n in deps.get(a, ()) if n not in seen)
        touching = {}
        for d in decls:
            if d.kind != "resource" or d.existing:
                continue
            typ = d.type.partition("@")[0]
            if typ == VNET + "/virtualNetworkPeerings":
                ends = [d.value.get("parent")]
                rid = (d.value.get("properties") or bs.Obj(0)).get("remoteVirtualNetwork")
                ends.append(rid.get("id") if isinstance(rid, bs.Obj) else None)
                for e in ends:
                    if isinstance(e, bs.Ref):
                        touching.setdefault(e.parts[0], []).append(d.symbol)
            if typ == VNET + "/subnets":
                props = d.value.get("properties")
                first = props.args[0] if isinstance(props, bs.Call) and props.args else None
                if not (isinstance(props, bs.Call) and props.name == "union" and
                        isinstance(first, bs.Ref) and len(first.parts) == 1 and
                        first.parts[0] in by_symbol and
                        by_symbol[first.parts[0]].kind == "param" and
                        by_symbol[first.parts[0]].type == "object"):
                    self.err(where, d.line, f"{d.symbol}: a subnet written without "
                             "its live properties (a partial PUT)")
        for vnet, halves in touching.items():
            for i, a in enumerate(halves):
                for b in halves[i + 1:]:
                    if not (reaches(a, b) or reaches(b, a)):
                        self.err(where, by_symbol[a].line, f"peerings {a} and {b} "
                                 f"of {vnet} may be written at once")

    def check_refs(self, where, decls, by_symbol):
        used = set()
        for d in decls:
            refs = []
            collect(d.value, refs, skip_key="dependsOn")
            for r in refs:
                if isinstance(r, bs.Call):
                    if r.name == "union":
                        for x in r.args:
                            collect(x, refs_in_call := [])
                            for y in refs_in_call:
                                if isinstance(y, bs.Ref):
                                    used.add(y.parts[0])
                        continue
                    if r.name != "resourceGroup":
                        self.err(where, r.line, f"{r.name}(): not expected "
                                 "(use-resource-symbol-reference)")
                    continue
                if r.parts[0] not in by_symbol:
                    self.err(where, r.line, f"{r}: unknown symbol")
                elif by_symbol[r.parts[0]].kind == "param" and len(r.parts) > 1:
                    self.err(where, r.line, f"{r}: a property of a parameter")
                elif len(r.parts) > 2 or (len(r.parts) == 2 and r.parts[1] not in
                                          ("id", "location", "name", "properties")):
                    self.err(where, r.line, f"{r}: unexpected property")
                used.add(r.parts[0])
            for s in strings(d.value):
                if "/subscriptions/" in s.lower():
                    self.err(where, d.line, "a hand-built resource ID")
            self.check_keys(where, d.value)
            deps = d.value.get("dependsOn") if isinstance(d.value, bs.Obj) else None
            if deps is None:
                continue
            if not deps:
                self.err(where, d.line, "dependsOn: empty")
            names = [x.parts[0] if isinstance(x, bs.Ref) else None for x in deps]
            for x, n in zip(deps, names):
                t = by_symbol.get(n)
                if t is None or len(x.parts) != 1:
                    self.err(where, d.line, f"dependsOn: {x!r} is not a symbol")
                elif t.kind == "param":
                    self.err(where, d.line, f"dependsOn: {n} is a parameter")
                elif t.existing:
                    self.err(where, d.line, f"dependsOn: {n} is existing")
                elif n in {r.parts[0] for r in refs if isinstance(r, bs.Ref)}:
                    self.err(where, d.line, f"no-unnecessary-dependson: {n} "
                             "is referenced already")
                used.add(n)
            if len(set(names)) != len(names):
                self.err(where, d.line, "dependsOn: an entry twice")
        for d in decls:
            if d.kind == "resource" and d.existing and d.symbol not in used:
                self.err(where, d.line, f"no-unused-existing-resources: {d.symbol}")
            if d.kind == "param" and d.symbol not in used:
                self.err(where, d.line, f"no-unused-params: {d.symbol}")
            if d.kind == "param" and d.type not in ("string", "object"):
                self.err(where, d.line, f"param {d.symbol}: type {d.type}")

    def check_keys(self, where, v):
        if isinstance(v, bs.Obj):
            for key, quoted, val, line in v.items:
                ident = bs.IDENT.fullmatch(key) is not None
                if quoted and ident:
                    self.err(where, line, f"prefer-unquoted-property-names: '{key}'")
                self.check_keys(where, val)
        elif isinstance(v, list):
            for x in v:
                self.check_keys(where, x)

    def check_output(self, main):
        outputs_dir = os.path.dirname(os.path.abspath(main))
        modules_seen = {}
        decls = self.check_file(main, outputs_dir, modules_seen)
        if decls is None:
            return
        by_main = {d.symbol: d for d in decls if d.symbol}
        for path, d in sorted(modules_seen.items()):
            if not os.path.isfile(path):
                continue
            mdecls = self.check_file(path, outputs_dir, {})
            if mdecls is None:
                continue
            target = [m.value for m in mdecls
                      if m.kind == "metadata" and m.symbol == "peercTarget"]
            scope = d.value.get("scope")
            if (not target or not isinstance(scope, bs.Call) or
                    [target[0].get("subscription"), target[0].get("resourceGroup")]
                    != scope.args):
                self.err(os.path.relpath(path, outputs_dir), 1,
                         "peercTarget does not match the module's scope in main")
            for m in mdecls:
                if m.kind != "param" or m.type != "object":
                    continue
                arg = d.value.get("params").get(m.symbol) \
                    if isinstance(d.value.get("params"), bs.Obj) else None
                live = by_main.get(arg.parts[0]) if isinstance(arg, bs.Ref) else None
                if not (live and live.existing and arg.parts[1:] == ["properties"] and
                        live.type.partition("@")[0] == VNET + "/subnets"):
                    self.err(os.path.relpath(path, outputs_dir), m.line,
                             f"{m.symbol}: main does not pass a live subnet's properties")
            declared = sorted(m.symbol for m in mdecls if m.kind == "param")
            args = d.value.get("params")
            passed = sorted(args.keys()) if isinstance(args, bs.Obj) else []
            if declared != passed:
                self.err(os.path.relpath(path, outputs_dir), 1,
                         f"parameters {declared}, main passes {passed}")
            if any(m.kind == "module" for m in mdecls):
                self.err(os.path.relpath(path, outputs_dir), 1, "a module in a module")
        moddir = os.path.join(outputs_dir, "modules")
        if os.path.isdir(moddir):
            for f in sorted(os.listdir(moddir)):
                p = os.path.normpath(os.path.join(moddir, f))
                if p not in modules_seen:
                    self.err(os.path.relpath(p, outputs_dir), 1,
                             "not deployed by the main file")


def collect(v, out, skip_key=None):
    """The references and calls in v (not under skip_key at this level)."""
    if isinstance(v, (bs.Ref, bs.Call)):
        out.append(v)
        if isinstance(v, bs.Call):
            for a in v.args:
                collect(a, [], None)
    elif isinstance(v, bs.Obj):
        for key, _, val, _ in v.items:
            if key != skip_key:
                collect(val, out)
    elif isinstance(v, list):
        for x in v:
            collect(x, out)


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, bs.Obj):
        for _, _, val, _ in v.items:
            yield from strings(val)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, bs.Call):
        for a in v.args:
            yield from strings(a)


def main(argv):
    api = "2025-07-01"
    if len(argv) > 2 and argv[1] == "--api-version":
        api = argv[2]
        argv = argv[2:]
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    c = Checker(api)
    c.check_output(argv[1])
    for p in c.problems:
        print(p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
