"""REST API v1: behaviour per endpoint, errors as problem+json, roles."""

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from harmonie.core import services
from harmonie.core.factories import PartnerFactory, UserFactory
from harmonie.core.jobs import _progress_key
from harmonie.core.layers import DELIVERY_LAYERS
from harmonie.core.models import AuditEntry, DeliveryStatus, Job, JobStatus, Partner, Workspace
from harmonie.core.permissions import role_in

from . import fakes

API = "/api/v1"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fake_reference(monkeypatch):
    return fakes.install(monkeypatch)


@pytest.fixture
def as_role(role_users):
    """``as_role("lezer")`` → an APIClient authenticated with that user's token."""

    def make(role):
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {services.create_token(role_users[role])}")
        return client

    return make


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["type"].startswith("urn:harmonie:problemen:")
    assert body["title"] and body["detail"]
    return body


# --- general ------------------------------------------------------------------


def test_anonymous_gets_401_problem_with_authenticate_header(db):
    response = APIClient().get(f"{API}/samenwerkingsverbanden")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert response["API-Version"] == "1.0.0"
    assert body["instance"] == "/api/v1/samenwerkingsverbanden"
    assert "Authenticatie" in body["detail"] or "inlog" in body["detail"].lower()  # Dutch


def test_wrong_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000")
    assert_problem(client.get(f"{API}/samenwerkingsverbanden"), 401)


def test_api_version_header_on_success(as_role):
    response = as_role("coordinator").get(f"{API}/samenwerkingsverbanden")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    assert response["Content-Type"] == "application/json"


def test_malformed_json_is_400_problem(as_role):
    response = as_role("coordinator").post(f"{API}/samenwerkingsverbanden", data="{nee",
                                           content_type="application/json")
    assert_problem(response, 400)


def test_method_not_allowed_is_405_problem(as_role, workspace):
    response = as_role("coordinator").delete(f"{API}/samenwerkingsverbanden/{workspace.slug}")
    assert_problem(response, 405)


def test_unknown_api_path_is_404_problem(as_role):
    for client in (APIClient(), as_role("coordinator")):
        for path in (f"{API}/bestaat-niet", f"{API}/samenwerkingsverbanden/", f"{API}/"):
            body = assert_problem(client.get(path), 404)
            assert body["instance"] == path
            assert client.get(path)["API-Version"] == "1.0.0"
    csrf_client = APIClient(enforce_csrf_checks=True)
    assert_problem(csrf_client.post(f"{API}/bestaat-niet", {}, format="json"), 404)


def test_schema_is_public_and_openapi_3(db):
    response = APIClient().get(f"{API}/schema")
    assert response.status_code == 200
    assert b"openapi: 3." in response.content
    assert response["API-Version"] == "1.0.0"
    response = APIClient().get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.content)["info"]["version"] == "1.0.0"


# --- samenwerkingsverbanden -------------------------------------------------------


def test_list_shows_only_own_workspaces(as_role, workspace, role_users):
    slugs = [w["slug"] for w in as_role("lezer").get(f"{API}/samenwerkingsverbanden").json()["results"]]
    assert slugs == [workspace.slug]
    slugs = [w["slug"] for w in as_role("buitenstaander").get(f"{API}/samenwerkingsverbanden").json()["results"]]
    assert slugs == [role_users["elsewhere"].slug]
    body = as_role("beheerder").get(f"{API}/samenwerkingsverbanden").json()
    assert body["count"] == Workspace.objects.count() == 2
    assert set(body) == {"count", "next", "previous", "results"}


