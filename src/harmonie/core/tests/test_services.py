import pytest

from harmonie.core import services
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.factories import PartnerFactory, UserFactory
from harmonie.core.models import AuditAction, AuditEntry, DeliveryState, DeliveryStatus, Membership, Role, Workspace
from harmonie.core.layers import DELIVERY_LAYERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def excerpt():
    from harmonie.reference.services import ensure_excerpt_loaded

    ensure_excerpt_loaded()


def test_create_workspace_makes_creator_coordinator_and_audits():
    user = UserFactory()
    ws = services.create_workspace(user, name="Drechtsteden I&A", wgr_form="openbaar_lichaam", vision="Samen sterk")
    assert ws.slug == "drechtsteden-ia"
    assert Membership.objects.get(user=user, workspace=ws).role == Role.COORDINATOR
    entry = AuditEntry.objects.get(workspace=ws)
    assert entry.action == AuditAction.CREATE and entry.after["name"] == "Drechtsteden I&A"
    assert entry.user == user


def test_duplicate_slug_is_refused_in_dutch_and_nothing_written():
    user = UserFactory()
    services.create_workspace(user, name="Servicepunt", slug="sp71")
    with pytest.raises(BadInput, match="korte naam 'sp71'"):
        services.create_workspace(user, name="Iets anders", slug="sp71")
    assert Workspace.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_unknown_wgr_form_and_empty_name_are_refused():
    user = UserFactory()
    with pytest.raises(BadInput, match="Wgr-vorm"):
        services.create_workspace(user, name="X", wgr_form="vereniging")
    with pytest.raises(BadInput, match="naam"):
        services.create_workspace(user, name="  ")


def test_update_workspace_audits_before_and_after(role_users, workspace):
    services.update_workspace(role_users["coordinator"], workspace, vision="Nieuwe visie")
    entry = AuditEntry.objects.filter(workspace=workspace, action=AuditAction.UPDATE).get()
    assert entry.before["vision"] == "" and entry.after["vision"] == "Nieuwe visie"
    # An unchanged save writes no audit entry.
    services.update_workspace(role_users["coordinator"], workspace, vision="Nieuwe visie")
    assert AuditEntry.objects.filter(workspace=workspace, action=AuditAction.UPDATE).count() == 1


@pytest.mark.parametrize("role", ["lezer", "bijdrager", "buitenstaander"])
def test_only_managers_update_workspace(role_users, workspace, role):
    with pytest.raises(NotAllowed):
        services.update_workspace(role_users[role], workspace, vision="x")


def test_add_partner_from_register(excerpt, role_users, workspace):
    partner = services.add_partner(role_users["coordinator"], workspace, "505")
    assert partner.cbs_code == "GM0505" and partner.name == "Dordrecht"
    assert partner.tooi_uri.startswith("https://identifier.overheid.nl/tooi/id/gemeente/gm0505")
    assert DeliveryStatus.objects.filter(partner=partner).count() == len(DELIVERY_LAYERS)
    assert AuditEntry.objects.filter(workspace=workspace, object_type="core.partner", action="create").exists()


def test_add_partner_refuses_duplicate_unknown_and_malformed(excerpt, role_users, workspace):
    coordinator = role_users["coordinator"]
    services.add_partner(coordinator, workspace, "GM0505")
    with pytest.raises(BadInput, match="al partner"):
        services.add_partner(coordinator, workspace, "gm0505")
    with pytest.raises(BadInput, match="niet in het gemeenteregister"):
        services.add_partner(coordinator, workspace, "GM0001")
    with pytest.raises(BadInput):
        services.add_partner(coordinator, workspace, "Dordrecht!")
    assert workspace.partners.filter(cbs_code="GM0505").count() == 1


def test_add_partner_refuses_historic_municipality(excerpt, role_users, workspace):
    from harmonie.reference.models import Gemeente

    historic = Gemeente.objects.filter(end_date__isnull=False).first()
    assert historic is not None, "het excerpt bevat opgeheven gemeenten"
    with pytest.raises(BadInput, match="opgeheven"):
        services.add_partner(role_users["coordinator"], workspace, historic.cbs_code)


def test_contributor_changes_only_own_partner(role_users):
    own, other = role_users["own"], role_users["other"]
    bijdrager = role_users["bijdrager"]
    services.set_delivery_state(bijdrager, own, "producten", DeliveryState.INGELEVERD)
    assert DeliveryStatus.objects.get(partner=own, layer="producten").state == DeliveryState.INGELEVERD
    with pytest.raises(NotAllowed):
        services.set_delivery_state(bijdrager, other, "producten", DeliveryState.INGELEVERD)
    with pytest.raises(NotAllowed, match="coördinator"):
        services.set_delivery_state(bijdrager, own, "producten", DeliveryState.VASTGESTELD)
    services.set_delivery_state(role_users["coordinator"], own, "producten", DeliveryState.VASTGESTELD)
    delivery = DeliveryStatus.objects.get(partner=own, layer="producten")
    assert delivery.state == DeliveryState.VASTGESTELD and delivery.changed_by == role_users["coordinator"]
    with pytest.raises(NotAllowed):  # reopening a vastgestelde delivery is the coördinator's call
        services.set_delivery_state(bijdrager, own, "producten", DeliveryState.CONCEPT)


def test_delivery_state_validation(role_users):
    with pytest.raises(BadInput, match="laag"):
        services.set_delivery_state(role_users["coordinator"], role_users["own"], "diagnose", "ingeleverd")
    with pytest.raises(BadInput, match="status"):
        services.set_delivery_state(role_users["coordinator"], role_users["own"], "producten", "klaar")


def test_invite_member_gives_one_time_link_and_binds_contributor(role_users, workspace):
    membership, link = services.invite_member(role_users["coordinator"], workspace, username="ivo",
                                              role=Role.PARTNERBIJDRAGER, partner=role_users["own"])
    assert membership.partner == role_users["own"] and link.startswith("/wachtwoord/")
    assert not membership.user.has_usable_password()
    with pytest.raises(BadInput, match="partner"):
        services.invite_member(role_users["coordinator"], workspace, username="jan", role=Role.PARTNERBIJDRAGER)
    foreign = PartnerFactory()  # a partner of another workspace
    with pytest.raises(BadInput):
        services.invite_member(role_users["coordinator"], workspace, username="jan", role=Role.PARTNERBIJDRAGER,
                               partner=foreign)
    with pytest.raises(NotAllowed):
        services.invite_member(role_users["lezer"], workspace, username="kees", role=Role.LEZER)


def test_remove_partner_keeps_audit_trail(role_users, workspace):
    other = role_users["other"]
    services.remove_partner(role_users["coordinator"], other)
    entry = AuditEntry.objects.get(workspace=workspace, action=AuditAction.DELETE)
    assert entry.before["cbs_code"] == other.cbs_code


def test_demo_is_idempotent():
    from harmonie.core.demo import build_demo

    first = build_demo()
    second = build_demo()
    assert first.workspace.pk == second.workspace.pk
    assert second.workspace.partners.count() == 4
    assert all(p.is_fictional for p in second.workspace.partners.all())
    assert Membership.objects.filter(workspace=second.workspace).count() == 6
