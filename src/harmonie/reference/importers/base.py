"""Shared helpers for the reference-data parsers: reading, decoding, CSV, JSON, safe XML.

Pure Python (no Django imports): parsers return plain dataclasses, so they are
fast to test and reusable. Every problem with the input raises ``BadInput``
with a Dutch message naming the file, row and field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from harmonie.core.errors import BadInput

csv.field_size_limit(64 * 1024 * 1024)

DELIMITERS = ",;\t|"


@dataclass
class ParseResult:
    """What a parser hands to ``services.load_reference``."""

    kind: str
    format: str  # e.g. "csv", "owms-json", "ameff", "csv-map", "api-json", "tooi-jsonld"
    items: list = field(default_factory=list)
    file_sha256: str = ""
    # For lists that arrive in parts (the Selectielijst API has one endpoint per
    # record type): the record types this input covers. Items of other types are
    # carried over from the current version. ``None`` means: the input is complete.
    covers: set[str] | None = None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def item_dict(item) -> dict:
    return asdict(item)


def item_hash(item) -> str:
    return hashlib.sha256(json.dumps(item_dict(item), sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


def canonical_hash(items) -> str:
    """Hash of the parsed content, independent of file encoding, order and layout."""
    digest = hashlib.sha256()
    for line in sorted(f"{type(i).__name__}\t{item_hash(i)}" for i in items):
        digest.update(line.encode("ascii"))
        digest.update(b"\n")
    return digest.hexdigest()


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInput(f"Bestand '{path.name}' kan niet worden gelezen: {exc.strerror or exc}.") from exc
    if max_bytes is not None and size > max_bytes:
        raise BadInput(f"Bestand '{path.name}' is te groot ({size} bytes; maximaal {max_bytes} bytes).")
    return path.read_bytes()


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes → text: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252, else charset-normalizer's guess.

    Dutch files that are not UTF-8 are nearly always Windows-1252, and a detector is unreliable on short Dutch
    text (it calls such a file mac_latin2 or even big5), so cp1252 comes first; the detector is only asked when
    cp1252 cannot decode the bytes (one of its five undefined byte values occurs).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # noqa: BLE001 - detection is a last resort
        best = None
    if best is not None:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    line = data[: utf8_error.start].count(b"\n") + 1
    raise BadInput(f"Bestand '{name}', regel {line}: onbekende tekenset; sla het bestand op als UTF-8.")


def sniff_kind(data: bytes) -> str:
    """'xml', 'json' or 'text' (CSV), judged by the first meaningful character."""
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    head = head.replace(b"\x00", b"").lstrip()
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"[", b"{")):
        return "json"
    return "text"


@dataclass
class CsvTable:
    name: str
    header: list[str]
    rows: list[tuple[int, dict]]  # (line number in the file, row)


def read_csv(data: bytes, name: str, required: list[str]) -> CsvTable:
    """Parse CSV bytes; the header must contain every ``required`` column."""
    text, _encoding = decode(data, name)
    if not text.strip():
        raise BadInput(f"Bestand '{name}' is leeg.")
    first_line = text.splitlines()[0]
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=counts.get) if max(counts.values()) > 0 else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except csv.Error as exc:
        raise BadInput(f"Bestand '{name}', regel 1: de kopregel is geen geldige CSV ({exc}).") from exc
    missing = [c for c in required if c not in header]
    if missing:
        found = ", ".join(f"'{h}'" for h in header if h) or "(geen)"
        label = "kolom" if len(missing) == 1 else "kolommen"
        raise BadInput(f"Bestand '{name}', regel 1: {label} {', '.join(repr(m) for m in missing)} ontbreekt; "
                       f"gevonden: {found}.")
    rows = []
    line = reader.line_num
    try:
        for values in reader:
            start = line + 1
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise BadInput(f"Bestand '{name}', regel {start}: {len(values)} velden in plaats van "
                               f"{len(header)} (scheidingsteken '{delimiter}').")
            rows.append((start, dict(zip(header, values))))
    except csv.Error as exc:
        raise BadInput(f"Bestand '{name}', regel {reader.line_num}: geen geldige CSV ({exc}).") from exc
    return CsvTable(name=name, header=header, rows=rows)


def _no_constant(value: str):
    raise BadInput(f"'{value}' is geen geldige JSON-waarde (NaN en Infinity staan niet in de JSON-standaard).")


def read_json(data: bytes, name: str):
    """Strict JSON: no NaN/Infinity, no NUL characters (a database cannot store them), bounded nesting."""
    text, _encoding = decode(data, name)
    if "\x00" in text or "\\u0000" in text:
        raise BadInput(f"Bestand '{name}': de JSON bevat een NUL-teken (\\u0000); dat kan niet worden opgeslagen.")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except BadInput as exc:
        raise BadInput(f"Bestand '{name}': {exc.message}") from exc
    except json.JSONDecodeError as exc:
        raise BadInput(f"Bestand '{name}', regel {exc.lineno}: geen geldige JSON ({exc.msg}).") from exc
    except RecursionError as exc:
        raise BadInput(f"Bestand '{name}': de JSON is te diep genest (lijsten of objecten in elkaar).") from exc
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise BadInput(f"Bestand '{name}': de JSON bevat een getal met te veel cijfers.") from exc


def parse_xml(data: bytes, name: str):
    """Parse XML safely: no DTD, no entities (so no external entities, no entity expansion)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadInput(f"Bestand '{name}': het XML-bestand bevat een DTD, entiteiten of externe verwijzingen; dat "
                       f"wordt om veiligheidsredenen geweigerd (geen externe entiteiten, geen entiteit-expansie).") from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else "?"
        raise BadInput(f"Bestand '{name}', regel {line}: geen geldige XML ({exc}).") from exc
    except (LookupError, ValueError) as exc:  # an unknown or unsupported encoding in the XML declaration
        raise BadInput(f"Bestand '{name}', regel 1: de tekenset in de XML-declaratie wordt niet ondersteund "
                       f"({exc}); sla het bestand op als UTF-8.") from exc


