"""Event-log files of one partner → one normalised, pseudonymised polars frame (no database here).

Formats: XES and ``.xes.gz`` (the streaming reader of ``analysis.xes``), CSV (any common separator; UTF-8 or
a legacy encoding), XLSX (first sheet, openpyxl read-only) and Parquet. CSV, XLSX and Parquet use a column
mapping ``{"case_id": header, "activity": header, "timestamp": header[, "resource": header]}``; without one,
common header names are recognised.

Privacy: person-related fields (``org:resource``, ``resource``, ``medewerker``, ... — the list is the setting
``HARMONIE_EVENTLOG_PERSON_FIELDS``) are replaced at import by a keyed hash (HMAC-SHA-256 with a key per
workspace), so the stored log never holds a name or employee number. Every other column is left out (data
minimisation). Nothing in Harmonie analyses a log per employee.

Checks (Dutch ``BadInput`` naming the file and the line/row/event): missing or unreadable case id, activity or
timestamp; a file larger than the size limit (also after unpacking gzip). Mixed time zones are converted to
UTC; events that are not in time order in the file are ordered per case by the analysis (and counted); exact
duplicate events (same case, activity and timestamp) are kept — real logs such as BPIC 2015 have them and
pm4py counts them too — and counted, so the page can point them out.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from harmonie.core.errors import BadInput

from ..analysis.names import log_format
from ..analysis.readers import READ_ERRORS, _csv_separator, frame_from_xes_columns, read_table

PERSON_FIELDS = ("org:resource", "resource", "monitoringResource", "user", "username", "user_id", "gebruiker",
                 "medewerker", "behandelaar", "employee", "uitvoerder", "actor", "org:resource:name")
FIELDS = ("case_id", "activity", "timestamp", "resource")
REQUIRED = ("case_id", "activity", "timestamp")
# header names recognised without a mapping (compared case-insensitively)
ALIASES = {
    "case_id": ("case_id", "case:concept:name", "case", "caseid", "case id", "zaak", "zaaknummer", "zaak_id",
                "zaakidentificatie"),
    "activity": ("activity", "concept:name", "activiteit", "activity name", "taak", "stap", "event"),
    "timestamp": ("timestamp", "time:timestamp", "tijdstip", "datum", "datumtijd", "datum_tijd", "time",
                  "end time", "complete timestamp"),
    "resource": ("resource", "org:resource", "medewerker", "behandelaar", "gebruiker", "user"),
}


@dataclass
class ParsedLog:
    frame: pl.DataFrame  # case_id, activity (str), timestamp (UTC), then pseudonymised person columns
    format: str
    person_columns: list = field(default_factory=list)
    duplicate_events: int = 0  # events identical to an earlier one (case, activity, timestamp); kept
    cases_out_of_order: int = 0
    labels: dict = field(default_factory=dict)  # activity code → display label (XES ``activityNameNL``), if any


# XES event attributes that carry a readable name for the activity code in ``concept:name`` (BPIC 2015:
# ``01_HOOFD_010`` with ``activityNameNL`` "registratie datum publicatie"); the first one present wins.
LABEL_KEYS = ("activityNameNL", "activityNameEN")


def upload_format(file_name: str) -> str:
    lower = file_name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return log_format(file_name)


class Pseudonymiser:
    """Keyed hash of person-related values: the same value gives the same pseudonym within one workspace,
    different workspaces give unrelated pseudonyms, and without the key a pseudonym cannot be traced back."""

    def __init__(self, key: bytes):
        self.key = key

    def value(self, raw: str) -> str:
        return "p-" + hmac.new(self.key, raw.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def series(self, s: pl.Series) -> pl.Series:
        s = s.cast(pl.String)
        uniques = s.drop_nulls().unique().to_list()
        return s.replace_strict(uniques, [self.value(u) for u in uniques], default=None, return_dtype=pl.String)


def _is_person(header: str, person_fields) -> bool:
    folded = header.strip().casefold()
    return any(folded == f.casefold() for f in person_fields)


def resolve_mapping(headers: list, mapping: dict | None, file_name: str) -> dict:
    """field → header. A given mapping must name existing headers; missing fields are looked up by alias."""
    by_fold = {h.strip().casefold(): h for h in headers}
    result = {}
    for fld in FIELDS:
        chosen = (mapping or {}).get(fld)
        if chosen:
            if chosen not in headers:
                raise BadInput(f"{file_name}: de gekozen kolom '{chosen}' voor {fld} bestaat niet in het bestand "
                               f"(kolommen: {', '.join(headers)}).")
            result[fld] = chosen
            continue
        for alias in ALIASES[fld]:
            if alias in by_fold:
                result[fld] = by_fold[alias]
                break
    missing = [f for f in REQUIRED if f not in result]
    if missing:
        raise BadInput(f"{file_name}: geef aan welke kolom {', '.join(missing)} bevat "
                       f"(kolommen in het bestand: {', '.join(headers)}).")
    chosen = [result[f] for f in REQUIRED]
    if len(set(chosen)) < len(chosen):
        raise BadInput(f"{file_name}: zaak, activiteit en tijdstip moeten drie verschillende kolommen zijn.")
    return result


# --- headers (for the mapping step) -------------------------------------------------------------------------


def table_headers(path: Path, file_name: str) -> list:
    """Column headers of a CSV, XLSX or Parquet file (for the column-mapping step)."""
    kind = upload_format(file_name)
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = _open_xlsx(path, file_name)
        try:
            header = next(workbook.worksheets[0].iter_rows(values_only=True, max_row=1), None)
        except Exception as exc:  # noqa: BLE001 - the sheet is parsed while iterating (zlib, XML, CRC errors...)
            raise _unreadable_sheet(file_name, exc) from exc
        finally:
            workbook.close()
        return [str(h).strip() for h in (header or ()) if h is not None and str(h).strip()]
    if kind == "csv":
        path = _utf8(path, file_name)
        try:
            return pl.scan_csv(path, infer_schema=False, separator=_csv_separator(path)).collect_schema().names()
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise BadInput(f"{file_name}: de kopregel kan niet gelezen worden ({_short(exc)}).") from exc
    if kind == "parquet":
        try:
            return pl.scan_parquet(path).collect_schema().names()
        except READ_ERRORS as exc:  # incl. a Rust panic on a damaged file
            raise BadInput(f"{file_name}: geen leesbaar Parquet-bestand ({_short(exc)}).") from exc
    return []


# --- reading ----------------------------------------------------------------------------------------------------


def read_upload(path, file_name: str, *, pseudonymiser: Pseudonymiser, mapping: dict | None = None,
                person_fields=PERSON_FIELDS, max_bytes: int | None = None) -> ParsedLog:
    path = Path(path)
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise BadInput(f"{file_name}: het bestand is {size // (1024 * 1024)} MB; de grens is "
                       f"{max_bytes // (1024 * 1024)} MB (instelling HARMONIE_EVENTLOG_MAX_BYTES).")
    kind = upload_format(file_name)
    if kind == "xes":
        frame, persons, labels = _read_xes(path, file_name, person_fields, pseudonymiser, max_bytes)
    else:
        frame, persons = _read_tabular(path, file_name, kind, mapping, person_fields, pseudonymiser,
                                       None if max_bytes is None else max_bytes * 20)
        labels = {}
    if frame.height == 0:
        raise BadInput(f"{file_name}: het logboek bevat geen gebeurtenissen.")
    out_of_order = int(frame.group_by("case_id").agg((pl.col("timestamp").diff() < 0).any().alias("back"))
                       ["back"].sum())
    distinct = frame.select(pl.struct("case_id", "activity", "timestamp").n_unique()).item()
    return ParsedLog(frame=frame.drop("order"), format=kind, person_columns=persons,
                     duplicate_events=frame.height - distinct, cases_out_of_order=out_of_order, labels=labels)


def _read_xes(path, file_name, person_fields, pseudonymiser, max_bytes):
    from ..analysis.xes import read_xes_columns

    # XES keys are exact; accept the configured names as written and in lower case
    keys = tuple(dict.fromkeys([*person_fields, *(f.lower() for f in person_fields)]))
    unpacked_limit = None if max_bytes is None else max_bytes * 20
    cols = read_xes_columns(path, file_name, extra_keys=keys + LABEL_KEYS, max_bytes=unpacked_limit)
    labels = activity_labels(cols.activities, [cols.extra.pop(k) for k in LABEL_KEYS])
    frame = frame_from_xes_columns(cols, file_name)
    persons = []
    extra = {}
    for key, values in cols.extra.items():
        if key in extra or not any(v is not None for v in values):
            continue
        extra[key] = pseudonymiser.series(pl.Series(key, values, dtype=pl.String))
        persons.append(key)
    if extra:
        frame = frame.with_columns(**extra)
    return (frame.with_columns(pl.col("case_id").cast(pl.String), pl.col("activity").cast(pl.String)), persons,
            labels)


def activity_labels(activities: list, label_columns: list) -> dict:
    """activity code → the most frequent non-empty label among ``label_columns`` (in order of preference), only
    where it differs from the code."""
    out = {}
    for column in label_columns:
        counts = {}
        for code, label in zip(activities, column, strict=False):
            if code is not None and label and label.strip() and code not in out:
                key = (code, label.strip())
                counts[key] = counts.get(key, 0) + 1
        best = {}
        for (code, label), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            best.setdefault(code, label)
        for code, label in best.items():
            if label != code:
                out.setdefault(code, label[:200])
    return out


def _read_tabular(path, file_name, kind, mapping, person_fields, pseudonymiser, unpacked_limit=None):
    if kind == "xlsx":
        lf, unit, first_row = _xlsx_frame(path, file_name, unpacked_limit), "rij", 2
    elif kind == "csv":
        path = _utf8(path, file_name)
        options = {"infer_schema": False, "separator": _csv_separator(path), "row_index_name": "order"}
        try:
            lf = (pl.read_csv(path, **options).lazy() if path.name.lower().endswith(".gz")
                  else pl.scan_csv(path, **options))
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise BadInput(f"{file_name}: het bestand kan niet gelezen worden ({_short(exc)}).") from exc
        unit, first_row = "regel", 2
    else:
        try:
            lf = pl.scan_parquet(path).with_row_index("order")
        except READ_ERRORS as exc:
            raise BadInput(f"{file_name}: geen leesbaar Parquet-bestand ({_short(exc)}).") from exc
        unit, first_row = "rij", 1
    try:
        headers = [c for c in lf.collect_schema().names() if c != "order"]
    except READ_ERRORS as exc:  # incl. a Rust panic (PanicException) on a damaged Parquet file
        raise BadInput(f"{file_name}: het bestand kan niet gelezen worden ({_short(exc)}).") from exc
    columns = resolve_mapping(headers, mapping, file_name)
    persons = [h for h in headers if _is_person(h, person_fields) and h not in
               (columns["case_id"], columns["activity"], columns["timestamp"])]
    if "resource" in columns and columns["resource"] not in persons:
        persons.append(columns["resource"])
    renamed = lf.select(
        pl.col(columns["case_id"]).alias("case_id"),
        pl.col(columns["activity"]).alias("activity"),
        pl.col(columns["timestamp"]).alias("timestamp"),
        pl.col("order"),
    )
    frame = read_table(Path(file_name), renamed, unit, first_row)
    frame = frame.with_columns(pl.col("case_id").cast(pl.String), pl.col("activity").cast(pl.String))
    stored = []
    if persons:
        try:  # the lazy frame is read (again) here: a damaged CSV or Parquet can still fail
            raw = lf.select(persons).collect()
        except READ_ERRORS as exc:
            raise BadInput(f"{file_name}: het bestand kan niet gelezen worden ({_short(exc)}).") from exc
        names = {}
        for header in persons:
            name = "resource" if header == columns.get("resource") else header
            if name in names.values() or name in ("case_id", "activity", "timestamp", "order"):
                continue
            names[header] = name
        frame = frame.with_columns(**{name: pseudonymiser.series(raw[header]) for header, name in names.items()})
        stored = list(names.values())
    return frame, stored


def _open_xlsx(path, file_name, unpacked_limit=None):
    import io

    from openpyxl import load_workbook

    from harmonie.reference.importers.base import check_zip

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise BadInput(f"{file_name}: het bestand kan niet gelezen worden ({exc}).") from exc
    # zip bombs and path traversal are refused before openpyxl unpacks anything (the shared guard)
    check_zip(data, file_name, unpacked_limit).close()
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds (zip, zlib, XML, KeyError...) on bad input
        raise BadInput(f"{file_name}: geen leesbaar Excel-bestand (XLSX).") from exc


def _unreadable_sheet(file_name, exc) -> BadInput:
    import zipfile
    import zlib

    reason = "beschadigd" if isinstance(exc, (zlib.error, zipfile.BadZipFile, EOFError)) else type(exc).__name__
    return BadInput(f"{file_name}: het eerste werkblad kan niet gelezen worden ({reason}); sla het bestand "
                    f"opnieuw op als Excel-werkmap (.xlsx).")


def _cell_text(value):
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _xlsx_frame(path, file_name, unpacked_limit=None) -> pl.LazyFrame:
    workbook = _open_xlsx(path, file_name, unpacked_limit)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise BadInput(f"{file_name}: het werkblad is leeg.")
        headers = [str(h).strip() if h is not None else "" for h in header]
        keep = [i for i, h in enumerate(headers) if h]
        data = {headers[i]: [] for i in keep}
        for cells in rows:
            if not any(c is not None and str(c).strip() for c in cells):
                continue  # blank row
            for i in keep:
                data[headers[i]].append(_cell_text(cells[i]) if i < len(cells) else None)
    except BadInput:
        raise
    except Exception as exc:  # noqa: BLE001 - read-only mode parses the sheet while iterating (zlib, XML, CRC...)
        raise _unreadable_sheet(file_name, exc) from exc
    finally:
        workbook.close()
    return pl.DataFrame(data, schema={h: pl.String for h in data}).with_row_index("order").lazy()


def _utf8(path: Path, file_name: str) -> Path:
    """The path itself when the file is UTF-8; otherwise a UTF-8 copy next to it (legacy Excel CSV exports)."""
    if path.name.lower().endswith(".gz"):
        return path
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
        return path
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a multi-byte character cut at the sample's end
            return path
    from charset_normalizer import from_bytes

    guess = from_bytes(head).best()
    encoding = guess.encoding if guess is not None else "cp1252"
    target = path.with_name(path.name + ".utf8.csv")
    try:
        with open(path, encoding=encoding, newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except (UnicodeDecodeError, LookupError) as exc:
        raise BadInput(f"{file_name}: de tekenset van het bestand is niet te bepalen; sla het op als UTF-8.") from exc
    return target


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
