#!/bin/sh
# The GitHub Actions workflows in .github/workflows/ and the version tags
# the README tells users to pin (tests/workflows.py says what is checked).
# Skipped (77) without python3's yaml module (tools/deps: python3-yaml).
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
python3 -c 'import yaml' 2>/dev/null || {
	echo "SKIP: python3 with yaml is not installed"
	exit 77
}
exec python3 "$top_srcdir/tests/workflows.py" "$PEERC" "$top_srcdir"
