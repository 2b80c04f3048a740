"""What every catalogue importer returns, and the shared reading helpers (bytes → text → table).

Pure Python (no Django). Problems with the input raise ``BadInput`` with a Dutch message naming the file and
the row (line) or field. Text is decoded as UTF-8 (with or without BOM), else cp1252, else by detection
(charset-normalizer); mojibake from a wrong earlier conversion ("geÃ¯nitieerd", "ge├»nitieerd") is repaired
where it is recognisable.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zlib
from dataclasses import dataclass, field

from harmonie.core.errors import BadInput
from harmonie.reference.importers.base import check_zip, decode

csv.field_size_limit(16 * 1024 * 1024)

DELIMITERS = ",;\t|"
TAG_SPLIT = re.compile(r"\s*\|\s*")


@dataclass
class ProductRow:
    """One product as the source gives it (normalised text, tags as raw URIs or names)."""

    line: int  # line in the file, record position in an SRU response, row number in a sheet
    source_key: str
    title: str
    abstract: str = ""
    audience: list[str] = field(default_factory=list)
    subject: str = ""
    online_request: str = ""
    request_url: str = ""
    url: str = ""
    lead_time: str = ""
    fees: str = ""
    modified: str | None = None  # ISO date
    tags: list[str] = field(default_factory=list)
    authority: str = ""
    authority_uri: str = ""


@dataclass
class Catalogue:
    name: str
    format: str
    rows: list[ProductRow]
    file_sha256: str = ""
    where: str = "regel"  # how a row's position is called in messages: regel, record
    skipped_other: int = 0  # rows of other organisations in a shared file


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------- size, gzip
def check_size(data: bytes, name: str, max_bytes: int) -> None:
    if max_bytes and len(data) > max_bytes:
        raise BadInput(f"Bestand '{name}' is te groot ({len(data):,} bytes; maximaal {max_bytes:,} bytes)."
                       .replace(",", "."))


def gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """Decompress ``.gz`` content (recognised by its magic bytes), never more than ``max_bytes``."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1 if max_bytes else 0)
    except zlib.error as exc:
        raise BadInput(f"Bestand '{name}': geen geldig gzip-bestand ({exc}).") from exc
    if max_bytes and (len(out) > max_bytes or decompressor.unconsumed_tail):
        raise BadInput(f"Bestand '{name}' is uitgepakt te groot (meer dan {max_bytes:,} bytes).".replace(",", "."))
    if not decompressor.eof:
        raise BadInput(f"Bestand '{name}': het gzip-bestand is afgebroken (onvolledig).")
    return out


# --------------------------------------------------------------------------------------------- text
MOJIBAKE_MARKS = re.compile("[ÃÂâ├┬┼�]")
_WORD = re.compile(r"\S+")


