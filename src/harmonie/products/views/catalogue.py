"""Products pages: catalogues per partner (import, column mapping, confirming UPL mappings) and their overview.

Views only read and call ``services``; every page needs a role in the workspace (``workspace_view``); changes
need ``can_edit_partner`` (the partner's own contributor, the coördinator or a beheerder). No inline styles or
scripts (strict CSP): the UPL search box is a native ``<datalist>``.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core.errors import BadInput, HarmonieError, NotAllowed
from harmonie.core.layers import get_layer
from harmonie.core.permissions import can_edit_partner
from harmonie.web.views import _ctx, workspace_view

from .. import importers, services
from ..models import CatalogueSourceKind, HarvestSetting, ProductRecord

PAGE_SIZE = 50

SOURCE_CHOICES = [
    (CatalogueSourceKind.SC_CSV, gettext_lazy("SC-records als CSV (ook .csv.gz), bijvoorbeeld een export van de "
                                              "landelijke zoekdienst")),
    (CatalogueSourceKind.SC_XML, gettext_lazy("SC-records als XML (SRU-antwoord van de zoekdienst)")),
    (CatalogueSourceKind.HARVEST, gettext_lazy("Ophalen uit de landelijke zoekdienst (SRU)")),
    (CatalogueSourceKind.MAPPED, gettext_lazy("Eigen CSV- of Excel-bestand (XLSX) met kolomindeling")),
]


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Soort bron"), choices=SOURCE_CHOICES)
    file = forms.FileField(label=gettext_lazy("Bestand"), required=False,
                           help_text=gettext_lazy("Niet nodig bij ophalen uit de zoekdienst."))
    authority = forms.CharField(label=gettext_lazy("Organisatienaam in de zoekdienst"), required=False,
                                max_length=300,
                                help_text=gettext_lazy("Alleen bij ophalen; leeg = de naam van de partner."))
    sru_url = forms.URLField(label=gettext_lazy("Adres van de zoekdienst (SRU)"), required=False, max_length=500,
                             assume_scheme="https", validators=[URLValidator(schemes=["http", "https"])],
                             help_text=gettext_lazy("Alleen bij ophalen; leeg = het ingestelde adres."))

    def clean(self):
        data = super().clean()
        if data.get("source") != CatalogueSourceKind.HARVEST and not data.get("file"):
            self.add_error("file", _("Kies een bestand."))
        return data


def _partner(request, workspace, partner_id, *, edit=False):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if edit and not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de catalogus van uw eigen gemeente wijzigen."))
    return partner


def _layer():
    return get_layer("producten")


@workspace_view
def catalogues(request, workspace):
    rows = services.catalogue_overview(workspace)
    for row in rows:
        row["can_edit"] = can_edit_partner(request.user, row["partner"])
    return render(request, "products/catalogue/overview.html", _ctx(
        request, workspace, "layer", layer=_layer(), rows=rows,
        totals={k: sum(r[k] for r in rows) for k in ("products", "confirmed", "to_review", "withdrawn")},
        excerpts=services.reference_excerpts()))


@workspace_view
def catalogue(request, workspace, partner_id):
    partner = _partner(request, workspace, partner_id)
    only = "open" if request.GET.get("alleen") == "open" else ""
    page = services.partner_products_page(partner, only=only, page=request.GET.get("pagina"), per_page=PAGE_SIZE)
    products = page.object_list
    can_edit = can_edit_partner(request.user, partner)
    try:
        choices = services.upl_choices() if can_edit and products else []
    except HarmonieError:
        choices = []
    query = "alleen=open" if only else ""
    return render(request, "products/catalogue/partner.html", _ctx(
        request, workspace, "layer", layer=_layer(), partner=partner, products=products, only=only, page=page,
        querystring=query, imports=services.recent_imports(partner), can_edit=can_edit, upl_choices=choices,
        bulk_threshold=services.BULK_THRESHOLD, stale=services.stale_suggestions(partner) if can_edit else 0,
        excerpts=services.reference_excerpts(),
        jobs=workspace.jobs.filter(kind__in=(services.JOB_KIND, services.RECOMPUTE_JOB_KIND),
                                   params__partner_id=partner.pk)[:3]))


@workspace_view
@require_POST
def catalogue_recompute(request, workspace, partner_id):
    partner = _partner(request, workspace, partner_id, edit=True)
    try:
        job = services.start_recompute(request.user, workspace, partner)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Het opnieuw berekenen van de suggesties is gestart; u ziet hier de voortgang."))
    return redirect("web:job_detail", workspace.slug, job.pk)


@workspace_view
@require_http_methods(["GET", "POST"])
def catalogue_import(request, workspace, partner_id):
    partner = _partner(request, workspace, partner_id, edit=True)
    setting = HarvestSetting.objects.filter(partner=partner).first()
    initial = {"authority": setting.authority if setting else partner.name,
               "sru_url": services.sru_base_url(partner)}
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        try:
            if source == CatalogueSourceKind.HARVEST:
                job = services.start_harvest(request.user, workspace, partner,
                                             authority=form.cleaned_data["authority"],
                                             sru_url=form.cleaned_data["sru_url"])
            elif source == CatalogueSourceKind.MAPPED:
                upload = form.cleaned_data["file"]
                services.store_mapped_upload(request.user, workspace, partner, upload.read(), upload.name)
                return redirect("products:catalogue_columns", workspace.slug, partner.pk)
            else:
                upload = form.cleaned_data["file"]
                job = services.start_catalogue_import(request.user, workspace, partner, kind=source,
                                                      data=upload.read(), file_name=upload.name)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error("file" if source != CatalogueSourceKind.HARVEST else "authority", exc.message)
        else:
            messages.success(request, _("De import is gestart; u ziet hier de voortgang."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    return render(request, "products/catalogue/import.html", _ctx(
        request, workspace, "layer", layer=_layer(), partner=partner, form=form,
        max_mb=round(services.catalogue.max_bytes() / 1024 / 1024), excerpts=services.reference_excerpts()))


# Dutch names for the technical column names of an SC export (the file keeps its own names; people read these)
SC_COLUMN_LABELS = {
    "authority_label": gettext_lazy("organisatie"), "authority_uri": gettext_lazy("organisatie (URI)"),
    "authority_scheme": gettext_lazy("soort organisatie"), "spatial_label": gettext_lazy("gebied"),
    "spatial_uri": gettext_lazy("gebied (URI)"), "identifier_url": gettext_lazy("webadres van het product"),
    "title": gettext_lazy("titel"), "language": gettext_lazy("taal"), "type": gettext_lazy("soort"),
    "modified": gettext_lazy("laatst gewijzigd"), "abstract": gettext_lazy("samenvatting"),
    "audience": gettext_lazy("doelgroep"), "subject": gettext_lazy("onderwerp"),
    "productID": gettext_lazy("productnummer"), "onlineAanvragen": gettext_lazy("online aanvragen"),
    "aanvraagURL": gettext_lazy("aanvraagadres"), "upl_label": gettext_lazy("uniforme productnaam"),
    "upl_uri": gettext_lazy("UPL-URI"), "n_upl": gettext_lazy("aantal UPL-namen"),
    "lead_time": gettext_lazy("doorlooptijd"), "fees": gettext_lazy("kosten"),
}


def column_label(column: str) -> str:
    """'online aanvragen (onlineAanvragen)' for a known technical column name, else the name itself."""
    dutch = SC_COLUMN_LABELS.get(column)
    return f"{dutch} ({column})" if dutch and str(dutch) != column else column


def _columns_form(columns, initial):
    choices = [("", _("— niet gebruiken —"))] + [(c, column_label(c)) for c in columns]
    fields = {}
    for name, (label, _aliases) in importers.MAPPED_FIELDS.items():
        fields[name] = forms.ChoiceField(label=_(label), choices=choices, required=(name == "title"),
                                         initial=initial.get(name, ""))
    return type("ColumnsForm", (forms.Form,), fields)


@workspace_view
@require_http_methods(["GET", "POST"])
def catalogue_columns(request, workspace, partner_id):
    partner = _partner(request, workspace, partner_id, edit=True)
    upload = services.pending_mapped_upload(request.user, partner)
    target = reverse("products:catalogue_import", args=[workspace.slug, partner.pk])
    if upload is None:
        messages.info(request, _("Kies eerst een bestand met de soort bron ‘Eigen CSV- of Excel-bestand’."))
        return redirect(target)
    try:
        columns = services.mapped_columns(upload)
    except BadInput as exc:
        messages.error(request, exc.message)
        return redirect(target)
    proposal = importers.guess_mapping(columns, services.remembered_columns(partner))
    form = _columns_form(columns, proposal)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_mapped_import(request.user, upload, form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("De kolomindeling is onthouden en de import is gestart."))
            return redirect("web:job_detail", workspace.slug, job.pk)
    return render(request, "products/catalogue/columns.html", _ctx(
        request, workspace, "layer", layer=_layer(), partner=partner, form=form, upload=upload, columns=columns,
        column_labels=[(c, str(SC_COLUMN_LABELS.get(c, c))) for c in columns],
        remembered=bool(services.remembered_columns(partner))))


@workspace_view
@require_POST
def catalogue_confirm(request, workspace, partner_id):
    partner = _partner(request, workspace, partner_id, edit=True)
    target = reverse("products:catalogue", args=[workspace.slug, partner.pk])
    query = []
    if request.POST.get("alleen") == "open":
        query.append("alleen=open")
    if (request.POST.get("pagina") or "").isdigit():
        query.append(f"pagina={int(request.POST['pagina'])}")
    if query:
        target += "?" + "&".join(query)
    product = ProductRecord.objects.filter(partner=partner, pk=request.POST.get("product") or 0).first()
    upl = (request.POST.get("upl") or "").strip()
    if product is None or not upl:
        messages.error(request, _("Kies een product en een UPL-naam."))
        return redirect(target)
    try:
        mapping = services.confirm_mapping(request.user, product, upl)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except BadInput as exc:
        messages.error(request, exc.message)
    else:
        verb = _("bevestigd") if mapping.origin == "bevestigd" else _("handmatig gekozen")
        messages.success(request, _("‘%(p)s’ → %(u)s (%(v)s).") % {"p": product.title, "u": mapping.upl_label,
                                                                   "v": verb})
    return redirect(f"{target}#product-{product.pk}")


def _threshold(value) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 1 else None


@workspace_view
@require_http_methods(["GET", "POST"])
def catalogue_bulk_confirm(request, workspace, partner_id):
    partner = _partner(request, workspace, partner_id, edit=True)
    source = request.POST if request.method == "POST" else request.GET
    threshold = _threshold(source.get("drempel", services.BULK_THRESHOLD))
    if threshold is None:
        messages.error(request, _("De drempel moet een getal tussen 0 en 1 zijn, bijvoorbeeld 0,9."))
        return redirect("products:catalogue", workspace.slug, partner.pk)
    if request.method == "POST" and request.POST.get("bevestig") == "ja":
        try:
            count = services.bulk_confirm(request.user, partner, threshold)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s UPL-koppelingen bevestigd (zekerheid ten minste %(t)s).") % {
                "n": count, "t": f"{threshold:.2f}".replace(".", ",")})
        return redirect("products:catalogue", workspace.slug, partner.pk)
    candidates = services.bulk_candidates(partner, threshold)
    return render(request, "products/catalogue/bulk.html", _ctx(
        request, workspace, "layer", layer=_layer(), partner=partner, candidates=candidates,
        threshold=threshold, threshold_text=f"{threshold:.2f}".replace(".", ",")))


urlpatterns = [
    path("producten/catalogi/", catalogues, name="catalogues"),
    path("producten/catalogi/<int:partner_id>/", catalogue, name="catalogue"),
    path("producten/catalogi/<int:partner_id>/importeren/", catalogue_import, name="catalogue_import"),
    path("producten/catalogi/<int:partner_id>/kolommen/", catalogue_columns, name="catalogue_columns"),
    path("producten/catalogi/<int:partner_id>/bevestigen/", catalogue_confirm, name="catalogue_confirm"),
    path("producten/catalogi/<int:partner_id>/alles-bevestigen/", catalogue_bulk_confirm,
         name="catalogue_bulk_confirm"),
    path("producten/catalogi/<int:partner_id>/suggesties-opnieuw/", catalogue_recompute,
         name="catalogue_recompute"),
]
