"""Open Zaak catalogue export ZIP → zaaktypen in Catalogi API representation.

Open Zaak's admin "Exporteren" writes a ZIP with one JSON list per resource, in the root of the ZIP, in API
representation (camelCase API field names, relations as URLs): ``Catalogus.json``, ``ZaakType.json``,
``StatusType.json``, ``ResultaatType.json``, ``RolType.json``, ``Eigenschap.json``, ``InformatieObjectType.json``,
``BesluitType.json``, ``ZaakTypeInformatieObjectType.json``.

Refused with a Dutch message that names the file and item: files in a sub-folder (Open Zaak once reported such an
import as a success while importing nothing — here zero zaaktypen is always an error), path traversal or absolute
names, zip bombs (entry count, total size, compression ratio), unknown or non-JSON files, broken JSON, items
without their required fields, relations to zaaktypen that are not in the file.

``bundle()`` groups the resources per zaaktype; the ZGW API client (``zgw``) uses it too.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field

from harmonie.core.errors import BadInput

FILES = {
    "Catalogus": "Catalogus.json",
    "ZaakType": "ZaakType.json",
    "StatusType": "StatusType.json",
    "ResultaatType": "ResultaatType.json",
    "RolType": "RolType.json",
    "Eigenschap": "Eigenschap.json",
    "InformatieObjectType": "InformatieObjectType.json",
    "BesluitType": "BesluitType.json",
    "ZaakTypeInformatieObjectType": "ZaakTypeInformatieObjectType.json",
}
# What an item needs before Harmonie can use it (the full Catalogi API schema is checked on export).
REQUIRED = {
    "Catalogus": ["url"],
    "ZaakType": ["url", "omschrijving"],
    "StatusType": ["zaaktype", "omschrijving", "volgnummer"],
    "ResultaatType": ["zaaktype", "omschrijving"],
    "RolType": ["zaaktype", "omschrijving"],
    "Eigenschap": ["zaaktype", "naam"],
    "InformatieObjectType": ["url", "omschrijving"],
    "BesluitType": ["url"],
    "ZaakTypeInformatieObjectType": ["zaaktype", "informatieobjecttype"],
}
BUNDLE_KEYS = ("statustypen", "resultaattypen", "roltypen", "eigenschappen", "informatieobjecttypen",
               "besluittypen", "zaaktypeinformatieobjecttypen")

MAX_ENTRIES = 100
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for entries above 1 MB


@dataclass
class Catalogue:
    """Zaaktypen of one source, each a bundle: ``{"zaaktype": {...}, "statustypen": [...], ...}``."""

    source_name: str
    format: str
    zaaktypen: list[dict] = field(default_factory=list)
    catalogus: dict = field(default_factory=dict)
    file_sha256: str = ""


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_name(info: zipfile.ZipInfo, zip_name: str) -> str:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts:
        raise BadInput(f"ZIP-bestand '{zip_name}': de naam '{name}' wijst buiten de ZIP (pad met '..' of een absoluut "
                       f"pad); zo'n bestand wordt om veiligheidsredenen geweigerd.")
    return name


def read_zip(data: bytes, zip_name: str) -> dict[str, list[dict]]:
    """The JSON lists of an Open Zaak export ZIP, per resource name (missing files: empty list)."""
    if not data:
        raise BadInput(f"Bestand '{zip_name}' is leeg.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    # NotImplementedError: a central directory that asks for a ZIP feature (version) zipfile lacks
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise BadInput(f"Bestand '{zip_name}' is geen geldig ZIP-bestand ({exc}).") from exc
    if len(infos) > MAX_ENTRIES:
        raise BadInput(f"ZIP-bestand '{zip_name}' bevat {len(infos)} bestanden; een Open Zaak-export heeft er "
                       f"hooguit {len(FILES)} (maximaal {MAX_ENTRIES}).")
    by_name = {name: res for res, name in FILES.items()}
    total = 0
    files: dict[str, zipfile.ZipInfo] = {}
    nested = []
    for info in infos:
        name = _check_name(info, zip_name)
        if info.is_dir():
            continue
        total += info.file_size
        if info.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES:
            raise BadInput(f"ZIP-bestand '{zip_name}': '{name}' is uitgepakt te groot ({info.file_size} bytes; "
                           f"maximaal {MAX_ENTRY_BYTES} per bestand en {MAX_TOTAL_BYTES} samen). Mogelijk een "
                           f"zip-bom; niets geïmporteerd.")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BadInput(f"ZIP-bestand '{zip_name}': '{name}' is meer dan {MAX_RATIO} keer gecomprimeerd "
                           f"({info.compress_size} → {info.file_size} bytes); dat lijkt op een zip-bom en wordt "
                           f"geweigerd. Niets geïmporteerd.")
        if "/" in name.replace("\\", "/"):
            nested.append(name)
            continue
        if not name.lower().endswith(".json"):
            raise BadInput(f"ZIP-bestand '{zip_name}' bevat '{name}', geen JSON-bestand; een Open Zaak-export bevat "
                           f"alleen {', '.join(FILES.values())}.")
        if name not in by_name:
            raise BadInput(f"ZIP-bestand '{zip_name}' bevat '{name}', dat hoort niet bij een Open Zaak-export; "
                           f"verwacht: {', '.join(FILES.values())}.")
        if by_name[name] in files:
            raise BadInput(f"ZIP-bestand '{zip_name}' bevat '{name}' twee keer; welke geldt is niet te zeggen. "
                           f"Niets geïmporteerd.")
        files[by_name[name]] = info
    if nested:
        folder = nested[0].replace("\\", "/").rsplit("/", 1)[0] + "/"
        raise BadInput(f"ZIP-bestand '{zip_name}' bevat de bestanden in een submap ('{folder}', bijvoorbeeld "
                       f"'{nested[0]}'). Open Zaak zet {FILES['ZaakType']} en de andere bestanden in de hoofdmap van "
                       f"de ZIP; een import uit een submap zou niets importeren. Maak de ZIP opnieuw met de "
                       f"JSON-bestanden in de hoofdmap. Niets geïmporteerd.")
    if "ZaakType" not in files:
        raise BadInput(f"ZIP-bestand '{zip_name}' bevat geen {FILES['ZaakType']}; dit is geen Open Zaak-export van "
                       f"een catalogus. Niets geïmporteerd.")
    resources: dict[str, list[dict]] = {res: [] for res in FILES}
    for res, info in files.items():
        try:
            with archive.open(info) as handle:
                raw = handle.read(MAX_ENTRY_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError,
                ValueError) as exc:
            raise BadInput(f"ZIP-bestand '{zip_name}': '{info.filename}' is niet te lezen (beschadigd, versleuteld of "
                           f"een onbekende compressie: {exc}). Niets geïmporteerd.") from exc
        resources[res] = parse_list(raw, info.filename, zip_name)
    return resources


def parse_list(raw: bytes, file_name: str, zip_name: str = "") -> list[dict]:
    where = f"'{file_name}' in '{zip_name}'" if zip_name else f"'{file_name}'"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"Bestand {where} is geen UTF-8-tekst (byte {exc.start}).") from exc
    try:
        doc = json.loads(text) if text.strip() else []
    except json.JSONDecodeError as exc:
        raise BadInput(f"Bestand {where}, regel {exc.lineno}, kolom {exc.colno}: geen geldige JSON "
                       f"({exc.msg}). Niets geïmporteerd.") from exc
    except RecursionError as exc:
        raise BadInput(f"Bestand {where}: de JSON is te diep genest. Niets geïmporteerd.") from exc
    except ValueError as exc:  # an integer of more than 4300 digits (int()'s limit)
        raise BadInput(f"Bestand {where}: de JSON bevat een getal met te veel cijfers. Niets geïmporteerd.") from exc
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        doc = doc["results"]
    if not isinstance(doc, list):
        raise BadInput(f"Bestand {where}: verwacht een JSON-lijst van objecten.")
    for index, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            raise BadInput(f"Bestand {where}, item {index}: verwacht een JSON-object.")
    return doc


def _label(item: dict) -> str:
    for key in ("omschrijving", "naam", "identificatie", "url"):
        if item.get(key):
            return f" ('{item[key]}')"
    return ""


def check_required(resources: dict[str, list[dict]], origin: str) -> None:
    for res, items in resources.items():
        for index, item in enumerate(items, start=1):
            for key in REQUIRED.get(res, []):
                if item.get(key) in (None, "", []):
                    raise BadInput(f"{origin} {FILES[res]}, item {index}{_label(item)}: verplicht veld '{key}' "
                                   f"ontbreekt of is leeg. Niets geïmporteerd.")
            if res == "StatusType":
                try:
                    int(item["volgnummer"])
                except (TypeError, ValueError) as exc:
                    raise BadInput(f"{origin} {FILES[res]}, item {index}{_label(item)}: volgnummer "
                                   f"'{item['volgnummer']}' is geen geheel getal.") from exc


def bundle(resources: dict[str, list[dict]], origin: str) -> list[dict]:
    """Group the resources per zaaktype (relations by URL). ``origin`` names the source in messages."""
    check_required(resources, origin)
    zaaktypen: dict[str, dict] = {}
    for index, zt in enumerate(resources.get("ZaakType", []), start=1):
        if zt["url"] in zaaktypen:
            raise BadInput(f"{origin} {FILES['ZaakType']}, item {index}{_label(zt)}: url '{zt['url']}' komt twee "
                           f"keer voor.")
        zaaktypen[zt["url"]] = {"zaaktype": zt, **{key: [] for key in BUNDLE_KEYS}}

    def owner(res, index, item, url):
        if url not in zaaktypen:
            raise BadInput(f"{origin} {FILES[res]}, item {index}{_label(item)}: zaaktype '{url}' staat niet in "
                           f"{FILES['ZaakType']}. Niets geïmporteerd.")
        return zaaktypen[url]

    for res, key in (("StatusType", "statustypen"), ("ResultaatType", "resultaattypen"), ("RolType", "roltypen"),
                     ("Eigenschap", "eigenschappen")):
        for index, item in enumerate(resources.get(res, []), start=1):
            owner(res, index, item, item["zaaktype"])[key].append(item)
    iots = {item["url"]: item for item in resources.get("InformatieObjectType", [])}
    for index, link in enumerate(resources.get("ZaakTypeInformatieObjectType", []), start=1):
        target = owner("ZaakTypeInformatieObjectType", index, link, link["zaaktype"])
        target["zaaktypeinformatieobjecttypen"].append(link)
        iot = iots.get(link["informatieobjecttype"])
        if iot is not None and iot not in target["informatieobjecttypen"]:
            target["informatieobjecttypen"].append(iot)
    for index, besluittype in enumerate(resources.get("BesluitType", []), start=1):
        for url in besluittype.get("zaaktypen") or []:
            if url in zaaktypen:
                zaaktypen[url]["besluittypen"].append(besluittype)
    for item in zaaktypen.values():
        item["statustypen"].sort(key=lambda s: int(s["volgnummer"]))
    return list(zaaktypen.values())


def parse_zip(data: bytes, zip_name: str, *, max_bytes: int | None = None) -> Catalogue:
    """``max_bytes``: the upload limit (the services pass ``HARMONIE_MAX_UPLOAD_BYTES``); None: no limit here."""
    if max_bytes is not None and len(data) > max_bytes:
        raise BadInput(f"Bestand '{zip_name}' is te groot ({len(data)} bytes; maximaal {max_bytes} bytes).")
    resources = read_zip(data, zip_name)
    zaaktypen = bundle(resources, f"ZIP-bestand '{zip_name}',")
    if not zaaktypen:
        raise BadInput(f"ZIP-bestand '{zip_name}': {FILES['ZaakType']} bevat geen zaaktypen; er is niets "
                       f"geïmporteerd.")
    catalogus = resources["Catalogus"][0] if resources["Catalogus"] else {}
    return Catalogue(source_name=zip_name, format="openzaak-zip", zaaktypen=zaaktypen, catalogus=catalogus,
                     file_sha256=_hash(data))
