"""The roadmap as a Gantt chart in server-side SVG (no script, no style attributes).

Accessible: ``role="img"`` with ``<title>`` and ``<desc>`` (the page and the report also give the
same data as a table). Per initiative: the planned bar (colour per layer), the proposed bar as a
dashed outline when the proposal moves it, and a red border plus "!" where the plan violates
"IT follows the business".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

LAYER_COLOURS = {
    "visie": "#5b3f8c", "producten": "#1c6b48", "werkprocessen": "#1c4181", "aansturing": "#7a4f00",
    "cultuur": "#a3336b", "applicaties": "#4d4d4d",
}
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@dataclass
class GanttRow:
    title: str
    layer: str
    start: date | None
    end: date | None
    proposed_start: date | None = None
    proposed_end: date | None = None
    violation: str = ""  # text; empty = none


def _quarters(first: date, last: date):
    day = date(first.year, 1 + 3 * ((first.month - 1) // 3), 1)
    while day <= last:
        yield day
        month = day.month + 3
        day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def gantt_svg(rows: list[GanttRow], *, title: str, desc: str, width: int = 900, label_width: int = 270,
              today: date | None = None, id_prefix: str = "gantt") -> str:
    dates = [d for r in rows for d in (r.start, r.end, r.proposed_start, r.proposed_end) if d]
    if not dates:
        dates = [today or date.today()]
    first, last = min(dates), max(dates)
    first = date(first.year, 1 + 3 * ((first.month - 1) // 3), 1)
    last_q = list(_quarters(last, last))[0]
    month = last_q.month + 3
    last = date(last_q.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    span = max((last - first).days, 1)
    chart_w = width - label_width - 10
    row_h, header_h = 30, 40
    chart_bottom = header_h + row_h * len(rows)
    height = chart_bottom + 44

    def x(day: date) -> float:
        return round(label_width + chart_w * (day - first).days / span, 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="diagnosis-gantt" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
           f'font-family="Noto Sans, Liberation Sans, DejaVu Sans, sans-serif" font-size="12">',
           f'<title id="{id_prefix}-title">{escape(title)}</title>',
           f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    # row stripes first, so the quarter grid and the "today" line stay visible on every row
    for i in range(0, len(rows), 2):
        out.append(f'<rect x="0" y="{header_h + i * row_h}" width="{width}" height="{row_h}" fill="#f5f5f5"/>')
    quarters = [q for q in _quarters(first, last) if q < last]
    quarter_w = chart_w / max(len(quarters), 1)
    for q in quarters:
        qx = x(q)
        out.append(f'<line x1="{qx}" y1="{header_h - 4}" x2="{qx}" y2="{chart_bottom}" '
                   f'stroke="{"#9e9e9e" if q.month == 1 else "#dddddd"}"/>')
        if q.month == 1 or q == first:
            out.append(f'<text x="{qx + 3}" y="14" fill="#1a1a1a" font-weight="bold">{q.year}</text>')
        if quarter_w >= 34:
            out.append(f'<text x="{qx + 3}" y="{header_h - 10}" fill="#4d4d4d" font-size="10">'
                       f'{MONTHS[q.month - 1]}</text>')
    if today and first <= today <= last:
        tx = x(today)
        out.append(f'<line x1="{tx}" y1="{header_h - 4}" x2="{tx}" y2="{chart_bottom + 4}" stroke="#c00000" '
                   f'stroke-dasharray="2 3"/>')
        out.append(f'<text x="{tx}" y="{chart_bottom + 15}" fill="#c00000" font-size="10" '
                   f'text-anchor="middle">vandaag</text>')
    for i, row in enumerate(rows):
        y = header_h + i * row_h
        label = row.title if len(row.title) <= 38 else row.title[:36] + "…"
        colour = LAYER_COLOURS.get(row.layer, "#333333")
        out.append(f'<rect x="6" y="{y + 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="22" y="{y + 19}" fill="#1a1a1a">{escape(label)}</text>')
        if row.start and row.end:
            bx, bw = x(row.start), max(x(row.end) - x(row.start), 3)
            stroke = ' stroke="#c00000" stroke-width="3"' if row.violation else ""
            out.append(f'<rect x="{bx}" y="{y + 6}" width="{bw}" height="12" rx="2" fill="{colour}"{stroke}>'
                       f'<title>{escape(row.title)}: {row.start:%d-%m-%Y} – {row.end:%d-%m-%Y}'
                       f'{escape(" · " + row.violation) if row.violation else ""}</title></rect>')
            if row.violation:
                out.append(f'<text x="{bx + bw + 4}" y="{y + 17}" fill="#c00000" font-weight="bold">!</text>')
        if row.proposed_start and row.proposed_end and (row.proposed_start, row.proposed_end) != (row.start, row.end):
            px, pw = x(row.proposed_start), max(x(row.proposed_end) - x(row.proposed_start), 3)
            out.append(f'<rect x="{px}" y="{y + 20}" width="{pw}" height="7" rx="2" fill="#ffffff" '
                       f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 2">'
                       f'<title>voorstel: {row.proposed_start:%d-%m-%Y} – {row.proposed_end:%d-%m-%Y}</title></rect>')
    ly = height - 6
    out.append(f'<rect x="{label_width}" y="{ly - 9}" width="22" height="10" fill="#4d4d4d"/>'
               f'<text x="{label_width + 28}" y="{ly}" fill="#1a1a1a">huidige planning</text>'
               f'<rect x="{label_width + 150}" y="{ly - 7}" width="22" height="7" fill="#ffffff" stroke="#4d4d4d" '
               f'stroke-dasharray="4 2"/><text x="{label_width + 178}" y="{ly}" fill="#1a1a1a">voorstel</text>'
               f'<rect x="{label_width + 250}" y="{ly - 9}" width="22" height="10" fill="#4d4d4d" stroke="#c00000" '
               f'stroke-width="3"/><text x="{label_width + 278}" y="{ly}" fill="#1a1a1a">! IT gaat vóór de business '
               f'uit</text>')
    out.append("</svg>")
    return "".join(out)
