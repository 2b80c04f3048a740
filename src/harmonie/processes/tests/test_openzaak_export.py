"""Harmonised zaaktype → Open Zaak import ZIP: every object valid against the Catalogi API schema excerpt, valid
Selectielijst links from the reference data, and re-importable by Harmonie's own importer (round trip)."""

import io
import json
import zipfile

import pytest

from conftest import require_shared
from harmonie.core.errors import BadInput
from harmonie.core.factories import PartnerFactory
from harmonie.processes import schemas, services
from harmonie.processes.demo.definitions import build_zaaktypen
from harmonie.processes.importers import openzaak
from harmonie.processes.models import (
    Correspondence,
    CorrespondenceStatus,
    DefinitionSource,
    ReferenceProcess,
    ZaakType,
)

from .zgw_fixture import api_resources, make_zip

STEPS = [{"label": "Aanvraag ontvangen"}, {"label": "Ontvankelijkheid beoordeeld"}, {"label": "In behandeling"},
         {"label": "Besluit genomen"}, {"label": "Afgehandeld"}]


@pytest.fixture
def demo(workspace):
    partners = [PartnerFactory(workspace=workspace, name=n) for n in
                ("Lindeveen", "Brakelburg", "Oosterwaarde", "Heidemeer")]
    build_zaaktypen(workspace, partners)
    return workspace, partners


@pytest.fixture
def selectielijst(db):
    from harmonie.reference.services import load_reference

    load_reference("selectielijst", require_shared("selectielijst"))
    return services.selectielijst_index()


def omgevingsvergunningen(workspace):
    return list(ZaakType.objects.filter(workspace=workspace, upl_uri__endswith="/omgevingsvergunning"))


