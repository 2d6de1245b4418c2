#!/bin/sh
# Every Terraform golden (examples/*.tf, tests/golden/**/*.tf) parsed by a
# real HCL parser and checked against the azurerm argument schema
# (tests/azurerm-schema.json); then the hostile-strings and group-tags
# fixtures compiled and their names and tags read back exactly as the .peer
# file has them (a created resource group's: the defaults' tags).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/tf-node.sh"
js=$top_srcdir/tests/tf-schema.js
status=0

goldens=$(find "$top_srcdir/examples" "$top_srcdir/tests/golden" -name '*.tf' | LC_ALL=C sort)
if [ -z "$goldens" ]; then
	echo "FAIL: no Terraform goldens found"
	exit 1
fi
# shellcheck disable=SC2086 # one file name per word
node "$js" "$hcl2json_prefix" "$top_srcdir/tests/azurerm-schema.json" $goldens || status=1

# The rules beyond the schema can fail: each file of tests/tf-checker is
# rejected with the text its first line expects.
for bad in "$top_srcdir"/tests/tf-checker/*.tf; do
	want=$(sed -n '1s/^# expect: //p' "$bad")
	if got=$(node "$js" "$hcl2json_prefix" "$top_srcdir/tests/azurerm-schema.json" "$bad"); then
		echo "FAIL: $bad passes the checker"
		status=1
	elif ! printf '%s\n' "$got" | grep -qF -- "$want"; then
		echo "FAIL: $bad: the checker did not say: $want"
		printf '%s\n' "$got"
		status=1
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for fixture in "$top_srcdir/tests/golden/terraform/hostile-strings.peer" \
	       "$top_srcdir/tests/golden/group-tags/group-tags.peer"; do
	"$PEERC" -t ast -o "$work/ast.json" "$fixture" || status=1
	"$PEERC" -o "$work/main.tf" "$fixture" || status=1
	"$PEERC" -o "$work/again.tf" "$fixture" || status=1
	cmp -s "$work/main.tf" "$work/again.tf" || {
		echo "FAIL: $fixture: two runs wrote different bytes"
		status=1
	}
	node "$js" "$hcl2json_prefix" --roundtrip "$work/ast.json" "$work/main.tf" || status=1
	node "$js" "$hcl2json_prefix" "$top_srcdir/tests/azurerm-schema.json" "$work/main.tf" || status=1
done
[ "$status" = 0 ] && echo "$(echo "$goldens" | wc -l) goldens and the round trip pass"
exit $status
