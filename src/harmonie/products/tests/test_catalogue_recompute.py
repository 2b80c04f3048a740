"""Suggestions follow the UPL list and the learned model; the catalogue page is paged, fast and keeps its filter;
demo excerpts are announced.

Real data: Dordrecht's catalogue (248 products, SC harvest 2023-10) against the real OWMS UPL list; a second,
different UPL file (UPL-actueel 2025-04) plays "a newer UPL list was loaded".
"""

import pytest
from conftest import require_shared
from django.test import Client
from django.urls import reverse

from harmonie.core.jobs import Progress, _run
from harmonie.core.models import AuditEntry, Job
from harmonie.products import services
from harmonie.products.models import CatalogueImport, MappingOrigin, ProductMapping, ProductRecord

from .test_catalogue import drecht, run_import, sc_csv, sc_rows, upl  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def snapshot(partner, origins):
    return sorted(ProductMapping.objects.filter(product__partner=partner, origin__in=origins)
                  .values_list("pk", "product_id", "upl_uri", "origin"))


@pytest.fixture
def dordrecht(drecht, sc_rows):  # noqa: F811
    workspace, partners, coordinator, contributor = drecht
    partner = partners["Dordrecht"]
    run_import(contributor, workspace, partner, sc_csv(sc_rows, {"Dordrecht"}), "dordrecht.csv")
    return workspace, partner, coordinator, contributor


def load_newer_upl():
    from harmonie.reference.services import load_reference

    load_reference("upl", require_shared("upl/UPL-actueel-2025-04.csv"))


def test_reimport_recomputes_suggestions_after_a_newer_upl_list(dordrecht, sc_rows):  # noqa: F811
    workspace, partner, _coordinator, contributor = dordrecht
    basis = services.suggestion_basis()
    assert set(ProductRecord.objects.filter(partner=partner).values_list("suggested_with", flat=True)) == {basis}
    assert services.stale_suggestions(partner) == 0
    untagged = ProductRecord.objects.filter(partner=partner, source_tags=[]).order_by("pk").first()
    top = untagged.mappings.get(origin=MappingOrigin.SUGGESTION, rank=1)
    services.confirm_mapping(contributor, untagged, top.upl_uri)
    kept = snapshot(partner, (MappingOrigin.SOURCE, MappingOrigin.CONFIRMED, MappingOrigin.OVERRIDDEN))
    suggestions = snapshot(partner, (MappingOrigin.SUGGESTION,))
    imports = CatalogueImport.objects.count()
    data = sc_csv(sc_rows, {"Dordrecht"})

    # same list, same file: nothing happens
    outcome = run_import(contributor, workspace, partner, data, "dordrecht.csv")
    assert outcome.recomputed == 0 and snapshot(partner, (MappingOrigin.SUGGESTION,)) == suggestions

    load_newer_upl()
    new_basis = services.suggestion_basis()
    assert new_basis != basis and services.stale_suggestions(partner) == 248
    hashes = dict(ProductRecord.objects.filter(partner=partner).values_list("pk", "content_hash"))
    outcome = run_import(contributor, workspace, partner, data, "dordrecht.csv")
    # two products carry a tag the 2025 list no longer has: they changed (tag dropped); the rest is unchanged
    # but gets suggestions from the newer list
    assert len(outcome.changed) == 2 and not outcome.added and not outcome.removed
    assert outcome.recomputed == outcome.unchanged == 246
    assert "opnieuw berekend voor 246" in outcome.summary
    assert CatalogueImport.objects.count() == imports + 1
    assert CatalogueImport.objects.latest("pk").details["recomputed"] == 246
    same = {pk for pk, h in ProductRecord.objects.filter(partner=partner).values_list("pk", "content_hash")
            if hashes[pk] == h}
    assert len(same) == 246
    assert [m for m in snapshot(partner, (MappingOrigin.SOURCE, MappingOrigin.CONFIRMED, MappingOrigin.OVERRIDDEN))
            if m[1] in same] == [m for m in kept if m[1] in same]
    assert [m for m in kept if m[3] != MappingOrigin.SOURCE] == [
        m for m in snapshot(partner, (MappingOrigin.CONFIRMED, MappingOrigin.OVERRIDDEN))]
    assert {pk for pk, *_ in snapshot(partner, (MappingOrigin.SUGGESTION,))}.isdisjoint(
        {pk for pk, *_ in suggestions})  # rewritten
    assert services.stale_suggestions(partner) == 0
    # and once more: idempotent again
    assert run_import(contributor, workspace, partner, data, "dordrecht.csv").recomputed == 0


