"""Real browser (Chromium via Playwright): the Applicaties pages on the demo pass axe-core and raise no CSP
violations. Reuses the web app's browser fixture and checker (skips without Chromium / front-end build)."""

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.core.tests.browser import Checker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_applications_pages_accessible_and_csp_clean(live_server, browser_page):
    workspace = build_demo().workspace
    page = browser_page
    check = Checker(page)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")
    response = page.goto(f"{base}/w/{workspace.slug}/laag/applicaties/")
    check.csp_header_ok(response)
    assert page.get_by_text("Migratie naar één zaaksysteem").count() >= 1
    check.axe("laag applicaties")
    page.goto(f"{base}/w/{workspace.slug}/applicaties/")
    check.axe("applicaties overzicht")
    check.shot("applicaties-overzicht")
    partner = workspace.partners.get(name="Lindeveen")
    page.goto(f"{base}/w/{workspace.slug}/applicaties/partners/{partner.pk}/")
    check.axe("portfolio Lindeveen")
    page.goto(f"{base}/w/{workspace.slug}/applicaties/partners/{partner.pk}/importeren/")
    check.axe("portfolio importeren")
    assert not violations, violations
    assert not [f for f in check.failed if "favicon" not in f], check.failed
