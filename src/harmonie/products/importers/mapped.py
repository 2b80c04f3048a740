"""Any CSV/XLSX catalogue with a column mapping: the user says which column is title, abstract, audience, UPL,
online request, lead time, fees and id (remembered per partner in ``core.ImportColumnMapping``)."""

from __future__ import annotations

import re

from harmonie.core.errors import BadInput

from .base import (
    Catalogue,
    ProductRow,
    Table,
    clean,
    normalise_online,
    read_table,
    sha256,
    split_audience,
    split_tags,
)

# field → (label, known column names in lower case)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("Titel (verplicht)", ("title", "titel", "productnaam", "naam", "product", "onderwerp product")),
    "id": ("Sleutel / id", ("id", "productid", "product_id", "identifier_url", "identifier", "url", "nummer", "nr",
                            "code")),
    "abstract": ("Samenvatting", ("abstract", "samenvatting", "omschrijving", "beschrijving", "toelichting")),
    "audience": ("Doelgroep", ("audience", "doelgroep", "doelgroepen")),
    "upl": ("UPL (URI of naam)", ("upl_uri", "upl", "uniforme productnaam", "uniformeproductnaam", "upl-naam",
                                  "upl_label")),
    "online": ("Online aanvragen", ("onlineaanvragen", "online aanvragen", "online", "digitaal aanvragen")),
    "lead_time": ("Doorlooptijd", ("doorlooptijd", "lead_time", "afhandeltermijn", "termijn")),
    "fees": ("Kosten", ("kosten", "fees", "tarief", "leges", "prijs")),
    "subject": ("Onderwerp", ("subject", "onderwerp", "thema", "categorie")),
    "url": ("Webpagina", ("webpagina", "link", "pagina", "identifier_url")),
}
REQUIRED = ("title",)


def columns_of(data: bytes, name: str) -> list[str]:
    """The column headers of the file (for the mapping step)."""
    table = read_table(data, name)
    return [h for h in table.header if h]


def _key(text) -> str:
    return re.sub(r"[\s_\-]+", " ", clean(text).lower()).strip()


def guess_mapping(header: list[str], remembered: dict | None = None) -> dict[str, str]:
    """A proposal: the remembered mapping where its columns still exist, else known column names."""
    present = {_key(h): h for h in header if h}
    out: dict[str, str] = {}
    for field_name in FIELDS:
        wanted = (remembered or {}).get(field_name)
        if wanted and _key(wanted) in present:
            out[field_name] = present[_key(wanted)]
    used = set(out.values())
    for field_name, (_label, aliases) in FIELDS.items():
        if field_name in out:
            continue
        for alias in aliases:
            column = present.get(_key(alias))
            if column and column not in used:
                out[field_name] = column
                used.add(column)
                break
    return out


def parse_mapped(data: bytes, name: str, mapping: dict[str, str]) -> Catalogue:
    table: Table = read_table(data, name)
    lowered = {_key(h): i for i, h in enumerate(table.header) if h}
    index: dict[str, int] = {}
    for field_name, column in (mapping or {}).items():
        if field_name not in FIELDS or not column:
            continue
        if _key(column) not in lowered:
            found = ", ".join(repr(h) for h in table.header if h) or "(geen)"
            raise BadInput(f"Bestand '{name}', regel 1: kolom '{column}' (voor '{FIELDS[field_name][0]}') ontbreekt; "
                           f"gevonden: {found}.")
        index[field_name] = lowered[_key(column)]
    for field_name in REQUIRED:
        if field_name not in index:
            raise BadInput(f"Bestand '{name}': kies welke kolom de {FIELDS[field_name][0].split(' ')[0].lower()} "
                           f"bevat (kolomindeling).")
    rows, seen = [], {}
    for line, cells in table.rows:
        def get(field_name, _cells=cells):
            i = index.get(field_name)
            return _cells[i] if i is not None and i < len(_cells) else None

        title = clean(get("title"))
        if not title:
            raise BadInput(f"Bestand '{name}', regel {line}: de titel (kolom '{mapping['title']}') is leeg.")
        key = clean(get("id")) if "id" in index else ""
        if "id" in index and not key:
            raise BadInput(f"Bestand '{name}', regel {line}: de sleutel (kolom '{mapping['id']}') is leeg.")
        key = key or "titel:" + title.casefold()
        if key in seen:
            what = f"sleutel '{key}'" if "id" in index else f"titel '{title}'"
            raise BadInput(f"Bestand '{name}', regel {line}: {what} komt al voor op regel {seen[key]}"
                           + ("" if "id" in index else "; kies een kolom als sleutel") + ".")
        seen[key] = line
        online = get("online")
        rows.append(ProductRow(
            line=line, source_key=key[:500], title=title[:500], abstract=clean(get("abstract")),
            audience=split_audience(get("audience")), subject=clean(get("subject"))[:300],
            online_request=normalise_online(online if not isinstance(online, bool) else ("ja" if online else "nee")),
            url=clean(get("url"))[:1000], lead_time=clean(get("lead_time"))[:300], fees=clean(get("fees"))[:300],
            tags=split_tags(get("upl")),
        ))
    if not rows:
        raise BadInput(f"Bestand '{name}' bevat geen producten.")
    return Catalogue(name=name, format=table.format, rows=rows, file_sha256=sha256(data))
