#!/usr/bin/env python3
"""The ARM tests that are not goldens; see tests/arm.sh.

Usage: arm-tests.py TOP_SRCDIR PEERC WORKDIR"""
import copy
import json
import os
import subprocess
import sys

top, peerc, work = sys.argv[1:4]
failures = []


def fail(text):
    failures.append(text)
    print("FAIL: " + text)


def load(rel):
    with open(os.path.join(top, rel), encoding="utf-8") as f:
        return json.load(f)


def arm_check(doc, name):
    path = os.path.join(work, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
    p = subprocess.run([sys.executable, os.path.join(top, "tests/arm-check.py"),
                        os.path.join(top, "tests/schemas"), path],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def find(resources, name):
    return next(r for r in resources if r["name"] == name)


def inner(doc, deployment):
    return find(doc["resources"], deployment)["properties"]["template"]["resources"]


# ------------------------------------------------------------ mutations
# Each breaks the gateway golden in one way arm-check.py must notice.

def misspelt(d):
    p = find(d["resources"], "hub-a/hub-a-to-hub-b")["properties"]
    p["allowForwardedTrafic"] = p.pop("allowForwardedTraffic")


def scope_case(d):
    find(d["resources"], "peerc-rg-b-network")["properties"][
        "expressionEvaluationOptions"]["scope"] = "inner"


def inner_misspelt(d):
    inner(d, "peerc-rg-b-network")[1]["properties"]["dhcpOptions"]["dnsServer"] = ["10.0.0.1"]


def no_gateway_wait(d):
    find(d["resources"], "peerc-rg-b-remote-gateways")["dependsOn"] = []


def no_vnet_wait(d):
    find(d["resources"], "hub-a/hub-a-to-hub-b")["dependsOn"] = []


def no_chain(d):
    """hub-a's halves, one after the other in the clean output."""
    p = find(d["resources"], "hub-a/hub-a-to-hub-b")
    p["dependsOn"] = [x for x in p["dependsOn"] if "hub-a-to-spoke-of-a" not in x]


def no_created_gateway_wait(d):
    p = find(d["resources"], "hub-a/hub-a-to-spoke-of-a")
    p["dependsOn"] = [x for x in p["dependsOn"] if "vgw-hub-a" not in x]


def blank_tags(d):
    find(d["resources"], "hub-a")["tags"] = {}


def literal_id(d):
    find(d["resources"], "hub-a/hub-a-to-hub-b")["properties"]["remoteVirtualNetwork"]["id"] = (
        "/subscriptions/88888888-8888-8888-8888-888888888888/resourceGroups/rg-b"
        "/providers/Microsoft.Network/virtualNetworks/hub-b")


def preview_api(d):
    find(d["resources"], "hub-a")["apiVersion"] = "2025-07-01-preview"


def unused_parameter(d):
    d["parameters"]["unused"] = {"type": "string", "defaultValue": "x"}


def unknown_dependency(d):
    find(d["resources"], "hub-a")["dependsOn"] = [
        "[resourceId('Microsoft.Network/virtualNetworks', 'nowhere')]"]


def cycle(d):
    find(d["resources"], "peerc-rg-b-network")["dependsOn"] = [
        "[resourceId('88888888-8888-8888-8888-888888888888', 'rg-b', "
        "'Microsoft.Resources/deployments', 'peerc-rg-b-peerings')]"]


def transit_off(d):
    find(d["resources"], "hub-a/hub-a-to-spoke-of-a")["properties"]["allowGatewayTransit"] = False


def parameter_not_passed(d):
    del find(d["resources"], "peerc-rg-b-network")["properties"]["parameters"]


MUTATIONS = [
    (misspelt, "Additional properties are not allowed ('allowForwardedTrafic'"),
    (scope_case, "'inner' is not one of ['NotSpecified', 'Outer', 'Inner']"),
    (inner_misspelt, "'dnsServer' was unexpected"),
    (no_gateway_wait, "spoke-of-a/spoke-of-a-to-hub-a may be created before "
                      "hub-a/hub-a-to-spoke-of-a"),
    (no_vnet_wait, "hub-a/hub-a-to-hub-b may be created before VNet hub-b"),
    (no_chain, "peerings hub-a/hub-a-to-hub-b and hub-a/hub-a-to-spoke-of-a of VNet "
               "hub-a may be written at once"),
    (no_created_gateway_wait, "hub-a/hub-a-to-spoke-of-a may be created while the "
                              "gateway of hub-a is being created"),
    (blank_tags, "blank value {}"),
    (literal_id, "is not built with resourceId()"),
    (preview_api, "not a literal stable version"),
    (unused_parameter, "parameter unused is never used"),
    (unknown_dependency, "is not in this template"),
    (cycle, "dependency cycle"),
    (transit_off, "uses a remote gateway the other half does not offer"),
    (parameter_not_passed, "passes [], the template declares ['location_swedencentral']"),
]

# And the existing-spokes golden, for subnet writes.

def subnets_at_once(d):
    for r in inner(d, "peerc-rg-net-existing-route-tables"):
        if r["name"] == "old-here/db":
            r["dependsOn"] = [x for x in r["dependsOn"] if "'app'" not in x]


def peering_during_subnet_write(d):
    p = find(d["resources"], "hub/hub-to-old-here")
    p["dependsOn"] = [x for x in p["dependsOn"] if "existing-route-tables" not in x]


def partial_subnet_put(d):
    """What peerc wrote before: addressPrefix and routeTable alone."""
    for r in inner(d, "peerc-rg-net-existing-route-tables"):
        if r["name"] == "old-here/app":
            r["properties"] = {"addressPrefix": "10.2.0.0/24", "routeTable": {
                "id": "[resourceId('Microsoft.Network/routeTables', 'rt-old-here-via-hub')]"}}


def merged_with_another_subnet(d):
    dep = find(d["resources"], "peerc-rg-net-existing-route-tables")
    params = dep["properties"]["parameters"]
    app = next(k for k in params if k.endswith("_app") and "old_here" in k)
    db = next(k for k in params if k.endswith("_db") and "old_here" in k)
    params[app] = params[db]


EXISTING_MUTATIONS = [
    (partial_subnet_put, "writes subnet old-here/app without its live properties"),
    (merged_with_another_subnet, "is merged with"),
    (subnets_at_once, "subnets old-here/app and old-here/db may be written at once"),
    (peering_during_subnet_write, "hub/hub-to-old-here may be created while subnet "
                                  "old-here/app is written"),
]


def mutations(rel, table):
    golden = load(rel)
    code, out = arm_check(golden, "unchanged")
    if code != 0:
        fail("%s does not pass arm-check.py:\n%s" % (rel, out))
    for mutate, expect in table:
        doc = copy.deepcopy(golden)
        mutate(doc)
        code, out = arm_check(doc, mutate.__name__)
        if code == 0 or expect not in out:
            fail("%s: arm-check.py exited %d, wanted 1 and %r in:\n%s"
                 % (mutate.__name__, code, expect, out))


mutations("tests/golden/arm/gateways-both-ways.json", MUTATIONS)
mutations("tests/golden/arm/existing-transit.json", EXISTING_MUTATIONS)


# arm-same-as-bicep.py notices an ARM output that differs from the Bicep one.
def same_as_bicep(doc, name):
    path = os.path.join(work, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    p = subprocess.run([sys.executable, os.path.join(top, "tests/arm-same-as-bicep.py"),
                        path, os.path.join(top, "examples/hub-spoke.bicep")],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


hub_spoke = load("examples/hub-spoke.json")
if same_as_bicep(hub_spoke, "same")[0] != 0:
    fail("examples/hub-spoke.json differs from examples/hub-spoke.bicep")
doc = copy.deepcopy(hub_spoke)
find(doc["resources"], "spoke1/spoke1-to-hub")["properties"]["allowForwardedTraffic"] = False
code, out = same_as_bicep(doc, "flag")
if code == 0 or "spoke1-to-hub" not in out:
    fail("arm-same-as-bicep.py missed a changed setting: %d\n%s" % (code, out))
doc = copy.deepcopy(hub_spoke)
find(doc["resources"], "rt-spoke1-via-hub")["properties"]["routes"].pop()
code, out = same_as_bicep(doc, "route")
if code == 0 or "rt-spoke1-via-hub" not in out:
    fail("arm-same-as-bicep.py missed a missing route: %d\n%s" % (code, out))


# ------------------------------------------------------ hostile strings

def arm_literal(s):
    """What ARM reads in a JSON string: "[x]" is an expression, "[[x]" the
    literal "[x]"; the only expression peerc writes in tags is string('')."""
    if len(s) >= 2 and s[0] == "[" and s[-1] == "]":
        if s[1] == "[":
            return s[1:]
        if s == "[string('')]":
            return ""
        raise ValueError("unexpected expression %r" % s)
    return s


WANT_TAGS = {
    "expression": "[concat('a', 'b')]",
    "bracket": "[not closed",
    "brackets": "[[already doubled]",
    "control": "tab\there\nnewline\u0001\u001f",
    "unicode": "Zürich – 東京 🚀",
    "empty": "",
    "[key]": "value",
    "quote\"and\\backslash": "say \"hi\" C:\\temp\\",
}
hostile = load("tests/golden/arm/hostile-strings.json")
tags = find(hostile["resources"], "vnet-a")["tags"]
got = {k: arm_literal(v) for k, v in tags.items()}
if got != WANT_TAGS:
    fail("hostile tags do not round-trip:\n  got  %r\n  want %r" % (got, WANT_TAGS))
if list(tags) != list(WANT_TAGS):
    fail("hostile tags are out of order: %r" % list(tags))


# ----------------------------------------------------------- API version

def api_versions(doc, out):
    for r in doc["resources"]:
        out.append((r["type"], r["apiVersion"]))
        if r["type"] == "Microsoft.Resources/deployments":
            api_versions(r["properties"]["template"], out)
    return out


def compile_stdin(args, text):
    p = subprocess.run([peerc, "-t", "arm", "-o", "-"] + args + ["-"],
                       input=text.encode(), capture_output=True)
    if p.returncode != 0:
        fail("peerc %s exited %d: %s" % (args, p.returncode, p.stderr.decode()))
        return None
    return json.loads(p.stdout)


with open(os.path.join(top, "examples/multi-subscription.peer"), encoding="utf-8") as f:
    multi = f.read()
for args, text, want in [
        (["--api-version", "2024-05-01"], multi, "2024-05-01"),
        ([], multi.replace("defaults {", 'defaults {\n  api_version = "2024-07-01"'),
         "2024-07-01"),
        ([], multi, "2025-07-01")]:
    doc = compile_stdin(args, text)
    if doc is None:
        continue
    seen = api_versions(doc, [])
    bad = [(t, v) for t, v in seen
           if v != ("2025-04-01" if t == "Microsoft.Resources/deployments" else want)]
    if bad or len({t for t, _ in seen}) != 5:
        fail("%s: API versions %r" % (args or "api_version", sorted(set(seen))))

sys.exit(1 if failures else 0)
