#!/bin/sh
# Loads editors/vim in a headless Vim (or Neovim) and checks the syntax
# groups it gives the tokens of every example and of syntax-cases.peer
# (see vim-syntax.vim). Skips (77) when no Vim with +syntax is installed.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export top_srcdir
if command -v vim >/dev/null 2>&1 && vim --version 2>/dev/null | grep -q '+syntax'; then
	set -- vim -Nu NONE -i NONE -es
elif command -v nvim >/dev/null 2>&1; then
	set -- nvim --headless -u NONE -i NONE -es
else
	echo "SKIP: neither vim (with +syntax) nor nvim is installed"
	exit 77
fi
log=$(mktemp) || exit 99
trap 'rm -f "$log"' EXIT
VIM_SYNTAX_LOG=$log
export VIM_SYNTAX_LOG
cd "$top_srcdir" || exit 99
# stdin from /dev/null: should the script stop early, Ex mode reads EOF and
# quits instead of waiting for commands.
"$@" -S tests/editors/vim-syntax.vim tests/editors/syntax-cases.peer \
	examples/*.peer examples/*/*.peer </dev/null
rc=$?
cat "$log"
if [ "$rc" -ne 0 ] || ! grep -q ' checks, 0 failed$' "$log"; then
	echo "FAIL: $1 highlights .peer files wrongly (status $rc)"
	exit 1
fi
