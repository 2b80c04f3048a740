"""axe-core on EVERY page, in real Chromium: no serious or critical violations.

The test walks the URL resolver (like the permission matrix), so pages added later are scanned
automatically. URL parameters are filled generically from the demo samenwerkingsverband
(``build_demo``): ``slug`` → the demo, ``layer_key`` → every layer, ``<name>_id``/``pk`` → the first
row of the one workspace-owned model whose name matches (``initiative_id`` → ``Initiative``,
``log_id`` → ``EventLog``, ...); ``FILLERS`` covers the rest. A page whose parameters cannot be
filled FAILS the test unless ``EXCLUDED`` names it with a reason, so nothing is skipped silently.

Each GET is first made with Django's test client (as the coördinator, or anonymously for the
public pages): only full HTML pages are opened in Chromium; downloads (XLSX, CSV, PDF, AMEFF),
JSON and HTMX fragments are no pages; a 4xx/5xx on a page that should exist fails the test.
"""

import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from harmonie.core.tests.browser import AXE, axe_violations, require_file

# Pages that are only reachable without a login (or that a respondent uses).
ANONYMOUS = {"login", "login_code", "password_reset_confirm", "enquete:survey", "enquete:thanks"}
# URL names that are never scanned, with the reason. Keep this short.
EXCLUDED = {
    "login_code": "zonder eerste inlogstap een doorverwijzing; wordt hieronder via een echte 2FA-login gescand",
    "logout": "alleen POST",
}
# Pages whose parameters the demo may not (yet) be able to fill: scanned as soon as the demo has the data, listed
# as "niet gescand" in the report until then (instead of failing). Every other unfillable page fails.
DEMO_GAPS = {
    "processes:log": "demo heeft (nog) geen eventlog",
    "processes:log_delete": "demo heeft (nog) geen eventlog",
    "processes:compare_pair": "demo heeft (nog) geen twee eventlogs",
    **{name: "demo heeft (nog) geen referentieproces" for name in (
        "processes:reference", "processes:reference_adopt", "processes:reference_bpmn",
        "processes:reference_openzaak_zip", "processes:reference_update")},
}
SKIP_NAMESPACES = ("admin", "api")


def discover(patterns=None, namespace="", kwargs=()):
    found = {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        part = tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace) \
                or namespace
            if ns.split(":")[0] in SKIP_NAMESPACES:
                continue
            for name, kw in discover(pattern.url_patterns, ns, kwargs + part).items():
                found.setdefault(name, kw)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.setdefault(f"{namespace}:{pattern.name}" if namespace else pattern.name, kwargs + part)
    return found


def _owned_models():
    from harmonie.core.exchange import _owner_paths

    return _owner_paths()


def _model_for(kwarg):
    """The one workspace-owned model a ``<name>_id`` kwarg points at, or None."""
    base = re.sub(r"_?(id|pk)$", "", kwarg).replace("_", "")
    if not base:
        return None
    owned = _owned_models()
    exact = [m for m in owned if m._meta.model_name == base]
    if len(exact) == 1:
        return exact[0]
    suffix = [m for m in owned if m._meta.model_name.endswith(base)]
    return suffix[0] if len(suffix) == 1 else None


