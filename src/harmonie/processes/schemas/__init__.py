"""The Catalogi API component schemas Harmonie checks its Open Zaak export against.

``catalogi-api-1.0.0.json`` is a compact excerpt (required fields, types, enums, lengths) of the official
specification, version 1.0.0, with the ZaakType fields that version 1.3.1 makes required for writing
(``identificatie``, ``verantwoordelijke``); sources and commits in its ``$comment``. ``validate(resource, obj)`` returns Dutch problems, one per
violation, empty when the object is valid. Pure Python (``jsonschema``), no Django.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

SCHEMA_FILE = Path(__file__).with_name("catalogi-api-1.0.0.json")
RESOURCES = ("Catalogus", "ZaakType", "StatusType", "ResultaatType", "RolType", "Eigenschap",
             "InformatieObjectType", "BesluitType", "ZaakTypeInformatieObjectType")

# ISO 8601 duration as the Catalogi API (Django's DurationField / isodate) accepts it: P1Y2M3DT4H5M6S, P6W.
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _format_checker():
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("duration")
    def _duration(value):
        return not isinstance(value, str) or bool(DURATION.match(value))

    @checker.checks("date")
    def _date(value):
        if not isinstance(value, str):
            return True
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10

    @checker.checks("uri")
    def _uri(value):
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    return checker


@lru_cache(maxsize=None)
def _validator(resource: str):
    from jsonschema import Draft7Validator

    if resource not in RESOURCES:
        raise KeyError(resource)
    full = {**schema(), "$ref": f"#/definitions/{resource}"}
    return Draft7Validator(full, format_checker=_format_checker())


def validate(resource: str, obj) -> list[str]:
    """Dutch problems of ``obj`` against the ``resource`` schema (empty list: valid)."""
    problems = []
    for error in sorted(_validator(resource).iter_errors(obj), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(p) for p in error.absolute_path) or "(object)"
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            problems.append(f"{resource}: verplicht veld '{missing}' ontbreekt")
        elif error.validator == "enum":
            problems.append(f"{resource}.{where}: waarde {error.instance!r} is niet toegestaan "
                            f"(kies uit {', '.join(map(str, error.validator_value))})")
        elif error.validator == "format":
            problems.append(f"{resource}.{where}: {error.instance!r} is geen geldige {error.validator_value}")
        else:
            problems.append(f"{resource}.{where}: {error.message}")
    return problems
