"""Permission matrix: every URL of the project × every role → allowed or denied.

The test walks the URL resolver, so a new view is picked up automatically and
the suite FAILS until its permissions are written down in ``EXPECTED``. Nobody
can add a page or an API endpoint without deciding who may use it.

How to add an entry
-------------------
``EXPECTED["namespace:url-name"] = {"GET": rule, "POST": rule, ..., kwarg: object}``

* Upper-case keys are the HTTP methods that the URL serves, each with a rule
  (who is allowed): ``anyone``, ``authenticated``, ``member`` (any role in the
  workspace), ``own_partner`` (coördinator, beheerder, or the bijdrager of the
  partner in the URL), ``manager`` (coördinator + beheerder), ``beheerder``.
* Lower-case keys say which fixture object fills a URL kwarg when the kwarg's
  name alone does not tell (see ``DEFAULT_OBJECTS``): ``partner`` (the
  bijdrager's own partner), ``levering`` (one of its deliveries), ``taak`` (a
  failed job started by the coördinator), ``laag`` (a layer key).
* Change requests (POST/PATCH/DELETE) send harmless or empty data (``DATA``)
  and every request runs in a savepoint that is rolled back, so a DELETE by
  one role does not change what the next role sees.

What is asserted, per role (anonymous, beheerder, coordinator, bijdrager,
bijdrager_ander, lezer, buitenstaander = coördinator of another workspace):

* allowed → not 401/403/404/405 and not a redirect to the login page;
* denied, anonymous → web: 302 to the login page; API: 401;
* denied, buitenstaander on a workspace URL → 404 (the workspace does not exist for her);
* denied, other logged-in user → API: 403; web: 403 or 404;
* IDOR: on workspace URLs, an object id from another workspace → 404, even for
  the coördinator and the beheerder;
* API: every method not in the table → 405 (so a new method needs an entry too);
* rule ``not_found`` (the API's catch-all): 404 for every role.

Admin URLs (``admin:*``) are skipped: Django's admin guards itself (staff only).
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

ROLES = ("anonymous", "beheerder", "coordinator", "bijdrager", "bijdrager_ander", "lezer", "buitenstaander")
MEMBERS = ("beheerder", "coordinator", "bijdrager", "bijdrager_ander", "lezer")
RULES = {
    "anyone": set(ROLES),
    "authenticated": set(ROLES) - {"anonymous"},
    "member": set(MEMBERS),
    "own_partner": {"beheerder", "coordinator", "bijdrager"},
    "manager": {"beheerder", "coordinator"},
    "beheerder": {"beheerder"},
    "not_found": set(),  # a catch-all: every role gets 404
    # installation-wide reference lists: beheerders and coördinatoren of any workspace
    "reference_loader": {"beheerder", "coordinator", "buitenstaander"},
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SKIP_NAMESPACES = ("admin",)

EXPECTED = {
    # --- accounts (harmonie/urls.py) ---
    "login": {"GET": "anyone", "POST": "anyone"},
    "logout": {"POST": "anyone", "login_redirect_ok": True},  # logging out lands on the login page
    "password_reset_confirm": {"GET": "anyone", "POST": "anyone"},
    # security: two-factor login step and account page (core.twofactor, web/twofactor_views.py)
    "login_code": {"GET": "anyone", "POST": "anyone", "login_redirect_ok": True},  # without step 1: to login
    "web:twofactor": {"GET": "authenticated", "POST": "authenticated"},
    # --- web UI (harmonie/web/urls.py) ---
    "web:home": {"GET": "authenticated"},
    "web:workspace_create": {"GET": "authenticated", "POST": "authenticated"},
    "web:workspace_switch": {"GET": "authenticated"},
    "web:token": {"GET": "authenticated", "POST": "authenticated"},
    "web:job_redirect": {"GET": "member"},
    "web:workspace_detail": {"GET": "member"},
    "web:workspace_edit": {"GET": "manager", "POST": "manager"},
    "web:partners": {"GET": "member", "POST": "manager"},
    "web:partner_remove": {"GET": "manager", "POST": "manager"},
    "web:members": {"GET": "member", "POST": "manager"},
    "web:layer": {"GET": "member"},
    "web:delivery_state": {"POST": "own_partner"},
    "web:audit": {"GET": "manager"},
    "web:jobs": {"GET": "member"},
    "web:job_detail": {"GET": "member"},
    "web:job_progress": {"GET": "member"},
    "web:job_retry": {"POST": "manager"},
    # --- people: respondent pages (harmonie/people/respondent_urls.py): anonymous single-use links ---
    "enquete:survey": {"GET": "anyone", "POST": "anyone"},
    "enquete:thanks": {"GET": "anyone"},
    # --- people: coördinator pages (harmonie/people/urls.py) ---
    "people:surveys": {"GET": "member", "POST": "manager"},
    "people:survey": {"GET": "member"},
    "people:survey_group": {"POST": "manager"},
    "people:survey_links": {"POST": "manager"},
    "people:survey_close": {"POST": "manager"},
    "people:steering": {"GET": "member"},
    "people:steering_edit": {"GET": "own_partner", "POST": "own_partner"},
    # --- people API (harmonie/people/api/urls.py) ---
    "api:people:enquete-list": {"GET": "member", "POST": "manager"},
    "api:people:enquete-links": {"POST": "manager"},
    "api:people:enquete-groepen": {"POST": "manager"},
    "api:people:enquete-sluiten": {"POST": "manager"},
    "api:people:aansturing": {"GET": "member"},
    # --- reference data (harmonie/reference/urls.py); jobs without a workspace: creator + beheerder ---
    "reference:index": {"GET": "authenticated", "POST": "reference_loader"},
    "reference:update": {"POST": "reference_loader"},
    "reference:job": {"GET": "manager", "job_id": "reference_taak"},
    "reference:job_progress": {"GET": "manager", "job_id": "reference_taak"},
    "reference:job_retry": {"POST": "manager", "job_id": "reference_taak"},
    # --- REST API (harmonie/api/urls.py) ---
    "api:samenwerkingsverband-list": {"GET": "authenticated", "POST": "authenticated"},
    "api:samenwerkingsverband-detail": {"GET": "member", "PATCH": "manager"},
    "api:partner-list": {"GET": "member", "POST": "manager"},
    "api:partner-detail": {"GET": "member", "DELETE": "manager", "pk": "partner"},
    "api:levering-list": {"GET": "member"},
    "api:levering-detail": {"GET": "member", "PATCH": "own_partner", "pk": "levering"},
    "api:audit-list": {"GET": "manager"},
    "api:taak-list": {"GET": "member"},
    "api:taak-detail": {"GET": "member", "pk": "taak"},
    "api:taak-retry": {"POST": "manager", "pk": "taak"},
    "api:gemeente-list": {"GET": "authenticated"},
    "api:referentieversie-list": {"GET": "authenticated"},
    "api:schema": {"GET": "anyone"},
    # --- diagnose & routekaart (harmonie/diagnosis) ---
    "diagnosis:overview": {"GET": "member"},
    "diagnosis:measure": {"POST": "manager"},
    "diagnosis:roadmap": {"GET": "member"},
    "diagnosis:roadmap_apply": {"POST": "manager"},
    "diagnosis:initiative_new": {"GET": "manager", "POST": "manager"},
    "diagnosis:initiative_edit": {"GET": "manager", "POST": "manager", "initiative_id": "initiatief"},
    "diagnosis:agreements": {"GET": "member", "POST": "manager"},
    "diagnosis:implementation": {"POST": "own_partner"},
    "diagnosis:report": {"GET": "member"},
    "api:diagnosis:diagnose": {"GET": "member"},
    "api:diagnosis:meting-list": {"GET": "member", "POST": "manager"},
    "api:diagnosis:initiatief-list": {"GET": "member"},
    "api:diagnosis:initiatief-detail": {"GET": "member", "PATCH": "manager", "pk": "initiatief"},
    "api:openapi-json": {"GET": "anyone"},
    # --- products: catalogue (harmonie/products/views/catalogue.py, api/catalogue.py) ---
    "products:catalogues": {"GET": "member"},
    "products:catalogue": {"GET": "member"},
    "products:catalogue_import": {"GET": "own_partner", "POST": "own_partner"},
    "products:catalogue_columns": {"GET": "own_partner", "POST": "own_partner"},
    "products:catalogue_confirm": {"POST": "own_partner"},
    "products:catalogue_bulk_confirm": {"GET": "own_partner", "POST": "own_partner"},
    "products:catalogue_recompute": {"POST": "own_partner"},
    "api:products:partner-product-list": {"GET": "member"},
    "api:products:partner-product-confirm": {"POST": "own_partner"},
    # --- Applicaties layer (harmonie/applications/urls.py, api/urls.py) ---
    "applications:overview": {"GET": "member"},
    "applications:partner": {"GET": "member"},
    "applications:import": {"GET": "own_partner", "POST": "own_partner"},
    "applications:confirm_mapping": {"POST": "own_partner"},
    "applications:export_xlsx": {"GET": "member"},
    "applications:export_ameff": {"GET": "member"},
    "api:applications:applicatie-list": {"GET": "member"},
    "api:applications:partner-applicatie-list": {"GET": "member", "POST": "own_partner"},
    "api:applications:overlap": {"GET": "member"},
    "api:applications:time-voorstel-list": {"GET": "member"},
    "api:applications:ameff": {"GET": "member"},
    # --- processes: BPMN models, activity matching, reference process (processes/views/bpmn.py, api/bpmn.py) ---
    "processes:models": {"GET": "member"},
    "processes:model_upload": {"GET": "own_partner", "POST": "own_partner"},
    "processes:model_correspondence": {"POST": "own_partner"},
    "processes:references": {"GET": "member", "POST": "manager"},
    "processes:reference": {"GET": "member", "pk": "referentieproces"},
    "processes:reference_bpmn": {"GET": "member", "pk": "referentieproces"},
    "processes:reference_adopt": {"POST": "manager", "pk": "referentieproces"},
    "processes:reference_update": {"POST": "manager", "pk": "referentieproces"},
    "api:processes:procesmodel-list": {"GET": "member"},
    "api:processes:partner-procesmodel-list": {"GET": "member", "POST": "own_partner"},
    "api:processes:activiteit-overeenkomst-list": {"GET": "member"},
    "api:processes:referentieproces-list": {"GET": "member", "POST": "manager"},
    "api:processes:referentieproces-detail": {"GET": "member", "pk": "referentieproces"},
    "api:processes:referentieproces-bpmn": {"GET": "member", "pk": "referentieproces"},
    # --- processes: event logs (harmonie/processes/views/logs.py, api/logs.py) ---
    "processes:logs": {"GET": "member"},
    "processes:log_upload": {"GET": "own_partner", "POST": "own_partner"},
    "processes:log_mapping": {"GET": "own_partner", "POST": "own_partner"},
    "processes:log": {"GET": "member", "log_id": "eventlog"},
    "processes:log_delete": {"POST": "own_partner", "log_id": "eventlog"},
    "processes:compare_pair": {"GET": "member", "a": "partner", "b": "partner"},
    "api:processes:eventlog-list": {"GET": "member"},
    "api:processes:eventlog-detail": {"GET": "member", "pk": "eventlog"},
    "api:processes:partner-eventlog-list": {"GET": "member", "POST": "own_partner"},
    "api:processes:eventlog-vergelijking": {"GET": "member"},
    "api:processes:eventlog-paar": {"GET": "member", "a": "partner", "b": "partner"},
    # --- processes: zaaktypen (processes/views/definitions.py, api/definitions.py); deciding a correspondence is
    # done on behalf of a partner in the URL: its bijdrager or the coördinator ---
    "processes:zaaktypen": {"GET": "member"},
    "processes:zaaktypen_import": {"GET": "own_partner", "POST": "own_partner"},
    "processes:zaaktypen_zgw": {"POST": "own_partner"},
    "processes:zaaktypen_fetch": {"POST": "own_partner"},
    "processes:zaaktypen_decide": {"POST": "own_partner"},
    "processes:zaaktypen_upl": {"POST": "own_partner"},
    "processes:zaaktypen_suggest": {"POST": "manager"},
    "processes:zaaktypen_pair_zip": {"GET": "member"},
    "processes:reference_openzaak_zip": {"GET": "member", "pk": "referentieproces"},
    "api:processes:zaaktype-list": {"GET": "member"},
    "api:processes:partner-zaaktype-list": {"GET": "member", "POST": "own_partner"},
    "api:processes:zaaktype-overeenkomst-list": {"GET": "member"},
    "api:processes:referentieproces-openzaak": {"GET": "member", "pk": "referentieproces"},
    # --- products: matrix (harmonie/products/views/matrix.py, api/matrix.py) ---
    "products:matrix": {"GET": "member"},
    "products:pairs": {"GET": "member"},
    "products:unique": {"GET": "member"},
    "products:unlinked": {"GET": "member"},
    "products:product": {"GET": "member"},
    "products:export_xlsx": {"GET": "member"},
    "products:export_csv": {"GET": "member"},
    "api:products:productmatrix": {"GET": "member"},
    "api:products:productmatrix-paren": {"GET": "member"},
    "api:products:productmatrix-product": {"GET": "member"},
    # catch-all: any other path under /api/v1/ is a problem+json 404 for everybody
    "api:niet-gevonden": {method: "not_found" for method in ("GET", "POST", "PUT", "PATCH", "DELETE")},
}

# Which object fills a URL kwarg, by kwarg name, unless the entry says otherwise.
DEFAULT_OBJECTS = {
    "slug": "workspace",
    "partner_id": "partner",
    "job_id": "taak",
    "layer_key": "laag",
    "uidb64": "uidb64",
    "token": "token",
    "upl": "upl",  # a UPL name (last part of its URI), e.g. on the product matrix
}
# Kwargs that point at data of a workspace: with one from another workspace → 404.
OBJECT_KINDS = ("partner", "levering", "taak", "initiatief", "referentieproces", "eventlog")

DATA = {
    ("api:levering-detail", "PATCH"): {"status": "ingeleverd"},
}


@dataclass(frozen=True)
class Url:
    name: str
    route: str
    kwargs: tuple

    @property
    def is_api(self):
        return self.name.startswith("api:")


def discover_urls(patterns=None, namespace="", route="", kwargs=()):
    """Every named URL pattern of the project, recursively (admin skipped)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for pattern in patterns:
        part_kwargs = tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if ns.split(":")[0] in SKIP_NAMESPACES:
                continue
            found += discover_urls(pattern.url_patterns, ns, route + str(pattern.pattern), kwargs + part_kwargs)
        elif isinstance(pattern, URLPattern):
            full_route = route + str(pattern.pattern)
            if pattern.name is None:
                if full_route.lstrip("^/").startswith(("static", "media")):
                    continue
                found.append(Url(f"<zonder naam: {full_route}>", full_route, kwargs + part_kwargs))
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found.append(Url(name, full_route, kwargs + part_kwargs))
    unique = {}
    for url in found:
        unique.setdefault(url.name, url)
    return sorted(unique.values(), key=lambda u: u.name)


