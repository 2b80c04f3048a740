"""View tests with the Django test client: roles, forms, audit, jobs, tokens."""

import re
import uuid

import pytest
from django.urls import reverse

from harmonie.core.factories import PartnerFactory, UserFactory, WorkspaceFactory
from harmonie.core.layers import DELIVERY_LAYERS, LAYERS
from harmonie.core.models import AuditEntry, DeliveryStatus, Job, Membership, Partner, Workspace
from harmonie.core import audit

pytestmark = pytest.mark.django_db

ROLES = ["beheerder", "coordinator", "bijdrager", "lezer"]


def client_for(client, user):
    client.force_login(user)
    return client


def workspace_urls(ws, partner, job):
    urls = {
        "overview": reverse("web:workspace_detail", args=[ws.slug]),
        "edit": reverse("web:workspace_edit", args=[ws.slug]),
        "partners": reverse("web:partners", args=[ws.slug]),
        "remove": reverse("web:partner_remove", args=[ws.slug, partner.pk]),
        "members": reverse("web:members", args=[ws.slug]),
        "audit": reverse("web:audit", args=[ws.slug]),
        "jobs": reverse("web:jobs", args=[ws.slug]),
        "job": reverse("web:job_detail", args=[ws.slug, job.pk]),
        "progress": reverse("web:job_progress", args=[ws.slug, job.pk]),
    }
    for layer in LAYERS:
        urls[f"layer-{layer.key}"] = reverse("web:layer", args=[ws.slug, layer.key])
    return urls


MANAGE_ONLY = {"edit", "remove", "audit"}


@pytest.fixture
def job(workspace, role_users):
    return Job.objects.create(workspace=workspace, kind="demo", label="Import productcatalogus",
                              status="running", done=3, total=10, created_by=role_users["coordinator"])


def test_anonymous_is_sent_to_login(client, workspace, role_users, job):
    for name, url in workspace_urls(workspace, role_users["own"], job).items():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/inloggen/"), name
    for url in [reverse("web:home"), reverse("web:workspace_create"), reverse("web:token")]:
        assert client.get(url).status_code == 302


def test_login_page_renders_in_dutch(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()
    response = client.post("/inloggen/", {"username": "x", "password": ""})
    assert "Er is een probleem" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_by_role(client, workspace, role_users, job, role):
    client_for(client, role_users[role])
    manager = role in ("beheerder", "coordinator")
    for name, url in workspace_urls(workspace, role_users["own"], job).items():
        expected = 200 if manager or name not in MANAGE_ONLY else 403
        assert client.get(url).status_code == expected, (role, name)


def test_outsider_gets_404_everywhere(client, workspace, role_users, job):
    client_for(client, role_users["buitenstaander"])
    for name, url in workspace_urls(workspace, role_users["own"], job).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("web:job_redirect", args=[job.pk])).status_code == 404
    # POSTs too: no existence leak, nothing changes
    response = client.post(reverse("web:partners", args=[workspace.slug]), {"cbs_code": "GM0546"})
    assert response.status_code == 404
    assert workspace.name not in client.get(reverse("web:home")).content.decode()


def test_unknown_workspace_and_layer_404(client, workspace, role_users):
    client_for(client, role_users["coordinator"])
    assert client.get("/w/bestaat-niet/").status_code == 404
    assert client.get(reverse("web:layer", args=[workspace.slug, "onbekend"])).status_code == 404


def test_object_from_other_workspace_is_404(client, workspace, role_users):
    client_for(client, role_users["coordinator"])
    foreign = PartnerFactory(workspace=WorkspaceFactory())
    assert client.get(reverse("web:partner_remove", args=[workspace.slug, foreign.pk])).status_code == 404
    assert client.post(reverse("web:partner_remove", args=[workspace.slug, foreign.pk])).status_code == 404
    url = reverse("web:delivery_state", args=[workspace.slug, "producten", foreign.pk])
    assert client.post(url, {"state": "ingeleverd"}).status_code == 404
    foreign_job = Job.objects.create(workspace=foreign.workspace, kind="demo", label="x")
    assert client.get(reverse("web:job_detail", args=[workspace.slug, foreign_job.pk])).status_code == 404
    assert client.get(reverse("web:job_detail", args=[workspace.slug, uuid.uuid4()])).status_code == 404
    assert Partner.objects.filter(pk=foreign.pk).exists()


