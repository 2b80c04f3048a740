"""Samenwerkende Catalogi (SC): the CSV of harvested records and the raw SRU XML of the national search service.

CSV columns (as the shared harvest file): ``authority_label, authority_uri, identifier_url, title, modified,
abstract, audience, subject, productID, onlineAanvragen, aanvraagURL, upl_label, upl_uri`` (others ignored).
A file may hold many organisations; ``accept(label, uri)`` keeps the partner's rows.

SRU XML: ``searchRetrieveResponse/records/record/recordData/gzd/originalData/overheidproduct:scproduct/
overheidproduct:meta/{owmskern,owmsmantel,scmeta}``, parsed with the hardened helpers (no DTD, no entities).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harmonie.core.errors import BadInput
from harmonie.reference.importers.base import child, local_name, parse_xml

from .base import (
    Catalogue,
    ProductRow,
    Table,
    clean,
    iso_date,
    normalise_online,
    read_table,
    sha256,
    split_audience,
    split_tags,
)

Accept = Callable[[str, str], bool]
REQUIRED = ("title",)
KEY_COLUMNS = ("identifier_url", "productID")


def _row_from(get, line: int, name: str, where: str = "regel") -> ProductRow:
    title = clean(get("title"))
    if not title:
        raise BadInput(f"Bestand '{name}', {where} {line}: de titel is leeg.")
    key = clean(get("identifier_url")) or clean(get("productID"))
    if not key:
        raise BadInput(f"Bestand '{name}', {where} {line}: geen identifier_url en geen productID; elk product "
                       f"heeft een sleutel nodig.")
    return ProductRow(
        line=line, source_key=key[:500], title=title[:500], abstract=clean(get("abstract")),
        audience=split_audience(get("audience")), subject=clean(get("subject"))[:300],
        online_request=normalise_online(get("onlineAanvragen")), request_url=clean(get("aanvraagURL"))[:1000],
        url=clean(get("identifier_url"))[:1000], modified=iso_date(get("modified")), tags=split_tags(get("upl_uri")),
        authority=clean(get("authority_label")), authority_uri=clean(get("authority_uri")),
    )


def parse_sc_csv(data: bytes, name: str, accept: Accept | None = None, partner_name: str = "") -> Catalogue:
    """SC records as CSV (or ``.csv.gz``, decompressed by the caller) → the rows ``accept`` keeps."""
    table: Table = read_table(data, name)
    missing = [c for c in REQUIRED if c not in table.header]
    if not any(c in table.header for c in KEY_COLUMNS):
        missing.append("identifier_url of productID")
    if missing:
        found = ", ".join(repr(h) for h in table.header if h) or "(geen)"
        raise BadInput(f"Bestand '{name}', regel 1: kolom(men) {', '.join(missing)} ontbreken; gevonden: {found}. "
                       f"Verwacht de kolommen van een SC-export (title, identifier_url, upl_uri, ...).")
    index = {h: i for i, h in enumerate(table.header)}
    has_authority = "authority_label" in index or "authority_uri" in index
    rows, skipped, others = [], 0, set()
    for line, cells in table.rows:
        def get(column, _cells=cells):
            i = index.get(column)
            return _cells[i] if i is not None else ""

        if has_authority and accept is not None:
            label, uri = get("authority_label").strip(), get("authority_uri").strip()
            if not accept(label, uri):
                skipped += 1
                others.add(label or uri)
                continue
        rows.append(_row_from(get, line, name))
    if not rows:
        if skipped:
            sample = ", ".join(sorted(o for o in others if o)[:8])
            raise BadInput(f"Bestand '{name}' bevat geen producten van {partner_name or 'deze partner'} "
                           f"(wel van {len(others)} andere organisaties, o.a. {sample}). Controleer de partner.")
        raise BadInput(f"Bestand '{name}' bevat geen producten.")
    return Catalogue(name=name, format="sc-csv", rows=rows, file_sha256=sha256(data), skipped_other=skipped)


# --------------------------------------------------------------------------------------------- SRU XML
@dataclass
class SruPage:
    rows: list[ProductRow]
    number_of_records: int | None
    next_position: int | None
    skipped_other: int = 0


def _texts(node, name) -> list[tuple[str, dict]]:
    return [((item.text or "").strip(), dict(item.attrib)) for item in node if local_name(item.tag) == name]


def _find(node, *path):
    for name in path:
        if node is None:
            return None
        node = child(node, name)
    return node


def _int(text) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def parse_sru(data: bytes, name: str, accept: Accept | None = None, offset: int = 0) -> SruPage:
    """One SRU ``searchRetrieveResponse`` → its SC products, ``numberOfRecords`` and ``nextRecordPosition``."""
    root = parse_xml(data, name)
    if local_name(root.tag) != "searchRetrieveResponse":
        raise BadInput(f"Bestand '{name}': geen SRU-antwoord (searchRetrieveResponse), maar <{local_name(root.tag)}>.")
    diagnostics = child(root, "diagnostics")
    if diagnostics is not None:
        messages = [clean(" ".join(t for t in d.itertext())) for d in diagnostics]
        raise BadInput(f"Bestand '{name}': de zoekdienst meldt een fout: {'; '.join(m for m in messages if m)}.")
    total = _int((child(root, "numberOfRecords").text if child(root, "numberOfRecords") is not None else None))
    next_node = child(root, "nextRecordPosition")
    next_position = _int(next_node.text) if next_node is not None else None
    records = child(root, "records")
    rows, skipped = [], 0
    for number, record in enumerate(records if records is not None else [], start=1):
        if local_name(record.tag) != "record":
            continue
        position = _int((child(record, "recordPosition").text if child(record, "recordPosition") is not None
                         else None)) or offset + number
        meta = _find(record, "recordData", "gzd", "originalData", "scproduct", "meta")
        if meta is None:
            raise BadInput(f"Bestand '{name}', record {position}: geen SC-product (overheidproduct:scproduct/meta "
                           f"ontbreekt).")
        kern, mantel, scmeta = child(meta, "owmskern"), child(meta, "owmsmantel"), child(meta, "scmeta")
        if kern is None:
            raise BadInput(f"Bestand '{name}', record {position}: owmskern ontbreekt.")
        authority = child(kern, "authority")
        label = clean(authority.text) if authority is not None else ""
        uri = clean(authority.get("resourceIdentifier")) if authority is not None else ""
        if accept is not None and (label or uri) and not accept(label, uri):
            skipped += 1
            continue
        fields = {
            "identifier_url": clean(_text(kern, "identifier")),
            "title": clean(_text(kern, "title")),
            "modified": _text(kern, "modified"),
            "authority_label": label, "authority_uri": uri,
        }
        if mantel is not None:
            fields["audience"] = " | ".join(t for t, _a in _texts(mantel, "audience"))
            fields["subject"] = " | ".join(t for t, _a in _texts(mantel, "subject"))[:300]
            fields["abstract"] = _text(mantel, "abstract")
        tags = []
        if scmeta is not None:
            fields["productID"] = _text(scmeta, "productID")
            fields["onlineAanvragen"] = _text(scmeta, "onlineAanvragen")
            request = child(scmeta, "aanvraagURL")
            if request is not None:
                fields["aanvraagURL"] = request.get("resourceIdentifier") or (request.text or "")
            for text, attrs in _texts(scmeta, "uniformeProductnaam"):
                tags.append(attrs.get("resourceIdentifier") or text)
        fields["upl_uri"] = " | ".join(t for t in tags if t)
        rows.append(_row_from(lambda c, _f=fields: _f.get(c, ""), position, name, where="record"))
    return SruPage(rows=rows, number_of_records=total, next_position=next_position, skipped_other=skipped)


def _text(node, name) -> str:
    found = child(node, name)
    return "".join(found.itertext()).strip() if found is not None else ""


def parse_sc_xml(data: bytes, name: str, accept: Accept | None = None, partner_name: str = "") -> Catalogue:
    page = parse_sru(data, name, accept)
    if not page.rows:
        if page.skipped_other:
            raise BadInput(f"Bestand '{name}' bevat geen producten van {partner_name or 'deze partner'} "
                           f"({page.skipped_other} records van een andere organisatie).")
        raise BadInput(f"Bestand '{name}' bevat geen producten (0 records).")
    return Catalogue(name=name, format="sc-xml", rows=page.rows, file_sha256=sha256(data), where="record",
                     skipped_other=page.skipped_other)
