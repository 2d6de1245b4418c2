#!/usr/bin/env python3
"""--diagnostics-format: every format against its consumer, on every fixture.

For each NAME.peer under tests/golden/ and examples/ (run as tests/golden.sh
runs it, with NAME.args), for a set of runs that fail on the command line,
on I/O or with stale output, and for runs of peerc fmt, peerc import and
peerc drift (usage mistakes, unreadable files, JSON that is not a VNet
list, a design with errors, findings), peerc runs once per format. Then:

- the exit status and standard output are the text run's (the contract
  holds in every format, and the format touches standard error only);
- json: standard error is one document valid against
  doc/diagnostics.schema.json (python3-jsonschema), whose messages, rebuilt
  in GCC's form, are the text run's header lines, in order;
- sarif: standard error is one SARIF log whose results and notifications
  are the JSON run's diagnostics; the logs are written to OUTDIR for
  Microsoft's SARIF Multitool (tests/diag/sarif.sh);
- github: every line of standard error is a workflow command, read back by
  the parser below (written to GitHub's documented syntax) into the JSON
  run's severity, file, line, columns, code and message.

Usage: formats.py PEERC TOP_SRCDIR OUTDIR
"""
import json
import os
import re
import shlex
import subprocess
import sys

import jsonschema

PEERC, TOP, OUT = sys.argv[1:4]
FORMATS = ("json", "sarif", "github")
failures = []


def fail(what, why):
    failures.append(f"{what}: {why}")


