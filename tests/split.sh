#!/bin/sh
# The deployment plan (compiler/plan.h) where Azure's limits make it split
# an output into more deployments and stages:
#   - tests/split/NAME.peer (a hub with 460 spokes in one group; two groups
#     that each need more than one deployment, their groups created by the
#     output) compiled to ARM and Bicep twice (the same bytes each time),
#     each output checked as the goldens are (arm-check.py, check-bicep.py,
#     arm-same-as-bicep.py) and its plan (stages, deployments, scopes,
#     waits: plan-summary.py) compared with NAME.plan (REGEN=1 rewrites it);
#   - a generated estate of 10,000 VNets (tests/bench/gen-peer-estate.py: 21
#     hubs with gateways, four subscriptions) the same way, its sizes
#     printed; arm-check.py reads a sample of each template's resources
#     against the schemas, and everything else in full;
#   - a limit that no deployment can meet is the same located error for
#     both targets (tests/golden/plan/too-many-subnets.*);
#   - two outputs compiled into one folder keep each other's modules, also
#     when their names differ only past what a deployment name keeps.
# Skipped (77) without python3 and its jsonschema module.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
case $PEERC in /*) ;; *) PEERC=$(pwd)/$PEERC ;; esac
python3 -c 'import jsonschema' 2>/dev/null || {
	echo "SKIP: python3 with jsonschema is not installed"
	exit 77
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tests=$top_srcdir/tests
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

# compile PEER DIR NAME: NAME.json and NAME.bicep (with stages, modules) in DIR
compile() {
	mkdir -p "$2"
	"$PEERC" -t arm -o "$2/$3.json" "$1" &&
		"$PEERC" -t bicep -o "$2/$3.bicep" "$1"
}

# check DIR NAME [SAMPLE]: the output in DIR passes the checkers
check() {
	c_sample=${3:+--sample $3}
	# shellcheck disable=SC2086 # no sample: no words
	python3 "$tests/arm-check.py" $c_sample "$tests/schemas" "$1/$2.json" ||
		fail "$2: arm-check.py (above)"
	python3 "$tests/bicep/check-bicep.py" "$1/$2.bicep" ||
		fail "$2: check-bicep.py (above)"
	python3 "$tests/arm-same-as-bicep.py" "$1/$2.json" "$1/$2.bicep" ||
		fail "$2: the ARM and Bicep outputs differ (above)"
}

for peer in "$tests"/split/*.peer; do
	name=$(basename "$peer" .peer)
	compile "$peer" "$work/1/$name" "$name" 2>"$work/stderr" &&
		compile "$peer" "$work/2/$name" "$name" 2>>"$work/stderr" ||
		{ fail "$name does not compile"; cat "$work/stderr"; continue; }
	[ -s "$work/stderr" ] && { fail "$name: peerc says something"; cat "$work/stderr"; }
	diff -r "$work/1/$name" "$work/2/$name" >/dev/null ||
		fail "$name: two runs wrote different bytes"
	check "$work/1/$name" "$name"
	python3 "$tests/plan-summary.py" "$work/1/$name/$name.json" >"$work/plan"
	if [ "${REGEN:-0}" != 0 ]; then
		cp "$work/plan" "$tests/split/$name.plan"
	elif ! diff -u "$tests/split/$name.plan" "$work/plan"; then
		fail "$name: the plan differs from $name.plan (above)"
	fi
	echo "split: $name: $(grep -c '^  peerc-' "$work/plan") deployments," \
		"$(grep -c '^stage' "$work/plan") stages"
done

# The estate of 10,000 VNets.
python3 "$tests/bench/gen-peer-estate.py" 10000 "$work/estate.peer"
if compile "$work/estate.peer" "$work/estate" estate; then
	check "$work/estate" estate 2
	python3 "$tests/plan-summary.py" --sizes "$work/estate/estate.json" |
		grep -E '^(stage|total)'
else
	fail "the 10,000-VNet estate does not compile"
fi

# A limit that cannot be met: one located error, whatever the target.
golden=$tests/golden/plan/too-many-subnets
(cd "$(dirname "$golden")" && "$PEERC" -t bicep -o "$work/nothing.bicep" \
	too-many-subnets.peer) 2>"$work/stderr"
[ $? -eq 1 ] || fail "too-many-subnets.peer: Bicep does not exit 1"
cmp -s "$work/stderr" "$golden.stderr" ||
	{ fail "too-many-subnets.peer: Bicep says otherwise than ARM"; cat "$work/stderr"; }
[ ! -e "$work/nothing.bicep" ] || fail "too-many-subnets.peer: Bicep wrote a file"

# side_by_side DIR NAME1 PEER1 NAME2 PEER2 WHAT: NAME1.bicep then NAME2.bicep
# compiled into DIR; the second leaves the first's modules as they were
# and writes its own (WHAT says which pair failed).
side_by_side() {
	mkdir -p "$1"
	"$PEERC" -t bicep -o "$1/$2.bicep" "$3" &&
		(cd "$1" && cksum modules/* >"$work/before") &&
		"$PEERC" -t bicep -o "$1/$4.bicep" "$5" ||
		{ fail "$6: they do not compile"; return; }
	(cd "$1" && cksum $(sed 's/.* //' "$work/before")) | cmp -s - "$work/before" ||
		fail "$6: the second output changed the first one's modules"
	[ "$(ls "$1/modules" | wc -l)" -gt "$(wc -l <"$work/before")" ] ||
		fail "$6: the second output wrote no modules of its own"
	for main in "$2" "$4"; do
		python3 "$tests/bicep/check-bicep.py" "$1/$main.bicep" ||
			fail "$6: $main.bicep beside another output: check-bicep.py (above)"
	done
}
# Two outputs in one folder: each its own modules, named after it; also
# when the names are alike in the first 20 characters, all a deployment
# name leaves them, and the inputs are the same.
side_by_side "$work/both" hub-spoke "$top_srcdir/examples/hub-spoke.peer" \
	main "$top_srcdir/examples/multi-subscription.peer" "two examples"
side_by_side "$work/long" estate-westeurope-prod-1 "$top_srcdir/examples/hub-spoke.peer" \
	estate-westeurope-prod-2 "$top_srcdir/examples/hub-spoke.peer" "names alike"

[ $status -eq 0 ] && echo "split: all passed"
exit $status
