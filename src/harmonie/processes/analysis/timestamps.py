"""Timestamp text → UTC datetimes, vectorised with polars.

Accepted: ISO 8601 with an offset or ``Z`` (``2014-04-11T00:00:00+02:00``,
``...T00:00:00.123Z``), with a space instead of ``T``, and naive values
(``2022-06-14 11:18:00``, ``2022-06-14``). Offsets may differ per row (mixed
time zones, e.g. summer and winter time): each value is converted to UTC.
Naive values carry no zone; they are taken as UTC (documented in
docs/werkprocessen-vergelijken.md).
"""

from __future__ import annotations

import polars as pl

# (format, aware?) in the order they are tried
FORMATS = [
    # formats without %.f first: polars has a fast path for them (3x faster)
    ("%Y-%m-%d %H:%M:%S", False),
    ("%Y-%m-%dT%H:%M:%S%:z", True),
    ("%+", True),
    ("%Y-%m-%d %H:%M:%S%.f%:z", True),
    ("%Y-%m-%d %H:%M:%S%.f%#z", True),
    ("%Y-%m-%d %H:%M:%S%.f", False),
    ("%Y-%m-%dT%H:%M:%S%.f", False),
    ("%Y-%m-%d %H:%M", False),
    ("%Y-%m-%dT%H:%M", False),
    ("%Y-%m-%d", False),
    ("%d-%m-%Y %H:%M:%S", False),
    ("%d-%m-%Y %H:%M", False),
    ("%d-%m-%Y", False),
]
DTYPE = pl.Datetime("us", "UTC")


def _parse(s: pl.Series, fmt: str, aware: bool) -> pl.Series:
    if aware:
        return s.str.to_datetime(fmt, strict=False, time_zone="UTC", time_unit="us")
    return s.str.to_datetime(fmt, strict=False, time_unit="us").dt.replace_time_zone("UTC")


def _works(sample: pl.Series, fmt: str, aware: bool) -> bool:
    try:
        return _parse(sample, fmt, aware).null_count() == 0
    except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError):
        return False


def parse_timestamps(s: pl.Series) -> pl.Series:
    """Parse a string series; unparsable or missing values become null."""
    s = s.cast(pl.String).str.strip_chars()
    non_null = s.drop_nulls()
    if non_null.len() == 0:
        return pl.Series(s.name, [None] * s.len(), dtype=DTYPE)
    sample = non_null.head(1)
    order = sorted(FORMATS, key=lambda f: not _works(sample, *f))
    result = None
    for fmt, aware in order:
        try:
            parsed = _parse(s, fmt, aware)
        except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError):
            continue
        result = parsed if result is None else result.fill_null(parsed)
        if result.null_count() == s.null_count():
            break
    return result.alias(s.name)


def parse_expr(column: str, sample: pl.Series) -> pl.Expr:
    """A fast polars expression for a timestamp column, chosen from a sample of its values.

    Values the chosen format cannot read become null; the caller re-parses those
    rows with ``parse_timestamps`` (all formats) and reports what still fails.
    """
    col = pl.col(column)
    dtype = sample.dtype
    if isinstance(dtype, pl.Datetime):
        col = col.dt.cast_time_unit("us")
        return col.dt.replace_time_zone("UTC") if dtype.time_zone is None else col.dt.convert_time_zone("UTC")
    if dtype == pl.Date:
        return col.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    if dtype != pl.String:
        col = col.cast(pl.String)
        sample = sample.cast(pl.String)
    sample = sample.str.strip_chars().drop_nulls()
    for fmt, aware in FORMATS:
        if sample.len() and _works(sample, fmt, aware):
            break
    else:
        fmt, aware = FORMATS[0]
    if aware:
        return col.str.to_datetime(fmt, strict=False, time_zone="UTC", time_unit="us")
    return col.str.to_datetime(fmt, strict=False, time_unit="us").dt.replace_time_zone("UTC")


def to_utc(s: pl.Series) -> pl.Series:
    """Any timestamp-like column (string, date, naive or aware datetime) → Datetime(us, UTC)."""
    dtype = s.dtype
    if dtype == pl.String or dtype == pl.Categorical:
        return parse_timestamps(s)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return s.dt.cast_time_unit("us").dt.replace_time_zone("UTC")
        return s.dt.cast_time_unit("us").dt.convert_time_zone("UTC")
    if dtype == pl.Date:
        return s.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    return parse_timestamps(s.cast(pl.String))
