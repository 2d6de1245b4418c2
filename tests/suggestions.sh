#!/bin/sh
# Every edit a failed require or --explain suggests must compile. For each
# fixture under tests/golden/ and examples/ whose require fails, and each
# --explain fixture whose answer is "no" (its question becomes a require),
# apply each fix-it of each failed require alone (tests/fixit-variants
# writes the variants) and compile the result with peerc:
#   - it brings no error the fixture did not have (a suggestion that Azure
#     would refuse, or that breaks a deny, fails here),
#   - the require it was for holds now,
#   - an --explain question is answered "yes" now, and its "no" said the
#     same as the require's message did.
# Run by `make check` with PEERC and FIXIT_VARIANTS set.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
: "${FIXIT_VARIANTS:?FIXIT_VARIANTS must name tests/fixit-variants}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fixtures=0
edits=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# errors FILE: the text of each error peerc reports, without its place
# (an edit moves lines), sorted.
errors() {
	(cd "$(dirname "$1")" && "$PEERC" -t none "$(basename "$1")" 2>&1) |
		sed -n 's/^[^ ]*: error: //p' | sort
}

# check FIXTURE FILE [A B]: every variant of FILE (FIXTURE as written, or
# with a require for --explain A B) compiles, and fixes its require.
check() {
	c_name=$1 c_file=$2
	errors "$c_file" >"$work/before"
	mkdir -p "$work/v"
	rm -f "$work/v"/*
	"$FIXIT_VARIANTS" "$c_file" "$work/v" >"$work/list" ||
		{ fail "$c_name: fixit-variants failed"; return; }
	fixtures=$((fixtures + 1))
	while IFS='	' read -r c_variant c_msg; do
		edits=$((edits + 1))
		errors "$c_variant" >"$work/after"
		if [ -n "$(comm -13 "$work/before" "$work/after")" ]; then
			fail "$c_name: the edit for \"$c_msg\" brings new errors:"
			comm -13 "$work/before" "$work/after" | sed 's/^/    /'
			diff "$c_file" "$c_variant" | sed 's/^/    /'
		fi
		if grep -qxF -- "$c_msg" "$work/after"; then
			fail "$c_name: the edit for \"$c_msg\" does not fix it"
		fi
		if [ $# -eq 4 ] && ! "$PEERC" --explain "$3" "$4" "$c_variant" >/dev/null 2>&1; then
			fail "$c_name: after the edit, --explain $3 $4 still says no"
		fi
	done <"$work/list"
}

# An --explain fixture: its .args hold --explain A B.
explain_fixture() {
	e_peer=$1 e_args=$2
	set -- $(cat "$e_args")
	[ "$1" = --explain ] || return
	e_a=$2 e_b=$3
	e_answer=$(cd "$(dirname "$e_peer")" && "$PEERC" --explain "$e_a" "$e_b" \
		"$(basename "$e_peer")" 2>/dev/null)
	case $e_answer in no,*) ;; *) return ;; esac
	e_copy=$work/$(basename "$e_peer")
	{ cat "$e_peer"; printf '\nrequire %s <-> %s\n' "$e_a" "$e_b"; } >"$e_copy"
	# the "no" of --explain is the require's reason, word for word
	e_msg="require fails: '$e_a' cannot reach '$e_b' because ${e_answer#no, because }"
	errors "$e_copy" | grep -qxF -- "$e_msg" ||
		fail "$e_peer: --explain says \"$e_answer\", the require does not"
	check "$e_peer" "$e_copy" "$e_a" "$e_b"
}

for f in $(find "$top_srcdir/tests/golden" "$top_srcdir/examples" -name '*.peer' | sort); do
	base=${f%.peer}
	if [ -f "$base.args" ] && grep -q -- --explain "$base.args"; then
		explain_fixture "$f" "$base.args"
	elif [ -f "$base.stderr" ] && grep -q 'error: require fails' "$base.stderr"; then
		check "$f" "$f"
	fi
done

# Not vacuous: the fixtures have failed requires with edits.
[ "$fixtures" -ge 8 ] || fail "only $fixtures fixtures with a failed require"
[ "$edits" -ge 8 ] || fail "only $edits edits tried"
echo "suggestions: $edits edits of $fixtures fixtures compiled"
[ "$failures" -eq 0 ]
