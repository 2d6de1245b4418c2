#!/bin/sh
# Every input the fuzzer ever broke peerc with (tests/fuzz/crashers/) goes
# through the peerc binary once per target and once per machine format of
# the diagnostics, and through peerc fmt (or, for lsp-* files, is fed to
# peerc lsp) and must end in a diagnosis,
# exit status 0, 1 or 2, within 20 seconds; no crash, no hang, no sanitizer
# report (the sanitizer build of tests/run makes those fatal and loud).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=$top_srcdir/tests/fuzz/crashers
[ -d "$dir" ] || { echo "no directory $dir"; exit 99; }
err=$(mktemp)
trap 'rm -f "$err"' EXIT
passed=0
failed=0
# judge WHAT STATUS: a status other than 0, 1 or 2, or a sanitizer report,
# fails.
judge() {
	case $2 in
	0 | 1 | 2) ;;
	*)
		echo "FAIL: $1: exit status $2"
		tail -n 20 "$err" | sed 's/^/    /'
		failed=$((failed + 1))
		return ;;
	esac
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$err"; then
		echo "FAIL: $1: sanitizer report"
		sed 's/^/    /' "$err"
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + 1))
}
for f in "$dir"/*; do
	[ -f "$f" ] || continue
	name=${f##*/}
	[ "$name" = README.md ] && continue
	# lsp-*: a byte stream for the language server (fuzz_lsp.c)
	if [ "${name#lsp-}" != "$name" ]; then
		timeout 20 "$PEERC" lsp --debounce=0 <"$f" >/dev/null 2>"$err"
		judge "$name (peerc lsp)" $?
		continue
	fi
	for t in none ast terraform bicep arm dot mermaid \
		none,--diagnostics-format=json none,--diagnostics-format=sarif \
		none,--diagnostics-format=github; do
		# shellcheck disable=SC2046 # "TARGET,OPTION" is two words
		timeout 20 "$PEERC" -t $(echo "$t" | tr , ' ') -o - "$f" >/dev/null 2>"$err"
		judge "$name -t $t" $?
	done
	timeout 20 "$PEERC" fmt - <"$f" >/dev/null 2>"$err"
	judge "$name (peerc fmt)" $?
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
