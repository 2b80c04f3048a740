"""factory_boy factories for core models, used by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from .models import Membership, Partner, Role, Workspace
from .services import _create_deliveries


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password("geheim-wachtwoord-123")


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Samenwerking {n}")
    slug = factory.Sequence(lambda n: f"samenwerking-{n}")
    wgr_form = "bedrijfsvoeringsorganisatie"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    # Fictional codes GM9000-GM9999, wrapping: the column holds 6 characters (PostgreSQL enforces it).
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    is_fictional = True

    @factory.post_generation
    def deliveries(obj, create, extracted, **kwargs):
        if create:
            _create_deliveries(obj)


def make_role_users(workspace):
    """Users for every role, for permission tests.

    Keys: beheerder, coordinator, bijdrager (of partner ``own``), bijdrager_ander
    (of another partner), lezer, buitenstaander (member of another workspace),
    plus the partners ``own`` and ``other``.
    """
    own = PartnerFactory(workspace=workspace)
    other = PartnerFactory(workspace=workspace)
    elsewhere = WorkspaceFactory()
    users = {
        "beheerder": UserFactory(username="beheerder", is_superuser=True, is_staff=True),
        "coordinator": UserFactory(username=f"coord-{workspace.slug}"),
        "bijdrager": UserFactory(username=f"bijdr-{workspace.slug}"),
        "bijdrager_ander": UserFactory(username=f"bijdr2-{workspace.slug}"),
        "lezer": UserFactory(username=f"lezer-{workspace.slug}"),
        "buitenstaander": UserFactory(username=f"buiten-{workspace.slug}"),
    }
    Membership.objects.create(user=users["coordinator"], workspace=workspace, role=Role.COORDINATOR)
    Membership.objects.create(user=users["bijdrager"], workspace=workspace, role=Role.PARTNERBIJDRAGER, partner=own)
    Membership.objects.create(user=users["bijdrager_ander"], workspace=workspace, role=Role.PARTNERBIJDRAGER,
                              partner=other)
    Membership.objects.create(user=users["lezer"], workspace=workspace, role=Role.LEZER)
    Membership.objects.create(user=users["buitenstaander"], workspace=elsewhere, role=Role.COORDINATOR)
    users["own"] = own
    users["other"] = other
    users["elsewhere"] = elsewhere
    return users
