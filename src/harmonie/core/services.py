"""The one entry point for changing core data: views, API, CLI and jobs call these.

Every function checks permissions, validates, writes inside one transaction
and leaves an audit entry, so no caller can forget one of those steps.
"""

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import audit
from .errors import BadInput, NotAllowed
from .layers import DELIVERY_LAYERS, LAYER_KEYS
from .models import (
    AuditAction,
    DeliveryState,
    DeliveryStatus,
    Membership,
    Partner,
    Role,
    WgrForm,
    Workspace,
)
from .permissions import can_edit_partner, can_manage

WORKSPACE_FIELDS = ["name", "slug", "wgr_form", "vision", "goals"]
_STATE_ORDER = [DeliveryState.CONCEPT, DeliveryState.INGELEVERD, DeliveryState.VASTGESTELD]


def _require(condition, message):
    if not condition:
        raise NotAllowed(message)


# --- workspaces -------------------------------------------------------------


def create_workspace(user, *, name, slug="", wgr_form="", vision="", goals="") -> Workspace:
    """Create a samenwerkingsverband; the creator becomes its coördinator."""
    _require(user is None or user.is_authenticated, _("U moet ingelogd zijn om een samenwerkingsverband aan te maken."))
    name = (name or "").strip()
    if not name:
        raise BadInput(_("Veld 'naam': vul de naam van het samenwerkingsverband in."))
    slug = slugify(slug or name)[:60]
    if not slug:
        raise BadInput(_("Veld 'slug': gebruik letters, cijfers of koppeltekens."))
    if wgr_form and wgr_form not in WgrForm.values:
        raise BadInput(_("Veld 'wgr_form': onbekende Wgr-vorm '%(v)s'. Kies uit: %(c)s.")
                       % {"v": wgr_form, "c": ", ".join(WgrForm.values)})
    if Workspace.objects.filter(slug=slug).exists():
        raise BadInput(_("Veld 'slug': er bestaat al een samenwerkingsverband met de korte naam '%(slug)s'.") % {"slug": slug})
    try:
        with transaction.atomic():
            workspace = Workspace.objects.create(name=name, slug=slug, wgr_form=wgr_form, vision=vision, goals=goals)
            if user is not None and not user.is_superuser:
                Membership.objects.create(user=user, workspace=workspace, role=Role.COORDINATOR)
                user.__dict__.pop("_harmonie_memberships", None)
            audit.record_change(user, workspace, AuditAction.CREATE, workspace,
                                after=audit.snapshot(workspace, WORKSPACE_FIELDS))
    except IntegrityError as exc:  # a concurrent request took the slug
        raise BadInput(_("Veld 'slug': er bestaat al een samenwerkingsverband met de korte naam '%(slug)s'.")
                       % {"slug": slug}) from exc
    return workspace


