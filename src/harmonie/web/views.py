"""Server-rendered pages of Harmonie. Views read through the models and
change data only through ``harmonie.core.services`` (and ``core.jobs``).

Deny by default: every view needs a login, and every workspace page needs a
role in that workspace; without one the workspace does not exist (404).
"""

from functools import wraps

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from harmonie.core import jobs as core_jobs
from harmonie.core import services
from harmonie.core.errors import BadInput, HarmonieError, NotAllowed
from harmonie.core.layers import DELIVERY_LAYERS, LAYERS, render_panel
from harmonie.core.models import AuditEntry, DeliveryState, DeliveryStatus, Job, Membership, Role, WgrForm, Workspace
from harmonie.core.permissions import (
    BEHEERDER,
    can_edit_partner,
    can_manage,
    can_view_audit,
    role_in,
    visible_workspaces,
)

from .forms import (
    DeliveryStateForm,
    InviteForm,
    PartnerAddForm,
    PartnerSearchForm,
    WorkspaceEditForm,
    WorkspaceForm,
    add_service_error,
)

ROLE_LABELS = {BEHEERDER: gettext_lazy("Beheerder"), **dict(Role.choices)}


# --- helpers ------------------------------------------------------------------


def workspace_view(view):
    """Login required; loads the workspace by slug; 404 without a role in it."""

    @login_required
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        workspace = Workspace.objects.filter(slug=slug).first()
        role = role_in(request.user, workspace) if workspace else None
        if role is None:
            raise Http404(_("Dit samenwerkingsverband bestaat niet of u heeft er geen toegang toe."))
        request.workspace = workspace
        request.role = role
        return view(request, workspace, *args, **kwargs)

    return wrapper


def _require_manage(request, workspace):
    if not can_manage(request.user, workspace):
        raise PermissionDenied(_("Alleen de coördinator van dit samenwerkingsverband mag dit doen."))


def _ctx(request, workspace, section, **extra):
    return {
        "workspace": workspace,
        "role": request.role,
        "role_label": ROLE_LABELS.get(request.role, request.role),
        "can_manage": can_manage(request.user, workspace),
        "can_view_audit": can_view_audit(request.user, workspace),
        "section": section,
        **extra,
    }


def _layer_or_404(key):
    for layer in LAYERS:
        if layer.key == key:
            return layer
    raise Http404(_("Deze laag bestaat niet."))


def _reference():
    from harmonie.reference import services as reference

    return reference


# --- home, create, switch -------------------------------------------------------


@login_required
def home(request):
    rows = []
    memberships = {m.workspace_id: m for m in Membership.objects.filter(user=request.user).select_related("partner")}
    for workspace in visible_workspaces(request.user).prefetch_related("partners"):
        membership = memberships.get(workspace.pk)
        role = membership.role if membership else BEHEERDER
        rows.append({
            "workspace": workspace,
            "role_label": ROLE_LABELS.get(role, role),
            "partner": membership.partner if membership else None,
            "partner_count": len(workspace.partners.all()),
        })
    return render(request, "web/home.html", {"rows": rows, "section": "home"})


@login_required
@require_http_methods(["GET", "POST"])
def workspace_create(request):
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.create_workspace(request.user, **form.cleaned_data)
        except (BadInput, NotAllowed) as exc:
            add_service_error(form, exc.message)
        else:
            messages.success(request, _("Samenwerkingsverband ‘%(name)s’ is aangemaakt. Voeg nu de partners toe.")
                             % {"name": workspace.name})
            return redirect("web:partners", slug=workspace.slug)
    return render(request, "web/workspace_form.html", {"form": form, "section": "new", "creating": True})


@login_required
def workspace_switch(request):
    slug = request.GET.get("w", "")
    if not slug:
        return redirect("web:home")
    return redirect("web:workspace_detail", slug=slug)


# --- workspace ------------------------------------------------------------------


@workspace_view
def workspace_detail(request, workspace):
    matrix = services.delivery_matrix(workspace)
    return render(request, "web/workspace_detail.html", _ctx(
        request, workspace, "overview", matrix=matrix, delivery_layers=DELIVERY_LAYERS,
        wgr_label=workspace.get_wgr_form_display() if workspace.wgr_form else "",
    ))


