"""Parsers for the reference lists, one module per kind, in one registry.

Each parser takes a path (file or folder), detects the form by content and
returns a ``ParseResult`` of plain dataclasses. No Django imports here.
"""

from pathlib import Path

from harmonie.core.errors import BadInput

from . import gemeenten, gemma, selectielijst, upl
from .base import ParseResult, canonical_hash, item_hash

IMPORTERS = {
    "upl": upl.parse,
    "gemma": gemma.parse,
    "selectielijst": selectielijst.parse,
    "gemeenten": gemeenten.parse,
}

LABELS = {"upl": "UPL", "gemma": "GEMMA", "selectielijst": "Selectielijst", "gemeenten": "Gemeenten"}


def parse(kind: str, path, max_bytes: int | None = None) -> ParseResult:
    if kind not in IMPORTERS:
        raise BadInput(f"Onbekende soort referentiedata '{kind}'; kies uit: {', '.join(IMPORTERS)}.")
    path = Path(path)
    if not path.exists():
        raise BadInput(f"Bestand of map '{path}' bestaat niet.")
    return IMPORTERS[kind](path, max_bytes=max_bytes)


__all__ = ["IMPORTERS", "LABELS", "ParseResult", "canonical_hash", "item_hash", "parse"]