ALL_URLS = discover_urls()


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(role_users, workspace, monkeypatch):
    """The role users plus one object of each kind here and in another workspace."""
    from harmonie.api.tests import fakes
    from harmonie.core.factories import PartnerFactory
    from harmonie.core.models import DeliveryStatus, Job, JobStatus

    fakes.install(monkeypatch, only_missing=True)  # the real reference app when it is there
    own, elsewhere = role_users["own"], role_users["elsewhere"]
    job = Job.objects.create(workspace=workspace, kind="import", label="Import", status=JobStatus.FAILED,
                             message="Mislukt", created_by=role_users["coordinator"])
    reference_job = Job.objects.create(kind="reference.load", label="UPL laden", status=JobStatus.FAILED,
                                       params={"kind": "upl", "path": "/bestaat-niet"}, message="Mislukt",
                                       created_by=role_users["coordinator"])
    foreign_partner = PartnerFactory(workspace=elsewhere)
    foreign_job = Job.objects.create(workspace=elsewhere, kind="import", label="Import", status=JobStatus.FAILED,
                                     message="Mislukt")
    coordinator = role_users["coordinator"]
    from harmonie.diagnosis.models import Initiative

    initiative = Initiative.objects.create(workspace=workspace, title="Visie", layer="visie")
    foreign_initiative = Initiative.objects.create(workspace=elsewhere, title="Visie", layer="visie")
    from harmonie.processes.models import EventLog

    eventlog = EventLog.objects.create(workspace=workspace, partner=own, name="log", source_name="log.xes",
                                       file_sha256="0" * 64, parquet_path="eventlogs/bestaat-niet.parquet")
    foreign_eventlog = EventLog.objects.create(workspace=elsewhere, partner=foreign_partner, name="log",
                                               source_name="log.xes", file_sha256="0" * 64,
                                               parquet_path="eventlogs/bestaat-niet.parquet")
    from harmonie.processes.models import ReferenceProcess

    reference = ReferenceProcess.objects.create(workspace=workspace, name="Referentieproces")
    foreign_reference = ReferenceProcess.objects.create(workspace=elsewhere, name="Referentieproces")
    return {
        "users": role_users,
        "objects": {
            "workspace": workspace.slug,
            "partner": own.pk,
            "levering": DeliveryStatus.objects.get(partner=own, layer="producten").pk,
            "taak": job.pk,
            "reference_taak": reference_job.pk,
            "laag": "producten",
            "initiatief": initiative.pk,
            "eventlog": eventlog.pk,
            "referentieproces": reference.pk,
            "uidb64": urlsafe_base64_encode(force_bytes(coordinator.pk)),
            "token": default_token_generator.make_token(coordinator),
            "upl": "paspoort",  # in the UPL excerpt every installation has
        },
        "foreign": {
            "partner": foreign_partner.pk,
            "levering": DeliveryStatus.objects.get(partner=foreign_partner, layer="producten").pk,
            "taak": foreign_job.pk,
            "initiatief": foreign_initiative.pk,
            "eventlog": foreign_eventlog.pk,
            "referentieproces": foreign_reference.pk,
        },
    }


