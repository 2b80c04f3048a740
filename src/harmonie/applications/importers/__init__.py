"""Portfolio importers, in one registry. The format is detected by content, not by file name."""

from __future__ import annotations

from harmonie.core.errors import BadInput

from .ameff import parse_ameff
from .base import Portfolio, PortfolioRow
from .tabular import parse_csv, parse_xlsx

IMPORTERS = {"csv": parse_csv, "xlsx": parse_xlsx, "ameff": parse_ameff}
LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "ameff": "ArchiMate-uitwisselbestand (AMEFF)"}

__all__ = ["IMPORTERS", "LABELS", "Portfolio", "PortfolioRow", "detect", "parse"]


def detect(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if head.startswith(b"<"):
        return "ameff"
    return "csv"


def parse(data: bytes, name: str, mapping: dict | None = None, known_components=None) -> Portfolio:
    fmt = detect(data)
    if fmt == "ameff":
        return parse_ameff(data, name, mapping, known_components=known_components)
    if fmt == "xlsx":
        return parse_xlsx(data, name, mapping)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput(f"Bestand '{name}': onbekend bestandsformaat; gebruik CSV, XLSX of AMEFF.")
    return parse_csv(data, name, mapping)
