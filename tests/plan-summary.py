#!/usr/bin/env python3
"""The deployment plan of an ARM output (compiler/plan.h), as peerc wrote
it: each stage's file, and each nested deployment with its scope, how many
resources it holds and what it waits for. tests/split.sh compares it with
a golden; with --sizes, bytes are added, for the record (make bench).

Usage: plan-summary.py [--sizes] MAIN.json"""
import json
import os
import re
import sys

LIT = re.compile(r"'((?:[^']|'')*)'")


def waits(res):
    """What a nested deployment's dependsOn names, shortly: another
    deployment by name, a main template's resource by type and name."""
    out = []
    for d in res.get("dependsOn", []):
        args = [a.replace("''", "'") for a in LIT.findall(d)]
        i = next(k for k, a in enumerate(args) if "/" in a)
        t = args[i].rsplit("/", 1)[-1]
        out.append(args[i + 1] if t == "deployments" else
                   "%s %s" % (t, "/".join(args[i + 1:])))
    return out


def scope(res, home):
    sub = res.get("subscriptionId", home[0])
    if "resourceGroup" not in res and ("subscriptionId" in res or not home[1]):
        return "subscription %s" % sub
    return "%s/%s" % (sub, res.get("resourceGroup", home[1]))


def main(argv):
    sizes = argv[1:2] == ["--sizes"]
    path = argv[-1]
    with open(path, encoding="utf-8") as f:
        first = json.load(f)
    files = first["metadata"].get("stages") or [os.path.basename(path)]
    total_res = total_dep = total_bytes = 0
    for k, name in enumerate(files):
        full = os.path.join(os.path.dirname(path), name)
        with open(full, encoding="utf-8") as f:
            doc = json.load(f)
        to = doc["metadata"].get("deployTo", {})
        home = (to.get("subscriptionId", ""), to.get("resourceGroup", ""))
        nested = [r for r in doc["resources"] if r["type"] == "Microsoft.Resources/deployments"]
        own = len(doc["resources"]) - len(nested)
        size = os.path.getsize(full)
        total_bytes += size
        total_dep += len(nested)
        total_res += own
        print("stage %d: %s, %d deployments, %d resources of its own%s"
              % (k + 1, name, len(nested), own, ", %d bytes" % size if sizes else ""))
        for r in nested:
            inner = r["properties"]["template"]["resources"]
            total_res += len(inner)
            line = "  %s: %s, %d resources" % (r["name"], scope(r, home), len(inner))
            if sizes:
                line += ", %d bytes" % len(json.dumps(r, separators=(",", ":")).encode())
            print(line)
            for w in waits(r):
                print("    after %s" % w)
    if sizes:
        print("total: %d stages, %d deployments, %d resources, %d bytes"
              % (len(files), total_dep, total_res, total_bytes))


if __name__ == "__main__":
    main(sys.argv)
