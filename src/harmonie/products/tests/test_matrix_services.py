"""The product matrix service on the database: effective mappings, query counts, cache, the diagnosis hook."""

import itertools

import pytest

from harmonie.core.factories import PartnerFactory
from harmonie.products import services
from harmonie.products.models import ProductMapping, ProductRecord

pytestmark = pytest.mark.django_db

P = "http://standaarden.overheid.nl/owms/terms/"
_keys = itertools.count()


def add_product(partner, title, uris=(), *, origin="bron", audience=("particulier",), online="", lead_time="",
                fees="", subject="", suggestions=(), score=0.5):
    """One product of ``partner`` with mappings ``uris`` of ``origin`` and ranked ``suggestions``."""
    record = ProductRecord.objects.create(
        workspace=partner.workspace, partner=partner, source_key=f"k{next(_keys)}", title=title,
        audience=list(audience), online_request=online, lead_time=lead_time, fees=fees, subject=subject,
        source_tags=[u for u in uris] if origin == "bron" else [], content_hash="x")
    for uri in uris:
        ProductMapping.objects.create(product=record, upl_uri=P + uri, upl_label=uri, origin=origin)
    for rank, uri in enumerate(suggestions, start=1):
        ProductMapping.objects.create(product=record, upl_uri=P + uri, upl_label=uri, origin="suggestie",
                                      rank=rank, score=score if rank == 1 else score / 2)
    return record


def partners(workspace, *names):
    return [PartnerFactory(workspace=workspace, name=name) for name in names]


@pytest.fixture
def three(workspace):
    a, b, c = partners(workspace, "Aadorp", "Beekdal", "Cranendonk")
    add_product(a, "Paspoort aanvragen", ["paspoort"], online="ja", lead_time="5 werkdagen")
    add_product(a, "Afvalpas", ["afvalpas"], online="nee")
    add_product(b, "Paspoort", ["paspoort"], online="ja")
    add_product(b, "Terras", ["terrasvergunning"], audience=("ondernemer",), online="ja", subject="Ondernemen")
    add_product(c, "Paspoort", ["paspoort"], audience=("particulier", "ondernemer"), online="nee")
    add_product(c, "Afval", ["afvalpas"], online="nee")
    services.clear_matrix_cache()
    return workspace


def test_matrix_from_the_database(three):
    matrix = services.product_matrix(three)
    assert matrix.partners == ["Aadorp", "Beekdal", "Cranendonk"]
    pairs = {(p["a"], p["b"]): p["harmonisation_index"] for p in matrix.pairs}
    # same catalogues as the hand-computed case in test_matrix_analysis
    assert pairs == {("Aadorp", "Beekdal"): 0.3333, ("Aadorp", "Cranendonk"): 0.625, ("Beekdal", "Cranendonk"): 0.0833}
    row = matrix.product("paspoort")
    assert row.uri == P + "paspoort" and row.index == 0.5
    assert row.cells["Aadorp"].titles == ["Paspoort aanvragen"]
    assert [(c.partner, c.attribute) for c in row.proposal.changes] == [
        ("Cranendonk", "audience"), ("Cranendonk", "online"), ("Beekdal", "lead_time"), ("Cranendonk", "lead_time")]
    assert [r.label for r in matrix.unique_products] == ["terrasvergunning"]


def test_effective_mappings_rule(workspace):
    a, b = partners(workspace, "A", "B")
    # confirmed beats source tags; source tags beat suggestions; otherwise the rank-1 suggestion
    confirmed = add_product(a, "Rijbewijs", ["paspoort"])
    ProductMapping.objects.create(product=confirmed, upl_uri=P + "rijbewijs", origin="bevestigd")
    add_product(a, "Parkeren", ["parkeervergunning"], suggestions=["gehandicaptenparkeerkaart"])
    add_product(b, "Kaart", suggestions=["gehandicaptenparkeerkaart", "parkeervergunning"])
    overridden = add_product(b, "Rijbewijs", suggestions=["paspoort"])
    ProductMapping.objects.create(product=overridden, upl_uri=P + "rijbewijs", origin="overschreven")
    services.clear_matrix_cache()
    matrix = services.product_matrix(workspace)
    offered = {r.slug: r.partners for r in matrix.products}
    assert offered == {"rijbewijs": ["A", "B"], "parkeervergunning": ["A"], "gehandicaptenparkeerkaart": ["B"]}


def test_weak_suggestions_are_not_offered_products(workspace, settings):
    """Only a rank-1 suggestion with a calibrated score at or above HARMONIE_MATRIX_MIN_SCORE counts; the rest is
    listed as 'nog niet gekoppeld' and counts for no UPL product (not even for the partner's size)."""
    a, b = partners(workspace, "A", "B")
    add_product(a, "Paspoort", ["paspoort"])
    add_product(b, "Paspoort aanvragen", suggestions=["paspoort"], score=0.93)
    add_product(b, "Walstroom", suggestions=["aangifte-vertrek-buitenland", "paspoort"], score=0.004)
    add_product(b, "Zonder score", suggestions=["afvalpas"], score=None)
    confirmed = add_product(b, "Ligplaats", suggestions=["aangifte-vertrek-buitenland"], score=0.01)
    ProductMapping.objects.create(product=confirmed, upl_uri=P + "ligplaatsvergunning", origin="bevestigd")
    services.clear_matrix_cache()
    assert services.min_score() == 0.5  # the default
    matrix = services.product_matrix(workspace)
    assert {r.slug: r.partners for r in matrix.products} == {"paspoort": ["A", "B"], "ligplaatsvergunning": ["B"]}
    assert [(u["title"], u["suggestion"], u["score"]) for u in matrix.unlinked] == [
        ("Walstroom", "aangifte-vertrek-buitenland", 0.004), ("Zonder score", "afvalpas", None)]
    assert matrix.sizes["B"] == 2 and matrix.min_score == 0.5
    # threshold 0: every rank-1 suggestion counts again (the 'catalog compare' rule); the cache follows the setting
    settings.HARMONIE_MATRIX_MIN_SCORE = 0
    matrix = services.product_matrix(workspace)
    assert matrix.unlinked == [] and "aangifte-vertrek-buitenland" in {r.slug for r in matrix.products}
    assert "afvalpas" in {r.slug for r in matrix.products}
    settings.HARMONIE_MATRIX_MIN_SCORE = 0.95
    assert {u["title"] for u in services.product_matrix(workspace).unlinked} == {
        "Paspoort aanvragen", "Walstroom", "Zonder score"}


