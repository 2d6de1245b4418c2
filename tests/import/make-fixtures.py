#!/usr/bin/env python3
"""Writes the live-estate fixtures of tests/import/fixtures/ (committed; run
again only to change them): the JSON `az network vnet list -o json` prints,
one file per subscription. The shape is Microsoft.Network's VirtualNetwork
(REST 2025-07-01, properties flattened and camelCase as az prints them);
tests/import/check-fixtures.py proves every field name against
azure.mgmt.network's models and the ARM schema. Values are made up,
deterministically (GUIDs from names)."""
import json
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures')


def guid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, '/'.join(parts)))


def etag(*parts):
    return 'W/"%s"' % guid('etag', *parts)


def vnet_id(sub, rg, name):
    return ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/'
            'virtualNetworks/%s' % (sub, rg, name))


class Estate:
    def __init__(self):
        self.vnets = {}  # id -> az object

    def vnet(self, sub, rg, name, location, space, subnets=(), tags=None,
             dns=(), gateway_subnet=False, gateway_rg=None):
        vid = vnet_id(sub, rg, name)
        subs = []
        for s in subnets:
            sname, prefixes = s[0], s[1]
            extra = s[2] if len(s) > 2 else {}
            o = {
                'etag': etag(vid, sname),
                'id': '%s/subnets/%s' % (vid, sname),
                'name': sname,
                'privateEndpointNetworkPolicies': 'Disabled',
                'privateLinkServiceNetworkPolicies': 'Enabled',
                'provisioningState': 'Succeeded',
                'type': 'Microsoft.Network/virtualNetworks/subnets',
            }
            if len(prefixes) == 1:
                o['addressPrefix'] = prefixes[0]
            else:
                o['addressPrefixes'] = list(prefixes)
            if sname == 'GatewaySubnet' and gateway_subnet:
                gw = ('/subscriptions/%s/resourceGroups/%s/providers/'
                      'Microsoft.Network/virtualNetworkGateways/vgw-%s/'
                      'ipConfigurations/default' % (sub, gateway_rg or rg, name))
                o['ipConfigurations'] = [{'id': gw}]
            o.update(extra)
            subs.append(o)
        self.vnets[vid] = {
            'addressSpace': {'addressPrefixes': list(space)},
            'bgpCommunities': None,
            'ddosProtectionPlan': None,
            'dhcpOptions': {'dnsServers': list(dns)},
            'enableDdosProtection': False,
            'enableVmProtection': False,
            'etag': etag(vid),
            'id': vid,
            'location': location,
            'name': name,
            'provisioningState': 'Succeeded',
            'resourceGuid': guid(vid),
            'subnets': subs,
            'tags': tags or {},
            'type': 'Microsoft.Network/virtualNetworks',
            'virtualNetworkPeerings': [],
        }
        return vid

    def half(self, local, remote, name, access=True, forwarded=False,
             transit=False, use_remote=False, state='Connected',
             sync='FullyInSync', remote_space=None):
        lv = self.vnets[local]
        if remote_space is None:
            remote_space = self.vnets[remote]['addressSpace']['addressPrefixes']
        pid = '%s/virtualNetworkPeerings/%s' % (local, name)
        lv['virtualNetworkPeerings'].append({
            'allowForwardedTraffic': forwarded,
            'allowGatewayTransit': transit,
            'allowVirtualNetworkAccess': access,
            'doNotVerifyRemoteGateways': False,
            'etag': etag(pid),
            'id': pid,
            'name': name,
            'peeringState': state,
            'peeringSyncLevel': sync,
            'provisioningState': 'Succeeded',
            'remoteAddressSpace': {'addressPrefixes': list(remote_space)},
            'remoteBgpCommunities': None,
            'remoteVirtualNetwork': {'id': remote},
            'remoteVirtualNetworkAddressSpace': {'addressPrefixes': list(remote_space)},
            'resourceGuid': guid(pid),
            'type': 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
            'useRemoteGateways': use_remote,
        })

    def peer(self, a, b, pattern='{local}-to-{remote}', a_side=None, b_side=None):
        an, bn = self.vnets[a]['name'], self.vnets[b]['name']
        self.half(a, b, pattern.replace('{local}', an).replace('{remote}', bn),
                  **(a_side or {}))
        self.half(b, a, pattern.replace('{local}', bn).replace('{remote}', an),
                  **(b_side or {}))

    def write(self, name, subscription=None):
        vs = [v for vid, v in self.vnets.items()
              if subscription is None or vid.split('/')[2] == subscription]
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(vs, f, indent=2)
            f.write('\n')


