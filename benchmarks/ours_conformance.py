"""Ours: 5×5 cross-conformance of event logs (every log's cases on every log's filtered DFG model).

Usage: python benchmarks/ours_conformance.py [--sample N] [--top K] LOG [LOG ...]
Reads the logs, keeps per log the K activities present in the most cases (``--top``, default 20: the
"filtered logs" of the issue), optionally the first N cases (``--sample``, for a like-for-like run with the
pm4py baseline), and computes case and edge fitness for every ordered pair (harmonie.processes.analysis
.conformance; noise threshold 0.2). Prints one JSON line. No Django.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _read_all(paths):
    """XES is parsed in worker processes (one per core), as ``harmonie processes compare`` does."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from harmonie.processes.analysis.readers import frame_from_xes_columns, read_log
    from harmonie.processes.analysis.xes import read_xes_columns

    xes = [p for p in paths if p.lower().endswith((".xes", ".xes.gz"))]
    workers = min(os.cpu_count() or 1, len(xes))
    if workers < 2:
        return [read_log(p) for p in paths]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {p: pool.submit(read_xes_columns, p) for p in xes}
        return [frame_from_xes_columns(futures[p].result(), Path(p).name) if p in futures else read_log(p)
                for p in paths]


def main(argv):
    sample, top = None, 20
    while argv and argv[0].startswith("--"):
        flag, value, argv = argv[0], argv[1], argv[2:]
        if flag == "--sample":
            sample = int(value)
        elif flag == "--top":
            top = int(value)
    import polars as pl

    from harmonie.processes.analysis import abstraction, conformance
    from harmonie.processes.analysis.readers import log_name

    t0 = time.perf_counter()
    frames = {}
    for path, df in zip(argv, _read_all(argv), strict=True):
        if sample:
            keep = df["case_id"].unique(maintain_order=True).head(sample)
            df = df.filter(pl.col("case_id").is_in(keep.implode()))
        frames[log_name(path)] = abstraction.apply(df, top_n=top)
    t1 = time.perf_counter()
    rows = conformance.cross_conformance(frames)
    t2 = time.perf_counter()
    print(json.dumps({"pairs": len(rows), "read_s": round(t1 - t0, 3), "conformance_s": round(t2 - t1, 3),
                      "mean_case_fitness": sum(r["case_fitness"] for r in rows) / len(rows)}))


if __name__ == "__main__":
    main(sys.argv[1:])
