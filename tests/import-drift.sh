#!/bin/sh
# peerc import and peerc drift, on the live-estate fixtures of
# tests/import/fixtures/ (written by tests/import/make-fixtures.py):
# - every fixture's field names are proven with azure.mgmt.network's models
#   and the ARM schema (tests/import/check-fixtures.py);
# - import writes the .peer file of tests/import/expected/ (and the warnings
#   beside it) twice the same; compiled to Terraform and read back by a real
#   HCL parser, it declares every live peering half with its name and four
#   settings, every VNet as it is, and every live gateway read, never
#   created (tests/import/roundtrip.py);
# - compiled with --import-from the same JSON, every fixture's imports.tf
#   imports each VNet main.tf creates and each live half it declares, at
#   main.tf's own addresses and with the IDs of those resources
#   (tf-schema.js --imports); hub-spoke's is expected/hub-spoke.imports.tf;
# - drift finds each kind of difference in its own fixture, at its line,
#   and says nothing but "in sync" on the estate the file came from;
# - malformed JSON gets its error at its line or JSON path, exit 1, nothing
#   written; usage errors exit 2.
# REGEN=1 rewrites expected/ (read the diff before committing it).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/tf-node.sh"
dir=$top_srcdir/tests/import
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
passed=0
fail() { echo "FAIL: $*"; status=1; }
ok() { passed=$((passed + 1)); }

# expect NAME FILE: FILE is expected/NAME (or becomes it under REGEN=1).
expect() {
	if [ -n "${REGEN:-}" ]; then
		cp "$2" "$dir/expected/$1"
	elif ! cmp -s "$2" "$dir/expected/$1"; then
		fail "$1 differs from tests/import/expected/$1:"
		diff -u "$dir/expected/$1" "$2" | head -n 30
		return
	fi
	ok
}

# --- the fixtures are what az prints
if /usr/bin/python3 -c 'import azure.mgmt.network' 2>/dev/null; then
	/usr/bin/python3 "$dir/check-fixtures.py" \
		"$top_srcdir/tests/schemas/2025-07-01/Microsoft.Network.NRP.json" \
		"$dir"/fixtures/*.json >"$work/fixtures.log" && ok ||
		{ cat "$work/fixtures.log"; fail "fixture field names"; }
else
	fail "Debian's python3-azure is missing (tools/deps installs it)"
fi

# --- import, its round trip
# import_case NAME [--peerings-only] FILE...: run in fixtures/ so that
# messages name the files as a user would.
import_case() {
	name=$1
	shift
	(cd "$dir/fixtures" && "$PEERC" import "$@" -o "$work/$name.peer") \
		2>"$work/$name.stderr"
	s=$?
	[ $s -eq 0 ] || fail "import $name: exit status $s"
	(cd "$dir/fixtures" && "$PEERC" import "$@") >"$work/$name.again" 2>/dev/null
	cmp -s "$work/$name.peer" "$work/$name.again" || fail "import $name: two runs differ"
	expect "$name.peer" "$work/$name.peer"
	expect "$name.stderr" "$work/$name.stderr"
	"$PEERC" "$work/$name.peer" -o "$work/$name.tf" 2>"$work/$name.cc" ||
		{ cat "$work/$name.cc"; fail "import $name: the .peer file does not compile"; return; }
	[ -s "$work/$name.cc" ] && { cat "$work/$name.cc"; fail "import $name: diagnostics"; }
	node "$top_srcdir/tests/tf-schema.js" "$hcl2json_prefix" --pairs "$work/$name.tf" \
		>"$work/$name.pairs" || { fail "import $name: tf-schema.js --pairs"; return; }
	only=
	[ "$1" = --peerings-only ] && { only=$1; shift; }
	(cd "$dir/fixtures" && /usr/bin/python3 "$dir/roundtrip.py" $only \
		"$work/$name.pairs" "$@") >"$work/$name.rt" && ok ||
		{ cat "$work/$name.rt"; fail "import $name: round trip"; }
	adopt_case "$name" "$@"
}

# adopt_case NAME FILE...: NAME.peer compiled with --import-from FILE...
# adopts every live resource it declares, at its addresses.
adopt_case() {
	name=$1
	shift
	from=
	for f in "$@"; do from="$from --import-from $f"; done
	mkdir -p "$work/adopt-$name"
	(cd "$dir/fixtures" && "$PEERC" "$work/$name.peer" -o "$work/adopt-$name/main.tf" \
		$from) 2>"$work/adopt-$name.err" ||
		{ cat "$work/adopt-$name.err"; fail "adopt $name: exit status"; return; }
	[ -s "$work/adopt-$name.err" ] && { cat "$work/adopt-$name.err"; fail "adopt $name: diagnostics"; }
	node "$top_srcdir/tests/tf-schema.js" "$hcl2json_prefix" --imports \
		"$work/adopt-$name/main.tf" "$work/adopt-$name/imports.tf" >"$work/adopt-$name.count" ||
		{ cat "$work/adopt-$name.count"; fail "adopt $name: imports.tf"; return; }
	# every live half the round trip compared is adopted
	halves=$(sed -n 's/^\([0-9]*\) live halves compared.*/\1/p' "$work/$name.rt")
	grep -q "\"peerings\":$halves}" "$work/adopt-$name.count" && ok ||
		fail "adopt $name: $(cat "$work/adopt-$name.count"), $halves live halves declared"
}
import_case hub-spoke hub-spoke.json
import_case hub-spoke-peerings-only --peerings-only hub-spoke.json
import_case mesh mesh.json
import_case multi-subscription multi-subscription-hub.json \
	multi-subscription-apps.json multi-subscription-shop.json
