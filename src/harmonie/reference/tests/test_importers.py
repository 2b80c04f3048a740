"""The parsers on the real files in ../shared/data and on crafted bad input (no database)."""

import json
from collections import Counter

import pytest

from conftest import require_shared
from harmonie.core.errors import BadInput
from harmonie.reference import importers
from harmonie.reference.importers.base import canonical_hash
from harmonie.reference.importers.gemeenten import GemeenteEntry
from harmonie.reference.importers.gemma import GemmaElementData, GemmaRelationData

from .helpers import gemeenten_excerpt_rows, tooi_csv, tooi_json, upl_csv, write_csv

# --- UPL ----------------------------------------------------------------------


def test_upl_official_csv_2025():
    result = importers.parse("upl", upl_csv())
    assert result.format == "csv"
    assert len(result.items) == 1214  # 1,321 rows, one per (product, legal basis)
    by_uri = {i.uri: i for i in result.items}
    assert sum(1 for i in result.items if i.gemeente) == 512
    aanschrijving = by_uri["http://standaarden.overheid.nl/owms/terms/aanschrijving"]
    assert aanschrijving.label == "aanschrijving"
    assert len(aanschrijving.legal_basis) >= 2
    assert {"Artikel 125 Gemeentewet"} <= {b["label"] for b in aanschrijving.legal_basis}
    vertrek = by_uri["http://standaarden.overheid.nl/owms/terms/AangifteVertrekBuitenland"]
    assert (vertrek.rijk, vertrek.gemeente, vertrek.burger, vertrek.medebewind, vertrek.sdg) == (True, True, True,
                                                                                                 True, "D1")
    assert not any(i.end_date for i in result.items)


def test_upl_official_csv_2021_has_digid_column():
    result = importers.parse("upl", require_shared("upl/UPL-actueel-2021-12.csv"))
    assert len(result.items) == 1017
    assert sum(1 for i in result.items if i.gemeente) == 450
    assert any(i.digid_macht for i in result.items)


def test_upl_owms_value_list_with_withdrawn_names():
    result = importers.parse("upl", require_shared("owms-waardelijsten/UniformeProductnaam.json"))
    assert result.format == "owms-json"
    assert len(result.items) == 1359
    withdrawn = {i.uri: i for i in result.items if i.end_date}
    assert len(withdrawn) == 218
    assert withdrawn["http://standaarden.overheid.nl/owms/terms/aanduiding_naamgebruik"].end_date == "2017-11-28"


def test_upl_doubled_uri_prefix_is_repaired(tmp_path):
    path = tmp_path / "upl.csv"
    path.write_text("UniformeProductnaam,URI,Gemeente\n"
                    "paspoort,http://standaarden.overheid.nl/owms/terms/http://standaarden.overheid.nl/owms/terms/"
                    "paspoort,X\n", encoding="utf-8")
    [item] = importers.parse("upl", path).items
    assert item.uri == "http://standaarden.overheid.nl/owms/terms/paspoort"


def test_upl_wrong_columns_names_file_row_and_field(tmp_path):
    path = tmp_path / "producten.csv"
    path.write_text("Naam,Adres\npaspoort,http://x\n", encoding="utf-8")
    with pytest.raises(BadInput) as err:
        importers.parse("upl", path)
    message = err.value.message
    assert "Bestand 'producten.csv', regel 1" in message
    assert "'UniformeProductnaam'" in message and "'URI'" in message and "ontbreekt" in message
    assert "gevonden: 'Naam', 'Adres'" in message


