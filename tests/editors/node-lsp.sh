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
. "$top_srcdir/tests/npm-package.sh"
npm_package vscode-languageserver-protocol "$version" "$prefix"
exec node "$top_srcdir/tests/editors/node-lsp.js" "$prefix" "$PEERC" "$top_srcdir"
