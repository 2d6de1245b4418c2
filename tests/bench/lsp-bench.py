#!/usr/bin/env python3
"""Benchmark, not a test: the language server's latency and memory.

usage: lsp-bench.py PEERC FILE [EDITS]

Starts `peerc lsp --debounce=0`, opens FILE, then sends EDITS (default
10,000) incremental changes one at a time, each flipping one character of
an address so that the file alternates between clean and one error, and
waits for the diagnostics of each. Prints the time from sending a change
to receiving its diagnostics (median, 95th percentile, max), which covers
the JSON-RPC round trip, applying the edit, compiling the whole file and
encoding the diagnostics; and the server's resident memory after 100 edits
and then every tenth of the run, which stays flat when nothing leaks or
accumulates between compiles. The server's CPU time per edit is printed
too: on a shared machine the wall time also measures the neighbours.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, peerc):
        self.p = subprocess.Popen([peerc, "lsp", "--debounce=0"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(self, obj):
        self.p.stdin.write(frame(obj))
        self.p.stdin.flush()

    def recv(self):
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            c = self.p.stdout.read(1)
            if not c:
                raise EOFError("the server closed its output")
            head += c
        n = int(head.split(b":")[1])
        return json.loads(self.p.stdout.read(n))

    def diagnostics(self, version):
        while True:
            m = self.recv()
            if (m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["version"] == version):
                return m["params"]["diagnostics"]

    def cpu_s(self):
        """User and system CPU seconds the server has used."""
        with open("/proc/%d/stat" % self.p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            fields = dict(l.split(":", 1) for l in f if ":" in l)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def main():
    peerc, path = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    # the first prefix of the last vnet line: its third octet's last digit
    line = max(i for i, l in enumerate(lines) if l.startswith("vnet "))
    words = lines[line].split()
    col = lines[line].index(words[2]) + len(words[2].split("/")[0]) - 1
    digits = (lines[line][col], "1" if lines[line][col] != "1" else "3")

    uri = "file://" + path
    s = Server(peerc)
    s.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}}})
    s.recv()
    s.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "peer", "version": 1, "text": text}}})
    t = time.perf_counter()
    first = s.diagnostics(1)
    open_ms = (time.perf_counter() - t) * 1000
    print("lsp: %s, %d lines, %d bytes: open %.1f ms, %d diagnostics"
          % (path.rsplit("/", 1)[-1], len(lines), len(text.encode()), open_ms, len(first)))

    latencies, counts = [], set()
    cpu0 = s.cpu_s()
    for i in range(edits):
        version = i + 2
        change = {"range": {"start": {"line": line, "character": col},
                            "end": {"line": line, "character": col + 1}},
                  "text": digits[(i + 1) % 2]}
        t = time.perf_counter()
        s.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [change]}})
        counts.add(len(s.diagnostics(version)))
        latencies.append((time.perf_counter() - t) * 1000)
        if i + 1 == 100 or (i + 1) % max(edits // 10, 1) == 0:
            rss, hwm = s.rss_kb()
            print("lsp: after %5d edits: RSS %6d KB (peak %6d KB)" % (i + 1, rss, hwm))
    cpu = (s.cpu_s() - cpu0) * 1000 / edits
    latencies.sort()
    print("lsp: change to diagnostics over %d edits: median %.2f ms, p95 %.2f ms, "
          "max %.2f ms wall; the server's CPU %.2f ms per edit "
          "(diagnostics per compile: %s; load average %.1f)"
          % (edits, statistics.median(latencies),
             latencies[int(len(latencies) * 0.95) - 1], latencies[-1], cpu,
             sorted(counts), os.getloadavg()[0]))
    s.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    s.send({"jsonrpc": "2.0", "method": "exit"})
    s.p.wait(timeout=10)


if __name__ == "__main__":
    main()
