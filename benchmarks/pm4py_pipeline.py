"""Baseline: the same work as ours, done with pm4py 2.7 (the AGPL oracle; never imported from src/).

Usage: python benchmarks/pm4py_pipeline.py LOG [LOG ...]
For every log: read (XES via pm4py.read_xes; CSV via pandas.read_csv + pm4py.format_dataframe;
Parquet via polars -> pandas, because pandas.read_parquet needs pyarrow which we do not install,
and polars is the fastest reader available: this favours the baseline), then directly-follows
graph, variants and case durations (median in days). Prints one JSON line per log.
"""

import json
import statistics
import sys


def read(path):
    import pandas as pd
    import pm4py

    lower = path.lower()
    if lower.endswith((".xes", ".xes.gz")):
        return pm4py.read_xes(path, show_progress_bar=False)
    if lower.endswith(".parquet"):
        import polars as pl

        frame = pl.read_parquet(path, columns=["case_id", "activity", "timestamp"])
        df = pd.DataFrame({c: frame[c].to_numpy() for c in frame.columns})
        del frame
    else:
        df = pd.read_csv(path)
    return pm4py.format_dataframe(df, case_id="case_id", activity_key="activity", timestamp_key="timestamp")


def main(paths):
    import pm4py

    for path in paths:
        df = read(path)
        dfg, _start, _end = pm4py.discover_dfg(df)
        variants = pm4py.get_variants(df)
        durations = pm4py.get_all_case_durations(df)
        print(
            json.dumps(
                {
                    "log": path,
                    "events": len(df),
                    "edges": len(dfg),
                    "variants": len(variants),
                    "median_case_duration_days": statistics.median(durations) / 86400 if durations else None,
                }
            )
        )
        del df


if __name__ == "__main__":
    main(sys.argv[1:])
