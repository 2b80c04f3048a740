"""The "Gegevens" part of the Producten & diensten layer page (``core.layers`` points here).

With catalogues in the workspace: who delivered one, the harmonisation index (workspace and per partner) and the
links to the matrix, the pair heatmap, the unique products, the catalogue overview and the export. Without any
catalogue yet: the stored comparison of ``harmonie catalog compare`` and how to make one (``web.panels``).
"""

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from harmonie.core.permissions import can_manage

from . import services
from .analysis.matrix import FORMULA_NL, index_level


def _url(name, workspace):
    try:
        return reverse(name, args=[workspace.slug])
    except NoReverseMatch:  # a page that is not there (yet)
        return ""


def panel(request, workspace) -> str:
    matrix = services.product_matrix(workspace)
    if not matrix.partners:
        from harmonie.web.panels import _comparison_panel

        return _comparison_panel(request, workspace, "producten") + render_to_string(
            "products/matrix/panel_empty.html",
            {"workspace": workspace, "catalogues_url": _url("products:catalogues", workspace)}, request=request)
    counts = dict(workspace.product_records.values_list("partner__name").annotate(n=Count("id")).order_by())
    unlinked: dict[str, int] = {}
    partner_ids = dict(workspace.partners.values_list("name", "pk"))
    for item in matrix.unlinked:
        unlinked[item["partner"]] = unlinked.get(item["partner"], 0) + 1
    partners = [{"name": name, "records": counts.get(name, 0), "products": matrix.sizes.get(name, 0),
                 "unlinked": unlinked.get(name, 0), "partner_id": partner_ids.get(name),
                 "index": matrix.partner_index.get(name),
                 "level": f"pm-level--{index_level(matrix.partner_index.get(name))}"
                 if matrix.partner_index.get(name) is not None else "pm-level--none"}
                for name in matrix.partners]
    differing = sorted((r for r in matrix.shared_products if r.has_differences),
                       key=lambda r: (-len(r.partners), r.index, r.label))[:5]
    return render_to_string("products/matrix/panel.html", {
        "workspace": workspace, "matrix": matrix, "partners": partners, "differing": differing,
        "formula": FORMULA_NL, "can_manage": can_manage(request.user, workspace),
        "level": f"pm-level--{index_level(matrix.index)}" if matrix.index is not None else "pm-level--none",
        "catalogues_url": _url("products:catalogues", workspace),
    }, request=request)
