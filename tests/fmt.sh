#!/bin/sh
# `peerc fmt` (doc/fmt.md):
#  1. each tests/fmt-cases/NAME.peer formats to NAME.fmt, byte for byte;
#  2. every .peer file of the tree and every ```peer block of the docs that
#     parses is formatted already (so make check keeps them so), except the
#     copies below that must stay as they are;
#  3. on all of those and on tests/fmt-cases/, formatting never changes meaning
#     (the -t ast JSON, ranges aside, is the same) and a second run changes
#     nothing;
#  4. the command line: in place, --check, --diff, -, errors, statuses.
# Not formatted, on purpose: doc/language.md and tests/lang/ (copies of the
# language contract, which is not ours to change), tests/editors/ (the
# highlighting cases, odd layout on purpose), tests/fuzz/crashers/ (inputs
# kept byte for byte) and tests/fmt-cases/ (the formatter's own unformatted
# inputs). Files with lexical or syntax errors cannot be formatted: they
# are the fixtures of those errors.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is needed to compare the AST JSON"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# same_meaning A B: the -t ast JSON of the two files, ranges and file names
# left out, is the same.
same_meaning() {
	for f in "$1" "$2"; do
		"$PEERC" -t ast -o - - <"$f" 2>/dev/null || return 1
		echo '---'
	done | python3 -c '
import json, sys
docs = sys.stdin.read().split("---\n")
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items()
                if not k.endswith("range") and k != "source"}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
a, b = (strip(json.loads(d)) for d in docs[:2])
sys.exit(0 if a == b else 1)'
}

# roundtrip FILE: meaning kept, and formatting the output changes nothing.
roundtrip() {
	"$PEERC" fmt - <"$1" >"$work/once" 2>"$work/err" || return 2
	"$PEERC" fmt - <"$work/once" >"$work/twice" 2>>"$work/err" || {
		fail "$1: its formatted text does not parse: $(head -n 1 "$work/err")"
		return 1
	}
	cmp -s "$work/once" "$work/twice" || {
		fail "$1: formatting twice changes it again:"
		diff -u "$work/once" "$work/twice" | sed 's/^/    /'
		return 1
	}
	same_meaning "$1" "$work/once" || {
		fail "$1: formatting changed its meaning (-t ast)"
		return 1
	}
	pass
}

# 1. the formatter's own cases
ncases=0
for f in "$top_srcdir"/tests/fmt-cases/*.peer; do
	[ -f "$f" ] || continue
	ncases=$((ncases + 1))
	want=${f%.peer}.fmt
	"$PEERC" fmt - <"$f" >"$work/got" 2>"$work/err"
	if cmp -s "$want" "$work/got"; then
		pass
	else
		fail "tests/fmt-cases/${f##*/} does not format to ${want##*/}:"
		diff -u "$want" "$work/got" | sed 's/^/    /'
	fi
	roundtrip "$f"
done
[ "$ncases" -ge 5 ] || fail "only $ncases cases in tests/fmt-cases/"

# 2 and 3. the tree's .peer files
cd "$top_srcdir" || exit 99
find examples tests -name '*.peer' ! -path 'tests/lang/*' \
	! -path 'tests/editors/*' ! -path 'tests/fuzz/*' ! -path 'tests/fmt-cases/*' |
	LC_ALL=C sort >"$work/files"
nfiles=0
while read -r f; do
	roundtrip "$f"
	[ $? = 2 ] && continue # errors: an error fixture
	nfiles=$((nfiles + 1))
	if "$PEERC" fmt --check "$f" 2>/dev/null; then
		pass
	else
		fail "$f is not formatted (peerc fmt $f)"
	fi
done <"$work/files"
[ "$nfiles" -gt 50 ] || fail "only $nfiles .peer files found to check"

# The docs' ```peer blocks and the man page's examples, each a file.
python3 - "$work/snippets" README.md doc/*.md examples/README.md \
	editors/README.md man/peer.5 <<'PY' || fail "could not extract the doc snippets"
import os, re, sys
out, paths = sys.argv[1], sys.argv[2:]
os.makedirs(out)
for path in paths:
    if path == "doc/language.md":
        continue
    text = open(path, encoding="utf-8").read()
    block = r"^```peer\n(.*?)^```"
    if path.endswith(".5"):  # troff: .nf .ft CR ... .ft, with \- and \e
        block = r"^\.nf\n\.ft CR\n(.*?)^\.ft\n"
    for m in re.finditer(block, text, re.S | re.M):
        line = text[:m.start()].count("\n") + 1
        body = m.group(1)
        if path.endswith(".5"):
            body = body.replace("\\-", "-").replace("\\e", "\\")
        name = path.replace("/", "_") + "_line%d.peer" % line
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(body)
PY
nsnippets=0
for f in "$work"/snippets/*.peer; do
	[ -f "$f" ] || continue
	name=${f##*/}
	"$PEERC" fmt - <"$f" >"$work/got" 2>/dev/null || continue
	nsnippets=$((nsnippets + 1))
	if cmp -s "$f" "$work/got"; then
		pass
	else
		fail "the \`\`\`peer block of ${name%_line*} at line ${name##*_line} is not formatted:"
		diff -u "$f" "$work/got" | sed 's/^/    /'
	fi
