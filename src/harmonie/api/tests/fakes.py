"""A stand-in for ``harmonie.reference.services`` in API tests.

The API tests check the API, not the register: they replace the four reference
functions the API and ``core.services.add_partner`` call with a tiny fixed
register. Works whether or not the real module exists yet.
"""

import datetime
import importlib
import sys
import types
from dataclasses import dataclass


@dataclass
class FakeGemeente:
    cbs_code: str
    name: str
    tooi_uri: str = ""
    owms_uri: str = ""
    is_historic: bool = False
    end_date: datetime.date | None = None
    successor: str = ""


GEMEENTEN = [
    FakeGemeente("GM0363", "Amsterdam", "https://identifier.overheid.nl/tooi/id/gemeente/gm0363",
                 "http://standaarden.overheid.nl/owms/terms/Amsterdam"),
    FakeGemeente("GM0344", "Utrecht", "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"),
    FakeGemeente("GM0310", "De Bilt", "https://identifier.overheid.nl/tooi/id/gemeente/gm0310"),
    FakeGemeente("GM0351", "Woudenberg"),
    FakeGemeente("GM0012", "Bedum", is_historic=True, end_date=datetime.date(2019, 1, 1),
                 successor="Het Hogeland (GM1966)"),
]


@dataclass
class FakeVersion:
    kind: str
    number: int
    source: str
    loaded_at: datetime.datetime
    is_current: bool
    item_count: int
    source_format: str = ""
    is_excerpt: bool = False
    added: int = 0
    changed: int = 0
    removed: int = 0


VERSIONS = [
    FakeVersion("gemeenten", 1, "tooi-gemeenten.json",
                datetime.datetime(2026, 1, 2, 10, 0, tzinfo=datetime.timezone.utc), True, 342),
    FakeVersion("upl", 3, "upl.csv",
                datetime.datetime(2026, 1, 3, 10, 0, tzinfo=datetime.timezone.utc), True, 900, "csv"),
]


def normalise_cbs_code(value):
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return f"GM{int(digits):04d}" if digits else str(value).strip().upper()


def get_gemeente(code):
    return next((g for g in GEMEENTEN if g.cbs_code == code), None)


def search_gemeenten(query, limit=20, include_historic=True):
    query = (query or "").lower()
    hits = [g for g in GEMEENTEN if (include_historic or not g.is_historic)
            and (query in g.name.lower() or query in g.cbs_code.lower())]
    return hits[:limit]


def list_versions(kind=None):
    if kind not in (None, "gemeenten", "upl", "gemma", "selectielijst"):
        from harmonie.core.errors import BadInput

        raise BadInput(f"Onbekende soort referentiedata '{kind}'.")
    return [v for v in VERSIONS if kind in (None, v.kind)]


FUNCTIONS = {
    "normalise_cbs_code": normalise_cbs_code,
    "get_gemeente": get_gemeente,
    "search_gemeenten": search_gemeenten,
    "list_versions": list_versions,
}


def install(monkeypatch, *, only_missing=False):
    """Put the fake functions on ``harmonie.reference.services`` (creating the module if absent).

    ``only_missing``: keep the real functions that exist (the permission matrix
    uses the real register when it is there).
    """
    import harmonie.reference as package

    try:
        module = importlib.import_module("harmonie.reference.services")
    except ModuleNotFoundError:
        module = types.ModuleType("harmonie.reference.services")
        monkeypatch.setitem(sys.modules, "harmonie.reference.services", module)
        monkeypatch.setattr(package, "services", module, raising=False)
    for name, function in FUNCTIONS.items():
        if only_missing and hasattr(module, name):
            continue
        monkeypatch.setattr(module, name, function, raising=False)
    return module
