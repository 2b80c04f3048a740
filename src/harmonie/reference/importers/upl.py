"""UPL (Uniforme Productnamenlijst).

Accepted forms, detected by content:

* the official CSV export ``UPL-actueel.csv`` (one row per product and legal
  basis; rows are merged per URI);
* the SPARQL-results JSON of the same export (``head.vars`` + ``results.bindings``);
* the OWMS value list ``UniformeProductnaam`` as JSON (``[{prefLabel,
  resourceIdentifier, startDate?, endDate?}]``), which also holds withdrawn
  names with their end date, or as the original OWMS XML (``<cv><value>…``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harmonie.core.errors import BadInput

from .base import ParseResult, clean, flag, iso_date, parse_xml, read_bytes, read_csv, read_json, sha256_bytes, sniff_kind

FLAG_COLUMNS = {
    "Rijk": "rijk", "Provincie": "provincie", "Waterschap": "waterschap", "Gemeente": "gemeente",
    "Burger": "burger", "Bedrijf": "bedrijf", "Dienstenwet": "dienstenwet", "Autonomie": "autonomie",
    "Medebewind": "medebewind", "Aanvraag": "aanvraag", "Subsidie": "subsidie", "Melding": "melding",
    "Verplichting": "verplichting", "DigiDMacht": "digid_macht",
}


@dataclass
class UplEntry:
    uri: str
    label: str
    start_date: str | None = None
    end_date: str | None = None
    rijk: bool = False
    provincie: bool = False
    waterschap: bool = False
    gemeente: bool = False
    burger: bool = False
    bedrijf: bool = False
    dienstenwet: bool = False
    autonomie: bool = False
    medebewind: bool = False
    aanvraag: bool = False
    subsidie: bool = False
    melding: bool = False
    verplichting: bool = False
    digid_macht: bool = False
    sdg: str = ""
    legal_basis: list = field(default_factory=list)  # [{"uri", "label", "link"}], sorted

    @property
    def key(self) -> str:
        return self.uri


def fix_uri(uri: str) -> str:
    """Repair a doubled prefix: '…/owms/terms/http://…/owms/terms/x' → the inner URI."""
    uri = clean(uri)
    inner = max(uri.rfind("http://"), uri.rfind("https://"))
    return uri[inner:] if inner > 0 else uri


def _check_uri(uri: str, name: str, where: str, field_name: str) -> str:
    uri = fix_uri(uri)
    if not uri:
        raise BadInput(f"Bestand '{name}', {where}: veld '{field_name}' is leeg.")
    if not uri.startswith(("http://", "https://")):
        raise BadInput(f"Bestand '{name}', {where}: veld '{field_name}' is geen URI ('{uri}').")
    return uri


def _from_rows(rows, name: str, fmt: str, data: bytes) -> ParseResult:
    """rows: iterable of (where, dict) in the columns of UPL-actueel.csv."""
    entries: dict[str, UplEntry] = {}
    for where, row in rows:
        uri = _check_uri(row.get("URI", ""), name, where, "URI")
        label = clean(row.get("UniformeProductnaam"))
        if not label:
            raise BadInput(f"Bestand '{name}', {where}: veld 'UniformeProductnaam' is leeg.")
        entry = entries.get(uri)
        if entry is None:
            entry = UplEntry(uri=uri, label=label, sdg=clean(row.get("SDG")))
            for column, attr in FLAG_COLUMNS.items():
                setattr(entry, attr, flag(row.get(column)))
            entry.start_date = iso_date(row.get("startDate"), name, where, "startDate")
            entry.end_date = iso_date(row.get("endDate"), name, where, "endDate")
            entries[uri] = entry
        basis = {"uri": fix_uri(row.get("Grondslag", "")), "label": clean(row.get("Grondslaglabel")),
                 "link": clean(row.get("Grondslaglink"))}
        if any(basis.values()) and basis not in entry.legal_basis:
            entry.legal_basis.append(basis)
    for entry in entries.values():
        entry.legal_basis.sort(key=lambda b: (b["uri"], b["label"], b["link"]))
    return ParseResult(kind="upl", format=fmt, items=list(entries.values()), file_sha256=sha256_bytes(data))


def _from_owms_values(values, name: str, data: bytes, fmt: str) -> ParseResult:
    entries: dict[str, UplEntry] = {}
    for index, value in enumerate(values, start=1):
        where = f"waarde {index}"
        if not isinstance(value, dict):
            raise BadInput(f"Bestand '{name}', {where}: verwacht een object met 'prefLabel' en 'resourceIdentifier'.")
        uri = _check_uri(value.get("resourceIdentifier", ""), name, where, "resourceIdentifier")
        label = clean(value.get("prefLabel"))
        if not label:
            raise BadInput(f"Bestand '{name}', {where}: veld 'prefLabel' is leeg.")
        entries[uri] = UplEntry(
            uri=uri, label=label,
            start_date=iso_date(value.get("startDate"), name, where, "startDate"),
            end_date=iso_date(value.get("endDate"), name, where, "endDate"),
        )
    return ParseResult(kind="upl", format=fmt, items=list(entries.values()), file_sha256=sha256_bytes(data))


def parse(path: Path, max_bytes: int | None = None) -> ParseResult:
    path = Path(path)
    name = path.name
    if path.is_dir():
        raise BadInput(f"'{name}' is een map; geef het UPL-bestand (CSV of JSON) zelf op.")
    data = read_bytes(path, max_bytes)
    kind = sniff_kind(data)
    if kind == "json":
        doc = read_json(data, name)
        if isinstance(doc, dict) and isinstance(doc.get("results"), dict) and "bindings" in doc["results"]:
            rows = ((f"resultaat {i}", {k: (v or {}).get("value", "") for k, v in b.items()})
                    for i, b in enumerate(doc["results"]["bindings"], start=1))
            bindings = doc["results"]["bindings"]
            if bindings and not {"UniformeProductnaam", "URI"} <= set(bindings[0]):
                raise BadInput(f"Bestand '{name}', resultaat 1: velden 'UniformeProductnaam' en 'URI' ontbreken; "
                               f"gevonden: {', '.join(sorted(bindings[0]))}.")
            return _from_rows(rows, name, "sparql-json", data)
        if isinstance(doc, list):
            if doc and isinstance(doc[0], dict) and not {"prefLabel", "resourceIdentifier"} <= set(doc[0]):
                raise BadInput(f"Bestand '{name}', waarde 1: velden 'prefLabel' en 'resourceIdentifier' ontbreken; "
                               f"gevonden: {', '.join(sorted(doc[0]))}.")
            return _from_owms_values(doc, name, data, "owms-json")
        raise BadInput(f"Bestand '{name}': onbekende JSON-vorm; verwacht de OWMS-waardelijst "
                       f"(lijst met prefLabel/resourceIdentifier) of de UPL-export (SPARQL-resultaten).")
    if kind == "xml":
        root = parse_xml(data, name)
        values = []
        for value in root.iter():
            if value.tag.rsplit("}", 1)[-1] != "value":
                continue
            record = {child.tag.rsplit("}", 1)[-1]: (child.text or "") for child in value}
            if "resourceIdentifier" in record:
                values.append(record)
        if not values:
            raise BadInput(f"Bestand '{name}': geen OWMS-waarden (<value> met <resourceIdentifier>) gevonden.")
        return _from_owms_values(values, name, data, "owms-xml")
    table = read_csv(data, name, ["UniformeProductnaam", "URI"])
    return _from_rows(((f"regel {line}", row) for line, row in table.rows), name, "csv", data)
