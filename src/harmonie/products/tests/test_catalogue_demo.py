"""The demo catalogues: four fictional partners, shared and unique products, tags, suggestions, confirmations."""

import pytest

from harmonie.core.demo import build_demo
from harmonie.products import services
from harmonie.products.models import CatalogueImport, MappingOrigin, ProductMapping, ProductRecord

pytestmark = pytest.mark.django_db


def test_demo_catalogues_are_meaningful_and_idempotent():
    workspace = build_demo().workspace
    rows = {r["partner"].name: r for r in services.catalogue_overview(workspace)}
    assert set(rows) == {"Lindeveen", "Brakelburg", "Oosterwaarde", "Heidemeer"}
    assert all(r["products"] >= 20 for r in rows.values())
    assert rows["Lindeveen"]["confirmed"] == 5
    assert rows["Oosterwaarde"]["tagged"] == 0 and rows["Oosterwaarde"]["to_review"] == rows["Oosterwaarde"]["products"]
    assert rows["Heidemeer"]["withdrawn"] == 1
    # shared products differ in audience / online request; some products are offered by one partner only
    def effective(partner):
        out = {}
        for view in services.partner_products(workspace.partners.get(name=partner)):
            for m in view.effective:
                out[m.upl_uri] = view.product
        return out

    lindeveen, brakelburg = effective("Lindeveen"), effective("Brakelburg")
    shared = set(lindeveen) & set(brakelburg)
    assert len(shared) >= 15
    assert any(lindeveen[u].online_request != brakelburg[u].online_request for u in shared)
    assert any(lindeveen[u].audience != brakelburg[u].audience for u in shared)
    # doubled prefixes were repaired
    assert not ProductMapping.objects.filter(upl_uri__contains="terms/http").exists()
    # unconfirmed suggestions remain for review, with scores
    assert ProductMapping.objects.filter(product__partner__name="Oosterwaarde", origin=MappingOrigin.SUGGESTION,
                                         rank=1, score__isnull=False).count() == rows["Oosterwaarde"]["products"]
    counts = (ProductRecord.objects.count(), ProductMapping.objects.count(), CatalogueImport.objects.count())
    build_demo()
    assert (ProductRecord.objects.count(), ProductMapping.objects.count(), CatalogueImport.objects.count()) == counts