def test_create_makes_creator_coordinator(db):
    user = UserFactory(username="nieuw")
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(f"{API}/samenwerkingsverbanden",
                           {"naam": "Werkorganisatie Duo", "wgr_form": "bedrijfsvoeringsorganisatie"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "werkorganisatie-duo"
    assert response["Location"].endswith("/api/v1/samenwerkingsverbanden/werkorganisatie-duo")
    workspace = Workspace.objects.get(slug="werkorganisatie-duo")
    assert role_in(user, workspace) == "coordinator"
    assert AuditEntry.objects.filter(workspace=workspace, action="create").exists()


def test_create_validation_errors_name_the_field(as_role, workspace):
    body = assert_problem(as_role("lezer").post(f"{API}/samenwerkingsverbanden", {}, format="json"), 400)
    assert [p["name"] for p in body["invalid-params"]] == ["naam"]
    assert body["invalid-params"][0]["reason"]
    body = assert_problem(as_role("lezer").post(f"{API}/samenwerkingsverbanden",
                                                {"naam": "X", "wgr_form": "fusie"}, format="json"), 400)
    assert body["invalid-params"][0]["name"] == "wgr_form"
    # duplicate slug: found by the service (BadInput), still reported as invalid-param
    body = assert_problem(as_role("lezer").post(f"{API}/samenwerkingsverbanden",
                                                {"naam": "X", "slug": workspace.slug}, format="json"), 400)
    assert body["invalid-params"][0]["name"] == "slug"
    assert "bestaat al" in body["detail"]


def test_retrieve_and_update(as_role, workspace):
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}"
    assert as_role("lezer").get(url).json()["naam"] == workspace.name
    response = as_role("coordinator").patch(url, {"visie": "Samen sterker", "slug": "anders"}, format="json")
    assert response.status_code == 200, response.content
    workspace.refresh_from_db()
    assert workspace.vision == "Samen sterker"
    assert workspace.slug != "anders"  # read-only
    entry = AuditEntry.objects.filter(workspace=workspace, action="update").get()
    assert entry.after["vision"] == "Samen sterker"


def test_update_denied_before_validation(as_role, workspace):
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}"
    assert_problem(as_role("lezer").patch(url, {"naam": ""}, format="json"), 403)
    assert_problem(as_role("bijdrager").patch(url, {"visie": "x"}, format="json"), 403)
    assert_problem(as_role("buitenstaander").patch(url, {"visie": "x"}, format="json"), 404)
    assert_problem(as_role("buitenstaander").get(url), 404)
    assert_problem(as_role("coordinator").get(f"{API}/samenwerkingsverbanden/bestaat-niet"), 404)


# --- partners ---------------------------------------------------------------------


def test_partner_list_and_add_by_cbs_code(as_role, workspace):
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}/partners"
    assert as_role("lezer").get(url).json()["count"] == 2
    response = as_role("coordinator").post(url, {"cbs_code": "0344"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["naam"] == "Utrecht"
    assert response.json()["cbs_code"] == "GM0344"
    partner = Partner.objects.get(workspace=workspace, cbs_code="GM0344")
    assert partner.deliveries.count() == len(DELIVERY_LAYERS)


def test_partner_add_errors(as_role, workspace):
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}/partners"
    body = assert_problem(as_role("coordinator").post(url, {}, format="json"), 400)
    assert body["invalid-params"][0]["name"] == "cbs_code"
    body = assert_problem(as_role("coordinator").post(url, {"cbs_code": "GM9999"}, format="json"), 400)
    assert "gemeenteregister" in body["detail"]
    assert body["invalid-params"] == [{"name": "cbs_code", "code": "invalid", "reason": body["detail"]}]
    body = assert_problem(as_role("coordinator").post(url, {"cbs_code": "GM0012"}, format="json"), 400)
    assert "opgeheven" in body["detail"] and "Het Hogeland" in body["detail"]
    as_role("coordinator").post(url, {"cbs_code": "GM0363"}, format="json")
    body = assert_problem(as_role("coordinator").post(url, {"cbs_code": "363"}, format="json"), 400)
    assert "al partner" in body["detail"]
    # roles: refused before the input is even looked at
    assert_problem(as_role("bijdrager").post(url, {}, format="json"), 403)
    assert_problem(as_role("lezer").post(url, {"cbs_code": "GM0310"}, format="json"), 403)
    assert_problem(as_role("buitenstaander").post(url, {"cbs_code": "GM0310"}, format="json"), 404)


def test_partner_delete(as_role, workspace, role_users):
    other = role_users["other"]
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}/partners/{other.pk}"
    assert_problem(as_role("bijdrager_ander").delete(url), 403)
    assert as_role("coordinator").delete(url).status_code == 204
    assert not Partner.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(workspace=workspace, action="delete", object_type="core.partner").exists()


def test_no_idor_across_workspaces(as_role, workspace, role_users):
    foreign = PartnerFactory(workspace=role_users["elsewhere"])
    foreign_delivery = foreign.deliveries.first()
    foreign_job = Job.objects.create(workspace=role_users["elsewhere"], kind="x", label="x",
                                     status=JobStatus.FAILED)
    base = f"{API}/samenwerkingsverbanden/{workspace.slug}"
    for role in ("coordinator", "beheerder"):
        client = as_role(role)
        assert_problem(client.get(f"{base}/partners/{foreign.pk}"), 404)
        assert_problem(client.delete(f"{base}/partners/{foreign.pk}"), 404)
        assert_problem(client.get(f"{base}/leveringen/{foreign_delivery.pk}"), 404)
        assert_problem(client.patch(f"{base}/leveringen/{foreign_delivery.pk}", {"status": "ingeleverd"},
                                    format="json"), 404)
        assert_problem(client.get(f"{base}/taken/{foreign_job.pk}"), 404)
        assert_problem(client.post(f"{base}/taken/{foreign_job.pk}/retry"), 404)
    assert Partner.objects.filter(pk=foreign.pk).exists()
    foreign_delivery.refresh_from_db()
    assert foreign_delivery.state == "concept"