def test_home_lists_my_workspaces_and_switcher(client, workspace, role_users):
    client_for(client, role_users["bijdrager"])
    html = client.get(reverse("web:home")).content.decode()
    assert workspace.name in html
    assert role_users["elsewhere"].name not in html
    assert "Nieuw samenwerkingsverband" in html
    response = client.get(reverse("web:workspace_switch"), {"w": workspace.slug})
    assert response.url == reverse("web:workspace_detail", args=[workspace.slug])


def test_create_workspace_shows_dutch_error_summary(client, db):
    user = UserFactory()
    client_for(client, user)
    response = client.post(reverse("web:workspace_create"), {"name": "", "slug": "", "wgr_form": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is een probleem" in html and "Dit veld is vereist" in html
    assert 'href="#id_name"' in html and 'aria-invalid="true"' in html
    assert "utrecht-form-field-description" in html  # help texts


def test_create_workspace_and_duplicate_slug(client, db):
    user = UserFactory()
    client_for(client, user)
    data = {"name": "Werkorganisatie Duivenvoorde", "slug": "", "wgr_form": "bedrijfsvoeringsorganisatie",
            "vision": "Samen sterker", "goals": ""}
    response = client.post(reverse("web:workspace_create"), data)
    workspace = Workspace.objects.get(slug="werkorganisatie-duivenvoorde")
    assert response.url == reverse("web:partners", args=[workspace.slug])
    assert Membership.objects.get(user=user, workspace=workspace).role == "coordinator"
    response = client.post(reverse("web:workspace_create"), data)
    html = response.content.decode()
    assert "Er is een probleem" in html and "bestaat al een samenwerkingsverband" in html


def test_edit_workspace_writes_audit(client, workspace, role_users):
    client_for(client, role_users["coordinator"])
    url = reverse("web:workspace_edit", args=[workspace.slug])
    response = client.post(url, {"name": workspace.name, "wgr_form": "centrumregeling", "vision": "Nieuw", "goals": ""})
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.wgr_form == "centrumregeling"
    entry = AuditEntry.objects.filter(workspace=workspace, action="update").first()
    assert entry.before["wgr_form"] == "bedrijfsvoeringsorganisatie" and entry.after["wgr_form"] == "centrumregeling"
    client_for(client, role_users["lezer"])
    assert client.post(url, {"name": "Gekaapt"}).status_code == 403
    workspace.refresh_from_db()
    assert workspace.name != "Gekaapt"


def test_partner_search_and_add(client, workspace, role_users, fake_register):
    client_for(client, role_users["coordinator"])
    url = reverse("web:partners", args=[workspace.slug])
    html = client.get(url, {"q": "leid"}).content.decode()
    assert "Leiden" in html and "Leiderdorp" in html and "GM0546" in html
    html = client.get(url, {"q": "noordwijk"}).content.decode()
    assert "opgeheven per" in html
    response = client.post(url, {"cbs_code": "546", "q": "leid"})
    assert response.status_code == 302
    partner = workspace.partners.get(cbs_code="GM0546")
    assert partner.name == "Leiden"
    assert DeliveryStatus.objects.filter(partner=partner).count() == len(DELIVERY_LAYERS)
    entry = AuditEntry.objects.filter(workspace=workspace, object_type="core.partner").first()
    assert entry.action == "create" and entry.after["name"] == "Leiden"
    html = client.get(url, {"q": "leid"}).content.decode()
    assert "al partner" in html


@pytest.mark.parametrize("code,message", [
    ("GM0546", "is al partner"),
    ("GM9999", "staat niet in het gemeenteregister"),
    ("GM0576", "is opgeheven"),
])
def test_partner_add_rejections_show_message(client, workspace, role_users, fake_register, code, message):
    client_for(client, role_users["coordinator"])
    url = reverse("web:partners", args=[workspace.slug])
    client.post(url, {"cbs_code": "GM0546"})
    before = workspace.partners.count()
    response = client.post(url, {"cbs_code": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is een probleem" in html and message in html
    assert workspace.partners.count() == before


@pytest.mark.parametrize("role", ["bijdrager", "lezer"])
def test_partner_add_denied_for_non_coordinator(client, workspace, role_users, fake_register, role):
    client_for(client, role_users[role])
    url = reverse("web:partners", args=[workspace.slug])
    assert client.post(url, {"cbs_code": "GM0546"}).status_code == 403
    assert not workspace.partners.filter(cbs_code="GM0546").exists()
    assert "Partner toevoegen" not in client.get(url).content.decode()


def test_partner_remove_needs_confirmation(client, workspace, role_users):
    client_for(client, role_users["coordinator"])
    partner = role_users["other"]
    url = reverse("web:partner_remove", args=[workspace.slug, partner.pk])
    html = client.get(url).content.decode()
    assert "gaan verloren" in html and role_users["bijdrager_ander"].username in html
    assert Partner.objects.filter(pk=partner.pk).exists()  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert AuditEntry.objects.filter(workspace=workspace, action="delete", object_type="core.partner").exists()


def test_partner_remove_denied_for_contributor(client, workspace, role_users):
    client_for(client, role_users["bijdrager"])
    url = reverse("web:partner_remove", args=[workspace.slug, role_users["own"].pk])
    assert client.post(url).status_code == 403
    assert Partner.objects.filter(pk=role_users["own"].pk).exists()


def state_url(ws, partner, layer="producten"):
    return reverse("web:delivery_state", args=[ws.slug, layer, partner.pk])


def current_state(partner, layer="producten"):
    return DeliveryStatus.objects.get(partner=partner, layer=layer).state


def test_contributor_changes_only_own_partner(client, workspace, role_users):
    client_for(client, role_users["bijdrager"])
    own, other = role_users["own"], role_users["other"]
    assert client.post(state_url(workspace, own), {"state": "ingeleverd"}).status_code == 302
    assert current_state(own) == "ingeleverd"
    assert client.post(state_url(workspace, other), {"state": "ingeleverd"}).status_code == 403
    assert current_state(other) == "concept"
    assert client.post(state_url(workspace, own), {"state": "vastgesteld"}).status_code == 403
    assert current_state(own) == "ingeleverd"
    html = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert html.count('name="state"') == 1  # only the own partner has a form
    assert 'value="vastgesteld"' not in html


def test_coordinator_sets_vastgesteld_and_lezer_cannot(client, workspace, role_users):
    own = role_users["own"]
    client_for(client, role_users["coordinator"])
    assert client.post(state_url(workspace, own), {"state": "vastgesteld"}).status_code == 302
    assert current_state(own) == "vastgesteld"
    entry = AuditEntry.objects.filter(workspace=workspace, action="update").first()
    assert entry.before == {"layer": "producten", "state": "concept"}
    assert entry.after == {"layer": "producten", "state": "vastgesteld"}
    client_for(client, role_users["lezer"])
    assert client.post(state_url(workspace, own), {"state": "concept"}).status_code == 403
    assert current_state(own) == "vastgesteld"
    html = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert 'name="state"' not in html
    assert client.get(state_url(workspace, own)).status_code == 405


def test_layer_pages_show_each_partner(client, workspace, role_users):
    client_for(client, role_users["lezer"])
    for layer in LAYERS:
        html = client.get(reverse("web:layer", args=[workspace.slug, layer.key])).content.decode()
        assert str(layer.title).replace("&", "&amp;") in html
        if layer.delivered_by_partners:
            assert role_users["own"].name in html and role_users["other"].name in html
    overview = client.get(reverse("web:workspace_detail", args=[workspace.slug])).content.decode()
    for layer in DELIVERY_LAYERS:
        assert reverse("web:layer", args=[workspace.slug, layer.key]) in overview


def test_invite_shows_link_once(client, workspace, role_users):
    client_for(client, role_users["coordinator"])
    url = reverse("web:members", args=[workspace.slug])
    response = client.post(url, {"username": "an.de.vries", "email": "", "role": "partnerbijdrager",
                                 "partner": str(role_users["own"].pk)})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    match = re.search(r"http://testserver(/wachtwoord/[^<\s]+/)", html)
    assert match, html
    assert "an.de.vries" in html
    assert "/wachtwoord/" not in client.get(url).content.decode()  # only once
    # the link really sets a password
    client.logout()
    response = client.get(match.group(1), follow=True)
    assert "Wachtwoord instellen" in response.content.decode()
    set_url = response.redirect_chain[-1][0] if response.redirect_chain else match.group(1)
    response = client.post(set_url, {"new_password1": "Zeer-sterk-2026!", "new_password2": "Zeer-sterk-2026!"})
    assert response.status_code == 302
    assert client.login(username="an.de.vries", password="Zeer-sterk-2026!")


def test_invite_errors_in_summary(client, workspace, role_users):
    client_for(client, role_users["coordinator"])
    url = reverse("web:members", args=[workspace.slug])
    html = client.post(url, {"username": "x", "role": "partnerbijdrager", "partner": ""}).content.decode()
    assert "Er is een probleem" in html and "Kies de partnergemeente" in html
    html = client.post(url, {"username": role_users["lezer"].username, "role": "lezer"}).content.decode()
    assert "heeft al een rol" in html
    client_for(client, role_users["lezer"])
    assert client.post(url, {"username": "y", "role": "lezer"}).status_code == 403


def test_audit_page_shows_changes_and_imports(client, workspace, role_users):
    user = role_users["coordinator"]
    audit.record_import(user, workspace, object_type="products.product", file_name="leiden-producten.xml",
                        file_sha256="ab" * 32, added=12, changed=3, removed=1, object_repr="Leiden")
    client_for(client, user)
    client.post(reverse("web:workspace_edit", args=[workspace.slug]),
                {"name": "Hernoemd verband", "wgr_form": "bedrijfsvoeringsorganisatie", "vision": "", "goals": ""})
    html = client.get(reverse("web:audit", args=[workspace.slug])).content.decode()
    assert "leiden-producten.xml" in html and "ab" * 32 in html
    assert "12 toegevoegd, 3 gewijzigd, 1 verwijderd" in html
    assert "Hernoemd verband" in html and user.username in html
    assert "<del>" in html and "<ins>" in html


def test_job_progress_fragment_polls_until_finished(client, workspace, role_users, job):
    client_for(client, role_users["lezer"])
    url = reverse("web:job_progress", args=[workspace.slug, job.pk])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html and "3 van 10" in html
    detail = client.get(reverse("web:job_detail", args=[workspace.slug, job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in detail
    Job.objects.filter(pk=job.pk).update(status="succeeded", done=10)
    html = client.get(url).content.decode()
    assert "hx-trigger" not in html and "10 van 10" in html
    assert reverse("web:job_detail", args=[workspace.slug, job.pk]) in client.get(
        reverse("web:job_redirect", args=[job.pk])).url


def test_retry_failed_job(client, workspace, role_users, job, django_capture_on_commit_callbacks):
    Job.objects.filter(pk=job.pk).update(status="failed", message="Rij 4: onbekende UPL-naam.")
    client_for(client, role_users["lezer"])
    html = client.get(reverse("web:job_detail", args=[workspace.slug, job.pk])).content.decode()
    assert "Rij 4: onbekende UPL-naam." in html and "Opnieuw starten" not in html
    assert client.post(reverse("web:job_retry", args=[workspace.slug, job.pk])).status_code == 403
    client_for(client, role_users["coordinator"])
    html = client.get(reverse("web:job_detail", args=[workspace.slug, job.pk])).content.decode()
    assert "Opnieuw starten" in html
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("web:job_retry", args=[workspace.slug, job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued"


def test_finished_job_page_links_to_its_result_in_dutch(client, workspace, role_users, job):
    detail_url = reverse("web:job_detail", args=[workspace.slug, job.pk])
    Job.objects.filter(pk=job.pk).update(
        kind="products.catalogue_import", status="succeeded", done=4, total=4, attempts=1,
        result={"added": 4, "url": f"/w/{workspace.slug}/producten/", "url_label": "Bekijk de catalogus"})
    client_for(client, role_users["lezer"])
    html = client.get(detail_url).content.decode()
    assert f'href="/w/{workspace.slug}/producten/"' in html and "Bekijk de catalogus" in html
    assert "Import productcatalogus" in html and "products.catalogue_import" not in html
    assert "4 van 4 stappen" in html and "Pogingen" not in html
    # the list shows the link and the Dutch kind too
    jobs_html = client.get(reverse("web:jobs", args=[workspace.slug])).content.decode()
    assert "Bekijk de catalogus" in jobs_html and "Import productcatalogus" in jobs_html
    # without a label the default text; an off-site url is not shown
    Job.objects.filter(pk=job.pk).update(result={"url": f"/w/{workspace.slug}/producten/"})
    assert "Bekijk het resultaat" in client.get(detail_url).content.decode()
    Job.objects.filter(pk=job.pk).update(result={"url": "https://evil.example/x"})
    html = client.get(detail_url).content.decode()
    assert "evil.example" not in html and "Bekijk het resultaat" not in html
    # a running job has no result link yet, and a retried job shows its attempts
    Job.objects.filter(pk=job.pk).update(status="running", attempts=2, result={"url": "/x/"})
    html = client.get(detail_url).content.decode()
    assert 'href="/x/"' not in html and "Pogingen" in html


def test_job_failed_on_bad_input_asks_for_a_new_file_instead_of_retry(client, workspace, role_users, job):
    Job.objects.filter(pk=job.pk).update(status="failed", message="Rij 4: onbekende UPL-naam.",
                                         result={"failure": "bad_input"})
    client_for(client, role_users["coordinator"])
    html = client.get(reverse("web:job_detail", args=[workspace.slug, job.pk])).content.decode()
    assert "Rij 4: onbekende UPL-naam." in html
    assert "Pas het bestand aan en start een nieuwe import" in html and "Opnieuw starten" not in html
    # any other failure (crash, stopped worker) keeps the retry button
    Job.objects.filter(pk=job.pk).update(result=None)
    html = client.get(reverse("web:job_detail", args=[workspace.slug, job.pk])).content.decode()
    assert "Opnieuw starten" in html and "Pas het bestand aan" not in html


def test_token_page(client, db):
    user = UserFactory()
    client_for(client, user)
    html = client.get(reverse("web:token")).content.decode()
    assert "U heeft nog geen token" in html
    response = client.post(reverse("web:token"))
    assert response.status_code == 302
    html = client.get(reverse("web:token")).content.decode()
    from rest_framework.authtoken.models import Token
    key = Token.objects.get(user=user).key
    assert key in html
    assert key not in client.get(reverse("web:token")).content.decode()
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code != 401


def test_csp_and_no_inline_code(client, workspace, role_users, job):
    client_for(client, role_users["coordinator"])
    for name, url in workspace_urls(workspace, role_users["own"], job).items():
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        if name != "progress":
            assert "script-src 'self'" in csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), name
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), name
        assert not re.search(r"\son[a-z]+=", html), name


def test_partners_against_the_real_reference_services(client, workspace, role_users):
    """No fake: the reference app's own register (its hand-written excerpt on an empty database)."""
    reference = pytest.importorskip("harmonie.reference.services")
    reference.ensure_excerpt_loaded(["gemeenten"])
    client_for(client, role_users["coordinator"])
    url = reverse("web:partners", args=[workspace.slug])
    html = client.get(url, {"q": "Dordrecht"}).content.decode()
    assert "GM0505" in html
    assert "opgeheven per" in client.get(url, {"q": "Appingedam"}).content.decode()
    assert client.post(url, {"cbs_code": "0505"}).status_code == 302
    assert workspace.partners.filter(cbs_code="GM0505", name="Dordrecht").exists()
    for bad, message in [("0505", "is al partner"), ("GM9998", "staat niet in het gemeenteregister"),
                         ("abc", "geen geldige CBS-gemeentecode"), ("0003", "is opgeheven")]:
        html = client.post(url, {"cbs_code": bad}).content.decode()
        assert "Er is een probleem" in html and message in html, bad


def fake_panel(request, workspace):
    return f'<p class="utrecht-paragraph" id="paneel">Paneel van {workspace.slug}</p>'


def test_layer_page_shows_the_layer_apps_panel(client, workspace, role_users, monkeypatch):
    import dataclasses

    from harmonie.core import layers

    patched = tuple(dataclasses.replace(layer, panel=f"{__name__}.fake_panel") if layer.key == "applicaties"
                    else layer for layer in layers.LAYERS)
    monkeypatch.setattr("harmonie.web.views.LAYERS", patched)
    client_for(client, role_users["lezer"])
    html = client.get(reverse("web:layer", args=[workspace.slug, "applicaties"])).content.decode()
    assert f'<p class="utrecht-paragraph" id="paneel">Paneel van {workspace.slug}</p>' in html
    without_panel = tuple(dataclasses.replace(layer, panel="") for layer in layers.LAYERS)
    monkeypatch.setattr("harmonie.web.views.LAYERS", without_panel)
    html = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert "nog geen gegevens" in html


def test_audit_values_are_shown_in_words():
    from harmonie.web.views import _diff, _object_type_label

    rows = _diff({"wgr_form": ""}, {"wgr_form": "centrumregeling", "besluit": {"status": "vastgesteld", "k": 5},
                                    "online": True})
    shown = {row["label"]: row["after"] for row in rows}
    assert shown["Wgr-vorm"] == "Centrumregeling"
    assert shown["besluit"] == "status: vastgesteld; minimale groepsgrootte (k): 5"
    assert shown["online"] == "ja"
    assert _object_type_label("applications.portfolio") == "applicatieportfolio"
    assert _object_type_label("onbekend.iets_anders") == "iets anders"


def test_layer_panels_for_vision_products_and_processes(client, role_users, workspace):
    from harmonie.diagnosis import services as diagnosis

    workspace.vision = "Samen één dienstverlening"
    workspace.save()
    client.force_login(role_users["coordinator"])
    vision = client.get(reverse("web:layer", args=[workspace.slug, "visie"])).content.decode()
    assert "Samen één dienstverlening" in vision and "Visie, doelen en Wgr-vorm bewerken" in vision

    products = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert "harmonie catalog compare" in products and "nog geen vergelijking vastgelegd" in products

    own, other = role_users["own"], role_users["other"]
    diagnosis.record_evidence(role_users["coordinator"], workspace, "products", {
        "organisations": ["A", "B"], "products": [],
        "pairs": [{"a": "A", "b": "B", "harmonisation_index": 0.4567, "shared_products": 12}],
    }, names={"A": own.cbs_code, "B": other.cbs_code}, source="vergelijking.json")
    products = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert "vergelijking.json" in products and own.name in products and other.name in products
    assert "0,46" in products and ">12<" in products

    processes = client.get(reverse("web:layer", args=[workspace.slug, "werkprocessen"])).content.decode()
    assert reverse("processes:logs", args=[workspace.slug]) in processes
    assert reverse("processes:zaaktypen", args=[workspace.slug]) in processes


def test_logout_and_password_set_confirm_what_happened(client, role_users, workspace):
    from harmonie.core import services as core_services

    client.force_login(role_users["coordinator"])
    _membership, link = core_services.invite_member(role_users["coordinator"], workspace, username="nieuw",
                                                    role="lezer")
    response = client.post(reverse("logout"), follow=True)
    assert "U bent uitgelogd." in response.content.decode()
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link, {
        "new_password1": "Zeer-geheim-wachtwoord-42", "new_password2": "Zeer-geheim-wachtwoord-42"}, follow=True)
    assert "Uw wachtwoord is ingesteld." in response.content.decode()
