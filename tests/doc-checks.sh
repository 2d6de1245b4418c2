#!/bin/sh
# doc/checks.md cannot rot: every check of `peerc --list-warnings` has its
# row (its name in backquotes, anchored by the name), every name of a row
# has its anchor, and every `$ peerc ...` line of a ```console block prints
# the lines under it.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
cd "$top_srcdir" || exit 99
doc=doc/checks.md
failures=0
names=$("$PEERC" --list-warnings | cut -d' ' -f1)
[ -n "$names" ] || { echo "FAIL: peerc --list-warnings lists nothing"; exit 1; }
# A row of a table, "| <a id="name"></a>`name` | level | ...": peerc lsp
# links a diagnostic to its anchor, and --diagnostics-format=sarif takes
# each check's help from the row (tools/embed-rules) and links to it too.
for name in $names; do
	grep -q "^| <a id=\"$name\"></a>\`$name\` |" "$doc" || {
		echo "FAIL: $doc has no table row for the check $name, anchored by its name"
		failures=$((failures + 1))
	}
done
# Every name in a row's first cell has its anchor, once; an anchored row
# is its name's (a name listed again, "as above", is not anchored twice).
rows=$(grep '^| [^|]*`[a-z][a-z0-9-]*` |' "$doc")
bad=$(echo "$rows" | grep '^| <a id=' | grep -v '^| <a id="\([a-z0-9-]*\)"></a>`\1` |')
[ -z "$bad" ] || {
	echo "FAIL: $doc: rows anchored by another name than theirs:"
	echo "$bad"
	failures=$((failures + 1))
}
for name in $(echo "$rows" | sed 's/^| [^|`]*`\([a-z0-9-]*\)` |.*/\1/' | sort -u); do
	n=$(grep -c "<a id=\"$name\">" "$doc")
	[ "$n" -eq 1 ] || {
		echo "FAIL: $doc: the name $name has $n anchors, not 1"
		failures=$((failures + 1))
	}
done
# Console blocks: a "$ peerc ARGS" line, then what it prints.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
	/^```console$/ { inblock = 1; next }
	/^```$/ { inblock = 0; next }
	inblock && /^\$ peerc / { n++; print substr($0, 9) > (dir "/" n ".args"); next }
	inblock { print > (dir "/" n ".want") }
' "$doc"
for args in "$tmp"/*.args; do
	[ -f "$args" ] || continue
	# shellcheck disable=SC2046 # the arguments are words of the doc
	"$PEERC" $(cat "$args") >"${args%.args}.got" 2>/dev/null
	cmp -s "${args%.args}.want" "${args%.args}.got" || {
		echo "FAIL: $doc: 'peerc $(cat "$args")' prints:"
		cat "${args%.args}.got"
		failures=$((failures + 1))
	}
done
[ "$failures" -eq 0 ]