# --- helpers ----------------------------------------------------------------------


def object_kind(url, entry, kwarg):
    kind = entry.get(kwarg) or DEFAULT_OBJECTS.get(kwarg)
    assert kind, (f"{url.name}: onbekende URL-parameter '{kwarg}'. Zet in EXPECTED['{url.name}'] welk object "
                  f"hem vult, bv. '{kwarg}': 'partner' (of voeg hem toe aan DEFAULT_OBJECTS).")
    return kind


def build_path(url, entry, values):
    kwargs = {kwarg: values[object_kind(url, entry, kwarg)] for kwarg in url.kwargs}
    return reverse(url.name, kwargs=kwargs)


def is_workspace_url(url):
    """Does the URL point into a workspace (by slug or by an object id)?"""
    entry = EXPECTED.get(url.name, {})
    return any(object_kind(url, entry, kwarg) in ("workspace", *OBJECT_KINDS) for kwarg in url.kwargs)


def has_object_id(url):
    entry = EXPECTED.get(url.name, {})
    return "slug" in url.kwargs and any(
        (entry.get(kwarg) or DEFAULT_OBJECTS.get(kwarg)) in OBJECT_KINDS for kwarg in url.kwargs)


def request(world, role, method, path, data=None, is_api=False):
    """One request as ``role``, rolled back afterwards."""
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    kwargs = {}
    if is_api:
        kwargs = {"data": data or {}, "content_type": "application/json"}
    elif method == "POST":
        kwargs = {"data": data or {}}
    with transaction.atomic():
        response = getattr(client, method.lower())(path, **kwargs)
        transaction.set_rollback(True)
    return response