import_case existing-remote existing-remote.json
import_case half-peering half-peering.json
import_case disconnected disconnected.json
import_case out-of-sync out-of-sync.json
import_case dual-stack dual-stack.json
import_case odd-names odd-names.json
import_case gateways gateways.json
# the round trip read each live gateway: not vacuous
for c in hub-spoke:1 multi-subscription:1 gateways:1; do
	grep -q ", ${c#*:} gateways read\$" "$work/${c%%:*}.rt" && ok ||
		fail "${c%%:*}: $(tail -n 1 "$work/${c%%:*}.rt"), ${c#*:} gateway expected"
done

# with create_resource_groups, the groups main.tf creates exist too: each
# is imported (every group of these estates holds a live VNet)
# rg_case NAME GROUPS FILE...
rg_case() {
	rg=rg-$1 groups=$2
	sed '/^defaults {/a\
  create_resource_groups = true' "$work/$1.peer" >"$work/$rg.peer"
	cp "$work/$1.rt" "$work/$rg.rt"
	shift 2
	adopt_case "$rg" "$@"
	grep -q "^{\"groups\":$groups," "$work/adopt-$rg.count" && ok ||
		fail "adopt $rg: $(cat "$work/adopt-$rg.count"), $groups groups expected"
}
rg_case hub-spoke 2 hub-spoke.json
rg_case multi-subscription 4 multi-subscription-hub.json multi-subscription-apps.json \
	multi-subscription-shop.json

# --- Terraform adoption: an import block per live VNet and half (every
# fixture's addresses and IDs are checked by adopt_case)
cp "$dir/expected/hub-spoke.peer" "$work/adopt.peer"
(cd "$work" && "$PEERC" adopt.peer -o main.tf --import-from "$dir/fixtures/hub-spoke.json") ||
	fail "--import-from: exit status $?"
expect hub-spoke.imports.tf "$work/imports.tf"
[ "$(grep -c '^import {' "$work/imports.tf")" = 13 ] && ok ||
	fail "--import-from: 13 import blocks expected (5 VNets, 8 halves)"
if command -v terraform >/dev/null 2>&1; then
	terraform fmt -check "$work/imports.tf" >/dev/null && ok ||
		fail "imports.tf is not in terraform fmt form"
fi
(cd "$work" && "$PEERC" adopt.peer -o main.bicep --import-from "$dir/fixtures/hub-spoke.json") \
	2>/dev/null
[ $? -eq 2 ] && ok || fail "--import-from with Bicep: exit status 2 expected"

