"""Per-log profile: the figures of the partner comparison, on a normalised polars frame (no Django).

Input: a frame with ``case_id``, ``activity``, ``timestamp`` (Datetime UTC) in file order (an ``order`` column
is used when present). Events are ordered per case by timestamp, ties keep file order (as in ``metrics``).

Definitions (documented for users in docs/werkprocessen-vergelijken.md):

* throughput time of a case = last minus first event time; ``median`` and ``p90`` over cases, in days;
  quantiles are linear interpolations between order statistics (numpy's default; the median is the usual one);
* rework: a case has rework when some activity occurs more than once in it; ``rework_share`` = share of cases
  with rework; per activity: ``rework_share`` = of the cases that contain the activity, the share in which it
  occurs more than once;
* waiting time of a step ``a → b`` = time between an event ``a`` and the directly following event ``b`` of the
  same case; per directly-follows edge: count, median, p90 (in hours); per activity: the waiting time before
  it (from the previous event of the case), median and p90 over its occurrences that have a predecessor;
* abstracted logs (``analysis.abstraction``) carry ``end_timestamp``: the last event of a collapsed run; the
  case duration then runs from the first ``timestamp`` to the last ``end_timestamp`` (unchanged by the
  abstraction) and the waiting time before a step counts from the end of the previous step;
* ``profile(df, cases=whole)``: throughput time and rework are computed on ``whole`` (the unfiltered frame)
  while activities, edges and variants use ``df`` (the filtered one), so filtering never shortens cases;
* variants: distinct activity sequences, the most frequent first (ties: the shortest, then alphabetical).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

START, END = "▶", "■"  # artificial start/end nodes of the process map and the conformance check
US_PER_DAY = 86_400 * 1_000_000
US_PER_HOUR = 3_600 * 1_000_000


@dataclass
class Prepared:
    """Events ordered per case with integer codes: ``case`` (u32, 1..n in case order), ``a`` (activity code),
    ``timestamp``, ``end`` (the end of a collapsed step; equal to ``timestamp`` for plain events); and the
    activity labels (code → label)."""

    events: pl.DataFrame
    labels: list


def prepare(df: pl.DataFrame) -> Prepared:
    if "order" in df.columns and not df["order"].is_sorted():
        df = df.sort("order")
    activities = df["activity"].cast(pl.String).unique().sort()
    enum = pl.Enum(activities)
    end = pl.col("end_timestamp") if "end_timestamp" in df.columns else pl.col("timestamp")
    ev = (
        df.select(
            pl.col("case_id").cast(pl.String).cast(pl.Categorical).to_physical().alias("c"),
            pl.col("activity").cast(pl.String).cast(enum).to_physical().cast(pl.UInt32).alias("a"),
            pl.col("timestamp"),
            end.alias("end"),
        )
        .sort(["c", "timestamp"], maintain_order=True)
        .select(
            pl.col("c").ne_missing(pl.col("c").shift(1)).cum_sum().cast(pl.UInt32).set_sorted().alias("case"),
            pl.col("a"),
            pl.col("timestamp"),
            pl.col("end"),
        )
    )
    return Prepared(ev, activities.to_list())


def _q(expr: pl.Expr, q: float) -> pl.Expr:
    return expr.quantile(q, interpolation="linear")


def steps(prep: Prepared) -> pl.DataFrame:
    """Directly-follows occurrences: ``case, src, dst, us`` (waiting time in microseconds)."""
    ev = prep.events
    return ev.select(
        pl.col("case"),
        pl.col("a").alias("src"),
        pl.col("a").shift(-1).alias("dst"),
        (pl.col("timestamp").shift(-1) - pl.col("end")).dt.total_microseconds().clip(lower_bound=0).alias("us"),
        (pl.col("case") == pl.col("case").shift(-1)).alias("same"),
    ).filter(pl.col("same")).drop("same")


def _case_figures(ev: pl.DataFrame) -> pl.DataFrame:
    return ev.group_by("case", maintain_order=True).agg(
        (pl.col("end").max() - pl.col("timestamp").min()).dt.total_microseconds().alias("us"),
        (pl.col("a").n_unique() < pl.len()).alias("rework"),
    )


def profile(df: pl.DataFrame, top_variants: int = 25, cases: pl.DataFrame | None = None) -> dict:
    """All per-log figures as a JSON-ready dict (the ``stats`` of an imported log). ``cases``: the unfiltered
    frame for throughput time and rework (see the module docstring)."""
    if df.height == 0:
        return {"cases": 0, "events": 0, "activities": 0, "variants": 0, "throughput_days": {},
                "rework_share": None, "activity_table": [], "edges": [], "variants_top": [], "start": {},
                "end": {}}
    prep = prepare(df)
    ev, labels = prep.events, prep.labels
    per_case = ev.group_by("case", maintain_order=True).agg(
        pl.col("a"),
        pl.col("a").first().alias("first"),
        pl.col("a").last().alias("last"),
    )
    n_cases = per_case.height
    whole = _case_figures(ev if cases is None or cases is df else prepare(cases).events)
    durations = whole.select(
        (_q(pl.col("us"), 0.5) / US_PER_DAY).alias("median"),
        (_q(pl.col("us"), 0.9) / US_PER_DAY).alias("p90"),
        (pl.col("us").mean() / US_PER_DAY).alias("mean"),
    ).row(0, named=True)
    # activity table: events, cases, rework per activity, waiting time before it
    occ = ev.group_by("case", "a").len()
    act = occ.group_by("a").agg(
        pl.col("len").sum().alias("events"),
        pl.len().alias("cases"),
        (pl.col("len") > 1).sum().alias("rework_cases"),
    )
    st = steps(prep)
    wait = st.group_by("dst").agg(
        (_q(pl.col("us"), 0.5) / US_PER_HOUR).alias("wait_median_h"),
        (_q(pl.col("us"), 0.9) / US_PER_HOUR).alias("wait_p90_h"),
    ).rename({"dst": "a"})
    act = act.join(wait, on="a", how="left").sort(["cases", "events"], descending=True)
    activity_table = [
        {"activity": labels[r["a"]], "events": r["events"], "cases": r["cases"],
         "case_share": r["cases"] / n_cases,
         "rework_share": r["rework_cases"] / r["cases"] if r["cases"] else 0.0,
         "wait_median_h": r["wait_median_h"], "wait_p90_h": r["wait_p90_h"]}
        for r in act.iter_rows(named=True)
    ]
    edge_table = st.group_by("src", "dst").agg(
        pl.len().alias("count"),
        (_q(pl.col("us"), 0.5) / US_PER_HOUR).alias("median_h"),
        (_q(pl.col("us"), 0.9) / US_PER_HOUR).alias("p90_h"),
    ).sort(["count", "src", "dst"], descending=[True, False, False])
    edges = [
        {"a": labels[r["src"]], "b": labels[r["dst"]], "count": r["count"], "median_h": r["median_h"],
         "p90_h": r["p90_h"]}
        for r in edge_table.iter_rows(named=True)
    ]
    variant_table = per_case.group_by("a").len().with_columns(pl.col("a").list.len().alias("n"))
    n_variants = variant_table.height
    top = variant_table.sort(["len", "n"], descending=[True, False]).head(top_variants)
    variants_top = [
        {"activities": [labels[i] for i in seq], "cases": n, "share": n / n_cases}
        for seq, n in zip(top["a"].to_list(), top["len"].to_list(), strict=True)
    ]
    starts = per_case.group_by("first").len()
    ends = per_case.group_by("last").len()
    return {
        "cases": whole.height,
        "events": ev.height,
        "activities": len(labels),
        "variants": n_variants,
        "first_event": ev["timestamp"].min().isoformat(),
        "last_event": ev["timestamp"].max().isoformat(),
        "throughput_days": durations,
        "rework_share": float(whole["rework"].mean()),
        "cases_all": whole.height,
        "activity_table": activity_table,
        "edges": edges,
        "variants_top": variants_top,
        "start": {labels[a]: n for a, n in starts.iter_rows()},
        "end": {labels[a]: n for a, n in ends.iter_rows()},
    }


# A partner counts for "best performer" of a step only with enough observations: at least this many cases
# (edge occurrences) AND at least this share of the partner's cases. Otherwise a step done once in 0 minutes
# (an artefact) "wins" against a step measured over hundreds of cases.
BEST_MIN_CASES = 10
BEST_MIN_SHARE = 0.05


def best_performers(profiles: dict, min_count: int = BEST_MIN_CASES, min_share: float = BEST_MIN_SHARE) -> dict:
    """For activities and directly-follows edges that at least two partners do often enough (``min_count``
    cases/occurrences and ``min_share`` of that partner's cases, see ``BEST_MIN_CASES``/``BEST_MIN_SHARE``):
    which partner has the lowest median waiting time. ``profiles``: partner name → ``profile()`` dict.
    Returns ``{"activities": [...], "edges": [...], "min_count", "min_share"}``, each row ``{"key", "values":
    {partner: median_h}, "n": {partner: cases}, "best", "best_value", "spread_h"}``, sorted by relevance: steps
    shared by more partners first, then the most frequent (total n)."""
    by_activity, by_edge = {}, {}
    for partner, prof in profiles.items():
        threshold = max(min_count, min_share * (prof.get("cases") or 0))
        for row in prof.get("activity_table", []):
            if row.get("wait_median_h") is not None and row["cases"] >= threshold:
                by_activity.setdefault(row["activity"], {})[partner] = (row["wait_median_h"], row["cases"])
        for row in prof.get("edges", []):
            if row["count"] >= threshold:
                by_edge.setdefault((row["a"], row["b"]), {})[partner] = (row["median_h"], row["count"])

    def rows(table):
        out = []
        for key, found in table.items():
            if len(found) < 2:
                continue
            values = {p: v for p, (v, _n) in found.items()}
            best = min(values, key=lambda p: (values[p], p))
            out.append({"key": key, "values": values, "n": {p: n for p, (_v, n) in found.items()},
                        "best": best, "best_value": values[best],
                        "spread_h": max(values.values()) - values[best]})
        out.sort(key=lambda r: (-len(r["values"]), -sum(r["n"].values()), str(r["key"])))
        return out

    return {"activities": rows(by_activity), "edges": rows(by_edge), "min_count": min_count,
            "min_share": min_share}
