"""Werkprocessen pages: event logs per partner, their comparison and the process maps.

Views only read and call ``services``; every page needs a role in the workspace (``workspace_view``). Maps and
charts are server-side SVG (``analysis.dfg_layout``) with the same figures as tables beside them; no inline
scripts or styles (strict CSP). There is no view per employee anywhere: person fields are pseudonymised at
import and never shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.layers import get_layer
from harmonie.core.permissions import can_edit_partner
from harmonie.web.views import _ctx, workspace_view

from ..models import EventLog
from ..services import logs as services

# Without a filter, big logs are cut to this for the map (the tables keep everything).
AUTO_TOP_ACTIVITIES = 30
MAP_EDGES = 80


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Eventlog (XES, XES.gz, CSV, XLSX of Parquet)"))


class MappingForm(forms.Form):
    def __init__(self, headers, initial_mapping, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— kies een kolom —"))] + [(h, h) for h in headers]
        labels = {"case_id": _("Kolom met het zaaknummer (case id)"),
                  "activity": _("Kolom met de activiteit"),
                  "timestamp": _("Kolom met het tijdstip"),
                  "resource": _("Kolom met de medewerker (wordt gepseudonimiseerd)")}
        for key, label in labels.items():
            self.fields[key] = forms.ChoiceField(label=label, choices=choices, required=key != "resource",
                                                 initial=initial_mapping.get(key, ""))

    def mapping(self):
        return {k: v for k, v in self.cleaned_data.items() if v}


def _session_key(workspace) -> str:
    return f"processes:logs:w{workspace.pk}"


def _options(request, workspace=None):
    """Options from the query string; the chosen log per partner (``log_<partner id>``) is remembered in the
    session, so it stays in effect on the other pages and after changing the abstraction."""
    import dataclasses

    options = services.ViewOptions.from_query(request.GET)
    if workspace is None:
        return options
    key = _session_key(workspace)
    if options.logs:
        request.session[key] = [list(pair) for pair in options.logs]
    elif request.session.get(key):
        options = dataclasses.replace(options, logs=tuple(tuple(pair) for pair in request.session[key]))
    return options


def _map_options(options, profile_activities: int):
    """The filter for the map: the chosen one, or an automatic top-N for logs with many activities."""
    if options.abstracted or profile_activities <= AUTO_TOP_ACTIVITIES:
        return options, False
    return services.ViewOptions(prefix_parts=options.prefix_parts, top_n=AUTO_TOP_ACTIVITIES,
                                min_share=options.min_share, use_mapping=options.use_mapping,
                                noise=options.noise, logs=options.logs), True


def _svg_map(profile, title, description, id_prefix, classes=None, labels=None):
    """``labels``: activity code → display name; nodes then read "code — naam"."""
    from ..analysis.abstraction import filter_edges
    from ..analysis.dfg_layout import process_map
    from ..templatetags.process_logs import with_label

    def name(act):
        return with_label(act, labels) if labels else act

    edges = filter_edges(profile.get("edges", []), top_n=MAP_EDGES)
    shown = {e["a"] for e in edges} | {e["b"] for e in edges}
    start = {name(a): n for a, n in profile.get("start", {}).items() if a in shown or not edges}
    end = {name(a): n for a, n in profile.get("end", {}).items() if a in shown or not edges}
    counts = {name(r["activity"]): r["events"] for r in profile.get("activity_table", [])}
    if labels:
        edges = [{**e, "a": name(e["a"]), "b": name(e["b"])} for e in edges]
        if classes:
            classes = {(name(a), name(b)): c for (a, b), c in classes.items()}
    return mark_safe(process_map(edges, title=title, description=description, start=start, end=end,  # noqa: S308
                                 classes=classes, node_counts=counts, id_prefix=id_prefix)), len(edges)


def _variant_chart(profile, title, id_prefix):
    from ..analysis.dfg_layout import bar_chart, dutch_number

    rows = [{"label": f"{i}. " + " → ".join(v["activities"][:6]) + (" …" if len(v["activities"]) > 6 else ""),
             "value": v["share"] * 100} for i, v in enumerate(profile.get("variants_top", [])[:10], start=1)]
    return mark_safe(bar_chart(rows, title=title,  # noqa: S308
                               description=_("Aandeel van de zaken per variant, de tien meest voorkomende."),
                               value_label=lambda v: f"{dutch_number(v)}%", id_prefix=id_prefix))


def _partners_with_logs(workspace):
    by_partner = {}
    for log in services.list_event_logs(workspace):
        by_partner.setdefault(log.partner, []).append(log)
    return by_partner


@workspace_view
def logs(request, workspace):
    options = _options(request, workspace)
    by_partner = _partners_with_logs(workspace)
    chosen = services.chosen_logs(workspace, options.logs)
    comparison, error = {}, ""
    try:
        comparison = services.log_comparison(workspace, options) if by_partner else {}
    except BadInput as exc:
        error = exc.message
    partners = []
    for partner in workspace.partners.order_by("name"):
        profile = comparison.get("partners", {}).get(partner.name)
        partners.append({"partner": partner, "logs": by_partner.get(partner, []), "profile": profile,
                         "chosen": chosen.get(partner), "can_edit": can_edit_partner(request.user, partner)})
    fits = {(r["a"], r["b"]): r for r in comparison.get("conformance", [])}
    names = list(comparison.get("partners", {}))
    matrix = [{"a": a, "cells": [fits.get((a, b)) for b in names]} for a in names]
    best = comparison.get("best", {})
    best_activities = best.get("activities", [])[:25]
    best_edges = best.get("edges", [])[:25]
    labels = comparison.get("labels", {})
    perf_chart = ""
    if best_activities:
        from ..analysis.dfg_layout import bar_chart, duration
        from ..templatetags.process_logs import with_label

        rows = []
        for row in best_activities[:8]:
            for i, name in enumerate(names):
                if name in row["values"]:
                    rows.append({"label": f"{with_label(row['key'], labels)} – {name}",
                                 "value": row["values"][name], "group": i % 6})
        perf_chart = mark_safe(bar_chart(  # noqa: S308
            rows, title=_("Mediane wachttijd per stap en partner"),
            description=_("Per gedeelde activiteit de mediane tijd sinds de vorige stap, per partner; "
                          "logaritmische schaal (het getal naast elke balk is de echte waarde); de tabel "
                          "eronder geeft dezelfde cijfers."), value_label=duration, id_prefix="prestatie",
            log_scale=True))
    core_rows = []
    if comparison.get("common_core"):
        counts = {name: {r["activity"]: r["cases"] for r in prof["activity_table"]}
                  for name, prof in comparison["partners"].items()}
        core_rows = sorted(({"activity": act, "label": labels.get(act, ""),
                             "cases": [counts[n].get(act, 0) for n in names],
                             "total": sum(counts[n].get(act, 0) for n in names)}
                            for act in comparison["common_core"]), key=lambda r: (-r["total"], r["activity"]))
    pair_links = []
    partner_ids = {p.name: p.pk for p in workspace.partners.all()}
    for pair in comparison.get("pairs", []):
        pair_links.append({**pair, "a_id": partner_ids.get(pair["a"]), "b_id": partner_ids.get(pair["b"])})
    return render(request, "processes/logs/overview.html", _ctx(
        request, workspace, "layer", layer=get_layer("werkprocessen"), partners=partners, comparison=comparison,
        names=names, matrix=matrix, pairs=pair_links, best_activities=best_activities, best_edges=best_edges,
        perf_chart=perf_chart, options=options, error=error, upload_form=UploadForm(), labels=labels,
        core_rows=core_rows, best_min=services.best_thresholds(),
        choosing=any(len(row["logs"]) > 1 for row in partners)))


def _editable_partner(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de logboeken van uw eigen gemeente importeren."))
    return partner


@workspace_view
@require_http_methods(["GET", "POST"])
def log_upload(request, workspace, partner_id):
    partner = _editable_partner(request, workspace, partner_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            token = services.store_upload(request.user, workspace, partner, upload, upload.name)
            if services.needs_mapping(upload.name):
                return redirect(f"{_url('processes:log_mapping', workspace, partner_id=partner.pk)}?upload={token}")
            job = services.start_log_import(request.user, workspace, partner, token)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("De import is gestart; u ziet hier de voortgang."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    return render(request, "processes/logs/upload.html", _ctx(
        request, workspace, "layer", layer=get_layer("werkprocessen"), partner=partner, form=form))


def _url(name, workspace, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs={"slug": workspace.slug, **kwargs})


@workspace_view
@require_http_methods(["GET", "POST"])
def log_mapping(request, workspace, partner_id):
    partner = _editable_partner(request, workspace, partner_id)
    token = request.GET.get("upload", "")
    try:
        info = services.upload_info(workspace, token)
        if info["partner"] != partner.pk:
            raise BadInput(_("Deze upload hoort bij een andere partner."))
        headers = services.upload_headers(workspace, token)
    except BadInput as exc:
        messages.error(request, exc.message)
        return redirect("processes:log_upload", workspace.slug, partner.pk)
    from ..importers.logs import resolve_mapping

    initial = services.saved_mapping(partner)
    initial = {k: v for k, v in initial.items() if v in headers}
    if not initial:
        try:
            initial = resolve_mapping(headers, None, info["file_name"])
        except BadInput:
            initial = {}
    form = MappingForm(headers, initial, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_log_import(request.user, workspace, partner, token, form.mapping())
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De import is gestart; u ziet hier de voortgang."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    return render(request, "processes/logs/mapping.html", _ctx(
        request, workspace, "layer", layer=get_layer("werkprocessen"), partner=partner, form=form,
        file_name=info["file_name"], headers=headers, person_fields=services.person_fields()))


@workspace_view
def log(request, workspace, log_id):
    event_log = get_object_or_404(EventLog.objects.select_related("partner"), workspace=workspace, pk=log_id)
    options = _options(request, workspace)
    error = ""
    stats = event_log.stats or {}
    map_options, automatic = _map_options(options, event_log.activities)
    try:
        profile = services.event_log_map(event_log, map_options) if (map_options.abstracted or
                                                                     map_options.use_mapping) else stats
    except BadInput as exc:
        profile, error = {}, exc.message
    svg, shown = ("", 0)
    if profile:
        svg, shown = _svg_map(profile, _("Proceskaart van %(log)s") % {"log": event_log.name},
                              _("Activiteiten met pijlen voor ‘direct gevolgd door’; op elke pijl het aantal keren "
                                "en de mediane wachttijd. De tabellen hieronder geven dezelfde cijfers."), "kaart",
                              labels=stats.get("labels"))
    return render(request, "processes/logs/log.html", _ctx(
        request, workspace, "layer", layer=get_layer("werkprocessen"), event_log=event_log, stats=stats,
        profile=profile, svg=svg, edges_shown=shown, options=options, automatic=automatic,
        auto_top=AUTO_TOP_ACTIVITIES, error=error,
        variant_chart=_variant_chart(profile, _("Meest voorkomende varianten"), "varianten") if profile else "",
        can_edit=can_edit_partner(request.user, event_log.partner)))


@workspace_view
@require_POST
def log_delete(request, workspace, log_id):
    event_log = get_object_or_404(EventLog.objects.select_related("partner"), workspace=workspace, pk=log_id)
    try:
        services.delete_event_log(request.user, event_log)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Het logboek is verwijderd."))
    return redirect("processes:logs", workspace.slug)


@workspace_view
def compare_pair(request, workspace, a, b):
    partner_a = get_object_or_404(workspace.partners, pk=a)
    partner_b = get_object_or_404(workspace.partners, pk=b)
    options = _options(request, workspace)
    error = ""
    try:
        prof_a = services.partner_map(workspace, partner_a, options)
        prof_b = services.partner_map(workspace, partner_b, options)
    except BadInput as exc:
        prof_a, prof_b, error = {}, {}, exc.message
    if not prof_a or not prof_b:
        return render(request, "processes/logs/pair.html", _ctx(
            request, workspace, "layer", layer=get_layer("werkprocessen"), a=partner_a, b=partner_b, empty=True,
            options=options, error=error))
    n_acts = max(prof_a["activities"], prof_b["activities"])
    map_options, automatic = _map_options(options, n_acts)
    if automatic:
        # the same top activities on both sides: the union of both partners' most frequent ones
        prof_a = services.partner_map(workspace, partner_a, map_options)
        prof_b = services.partner_map(workspace, partner_b, map_options)
    try:
        comparison = services.log_comparison(workspace, map_options)
    except BadInput as exc:
        comparison, error = {}, exc.message
    pair = next((p for p in comparison.get("pairs", []) if {p["a"], p["b"]} == {partner_a.name, partner_b.name}),
                None)
    from ..analysis.abstraction import filter_edges

    edges_a = {(e["a"], e["b"]): e for e in filter_edges(prof_a["edges"], top_n=MAP_EDGES)}
    edges_b = {(e["a"], e["b"]): e for e in filter_edges(prof_b["edges"], top_n=MAP_EDGES)}
    classes, union = {}, []
    for key in list(edges_a) + [k for k in edges_b if k not in edges_a]:
        side = "both" if key in edges_a and key in edges_b else ("a" if key in edges_a else "b")
        classes[key] = side
        ea, eb = edges_a.get(key), edges_b.get(key)
        union.append({"a": key[0], "b": key[1], "count": (ea or {}).get("count", 0) + (eb or {}).get("count", 0),
                      "median_h": None, "side": side, "count_a": (ea or {}).get("count"),
                      "count_b": (eb or {}).get("count"), "median_a": (ea or {}).get("median_h"),
                      "median_b": (eb or {}).get("median_h")})
    from ..analysis.dfg_layout import process_map

    diff_svg = mark_safe(process_map(  # noqa: S308
        union, title=_("Verschil tussen %(a)s en %(b)s") % {"a": partner_a.name, "b": partner_b.name},
        description=_("Doorgetrokken: bij beide partners; gestreept: alleen bij %(a)s; gestippeld: alleen bij "
                      "%(b)s. De tabel hieronder geeft dezelfde pijlen.") % {"a": partner_a.name, "b": partner_b.name},
        classes=classes, id_prefix="verschil"))
    labels = comparison.get("labels") or {}
    svg_a, _n = _svg_map(prof_a, _("Proceskaart van %(p)s") % {"p": partner_a.name},
                         _("Activiteiten en opeenvolgingen met aantal en mediane wachttijd."), "kaart-a",
                         labels=labels)
    svg_b, _n = _svg_map(prof_b, _("Proceskaart van %(p)s") % {"p": partner_b.name},
                         _("Activiteiten en opeenvolgingen met aantal en mediane wachttijd."), "kaart-b",
                         labels=labels)
    union.sort(key=lambda r: ({"both": 0, "a": 1, "b": 2}[r["side"]], -r["count"]))
    return render(request, "processes/logs/pair.html", _ctx(
        request, workspace, "layer", layer=get_layer("werkprocessen"), a=partner_a, b=partner_b, prof_a=prof_a,
        prof_b=prof_b, svg_a=svg_a, svg_b=svg_b, diff_svg=diff_svg, union=union, pair=pair, options=options,
        automatic=automatic, auto_top=AUTO_TOP_ACTIVITIES, error=error,
        only_a=sum(1 for r in union if r["side"] == "a"), only_b=sum(1 for r in union if r["side"] == "b"),
        both=sum(1 for r in union if r["side"] == "both")))


urlpatterns = [
    path("werkprocessen/logboeken/", logs, name="logs"),
    path("werkprocessen/logboeken/partner/<int:partner_id>/importeren/", log_upload, name="log_upload"),
    path("werkprocessen/logboeken/partner/<int:partner_id>/kolommen/", log_mapping, name="log_mapping"),
    path("werkprocessen/logboeken/<int:log_id>/", log, name="log"),
    path("werkprocessen/logboeken/<int:log_id>/verwijderen/", log_delete, name="log_delete"),
    path("werkprocessen/logboeken/vergelijk/<int:a>/<int:b>/", compare_pair, name="compare_pair"),
]
