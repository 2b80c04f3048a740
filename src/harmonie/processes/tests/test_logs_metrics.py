"""Per-log profile (throughput p90, rework, waiting per step, best performer), the bucketed 100M path and the
process-map SVG: hand-checked on small logs, and against pm4py where it has an equivalent."""

import datetime as dt
import statistics

import numpy as np
import polars as pl
import pytest

from conftest import require_shared
from harmonie.processes.analysis import dfg_layout, performance
from harmonie.processes.analysis.large import analyse_parquet
from harmonie.processes.analysis.metrics import compute_stats

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def frame(events):
    """events: [(case, activity, hours after T0)] in file order."""
    return pl.DataFrame(
        [(c, a, T0 + dt.timedelta(hours=h)) for c, a, h in events],
        schema={"case_id": pl.String, "activity": pl.String, "timestamp": pl.Datetime("us", "UTC")}, orient="row",
    ).with_row_index("order")


LOG = frame([
    ("c1", "A", 0), ("c1", "B", 2), ("c1", "C", 8),                   # 8 h
    ("c2", "A", 0), ("c2", "B", 4), ("c2", "B", 10), ("c2", "C", 12),  # 12 h, B repeated
    ("c3", "A", 0), ("c3", "C", 48),                                   # 48 h
    ("c4", "C", 5), ("c4", "A", 1), ("c4", "B", 3),                    # unsorted in the file: A(1) B(3) C(5): 4 h
])


def test_throughput_median_and_p90_hand_checked():
    p = performance.profile(LOG)
    # durations in hours 4, 8, 12, 48 → median 10 h; p90 (linear) = 12 + 0.7 * (48 - 12) = 37.2 h
    assert p["throughput_days"]["median"] == pytest.approx(10 / 24)
    assert p["throughput_days"]["p90"] == pytest.approx(37.2 / 24)
    assert p["throughput_days"]["p90"] == pytest.approx(np.percentile([4, 8, 12, 48], 90) / 24)
    assert (p["cases"], p["events"], p["activities"], p["variants"]) == (4, 12, 3, 3)


def test_rework_overall_and_per_activity():
    p = performance.profile(LOG)
    assert p["rework_share"] == 0.25  # only c2 repeats an activity
    table = {r["activity"]: r for r in p["activity_table"]}
    assert table["B"]["rework_share"] == pytest.approx(1 / 3)  # B in c1, c2, c4; repeated in c2
    assert table["A"]["rework_share"] == 0.0 and table["B"]["events"] == 4 and table["B"]["cases"] == 3


def test_waiting_per_edge_and_per_activity():
    p = performance.profile(LOG)
    edges = {(e["a"], e["b"]): e for e in p["edges"]}
    # A→B: 2 h (c1), 4 h (c2), 2 h (c4) → median 2, p90 = 2 + 0.8 * 2 = 3.6
    assert edges[("A", "B")]["count"] == 3
    assert edges[("A", "B")]["median_h"] == 2.0 and edges[("A", "B")]["p90_h"] == pytest.approx(3.6)
    assert edges[("B", "B")]["median_h"] == 6.0
    # B→C: 6 h (c1), 2 h (c2), 2 h (c4) → median 2
    assert edges[("B", "C")]["median_h"] == 2.0 and edges[("A", "C")]["median_h"] == 48.0
    table = {r["activity"]: r for r in p["activity_table"]}
    # waiting before C: 6 (c1), 2 (c2), 48 (c3), 2 (c4) → median 4
    assert table["C"]["wait_median_h"] == 4.0
    assert table["A"]["wait_median_h"] is None  # A never has a predecessor
    assert p["start"] == {"A": 4} and p["end"] == {"C": 4}


