"""UPL reference entries: parsing the official files, URI repair, withdrawn names.

Pure Python (no Django). The official export ``UPL-actueel.csv`` has one row per
(product, legal basis); the OWMS JSON (``UniformeProductnaam.json``) lists every name
ever issued, with ``endDate`` for withdrawn ones.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "http://standaarden.overheid.nl/owms/terms/"
PLACEHOLDER = PREFIX + "UPL-naam_nog_niet_beschikbaar"
TAG_SEPARATOR = " | "


@dataclass(frozen=True)
class UplEntry:
    uri: str
    label: str
    end_date: str | None = None
    burger: bool = False
    bedrijf: bool = False
    gemeente: bool = False

    @property
    def withdrawn(self) -> bool:
        return bool(self.end_date)


def repair_uri(uri: str) -> str:
    """Repair doubled prefixes (``…/owms/terms/http://…/owms/terms/x`` → ``…/owms/terms/x``)."""
    uri = (uri or "").strip()
    while uri.startswith(PREFIX + PREFIX):
        uri = uri[len(PREFIX):]
    # variant seen in the wild: prefix + "https://" or prefix without the scheme
    if uri.startswith(PREFIX) and "/owms/terms/" in uri[len(PREFIX):]:
        uri = PREFIX + uri.rsplit("/owms/terms/", 1)[1]
    return uri


def is_placeholder(uri: str) -> bool:
    return repair_uri(uri).endswith("UPL-naam_nog_niet_beschikbaar")


def split_tags(value: str | None) -> list[str]:
    """Split an ``upl_uri`` cell (`` | ``-joined), repair, drop placeholders and blanks; keep order, unique."""
    out: list[str] = []
    for part in (value or "").split("|"):
        uri = repair_uri(part)
        if uri and not is_placeholder(uri) and uri not in out:
            out.append(uri)
    return out


def _flag(value: str | None) -> bool:
    return (value or "").strip().upper() == "X"


def parse_upl_csv(path: str | Path) -> list[UplEntry]:
    """The official UPL CSV export, deduplicated on URI, placeholder dropped."""
    seen: dict[str, UplEntry] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            uri = repair_uri(row.get("URI", ""))
            if not uri or is_placeholder(uri) or uri in seen:
                continue
            seen[uri] = UplEntry(
                uri=uri,
                label=(row.get("UniformeProductnaam") or "").strip(),
                burger=_flag(row.get("Burger")),
                bedrijf=_flag(row.get("Bedrijf")),
                gemeente=_flag(row.get("Gemeente")),
            )
    return list(seen.values())


def parse_owms_json(path: str | Path) -> list[UplEntry]:
    """The OWMS value list (JSON array of prefLabel/resourceIdentifier/endDate), placeholder dropped."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):  # SPARQL-results JSON
        out = []
        for b in data.get("results", {}).get("bindings", []):
            uri = repair_uri(b.get("URI", {}).get("value", ""))
            if uri and not is_placeholder(uri):
                out.append(UplEntry(uri=uri, label=b.get("UniformeProductnaam", {}).get("value", "")))
        return list({e.uri: e for e in out}.values())
    out = {}
    for item in data:
        uri = repair_uri(item.get("resourceIdentifier", ""))
        if uri and not is_placeholder(uri):
            out[uri] = UplEntry(uri=uri, label=item.get("prefLabel", ""), end_date=item.get("endDate") or None)
    return list(out.values())


@dataclass
class TagCheck:
    """Outcome of checking record tags against the current list."""

    current: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    repaired: int = 0


def check_tags(value: str | None, current: dict[str, UplEntry], withdrawn: set[str] | None = None) -> TagCheck:
    """Classify the tags of one record: current / withdrawn (end date) / unknown."""
    result = TagCheck()
    withdrawn = withdrawn or set()
    for part in (value or "").split("|"):
        raw = part.strip()
        if not raw:
            continue
        uri = repair_uri(raw)
        if uri != raw:
            result.repaired += 1
        if is_placeholder(uri):
            continue
        entry = current.get(uri)
        if entry is not None and not entry.withdrawn:
            if uri not in result.current:
                result.current.append(uri)
        elif uri in withdrawn or (entry is not None and entry.withdrawn):
            result.withdrawn.append(uri)
        else:
            result.unknown.append(uri)
    return result
