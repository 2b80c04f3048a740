"""Real browser (Chromium via Playwright): the product matrix pages on the demo pass axe-core, raise no CSP
violations and do not widen the page; screenshots in test-artifacts/. Reuses the web app's browser fixture and
checker (skips without Chromium / front-end build)."""

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.products import services
from harmonie.core.tests.browser import Checker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_matrix_pages_accessible_and_csp_clean(live_server, browser_page):
    workspace = build_demo().workspace
    services.clear_matrix_cache()
    matrix = services.product_matrix(workspace)
    if len(matrix.partners) < 2:
        pytest.skip("de demo heeft (nog) geen productcatalogi van minstens twee partners")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    check = Checker(page)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")

    def no_sideways_scroll(label):
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{label}: de pagina is {overflow}px te breed (tabellen horen in hun eigen scrollregio)"

    response = page.goto(f"{base}/w/{workspace.slug}/laag/producten/")
    check.csp_header_ok(response)
    assert page.get_by_text("Productcatalogi en productmatrix").count() == 1
    check.axe("laag producten")
    page.get_by_role("link", name="Productmatrix").first.click()
    page.wait_for_url(f"{base}/w/{workspace.slug}/producten/matrix/")
    for partner in matrix.partners:
        assert page.get_by_role("columnheader", name=partner).count() >= 1
    check.axe("productmatrix")
    no_sideways_scroll("productmatrix")
    check.shot("productmatrix")
    page.get_by_label("Alleen verschillen").check()
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**verschillen=1**")
    check.axe("productmatrix, alleen verschillen")
    row = max(matrix.shared_products, key=lambda r: (len(r.proposal.changes), len(r.partners)), default=None)
    if row is not None:
        page.goto(f"{base}/w/{workspace.slug}/producten/matrix/product/{row.slug}/")
        assert page.get_by_role("heading", name="Voorstel: de definitie die de meeste partners delen").count() == 1
        check.axe(f"product {row.label}")
        no_sideways_scroll("product")
        check.shot("productmatrix-product")
    page.goto(f"{base}/w/{workspace.slug}/producten/matrix/paren/")
    assert page.locator("table.pm-heat td").count() == len(matrix.partners) * (len(matrix.partners) + 1)
    check.axe("index per partnerpaar")
    no_sideways_scroll("heatmap")
    check.shot("productmatrix-paren")
    page.goto(f"{base}/w/{workspace.slug}/producten/matrix/uniek/")
    check.axe("unieke producten")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/w/{workspace.slug}/producten/matrix/")
    no_sideways_scroll("productmatrix op 375 px")
    check.shot("productmatrix-375")
    assert not violations, violations
    assert not [f for f in check.failed if "favicon" not in f], check.failed


def _login(page, base, username="coordinator"):
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_layout_matrix_fits_at_1280_and_catalogue_and_product_fit_at_375(live_server, browser_page):
    """The trial's layout findings: with the demo's four partners every partner column is in view at 1280 px;
    at 375 px the catalogue page needs no sideways scrolling (one block per product), the product page's UPL URI
    and the pair table's caption wrap to the screen."""
    workspace = build_demo().workspace
    services.clear_matrix_cache()
    matrix = services.product_matrix(workspace)
    if len(matrix.partners) < 4:
        pytest.skip("de demo heeft (nog) geen productcatalogi van vier partners")
    page = browser_page
    check = Checker(page)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, base)
    page.goto(f"{base}/w/{workspace.slug}/producten/matrix/")
    region = page.locator(".pm-matrix-wrap").bounding_box()
    last = page.get_by_role("columnheader", name=matrix.partners[-1]).bounding_box()
    assert last["x"] + last["width"] <= region["x"] + region["width"] + 1, "laatste partnerkolom valt buiten beeld"
    check.shot("productmatrix-1280-passend")

    def inner_overflow(selector):
        return page.evaluate(f"() => {{ const e = document.querySelector('{selector}'); "
                             "return e ? e.scrollWidth - e.clientWidth : 0; }")

    def page_overflow():
        return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")

    page.set_viewport_size({"width": 375, "height": 800})
    partner = workspace.partners.get(name="Heidemeer")
    page.goto(f"{base}/w/{workspace.slug}/producten/catalogi/{partner.pk}/")
    assert page_overflow() <= 1
    assert inner_overflow(".pc-products") <= 1 and inner_overflow(".harmonie-table-wrap:has(.pc-products)") <= 1, \
        "de catalogus vraagt op 375 px om zijwaarts schuiven"
    button = page.get_by_role("button", name="Bevestigen").first.bounding_box()
    assert button["x"] + button["width"] <= 375
    check.axe("catalogus op 375 px")
    check.shot("catalogus-375")
    row = matrix.shared_products[0]
    page.goto(f"{base}/w/{workspace.slug}/producten/matrix/product/{row.slug}/")
    assert page_overflow() <= 1
    uri = page.locator(".pm-uri").first.bounding_box()
    assert uri["x"] + uri["width"] <= 375
    check.shot("product-375")
    page.goto(f"{base}/w/{workspace.slug}/producten/matrix/paren/")
    caption = page.locator(".pm-heat caption").bounding_box()
    assert caption["width"] <= 375, "het onderschrift van de paartabel wordt afgesneden"
    check.shot("paren-375")
