"""Respondent pages (anonymous, save and continue, strict CSP) and coördinator pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from harmonie.people import services
from harmonie.people.models import SurveyResponse

from .helpers import valid_answers

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=", re.I)


def assert_csp_clean(html):
    assert not INLINE_SCRIPT.search(html), "inline <script>"
    assert not STYLE_ATTR.search(html), "style attribute"
    assert not EVENT_ATTR.search(html), "inline event handler"
    assert "<style" not in html.lower()


def _token(world, **kwargs):
    _b, tokens = services.generate_links(world["coordinator"], world["survey"], partner=world["a"].pk, count=1,
                                         **kwargs)
    return tokens[0]


def test_respondent_walks_through_all_steps_without_account(survey_world):
    token = _token(survey_world)
    client = Client()
    url = reverse("enquete:survey", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert_csp_clean(html)
    assert "<fieldset" in html and "<legend" in html and 'for="f-nu-kenmerken-clan"' in html
    assert "people/punten.js" in html
    answers = valid_answers(7)
    for step in ("nu", "gewenst", "bereidheid", "urgentie"):
        fields = {k: v for k, v in answers.items()}
        response = client.post(url, {"stap": step, "actie": "volgende", **fields})
        assert response.status_code == 302, response.content.decode()[:500]
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert_csp_clean(page.content.decode())
    response = client.post(url, {"stap": "versturen", "actie": "versturen"})
    assert response.status_code == 302 and response["Location"] == reverse("enquete:thanks")
    assert SurveyResponse.objects.count() == 1
    again = client.get(url)
    assert again.status_code == 410 and "al ingevuld" in again.content.decode()


def test_points_not_summing_to_100_show_an_error_summary_and_keep_nothing(survey_world):
    token = _token(survey_world)
    url = reverse("enquete:survey", kwargs={"token": token})
    data = {**valid_answers(1), "nu-leiding-clan": "90"}
    response = Client().post(url, {"stap": "nu", "actie": "volgende", **data})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Er is een probleem" in html and "tellen op tot" in html and 'href="#f-nu-leiding-clan"' in html
    assert_csp_clean(html)


def test_save_and_continue_later(survey_world):
    token = _token(survey_world)
    url = reverse("enquete:survey", kwargs={"token": token})
    response = Client().post(url, {"stap": "nu", "actie": "opslaan", **valid_answers(2)})
    assert response.status_code == 200 and "Uw antwoorden zijn bewaard" in response.content.decode()
    # a new browser (no cookies) continues with the same link at the next open step
    page = Client().get(url)
    assert "Gewenste cultuur" in page.content.decode()


def test_submit_with_missing_steps_is_refused(survey_world):
    token = _token(survey_world)
    url = reverse("enquete:survey", kwargs={"token": token})
    response = Client().post(url, {"stap": "versturen", "actie": "versturen"})
    assert response.status_code == 400 and SurveyResponse.objects.count() == 0


def test_unknown_link_page(db):
    response = Client().get(reverse("enquete:survey", kwargs={"token": "onbekend-token-12345"}))
    assert response.status_code == 400 and "ongeldig" in response.content.decode()


def _login(world):
    client = Client()
    client.force_login(world["coordinator"])
    return client


def test_coordinator_creates_round_generates_links_and_sees_results(survey_world):
    world = survey_world
    client = _login(world)
    slug = world["workspace"].slug
    response = client.post(reverse("people:surveys", kwargs={"slug": slug}),
                           {"titel": "Ronde 2", "open": "2026-01-01", "sluit": "2026-12-31"})
    assert response.status_code == 302
    survey = services.surveys(world["workspace"]).get(title="Ronde 2")
    response = client.post(reverse("people:survey_links", kwargs={"slug": slug}),
                           {"ronde": survey.pk, "partner": world["a"].pk, "aantal": "6"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    links = [line.split(",")[-1] for line in response.content.decode("utf-8-sig").splitlines()[1:]]
    assert len(links) == 6 and all("/enquete/" in link for link in links)
    for i, link in enumerate(links):
        token = link.rstrip("/").rsplit("/", 1)[-1]
        services.submit(token, valid_answers(i))
    detail = client.get(reverse("people:survey", kwargs={"slug": slug}) + f"?ronde={survey.pk}")
    assert detail.status_code == 200 and "6 reacties" in detail.content.decode()
    client.post(reverse("people:survey_close", kwargs={"slug": slug}), {"ronde": survey.pk})
    detail = client.get(reverse("people:survey", kwargs={"slug": slug}) + f"?ronde={survey.pk}")
    html = detail.content.decode()
    assert "<svg" in html and "Cultuurprofiel" in html and "Verborgen" in html  # Beekveld has no responses
    assert "Partners naast elkaar" not in html  # only one visible partner: nothing to compare
    assert_csp_clean(html)


def test_survey_of_another_workspace_is_404(survey_world):
    from harmonie.core.factories import PartnerFactory, WorkspaceFactory

    elsewhere = WorkspaceFactory()
    PartnerFactory(workspace=elsewhere)
    other = services.create_survey(None, elsewhere, title="Elders", opens_on="2026-01-01", closes_on="2026-12-31")
    client = _login(survey_world)
    url = reverse("people:survey", kwargs={"slug": survey_world["workspace"].slug})
    assert client.get(url + f"?ronde={other.pk}").status_code == 404
    assert client.get(url + "?ronde=999999").status_code == 404
    response = client.post(reverse("people:survey_close", kwargs={"slug": survey_world["workspace"].slug}),
                           {"ronde": other.pk})
    other.refresh_from_db()
    assert response.status_code == 302 and other.closed_at is None


def test_steering_questionnaire_side_by_side(survey_world):
    world = survey_world
    client = _login(world)
    slug = world["workspace"].slug
    for partner, definition in ((world["a"], "Van ontvangst tot besluit, in kalenderdagen"),
                                (world["b"], "Van ontvankelijk tot verzending, in werkdagen")):
        response = client.post(reverse("people:steering_edit", kwargs={"slug": slug, "partner_id": partner.pk}),
                               {"besluit_applicatie": "Eigen college van B&W",
                                "kpi-doorlooptijd_vergunning-definitie": definition,
                                "kpi-doorlooptijd_vergunning-norm": "8 weken"})
        assert response.status_code == 302
    html = client.get(reverse("people:steering", kwargs={"slug": slug})).content.decode()
    assert "anders gedefinieerd" in html and "andere norm" not in html
    assert_csp_clean(html)


def test_layer_panels_render(survey_world):
    from harmonie.core.layers import get_layer, render_panel
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = survey_world["coordinator"]
    assert "enquêteronde" in render_panel(get_layer("cultuur"), request, survey_world["workspace"])
    assert "Aansturing naast elkaar" in render_panel(get_layer("aansturing"), request, survey_world["workspace"])


def test_rate_limit_page_and_nothing_stored(survey_world, settings):
    settings.HARMONIE_SURVEY_RATE_LIMIT = 1
    _b, tokens = services.generate_links(survey_world["coordinator"], survey_world["survey"],
                                         partner=survey_world["a"].pk, count=2)
    for token in tokens:
        for step in ("nu", "gewenst", "bereidheid", "urgentie"):
            services.save_step(token, step, valid_answers(1))
    client = Client(REMOTE_ADDR="192.0.2.44")
    first = client.post(reverse("enquete:survey", kwargs={"token": tokens[0]}), {"stap": "versturen",
                                                                                  "actie": "versturen"})
    assert first.status_code == 302
    second = client.post(reverse("enquete:survey", kwargs={"token": tokens[1]}), {"stap": "versturen",
                                                                                   "actie": "versturen"})
    assert second.status_code == 429 and "te veel" in second.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_client_address_behind_trusted_proxy(settings):
    from django.test import RequestFactory

    from harmonie.people.views import _client_key

    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.20", REMOTE_ADDR="127.0.0.1")
    settings.HARMONIE_SURVEY_TRUST_PROXY = False
    assert _client_key(request) == "127.0.0.1"
    settings.HARMONIE_SURVEY_TRUST_PROXY = True
    assert _client_key(request) == "198.51.100.20"


def test_partner_comparison_flags_differences_at_the_threshold(survey_world):
    from harmonie.core.demo import build_demo

    workspace = build_demo().workspace
    from harmonie.core.models import Membership, Role

    Membership.objects.create(user=survey_world["coordinator"], workspace=workspace, role=Role.COORDINATOR)
    survey = services.surveys(workspace).get(is_demo=True)
    html = _login(survey_world).get(reverse("people:survey", kwargs={"slug": workspace.slug})
                                    + f"?ronde={survey.pk}").content.decode()
    assert "Partners naast elkaar" in html and "⚑" in html
    assert_csp_clean(html)