def test_recompute_action_runs_as_a_job_and_keeps_chosen_mappings(dordrecht):
    workspace, partner, coordinator, contributor = dordrecht
    product = ProductRecord.objects.filter(partner=partner).order_by("pk").first()
    services.confirm_mapping(contributor, product, product.mappings.filter(
        origin=MappingOrigin.SUGGESTION).order_by("rank").last().upl_uri)
    kept = snapshot(partner, (MappingOrigin.SOURCE, MappingOrigin.CONFIRMED, MappingOrigin.OVERRIDDEN))
    load_newer_upl()
    client = Client()
    client.force_login(contributor)
    page = client.get(reverse("products:catalogue", args=[workspace.slug, partner.pk])).content.decode()
    assert "De suggesties van 248 producten zijn gemaakt met een andere UPL-lijst" in page
    assert "Suggesties opnieuw berekenen" in page
    response = client.post(reverse("products:catalogue_recompute", args=[workspace.slug, partner.pk]))
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert job.kind == services.RECOMPUTE_JOB_KIND
    _run(job, Progress(job_id=job.pk))
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result["recomputed"] == 248
    assert services.stale_suggestions(partner) == 0
    assert snapshot(partner, (MappingOrigin.SOURCE, MappingOrigin.CONFIRMED, MappingOrigin.OVERRIDDEN)) == kept
    assert any("UPL-suggesties opnieuw berekend" in str(e.after) for e in AuditEntry.objects.filter(
        workspace=workspace))
    page = client.get(reverse("products:catalogue", args=[workspace.slug, partner.pk])).content.decode()
    assert "gemaakt met een andere UPL-lijst" not in page


def test_catalogue_page_is_paged_fast_and_confirming_keeps_filter_and_page(dordrecht, django_assert_max_num_queries):
    workspace, partner, _coordinator, contributor = dordrecht
    client = Client()
    client.force_login(contributor)
    url = reverse("products:catalogue", args=[workspace.slug, partner.pk])
    client.get(url)  # warm the per-process caches (session, UPL list)
    with django_assert_max_num_queries(20):
        html = client.get(url, {"alleen": "open", "pagina": 2}).content.decode()
    assert "Pagina 2 van 5" in html and html.count('class="utrecht-table__row" id="product-') == 50
    assert "?alleen=open&amp;pagina=3" in html
    first = html.index('id="product-') + len('id="product-')
    product = ProductRecord.objects.get(pk=int(html[first:html.index('"', first)]))
    upl_uri = product.mappings.filter(origin=MappingOrigin.SUGGESTION).first().upl_uri
    response = client.post(reverse("products:catalogue_confirm", args=[workspace.slug, partner.pk]),
                           {"product": product.pk, "upl": upl_uri, "alleen": "open", "pagina": "2"})
    assert response["Location"] == f"{url}?alleen=open&pagina=2#product-{product.pk}"
    assert product.mappings.filter(origin=MappingOrigin.CONFIRMED).exists()


def test_demo_excerpt_is_announced(drecht):  # noqa: F811
    from harmonie.reference.models import ReferenceVersion

    workspace, partners, coordinator, _contributor = drecht
    client = Client()
    client.force_login(coordinator)
    partner = partners["Dordrecht"]
    pages = [reverse("products:catalogues", args=[workspace.slug]),
             reverse("products:catalogue", args=[workspace.slug, partner.pk]),
             reverse("products:catalogue_import", args=[workspace.slug, partner.pk])]
    notice = "De UPL-lijst is een uittreksel voor de demo"
    assert not any(notice in client.get(page).content.decode() for page in pages)  # the real list is loaded
    ReferenceVersion.objects.filter(kind="upl", is_current=True).update(is_excerpt=True)
    for page in pages:
        html = client.get(page).content.decode()
        assert notice in html and reverse("reference:index") in html
