"""Activity abstraction and filtering, so a log with 400 activities becomes a readable map (no Django).

Three ways, applied in this order to a normalised frame (``case_id, activity, timestamp[, order]``):

1. **mapping**: activities that have a confirmed common label (``{"01_HOOFD_010": "Aanvraag ontvangen"}``) get
   that label;
2. **phase / prefix**: the label is cut to its first ``prefix_parts`` parts separated by ``_`` (BPIC 2015 codes
   such as ``01_HOOFD_010`` become ``01_HOOFD``); labels without ``_`` stay as they are. Mapped labels are
   not cut;
3. **frequency**: only the ``top_n`` activities by number of cases and/or those present in at least
   ``min_share`` of the cases are kept; events of other activities are left out (the map then shows which
   kept activity directly follows which, as in pm4py's activity filter).

When labels were merged (steps 1–2), consecutive events of a case with the same label are collapsed into one
step that keeps the first start (``timestamp``) and the last end (``end_timestamp``) of the run, so a phase does
not show as a loop onto itself, the case duration (first to last event) stays exactly the same, and rework means
"the abstracted activity returns after another one" (``performance.profile`` reads ``end_timestamp``).

Frequency filtering (step 3) leaves events out, which can shorten cases; therefore ``apply_with_cases`` also
returns the unfiltered (relabelled) frame, and the comparison computes throughput time and rework on that one
(all cases, full duration) while the map and edges use the filtered frame.
"""

from __future__ import annotations

import polars as pl


def phase(label: str, parts: int) -> str:
    pieces = label.split("_")
    return "_".join(pieces[:parts]) if len(pieces) > parts else label


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    if "order" not in df.columns:
        df = df.with_row_index("order")
    return df.sort(["case_id", "timestamp", "order"], maintain_order=True)


def relabel(df: pl.DataFrame, mapping: dict | None = None, prefix_parts: int | None = None) -> pl.DataFrame:
    """Steps 1 and 2; returns the frame in case/time order with consecutive repeats collapsed."""
    if not mapping and not prefix_parts:
        return df
    act = pl.col("activity").cast(pl.String)
    mapped = act.replace(mapping) if mapping else act
    if prefix_parts:
        parts = act.str.split("_")
        cut = pl.when(parts.list.len() > prefix_parts).then(
            parts.list.slice(0, prefix_parts).list.join("_")).otherwise(act)
        if mapping:
            new = pl.when(act.is_in(list(mapping))).then(mapped).otherwise(cut)
        else:
            new = cut
    else:
        new = mapped
    out = _sorted(df.with_columns(new.alias("activity")))
    if "end_timestamp" not in out.columns:
        out = out.with_columns(pl.col("timestamp").alias("end_timestamp"))
    new_run = (pl.col("case_id") != pl.col("case_id").shift(1)).fill_null(True) | (
        pl.col("activity") != pl.col("activity").shift(1)).fill_null(True)
    out = out.with_columns(new_run.cum_sum().alias("_run"))
    ends = out.group_by("_run").agg(pl.col("end_timestamp").max().alias("_end"))
    return (out.filter(new_run).join(ends, on="_run", how="left", maintain_order="left")
            .with_columns(pl.col("_end").alias("end_timestamp")).drop("_run", "_end"))


def frequent_activities(df: pl.DataFrame, top_n: int | None = None, min_share: float | None = None) -> list:
    """Activities ordered by number of cases (then name), cut at ``top_n`` and ``min_share`` of the cases."""
    counts = (df.select(pl.col("case_id"), pl.col("activity").cast(pl.String)).unique()
              .group_by("activity").len().sort(["len", "activity"], descending=[True, False]))
    if min_share:
        n_cases = df["case_id"].n_unique()
        counts = counts.filter(pl.col("len") >= min_share * n_cases)
    if top_n:
        counts = counts.head(top_n)
    return counts["activity"].to_list()


def apply(df: pl.DataFrame, *, mapping: dict | None = None, prefix_parts: int | None = None,
          top_n: int | None = None, min_share: float | None = None) -> pl.DataFrame:
    """All three steps; the result is again a normalised frame (events of dropped activities left out)."""
    return apply_with_cases(df, mapping=mapping, prefix_parts=prefix_parts, top_n=top_n, min_share=min_share)[0]


def apply_with_cases(df: pl.DataFrame, *, mapping: dict | None = None, prefix_parts: int | None = None,
                     top_n: int | None = None, min_share: float | None = None) -> tuple:
    """``(filtered, unfiltered)``: the frame after all three steps, and the frame after steps 1–2 only (every
    case with its full duration), for throughput time and rework."""
    out = relabel(df, mapping, prefix_parts)
    whole = out
    if top_n or min_share:
        keep = frequent_activities(out, top_n, min_share)
        out = out.filter(pl.col("activity").cast(pl.String).is_in(keep))
    return out, whole


def filter_edges(edges: list, top_n: int | None = None, min_share: float | None = None) -> list:
    """Edge rows (``{"a", "b", "count", ...}``) for display: the ``top_n`` most frequent and/or those with at
    least ``min_share`` of all edge occurrences."""
    total = sum(e["count"] for e in edges) or 1
    rows = sorted(edges, key=lambda e: (-e["count"], e["a"], e["b"]))
    if min_share:
        rows = [e for e in rows if e["count"] / total >= min_share]
    if top_n:
        rows = rows[:top_n]
    return rows
