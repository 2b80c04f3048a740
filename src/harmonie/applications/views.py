"""Pages of the Applicaties layer, mounted under ``w/<slug>/`` (namespace ``applications``).

Views only read and call ``services``; every page needs a role in the workspace
(``workspace_view``: login, else 404). No inline styles or scripts (strict CSP).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.layers import get_layer
from harmonie.core.permissions import can_edit_partner
from harmonie.web.views import _ctx, workspace_view

from . import services
from .analysis.overlap import heat_level
from .analysis.time import LABELS as TIME_LABELS
from .models import Application


def _level_class(count: int) -> str:
    return f"app-heat__cell--{min(count, 3)}"


def _context(workspace, land):
    heat = []
    for row in land.heat_rows():
        comp = row["component"]
        heat.append({
            "component": comp, "level": row["level"],
            "cells": [{**cell, "css": _level_class(cell["count"])} for cell in row["cells"]],
            "support": land.support.get(comp.component_id, {}),
        })
    from datetime import date

    this_year = date.today().year
    last = max([c.contract_end.year for comp in land.components for c in comp.cells.values() if c.contract_end]
               + [this_year])
    years = list(range(this_year, min(last, this_year + 7) + 1))
    timeline = []
    for comp in land.components:
        ends = [(p, c.contract_end, c.end_unknown) for p, c in sorted(comp.cells.items())]
        bound = []
        for year in years:
            count = sum(1 for c in comp.cells.values()
                        if c.end_unknown or (c.contract_end and c.contract_end.year >= year))
            bound.append({"year": year, "count": count, "css": _level_class(min(count, 3))})
        timeline.append({"component": comp, "ends": ends, "years": bound})
    by_action = {}
    for proposal in land.proposals:
        by_action.setdefault(proposal.action, []).append(proposal)
    return {"land": land, "heat": heat, "timeline": timeline, "years": years, "by_action": by_action,
            "consolidation_proposals": [p for p in land.proposals if p.action == "migrate"]}


def panel(request, workspace) -> str:
    """The "Gegevens" part of the Applicaties layer page: heatmap, contract windows, TIME, crowbar marks."""
    land = services.landscape(workspace)
    context = {"workspace": workspace, "request": request, **_context(workspace, land), "compact": True,
               "editable_partners": [p for p in workspace.partners.all() if can_edit_partner(request.user, p)]}
    return render_to_string("applications/panel.html", context, request=request)


TIME_PAGE_SIZE = 100


def _time_table(request, land):
    """The TIME proposals filtered by partner and proposal, 100 per page: 30 partners make close to a thousand
    rows, which nobody reads at once and which made this the heaviest page of the site."""
    partners = sorted({p.partner for p in land.proposals}, key=str.casefold)
    actions = [(key, label) for key, label in TIME_LABELS.items() if any(p.action == key for p in land.proposals)]
    # an unknown value (typed or stale link) filters nothing, so the form always shows what the table shows
    partner = request.GET.get("partner", "") if request.GET.get("partner") in partners else ""
    action = request.GET.get("voorstel", "") if request.GET.get("voorstel") in dict(actions) else ""
    rows = [p for p in land.proposals if (not partner or p.partner == partner) and (not action or p.action == action)]
    query = request.GET.copy()
    query.pop("pagina", None)
    return {"time_page": Paginator(rows, TIME_PAGE_SIZE).get_page(request.GET.get("pagina")),
            "time_total": len(rows), "time_partners": partners, "time_actions": actions,
            "time_filter": {"partner": partner, "action": action}, "time_query": query.urlencode()}


@workspace_view
def overview(request, workspace):
    land = services.landscape(workspace)
    editable = [p for p in workspace.partners.all() if can_edit_partner(request.user, p)]
    return render(request, "applications/overview.html", _ctx(
        request, workspace, "layer", layer=get_layer("applicaties"), compact=False, editable_partners=editable,
        **_context(workspace, land), **_time_table(request, land)))


@workspace_view
def partner_detail(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    apps = services.applications(workspace, partner)
    suggestions = services.suggestions(workspace, partner, max_apps=60)
    return render(request, "applications/partner.html", _ctx(
        request, workspace, "layer", layer=get_layer("applicaties"), partner=partner, applications=apps,
        suggestions=suggestions, can_edit=can_edit_partner(request.user, partner)))


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Portfoliobestand (CSV, XLSX of AMEFF)"))
    col_application = forms.CharField(label=gettext_lazy("Kolom met de applicatienaam"), required=False)
    col_referentiecomponent = forms.CharField(label=gettext_lazy("Kolom met de referentiecomponent(en)"),
                                              required=False)
    col_contract_end = forms.CharField(label=gettext_lazy("Kolom met de einddatum van het contract"), required=False)
    col_supplier = forms.CharField(label=gettext_lazy("Kolom met de leverancier"), required=False)

    def mapping(self):
        return {key[4:]: value for key, value in self.cleaned_data.items() if key.startswith("col_") and value}


@workspace_view
@require_http_methods(["GET", "POST"])
def import_portfolio(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de gegevens van uw eigen gemeente importeren."))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.start_import(request.user, workspace, partner, upload.read(), upload.name,
                                        mapping=form.mapping())
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("De import is gestart; u ziet hier de voortgang."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    return render(request, "applications/import.html", _ctx(
        request, workspace, "layer", layer=get_layer("applicaties"), partner=partner, form=form))


@workspace_view
@require_POST
def confirm_mapping(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de gegevens van uw eigen gemeente wijzigen."))
    target = reverse("applications:partner", args=[workspace.slug, partner.pk])
    app = Application.objects.filter(partner=partner, pk=request.POST.get("application") or 0).first()
    component = request.POST.get("component", "")
    if app is None or not component:
        messages.error(request, _("Kies een applicatie en een referentiecomponent."))
        return redirect(target)
    try:
        mapping = services.confirm_mapping(request.user, app, component)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("'%(app)s' is gekoppeld aan %(comp)s.") % {"app": app.name,
                                                                               "comp": mapping.gemma_name})
    return redirect(target)


@workspace_view
def export_xlsx(request, workspace):
    response = HttpResponse(services.export_xlsx(workspace),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="applicaties-{workspace.slug}.xlsx"'
    return response


@workspace_view
def export_ameff(request, workspace):
    target = request.GET.get("landschap") == "doel"
    response = HttpResponse(services.export_ameff(workspace, target=target), content_type="application/xml")
    name = f"applicatielandschap-{workspace.slug}-{'doel' if target else 'huidig'}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


__all__ = ["panel", "overview", "partner_detail", "import_portfolio", "confirm_mapping", "export_xlsx",
           "export_ameff", "heat_level"]
