"""Catalogue importers on real SC data (Vlieland.xml, Tholen.xml, the Drechtsteden rows of the shared CSV) and
on bad input: encodings, delimiters, mojibake, hardened XML, size limits, XLSX formulas, missing columns."""

import csv
import gzip
import io

import pytest
from conftest import require_shared
from openpyxl import Workbook

from harmonie.core.errors import BadInput
from harmonie.products.importers import (
    check_size,
    columns_of,
    guess_mapping,
    gunzip,
    parse_mapped,
    parse_sc_csv,
    parse_sc_xml,
    repair_mojibake,
)

PREFIX = "http://standaarden.overheid.nl/owms/terms/"


@pytest.fixture(scope="module")
def drecht_rows():
    with gzip.open(require_shared("sc/sc-products-170-gemeenten-2023-10.csv.gz"), "rt", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if r["authority_label"] in ("Dordrecht", "Papendrecht", "Zwijndrecht")]
        return reader.fieldnames, rows


def to_csv(header, rows, *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def by_name(name):
    return lambda label, uri: label == name


# --------------------------------------------------------------------------------------------- SRU XML
def test_vlieland_xml_records():
    catalogue = parse_sc_xml(require_shared("sc/Vlieland.xml").read_bytes(), "Vlieland.xml")
    assert len(catalogue.rows) == 43 and catalogue.where == "record"
    first = catalogue.rows[0]
    assert first.line == 1 and first.title == "Vergoeding leerlingenvervoer"
    assert first.source_key == "https://www.vlieland.nl/vergoeding-leerlingenvervoer"
    assert first.audience == ["particulier"] and first.online_request == "nee" and first.modified == "2023-04-06"
    assert first.tags == [PREFIX + "leerlingenvervoer"] and first.subject == "Onderwijs en wetenschap"
    assert first.authority == "Vlieland" and first.authority_uri == PREFIX + "Vlieland_(gemeente)"
    assert len({r.source_key for r in catalogue.rows}) == 43
    assert sum(1 for r in catalogue.rows if "ondernemer" in r.audience) == 20  # the service's own facet count
    assert len(catalogue.file_sha256) == 64


def test_tholen_xml_and_authority_filter():
    data = require_shared("sc/Tholen.xml").read_bytes()
    assert len(parse_sc_xml(data, "Tholen.xml", by_name("Tholen")).rows) == 10
    with pytest.raises(BadInput, match="geen producten van Vlieland"):
        parse_sc_xml(data, "Tholen.xml", by_name("Vlieland"), "Vlieland")


def test_xml_with_external_entity_or_entity_expansion_is_refused():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<searchRetrieveResponse>&x;</searchRetrieveResponse>')
    with pytest.raises(BadInput, match="DTD, entiteiten of externe verwijzingen"):
        parse_sc_xml(xxe, "xxe.xml")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<searchRetrieveResponse>&b;</searchRetrieveResponse>')
    with pytest.raises(BadInput, match="geweigerd"):
        parse_sc_xml(bomb, "bom.xml")


def test_malformed_and_foreign_xml():
    data = require_shared("sc/Vlieland.xml").read_bytes()
    with pytest.raises(BadInput, match=r"Vlieland.xml', regel 1: geen geldige XML"):
        parse_sc_xml(data[: len(data) // 2], "Vlieland.xml")
    with pytest.raises(BadInput, match="geen SRU-antwoord"):
        parse_sc_xml(b"<model><x/></model>", "ameff.xml")
    empty_title = data.replace(b"<![CDATA[Vergoeding leerlingenvervoer]]>", b"", 1)
    with pytest.raises(BadInput, match="record 1: de titel is leeg"):
        parse_sc_xml(empty_title, "Vlieland.xml")
    diagnostic = (b'<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><diagnostics><diagnostic>'
                  b'<message>Query syntax error</message></diagnostic></diagnostics></searchRetrieveResponse>')
    with pytest.raises(BadInput, match="Query syntax error"):
        parse_sc_xml(diagnostic, "fout.xml")


# --------------------------------------------------------------------------------------------- SC CSV
def test_sc_csv_filters_one_partner(drecht_rows):
    header, rows = drecht_rows
    data = to_csv(header, rows)
    uri = PREFIX + "Dordrecht_(gemeente)"
    catalogue = parse_sc_csv(data, "drecht.csv", lambda label, u: u == uri, "Dordrecht")
    assert len(catalogue.rows) == 248 and catalogue.skipped_other == 118 + 72
    assert parse_sc_csv(data, "drecht.csv", by_name("Papendrecht")).rows[0].authority == "Papendrecht"
    with pytest.raises(BadInput, match="geen producten van Leiden"):
        parse_sc_csv(data, "drecht.csv", by_name("Leiden"), "Leiden")


@pytest.mark.parametrize("encoding,delimiter,bom", [("utf-8", ";", True), ("cp1252", "\t", False),
                                                     ("utf-8", "|", False)])
def test_sc_csv_encodings_and_delimiters_give_the_same_rows(drecht_rows, encoding, delimiter, bom):
    header, rows = drecht_rows
    mine = [r for r in rows if r["authority_label"] == "Zwijndrecht"]
    reference = parse_sc_csv(to_csv(header, mine), "z.csv").rows
    data = to_csv(header, mine, delimiter=delimiter, encoding=encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    parsed = parse_sc_csv(data, "z.csv").rows
    assert [(r.title, r.abstract, r.tags, r.audience) for r in parsed] == \
        [(r.title, r.abstract, r.tags, r.audience) for r in reference]
    assert any(any(ord(c) > 127 for c in r.abstract) for r in parsed)  # real accents survived


def test_cp1252_special_characters():
    text = ("title;identifier_url;abstract\n’s-Hertogenbosch: parkeren;https://x.example/1;Kosten € 15,10 – "
            "geïnitieerd, één keer\n")
    row = parse_sc_csv(text.encode("cp1252"), "cp.csv").rows[0]
    assert row.title == "’s-Hertogenbosch: parkeren" and row.abstract == "Kosten € 15,10 – geïnitieerd, één keer"
    # a short file that a detector would call big5
    short = "Titel;Omschrijving\nPaspoort;Voor reizen\nÉén ding;Geëmigreerd\n".encode("cp1252")
    assert [r.title for r in parse_mapped(short, "kort.csv", {"title": "Titel"}).rows] == ["Paspoort", "Één ding"]


def test_mojibake_is_repaired_and_correct_text_left_alone():
    assert repair_mojibake("Het project is ge├»nitieerd") == "Het project is geïnitieerd"
    assert repair_mojibake("Het project is geÃ¯nitieerd") == "Het project is geïnitieerd"
    assert repair_mojibake("CafÃ© en reÃ¼nie") == "Café en reünie"
    for fine in ("geïnitieerd", "café", "Ångström", "€ 15,10", "’s-Hertogenbosch", "a ├ b"):
        assert repair_mojibake(fine) == fine
    header = ["title", "identifier_url"]
    data = to_csv(header, [{"title": "Initiatief geÃ¯nitieerd", "identifier_url": "https://x.example/1"}])
    assert parse_sc_csv(data, "m.csv").rows[0].title == "Initiatief geïnitieerd"


def test_sc_csv_bad_input_names_the_line(drecht_rows):
    header, rows = drecht_rows
    mine = [dict(r) for r in rows if r["authority_label"] == "Zwijndrecht"]
    mine[4]["title"] = ""
    with pytest.raises(BadInput, match=r"'z.csv', regel 6: de titel is leeg"):
        parse_sc_csv(to_csv(header, mine), "z.csv")
    with pytest.raises(BadInput, match=r"regel 1: kolom\(men\) title, identifier_url of productID ontbreken"):
        parse_sc_csv(b"naam,url\nPaspoort,x\n", "ander.csv")
    with pytest.raises(BadInput, match="regel 3: 3 velden"):
        parse_sc_csv(b"title,identifier_url\nA,https://a\nB,https://b,extra\n", "kapot.csv")
    with pytest.raises(BadInput, match="leeg"):
        parse_sc_csv(b"  \n", "leeg.csv")


def test_size_limits_and_gzip():
    with pytest.raises(BadInput, match="te groot"):
        check_size(b"x" * 2000, "groot.csv", 1000)
    packed = gzip.compress(b"title,identifier_url\n" + b"A,https://a\n" * 5000)
    assert gunzip(packed, "a.csv.gz", 10**6).startswith(b"title")
    with pytest.raises(BadInput, match="uitgepakt te groot"):
        gunzip(packed, "a.csv.gz", 10_000)  # a small .gz that unpacks beyond the limit (gzip bomb)
    with pytest.raises(BadInput, match="afgebroken"):
        gunzip(packed[: len(packed) // 2], "a.csv.gz", 10**6)
    assert gunzip(b"plain", "a.csv", 10) == b"plain"


# --------------------------------------------------------------------------------------------- mapped
def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Producten"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_mapped_xlsx_with_guessed_and_remembered_columns():
    data = xlsx([["Nr", "Productnaam", "Omschrijving", "Doelgroep", "UPL", "Digitaal aanvragen", "Doorlooptijd",
                  "Leges"],
                 [1, "Paspoort aanvragen", "Voor reizen", "Burgers", "paspoort", "Nee", "5 werkdagen", "€ 84,70"],
                 [2, "Evenement organiseren", "", "Inwoners en ondernemers",
                  f"{PREFIX}evenementenvergunning | {PREFIX}{PREFIX}geluidsontheffing", "Ja", "8 weken", 95]])
    header = columns_of(data, "pdc.xlsx")
    assert header[:2] == ["Nr", "Productnaam"]
    guessed = guess_mapping(header)
    assert guessed == {"title": "Productnaam", "id": "Nr", "abstract": "Omschrijving", "audience": "Doelgroep",
                       "upl": "UPL", "online": "Digitaal aanvragen", "lead_time": "Doorlooptijd", "fees": "Leges"}
    remembered = guess_mapping(header, {"title": "Omschrijving", "fees": "bestaat niet meer"})
    assert remembered["title"] == "Omschrijving" and remembered["fees"] == "Leges"
    catalogue = parse_mapped(data, "pdc.xlsx", guessed)
    first, second = catalogue.rows
    assert (first.line, first.source_key, first.title, first.audience) == (2, "1", "Paspoort aanvragen",
                                                                           ["particulier"])
    assert first.online_request == "nee" and first.fees == "€ 84,70" and first.tags == ["paspoort"]
    assert second.audience == ["ondernemer", "particulier"] and second.online_request == "ja"
    assert second.fees == "95" and len(second.tags) == 2


def test_mapped_xlsx_with_a_formula_is_refused():
    data = xlsx([["Titel", "Kosten"], ["Paspoort", 80], ["Rijbewijs", "=B2+5"]])
    with pytest.raises(BadInput, match=r"regel 3 \(cel B3\): de cel bevat een formule"):
        parse_mapped(data, "formules.xlsx", {"title": "Titel", "fees": "Kosten"})


def test_mapped_csv_bad_input():
    data = "Titel;Omschrijving\nPaspoort;Voor reizen\n;Zonder titel\n".encode("cp1252")
    with pytest.raises(BadInput, match=r"regel 3: de titel \(kolom 'Titel'\) is leeg"):
        parse_mapped(data, "pdc.csv", {"title": "Titel"})
    with pytest.raises(BadInput, match="kolom 'Naam' .* ontbreekt; gevonden: 'Titel', 'Omschrijving'"):
        parse_mapped(data, "pdc.csv", {"title": "Naam"})
    with pytest.raises(BadInput, match="kies welke kolom de titel"):
        parse_mapped(data, "pdc.csv", {"abstract": "Omschrijving"})
    double = "Titel\nPaspoort\nPASPOORT\n".encode()
    with pytest.raises(BadInput, match="regel 3: titel 'PASPOORT' komt al voor op regel 2; kies een kolom als sleutel"):
        parse_mapped(double, "pdc.csv", {"title": "Titel"})
    with pytest.raises(BadInput, match="geen leesbaar (Excel-bestand|ZIP-archief)"):
        parse_mapped(b"PK\x03\x04kapot", "kapot.xlsx", {"title": "Titel"})


def test_damaged_xlsx_is_bad_input_not_a_crash():
    """Found by make fuzz: a corrupt deflate stream inside the sheet raised zlib.error from openpyxl."""
    import io
    import zipfile

    from openpyxl import Workbook

    from harmonie.core.errors import BadInput
    from harmonie.products.importers.base import read_table

    book = Workbook()
    sheet = book.active
    sheet.append(["title", "upl_uri"])
    for number in range(200):
        sheet.append([f"Product {number} met een wat langere titel", "http://standaarden.overheid.nl/owms/terms/x"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0x5A
    with pytest.raises(BadInput) as caught:
        read_table(bytes(data), "kapot.xlsx")
    assert "kapot.xlsx" in str(caught.value)