SUB_HUB = 'c93a9e2f-a31c-4922-8407-71ad77e7a891'
SUB_APPS = '1faf4e20-74d1-4f6d-b4cc-c0074470ba87'
SUB_SHOP = '69c8bdd0-f717-4a7b-a7ef-fb496568da2e'
GW = dict(transit=True)
USE = dict(use_remote=True)


def hub_spoke_estate():
    """A hub with a VPN gateway (its IP configuration in GatewaySubnet), an
    NSG-protected subnet, four spokes using the gateway, one in another
    region and group; one spoke accepts forwarded traffic."""
    e = Estate()
    nsg = {'networkSecurityGroup': {'id': '/subscriptions/%s/resourceGroups/rg-net-weu/providers/Microsoft.Network/networkSecurityGroups/nsg-app' % SUB_HUB}}
    hub = e.vnet(SUB_HUB, 'rg-net-weu', 'vnet-hub-weu', 'westeurope', ['10.0.0.0/16'],
                 [('GatewaySubnet', ['10.0.255.0/27']), ('snet-shared', ['10.0.1.0/24'])],
                 tags={'env': 'prod', 'owner': 'network team'}, dns=['10.0.1.4', '10.0.1.5'],
                 gateway_subnet=True)
    spokes = []
    for i, (rg, loc) in enumerate([('rg-net-weu', 'westeurope'), ('rg-net-weu', 'westeurope'),
                                   ('rg-app3', 'westeurope'), ('rg-net-weu', 'northeurope')]):
        n = i + 1
        s = e.vnet(SUB_HUB, rg, 'vnet-spoke%d' % n, loc, ['10.%d.0.0/16' % n],
                   [('snet-app', ['10.%d.1.0/24' % n], nsg if n == 1 else {})],
                   tags={'env': 'prod'})
        spokes.append(s)
    for s in spokes[:3]:
        e.peer(hub, s, a_side=GW, b_side=USE)
    e.peer(hub, spokes[3], a_side=GW, b_side=dict(use_remote=True, forwarded=True))
    return e, hub, spokes


def hub_spoke():
    e, _, _ = hub_spoke_estate()
    e.write('hub-spoke.json')


def half_of(e, local, remote):
    return next(p for p in e.vnets[local]['virtualNetworkPeerings']
                if p['remoteVirtualNetwork']['id'] == remote)


def drift():
    """hub-spoke.json changed in one way each, for peerc drift against the
    .peer file imported from hub-spoke.json."""
    cases = {}
    e, hub, s = hub_spoke_estate()
    half_of(e, s[0], hub)['allowForwardedTraffic'] = True
    cases['setting'] = e
    e, hub, s = hub_spoke_estate()
    e.vnets[s[1]]['virtualNetworkPeerings'] = []
    half_of(e, hub, s[1])['peeringState'] = 'Initiated'
    cases['missing-peering'] = e
    e, hub, s = hub_spoke_estate()
    e.peer(s[0], s[1])
    cases['extra-peering'] = e
    e, hub, s = hub_spoke_estate()
    del e.vnets[s[2]]
    e.vnets[hub]['virtualNetworkPeerings'] = [
        p for p in e.vnets[hub]['virtualNetworkPeerings'] if p['remoteVirtualNetwork']['id'] != s[2]]
    cases['missing-vnet'] = e
    e, hub, s = hub_spoke_estate()
    e.vnet(SUB_HUB, 'rg-net-weu', 'vnet-spoke5', 'westeurope', ['10.5.0.0/16'])
    cases['unknown-vnet'] = e
    e, hub, s = hub_spoke_estate()
    e.vnets[s[0]]['addressSpace']['addressPrefixes'].append('10.51.0.0/16')
    cases['address-space'] = e
    e, hub, s = hub_spoke_estate()
    half_of(e, s[3], hub)['peeringState'] = 'Disconnected'
    cases['state'] = e
    e, hub, s = hub_spoke_estate()
    half_of(e, s[1], hub)['peeringSyncLevel'] = 'LocalNotInSync'
    cases['sync'] = e
    e, hub, s = hub_spoke_estate()
    h = half_of(e, hub, s[2])
    h['name'] = 'hub-to-app3'
    h['id'] = h['id'].rsplit('/', 1)[0] + '/hub-to-app3'
    cases['name'] = e
    for name, e in cases.items():
        e.write('drift-%s.json' % name)


