"""pm4py (test extra, AGPL: imported here only, never from src/) as the oracle on the real BPIC 2015 logs.

Its directly-follows graph and its variants must equal ours exactly.
"""

import pytest

from conftest import require_shared
from harmonie.processes.analysis.pipeline import analyse_log

LOGS = ["eventlogs/BPIC15_1.xes.gz", "eventlogs/BPIC15_2.xes.gz"]
# From the data set's SOURCE.md
KNOWN = {"BPIC15_1": (1199, 52217, 398), "BPIC15_2": (832, 44354, 410)}


@pytest.mark.slow
@pytest.mark.parametrize("relative", LOGS)
def test_dfg_and_variants_equal_pm4py(relative):
    path = require_shared(relative)
    pm4py = pytest.importorskip("pm4py")

    ours = analyse_log(path, with_variant_counts=True)
    assert (ours.cases, ours.events, len(ours.activities)) == KNOWN[ours.name]

    df = pm4py.read_xes(str(path), show_progress_bar=False)
    dfg, _start, _end = pm4py.discover_dfg(df)
    assert dict(dfg) == ours.dfg

    variants = pm4py.get_variants(df)
    theirs = {tuple(v): (n if isinstance(n, int) else len(n)) for v, n in variants.items()}
    assert theirs == ours.variant_counts
    assert ours.variants == len(theirs)

    durations = pm4py.get_all_case_durations(df)
    import statistics

    assert ours.median_case_duration_days == pytest.approx(statistics.median(durations) / 86400, rel=1e-12)
