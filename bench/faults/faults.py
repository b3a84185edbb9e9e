#!/usr/bin/env python3
"""`make faults`: the fault harness. Runs real `firebreak serve` processes
through kill -9 during writes, SIGTERM under load, 50 concurrent writers and
a full disk; prints a summary, writes bench/faults-report.md, and exits
non-zero if any check fails. Python 3.11 standard library only.

    python3 bench/faults/faults.py --binary target/release/firebreak [--kills 20] [--only NAME]
"""
import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import disk_full  # noqa: E402
import kill_loop  # noqa: E402
import proc  # noqa: E402
import sigterm  # noqa: E402
import writers50  # noqa: E402
from common import Report  # noqa: E402

SCENARIOS = ["kill", "sigterm", "writers", "disk"]
REPORT = Path(__file__).resolve().parent.parent / "faults-report.md"


def machine(binary):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    kind = "debug" if "/debug/" in str(binary) else "release"
    return (f"{os.cpu_count()} cores, {cpu}; Linux {platform.release()}; Python {platform.python_version()}; "
            f"`{binary}` ({kind} build)")


def write_report(report, binary, took):
    lines = ["# Fault harness (`make faults`)", "",
             f"Machine: {machine(binary)}. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {took:.0f} s in all.", "",
             "## Figures", "", "| scenario | figure | value |", "|---|---|---|"]
    lines += [f"| {s} | {n} | {v} |" for s, n, v in report.figures]
    lines += ["", "## Checks", "", "| scenario | check | result | detail |", "|---|---|---|---|"]
    lines += [f"| {s} | {n} | {st} | {d} |" for s, n, st, d in report.checks]
    REPORT.write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="target/release/firebreak")
    parser.add_argument("--kills", type=int, default=int(os.environ.get("FAULTS_KILLS", "20")))
    parser.add_argument("--only", choices=SCENARIOS, action="append")
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    workdir = Path(tempfile.mkdtemp(prefix="firebreak-faults-"))
    os.environ.setdefault("FAULTS_LOG_DIR", str(workdir))
    report = Report()
    started = time.monotonic()
    runs = {
        "kill": lambda: kill_loop.run(binary, workdir, report, args.kills),
        "sigterm": lambda: sigterm.run(binary, workdir, report),
        "writers": lambda: writers50.run(binary, workdir, report),
        "disk": lambda: disk_full.run(binary, workdir, report),
    }
    try:
        for name in args.only or SCENARIOS:
            print(f"== {name}", flush=True)
            try:
                runs[name]()
            except Exception as e:  # noqa: BLE001 - a crashed scenario is a failed check
                report.check(name, "scenario ran to the end", False, f"({e!r})")
            finally:
                proc._kill_all()
    finally:
        proc._kill_all()
        subprocess.run(["umount", str(workdir / "tmpfs")], capture_output=True)
    took = time.monotonic() - started
    write_report(report, binary, took)
    width = max(len(f"{s}: {n}") for s, n, _, _ in report.checks) if report.checks else 10
    print(f"\n{'check':<{width}}  result")
    for s, n, st, d in report.checks:
        print(f"{s + ': ' + n:<{width}}  {st} {d}")
    failed = report.failed()
    print(f"\n{len(report.checks) - len(failed)} of {len(report.checks)} checks passed in {took:.0f} s; report: {REPORT}")
    if not failed:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"logs and data kept in {workdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
