"""Open Zaak export ZIP import: the real Open Zaak demo fixture in API representation, and bad ZIPs."""

import io
import json
import zipfile

import pytest

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import run_inline
from harmonie.core.models import AuditEntry
from harmonie.processes import services
from harmonie.processes.importers import openzaak
from harmonie.processes.models import DefinitionSource, DefinitionUpload, StatusType, ZaakType

from .zgw_fixture import api_resources, make_zip

ZIP = DefinitionSource.OPENZAAK_ZIP


@pytest.fixture
def users(role_users):
    return role_users


def _import(users, workspace, data, name="catalogus.zip", partner=None, user="coordinator"):
    return services.import_definitions(users[user], workspace, partner or users["own"], data, name, ZIP)


def test_real_fixture_imports_four_zaaktypen_with_their_types(users, workspace):
    result = _import(users, workspace, make_zip(api_resources()))
    assert (result.added, result.changed, result.unchanged) == (4, 0, 0)
    zt = ZaakType.objects.get(partner=users["own"], identificatie="aanvraag-financiele-ondersteuning-ondernemers-beha")
    assert zt.omschrijving == "Aanvraag financiële ondersteuning ondernemers behandelen v4"
    assert (zt.doorlooptijd, zt.servicenorm, zt.vertrouwelijkheidaanduiding) == ("P91D", "P91D", "zaakvertrouwelijk")
    assert zt.selectielijst_procestype.endswith("/procestypen/f4603775-5a08-4829-85c8-28017dfeee1f")
    assert zt.versie == "2024-04-02"
    assert [s.omschrijving for s in zt.statustypen.all()] == ["Aanvraag ontvangen", "In behandeling genomen",
                                                               "Afgehandeld"]
    assert zt.resultaattypen.count() == 11
    assert sorted(r["omschrijving"] for r in zt.details["roltypen"]) == ["Behandelaar", "Initiator"]
    assert [e["naam"] for e in zt.details["eigenschappen"]] == ["eigenschap"]
    assert [i["omschrijving"] for i in zt.details["informatieobjecttypen"]] == ["Test informatieobjecttype"]
    assert [b["omschrijving"] for b in zt.details["besluittypen"]] == ["Test besluittype"]
    entry = AuditEntry.objects.filter(object_type="processes.zaaktypen").get()
    assert (entry.added, entry.changed, entry.file_name) == (4, 0, "catalogus.zip")


def test_reimport_of_the_same_zip_changes_nothing(users, workspace):
    data = make_zip(api_resources())
    _import(users, workspace, data)
    ids = sorted(ZaakType.objects.values_list("pk", "content_hash"))
    statuses = sorted(StatusType.objects.values_list("pk", flat=True))
    again = _import(users, workspace, data)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 4)
    assert sorted(ZaakType.objects.values_list("pk", "content_hash")) == ids
    assert sorted(StatusType.objects.values_list("pk", flat=True)) == statuses
    assert AuditEntry.objects.filter(object_type="processes.zaaktypen").count() == 1


def test_a_changed_zaaktype_is_updated_in_place(users, workspace):
    resources = api_resources()
    _import(users, workspace, make_zip(resources))
    resources["ZaakType"][0]["doorlooptijd"] = "P8W"
    resources["StatusType"] = [s for s in resources["StatusType"] if s["omschrijving"] != "In behandeling genomen"]
    result = _import(users, workspace, make_zip(resources))
    assert (result.added, result.changed) == (0, 2)  # the realistic zaaktype and its deelzaaktype lost a status
    zt = ZaakType.objects.get(identificatie="aanvraag-financiele-ondersteuning-ondernemers-beha")
    assert zt.doorlooptijd == "P8W"
    assert [s.omschrijving for s in zt.statustypen.all()] == ["Aanvraag ontvangen", "Afgehandeld"]


def test_zip_with_a_sub_folder_is_refused_and_imports_nothing(users, workspace):
    data = make_zip(api_resources(), folder="export/")
    with pytest.raises(BadInput) as exc:
        _import(users, workspace, data, "export.zip")
    assert "submap ('export/'" in exc.value.message and "export.zip" in exc.value.message
    assert not ZaakType.objects.exists()


@pytest.mark.parametrize("name", ["../ZaakType.json", "/etc/ZaakType.json", "..\\ZaakType.json", "C:/x.json"])
def test_path_traversal_names_are_refused(users, workspace, name):
    data = make_zip(api_resources(), extra={name: b"[]"})
    with pytest.raises(BadInput, match="wijst buiten de ZIP"):
        _import(users, workspace, data)
    assert not ZaakType.objects.exists()


def test_zip_bomb_is_refused(users, workspace):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ZaakType.json", b"[" + b" " * (20 * 1024 * 1024) + b"]")
    with pytest.raises(BadInput, match="zip-bom"):
        _import(users, workspace, buffer.getvalue())


