"""Ours: read + directly-follows graph + variants + case durations with harmonie.processes.analysis.

Usage: python benchmarks/ours_pipeline.py LOG [LOG ...]
The same work as benchmarks/pm4py_pipeline.py; prints one JSON line per log. No Django.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main(paths):
    from harmonie.processes.analysis.pipeline import analyse_log

    for path in paths:
        stats = analyse_log(path)
        print(
            json.dumps(
                {
                    "log": path,
                    "events": stats.events,
                    "edges": len(stats.dfg),
                    "variants": stats.variants,
                    "median_case_duration_days": stats.median_case_duration_days,
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
