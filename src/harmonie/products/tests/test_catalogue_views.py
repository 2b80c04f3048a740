"""The catalogue pages and API on the demo, in the Django test client: overview, partner page, import with
source choice, the column-mapping step (remembered per partner), confirming, overriding, bulk confirmation."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from harmonie.core.demo import build_demo
from harmonie.core.jobs import Progress, _run
from harmonie.core.models import ImportColumnMapping, Job, JobStatus
from harmonie.products import services
from harmonie.products.models import CatalogueImport, MappingOrigin, ProductMapping, ProductRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return build_demo().workspace


def login(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def assert_csp_safe(html):
    assert not re.search(r"\sstyle=", html), "no inline style attributes"
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline scripts"


def run_job_of(response):
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    job = Job.objects.get(pk=job_id)
    _run(job, Progress(job_id=job.pk))
    job.refresh_from_db()
    return job


def upload(name, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_overview_lists_partners_with_counts(demo):
    response = login("bestuurder").get(reverse("products:catalogues", args=[demo.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for row in services.catalogue_overview(demo):
        assert row["partner"].name in html
    assert_csp_safe(html)
    assert "Importeren" not in html  # a reader cannot import


def test_partner_page_shows_mappings_suggestions_and_withdrawn_flag(demo):
    heidemeer = demo.partners.get(name="Heidemeer")
    html = login("coordinator").get(reverse("products:catalogue", args=[demo.slug, heidemeer.pk])).content.decode()
    assert "Naamgebruik wijzigen" in html and "ingetrokken" in html
    assert "Suggesties (zekerheid)" in html and 'list="upl-namen"' in html and "<datalist" in html
    assert re.search(r"\(0[.,]\d\d\)|\(1[.,]00\)", html)  # confidences are shown
    assert_csp_safe(html)
    reader = login("bestuurder").get(reverse("products:catalogue", args=[demo.slug, heidemeer.pk])).content.decode()
    assert "Bevestigen" not in reader and "<datalist" not in reader


def test_import_sc_csv_through_the_page_and_see_the_diff(demo):
    partner = demo.partners.get(name="Lindeveen")
    client = login("bijdrager-lindeveen")
    url = reverse("products:catalogue_import", args=[demo.slug, partner.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Soort bron" in page.content.decode()
    assert client.get(reverse("products:catalogue_import", args=[demo.slug, demo.partners.get(
        name="Brakelburg").pk])).status_code == 403
    response = client.post(url, {"source": "sc-csv"})
    assert response.status_code == 200 and "Kies een bestand" in response.content.decode()
    keep = list(ProductRecord.objects.filter(partner=partner).order_by("title")[:3])
    rows = "\n".join(f'Lindeveen,{p.source_key},"{p.title}",{" | ".join(p.audience)},{p.online_request}'
                     for p in keep)
    content = ("authority_label,identifier_url,title,audience,onlineAanvragen\n" + rows
               + "\nLindeveen,https://www.lindeveen.example/nieuw,Parkeervergunning voor bewoners,particulier,ja\n"
               + "Brakelburg,https://www.brakelburg.example/x,Iets anders,particulier,nee\n")
    response = client.post(url, {"source": "sc-csv", "file": upload("lindeveen.csv", content.encode("cp1252"))})
    assert response.status_code == 302 and "/taken/" in response["Location"]
    job = run_job_of(response)
    assert job.status == JobStatus.SUCCEEDED, job.message
    record = CatalogueImport.objects.filter(partner=partner).first()
    assert record.details["added"] == ["Parkeervergunning voor bewoners"] and record.removed > 10
    html = client.get(reverse("products:catalogue", args=[demo.slug, partner.pk])).content.decode()
    assert "Parkeervergunning voor bewoners" in html and "1 toegevoegd" in html and "Verwijderd" in html
    # a failing import shows its Dutch message on the page and leaves the catalogue alone
    response = client.post(url, {"source": "sc-xml", "file": upload("kapot.xml", b"<searchRetrieveResponse><x>")})
    assert run_job_of(response).status == JobStatus.FAILED
    html = client.get(reverse("products:catalogue", args=[demo.slug, partner.pk])).content.decode()
    assert "geen geldige XML" in html and ProductRecord.objects.filter(partner=partner).count() == 4


def test_mapped_file_with_column_step_remembered_per_partner(demo):
    partner = demo.partners.get(name="Oosterwaarde")
    client = login("coordinator")
    url = reverse("products:catalogue_import", args=[demo.slug, partner.pk])
    columns_url = reverse("products:catalogue_columns", args=[demo.slug, partner.pk])
    assert client.get(columns_url).status_code == 302  # nothing uploaded yet
    content = ("Code;Naam product;Uitleg;Voor wie;Aanvragen via internet;Hoe lang;Prijs;UPL\n"
               "P1;Paspoort aanvragen;Voor reizen buiten Europa;burgers;ja;5 werkdagen;€ 84,70;Paspoort\n"
               "P2;Hondenbelasting;Belasting voor honden;inwoners;nee;;€ 98;hondenpenning\n").encode("utf-8-sig")
    response = client.post(url, {"source": "mapped", "file": upload("eigen.csv", content)})
    assert response.status_code == 302 and response["Location"] == columns_url
    html = client.get(columns_url).content.decode()
    assert "Naam product" in html and "Hoe lang" in html
    assert re.search(r'<option value="Code" selected>', html)  # guessed: "code" is a known id column
    mapping = {"title": "Naam product", "id": "Code", "abstract": "Uitleg", "audience": "Voor wie",
               "online": "Aanvragen via internet", "lead_time": "Hoe lang", "fees": "Prijs", "upl": "UPL"}
    response = client.post(columns_url, {**mapping, "subject": "", "url": ""})
    assert response.status_code == 302
    job = run_job_of(response)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert ImportColumnMapping.objects.get(partner=partner, kind="products").mapping == mapping
    products = {p.title: p for p in ProductRecord.objects.filter(partner=partner)}
    assert set(products) == {"Paspoort aanvragen", "Hondenbelasting"}
    assert products["Paspoort aanvragen"].lead_time == "5 werkdagen" and products["Hondenbelasting"].fees == "€ 98"
    assert products["Paspoort aanvragen"].online_request == "ja"
    # a UPL name instead of a URI is resolved; an unknown one is reported with its line, not imported
    assert [m.upl_label for m in products["Paspoort aanvragen"].mappings.filter(origin=MappingOrigin.SOURCE)] == \
        ["paspoort"]
    assert not products["Hondenbelasting"].mappings.filter(origin=MappingOrigin.SOURCE).exists()
    warnings = CatalogueImport.objects.filter(partner=partner).first().details["warnings"]
    assert warnings == ["Regel 3 ('Hondenbelasting'): UPL 'hondenpenning' staat niet in de huidige UPL-lijst; "
                        "niet overgenomen."]
    # the next file of this partner: the remembered choice is proposed, also for an unusual column
    client.post(url, {"source": "mapped", "file": upload("eigen2.csv", content)})
    html = client.get(columns_url).content.decode()
    assert '<option value="Hoe lang" selected>' in html and '<option value="Uitleg" selected>' in html
    # choosing one column twice is refused with a message on the page
    response = client.post(columns_url, {**mapping, "abstract": "Naam product"})
    assert response.status_code == 200 and "meer dan één veld" in response.content.decode()


def test_confirm_override_and_bulk_confirm(demo):
    partner = demo.partners.get(name="Oosterwaarde")
    client = login("bijdrager-oosterwaarde")
    confirm_url = reverse("products:catalogue_confirm", args=[demo.slug, partner.pk])
    product = ProductRecord.objects.filter(partner=partner).order_by("title").first()
    suggestion = product.mappings.get(origin=MappingOrigin.SUGGESTION, rank=2)
    response = client.post(confirm_url, {"product": product.pk, "upl": suggestion.upl_uri})
    assert response.status_code == 302
    chosen = product.mappings.get(origin=MappingOrigin.CONFIRMED)
    assert chosen.upl_uri == suggestion.upl_uri and chosen.confirmed_by.username == "bijdrager-oosterwaarde"
    response = client.post(confirm_url, {"product": product.pk, "upl": "Bezwaar"})
    assert product.mappings.get(origin__in=["bevestigd", "overschreven"]).upl_label == "bezwaar"
    response = client.post(confirm_url, {"product": product.pk, "upl": "geen bestaande naam"}, follow=True)
    assert "niet in de huidige UPL-lijst" in response.content.decode()
    response = client.post(confirm_url, {"product": product.pk, "upl": "Aanduiding naamgebruik"}, follow=True)
    assert "is ingetrokken; kies een actuele naam" in response.content.decode()
    from harmonie.core.models import AuditEntry

    entries = AuditEntry.objects.count()
    client.post(confirm_url, {"product": product.pk, "upl": "bezwaar"})  # the same choice again changes nothing
    assert AuditEntry.objects.count() == entries
    other = ProductRecord.objects.filter(partner__name="Lindeveen").first()
    assert client.post(reverse("products:catalogue_confirm", args=[demo.slug, other.partner_id]),
                       {"product": other.pk, "upl": "paspoort"}).status_code == 403

    bulk_url = reverse("products:catalogue_bulk_confirm", args=[demo.slug, partner.pk])
    expected = services.bulk_candidates(partner, 0.5)
    page = client.get(bulk_url, {"drempel": "0,5"}).content.decode()
    assert f"Er zijn {len(expected)} producten zonder bevestiging" in page or \
        f"Er is {len(expected)} product zonder bevestiging" in page
    assert_csp_safe(page)
    response = client.post(bulk_url, {"drempel": "0.5", "bevestig": "ja"}, follow=True)
    assert f"{len(expected)} UPL-koppelingen bevestigd" in response.content.decode()
    chosen = ProductMapping.objects.filter(product__partner=partner, origin__in=["bevestigd", "overschreven"])
    assert chosen.count() == len(expected) + 1  # the bulk ones and the product chosen by hand above
    assert services.bulk_candidates(partner, 0.5) == []
    assert client.get(bulk_url, {"drempel": "7"}).status_code == 302


def test_api_lists_products_and_confirms(demo):
    partner = demo.partners.get(name="Lindeveen")
    base = f"/api/v1/samenwerkingsverbanden/{demo.slug}/partners/{partner.pk}/producten"
    listing = login("bestuurder").get(base).json()
    assert listing["count"] == ProductRecord.objects.filter(partner=partner).count()
    item = next(p for p in listing["results"] if p["titel"] == "Paspoort aanvragen")
    assert item["status"] == "bevestigd" and item["effectief"][0]["upl_naam"] == "paspoort"
    assert {k["herkomst"] for k in item["koppelingen"]} >= {"bevestigd", "bron", "suggestie"}
    product = ProductRecord.objects.get(partner=partner, title="Rijbewijs verlengen")
    client = login("bijdrager-lindeveen")
    response = client.post(f"{base}/bevestigen", {"product": product.pk, "upl": "rijbewijs"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["herkomst"] in ("bevestigd", "overschreven")
    response = client.post(f"{base}/bevestigen", {"product": product.pk, "upl": "onzin"},
                           content_type="application/json")
    assert response.status_code == 400 and "UPL-lijst" in response.json()["detail"]
    other = login("bijdrager-brakelburg").post(f"{base}/bevestigen", {"product": product.pk, "upl": "rijbewijs"},
                                               content_type="application/json")
    assert other.status_code == 403


def test_column_step_names_sc_columns_in_dutch(demo):
    """An SC export as 'own file': its technical column names get a Dutch name, the technical one next to it."""
    partner = demo.partners.get(name="Oosterwaarde")
    client = login("coordinator")
    content = ("identifier_url,title,onlineAanvragen,aanvraagURL,upl_uri\n"
               "https://example.org/p1,Paspoort,ja,https://example.org/aanvragen,\n").encode("utf-8")
    client.post(reverse("products:catalogue_import", args=[demo.slug, partner.pk]),
                {"source": "mapped", "file": upload("sc-export.csv", content)})
    html = client.get(reverse("products:catalogue_columns", args=[demo.slug, partner.pk])).content.decode()
    assert ">online aanvragen (onlineAanvragen)</option>" in html
    assert ">webadres van het product (identifier_url)</option>" in html
    assert '<span class="pc-tech">onlineAanvragen</span>' in html
    assert_csp_safe(html)
