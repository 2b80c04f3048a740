"""Regression tests for what ``make fuzz`` found in the process importers, the product import, the workspace
archive and the fuzz harness itself (the run of 7 December 2026: 18 findings).

Each case is the smallest input (built here, not copied from the shared data) that crashed an importer with
something other than ``BadInput``, was accepted although it is hostile, or was stored although PostgreSQL
refuses it. They run in milliseconds; the fuzzer itself is ``make fuzz``.
"""

import io
import random
import struct
import zipfile

import pytest

from harmonie.core.errors import BadInput


def _zip_with_unsupported_version(data: bytes) -> bytes:
    """The first central-directory entry asks for ZIP version 21.6 (zipfile raised NotImplementedError)."""
    at = data.index(b"PK\x01\x02")
    return data[:at + 6] + struct.pack("<H", 216) + data[at + 8:]


# --- the harness -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portfolio_export_check_uses_the_current_formula_helper(workspace):
    """The check imported FORMULA_START from applications.services (moved to core.spreadsheet): ImportError."""
    from fuzz.registry import _portfolio_exports

    from harmonie.applications.services import import_portfolio
    from harmonie.core.factories import PartnerFactory

    partner = PartnerFactory(workspace=workspace)
    import_portfolio(None, workspace, partner, b'application,supplier\n"=HYPERLINK(""http://x"")",Leverancier\n',
                     "p.csv")
    _portfolio_exports({"workspace": workspace})  # raises AssertionError when a formula is not neutralised


@pytest.mark.django_db
def test_the_portfolio_export_writes_names_with_characters_xml_cannot_hold(workspace):
    """Found once the check above ran: an imported name '\ufffe' (or a control character) made export_xlsx raise
    lxml's ValueError ('All strings must be XML compatible')."""
    from fuzz.registry import _portfolio_exports

    from harmonie.applications.services import import_portfolio
    from harmonie.core.factories import PartnerFactory

    partner = PartnerFactory(workspace=workspace)
    data = "\ufeffapplicatie\r=\t\ttrue\r\r\ufffe\rZaak\x01systeem\r".encode()
    import_portfolio(None, workspace, partner, data, "generated.csv")
    _portfolio_exports({"workspace": workspace})


def test_seeds_are_built_once_per_entry():
    """The strategy and the runner both loaded the seeds; the workspace-archive seeds create a workspace, and the
    second build failed on its unique slug (IntegrityError: harness error, no case ran)."""
    from fuzz.registry import Importer

    calls = []
    entry = Importer("x", parse=lambda *a: None, seeds=lambda: calls.append(1) or [("a.zip", b"PK")], mutators=[])
    assert entry.load_seeds() == entry.load_seeds() == [("a.zip", b"PK")]
    assert len(calls) == 1


@pytest.mark.django_db
def test_workspace_archive_needing_an_unsupported_zip_version_is_refused(tmp_path):
    from harmonie.core.exchange import _Archive

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("manifest.json", "{}")
    path = tmp_path / "samenwerking.zip"
    path.write_bytes(_zip_with_unsupported_version(buf.getvalue()))
    with pytest.raises(BadInput) as info:
        _Archive(path)
    assert "samenwerking.zip" in info.value.message and "ZIP" in info.value.message


# --- zaaktypen: BPMN, i-Navigator, ZGW Catalogi API, Open Zaak ZIP -------------------------------------------


BPMN = (b'<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        b'<process id="p"><startEvent id="s"/></process></definitions>')


def test_bpmn_over_the_upload_limit_is_refused_by_the_parser():
    from harmonie.processes.importers.bpmn import parse_bpmn

    parse_bpmn(BPMN, "klacht.bpmn", max_bytes=len(BPMN))
    with pytest.raises(BadInput) as info:
        parse_bpmn(BPMN + b" " * 10, "klacht.bpmn", max_bytes=len(BPMN))
    assert "klacht.bpmn" in info.value.message and "te groot" in info.value.message


def test_inavigator_over_the_upload_limit_is_refused_by_the_parser():
    from harmonie.processes.importers import inavigator

    with pytest.raises(BadInput) as info:
        inavigator.parse(b"<dsp>" + b" " * 100 + b"</dsp>", "i-navigator.xml", max_bytes=50)
    assert "te groot" in info.value.message


@pytest.mark.parametrize("amount, words", [("9" * 35_000, "te groot"), ("1234567", "te groot"),
                                           ("²", "geen geheel getal")])
def test_inavigator_termijn_that_int_cannot_read_is_refused(amount, words):
    """int() refuses strings of more than 4300 digits (ValueError), and '²'.isdigit() is True."""
    from harmonie.processes.importers.inavigator import duration

    with pytest.raises(BadInput) as info:
        duration(amount, "Dag", "Bestand 'i.xml', proces 1, veld 'afdoeningstermijn'")
    assert "afdoeningstermijn" in info.value.message and words in info.value.message
    assert duration("0008", "Week", "x") == "P8W"


def test_zgw_answer_with_an_integer_of_thousands_of_digits_is_refused(monkeypatch):
    import urllib.request

    from harmonie.processes.importers.zgw import ZgwClient

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    body = b'{"count": 1, "next": null, "results": [{"volgnummer": ' + b"9" * 5000 + b"}]}"
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout=None: Response(body))
    with pytest.raises(BadInput) as info:
        ZgwClient("http://openzaak.test/catalogi/api/v1/", "c", "s" * 32).fetch_catalogue()
    assert "te veel cijfers" in info.value.message


