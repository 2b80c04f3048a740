"""People API: same anonymity rules as the UI and the command; raw answers never exposed."""

import pytest
from rest_framework.test import APIClient

from harmonie.people import services

from .helpers import valid_answers

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_round_links_groups_close_and_results_via_api(survey_world):
    world = survey_world
    client = _client(world["coordinator"])
    base = f"/api/v1/samenwerkingsverbanden/{world['workspace'].slug}"
    created = client.post(f"{base}/enquetes", {"titel": "API-ronde", "open_vanaf": "2026-01-01",
                                               "open_tot_en_met": "2026-12-31"}, format="json")
    assert created.status_code == 201, created.content
    ronde = created.json()["id"]
    group = client.post(f"{base}/enquetes/groepen", {"ronde": ronde, "partner": world["a"].pk, "naam": "Team"},
                        format="json")
    assert group.status_code == 201
    links = client.post(f"{base}/enquetes/links", {"ronde": ronde, "partner": world["a"].pk, "aantal": 7,
                                                   "groep": group.json()["id"]}, format="json")
    assert links.status_code == 201 and len(links.json()["links"]) == 7
    for i, link in enumerate(links.json()["links"]):
        services.submit(link.rstrip("/").rsplit("/", 1)[-1], valid_answers(i, comment="geheim"))
    closed = client.post(f"{base}/enquetes/sluiten", {"ronde": ronde}, format="json")
    assert closed.status_code == 200 and closed.json()["gesloten"] is True
    listing = client.get(f"{base}/enquetes").json()
    found = next(r for r in listing["results"] if r["id"] == ronde)
    partners = found["resultaten"]["partners"]
    assert partners[world["a"].cbs_code]["n"] == 7
    assert partners[world["b"].cbs_code] == {"partner": "Beekveld", "suppressed": True}
    text = str(listing)
    assert "geheim" not in text and "oric-1" not in text  # no raw answers, no free text


def test_bad_input_is_problem_json(survey_world):
    client = _client(survey_world["coordinator"])
    base = f"/api/v1/samenwerkingsverbanden/{survey_world['workspace'].slug}"
    response = client.post(f"{base}/enquetes", {"titel": "X", "open_vanaf": "2026-05-10",
                                                "open_tot_en_met": "2026-05-01"}, format="json")
    assert response.status_code == 400 and "openingsdatum" in response.content.decode()
    response = client.post(f"{base}/enquetes/links", {"ronde": 999999, "partner": 1, "aantal": 1}, format="json")
    assert response.status_code == 404


def test_steering_comparison_via_api(survey_world):
    services.save_steering(survey_world["coordinator"], survey_world["a"], answers={"mandaat": "Geen mandaat"},
                           kpis={})
    services.save_steering(survey_world["coordinator"], survey_world["b"], answers={"mandaat": "Alleen uitvoering"},
                           kpis={})
    data = _client(survey_world["coordinator"]).get(
        f"/api/v1/samenwerkingsverbanden/{survey_world['workspace'].slug}/aansturing").json()
    row = next(q for q in data["questions"] if q["key"] == "mandaat")
    assert row["differs"] is True and row["cells"] == ["Geen mandaat", "Alleen uitvoering"]
