"""API of the BPMN subject: model upload and lists, correspondence suggestions, reference processes."""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from harmonie.core.jobs import run_inline
from harmonie.core.models import Job
from harmonie.processes.analysis.reference import from_bpmn, structure
from harmonie.processes.importers.bpmn import parse_bpmn

DATA = Path(__file__).resolve().parents[4] / "benchmarks" / "data" / "process_matching" / "models"
BASE = "/api/v1/samenwerkingsverbanden"


@pytest.fixture
def api(role_users):
    client = APIClient()
    client.force_authenticate(role_users["coordinator"])
    return client


def _upload(api, workspace, partner, name):
    with open(DATA / name, "rb") as handle:
        return api.post(f"{BASE}/{workspace.slug}/partners/{partner.pk}/procesmodellen", {"bestand": handle},
                        format="multipart")


def test_upload_list_suggest_and_reference(api, role_users, workspace):
    own, other = role_users["own"], role_users["other"]
    first = _upload(api, workspace, own, "14-container.A.bpmn")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "toegevoegd" and first.json()["summary"]["taken"] == 7
    assert _upload(api, workspace, own, "14-container.A.bpmn").json()["status"] == "ongewijzigd"
    second = _upload(api, workspace, other, "14-container.B.bpmn").json()
    listed = api.get(f"{BASE}/{workspace.slug}/procesmodellen").json()
    assert [m["partner"] for m in listed["results"]] == sorted([own.name, other.name])
    own_only = api.get(f"{BASE}/{workspace.slug}/partners/{own.pk}/procesmodellen").json()
    assert [m["naam"] for m in own_only["results"]] == ["Gemeente Aadorp: extra container"]

    url = f"{BASE}/{workspace.slug}/procesmodellen/overeenkomsten"
    rows = api.get(url, {"a": f"bpmn:{first.json()['model_id']}", "b": f"bpmn:{second['model_id']}"}).json()
    assert {"a_key": "a1", "a_label": "Adres controleren", "b_key": "b1", "b_label": "Controle adresgegevens"} in [
        {k: r[k] for k in ("a_key", "a_label", "b_key", "b_label")} for r in rows]
    bad = api.get(url, {"a": "bpmn:999999", "b": f"bpmn:{second['model_id']}"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    same = api.get(url, {"a": f"bpmn:{first.json()['model_id']}", "b": f"bpmn:{first.json()['model_id']}"})
    assert same.status_code == 400

    started = api.post(f"{BASE}/{workspace.slug}/referentieprocessen", {"naam": "Container", "bron": "models"},
                       format="json")
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["id"])
    result = run_inline(job.kind, job.params)
    detail = api.get(f"{BASE}/{workspace.slug}/referentieprocessen/{result['reference_id']}").json()
    assert detail["naam"] == "Container" and detail["vastgesteld"] is False
    assert detail["model"]["partners"] == sorted([own.name, other.name])
    xml = api.get(f"{BASE}/{workspace.slug}/referentieprocessen/{result['reference_id']}/bpmn")
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/xml")
    assert from_bpmn(parse_bpmn(xml.content, "r.bpmn")) == structure(detail["model"])


def test_bad_file_and_roles(api, role_users, workspace):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"{BASE}/{workspace.slug}/partners/{role_users['own'].pk}/procesmodellen"
    bad = api.post(url, {"bestand": SimpleUploadedFile("x.bpmn", b"<definitions><process id='p'/></definitions>")},
                   format="multipart")
    assert bad.status_code == 400 and "x.bpmn" in bad.json()["detail"]
    reader = APIClient()
    reader.force_authenticate(role_users["lezer"])
    with open(DATA / "14-container.A.bpmn", "rb") as handle:
        assert reader.post(url, {"bestand": handle}, format="multipart").status_code == 403
    assert reader.post(f"{BASE}/{workspace.slug}/referentieprocessen", {}, format="json").status_code == 403
