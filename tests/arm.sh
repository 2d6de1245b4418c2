#!/bin/sh
# The ARM back end beyond its byte-for-byte goldens (tests/golden.sh):
#   - every ARM golden (examples/*.json, tests/golden/arm/*.json) against
#     Microsoft's schemas, the test toolkit's rules and the dependency order
#     (tests/arm-check.py);
#   - where a fixture has both, the ARM and Bicep goldens deploy the same
#     VNets, subnets, peerings and route tables (tests/arm-same-as-bicep.py);
#   - arm-check.py itself fails on templates broken on purpose, so the check
#     above can fail;
#   - hostile strings come back from a JSON parser as written;
#   - --api-version and defaults api_version reach every Microsoft.Network
#     resource.
# Skipped (77) without python3 and its jsonschema module (tools/deps
# installs python3-jsonschema).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
python3 -c 'import jsonschema' 2>/dev/null || {
	echo "SKIP: python3 with jsonschema is not installed"
	exit 77
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

goldens=$(ls "$top_srcdir"/examples/*.json "$top_srcdir"/tests/golden/arm/*.json \
	"$top_srcdir"/tests/golden/bicep/*.json "$top_srcdir"/tests/golden/deploy/*.json | grep -v '\.ast\.json$')
# shellcheck disable=SC2086 # one word per file
python3 "$top_srcdir/tests/arm-check.py" "$top_srcdir/tests/schemas" $goldens || status=1
echo "arm-check: $(echo "$goldens" | wc -l) goldens"

pairs=0
for json in $goldens; do
	bicep=${json%.json}.bicep
	[ -f "$bicep" ] || continue
	pairs=$((pairs + 1))
	python3 "$top_srcdir/tests/arm-same-as-bicep.py" "$json" "$bicep" || status=1
done
echo "arm-same-as-bicep: $pairs fixtures"
[ "$pairs" -gt 0 ] || { echo "FAIL: no fixture has both goldens"; status=1; }

python3 "$top_srcdir/tests/arm-tests.py" "$top_srcdir" "$PEERC" "$work" || status=1
exit $status
