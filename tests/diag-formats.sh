#!/bin/sh
# --diagnostics-format=json|sarif|github on every fixture, on runs that
# fail before or after compiling and on the subcommands fmt, import and
# drift (tests/diag/formats.py says what is
# compared), then every SARIF log through Microsoft's SARIF Multitool
# (`validate` with its SARIF and GitHub rules: the JSON schema, SARIF's
# own rules and what GitHub code scanning requires of an upload). The
# Multitool fails a broken log first, so its silence means something.
# tools/deps installs python3-jsonschema and the Multitool
# (@microsoft/sarif-multitool-linux, a self-contained .NET build from npm);
# without them this test is skipped (77).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
python3 -c 'import jsonschema' 2>/dev/null || {
	echo "SKIP: python3 with jsonschema is not installed"
	exit 77
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sarif"
python3 "$top_srcdir/tests/diag/formats.py" "$PEERC" "$top_srcdir" "$work/sarif" || exit 1

multitool=${SARIF_MULTITOOL:-}
if [ -z "$multitool" ] && command -v npm >/dev/null 2>&1; then
	multitool=$(npm root -g 2>/dev/null)/@microsoft/sarif-multitool-linux/Sarif.Multitool
fi
[ -x "$multitool" ] || {
	echo "SKIP: the SARIF Multitool is not installed (tools/deps test)"
	exit 77
}
# validate LOG... : the Multitool's findings at level error or warning.
validate() {
	rm -f "$work/out.sarif"
	"$multitool" validate --rule-kind 'Gh;Sarif' -o "$work/out.sarif" "$@" \
		>"$work/multitool.log" 2>&1
	python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))
for r in log["runs"][0].get("results", []):
    if r.get("level", "warning") in ("error", "warning"):
        loc = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        print(loc, r["ruleId"], r["message"].get("id"), r["message"].get("arguments"))
' "$work/out.sarif" || cat "$work/multitool.log"
}
python3 - "$work/sarif/0001.sarif" "$work/broken.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
res = log["runs"][0]["results"]
res.append({"ruleId": "syntax", "level": "error"})  # no message, no location
json.dump(log, open(sys.argv[2], "w"))
PY
[ -n "$(validate "$work/broken.sarif")" ] || {
	echo "FAIL: the Multitool accepts a result with no message and no location"
	exit 1
}
findings=$(validate "$work"/sarif/*.sarif)
if [ -n "$findings" ]; then
	echo "FAIL: the SARIF Multitool finds:"
	echo "$findings"
	exit 1
fi
echo "SARIF Multitool: $(ls "$work"/sarif/*.sarif | wc -l) logs valid"