def clean(value) -> str:
    return "" if value is None else str(value).strip()


def flag(value) -> bool:
    return clean(value).upper() in {"X", "JA", "TRUE", "1", "Y", "YES", "WAAR"}


def iso_date(value, name: str, where: str, field_name: str) -> str | None:
    """Normalise a date to 'YYYY-MM-DD' (accepts ISO dates and datetimes, and DD-MM-YYYY)."""
    from datetime import date, datetime

    text = clean(value)
    if not text:
        return None
    for parse in (lambda t: date.fromisoformat(t[:10]), lambda t: datetime.strptime(t, "%d-%m-%Y").date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    raise BadInput(f"Bestand '{name}', {where}: veld '{field_name}' heeft geen geldige datum ('{text}').")


def local_name(tag) -> str:
    """The tag without its ``{namespace}``; "" for comments and processing instructions."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child(node, name):
    """The first child element with this local name, or None."""
    for item in node:
        if local_name(item.tag) == name:
            return item
    return None


def child_text(node, name) -> str:
    found = child(node, name)
    return (found.text or "").strip() if found is not None else ""


# --- archives (XLSX, Open Zaak export ZIP, ...) ---------------------------------------------------

MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for entries over 1 MB
MAX_ZIP_UNCOMPRESSED = 1024 * 1024 * 1024


def check_zip(data: bytes, name: str, max_uncompressed: int | None = None):
    """Open a ZIP archive from untrusted bytes, refusing zip bombs and path traversal.

    Returns the ``zipfile.ZipFile``. Refused (``BadInput``): not a ZIP, more than ``MAX_ZIP_ENTRIES`` entries,
    an entry name that is absolute or climbs out of the archive (``..``), a total uncompressed size over
    ``max_uncompressed`` (default ``MAX_ZIP_UNCOMPRESSED``), or an entry over 1 MB that inflates more than
    ``MAX_ZIP_RATIO`` times. ``zipfile`` never reads more than an entry's declared size, so these checks
    on the directory bound what reading the archive can cost.
    """
    import zipfile

    limit = MAX_ZIP_UNCOMPRESSED if max_uncompressed is None else max_uncompressed
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise BadInput(f"Bestand '{name}': geen leesbaar ZIP-archief ({exc}).") from exc
    try:
        _check_zip_entries(infos, name, limit)
    except BadInput:
        archive.close()
        raise
    return archive


def _check_zip_entries(infos, name: str, limit: int) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise BadInput(f"Bestand '{name}': het archief bevat {len(infos)} bestanden (maximaal {MAX_ZIP_ENTRIES}).")
    total = 0
    for info in infos:
        entry = info.filename.replace("\\", "/")
        if entry.startswith("/") or ".." in entry.split("/") or entry[1:2] == ":":  # absolute, climbing, C:
            raise BadInput(f"Bestand '{name}': het archief bevat een pad buiten het archief ('{info.filename}'); "
                           f"dat wordt om veiligheidsredenen geweigerd.")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(1, info.compress_size):
            raise BadInput(f"Bestand '{name}': '{info.filename}' pakt uit tot {info.file_size} bytes uit "
                           f"{info.compress_size} bytes (meer dan {MAX_ZIP_RATIO} keer); zo'n 'zip-bom' wordt "
                           f"geweigerd.")
        if total > limit:
            raise BadInput(f"Bestand '{name}': het archief pakt uit tot meer dan {limit} bytes; dat is te groot.")
