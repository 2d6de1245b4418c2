#!/usr/bin/env python3
"""Writes a live estate of N VNets as `az network vnet list -o json` prints
it (the shape of tests/import/fixtures/), for `make bench`: hubs of 49
spokes sharing the hub's gateway, every tenth group of spokes also a full
mesh of 5, and a half-peering every 1,000 VNets.
usage: gen-estate.py N OUT.json"""
import json
import sys

SUB = '5d1c0b6e-0000-4000-8000-%012d'


def vnet_id(i):
    return ('/subscriptions/%s/resourceGroups/rg-%d/providers/Microsoft.Network/'
            'virtualNetworks/vnet-%d' % (SUB % (i // 2000), i // 200, i))


def space(i):
    return ['10.%d.%d.0/24' % (i // 256, i % 256)]


def main(n, out):
    vnets = []
    for i in range(n):
        v = {'id': vnet_id(i), 'name': 'vnet-%d' % i, 'location': 'westeurope',
             'type': 'Microsoft.Network/virtualNetworks',
             'addressSpace': {'addressPrefixes': space(i)},
             'subnets': [{'name': 'snet-app', 'addressPrefix': space(i)[0]}],
             'tags': {'env': 'bench'}, 'virtualNetworkPeerings': []}
        if i % 50 == 0:
            v['subnets'].append({'name': 'GatewaySubnet', 'addressPrefix': space(i)[0],
                                 'ipConfigurations': [{'id': vnet_id(i).replace(
                                     'virtualNetworks', 'virtualNetworkGateways') +
                                     '/ipConfigurations/default'}]})
            v['subnets'] = v['subnets'][1:]
        vnets.append(v)

    def half(a, b, **flags):
        p = {'name': 'vnet-%d-to-vnet-%d' % (a, b), 'remoteVirtualNetwork': {'id': vnet_id(b)},
             'allowVirtualNetworkAccess': True, 'allowForwardedTraffic': False,
             'allowGatewayTransit': False, 'useRemoteGateways': False,
             'peeringState': 'Connected', 'peeringSyncLevel': 'FullyInSync',
             'remoteAddressSpace': {'addressPrefixes': space(b)}}
        p.update(flags)
        vnets[a]['virtualNetworkPeerings'].append(p)

    for h in range(0, n, 50):
        spokes = range(h + 1, min(h + 50, n))
        for s in spokes:
            half(h, s, allowGatewayTransit=True)
            if s % 1000 != 1:  # a half-peering now and then
                half(s, h, useRemoteGateways=True)
        if (h // 50) % 10 == 0:
            group = list(spokes)[:5]
            for x in group:
                for y in group:
                    if x != y:
                        half(x, y)
    with open(out, 'w') as f:
        json.dump(vnets, f)


if __name__ == '__main__':
    main(int(sys.argv[1]), sys.argv[2])