def run(args, cwd):
    p = subprocess.run([PEERC] + args, cwd=cwd, capture_output=True,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


# ------------------------------------------------------------ GitHub's syntax
# "::COMMAND KEY=VALUE,KEY=VALUE::MESSAGE" (GitHub Docs, "Workflow commands
# for GitHub Actions"). In the message '%', CR and LF are written %25, %0D,
# %0A; in a property value ':' and ',' are also written %3A and %2C
# (actions/toolkit packages/core/src/command.ts, escapeData and
# escapeProperty). The runner reads them back in the reverse order.
COMMAND = re.compile(r"^::([a-z-]+)(?: ([^:]*))?::(.*)$")
PROPERTIES = {"file", "line", "endLine", "col", "endColumn", "title"}


def unescape(s, prop):
    for code, ch in (("%0D", "\r"), ("%0A", "\n")) + (
            (("%3A", ":"), ("%2C", ",")) if prop else ()) + (("%25", "%"),):
        s = s.replace(code, ch)
    return s


def parse_github(line):
    """(command, properties, message) or raises ValueError."""
    if "\r" in line:
        raise ValueError("a raw carriage return")
    m = COMMAND.match(line)
    if not m:
        raise ValueError("not a workflow command")
    name, props, msg = m.groups()
    if name not in ("error", "warning", "notice"):
        raise ValueError(f"command {name!r} is not an annotation")
    out = {}
    for item in (props.split(",") if props else []):
        key, eq, value = item.partition("=")
        if not eq or key not in PROPERTIES or key in out:
            raise ValueError(f"bad property {item!r}")
        if re.search(r"%(?!25|0D|0A|3A|2C)", value):
            raise ValueError(f"unescaped '%' in {item!r}")
        out[key] = unescape(value, True)
    if re.search(r"%(?!25|0D|0A)", msg):
        raise ValueError("unescaped '%' in the message")
    return name, out, unescape(msg, False)


# -------------------------------------------------------------- the checks
SCHEMA = json.load(open(os.path.join(TOP, "doc/diagnostics.schema.json")))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def text_headers(stderr):
    """The text format's message lines: not the excerpts under them."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", stderr.decode("utf-8", "replace"))
    return [l for l in text.split("\n") if l and not l.startswith(" ")]


def header(sev, msg, loc, option=None):
    where = "peerc" if loc is None else loc["file"] if "line" not in loc \
        else f"{loc['file']}:{loc['line']}:{loc['column']}"
    tag = f" [{option}]" if option else ""
    return f"{where}: {sev}: {msg}{tag}"


def check_json(what, doc, status, text_stderr, cwd):
    for e in VALIDATOR.iter_errors(doc):
        fail(what, f"schema: {e.message} at {list(e.absolute_path)}")
        return
    if doc["exitStatus"] != status:
        fail(what, f"exitStatus {doc['exitStatus']}, exit status {status}")
    want = text_headers(text_stderr)
    got = []
    for d in doc["diagnostics"]:
        lines = [header(d["severity"], d["message"], d["location"], d["option"])]
        lines += [header("note", n["message"], n["location"]) for n in d["notes"]]
        # a message may hold a line break (a quoted string's): text prints it
        got += [l for h in lines for l in h.split("\n") if l and not l.startswith(" ")]
    if got != want:
        fail(what, "diagnostics differ from the text format's:\n  "
             + "\n  ".join(f"- {w}" for w in want) + "\n  "
             + "\n  ".join(f"+ {g}" for g in got))
    # a location names a file a consumer can open (a message about the run,
    # such as a template that cannot be read, has none)
    for d in doc["diagnostics"]:
        if d["location"] and not os.path.exists(os.path.join(cwd, d["location"]["file"])):
            fail(what, f"{d['code']}: location in {d['location']['file']!r}, no such file")
    for key, sev in (("errors", "error"), ("warnings", "warning")):
        n = sum(d["severity"] == sev for d in doc["diagnostics"])
        if doc[key] != n:
            fail(what, f"{key} is {doc[key]}, {n} listed")


def code_point_column(path, cwd, line, col):
    """Code point column of byte column col, when the line is valid UTF-8."""
    try:
        with open(os.path.join(cwd, path), "rb") as f:
            text = f.read().split(b"\n")[line - 1]
        return len(text[:col - 1].decode("utf-8")) + 1
    except (OSError, IndexError, UnicodeDecodeError):
        return None


def same_region(what, loc, region, cwd):
    want = {"startLine": loc["line"], "endLine": loc["endLine"],
            "startColumn": code_point_column(loc["file"], cwd, loc["line"], loc["column"]),
            "endColumn": code_point_column(loc["file"], cwd, loc["endLine"], loc["endColumn"])}
    for k, v in want.items():
        if v is not None and region.get(k) != v:
            fail(what, f"region {k} is {region.get(k)}, expected {v}")


def uri(path):
    return ("file://" if path.startswith("/") else "") + re.sub(
        r"[^A-Za-z0-9._~/-]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), path)


def check_sarif(what, log, status, doc, cwd):
    run_ = log["runs"][0]
    inv = run_["invocations"][0]
    if inv["exitCode"] != status or inv["executionSuccessful"] != (status != 2):
        fail(what, f"invocation {inv['exitCode']}/{inv['executionSuccessful']} for status {status}")
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    located = [d for d in doc["diagnostics"] if d["location"] and "line" in d["location"]]
    others = [d for d in doc["diagnostics"] if d not in located]
    results, notes = run_["results"], inv["toolExecutionNotifications"]
    if len(results) != len(located) or len(notes) != len(others):
        fail(what, f"{len(results)} results and {len(notes)} notifications for "
             f"{len(located)} located diagnostics and {len(others)} others")
        return
    for r, d in zip(results, located):
        loc = r["locations"][0]["physicalLocation"]
        if (r["ruleId"], r["level"], r["message"]["text"]) != (d["code"], d["severity"], d["message"]):
            fail(what, f"result {r['ruleId']} {r['message']['text']!r} for {d['code']} {d['message']!r}")
        if d["code"] not in rules or rules[r["ruleIndex"]] != d["code"]:
            fail(what, f"rule {d['code']} is not rules[{r.get('ruleIndex')}]")
        if loc["artifactLocation"]["uri"] != uri(d["location"]["file"]):
            fail(what, f"uri {loc['artifactLocation']['uri']} for {d['location']['file']}")
        same_region(what, d["location"], loc["region"], cwd)
        if len(r.get("relatedLocations", [])) != len(d["notes"]):
            fail(what, "related locations are not the notes")
        # Each fix-it is a whole alternative (routing's require offers
        # several): one SARIF fix each, of one replacement, so a consumer
        # applies one of them, never all at once.
        fixes = r.get("fixes", [])
        reps = [f["artifactChanges"][0]["replacements"] for f in fixes]
        if any(len(x) != 1 for x in reps) or \
                [x[0]["insertedContent"]["text"] for x in reps] != [f["text"] for f in d["fixits"]]:
            fail(what, "fixes are not the fix-its, one fix each")
        if len(fixes) > 1:
            alternatives[0] += 1
    for n, d in zip(notes, others):
        if (n["level"], n["message"]["text"]) != (d["severity"], d["message"]):
            fail(what, f"notification {n['message']['text']!r} for {d['message']!r}")


# Every rule links to its row of doc/checks.md, the row peerc lsp links a
# diagnostic to (codeDescription), and every notification descriptor to
# its code's row of doc/diagnostics.md: each anchor must be on the page.
DOC_URL = "https://github.com/peerc/peerc/blob/main/doc/"


def check_help_uris(log):
    driver = log["runs"][0]["tool"]["driver"]
    for key, page in (("rules", "checks.md"), ("notifications", "diagnostics.md")):
        text = open(os.path.join(TOP, "doc", page), encoding="utf-8").read()
        for r in driver[key]:
            want = f"{DOC_URL}{page}#{r['id']}"
            if r.get("helpUri") != want:
                fail("SARIF helpUri", f"{r['id']}: {r.get('helpUri')}, not {want}")
            elif f'<a id="{r["id"]}"></a>`{r["id"]}`' not in text:
                fail("SARIF helpUri", f"doc/{page} has no row anchored {r['id']}")


GH_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def check_github(what, stderr, doc, cwd):
    lines = stderr.decode("utf-8").split("\n")
    if lines[-1] != "":
        fail(what, "the last line has no newline")
    lines = lines[:-1]
    if len(lines) != len(doc["diagnostics"]):
        fail(what, f"{len(lines)} lines for {len(doc['diagnostics'])} diagnostics")
        return
    for line, d in zip(lines, doc["diagnostics"]):
        try:
            name, props, msg = parse_github(line)
        except ValueError as e:
            fail(what, f"{e}: {line!r}")
            continue
        loc = d["location"] or {}
        want = {"title": d["code"]}
        if "file" in loc:
            want["file"] = loc["file"]
        if "line" in loc:
            want["line"] = str(loc["line"])
            want["endLine"] = str(loc["endLine"])
            if loc["endLine"] == loc["line"]:
                want["col"] = str(code_point_column(loc["file"], cwd, loc["line"], loc["column"]))
                want["endColumn"] = str(code_point_column(loc["file"], cwd, loc["line"], loc["endColumn"]))
        if want.get("col") == "None":
            del want["col"], want["endColumn"], props["col"], props["endColumn"]
        if name != GH_COMMAND[d["severity"]] or props != want:
            fail(what, f"{name} {props} for {d['severity']} {want}")
        rest = msg[len(d["message"]):].split("\n")[1:]
        if not msg.startswith(d["message"]) or \
                len(rest) != len(d["notes"]) + len(d["fixits"]) or \
                not all(l.startswith(("note: ", "fix-it:")) for l in rest):
            fail(what, f"message {msg!r} for {d['message']!r} with "
                 f"{len(d['notes'])} notes and {len(d['fixits'])} fix-its")


nsarif = 0
SUBCOMMANDS = ("import", "drift", "fmt")


def check_run(what, args, cwd):
    global nsarif
    def with_format(fmt):
        flag = f"--diagnostics-format={fmt}"
        if args and args[0] in SUBCOMMANDS:
            # last: after a usage error too, the whole line is searched
            return args + [flag]
        return args[:-1] + [flag, args[-1]] if args else [flag]

    status, stdout, stderr = run(with_format("text"), cwd)
    docs = {}
    for fmt in FORMATS:
        s, out, err = run(with_format(fmt), cwd)
        w = f"{what} [{fmt}]"
        if s != status:
            fail(w, f"exit status {s}, text gives {status}")
        if out != stdout:
            fail(w, "standard output differs from the text format's")
        if fmt == "github":
            if "json" in docs:
                check_github(w, err, docs["json"], cwd)
            continue
        try:
            docs[fmt] = json.loads(err.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            fail(w, f"standard error is not one JSON document: {e}: {err[:300]!r}")
            continue
        if fmt == "json":
            check_json(w, docs[fmt], s, stderr, cwd)
        elif "json" in docs:
            check_sarif(w, docs[fmt], s, docs["json"], cwd)
            if nsarif == 0:
                check_help_uris(docs[fmt])
            nsarif += 1
            with open(os.path.join(OUT, f"{nsarif:04d}.sarif"), "wb") as f:
                f.write(err)


alternatives = [0]  # SARIF results with more than one fix


def fixtures():
    for d in ("tests/golden", "examples"):
        for root, _, files in sorted(os.walk(os.path.join(TOP, d))):
            for f in sorted(files):
                if f.endswith(".peer"):
                    yield root, f[:-5]


count = 0
for root, name in fixtures():
    argsfile = os.path.join(root, name + ".args")
    args = shlex.split(open(argsfile).read()) if os.path.exists(argsfile) else ["-t", "none"]
    check_run(os.path.relpath(os.path.join(root, name), TOP), args + [name + ".peer"], root)
    count += 1

# Runs that stop before or after compiling: usage, reading, writing, --check.
scratch = os.path.join(OUT, "scratch")
os.makedirs(scratch, exist_ok=True)
hub = os.path.join(TOP, "examples/hub-spoke.peer")
with open(os.path.join(scratch, "stale.tf"), "w") as f:
    f.write("# not what peerc writes\n")
os.makedirs(os.path.join(scratch, "zero/terraform"), exist_ok=True)
if not os.path.lexists(os.path.join(scratch, "zero/terraform/main.tf.tmpl")):
    os.symlink("/dev/zero", os.path.join(scratch, "zero/terraform/main.tf.tmpl"))
# a file name that GitHub's properties and SARIF's URIs must escape
odd = "we,ird:%name ü.peer"
with open(os.path.join(TOP, "tests/golden/diagnostics/github.peer"), "rb") as src, \
        open(os.path.join(scratch, odd), "wb") as dst:
    dst.write(src.read())
special = {
    "odd file name": [odd],
    "no input": [],
    "unknown option": ["--no-such-option", hub],
    "bad format": ["--diagnostics-format=xml", hub],
    "missing file": ["no-such-file.peer"],
    # the reads that tests/hostile/hostile.sh bounds, in every format
    "template that cannot be read": ["--template-dir=nowhere", "-o", "fresh.tf", hub],
    "template past its limit": ["--template-dir=zero", "-o", "fresh.tf", hub],
    "unwritable output": ["-o", "/nonexistent-dir/main.tf", hub],
    "stale output": ["--check", "-o", "stale.tf", hub],
    "diff of stale output": ["--diff", "-o", "stale.tf", hub],
    "verbose write": ["-v", "-o", "fresh.tf", hub],
    "fresh output": ["--check", "-o", "fresh.tf", hub],
    "output on stdout": ["-o", "-", hub],
    "help": ["--help"],
    "explain": ["--explain", "vnet-hub-weu", "nobody", hub],
}
# The subcommands: every message on standard error in the format asked
# for, their own output (drift's findings, fmt's text and diff, import's
# .peer file) on standard output as in the text run.
# absolute and without "..": SARIF's file URIs must not hold such segments
live = os.path.realpath(os.path.join(TOP, "tests/import/fixtures"))
bad = os.path.realpath(os.path.join(TOP, "tests/import/bad"))
design = os.path.realpath(os.path.join(TOP, "tests/import/expected/hub-spoke.peer"))
with open(os.path.join(scratch, "unformatted.peer"), "w") as f:
    f.write(open(design).read().replace("\n  ", "\n      ", 3))
with open(os.path.join(scratch, "broken.peer"), "w") as f:
    f.write(open(design).read() + "\npeer vnet-hub-weu <-> {\n")
special.update({
    "fmt: no input": ["fmt"],
    "fmt: unknown option": ["fmt", "--no-such-option", "unformatted.peer"],
    "fmt: bad --color": ["fmt", "--color=blue", "unformatted.peer"],
    "fmt: missing file": ["fmt", "no-such-file.peer"],
    "fmt: syntax error": ["fmt", "--check", "broken.peer"],
    "fmt: not formatted": ["fmt", "--check", "unformatted.peer"],
    "fmt: diff": ["fmt", "--diff", "unformatted.peer", design],
    "fmt: help": ["fmt", "--help"],
    "drift: no input": ["drift"],
    "drift: no JSON": ["drift", design],
    "drift: bad --format": ["drift", "--format=xml", design, live + "/hub-spoke.json"],
    "drift: missing design": ["drift", "no-such-file.peer", live + "/hub-spoke.json"],
    "drift: design with errors": ["drift", "broken.peer", live + "/hub-spoke.json"],
    "drift: missing JSON": ["drift", design, "no-such-file.json"],
    "drift: not a VNet list": ["drift", design, bad + "/not-a-list.json"],
    "drift: JSON that does not parse": ["drift", design, bad + "/truncated.json"],
    "drift: findings": ["drift", design, live + "/drift-setting.json"],
    "drift: findings as JSON": ["drift", "--format=json", design, live + "/drift-setting.json"],
    "drift: in sync": ["drift", design, live + "/hub-spoke.json"],
    # the main command's --import-from reads the JSON as they do
    "--import-from not a VNet list": ["-o", "fresh.tf", "--import-from",
                                      bad + "/wrong-types.json", hub],
    "import: no input": ["import"],
    "import: unknown option": ["import", "--peerings", live + "/hub-spoke.json"],
    "import: missing JSON": ["import", "no-such-file.json"],
    "import: not a VNet list": ["import", bad + "/wrong-types.json"],
    "import: half-peering warnings": ["import", live + "/half-peering.json"],
    "import: to stdout": ["import", live + "/hub-spoke.json"],
    "import: unwritable output": ["import", "-o", "/nonexistent-dir/x.peer",
                                  live + "/hub-spoke.json"],
})
for what, args in special.items():
    if what == "bad format":
        # the format itself is the mistake: every run reports it as text
        s, _, err = run(args, scratch)
        if s != 2 or not err.startswith(b"peerc: error: invalid --diagnostics-format"):
            fail(what, f"status {s}: {err!r}")
        for sub in SUBCOMMANDS:
            s, _, err = run([sub, "--diagnostics-format=xml", hub], scratch)
            if s != 2 or not err.startswith(b"peerc: error: invalid --diagnostics-format"):
                fail(f"{sub}: {what}", f"status {s}: {err!r}")
        continue
    check_run(what, args, scratch)
    count += 1

# doc/diagnostics.md's examples are what peerc writes for examples/errors/host-bits.peer
doc = open(os.path.join(TOP, "doc/diagnostics.md")).read()
for fmt, fence in (("json", "json"), ("github", "text")):
    block = re.search(r"```%s\n(.*?)```" % fence, doc[doc.index(f"## `{fmt}`"):], re.S).group(1)
    _, _, err = run([f"--diagnostics-format={fmt}", "-t", "none", "errors/host-bits.peer"],
                    os.path.join(TOP, "examples"))
    if block.encode() != err:
        fail("doc/diagnostics.md", f"the {fmt} example is not what peerc writes:\n{err.decode()}")

# --explain --format=json: valid against doc/explain.schema.json, with the
# text answer, the exit status and standard error of the text run, and a
# path that goes from A to B when it says yes.
EXPLAIN = jsonschema.Draft202012Validator(
    json.load(open(os.path.join(TOP, "doc/explain.schema.json"))))
nexplain = 0
for root, name in fixtures():
    argsfile = os.path.join(root, name + ".args")
    args = shlex.split(open(argsfile).read()) if os.path.exists(argsfile) else []
    if "--explain" not in args or "-t" in args:
        continue
    args = [x for x in args if not x.startswith("--format")]
    what = os.path.relpath(os.path.join(root, name), TOP) + " [--format=json]"
    s1, out1, err1 = run(args + [name + ".peer"], root)
    s2, out2, err2 = run(args + ["--format=json", name + ".peer"], root)
    try:
        doc = json.loads(out2)
    except ValueError as e:
        fail(what, f"not JSON: {e}")
        continue
    for e in EXPLAIN.iter_errors(doc):
        fail(what, f"schema: {e.message} at {list(e.absolute_path)}")
    if (s1, err1, out1.decode().rstrip("\n")) != (s2, err2, doc["answer"]):
        fail(what, "the answer, the exit status or stderr differ from the text run's")
    ends = [h for h in doc["path"] if h["hop"] in ("vnet", "site")]
    if doc["reachable"] and [ends[0]["name"], ends[-1]["name"]] != [doc["from"], doc["to"]]:
        fail(what, f"the path does not go from {doc['from']} to {doc['to']}")
    nexplain += 1
if nexplain < 5:
    fail("--explain --format=json", f"only {nexplain} fixtures")

if alternatives[0] == 0:
    fail("sarif", "no fixture has a diagnostic with alternative fix-its")

print(f"diagnostics formats: {count} runs in 4 formats, {nsarif} SARIF logs")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
