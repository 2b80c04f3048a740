"""Event-log pages, API and layer panel: real imports, rendered figures, upload + column-mapping flow, privacy."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from harmonie.processes.services import logs as services
from harmonie.processes.models import EventLog
from harmonie.processes.tests.helpers import write_xes

pytestmark = pytest.mark.django_db

A = {
    "a1": [("Intake", "2024-01-01T09:00:00Z"), ("Toets", "2024-01-02T09:00:00Z"), ("Besluit", "2024-01-04T09:00:00Z")],
    "a2": [("Intake", "2024-01-01T09:00:00Z"), ("Toets", "2024-01-01T21:00:00Z"), ("Besluit", "2024-01-02T09:00:00Z")],
}
B = {
    "b1": [("Intake", "2024-01-01T09:00:00Z"), ("Toets", "2024-01-03T09:00:00Z"), ("Toets", "2024-01-04T09:00:00Z"),
           ("Besluit", "2024-01-05T09:00:00Z")],
    "b2": [("Intake", "2024-01-01T09:00:00Z"), ("Advies", "2024-01-02T09:00:00Z"), ("Besluit", "2024-01-03T09:00:00Z")],
}


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.HARMONIE_PROCESS_BEST_MIN_CASES = 1  # the helper logs have two cases per partner


@pytest.fixture
def imported(role_users, workspace, tmp_path):
    own, other = role_users["own"], role_users["other"]
    for partner, traces, name in ((own, A, "a.xes"), (other, B, "b.xes")):
        path = write_xes(tmp_path / name, traces)
        services.import_event_log(None, workspace, partner, path, name)
    return own, other


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_overview_shows_comparison_best_performer_and_no_raw_resource(role_users, workspace, imported):
    own, other = imported
    response = _client(role_users["lezer"]).get(reverse("processes:logs", args=[workspace.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert own.name in html and other.name in html
    # rework: one of B's two cases repeats "Toets" → 50%; A has none → 0%
    assert "50%" in html and "0%" in html
    assert "Gemeenschappelijke kern" in html and "Besluit" in html
    # best performer for Toets: A waits 12 h / 24 h (median 18 h) vs B 48 h → A
    assert re.search(r"Toets</th>.*?<strong>" + re.escape(own.name), html, re.S)
    assert "560872" not in html  # the raw org:resource of the helper logs
    assert "<script" not in html.split("</head>", 1)[1] and "style=" not in html


def test_log_page_map_with_phase_filter_and_pair_page(role_users, workspace, imported):
    own, other = imported
    log = EventLog.objects.get(partner=own)
    client = _client(role_users["bijdrager_ander"])
    html = client.get(reverse("processes:log", args=[workspace.slug, log.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="pm-map"' in html and "Intake → Toets" in html
    assert "style=" not in html
    log_b = EventLog.objects.get(partner=other)
    html = client.get(reverse("processes:log", args=[workspace.slug, log_b.pk]) + "?top=2").content.decode()
    svg = re.search(r'<svg.*?</svg>', html, re.S).group(0)
    # B: Intake and Besluit are in both cases, Toets and Advies in one: the top 2 leave those out
    assert "Intake → Besluit" in svg and "Toets" not in svg and "Advies" not in svg
    html = client.get(reverse("processes:compare_pair", args=[workspace.slug, own.pk, other.pk])).content.decode()
    # every step of A also occurs at B: no edge "only at A"
    assert "Verschilkaart" in html and "pm-edge--a" not in html and "pm-edge--b" in html and "pm-edge--both" in html
    # Intake → Advies only at B, Toets → Toets only at B, Intake → Toets at both
    assert re.search(r"Intake → Advies</td>\s*<td[^>]*>" + re.escape(other.name), html)


def test_layer_panel_links_and_summary(role_users, workspace, imported):
    html = _client(role_users["lezer"]).get(reverse("web:layer", args=[workspace.slug, "werkprocessen"])).content.decode()
    assert reverse("processes:logs", args=[workspace.slug]) in html
    assert "Eventlogs van 2 partners geïmporteerd" in html


def test_upload_and_mapping_flow_in_the_browser_pages(role_users, workspace, tmp_path):
    own = role_users["own"]
    client = _client(role_users["bijdrager"])
    wb = Workbook()
    ws = wb.active
    ws.append(["Nummer", "Handeling", "Wanneer", "Behandelaar"])
    ws.append(["Z1", "Intake", dt.datetime(2024, 1, 1, 9), "Fatima"])
    ws.append(["Z1", "Besluit", dt.datetime(2024, 1, 3, 9), "Fatima"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    with open(path, "rb") as handle:
        response = client.post(reverse("processes:log_upload", args=[workspace.slug, own.pk]), {"file": handle})
    assert response.status_code == 302 and "/kolommen/?upload=" in response["Location"]
    page = client.get(response["Location"])
    assert b"Nummer" in page.content and b"Handeling" in page.content
    response = client.post(response["Location"], {"case_id": "Nummer", "activity": "Handeling",
                                                  "timestamp": "Wanneer", "resource": "Behandelaar"})
    assert response.status_code == 302 and "/taken/" in response["Location"]
    from harmonie.core.jobs import run_inline
    from harmonie.core.models import Job

    job = Job.objects.get(kind=services.IMPORT_JOB)
    run_inline(job.kind, job.params)
    log = EventLog.objects.get(partner=own)
    assert log.events == 2 and log.pseudonymised_columns == ["resource"]
    assert services.saved_mapping(own)["resource"] == "Behandelaar"
    # the other partner's contributor cannot upload for this partner
    other_client = _client(role_users["bijdrager_ander"])
    assert other_client.get(reverse("processes:log_upload", args=[workspace.slug, own.pk])).status_code == 403


def test_api_list_detail_and_pair(role_users, workspace, imported):
    own, other = imported
    client = _client(role_users["lezer"])
    data = client.get(f"/api/v1/samenwerkingsverbanden/{workspace.slug}/eventlogs").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert sorted(r["cases"] for r in rows) == [2, 2]
    log = EventLog.objects.get(partner=other)
    detail = client.get(f"/api/v1/samenwerkingsverbanden/{workspace.slug}/eventlogs/{log.pk}").json()
    assert detail["herhaald_werk"] == 0.5 and detail["kengetallen"]["variants"] == 2
    pair = client.get(f"/api/v1/samenwerkingsverbanden/{workspace.slug}/eventlogs/vergelijking/{own.pk}/{other.pk}")
    body = pair.json()
    assert body["pair"]["activity_overlap"] == pytest.approx(3 / 4)
    assert body["pair"]["fit_a_on_b"]["case_fitness"] is not None


def test_confirmed_activity_correspondences_map_to_one_label(role_users, workspace, imported):
    from harmonie.processes.models import Correspondence, CorrespondenceKind, CorrespondenceStatus

    own, other = imported
    before = services.log_comparison(workspace)["pairs"][0]
    assert before["activity_overlap"] == pytest.approx(3 / 4)  # B has Advies, A does not
    row = Correspondence.objects.create(workspace=workspace, kind=CorrespondenceKind.ACTIVITY, a_partner=own,
                                        a_key="Toets", a_label="Toets", b_partner=other, b_key="Advies",
                                        b_label="Advies", status=CorrespondenceStatus.SUGGESTED)
    assert services.log_comparison(workspace)["pairs"][0]["activity_overlap"] == pytest.approx(3 / 4)  # not yet
    row.status = CorrespondenceStatus.CONFIRMED
    row.save()
    after = services.log_comparison(workspace)
    assert after["pairs"][0]["activity_overlap"] == 1.0 and after["mapped_activities"] == 2
    assert "Advies" not in {r["activity"] for r in after["partners"][other.name]["activity_table"]}
    unmapped = services.log_comparison(workspace, services.ViewOptions(use_mapping=False))
    assert unmapped["pairs"][0]["activity_overlap"] == pytest.approx(3 / 4)
