#!/bin/sh
# --template-dir end to end: a copy of templates/ gives the same output as
# the built-in templates; an edited copy changes it; a broken template is a
# located error naming the template file, line and column; a missing file
# is an error. Nothing is written when a template fails.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*"
	sed 's/^/    /' "$work/err"
	failures=$((failures + 1))
}
input=$top_srcdir/examples/hub-spoke.peer

cp -R "$top_srcdir/templates" "$work/mine"
chmod -R u+w "$work/mine"
"$PEERC" -o "$work/builtin.tf" "$input" 2>"$work/err" || fail "built-in templates"
"$PEERC" --template-dir "$work/mine" -o "$work/copy.tf" "$input" 2>"$work/err" ||
	fail "a copy of templates/"
cmp -s "$work/builtin.tf" "$work/copy.tf" || fail "a copy of templates/ gives other output"

# An edited copy: a company's own comment, sloppy indentation that the
# layout pass puts right.
tmpl=$work/mine/terraform/main.tf.tmpl
sed 's/^terraform {$/# Owned by the network team.\nterraform {/; s/^      source  = /source=/' \
	"$top_srcdir/templates/terraform/main.tf.tmpl" >"$tmpl"
"$PEERC" --template-dir "$work/mine" -o "$work/edited.tf" "$input" 2>"$work/err" ||
	fail "an edited copy"
grep -qx '# Owned by the network team.' "$work/edited.tf" || fail "the edit is not in the output"
sed '/^# Owned by the network team\.$/d' "$work/edited.tf" | cmp -s - "$work/builtin.tf" ||
	fail "the layout pass did not restore the canonical form"

# A misspelt variable: located in the template, with the line and a caret.
sed 's/{{v\.location}}/{{v.locaton}}/' "$top_srcdir/templates/terraform/main.tf.tmpl" >"$tmpl"
line=$(grep -n 'v\.locaton' "$tmpl" | cut -d: -f1)
col=$(grep 'v\.locaton' "$tmpl" | awk '{ print index($0, "v.locaton") }')
"$PEERC" --template-dir "$work/mine" -o "$work/broken.tf" "$input" 2>"$work/err"
rc=$?
[ "$rc" = 1 ] || fail "a broken template: exit status $rc, expected 1"
grep -qF "$work/mine/terraform/main.tf.tmpl:$line:$col: error: unknown variable 'v.locaton'; did you mean 'v.location'?" "$work/err" ||
	fail "a broken template: no located message"
grep -qF '{{v.locaton}}' "$work/err" || fail "a broken template: the line is not shown"
[ -e "$work/broken.tf" ] && fail "a broken template: output written"

# A template that does not parse.
printf 'x {{#if a}}\n' >"$tmpl"
"$PEERC" --template-dir "$work/mine" -o "$work/broken.tf" "$input" 2>"$work/err"
grep -qF "main.tf.tmpl:1:3: error: unclosed '{{#if}}'" "$work/err" ||
	fail "an unclosed block: no located message"

# No such file.
rm "$tmpl"
"$PEERC" --template-dir "$work/mine" -o "$work/broken.tf" "$input" 2>"$work/err"
rc=$?
# Like any other file that cannot be read: status 2, and a message of the
# run's own, not one located in the topology.
[ "$rc" = 2 ] || fail "a missing template: exit status $rc, expected 2"
grep -qxF "peerc: error: cannot read template $work/mine/terraform/main.tf.tmpl: No such file or directory" "$work/err" ||
	fail "a missing template: no message"
[ -e "$work/broken.tf" ] && fail "a missing template: an output was written"

[ "$failures" = 0 ] && echo "template-dir: all pass"
[ "$failures" = 0 ]
