"""Real-browser test: a reference process with 30 core steps (as from BPIC) is shown at a readable zoom in a
scrollable frame instead of being fitted into an unreadable strip; screenshots at 1280 and 375 px."""

import pytest
from django.urls import reverse

from harmonie.core.factories import UserFactory
from harmonie.core.models import Membership, Role
from harmonie.core.tests.browser import ARTIFACTS, PASSWORD, require_file
from harmonie.core.tests.browser import BPMN_VIEWER as VIEWER


def _long_reference(workspace):
    from harmonie.processes.analysis.reference import Behaviour, build_reference, to_bpmn
    from harmonie.processes.models import ReferenceProcess

    steps = tuple(f"01_HOOFD_{i:03d}" for i in range(10, 310, 10))
    behaviours = [Behaviour(p, traces=[(steps, 5)]) for p in ("Aadorp", "Beekstad")]
    model = build_reference(behaviours, source="logs", max_steps=40)
    assert len(model["steps"]) == 30
    return ReferenceProcess.objects.create(workspace=workspace, name="BPIC", model=model,
                                           bpmn_xml=to_bpmn(model, "BPIC"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_long_reference_diagram_is_readable_and_scrolls(live_server, workspace, chromium):
    require_file(VIEWER, "draai 'npm ci && npm run build'")
    browser = chromium
    user = UserFactory(username="coordinator-lang", password=PASSWORD)
    Membership.objects.create(user=user, workspace=workspace, role=Role.COORDINATOR)
    reference = _long_reference(workspace)
    url = live_server.url + reverse("processes:reference", args=[workspace.slug, reference.pk])
    for width in (1280, 375):
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20000)
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("coordinator-lang")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(url)
        page.wait_for_function(
            "() => ['klaar', 'fout'].includes(document.getElementById('bpmn-canvas').dataset.bpmnStatus)")
        canvas = page.locator("#bpmn-canvas")
        assert canvas.get_attribute("data-bpmn-status") == "klaar", canvas.get_attribute("data-bpmn-error")
        assert float(canvas.get_attribute("data-bpmn-zoom")) >= 0.6
        # the frame scrolls horizontally: the canvas is wider than the frame
        wide = page.evaluate("() => { const f = document.querySelector('.processes-bpmn-scroll');"
                             " return f.scrollWidth > f.clientWidth; }")
        assert wide
        # the page itself does not scroll sideways
        over = page.evaluate("""() => [document.documentElement.scrollWidth, window.innerWidth,
            Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right >
            window.innerWidth + 1 && !e.closest('.processes-bpmn-scroll, .harmonie-table-wrap'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)]""")
        assert over[0] <= over[1] + 1, over
        assert "Vóór import in Open Zaak nog invullen" in page.content()
        assert not errors, errors
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"processes-referentie-lang-{width}.png"), full_page=False)
        page.locator(".processes-bpmn-scroll").screenshot(
            path=str(ARTIFACTS / f"processes-referentie-lang-diagram-{width}.png"))
        context.close()
