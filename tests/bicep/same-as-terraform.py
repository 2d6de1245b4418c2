#!/usr/bin/env python3
"""The Bicep output deploys what the Terraform output does: for NAME.bicep
(with its modules) and NAME.tf, goldens of one fixture, the same created
VNets, the same peering halves (by name) with the same four settings, the
same route tables (by name) with the same route prefixes, and as many
subnet-to-route-table links.

The Bicep side is parsed (bicepsubset.py); the Terraform side is read from
the golden's `terraform fmt` layout by regular expressions, which is enough
for the few attributes compared and is no parser of HCL.
Usage: same-as-terraform.py NAME.bicep NAME.tf"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bicepsubset as bs  # noqa: E402

FLAGS_TF = ("allow_virtual_network_access", "allow_forwarded_traffic",
            "allow_gateway_transit", "use_remote_gateways")
FLAGS_BICEP = ("allowVirtualNetworkAccess", "allowForwardedTraffic",
               "allowGatewayTransit", "useRemoteGateways")


def hcl_string(text):
    """A quoted HCL string's value (the goldens' names need no escapes
    beyond these)."""
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    return re.sub(r'\\(["\\])', r"\1", body[1:-1])


def tf_blocks(text, rtype):
    pat = r'^resource "' + rtype + r'" \S+ \{\n(.*?)\n\}'
    return re.findall(pat, text, re.S | re.M)


def tf_attr(block, name):
    m = re.search(r"^\s*" + name + r"\s*=\s*(.*)$", block, re.M)
    return m.group(1) if m else None


def terraform(path):
    with open(path, encoding="utf-8") as fh:
        t = fh.read()
    vnets = sorted(hcl_string(tf_attr(b, "name"))
                   for b in tf_blocks(t, "azurerm_virtual_network"))
    peerings = {hcl_string(tf_attr(b, "name")):
                tuple(tf_attr(b, f) == "true" for f in FLAGS_TF)
                for b in tf_blocks(t, "azurerm_virtual_network_peering")}
    # a table's prefixes, and whether it keeps gateway routes out
    tables = {hcl_string(tf_attr(b, "name")):
              (sorted(re.findall(r'address_prefix\s*=\s*"([^"]+)"', b)),
               tf_attr(b, "bgp_route_propagation_enabled") == "false")
              for b in tf_blocks(t, "azurerm_route_table")}
    # inline subnets name their table; existing VNets' get an association
    links = len(tf_blocks(t, "azurerm_subnet_route_table_association")) + \
        len(re.findall(r"^\s*route_table_id\s*=", "\n".join(
            tf_blocks(t, "azurerm_virtual_network")), re.M))
    return vnets, peerings, tables, links


def bicep(path):
    files, vnets, peerings, tables, links = [path], [], {}, {}, 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            decls = bs.parse(fh.read())
        for d in decls:
            if d.kind == "module":
                files.append(os.path.join(os.path.dirname(path), d.type))
            if d.kind != "resource" or d.existing:
                continue
            typ, v = d.type.split("@")[0], d.value
            props = v.get("properties")
            if typ == "Microsoft.Network/virtualNetworks":
                vnets.append(v.get("name"))
                links += sum(1 for s in props.get("subnets") or []
                             if s.get("properties").get("routeTable") is not None)
            elif typ == "Microsoft.Network/virtualNetworks/virtualNetworkPeerings":
                peerings[v.get("name")] = tuple(props.get(f) for f in FLAGS_BICEP)
            elif typ == "Microsoft.Network/routeTables":
                tables[v.get("name")] = (sorted(r.get("properties").get("addressPrefix")
                                                for r in props.get("routes")),
                                         props.get("disableBgpRoutePropagation") is True)
            elif typ == "Microsoft.Network/virtualNetworks/subnets":
                links += 1
    return sorted(vnets), peerings, tables, links


def main(bicep_path, tf_path):
    what = ("created VNets", "peering halves", "route tables", "subnet links")
    bad = 0
    for name, b, t in zip(what, bicep(bicep_path), terraform(tf_path)):
        if b != t:
            print(f"{bicep_path}: {name} differ from {os.path.basename(tf_path)}:\n"
                  f"  bicep:     {b}\n  terraform: {t}")
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
