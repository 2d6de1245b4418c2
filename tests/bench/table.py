#!/usr/bin/env python3
"""The benchmark table of `make bench`: for each generated topology and size,
and each target, peerc's wall time and peak memory next to `cat` writing
the same bytes to a file and (Terraform only) `terraform fmt -check` of the
output, with the ratios. Prints a Markdown table (doc/benchmark.md keeps one).

usage: table.py PEERC TMPDIR [SHAPE:N ...]
  SHAPE is estate (tests/bench/gen-peer-estate.py: hubs of 497 spokes, a gateway
  each) or transit (tests/bench/gen-topology.py: hubs of 99 spokes with NVA
  transit and routes); default: estate at 1,000, 10,000 and 99,600 VNets
  (200 hubs of 497 spokes), transit at 10,000.
  BENCH_FMT=0 skips terraform fmt; BENCH_FMT_MAX_MB (default 25) is the
  largest output it is run on: terraform fmt holds about 90 times its
  input in memory (18 GB for the 208 MB of the transit topology at 10,000
  VNets) and takes minutes past that.
"""
import os
import platform
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATORS = {"estate": "gen-peer-estate.py", "transit": "gen-topology.py"}
TARGETS = [("none", None), ("terraform", "tf"), ("bicep", "bicep"), ("arm", "json")]


def measure(argv, stdout=subprocess.DEVNULL):
    """Wall seconds, CPU seconds (user and system), peak RSS in KiB and exit
    status of one command. The peak is this child's alone: each runs in a
    fresh Python child. CPU time is what a busy machine does not inflate."""
    code = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "s = subprocess.call(sys.argv[1:], stdout=sys.stdout, stderr=subprocess.DEVNULL)\n"
            "w = time.perf_counter() - t\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "sys.stderr.write('%f %f %d %d\\n' % (w, u.ru_utime + u.ru_stime, u.ru_maxrss, s))\n")
    p = subprocess.run([sys.executable, "-c", code] + argv, stdout=stdout,
                       stderr=subprocess.PIPE, check=False)
    wall, cpu, rss, status = p.stderr.decode().split()[-4:]
    return float(wall), float(cpu), int(rss), int(status)


def files_of(out_dir):
    found = []
    for root, _, names in os.walk(out_dir):
        found += [os.path.join(root, n) for n in names]
    return sorted(found)


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 30
    return "%s, %d cores, %d GiB, %s %s" % (cpu, os.cpu_count(), mem,
                                             platform.system(), platform.release())


def fmt_time(s):
    return "%.2f s" % s if s >= 0.1 else "%.0f ms" % (s * 1000)


def row(peerc, tmp, shape, n, target, ext, fmt_max):
    src = os.path.join(tmp, "%s-%d.peer" % (shape, n))
    if not os.path.exists(src):
        subprocess.run([sys.executable, os.path.join(HERE, GENERATORS[shape]),
                        str(n), src], check=True)
    out_dir = os.path.join(tmp, "out")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    argv = [peerc, "-t", target, src]
    if ext:
        argv += ["-o", os.path.join(out_dir, "main." + ext)]
    wall, cpu, rss, status = measure(argv)
    cells = ["%s %s" % (shape, "{:,}".format(n)), target, fmt_time(wall),
             fmt_time(cpu), "%.1f µs" % (cpu / n * 1e6), "%.0f MiB" % (rss / 1024)]
    if status != 0:
        return cells + ["exit %d" % status, "", "", "", ""]
    if not ext:
        return cells + ["", "", "", "", ""]
    files = files_of(out_dir)
    size = sum(os.path.getsize(f) for f in files)
    copy = os.path.join(tmp, "copy")
    with open(copy, "wb") as f:
        cwall, ccpu = measure(["cat"] + files, stdout=f)[:2]
    os.unlink(copy)
    cells += ["%.1f MB, %d file%s" % (size / 1e6, len(files), "" if len(files) == 1 else "s"),
              "%s (%s CPU)" % (fmt_time(cwall), fmt_time(ccpu)),
              "%.1fx" % (wall / cwall)]
    if target == "terraform" and size <= fmt_max and shutil.which("terraform"):
        fwall, _, _, fstatus = measure(["terraform", "fmt", "-check", files[0]])
        cells += [fmt_time(fwall) + ("" if fstatus == 0 else " (exit %d)" % fstatus),
                  "%.2fx" % (wall / fwall)]
    elif target == "terraform":
        cells += ["skipped: %s" % ("no terraform" if not shutil.which("terraform")
                                   else "over BENCH_FMT_MAX_MB"), ""]
    else:
        cells += ["", ""]
    shutil.rmtree(out_dir)
    return cells


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    peerc, tmp = sys.argv[1], sys.argv[2]
    sizes = sys.argv[3:] or ["estate:1000", "estate:10000", "estate:99600",
                             "transit:10000"]
    fmt_max = int(os.environ.get("BENCH_FMT_MAX_MB", "25")) << 20
    if os.environ.get("BENCH_FMT") == "0":
        fmt_max = 0
    if not shutil.which("terraform"):
        print("terraform is not installed: its fmt -check column is skipped")
    print("Measured on %s.\n" % machine())
    head = ["topology", "target", "peerc wall", "peerc CPU", "CPU per VNet",
            "peak RSS", "output", "cat to a file", "peerc/cat (wall)",
            "terraform fmt -check", "peerc/fmt (wall)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for spec in sizes:
        shape, n = spec.split(":")
        for target, ext in TARGETS:
            cells = row(peerc, tmp, shape, int(n), target, ext, fmt_max)
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
