"""Product matrix pages, exports, layer panel and API."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from harmonie.products import services
from harmonie.products.models import ProductRecord

from .test_matrix_services import P, add_product, partners

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(workspace, role_users):
    a, b, c = partners(workspace, "Aadorp", "Beekdal", "Cranendonk")
    add_product(a, "Paspoort aanvragen", ["paspoort"], online="ja", lead_time="5 werkdagen", subject="Burgerzaken")
    add_product(a, "Afvalpas", ["afvalpas"], online="nee", subject="Afval")
    add_product(b, "Paspoort", ["paspoort"], online="ja", subject="Burgerzaken")
    add_product(b, "=HYPERLINK(\"http://evil\")", ["terrasvergunning"], audience=("ondernemer",), online="ja",
                subject="Ondernemen")
    add_product(c, "Paspoort", ["paspoort"], audience=("particulier", "ondernemer"), online="nee")
    add_product(c, "Afval", ["afvalpas"], online="nee", subject="Afval")
    services.clear_matrix_cache()
    client = Client()
    client.force_login(role_users["lezer"])
    return workspace, client


def url(name, workspace, *args):
    return reverse(name, args=[workspace.slug, *args])


def test_matrix_page_shows_local_titles_index_and_differences(world):
    workspace, client = world
    response = client.get(url("products:matrix", workspace))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Aadorp", "Beekdal", "Cranendonk", "Paspoort aanvragen", "Afvalpas", "Jaccard"):
        assert name in html
    assert "0,33" in html or "0.33" in html  # workspace index (0.3472)
    # Cranendonk's passport differs (audience, online) from the proposal: highlighted with the reason
    assert html.count("pm-cell--differs") == 1 + 1  # the cell and the legend swatch
    assert "wijkt af: doelgroep, online aanvragen" in html
    assert reverse("products:product", args=[workspace.slug, "paspoort"]) in html


def test_matrix_filters(world):
    workspace, client = world

    def labels(**params):
        response = client.get(url("products:matrix", workspace), params)
        html = response.content.decode()
        return [label for label in ("paspoort", "afvalpas", "terrasvergunning")
                if f"/product/{label}/" in html]

    assert labels() == ["paspoort", "afvalpas", "terrasvergunning"]
    assert labels(onderwerp="Afval") == ["afvalpas"]
    assert labels(doelgroep="ondernemer") == ["paspoort", "terrasvergunning"]
    assert labels(aanbod="iedereen") == ["paspoort"]
    assert labels(aanbod="uniek") == ["terrasvergunning"]
    assert labels(verschillen="1", aanbod="gedeeld") == ["paspoort", "afvalpas"]
    assert labels(q="afval") == ["afvalpas"]
    assert labels(doelgroep="onzin", aanbod="onzin") == ["paspoort", "afvalpas", "terrasvergunning"]
    html = client.get(url("products:matrix", workspace), {"toon": "online"}).content.decode()
    assert "(online aanvragen)" in html and "wijkt af: online aanvragen)" in html
    # lead time: Beekdal and Cranendonk do not say, which is not a difference to mark
    html = client.get(url("products:matrix", workspace), {"toon": "lead_time"}).content.decode()
    assert "5 werkdagen" in html and "wijkt af:" not in html


def test_matrix_paginates(workspace, role_users):
    (a,) = partners(workspace, "Aadorp")
    for i in range(55):
        add_product(a, f"Product {i}", [f"upl{i:02d}"])
    client = Client()
    client.force_login(role_users["lezer"])
    html = client.get(url("products:matrix", workspace)).content.decode()
    assert "Pagina 1 van 2" in html and "pagina=2" in html
    assert html.count("/product/upl") == 50
    html = client.get(url("products:matrix", workspace), {"pagina": 2}).content.decode()
    assert html.count("/product/upl") == 5


def test_product_page_shows_definitions_proposal_and_changes(world):
    workspace, client = world
    response = client.get(url("products:product", workspace, "paspoort"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voorstel: de definitie die de meeste partners delen" in html
    assert "2 van de 3 partners die dit vermelden" in html
    assert "doelgroep: particulier, ondernemer → particulier" in html  # Cranendonk
    assert "online aanvragen: nee → ja" in html
    assert "doorlooptijd aanvullen: 5 werkdagen" in html  # Beekdal and Cranendonk
    assert "Niets: volgt het voorstel al." in html  # Aadorp
    # a UPL name nobody offers (in the UPL excerpt) shows a page; an unknown name is a 404
    nobody = client.get(url("products:product", workspace, "rijbewijs"))
    assert nobody.status_code == 200 and "Geen van de partners biedt dit product aan" in nobody.content.decode()
    assert client.get(url("products:product", workspace, "bestaat-niet-xyz")).status_code == 404


def test_pairs_heatmap_is_a_table_with_numbers_and_colour_classes(world):
    workspace, client = world
    html = client.get(url("products:pairs", workspace)).content.decode()
    assert "<table" in html and "Paarindex" in html
    assert "pm-level--3" in html  # Aadorp–Cranendonk 0.625
    assert "0,62" in html or "0.62" in html
    assert "pm-level--0" in html  # Beekdal–Cranendonk 0.0833
    assert "0,6250" in html or "0.6250" in html  # ranked list with 4 decimals


def test_unique_products_page(world):
    workspace, client = world
    html = client.get(url("products:unique", workspace)).content.decode()
    assert "terrasvergunning" in html
    assert "Geen: elk product van deze partner" in html  # Aadorp, Cranendonk


def test_xlsx_export_parses_back_and_neutralises_formulas(world):
    workspace, client = world
    response = client.get(url("products:export_xlsx", workspace))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Matrix", "Producten", "Definities", "Paren", "Partners", "Voorstellen",
                               "Wijzigingen per partner", "Unieke producten", "Nog niet gekoppeld", "Formule"]
    # Dutch column headers for people, not the field names of the code
    assert [c.value for c in book["Paren"][1]] == ["partner A", "partner B", "harmonisatie-index",
                                                   "gedeelde producten"]
    assert [c.value for c in book["Definities"][1]][4:8] == ["doelgroep", "online aanvragen", "doorlooptijd",
                                                             "kosten"]
    assert not any(h in (c.value or "") for ws in book.worksheets for c in ws[1]
                   for h in ("audience", "lead_time", "fees", "harmonisation_index", "shared_products", "_"))
    pairs = [tuple(r) for r in book["Paren"].iter_rows(min_row=2, values_only=True)]
    assert pairs == [("Aadorp", "Beekdal", 0.3333, 1), ("Aadorp", "Cranendonk", 0.625, 2),
                     ("Beekdal", "Cranendonk", 0.0833, 1)]
    header = [c.value for c in book["Matrix"][1]]
    assert header[-3:] == ["Aadorp", "Beekdal", "Cranendonk"]
    values = [c.value for row in book.worksheets for r in row.iter_rows() for c in r if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://evil\")" in values
    assert not any(v.startswith("=") for v in values)
    assert all(c.data_type != "f" for ws in book.worksheets for r in ws.iter_rows() for c in r)
    changes = [tuple(r) for r in book["Wijzigingen per partner"].iter_rows(min_row=2, values_only=True)]
    assert ("Cranendonk", P + "paspoort", "paspoort", "online aanvragen", "wijzigen", "nee", "ja") in changes
    unique = [tuple(r) for r in book["Unieke producten"].iter_rows(min_row=2, values_only=True)]
    assert unique == [("Beekdal", P + "terrasvergunning", "terrasvergunning", "'=HYPERLINK(\"http://evil\")")]


def test_csv_export_per_table(world):
    workspace, client = world
    response = client.get(url("products:export_csv", workspace), {"tabel": "paren"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == {"partner A": "Aadorp", "partner B": "Cranendonk", "harmonisatie-index": "0.625",
                       "gedeelde producten": "2"}
    matrix = list(csv.reader(io.StringIO(client.get(url("products:export_csv", workspace)).content.decode("utf-8-sig"))))
    assert matrix[0][:3] == ["UPL-URI", "uniforme productnaam", "aantal partners"]
    assert any(cell == "'=HYPERLINK(\"http://evil\")" for row in matrix for cell in row)
    assert client.get(url("products:export_csv", workspace), {"tabel": "x"}).status_code == 400


def test_layer_panel_summarises_and_links(world):
    workspace, client = world
    html = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert "Productcatalogi en productmatrix" in html
    assert url("products:matrix", workspace) in html and url("products:pairs", workspace) in html
    try:
        catalogues = url("products:catalogues", workspace)
    except Exception:  # noqa: BLE001 - the catalogue pages are built separately
        catalogues = None
    if catalogues:
        assert catalogues in html


def test_layer_panel_without_catalogues_falls_back_to_the_comparison(workspace, role_users):
    client = Client()
    client.force_login(role_users["lezer"])
    html = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert "Nog geen productcatalogi van partners" in html
    assert "harmonie catalog compare" in html  # how to record a comparison from the command line


def test_outsider_gets_404(world, role_users):
    workspace, _client = world
    client = Client()
    client.force_login(role_users["buitenstaander"])
    assert client.get(url("products:matrix", workspace)).status_code == 404


def test_api_matrix_pairs_and_product(world):
    workspace, client = world
    base = f"/api/v1/samenwerkingsverbanden/{workspace.slug}/producten/matrix"
    data = client.get(base).json()
    assert data["organisations"] == ["Aadorp", "Beekdal", "Cranendonk"]
    assert [p["slug"] for p in data["products"]] == ["paspoort", "afvalpas", "terrasvergunning"]
    assert client.get(base, {"aanbod": "uniek"}).json()["count"] == 1
    pairs = client.get(base + "/paren").json()
    assert pairs["pairs"][1] == {"a": "Aadorp", "b": "Cranendonk", "harmonisation_index": 0.625,
                                 "shared_products": 2}
    assert pairs["partner_index"]["Aadorp"] == pytest.approx(0.4792, abs=1e-4)
    product = client.get(base + "/producten/paspoort").json()
    assert product["harmonisation_index"] == 0.5
    assert {"partner": "Cranendonk", "attribute": "online", "kind": "wijzigen", "current": "nee",
            "proposed": "ja"} in product["proposal"]["changes"]
    assert client.get(base + "/producten/bestaat-niet-xyz").status_code == 404


def test_matrix_follows_a_new_record(world):
    workspace, client = world
    (d,) = partners(workspace, "Dalfsen")
    add_product(d, "Paspoort", ["paspoort"], online="ja")
    html = client.get(url("products:matrix", workspace)).content.decode()
    assert "Dalfsen" in html
    assert ProductRecord.objects.filter(workspace=workspace).count() == 7


def test_unlinked_products_listed_on_matrix_panel_and_export(world):
    """A weak rank-1 suggestion is 'nog niet gekoppeld': counted on the matrix page, listed on its own page with
    a link to the partner's catalogue (open mappings), a count in the layer panel and its own sheet in the export.
    The matrix page itself does not list them (thousands in a large samenwerkingsverband)."""
    workspace, client = world
    beekdal = workspace.partners.get(name="Beekdal")
    html = client.get(url("products:unlinked", workspace)).content.decode()
    assert "Geen: elk product uit de catalogi telt mee" in html
    add_product(beekdal, "Walstroom", suggestions=["aangifte-vertrek-buitenland"], score=0.004)
    html = client.get(url("products:matrix", workspace)).content.decode()
    assert "1 product uit de catalogi is nog niet gekoppeld" in html and "Walstroom" not in html
    assert url("products:unlinked", workspace) in html
    assert "/product/aangifte-vertrek-buitenland/" not in html
    html = client.get(url("products:unlinked", workspace)).content.decode()
    assert "Beekdal: 1 product" in html and "Walstroom" in html and "zekerheid 0,004" in html
    assert url("products:catalogue", workspace, beekdal.pk) + "?alleen=open" in html
    panel = client.get(reverse("web:layer", args=[workspace.slug, "producten"])).content.decode()
    assert "1 product is nog niet gekoppeld" in panel
    assert url("products:catalogue", workspace, beekdal.pk) + "?alleen=open" in panel
    book = load_workbook(io.BytesIO(client.get(url("products:export_xlsx", workspace)).content))
    assert [tuple(r) for r in book["Nog niet gekoppeld"].iter_rows(min_row=2, values_only=True)] == [
        ("Beekdal", "Walstroom", "aangifte-vertrek-buitenland", 0.004)]


def test_many_titles_fold_and_differences_are_visible(world):
    workspace, client = world
    aadorp = workspace.partners.get(name="Aadorp")
    for i in range(9):
        add_product(aadorp, f"Paspoort variant {i}", ["paspoort"], online="ja")
    html = client.get(url("products:matrix", workspace)).content.decode()
    assert "+7 meer</summary>" in html  # 10 titles: three shown, seven behind the summary
    # the reason of a difference is visible text (small), not only the ≠ mark for screen readers
    assert '<span class="pm-small pm-why">(wijkt af: doelgroep, online aanvragen)</span>' in html


def test_digid_is_shown_as_people_read_it(world):
    workspace, client = world
    add_product(workspace.partners.get(name="Aadorp"), "Parkeervergunning", ["parkeervergunning"], online="digid")
    html = client.get(url("products:matrix", workspace), {"toon": "online"}).content.decode()
    assert "ja, met DigiD" in html and ">digid<" not in html


def test_index_one_next_to_a_difference_is_explained(world):
    """Same audience and online answer but another lead time: index 1,00 and yet 'definities verschillen' — the
    row says why (lead time and fees are shown, not counted)."""
    workspace, client = world
    aadorp, beekdal = workspace.partners.get(name="Aadorp"), workspace.partners.get(name="Beekdal")
    add_product(aadorp, "Ligplaats", ["ligplaatsvergunning"], online="ja", lead_time="2 weken")
    add_product(beekdal, "Ligplaats", ["ligplaatsvergunning"], online="ja", lead_time="8 weken")
    services.clear_matrix_cache()
    row = services.product_matrix(workspace).product("ligplaatsvergunning")
    assert row.agreement == 1 and row.has_differences and not row.counted_differences
    html = client.get(url("products:matrix", workspace), {"q": "ligplaats"}).content.decode()
    assert "definities gelijk voor de index; verschillen in doorlooptijd tellen niet mee" in html
    product = client.get(url("products:product", workspace, "ligplaatsvergunning")).content.decode()
    assert "definities gelijk voor de index; verschillen in doorlooptijd tellen niet mee" in product
    # online differs (counted) and the fees too (not counted)
    add_product(aadorp, "Standplaats", ["standplaatsvergunning"], online="ja", fees="€ 25")
    add_product(beekdal, "Standplaats", ["standplaatsvergunning"], online="nee", fees="€ 40")
    html = client.get(url("products:matrix", workspace), {"q": "standplaats"}).content.decode()
    assert "verschillen in kosten tellen niet mee in de index" in html
