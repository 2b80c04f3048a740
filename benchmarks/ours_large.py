"""Ours, 100-million-event target: DFG + variants + case durations of a huge Parquet log in bounded memory.

Usage: python benchmarks/ours_large.py LOG.parquet
Uses harmonie.processes.analysis.large (buckets of cases through polars' streaming engine). Prints one JSON
line. No Django.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main(path):
    from harmonie.processes.analysis.large import analyse_parquet

    started = time.perf_counter()
    stats = analyse_parquet(path, Path(path).stem)
    print(json.dumps({"log": path, "events": stats.events, "cases": stats.cases, "edges": len(stats.dfg),
                      "variants": stats.variants, "median_case_duration_days": stats.median_case_duration_days,
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main(sys.argv[1])
