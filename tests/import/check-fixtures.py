#!/usr/bin/python3
"""Proves the field names of the live-estate fixtures: each VNet object is
read with azure.mgmt.network's VirtualNetwork model (the library az prints
through; Debian's python3-azure) and written back as az prints it
(camelCase); any field the model does not know is dropped on the way and
the two differ. Every field name must also be a property of
Microsoft.Network's ARM schema (2025-07-01, tests/schemas/), or one of the
read-only properties every resource has.
usage: check-fixtures.py NRP-SCHEMA.json FILE.json..."""
import json
import sys

from azure.mgmt.network.v2022_07_01 import models

# Read-only in the REST spec, so absent from the deployment schema:
# ARM's common ones, and the IP configurations attached to a subnet.
READ_ONLY = {'id', 'name', 'type', 'etag', 'provisioningState', 'resourceGuid',
             'ipConfigurations'}


def camel(s):
    head, *rest = s.split('_')
    return head + ''.join(w[:1].upper() + w[1:] for w in rest)


def drop_nulls(v):
    if isinstance(v, dict):
        return {k: drop_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [drop_nulls(x) for x in v]
    return v


def keys(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            if k != 'tags':  # a tag's key is data, not a field
                keys(x, out)
    elif isinstance(v, list):
        for x in v:
            keys(x, out)


def main(argv):
    schema = open(argv[1]).read()
    fails = 0
    n = 0
    for path in argv[2:]:
        for i, v in enumerate(json.load(open(path))):
            model = models.VirtualNetwork.from_dict(v)
            back = model.as_dict(keep_readonly=True,
                                 key_transformer=lambda a, d, x: (camel(a), x))
            if drop_nulls(back) != drop_nulls(v):
                print('FAIL: %s[%d]: the SDK model does not read it back as written' % (path, i))
                print('  written: %s' % json.dumps(drop_nulls(v), sort_keys=True)[:400])
                print('  read:    %s' % json.dumps(drop_nulls(back), sort_keys=True)[:400])
                fails += 1
            names = set()
            keys(v, names)
            for k in sorted(names - READ_ONLY):
                if '"%s"' % k not in schema:
                    print('FAIL: %s[%d]: "%s" is not in the ARM schema' % (path, i, k))
                    fails += 1
            n += 1
    print('%d VNets checked, %d failures' % (n, fails))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
