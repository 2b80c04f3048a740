"""Read an event log (XES, XES.gz, CSV, Parquet) into one normalised polars frame.

The frame has exactly the columns ``case_id`` (str), ``activity`` (str),
``timestamp`` (Datetime[us, UTC]) and ``order`` (u32, the event's position in
the file), in file order. Any problem with the input raises ``BadInput`` with
a Dutch message that names the file and the row/line/event.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from harmonie.core.errors import BadInput

from .timestamps import parse_expr, to_utc

from .names import log_format, log_name  # noqa: F401  (re-exported)

REQUIRED = ("case_id", "activity", "timestamp")


def read_log(path) -> pl.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: bestand niet gevonden.")
    kind = log_format(path)
    if kind == "xes":
        return read_xes(path)
    if kind == "csv":
        options = {"infer_schema": False, "row_index_name": "order", "separator": _csv_separator(path)}
        if path.name.lower().endswith(".gz"):
            try:  # polars cannot scan compressed CSV lazily: decompress and read it whole
                lf = pl.read_csv(path, **options).lazy()
            except (pl.exceptions.PolarsError, OSError) as exc:
                raise BadInput(f"{path.name}: het bestand kan niet gelezen worden ({_short(exc)}).") from exc
        else:
            lf = pl.scan_csv(path, **options)
        return read_table(path, lf, "regel", 2)
    try:
        lf = pl.scan_parquet(path).with_row_index("order")
    except (pl.exceptions.ComputeError, OSError) as exc:
        raise BadInput(f"{path.name}: geen leesbaar Parquet-bestand ({exc}).") from exc
    return read_table(path, lf, "rij", 1)


def _csv_separator(path: Path) -> str:
    """Comma by default; semicolon or tab when the header line uses those instead (Dutch Excel exports)."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            header = handle.readline(65536).decode("utf-8", "replace")
    except (OSError, EOFError) as exc:
        raise BadInput(f"{path.name}: het bestand kan niet gelezen worden ({exc}).") from exc
    if "," in header:
        return ","
    for candidate in (";", "\t", "|"):
        if candidate in header:
            return candidate
    return ","


def read_xes(path) -> pl.DataFrame:
    from .xes import read_xes_columns

    path = Path(path)
    return frame_from_xes_columns(read_xes_columns(path, path.name), path.name)


def frame_from_xes_columns(cols, file_name: str) -> pl.DataFrame:
    """Column lists from ``xes.read_xes_columns`` → the normalised frame (timestamps parsed, UTC)."""
    trace_names = pl.Series("t", cols.trace_names, dtype=pl.String)
    event_trace = pl.Series("i", cols.event_trace, dtype=pl.UInt32)
    raw_ts = pl.Series("timestamp", cols.timestamps, dtype=pl.String)
    df = pl.DataFrame(
        {
            "case_id": trace_names.gather(event_trace),
            "activity": pl.Series("activity", cols.activities, dtype=pl.String),
            "timestamp": to_utc(raw_ts),
        }
    ).with_row_index("order")
    bad = df["timestamp"].is_null()
    if bad.any():
        i = int(bad.arg_max())
        raise BadInput(
            f"{file_name}: gebeurtenis {i + 1} (zaak {df['case_id'][i]}, activiteit {df['activity'][i]}) heeft "
            f"een onleesbare time:timestamp '{raw_ts[i]}'."
        )
    return df.select("case_id", "activity", "timestamp", "order")


# What a damaged file can make polars raise; a Rust panic surfaces as PanicException (a BaseException).
READ_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError)


def read_table(path: Path, lf: pl.LazyFrame, unit: str, first_row: int) -> pl.DataFrame:
    """CSV or Parquet: columns ``case_id, activity, timestamp``; other columns are ignored."""
    try:
        schema = lf.collect_schema()
    except READ_ERRORS as exc:
        raise BadInput(f"{path.name}: het bestand kan niet gelezen worden ({_short(exc)}).") from exc
    missing = [c for c in REQUIRED if c not in schema]
    if missing:
        raise BadInput(
            f"{path.name}: kolom(men) {', '.join(missing)} ontbreken. Verwacht de kolommen "
            f"case_id, activity en timestamp (gevonden: {', '.join(c for c in schema.names() if c != 'order')})."
        )
    try:
        sample = lf.select("timestamp").head(1000).collect()["timestamp"]
        ts_expr = parse_expr("timestamp", sample)
        df = lf.select(
            pl.col("case_id").cast(pl.String).cast(pl.Categorical),
            pl.col("activity").cast(pl.String).cast(pl.Categorical),
            ts_expr.alias("timestamp"),
            pl.col("order").cast(pl.UInt32),
        ).collect(engine="streaming")
    except READ_ERRORS as exc:
        raise BadInput(f"{path.name}: het bestand kan niet gelezen worden ({_short(exc)}).") from exc
    for column in ("case_id", "activity"):
        nulls = df[column].is_null()
        if nulls.any():
            i = int(nulls.arg_max())
            raise BadInput(f"{path.name}: {unit} {i + first_row} heeft geen waarde in kolom {column}.")
    bad = df["timestamp"].is_null()
    if bad.any():
        # Rows the fast format could not read: try every format, then report what still fails.
        rows = df["order"].filter(bad)
        raw = lf.filter(pl.col("order").is_in(rows.implode())).select("order", "timestamp").collect()
        raw = raw.sort("order")
        reparsed = to_utc(raw["timestamp"])
        still = reparsed.is_null()
        if still.any():
            i = int(still.arg_max())
            row = int(raw["order"][i])
            value = raw["timestamp"][i]
            if value is None or (isinstance(value, str) and not value.strip()):
                raise BadInput(f"{path.name}: {unit} {row + first_row} heeft geen tijdstempel (kolom timestamp is leeg).")
            raise BadInput(
                f"{path.name}: {unit} {row + first_row}: tijdstempel '{value}' is geen geldige datum en tijd "
                "(verwacht bijvoorbeeld 2024-03-01T09:30:00+01:00 of 2024-03-01 09:30:00)."
            )
        idx = bad.arg_true()
        ts = df["timestamp"].scatter(idx, reparsed)
        df = df.with_columns(ts)
    return df.select("case_id", "activity", "timestamp", "order")


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
