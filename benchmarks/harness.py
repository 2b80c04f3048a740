"""Shared benchmark machinery: a ``Case`` (our command vs a baseline command) and how one run is measured.

Every command runs as its own subprocess, so start-up time and memory count fully and fairly for both sides:

* wall time: ``time.perf_counter()`` around spawn → exit; also the CPU time (user + system, from ``os.wait4``),
  which is much less sensitive to other load on a shared machine than wall time;
* peak memory: ``ru_maxrss`` of the child from ``os.wait4`` (Linux reports the maximum of the child and the
  descendants it waited for) **and** a sampled sum of the resident memory of the whole process tree (every
  50 ms from ``/proc``), because a command that uses worker processes holds several processes in memory at
  once. The reported peak is the larger of the two, so multi-process commands are never flattered.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Case:
    name: str
    ours: list  # argv
    baseline: list | None  # argv, or None when there is no baseline
    description: str = ""
    min_speedup: float | None = None  # baseline time / our time must be at least this
    max_memory_ratio: float | None = None  # our peak / baseline peak must be at most this
    max_seconds: float | None = None  # our median wall time must be at most this
    env: dict = field(default_factory=dict)
    cwd: str | None = None
    timeout: float = 1800.0
    report: bool = False  # a quality benchmark: its command prints a JSON report, no baseline or speed target

    def target_text(self) -> str:
        parts = []
        if self.min_speedup:
            parts.append(f">={self.min_speedup:g}x")
        if self.max_memory_ratio:
            parts.append(f"mem<={self.max_memory_ratio:g}")
        if self.max_seconds:
            parts.append(f"<={self.max_seconds:g}s")
        return " ".join(parts) or "-"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    maxrss_mb: float
    tree_peak_mb: float
    returncode: int
    cpu_s: float = 0.0  # user + system CPU of the child and the descendants it waited for
    stderr_tail: str = ""
    stdout_tail: str = ""


def _children_map() -> dict:
    children: dict = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces, so split after the last ')'
        rest = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(rest[1]), []).append(int(entry.name))
    return children


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self):
        pids = [self.pid]
        last_scan = 0.0
        while not self._halt.is_set():
            now = time.monotonic()
            if now - last_scan > 0.25:
                children = _children_map()
                pids, stack = [], [self.pid]
                while stack:
                    pid = stack.pop()
                    pids.append(pid)
                    stack.extend(children.get(pid, []))
                last_scan = now
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in pids))
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


def measure(argv, env=None, cwd=None, timeout=1800.0) -> Run:
    environment = os.environ.copy()
    environment.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=environment, cwd=cwd)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        _pid, status, rusage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        killer.cancel()
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
        out.seek(0)
        stdout_tail = out.read()[-100_000:].decode("utf-8", "replace")
    maxrss_mb = rusage.ru_maxrss / 1024.0  # Linux: kilobytes
    tree_mb = sampler.peak_kb / 1024.0
    return Run(
        seconds,
        max(maxrss_mb, tree_mb),
        maxrss_mb,
        tree_mb,
        proc.returncode,
        rusage.ru_utime + rusage.ru_stime,
        tail if proc.returncode else "",
        stdout_tail,
    )


def median(values):
    values = sorted(values)
    n = len(values)
    if not n:
        return None
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
