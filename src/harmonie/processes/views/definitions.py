"""Werkprocessen pages: zaaktypen (how partners define their processes).

* ``zaaktypen``: per partner its zaaktypen, the suggested and decided correspondences between partners, and per
  pair the differences side by side (member);
* ``zaaktypen_import`` (+ ``zaaktypen_zgw``, ``zaaktypen_fetch``): upload an Open Zaak export ZIP or i-Navigator
  XML, set the partner's ZGW Catalogi API connection and fetch from it — own partner (bijdrager) or coördinator;
* ``zaaktypen_decide``: confirm or reject a correspondence on behalf of a partner in it — the bijdrager of that
  partner or the coördinator (the coördinator may decide any correspondence);
* ``zaaktypen_upl``: link a zaaktype to a UPL product (the product layer) — own partner or coördinator;
* ``zaaktypen_suggest``: recompute the suggestions — coördinator (imports recompute them automatically);
* ``zaaktypen_pair_zip`` / ``reference_openzaak_zip``: download a harmonised zaaktype as Open Zaak import ZIP
  (member).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.layers import get_layer
from harmonie.core.permissions import can_edit_partner, can_manage
from harmonie.web.views import _ctx, workspace_view

from .. import services
from ..analysis.zaaktypen import duration_days
from ..models import (
    Correspondence,
    CorrespondenceKind,
    CorrespondenceStatus,
    DefinitionSource,
    ReferenceProcess,
    ZaakType,
    ZgwConnection,
)

FIELD_LABELS = {"doorlooptijd": gettext_lazy("Doorlooptijd"), "servicenorm": gettext_lazy("Servicenorm"),
                "vertrouwelijkheidaanduiding": gettext_lazy("Vertrouwelijkheid"),
                "selectielijstProcestype": gettext_lazy("Selectielijst-procestype")}


def _layer():
    return get_layer("werkprocessen")


def _duration(text: str) -> str:
    days = duration_days(text)
    if days is None:
        return text or ""
    return _("%(iso)s (%(days)s dagen)") % {"iso": text, "days": f"{days:g}"}


def _short_url(url: str) -> str:
    """A Selectielijst URL without the loaded list: its kind and the first part of its id."""
    parts = (url or "").rstrip("/").rsplit("/", 2)
    return f"{parts[-2]}/{parts[-1][:8]}…" if len(parts) == 3 else url


def _procestype_names() -> dict[str, str]:
    index = services.selectielijst_index()
    return {url: f"{p.get('nummer')}. {p.get('naam')} ({p.get('jaar')})" for url, p in index.procestypen.items()}


@workspace_view
def overview(request, workspace):
    zaaktypen = list(services.zaaktypen_of(workspace))
    upl = dict(services.upl_products())
    by_partner = []
    for partner in workspace.partners.order_by("name"):
        own = [zt for zt in zaaktypen if zt.partner_id == partner.pk]
        for zt in own:
            zt.doorlooptijd_label, zt.servicenorm_label = _duration(zt.doorlooptijd), _duration(zt.servicenorm)
            zt.upl_label = upl.get(zt.upl_uri) or zt.upl_uri.rsplit("/", 1)[-1]
        by_partner.append({"partner": partner, "zaaktypen": own, "can_edit": can_edit_partner(request.user, partner)})
    names = _procestype_names()
    pairs = []
    for corr, comparison in services.zaaktype_comparisons(workspace, include_rejected=True):
        fields = []
        if comparison is not None:
            for diff in comparison.fields:
                a, b = diff.a, diff.b
                if diff.field == "selectielijstProcestype":
                    a, b = names.get(a) or _short_url(a), names.get(b) or _short_url(b)
                elif diff.field in ("doorlooptijd", "servicenorm"):
                    a, b = _duration(a), _duration(b)
                fields.append({"label": FIELD_LABELS.get(diff.field, diff.field), "a": a, "b": b,
                               "same": diff.same, "note": diff.note})
        deciders = [p for p in (corr.a_partner, corr.b_partner) if can_edit_partner(request.user, p)]
        pairs.append({"corr": corr, "comparison": comparison, "fields": fields,
                      "decide_as": deciders[0] if deciders else None})
    return render(request, "processes/definitions/overview.html", _ctx(
        request, workspace, "layer", layer=_layer(), by_partner=by_partner, pairs=pairs,
        suggested=[p for p in pairs if p["corr"].status == CorrespondenceStatus.SUGGESTED],
        decided=[p for p in pairs if p["corr"].status != CorrespondenceStatus.SUGGESTED],
        selectielijst_loaded=bool(names), can_suggest=can_manage(request.user, workspace)))


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Soort bestand"), choices=[
        (DefinitionSource.OPENZAAK_ZIP, gettext_lazy("Open Zaak-export van een catalogus (ZIP)")),
        (DefinitionSource.INAVIGATOR, gettext_lazy("i-Navigator-export (DSP-XML)"))])
    file = forms.FileField(label=gettext_lazy("Bestand"))


class ZgwForm(forms.Form):
    base_url = forms.URLField(label=gettext_lazy("Adres van de Catalogi API"), max_length=500, assume_scheme="https",
                              help_text=gettext_lazy("Bijvoorbeeld https://openzaak.gemeente.nl/catalogi/api/v1/"))
    catalogus_url = forms.URLField(label=gettext_lazy("Catalogus (optioneel)"), max_length=500, required=False,
                                   assume_scheme="https",
                                   help_text=gettext_lazy("Alleen de zaaktypen van deze catalogus ophalen."))
    client_id = forms.CharField(label=gettext_lazy("Client-id"), max_length=200)
    secret_env = forms.CharField(label=gettext_lazy("Naam van de omgevingsvariabele met het geheim"), max_length=100,
                                 help_text=gettext_lazy("Het geheim zelf staat nooit in Harmonie: de beheerder zet "
                                                        "het op de server in deze omgevingsvariabele."))


def _partner_or_403(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de zaaktypen van uw eigen gemeente beheren."))
    return partner


@workspace_view
@require_http_methods(["GET", "POST"])
def import_page(request, workspace, partner_id):
    partner = _partner_or_403(request, workspace, partner_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.start_definition_import(request.user, workspace, partner, upload.read(), upload.name,
                                                   form.cleaned_data["source"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("De import is gestart; u ziet hier de voortgang."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    connection = ZgwConnection.objects.filter(partner=partner).first()
    zgw_form = ZgwForm(initial={"base_url": connection.base_url, "catalogus_url": connection.catalogus_url,
                                "client_id": connection.client_id, "secret_env": connection.secret_env}
                       if connection else None, prefix="zgw")
    return render(request, "processes/definitions/import.html", _ctx(
        request, workspace, "layer", layer=_layer(), partner=partner, form=form, zgw_form=zgw_form,
        connection=connection))


@workspace_view
@require_POST
def zgw_settings(request, workspace, partner_id):
    partner = _partner_or_403(request, workspace, partner_id)
    form = ZgwForm(request.POST, prefix="zgw")
    target = reverse("processes:zaaktypen_import", args=[workspace.slug, partner.pk])
    if not form.is_valid():
        messages.error(request, _("Controleer de gegevens van de ZGW-koppeling: %(e)s")
                       % {"e": "; ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items())})
        return redirect(target)
    try:
        services.save_zgw_connection(request.user, partner, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De ZGW-koppeling van %(p)s is opgeslagen.") % {"p": partner.name})
    return redirect(target)


@workspace_view
@require_POST
def zgw_fetch(request, workspace, partner_id):
    partner = _partner_or_403(request, workspace, partner_id)
    try:
        job = services.start_zgw_fetch(request.user, workspace, partner)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except BadInput as exc:
        messages.error(request, exc.message)
        return redirect("processes:zaaktypen_import", workspace.slug, partner.pk)
    messages.success(request, _("Het ophalen is gestart; u ziet hier de voortgang."))
    return redirect("web:job_detail", workspace.slug, job.pk)


@workspace_view
@require_POST
def decide(request, workspace, partner_id):
    """Confirm or reject a zaaktype correspondence on behalf of ``partner`` (one of its two partners)."""
    partner = _partner_or_403(request, workspace, partner_id)
    target = reverse("processes:zaaktypen", args=[workspace.slug]) + "#overeenkomsten"
    corr = Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE,
                                         pk=request.POST.get("overeenkomst") or 0).select_related(
        "a_partner", "b_partner", "workspace").first()
    status = request.POST.get("status", "")
    if corr is None or status not in (CorrespondenceStatus.CONFIRMED, CorrespondenceStatus.REJECTED,
                                      CorrespondenceStatus.SUGGESTED):
        messages.error(request, _("Kies een overeenkomst en bevestig of wijs hem af."))
        return redirect(target)
    if partner.pk not in (corr.a_partner_id, corr.b_partner_id) and not can_manage(request.user, workspace):
        raise PermissionDenied(_("Deze overeenkomst gaat niet over uw gemeente."))
    try:
        services.decide_zaaktype_correspondence(request.user, corr, status)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("'%(a)s' ≈ '%(b)s': %(s)s.") % {"a": corr.a_label, "b": corr.b_label,
                                                                 "s": corr.get_status_display().lower()})
    return redirect(target)


@workspace_view
@require_POST
def link_upl(request, workspace, partner_id):
    """Link one of the partner's zaaktypen to a UPL product (usually the suggested one)."""
    partner = _partner_or_403(request, workspace, partner_id)
    zaaktype = ZaakType.objects.filter(partner=partner, pk=request.POST.get("zaaktype") or 0).first()
    target = reverse("processes:zaaktypen", args=[workspace.slug]) + f"#partner-{partner.pk}"
    if zaaktype is None:
        messages.error(request, _("Kies een zaaktype van %(p)s.") % {"p": partner.name})
        return redirect(target)
    try:
        services.link_zaaktype_upl(request.user, zaaktype, request.POST.get("upl", ""))
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("'%(zt)s' is gekoppeld aan de UPL.") % {"zt": zaaktype.omschrijving})
    return redirect(target)


