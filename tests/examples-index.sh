#!/bin/sh
# examples/README.md lists every .peer file under examples/, and every file
# it lists exists.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
cd "$top_srcdir/examples" || exit 99
status=0
for f in *.peer */*.peer; do
	grep -q "^| \`$f\` |" README.md || {
		echo "examples/README.md does not list $f"
		status=1
	}
done
for f in $(sed -n 's/^| `\([^`]*\.peer\)` |.*/\1/p' README.md); do
	[ -f "$f" ] || {
		echo "examples/README.md lists $f, which does not exist"
		status=1
	}
done
# every example links its picture, and the picture is there (tests/graph.sh
# checks that it is what Graphviz draws from NAME.dot)
for f in *.peer; do
	svg=${f%.peer}.svg
	grep -q "^| \`$f\` |.*| \[$svg\]($svg) |$" README.md && [ -f "$svg" ] || {
		echo "examples/README.md does not link $svg, or it is missing"
		status=1
	}
done
[ "$status" = 0 ] && echo "examples/README.md lists all $(ls *.peer */*.peer | wc -l) examples"
exit "$status"
