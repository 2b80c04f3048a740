"""Real browser (Chromium via Playwright): the respondent form on a phone-sized screen (with the
optional sum helper), the coördinator's results and the layer page pass axe-core and raise no CSP
violations. Reuses the web app's browser fixture (skips without Chromium / front-end build)."""

import pytest

from harmonie.core.demo import DEMO_PASSWORD, build_demo
from harmonie.core.tests.browser import Checker

from .helpers import valid_answers


def assert_no_horizontal_overflow(page, what):
    """The page does not scroll sideways; on failure, name the elements that stick out."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    if width > viewport:
        raise AssertionError(f"{what}: {width} px wide in a {viewport} px window; sticking out: "
                             f"{_sticking_out(page, 'body *')}")


def assert_people_content_fits(page, what, within="window"):
    """Nothing of the people layer (result cards, tables, kites, help) sticks out of the window, or
    with ``within="main"`` out of the main column. (On a phone the site-wide header, and on the layer
    page the web app's own delivery table, are outside this app's reach and can widen the page.)"""
    culprits = _sticking_out(page, ".people-results, .people-results *, .people-help, .people-help *", within)
    assert not culprits, f"{what}: sticking out of the {within}: {culprits}"


def _sticking_out(page, selector, within="window"):
    # Content of a scroll region (a wide table) may be wider: the region itself must fit.
    return page.evaluate("""([selector, within]) => {
        const main = document.querySelector('main');
        const edge = within === 'main' && main
            ? main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight)
            : window.innerWidth;
        return Array.from(document.querySelectorAll(selector))
          .filter(el => !(el.parentElement && el.parentElement.closest('.harmonie-table-wrap')))
          .filter(el => el.getBoundingClientRect().right > edge + 0.5)
          .slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + (el.className.baseVal ?? el.className)
              + ' ' + Math.round(el.getBoundingClientRect().right) + ' > ' + Math.round(edge)); }""",
        [selector, within])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_respondent_and_results_pages_accessible_and_csp_clean(live_server, browser_page, settings):
    import datetime

    from django.utils import timezone

    from harmonie.people import services

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    workspace = build_demo().workspace
    today = timezone.localdate()
    survey = services.create_survey(None, workspace, title="Browserronde", opens_on=today,
                                    closes_on=today + datetime.timedelta(days=7))
    _batch, tokens = services.generate_links(None, survey, partner=workspace.partners.first().pk, count=1)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    check = Checker(page)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    base = live_server.url

    response = page.goto(f"{base}/enquete/{tokens[0]}/")
    check.csp_header_ok(response)
    check.axe("enquête stap 1")
    answers = valid_answers(5)
    for name, value in answers.items():
        if name.startswith("nu-"):
            page.fill(f"#f-{name}", value)
    page.fill("#f-nu-kenmerken-clan", str(int(answers["nu-kenmerken-clan"]) + 5))
    total = page.locator("[data-points-output]").first
    assert total.text_content() == "105"  # the helper counts along (and the server refuses 105)
    page.fill("#f-nu-kenmerken-clan", answers["nu-kenmerken-clan"])
    assert total.text_content() == "100"
    check.shot("enquete-stap1-mobiel")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url("**stap=gewenst")
    check.axe("enquête stap 2")
    page.get_by_role("button", name="Volgende").click()  # nothing filled in: error summary
    assert page.get_by_role("heading", name="Er is een probleem").count() == 1
    check.axe("enquête foutoverzicht")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")
    demo = services.surveys(workspace).get(is_demo=True)
    page.goto(f"{base}/w/{workspace.slug}/enquetes/ronde/?ronde={demo.pk}")
    assert page.locator("svg.people-kite").count() >= 4
    assert page.get_by_text("Signaal: dwang").count() >= 1
    check.axe("uitkomsten demo-ronde")
    check.shot("enquete-uitkomsten")
    assert_no_horizontal_overflow(page, "uitkomsten demo-ronde (1280 px)")
    assert page.locator(".people-result [role=region][tabindex='0']").count() >= 4
    page.goto(f"{base}/w/{workspace.slug}/laag/cultuur/")
    check.axe("laag cultuur")
    assert_no_horizontal_overflow(page, "laag cultuur, open ronde (1280 px)")
    survey.delete()  # the layer page now shows the latest round with results: the closed demo round
    page.goto(f"{base}/w/{workspace.slug}/laag/cultuur/")
    assert page.locator("svg.people-kite").count() >= 4
    check.axe("laag cultuur met uitkomsten")
    check.shot("laag-cultuur")
    assert_no_horizontal_overflow(page, "laag cultuur (1280 px)")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{base}/w/{workspace.slug}/enquetes/ronde/?ronde={demo.pk}")
    check.shot("enquete-uitkomsten-mobiel")
    assert_people_content_fits(page, "uitkomsten demo-ronde (375 px)")
    page.goto(f"{base}/w/{workspace.slug}/laag/cultuur/")
    check.shot("laag-cultuur-mobiel")
    assert_people_content_fits(page, "laag cultuur (375 px)", within="main")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/w/{workspace.slug}/aansturing/")
    check.axe("aansturing naast elkaar")
    check.shot("aansturing")
    assert not violations, violations
    assert not [f for f in check.failed if "favicon" not in f and " 400 " not in f and not f.startswith("400")], \
        check.failed
