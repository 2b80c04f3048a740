"""Zaaktypen pages and API: overview with differences, import as a job, deciding pairs, ZIP downloads."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from harmonie.core.factories import PartnerFactory
from harmonie.core.jobs import run_inline
from harmonie.core.models import AuditEntry, Job
from harmonie.processes import services
from harmonie.processes.demo.definitions import build_zaaktypen
from harmonie.processes.models import Correspondence, CorrespondenceStatus, ReferenceProcess, ZaakType

from .zgw_fixture import api_resources, make_zip


@pytest.fixture
def world(role_users, workspace):
    """The demo zaaktypen, with the bijdrager's partner as Lindeveen and the other bijdrager's as Brakelburg."""
    own, other = role_users["own"], role_users["other"]
    own.name, other.name = "Lindeveen", "Brakelburg"
    own.save()
    other.save()
    partners = [own, other, PartnerFactory(workspace=workspace, name="Oosterwaarde"),
                PartnerFactory(workspace=workspace, name="Heidemeer")]
    build_zaaktypen(workspace, partners)
    return role_users


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_overview_shows_zaaktypen_pairs_and_differences(world, workspace):
    response = client_for(world["lezer"]).get(reverse("processes:zaaktypen", args=[workspace.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Omgevingsvergunning behandelen" in html and "Environmental permit application" in html
    assert "Aanvraag omgevingsvergunning (Brakelburg) ≈ Omgevingsvergunning behandelen (Lindeveen)" in html
    assert "Bevestigd" in html and "Voorgesteld" in html
    assert "14 dagen verschil" in html  # servicenorm P8W (Brakelburg) vs P10W (Heidemeer)
    assert "zelfde product (UPL)" in html
    assert "alleen bij één partner" in html
    assert 'name="status"' not in html  # a lezer decides nothing
    assert ' style="' not in html and "<script>" not in html


def test_bijdrager_decides_for_a_pair_of_the_own_partner_only(world, workspace):
    pair = Correspondence.objects.get(workspace=workspace, a_key="HM-ENV-1", b_key="LV-OMV-01")
    url = reverse("processes:zaaktypen_decide", args=[workspace.slug, world["own"].pk])
    response = client_for(world["bijdrager"]).post(url, {"overeenkomst": pair.pk, "status": "bevestigd"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == CorrespondenceStatus.CONFIRMED and pair.confirmed_by == world["bijdrager"]
    assert AuditEntry.objects.filter(object_type__icontains="correspondence").exists() or \
        AuditEntry.objects.filter(after__status="bevestigd").exists()
    # Brakelburg's bijdrager may not decide a Heidemeer–Lindeveen pair, not even through her own partner's URL.
    other_url = reverse("processes:zaaktypen_decide", args=[workspace.slug, world["other"].pk])
    response = client_for(world["bijdrager_ander"]).post(other_url, {"overeenkomst": pair.pk, "status": "afgewezen"})
    assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.status == CorrespondenceStatus.CONFIRMED


def test_rejected_pairs_stay_rejected_when_suggestions_are_recomputed(world, workspace):
    pair = Correspondence.objects.get(workspace=workspace, a_key="HM-ENV-1", b_key="LV-OMV-01")
    services.decide_zaaktype_correspondence(world["coordinator"], pair, CorrespondenceStatus.REJECTED)
    client_for(world["coordinator"]).post(reverse("processes:zaaktypen_suggest", args=[workspace.slug]))
    assert Correspondence.objects.filter(workspace=workspace, a_key="HM-ENV-1", b_key="LV-OMV-01").count() == 1
    assert Correspondence.objects.get(pk=pair.pk).status == CorrespondenceStatus.REJECTED


def test_upload_starts_a_job_that_imports(world, workspace, django_capture_on_commit_callbacks):
    url = reverse("processes:zaaktypen_import", args=[workspace.slug, world["own"].pk])
    client = client_for(world["bijdrager"])
    assert client.get(url).status_code == 200
    upload = io.BytesIO(make_zip(api_resources()))
    upload.name = "catalogus.zip"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"source": "openzaak-zip", "file": upload})
    job = Job.objects.get(kind=services.ZAAKTYPE_IMPORT_JOB)
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    result = run_inline(job.kind, job.params)
    assert ZaakType.objects.filter(partner=world["own"], source="openzaak-zip").count() == 4
    assert result["url"] == reverse("processes:zaaktypen", args=[workspace.slug])  # the job page links here


def test_zgw_settings_form_stores_the_env_name_not_a_secret(world, workspace):
    url = reverse("processes:zaaktypen_zgw", args=[workspace.slug, world["own"].pk])
    client_for(world["bijdrager"]).post(url, {"zgw-base_url": "https://openzaak.lindeveen.example/catalogi/api/v1/",
                                              "zgw-client_id": "harmonie", "zgw-secret_env": "LINDEVEEN_ZGW_SECRET"})
    connection = world["own"].zgw_connection
    assert (connection.client_id, connection.secret_env) == ("harmonie", "LINDEVEEN_ZGW_SECRET")
    page = client_for(world["bijdrager"]).get(reverse("processes:zaaktypen_import",
                                                      args=[workspace.slug, world["own"].pk]))
    assert "Zaaktypen ophalen" in page.content.decode()


def test_downloads_are_open_zaak_zips(world, workspace):
    client = client_for(world["lezer"])
    pair = Correspondence.objects.get(workspace=workspace, status=CorrespondenceStatus.CONFIRMED)
    response = client.get(reverse("processes:zaaktypen_pair_zip", args=[workspace.slug]), {"overeenkomst": pair.pk})
    assert response["Content-Type"] == "application/zip"
    assert "ZaakType.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    reference = ReferenceProcess.objects.create(workspace=workspace, name="Omgevingsvergunning",
                                                model={"steps": [{"label": "Ontvangen"}, {"label": "Besluit"}]})
    response = client.get(reverse("processes:reference_openzaak_zip", args=[workspace.slug, reference.pk]))
    assert response.status_code == 200 and "zaaktype-omgevingsvergunning.zip" in response["Content-Disposition"]
    api = client.get(reverse("api:processes:referentieproces-openzaak", args=[workspace.slug, reference.pk]))
    assert api.status_code == 200 and api.content == response.content


def test_api_lists_zaaktypen_and_pairs(world, workspace):
    client = client_for(world["lezer"])
    data = client.get(reverse("api:processes:zaaktype-list", args=[workspace.slug])).json()
    assert data["count"] == 8
    pairs = client.get(reverse("api:processes:zaaktype-overeenkomst-list", args=[workspace.slug])).json()
    confirmed = next(p for p in pairs if p["status"] == "bevestigd")
    assert (confirmed["a_partner"], confirmed["b_partner"]) == ("Brakelburg", "Lindeveen")
    assert ["Intake", None] in confirmed["statustypen"]
    assert "zelfde Selectielijst-procestype" in confirmed["redenen"]
    servicenorm = next(v for v in confirmed["verschillen"] if v["kenmerk"] == "servicenorm")
    assert (servicenorm["a"], servicenorm["b"], servicenorm["gelijk"]) == ("P8W", "P6W", False)


def test_rebuilding_the_demo_changes_nothing(world, workspace):
    partners = list(workspace.partners.order_by("pk"))
    before = (sorted(ZaakType.objects.values_list("pk", "content_hash")),
              sorted(Correspondence.objects.values_list("a_key", "b_key", "status")), AuditEntry.objects.count())
    build_zaaktypen(workspace, partners)
    after = (sorted(ZaakType.objects.values_list("pk", "content_hash")),
             sorted(Correspondence.objects.values_list("a_key", "b_key", "status")), AuditEntry.objects.count())
    assert after == before
    assert len(before[0]) == 8 and ("BB-0042", "LV-OMV-01", "bevestigd") in before[1]


def test_zaaktype_without_product_gets_a_upl_suggestion_to_link(world, workspace):
    resources = api_resources()
    main = resources["ZaakType"][0]
    main["omschrijving"], main["productenOfDiensten"] = "Aanvraag omgevingsvergunning", []
    services.import_definitions(world["coordinator"], workspace, world["own"], make_zip(resources), "c.zip",
                                "openzaak-zip")
    zt = ZaakType.objects.get(partner=world["own"], omschrijving="Aanvraag omgevingsvergunning")
    assert zt.upl_uri == "" and zt.details["upl_voorstel"]["label"] == "omgevingsvergunning"
    page = client_for(world["bijdrager"]).get(reverse("processes:zaaktypen", args=[workspace.slug])).content.decode()
    assert "Koppelen aan ‘omgevingsvergunning’" in page
    url = reverse("processes:zaaktypen_upl", args=[workspace.slug, world["own"].pk])
    data = {"zaaktype": zt.pk, "upl": zt.details["upl_voorstel"]["uri"]}
    other_url = reverse("processes:zaaktypen_upl", args=[workspace.slug, world["other"].pk])
    assert client_for(world["bijdrager_ander"]).post(other_url, data).status_code == 302  # not her zaaktype
    zt.refresh_from_db()
    assert zt.upl_uri == ""
    assert client_for(world["bijdrager"]).post(url, data).status_code == 302
    zt.refresh_from_db()
    assert zt.upl_uri == "http://standaarden.overheid.nl/owms/terms/omgevingsvergunning"
    assert AuditEntry.objects.filter(after__upl="omgevingsvergunning").exists()
    # A re-import of the same file keeps the link made in Harmonie.
    services.import_definitions(world["coordinator"], workspace, world["own"], make_zip(resources), "c.zip",
                                "openzaak-zip")
    zt.refresh_from_db()
    assert zt.upl_uri.endswith("/omgevingsvergunning")
