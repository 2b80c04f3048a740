"""i-Navigator DSP XML import: the real export (one zaaktype) and bad XML."""

import pytest

from conftest import require_shared
from harmonie.core.errors import BadInput
from harmonie.processes import services
from harmonie.processes.importers import inavigator
from harmonie.processes.models import DefinitionSource, ZaakType

XML = DefinitionSource.INAVIGATOR


def real_xml() -> bytes:
    return require_shared("inavigator/example-stripped-single.xml").read_bytes()


@pytest.fixture
def selectielijst(db):
    from harmonie.reference.services import load_reference

    load_reference("selectielijst", require_shared("selectielijst"))


def test_real_export_becomes_one_zaaktype():
    catalogue = inavigator.parse(real_xml(), "inavigator.xml")
    [item] = catalogue.zaaktypen
    zt = item["zaaktype"]
    assert (zt["identificatie"], zt["omschrijving"]) == ("B1796", "Budgetbeheer aanvraag")
    assert (zt["doorlooptijd"], zt["servicenorm"], zt["vertrouwelijkheidaanduiding"]) == ("P365D", "P365D",
                                                                                          "zaakvertrouwelijk")
    assert (zt["handelingInitiator"], zt["onderwerp"], zt["handelingBehandelaar"]) == ("Aanvraag", "budgetbeheer",
                                                                                       "beoordelen")
    assert zt["versiedatum"] == "2020-07-06" and zt["opschortingEnAanhoudingMogelijk"] is False
    assert [(s["volgnummer"], s["omschrijving"]) for s in item["statustypen"]] == [(1, "Geregistreerd")]
    [result] = item["resultaattypen"]
    assert (result["omschrijving"], result["archiefnominatie"], result["archiefactietermijn"]) == (
        "Geweigerd", "vernietigen", "P5Y")
    assert (result["selectielijstVerwijzing"]["nummer"], result["selectielijstVerwijzing"]["jaar"]) == ("8.2", 2020)
    assert [r["omschrijvingGeneriek"] for r in item["roltypen"]] == ["initiator"]
    assert [i["omschrijving"] for i in item["informatieobjecttypen"]] == ["Onderzoeksstuk"]


def test_import_resolves_selectielijst_links_and_is_idempotent(role_users, workspace, selectielijst):
    user, partner = role_users["coordinator"], role_users["own"]
    first = services.import_definitions(user, workspace, partner, real_xml(), "inavigator.xml", XML)
    again = services.import_definitions(user, workspace, partner, real_xml(), "inavigator.xml", XML)
    assert (first.added, again.added, again.changed, again.unchanged) == (1, 0, 0, 1)
    zt = ZaakType.objects.get()
    # Resultaat 8.2 (2020) is "Geweigerd" of procestype 8 "Voorzieningen verstrekken".
    index = services.selectielijst_index()
    [rt] = zt.resultaattypen.all()
    assert index.resultaten[rt.selectielijstklasse]["volledigNummer"] == "8.2"
    assert index.procestypen[zt.selectielijst_procestype]["nummer"] == 8
    assert index.omschrijvingen[rt.resultaattypeomschrijving]["omschrijving"] == "Geweigerd"
    assert zt.details["warnings"] == []


def test_without_selectielijst_the_reference_is_kept_unresolved(role_users, workspace):
    services.import_definitions(role_users["coordinator"], workspace, role_users["own"], real_xml(), "i.xml", XML)
    [rt] = ZaakType.objects.get().resultaattypen.all()
    assert rt.selectielijstklasse == "" and rt.details["selectielijstVerwijzing"]["nummer"] == "8.2"


def test_entities_and_dtds_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE dsp [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<dsp><processen>&b;</processen></dsp>")
    with pytest.raises(BadInput, match="DTD, entiteiten"):
        inavigator.parse(bomb, "bom.xml")
    external = b'<?xml version="1.0"?><!DOCTYPE dsp [<!ENTITY x SYSTEM "file:///etc/passwd">]><dsp>&x;</dsp>'
    with pytest.raises(BadInput, match="DTD, entiteiten"):
        inavigator.parse(external, "extern.xml")


def test_bad_files_get_dutch_messages():
    with pytest.raises(BadInput, match="regel 1: geen geldige XML"):
        inavigator.parse(b"<dsp><processen>", "kapot.xml")
    with pytest.raises(BadInput, match="verwacht 'dsp'"):
        inavigator.parse(b"<bpmn/>", "ander.xml")
    with pytest.raises(BadInput, match="bevat geen processen"):
        inavigator.parse(b"<dsp><processen/></dsp>", "leeg.xml")
    no_name = b'<dsp><processen><proces id="B1"><velden><naam>x</naam></velden></proces></processen></dsp>'
    with pytest.raises(BadInput, match="proces B1: veld 'kernomschrijving'"):
        inavigator.parse(no_name, "naamloos.xml")
    bad_unit = real_xml().replace(b'<afdoeningstermijn-eenheid ref="SCNE000056">Dag<',
                                  b'<afdoeningstermijn-eenheid ref="SCNE000056">Eeuw<')
    with pytest.raises(BadInput, match="proces B1796, veld 'afdoeningstermijn': onbekende eenheid 'Eeuw'"):
        inavigator.parse(bad_unit, "eeuw.xml")
