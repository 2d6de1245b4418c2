#!/bin/sh
# doc/cookbook.md cannot rot: every ```peer block is an excerpt of the file
# named by the `<!-- from: PATH -->` line above it, and that file compiles
# clean; every ```console block's `$ ...` commands (run by sh, with the
# peerc under test first in PATH) print what the block shows; every option of a peerc command in a ```sh or ```yaml block
# is one that `peerc --help` lists.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is needed to read doc/cookbook.md"
	exit 77
fi
cd "$top_srcdir" || exit 99
exec python3 - "$PEERC" doc/cookbook.md <<'PY'
import os, re, shlex, subprocess, sys

peerc, doc = sys.argv[1], sys.argv[2]
failures = []
checks = 0

def fail(line, msg):
    failures.append(f"{doc}:{line}: {msg}")

def run(args):
    p = subprocess.run([peerc] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout

# A console command runs in sh, with the peerc under test first in PATH.
env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(peerc)) + ":" + os.environ["PATH"])

def run_shell(command):
    p = subprocess.run(["sh", "-c", command], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env)
    return p.stdout

# Fenced blocks: (language, first line number, lines, source path or None).
blocks, source, lines = [], None, open(doc, encoding="utf-8").read().split("\n")
i = 0
while i < len(lines):
    m = re.match(r"<!-- from: (\S+) -->$", lines[i])
    if m:
        source = m.group(1)
    elif lines[i].startswith("```"):
        lang, start, body = lines[i][3:].strip(), i + 1, []
        i += 1
        while not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        blocks.append((lang, start, body, source))
        source = None
    elif lines[i].strip():
        source = None
    i += 1

help_text = run(["--help"])[1]

for lang, start, body, source in blocks:
    if lang == "peer":
        checks += 1
        if source is None:
            fail(start, "a peer block needs a <!-- from: PATH --> line above it")
            continue
        text = open(source, encoding="utf-8").read()
        if "\n".join(body) + "\n" not in text:
            fail(start, f"this block is not an excerpt of {source}")
        rc, out = run(["-t", "none", "-Werror", source])
        if rc != 0 or out:
            fail(start, f"{source} does not compile clean:\n{out}")
    elif lang == "console":
        cmd, want = None, []
        for line in body + ["$ "]:
            if line.startswith("$ "):
                if cmd:
                    checks += 1
                    got = run_shell(cmd)
                    if got.rstrip("\n").split("\n") != want:
                        fail(start, f"`{cmd}` printed:\n{got}")
                cmd, want = line[2:].strip(), []
            else:
                want.append(line)
    elif lang in ("sh", "yaml"):
        for line in body:
            m = re.search(r"\bpeerc\s+(.*)", line)
            if not m:
                continue
            for word in shlex.split(m.group(1)):
                if word.startswith("-"):
                    checks += 1
                    opt = word.split("=")[0]
                    if not re.search(r"(^|[\s,])" + re.escape(opt) + r"\b", help_text):
                        fail(start, f"peerc --help does not list {opt}")

for f in failures:
    print(f)
print(f"{checks} checks, {len(failures)} failed")
sys.exit(1 if failures or checks == 0 else 0)
PY