# --- leveringen -------------------------------------------------------------------


def test_delivery_list_and_filters(as_role, workspace, role_users):
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}/leveringen"
    body = as_role("lezer").get(url).json()
    assert body["count"] == 2 * len(DELIVERY_LAYERS)
    assert {row["status"] for row in body["results"]} == {"concept"}
    own = role_users["own"]
    body = as_role("lezer").get(url, {"partner": own.pk, "laag": "producten"}).json()
    assert [(r["partner"], r["laag"]) for r in body["results"]] == [(own.pk, "producten")]
    body = assert_problem(as_role("lezer").get(url, {"partner": "abc"}), 400)
    assert body["invalid-params"][0]["name"] == "partner"


def test_delivery_state_rules(as_role, workspace, role_users):
    own = DeliveryStatus.objects.get(partner=role_users["own"], layer="producten")
    other = DeliveryStatus.objects.get(partner=role_users["other"], layer="producten")
    base = f"{API}/samenwerkingsverbanden/{workspace.slug}/leveringen"

    response = as_role("bijdrager").patch(f"{base}/{own.pk}", {"status": "ingeleverd"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ingeleverd"
    assert response.json()["gewijzigd_door"] == role_users["bijdrager"].username

    assert_problem(as_role("bijdrager").patch(f"{base}/{other.pk}", {"status": "ingeleverd"}, format="json"), 403)
    assert_problem(as_role("lezer").patch(f"{base}/{own.pk}", {"status": "concept"}, format="json"), 403)
    body = assert_problem(as_role("bijdrager").patch(f"{base}/{own.pk}", {"status": "vastgesteld"},
                                                     format="json"), 403)
    assert "coördinator" in body["detail"]
    body = assert_problem(as_role("coordinator").patch(f"{base}/{own.pk}", {"status": "klaar"}, format="json"), 400)
    assert body["invalid-params"][0]["name"] == "status"
    body = assert_problem(as_role("coordinator").patch(f"{base}/{own.pk}", {}, format="json"), 400)
    assert body["invalid-params"][0]["name"] == "status"
    response = as_role("coordinator").patch(f"{base}/{own.pk}", {"status": "vastgesteld"}, format="json")
    assert response.json()["status"] == "vastgesteld"
    own.refresh_from_db()
    assert own.state == "vastgesteld"


# --- audit ----------------------------------------------------------------------


def test_audit_for_managers_only(as_role, workspace, role_users):
    services.update_workspace(role_users["coordinator"], workspace, goals="Nieuwe doelen")
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}/audit"
    body = as_role("coordinator").get(url).json()
    assert body["count"] == 1
    assert body["results"][0]["actie"] == "update"
    assert body["results"][0]["na"]["goals"] == "Nieuwe doelen"
    assert as_role("beheerder").get(url).status_code == 200
    for role in ("lezer", "bijdrager"):
        assert_problem(as_role(role).get(url), 403)
    assert_problem(as_role("buitenstaander").get(url), 404)


# --- taken ------------------------------------------------------------------------


def test_jobs_list_with_live_progress(as_role, workspace, role_users):
    job = Job.objects.create(workspace=workspace, kind="import", label="UPL-import", status=JobStatus.RUNNING)
    cache.set(_progress_key(job.pk), {"done": 5, "total": 20, "message": "Rij 5", "heartbeat": 0})
    try:
        base = f"{API}/samenwerkingsverbanden/{workspace.slug}/taken"
        row = as_role("lezer").get(base).json()["results"][0]
        assert (row["gedaan"], row["totaal"], row["percentage"], row["bericht"]) == (5, 20, 25, "Rij 5")
        detail = as_role("lezer").get(f"{base}/{job.pk}").json()
        assert detail["percentage"] == 25 and detail["klaar"] is False
    finally:
        cache.delete(_progress_key(job.pk))


def test_job_retry(as_role, workspace, role_users):
    base = f"{API}/samenwerkingsverbanden/{workspace.slug}/taken"
    failed = Job.objects.create(workspace=workspace, kind="import", label="x", status=JobStatus.FAILED,
                                message="Fout in rij 3", created_by=role_users["bijdrager"])
    done = Job.objects.create(workspace=workspace, kind="import", label="y", status=JobStatus.SUCCEEDED)

    assert_problem(as_role("lezer").post(f"{base}/{failed.pk}/retry"), 403)
    assert_problem(as_role("bijdrager_ander").post(f"{base}/{failed.pk}/retry"), 403)
    body = assert_problem(as_role("coordinator").post(f"{base}/{done.pk}/retry"), 409)
    assert "mislukte" in body["detail"]

    response = as_role("bijdrager").post(f"{base}/{failed.pk}/retry")  # the one who started it
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    failed.refresh_from_db()
    assert failed.status == JobStatus.QUEUED and failed.message == ""


# --- referentiedata -----------------------------------------------------------------


def test_search_gemeenten(as_role):
    client = as_role("lezer")
    body = client.get(f"{API}/referentiedata/gemeenten", {"q": "bedum"}).json()
    assert body["results"] == [{
        "cbs_code": "GM0012", "naam": "Bedum", "tooi_uri": "", "owms_uri": "", "opgeheven": True,
        "einddatum": "2019-01-01",
    }]
    assert client.get(f"{API}/referentiedata/gemeenten", {"q": "bedum", "opgeheven": "false"}).json()["count"] == 0
    assert client.get(f"{API}/referentiedata/gemeenten", {"q": "GM03"}).json()["count"] == 4
    assert_problem(APIClient().get(f"{API}/referentiedata/gemeenten"), 401)


def test_reference_versions(as_role):
    body = as_role("lezer").get(f"{API}/referentiedata/versies", {"soort": "upl"}).json()
    assert body["results"] == [{
        "soort": "upl", "versie": 3, "bron": "upl.csv", "vorm": "csv", "uittreksel": False, "actueel": True,
        "geladen_op": "2026-01-03T11:00:00+01:00", "aantal": 900, "toegevoegd": 0, "gewijzigd": 0, "verwijderd": 0,
    }]
    assert as_role("lezer").get(f"{API}/referentiedata/versies").json()["count"] == 2
    body = assert_problem(as_role("lezer").get(f"{API}/referentiedata/versies", {"soort": "postcodes"}), 400)
    assert body["invalid-params"][0]["name"] == "soort"
    assert "postcodes" in body["detail"]


def test_reference_endpoints_with_real_reference_app(as_role, monkeypatch, workspace):
    """Not faked: the reference app's own services (demo excerpt on an empty database)."""
    monkeypatch.undo()
    body = as_role("lezer").get(f"{API}/referentiedata/gemeenten", {"q": "Utrecht"}).json()
    assert body["count"] >= 1
    url = f"{API}/samenwerkingsverbanden/{workspace.slug}/partners"
    response = as_role("coordinator").post(url, {"cbs_code": body["results"][0]["cbs_code"]}, format="json")
    assert response.status_code == 201, response.content
    problem = assert_problem(as_role("coordinator").post(url, {"cbs_code": "abc"}, format="json"), 400)
    assert problem["invalid-params"][0]["name"] == "cbs_code"
    assert all(set(row) == {"cbs_code", "naam", "tooi_uri", "owms_uri", "opgeheven", "einddatum"}
               for row in body["results"])
    body = as_role("lezer").get(f"{API}/referentiedata/versies", {"soort": "gemeenten"}).json()
    assert body["count"] >= 1 and body["results"][0]["soort"] == "gemeenten"


def test_layer_apps_can_add_endpoints_without_editing_api_urls(monkeypatch):
    """``<app>/api/urls.py`` of a harmonie app is included under ``api:<label>``."""
    import importlib.machinery
    import sys
    import types

    from django.http import HttpResponse
    from django.urls import path

    from harmonie.api import urls as api_urls

    module = types.ModuleType("harmonie.core.api.urls")
    module.__spec__ = importlib.machinery.ModuleSpec("harmonie.core.api.urls", None)
    module.urlpatterns = [path("proef", lambda request: HttpResponse(), name="proef")]
    monkeypatch.setitem(sys.modules, "harmonie.core.api.urls", module)
    [included] = [p for p in api_urls._layer_app_urls() if p.namespace == "core"]
    assert included.namespace == "core"
    assert [p.name for p in included.url_patterns] == ["proef"]
