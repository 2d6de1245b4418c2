#!/bin/sh
# Loads editors/vim in a headless Vim and a headless Neovim, whichever are
# installed, and checks the syntax groups they give the tokens of every
# example and of syntax-cases.peer (see vim-syntax.vim). Skips (77) when
# neither a Vim with +syntax nor Neovim is installed.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
cd "$top_srcdir" || exit 99
log=$(mktemp) || exit 99
trap 'rm -f "$log"' EXIT
VIM_SYNTAX_LOG=$log
export VIM_SYNTAX_LOG
ran=0
failed=0
# check NAME COMMAND...: stdin from /dev/null, so that should the script
# stop early, Ex mode reads EOF and quits instead of waiting for commands.
check() {
	name=$1
	shift
	: >"$log"
	"$@" -S tests/editors/vim-syntax.vim tests/editors/syntax-cases.peer \
		examples/*.peer examples/*/*.peer </dev/null
	rc=$?
	sed "s/^/$name: /" "$log"
	if [ "$rc" -ne 0 ] || ! grep -q ' checks, 0 failed$' "$log"; then
		echo "FAIL: $name highlights .peer files wrongly (status $rc)"
		failed=1
	fi
	ran=1
}
if command -v vim >/dev/null 2>&1 && vim --version 2>/dev/null | grep -q '+syntax'; then
	check vim vim -Nu NONE -i NONE -es
fi
if command -v nvim >/dev/null 2>&1; then
	check nvim nvim --headless -u NONE -i NONE -es
fi
if [ "$ran" = 0 ]; then
	echo "SKIP: neither vim (with +syntax) nor nvim is installed"
	exit 77
fi
exit "$failed"