def test_upl_bad_uri_names_row_and_field(tmp_path):
    path = tmp_path / "upl.csv"
    path.write_text("UniformeProductnaam,URI\npaspoort,http://standaarden.overheid.nl/owms/terms/paspoort\n"
                    "rijbewijs,geen-uri\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"Bestand 'upl.csv', regel 3: veld 'URI' is geen URI \('geen-uri'\)"):
        importers.parse("upl", path)


def test_csv_with_wrong_number_of_fields(tmp_path):
    path = tmp_path / "upl.csv"
    path.write_text("UniformeProductnaam,URI\npaspoort,http://a/b,extra\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"regel 2: 3 velden in plaats van 2"):
        importers.parse("upl", path)


# --- encodings ----------------------------------------------------------------


@pytest.mark.parametrize("encoding,delimiter", [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","),
                                                ("cp1252", ";"), ("utf-8-sig", "\t")])
def test_encodings_and_delimiters_give_identical_content(tmp_path, encoding, delimiter):
    header, rows = gemeenten_excerpt_rows()
    reference = importers.parse("gemeenten", write_csv(tmp_path / "ref.csv", header, rows))
    variant = importers.parse("gemeenten", write_csv(tmp_path / "variant.csv", header, rows, encoding=encoding,
                                                     delimiter=delimiter))
    names = {i.name for i in variant.items}
    assert {"Súdwest-Fryslân", "Skarsterlân", "Wûnseradiel"} <= names
    assert canonical_hash(variant.items) == canonical_hash(reference.items)
    assert variant.file_sha256 != reference.file_sha256 or (encoding, delimiter) == ("utf-8", ",")


def test_undecodable_bytes_fall_back_without_crashing(tmp_path):
    # 0x81 is undefined in cp1252 and invalid UTF-8: detection must still give text or a clear message.
    path = tmp_path / "raar.csv"
    path.write_bytes(b"UniformeProductnaam,URI\nabc\x81\x8d,http://a/b\n")
    try:
        result = importers.parse("upl", path)
    except BadInput as exc:
        assert "raar.csv" in exc.message
    else:
        assert len(result.items) == 1


# --- GEMMA -----------------------------------------------------------------------


def test_gemma_csv_folder():
    result = importers.parse("gemma", require_shared("gemma"))
    elements = [i for i in result.items if isinstance(i, GemmaElementData)]
    relations = [i for i in result.items if isinstance(i, GemmaRelationData)]
    assert (len(elements), len(relations)) == (3006, 6257)
    types = Counter(e.type for e in elements)
    assert types["ApplicationComponent"] == 269
    assert sum(1 for e in elements if e.type == "ApplicationComponent" and e.gemma_type == "Referentiecomponent") == 171
    zrc = next(e for e in elements if e.name == "Zaakregistratiecomponent")
    assert zrc.object_id == "a97b6545-d5a7-485d-9b13-3ce22db5b9cf"
    assert zrc.properties["GEMMA type"] == "Referentiecomponent"
    assert all(not r.type.endswith("Relationship") for r in relations)
    assert "Realization" in {r.type for r in relations}


def test_gemma_published_ameff_sample():
    result = importers.parse("gemma", require_shared("gemma/samples-ameff-GEMMA_test.xml"))
    assert result.format == "ameff"
    assert [(e.type, e.object_id) for e in result.items] == [
        ("Capability", "009fa62f25844aa3a87d252bf2b6bb0c"), ("Capability", "096b6619f4cd4164a0572b04ef082c0f")]
    assert result.items[0].name == "Publiceren en gebruiken van informatie over datadiensten"


AMEFF = """<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-model">
  <name xml:lang="nl">GEMMA</name>
  <elements>
    <element identifier="id-zrc" xsi:type="ApplicationComponent">
      <name xml:lang="nl">Zaakregistratiecomponent</name>
      <documentation xml:lang="nl">Registreert zaken.</documentation>
      <properties>
        <property propertyDefinitionRef="p1"><value xml:lang="nl">Referentiecomponent</value></property>
        <property propertyDefinitionRef="p2"><value xml:lang="nl">a97b6545-d5a7-485d-9b13-3ce22db5b9cf</value></property>
      </properties>
    </element>
    <element identifier="id-svc" xsi:type="ApplicationService"><name xml:lang="nl">Zaakservice</name></element>
  </elements>
  <relationships>
    <relationship identifier="id-rel" source="id-zrc" target="id-svc" xsi:type="Realization"/>
    <relationship identifier="id-acc" source="id-zrc" target="id-svc" xsi:type="Access" accessType="Read"/>
  </relationships>
  <organizations>
    <item><label xml:lang="nl">Application</label><item><label xml:lang="nl">Referentiecomponenten</label>
      <item identifierRef="id-zrc"/></item></item>
  </organizations>
  <propertyDefinitions>
    <propertyDefinition identifier="p1" type="string"><name xml:lang="nl">GEMMA type</name></propertyDefinition>
    <propertyDefinition identifier="p2" type="string"><name xml:lang="nl">Object ID</name></propertyDefinition>
  </propertyDefinitions>
</model>
"""


def test_gemma_ameff_with_relations_properties_and_folders(tmp_path):
    path = tmp_path / "GEMMA release.xml"
    path.write_text(AMEFF, encoding="utf-8")
    result = importers.parse("gemma", path)
    zrc, svc, rel, acc = result.items
    assert zrc.object_id == "a97b6545-d5a7-485d-9b13-3ce22db5b9cf"
    assert zrc.gemma_type == "Referentiecomponent"
    assert zrc.folder == "Application/Referentiecomponenten"
    assert svc.object_id == "svc"
    assert (rel.type, rel.source, rel.target) == ("Realization", "id-zrc", "id-svc")
    assert acc.attributes == {"accessType": "Read"}


XXE = """<?xml version="1.0"?>
<!DOCTYPE model [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&xxe;</name></model>
"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&lol4;</name></model>
"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
@pytest.mark.parametrize("kind", ["gemma", "upl"])
def test_malicious_xml_is_refused(tmp_path, payload, kind):
    path = tmp_path / "kwaad.xml"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(BadInput) as err:
        importers.parse(kind, path)
    assert "Bestand 'kwaad.xml'" in err.value.message
    assert "veiligheidsredenen" in err.value.message
    assert "root:" not in err.value.message


def test_broken_xml_names_line(tmp_path):
    path = tmp_path / "kapot.xml"
    path.write_text('<?xml version="1.0"?>\n<model>\n<elements>\n</model>\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"Bestand 'kapot.xml', regel 4: geen geldige XML"):
        importers.parse("gemma", path)


def test_gemma_folder_without_relations(tmp_path):
    (tmp_path / "gemma-elements.csv").write_text("id,type,name,documentation,properties_json\n", encoding="utf-8")
    with pytest.raises(BadInput, match="verwacht 'gemma-elements.csv' en 'gemma-relations.csv'"):
        importers.parse("gemma", tmp_path)


# --- Selectielijst ---------------------------------------------------------------


def test_selectielijst_api_folder():
    result = importers.parse("selectielijst", require_shared("selectielijst"))
    counts = Counter(i.record_type for i in result.items)
    # 651 records in the API dump, one of them listed twice
    assert counts == {"procestype": 58, "resultaat": 650, "resultaattypeomschrijving": 16}
    assert result.covers == {"procestype", "resultaat", "resultaattypeomschrijving"}
    procestype = next(i for i in result.items if i.record_type == "procestype" and i.jaar == 2020 and i.nummer == "1")
    assert procestype.naam == "Instellen en inrichten organisatie"
    resultaat = next(i for i in result.items if i.record_type == "resultaat" and i.nummer == "1.1")
    assert resultaat.bewaartermijn and resultaat.procestype_url.startswith("https://selectielijst.openzaak.nl/")


def test_selectielijst_single_file_covers_its_type():
    result = importers.parse("selectielijst", require_shared("selectielijst/api-procestypen-2020.json"))
    assert len(result.items) == 29 and result.covers == {"procestype"}


def test_selectielijst_unknown_record(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"foo": 1}]), encoding="utf-8")
    with pytest.raises(BadInput, match=r"Bestand 'x.json', record 1: onbekend soort record.*gevonden velden: foo"):
        importers.parse("selectielijst", path)


def test_selectielijst_django_fixture_refused():
    with pytest.raises(BadInput, match="Django-fixture"):
        importers.parse("selectielijst", require_shared("selectielijst/django-fixture-selectielijst-2020.json"))


# --- Gemeenten -----------------------------------------------------------------------


def test_gemeenten_tooi_jsonld_with_successors():
    result = importers.parse("gemeenten", tooi_json())
    assert result.format == "tooi-jsonld"
    by_code = {i.cbs_code: i for i in result.items}
    assert len(by_code) == 605
    assert sum(1 for i in result.items if i.end_date is None) == 342
    assert by_code["GM0363"].name == "Amsterdam"
    assert by_code["GM0363"].owms_uri == "http://standaarden.overheid.nl/owms/terms/Amsterdam"
    appingedam = by_code["GM0003"]
    assert (appingedam.end_date, appingedam.successor_code, appingedam.successor_name) == (
        "2020-12-31", "GM1979", "Eemsdelta")
    # every abolished municipality in this register has a successor from a merger event
    assert all(i.successor_code for i in result.items if i.end_date)


def test_gemeenten_csv_matches_jsonld():
    from_json = {i.cbs_code: i for i in importers.parse("gemeenten", tooi_json()).items}
    from_csv = importers.parse("gemeenten", tooi_csv()).items
    assert len(from_csv) == 605
    for item in from_csv:
        other = from_json[item.cbs_code]
        assert (item.name, item.tooi_uri, item.owms_uri, item.end_date) == (
            other.name, other.tooi_uri, other.owms_uri, other.end_date)


def test_gemeenten_bad_code_names_row(tmp_path):
    header, rows = gemeenten_excerpt_rows(n_ascii=2)
    rows[1][1] = "abc"
    with pytest.raises(BadInput, match=r"Bestand 'g.csv', regel 3: veld 'cbs_gemeentecode' is geen geldige CBS-code"):
        importers.parse("gemeenten", write_csv(tmp_path / "g.csv", header, rows))


def test_registry_and_unknown_kind(tmp_path):
    assert set(importers.IMPORTERS) == {"upl", "gemma", "selectielijst", "gemeenten"}
    with pytest.raises(BadInput, match="Onbekende soort referentiedata 'bag'"):
        importers.parse("bag", tmp_path)
    with pytest.raises(BadInput, match="bestaat niet"):
        importers.parse("upl", tmp_path / "nergens.csv")


def test_excerpt_is_consistent_with_the_real_lists():
    """The hand-written excerpt uses real names, URIs and codes."""
    from harmonie.reference import excerpt

    owms = {i.uri: i for i in importers.parse("upl", require_shared(
        "owms-waardelijsten/UniformeProductnaam.json")).items}
    for item in excerpt.upl_items():
        assert owms[item.uri].label == item.label
        assert owms[item.uri].end_date == item.end_date
    register = {i.cbs_code: i for i in importers.parse("gemeenten", tooi_json()).items}
    for item in excerpt.gemeenten_items():
        real: GemeenteEntry = register[item.cbs_code]
        assert (real.name, real.tooi_uri, real.owms_uri, real.end_date, real.successor_code) == (
            item.name, item.tooi_uri, item.owms_uri, item.end_date, item.successor_code)
    assert len(excerpt.upl_items()) >= 50 and len(excerpt.gemeenten_items()) >= 40
