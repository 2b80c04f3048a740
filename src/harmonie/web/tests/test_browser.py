"""Real-browser test: headless Debian Chromium through Playwright, against a
live Django server. Walks the coördinator's user story, scans every page with
axe-core (no serious or critical violations) and checks the CSP.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``) and the front-end
build (``npm ci && npm run build``). Under ``CI=true`` missing pieces make the
test fail; elsewhere it is skipped with the reason.
"""

import re

import pytest
from django.urls import reverse

from harmonie.core.factories import UserFactory
from harmonie.core.layers import LAYERS
from harmonie.core.models import Job, Workspace
from harmonie.core.tests.browser import PASSWORD, Checker


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_story_in_chromium(live_server, browser_page, fake_register):
    page = browser_page
    check = Checker(page)
    base = live_server.url
    UserFactory(username="coordinator", password=PASSWORD)

    # Log in; on the home page the first Tab reaches the visible skip link.
    response = page.goto(f"{base}/inloggen/")
    check.csp_header_ok(response)
    check.axe("inloggen")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")
    check.axe("home (leeg)")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('utrecht-skip-link')"), \
        page.evaluate("() => document.activeElement.outerHTML")
    box = page.locator(".utrecht-skip-link").bounding_box()
    assert box and box["y"] >= 0, box
    check.shot("00-skiplink")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhoud"

    # Create a samenwerkingsverband; first submit empty to see the error summary.
    page.get_by_role("link", name="Nieuw samenwerkingsverband").click()
    check.axe("nieuw")
    page.get_by_role("button", name="Aanmaken").click()
    summary = page.locator("[data-error-summary]")
    assert "Er is een probleem" in summary.inner_text()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    check.axe("nieuw met fouten")
    check.shot("01-foutoverzicht")
    page.get_by_label("Naam", exact=False).first.fill("Servicecentrum Leidse Regio")
    page.get_by_label("Wgr-vorm").select_option("bedrijfsvoeringsorganisatie")
    page.get_by_label("Gezamenlijke visie").fill("Samen één dienstverlening, vanuit de behoefte van bestuur en "
                                                  "primair proces.")
    page.get_by_role("button", name="Aanmaken").click()
    workspace = Workspace.objects.get(name="Servicecentrum Leidse Regio")
    slug = workspace.slug
    page.wait_for_url(f"{base}/w/{slug}/partners/")

    # Add three partners from the register through the plain search form.
    for query, name in [("leid", "Leiden"), ("leid", "Leiderdorp"), ("zoeter", "Zoeterwoude")]:
        page.get_by_label("Zoek een gemeente").fill(query)
        page.get_by_role("button", name="Zoeken").click()
        page.get_by_role("button", name=f"Toevoegen {name}", exact=True).click()
        page.get_by_text(f"{name} (", exact=False).first.wait_for()
    check.axe("partners met zoekresultaat")
    assert any("q=zoeter" in url for url in check.htmx_requests), "the search is enhanced with htmx"
    page.get_by_label("Zoek een gemeente").fill("noord")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_text("opgeheven per").wait_for()
    check.axe("partners met opgeheven gemeente")
    check.shot("02a-zoekresultaat")
    assert workspace.partners.count() == 3
    # A duplicate by code shows the service's Dutch message in the summary.
    page.get_by_label("CBS-code").fill("546")
    page.get_by_role("button", name="Partner toevoegen").click()
    assert "al partner" in page.locator("[data-error-summary]").inner_text()
    check.axe("partners met fout")
    check.shot("02-partners")

    # Invite a contributor for Leiden: the one-time link is shown.
    page.get_by_role("link", name="Leden").click()
    page.get_by_label("Gebruikersnaam", exact=True).fill("i.adviseur.leiden")
    page.get_by_label("Rol", exact=True).select_option("partnerbijdrager")
    page.locator("#id_partner").select_option(label="Leiden")
    page.get_by_role("button", name="Uitnodigen").click()
    assert "/wachtwoord/" in page.locator("#uitnodigingslink").inner_text()
    check.axe("leden")
    check.shot("03-leden")

    # Overview with the partners × layers matrix, and a page per layer.
    page.get_by_role("link", name="Overzicht").click()
    assert page.locator("table tbody tr").count() == 3
    check.axe("overzicht")
    check.shot("04-overzicht")
    for layer in LAYERS:
        page.goto(f"{base}{reverse('web:layer', args=[slug, layer.key])}")
        check.axe(f"laag {layer.key}")
    page.goto(f"{base}{reverse('web:layer', args=[slug, 'producten'])}")
    page.get_by_label("Nieuwe status voor Leiden", exact=True).select_option("vastgesteld")
    page.get_by_role("button", name="Opslaan Leiden", exact=True).click()
    page.get_by_text("is nu ‘Vastgesteld’").wait_for()
    check.axe("laag na statuswijziging")
    check.shot("05-laag-producten")

    # The audit log shows who added the partners, before/after of the status.
    page.get_by_role("link", name="Auditlog").click()
    audit_text = page.locator("main").inner_text()
    for name in ["Leiden", "Leiderdorp", "Zoeterwoude", "coordinator", "Vastgesteld", "Producten & diensten"]:
        assert name in audit_text, name
    check.axe("audit")
    check.shot("06-auditlog")

    # Remove-partner confirmation page (not confirmed).
    page.get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Verwijderen Zoeterwoude").click()
    assert "gaan verloren" in page.locator("main").inner_text()
    check.axe("partner verwijderen")
    page.get_by_role("link", name="Nee, terug naar partners").click()

    # Jobs: the progress fragment polls every second and stops when finished.
    job = Job.objects.create(workspace=workspace, kind="demo", label="Import producten Leiden",
                             status="running", done=2, total=5)
    failed = Job.objects.create(workspace=workspace, kind="demo", label="Import zaaktypen Leiderdorp",
                                status="failed", message="Rij 7: onbekend zaaktype.")
    page.get_by_role("link", name="Taken").click()
    check.axe("taken")
    page.get_by_role("link", name=job.label).click()
    page.get_by_text("2 van 5").wait_for()
    check.axe("taak bezig")
    Job.objects.filter(pk=job.pk).update(status="succeeded", done=5)
    page.get_by_text("5 van 5").wait_for(timeout=5000)
    assert page.locator("#taak-voortgang[hx-trigger]").count() == 0
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "voortgang" in r.url else None)
    page.wait_for_timeout(2500)
    assert requests == [], "polling should stop when the job is finished"
    page.goto(f"{base}{reverse('web:job_detail', args=[slug, failed.pk])}")
    check.axe("taak mislukt")
    page.get_by_role("button", name="Opnieuw starten").click()
    failed.refresh_from_db()
    assert failed.status == "queued"
    check.shot("07-taak")

    # API token page.
    page.get_by_role("link", name="API-token").click()
    page.get_by_role("button", name="Token aanmaken").click()
    assert len(page.locator("#api-token").inner_text().strip()) == 40
    check.axe("token")
    check.shot("08-token")

    # Reference data: the installation-wide lists and the upload form.
    page.get_by_role("link", name="Referentiedata").click()
    page.get_by_role("heading", name="Geladen lijsten").wait_for()
    assert page.get_by_role("button", name="Laden").is_visible()
    page.get_by_role("button", name="Laden").click()  # nothing chosen: error summary
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    check.axe("referentiedata")
    check.shot("08a-referentiedata")

    # Keyboard focus is visible on a focused link (outline drawn).
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
    check.axe("home")
    check.shot("09-home")

    # The not-found page (also what an outsider sees of a workspace).
    n_console = len(check.console)
    response = page.goto(f"{base}/w/bestaat-niet/")
    assert response.status == 404
    # this 404 is the point: drop exactly its own failed-request report
    check.failed = [f for f in check.failed if "/w/bestaat-niet/" not in f]
    check.console = [m for m in check.console[:n_console]] + [
        m for m in check.console[n_console:] if "404 (Not Found)" not in m]
    check.axe("niet gevonden")

    # Logout.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r".*/inloggen/"))

    csp_messages = [m for m in check.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not csp_messages, csp_messages
    assert not check.failed, check.failed
    errors = [m for m in check.console if m.startswith(("error", "pageerror"))]
    assert not errors, errors
    assert len(check.scanned) >= 15


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_core_pages_fit_a_phone_and_a_desktop(live_server, browser_page):
    """375 px (phone) and 1280 px: no sideways scrolling, a compact header on the phone with the tools and the
    layers in <details> menus, a long workspace name cut off in the switcher; screenshots in test-artifacts/."""
    from harmonie.core.factories import PartnerFactory, WorkspaceFactory
    from harmonie.core.models import Membership

    page = browser_page
    check = Checker(page)
    base = live_server.url
    user = UserFactory(username="coordinator", password=PASSWORD)
    workspace = WorkspaceFactory(name="Gemeenschappelijke regeling Informatievoorziening Drechtsteden en "
                                      "Alblasserwaard-Vijfheerenlanden", slug="drechtsteden")
    Membership.objects.create(user=user, workspace=workspace, role="coordinator")
    PartnerFactory(workspace=workspace, name="Hendrik-Ido-Ambacht")
    done = Job.objects.create(workspace=workspace, kind="products.catalogue_import", label="Productcatalogus "
                              "Dordrecht (sc-products-170-gemeenten-2023-10.csv.gz)", status="succeeded", done=248,
                              total=248, attempts=1, created_by=user,
                              result={"url": reverse("web:partners", args=[workspace.slug]),
                                      "url_label": "Bekijk de catalogus van Dordrecht"})
    slug = workspace.slug
    pages = {
        "home": "/",
        "overzicht": reverse("web:workspace_detail", args=[slug]),
        "partners": reverse("web:partners", args=[slug]),
        "leden": reverse("web:members", args=[slug]),
        "auditlog": reverse("web:audit", args=[slug]),
        "taken": reverse("web:jobs", args=[slug]),
        "taak": reverse("web:job_detail", args=[slug, done.pk]),
        "laag": reverse("web:layer", args=[slug, LAYERS[1].key]),
        "token": reverse("web:token"),
        "referentiedata": reverse("reference:index"),
    }
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")

    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for label, path in pages.items():
            page.goto(f"{base}{path}")
            assert page.evaluate(NO_SIDEWAYS_SCROLL), (
                label, width, page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]"))
            check.axe(f"{label} {width}px")
            check.shot(f"smal-breed-{label}-{width}")
            h1 = page.locator("h1").first.bounding_box()
            assert h1["x"] + h1["width"] <= width, (label, width, h1)
            if width == 375 and path != "/" and "referentiedata" not in label and label != "token":
                # header, workspace navigation and the closed "Lagen" menu leave the page title in view
                assert h1["y"] < 320, (label, h1)

    # The phone menus open without JavaScript and hold the same tools and layers.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}{pages['taak']}")
    assert not page.get_by_role("button", name="Uitloggen").is_visible()
    page.locator("summary", has_text="Menu").click()
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    switcher = page.locator("#wissel-w-menu")
    assert switcher.get_attribute("title") == workspace.name
    assert switcher.bounding_box()["width"] < 375
    page.locator("summary", has_text="Lagen").click()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    check.axe("menu's open 375px")
    check.shot("smal-menus-open-375")
    page.get_by_role("link", name=LAYERS[1].title).click()
    page.wait_for_url(f"{base}{reverse('web:layer', args=[slug, LAYERS[1].key])}")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # The finished job links to its result.
    page.goto(f"{base}{pages['taak']}")
    page.get_by_role("link", name="Bekijk de catalogus van Dordrecht").click()
    page.wait_for_url(f"{base}{pages['partners']}")

    # On a desktop the tools and the layer list are shown directly, the menus not at all.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}{pages['overzicht']}")
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    assert not page.locator("summary", has_text="Menu").is_visible()
    assert page.get_by_role("heading", name="Lagen").is_visible()

    csp_messages = [m for m in check.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not csp_messages, csp_messages
    assert not check.failed, check.failed
