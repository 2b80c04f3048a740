"""Dates as partners write them: ISO (2026-12-31) or Dutch (31-12-2026, 31/12/2026, 31.12.2026)."""

from __future__ import annotations

import re
from datetime import date, datetime

ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class DateError(ValueError):
    """The text is not a date in a form we accept."""


def parse_date(value) -> date | None:
    """``None`` for empty; a ``date`` for ISO or Dutch text (or a date/datetime); ``DateError`` otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = DUTCH.match(text)
        if not match:
            raise DateError(f"'{text}' is geen datum; gebruik 2026-12-31 of 31-12-2026")
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateError(f"'{text}' is geen bestaande datum") from exc