def _openzaak_zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buf.getvalue()


def test_openzaak_zip_needing_an_unsupported_zip_version_is_refused():
    from harmonie.processes.importers.openzaak import parse_zip

    data = _zip_with_unsupported_version(_openzaak_zip({"ZaakType.json": "[]"}))
    with pytest.raises(BadInput) as info:
        parse_zip(data, "catalogus-export.zip")
    assert "catalogus-export.zip" in info.value.message and "ZIP" in info.value.message


def test_openzaak_json_with_an_integer_of_thousands_of_digits_is_refused():
    from harmonie.processes.importers.openzaak import parse_zip

    data = _openzaak_zip({"ZaakType.json": '[{"url": "u", "omschrijving": "o", "x": ' + "9" * 5000 + "}]"})
    with pytest.raises(BadInput) as info:
        parse_zip(data, "catalogus-export.zip")
    assert "ZaakType.json" in info.value.message and "te veel cijfers" in info.value.message


def test_openzaak_zip_over_the_upload_limit_is_refused_by_the_parser():
    from harmonie.processes.importers.openzaak import parse_zip

    with pytest.raises(BadInput) as info:
        parse_zip(_openzaak_zip({"ZaakType.json": "[]"}), "catalogus-export.zip", max_bytes=10)
    assert "te groot" in info.value.message


# --- event-log import: XLSX, CSV, Parquet ----------------------------------------------------------------------


def _eventlog_rows(n=40):
    rows = [["case_id", "activity", "timestamp", "resource"]]
    for i in range(n):
        rows.append([f"100{i // 10}", f"A_{i % 7}", f"2014-04-{1 + i % 28:02d}T00:00:00+02:00", f"92641{i:02d}"])
    return rows


def _eventlog_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in _eventlog_rows():
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _read(tmp_path, name, data, max_bytes=1024 * 1024):
    from harmonie.processes.importers.logs import Pseudonymiser, read_upload

    path = tmp_path / name
    path.write_bytes(data)
    return read_upload(path, name, pseudonymiser=Pseudonymiser(b"test"), max_bytes=max_bytes)


def test_eventlog_xlsx_still_reads(tmp_path):
    assert _read(tmp_path, "log.xlsx", _eventlog_xlsx()).frame.height == 40


def test_eventlog_xlsx_zip_bomb_is_refused_before_unpacking(tmp_path):
    from fuzz.mutators import zip_bomb

    for seed in range(3):  # the bomb replaces a different member each time
        with pytest.raises(BadInput) as info:
            _read(tmp_path, "log.xlsx", zip_bomb(_eventlog_xlsx(), random.Random(seed)))
        assert "zip-bom" in info.value.message


def _replace_member(data: bytes, member: str, transform) -> bytes:
    """Rewrite one member's *compressed* bytes in place (keeps the declared CRC and sizes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    header = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[header + 26:header + 30])
    start = header + 30 + name_len + extra_len
    body = transform(bytearray(data[start:start + info.compress_size]))
    return data[:start] + bytes(body) + data[start + info.compress_size:]


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "[Content_Types].xml", "xl/workbook.xml",
                                    "xl/theme/theme1.xml"])
@pytest.mark.parametrize("where", [0.3, 0.5, 0.8])
def test_eventlog_xlsx_with_a_damaged_deflate_stream_is_refused(tmp_path, member, where):
    """zlib.error ('invalid distance too far back') and BadZipFile ('Bad CRC-32') escaped from openpyxl."""
    def damage(body):
        at = int(len(body) * where)
        body[at:at + 8] = b"\xff\x00\xff\x00\xff\x00\xff\x00"
        return body

    with pytest.raises(BadInput) as info:
        _read(tmp_path, "log.xlsx", _replace_member(_eventlog_xlsx(), member, damage))
    assert "log.xlsx" in info.value.message


@pytest.mark.parametrize("member, content", [
    ("xl/workbook.xml", b""),  # lxml: Document is empty
    ("xl/worksheets/sheet1.xml", b"\x00not xml"),  # expat: not well-formed
    ("xl/worksheets/sheet1.xml", b'<worksheet><sheetData><row r="1"><c r="A1"></row></sheetData></worksheet>'),
])
def test_eventlog_xlsx_with_broken_xml_is_refused(tmp_path, member, content):
    source = io.BytesIO(_eventlog_xlsx())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, content if info.filename == member else old.read(info.filename))
    with pytest.raises(BadInput) as info:
        _read(tmp_path, "log.xlsx", out.getvalue())
    assert "log.xlsx" in info.value.message


def test_eventlog_csv_with_an_unbalanced_quote_in_a_person_column_is_refused(tmp_path):
    """polars' ComputeError ('CSV malformed') came from reading the person columns, after the main read."""
    lines = ["case_id,activity,timestamp,resource"]
    for i in range(30):
        resource = f'\\"26706{i:02d}' if i == 17 else f"92641{i:02d}"
        lines.append(f'10009138,"01_HOOFD_{i:03d}",2014-04-14T00:00:00+02:00,{resource}')
    data = "\n".join(lines).encode()[:-5]  # cut off, as the fuzzer's truncate did
    with pytest.raises(BadInput) as info:
        _read(tmp_path, "log.csv", data)
    assert "log.csv" in info.value.message