@workspace_view
@require_POST
def suggest(request, workspace):
    if not can_manage(request.user, workspace):
        raise PermissionDenied(_("Alleen de coördinator mag de voorstellen opnieuw laten berekenen."))
    count = services.suggest_zaaktype_correspondences(request.user, workspace)
    messages.success(request, _("%(n)s nieuwe voorstellen.") % {"n": count})
    return redirect(reverse("processes:zaaktypen", args=[workspace.slug]) + "#overeenkomsten")


def _zip_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view
def pair_zip(request, workspace):
    corr = Correspondence.objects.filter(workspace=workspace, kind=CorrespondenceKind.ZAAKTYPE,
                                         pk=request.GET.get("overeenkomst") or 0).first()
    if corr is None:
        messages.error(request, _("Kies een overeenkomst tussen twee zaaktypen."))
        return redirect("processes:zaaktypen", workspace.slug)
    try:
        data, name = services.pair_openzaak_zip(corr)
    except BadInput as exc:
        messages.error(request, exc.message)
        return redirect("processes:zaaktypen", workspace.slug)
    return _zip_response(data, name)


@workspace_view
def reference_zip(request, workspace, pk):
    reference = get_object_or_404(ReferenceProcess, workspace=workspace, pk=pk)
    try:
        data, name = services.reference_openzaak_zip(reference)
    except BadInput as exc:
        messages.error(request, exc.message)
        return redirect("processes:zaaktypen", workspace.slug)
    return _zip_response(data, name)


urlpatterns = [
    path("werkprocessen/zaaktypen/", overview, name="zaaktypen"),
    path("werkprocessen/zaaktypen/partners/<int:partner_id>/importeren/", import_page, name="zaaktypen_import"),
    path("werkprocessen/zaaktypen/partners/<int:partner_id>/zgw/", zgw_settings, name="zaaktypen_zgw"),
    path("werkprocessen/zaaktypen/partners/<int:partner_id>/ophalen/", zgw_fetch, name="zaaktypen_fetch"),
    path("werkprocessen/zaaktypen/partners/<int:partner_id>/beslissen/", decide, name="zaaktypen_decide"),
    path("werkprocessen/zaaktypen/partners/<int:partner_id>/upl/", link_upl, name="zaaktypen_upl"),
    path("werkprocessen/zaaktypen/voorstellen/", suggest, name="zaaktypen_suggest"),
    path("werkprocessen/zaaktypen/geharmoniseerd.zip", pair_zip, name="zaaktypen_pair_zip"),
    path("werkprocessen/referentieprocessen/<int:pk>/openzaak.zip", reference_zip, name="reference_openzaak_zip"),
]
