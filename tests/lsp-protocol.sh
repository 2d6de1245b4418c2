#!/bin/sh
# peerc lsp at the byte level, where real clients never go: framing errors,
# malformed and ill-typed JSON, the lifecycle, a client that vanishes, and
# position encodings. Every case must end in a JSON-RPC error or a clean
# exit with the status LSP prescribes, within a few seconds.
set -u
: "${PEERC:?PEERC must name the peerc binary}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is needed to speak raw JSON-RPC"
	exit 77
fi
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
exec python3 - "$PEERC" "$top_srcdir" <<'PY'
import json, subprocess, sys, time

peerc, top = sys.argv[1:3]
passed = failed = 0

def check(ok, what, detail=None):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, "" if detail is None else repr(detail)[:600])

def frame(obj):
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def req(i, method, params=None):
    m = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None:
        m["params"] = params
    return frame(m)

def note(method, params=None):
    m = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        m["params"] = params
    return frame(m)

PAUSE = None  # in run's input: wait until the server has compiled

def run(data, args=("--debounce=0",)):
    """Feeds data (bytes, or a list of bytes and PAUSEs), then closes stdin;
    returns (messages, exit status)."""
    p = subprocess.Popen([peerc, "lsp", *args], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    for chunk in data if isinstance(data, list) else [data]:
        if chunk is PAUSE:
            time.sleep(1)
            continue
        try:
            p.stdin.write(chunk)
            p.stdin.flush()
        except BrokenPipeError:
            break
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    out = p.stdout.read()
    p.wait(timeout=20)
    p.returncode = p.returncode
    msgs = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        n = int(head.split(b":")[1])
        msgs.append(json.loads(rest[:n]))
        out = rest[n:]
    return msgs, p.returncode

def by_id(msgs, i):
    return next((m for m in msgs if m.get("id") == i), None)

def code(msgs, i):
    m = by_id(msgs, i)
    return m and m.get("error", {}).get("code")

INIT = req(1, "initialize", {"capabilities": {}})
BYE = req(99, "shutdown") + note("exit")
URI = "file:///t.peer"
def open_doc(text, version=1):
    return note("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "peer", "version": version, "text": text}})
def pos(i, method, line, ch, **extra):
    return req(i, method, {"textDocument": {"uri": URI},
                           "position": {"line": line, "character": ch}, **extra})

# The lifecycle.
msgs, rc = run(req(5, "textDocument/hover", {}) + open_doc("vnet a 10.0.0.0/16") +
               INIT + pos(6, "textDocument/hover", 0, 6) + BYE)
check(code(msgs, 5) == -32002, "a request before initialize: ServerNotInitialized", msgs)
check(code(msgs, 6) == -32602, "a notification before initialize is dropped", by_id(msgs, 6))
check(rc == 0 and by_id(msgs, 99) == {"jsonrpc": "2.0", "id": 99, "result": None},
      "shutdown then exit: status 0", (rc, msgs))
msgs, rc = run(INIT + note("exit"))
check(rc == 1, "exit without shutdown: status 1", rc)
msgs, rc = run(INIT + req(2, "shutdown") + req(3, "textDocument/hover", {}) + note("exit"))
check(code(msgs, 3) == -32600, "a request after shutdown: InvalidRequest", msgs)
msgs, rc = run(INIT + req(2, "initialize", {"capabilities": {}}) + BYE)
check(code(msgs, 2) == -32600, "a second initialize: InvalidRequest", msgs)

# Malformed and ill-typed messages: an error each, and the server goes on.
msgs, rc = run(INIT +
               frame(b'{"jsonrpc": "2.0", "id": 2, "method": ') +   # not JSON
               frame(b"[1, 2, 3]") +                                 # not an object
               frame({"jsonrpc": "2.0", "id": [4], "method": "x"}) + # a bad id
               req(5, "peer/nothing") +                              # unknown method
               note("peer/nothing") +                                # unknown notification
               req(6, "textDocument/hover", "text") +                # params not an object
               pos(7, "textDocument/hover", -1, "x") +               # a bad position
               req(8, "textDocument/didOpen", {"textDocument": 3}) + # wrong types
               b"Content-Type: x\r\n\r\n" +                          # no Content-Length
               req(9, "textDocument/hover", {"textDocument": {"uri": URI},
                                             "position": {"line": 0, "character": 0}}) +
               BYE)
nulls = [m for m in msgs if m.get("id") is None and "error" in m]
check([m["error"]["code"] for m in nulls] == [-32700, -32600, -32600, -32700],
      "bad JSON, a non-object, a bad id, no Content-Length: errors with id null", nulls)
check(code(msgs, 5) == -32601, "an unknown request: MethodNotFound", msgs)
check(code(msgs, 6) == -32602 and code(msgs, 7) == -32602 and code(msgs, 8) == -32602,
      "ill-typed params: InvalidParams", msgs)
check(code(msgs, 9) == -32602, "a request for a document that is not open", by_id(msgs, 9))
check(rc == 0, "the server survived all of it", rc)

# A client that vanishes: mid-header, mid-body, after announcing 100 MB.
for cut, what in ((b"Content-Len", "inside a header"),
                  (b"Content-Length: 50\r\n\r\n{\"jsonrpc\"", "inside a body"),
                  (b"Content-Length: 100000000\r\n\r\n{}", "after a huge length")):
    msgs, rc = run(INIT + cut)
    check(rc == 1, "the input ends " + what + ": exit 1", rc)
msgs, rc = run(INIT + b"x" * 20000)
check(rc == 1 and msgs[-1]["error"]["code"] == -32700,
      "headers that never end: an error, then exit 1", (rc, msgs[-1:]))

# Positions: UTF-16 by default (an emoji is two units), UTF-8 when offered.
text = 'vnet a { tags { t = "🚀é" } address = 10.0.0.1/16 }\n'
msgs, rc = run([INIT + open_doc(text), PAUSE, BYE])
def host_bits_range(msgs):
    for m in msgs:
        for d in m.get("params", {}).get("diagnostics", []) if m.get("method") else []:
            if d.get("code") == "prefix-host-bits":
                return d["range"]
r = host_bits_range(msgs)
check(r and r["start"] == {"line": 0, "character": 38}, "UTF-16 columns", r)
msgs, rc = run([req(1, "initialize", {"capabilities": {"general": {
    "positionEncodings": ["utf-8", "utf-16"]}}}) + open_doc(text), PAUSE, BYE])
check(by_id(msgs, 1)["result"]["capabilities"]["positionEncoding"] == "utf-8",
      "UTF-8 chosen when offered", by_id(msgs, 1))
r = host_bits_range(msgs)
check(r and r["start"] == {"line": 0, "character": 41}, "UTF-8 columns", r)
# An edit after the emoji, in UTF-16 units, lands on the right bytes.
msgs, rc = run(INIT + open_doc(text) + note("textDocument/didChange", {
    "textDocument": {"uri": URI, "version": 2},
    "contentChanges": [{"range": {"start": {"line": 0, "character": 45},
                                  "end": {"line": 0, "character": 46}}, "text": "0"}]}) +
    pos(3, "textDocument/hover", 0, 40) + BYE)
hover = (by_id(msgs, 3).get("result") or {}).get("contents", {}).get("value", "")
check("10.0.0.0/16" in hover and "host bits" not in hover,
      "an incremental edit past an emoji", hover)

# The debounce: a burst of changes, one compile.
changes = b"".join(note("textDocument/didChange", {
    "textDocument": {"uri": URI, "version": v},
    "contentChanges": [{"text": "vnet a 10.0.0.%d/16\n" % v}]}) for v in range(2, 12))
msgs, rc = run([INIT + open_doc("vnet a 10.0.0.0/16\n") + changes, PAUSE, BYE],
               ("--debounce=300",))
versions = [m["params"]["version"] for m in msgs if m.get("method") == "textDocument/publishDiagnostics"]
check(versions == [11], "ten quick changes: diagnostics once, for the last", versions)

# Documentation links: a check, a resolution error and a syntax error each
# link to their code's row of doc/checks.md, anchored by the code, where
# SARIF's rules link too (tests/doc-checks.sh, tests/diag/formats.py).
DOC = "https://github.com/peerc/peerc/blob/main/doc/checks.md#"
checks_md = open(top + "/doc/checks.md", encoding="utf-8").read()
for text, want in (("vnet a 10.0.0.1/16\n", "prefix-host-bits"),
                   ("vnet a 10.0.0.0/16\npeer a <-> b\n", "unknown-name"),
                   ("vnet a 10.0.0.0/16 {\n", "syntax")):
    msgs, rc = run([INIT + open_doc(text), PAUSE, BYE])
    ds = [d for m in msgs if m.get("method") == "textDocument/publishDiagnostics"
          for d in m["params"]["diagnostics"]]
    check(want in [d.get("code") for d in ds] and
          all(d.get("codeDescription", {}).get("href") == DOC + d["code"] and
              '<a id="%s"></a>' % d["code"] in checks_md for d in ds),
          "codeDescription of %s: its anchored row of doc/checks.md" % want, ds)

# Alternative fix-its (a failed require offers transit on the hub or a
# direct peering): a quick fix each, none preferred, each titled on one
# line.
text = open(top + "/tests/golden/checks/require-failed.peer", encoding="utf-8").read()
msgs, rc = run([INIT + open_doc(text), PAUSE])
ds = [d for m in msgs if m.get("method") == "textDocument/publishDiagnostics"
      for d in m["params"]["diagnostics"] if "spoke1' cannot reach" in d["message"]]
line = ds[0]["range"]["start"]["line"] if ds else 0
msgs, rc = run([INIT + open_doc(text), PAUSE, req(7, "textDocument/codeAction", {
    "textDocument": {"uri": URI},
    "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
    "context": {"diagnostics": ds}}), PAUSE, BYE])
acts = [a for a in (by_id(msgs, 7) or {}).get("result") or []
        if "spoke1' cannot reach" in a["diagnostics"][0]["message"]]
titles = [a["title"] for a in acts]
check(sorted(titles) == ["Insert 'peer spoke1 <-> spoke2'", "Insert '{ transit = gateway }'"],
      "alternative fixes: one quick fix each, titled on one line", titles)
check(not any(a.get("isPreferred") for a in acts), "no alternative is preferred", acts)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
