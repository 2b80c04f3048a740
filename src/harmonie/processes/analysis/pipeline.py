"""One log in, its figures out: the unit of work that may run in a worker process."""

from __future__ import annotations

from .metrics import LogStats, compute_stats
from .readers import log_name, read_log


def analyse_log(path, with_variant_counts: bool = False) -> LogStats:
    df = read_log(path)
    return compute_stats(df, log_name(path), with_variant_counts=with_variant_counts)