def redirects_to_login(response):
    return response.status_code in (301, 302, 303) and response["Location"].split("?")[0] == reverse("login")


def describe(role, method, path, response):
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{role} {method} {path}: {response.status_code}{where}"


# --- tests ------------------------------------------------------------------------


def test_walk_finds_web_and_api_urls():
    names = {url.name for url in ALL_URLS}
    assert {"login", "web:home", "api:schema", "api:samenwerkingsverband-list"} <= names
    assert not any(name.startswith("admin:") for name in names)


def test_every_url_has_an_expectation():
    missing = [url.name for url in ALL_URLS if url.name not in EXPECTED]
    assert not missing, (
        "Voeg een verwachting toe in tests/test_permission_matrix.py (EXPECTED) voor nieuwe URL's: "
        + ", ".join(missing)
    )


def test_no_stale_expectations():
    names = {url.name for url in ALL_URLS}
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"EXPECTED noemt URL's die niet (meer) bestaan: {', '.join(stale)}"


@pytest.mark.parametrize("url", ALL_URLS, ids=lambda url: url.name)
def test_permission_matrix(url, world):
    entry = EXPECTED.get(url.name)
    if entry is None:
        pytest.fail(f"add an expectation for new URL {url.name} ({url.route}) in EXPECTED: "
                    f"which roles may use it?")
    methods = [key for key in entry if key.isupper()]
    assert methods and all(m in METHODS and entry[m] in RULES for m in methods), \
        f"EXPECTED['{url.name}']: methoden {METHODS}, regels {sorted(RULES)}"
    path = build_path(url, entry, world["objects"])
    workspace_url = is_workspace_url(url)
    failures = []

    for method in methods:
        allowed = RULES[entry[method]]
        data = DATA.get((url.name, method))
        for role in ROLES:
            response = request(world, role, method, path, data, url.is_api)
            text = describe(role, method, path, response)
            if entry[method] == "not_found":
                if response.status_code != 404:
                    failures.append(f"404 verwacht: {text}")
            elif role in allowed:
                if response.status_code in (401, 403, 404, 405) or response.status_code >= 500:
                    failures.append(f"toegestaan maar geweigerd: {text}")
                elif redirects_to_login(response) and not entry.get("login_redirect_ok"):
                    failures.append(f"toegestaan maar naar inloggen gestuurd: {text}")
            elif role == "anonymous":
                ok = response.status_code == 401 if url.is_api else redirects_to_login(response)
                if not ok:
                    failures.append(f"anoniem niet geweigerd ({'401' if url.is_api else '302 naar inloggen'} "
                                    f"verwacht): {text}")
            elif role == "buitenstaander" and workspace_url:
                if response.status_code != 404:
                    failures.append(f"ander samenwerkingsverband: 404 verwacht: {text}")
            else:
                expected = {403} if url.is_api else {403, 404}
                if response.status_code not in expected:
                    failures.append(f"geweigerd verwacht ({'/'.join(map(str, sorted(expected)))}): {text}")

    assert not failures, f"{url.name}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("url", [u for u in ALL_URLS if has_object_id(u)], ids=lambda url: url.name)
