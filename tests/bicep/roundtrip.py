#!/usr/bin/env python3
"""Hostile strings round-trip: the tags of tests/golden/bicep/hostile.peer,
as read back from peerc's Bicep output by the parser, are the strings the
.peer file means (written out here by hand, not taken from peerc). So are
the non-ASCII resource group in the module scopes and targets.
Usage: roundtrip.py hostile.bicep"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bicepsubset as bs  # noqa: E402

TAGS = {
    "a${b}": "${x} and $${y} and \\${z}",
    "quote": 'it\'s "quoted"',
    "backslash": "C:\\path\\",
    "newline": "line 1\nline 2\tend\r",
    "unicode": "Zürich – 東京 😀",
    "control": "bell\x07 del\x7f",
    "cost center": "42",
}
GROUP = "rg-Zürich(1)"


def tags(obj):
    t = obj.get("tags")
    return {k: v for k, _, v, _ in t.items} if t is not None else None


def main(path):
    problems = []
    outdir = os.path.dirname(path)
    files = [path]
    with open(path, encoding="utf-8") as fh:
        decls = bs.parse(fh.read())
    for d in decls:
        if d.kind == "module":
            files.append(os.path.join(outdir, d.type))
            scope = d.value.get("scope")
            if scope.args[1] != GROUP:
                problems.append(f"{d.symbol}: scope group {scope.args[1]!r}")
    tagged = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for d in bs.parse(fh.read()):
                if d.kind == "resource" and not d.existing and \
                        d.type.split("@")[0] in ("Microsoft.Network/virtualNetworks",
                                                 "Microsoft.Network/routeTables"):
                    tagged += 1
                    if tags(d.value) != TAGS:
                        problems.append(f"{f}: {d.symbol}: tags {tags(d.value)!r}")
                if d.kind == "metadata" and f != path and \
                        d.value.get("resourceGroup") != GROUP:
                    problems.append(f"{f}: target {d.value.get('resourceGroup')!r}")
    if len(files) < 2 or tagged < 5:
        problems.append(f"expected modules and 5 tagged resources, got "
                        f"{len(files) - 1} and {tagged}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1]))
    except bs.BicepError as e:
        print(f"parse: {e}")
        sys.exit(1)
