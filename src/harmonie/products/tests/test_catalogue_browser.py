"""Real browser (Chromium via Playwright): the catalogue pages on the demo pass axe-core, raise no CSP
violations, and a contributor confirms a suggestion by clicking. Reuses the web app's browser fixture and
checker (skips without Chromium / front-end build)."""

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.products.models import MappingOrigin, ProductRecord
from harmonie.core.tests.browser import Checker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_catalogue_pages_accessible_and_confirm_by_click(live_server, browser_page):
    workspace = build_demo().workspace
    page = browser_page
    check = Checker(page)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("bijdrager-oosterwaarde")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")
    response = page.goto(f"{base}/w/{workspace.slug}/producten/catalogi/")
    check.csp_header_ok(response)
    check.axe("catalogi")
    partner = workspace.partners.get(name="Oosterwaarde")
    page.goto(f"{base}/w/{workspace.slug}/producten/catalogi/{partner.pk}/")
    check.axe("catalogus Oosterwaarde")
    product = ProductRecord.objects.filter(partner=partner).order_by("title").first()
    second = product.mappings.get(origin=MappingOrigin.SUGGESTION, rank=2)
    row = page.locator(f"#product-{product.pk}")
    assert second.upl_label in row.locator(".pc-suggestions li").nth(1).inner_text()
    row.locator(".pc-suggestions li").nth(1).get_by_role("button").click()
    page.wait_for_load_state()
    assert product.mappings.get(origin=MappingOrigin.CONFIRMED).upl_uri == second.upl_uri
    check.axe("catalogus na bevestigen")
    check.shot("catalogus-oosterwaarde")
    page.goto(f"{base}/w/{workspace.slug}/producten/catalogi/{partner.pk}/importeren/")
    check.axe("catalogus importeren")
    page.goto(f"{base}/w/{workspace.slug}/producten/catalogi/{partner.pk}/alles-bevestigen/?drempel=0.5")
    check.axe("in bulk bevestigen")
    check.shot("catalogus-bulk")
    assert not violations, violations
    assert not [f for f in check.failed if "favicon" not in f], check.failed
