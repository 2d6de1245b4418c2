#!/usr/bin/env python3
"""Writes arm-types.json: the types of the resources peerc's Bicep output
declares that bicep-types-peering.json lacks (route tables, subnets as
child resources, and the RouteTable object a subnet refers to), converted
from Microsoft's ARM JSON schema to the same form, so check-bicep.py reads
both alike.

Run by hand, not by make check:
  extract-arm-types.py /work/shared/conformance/arm-schemas/2025-07-01/Microsoft.Network.NRP.json >arm-types.json

The ARM schema does not list read-only properties, so none is marked
read-only here except what Bicep makes read-only on every resource (id,
type, apiVersion). A oneOf of a type and an ARM expression is the type."""

import json
import sys

EXPR = "https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression"
API = "2025-07-01"
# Object types described in full; others are listed as not expanded.
EXPAND = {
    "CommonRouteTable": "RouteTable",
    "CommonRouteTablePropertiesFormat": "RouteTablePropertiesFormat",
    "CommonRoute": "Route",
    "CommonRoutePropertiesFormat": "RoutePropertiesFormat",
    "CommonRouteNextHopEcmp": "RouteNextHopEcmp",
    "CommonSubnetPropertiesFormat": "SubnetPropertiesFormat",
    "VirtualNetworkGatewayPropertiesFormat": "VirtualNetworkGatewayPropertiesFormat",
    "VirtualNetworkGatewaySku": "VirtualNetworkGatewaySku",
    "VirtualNetworkGatewayIPConfiguration": "VirtualNetworkGatewayIPConfiguration",
    "VirtualNetworkGatewayIPConfigurationPropertiesFormat":
        "VirtualNetworkGatewayIPConfigurationPropertiesFormat",
    "BgpSettings": "BgpSettings",
    "CommonSubResource": "SubResource",
    "CommonPublicIPAddressPropertiesFormat": "PublicIPAddressPropertiesFormat",
    "CommonPublicIPAddressSku": "PublicIPAddressSku",
}


class Converter:
    def __init__(self, schema):
        self.defs = schema["definitions"]
        self.types = {}
        self.not_expanded = set()

    def spec(self, s):
        if "oneOf" in s:
            alts = [a for a in s["oneOf"] if a.get("$ref") != EXPR]
            if len(alts) == 1:
                return self.spec(alts[0])
            return {"kind": "union", "of": [self.spec(a) for a in alts]}
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[1]
            if name in EXPAND:
                self.expand(name)
                return {"kind": "object", "name": EXPAND[name]}
            self.not_expanded.add(name)
            return {"kind": "object", "name": name}
        if "enum" in s:
            return {"kind": "union",
                    "of": [{"kind": "literal", "value": v} for v in s["enum"]]}
        t = s.get("type")
        if t == "string":
            return {"kind": "string"}
        if t == "boolean":
            return {"kind": "bool"}
        if t == "integer":
            return {"kind": "int"}
        if t == "array":
            return {"kind": "array", "items": self.spec(s.get("items", {}))}
        if t == "object" and "additionalProperties" in s and not s.get("properties"):
            name = "ResourceTags"
            self.types[name] = {"*": prop(self.spec(s["additionalProperties"]))}
            return {"kind": "object", "name": name}
        return {"kind": "any"}

    def expand(self, name):
        out = EXPAND[name]
        if out in self.types:
            return
        self.types[out] = {}
        for k, v in self.defs[name].get("properties", {}).items():
            self.types[out][k] = prop(self.spec(v))

    def resource(self, definition):
        props = {}
        for k, v in definition["properties"].items():
            p = prop(self.spec(v))
            if k in ("id", "type", "apiVersion"):
                p["readOnly"] = True
            props[k] = p
        return props


def prop(spec):
    return {"typeSpec": spec, "readOnly": False}


def main(path):
    with open(path, encoding="utf-8") as fh:
        schema = json.load(fh)
    c = Converter(schema)
    rd = schema["resourceDefinitions"]
    resources = {}
    for key, typ in (("routeTables", "Microsoft.Network/routeTables"),
                     ("virtualNetworks_subnets",
                      "Microsoft.Network/virtualNetworks/subnets"),
                     ("virtualNetworkGateways",
                      "Microsoft.Network/virtualNetworkGateways"),
                     ("publicIPAddresses", "Microsoft.Network/publicIPAddresses")):
        props = c.resource(rd[key])
        props.pop("resources", None)  # child resources are never nested here
        resources[f"{typ}@{API}"] = {"properties": props}
    c.expand("CommonRouteTable")
    for r in resources.values():
        r["types"] = c.types
        r["types_not_expanded"] = sorted(c.not_expanded)
    json.dump({
        "_about": "Types of Microsoft.Network/routeTables, "
                  "Microsoft.Network/virtualNetworks/subnets, "
                  "Microsoft.Network/virtualNetworkGateways and "
                  "Microsoft.Network/publicIPAddresses, and the objects they "
                  "refer to, in the form of bicep-types-peering.json, converted "
                  "by extract-arm-types.py from the ARM JSON schema.",
        "_source": {
            "repo": "github.com/Azure/azure-resource-manager-schemas",
            "commit": "a1454431151fd3e9c1b254b1a11d00c2d8474611",
            "path": "schemas/2025-07-01/Microsoft.Network.NRP.json",
            "blob": "cf7f47bba6ee06bc95410b090f85bf3556c20fee",
        },
        "resources": resources,
    }, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
