#!/bin/sh
# The VS Code extension under editors/vscode: its three JSON files parse, agree
# with each other (language id, scope name, paths) and every grammar include
# names a rule that exists. When vscode-tmgrammar-test is installed (npm; see
# tools/deps), the grammar must also pass the assertions in syntax-cases.peer.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
ext=$top_srcdir/editors/vscode
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is needed to read the JSON files"
	exit 77
fi
python3 - "$ext" <<'PY' || exit 1
import json, os, sys

ext = sys.argv[1]
failures = []

def load(name):
    with open(os.path.join(ext, name), encoding="utf-8") as f:
        return json.load(f)

def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: expected {want!r}, got {got!r}")

pkg = load("package.json")
lang, = pkg["contributes"]["languages"]
gram, = pkg["contributes"]["grammars"]
expect("language id", lang["id"], "peer")
expect("extensions", lang["extensions"], [".peer"])
expect("grammar language", gram["language"], "peer")
expect("grammar scope", gram["scopeName"], "source.peer")

conf = load(lang["configuration"])
expect("line comment", conf["comments"]["lineComment"], "#")
expect("block comment", conf["comments"]["blockComment"], ["/*", "*/"])
expect("brackets", conf["brackets"], [["{", "}"]])

tm = load(gram["path"])
expect("scopeName", tm["scopeName"], "source.peer")

def includes(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "include":
                yield v
            else:
                yield from includes(v)
    elif isinstance(node, list):
        for v in node:
            yield from includes(v)

for inc in includes(tm):
    if not inc.startswith("#") or inc[1:] not in tm["repository"]:
        failures.append(f"include {inc!r} names no rule of the repository")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
PY
echo "editors/vscode: JSON files valid and consistent"
if ! command -v vscode-tmgrammar-test >/dev/null 2>&1; then
	echo "note: vscode-tmgrammar-test is not installed; grammar assertions not run"
	exit 0
fi
cd "$top_srcdir" || exit 99
vscode-tmgrammar-test --compact -g editors/vscode/syntaxes/peer.tmLanguage.json \
	tests/editors/syntax-cases.peer
