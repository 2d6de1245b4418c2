#!/bin/sh
# Every input the fuzzer ever broke peerc with (tests/fuzz/crashers/) goes
# through the peerc binary once per target and once per machine format of
# the diagnostics, and must end in a diagnosis,
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
for f in "$dir"/*; do
	[ -f "$f" ] || continue
	[ "${f##*/}" = README.md ] && continue
	for t in none ast terraform bicep arm dot mermaid \
		none,--diagnostics-format=json none,--diagnostics-format=sarif \
		none,--diagnostics-format=github; do
		# shellcheck disable=SC2046 # "TARGET,OPTION" is two words
		timeout 20 "$PEERC" -t $(echo "$t" | tr , ' ') -o - "$f" >/dev/null 2>"$err"
		status=$?
		case $status in
		0 | 1 | 2) ;;
		*)
			echo "FAIL: ${f##*/} -t $t: exit status $status"
			tail -n 20 "$err" | sed 's/^/    /'
			failed=$((failed + 1))
			continue ;;
		esac
		if grep -q -e 'Sanitizer' -e 'runtime error:' "$err"; then
			echo "FAIL: ${f##*/} -t $t: sanitizer report"
			sed 's/^/    /' "$err"
			failed=$((failed + 1))
			continue
		fi
		passed=$((passed + 1))
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
