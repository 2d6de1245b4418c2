#!/bin/sh
# README.md cannot rot: its code blocks are run, in order, in a scratch
# directory with the peerc under test first in PATH.
#
#   ```peer                      a complete file: compiles without a diagnostic
#   <!-- append: FILE --> ```peer   appended to FILE (a blank line between
#                                the pieces): the tutorial builds its file
#   ```sh                        commands: every one exits 0 (set -e), or,
#   <!-- exit: N --> ```sh        the block exits with status N
#   <!-- output of: CMD -->      any block: CMD prints exactly the block,
#                                standard output and error together
#   <!-- excerpt of: CMD -->     any block: CMD prints the block's lines
#                                somewhere, one after the other
#   ```yaml                      every `run: peerc ...` line exits 0, and a
#                                block with `id: peerc-check` runs the
#                                hook of .pre-commit-hooks.yaml with its args
#
# The set-up block (`./setup` and `tests/run`) is the one ```sh block not
# run: ./setup installs packages with apt-get and builds a second tree, and
# tests/run runs `make check`, which runs this script, forever.
set -u
: "${PEERC:?}" "${top_srcdir:?}"
case $PEERC in /*) ;; *) PEERC=$(pwd)/$PEERC ;; esac
top_srcdir=$(cd "$top_srcdir" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/blocks" "$tmp/work" "$tmp/bin"
ln -s "$PEERC" "$tmp/bin/peerc"
PATH=$tmp/bin:$PATH
export PATH
status=0
fail() { echo "FAIL: README.md:$*"; status=1; }

# One file per block (NNN.body), and a manifest line per block:
# NNN LINE LANG MARKER, MARKER being the HTML comment just above the fence.
awk -v dir="$tmp/blocks" '
	/^<!-- .* -->$/ { marker = substr($0, 6, length($0) - 9); next }
	/^```[a-z]+$/ && !inblock {
		n++; inblock = 1
		body = sprintf("%s/%03d.body", dir, n)
		printf "" > body
		printf "%03d %d %s %s\n", n, NR, substr($0, 4), marker
		marker = ""; next
	}
	/^```$/ && inblock { inblock = 0; close(body); next }
	inblock { print > body; next }
	{ marker = "" }
' "$top_srcdir/README.md" >"$tmp/manifest"
[ -s "$tmp/manifest" ] || { echo "README.md has no code block"; exit 99; }

# CMD's output must be the block ($1 = output) or hold it ($1 = excerpt).
compare() {
	(cd "$tmp/work" && sh -c "$3") >"$tmp/got" 2>&1
	if [ "$1" = output ]; then
		cmp -s "$2" "$tmp/got" && return 0
		diff -u "$2" "$tmp/got" | sed 's/^/    /'
		return 1
	fi
	awk -v want="$2" '
		BEGIN { while ((getline l < want) > 0) w[++n] = l }
		{ g[++m] = $0 }
		END {
			for (i = 1; i + n - 1 <= m; i++) {
				for (j = 1; j <= n && g[i + j - 1] == w[j]; j++)
					;
				if (j > n)
					exit 0
			}
			exit 1
		}
	' "$tmp/got"
}

tours=0
setup_seen=0
while read -r n line lang marker; do
	body=$tmp/blocks/$n.body
	case $marker in
	"output of: "* | "excerpt of: "*)
		kind=${marker%% of: *}
		compare "$kind" "$body" "${marker#* of: }" ||
			fail "$line: the $kind of '${marker#* of: }' is not the block"
		continue ;;
	esac
	case $lang in
	peer)
		case $marker in
		"append: "*)
			file=$tmp/work/${marker#append: }
			[ ! -s "$file" ] || echo >>"$file"
			cat "$body" >>"$file" ;;
		*)
			tours=$((tours + 1))
			cp "$body" "$tmp/work/tour$tours.peer"
			(cd "$tmp/work" && peerc -t none "tour$tours.peer") \
				>"$tmp/err" 2>&1 ||
				fail "$line: exit status $?"
			[ ! -s "$tmp/err" ] || {
				fail "$line: diagnostics"
				cat "$tmp/err"
			} ;;
		esac ;;
	sh)
		if grep -q '^\./setup ' "$body" && grep -q '^tests/run ' "$body"; then
			setup_seen=1
			continue
		fi
		want=0
		flags=-e
		case $marker in "exit: "*) want=${marker#exit: }; flags= ;; esac
		(cd "$tmp/work" && sh $flags "$body") >"$tmp/err" 2>&1
		got=$?
		[ "$got" -eq "$want" ] || {
			fail "$line: the commands exit with status $got, not $want"
			cat "$tmp/err"
		} ;;
	yaml)
		sed -n 's/^ *\(- \)\{0,1\}run: \(peerc .*\)/\2/p' "$body" \
			>"$tmp/runs"
		while IFS= read -r cmd; do
			(cd "$tmp/work" && sh -c "$cmd") >"$tmp/err" 2>&1 || {
				fail "$line: 'run: $cmd' fails"
				cat "$tmp/err"
			}
		done <"$tmp/runs"
		if grep -q 'id: peerc-check$' "$body"; then
			hooks=$top_srcdir/.pre-commit-hooks.yaml
			grep -q '^- id: peerc-check$' "$hooks" ||
				fail "$line: .pre-commit-hooks.yaml has no peerc-check"
			entry=$(sed -n 's/^ *entry: //p' "$hooks")
			args=$(sed -n 's/^ *args: \[\(.*\)\]$/\1/p' "$body" | tr -d ,)
			(cd "$tmp/work" && sh -c "$entry $args") >"$tmp/err" 2>&1 || {
				fail "$line: the hook '$entry $args' fails"
				cat "$tmp/err"
			}
		fi ;;
	esac
done <"$tmp/manifest"
[ "$setup_seen" -eq 1 ] || fail "1: no set-up block (./setup, tests/run)"
[ "$tours" -ge 1 ] || fail "1: no complete peer block"

# "Change the last line to `deny app <-> data` and peerc reports the path
# that exists, at the `transit = nva` that makes it."
cd "$tmp/work" || exit 99
sed '$s/.*/deny app <-> data/' "tour$tours.peer" >deny.peer
peerc -t none deny.peer 2>err
rc=$?
[ "$rc" -eq 1 ] || fail "deny app <-> data: exit status $rc"
grep -q '^deny.peer:[0-9]*:[0-9]*: note: .*$' err &&
	grep -q '| *hub hub -> app, data { transit = nva }' err ||
	fail "deny app <-> data: no note at the transit = nva"

