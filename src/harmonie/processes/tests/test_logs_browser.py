"""Real browser (Chromium via Playwright): the event-log pages on the demo pass axe-core, raise no CSP
violations and do not scroll sideways at 1280 px (maps scroll inside their own region)."""

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.core.tests.browser import Checker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_event_log_pages_accessible_and_csp_clean(live_server, browser_page, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
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
    response = page.goto(f"{base}/w/{workspace.slug}/laag/werkprocessen/")
    check.csp_header_ok(response)
    assert page.get_by_text("Eventlogs van 4 partners geïmporteerd").count() == 1
    check.axe("laag werkprocessen")
    page.goto(f"{base}/w/{workspace.slug}/werkprocessen/logboeken/")
    assert page.get_by_role("heading", name="Beste presteerder per stap").count() == 1
    check.axe("eventlogs vergelijken")
    check.shot("eventlogs-overzicht")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    lindeveen, heidemeer = workspace.partners.get(name="Lindeveen"), workspace.partners.get(name="Heidemeer")
    log = lindeveen.event_logs.get()
    page.goto(f"{base}/w/{workspace.slug}/werkprocessen/logboeken/{log.pk}/")
    assert page.locator("svg.pm-map").count() == 1
    check.axe("proceskaart")
    check.shot("proceskaart")
    page.goto(f"{base}/w/{workspace.slug}/werkprocessen/logboeken/vergelijk/{lindeveen.pk}/{heidemeer.pk}/")
    assert page.locator("svg.pm-map").count() == 3
    check.axe("verschilkaart")
    check.shot("verschilkaart")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(f"{base}/w/{workspace.slug}/werkprocessen/logboeken/partner/{lindeveen.pk}/importeren/")
    check.axe("eventlog importeren")
    assert not violations, violations
    assert not [f for f in check.failed if "favicon" not in f], check.failed
