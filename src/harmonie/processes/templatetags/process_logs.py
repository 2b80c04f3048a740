"""Template filters for the event-log pages: Dutch numbers, shares and durations."""

from django import template

from ..analysis.dfg_layout import duration as _duration
from ..analysis.dfg_layout import dutch_number

register = template.Library()


@register.filter
def hours(value):
    """Hours → ``45 min`` / ``3,5 u`` / ``2,1 d``."""
    try:
        return _duration(None if value is None else float(value))
    except (TypeError, ValueError):
        return "–"


@register.filter
def days(value):
    try:
        return "–" if value is None else f"{dutch_number(float(value))} d"
    except (TypeError, ValueError):
        return "–"


@register.filter
def percent(value, digits=0):
    """A share 0..1 → ``42%`` (Dutch decimal comma)."""
    try:
        return "–" if value is None else f"{dutch_number(float(value) * 100, int(digits))}%"
    except (TypeError, ValueError):
        return "–"


@register.filter
def share(value):
    """A share 0..1 → ``0,42``."""
    try:
        return "–" if value is None else dutch_number(float(value), 2)
    except (TypeError, ValueError):
        return "–"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def arrow(key):
    """An edge key ``(a, b)`` → ``a → b``; other keys as they are."""
    if isinstance(key, (tuple, list)) and len(key) == 2:
        return f"{key[0]} → {key[1]}"
    return key


def with_label(code, labels) -> str:
    """``code — naam`` when a display label is known for the code (``EventLog.stats["labels"]``)."""
    try:
        name = (labels or {}).get(code)
    except AttributeError:
        name = None
    return f"{code} — {name}" if name and name != code else str(code)


@register.filter
def label(code, labels):
    """An activity code with its display label: ``01_HOOFD_010 — registratie datum publicatie``."""
    return with_label(code, labels)


@register.filter
def arrow_label(key, labels):
    """An edge key ``(a, b)`` with display labels on both sides."""
    if isinstance(key, (tuple, list)) and len(key) == 2:
        return f"{with_label(key[0], labels)} → {with_label(key[1], labels)}"
    return with_label(key, labels)
