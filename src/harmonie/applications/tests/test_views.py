"""Pages, panel, exports and API of the Applicaties layer on the demo."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from harmonie.applications import services
from harmonie.applications.exchange import read_model
from harmonie.applications.models import Application
from harmonie.core.demo import build_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_demo().workspace


def login(username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def assert_csp_safe(html):
    assert not re.search(r"\sstyle=", html), "no inline style attributes"
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline scripts"


def test_layer_page_shows_panel(demo):
    response = login("coordinator").get(reverse("web:layer", args=[demo.slug, "applicaties"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Overlap: aantal applicaties per referentiecomponent en partner" in html
    assert "Zaakregistratiecomponent" in html and "wacht op procesharmonisatie" in html
    assert "Migratie naar één zaaksysteem" in html and "Gezamenlijk venster vanaf" in html
    assert_csp_safe(html)


def test_overview_and_partner_pages(demo):
    client = login("bestuurder")
    html = client.get(reverse("applications:overview", args=[demo.slug])).content.decode()
    assert "TIME-voorstellen per applicatie" in html and "Migreren" in html
    assert_csp_safe(html)
    partner = demo.partners.get(name="Lindeveen")
    response = client.get(reverse("applications:partner", args=[demo.slug, partner.pk]))
    assert response.status_code == 200 and "Microsoft 365" in response.content.decode()
    assert_csp_safe(response.content.decode())


def test_upload_starts_a_job_and_confirm_mapping(demo):
    partner = demo.partners.get(name="Lindeveen")
    client = login("bijdrager-lindeveen")
    url = reverse("applications:import", args=[demo.slug, partner.pk])
    assert client.get(url).status_code == 200
    upload = io.BytesIO(b"application,referentiecomponent\nNieuw zaaksysteem,Zaakregistratiecomponent\n")
    upload.name = "nieuw.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302 and "/taken/" in response["Location"]
    other = demo.partners.get(name="Brakelburg")
    assert client.get(reverse("applications:import", args=[demo.slug, other.pk])).status_code == 403
    app = Application.objects.filter(partner=partner, mappings__isnull=True).first()
    response = client.post(reverse("applications:confirm_mapping", args=[demo.slug, partner.pk]),
                           {"application": app.pk, "component": "Documentregistratiecomponent"})
    assert response.status_code == 302
    assert app.mappings.get().gemma_name == "Documentregistratiecomponent"


def test_exports(demo):
    app = Application.objects.filter(partner__name="Heidemeer").first()
    Application.objects.filter(pk=app.pk).update(supplier="=HYPERLINK(\"http://x\")")
    client = login("coordinator")
    response = client.get(reverse("applications:export_xlsx", args=[demo.slug]))
    book = load_workbook(io.BytesIO(response.content))
    values = [c.value for row in book["Applicaties"].iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in values)
    assert services.safe_cell("-1+2") == "'-1+2" and services.safe_cell("@x") == "'@x"
    for landschap in ("huidig", "doel"):
        response = client.get(reverse("applications:export_ameff", args=[demo.slug]), {"landschap": landschap})
        model = read_model(response.content, "export.xml")
        assert model.elements and model.relations
        from harmonie.applications.analysis.archimate import problems

        assert problems(model) == []
    target = read_model(client.get(reverse("applications:export_ameff", args=[demo.slug]),
                                   {"landschap": "doel"}).content, "doel.xml")
    assert any(e.properties.get("Status") == "wacht op harmonisatie" for e in target.elements)


def test_current_landscape_ameff_imports_back(demo):
    """The exported current landscape is itself an importable portfolio (round trip per partner)."""
    partner = demo.partners.get(name="Oosterwaarde")
    data = services.export_ameff(demo)
    result = services.import_portfolio(None, demo, partner, data, "export.xml")
    assert (result.added, result.changed, result.removed) == (0, 0, 0)
    assert result.skipped_other_partners > 0


def test_api(demo):
    client = login("coordinator")
    base = f"/api/v1/samenwerkingsverbanden/{demo.slug}"
    overlap = client.get(f"{base}/applicaties/overlap").json()
    zrc = next(c for c in overlap if c["referentiecomponent"] == "Zaakregistratiecomponent")
    assert len(zrc["partners"]) == 4 and len(zrc["per_partner"]) == 4
    proposals = client.get(f"{base}/applicaties/time-voorstellen").json()
    assert any(p["wacht_op"] for p in proposals)
    apps = client.get(f"{base}/applicaties").json()
    assert apps["count"] == Application.objects.filter(workspace=demo).count()
    partner = demo.partners.get(name="Lindeveen")
    upload = io.BytesIO(b"application\nX\n")
    upload.name = "x.csv"
    response = client.post(f"{base}/partners/{partner.pk}/applicaties", {"bestand": upload})
    assert response.status_code == 202 and response.json()["soort"] == services.JOB_KIND
    assert client.get(f"{base}/applicaties/ameff").status_code == 200


def test_time_proposals_filter_and_page(demo):
    """The TIME table filters on partner and proposal and shows 100 rows per page (a 30-partner workspace has
    close to a thousand)."""
    from harmonie.applications import views

    client = login("bestuurder")
    page_url = reverse("applications:overview", args=[demo.slug])
    land = services.landscape(demo)
    total = len(land.proposals)
    assert total > 3
    html = client.get(page_url).content.decode()
    assert f"{total} voorstellen voldoen aan de filters." in html
    partner = land.proposals[0].partner
    mine = [p for p in land.proposals if p.partner == partner]
    html = client.get(page_url, {"partner": partner}).content.decode()
    assert f"{len(mine)} voorstel" in html and "voldoe" in html
    rows = html.split('id="time-kop"')[1].split('id="herleid-kop"')[0].count('<tr class="utrecht-table__row">') - 1
    assert rows == len(mine)
    html = client.get(page_url, {"partner": "Bestaat-niet", "voorstel": "iets"}).content.decode()
    assert f"{total} voorstellen voldoen aan de filters." in html  # unknown values filter nothing
    migrate = [p for p in land.proposals if p.action == "migrate"]
    html = client.get(page_url, {"voorstel": "migrate"}).content.decode()
    assert f"{len(migrate)} voorstel" in html
    views.TIME_PAGE_SIZE, original = 2, views.TIME_PAGE_SIZE
    try:
        html = client.get(page_url, {"pagina": "2"}).content.decode()
    finally:
        views.TIME_PAGE_SIZE = original
    pages = -(-total // 2)
    assert f"Pagina 2 van {pages}" in html and "pagina=1#time-kop" in html
    rows = html.split('id="time-kop"')[1].split('id="herleid-kop"')[0].count('<tr class="utrecht-table__row">') - 1
    assert rows == 2