done
[ "$nsnippets" -gt 5 ] || fail "only $nsnippets doc snippets found"

# 4. the command line
mkdir "$work/cli" && cd "$work/cli" || exit 99
expect_status() { # WANT WHAT COMMAND...
	e_want=$1 e_what=$2
	shift 2
	"$@" >out 2>err
	e_got=$?
	if [ "$e_got" = "$e_want" ]; then pass; else fail "$e_what: exit $e_got, not $e_want"; cat err; fi
}
printf 'vnet  a 10.0.0.0/16\n' >messy.peer
printf 'vnet a 10.0.0.0/16\n' >tidy.peer
printf 'vnet a 10.0.0.0/16 {\n' >broken.peer
cp messy.peer messy.orig
chmod 640 messy.peer
expect_status 3 "--check of a file not formatted" "$PEERC" fmt --check messy.peer tidy.peer
grep -qx 'peerc: note: messy.peer is not formatted' err && ! grep -q tidy err && pass ||
	fail "--check does not name exactly the file not formatted"
cmp -s messy.peer messy.orig && pass || fail "--check wrote the file"
expect_status 3 "--diff" "$PEERC" fmt --diff messy.peer
printf '%s\n' '--- a/messy.peer' '+++ b/messy.peer' '@@ -1 +1 @@' \
	'-vnet  a 10.0.0.0/16' '+vnet a 10.0.0.0/16' >want.diff
cmp -s want.diff out && pass || { fail "--diff prints another diff:"; cat out; }
expect_status 0 "--check of formatted files" "$PEERC" fmt --check tidy.peer
expect_status 0 "rewriting in place" "$PEERC" fmt messy.peer tidy.peer
cmp -s messy.peer tidy.peer && pass || fail "the file was not rewritten"
[ "$(stat -c %a messy.peer)" = 640 ] && pass || fail "rewriting lost the file's mode"
[ -z "$(ls -A | grep -v -e '\.peer$' -e '\.orig$' -e '^out$' -e '^err$' -e '\.diff$')" ] &&
	pass || fail "temporary files left behind: $(ls -A)"
touch -d '2001-01-01' tidy.peer
expect_status 0 "an unchanged file" "$PEERC" fmt tidy.peer
[ "$(stat -c %Y tidy.peer)" = "$(date -d 2001-01-01 +%s)" ] && pass ||
	fail "a formatted file was written again"
cp broken.peer broken.orig
expect_status 1 "a syntax error" "$PEERC" fmt broken.peer
grep -q '^broken.peer:1:21: error: ' err && pass || { fail "no located error"; cat err; }
cmp -s broken.peer broken.orig && pass || fail "a file with an error was changed"
expect_status 0 "standard input" sh -c "'$PEERC' fmt - <messy.orig"
cmp -s out tidy.peer && pass || fail "- does not write the formatted text"
expect_status 2 "a missing file" "$PEERC" fmt missing.peer
expect_status 2 "no file" "$PEERC" fmt
expect_status 2 "an unknown option" "$PEERC" fmt --frob x.peer
# the options of every command go through one parser (subcmd.c, cli.c's
# errors): a misspelt one gets the compiler's hint
expect_status 2 "a misspelt option" "$PEERC" fmt --chek x.peer
grep -q "^peerc: error: unrecognized option '--chek'; did you mean '--check'?$" err &&
	pass || { fail "fmt --chek: no hint"; cat err; }
expect_status 0 "--help" "$PEERC" fmt --help
grep -q '^Usage: peerc fmt' out && pass || fail "fmt --help"
# The worst status wins: a syntax error (1) over a stale file (3).
expect_status 1 "errors and stale files" "$PEERC" fmt --check messy.orig broken.peer

echo "fmt: $nfiles files and $nsnippets doc snippets checked"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
