"""Per-log figures and pairwise comparison, on normalised polars frames.

Definitions (the contract of ``harmonie processes compare``):

* events are ordered per case by timestamp; ties keep file order (stable sort);
* a variant is a distinct activity sequence of a case;
* case duration = last minus first event time, in days (seconds / 86,400, not rounded);
* directly-follows graph (DFG): counts of ``a → b`` where b directly follows a in a case;
* ``dfg_similarity(A, B) = Σ_e min(pA(e), pB(e))``, p(e) = edge count / all edge occurrences in that log;
* ``activity_overlap(A, B)`` = Jaccard index of the activity sets;
* common core = activities present in every log, sorted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl


@dataclass
class LogStats:
    name: str
    cases: int
    events: int
    activities: list  # sorted activity labels
    variants: int
    median_case_duration_days: float | None
    dfg: dict = field(default_factory=dict)  # (a, b) -> count
    variant_counts: dict | None = None  # (a1, a2, ...) -> number of cases; only on request

    def summary(self) -> dict:
        return {
            "name": self.name,
            "cases": self.cases,
            "events": self.events,
            "activities": len(self.activities),
            "variants": self.variants,
            "median_case_duration_days": self.median_case_duration_days,
        }


def compute_stats(df: pl.DataFrame, name: str, with_variant_counts: bool = False) -> LogStats:
    """Cases, events, activities, variants, median case duration and DFG of one log."""
    n_events = df.height
    if n_events == 0:
        return LogStats(name, 0, 0, [], 0, None, {}, {} if with_variant_counts else None)
    activities = df["activity"].unique().cast(pl.String).sort()
    enum = pl.Enum(activities)
    if not df["order"].is_sorted():
        df = df.sort("order")
    # Integer codes first: sorting and grouping integers is ~10x faster than strings.
    # The frame is in file order, so a stable sort on (case, timestamp) keeps ties in file order.
    ev = (
        df.select(
            pl.col("case_id").cast(pl.Categorical).to_physical().alias("c"),
            pl.col("activity").cast(enum).to_physical().alias("a"),
            pl.col("timestamp"),
            pl.col("order"),
        )
        .sort(["c", "timestamp"], maintain_order=True)
        .select(
            pl.col("c").ne_missing(pl.col("c").shift(1)).cum_sum().set_sorted().alias("case"),
            pl.col("a"),
            pl.col("timestamp"),
        )
    )
    per_case, edges = pl.collect_all(
        [
            ev.lazy()
            .group_by("case", maintain_order=True)
            .agg(
                pl.col("a"),
                (pl.col("timestamp").last() - pl.col("timestamp").first()).dt.total_microseconds().alias("us"),
            ),
            ev.lazy()
            .select(
                pl.col("a").alias("src"),
                pl.col("a").shift(-1).alias("dst"),
                (pl.col("case") == pl.col("case").shift(-1)).alias("same"),
            )
            .filter(pl.col("same"))
            .group_by("src", "dst")
            .len(),
        ]
    )
    labels = activities.to_list()
    variant_table = per_case.group_by("a").len()
    median_us = per_case["us"].median()
    dfg = {
        (labels[s], labels[d]): n
        for s, d, n in zip(edges["src"].to_list(), edges["dst"].to_list(), edges["len"].to_list(), strict=True)
    }
    variant_counts = None
    if with_variant_counts:
        variant_counts = {
            tuple(labels[i] for i in seq): n
            for seq, n in zip(variant_table["a"].to_list(), variant_table["len"].to_list(), strict=True)
        }
    return LogStats(
        name=name,
        cases=per_case.height,
        events=n_events,
        activities=labels,
        variants=variant_table.height,
        median_case_duration_days=None if median_us is None else float(median_us) / 1e6 / 86400.0,
        dfg=dfg,
        variant_counts=variant_counts,
    )


def dfg_similarity(a: dict, b: dict) -> float:
    """Σ_e min(pA(e), pB(e)) with p the edge's share of all edge occurrences in its log."""
    total_a = sum(a.values())
    total_b = sum(b.values())
    if total_a == 0 or total_b == 0:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    total_small, total_large = (total_a, total_b) if small is a else (total_b, total_a)
    # fsum: exactly rounded, so the result does not depend on the (unordered) edge order
    shared = math.fsum(min(n / total_small, large[e] / total_large) for e, n in small.items() if e in large)
    return min(1.0, max(0.0, shared))


def activity_overlap(a, b) -> float:
    """Jaccard index of two activity sets (1.0 when both are empty)."""
    sa, sb = set(a), set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 1.0


def common_core(activity_sets) -> list:
    sets = [set(s) for s in activity_sets]
    if not sets:
        return []
    return sorted(set.intersection(*sets))


def compare(stats: list) -> dict:
    """The ``summary.json`` structure for a list of ``LogStats``, in input order."""
    pairs = []
    for i in range(len(stats)):
        for j in range(i + 1, len(stats)):
            a, b = stats[i], stats[j]
            pairs.append(
                {
                    "a": a.name,
                    "b": b.name,
                    "dfg_similarity": dfg_similarity(a.dfg, b.dfg),
                    "activity_overlap": activity_overlap(a.activities, b.activities),
                }
            )
    return {
        "logs": [s.summary() for s in stats],
        "pairs": pairs,
        "common_core": {"activities": common_core(s.activities for s in stats)},
    }
