"""Web test fixtures: a small fake gemeenteregister, so the web tests do not
depend on the reference app's data loading (its own tests cover that)."""

import sys
import types
from dataclasses import dataclass
from datetime import date

import pytest


@dataclass
class FakeGemeente:
    cbs_code: str
    name: str
    is_historic: bool = False
    end_date: date | None = None
    successor: str = ""
    tooi_uri: str = ""
    owms_uri: str = ""


GEMEENTEN = [
    FakeGemeente("GM0546", "Leiden", tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm0546"),
    FakeGemeente("GM0547", "Leiderdorp"),
    FakeGemeente("GM0638", "Zoeterwoude"),
    FakeGemeente("GM0579", "Oegstgeest"),
    FakeGemeente("GM0575", "Noordwijk"),
    FakeGemeente("GM0576", "Noordwijkerhout", is_historic=True, end_date=date(2019, 1, 1), successor="Noordwijk"),
]


def normalise_cbs_code(value):
    value = (value or "").strip().upper()
    if value.startswith("GM"):
        value = value[2:]
    return f"GM{value.zfill(4)}" if value.isdigit() else value


def get_gemeente(code):
    return next((g for g in GEMEENTEN if g.cbs_code == normalise_cbs_code(code)), None)


def search_gemeenten(query, limit=20, include_historic=True):
    q = query.strip().lower()
    hits = [g for g in GEMEENTEN if q in g.name.lower() or q in g.cbs_code.lower()]
    if not include_historic:
        hits = [g for g in hits if not g.is_historic]
    return hits[:limit]


@pytest.fixture
def fake_register(monkeypatch):
    """Patch the reference services (or provide them, while that app is in progress)."""
    import harmonie.reference as package

    try:
        from harmonie.reference import services as module
    except ImportError:
        module = types.ModuleType("harmonie.reference.services")
        monkeypatch.setitem(sys.modules, "harmonie.reference.services", module)
        monkeypatch.setattr(package, "services", module, raising=False)
    for name, fn in [("normalise_cbs_code", normalise_cbs_code), ("get_gemeente", get_gemeente),
                     ("search_gemeenten", search_gemeenten), ("ensure_excerpt_loaded", lambda kinds=None: [])]:
        monkeypatch.setattr(module, name, fn, raising=False)
    return GEMEENTEN


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; the web tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