def test_too_large_uncompressed_total_is_refused(users, workspace, monkeypatch):
    monkeypatch.setattr(openzaak, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(BadInput, match="te groot"):
        _import(users, workspace, make_zip(api_resources()))


def test_broken_json_names_file_and_line(users, workspace):
    resources = api_resources()
    data = make_zip(resources, skip=("StatusType",), extra={"StatusType.json": b'[\n{"omschrijving": "x",\n}'})
    with pytest.raises(BadInput) as exc:
        _import(users, workspace, data, "kapot.zip")
    assert "'StatusType.json' in 'kapot.zip', regel 3" in exc.value.message


def test_missing_required_field_names_file_and_item(users, workspace):
    resources = api_resources()
    del resources["StatusType"][1]["volgnummer"]
    with pytest.raises(BadInput) as exc:
        _import(users, workspace, make_zip(resources))
    assert "StatusType.json, item 2 ('In behandeling genomen'): verplicht veld 'volgnummer'" in exc.value.message
    assert not ZaakType.objects.exists()


def test_relation_to_unknown_zaaktype_is_refused(users, workspace):
    resources = api_resources()
    resources["RolType"][0]["zaaktype"] = "http://elders.test/zaaktypen/onbekend"
    with pytest.raises(BadInput, match="RolType.json, item 1 .*staat niet in ZaakType.json"):
        _import(users, workspace, make_zip(resources))


def test_non_json_and_unknown_files_are_refused(users, workspace):
    with pytest.raises(BadInput, match="'leesmij.txt', geen JSON"):
        _import(users, workspace, make_zip(api_resources(), extra={"leesmij.txt": b"hallo"}))
    with pytest.raises(BadInput, match="'Zaak.json', dat hoort niet bij een Open Zaak-export"):
        _import(users, workspace, make_zip(api_resources(), extra={"Zaak.json": b"[]"}))


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_file_that_occurs_twice_is_refused(users, workspace):
    # What zipfile's append mode makes of "replace Eigenschap.json" (as in Open Zaak's own import tests).
    data = io.BytesIO(make_zip(api_resources()))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("Eigenschap.json", "[]")
    with pytest.raises(BadInput, match="'Eigenschap.json' twee keer"):
        _import(users, workspace, data.getvalue())


def test_a_single_zaaktype_export_without_catalogus_is_accepted(users, workspace):
    # Open Zaak's "Exporteren" on one zaaktype leaves Catalogus.json out.
    result = _import(users, workspace, make_zip(api_resources(), skip=("Catalogus",)))
    assert result.added == 4


def test_zero_zaaktypen_is_an_error_not_a_success(users, workspace):
    resources = {key: [] for key in api_resources()}
    with pytest.raises(BadInput, match="bevat geen zaaktypen; er is niets geïmporteerd"):
        _import(users, workspace, make_zip(resources))
    with pytest.raises(BadInput, match="bevat geen ZaakType.json"):
        _import(users, workspace, make_zip(api_resources(), skip=("ZaakType", "StatusType", "ResultaatType",
                                                                   "RolType", "Eigenschap",
                                                                   "ZaakTypeInformatieObjectType")))


def test_damaged_entry_is_refused(users, workspace):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("ZaakType.json", json.dumps(api_resources()["ZaakType"]))
    data = bytearray(buffer.getvalue())
    start = data.index(b'"omschrijving"')
    data[start + 1:start + 5] = b"OMSC"  # the stored bytes no longer match the CRC
    with pytest.raises(BadInput, match="'ZaakType.json' is niet te lezen"):
        _import(users, workspace, bytes(data))


def test_corrupt_deflate_stream_is_refused(users, workspace):
    """Found by make fuzz: a damaged compressed entry raised zlib.error."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ZaakType.json", json.dumps(api_resources()["ZaakType"]) * 5)
    data = bytearray(buffer.getvalue())
    for offset in range(60, 120):
        data[offset] ^= 0x5A
    with pytest.raises(BadInput, match="'ZaakType.json' is niet te lezen|geen geldig ZIP-bestand"):
        _import(users, workspace, bytes(data))
    assert not ZaakType.objects.exists()


def test_not_a_zip(users, workspace):
    with pytest.raises(BadInput, match="geen geldig ZIP-bestand"):
        _import(users, workspace, b"PK\x03\x04 niet echt")


def test_bijdrager_of_another_partner_may_not_import(users, workspace):
    with pytest.raises(NotAllowed):
        _import(users, workspace, make_zip(api_resources()), user="bijdrager_ander")
    _import(users, workspace, make_zip(api_resources()), user="bijdrager")
    assert ZaakType.objects.filter(partner=users["own"]).count() == 4


def test_import_job_runs_and_removes_the_upload(users, workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_definition_import(users["coordinator"], workspace, users["own"],
                                               make_zip(api_resources()), "catalogus.zip", ZIP)
    upload = DefinitionUpload.objects.get()
    result = run_inline(services.ZAAKTYPE_IMPORT_JOB, job.params)
    assert result["added"] == 4 and "4 zaaktypen toegevoegd" in result["summary"]
    assert not DefinitionUpload.objects.filter(pk=upload.pk).exists()


def test_failed_import_job_leaves_nothing(users, workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_definition_import(users["coordinator"], workspace, users["own"],
                                               make_zip(api_resources(), folder="a/"), "a.zip", ZIP)
    with pytest.raises(BadInput):
        run_inline(services.ZAAKTYPE_IMPORT_JOB, job.params)
    assert not ZaakType.objects.exists() and not DefinitionUpload.objects.exists()


def test_parse_list_accepts_a_paged_api_document():
    doc = {"count": 1, "next": None, "results": [{"url": "http://x.test/a"}]}
    assert openzaak.parse_list(json.dumps(doc).encode(), "ZaakType.json") == doc["results"]
