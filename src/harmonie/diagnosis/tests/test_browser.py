"""Real browser (Chromium via Playwright): the Diagnose & routekaart pages on the demo — layer panel,
index and breekijzer-toets, routekaart with the SVG Gantt chart, agreements, initiative form and the
HTML board report — pass axe-core (no serious/critical violations), raise no CSP violations and no
console errors, for the coördinator (who also takes over the sequencing proposal, adds an agreement
and puts a proposed involvement initiative on the roadmap) and for the lezer (read-only).

Reuses the web app's browser fixture and checker: skips without Chromium / node_modules / front-end
build, and fails under ``CI=true``. Full-page screenshots go to ``test-artifacts/diagnosis-*.png``.
"""

import re

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.core.tests.browser import Checker


def _login(page, base, username):
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")


def _visit(page, check, url, label, shot=None):
    response = page.goto(url)
    assert response.status == 200, f"{label}: {response.status} {url}"
    check.csp_header_ok(response)
    check.axe(label)
    if shot:
        check.shot(f"diagnosis-{shot}")
    return response


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_diagnosis_pages_in_chromium(live_server, browser_page):
    from django.contrib.auth import get_user_model

    from harmonie.diagnosis.models import Agreement, Initiative

    workspace = build_demo().workspace
    for username in ("coordinator", "bestuurder"):  # hashed with the tests' fast hasher
        user = get_user_model().objects.get(username=username)
        user.set_password(DEMO_PASSWORD)
        user.save()
    page = browser_page
    check = Checker(page)
    base = live_server.url
    w = f"{base}/w/{workspace.slug}"

    # --- coördinator -------------------------------------------------------------------------
    _login(page, base, "coordinator")

    _visit(page, check, f"{w}/laag/diagnose/", "laag diagnose", "laag")
    assert page.get_by_role("heading", name="Harmonisatie-index per laag").count() == 1

    _visit(page, check, f"{w}/diagnose/", "index en breekijzer-toets", "index")
    assert page.get_by_role("heading", name=re.compile(r"^Breekijzer-toets: \d+ bevinding")).count() == 1
    assert page.locator(".diagnosis-finding").count() >= 1, "the demo has findings"
    assert page.locator("figure.diagnosis-chart svg").count() >= 1, "index charts are drawn"
    page.get_by_role("button", name="Meting bewaren (voor de trend)").click()
    page.get_by_text("De meting is bewaard").wait_for()
    check.axe("index na meting")
    check.shot("diagnosis-bevindingen")

    # Roadmap: the Gantt chart, then take over the sequencing proposal.
    _visit(page, check, f"{w}/diagnose/routekaart/", "routekaart", "routekaart")
    assert page.locator("figure.diagnosis-chart--wide svg").count() == 1, "the Gantt chart is drawn"
    before = {i.pk: (i.start, i.end) for i in Initiative.objects.filter(workspace=workspace)}
    proposal = page.get_by_role("button", name=re.compile(r"^Voorstel overnemen"))
    assert proposal.count() == 1, "the demo roadmap has IT ahead of the business"
    proposal.click()
    page.get_by_text("Het voorstel is overgenomen").wait_for()
    after = {i.pk: (i.start, i.end) for i in Initiative.objects.filter(workspace=workspace)}
    assert before != after, "taking over the proposal moves initiatives"
    assert page.get_by_role("button", name=re.compile(r"^Voorstel overnemen")).count() == 0
    check.axe("routekaart na voorstel")
    check.shot("diagnosis-routekaart-voorstel")

    # A proposed involvement initiative (les L2) onto the roadmap.
    involvement = page.get_by_role("button", name=re.compile(r"^Op de routekaart zetten"))
    n_involvement = involvement.count()
    assert n_involvement >= 1, "the demo proposes an involvement initiative"
    n_initiatives = Initiative.objects.filter(workspace=workspace).count()
    involvement.first.click()
    page.get_by_text("staat nu op de routekaart").wait_for()
    assert Initiative.objects.filter(workspace=workspace).count() == n_initiatives + 1
    assert page.get_by_role("button", name=re.compile(r"^Op de routekaart zetten")).count() == n_involvement - 1
    check.axe("routekaart na betrokkenheid")

    # New initiative: empty submit shows errors, then a valid one.
    page.get_by_role("link", name="Initiatief toevoegen").click()
    page.wait_for_url(f"{w}/diagnose/routekaart/nieuw/")
    check.axe("nieuw initiatief")
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator(".utrecht-form-field--invalid").count() >= 1
    assert "Er is een probleem" in page.locator("[data-error-summary]").inner_text()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("Titel").get_attribute("aria-invalid") == "true"
    check.axe("nieuw initiatief met fouten")
    check.shot("diagnosis-initiatief-fouten")
    page.get_by_label("Titel").fill("Gezamenlijk klantcontactproces")
    page.get_by_label("Laag", exact=True).select_option("werkprocessen")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Initiatief ‘Gezamenlijk klantcontactproces’ is opgeslagen").wait_for()
    edit = Initiative.objects.get(workspace=workspace, title="Gezamenlijk klantcontactproces")
    _visit(page, check, f"{w}/diagnose/routekaart/{edit.pk}/", "initiatief wijzigen", "initiatief")

    # Agreements: record one, then set a partner's status.
    _visit(page, check, f"{w}/diagnose/afspraken/", "afspraken")
    n_agreements = Agreement.objects.filter(workspace=workspace).count()
    form = page.locator("form.harmonie-form")
    form.get_by_label("Titel").fill("Eén definitie van een klantcontact")
    form.get_by_label("Laag", exact=True).select_option("werkprocessen")
    form.get_by_label("Vastgesteld door").fill("Algemeen bestuur")
    form.get_by_label("Vastgesteld op").fill("2026-03-01")
    form.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("Afspraak ‘Eén definitie van een klantcontact’ is vastgelegd").wait_for()
    assert Agreement.objects.filter(workspace=workspace).count() == n_agreements + 1
    agreement = Agreement.objects.get(workspace=workspace, title="Eén definitie van een klantcontact")
    section = page.locator(f"section[aria-labelledby='afspraak-{agreement.pk}']")
    select = section.locator("select").first
    partner_name = select.evaluate("el => el.labels[0].textContent").replace("Status voor ", "").strip()
    select.select_option("gereed")
    section.get_by_role("button", name=f"Opslaan {partner_name}", exact=True).click()
    page.get_by_text(f"Status van {partner_name}").wait_for()
    check.axe("afspraken na vastleggen")
    check.shot("diagnosis-afspraken")

    # Board report: the HTML version (its inline styles are allowed by hash in the CSP). The PDF
    # (7 s of WeasyPrint) is a download, not a page: test_services and the permission matrix cover it.
    assert page.get_by_role("link", name="Bestuursrapportage (PDF)").get_attribute("href") == \
        f"/w/{workspace.slug}/diagnose/rapport/"
    _visit(page, check, f"{w}/diagnose/rapport/?format=html", "bestuursrapportage html", "rapport")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.locator("svg").count() >= 1

    page.goto(f"{base}/")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r".*/inloggen/"))

    # --- lezer (bestuurder): everything readable, nothing to change -------------------------
    _login(page, base, "bestuurder")
    _visit(page, check, f"{w}/laag/diagnose/", "laag diagnose (lezer)")
    _visit(page, check, f"{w}/diagnose/", "index (lezer)", "lezer-index")
    assert page.get_by_role("button", name="Meting bewaren (voor de trend)").count() == 0
    _visit(page, check, f"{w}/diagnose/routekaart/", "routekaart (lezer)", "lezer-routekaart")
    assert page.get_by_role("button").filter(has_text=re.compile("Voorstel overnemen|Op de routekaart")).count() == 0
    assert page.get_by_role("link", name="Initiatief toevoegen").count() == 0
    assert page.locator("main form").count() == 0
    _visit(page, check, f"{w}/diagnose/afspraken/", "afspraken (lezer)", "lezer-afspraken")
    assert page.locator("main form").count() == 0
    assert page.get_by_role("button", name="Vastleggen").count() == 0
    _visit(page, check, f"{w}/diagnose/rapport/?format=html", "bestuursrapportage (lezer)")
    n_failed = len(check.failed)
    response = page.goto(f"{w}/diagnose/routekaart/nieuw/")
    assert response.status == 403
    check.failed = check.failed[:n_failed]  # this 403 is the point
    check.console = [m for m in check.console if "403 (Forbidden)" not in m]

    csp_messages = [m for m in check.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not csp_messages, csp_messages
    assert not [f for f in check.failed if "favicon" not in f], check.failed
    errors = [m for m in check.console if m.startswith(("error", "pageerror"))]
    assert not errors, errors
    assert len(check.scanned) >= 17
