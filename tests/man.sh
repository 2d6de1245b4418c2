#!/bin/sh
# The man page: groff finds nothing to warn about, and it documents what the
# command line has (generated from --help, so a stale page shows here).
set -u
: "${PEERC:?}" "${top_srcdir:?}"
page=man/peerc.1
[ -f "$page" ] || page=$top_srcdir/man/peerc.1
[ -f "$page" ] || { echo "no man/peerc.1"; exit 99; }
status=0
warnings=$(groff -man -z -ww "$page" 2>&1)
if [ -n "$warnings" ]; then
	echo "groff warns about $page:"
	echo "$warnings"
	status=1
fi
for section in NAME SYNOPSIS DESCRIPTION OPTIONS '"EXIT STATUS"' EXAMPLES \
	'"SEE ALSO"'; do
	grep -q "^\.SH $section\$" "$page" || {
		echo "$page has no $section section"
		status=1
	}
done
# Every long option of --help is in the page.
for opt in $("$PEERC" --help | sed -n 's/^ *\(-., \)*\(--[a-z-]*\).*/\2/p'); do
	grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$page" || {
		echo "$page does not mention $opt"
		status=1
	}
done
grep -q "peerc $("$PEERC" --version | sed -n '1s/.* //p')" "$page" || {
	echo "$page is not for this version"
	status=1
}
exit $status
