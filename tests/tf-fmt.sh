#!/bin/sh
# Every Terraform golden (examples/*.tf, tests/golden/**/*.tf) is already in
# `terraform fmt` form: peerc's output needs no reformatting.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
if ! command -v terraform >/dev/null 2>&1; then
	echo "terraform is not installed: skipped"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for f in $(find "$top_srcdir/examples" "$top_srcdir/tests/golden" -name '*.tf' | LC_ALL=C sort); do
	n=$((n + 1))
	cp "$f" "$work/$n.tf"
	echo "$n.tf: ${f#"$top_srcdir"/}" >>"$work/names"
done
if [ "$n" = 0 ]; then
	echo "FAIL: no Terraform goldens found"
	exit 1
fi
# No CLI configuration of the user's may change the result.
if ! (cd "$work" && TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -diff -no-color . 2>/dev/null); then
	echo "FAIL: not in terraform fmt form (numbered as below)"
	cat "$work/names"
	exit 1
fi
echo "$n goldens are in terraform fmt form"
