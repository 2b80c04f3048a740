"""Selectielijst gemeenten en intergemeentelijke organen (VNG), as the API's JSON.

The public API (https://selectielijst.openzaak.nl/api/v1/) has one endpoint per
record type: ``procestypen`` (a JSON list), ``resultaten`` (paginated:
``{count, next, previous, results}``) and ``resultaattypeomschrijvingen``.
Accepted: one such JSON file, or a folder holding several of them (other
files in the folder, such as CSVs or a Django fixture, are ignored). A file
that holds only some record types replaces only those types; the services
layer carries the other types over from the current version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harmonie.core.errors import BadInput

from .base import ParseResult, clean, read_bytes, read_json, sha256_bytes, sniff_kind

RECORD_TYPES = ("procestype", "resultaat", "resultaattypeomschrijving")
URL_SEGMENTS = {"/procestypen/": "procestype", "/resultaten/": "resultaat",
                "/resultaattypeomschrijvingen/": "resultaattypeomschrijving"}
REQUIRED = {
    "procestype": ["url", "nummer", "jaar", "naam"],
    "resultaat": ["url", "procesType", "nummer", "naam"],
    "resultaattypeomschrijving": ["url", "omschrijving"],
}


@dataclass
class SelectielijstEntry:
    record_type: str
    url: str
    jaar: int | None = None
    nummer: str = ""
    naam: str = ""
    omschrijving: str = ""
    procestype_url: str = ""
    waardering: str = ""
    bewaartermijn: str = ""
    data: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.url


def _record_type(record: dict) -> str | None:
    url = clean(record.get("url"))
    for segment, rtype in URL_SEGMENTS.items():
        if segment in url:
            return rtype
    if "procesobject" in record:
        return "procestype"
    if "procesType" in record and "waardering" in record:
        return "resultaat"
    if "definitie" in record:
        return "resultaattypeomschrijving"
    return None


def _entries(doc, name: str) -> list[SelectielijstEntry]:
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        if doc.get("next"):
            raise BadInput(f"Bestand '{name}': dit is één pagina van een langere API-lijst (veld 'next' is gevuld); "
                           f"gebruik 'harmonie reference update selectielijst' of voeg alle pagina's samen.")
        records = doc["results"]
    elif isinstance(doc, list):
        records = doc
    else:
        raise BadInput(f"Bestand '{name}': onbekende JSON-vorm; verwacht een lijst of een API-pagina met 'results'.")
    entries = []
    for index, record in enumerate(records, start=1):
        where = f"record {index}"
        if not isinstance(record, dict):
            raise BadInput(f"Bestand '{name}', {where}: verwacht een JSON-object.")
        rtype = _record_type(record)
        if rtype is None:
            raise BadInput(f"Bestand '{name}', {where}: onbekend soort record; verwacht een procestype, resultaat of "
                           f"resultaattypeomschrijving van de Selectielijst-API; gevonden velden: "
                           f"{', '.join(sorted(record)) or '(geen)'}.")
        for key in REQUIRED[rtype]:
            if key not in record or record[key] in (None, ""):
                raise BadInput(f"Bestand '{name}', {where}: veld '{key}' ontbreekt of is leeg ({rtype}).")
        jaar = record.get("jaar")
        if jaar not in (None, ""):
            try:
                jaar = int(jaar)
            except (TypeError, ValueError, OverflowError) as exc:
                raise BadInput(f"Bestand '{name}', {where}: veld 'jaar' is geen jaartal ('{jaar}').") from exc
            if not 1 <= jaar <= 9999:
                raise BadInput(f"Bestand '{name}', {where}: veld 'jaar' is geen jaartal ('{jaar}').")
        else:
            jaar = None
        nummer = clean(record.get("volledigNummer")) if rtype == "resultaat" else clean(record.get("nummer"))
        entries.append(SelectielijstEntry(
            record_type=rtype, url=clean(record["url"]), jaar=jaar, nummer=nummer or clean(record.get("nummer")),
            naam=clean(record.get("naam")) or clean(record.get("omschrijving")),
            omschrijving=clean(record.get("omschrijving")) if rtype != "resultaattypeomschrijving"
            else clean(record.get("definitie")),
            procestype_url=clean(record.get("procesType")), waardering=clean(record.get("waardering")),
            bewaartermijn=clean(record.get("bewaartermijn")), data=record,
        ))
    return entries


def _is_django_fixture(doc) -> bool:
    return isinstance(doc, list) and bool(doc) and isinstance(doc[0], dict) and "model" in doc[0] and "fields" in doc[0]


def parse(path: Path, max_bytes: int | None = None) -> ParseResult:
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json") if path.is_dir() else [path]
    entries: dict[str, SelectielijstEntry] = {}
    digests = []
    total = 0
    for file in files:
        data = read_bytes(file, max_bytes)
        total += len(data)
        if max_bytes is not None and total > max_bytes:
            raise BadInput(f"Map '{path.name}' is te groot (meer dan {max_bytes} bytes).")
        if sniff_kind(data) != "json":
            raise BadInput(f"Bestand '{file.name}': verwacht JSON van de Selectielijst-API.")
        doc = read_json(data, file.name)
        if _is_django_fixture(doc):
            if path.is_dir():
                continue
            raise BadInput(f"Bestand '{file.name}' is een Django-fixture; laad de JSON van de Selectielijst-API "
                           f"(procestypen, resultaten).")
        for entry in _entries(doc, file.name):
            entries[entry.url] = entry
        digests.append(f"{file.name}:{sha256_bytes(data)}")
    if not entries:
        raise BadInput(f"'{path.name}': geen procestypen of resultaten van de Selectielijst-API gevonden.")
    covers = {e.record_type for e in entries.values()}
    return ParseResult(kind="selectielijst", format="api-json", items=list(entries.values()),
                       file_sha256=sha256_bytes("\n".join(digests).encode()), covers=covers)