@workspace_view
@require_http_methods(["GET", "POST"])
def workspace_edit(request, workspace):
    _require_manage(request, workspace)
    initial = {f: getattr(workspace, f) for f in ("name", "wgr_form", "vision", "goals")}
    form = WorkspaceEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workspace(request.user, workspace, **form.cleaned_data)
        except (BadInput, NotAllowed) as exc:
            add_service_error(form, exc.message)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("web:workspace_detail", slug=workspace.slug)
    return render(request, "web/workspace_form.html", _ctx(request, workspace, "edit", form=form, creating=False))


# --- partners -------------------------------------------------------------------


@workspace_view
@require_http_methods(["GET", "POST"])
def partners(request, workspace):
    manage = can_manage(request.user, workspace)
    search_form = PartnerSearchForm(request.GET or None)
    add_form = PartnerAddForm(request.POST or None)
    if request.method == "POST":
        _require_manage(request, workspace)
        if add_form.is_valid():
            try:
                partner = services.add_partner(request.user, workspace, add_form.cleaned_data["cbs_code"])
            except (BadInput, NotAllowed) as exc:
                add_service_error(add_form, exc.message)
            else:
                messages.success(request, _("%(name)s (%(code)s) is toegevoegd als partner.")
                                 % {"name": partner.name, "code": partner.cbs_code})
                query = request.POST.get("q", "")
                url = reverse("web:partners", kwargs={"slug": workspace.slug})
                return redirect(f"{url}?q={query}" if query else url)
    results, searched = [], False
    if manage and search_form.is_valid() and search_form.cleaned_data["q"].strip():
        searched = True
        reference = _reference()  # loads the hand-written excerpt itself on an empty installation
        existing = set(workspace.partners.values_list("cbs_code", flat=True))
        for gemeente in reference.search_gemeenten(search_form.cleaned_data["q"].strip(), limit=20,
                                                  include_historic=True):
            results.append({"gemeente": gemeente, "is_partner": gemeente.cbs_code in existing})
    partner_rows = []
    for partner in workspace.partners.prefetch_related("contributors__user"):
        partner_rows.append({"partner": partner, "contributors": [m.user.get_username()
                                                                  for m in partner.contributors.all()]})
    return render(request, "web/partners.html", _ctx(
        request, workspace, "partners", partner_rows=partner_rows, search_form=search_form,
        add_form=add_form, results=results, searched=searched,
        query=search_form.cleaned_data.get("q", "") if search_form.is_bound and search_form.is_valid() else "",
    ))


@workspace_view
@require_http_methods(["GET", "POST"])
def partner_remove(request, workspace, partner_id):
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    _require_manage(request, workspace)
    if request.method == "POST":
        try:
            services.remove_partner(request.user, partner)
        except (BadInput, NotAllowed) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s is verwijderd als partner.") % {"name": partner.name})
        return redirect("web:partners", slug=workspace.slug)
    delivered = partner.deliveries.exclude(state=DeliveryState.CONCEPT).count()
    contributors = [m.user.get_username() for m in partner.contributors.select_related("user")]
    return render(request, "web/partner_remove.html", _ctx(
        request, workspace, "partners", partner=partner, delivered=delivered, contributors=contributors,
    ))


# --- members --------------------------------------------------------------------


@workspace_view
@require_http_methods(["GET", "POST"])
def members(request, workspace):
    manage = can_manage(request.user, workspace)
    partner_list = list(workspace.partners.all())
    form = InviteForm(request.POST or None, partners=partner_list)
    if request.method == "POST":
        _require_manage(request, workspace)
        if form.is_valid():
            partner = None
            if form.cleaned_data.get("partner"):
                partner = next((p for p in partner_list if str(p.pk) == form.cleaned_data["partner"]), None)
            try:
                membership, link = services.invite_member(
                    request.user, workspace, username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"], role=form.cleaned_data["role"], partner=partner,
                )
            except (BadInput, NotAllowed) as exc:
                add_service_error(form, exc.message)
            else:
                # Shown exactly once, on the next page (the session forgets it).
                request.session["harmonie_invite"] = {
                    "username": membership.user.get_username(),
                    "link": request.build_absolute_uri(link) if link else "",
                }
                return redirect("web:members", slug=workspace.slug)
    invite = request.session.pop("harmonie_invite", None)
    member_list = workspace.memberships.select_related("user", "partner").order_by("role", "user__username")
    return render(request, "web/members.html", _ctx(
        request, workspace, "members", form=form, members=member_list, invite=invite, manage=manage,
    ))


# --- layers and delivery status ---------------------------------------------------


