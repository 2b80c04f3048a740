#!/usr/bin/env python
"""Run the benchmarks: ``python benchmarks/run.py [--quick] [--repeat N] [--only TEXT]``.

Discovers ``benchmarks/bench_*.py``; each module defines ``cases(quick: bool) -> list[harness.Case]``.
Every case runs our command and the baseline command as separate subprocesses, ``--repeat`` times each,
interleaved (ours, baseline, ours, ...) so background load hits both sides alike. Prints a table and
writes ``bench-results/latest.json``. Exit code 0 when every case passes its targets, 1 otherwise.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Case, measure, median, project_root  # noqa: E402


def discover(only: list | None, quick: bool) -> list[Case]:
    cases = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "cases"):
            found = list(module.cases(quick))
        elif hasattr(module, "CASES") and hasattr(module, "run_case"):
            found = [_report_case(path, name, quick) for name in module.CASES]
        else:
            print(f"skipping {path.name}: defines neither cases(quick) nor CASES/run_case", file=sys.stderr)
            found = []
        cases.extend(c for c in found if only is None or any(text in c.name for text in only))
    return cases


def _report_case(path: Path, name: str, quick: bool) -> Case:
    """A module with ``CASES`` and ``run_case(name) -> dict``: run it in a subprocess, keep its JSON report."""
    snippet = (
        "import inspect, json, sys; sys.path.insert(0, {here!r}); import {mod} as m; "
        "quick = {quick!r} and 'quick' in inspect.signature(m.run).parameters if hasattr(m, 'run') else False; "
        "r = m.run(**m.CASES[{name!r}], quick=True) if quick else m.run_case({name!r}); "
        "print(json.dumps(r))"
    ).format(here=str(HERE), mod=path.stem, name=name, quick=quick)
    return Case(name=name, ours=[sys.executable, "-c", snippet], baseline=None,
                description=f"{path.name}: quality report", report=True)


def evaluate(case: Case, ours: list, baseline: list) -> dict:
    ours_ok = [r for r in ours if r.returncode == 0]
    base_ok = [r for r in baseline if r.returncode == 0]
    ours_s = median([r.seconds for r in ours_ok])
    base_s = median([r.seconds for r in base_ok])
    ours_mb = max((r.peak_mb for r in ours_ok), default=None)
    base_mb = max((r.peak_mb for r in base_ok), default=None)
    speedup = base_s / ours_s if ours_s and base_s else None
    ours_cpu = median([r.cpu_s for r in ours_ok])
    base_cpu = median([r.cpu_s for r in base_ok])
    mem_ratio = ours_mb / base_mb if ours_mb and base_mb else None
    failures = []
    if len(ours_ok) != len(ours):
        failures.append("our command failed")
    if case.baseline and len(base_ok) != len(baseline):
        failures.append("baseline failed")
    if case.min_speedup and (speedup is None or speedup < case.min_speedup):
        failures.append(f"speed-up {speedup or 0:.2f}x < {case.min_speedup:g}x")
    if case.max_memory_ratio and (mem_ratio is None or mem_ratio > case.max_memory_ratio):
        failures.append(f"memory ratio {mem_ratio or 0:.2f} > {case.max_memory_ratio:g}")
    if case.max_seconds and (ours_s is None or ours_s > case.max_seconds):
        failures.append(f"{ours_s or 0:.2f}s > {case.max_seconds:g}s")
    report = None
    if case.report and ours_ok:
        try:
            report = json.loads(ours_ok[-1].stdout_tail.strip().splitlines()[-1])
        except (ValueError, IndexError):
            failures.append("no JSON report on stdout")
    for run in ours + baseline:
        run.stdout_tail = ""  # keep latest.json small; reports are stored below
    return {
        "case": case.name,
        "report": report,
        "description": case.description,
        "target": case.target_text(),
        "ours_median_s": ours_s,
        "baseline_median_s": base_s,
        "speedup": speedup,
        "ours_median_cpu_s": ours_cpu,
        "baseline_median_cpu_s": base_cpu,
        "cpu_speedup": base_cpu / ours_cpu if ours_cpu and base_cpu else None,
        "ours_peak_mb": ours_mb,
        "baseline_peak_mb": base_mb,
        "memory_ratio": mem_ratio,
        "passed": not failures,
        "failures": failures,
        "ours_runs": [r.__dict__ for r in ours],
        "baseline_runs": [r.__dict__ for r in baseline],
        "ours_argv": case.ours,
        "baseline_argv": case.baseline,
    }


def fmt(value, pattern):
    return "-" if value is None else pattern.format(value)


def print_table(rows):
    header = ["case", "ours s", "baseline s", "ratio", "ours MB", "baseline MB", "mem ratio", "target", "result",
              "ours cpu s", "baseline cpu s"]
    lines = [
        [
            r["case"],
            fmt(r["ours_median_s"], "{:.2f}"),
            fmt(r["baseline_median_s"], "{:.2f}"),
            fmt(r["speedup"], "{:.1f}x"),
            fmt(r["ours_peak_mb"], "{:.0f}"),
            fmt(r["baseline_peak_mb"], "{:.0f}"),
            fmt(r["memory_ratio"], "{:.2f}"),
            r["target"],
            ("REPORT" if r["report"] is not None else "PASS") if r["passed"] else "FAIL",
            fmt(r["ours_median_cpu_s"], "{:.2f}"),
            fmt(r["baseline_median_cpu_s"], "{:.2f}"),
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    for line in [header, *lines]:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    for r in rows:
        if r["failures"]:
            print(f"  {r['case']}: " + "; ".join(r["failures"]))
            for run in r["ours_runs"] + r["baseline_runs"]:
                if run["returncode"]:
                    print("    stderr: " + run["stderr_tail"].strip().replace("\n", "\n    "))
                    break


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project_root(), capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller inputs (smoke run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (default 3); the median counts")
    parser.add_argument("--only", action="append", default=None,
                        help="only cases whose name contains this text (may be repeated)")
    parser.add_argument("--output", default=str(project_root() / "bench-results" / "latest.json"))
    args = parser.parse_args(argv)

    cases = discover(args.only, args.quick)
    if not cases:
        print("no benchmark cases found", file=sys.stderr)
        return 1
    load_before = os.getloadavg()
    rows = []
    for case in cases:
        print(f"[{case.name}] {case.description}", file=sys.stderr, flush=True)
        ours, baseline = [], []
        for i in range(args.repeat):
            run = measure(case.ours, env=case.env, cwd=case.cwd, timeout=case.timeout)
            ours.append(run)
            print(f"  ours     #{i + 1}: {run.seconds:7.2f} s {run.cpu_s:7.2f} cpu-s {run.peak_mb:7.0f} MB "
                  f"rc={run.returncode}",
                  file=sys.stderr, flush=True)
            if case.baseline:
                run = measure(case.baseline, env=case.env, cwd=case.cwd, timeout=case.timeout)
                baseline.append(run)
                print(f"  baseline #{i + 1}: {run.seconds:7.2f} s {run.cpu_s:7.2f} cpu-s {run.peak_mb:7.0f} MB "
                      f"rc={run.returncode}",
                      file=sys.stderr, flush=True)
        rows.append(evaluate(case, ours, baseline))
    print_table(rows)
    result = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "quick": args.quick,
        "repeat": args.repeat,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "cases": rows,
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {out}")
    return 0 if all(r["passed"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
