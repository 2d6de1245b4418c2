#!/bin/sh
# The README's tour compiles, and does what the README says around it.
set -u
: "${PEERC:?}" "${top_srcdir:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; sed 's/^/    /' "$tmp/err"; status=1; }

# Every ```peer block of README.md, one file each.
awk -v dir="$tmp" '
	/^```peer$/ { n++; file = dir "/tour" n ".peer"; next }
	/^```$/ { file = ""; next }
	file != "" { print > file }
' "$top_srcdir/README.md"
[ -f "$tmp/tour1.peer" ] || { echo "README.md has no peer block"; exit 99; }
cd "$tmp" || exit 99
for f in tour*.peer; do
	"$PEERC" -t none "$f" 2>err
	rc=$?
	[ "$rc" -eq 0 ] || fail "$f: exit status $rc"
	[ ! -s err ] || fail "$f: diagnostics"
done

# "Change the last line to `deny app <-> data` and peerc reports the path
# that exists, at the `transit = nva` that makes it."
sed '$s/.*/deny app <-> data/' tour1.peer >deny.peer
"$PEERC" -t none deny.peer 2>err
rc=$?
[ "$rc" -eq 1 ] || fail "deny app <-> data: exit status $rc"
grep -q '^deny.peer:[0-9]*:[0-9]*: note: .*$' err &&
	grep -q '| *hub hub -> app, data { transit = nva }' err ||
	fail "deny app <-> data: no note at the transit = nva"

# "`peerc --explain app office topology.peer` says whether two networks can
# talk."
"$PEERC" --explain app office tour1.peer >out 2>err
rc=$?
[ "$rc" -eq 0 ] || fail "--explain app office: exit status $rc"
grep -q '^yes' out || fail "--explain app office: '$(cat out)'"
exit $status
