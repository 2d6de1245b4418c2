#!/bin/sh
# The man pages say what peerc does:
# - peerc.1 holds every entry of `peerc --help` word for word, so a page
#   generated from an older --help (a stale man/peerc.1) fails;
# - peer.5 names every check of `peerc --list-warnings` at its level, and
#   every attribute of the resolver's tables (compiler/resolve.c, gateway.c and
#   compiler/expand.c);
# - groff (and man, when installed) find nothing to warn about in peer.5,
#   and its first example compiles without a diagnostic.
set -u
: "${PEERC:?}" "${top_srcdir:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

page1=man/peerc.1
[ -f "$page1" ] || page1=$top_srcdir/man/peerc.1
page5=$top_srcdir/man/peer.5
[ -f "$page1" ] && [ -f "$page5" ] || { echo "no man pages"; exit 99; }

# --- peerc.1 against --help. Both are reduced to one line of words: the
# page as groff prints it (no hyphenation, so words stay whole), the help
# one option entry a line (an entry's continuation lines are indented past
# the option column).
groff -man -Tascii -rHY=0 -P-cbou "$page1" 2>/dev/null |
	tr -s ' \n' '  ' >"$tmp/page1.txt"
"$PEERC" --help | awk '
	/^  -/ { if (e != "") print e; e = $0; next }
	/^      / && e != "" { e = e " " $0; next }
	{ if (e != "") print e; e = "" }
	END { if (e != "") print e }
' | tr -s ' ' >"$tmp/entries"
[ -s "$tmp/entries" ] || { echo "no options in peerc --help"; exit 99; }
while IFS= read -r entry; do
	entry=${entry# }
	grep -qF -- "$entry" "$tmp/page1.txt" ||
		fail "$page1 lacks or has another text for: $entry"
done <"$tmp/entries"

# --- peer.5: every check, with its level, as a .BR heading.
"$PEERC" --list-warnings >"$tmp/checks" || { echo "--list-warnings failed"; exit 99; }
[ -s "$tmp/checks" ] || { echo "--list-warnings printed nothing"; exit 99; }
while read -r name level _; do
	roff=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
	grep -q "^\.BR $roff \" ($level)\"\$" "$page5" ||
		fail "peer.5 has no '$name ($level)' in CHECKS"
done <"$tmp/checks"

# --- peer.5: every attribute name of the blocks' tables
#     static const struct attr_row vnet_attrs[] = {
#             { "address", W_PREFIXES, NULL, vnet_space, 0 }, ...
# set in bold at the start of a line, or as a side attribute in the
# PEERING SETTINGS table (\fIA\fP.access|).
for src in compiler/resolve.c compiler/expand.c compiler/gateway.c; do
	sed -n '/^static const struct attr_row [a-z_]*_attrs\[[A-Z_]*\] = {/,/};/p' \
		"$top_srcdir/$src"
done | grep -o '{ "[a-z_]*"' | tr -d '{ "' | sort -u >"$tmp/attrs"
[ "$(wc -l <"$tmp/attrs")" -ge 20 ] ||
	{ echo "found only $(wc -l <"$tmp/attrs") attributes in the resolver"; exit 99; }
while read -r attr; do
	grep -q -e "^\.B[IR]* \"\{0,1\}$attr\\([ \"]\\|\$\\)" \
		-e "\\\\fP\\.$attr|" "$page5" ||
		fail "peer.5 does not document the attribute '$attr'"
done <"$tmp/attrs"

# --- peer.5 is clean roff.
warnings=$(groff -t -man -z -ww "$page5" 2>&1)
[ -z "$warnings" ] || fail "groff warns about peer.5: $warnings"
if command -v man >/dev/null 2>&1 &&
	man --warnings -l /dev/null >/dev/null 2>&1; then
	warnings=$(MANWIDTH=80 man --warnings -l "$page5" 2>&1 >/dev/null)
	[ -z "$warnings" ] || fail "man warns about peer.5: $warnings"
fi

# --- its first example is a complete file that compiles clean.
sed -n '/^\.SH EXAMPLES/,/^\.SH/{
	/^\.ft CR$/,/^\.ft$/p
}' "$page5" | awk '/^\.ft$/ { exit } !/^\.ft CR$/' |
	sed 's/\\-/-/g' >"$tmp/example.peer"
grep -q '^hub ' "$tmp/example.peer" || { echo "peer.5: no example found"; exit 99; }
"$PEERC" -t none "$tmp/example.peer" 2>"$tmp/err" ||
	fail "peer.5's first example does not compile"
[ ! -s "$tmp/err" ] || { fail "peer.5's first example has diagnostics"; cat "$tmp/err"; }
exit $status
