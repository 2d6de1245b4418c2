#!/bin/sh
# Golden tests: every NAME.peer under tests/golden/ and examples/ is compiled
# and what peerc says and writes is compared byte for byte with the files
# beside it. See tests/README.md for the layout.
#
# Usage: tests/golden.sh [--regen] [FIXTURE.peer...]
#   --regen (or REGEN=1): rewrite the goldens in the source tree from what
#   peerc does now, for review with git diff.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=$(pwd)
regen=${REGEN:-0}
[ "$regen" = 0 ] || regen=1
if [ "${1:-}" = "--regen" ]; then
	regen=1
	shift
fi
case $PEERC in /*) ;; *) PEERC=$builddir/$PEERC ;; esac

for d in tests/golden examples; do
	[ -d "$top_srcdir/$d" ] || { echo "no directory $top_srcdir/$d"; exit 99; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
passed=0

# The output goldens and the targets that write them.
targets="ast.json:ast tf:terraform bicep:bicep json:arm dot:dot mmd:mermaid"

# mismatch REL EXPECTED GOT: report, keep GOT as REL.got in the build tree,
# or, regenerating, make it the golden (an empty stdout/stderr or a 0 exit
# status is no file at all).
# (Shell functions share one set of variables: each uses its own names.)
mismatch() {
	m_rel=$1 m_expected=$2 m_got=$3
	if [ "$regen" = 1 ] && [ "$m_got" = /dev/null ]; then
		rm -f "$m_expected"
		echo "regenerated $m_rel (removed: no longer written)"
		return
	fi
	if [ "$regen" = 1 ]; then
		case $m_rel in
		*.stderr | *.stdout | *.exit)
			if [ ! -s "$m_got" ] || [ "$(cat "$m_got")" = 0 ]; then
				rm -f "$m_expected"
				echo "regenerated $m_rel (removed)"
				return
			fi ;;
		esac
		mkdir -p "$(dirname "$m_expected")"
		cp "$m_got" "$m_expected"
		echo "regenerated $m_rel"
		return
	fi
	mkdir -p "$builddir/$(dirname "$m_rel")"
	cp "$m_got" "$builddir/$m_rel.got"
	echo "FAIL: $m_rel differs (got: $m_rel.got)"
	[ -f "$m_expected" ] || m_expected=/dev/null
	diff -u "$m_expected" "$m_got" | sed 's/^/    /'
	bad=1
}

# compare REL EXPECTED GOT [DEFAULT]: EXPECTED may be missing, meaning DEFAULT
# (empty when not given).
compare() {
	if [ -f "$2" ]; then
		cmp -s "$2" "$3" && return
	else
		printf '%s' "${4:-}" >"$work/default"
		cmp -s "$work/default" "$3" && return
	fi
	mismatch "$1" "$2" "$3"
}

# run_peerc OUTDIR ARGS...: in the fixture's directory, so that the names in
# messages are the relative ones a user would see.
run_peerc() {
	r_out=$1
	shift
	(cd "$dir" && exec "$PEERC" "$@" "$name.peer") >"$r_out/stdout" 2>"$r_out/stderr"
	echo $? >"$r_out/exit"
}

check_streams() { # OUTDIR
	compare "$rel.stderr" "$dir/$name.stderr" "$1/stderr"
	compare "$rel.exit" "$dir/$name.exit" "$1/exit" "0
"
}

# One output golden: compiled twice (the bytes must not change between runs),
# compared with NAME.EXT; any other file the run writes (a Bicep module at
# modules/x.bicep) is compared with the file at that path beside the
# fixture, so the goldens keep the layout the main file refers to.
check_output() { # EXT TARGET
	ext=$1 target=$2
	for n in 1 2; do
		rm -rf "$work/o$n"
		mkdir -p "$work/o$n/files"
		# shellcheck disable=SC2086 # ARGS are words on purpose
		run_peerc "$work/o$n" $args -t "$target" -o "$work/o$n/files/$name.$ext"
	done
	check_streams "$work/o1"
	if ! diff -r "$work/o1/files" "$work/o2/files" >/dev/null; then
		echo "FAIL: $rel.$ext: two runs wrote different bytes"
		bad=1
	fi
	main=$work/o1/files/$name.$ext
	[ -f "$main" ] || main=/dev/null
	compare "$rel.$ext" "$dir/$name.$ext" "$main"
	(cd "$work/o1/files" && find . -type f ! -path "./$name.$ext" |
		sed 's|^\./||' | LC_ALL=C sort) >"$work/list"
	while read -r o_file; do
		compare "$reldir$o_file" "$dir/$o_file" "$work/o1/files/$o_file"
	done <"$work/list"
}

run_fixture() { # PATH.peer (absolute)
	dir=$(dirname "$1")
	name=$(basename "$1" .peer)
	reldir=${dir#"$top_srcdir"/}/
	rel=$reldir$name
	bad=0
	args="-t none"
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	rm -rf "$work/main"
	mkdir -p "$work/main"
	# shellcheck disable=SC2086
	run_peerc "$work/main" $args
	check_streams "$work/main"
	compare "$rel.stdout" "$dir/$name.stdout" "$work/main/stdout"
	for pair in $targets; do
		ext=${pair%%:*}
		[ -f "$dir/$name.$ext" ] && check_output "$ext" "${pair#*:}"
	done
	if [ "$bad" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

if [ $# -gt 0 ]; then
	for f in "$@"; do
		echo "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
	done
else
	find "$top_srcdir/tests/golden" "$top_srcdir/examples" -name '*.peer' |
		LC_ALL=C sort
fi >"$work/fixtures"
while read -r f; do
	run_fixture "$f"
done <"$work/fixtures"

echo "golden: $passed passed, $failed failed"
[ "$regen" = 1 ] || [ "$failed" -eq 0 ]