# --- drift: in sync on its own estate; each kind of difference alone
(cd "$dir/fixtures" && "$PEERC" drift "$work/adopt.peer" hub-spoke.json) >"$work/sync.out"
[ $? -eq 0 ] && ok || { cat "$work/sync.out"; fail "drift: not in sync with its own estate"; }
cp "$dir/expected/hub-spoke.peer" "$work/hub-spoke.peer"
for f in "$dir"/fixtures/drift-*.json; do
	name=$(basename "$f" .json)
	(cd "$work" && "$PEERC" drift hub-spoke.peer "$f") 2>&1 |
		sed "s|$dir/fixtures/||g" >"$work/$name.out"
	s=$(cd "$work" && "$PEERC" drift hub-spoke.peer "$f" >/dev/null 2>&1; echo $?)
	[ "$s" = 1 ] || fail "$name: exit status $s, not 1"
	expect "$name.out" "$work/$name.out"
	kind=${name#drift-}
	(cd "$work" && "$PEERC" drift --format=json hub-spoke.peer "$f") >"$work/$name.json"
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
kinds = {f["kind"] for f in d["findings"]}
want = {"name": "peering-name", "state": "peering-state", "sync": "peering-sync"}.get(sys.argv[2], sys.argv[2])
assert not d["in_sync"] and want in kinds, (want, kinds)
assert all(f["line"] or f["kind"] == "unknown-vnet" for f in d["findings"])
' "$work/$name.json" "$kind" && ok || fail "$name: --format=json lacks a '$kind' finding"
done
# IDs and subscription GUIDs in another case are the same resources: the
# file's and the JSON's are compared in canonical form (issue 10's
# canonical IDs and lower-case GUIDs), and import writes the canonical form
gid=c93a9e2f-a31c-4922-8407-71ad77e7a891
GID=$(echo $gid | tr a-f A-F)
odd_case() { sed -e "s/$gid/$GID/g" -e 's|/resourceGroups/|/resourcegroups/|g' \
	-e 's|/Microsoft.Network/virtualNetworks/|/microsoft.network/VirtualNetworks/|g' "$@"; }
for f in hub-spoke hub-spoke-peerings-only; do
	odd_case "$dir/expected/$f.peer" >"$work/case-$f.peer"
	(cd "$dir/fixtures" && "$PEERC" drift "$work/case-$f.peer" hub-spoke.json) >"$work/case.out"
	[ $? -eq 0 ] && ok || { cat "$work/case.out"; fail "drift: $f.peer in another case is not in sync"; }
done
odd_case "$dir/fixtures/hub-spoke.json" >"$work/hub-spoke.json"
(cd "$work" && "$PEERC" drift hub-spoke.peer hub-spoke.json) >"$work/case.out"
[ $? -eq 0 ] && ok || { cat "$work/case.out"; fail "drift: the JSON in another case is not in sync"; }
(cd "$work" && "$PEERC" import hub-spoke.json) 2>/dev/null | sed 1d >"$work/case-import.peer"
sed 1d "$dir/expected/hub-spoke.peer" | cmp -s - "$work/case-import.peer" && ok ||
	{ sed 1d "$dir/expected/hub-spoke.peer" | diff -u - "$work/case-import.peer" | head -n 20
	  fail "import of the JSON in another case: not the canonical file"; }

# doc/import.md shows the JSON: the same keys, in the same order
sed -n '/^### `--format=json`/,/^```$/{/^```json$/,/^```$/p}' \
	"$top_srcdir/doc/import.md" | sed '1d;$d' >"$work/doc.json"
/usr/bin/python3 -c '
import json, sys
doc, real = (json.load(open(f)) for f in sys.argv[1:3])
assert list(doc) == list(real), (list(doc), list(real))
assert list(doc["findings"][0]) == list(real["findings"][0])
' "$work/doc.json" "$work/drift-setting.json" && ok ||
	fail "doc/import.md: the --format=json example has other keys than drift prints"
sed "s|$dir/fixtures/||g" "$work/drift-setting.json" >"$work/drift-setting.format-json"
expect drift-setting.format-json "$work/drift-setting.format-json"

# --- bad input: located errors, exit 1, nothing written
for f in "$dir"/bad/*.json; do
	name=$(basename "$f" .json)
	echo keep >"$work/out.peer"
	(cd "$dir/bad" && "$PEERC" import "$name.json" -o "$work/out.peer") 2>"$work/bad-$name.stderr"
	s=$?
	[ $s -eq 1 ] || fail "bad/$name.json: exit status $s, not 1"
	[ "$(cat "$work/out.peer")" = keep ] || fail "bad/$name.json: the output was written"
	expect "bad-$name.stderr" "$work/bad-$name.stderr"
	(cd "$dir/bad" && "$PEERC" drift "$work/hub-spoke.peer" "$name.json") >/dev/null 2>&1
	[ $? -eq 2 ] && ok || fail "drift on bad/$name.json: exit status 2 expected"
done

# an estate with no VNet: nothing to import (its .peer file would not
# compile: no-vnets), exit 1, nothing written
echo '[]' >"$work/empty.json"
echo keep >"$work/out.peer"
(cd "$work" && "$PEERC" import empty.json -o out.peer) 2>"$work/empty.err"
s=$?
[ $s -eq 1 ] && [ "$(cat "$work/out.peer")" = keep ] &&
	grep -q '^peerc: error: the JSON holds no virtual network: nothing to import$' \
		"$work/empty.err" && ok ||
	{ cat "$work/empty.err"; fail "empty estate: exit status $s, or written"; }
# a runaway input ends at a limit that names it (hostile's bounded reads)
"$PEERC" import /dev/zero 2>&1 >/dev/null | grep -q \
	'^peerc: error: cannot read /dev/zero: larger than 256 MiB, the limit for a JSON file$' &&
	ok || fail "import /dev/zero: no limit"
"$PEERC" drift /dev/zero "$work/empty.json" 2>&1 >/dev/null | grep -q \
	'^peerc: error: cannot read /dev/zero: larger than 128 MiB, the limit for an input file$' &&
	ok || fail "drift /dev/zero: no limit"

# --- the same VNets twice (found by the fuzzer): kept once, with a warning
(cd "$dir/fixtures" && "$PEERC" import mesh.json mesh.json) >"$work/twice.peer" 2>"$work/twice.err"
s=$?
[ $s -eq 0 ] && [ "$(grep -c 'was read before, from mesh.json' "$work/twice.err")" = 5 ] &&
	[ "$(sed 1d "$work/twice.peer")" = "$(sed 1d "$dir/expected/mesh.peer")" ] && ok ||
	fail "mesh.json twice: exit status $s, or not the same file with 5 warnings"

# --- usage
"$PEERC" import >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "import without a file: not 2"
"$PEERC" import --bogus x.json >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "import --bogus: not 2"
# the compiler's own option errors (cli.c), with its hints
"$PEERC" import --colr x.json 2>&1 >/dev/null |
	grep -q "^peerc: error: unrecognized option '--colr'; did you mean '--color'?$" &&
	ok || fail "import --colr: no hint"
"$PEERC" drift --color=blue a.peer x.json 2>&1 >/dev/null |
	grep -q "^peerc: error: invalid --color 'blue': auto, always or never$" &&
	ok || fail "drift --color=blue: not the compiler's message"
"$PEERC" import "$work/missing.json" >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "import of a missing file: not 2"
"$PEERC" drift "$work/hub-spoke.peer" >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "drift without JSON: not 2"
"$PEERC" drift --format=xml "$work/hub-spoke.peer" x.json >/dev/null 2>&1; [ $? -eq 2 ] && ok ||
	fail "drift --format=xml: not 2"
echo 'vnet x' >"$work/broken.peer"
"$PEERC" drift "$work/broken.peer" "$dir/fixtures/hub-spoke.json" >/dev/null 2>&1
[ $? -eq 2 ] && ok || fail "drift with a broken .peer file: not 2"
"$PEERC" import --help | grep -q '^Usage: peerc import' && ok || fail "import --help"
"$PEERC" drift --help | grep -q '^Usage: peerc drift' && ok || fail "drift --help"

# --- a 100 MB file: a clear error at its end, in bounded time
/usr/bin/python3 -c '
import sys
v = open(sys.argv[1]).read().strip()[1:-1]
with open(sys.argv[2], "w") as f:
    f.write("[")
    n = 0
    while n < 100 * 1024 * 1024:
        f.write(v + ",\n")
        n += len(v) + 2
' "$dir/fixtures/mesh.json" "$work/big.json"
timeout 120 "$PEERC" import "$work/big.json" >/dev/null 2>"$work/big.err"
s=$?
[ $s -eq 1 ] && grep -q 'big.json:.*error: not valid JSON' "$work/big.err" && ok ||
	{ head -n 3 "$work/big.err"; fail "100 MB truncated file: exit status $s"; }

echo "$passed passed, $([ $status -eq 0 ] && echo 0 || echo 'some') failed"
exit $status