def _allowed_states(user, partner, current):
    """The states this user may move this partner's delivery to."""
    if not can_edit_partner(user, partner):
        return []
    if can_manage(user, partner.workspace):
        return list(DeliveryState)
    if current == DeliveryState.VASTGESTELD:
        return []
    return [DeliveryState.CONCEPT, DeliveryState.INGELEVERD]


@workspace_view
def layer(request, workspace, layer_key):
    current = _layer_or_404(layer_key)
    rows = []
    if current.delivered_by_partners:
        deliveries = {d.partner_id: d for d in DeliveryStatus.objects.filter(
            partner__workspace=workspace, layer=current.key).select_related("changed_by")}
        for partner in workspace.partners.all():
            delivery = deliveries.get(partner.pk)
            state = delivery.state if delivery else DeliveryState.CONCEPT
            allowed = _allowed_states(request.user, partner, state)
            rows.append({
                "partner": partner,
                "delivery": delivery,
                "state": state,
                "state_label": DeliveryState(state).label,
                "choices": [(s.value, s.label) for s in allowed],
            })
    # The layer app's own HTML (trusted code, rendered from its templates) for the "Gegevens" part.
    panel = mark_safe(render_panel(current, request, workspace) or "")
    return render(request, "web/layer.html", _ctx(request, workspace, "layer", layer=current, rows=rows,
                                                  panel=panel))


@workspace_view
@require_POST
def delivery_state(request, workspace, layer_key, partner_id):
    current = _layer_or_404(layer_key)
    partner = get_object_or_404(workspace.partners, pk=partner_id)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied(_("U mag alleen de gegevens van uw eigen gemeente wijzigen."))
    form = DeliveryStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status: concept, ingeleverd of vastgesteld."))
    else:
        try:
            services.set_delivery_state(request.user, partner, current.key, form.cleaned_data["state"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except BadInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status van %(partner)s voor %(layer)s is nu ‘%(state)s’.") % {
                "partner": partner.name, "layer": current.title,
                "state": DeliveryState(form.cleaned_data["state"]).label})
    return redirect("web:layer", slug=workspace.slug, layer_key=current.key)


# --- audit ------------------------------------------------------------------------


OBJECT_TYPE_LABELS = {
    "core.membership": gettext_lazy("lidmaatschap"),
    "applications.portfolio": gettext_lazy("applicatieportfolio"),
    "products.product": gettext_lazy("productcatalogus"),
    "people.surveyresponse": gettext_lazy("enquêteantwoorden"),
    "reference.upl": gettext_lazy("referentielijst UPL"),
    "reference.gemma": gettext_lazy("referentielijst GEMMA"),
    "reference.selectielijst": gettext_lazy("referentielijst Selectielijst"),
    "reference.gemeenten": gettext_lazy("gemeenteregister"),
}
FIELD_LABELS = {
    "name": gettext_lazy("naam"), "slug": gettext_lazy("korte naam"), "wgr_form": gettext_lazy("Wgr-vorm"),
    "vision": gettext_lazy("visie"), "goals": gettext_lazy("doelen"), "cbs_code": gettext_lazy("CBS-code"),
    "tooi_uri": gettext_lazy("TOOI-URI"), "owms_uri": gettext_lazy("OWMS-URI"), "layer": gettext_lazy("laag"),
    "state": gettext_lazy("status"), "user": gettext_lazy("gebruiker"), "role": gettext_lazy("rol"),
    "partner": gettext_lazy("partner"), "k": gettext_lazy("minimale groepsgrootte (k)"),
    "status": gettext_lazy("status"), "title": gettext_lazy("titel"),
}
CONTEXT_KEYS = ("layer",)  # shown even when unchanged: which layer a status change was about


def _object_type_label(object_type):
    if object_type in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        # Not a model label: show the part after the app, readable.
        return object_type.rpartition(".")[2].replace("_", " ")


def _display_value(key, value):
    if value in (None, "", {}, []):
        return None
    if key == "layer":
        return next((str(layer.title) for layer in LAYERS if layer.key == value), value)
    if key == "state" and value in DeliveryState.values:
        return DeliveryState(value).label
    if key == "role" and value in Role.values:
        return Role(value).label
    if key == "wgr_form" and value in WgrForm.values:
        return WgrForm(value).label
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, dict):
        parts = [f"{str(FIELD_LABELS.get(k, k)).replace('_', ' ')}: {_display_value(k, v)}"
                 for k, v in value.items() if _display_value(k, v) is not None]
        return "; ".join(parts) or None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_display_value(key, v)) for v in value if _display_value(key, v) is not None) or None
    return value


