"""Regression tests for what ``make fuzz`` found in the reference, applications and people importers.

Each case is the minimal input that once crashed an importer (an exception other than ``BadInput``), was
accepted although it is hostile, or was stored although PostgreSQL refuses it. The fuzzer itself lives in
``fuzz/`` (``make fuzz``); these stay in the normal suite and run in milliseconds.
"""

import io
import json
import random
import zipfile

import pytest

from harmonie.core.errors import BadInput


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- reference: TOOI JSON-LD, JSON in general, Selectielijst ---------------------------------------------


ONT = "https://identifier.overheid.nl/tooi/def/ont/"


@pytest.mark.parametrize("node", [
    {"@type": 5},  # TypeError: argument of type 'int' is not iterable
    {"@type": [None, {"x": 1}]},  # AttributeError: 'NoneType' object has no attribute 'startswith'
    {"@type": [ONT + "Gemeente"], ONT + "gemeentecode": 363},  # a bare value instead of a list
    {"@type": [ONT + "Gemeente"], ONT + "gemeentecode": [{"@value": ["0363"]}]},  # unhashable value
])
def test_tooi_jsonld_with_unexpected_shapes_is_refused_not_a_crash(tmp_path, node):
    from harmonie.reference.importers import gemeenten

    path = _write(tmp_path, "rwc_gemeenten.json", json.dumps([node]).encode())
    with pytest.raises(BadInput) as info:
        gemeenten.parse(path)
    assert "rwc_gemeenten.json" in info.value.message


def test_tooi_jsonld_bare_values_are_read_as_one_value_lists(tmp_path):
    from harmonie.reference.importers import gemeenten

    node = {"@id": "https://identifier.overheid.nl/tooi/id/gemeente/gm0363", "@type": ONT + "Gemeente",
            ONT + "gemeentecode": "0363", ONT + "officieleNaamExclSoort": {"@value": "Amsterdam"}}
    result = gemeenten.parse(_write(tmp_path, "g.json", json.dumps([node]).encode()))
    assert [(e.cbs_code, e.name) for e in result.items] == [("GM0363", "Amsterdam")]


@pytest.mark.parametrize("data, words", [
    (b"[" * 100_000 + b"]" * 100_000, "te diep genest"),  # RecursionError
    (b'[{"url": NaN}]', "NaN"),  # not JSON; PostgreSQL's jsonb refuses it too
    (b'[{"naam": "a\\u0000b"}]', "NUL"),  # PostgreSQL cannot store NUL in text
    (b'[{"jaar": ' + b"9" * 70_000 + b"}]", "te veel cijfers"),  # ValueError: int() limit of 4300 digits
])
def test_json_that_python_accepts_but_no_database_can_store_is_refused(data, words):
    from harmonie.reference.importers.base import read_json

    with pytest.raises(BadInput) as info:
        read_json(data, "lijst.json")
    assert "lijst.json" in info.value.message and words in info.value.message


@pytest.mark.parametrize("encoding", ["utn-8", "utf-32"])
def test_xml_declaring_an_unknown_encoding_is_refused_not_a_crash(encoding):
    """A flipped bit in 'utf-8' raised LookupError out of every XML importer (AMEFF, UPL, GEMMA...)."""
    from harmonie.applications.importers import parse

    data = f'<?xml version="1.0" encoding="{encoding}"?><model/>'.encode()
    with pytest.raises(BadInput) as info:
        parse(data, "landschap.xml")
    assert "tekenset" in info.value.message


@pytest.mark.parametrize("jaar", ["1e400", "99999", "0"])
def test_selectielijst_year_out_of_range_is_refused(tmp_path, jaar):
    from harmonie.reference.importers import selectielijst

    record = ('[{"url": "https://selectielijst.openzaak.nl/api/v1/procestypen/1", "nummer": 1, '
              f'"jaar": {jaar}, "naam": "Instellen"}}]').encode()
    with pytest.raises(BadInput) as info:
        selectielijst.parse(_write(tmp_path, "procestypen.json", record))
    assert "jaar" in info.value.message


