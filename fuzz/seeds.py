"""Seed inputs: small excerpts of the real files, cut at run time (never stored in the repository).

Seeds are kept small (tens of records) so one parse costs milliseconds and 10,000 cases per importer fit the
time budget; the mutators make them large or hostile where that is the point.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import re

from .config import SHARED


def _read(relative: str) -> bytes:
    path = SHARED / relative
    data = path.read_bytes()
    return gzip.decompress(data) if relative.endswith(".gz") else data


def csv_head(relative: str, lines: int = 30) -> bytes:
    data = _read(relative)
    out, count, start = [], 0, 0
    # cut on record boundaries: a newline outside quotes
    quoted = False
    for i, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x0A and not quoted:
            out.append(data[start:i + 1])
            start = i + 1
            count += 1
            if count >= lines:
                break
    return b"".join(out)


def json_head(relative: str, items: int = 12) -> bytes:
    doc = json.loads(_read(relative))
    if isinstance(doc, list):
        doc = doc[:items]
    elif isinstance(doc, dict) and isinstance(doc.get("results"), list):
        doc = {**doc, "results": doc["results"][:items], "count": min(items, len(doc["results"]))}
    elif isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        doc = {**doc, "@graph": doc["@graph"][:items]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def xml_records(relative: str, record_tag: bytes, keep: int, close: bytes) -> bytes:
    """The file up to the end of the ``keep``-th ``</record_tag>``, closed with ``close``."""
    data = _read(relative)
    end = 0
    for _ in range(keep):
        found = data.find(b"</" + record_tag + b">", end)
        if found < 0:
            return data
        end = found + len(record_tag) + 3
    return data[:end] + close


@functools.lru_cache(maxsize=None)
def xes_small() -> bytes:
    """The <log> element of BPIC15_1 with its extensions and first 3 traces (the long metadata header dropped)."""
    data = _read("eventlogs/BPIC15_1.xes.gz")
    log_end = data.index(b">", data.index(b"<log ")) + 1
    extensions = b"".join(re.findall(rb"\s*<extension [^>]*/>", data[log_end:data.index(b"<global")]))
    start = data.index(b"<trace>")
    end = start
    for _ in range(3):
        end = data.index(b"</trace>", end) + len(b"</trace>")
    return data[:log_end] + extensions + b"\n\t" + data[start:end] + b"\n</log>\n"


@functools.lru_cache(maxsize=None)
def eventlog_csv_small() -> bytes:
    """The first traces of BPIC15_1 as a CSV event log (case_id, activity, timestamp, resource)."""
    text = xes_small().decode()
    rows = ["case_id,activity,timestamp,resource"]
    for trace in re.findall(r"<trace>(.*?)</trace>", text, re.S):
        case = re.search(r'<string key="concept:name" value="([^"]*)"/>', trace.split("<event>")[0]).group(1)
        for event in re.findall(r"<event>(.*?)</event>", trace, re.S):
            act = re.search(r'key="concept:name" value="([^"]*)"', event)
            ts = re.search(r'key="time:timestamp" value="([^"]*)"', event)
            res = re.search(r'key="org:resource" value="([^"]*)"', event)
            if act and ts:
                rows.append(f'{case},"{act.group(1)}",{ts.group(1)},{res.group(1) if res else ""}')
    return ("\n".join(rows[:120]) + "\n").encode()


@functools.lru_cache(maxsize=None)
def eventlog_parquet_small() -> bytes:
    import polars as pl

    df = pl.read_csv(io.BytesIO(eventlog_csv_small()), infer_schema=False)
    buf = io.BytesIO()
    df.write_parquet(buf)
    return buf.getvalue()


def gemma_component_names(limit: int = 40) -> list[str]:
    import csv

    text = _read("gemma/gemma-referentiecomponenten.csv").decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    key = next((k for k in reader.fieldnames if k.lower() in ("name", "naam")), reader.fieldnames[0])
    return [row[key] for row, _ in zip(reader, range(limit)) if row.get(key)]


@functools.lru_cache(maxsize=None)
def portfolio_csv() -> bytes:
    """A portfolio CSV built from real GEMMA referentiecomponent names (no shared portfolio file exists)."""
    names = gemma_component_names()
    lines = ["partner,application,supplier,product,version,referentiecomponent,contract_end,yearly_cost,users,hosting"]
    for i, comp in enumerate(names[:25]):
        lines.append(f'Lindeveen,"App {i} {comp}",Leverancier {i % 5},Pakket {i},{i}.0,"{comp}",'
                     f'{2026 + i % 5}-0{1 + i % 9}-15,"{1000 * i},50",{10 * i},{"SaaS" if i % 2 else "on-premise"}')
    return ("\n".join(lines) + "\n").encode()


@functools.lru_cache(maxsize=None)
def portfolio_xlsx() -> bytes:
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(portfolio_csv().decode())):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def sc_csv_small() -> bytes:
    return csv_head("sc/sc-products-170-gemeenten-2023-10.csv.gz", 40)


def sc_xml_small() -> bytes:
    return xml_records("sc/Tholen.xml", b"record", 3, b"</records></searchRetrieveResponse>")


def upl_match_csv() -> bytes:
    """id,title,abstract,audience from the SC excerpt (the input of 'harmonie products upl match')."""
    import csv

    reader = csv.DictReader(io.StringIO(sc_csv_small().decode("utf-8")))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "abstract", "audience", "upl_uri"])
    for i, row in enumerate(reader, start=1):
        writer.writerow([f"p{i}", row["title"], row["abstract"][:200], row["audience"], row["upl_uri"]])
    return out.getvalue().encode()
