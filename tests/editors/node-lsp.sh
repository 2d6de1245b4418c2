#!/bin/sh
# The scripted session of node-lsp.js: Microsoft's LSP client libraries
# from npm (vscode-languageserver-protocol, with vscode-jsonrpc) against
# `peerc lsp`. The package is installed once per build tree, from npm's
# cache when it can; without node, npm or the registry the test is skipped
# (77) with a message.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
version=3.17.5
prefix=${LSP_NODE_PREFIX:-$(pwd)/tests/node-lsp}
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node is not installed"
	exit 77
fi
if [ ! -f "$prefix/node_modules/vscode-languageserver-protocol/package.json" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "SKIP: npm is not installed"
		exit 77
	fi
	mkdir -p "$prefix"
	npm install --prefix "$prefix" --prefer-offline --no-audit --no-fund \
		--no-save --loglevel=error \
		"vscode-languageserver-protocol@$version" >"$prefix/install.log" 2>&1 || {
		echo "SKIP: could not install vscode-languageserver-protocol (see $prefix/install.log)"
		exit 77
	}
fi
exec node "$top_srcdir/tests/editors/node-lsp.js" "$prefix" "$PEERC" "$top_srcdir"
