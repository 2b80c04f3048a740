"""Cross-conformance: how well partner A's real behaviour fits partner B's process model (no Django).

B's *model* is its directly-follows graph (DFG) with an artificial start ``▶`` and end ``■``, filtered at a
noise threshold: an edge ``x → y`` (counted over B's cases, including ``▶ → first activity`` and
``last activity → ■``) is kept when its count is at least ``noise`` × the count of the most frequent edge
leaving ``x``. ``noise = 0`` keeps every observed edge; the default 0.2 drops rare detours (the same idea as
the inductive miner's infrequent filter).

For A's cases against B's model:

* ``case_fitness`` = the share of A's cases whose every step (``▶ → first``, each directly-follows pair,
  ``last → ■``) is an edge of B's model. A case "fits" B when B's process could have produced it step by step.
  Cases count once each, so frequent variants weigh more (the share is weighted by case frequency).
* ``edge_fitness`` = the share of all of A's step occurrences (same steps) that are edges of B's model: partial
  credit for cases that mostly follow B.
* ``activity_fitness`` = the share of A's events whose activity occurs in B's model.

Cross-conformance is not symmetric: A may fit B (B does everything A does and more) while B does not fit A.
It is computed on abstracted logs when an abstraction is chosen (same labels on both sides).

Why not token replay or alignments: on logs with hundreds of activities and one variant per case a mined
Petri net is either a "flower" (everything fits) or does not finish mining; the DFG check answers the
question the partners ask ("does our way of working occur in theirs?") exactly and in milliseconds.
"""

from __future__ import annotations

import polars as pl

from .performance import END, START, prepare, steps

DEFAULT_NOISE = 0.2


class LogSteps:
    """One log prepared for repeated checks: its steps with artificial start/end, as label codes."""

    def __init__(self, df: pl.DataFrame):
        prep = prepare(df)
        self.labels = [*prep.labels, START, END]
        start_code, end_code = len(prep.labels), len(prep.labels) + 1
        self.code = {label: i for i, label in enumerate(self.labels)}
        ev = prep.events
        inner = steps(prep).select("case", "src", "dst")
        firsts = ev.group_by("case", maintain_order=True).agg(pl.col("a").first().alias("f"),
                                                              pl.col("a").last().alias("l"))
        self.cases = firsts.height
        self.events = ev.height
        self.activity_counts = {self.labels[a]: n for a, n in ev.group_by("a").len().iter_rows()}
        self.steps = pl.concat([
            firsts.select("case", pl.lit(start_code, pl.UInt32).alias("src"), pl.col("f").alias("dst")),
            inner,
            firsts.select("case", pl.col("l").alias("src"), pl.lit(end_code, pl.UInt32).alias("dst")),
        ])
        counts = self.steps.group_by("src", "dst").len()
        self.edge_counts = {(self.labels[s], self.labels[d]): n for s, d, n in counts.iter_rows()}

    def model(self, noise: float = DEFAULT_NOISE) -> set:
        return model_edges(self.edge_counts, noise)


def model_edges(edge_counts: dict, noise: float = DEFAULT_NOISE) -> set:
    """The edges of the filtered DFG: ``count >= noise * max count of the edges leaving the same source``."""
    best = {}
    for (a, _b), n in edge_counts.items():
        if n > best.get(a, 0):
            best[a] = n
    return {(a, b) for (a, b), n in edge_counts.items() if n >= noise * best[a] and n > 0}


def fitness(log: LogSteps, model: set) -> dict:
    """A's (``log``) fitness on a model (set of label pairs)."""
    if log.cases == 0:
        return {"case_fitness": None, "edge_fitness": None, "activity_fitness": None}
    pairs = [(log.code[a], log.code[b]) for a, b in model if a in log.code and b in log.code]
    allowed = pl.DataFrame({"src": [p[0] for p in pairs], "dst": [p[1] for p in pairs]},
                           schema={"src": pl.UInt32, "dst": pl.UInt32}).with_columns(pl.lit(True).alias("ok"))
    marked = log.steps.join(allowed, on=["src", "dst"], how="left").with_columns(pl.col("ok").fill_null(False))
    per_case = marked.group_by("case").agg(pl.col("ok").all())
    model_activities = {a for e in model for a in e} - {START, END}
    in_model = sum(n for a, n in log.activity_counts.items() if a in model_activities)
    return {
        "case_fitness": float(per_case["ok"].mean()),
        "edge_fitness": float(marked["ok"].mean()),
        "activity_fitness": in_model / log.events,
    }


def cross_conformance(logs: dict, noise: float = DEFAULT_NOISE) -> list:
    """Every ordered pair of logs (name → frame or ``LogSteps``): rows ``{"a", "b", "case_fitness",
    "edge_fitness", "activity_fitness"}`` = how well a's cases fit b's model (also a on its own model)."""
    prepared = {name: (v if isinstance(v, LogSteps) else LogSteps(v)) for name, v in logs.items()}
    models = {name: p.model(noise) for name, p in prepared.items()}
    rows = []
    for a, log in prepared.items():
        for b, model in models.items():
            rows.append({"a": a, "b": b, **fitness(log, model)})
    return rows