def read_zip(data: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == sorted(openzaak.FILES.values())
        return {res: json.loads(archive.read(name)) for res, name in openzaak.FILES.items()}


def assert_valid(resources):
    for res, items in resources.items():
        for item in items:
            assert schemas.validate(res, item) == [], (res, item)


def test_harmonised_zaaktype_from_the_reference_steps(demo):
    workspace, _partners = demo
    bases = omgevingsvergunningen(workspace)
    bundle = services.harmonised_zaaktype({"name": "Omgevingsvergunning", "steps": STEPS}, bases)
    zt = bundle["zaaktype"]
    assert zt["omschrijving"] == "Omgevingsvergunning"
    assert zt["doorlooptijd"] == "P8W"  # all four partners
    assert zt["servicenorm"] == "P6W"  # median of P4W, P6W, P8W, P10W (lower middle)
    assert zt["vertrouwelijkheidaanduiding"] == "vertrouwelijk"  # the strictest (Oosterwaarde)
    assert zt["verlengingMogelijk"] is True and zt["verlengingstermijn"] == "P6W"
    assert zt["productenOfDiensten"] == ["http://standaarden.overheid.nl/owms/terms/omgevingsvergunning"]
    assert [s["omschrijving"] for s in bundle["statustypen"]] == [s["label"] for s in STEPS]
    assert sorted(r["omschrijving"] for r in bundle["resultaattypen"]) == ["Buiten behandeling", "Geweigerd",
                                                                           "Ingetrokken", "Verleend"]
    assert {r["omschrijvingGeneriek"] for r in bundle["roltypen"]} == {"initiator", "behandelaar"}


def test_export_is_valid_against_the_schema_and_round_trips(demo, role_users):
    workspace, _partners = demo
    bundle = services.harmonised_zaaktype({"name": "Omgevingsvergunning", "steps": STEPS},
                                          omgevingsvergunningen(workspace))
    data = services.export_openzaak_zip([bundle])
    resources = read_zip(data)
    assert_valid(resources)
    [zt] = resources["ZaakType"]
    assert set(zt["statustypen"]) == {s["url"] for s in resources["StatusType"]}
    assert [s["isEindstatus"] for s in resources["StatusType"]] == [False] * 4 + [True]
    # Round trip: Harmonie's own importer reads the export back.
    result = services.import_definitions(role_users["coordinator"], role_users["own"].workspace, role_users["own"],
                                         data, "geharmoniseerd.zip", DefinitionSource.OPENZAAK_ZIP)
    assert result.added == 1
    back = ZaakType.objects.get(partner=role_users["own"])
    assert (back.omschrijving, back.doorlooptijd, back.servicenorm) == ("Omgevingsvergunning", "P8W", "P6W")
    assert [s.omschrijving for s in back.statustypen.all()] == [s["label"] for s in STEPS]
    again = services.import_definitions(role_users["coordinator"], role_users["own"].workspace, role_users["own"],
                                        data, "geharmoniseerd.zip", DefinitionSource.OPENZAAK_ZIP)
    assert again.unchanged == 1


def test_links_come_from_the_loaded_selectielijst(demo, selectielijst):
    workspace, _partners = demo
    bundle = services.harmonised_zaaktype({"name": "Omgevingsvergunning", "steps": STEPS},
                                          omgevingsvergunningen(workspace))
    resources = read_zip(services.export_openzaak_zip([bundle]))
    assert_valid(resources)
    procestype = resources["ZaakType"][0]["selectielijstProcestype"]
    assert selectielijst.procestypen[procestype]["naam"] == "Toestemming verlenen"
    for rt in resources["ResultaatType"]:
        assert selectielijst.resultaten[rt["selectielijstklasse"]]["procesType"] == procestype
        assert rt["resultaattypeomschrijving"] in selectielijst.omschrijvingen
        waardering = selectielijst.resultaten[rt["selectielijstklasse"]]["waardering"]
        assert rt["archiefnominatie"] == waardering


def test_real_fixture_zaaktype_exports_with_selectielijst(role_users, workspace, selectielijst):
    services.import_definitions(role_users["coordinator"], workspace, role_users["own"], make_zip(api_resources()),
                                "openzaak.zip", DefinitionSource.OPENZAAK_ZIP)
    base = ZaakType.objects.get(identificatie="aanvraag-financiele-ondersteuning-ondernemers-beha")
    bundle = services.harmonised_zaaktype({}, [base])
    resources = read_zip(services.export_openzaak_zip([bundle]))
    assert_valid(resources)
    assert resources["ZaakType"][0]["selectielijstProcestype"] == base.selectielijst_procestype
    assert resources["ZaakType"][0]["verantwoordelijke"] == "Inkomen"  # from the base zaaktype
    assert [s["omschrijving"] for s in resources["StatusType"]] == ["Aanvraag ontvangen", "In behandeling genomen",
                                                                    "Afgehandeld"]
    assert {i["omschrijving"] for i in resources["InformatieObjectType"]} == {"Test informatieobjecttype"}
    for rt in resources["ResultaatType"]:
        assert selectielijst.resultaten[rt["selectielijstklasse"]]["procesType"] == base.selectielijst_procestype


def test_unknown_procestype_is_refused_when_the_selectielijst_is_loaded(demo, selectielijst):
    workspace, _partners = demo
    bases = omgevingsvergunningen(workspace)
    ZaakType.objects.filter(pk__in=[z.pk for z in bases]).update(
        selectielijst_procestype="https://selectielijst.openzaak.nl/api/v1/procestypen/"
                                 "00000000-0000-0000-0000-000000000000")
    with pytest.raises(BadInput, match="Selectielijst-procestype"):
        services.harmonised_zaaktype({"name": "Omgevingsvergunning"}, omgevingsvergunningen(workspace))


def test_invalid_objects_are_not_exported(demo):
    workspace, _partners = demo
    bundle = services.harmonised_zaaktype({"name": "Omgevingsvergunning", "steps": STEPS},
                                          omgevingsvergunningen(workspace))
    bundle["zaaktype"]["handelingInitiator"] = "Aanvragen en indienen bij de gemeente"
    bundle["statustypen"][0]["volgnummer"] = 0
    del bundle["zaaktype"]["verantwoordelijke"]  # required since Catalogi API 1.2
    with pytest.raises(BadInput) as exc:
        services.export_openzaak_zip([bundle])
    assert "ZaakType.json, item 1: ZaakType.handelingInitiator" in exc.value.message
    assert "verplicht veld 'verantwoordelijke'" in exc.value.message
    assert "StatusType.json, item 1: StatusType.volgnummer" in exc.value.message


def test_reference_process_and_pair_downloads(demo):
    workspace, _partners = demo
    reference = ReferenceProcess.objects.create(
        workspace=workspace, name="Omgevingsvergunning", upl_uri="http://standaarden.overheid.nl/owms/terms/"
                                                                "omgevingsvergunning",
        model={"steps": STEPS}, zaaktype={"doorlooptijd": "P12W"})
    data, name = services.reference_openzaak_zip(reference)
    resources = read_zip(data)
    assert name == "zaaktype-omgevingsvergunning.zip"
    assert resources["ZaakType"][0]["doorlooptijd"] == "P12W"  # the reference's own choice wins
    assert len(resources["StatusType"]) == len(STEPS)
    pair = Correspondence.objects.get(workspace=workspace, status=CorrespondenceStatus.CONFIRMED)
    data, _name = services.pair_openzaak_zip(pair)
    resources = read_zip(data)
    assert_valid(resources)
    # Brakelburg and Lindeveen: the aligned statustypen of both, in order.
    assert [s["omschrijving"] for s in resources["StatusType"]] == [
        "Ontvangen", "Intake", "Ontvankelijkheid beoordeeld", "In behandeling genomen", "Advies welstand ontvangen",
        "Besluit", "Afgehandeld"]


def test_reference_zip_texts_are_neutral_labels_and_milestones(demo):
    """Trial: doel was one partner's text, toelichting cited partners not in the reference, 30 statustypen
    named by codes. Now: doel/toelichting name the samenwerkingsverband and only the reference's partners,
    statustypen use the display labels and are at most MAX_STATUSTYPEN milestones (first and last kept)."""
    from harmonie.processes.models import EventLog

    workspace, partners = demo
    built_from = sorted(p.name for p in partners)[:1]
    steps = [{"label": f"01_HOOFD_{i:03d}"} for i in range(1, 31)]
    EventLog.objects.create(workspace=workspace, partner=partners[0], name="labels", source_name="x.xes",
                            file_sha256="0" * 64, parquet_path="x", stats={"labels": {"01_HOOFD_001": "aanvraag ontvangen"}})
    reference = ReferenceProcess.objects.create(
        workspace=workspace, name="Omgevingsvergunning", upl_uri="http://standaarden.overheid.nl/owms/terms/"
                                                                "omgevingsvergunning",
        model={"steps": steps, "partners": built_from})
    data, _name = services.reference_openzaak_zip(reference)
    resources = read_zip(data)
    assert_valid(resources)
    zt = resources["ZaakType"][0]
    assert workspace.name in zt["doel"] and workspace.name in zt["toelichting"]
    others = [p.name for p in partners if p.name not in built_from]
    assert built_from[0] in zt["toelichting"] and not any(o in zt["toelichting"] or o in zt["doel"] for o in others)
    names = [s["omschrijving"] for s in resources["StatusType"]]
    assert len(names) == services.MAX_STATUSTYPEN
    assert names[0] == "aanvraag ontvangen" and names[-1] == "01_HOOFD_030"
    assert services.milestones(list(range(30))) == [0, 4, 8, 12, 17, 21, 25, 29]  # round(i * 29 / 7)
    todo = {t["field"] for t in services.openzaak_todo(reference)}
    assert {"Catalogus RSIN", "Catalogus domein", "Verantwoordelijke"} <= todo
