#!/bin/sh
# The VS Code extension under editors/vscode: its three JSON files parse, agree
# with each other (language id, scope name, paths) and every grammar include
# names a rule that exists; extension.js starts peerc lsp as its settings say
# (vscode-extension.js). When vscode-tmgrammar-test is installed (npm; see
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
# The extension's language-client wiring, with VS Code's modules stood in for.
if command -v node >/dev/null 2>&1; then
	node "$top_srcdir/tests/editors/vscode-extension.js" "$ext" || exit 1
else
	echo "note: node is not installed; the extension's wiring was not checked"
fi
if ! command -v vscode-tmgrammar-test >/dev/null 2>&1; then
	echo "note: vscode-tmgrammar-test is not installed; grammar assertions not run"
	exit 0
fi
cd "$top_srcdir" || exit 99
# Every example, as a syntax test: after each line, assertions for what any
# well-formed line must get (statement keywords, comments, addresses,
# strings, arrows), generated here.
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
python3 - "$work" examples/*.peer examples/*/*.peer <<'PY' || exit 1
import os, re, sys

work, files = sys.argv[1], sys.argv[2:]
count = 0
rules = [
    (r"^\s*\b(defaults|vnet|peer|hub|mesh|site|require|deny)\b(?=\s)", None),
    (r"\b\d+\.\d+\.\d+\.\d+(?:/\d+)?", "constant.numeric.ipv4.peer"),
    (r"[0-9A-Fa-f]*::?[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:/\d+)?|[0-9A-Fa-f]+::(?:/\d+)?", "constant.numeric.ipv6.peer"),
    (r'"(?:[^"\\]|\\.)*"', "string.quoted.double.peer"),
    (r"<->|->", None),
]

def assertion(start, end, scope):
    if start < 2:
        return "# <" + "-" * end + " " + scope
    return "#" + " " * (start - 1) + "^" * (end - start) + " " + scope

def strip_block_comments(line, in_comment):
    """The line with its /* */ comments blanked, and whether one is open."""
    out, i = "", 0
    while i < len(line):
        if in_comment:
            end = line.find("*/", i)
            if end < 0:
                return out + " " * (len(line) - i), True
            out, i, in_comment = out + " " * (end + 2 - i), end + 2, False
        else:
            start = line.find("/*", i)
            hash_at = line.find("#", i)
            if start < 0 or 0 <= hash_at < start:
                return out + line[i:], False
            out, i, in_comment = out + line[i:start], start, True
    return out, in_comment

for path in files:
    out = ['# SYNTAX TEST "source.peer" "' + path + '"']
    in_comment = False
    for line in open(path, encoding="utf-8").read().split("\n"):
        out.append(line)
        line, in_comment = strip_block_comments(line, in_comment)
        code, hash_at = line, line.find("#")
        if hash_at >= 0 and '"' not in line[:hash_at]:
            out.append(assertion(hash_at, len(line), "comment.line.number-sign.peer"))
            code = line[:hash_at]
        for pattern, scope in rules:
            for m in re.finditer(pattern, code):
                start, end = m.span(m.lastindex or 0)
                if scope is None:
                    word = m.group(m.lastindex or 0)
                    scope = {"defaults": "keyword.control.defaults.peer",
                             "<->": "keyword.operator.arrow.both.peer",
                             "->": "keyword.operator.arrow.peer"}.get(
                                 word, "keyword.control.statement.peer")
                    out.append(assertion(start, end, scope))
                    scope = None
                else:
                    out.append(assertion(start, end, scope))
    count += sum(1 for l in out if re.match(r"# (<|\s*\^)", l))
    name = path.replace("/", "_")
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
print(f"{count} assertions generated for {len(files)} examples")
PY
vscode-tmgrammar-test --compact -g editors/vscode/syntaxes/peer.tmLanguage.json \
	tests/editors/syntax-cases.peer "$work/*.peer"
