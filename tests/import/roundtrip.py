#!/usr/bin/env python3
"""Round trip of peerc import: compares the VNets and peering halves that
the Terraform compiled from an imported .peer file declares (PAIRS.json,
from tf-schema.js --pairs) with the live estate they were imported from
(the az JSON files). Every live half must come back with its name and its
four settings, every live VNet with its group, region, address space and
tags and every subnet with its prefixes (both of a dual-stack one); a
half the Terraform adds must be the missing half of a live pair
(a half-peering, or a VNet outside the input). Every live gateway (its IP
configuration in a subnet) must be read by name, never created: a gateway
the output created beside it would fail, one per VNet; a VNet whose gateway
only a peering's useRemoteGateways shows (nothing names it) must be left
existing, not created. Prints what it compared.
usage: roundtrip.py [--peerings-only] PAIRS.json FILE.json..."""
import json
import sys

FLAGS = [('allowVirtualNetworkAccess', 'allow_virtual_network_access', True),
         ('allowForwardedTraffic', 'allow_forwarded_traffic', False),
         ('allowGatewayTransit', 'allow_gateway_transit', False),
         ('useRemoteGateways', 'use_remote_gateways', False)]


def live_gateways(v):
    """(subscription, group, name) of the gateways whose IP configurations
    sit in v's subnets (.../virtualNetworkGateways/G/ipConfigurations/C)."""
    found = set()
    for s in v.get('subnets') or []:
        for c in s.get('ipConfigurations') or []:
            seg = c['id'].split('/')
            low = [x.lower() for x in seg]
            if 'virtualnetworkgateways' in low:
                i = low.index('virtualnetworkgateways')
                found.add((seg[2].lower(), low[4], seg[i + 1]))
    return sorted(found)


def main(argv):
    peerings_only = argv[1:2] == ['--peerings-only']
    args = argv[2:] if peerings_only else argv[1:]
    tf = json.load(open(args[0]))
    live = [v for f in args[1:] for v in json.load(open(f))]
    fails = []
    by_id = {v['id'].lower(): v for v in live}
    tf_vnets = {v['id'].lower(): v for v in tf['vnets']}
    used = {p['remoteVirtualNetwork']['id'].lower() for v in live
            for p in v.get('virtualNetworkPeerings') or [] if p.get('useRemoteGateways')}
    unnamed = {i for i in used if i in by_id and not live_gateways(by_id[i])}
    for v in live:
        t = tf_vnets.get(v['id'].lower())
        if v['id'].lower() in unnamed:
            if t:
                fails.append('%s: created, though its gateway has no name to read' % v['name'])
            continue
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
        tf_subnets = {s['name']: sorted(s['address_prefixes']) for s in t['subnets']}
        for s in v.get('subnets') or []:
            live_prefixes = sorted(s.get('addressPrefixes') or [s['addressPrefix']])
            if tf_subnets.get(s['name']) != live_prefixes:
                fails.append('%s: subnet %s is %s, live %s' % (
                    v['name'], s['name'], tf_subnets.get(s['name']), live_prefixes))
    if not peerings_only and len(tf['vnets']) != len(live) - len(unnamed):
        fails.append('%d VNets created, %d live, %d left existing' %
                     (len(tf['vnets']), len(live), len(unnamed)))

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
    gateways = 0
    for g in tf['gateways']:
        if g['managed']:
            fails.append('gateway %s is created; every gateway import knows is live' % g['name'])
    for v in live:
        for gw in live_gateways(v):
            sub, group, name = gw
            read = [g for g in tf['gateways'] if not g['managed'] and g['name'] == name and
                    g['resource_group_name'].lower() == group and g['subscription'] == sub]
            if not read:
                fails.append('%s: its gateway %s is not read by a data source' % (v['name'], name))
            gateways += 1
    added = 0
    for k in halves:
        if k in live_keys:
            continue
        if (k[1], k[0]) not in live_keys:
            fails.append('declared half %s -> %s has no live pair' % k)
        added += 1
    for f in fails:
        print('FAIL: ' + f)
    print('%d live halves compared, %d halves added to complete a pair, %d VNets, '
          '%d gateways read' % (compared, added, len(tf['vnets']), gateways))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
