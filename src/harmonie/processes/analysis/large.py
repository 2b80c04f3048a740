"""DFG, variants and case durations of very large Parquet logs (100 million events and more) in bounded memory.

The in-memory path (``metrics.compute_stats``) sorts the whole log at once; for 100 M events that needs more
memory than a small server has. Here the log is processed in *buckets of cases*: a case belongs to bucket
``hash(case_id) mod K``, so every bucket holds complete cases and the per-bucket results simply add up:

1. one streaming pass collects the activity labels (a global code per activity) and the number of events;
2. per bucket, polars' streaming engine reads only that bucket's rows (case, activity code, time, file
   position); the bucket is sorted per case by time (ties: file order) and gives its DFG counts, its variant
   table (activity-code sequence → cases) and its case durations;
3. DFG counts are summed, variant tables merged, and the median is taken over all case durations.

``K`` is chosen so a bucket has about ``rows_per_bucket`` events (default 6 M: ~0.5 GB while sorting). The
figures are exactly those of ``metrics.compute_stats`` (same ordering rule, same definitions).
"""

from __future__ import annotations

import math

import polars as pl

from .metrics import LogStats
from .timestamps import parse_expr

ROWS_PER_BUCKET = 6_000_000


def analyse_parquet(path, name: str, rows_per_bucket: int = ROWS_PER_BUCKET, progress=None) -> LogStats:
    scan = pl.scan_parquet(path)
    schema = scan.collect_schema()
    missing = [c for c in ("case_id", "activity", "timestamp") if c not in schema]
    if missing:
        from harmonie.core.errors import BadInput

        raise BadInput(f"{name}: kolom(men) {', '.join(missing)} ontbreken.")
    head = scan.select("timestamp").head(1000).collect()["timestamp"]
    ts = parse_expr("timestamp", head)
    meta = scan.select(pl.len().alias("n"), pl.col("activity").cast(pl.String).unique().implode().alias("acts")) \
        .collect(engine="streaming")
    n_events = int(meta["n"][0])
    labels = sorted(meta["acts"][0].to_list())
    if n_events == 0:
        return LogStats(name, 0, 0, [], 0, None, {})
    enum = pl.Enum(labels)
    buckets = max(1, math.ceil(n_events / rows_per_bucket))
    base = scan.with_row_index("order").select(
        pl.col("case_id").cast(pl.String).alias("case_id"),
        pl.col("activity").cast(pl.String).cast(enum).to_physical().cast(pl.UInt32).alias("a"),
        ts.alias("timestamp"),
        pl.col("order"),
    )
    dfg_parts, variant_parts, duration_parts = [], [], []
    n_cases = 0
    for k in range(buckets):
        part = base
        if buckets > 1:
            part = part.filter((pl.col("case_id").hash(seed=7) % buckets) == k)
        ev = (
            part.collect(engine="streaming")
            .sort(["case_id", "timestamp", "order"])
            .select(
                pl.col("case_id").ne_missing(pl.col("case_id").shift(1)).cum_sum().cast(pl.UInt32).alias("case"),
                pl.col("a"),
                pl.col("timestamp"),
            )
        )
        edges = (
            ev.select(pl.col("a").alias("src"), pl.col("a").shift(-1).alias("dst"),
                      (pl.col("case") == pl.col("case").shift(-1)).alias("same"))
            .filter(pl.col("same")).group_by("src", "dst").len()
        )
        per_case = ev.group_by("case").agg(
            pl.col("a"), (pl.col("timestamp").max() - pl.col("timestamp").min()).dt.total_microseconds().alias("us"))
        del ev
        n_cases += per_case.height
        dfg_parts.append(edges)
        variant_parts.append(per_case.group_by("a").len())
        duration_parts.append(per_case["us"])
        del per_case
        if progress is not None:
            progress(k + 1, buckets)
    edges = pl.concat(dfg_parts).group_by("src", "dst").agg(pl.col("len").sum())
    variants = pl.concat(variant_parts).group_by("a").agg(pl.col("len").sum())
    median_us = pl.concat(duration_parts).median()
    dfg = {(labels[s], labels[d]): n for s, d, n in edges.iter_rows()}
    return LogStats(name=name, cases=n_cases, events=n_events, activities=labels, variants=variants.height,
                    median_case_duration_days=None if median_us is None else float(median_us) / 1e6 / 86400.0,
                    dfg=dfg)
