"""The demo samenwerkingsverband: fictional municipalities and data.

``build_demo()`` creates or refreshes the workspace with slug ``demo``. Each
layer app adds its own fictional data through ``DEMO_BUILDERS`` (one explicit
registry), so the demo grows with every layer without this module knowing
their models.
"""

from dataclasses import dataclass
from typing import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from harmonie.core import services
from harmonie.core.models import DeliveryState, DeliveryStatus, Membership, Role, Workspace

DEMO_SLUG = "demo"
DEMO_PASSWORD = "harmonie-demo"

# Fictional municipalities: codes in the GM99xx range, which CBS never issued.
DEMO_PARTNERS = [
    ("GM9901", "Lindeveen"),
    ("GM9902", "Brakelburg"),
    ("GM9903", "Oosterwaarde"),
    ("GM9904", "Heidemeer"),
]

DEMO_BUILDERS: list[Callable] = []


def register_demo_builder(fn):
    DEMO_BUILDERS.append(fn)
    return fn


@dataclass
class DemoResult:
    workspace: Workspace
    logins: list[tuple[str, str, str]]  # (username, password, role description)


def _user(username, **extra):
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username, defaults=extra)
    user.set_password(DEMO_PASSWORD)
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    return user


@transaction.atomic
def build_demo() -> DemoResult:
    try:
        from harmonie.reference.services import ensure_excerpt_loaded
    except ImportError:  # reference app not installed
        ensure_excerpt_loaded = None
    if ensure_excerpt_loaded is not None:
        ensure_excerpt_loaded()

    coordinator = _user("coordinator", first_name="Carla", last_name="Coördinator", email="coordinator@example.invalid")
    workspace, _created = Workspace.objects.update_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Demo: I&A-samenwerking Veenland",
            "wgr_form": "bedrijfsvoeringsorganisatie",
            "vision": (
                "Vier gemeenten in het fictieve Veenland werken samen aan informatievoorziening en IT. "
                "Samen willen we dezelfde producten en diensten op dezelfde manier aanbieden, vanuit een "
                "gedeelde visie op goede informatiehuishouding. IT volgt de harmonisatie van producten en "
                "processen, en niet andersom."
            ),
            "goals": (
                "1. Eén productcatalogus op basis van de UPL in 2027.\n"
                "2. Geharmoniseerde vergunningsprocessen met ruimte voor lokale varianten.\n"
                "3. Gezamenlijke aansturing met eenduidige KPI's.\n"
                "4. Applicaties pas consolideren als processen geharmoniseerd zijn."
            ),
        },
    )
    Membership.objects.update_or_create(user=coordinator, workspace=workspace,
                                        defaults={"role": Role.COORDINATOR, "partner": None})
    logins = [("coordinator", DEMO_PASSWORD, "coördinator van het demo-samenwerkingsverband")]

    partners = [services.add_fictional_partner(workspace, cbs_code=code, name=name) for code, name in DEMO_PARTNERS]
    for partner in partners:
        username = f"bijdrager-{partner.name.lower()}"
        user = _user(username, first_name="Bijdrager", last_name=partner.name)
        Membership.objects.update_or_create(user=user, workspace=workspace,
                                            defaults={"role": Role.PARTNERBIJDRAGER, "partner": partner})
    logins.append(("bijdrager-lindeveen", DEMO_PASSWORD, "partnerbijdrager van Lindeveen"))
    reader = _user("bestuurder", first_name="Bert", last_name="Bestuurder")
    Membership.objects.update_or_create(user=reader, workspace=workspace, defaults={"role": Role.LEZER, "partner": None})
    logins.append(("bestuurder", DEMO_PASSWORD, "lezer / bestuurder"))

    # A realistic spread of delivery states: the first partners are further along.
    states = [DeliveryState.VASTGESTELD, DeliveryState.INGELEVERD, DeliveryState.CONCEPT]
    now = timezone.now()
    for index, partner in enumerate(partners):
        for position, delivery in enumerate(DeliveryStatus.objects.filter(partner=partner).order_by("layer")):
            state = states[min(2, (index + position) // 2)]
            if delivery.state != state:
                delivery.state = state
                delivery.changed_by = coordinator if state == DeliveryState.VASTGESTELD else None
                delivery.changed_at = now
                delivery.save()

    for builder in DEMO_BUILDERS:
        builder(workspace, partners)
    return DemoResult(workspace=workspace, logins=logins)