def _repair_word(word: str) -> str:
    for codec in ("cp1252", "cp437", "cp850", "latin-1"):
        try:
            fixed = word.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != word and len(MOJIBAKE_MARKS.findall(fixed)) < len(MOJIBAKE_MARKS.findall(word)):
            return fixed
    return word


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252/latin-1 ("geÃ¯nitieerd") or as cp437/cp850 ("ge├»nitieerd"), word by word.

    A word is only changed when re-encoding it gives valid UTF-8 with fewer mojibake marks, so correct text
    (also text with real accents such as "geïnitieerd" or "café") stays as it is.
    """
    if not text or not MOJIBAKE_MARKS.search(text):
        return text
    return _WORD.sub(lambda m: _repair_word(m.group()) if MOJIBAKE_MARKS.search(m.group()) else m.group(), text)


def clean(value) -> str:
    """Drop NUL characters (PostgreSQL cannot store them in text), collapse whitespace, strip, repair mojibake."""
    if value is None:
        return ""
    return repair_mojibake(re.sub(r"\s+", " ", str(value).replace("\x00", "")).strip())


def sniff_delimiter(first_line: str) -> str:
    try:
        # The sniffer is slow on long input (a file with only CR line endings is one long "line").
        return csv.Sniffer().sniff(first_line[:4096], delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: first_line[:4096].count(d) for d in DELIMITERS}
        return max(counts, key=counts.get) if max(counts.values()) else ","


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[tuple[int, list]]  # (line in the file / row in the sheet, cells)
    format: str = "csv"


def read_csv_table(data: bytes, name: str) -> Table:
    text, _encoding = decode(data, name)
    if not text.strip():
        raise BadInput(f"Bestand '{name}' is leeg.")
    if "\x00" in text[:4096]:
        raise BadInput(f"Bestand '{name}': geen tekstbestand (CSV); gebruik CSV, CSV.GZ of XLSX.")
    delimiter = sniff_delimiter(text.lstrip("\ufeff").splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [clean(h).lstrip("\ufeff") for h in next(reader)]
    except (csv.Error, StopIteration) as exc:
        raise BadInput(f"Bestand '{name}', regel 1: de kopregel is geen geldige CSV.") from exc
    rows = []
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(values) or not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise BadInput(f"Bestand '{name}', regel {start}: {len(values)} velden, de kopregel heeft er "
                               f"{len(header)} (scheidingsteken '{delimiter}').")
            rows.append((start, values + [""] * (len(header) - len(values))))
    except csv.Error as exc:
        raise BadInput(f"Bestand '{name}', regel {line + 1}: geen geldige CSV ({exc}).") from exc
    return Table(name, header, rows, "csv")


def read_xlsx_table(data: bytes, name: str) -> Table:
    """The first sheet of an XLSX. A sheet with formulas is refused: their values would be whatever Excel last
    cached (or nothing), so the user is asked to save the values instead."""
    from openpyxl import load_workbook

    check_zip(data, name).close()  # zip bombs and path traversal are refused before openpyxl unpacks anything
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds (zip, zlib, XML, KeyError...) on bad input
        raise BadInput(f"Bestand '{name}': geen leesbaar Excel-bestand (XLSX).") from exc
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows()
        header_cells = next(rows_iter, None)
        if header_cells is None:
            raise BadInput(f"Bestand '{name}' is leeg.")
        header = [clean(c.value) for c in header_cells]
        rows = []
        for number, cells in enumerate(rows_iter, start=2):
            values = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":  # a formula (read with data_only=False)
                    raise BadInput(
                        f"Bestand '{name}', blad '{sheet.title}', regel {number} (cel {cell.coordinate}): de cel "
                        f"bevat een formule ({str(cell.value)[:40]}). Formules worden niet ingelezen; sla het blad op "
                        f"met alleen waarden (kopiëren en 'Plakken als waarden') en importeer opnieuw.")
                values.append(cell.value)
            if not any(clean(v) for v in values):
                continue
            values = values[: len(header)] + [None] * (len(header) - len(values))
            rows.append((number, values))
    except BadInput:
        raise
    except Exception as exc:  # noqa: BLE001 - the sheet is parsed while iterating (read-only mode)
        raise BadInput(f"Bestand '{name}': het eerste werkblad kan niet gelezen worden ({type(exc).__name__}); "
                       f"sla het bestand opnieuw op als Excel-werkmap (.xlsx).") from exc
    finally:
        book.close()
    return Table(name, header, rows, "xlsx")


def read_table(data: bytes, name: str) -> Table:
    """CSV (any encoding and common delimiter, also gzip-compressed) or XLSX, detected by content."""
    if data[:4] == b"PK\x03\x04":
        return read_xlsx_table(data, name)
    return read_csv_table(data, name)


def split_tags(value) -> list[str]:
    return [part for part in (clean(p) for p in TAG_SPLIT.split(clean(value))) if part]


def split_audience(value) -> list[str]:
    """'particulier | ondernemer', 'burger', 'Ondernemers' → ['ondernemer', 'particulier'] (sorted, unique)."""
    out = set()
    for part in re.split(r"[|,;/]| en ", clean(value).lower()):
        part = part.strip()
        if not part:
            continue
        if part.startswith(("particulier", "burger", "inwoner")):
            out.add("particulier")
        elif part.startswith(("ondernemer", "bedrijf", "organisatie")):
            out.add("ondernemer")
    return sorted(out)


def normalise_online(value) -> str:
    """'ja', 'nee', 'digid' or '' (unknown); also True/False, 'Ja (DigiD)'."""
    text = clean(value).lower()
    if not text:
        return ""
    if "digid" in text:
        return "digid"
    if text in ("ja", "yes", "true", "1", "j", "waar", "x", "online"):
        return "ja"
    if text in ("nee", "no", "false", "0", "n", "onwaar"):
        return "nee"
    return ""


def iso_date(value) -> str | None:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = clean(value)
    if not text:
        return None
    for parse in (lambda t: date.fromisoformat(t[:10]), lambda t: datetime.strptime(t[:10], "%d-%m-%Y").date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    return None
