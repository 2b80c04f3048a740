"""The demo: four portfolios of 80–150 applications, one crowbar consolidation, idempotent."""

import pytest

from harmonie.applications import services
from harmonie.applications.demo import CONSOLIDATION_TITLE
from harmonie.applications.models import Application, ComponentMapping, Consolidation
from harmonie.core.demo import build_demo

pytestmark = pytest.mark.django_db


def test_demo_portfolios_and_crowbar_consolidation():
    result = build_demo()
    workspace = result.workspace
    counts = [Application.objects.filter(partner=p).count() for p in workspace.partners.all()]
    assert len(counts) == 4 and all(80 <= c <= 150 for c in counts)
    plan = Consolidation.objects.get(workspace=workspace, title=CONSOLIDATION_TITLE)
    assert plan.gemma_name == "Zaakregistratiecomponent" and not plan.harmonisation_done
    land = services.landscape(workspace)
    zrc = next(c for c in land.components if c.component_name == "Zaakregistratiecomponent")
    assert len(zrc.partners) == 4 and zrc.distinct_applications > 1
    waiting = [p for p in land.waiting if p.component_name == "Zaakregistratiecomponent"]
    assert waiting and all(p.waits_for == plan.depends_on for p in waiting)
    before = (Application.objects.count(), ComponentMapping.objects.count(),
              list(Application.objects.order_by("pk").values_list("pk", "updated_at")))
    build_demo()
    after = (Application.objects.count(), ComponentMapping.objects.count(),
             list(Application.objects.order_by("pk").values_list("pk", "updated_at")))
    assert before == after


def test_demo_with_the_full_gemma_maps_local_applications_too():
    from conftest import require_shared

    from harmonie.reference.services import load_reference

    load_reference("gemma", require_shared("gemma"))
    workspace = build_demo().workspace
    land = services.landscape(workspace)
    assert len(land.components) > 40
    assert land.unmapped < land.applications / 3
    assert any(c.component_name == "Kantoorautomatiseringcomponent" for c in land.components)
    support = land.support
    assert any(s.get("processen") or s.get("functies") for s in support.values())  # GEMMA traceability