class World:
    def __init__(self):
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        from harmonie.core.demo import build_demo
        from harmonie.core.models import Job, JobStatus

        result = build_demo()
        self.workspace = result.workspace
        self.coordinator = self.workspace.memberships.get(role="coordinator").user
        self.partner = self.workspace.partners.order_by("pk").first()
        self.job = Job.objects.create(workspace=self.workspace, kind="import", label="Import",
                                      status=JobStatus.FAILED, message="Mislukt", created_by=self.coordinator)
        self.reference_job = Job.objects.create(kind="reference.load", label="UPL laden", status=JobStatus.FAILED,
                                                params={"kind": "upl", "path": "/bestaat-niet"},
                                                message="Mislukt", created_by=self.coordinator)
        self.uidb64 = urlsafe_base64_encode(force_bytes(self.coordinator.pk))
        self.reset_token = default_token_generator.make_token(self.coordinator)
        self._respondent_token = None
        from django.utils import timezone

        from harmonie.core import twofactor
        from harmonie.core.factories import UserFactory

        self.password = "Toegankelijk-2026!"
        user = UserFactory(username="tweestaps")
        user.set_password(self.password)
        user.save()
        device = twofactor.start_enrolment(user)
        device.confirmed_at = timezone.now()
        device.save()
        self.two_factor_user = user.username

    def first_pks(self, label, n):
        model = apps.get_model(label)
        lookup = _owned_models()[model]
        return list(model._default_manager.filter(**{lookup: self.workspace}).order_by("pk")
                    .values_list("pk", flat=True)[:n])

    def log_partners(self):
        from harmonie.processes.models import EventLog

        return sorted(set(EventLog.objects.filter(workspace=self.workspace).values_list("partner_id", flat=True)))

    def upl_slugs(self):
        """One UPL product that is in the demo's matrix (a mapped product)."""
        from harmonie.products.analysis.matrix import upl_slug
        from harmonie.products.models import ProductMapping

        mapping = ProductMapping.objects.filter(product__workspace=self.workspace).exclude(upl_uri="") \
            .order_by("pk").first()
        return [upl_slug(mapping.upl_uri)] if mapping else []

    def respondent_token(self):
        if self._respondent_token is None:
            from datetime import timedelta

            from django.utils import timezone

            from harmonie.people import services as people
            from harmonie.people.models import Survey

            today = timezone.localdate()
            survey = Survey.objects.filter(workspace=self.workspace, opens_on__lte=today, closes_on__gte=today,
                                           closed_at__isnull=True).first()
            if survey is None:
                survey = Survey.objects.create(workspace=self.workspace, title="Ronde a11y",
                                               opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=9))
                survey.partners.set(self.workspace.partners.all())
            _batch, tokens = people.generate_links(self.coordinator, survey, partner=self.partner.pk, count=1)
            self._respondent_token = tokens[0]
        return self._respondent_token


# (url name or "*", kwarg) → how to fill it. "*" applies to every URL.
FILLERS = {
    ("*", "slug"): lambda w: [w.workspace.slug],
    ("*", "partner_id"): lambda w: [w.partner.pk],
    ("*", "job_id"): lambda w: [w.job.pk],
    ("*", "layer_key"): lambda w: [layer.key for layer in __import__("harmonie.core.layers", fromlist=["LAYERS"])
                                   .LAYERS],
    ("*", "uidb64"): lambda w: [w.uidb64],
    ("password_reset_confirm", "token"): lambda w: [w.reset_token],
    ("enquete:survey", "token"): lambda w: [w.respondent_token()],
    **{(name, "job_id"): (lambda w: [w.reference_job.pk])
       for name in ("reference:job", "reference:job_progress", "reference:job_retry")},
    ("products:product", "upl"): lambda w: w.upl_slugs(),
    # compare_pair takes two partner ids: partners that have an event log.
    ("*", "a"): lambda w: w.log_partners()[:1],
    ("*", "b"): lambda w: w.log_partners()[1:2],
    **{(name, "pk"): (lambda w: w.first_pks("processes.ReferenceProcess", 1))
       for name in ("processes:reference", "processes:reference_adopt", "processes:reference_bpmn",
                    "processes:reference_openzaak_zip", "processes:reference_update")},
}


def fill(world, name, kwargs):
    """Every kwargs dict to scan for URL ``name`` ([] when a kwarg cannot be filled)."""
    combos = [{}]
    for kwarg in kwargs:
        filler = FILLERS.get((name, kwarg)) or FILLERS.get(("*", kwarg))
        if filler is not None:
            values = filler(world)
        else:
            model = _model_for(kwarg)
            if model is None:
                return []
            lookup = _owned_models()[model]
            first = model._default_manager.filter(**{lookup: world.workspace}).order_by("pk").first()
            if first is None:
                return []
            values = [first.pk]
        combos = [{**combo, kwarg: value} for combo in combos for value in values]
    return combos


