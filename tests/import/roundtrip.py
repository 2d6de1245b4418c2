#!/usr/bin/env python3
"""Round trip of peerc import: compares the VNets and peering halves that
the Terraform compiled from an imported .peer file declares (PAIRS.json,
from tf-schema.js --pairs) with the live estate they were imported from
(the az JSON files). Every live half must come back with its name and its
four settings, every live VNet with its group, region, address space and
tags; a half the Terraform adds must be the missing half of a live pair
(a half-peering, or a VNet outside the input). Prints what it compared.
usage: roundtrip.py [--peerings-only] PAIRS.json FILE.json..."""
import json
import sys

FLAGS = [('allowVirtualNetworkAccess', 'allow_virtual_network_access', True),
         ('allowForwardedTraffic', 'allow_forwarded_traffic', False),
         ('allowGatewayTransit', 'allow_gateway_transit', False),
         ('useRemoteGateways', 'use_remote_gateways', False)]


def main(argv):
    peerings_only = argv[1:2] == ['--peerings-only']
    args = argv[2:] if peerings_only else argv[1:]
    tf = json.load(open(args[0]))
    live = [v for f in args[1:] for v in json.load(open(f))]
    fails = []
    by_id = {v['id'].lower(): v for v in live}
    tf_vnets = {v['id'].lower(): v for v in tf['vnets']}
    for v in live:
        t = tf_vnets.get(v['id'].lower())
        if peerings_only:
            if t:
                fails.append('%s: created, though --peerings-only' % v['name'])
            continue
        if not t:
            fails.append('%s: no azurerm_virtual_network' % v['name'])
            continue
        if t['location'] != v['location']:
            fails.append('%s: location %s, live %s' % (v['name'], t['location'], v['location']))
        if sorted(t['address_space']) != sorted(v['addressSpace']['addressPrefixes']):
            fails.append('%s: address space %s, live %s' % (v['name'], t['address_space'],
                                                           v['addressSpace']['addressPrefixes']))
        if (t.get('tags') or {}) != (v.get('tags') or {}):
            fails.append('%s: tags %s, live %s' % (v['name'], t.get('tags'), v.get('tags')))
    if not peerings_only and len(tf['vnets']) != len(live):
        fails.append('%d VNets created, %d live' % (len(tf['vnets']), len(live)))

    def key(local_id, remote_id):
        return (local_id.lower(), remote_id.lower())

    halves = {}
    for h in tf['peerings']:
        local = ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/'
                 'virtualNetworks/%s' % (h['subscription'], h['resource_group_name'],
                                         h['virtual_network_name']))
        k = key(local, h['remote_virtual_network_id'])
        if k in halves:
            fails.append('two halves %s -> %s' % k)
        halves[k] = h
    compared = 0
    live_keys = set()
    for v in live:
        for p in v.get('virtualNetworkPeerings') or []:
            k = key(v['id'], p['remoteVirtualNetwork']['id'])
            live_keys.add(k)
            h = halves.get(k)
            if not h:
                fails.append('%s: live half %s is not declared' % (v['name'], p['name']))
                continue
            compared += 1
            if h['name'] != p['name']:
                fails.append('%s: half named %s, live %s' % (v['name'], h['name'], p['name']))
            for live_name, tf_name, dflt in FLAGS:
                want = p.get(live_name, dflt)
                if h[tf_name] != want:
                    fails.append('%s/%s: %s is %s, live %s' % (v['name'], p['name'], tf_name,
                                                           h[tf_name], want))
    added = 0
    for k in halves:
        if k in live_keys:
            continue
        if (k[1], k[0]) not in live_keys:
            fails.append('declared half %s -> %s has no live pair' % k)
        added += 1
    for f in fails:
        print('FAIL: ' + f)
    print('%d live halves compared, %d halves added to complete a pair, %d VNets' %
          (compared, added, len(tf['vnets'])))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
