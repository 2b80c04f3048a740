"""Who may do what in a workspace. Deny is the default.

Roles: beheerder (superuser, everything), coördinator (everything within her
workspace), partnerbijdrager (read the workspace, change only the own
partner's data), lezer (read only). Anyone without a membership sees nothing
of a workspace, not even that it exists.
"""

from .models import Membership, Role

BEHEERDER = "beheerder"


def role_in(user, workspace) -> str | None:
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return BEHEERDER
    membership = _membership(user, workspace)
    return membership.role if membership else None


def _membership(user, workspace):
    cache = getattr(user, "_harmonie_memberships", None)
    if cache is None:
        cache = {m.workspace_id: m for m in Membership.objects.filter(user=user)}
        user._harmonie_memberships = cache
    return cache.get(workspace.pk)


def can_view(user, workspace) -> bool:
    return role_in(user, workspace) is not None


def can_manage(user, workspace) -> bool:
    """Coördinator-level rights: partners, members, decisions, imports for anyone."""
    return role_in(user, workspace) in (BEHEERDER, Role.COORDINATOR)


def can_edit_partner(user, partner) -> bool:
    role = role_in(user, partner.workspace)
    if role in (BEHEERDER, Role.COORDINATOR):
        return True
    if role == Role.PARTNERBIJDRAGER:
        return _membership(user, partner.workspace).partner_id == partner.pk
    return False


def can_view_audit(user, workspace) -> bool:
    return can_manage(user, workspace)


def visible_workspaces(user):
    from .models import Workspace

    if not user or not user.is_authenticated:
        return Workspace.objects.none()
    if user.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=user).distinct()


def can_load_reference(user) -> bool:
    """Reference lists are installation-wide: beheerders and coördinatoren may load them.

    Loading never destroys anything: a changed list becomes a new version and
    the old versions stay, so earlier analyses remain explainable.
    """
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()
