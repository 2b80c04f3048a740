"""The one entry point for the Werkprocessen layer: CLI, web views, API and jobs call these.

``compare_logs`` reads several event logs (XES, XES.gz, CSV, Parquet), computes
per-log figures and the pairwise comparison, and returns the ``summary.json``
structure of ``harmonie processes compare``. It writes nothing: callers decide
where the result goes (the CLI writes it atomically).

Speed: XES parsing is CPU-bound Python (a SAX callback per element), so with
two or more large XES logs they are parsed in worker processes (``spawn``; one
per core, largest first) while this process imports polars and computes the
figures of the logs already parsed. CSV and Parquet are read in this process:
polars is multi-threaded already. Set ``HARMONIE_PROCESS_WORKERS=1`` to parse
everything in-process.
"""

from __future__ import annotations

import os
from pathlib import Path

from harmonie.core.errors import BadInput

# Parallel parsing pays off from about this much (uncompressed) XML in total.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
GZIP_RATIO = 20  # rough uncompressed/compressed size of XES


def _estimated_xml_bytes(path: Path) -> int:
    size = path.stat().st_size
    return size * GZIP_RATIO if path.name.lower().endswith(".gz") else size


def _worker_count(xes_paths) -> int:
    configured = os.environ.get("HARMONIE_PROCESS_WORKERS")
    if configured:
        try:
            limit = max(1, int(configured))
        except ValueError:
            limit = 1
    else:
        limit = os.cpu_count() or 1
    if len(xes_paths) < 2 or limit < 2:
        return 0
    if sum(_estimated_xml_bytes(p) for p in xes_paths) < PARALLEL_MIN_BYTES:
        return 0
    return min(limit, len(xes_paths))


def _check_paths(paths) -> list:
    from ..analysis.names import log_format, log_name

    if not paths:
        raise BadInput("Geef minstens één logboek op.")
    result, names = [], {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise BadInput(f"{raw}: bestand niet gevonden.")
        log_format(path)  # raises BadInput for unknown types
        name = log_name(path)
        if name in names:
            raise BadInput(
                f"{raw}: de naam '{name}' komt al voor ({names[name]}). Geef de logboeken verschillende bestandsnamen."
            )
        names[name] = raw
        result.append(path)
    return result


def analyse_logs(paths, progress=None, with_variant_counts: bool = False) -> list:
    """Return a ``LogStats`` per path, in the order given. Raises ``BadInput``."""
    paths = _check_paths(paths)
    from ..analysis.names import log_format

    xes = [p for p in paths if log_format(p) == "xes"]
    workers = _worker_count(xes)
    if progress is not None:
        progress.update(done=0, total=len(paths), message="Logboeken lezen")
    results = {}
    if workers:
        from concurrent.futures.process import BrokenProcessPool

        try:
            results = _analyse_parallel(paths, xes, workers, progress, with_variant_counts)
        except BrokenProcessPool:
            # e.g. a caller whose main module cannot be re-imported by "spawn": do the work here instead
            workers = 0
            if progress is not None:
                progress.update(done=0, total=len(paths))
    if not workers:
        from ..analysis.pipeline import analyse_log

        for path in paths:
            results[path] = analyse_log(path, with_variant_counts=with_variant_counts)
            if progress is not None:
                progress.advance(message=f"{path.name} gelezen")
    return [results[p] for p in paths]


def _analyse_parallel(paths, xes, workers, progress, with_variant_counts) -> dict:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from ..analysis.xes import read_xes_columns

    results = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {
            pool.submit(read_xes_columns, p, p.name): p
            for p in sorted(xes, key=lambda p: p.stat().st_size, reverse=True)
        }
        try:
            # Meanwhile: import polars and do the non-XES logs here.
            from ..analysis.metrics import compute_stats
            from ..analysis.pipeline import analyse_log
            from ..analysis.names import log_name
            from ..analysis.readers import frame_from_xes_columns

            for path in paths:
                if path not in xes:
                    results[path] = analyse_log(path, with_variant_counts=with_variant_counts)
                    if progress is not None:
                        progress.advance(message=f"{path.name} gelezen")
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    path = pending.pop(future)
                    df = frame_from_xes_columns(future.result(), path.name)
                    results[path] = compute_stats(df, log_name(path), with_variant_counts=with_variant_counts)
                    if progress is not None:
                        progress.advance(message=f"{path.name} gelezen")
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return results


def compare_logs(paths, progress=None) -> dict:
    """The ``summary.json`` structure of ``harmonie processes compare`` for these logs."""
    stats = analyse_logs(paths, progress=progress)
    from ..analysis.metrics import compare

    return compare(stats)


# --- event logs per partner in a workspace --------------------------------------------------------------------
# (the import job, the workspace comparison and the pages build on these; H5's reference process uses
# ``list_event_logs`` and ``load_events``)


def data_root() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR)


def event_log_file(event_log) -> Path:
    """Absolute path of the log's Parquet file (``parquet_path`` is relative to ``HARMONIE_DATA_DIR``)."""
    return data_root() / event_log.parquet_path


def list_event_logs(workspace):
    """The workspace's imported event logs, per partner (partner name, then log name)."""
    from ..models import EventLog

    return EventLog.objects.filter(workspace=workspace).select_related("partner").order_by("partner__name", "name")


def load_events(event_log, columns=("case_id", "activity", "timestamp")):
    """The log's events as a polars frame: ``case_id`` (str), ``activity`` (str), ``timestamp``
    (Datetime[us, UTC]), in file order (the order of the imported file; not sorted). Pseudonymised person
    columns are not returned unless asked for by name in ``columns``."""
    import polars as pl

    path = event_log_file(event_log)
    if not path.is_file():
        raise BadInput(f"Het gegevensbestand van logboek '{event_log.name}' ontbreekt; importeer het opnieuw.")
    return pl.read_parquet(path, columns=list(columns))
