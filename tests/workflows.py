#!/usr/bin/env python3
"""The GitHub Actions workflows and the version tags users pin.

- .github/workflows/ci.yml runs the README's test command;
- .github/workflows/peerc.yml is a reusable workflow (on: workflow_call)
  whose inputs are documented, whose actions are pinned to tags, whose
  default peerc-version is this version's tag, and whose check step, run
  here with bash as the runner would (GITHUB_OUTPUT, the inputs in env),
  sets status 0 for a fresh output, 3 for a stale one and 1 for a topology
  with errors, always leaves a SARIF log, prints annotations, and itself
  exits 0 so that the upload step runs;
- the README's `uses: ...peerc.yml@vX` and the pre-commit `rev: vX` are
  this version's tag.

Usage: workflows.py PEERC TOP_SRCDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

PEERC, TOP = sys.argv[1:3]
failures = []


def fail(msg):
    failures.append(msg)


def load(path):
    with open(os.path.join(TOP, path)) as f:
        doc = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as true
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


version = subprocess.run([PEERC, "--version"], capture_output=True, text=True
                         ).stdout.split("\n")[0].rsplit(" ", 1)[1]
tag = "v" + version

ci = load(".github/workflows/ci.yml")
readme = open(os.path.join(TOP, "README.md")).read()
first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
test_command = re.search(r"^(tests/\S+)", first_block, re.M).group(1)
runs = [s.get("run", "") for j in ci["jobs"].values() for s in j["steps"]]
if test_command not in [r.strip() for r in runs]:
    fail(f"ci.yml does not run the README's test command {test_command}")

wf = load(".github/workflows/peerc.yml")
call = wf["on"].get("workflow_call") if isinstance(wf["on"], dict) else None
if not call:
    fail("peerc.yml is not a reusable workflow (on: workflow_call)")
    call = {"inputs": {}}
for name, inp in call["inputs"].items():
    if not inp.get("description"):
        fail(f"peerc.yml: input {name} has no description")
if call["inputs"].get("peerc-version", {}).get("default") != tag:
    fail(f"peerc.yml: the default peerc-version is not {tag}")
steps = [s for j in wf["jobs"].values() for s in j["steps"]]
for s in steps:
    if "uses" in s and not re.search(r"@v\d+$", s["uses"]):
        fail(f"peerc.yml: {s['uses']} is not pinned to a version tag")
check = next((s for s in steps if s.get("id") == "check"), None)

for what, pattern in (("the reusable workflow's tag", r"uses: peerc/peerc/\.github/workflows/peerc\.yml@(\S+)"),
                      ("the pre-commit rev", r"^\s*rev: (\S+)")):
    found = re.findall(pattern, readme, re.M)
    if not found or any(f != tag for f in found):
        fail(f"README.md: {what} is {found}, not {tag}")


def run_check(topology, output):
    """The check step's script, with what the runner would give it."""
    work = tempfile.mkdtemp()
    try:
        for f in (topology, output):
            shutil.copy(os.path.join(TOP, f), work)
        bindir = os.path.join(work, "bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(PEERC), os.path.join(bindir, "peerc"))
        env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"],
                   GITHUB_OUTPUT=os.path.join(work, "out"),
                   TOPOLOGY=os.path.basename(topology),
                   OUTPUT=os.path.basename(output))
        return work, subprocess.run(["bash", "-e", "-c", check["run"]], cwd=work,
                                    env=env, capture_output=True, text=True)
    except OSError as e:
        fail(f"cannot run the check step: {e}")
        return None, None


def step_status(work):
    with open(os.path.join(work, "out")) as f:
        return dict(l.split("=", 1) for l in f.read().split()).get("status")


if check:
    cases = (("fresh", "examples/hub-spoke.peer", "examples/hub-spoke.tf", "0"),
             ("stale", "examples/hub-spoke.peer", "examples/mesh.tf", "3"),
             ("errors", "examples/errors/overlap.peer", "examples/hub-spoke.tf", "1"))
    for what, topo, out, want in cases:
        work, p = run_check(topo, out)
        if not p:
            continue
        if p.returncode != 0:
            fail(f"check step ({what}) exits {p.returncode}: the upload would not run")
        if step_status(work) != want:
            fail(f"check step ({what}): status {step_status(work)}, expected {want}")
        with open(os.path.join(work, "peerc.sarif")) as f:
            log = json.load(f)
        if log["runs"][0]["invocations"][0]["exitCode"] != int(want):
            fail(f"check step ({what}): the SARIF log has another exit code")
        if want == "1" and "::error file=" not in p.stdout:
            fail(f"check step ({what}): no annotation in the log")
        if want == "3" and "+++ b/" not in p.stdout:
            fail(f"check step ({what}): no diff in the log")
        shutil.rmtree(work)
else:
    fail("peerc.yml has no step with id: check")

print(f"workflows: ci.yml, peerc.yml (tag {tag}), README tags")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
