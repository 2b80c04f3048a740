"""Products pages: the product matrix, one UPL product across the partners, the pair heatmap, unique products
and the exports. Every member of the workspace may see them (``workspace_view``: a role in the workspace, else
404). Views only read through ``services``; no inline styles or scripts (strict CSP)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from harmonie.core.errors import BadInput
from harmonie.core.layers import get_layer
from harmonie.web.views import _ctx, workspace_view

from .. import services
from ..analysis.matrix import ATTRIBUTES, FORMULA_NL, index_level, pair_matrix, upl_slug

PAGE_SIZE = 50
SHOW_CHOICES = (("titel", "lokale titel"), ("audience", "doelgroep"), ("online", "online aanvragen"),
                ("lead_time", "doorlooptijd"), ("fees", "kosten"))


def _filters(request):
    get = request.GET
    return {
        "subject": get.get("onderwerp", "").strip(),
        "audience": get.get("doelgroep", "") if get.get("doelgroep") in services.AUDIENCE_FILTERS else "",
        "only_differences": get.get("verschillen") == "1",
        "offered": get.get("aanbod", "") if get.get("aanbod") in services.OFFERED_FILTERS else "",
        "query": get.get("q", "").strip()[:200],
    }


def _level(value):
    return f"pm-level--{index_level(value)}" if value is not None else "pm-level--none"


def _cells_html(row, partners, show, words):
    """The partner cells of one matrix row as HTML, built here rather than in the template: a page has up to
    50 × 30 cells and the template engine would spend most of the response time on them."""
    parts = []
    for partner in partners:
        cell = row.cells.get(partner)
        if cell is None:
            parts.append(words["absent"])
            continue
        # with the titles shown, any attribute that differs marks the cell; with one attribute shown, only that one
        differs = [words[key] for key, _label in ATTRIBUTES if cell.differs[key] and show in ("titel", key)]
        if show == "titel":
            text = _titles_html(cell.titles, words)
        else:
            text = cell.values.get(show, "") or "–"
        if differs:
            parts.append(format_html(
                '<td class="utrecht-table__cell pm-cell--differs">{} <span class="pm-mark" aria-hidden="true">≠</span>'
                ' <span class="pm-small pm-why">({}: {})</span></td>',
                text, words["differs"], ", ".join(differs)))
        else:
            parts.append(format_html('<td class="utrecht-table__cell">{}</td>', text))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html


SHOWN_TITLES = 3


def _titles_html(titles, words):
    """The local titles of a cell: the first three, the rest behind "+N meer" (details/summary, no script)."""
    if not titles:
        return "–"
    if len(titles) <= SHOWN_TITLES + 1:
        return " | ".join(titles)
    rest = titles[SHOWN_TITLES:]
    return format_html('{} <details class="pm-more"><summary>{}</summary>{}</details>',
                       " | ".join(titles[:SHOWN_TITLES]), words["more"].format(n=len(rest)), " | ".join(rest))


def index_note(row) -> str:
    """Why a difference does not lower the index, said right next to it (lead time and fees are shown, not counted)."""
    uncounted = row.uncounted_differences
    if not uncounted:
        return ""
    what = "/".join(uncounted)
    if not row.counted_differences:
        return _("definities gelijk voor de index; verschillen in %(w)s tellen niet mee") % {"w": what}
    return _("verschillen in %(w)s tellen niet mee in de index") % {"w": what}


def _row_context(row, partners, show, words):
    return {"row": row, "cells": _cells_html(row, partners, show, words), "level": _level(row.index),
            "note": index_note(row)}


def _words():
    words = {key: _(label) for key, label in ATTRIBUTES}
    words["differs"] = _("wijkt af")
    words["more"] = _("+{n} meer")
    words["absent"] = format_html('<td class="utrecht-table__cell pm-cell--absent"><span aria-hidden="true">·</span>'
                                  '<span class="harmonie-visually-hidden">{}</span></td>', _("niet aangeboden"))
    return words


@workspace_view
def matrix(request, workspace):
    data = services.product_matrix(workspace)
    filters = _filters(request)
    show = request.GET.get("toon", "titel")
    if show not in dict(SHOW_CHOICES):
        show = "titel"
    rows = services.filter_products(data, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    words = _words()
    return render(request, "products/matrix/matrix.html", _ctx(
        request, workspace, "layer", layer=get_layer("producten"), matrix=data, page=page,
        rows=[_row_context(row, data.partners, show, words) for row in page.object_list], filters=filters,
        subjects=data.subjects(), show=show, show_choices=SHOW_CHOICES, querystring=query.urlencode(),
        total=len(rows), formula=FORMULA_NL, level=_level(data.index),
        export_tables=services.CSV_TABLES))


def unlinked_groups(data):
    """The products that count for no UPL product yet ("nog niet gekoppeld"), grouped per partner."""
    groups: dict[str, dict] = {}
    for item in data.unlinked:
        group = groups.setdefault(item["partner"], {"partner": item["partner"], "partner_id": item["partner_id"],
                                                    "items": []})
        group["items"].append(item)
    return list(groups.values())


@workspace_view
def unlinked(request, workspace):
    """Its own page rather than a section of the matrix: a real samenwerkingsverband can have thousands of them,
    and the matrix page is the one everybody opens."""
    data = services.product_matrix(workspace)
    return render(request, "products/matrix/unlinked.html", _ctx(
        request, workspace, "layer", layer=get_layer("producten"), matrix=data, groups=unlinked_groups(data)))


@workspace_view
def product(request, workspace, upl):
    data = services.product_matrix(workspace)
    row = data.product(upl)
    reference = None
    if row is None:
        from harmonie.reference.services import current_upl

        reference = next((item for item in current_upl() if upl_slug(item.uri) == upl), None)
        if reference is None:
            raise Http404(_("Dit UPL-product staat niet in de matrix en niet in de UPL."))
    definitions = []
    if row is not None:
        for partner in row.partners:
            cell = row.cells[partner]
            definitions.append({"partner": partner, "titles": cell.titles,
                                "values": [{"key": key, "label": label, "value": cell.values[key],
                                            "differs": cell.differs[key]} for key, label in ATTRIBUTES],
                                "changes": row.proposal.changes_for(partner)})
    missing = [p for p in data.partners if row is None or p not in row.cells]
    return render(request, "products/matrix/product.html", _ctx(
        request, workspace, "layer", layer=get_layer("producten"), matrix=data, row=row, reference=reference,
        note=index_note(row) if row is not None else "",
        definitions=definitions, attributes=ATTRIBUTES, missing=missing, formula=FORMULA_NL,
        level=_level(row.index) if row else ""))


@workspace_view
def pairs(request, workspace):
    data = services.product_matrix(workspace)
    heat = []
    products_word = _("producten")
    for line in pair_matrix(data):
        cells = []  # built here, not in the template: 30 partners make 900 cells
        for cell in line["cells"]:
            if cell["self"]:
                cells.append(format_html('<td class="utrecht-table__cell pm-level--self"><span class="pm-small">({})'
                                         '</span><span class="harmonie-visually-hidden"> {}</span></td>',
                                         cell["shared"], products_word))
            else:
                cells.append(format_html(
                    '<td class="utrecht-table__cell {}">{} <span class="pm-small">({})</span></td>',
                    _level(cell["index"]), floatformat(cell["index"], 2), cell["shared"]))
        heat.append({**line, "level": _level(line["index"]), "cells": mark_safe("".join(cells))})  # noqa: S308
    ranked = sorted(data.pairs, key=lambda p: (-p["harmonisation_index"], p["a"], p["b"]))
    return render(request, "products/matrix/pairs.html", _ctx(
        request, workspace, "layer", layer=get_layer("producten"), matrix=data, heat=heat, ranked=ranked,
        formula=FORMULA_NL, level=_level(data.index), levels=[f"pm-level--{i}" for i in range(5)]))


@workspace_view
def unique(request, workspace):
    data = services.product_matrix(workspace)
    by_partner = {}
    for row in data.unique_products:
        by_partner.setdefault(row.partners[0], []).append(row)
    groups = [{"partner": p, "rows": by_partner.get(p, []), "size": data.sizes.get(p, 0)} for p in data.partners]
    return render(request, "products/matrix/unique.html", _ctx(
        request, workspace, "layer", layer=get_layer("producten"), matrix=data, groups=groups))


@workspace_view
def export_xlsx(request, workspace):
    response = HttpResponse(services.export_matrix_xlsx(workspace),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="productmatrix-{workspace.slug}.xlsx"'
    return response


@workspace_view
def export_csv(request, workspace):
    table = request.GET.get("tabel", "matrix")
    try:
        body = services.export_matrix_csv(workspace, table)
    except BadInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="productmatrix-{workspace.slug}-{table}.csv"'
    return response


urlpatterns = [
    path("producten/matrix/", matrix, name="matrix"),
    path("producten/matrix/paren/", pairs, name="pairs"),
    path("producten/matrix/uniek/", unique, name="unique"),
    path("producten/matrix/niet-gekoppeld/", unlinked, name="unlinked"),
    path("producten/matrix/export.xlsx", export_xlsx, name="export_xlsx"),
    path("producten/matrix/export.csv", export_csv, name="export_csv"),
    path("producten/matrix/product/<str:upl>/", product, name="product"),
]
