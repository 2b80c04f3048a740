"""Werkprocessen benchmarks (issue 4 targets), side by side with pm4py 2.7 in the same run.

1. ``eventlog-csv-1m``: read + DFG + variants + case durations of the synthetic 1,010,261-event log from CSV:
   ≥ 5× faster than pm4py, ≤ half its peak memory.
2. ``eventlog-parquet-1m``: the same from Parquet: ≥ 8× faster, ≤ half the memory.
3. ``compare-5-bpic``: ``harmonie processes compare`` on five BPIC-2015-size ``.xes.gz`` logs (≈262,600
   events), start-up included: ≤ 5 s; the baseline is pm4py reading them and computing DFG, variants and
   durations.
4. ``cross-conformance-5-bpic``: 5×5 cross-conformance on the five logs filtered to their 20 most frequent
   activities (ours: every case of every log, DFG models at noise 0.2; start-up and reading included). The
   baseline is pm4py's inductive miner (noise 0.2) + token-based replay on a *sample* of 200 cases per log
   (the full logs take minutes): so the ratio understates our advantage. Target: ≤ 10 s.
5. ``eventlog-parquet-100m`` (not in quick mode): DFG + variants + case durations of a 100-million-event
   Parquet log (``gen_parquet.py``, the trace model of gen_log.py written in chunks) through the bucketed
   streaming path: ≤ 15 min; peak memory is reported (target ≤ 4 GB). No baseline (pm4py cannot hold it).
Inputs are generated once into ``bench-results/cache`` (see inputs.py). With ``--quick`` the inputs are ~10×
smaller and the targets are not applied (start-up dominates there): a smoke run only.
"""

import os
import shutil
import sys
from pathlib import Path

from harness import Case, project_root

import inputs

ROOT = project_root()
PY = sys.executable
OURS = str(ROOT / "benchmarks" / "ours_pipeline.py")
PM4PY = str(ROOT / "benchmarks" / "pm4py_pipeline.py")
OURS_CONFORMANCE = str(ROOT / "benchmarks" / "ours_conformance.py")
PM4PY_CONFORMANCE = str(ROOT / "benchmarks" / "pm4py_conformance.py")
OURS_LARGE = str(ROOT / "benchmarks" / "ours_large.py")


def _harmonie_bin() -> list:
    found = Path(PY).with_name("harmonie")
    if found.exists():
        return [str(found)]
    return [PY, "-m", "harmonie.cli"]


def cases(quick: bool):
    csv = str(inputs.synthetic_csv(quick))
    parquet = str(inputs.synthetic_parquet(quick))
    logs = [str(p) for p in inputs.bpic_logs(quick)]
    work = inputs.cache_dir() / "work"
    data_dir = inputs.cache_dir() / "harmonie-var"
    env = {"HARMONIE_DATA_DIR": str(data_dir), "PYTHONWARNINGS": "ignore"}
    os.environ.pop("DATABASE_URL", None)  # the compare command never touches a database; keep it on SQLite
    size = "100k" if quick else "1m"
    out = work / "compare"
    shutil.rmtree(out, ignore_errors=True)
    result = [
        Case(
            name=f"eventlog-csv-{size}",
            description=f"read CSV + DFG + variants + case durations ({Path(csv).name})",
            ours=[PY, OURS, csv],
            baseline=[PY, PM4PY, csv],
            min_speedup=None if quick else 5.0,
            max_memory_ratio=None if quick else 0.5,
            env=env,
        ),
        Case(
            name=f"eventlog-parquet-{size}",
            description=f"read Parquet + DFG + variants + case durations ({Path(parquet).name})",
            ours=[PY, OURS, parquet],
            baseline=[PY, PM4PY, parquet],
            min_speedup=None if quick else 8.0,
            max_memory_ratio=None if quick else 0.5,
            env=env,
        ),
        Case(
            name="compare-5-bpic" + ("-quick" if quick else ""),
            description="harmonie processes compare on five BPIC-2015-size .xes.gz logs, start-up included",
            ours=[*_harmonie_bin(), "processes", "compare", *logs, "--output", str(out), "--stil"],
            baseline=[PY, PM4PY, *logs],
            max_seconds=None if quick else 5.0,
            env=env,
        ),
        Case(
            name="cross-conformance-5-bpic" + ("-quick" if quick else ""),
            description="5x5 cross-conformance, top-20 activities (ours: all cases; pm4py IM + token replay: "
                        f"{50 if quick else 200} cases per log)",
            ours=[PY, OURS_CONFORMANCE, "--top", "20", *logs],
            baseline=[PY, PM4PY_CONFORMANCE, "--top", "20", "--sample", "50" if quick else "200", *logs],
            max_seconds=None if quick else 10.0,
            env=env,
        ),
    ]
    if not quick:
        result.append(Case(
            name="eventlog-parquet-100m",
            description="DFG + variants + case durations of 100 million events from Parquet (bucketed streaming)",
            ours=[PY, OURS_LARGE, str(inputs.synthetic_parquet_100m())],
            baseline=None,
            max_seconds=900.0,
            env=env,
            timeout=3600.0,
        ))
    return result
