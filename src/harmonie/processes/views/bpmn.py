"""Werkprocessen pages: process models (BPMN), activity matching across partners, the reference process.

Views only read and call ``services``; every page needs a role in the workspace (``workspace_view``).
No inline scripts or styles (strict CSP): the reference page renders its BPMN with bpmn-js from a static
file that fetches the XML from ``processes:reference_bpmn``.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.layers import get_layer
from harmonie.core.models import Job
from harmonie.core.permissions import can_edit_partner, can_manage
from harmonie.web.views import _ctx, workspace_view

from .. import services
from ..models import CorrespondenceStatus, ReferenceProcess


def _layer():
    return get_layer("werkprocessen")


def _sources(workspace):
    """Choices for the two sources to compare: models ("bpmn:ID") and event logs ("log:ID")."""
    choices = [(f"bpmn:{m.pk}", f"{m.partner.name} – {m.name} (BPMN)") for m in services.process_models(workspace)]
    choices += [(f"log:{log.pk}", f"{log.partner.name} – {log.name} ({_('logboek')})")
                for log in services.log_sources(workspace)]
    return choices


def _resolve(workspace, value: str):
    kind, _sep, ident = (value or "").partition(":")
    if kind == "bpmn":
        return services.model_for(workspace, ident)
    if kind == "log":
        for log in services.log_sources(workspace):
            if str(log.pk) == ident:
                return log
    return None


class PickForm(forms.Form):
    a = forms.ChoiceField(label=gettext_lazy("Model of logboek A"))
    b = forms.ChoiceField(label=gettext_lazy("Model of logboek B"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


@workspace_view
def models(request, workspace):
    partners = list(workspace.partners.all())
    by_partner = {p.pk: [] for p in partners}
    for model in services.process_models(workspace):
        by_partner.setdefault(model.partner_id, []).append(model)
    rows = [{"partner": p, "models": by_partner.get(p.pk, []), "can_edit": can_edit_partner(request.user, p)}
            for p in partners]
    choices = _sources(workspace)
    form = PickForm(request.GET or None, choices=choices)
    suggestions, source_a, source_b, decide_partner = None, None, None, None
    if request.GET and form.is_valid():
        source_a, source_b = _resolve(workspace, form.cleaned_data["a"]), _resolve(workspace, form.cleaned_data["b"])
        if source_a is None or source_b is None:
            raise Http404(_("Dit model of logboek bestaat niet."))
        if source_a.partner_id == source_b.partner_id:
            form.add_error("b", _("Kies modellen of logboeken van twee verschillende partners."))
        else:
            try:
                suggestions = services.suggest_correspondences(workspace, source_a, source_b)
            except BadInput as exc:
                form.add_error("a", exc.message)
            for partner in (source_a.partner, source_b.partner):
                if can_edit_partner(request.user, partner):
                    decide_partner = partner
                    break
    return render(request, "processes/bpmn/models.html", _ctx(
        request, workspace, "layer", layer=_layer(), rows=rows, form=form, has_choices=len(choices) >= 2,
        suggestions=suggestions, source_a=source_a, source_b=source_b, decide_partner=decide_partner,
        confirmed=CorrespondenceStatus.CONFIRMED, rejected=CorrespondenceStatus.REJECTED,
        pick_a=request.GET.get("a", ""), pick_b=request.GET.get("b", "")))


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("BPMN-bestand (BPMN 2.0 XML, .bpmn of .xml)"))
    name = forms.CharField(label=gettext_lazy("Naam van het model"), required=False, max_length=300,
                           help_text=gettext_lazy("Leeg: de procesnaam uit het bestand. Een model met dezelfde naam "
                                                  "wordt vervangen."))


@workspace_view
@require_http_methods(["GET", "POST"])
def model_upload(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de gegevens van uw eigen gemeente importeren."))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = services.start_model_import(request.user, workspace, partner, upload.read(), upload.name,
                                                  form.cleaned_data["name"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error("file", exc.message)
        else:
            if isinstance(outcome, Job):
                messages.success(request, _("De import is gestart; u ziet hier de voortgang."))
                return redirect("web:job_detail", workspace.slug, outcome.pk)
            messages.success(request, outcome.message)
            return redirect("processes:models", workspace.slug)
    return render(request, "processes/bpmn/upload.html", _ctx(
        request, workspace, "layer", layer=_layer(), partner=partner, form=form))


@workspace_view
@require_POST
def model_correspondence(request, workspace, partner_id):
    """Confirm or reject one suggested correspondence; ``partner_id`` is the deciding partner (A or B)."""
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen overeenkomsten bevestigen waarbij uw eigen gemeente betrokken is."))
    a_value, b_value = request.POST.get("a", ""), request.POST.get("b", "")
    target = reverse("processes:models", args=[workspace.slug])
    source_a, source_b = _resolve(workspace, a_value), _resolve(workspace, b_value)
    if source_a is None or source_b is None:
        messages.error(request, _("Kies eerst twee modellen of logboeken."))
        return redirect(target)
    if partner.pk not in (source_a.partner_id, source_b.partner_id):
        raise PermissionDenied(_("U mag alleen overeenkomsten bevestigen waarbij uw eigen gemeente betrokken is."))
    decision = {"bevestigen": CorrespondenceStatus.CONFIRMED,
                "afwijzen": CorrespondenceStatus.REJECTED}.get(request.POST.get("besluit", ""), "")
    try:
        score = float(request.POST.get("score") or "nan")
    except ValueError:
        score = float("nan")
    try:
        services.decide_correspondence(request.user, workspace, source_a, source_b, request.POST.get("a_key", ""),
                                       request.POST.get("b_key", ""), decision,
                                       a_label=request.POST.get("a_label", ""), b_label=request.POST.get("b_label", ""),
                                       score=None if score != score else score)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("'%(a)s' ≈ '%(b)s' is %(d)s.") % {
            "a": request.POST.get("a_label", ""), "b": request.POST.get("b_label", ""),
            "d": _("bevestigd") if decision == CorrespondenceStatus.CONFIRMED else _("afgewezen")})
    return redirect(f"{target}?{urlencode({'a': a_value, 'b': b_value})}#voorstellen")


class ReferenceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=200, required=False,
                           help_text=gettext_lazy("Bijvoorbeeld: Omgevingsvergunning regulier."))
    source = forms.ChoiceField(label=gettext_lazy("Bron"), choices=[
        ("auto", gettext_lazy("Logboeken waar een partner die heeft, anders zijn procesmodellen")),
        ("logs", gettext_lazy("Alleen logboeken (event logs)")),
        ("models", gettext_lazy("Alleen procesmodellen (BPMN)")),
    ], initial="auto")
    only = forms.MultipleChoiceField(
        label=gettext_lazy("Alleen deze modellen en logboeken"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Niets aangevinkt: alle. Vink aan als partners modellen of logboeken van "
                               "verschillende processen hebben."))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["only"].choices = choices


@workspace_view
@require_http_methods(["GET", "POST"])
def references(request, workspace):
    form = ReferenceForm(request.POST or None, choices=_sources(workspace))
    if request.method == "POST":
        if not can_manage(request.user, workspace):
            raise PermissionDenied(_("Alleen de coördinator van dit samenwerkingsverband mag dit doen."))
        if form.is_valid():
            job = services.start_reference_build(request.user, workspace, form.cleaned_data["name"],
                                                 form.cleaned_data["source"], only=form.cleaned_data["only"])
            messages.success(request, _("Het referentieproces wordt bepaald; u ziet hier de voortgang."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    items = ReferenceProcess.objects.filter(workspace=workspace)
    return render(request, "processes/bpmn/references.html", _ctx(
        request, workspace, "layer", layer=_layer(), references=items, form=form))


def _openzaak_url(workspace, reference):
    try:
        return reverse("processes:reference_openzaak_zip", args=[workspace.slug, reference.pk])
    except NoReverseMatch:
        return ""


@workspace_view
def reference(request, workspace, pk):
    obj = get_object_or_404(ReferenceProcess, workspace=workspace, pk=pk)
    return render(request, "processes/bpmn/reference.html", _ctx(
        request, workspace, "layer", layer=_layer(), reference=obj, data=services.reference_structure(obj),
        openzaak_url=_openzaak_url(workspace, obj), openzaak_todo=_openzaak_todo(obj)))


def _openzaak_todo(reference):
    from ..services.definitions import openzaak_todo

    return openzaak_todo(reference)


@workspace_view
def reference_bpmn(request, workspace, pk):
    obj = get_object_or_404(ReferenceProcess, workspace=workspace, pk=pk)
    response = HttpResponse(services.reference_bpmn(obj), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referentieproces-{obj.pk}.bpmn"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_view
@require_POST
def reference_adopt(request, workspace, pk):
    obj = get_object_or_404(ReferenceProcess, workspace=workspace, pk=pk)
    try:
        services.set_adopted(request.user, obj, request.POST.get("vastgesteld", "1") == "1")
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Het referentieproces is vastgesteld.") if obj.adopted
                     else _("Het referentieproces is weer een voorstel."))
    return redirect("processes:reference", workspace.slug, obj.pk)


@workspace_view
@require_POST
def reference_update(request, workspace, pk):
    obj = get_object_or_404(ReferenceProcess, workspace=workspace, pk=pk)
    try:
        job = services.start_reference_build(request.user, workspace, obj.name, request.POST.get("bron", "auto")
                                             if request.POST.get("bron") in ("auto", "logs", "models") else "auto",
                                             reference=obj)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Het referentieproces wordt opnieuw bepaald; u ziet hier de voortgang."))
    return redirect("web:job_detail", workspace.slug, job.pk)


urlpatterns = [
    path("werkprocessen/modellen/", models, name="models"),
    path("werkprocessen/modellen/partners/<int:partner_id>/importeren/", model_upload, name="model_upload"),
    path("werkprocessen/modellen/partners/<int:partner_id>/overeenkomst/", model_correspondence,
         name="model_correspondence"),
    path("werkprocessen/referentieprocessen/", references, name="references"),
    path("werkprocessen/referentieprocessen/<int:pk>/", reference, name="reference"),
    path("werkprocessen/referentieprocessen/<int:pk>/referentieproces.bpmn", reference_bpmn, name="reference_bpmn"),
    path("werkprocessen/referentieprocessen/<int:pk>/vaststellen/", reference_adopt, name="reference_adopt"),
    path("werkprocessen/referentieprocessen/<int:pk>/bijwerken/", reference_update, name="reference_update"),
]