def test_best_performer_per_step():
    fast = frame([("x", "A", 0), ("x", "B", 1), ("x", "C", 30)])
    profiles = {"Snel": performance.profile(fast), "Ref": performance.profile(LOG)}
    best = performance.best_performers(profiles, min_count=1, min_share=0.0)
    rows = {r["key"]: r for r in best["activities"]}
    assert rows["B"]["best"] == "Snel" and rows["B"]["values"] == {"Snel": 1.0, "Ref": pytest.approx(3.0)}
    assert rows["C"]["best"] == "Ref"  # Ref waits 4 h median before C, Snel 29 h
    edges = {r["key"]: r for r in best["edges"]}
    assert edges[("A", "B")]["best"] == "Snel" and ("A", "C") not in edges  # A→C only in Ref


def test_large_bucketed_path_equals_in_memory(tmp_path):
    rng = np.random.default_rng(3)
    n = 4000
    cases = rng.integers(0, 500, n)
    acts = rng.choice(["A", "B", "C", "D"], n)
    times = rng.integers(0, 10_000, n)  # many ties: file order decides
    df = pl.DataFrame({"case_id": [f"k{c}" for c in cases], "activity": acts,
                       "timestamp": [dt.datetime(2024, 1, 1) + dt.timedelta(minutes=int(t)) for t in times]})
    path = tmp_path / "log.parquet"
    df.write_parquet(path)
    small_buckets = analyse_parquet(path, "log", rows_per_bucket=700)  # 6 buckets
    in_memory = compute_stats(df.with_columns(pl.col("timestamp").dt.replace_time_zone("UTC"))
                              .with_row_index("order"), "log")
    assert small_buckets.dfg == in_memory.dfg
    assert (small_buckets.cases, small_buckets.events, small_buckets.variants) == (
        in_memory.cases, in_memory.events, in_memory.variants)
    assert small_buckets.median_case_duration_days == in_memory.median_case_duration_days


def test_process_map_svg_is_accessible_and_css_only():
    p = performance.profile(LOG)
    svg = dfg_layout.process_map(p["edges"], title="Kaart <test>", description="d", start=p["start"], end=p["end"])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title id=" in svg and "Kaart &lt;test&gt;" in svg
    assert "style" not in svg and "<script" not in svg
    assert svg.count('class="pm-edge"') == len(p["edges"]) + 2  # + ▶→A and C→■
    assert "A → B: 3 · 2,0 u" in svg
    assert dfg_layout.duration(0.5) == "30 min" and dfg_layout.duration(30) == "30,0 u" and \
        dfg_layout.duration(72) == "3,0 d"


@pytest.mark.slow
def test_throughput_rework_and_waiting_equal_pm4py_on_bpic():
    pm4py = pytest.importorskip("pm4py")
    from harmonie.processes.analysis.readers import read_log

    path = require_shared("eventlogs/BPIC15_2.xes.gz")
    ours = performance.profile(read_log(path))
    df = pm4py.read_xes(str(path), show_progress_bar=False)
    durations = pm4py.get_all_case_durations(df)
    assert ours["throughput_days"]["median"] == pytest.approx(statistics.median(durations) / 86400, rel=1e-9)
    assert ours["throughput_days"]["p90"] == pytest.approx(np.percentile(durations, 90) / 86400, rel=1e-9)
    # rework per activity: pm4py counts the cases in which the activity occurs more than once
    rework = pm4py.get_rework_cases_per_activity(df)
    for row in ours["activity_table"]:
        assert round(row["rework_share"] * row["cases"]) == rework.get(row["activity"], 0)
    # waiting per edge: pm4py's performance DFG with the median aggregation (seconds)
    perf, _start, _end = pm4py.discover_performance_dfg(df, perf_aggregation_key="median")
    ours_edges = {(e["a"], e["b"]): e["median_h"] * 3600 for e in ours["edges"]}
    assert set(ours_edges) == set(perf)
    for key, seconds in perf.items():
        value = seconds["median"] if isinstance(seconds, dict) else seconds
        assert ours_edges[key] == pytest.approx(value, rel=1e-9, abs=1e-6)
