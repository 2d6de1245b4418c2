#!/usr/bin/env python3
"""The checker must catch what it claims to: each mutation of a clean
output (given as MAIN.bicep, with modules beside it) must draw a problem
that names the rule. Usage: selftest.py DIR-WITH-A-CLEAN-OUTPUT MAIN.bicep"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (what, old text, new text, expected in the problems); old must occur
# (an empty old appends new).
MUTATIONS = [
    ("read-only property", "  properties: {\n    allowVirtualNetworkAccess",
     "  properties: {\n    provisioningState: 'Succeeded'\n    allowVirtualNetworkAccess",
     "read-only"),
    ("unknown property", "    allowForwardedTraffic:", "    allowForwardTraffic:",
     "unknown property"),
    ("wrong kind", "allowGatewayTransit: true", "allowGatewayTransit: 'true'",
     "is not bool"),
    ("quoted key", "    allowForwardedTraffic:", "    'allowForwardedTraffic':",
     "prefer-unquoted-property-names"),
    ("a/b name", "name: 'hub-to-spoke1'", "name: 'hub/hub-to-spoke1'",
     "use-parent-property"),
    ("interpolation", "name: 'hub-to-spoke1'", "name: 'hub-${1}'",
     "interpolation"),
    ("bad escape", "name: 'hub-to-spoke1'", "name: 'hub\\x'", "unknown escape"),
    ("indentation", "\n    allowGatewayTransit", "\n     allowGatewayTransit",
     "layout: indented 5"),
    ("trailing blank", "", "\n", "exactly one newline"),
    ("two properties on a line", "allowGatewayTransit: true\n",
     "allowGatewayTransit: true, useRemoteGateways: false\n", "parse"),
    ("needless dependsOn", "  dependsOn: [\n    hubGateway\n    hubToSpoke1\n  ]",
     "  dependsOn: [\n    hubGateway\n    hubToSpoke1\n    hub\n  ]",
     "no-unnecessary-dependson"),
    ("peerings of one VNet at once", "  dependsOn: [\n    hubGateway\n    hubToSpoke1\n  ]",
     "  dependsOn: [\n    hubGateway\n  ]", "may be written at once"),
    ("hand-built ID", "id: spoke1.id",
     "id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/"
     "virtualNetworks/spoke1'", "hand-built"),
    ("resourceId()", "id: spoke1.id",
     "id: resourceId('Microsoft.Network/virtualNetworks', 'spoke1')",
     "use-resource-symbol-reference"),
    ("unknown symbol", "parent: hub\n", "parent: hubb\n", "parent"),
    ("API version", "virtualNetworkPeerings@2025-07-01' = {\n  parent: hub\n",
     "virtualNetworkPeerings@2024-05-01' = {\n  parent: hub\n", "API version"),
    ("unused existing", "\nresource spoke1ViaHub",
     "\nresource unused 'Microsoft.Network/virtualNetworks@2025-07-01' existing = {\n"
     "  name: 'x'\n}\n\nresource spoke1ViaHub", "no-unused-existing-resources"),
    ("scope on a deployed resource", "  name: 'hub'\n  location",
     "  name: 'hub'\n  scope: resourceGroup('s', 'g')\n  location", "BCP139"),
    ("duplicate symbol", "resource spoke2 '", "resource spoke1 '", "declared twice"),
    ("no blank line between", "}\n\nresource spoke2 '", "}\nresource spoke2 '",
     "no blank line"),
    ("module target", "name: 'peerc-rg-app3-network'\n  scope: resourceGroup("
     "'11111111-1111-1111-1111-111111111111', 'rg-app3')",
     "name: 'peerc-rg-app3-network'\n  scope: resourceGroup("
     "'11111111-1111-1111-1111-111111111111', 'rg-app4')", "peercTarget"),
    ("unused parameter", "\nresource spoke1ViaHub",
     "\nparam unused string\n\nresource spoke1ViaHub", "no-unused-params"),
    ("module parameters", "name: 'peerc-rg-app3-network'\n",
     "name: 'peerc-rg-app3-network'\n  params: {\n    x: 'y'\n  }\n",
     "main passes ['x']"),
    ("route table property", "nextHopType: 'VirtualAppliance'",
     "nextHopType: 'Sideways'", "is not union"),
]


def main(src_dir, main_name):
    failed = 0
    for what, old, new, expect in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "o")
            shutil.copytree(src_dir, out)
            path = os.path.join(out, main_name)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if old not in text:
                print(f"FAIL: {what}: the clean output has no {old!r}")
                failed += 1
                continue
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text.replace(old, new, 1) if old else text + new)
            r = subprocess.run([sys.executable, os.path.join(HERE, "check-bicep.py"),
                                path], capture_output=True, text=True)
            if r.returncode != 1 or expect not in r.stdout:
                print(f"FAIL: {what}: expected a problem with {expect!r}, got "
                      f"status {r.returncode}:\n{r.stdout}{r.stderr}")
                failed += 1
    # A module that main does not deploy, and one whose target differs.
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o")
        shutil.copytree(src_dir, out)
        mods = os.path.join(out, "modules")
        os.makedirs(mods, exist_ok=True)
        with open(os.path.join(mods, "stray.bicep"), "w") as fh:
            fh.write("metadata x = 1\n")
        r = subprocess.run([sys.executable, os.path.join(HERE, "check-bicep.py"),
                            os.path.join(out, main_name)], capture_output=True, text=True)
        if "not deployed" not in r.stdout:
            print(f"FAIL: stray module not reported:\n{r.stdout}")
            failed += 1
    print(f"selftest: {len(MUTATIONS) + 1 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