def classify(client, path):
    """'page', 'not-a-page' (download, JSON, fragment, POST-only) or an error text."""
    response = client.get(path, follow=True)
    if response.status_code == 405:
        return "not-a-page"
    if response.status_code >= 400:
        return f"HTTP {response.status_code}"
    content_type = response.get("Content-Type", "")
    if "text/html" not in content_type or response.has_header("Content-Disposition"):
        return "not-a-page"
    if b"<html" not in response.content[:500].lower():
        return "not-a-page"  # an HTMX fragment
    return "page"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_axe_on_every_page(live_server, chromium):
    require_file(AXE, "draai 'npm ci'")
    browser = chromium
    world = World()
    urls = discover()
    unfillable, errors, targets, not_pages, not_scanned = [], [], [], [], []
    coordinator_client = Client()
    coordinator_client.force_login(world.coordinator)
    for name, kwargs in sorted(urls.items()):
        if name in EXCLUDED:
            continue
        combos = fill(world, name, kwargs)
        if not combos:
            if name in DEMO_GAPS:
                not_scanned.append(f"{name}: {DEMO_GAPS[name]}")
            else:
                unfillable.append(f"{name} ({', '.join(kwargs)})")
            continue
        anonymous = name in ANONYMOUS
        for combo in combos:
            path = reverse(name, kwargs=combo)
            kind = classify(Client() if anonymous else coordinator_client, path)
            if kind == "page":
                targets.append((name, path, anonymous))
            elif kind == "not-a-page":
                not_pages.append(name)
            else:
                errors.append(f"{name} {path}: {kind}")
    assert not unfillable, ("Deze pagina's kunnen niet gescand worden: hun URL-parameters zijn niet te vullen uit "
                            "de demo. Vul FILLERS aan in web/tests/test_axe_all_pages.py of zet ze met een reden "
                            "in EXCLUDED: " + "; ".join(unfillable))
    assert not errors, "Pagina's die een fout geven: " + "; ".join(errors)
    assert len({name for name, _p, _a in targets}) >= 20, targets

    violations = []
    contexts = {}
    for anonymous in (True, False):
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        if not anonymous:
            session = coordinator_client.cookies["sessionid"].value
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
        page = context.new_page()
        page.set_default_timeout(20000)
        contexts[anonymous] = (context, page)
    for name, path, anonymous in targets:
        page = contexts[anonymous][1]
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        bad = axe_violations(page)
        if bad:
            violations.append(f"{name} ({path}): {bad}")
    # the login code step (account with 2FA), reached through the password step
    page = contexts[True][1]
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Gebruikersnaam").fill(world.two_factor_user)
    page.get_by_label("Wachtwoord").fill(world.password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + reverse("login_code"))
    bad = axe_violations(page)
    if bad:
        violations.append(f"login_code: {bad}")
    # the 2FA pages: enrolment (QR) as the coördinator
    page = contexts[False][1]
    page.goto(live_server.url + reverse("web:twofactor"))
    page.get_by_role("button", name="Tweestapsverificatie instellen").click()
    page.wait_for_load_state("load")
    bad = axe_violations(page)
    if bad:
        violations.append(f"web:twofactor (instellen): {bad}")
    report = Path(os.environ.get("HARMONIE_ARTIFACTS", Path(__file__).resolve().parents[4] / "test-artifacts"))
    report.mkdir(exist_ok=True)
    (report / "axe-alle-paginas.txt").write_text(
        f"{len(targets)} pagina's gescand, {len(set(not_pages))} URL's zijn geen pagina (download/JSON/fragment)\n"
        + "\n".join(f"{name} {path}" for name, path, _a in targets)
        + "\n\nNiet gescand (demo mist gegevens):\n" + "\n".join(not_scanned)
        + "\n\nOvertredingen:\n" + "\n".join(violations),
        encoding="utf-8")
    assert not violations, "axe: ernstige of kritieke overtredingen:\n" + "\n".join(violations)


def test_kwarg_model_lookup_is_generic(db):
    """The generic filler finds models by kwarg name (so new pages of other layers are filled)."""
    assert _model_for("initiative_id") is apps.get_model("diagnosis", "Initiative")
    assert _model_for("partner_id") is apps.get_model("core", "Partner")
    assert _model_for("zaaktype_id") is apps.get_model("processes", "ZaakType")
    assert _model_for("onbekend_id") is None