def test_no_idor_with_ids_from_another_workspace(url, world):
    """Same workspace slug, but an object id of another workspace: always 404."""
    entry = EXPECTED.get(url.name)
    if entry is None:
        pytest.skip("geen verwachting (zie test_every_url_has_an_expectation)")
    values = dict(world["objects"])
    values.update(world["foreign"])
    path = build_path(url, entry, values)
    failures = []
    for method in [key for key in entry if key.isupper()]:
        for role in ("coordinator", "beheerder"):
            response = request(world, role, method, path, DATA.get((url.name, method)), url.is_api)
            if response.status_code != 404:
                failures.append(describe(role, method, path, response))
    assert not failures, "object uit een ander samenwerkingsverband niet geweigerd (404 verwacht):\n  " + \
        "\n  ".join(failures)


@pytest.mark.parametrize("url", [u for u in ALL_URLS if u.is_api], ids=lambda url: url.name)
def test_api_methods_not_in_table_are_405(url, world):
    """A new method on an endpoint needs a rule too: undeclared methods must not exist."""
    entry = EXPECTED.get(url.name)
    if entry is None:
        pytest.skip("geen verwachting (zie test_every_url_has_an_expectation)")
    path = build_path(url, entry, world["objects"])
    failures = []
    for method in METHODS:
        if method in entry:
            continue
        response = request(world, "beheerder", method, path, None, is_api=True)
        if response.status_code != 405:
            failures.append(describe("beheerder", method, path, response))
    assert not failures, ("methode werkt zonder regel in EXPECTED (405 verwacht): voeg hem toe aan de tabel:\n  "
                          + "\n  ".join(failures))
