"""Log names and formats from file names: no polars, no lxml (the service uses this before any heavy import)."""

from __future__ import annotations

from pathlib import Path

from harmonie.core.errors import BadInput

XES_SUFFIXES = (".xes", ".xes.gz", ".xml", ".xml.gz")


def log_name(path) -> str:
    """File name without all of its extensions: ``BPIC15_1.xes.gz`` → ``BPIC15_1``."""
    name = Path(path).name
    return name.split(".", 1)[0] if not name.startswith(".") else name


def log_format(path) -> str:
    lower = Path(path).name.lower()
    if lower.endswith(XES_SUFFIXES):
        return "xes"
    if lower.endswith((".csv", ".csv.gz", ".txt")):
        return "csv"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    raise BadInput(
        f"{Path(path).name}: onbekend bestandstype. Gebruik XES (.xes of .xes.gz), CSV (.csv) of Parquet (.parquet)."
    )
