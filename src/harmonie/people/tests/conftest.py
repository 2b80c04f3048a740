import datetime

import pytest


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """Rate-limit counters in a private in-memory cache (other test runs share the file cache)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "people-tests"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey_world(db):
    """A workspace with two partners, a coördinator and an open survey round."""
    from django.utils import timezone

    from harmonie.core.factories import PartnerFactory, UserFactory, WorkspaceFactory
    from harmonie.core.models import Membership, Role
    from harmonie.people import services

    workspace = WorkspaceFactory()
    a = PartnerFactory(workspace=workspace, name="Aadorp", cbs_code="GM9801")
    b = PartnerFactory(workspace=workspace, name="Beekveld", cbs_code="GM9802")
    coordinator = UserFactory(username=f"coord-people-{workspace.slug}")
    Membership.objects.create(user=coordinator, workspace=workspace, role=Role.COORDINATOR)
    today = timezone.localdate()
    survey = services.create_survey(coordinator, workspace, title="Ronde 1", opens_on=today - datetime.timedelta(days=1),
                                    closes_on=today + datetime.timedelta(days=14))
    return {"workspace": workspace, "a": a, "b": b, "coordinator": coordinator, "survey": survey}