# The picture beside the README is the tutorial's topology.svg as the
# README's commands draw it (the Graphviz version comment aside).
if [ -f topology.svg ]; then
	sed '/^<!-- Generated by graphviz/d' topology.svg >picture.svg
	sed '/^<!-- Generated by graphviz/d' "$top_srcdir/tutorial.svg" |
		cmp -s - picture.svg ||
		fail "tutorial.svg is not the tutorial's picture (cp the topology.svg the README's commands make)"
else
	fail "the README's commands made no topology.svg"
fi

# "To ask the same question without writing a `require`:
# `peerc --explain spoke1 spoke2 topology.peer`."
peerc --explain spoke1 spoke2 topology.peer >out 2>err
rc=$?
[ "$rc" -eq 0 ] || fail "--explain spoke1 spoke2: exit status $rc"
grep -q '^yes' out || fail "--explain spoke1 spoke2: '$(cat out)'"

# Every picture the README shows is committed beside it, and is a PNG.
for img in $(sed -n 's/.*!\[[^]]*\](\([^)]*\)).*/\1/p' "$top_srcdir/README.md"); do
	[ "$(head -c 8 "$top_srcdir/$img" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
		fail "the picture $img is missing or not a PNG"
	pictures=$((${pictures:-0} + 1))
done
[ "${pictures:-0}" -ge 1 ] || fail "no picture of the editor support"
exit $status