@pytest.mark.django_db
def test_a_label_longer_than_its_column_is_refused_and_nothing_is_stored(tmp_path):
    from harmonie.reference.models import ReferenceVersion, UplProduct
    from harmonie.reference.services import load_reference

    csv = ("UniformeProductnaam,URI\n" + "a" * 501 + ",http://standaarden.overheid.nl/owms/terms/x\n").encode()
    before = (ReferenceVersion.objects.count(), UplProduct.objects.count())
    with pytest.raises(BadInput) as info:
        load_reference("upl", _write(tmp_path, "UPL.csv", csv))
    assert "te lang" in info.value.message and "maximaal 500" in info.value.message
    assert (ReferenceVersion.objects.count(), UplProduct.objects.count()) == before


# --- applications: XLSX archives, amounts, lengths ----------------------------------------------------------


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    from fuzz.mutators import zip_bomb

    from harmonie.applications.importers import parse

    bomb = zip_bomb(_xlsx([["application"], ["Zaaksysteem"]]), random.Random(1))
    with pytest.raises(BadInput) as info:
        parse(bomb, "portfolio.xlsx")
    assert "zip-bom" in info.value.message


@pytest.mark.parametrize("entry", ["../../evil.txt", "/etc/evil.txt", "..\\..\\evil.txt"])
def test_xlsx_with_path_traversal_is_refused(entry):
    from harmonie.applications.importers import parse

    buf = io.BytesIO(_xlsx([["application"], ["Zaaksysteem"]]))
    with zipfile.ZipFile(buf, "a") as archive:
        archive.writestr(entry, b"x")
    with pytest.raises(BadInput) as info:
        parse(buf.getvalue(), "portfolio.xlsx")
    assert "buiten het archief" in info.value.message


def test_xlsx_with_a_broken_sheet_is_refused_not_a_crash():
    """openpyxl raised lxml's XMLSyntaxError (and zlib/KeyError variants) straight through."""
    from harmonie.applications.importers import parse

    source = io.BytesIO(_xlsx([["application"], ["Zaaksysteem"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, b"\x00not xml" if info.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(BadInput) as info:
        parse(out.getvalue(), "portfolio.xlsx")
    assert "portfolio.xlsx" in info.value.message


@pytest.mark.parametrize("cost", ["NaN", "Infinity", "1e999999", "99999999999999999"])
def test_costs_that_are_not_storable_amounts_are_refused(cost):
    """Decimal('NaN') < 0 raised InvalidOperation; huge amounts overflowed the 14-digit column on PostgreSQL."""
    from harmonie.applications.importers import parse

    with pytest.raises(BadInput) as info:
        parse(f"application,yearly_cost\nZaaksysteem,{cost}\n".encode(), "p.csv")
    assert "regel 2" in info.value.message and "kosten" in info.value.message


def test_user_count_beyond_the_integer_column_is_refused():
    from harmonie.applications.importers import parse

    with pytest.raises(BadInput) as info:
        parse(b"application,users\nZaaksysteem,99999999999\n", "p.csv")
    assert "te groot" in info.value.message


@pytest.mark.django_db
def test_an_application_name_longer_than_its_column_is_refused_and_nothing_is_stored(workspace):
    from harmonie.applications.models import Application
    from harmonie.applications.services import import_portfolio
    from harmonie.core.factories import PartnerFactory

    partner = PartnerFactory(workspace=workspace)
    data = ("application,supplier\nZaaksysteem,Leverancier\n" + "x" * 301 + ",Leverancier\n").encode()
    with pytest.raises(BadInput) as info:
        import_portfolio(None, workspace, partner, data, "p.csv")
    assert "regel 3" in info.value.message and "maximaal 300" in info.value.message
    assert not Application.objects.filter(partner=partner).exists()


# --- people: respondent answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "①", "9" * 5000])
def test_answers_that_look_like_digits_are_refused_not_a_crash(value):
    """'²'.isdigit() is True but int('²') raised ValueError; 5000 digits exceed int()'s limit."""
    from harmonie.people.analysis.validation import validate_step
    from harmonie.people.instruments import step_fields

    fields = step_fields("bereidheid")
    data = {name: 3 for name in fields} | {fields[0]: value}
    clean, errors = validate_step("bereidheid", data)
    assert [name for name, _message in errors] == [fields[0]]


def test_nul_characters_are_removed_from_the_free_text():
    from harmonie.people.analysis.validation import validate_step
    from harmonie.people.instruments import step_fields

    data = {name: 3 for name in step_fields("urgentie")} | {"opmerking": "goed\x00idee"}
    clean, errors = validate_step("urgentie", data)
    assert not errors and clean["opmerking"] == "goedidee"
