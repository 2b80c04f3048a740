"""Municipalities from the TOOI register (KOOP), with CBS codes.

Accepted forms, detected by content:

* the JSON-LD register ``rwc_gemeenten_compleet_<n>.json`` as published on
  repository.officiele-overheidspublicaties.nl; merger events in it
  (Samenvoeging, Herschikking, Uitbreiding) give the successor of an abolished
  municipality;
* its CSV form (``organisatiecode, cbs_gemeentecode, naam, …, begindatum,
  einddatum, tooi_uri, owms_uri``; optional ``opvolger_code``/``opvolger_naam``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harmonie.core.errors import BadInput

from .base import ParseResult, clean, iso_date, read_bytes, read_csv, read_json, sha256_bytes, sniff_kind

ONT = "https://identifier.overheid.nl/tooi/def/ont/"
PROV = "http://www.w3.org/ns/prov#"
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"
CSV_COLUMNS = ["cbs_gemeentecode", "naam", "einddatum", "tooi_uri", "owms_uri"]
CODE_RE = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)


@dataclass
class GemeenteEntry:
    cbs_code: str  # "GM0363"
    name: str
    name_incl_soort: str = ""
    province: str = ""
    tooi_uri: str = ""
    owms_uri: str = ""
    start_date: str | None = None
    end_date: str | None = None
    successor_code: str = ""
    successor_name: str = ""

    @property
    def key(self) -> str:
        return self.cbs_code


def cbs_code(value) -> str | None:
    """'363', '0363', 'gm0363', 'GM0363' → 'GM0363'; None when malformed."""
    match = CODE_RE.match(clean(value).replace(" ", ""))
    if not match:
        return None
    return f"GM{int(match.group(1)):04d}"


def _values(node: dict, prop: str) -> list[str]:
    """The values of a JSON-LD property as text; a single value may stand without a list, and values that
    are themselves lists or objects (not TOOI's shape) are skipped rather than crash the import."""
    raw = node.get(prop, [])
    out = []
    for value in raw if isinstance(raw, list) else [raw]:
        if isinstance(value, dict):
            value = value.get("@value", value.get("@id"))
        if value is None or isinstance(value, (dict, list)):
            continue
        out.append(str(value))
    return out


def _types(node: dict) -> list[str]:
    raw = node.get("@type", [])
    return [t for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)]


def _first(node: dict, prop: str) -> str:
    values = _values(node, prop)
    return clean(values[0]) if values else ""


def _parse_jsonld(doc, name: str, data: bytes) -> ParseResult:
    nodes = doc.get("@graph") if isinstance(doc, dict) else doc
    if not isinstance(nodes, list):
        raise BadInput(f"Bestand '{name}': onbekende JSON-vorm; verwacht het TOOI-register (JSON-LD).")
    entries: dict[str, GemeenteEntry] = {}
    by_uri: dict[str, GemeenteEntry] = {}
    events = []
    for index, node in enumerate(nodes, start=1):
        if not isinstance(node, dict):
            continue
        types = _types(node)
        if ONT + "Gemeente" in types:
            where = f"knooppunt {index} ({node.get('@id', '?')})"
            raw_code = _first(node, ONT + "gemeentecode") or _first(node, ONT + "organisatiecode")
            code = cbs_code(raw_code)
            if code is None:
                raise BadInput(f"Bestand '{name}', {where}: veld 'gemeentecode' is geen geldige CBS-code ('{raw_code}').")
            entry = GemeenteEntry(
                cbs_code=code,
                name=_first(node, ONT + "officieleNaamExclSoort") or _first(node, ONT + "voorkeursnaamExclSoort"),
                name_incl_soort=_first(node, ONT + "officieleNaamInclSoort"),
                province=_first(node, ONT + "ligtInProvincie"),
                tooi_uri=clean(node.get("@id")),
                owms_uri=_first(node, ONT + "owmsId"),
                start_date=iso_date(_first(node, ONT + "begindatum"), name, where, "begindatum"),
                end_date=iso_date(_first(node, ONT + "einddatum"), name, where, "einddatum"),
            )
            if not entry.name:
                raise BadInput(f"Bestand '{name}', {where}: veld 'officieleNaamExclSoort' ontbreekt.")
            entries[code] = entry
            by_uri[entry.tooi_uri] = entry
        elif any(t.startswith(ONT) and t[len(ONT):] in {"Samenvoeging", "Herschikking", "Uitbreiding"} for t in types):
            events.append(node)
    if not entries:
        raise BadInput(f"Bestand '{name}': geen gemeenten (TOOI @type Gemeente) gevonden.")
    for event in sorted(events, key=lambda n: _first(n, ONT + "tijdstipWijziging")):
        successors = [by_uri[u] for u in _values(event, PROV + "generated") + _values(event, PROV + "used")
                      if u in by_uri]
        for old_uri in _values(event, PROV + "invalidated"):
            old = by_uri.get(old_uri)
            targets = [s for s in successors if s is not old]
            if old is None or not targets or old.end_date is None:
                continue
            old.successor_code = ", ".join(s.cbs_code for s in targets)
            old.successor_name = ", ".join(s.name for s in targets)
    return ParseResult(kind="gemeenten", format="tooi-jsonld", items=list(entries.values()),
                       file_sha256=sha256_bytes(data))


def _parse_csv(data: bytes, name: str) -> ParseResult:
    table = read_csv(data, name, CSV_COLUMNS)
    entries: dict[str, GemeenteEntry] = {}
    for line, row in table.rows:
        where = f"regel {line}"
        code = cbs_code(row["cbs_gemeentecode"])
        if code is None:
            raise BadInput(f"Bestand '{name}', {where}: veld 'cbs_gemeentecode' is geen geldige CBS-code "
                           f"('{row['cbs_gemeentecode']}').")
        if code in entries:
            raise BadInput(f"Bestand '{name}', {where}: CBS-code {code} komt twee keer voor.")
        if not clean(row["naam"]):
            raise BadInput(f"Bestand '{name}', {where}: veld 'naam' is leeg.")
        successor_code = clean(row.get("opvolger_code"))
        entries[code] = GemeenteEntry(
            cbs_code=code, name=clean(row["naam"]), name_incl_soort=clean(row.get("naam_incl_soort")),
            province=clean(row.get("provincie_uri")) or clean(row.get("provincie")),
            tooi_uri=clean(row["tooi_uri"]), owms_uri=clean(row["owms_uri"]),
            start_date=iso_date(row.get("begindatum"), name, where, "begindatum"),
            end_date=iso_date(row.get("einddatum"), name, where, "einddatum"),
            successor_code=(cbs_code(successor_code) or successor_code) if successor_code else "",
            successor_name=clean(row.get("opvolger_naam")),
        )
    if not entries:
        raise BadInput(f"Bestand '{name}': geen gemeenten gevonden.")
    return ParseResult(kind="gemeenten", format="csv", items=list(entries.values()), file_sha256=sha256_bytes(data))


def parse(path: Path, max_bytes: int | None = None) -> ParseResult:
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"'{path.name}' is een map; geef het TOOI-bestand (JSON of CSV) zelf op.")
    data = read_bytes(path, max_bytes)
    kind = sniff_kind(data)
    if kind == "json":
        return _parse_jsonld(read_json(data, path.name), path.name, data)
    if kind == "xml":
        raise BadInput(f"Bestand '{path.name}': XML wordt voor het gemeenteregister niet ondersteund; "
                       f"gebruik de TOOI-JSON of de CSV.")
    return _parse_csv(data, path.name)