def mesh():
    """Four VNets all peered with each other (names peer-A-to-B), and one
    plain peering to a build-agents VNet."""
    e = Estate()
    sub = '8a4658b9-c632-4bc1-83e0-e95392267ac2'
    names = ['vnet-pay-api', 'vnet-pay-core', 'vnet-pay-batch', 'vnet-pay-ledger']
    ids = [e.vnet(sub, 'rg-payments-network', n, 'swedencentral', ['10.20.%d.0/20' % (16 * i)],
                  [('snet-%d' % i, ['10.20.%d.0/24' % (16 * i)])])
           for i, n in enumerate(names)]
    agents = e.vnet(sub, 'rg-payments-network', 'vnet-pay-buildagents', 'swedencentral',
                    ['10.20.64.0/24'])
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            e.peer(ids[i], ids[j], 'peer-{local}-to-{remote}')
    e.peer(agents, ids[2], 'peer-{local}-to-{remote}')
    e.write('mesh.json')


def multi_subscription():
    """A hub in the connectivity subscription, spokes in two landing-zone
    subscriptions: three files, one per subscription."""
    e = Estate()
    hub = e.vnet(SUB_HUB, 'rg-connectivity-neu', 'vnet-hub-neu', 'northeurope', ['10.40.0.0/22'],
                 [('GatewaySubnet', ['10.40.0.0/27'])], tags={'managed_by': 'portal'},
                 gateway_subnet=True)
    hr = e.vnet(SUB_APPS, 'rg-hr-network', 'vnet-corp-hr-neu', 'northeurope', ['10.41.0.0/22'],
                [('snet-app', ['10.41.0.0/24'])], tags={'cost_center': 'HR-4410'})
    fin = e.vnet(SUB_APPS, 'rg-finance-network', 'vnet-corp-finance-neu', 'northeurope',
                 ['10.42.0.0/22'], [('snet-app', ['10.42.0.0/24']), ('snet-db', ['10.42.1.0/24'])],
                 tags={'cost_center': 'FIN-2020'})
    shop = e.vnet(SUB_SHOP, 'rg-shop-network', 'vnet-online-shop-neu', 'northeurope',
                  ['10.43.0.0/22'], [('snet-web', ['10.43.0.0/24'])])
    for s in (hr, fin):
        e.peer(hub, s, a_side=GW, b_side=USE)
    e.peer(hub, shop)
    e.write('multi-subscription-hub.json', SUB_HUB)
    e.write('multi-subscription-apps.json', SUB_APPS)
    e.write('multi-subscription-shop.json', SUB_SHOP)


def existing_remote():
    """Spokes in one subscription peered with a hub in a subscription not
    imported (its gateway used), and with a partner VNet of another tenant
    whose name is not a valid handle."""
    e = Estate()
    hub_id = vnet_id(SUB_HUB, 'rg-hub-prod', 'vnet-hub-prod')
    partner = vnet_id('0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', 'RG-PARTNER', 'Partner.Shared.01')
    a = e.vnet(SUB_APPS, 'rg-apps', 'vnet-crm', 'westeurope', ['10.6.0.0/22'])
    b = e.vnet(SUB_APPS, 'rg-apps', 'vnet-erp', 'westeurope', ['10.7.0.0/22'])
    for v in (a, b):
        n = e.vnets[v]['name']
        e.half(v, hub_id, '%s-to-vnet-hub-prod' % n, use_remote=True,
               remote_space=['10.0.0.0/16'])
    e.half(b, partner, 'erp-to-partner', remote_space=['172.20.0.0/24'])
    e.write('existing-remote.json')


def half_peering():
    """A peered with B properly; A's peering to C has no half in C
    (Initiated)."""
    e = Estate()
    sub = SUB_APPS
    a = e.vnet(sub, 'rg-apps', 'vnet-a', 'westeurope', ['10.10.0.0/16'])
    b = e.vnet(sub, 'rg-apps', 'vnet-b', 'westeurope', ['10.11.0.0/16'])
    c = e.vnet(sub, 'rg-apps', 'vnet-c', 'westeurope', ['10.12.0.0/16'])
    e.peer(a, b)
    e.half(a, c, 'vnet-a-to-vnet-c', state='Initiated')
    e.write('half-peering.json')


def disconnected():
    """B's half was deleted and created again: A's half is Disconnected,
    B's new half Initiated."""
    e = Estate()
    sub = SUB_APPS
    a = e.vnet(sub, 'rg-apps', 'vnet-a', 'westeurope', ['10.10.0.0/16'])
    b = e.vnet(sub, 'rg-apps', 'vnet-b', 'westeurope', ['10.11.0.0/16'])
    c = e.vnet(sub, 'rg-apps', 'vnet-c', 'westeurope', ['10.12.0.0/16'])
    e.peer(a, c)
    e.half(a, b, 'vnet-a-to-vnet-b', state='Disconnected')
    e.half(b, a, 'vnet-b-to-vnet-a', state='Initiated')
    e.write('disconnected.json')


