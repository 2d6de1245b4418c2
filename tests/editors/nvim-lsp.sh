#!/bin/sh
# Neovim's built-in LSP client, run headless, against `peerc lsp`: the
# scripted session of nvim-lsp.lua on a copy of examples/hub-spoke.peer
# with a mistake in it. Skips (77) without Neovim 0.7 or later.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
if ! command -v nvim >/dev/null 2>&1; then
	echo "SKIP: nvim is not installed (tools/deps installs Debian's neovim)"
	exit 77
fi
if ! nvim --headless -u NONE -i NONE -c 'lua if vim.lsp.start_client then vim.cmd("qa!") else vim.cmd("cq") end' </dev/null; then
	echo "SKIP: this Neovim has no LSP client (0.7 or later is needed)"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The hub-spoke example with host bits in spoke1's prefix, on a line whose
# tag has text that UTF-16 counts differently from bytes.
sed 's|^vnet spoke1 10.1.0.0/16 .*|vnet spoke1 { tags { city = "Zürich 🚀" } address = 10.1.0.1/16 subnets { app = 10.1.1.0/24 } }|' \
	"$top_srcdir/examples/hub-spoke.peer" >"$work/topology.peer"
grep -q '10.1.0.1/16' "$work/topology.peer" || { echo "FAIL: the fixture was not made"; exit 99; }
NVIM_LSP_LOG=$work/log WORKDIR=$work PEERC=$PEERC \
	timeout 60 nvim --headless -u NONE -i NONE -n \
	-c "luafile $top_srcdir/tests/editors/nvim-lsp.lua" </dev/null
rc=$?
cat "$work/log" 2>/dev/null
if [ "$rc" -ne 0 ] || ! grep -q ' checks, 0 failed$' "$work/log" 2>/dev/null; then
	echo "FAIL: the Neovim session failed (status $rc)"
	exit 1
fi
