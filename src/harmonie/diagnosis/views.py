"""Pages of the diagnosis: index and check, roadmap (with Gantt), agreements, the board report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.permissions import can_edit_partner, can_manage
from harmonie.web.views import _ctx, workspace_view

from . import presentation, services
from .forms import AgreementForm, InitiativeForm
from .models import Agreement, ImplementationStatus, Initiative


def panel(request, workspace) -> str:
    """Summary on the layer page "Diagnose & routekaart"."""
    diagnosis = services.diagnose(workspace)
    return render_to_string("diagnosis/panel.html", {
        "workspace": workspace, "rows": presentation.index_rows(diagnosis), "diagnosis": diagnosis,
        "lessons": presentation.findings_by_lesson(diagnosis), "can_manage": can_manage(request.user, workspace),
    }, request=request)


def _manage(request, workspace):
    if not can_manage(request.user, workspace):
        raise PermissionDenied("Alleen de coördinator van dit samenwerkingsverband mag dit doen.")


@workspace_view
def overview(request, workspace):
    diagnosis = services.diagnose(workspace)
    trend = services.trend(workspace)
    return render(request, "diagnosis/overview.html", _ctx(
        request, workspace, "diagnosis", layer=_layer(), diagnosis=diagnosis,
        rows=presentation.index_rows(diagnosis), partner_rows=presentation.partner_rows(diagnosis),
        pair_rows=presentation.pair_rows(diagnosis), lessons=presentation.findings_by_lesson(diagnosis),
        charts=presentation.charts_for(diagnosis, trend), trend=presentation.trend_table(trend),
        layer_labels=[presentation.LAYER_LABELS[k] for k in presentation.INDEX_LAYERS],
        rules=presentation.rule_rows(diagnosis.thresholds),
    ))


def _layer():
    from harmonie.core.layers import get_layer

    return get_layer("diagnose")


@workspace_view
@require_POST
def measure(request, workspace):
    _manage(request, workspace)
    diagnosis = services.diagnose(workspace, save=True, user=request.user)
    messages.success(request, f"De meting is bewaard: {len(diagnosis.findings)} bevindingen.")
    return redirect("diagnosis:overview", slug=workspace.slug)


@workspace_view
def roadmap(request, workspace):
    plan = services.roadmap(workspace)
    rows = presentation.roadmap_rows(plan)
    return render(request, "diagnosis/roadmap.html", _ctx(
        request, workspace, "diagnosis", layer=_layer(), plan=plan, rows=rows, gantt=presentation.gantt(plan),
        moved=sum(1 for r in rows if r["moved"] and r["initiative"]),
        flagged=sum(1 for r in rows if r["violations"]),
        partners=dict(services.partners(workspace)), case=plan.business_case,
    ))


@workspace_view
@require_POST
def roadmap_apply(request, workspace):
    _manage(request, workspace)
    try:
        if request.POST.get("partner"):
            item = services.accept_involvement(request.user, workspace, request.POST["partner"])
            messages.success(request, f"‘{item.title}’ staat nu op de routekaart.")
        elif request.POST.get("action") == "voorstel":
            moved = services.apply_proposal(request.user, workspace, request.POST.getlist("id") or None)
            messages.success(request, f"Het voorstel is overgenomen: {moved} initiatieven verschoven.")
        else:
            messages.error(request, "Kies wat u wilt overnemen.")
    except (BadInput, NotAllowed) as exc:
        messages.error(request, exc.message)
    return redirect("diagnosis:roadmap", slug=workspace.slug)


def _initiative_form(request, workspace, instance=None):
    _manage(request, workspace)
    initial = None
    if instance is not None:
        initial = {f: getattr(instance, f) for f in services.INITIATIVE_FIELDS if f != "usage"}
        initial["dependencies"] = [str(d.pk) for d in instance.dependencies.all()]
    form = InitiativeForm(request.POST or None, workspace=workspace, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "dependencies"}
        try:
            item = services.save_initiative(request.user, workspace, data, instance,
                                            dependencies=form.cleaned_data["dependencies"])
        except (BadInput, NotAllowed) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Initiatief ‘{item.title}’ is opgeslagen.")
            return redirect("diagnosis:roadmap", slug=workspace.slug)
    return render(request, "diagnosis/initiative_form.html", _ctx(
        request, workspace, "diagnosis", layer=_layer(), form=form, instance=instance))


@workspace_view
@require_http_methods(["GET", "POST"])
def initiative_new(request, workspace):
    return _initiative_form(request, workspace)


@workspace_view
@require_http_methods(["GET", "POST"])
def initiative_edit(request, workspace, initiative_id):
    instance = get_object_or_404(Initiative, workspace=workspace, pk=initiative_id)
    return _initiative_form(request, workspace, instance)


@workspace_view
@require_http_methods(["GET", "POST"])
def agreements(request, workspace):
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        _manage(request, workspace)
        if form.is_valid():
            try:
                agreement = services.save_agreement(request.user, workspace, form.cleaned_data)
            except (BadInput, NotAllowed) as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Afspraak ‘{agreement.title}’ is vastgelegd.")
                return redirect("diagnosis:agreements", slug=workspace.slug)
    diagnosis = services.diagnose(workspace)
    editable = {p.cbs_code for p in workspace.partners.all() if can_edit_partner(request.user, p)}
    partner_ids = {p.cbs_code: p.pk for p in workspace.partners.all()}
    return render(request, "diagnosis/agreements.html", _ctx(
        request, workspace, "diagnosis", layer=_layer(), form=form,
        rows=presentation.agreement_rows(diagnosis), editable=editable, partner_ids=partner_ids,
        statuses=ImplementationStatus.choices, diagnosis=diagnosis,
    ))


@workspace_view
@require_POST
def implementation(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied("U mag alleen de status van uw eigen gemeente wijzigen.")
    agreement = Agreement.objects.filter(workspace=workspace, pk=request.POST.get("agreement") or 0).first() \
        if str(request.POST.get("agreement", "")).isdigit() else None
    if agreement is None:
        messages.error(request, "Kies een afspraak.")
    else:
        try:
            services.set_implementation(request.user, agreement, partner, request.POST.get("status", ""),
                                        request.POST.get("note", ""))
        except (BadInput, NotAllowed) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Status van {partner.name} voor ‘{agreement.title}’ is opgeslagen.")
    return redirect("diagnosis:agreements", slug=workspace.slug)


@workspace_view
def report(request, workspace):
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "html"):
        fmt = "pdf"
    data = services.report(workspace, fmt)
    if fmt == "html":
        from .report import style_hashes

        response = HttpResponse(data, content_type="text/html; charset=utf-8")
        response._csp_update = {"style-src": style_hashes(data.decode("utf-8"))}  # only the report's own styles
        return response
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bestuursrapportage-{workspace.slug}.pdf"'
    return response