def test_eventlog_parquet_that_makes_polars_panic_is_refused(tmp_path):
    """A damaged Parquet footer makes polars panic (PanicException, a BaseException) in collect_schema."""
    import polars as pl

    frame = pl.DataFrame({"case_id": ["1", "1", "2"], "activity": ["a", "b", "a"],
                          "timestamp": ["2014-04-14T00:00:00+02:00"] * 3, "resource": ["r1", "r2", "r1"]})
    buf = io.BytesIO()
    frame.write_parquet(buf)
    data = buf.getvalue()
    probe = tmp_path / "probe.parquet"
    for pos in range(len(data) - 9, max(0, len(data) - 700), -1):  # the footer (Thrift metadata)
        damaged = data[:pos] + b"\x01" + data[pos + 1:]
        probe.write_bytes(damaged)
        try:
            pl.scan_parquet(probe).collect_schema()
        except pl.exceptions.PanicException:
            break
        except Exception:  # noqa: BLE001 - other damage is reported cleanly already
            continue
    else:
        pytest.skip("this polars version does not panic on any one-byte change of the footer")
    with pytest.raises(BadInput) as info:
        _read(tmp_path, "log.parquet", damaged)
    assert "log.parquet" in info.value.message


# --- products: mapped catalogue --------------------------------------------------------------------------------


def test_nul_characters_are_removed_from_catalogue_text():
    """A NUL after the first 4 KB passed the CSV check and was stored in ProductRecord.abstract (PostgreSQL
    refuses NUL in text)."""
    from harmonie.products import importers

    lines = ["id,title,abstract,audience"] + [f"{i},Product {i},Samenvatting {i},burger" for i in range(200)]
    lines.append("p-nul,Parkeer\x00vergunning,Aan\x00vragen,onder\x00nemer")
    data = "\n".join(lines).encode()
    catalogue = importers.parse_mapped(data, "eigen-catalogus.csv",
                                       importers.guess_mapping(importers.columns_of(data, "eigen-catalogus.csv")))
    row = catalogue.rows[-1]
    assert (row.title, row.abstract, row.audience) == ("Parkeervergunning", "Aanvragen", ["ondernemer"])
    values = [v for r in catalogue.rows for field in vars(r).values()
              for v in (field if isinstance(field, list) else [field])]
    assert not any("\x00" in str(v) for v in values)


@pytest.mark.django_db
@pytest.mark.parametrize("nested_in", ["manifest", "member"])
def test_workspace_archive_with_json_nested_too_deep_is_refused(tmp_path, nested_in):
    """A line of JSON nested 100,000 levels deep (with a matching SHA-256 in the manifest) raised RecursionError;
    found by make fuzz."""
    import hashlib
    import json

    from harmonie.core.exchange import FORMAT, MANIFEST, VERSION, _Archive

    deep = "[" * 100_000 + "]" * 100_000
    member = (deep if nested_in == "member" else '{"pk": 1}').encode()
    manifest = {"format": FORMAT, "version": VERSION,
                "members": {"core.workspace.jsonl": {"size": len(member), "sha256": hashlib.sha256(member).hexdigest()}}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(MANIFEST, deep if nested_in == "manifest" else json.dumps(manifest))
        archive.writestr("core.workspace.jsonl", member)
    path = tmp_path / "samenwerking.zip"
    path.write_bytes(buf.getvalue())
    with pytest.raises(BadInput) as info:
        _Archive(path).rows("core.workspace.jsonl")
    assert "samenwerking.zip" in info.value.message and "geen geldige JSON" in info.value.message
