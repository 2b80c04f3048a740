"""Real-browser test: the exported reference process renders in bpmn-js (headless Chromium, Playwright) on the
in-app page, under the strict CSP: no import errors or warnings, every task in the SVG, no console errors,
axe without serious violations; screenshots in test-artifacts/.

Needs ``/usr/bin/chromium`` and the front-end build (``npm ci && npm run build``, which copies the bpmn-js
viewer). Under ``CI=true`` missing pieces fail the test; elsewhere it is skipped with the reason.
"""

import pytest
from django.urls import reverse

from harmonie.core.factories import UserFactory
from harmonie.core.models import Membership, Role
from harmonie.core.tests.browser import ARTIFACTS, AXE, PASSWORD, REPO_ROOT, axe_violations, require_file
from harmonie.core.tests.browser import BPMN_VIEWER as VIEWER


def _reference(workspace):
    from harmonie.processes.analysis.reference import Behaviour, build_reference, to_bpmn
    from harmonie.processes.models import ReferenceProcess

    def log(partner, *traces):
        return Behaviour(partner, traces=[(tuple(t.split(" | ")), n) for t, n in traces])

    core = "Aanvraag ontvangen | Aanvraag registreren | Volledigheid toetsen | Inhoudelijk toetsen | Besluit nemen"
    behaviours = [
        log("Aadorp", (core + " | Besluit verzenden", 6), (core.replace(" | Inhoudelijk", " | Aanvulling opvragen"
                                                                       " | Inhoudelijk") + " | Besluit verzenden", 2)),
        log("Beekstad", (core + " | Besluit verzenden", 4), (core + " | Besluit verzenden", 1)),
        log("Cranendonck", (core.replace("Besluit nemen", "Welstandsadvies vragen | Besluit nemen")
                            + " | Leges innen | Besluit verzenden", 5),),
        log("Dalfsen", (core.replace("Besluit nemen", "Welstandsadvies vragen | Besluit nemen")
                        + " | Leges innen | Besluit verzenden", 3),),
    ]
    model = build_reference(behaviours, source="logs")
    return ReferenceProcess.objects.create(workspace=workspace, name="Omgevingsvergunning", model=model,
                                           bpmn_xml=to_bpmn(model, "Omgevingsvergunning"))


def _two_models(workspace):
    from harmonie.core.factories import PartnerFactory
    from harmonie.processes import services

    data = REPO_ROOT / "benchmarks" / "data" / "process_matching" / "models"
    models = []
    for side in ("A", "B"):
        partner = PartnerFactory(workspace=workspace)
        result = services.import_model(None, workspace, partner,
                                       (data / f"02-klachtafhandeling.{side}.bpmn").read_bytes(), f"{side}.bpmn")
        models.append(services.model_for(workspace, result.model_id))
    return models


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reference_process_renders_in_bpmn_js(live_server, workspace, chromium):
    require_file(AXE, "draai 'npm ci'")
    require_file(VIEWER, "draai 'npm ci && npm run build'")
    browser = chromium
    user = UserFactory(username="coordinator-bpmn", password=PASSWORD)
    Membership.objects.create(user=user, workspace=workspace, role=Role.COORDINATOR)
    reference = _reference(workspace)
    assert reference.model["variants"], "the fixture has partners that differ"
    tasks = sorted({s["label"] for s in reference.model["steps"]}
                   | {s["label"] for v in reference.model["variants"] for s in v["steps"]})

    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    console, failed = [], []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}") if msg.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("coordinator-bpmn")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        response = page.goto(live_server.url + reverse("processes:reference", args=[workspace.slug,
                                                                                   reference.pk]))
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
        canvas = page.locator("#bpmn-canvas")
        page.wait_for_function(
            "() => ['klaar', 'fout'].includes(document.getElementById('bpmn-canvas').dataset.bpmnStatus)")
        assert canvas.get_attribute("data-bpmn-status") == "klaar", canvas.get_attribute("data-bpmn-error")
        assert canvas.get_attribute("data-bpmn-warnings") == "0", canvas.get_attribute("data-bpmn-warning-text")
        svg_text = page.evaluate("() => Array.from(document.querySelectorAll('#bpmn-canvas svg text'))"
                                 ".map(t => t.textContent).join(' ')")
        flat = " ".join(svg_text.split())
        missing = [label for label in tasks if " ".join(label.split()) not in flat
                   and not all(word in flat for word in label.split())]
        assert not missing, (missing, flat[:500])
        shapes = page.evaluate("() => document.querySelectorAll('#bpmn-canvas .djs-element.djs-shape').length")
        assert shapes >= len(tasks)
        assert not console, console
        assert not failed, failed
        violations = axe_violations(page)
        assert not violations, violations
        ARTIFACTS.mkdir(exist_ok=True)
        canvas.screenshot(path=str(ARTIFACTS / "processes-referentieproces-bpmn.png"))
        page.screenshot(path=str(ARTIFACTS / "processes-referentieproces-pagina.png"), full_page=True)

        # the models page: pick two models, see the suggestions, confirm one
        a, b = _two_models(workspace)
        page.goto(live_server.url + reverse("processes:models", args=[workspace.slug]))
        page.get_by_label("Model of logboek A").select_option(f"bpmn:{a.pk}")
        page.get_by_label("Model of logboek B").select_option(f"bpmn:{b.pk}")
        page.get_by_role("button", name="Activiteiten vergelijken").click()
        page.get_by_text("Klacht vastleggen in klachtenregistratie").first.wait_for()
        page.get_by_role("button", name="Bevestigen Klacht registreren – Klacht vastleggen in "
                                        "klachtenregistratie").click()
        page.get_by_text("is bevestigd").wait_for()
        violations = axe_violations(page)
        assert not violations, violations
        assert not console, console
        page.screenshot(path=str(ARTIFACTS / "processes-procesmodellen.png"), full_page=True)

        # the reference processes page with its form (selection of models as checkboxes)
        page.goto(live_server.url + reverse("processes:references", args=[workspace.slug]))
        page.get_by_label("Gemeente Aadorp: klacht behandelen", exact=False).first.check()
        violations = axe_violations(page)
        assert not violations, violations
        assert not console, console
        page.screenshot(path=str(ARTIFACTS / "processes-referentieprocessen.png"), full_page=True)
    finally:
        context.close()
