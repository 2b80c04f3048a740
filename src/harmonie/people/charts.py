"""Server-side SVG charts (no script, no inline style: presentation attributes only, so the
strict CSP holds and the charts also work in the PDF board report)."""

import itertools
import math
from html import escape

from django.utils.safestring import mark_safe

from .instruments import CULTURE_TYPE_LABELS

# Competing-values layout: clan top left, adhocracy top right, market bottom right,
# hierarchy bottom left.
DIRECTIONS = {"clan": (-1, -1), "adhocratie": (1, -1), "markt": (1, 1), "hierarchie": (-1, 1)}
NOW_COLOUR = "#1d5fa8"
_IDS = itertools.count(1)  # unique ids for <title>/<desc> when several kites share a page
PREFERRED_COLOUR = "#b8460b"


def _fmt(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def kite_svg(culture: dict, *, title: str = "Cultuurprofiel", size: int = 320) -> str:
    """A kite (radar with four diagonal axes) of the culture profile, now versus preferred."""
    values = [culture["now"][k] for k in DIRECTIONS] + [culture["preferred"][k] for k in DIRECTIONS]
    top = max(50, int(math.ceil(max(values) / 10.0)) * 10)
    centre = size / 2
    radius = size / 2 - 58

    def point(type_key, value):
        dx, dy = DIRECTIONS[type_key]
        r = radius * value / top
        return centre + dx * r / math.sqrt(2), centre + dy * r / math.sqrt(2)

    def polygon(perspective):
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(k, culture[perspective][k]) for k in DIRECTIONS))

    desc = "; ".join(f"{CULTURE_TYPE_LABELS[k]}: nu {_fmt(culture['now'][k])}, gewenst "
                     f"{_fmt(culture['preferred'][k])} punten" for k in DIRECTIONS)
    uid = next(_IDS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30}" width="{size}" '
        f'height="{size + 30}" role="img" aria-labelledby="kite-t-{uid} kite-d-{uid}" class="people-kite">',
        f'<title id="kite-t-{uid}">{escape(title)}</title>',
        f'<desc id="kite-d-{uid}">{escape(desc)}</desc>',
    ]
    for level in range(10, top + 1, 10):
        half = radius * level / top / math.sqrt(2)
        parts.append(f'<rect x="{centre - half:.1f}" y="{centre - half:.1f}" width="{2 * half:.1f}" '
                     f'height="{2 * half:.1f}" fill="none" stroke="#c8c8c8" stroke-width="1"/>')
    for key in DIRECTIONS:
        x, y = point(key, top)
        parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#8a8a8a" '
                     f'stroke-width="1"/>')
        lx, ly = point(key, top * 1.08)
        anchor = "end" if DIRECTIONS[key][0] < 0 else "start"
        baseline = -4 if DIRECTIONS[key][1] < 0 else 14
        parts.append(f'<text x="{lx:.1f}" y="{ly + baseline:.1f}" text-anchor="{anchor}" font-size="12" '
                     f'fill="#222">{escape(CULTURE_TYPE_LABELS[key].split(" ")[0])}</text>')
    parts.append(f'<text x="{centre + 3:.1f}" y="{centre - 3:.1f}" font-size="9" fill="#666">0</text>')
    parts.append(f'<text x="{centre + 3:.1f}" y="{point("adhocratie", top)[1] + 10:.1f}" font-size="9" '
                 f'fill="#666">{top}</text>')
    parts.append(f'<polygon points="{polygon("now")}" fill="{NOW_COLOUR}" fill-opacity="0.18" '
                 f'stroke="{NOW_COLOUR}" stroke-width="2.5"/>')
    parts.append(f'<polygon points="{polygon("preferred")}" fill="none" stroke="{PREFERRED_COLOUR}" '
                 f'stroke-width="2.5" stroke-dasharray="7 4"/>')
    legend_y = size + 14
    parts.append(f'<line x1="20" y1="{legend_y}" x2="48" y2="{legend_y}" stroke="{NOW_COLOUR}" stroke-width="3"/>')
    parts.append(f'<text x="54" y="{legend_y + 4}" font-size="12" fill="#222">nu</text>')
    parts.append(f'<line x1="110" y1="{legend_y}" x2="138" y2="{legend_y}" stroke="{PREFERRED_COLOUR}" '
                 f'stroke-width="3" stroke-dasharray="7 4"/>')
    parts.append(f'<text x="144" y="{legend_y + 4}" font-size="12" fill="#222">gewenst</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