def out_of_sync():
    """The hub grew a second range; one spoke's half was synced, the other
    still holds the old space (RemoteNotInSync / LocalNotInSync)."""
    e = Estate()
    sub = SUB_HUB
    hub = e.vnet(sub, 'rg-net', 'vnet-hub', 'westeurope', ['10.0.0.0/16', '10.100.0.0/16'])
    s1 = e.vnet(sub, 'rg-net', 'vnet-spoke1', 'westeurope', ['10.1.0.0/16'])
    s2 = e.vnet(sub, 'rg-net', 'vnet-spoke2', 'westeurope', ['10.2.0.0/16'])
    e.peer(hub, s1)
    e.peer(hub, s2, b_side=dict(sync='LocalNotInSync', remote_space=['10.0.0.0/16']),
           a_side=dict(sync='RemoteNotInSync'))
    e.write('out-of-sync.json')


def dual_stack():
    """IPv4 and IPv6 in every VNet; dual-stack subnets (addressPrefixes)."""
    e = Estate()
    sub = 'ede80486-b1a9-4b43-bf14-bda8b18c7b44'
    hub = e.vnet(sub, 'rg-ipv6-network', 'vnet-hub-cus', 'centralus',
                 ['10.80.0.0/22', 'fd5a:2c1b:8000::/48'],
                 [('snet-shared', ['10.80.0.0/24', 'fd5a:2c1b:8000:1::/64'])])
    web = e.vnet(sub, 'rg-ipv6-network', 'vnet-web-cus', 'centralus',
                 ['10.81.0.0/22', 'fd5a:2c1b:8001::/48'],
                 [('snet-web', ['10.81.0.0/24', 'fd5a:2c1b:8001:1::/64'])])
    api = e.vnet(sub, 'rg-ipv6-network', 'vnet-api-cus', 'centralus',
                 ['10.82.0.0/22', 'fd5a:2c1b:8002::/48'],
                 [('snet-api', ['10.82.0.0/24'])])
    e.peer(hub, web)
    e.peer(hub, api)
    e.peer(web, api)
    e.write('dual-stack.json')


def odd_names():
    """Names that are not handles (dots, a leading digit, a keyword), a
    name used in two groups, peering names of no common pattern, and two
    names whose Terraform labels collide (app-one, app_one), so that the
    import blocks must follow the back end's hashed labels."""
    e = Estate()
    sub = SUB_APPS
    a = e.vnet(sub, 'rg-legacy', 'ERP.Prod.VNet01', 'westeurope', ['10.30.0.0/16'],
               [('web.tier', ['10.30.1.0/24'])])
    b = e.vnet(sub, 'rg-legacy', '2nd-site', 'westeurope', ['10.31.0.0/16'])
    c = e.vnet(sub, 'rg-legacy', 'hub', 'westeurope', ['10.32.0.0/16'])
    d = e.vnet(sub, 'rg-other', 'hub', 'westeurope', ['10.33.0.0/16'])
    e.half(a, b, 'LinkToSecondSite')
    e.half(b, a, 'back-to-erp')
    e.peer(c, d)
    e.peer(a, c)
    f = e.vnet(sub, 'rg-legacy', 'app-one', 'westeurope', ['10.34.0.0/16'])
    g = e.vnet(sub, 'rg-legacy', 'app_one', 'westeurope', ['10.35.0.0/16'])
    e.peer(f, g)
    e.write('odd-names.json')


def gateways():
    """Two hubs whose gateways peerc must not create: one in a resource
    group of its own (named by ID), one that a spoke uses but whose
    GatewaySubnet lists no IP configuration (az output filtered with
    --query), so nothing names it."""
    e = Estate()
    sub = SUB_HUB
    hub = e.vnet(sub, 'rg-net-weu', 'vnet-hub-weu', 'westeurope', ['10.0.0.0/16'],
                 [('GatewaySubnet', ['10.0.255.0/27'])], gateway_subnet=True,
                 gateway_rg='rg-gateways-weu')
    hub2 = e.vnet(sub, 'rg-net-neu', 'vnet-hub-neu', 'northeurope', ['10.100.0.0/16'],
                  [('GatewaySubnet', ['10.100.255.0/27'])])
    s1 = e.vnet(sub, 'rg-net-weu', 'vnet-spoke1', 'westeurope', ['10.1.0.0/16'])
    s2 = e.vnet(sub, 'rg-net-neu', 'vnet-spoke2', 'northeurope', ['10.101.0.0/16'])
    e.peer(hub, s1, a_side=GW, b_side=USE)
    e.peer(hub2, s2, a_side=GW, b_side=USE)
    e.write('gateways.json')


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in (hub_spoke, drift, mesh, multi_subscription, existing_remote, half_peering,
              disconnected, out_of_sync, dual_stack, odd_names, gateways):
        f()


if __name__ == '__main__':
    sys.exit(main())