def test_few_queries_whatever_the_number_of_partners(workspace, django_assert_max_num_queries):
    many = partners(workspace, *[f"Gemeente {i:02d}" for i in range(12)])
    for i, partner in enumerate(many):
        for j in range(8):
            add_product(partner, f"Product {j}", sorted({f"upl{(i + j) % 10}", f"upl{j}"}), online="ja" if j % 2 else "nee")
    services.clear_matrix_cache()
    with django_assert_max_num_queries(8):  # partners, 3 fingerprint aggregates, mappings, records, UPL
        matrix = services.product_matrix(workspace)
    assert len(matrix.partners) == 12 and len(matrix.pairs) == 66
    with django_assert_max_num_queries(4):  # cached: partners + the fingerprint
        assert services.product_matrix(workspace) is matrix


def test_cache_follows_changes(three):
    before = services.product_matrix(three)
    record = ProductRecord.objects.get(partner__name="Cranendonk", title="Paspoort")
    ProductMapping.objects.create(product=record, upl_uri=P + "identiteitskaart", origin="bevestigd")
    after = services.product_matrix(three)
    assert after is not before
    assert after.product("paspoort").partners == ["Aadorp", "Beekdal"]
    record.online_request = "ja"
    record.save()
    assert services.product_matrix(three).product("identiteitskaart").cells["Cranendonk"].values["online"] == "ja"
    ProductRecord.objects.filter(partner__name="Beekdal").delete()
    assert services.product_matrix(three).partners_without == ["Beekdal"]


def test_empty_workspace_has_no_harmonisation(workspace):
    partners(workspace, "A", "B")
    assert services.workspace_harmonisation(workspace) is None


def test_workspace_harmonisation_contract(three):
    result = services.workspace_harmonisation(three)
    assert set(result) == {"organisations", "pairs", "products"}
    assert result["organisations"] == ["Aadorp", "Beekdal", "Cranendonk"]
    assert [(p["a"], p["b"], p["shared_products"]) for p in result["pairs"]] == [
        ("Aadorp", "Beekdal", 1), ("Aadorp", "Cranendonk", 2), ("Beekdal", "Cranendonk", 1)]
    assert result["products"][0] == {"upl_uri": P + "paspoort", "upl_label": "paspoort",
                                     "organisations": ["Aadorp", "Beekdal", "Cranendonk"]}


def test_the_diagnosis_uses_the_workspace_matrix(three):
    from harmonie.diagnosis import measures

    measure = measures.products_measure(three)
    codes = {p.name: p.cbs_code for p in three.partners.all()}
    assert measure is not None and measure.source == "producten: catalogi per partner"
    assert measure.pair(codes["Aadorp"], codes["Cranendonk"]) == 0.625
    assert measure.pair(codes["Aadorp"], codes["Beekdal"]) == 0.3333
    assert measure.value == pytest.approx((0.3333 + 0.625 + 0.0833) / 3, abs=1e-4)
    from harmonie.diagnosis import services as diagnosis

    assert diagnosis.diagnose(three).index["layers"]["products"] == measure.value


def test_filters(three):
    matrix = services.product_matrix(three)
    slugs = lambda rows: [r.slug for r in rows]  # noqa: E731
    assert slugs(services.filter_products(matrix, subject="Ondernemen")) == ["terrasvergunning"]
    assert slugs(services.filter_products(matrix, audience="ondernemer")) == ["paspoort", "terrasvergunning"]
    # afvalpas: 2 of 3 partners, same definition → still a difference (not everybody offers it)
    assert slugs(services.filter_products(matrix, only_differences=True)) == ["paspoort", "afvalpas",
                                                                              "terrasvergunning"]
    assert slugs(services.filter_products(matrix, offered="iedereen")) == ["paspoort"]
    assert slugs(services.filter_products(matrix, offered="gedeeld")) == ["paspoort", "afvalpas"]
    assert slugs(services.filter_products(matrix, offered="uniek")) == ["terrasvergunning"]
    assert slugs(services.filter_products(matrix, query="afval")) == ["afvalpas"]


def test_upl_reference_data_gives_label_legal_basis_and_withdrawn(three):
    from datetime import date

    from harmonie.reference.models import ReferenceVersion, UplProduct

    version = ReferenceVersion.objects.create(kind="upl", number=99, content_sha256="x", source="test",
                                              is_current=True)
    UplProduct.objects.create(version=version, item_hash="1", uri=P + "paspoort", label="paspoort", burger=True,
                              legal_basis=[{"uri": "u", "label": "Paspoortwet", "link": ""}])
    UplProduct.objects.create(version=version, item_hash="2", uri=P + "afvalpas", label="afvalpas (oud)",
                              end_date=date(2020, 1, 1))
    row = services.product_matrix(three).product("paspoort")
    assert row.upl.legal_basis == ("Paspoortwet",) and row.upl.burger
    afval = services.product_matrix(three).product("afvalpas")
    assert afval.upl.withdrawn and afval.label == "afvalpas (oud)"
