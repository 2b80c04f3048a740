"""Real browser (Chromium via Playwright): the zaaktypen pages on the demo pass axe-core and raise no CSP
violations; a bijdrager confirms a suggested pair in the page."""

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.core.tests.browser import Checker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_zaaktypen_pages_accessible_and_csp_clean(live_server, browser_page):
    from harmonie.processes.models import Correspondence

    workspace = build_demo().workspace
    page = browser_page
    check = Checker(page)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("bijdrager-lindeveen")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")
    response = page.goto(f"{base}/w/{workspace.slug}/werkprocessen/zaaktypen/")
    check.csp_header_ok(response)
    assert page.get_by_text("Environmental permit application").count() >= 1
    check.axe("zaaktypen overzicht")
    check.shot("zaaktypen-overzicht")
    pair = Correspondence.objects.get(workspace=workspace, a_key="HM-ENV-1", b_key="LV-OMV-01")
    page.get_by_role("button", name=f"Bevestigen {pair.a_label} ≈ {pair.b_label}").click()
    page.wait_for_load_state()
    pair.refresh_from_db()
    assert pair.status == "bevestigd"
    partner = workspace.partners.get(name="Lindeveen")
    page.goto(f"{base}/w/{workspace.slug}/werkprocessen/zaaktypen/partners/{partner.pk}/importeren/")
    check.axe("zaaktypen importeren")
    assert not violations, violations
    assert not [f for f in check.failed if "favicon" not in f], check.failed
