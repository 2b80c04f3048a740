"""Roadmap sequencing: the automatic proposal in which IT follows the business.

Phases, in order: visie (vision & governance) → producten → werkprocessen → aansturing →
applicaties. Involvement initiatives (laag cultuur) run alongside and are never moved: an L2
finding leads to *proposed involvement initiatives*, not to reordering.

Algorithm (deterministic, explainable):

1. Initiatives already running or finished keep their dates.
2. Every other initiative keeps its own start unless a constraint moves it later:
   a. its explicit dependencies must have ended;
   b. phase gate: every unfinished initiative of an *earlier* phase must have ended;
   c. applicaties only: when a contract window (the first day no partner is bound by a
      contract for the component) lies after the gated start, the go-live is aligned with it
      (start = window − duration), so no partner pays twice or breaks a contract.
3. The duration of an initiative is kept (90 days when unknown).

``violations`` checks a plan (the current dates) against the same rules and flags every place
where IT goes ahead of the business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .rules import InitiativeData, served_by

PHASES = {"visie": 0, "producten": 1, "werkprocessen": 2, "aansturing": 3, "applicaties": 4}
DEFAULT_DURATION = timedelta(days=90)


@dataclass
class Proposed:
    id: str
    title: str
    layer: str
    start: date
    end: date
    original_start: date | None
    original_end: date | None
    reasons: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return (self.start, self.end) != (self.original_start, self.original_end)


@dataclass
class Violation:
    id: str  # the initiative that violates
    rule: str  # "it-volgt-business" | "afhankelijkheid" | "fasevolgorde"
    message: str


@dataclass
class Involvement:
    partner: str
    partner_name: str
    title: str
    start: date
    end: date
    rules: list[str]
    reason: str


def _fmt(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "onbekend"


def _duration(item: InitiativeData) -> timedelta:
    if item.start and item.end and item.end >= item.start:
        return item.end - item.start
    return DEFAULT_DURATION


def _order(items: list[InitiativeData]) -> list[InitiativeData]:
    """Dependencies first, then by phase and start (a cycle is broken by phase/start order)."""
    by_id = {i.id: i for i in items}
    key = {i.id: (PHASES.get(i.layer, -1), i.start or date.max, i.title) for i in items}
    done, out, visiting = set(), [], set()

    def visit(item):
        if item.id in done or item.id in visiting:
            return
        visiting.add(item.id)
        for dep in sorted((by_id[d] for d in item.dependencies if d in by_id), key=lambda i: key[i.id]):
            visit(dep)
        visiting.discard(item.id)
        done.add(item.id)
        out.append(item)

    for item in sorted(items, key=lambda i: key[i.id]):
        visit(item)
    return out


def propose(items: list[InitiativeData], today: date, windows: dict[str, date | None] | None = None) -> list[Proposed]:
    windows = windows or {}
    result: dict[str, Proposed] = {}
    for item in _order(items):
        duration = _duration(item)
        start = item.start or today
        reasons: list[str] = []
        if item.status in ("lopend", "gereed"):
            result[item.id] = Proposed(item.id, item.title, item.layer, start, item.end or start + duration,
                                       item.start, item.end, ["loopt al of is gereed: datums blijven staan"])
            continue
        for dep in item.dependencies:
            if dep in result and result[dep].end > start:
                start = result[dep].end
                reasons.append(f"na afhankelijkheid ‘{result[dep].title}’ (klaar {_fmt(result[dep].end)})")
        phase = PHASES.get(item.layer)
        if phase is not None:
            earlier = [result[i.id] for i in items if i.id in result and i.status != "gereed"
                       and PHASES.get(i.layer) is not None and PHASES[i.layer] < phase]
            if item.layer == "applicaties":  # IT follows the business it serves
                served = {s.id for s in served_by(item, items)}
                gate = [p for p in earlier if p.id in served or p.layer in ("visie", "aansturing")]
            else:
                gate = earlier
            if gate:
                last = max(gate, key=lambda p: p.end)
                if last.end > start:
                    start = last.end
                    reasons.append(f"na ‘{last.title}’ ({last.layer}, klaar {_fmt(last.end)}): "
                                   f"volgorde visie → producten → processen → aansturing → applicaties")
        window = windows.get(item.id)
        if item.layer == "applicaties" and window:
            if window - duration > start:
                start = window - duration
                reasons.append(f"ingebruikname afgestemd op het contractvenster {_fmt(window)}")
            elif window < start + duration:
                reasons.append(f"let op: het contractvenster ({_fmt(window)}) valt vóór het einde; contracten "
                               f"kort verlengen of tijdelijk dubbele kosten")
        result[item.id] = Proposed(item.id, item.title, item.layer, start, start + duration,
                                   item.start, item.end, reasons)
    return [result[i.id] for i in _order(items)]


def violations(items: list[InitiativeData]) -> list[Violation]:
    """Where the current plan lets IT go ahead of the business (or ignores a dependency)."""
    by_id = {i.id: i for i in items}
    out = []
    for item in items:
        if item.status == "gereed":
            continue
        for dep in item.dependencies:
            other = by_id.get(dep)
            if other and other.status != "gereed" and other.end and item.start and item.start < other.end:
                out.append(Violation(item.id, "afhankelijkheid",
                                     f"start {_fmt(item.start)} vóór afhankelijkheid ‘{other.title}’ klaar is "
                                     f"({_fmt(other.end)})"))
        if item.layer == "applicaties":
            late = [s for s in served_by(item, items)
                    if s.status != "gereed" and (item.start is None or s.end is None or s.end > item.start)]
            if late:
                names = ", ".join(f"‘{s.title}’ ({_fmt(s.end)})" for s in late)
                out.append(Violation(item.id, "it-volgt-business",
                                     f"IT gaat vóór de business uit: start {_fmt(item.start)}, terwijl {names} "
                                     f"dan nog niet klaar is"))
    return out


def involvement_proposals(findings, partners: list[tuple[str, str]], start: date,
                          existing_titles: set[str] | None = None) -> list[Involvement]:
    """One proposed involvement initiative per partner with an L2 finding (not a reordering)."""
    existing_titles = existing_titles or set()
    names = dict(partners)
    rules_per_partner: dict[str, list] = {}
    for finding in findings:
        if finding.lesson == "L2" and finding.partner:
            rules_per_partner.setdefault(finding.partner, []).append(finding)
    out = []
    for code, items in rules_per_partner.items():
        name = names.get(code, code)
        title = f"Betrokkenheid medewerkers {name}"
        if title in existing_titles:
            continue
        rule_ids = sorted({f.rule for f in items})
        # the evidence texts are sentences: join them as sentences (no ".;")
        reason = " ".join(e if e.rstrip().endswith((".", "!", "?")) else f"{e.rstrip()}." for e in
                          (f.evidence for f in items))
        out.append(Involvement(code, name, title, start, start + timedelta(days=120), rule_ids, reason))
    out.sort(key=lambda i: i.partner_name)
    return out


def cost_shares(amount: float, key: str, partners: list[str], inhabitants: dict[str, int | None] | None = None,
                usage: dict[str, float] | None = None) -> tuple[dict[str, float], str]:
    """Split ``amount`` over the partners by the cost-sharing key: ``gelijk`` (equal shares),
    ``inwoners`` (by inhabitants) or ``gebruik`` (by use). Falls back to equal shares, and says so,
    when the needed numbers are missing for a partner."""
    if not partners:
        return {}, ""
    weights = None
    note = ""
    if key == "inwoners":
        values = {p: (inhabitants or {}).get(p) for p in partners}
        if all(v for v in values.values()):
            weights = values
        else:
            note = "inwonertallen ontbreken: gelijke delen gebruikt"
    elif key == "gebruik":
        values = {p: (usage or {}).get(p) for p in partners}
        if all(v is not None for v in values.values()) and sum(values.values()) > 0:
            weights = values
        else:
            note = "gebruik per partner ontbreekt: gelijke delen gebruikt"
    if weights is None:
        weights = {p: 1 for p in partners}
    total = float(sum(weights.values()))
    shares = {p: round(amount * float(w) / total, 2) for p, w in weights.items()}
    return shares, note
