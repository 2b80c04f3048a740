"""The board report (bestuursrapportage): one HTML template, rendered as HTML or as PDF.

PDF: WeasyPrint, archivable and tagged (PDF/A-3a: PDF/A-3 with a structure tree, so screen
readers and re-flow work; falls back to PDF/A-3b + tags if the accessible variant fails).
Charts are SVG rendered from the same Vega-Lite specs as the web pages; the Gantt chart is the
server-side SVG of the roadmap page.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from statistics import fmean

from django.template.loader import render_to_string
from django.utils import timezone

from . import presentation, services
from .analysis.index import INDEX_LAYERS, LAYER_LABELS
from .analysis.rules import SEVERITY_ORDER

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3a"


def _summary(diagnosis, plan) -> dict:
    measured = [(LAYER_LABELS[l], diagnosis.measures[l].value) for l in INDEX_LAYERS
                if diagnosis.measures.get(l) is not None and diagnosis.measures[l].value is not None]
    lowest = min(measured, key=lambda x: x[1]) if measured else None
    highest = max(measured, key=lambda x: x[1]) if measured else None
    findings = sorted(diagnosis.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.lesson))
    high = [f for f in findings if f.severity == "hoog"]
    flagged = [r for r in presentation.roadmap_rows(plan)
               if any(v.rule == "it-volgt-business" for v in r["violations"])]
    moved = [r for r in presentation.roadmap_rows(plan) if r["moved"] and r["initiative"]]
    rates = [r for r in diagnosis.implementation["agreements"] if r["rate"] is not None]
    decisions = []
    rules = {f.rule for f in diagnosis.findings}
    for row in flagged:
        if any(v.rule == "it-volgt-business" for v in row["violations"]):
            proposal = row["proposal"]
            when = (f" Start er niet mee vóór {proposal.start.day} {_MONTHS[proposal.start.month - 1]} "
                    f"{proposal.start.year}." if proposal and proposal.moved else "")
            decisions.append(f"Laat ‘{row['item'].title}’ pas beginnen als de product- en procesharmonisatie "
                             f"waarvoor het bedoeld is, klaar is: IT volgt de business.{when}")
    if "L1-01" in rules:
        decisions.append("Geef alleen een bestuurlijke opdracht voor initiatieven vanuit IT/SSC of bedrijfsvoering "
                         "als de behoefte van het primaire proces is vastgelegd.")
    for item in plan.involvement:
        decisions.append(f"Geef opdracht voor ‘{item.title}’: de medewerkers voelen de urgentie nog niet "
                         f"({', '.join(item.rules)}).")
    if "L1-03" in rules:
        decisions.append("Stel een gezamenlijke visie op de samenwerking en de informatiehuishouding vast.")
    if "L2-04" in rules:
        decisions.append("Laat de enquête naar cultuur, veranderbereidheid en urgentie afnemen bij alle partners.")
    return {
        "lowest": lowest, "highest": highest, "measured": measured,
        "missing": [LAYER_LABELS[l] for l in diagnosis.missing_layers],
        "findings": findings, "high": high, "top": findings[:4],
        "counts": {lesson: sum(1 for f in diagnosis.findings if f.lesson == lesson) for lesson in ("L1", "L2", "L3")},
        "flagged": flagged, "moved": moved, "initiatives": len(plan.items),
        "agreements": len(diagnosis.implementation["agreements"]),
        "implementation_pct": round(100 * fmean(r["rate"] for r in rates)) if rates else None,
        "decisions": decisions[:5],
    }


def context(workspace) -> dict:
    diagnosis = services.diagnose(workspace)
    plan = services.roadmap(workspace, diagnosis)
    trend_rows = services.trend(workspace)
    names = dict(diagnosis.partners)
    case = plan.business_case
    return {
        "workspace": workspace, "diagnosis": diagnosis, "plan": plan, "now": timezone.localtime(),
        "summary": _summary(diagnosis, plan),
        "rows": presentation.index_rows(diagnosis), "partner_rows": presentation.partner_rows(diagnosis),
        "pair_rows": presentation.pair_rows(diagnosis), "lessons": presentation.findings_by_lesson(diagnosis),
        "layer_labels": [LAYER_LABELS[k] for k in INDEX_LAYERS],
        "short_labels": ["Producten", "Processen", "Aansturing", "Cultuur", "Applicaties"],
        "css_name": re.sub(r'[\\"<>\n]', "", workspace.name), "agreements": presentation.agreement_rows(diagnosis),
        "roadmap_rows": presentation.roadmap_rows(plan), "gantt": presentation.gantt(plan, id_prefix="rapport-gantt"),
        "charts": presentation.charts_for(diagnosis, trend_rows), "trend": presentation.trend_table(trend_rows),
        "rules": presentation.rule_rows(diagnosis.thresholds), "case": case,
        "case_partners": [(names.get(code, code), amount, case["inhabitants"].get(code))
                          for code, amount in case["per_partner"].items()],
        "wgr": workspace.get_wgr_form_display() if workspace.wgr_form else "niet vastgelegd",
        "lesson_texts": presentation.LESSONS,
    }


STYLE_RE = re.compile(r"<style>(.*?)</style>", re.S)


def render_html(workspace) -> str:
    return render_to_string("diagnosis/report.html", context(workspace))


def style_hashes(html: str) -> list[str]:
    """CSP hashes of the report's inline style blocks (so the web page may show it under a strict CSP)."""
    return ["'sha256-" + base64.b64encode(hashlib.sha256(m.encode("utf-8")).digest()).decode() + "'"
            for m in STYLE_RE.findall(html)]


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render()
    try:
        return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    except Exception:  # noqa: BLE001 - the accessible variant is stricter; never fail the report on it
        logger.warning("PDF/A-3a failed, falling back to PDF/A-3b with tags", exc_info=True)
        return document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)


def render(workspace, fmt: str = "pdf") -> bytes:
    html = render_html(workspace)
    if fmt == "html":
        return html.encode("utf-8")
    return render_pdf(html)
