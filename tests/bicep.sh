#!/bin/sh
# The Bicep output checked as Bicep (tests/bicep/, see tests/README.md):
#   1. the checker catches what it claims to (selftest.py mutates a clean
#      output and expects each rule to fire);
#   2. every fixture with a NAME.bicep golden, compiled again as golden.sh
#      does (which also compares it byte for byte with the goldens, module
#      files included, over two runs), passes check-bicep.py: parse, layout,
#      the type data, the linter's default rules, the modules;
#   3. hostile strings come back unchanged through the parser;
#   4. where a fixture has a Terraform golden too, both deploy the same
#      VNets, peering halves (four settings each) and route tables.
# The real Bicep CLI is not used: neither Debian nor npm packages it (npm's
# wrappers download the binary, which this project's machines cannot do).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
case $PEERC in /*) ;; *) PEERC=$(pwd)/$PEERC ;; esac
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is needed to check the Bicep output"
	exit 77
fi
here=$top_srcdir/tests/bicep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# compile FIXTURE.peer DIR: NAME.bicep and its modules into DIR.
compile() {
	c_dir=$(dirname "$1") c_name=$(basename "$1" .peer)
	c_args=
	[ -f "$c_dir/$c_name.args" ] && c_args=$(cat "$c_dir/$c_name.args")
	mkdir -p "$2"
	# shellcheck disable=SC2086 # ARGS are words on purpose
	(cd "$c_dir" && "$PEERC" $c_args -t bicep -o "$2/$c_name.bicep" "$c_name.peer")
}

# The API version a fixture asks for: --api-version in NAME.args, else
# api_version in the file, else the default.
api_version() {
	a_dir=$(dirname "$1") a_name=$(basename "$1" .peer)
	v=$(sed -n 's/.*--api-version[ =]\([0-9-]*\).*/\1/p' "$a_dir/$a_name.args" 2>/dev/null)
	[ -n "$v" ] || v=$(sed -n 's/^ *api_version *= *"\([0-9-]*\)".*/\1/p' "$1")
	echo "${v:-2025-07-01}"
}

# 1. the checker's own test, on an output with modules and route tables
if compile "$top_srcdir/examples/hub-spoke.peer" "$work/self" &&
	python3 "$here/selftest.py" "$work/self" hub-spoke.bicep; then
	ok
else
	fail "selftest.py"
fi

# 2. every Bicep golden's output
find "$top_srcdir/examples" "$top_srcdir/tests/golden" -name '*.bicep' \
	! -path '*/modules/*' | LC_ALL=C sort >"$work/goldens"
while read -r golden; do
	peer=${golden%.bicep}.peer
	out=$work/out/$(basename "$golden" .bicep)
	if ! compile "$peer" "$out"; then
		fail "$peer does not compile"
	elif python3 "$here/check-bicep.py" --api-version "$(api_version "$peer")" \
		"$out/$(basename "$golden")"; then
		ok
	else
		fail "$golden: check-bicep.py (above)"
	fi
done <"$work/goldens"
[ -s "$work/goldens" ] || fail "no Bicep goldens found"

# 3. hostile strings round-trip
if compile "$top_srcdir/tests/golden/bicep/hostile.peer" "$work/hostile" &&
	python3 "$here/roundtrip.py" "$work/hostile/hostile.bicep"; then
	ok
else
	fail "hostile strings do not round-trip"
fi

# 4. the same topology as the Terraform output, where a fixture has both
while read -r golden; do
	tf=${golden%.bicep}.tf
	[ -f "$tf" ] || continue
	if python3 "$here/same-as-terraform.py" "$golden" "$tf"; then
		ok
	else
		fail "$golden: not what ${tf##*/} deploys (above)"
	fi
done <"$work/goldens"

echo "bicep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