def _diff(before, after):
    """What changed, as dicts with label/before/after; context keys (unchanged) come first."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [{"label": "", "before": before, "after": after}]
    rows = []
    for key in dict.fromkeys([*before.keys(), *after.keys()]):
        old, new = _display_value(key, before.get(key)), _display_value(key, after.get(key))
        label = str(FIELD_LABELS.get(key, key))
        if old == new and key in CONTEXT_KEYS and new is not None:
            rows.insert(0, {"label": label, "value": new, "context": True})
        elif old != new:
            rows.append({"label": label, "before": old, "after": new})
    return rows


@workspace_view
def audit_log(request, workspace):
    if not can_view_audit(request.user, workspace):
        raise PermissionDenied(_("Alleen de coördinator mag het auditlog inzien."))
    page = Paginator(AuditEntry.objects.filter(workspace=workspace), 50).get_page(request.GET.get("pagina"))
    entries = [{
        "entry": entry,
        "type_label": _object_type_label(entry.object_type),
        "changes": _diff(entry.before, entry.after),
    } for entry in page.object_list]
    return render(request, "web/audit.html", _ctx(request, workspace, "audit", page=page, entries=entries))


# --- jobs ---------------------------------------------------------------------------


def _job_or_404(workspace, job_id):
    return core_jobs.live_progress(get_object_or_404(Job, pk=job_id, workspace=workspace))


def _job_urls(workspace, job):
    return {
        "progress_url": reverse("web:job_progress", args=[workspace.slug, job.pk]),
        "retry_url": reverse("web:job_retry", args=[workspace.slug, job.pk]),
    }


def _can_retry(user, job):
    return (job.status == "failed"
            and (job.workspace is not None and can_manage(user, job.workspace) or job.created_by_id == user.pk))


@workspace_view
def jobs(request, workspace):
    job_list = [core_jobs.live_progress(j) for j in Job.objects.filter(workspace=workspace)
                .select_related("created_by")[:100]]
    return render(request, "web/jobs.html", _ctx(request, workspace, "jobs", jobs=job_list))


@workspace_view
def job_detail(request, workspace, job_id):
    job = _job_or_404(workspace, job_id)
    return render(request, "web/job_detail.html", _ctx(
        request, workspace, "jobs", job=job, can_retry=_can_retry(request.user, job), **_job_urls(workspace, job)))


@workspace_view
def job_progress(request, workspace, job_id):
    job = _job_or_404(workspace, job_id)
    return render(request, "web/_job_progress.html", {
        "workspace": workspace, "job": job, "can_retry": _can_retry(request.user, job), **_job_urls(workspace, job)})


@workspace_view
@require_POST
def job_retry(request, workspace, job_id):
    job = _job_or_404(workspace, job_id)
    if not _can_retry(request.user, job):
        if job.status != "failed":
            messages.error(request, _("Alleen een mislukte taak kan opnieuw worden gestart."))
            return redirect("web:job_detail", slug=workspace.slug, job_id=job.pk)
        raise PermissionDenied(_("Alleen de coördinator of wie de taak startte mag hem opnieuw starten."))
    try:
        core_jobs.retry_job(job)
    except HarmonieError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De taak is opnieuw in de wachtrij gezet."))
    return redirect("web:job_detail", slug=workspace.slug, job_id=job.pk)


@login_required
def job_redirect(request, job_id):
    """``/taken/<uuid>/``: the job's page inside its samenwerkingsverband."""
    job = Job.objects.filter(pk=job_id).select_related("workspace").first()
    if job is None or job.workspace is None or role_in(request.user, job.workspace) is None:
        raise Http404(_("Deze taak bestaat niet of u heeft er geen toegang toe."))
    return redirect("web:job_detail", slug=job.workspace.slug, job_id=job.pk)


# --- account ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def token(request):
    from rest_framework.authtoken.models import Token

    if request.method == "POST":
        request.session["harmonie_token"] = services.create_token(request.user)
        messages.success(request, _("Er is een nieuw API-token aangemaakt. Een eventueel vorig token werkt niet meer."))
        return redirect("web:token")
    new_key = request.session.pop("harmonie_token", None)
    existing = Token.objects.filter(user=request.user).first()
    return render(request, "web/token.html", {
        "new_key": new_key, "existing": existing, "section": "token",
        "api_url": request.build_absolute_uri("/api/v1/"),
    })


# --- password set link (invitation) ------------------------------------------------


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The one-time link from an invitation: choose a password, then log in."""

    template_name = "web/password_set.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
        return response
