"""Shared presentation of a diagnosis and a roadmap: rows for the web pages and the board report."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html_join

from . import charts
from .analysis.gantt import LAYER_COLOURS, GanttRow, gantt_svg
from .analysis.index import INDEX_LAYERS, LAYER_LABELS
from .analysis.rules import RULES, THRESHOLD_HELP
from .models import ROADMAP_LAYERS, ImplementationStatus

ROADMAP_LABELS = {key: str(label) for key, label in ROADMAP_LAYERS}
LESSONS = {
    "L1": "Harmonisatie maakt alleen kans als de samenwerking ook de informatiehuishouding betreft, geïnitieerd "
          "vanuit een behoefte van het bestuur en het primaire proces.",
    "L2": "Harmonisatie wordt alleen bereikt als de medewerkers de urgentie om samen te werken zelf voelen.",
    "L3": "IT mag niet het breekijzer zijn: harmonisatie van processen afdwingen vanuit IT werkt niet en is "
          "zelfs contraproductief.",
}
STATUS_LABELS = dict(ImplementationStatus.choices)


def pct(value):
    return None if value is None else round(100 * value)


def level(value) -> str:
    """The verbal judgement of an index value, as shown (two decimals), so 0,60 always reads the same."""
    if value is None:
        return "geen gegevens"
    value = round(value, 2)
    if value >= 0.8:
        return "ver geharmoniseerd"
    if value >= 0.6:
        return "deels geharmoniseerd"
    if value >= 0.4:
        return "uiteenlopend"
    return "sterk uiteenlopend"


def fmt(value) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def index_rows(diagnosis) -> list[dict]:
    rows = []
    impl_layers = diagnosis.implementation["layers"]
    from .analysis.index import CORE_KEY

    for layer in INDEX_LAYERS:
        measure = diagnosis.measures.get(layer)
        min_pair = measure.min_pair() if measure else None
        rows.append({
            "key": layer, "label": LAYER_LABELS[layer], "measure": measure,
            "value": fmt(measure.value if measure else None), "raw": measure.value if measure else None,
            "level": level(measure.value if measure else None),
            "note": diagnosis.layer_notes.get(layer, ""),
            "implementation": impl_layers.get(CORE_KEY[layer]),
            "implementation_pct": pct(impl_layers.get(CORE_KEY[layer])),
            "min_pair": (f"{diagnosis.partner_name(min_pair[0][0])} – {diagnosis.partner_name(min_pair[0][1])} "
                         f"({fmt(min_pair[1])})") if min_pair else "",
        })
    return rows


def partner_rows(diagnosis) -> list[dict]:
    rows = []
    for code, name in diagnosis.partners:
        values = diagnosis.index["partners"].get(code, {})
        rows.append({"code": code, "name": name,
                     "cells": [fmt(values.get(layer)) for layer in INDEX_LAYERS],
                     "implementation": pct(diagnosis.implementation["partners"].get(code))})
    return rows


def pair_rows(diagnosis) -> list[dict]:
    """One row per partner pair; ``cells_html`` is the row's cells as ready HTML, because 30 partners make 435
    pairs × 7 layers and the template engine would spend most of the page's time on those cells."""
    rows = []
    for row in diagnosis.index["pairs"]:
        cells = [fmt(row.get(layer)) for layer in INDEX_LAYERS]
        rows.append({"a": diagnosis.partner_name(row["a"]), "b": diagnosis.partner_name(row["b"]), "cells": cells,
                     "cells_html": format_html_join("", '<td class="utrecht-table__cell">{}</td>',
                                                    ((cell,) for cell in cells))})
    return rows


def finding_rows(diagnosis) -> list[dict]:
    titles = {rule.id: rule.title for rule in RULES}
    return [{"finding": f, "title": titles.get(f.rule, f.rule),
             "partner_name": diagnosis.partner_name(f.partner) if f.partner else "alle partners"}
            for f in diagnosis.findings]


def findings_by_lesson(diagnosis) -> list[dict]:
    rows = finding_rows(diagnosis)
    return [{"lesson": lesson, "text": text, "rows": [r for r in rows if r["finding"].lesson == lesson]}
            for lesson, text in LESSONS.items()]


def rule_rows(thresholds: dict) -> list[dict]:
    return [{"rule": rule, "thresholds": [(key, THRESHOLD_HELP[key], thresholds[key]) for key in rule.thresholds]}
            for rule in RULES]


def _iso_date(value):
    """A date from the ISO text the services hand out (templates show it as 1-8-2026)."""
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def agreement_rows(diagnosis) -> list[dict]:
    rows = []
    for row in diagnosis.implementation["agreements"]:
        rows.append({**row, "layer_label": ROADMAP_LABELS.get(row["layer"], row["layer"]),
                     "cells": [(code, name, row["status"].get(code), STATUS_LABELS.get(row["status"].get(code), ""))
                               for code, name in diagnosis.partners],
                     "rate_pct": pct(row["rate"]), "adopted_date": _iso_date(row.get("adopted_on"))})
    return rows


def roadmap_rows(plan) -> list[dict]:
    rows = []
    by_id = {str(i.pk): i for i in plan.initiatives}
    for item in sorted(plan.items, key=lambda i: (i.start is None, i.start, i.title)):
        proposal = plan.proposal_for(item.id)
        rows.append({
            "item": item, "initiative": by_id.get(item.id), "layer_label": ROADMAP_LABELS.get(item.layer, item.layer),
            "colour": LAYER_COLOURS.get(item.layer, "#333"),
            "proposal": proposal, "moved": bool(proposal and proposal.moved),
            "violations": plan.violations.get(item.id, []), "window": plan.windows.get(item.id),
        })
    return rows


def gantt(plan, *, id_prefix="gantt") -> str:
    rows = []
    for row in roadmap_rows(plan):
        item, proposal = row["item"], row["proposal"]
        rows.append(GanttRow(item.title, item.layer, item.start, item.end,
                             proposal.start if proposal else None, proposal.end if proposal else None,
                             "; ".join(v.message for v in row["violations"])))
    moved = sum(1 for r in roadmap_rows(plan) if r["moved"])
    flagged = sum(1 for r in roadmap_rows(plan) if r["violations"])
    return gantt_svg(
        rows, title="Routekaart: huidige planning en voorstel",
        desc=(f"{len(rows)} initiatieven; {flagged} met een schending van ‘IT volgt de business’; het voorstel "
              f"verschuift er {moved}. Dezelfde gegevens staan in de tabel bij de routekaart."),
        today=timezone.localdate(), id_prefix=id_prefix)


def charts_for(diagnosis, trend_rows=None) -> dict:
    names = dict(diagnosis.partners)
    out = {"layers": charts.to_svg(charts.layer_spec(diagnosis.index)),
           "partners": charts.to_svg(charts.partner_spec(diagnosis.index, names))}
    if trend_rows and len(trend_rows) > 1:
        out["trend"] = charts.to_svg(charts.trend_spec(trend_rows))
    return out


def trend_table(trend_rows) -> list[dict]:
    return [{"created_at": row["created_at"], "cells": [fmt(row["layers"].get(layer)) for layer in INDEX_LAYERS],
             "findings": row["findings"]} for row in trend_rows]
