"""Portfolio spreadsheets: CSV (any common delimiter and encoding) and XLSX (first sheet)."""

from __future__ import annotations

import csv
import hashlib
import io

from harmonie.core.errors import BadInput
from harmonie.reference.importers.base import check_zip, decode

from .base import Portfolio, build_row, resolve_columns

DELIMITERS = ",;\t"


def parse_csv(data: bytes, name: str, mapping: dict | None = None) -> Portfolio:
    text, _encoding = decode(data, name)
    if not text.strip():
        raise BadInput(f"Bestand '{name}' is leeg.")
    first = text.splitlines()[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=counts.get) if max(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        raise BadInput(f"Bestand '{name}', regel 1: de kopregel is geen geldige CSV.") from exc
    columns = resolve_columns([h.lstrip("\ufeff") for h in header], mapping, name)
    rows = []
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            row = build_row(values, columns, name, start)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        raise BadInput(f"Bestand '{name}', regel {line + 1}: geen geldige CSV ({exc}).") from exc
    return Portfolio(name=name, format="csv", rows=rows, file_sha256=hashlib.sha256(data).hexdigest())


def parse_xlsx(data: bytes, name: str, mapping: dict | None = None) -> Portfolio:
    from openpyxl import load_workbook

    archive = check_zip(data, name)  # zip bombs and path traversal are refused before openpyxl unpacks anything
    try:
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds (zip, XML, KeyError...) on bad input
            raise BadInput(f"Bestand '{name}': geen leesbaar Excel-bestand (XLSX).") from exc
        try:
            sheet = workbook.worksheets[0]
            values = sheet.iter_rows(values_only=True)
            header = next(values, None)
            if header is None:
                raise BadInput(f"Bestand '{name}' is leeg.")
            columns = resolve_columns([str(h) if h is not None else "" for h in header], mapping, name)
            rows = []
            for line, cells in enumerate(values, start=2):
                row = build_row(list(cells), columns, name, line)
                if row is not None:
                    rows.append(row)
        except BadInput:
            raise
        except Exception as exc:  # noqa: BLE001 - the sheet is parsed while iterating (read-only mode)
            raise BadInput(f"Bestand '{name}': het eerste werkblad kan niet gelezen worden ({type(exc).__name__}); "
                           f"sla het bestand opnieuw op als Excel-werkmap (.xlsx).") from exc
        finally:
            workbook.close()
    finally:
        archive.close()
    return Portfolio(name=name, format="xlsx", rows=rows, file_sha256=hashlib.sha256(data).hexdigest())