def update_workspace(user, workspace, **fields) -> Workspace:
    _require(can_manage(user, workspace), _("Alleen de coördinator mag het samenwerkingsverband wijzigen."))
    unknown = set(fields) - set(WORKSPACE_FIELDS)
    if unknown:
        raise BadInput(_("Onbekend veld: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "slug" in fields and fields["slug"] != workspace.slug:
        raise BadInput(_("Veld 'slug': de korte naam kan niet worden gewijzigd."))
    if "name" in fields and not (fields["name"] or "").strip():
        raise BadInput(_("Veld 'naam': vul de naam van het samenwerkingsverband in."))
    if fields.get("wgr_form") and fields["wgr_form"] not in WgrForm.values:
        raise BadInput(_("Veld 'wgr_form': onbekende Wgr-vorm '%(v)s'.") % {"v": fields["wgr_form"]})
    before = audit.snapshot(workspace, WORKSPACE_FIELDS)
    for key, value in fields.items():
        setattr(workspace, key, value)
    after = audit.snapshot(workspace, WORKSPACE_FIELDS)
    if before == after:
        return workspace
    with transaction.atomic():
        workspace.save()
        audit.record_change(user, workspace, AuditAction.UPDATE, workspace, before=before, after=after)
    return workspace


# --- partners ---------------------------------------------------------------


def add_partner(user, workspace, cbs_code) -> Partner:
    """Add a municipality from the current TOOI register as partner."""
    from harmonie.reference import services as reference

    _require(can_manage(user, workspace), _("Alleen de coördinator mag partners toevoegen."))
    code = reference.normalise_cbs_code(cbs_code)
    gemeente = reference.get_gemeente(code)
    if gemeente is None:
        raise BadInput(_("CBS-code '%(code)s' staat niet in het gemeenteregister (TOOI). Controleer de code, of laad het "
                         "actuele gemeenteregister (pagina Referentiedata, of 'harmonie reference load gemeenten').") % {"code": cbs_code})
    if gemeente.is_historic:
        successor = f" {_('Opvolger')}: {gemeente.successor}." if getattr(gemeente, "successor", "") else ""
        raise BadInput(_("Gemeente %(name)s (%(code)s) is opgeheven per %(date)s en kan geen partner meer zijn.")
                       % {"name": gemeente.name, "code": code, "date": gemeente.end_date} + successor)
    if workspace.partners.filter(cbs_code=code).exists():
        raise BadInput(_("%(name)s (%(code)s) is al partner in dit samenwerkingsverband.")
                       % {"name": gemeente.name, "code": code})
    with transaction.atomic():
        partner = Partner.objects.create(
            workspace=workspace, cbs_code=code, name=gemeente.name,
            tooi_uri=gemeente.tooi_uri or "", owms_uri=gemeente.owms_uri or "",
        )
        _create_deliveries(partner)
        audit.record_change(user, workspace, AuditAction.CREATE, partner,
                            after=audit.snapshot(partner, ["cbs_code", "name", "tooi_uri", "owms_uri"]))
    return partner


def add_fictional_partner(workspace, *, cbs_code, name) -> Partner:
    """Demo only: a partner that does not exist in the register."""
    partner, created = Partner.objects.get_or_create(
        workspace=workspace, cbs_code=cbs_code, defaults={"name": name, "is_fictional": True}
    )
    if created:
        _create_deliveries(partner)
    return partner


def _create_deliveries(partner):
    DeliveryStatus.objects.bulk_create(
        [DeliveryStatus(partner=partner, layer=layer.key) for layer in DELIVERY_LAYERS], ignore_conflicts=True
    )


def remove_partner(user, partner) -> None:
    workspace = partner.workspace
    _require(can_manage(user, workspace), _("Alleen de coördinator mag partners verwijderen."))
    with transaction.atomic():
        before = audit.snapshot(partner, ["cbs_code", "name", "tooi_uri", "owms_uri"])
        audit.record_change(user, workspace, AuditAction.DELETE, partner, before=before)
        partner.delete()


def set_delivery_state(user, partner, layer, state) -> DeliveryStatus:
    """Move a partner's delivery for a layer to concept, ingeleverd or vastgesteld.

    Contributors may hand in (and take back) their own partner's delivery;
    only the coördinator may set it to vastgesteld or reopen it from there.
    """
    if layer not in LAYER_KEYS or layer not in {layer.key for layer in DELIVERY_LAYERS}:
        raise BadInput(_("Veld 'laag': onbekende laag '%(l)s'.") % {"l": layer})
    if state not in DeliveryState.values:
        raise BadInput(_("Veld 'status': onbekende status '%(s)s'. Kies concept, ingeleverd of vastgesteld.")
                       % {"s": state})
    _require(can_edit_partner(user, partner), _("U mag alleen de gegevens van uw eigen gemeente wijzigen."))
    delivery, _created = DeliveryStatus.objects.get_or_create(partner=partner, layer=layer)
    if DeliveryState.VASTGESTELD in (state, delivery.state):
        _require(can_manage(user, partner.workspace), _("Alleen de coördinator mag een levering vaststellen of heropenen."))
    if delivery.state == state:
        return delivery
    before = {"layer": layer, "state": delivery.state}
    with transaction.atomic():
        delivery.state = state
        delivery.changed_by = user if user and user.is_authenticated else None
        delivery.changed_at = timezone.now()
        delivery.save()
        audit.record_change(user, partner.workspace, AuditAction.UPDATE, partner,
                            before=before, after={"layer": layer, "state": state})
    return delivery


# --- members ----------------------------------------------------------------


def invite_member(user, workspace, *, username, email="", role, partner=None):
    """Create (or reuse) an account and give it a role in this workspace.

    Harmonie sends no mail: the coördinator receives a one-time link to pass on,
    with which the invitee sets a password. Returns ``(membership, set_password_path)``;
    the path is empty for an existing account.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _require(can_manage(user, workspace), _("Alleen de coördinator mag mensen uitnodigen."))
    username = (username or "").strip()
    if not username:
        raise BadInput(_("Veld 'gebruikersnaam': vul een gebruikersnaam in."))
    if role not in Role.values:
        raise BadInput(_("Veld 'rol': kies coördinator, partnerbijdrager of lezer."))
    if role == Role.PARTNERBIJDRAGER:
        if partner is None or partner.workspace_id != workspace.pk:
            raise BadInput(_("Veld 'partner': een partnerbijdrager hoort bij precies één partner van dit samenwerkingsverband."))
    else:
        partner = None
    User = get_user_model()
    with transaction.atomic():
        account, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            account.set_unusable_password()
            account.save()
        if Membership.objects.filter(user=account, workspace=workspace).exists():
            raise BadInput(_("%(u)s heeft al een rol in dit samenwerkingsverband.") % {"u": username})
        membership = Membership.objects.create(user=account, workspace=workspace, role=role, partner=partner)
        audit.record_change(user, workspace, AuditAction.CREATE, membership,
                            after={"user": username, "role": role, "partner": partner.cbs_code if partner else None})
    link = ""
    if created:
        uid = urlsafe_base64_encode(force_bytes(account.pk))
        link = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(account)})
    return membership, link


def create_token(user) -> str:
    """An API token for the user (one per user; creating again replaces it)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user, key=secrets.token_hex(20)).key


def delivery_matrix(workspace):
    """Rows of (partner, [DeliveryStatus per delivery layer]) for the overview."""
    partners = list(workspace.partners.prefetch_related("deliveries"))
    rows = []
    for partner in partners:
        by_layer = {d.layer: d for d in partner.deliveries.all()}
        rows.append((partner, [by_layer.get(layer.key) for layer in DELIVERY_LAYERS]))
    return rows
