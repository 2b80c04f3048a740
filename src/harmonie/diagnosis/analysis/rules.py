"""De breekijzer-toets (crowbar check): rules over the data of every layer.

Each rule has an id, the lesson it guards (L1, L2, L3 from the article), a severity and a
documented threshold. A rule returns findings with evidence (which data, which partner) and
advice. Rules that cannot be evaluated because a layer has no data say so in ``notes``
instead of staying silently green.

Pure Python: the input is ``CheckInput`` (dataclasses), built by ``diagnosis.services`` from
the database, or by tests from scenario fixtures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from .index import LayerMeasure

# ---------------------------------------------------------------------------------- thresholds

DEFAULT_THRESHOLDS: dict[str, float] = {
    # L1-03: a vision shorter than this (characters) does not count as a recorded shared vision
    "vision_min_chars": 40,
    # L2-01: ORIC commitment or efficacy (mean, 1–5) below this
    "readiness_min": 3.5,
    # L2-02: felt urgency "willen" (mean, 1–5) below this
    "urgency_want_min": 3.0,
    # L2-03: "moeten" minus "willen" (1–5 scale) at least this
    "coercion_gap": 1.0,
    # L3-01: a layer index at or above this counts as harmonised when no initiative is planned
    "harmonised_min": 0.7,
    # L3-02: process similarity (dfg_similarity) below this = actual processes differ substantially
    "process_similarity_min": 0.6,
    # L3-03: culture profile similarity below this = large culture gap
    "culture_similarity_min": 0.8,
}

THRESHOLD_HELP = {
    "vision_min_chars": "minimale lengte (tekens) van de vastgelegde gezamenlijke visie",
    "readiness_min": "minimale veranderbereidheid (ORIC-betrokkenheid en -vertrouwen, gemiddelde 1–5)",
    "urgency_want_min": "minimale gevoelde urgentie ‘willen’ (gemiddelde 1–5)",
    "coercion_gap": "verschil ‘moeten’ min ‘willen’ (1–5) vanaf waar samenwerken als dwang voelt",
    "harmonised_min": "index vanaf waar een laag als geharmoniseerd telt (0–1)",
    "process_similarity_min": "procesgelijkenis (0–1: hoe gelijk de werkelijke procesgang is) waaronder processen wezenlijk verschillen",
    "culture_similarity_min": "cultuurgelijkenis (0–1) waaronder het cultuurverschil groot is",
}

INITIATORS = {
    "bestuur": "het bestuur",
    "primair_proces": "het primaire proces",
    "bedrijfsvoering": "de bedrijfsvoering",
    "it_ssc": "IT / het SSC",
}
SEVERITY_ORDER = {"hoog": 0, "midden": 1, "laag": 2}
LAYER_NAMES = {
    "visie": "Visie & governance", "producten": "Producten & diensten", "werkprocessen": "Werkprocessen",
    "aansturing": "Aansturing", "cultuur": "Cultuur & urgentie", "applicaties": "Applicaties",
}
APP_KINDS = ("migratie", "consolidatie")


# ---------------------------------------------------------------------------------- input


@dataclass
class InitiativeData:
    id: str
    title: str
    layer: str  # core layer key: visie, producten, werkprocessen, aansturing, cultuur, applicaties
    initiated_by: str = "bestuur"  # bestuur | primair_proces | bedrijfsvoering | it_ssc
    board_mandate: str = ""  # the board decision (reference); empty = none
    board_mandate_date: date | None = None
    primary_process_need: bool = False
    information_management: bool = False
    start: date | None = None
    end: date | None = None
    dependencies: tuple = ()  # ids of initiatives that must be finished first
    status: str = "gepland"  # gepland | lopend | gereed
    kind: str = "harmonisatie"  # harmonisatie | migratie | consolidatie | betrokkenheid | overig
    single_platform: bool = False
    target_process_of: str = ""  # "" | "ssc" | CBS code of the partner whose process is the target
    source: str = "routekaart"


@dataclass
class PartnerPeople:
    code: str
    surveyed: bool  # a closed survey with visible (not suppressed) results for this partner
    n: int | None = None
    commitment: float | None = None
    efficacy: float | None = None
    want: float | None = None
    have_to: float | None = None
    survey: str = ""


@dataclass
class CheckInput:
    partners: list[tuple[str, str]]  # (cbs_code, name)
    vision: str = ""
    information_management_in_scope: bool | None = None
    initiatives: list[InitiativeData] = field(default_factory=list)
    people: dict[str, PartnerPeople] | None = None  # None: no survey in this workspace at all
    products: LayerMeasure | None = None
    processes: LayerMeasure | None = None
    culture: LayerMeasure | None = None
    implemented_layers: set = field(default_factory=set)  # core layer keys with an agreement implemented everywhere


@dataclass
class Finding:
    rule: str
    lesson: str
    severity: str  # hoog | midden | laag
    partner: str | None
    evidence: str
    advice: str
    initiative: str | None = None

    def as_contract(self) -> dict:
        return {"rule": self.rule, "lesson": self.lesson, "severity": self.severity, "partner": self.partner,
                "evidence": self.evidence, "advice": self.advice}


@dataclass
class CheckResult:
    findings: list[Finding]
    notes: list[str]  # rules that could not be evaluated, and why


@dataclass(frozen=True)
class Rule:
    id: str
    lesson: str
    title: str
    description: str
    thresholds: tuple[str, ...]
    check: Callable


# ---------------------------------------------------------------------------------- helpers


def _d(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "onbekend"


def _name(inp: CheckInput, code: str | None) -> str:
    if code == "ssc":
        return "het SSC"
    return dict(inp.partners).get(code, code or "")


def _fmt(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _open(item: InitiativeData) -> bool:
    return item.status != "gereed"


def served_by(app: InitiativeData, initiatives: list[InitiativeData]) -> list[InitiativeData]:
    """The product/process harmonisation an application change serves: its explicit dependencies in
    those layers, or (none named) every product/process initiative of the roadmap."""
    business = [i for i in initiatives if i.layer in ("producten", "werkprocessen") and i.id != app.id]
    named = [i for i in business if i.id in app.dependencies]
    return named or business


def is_app_change(item: InitiativeData) -> bool:
    return item.layer == "applicaties" and (item.kind in APP_KINDS or item.single_platform)


# ---------------------------------------------------------------------------------- L1


def rule_l1_mandate(inp, t, notes):
    for item in inp.initiatives:
        if item.initiated_by in ("bedrijfsvoering", "it_ssc") and not item.board_mandate \
                and not item.primary_process_need:
            yield Finding(
                "L1-01", "L1", "hoog" if item.layer == "applicaties" else "midden", None,
                f"Initiatief ‘{item.title}’ (laag {LAYER_NAMES.get(item.layer, item.layer)}) is genomen door "
                f"{INITIATORS[item.initiated_by]}; er is geen bestuursbesluit vastgelegd en geen behoefte vanuit "
                f"het primaire proces.",
                "Leg het initiatief voor aan het bestuur en laat de behoefte formuleren door het primaire proces. "
                "Zonder bestuurlijke opdracht blijft het een IT-project dat harmonisatie niet kan dragen.",
                item.id,
            )


def rule_l1_information_management(inp, t, notes):
    if inp.information_management_in_scope is True:
        return
    if inp.information_management_in_scope is None:
        if any(i.information_management for i in inp.initiatives):
            return
        evidence = ("Niet vastgelegd dat informatiehuishouding tot de samenwerking hoort, en geen enkel initiatief "
                    "op de routekaart heeft informatiehuishouding in scope.")
    else:
        evidence = "Vastgelegd: de samenwerking betreft alleen IT, niet de informatiehuishouding."
    yield Finding(
        "L1-02", "L1", "midden", None, evidence,
        "Breid de opdracht van de samenwerking uit naar informatiehuishouding (informatiebeheer, "
        "gegevensdefinities, archivering), niet alleen IT-beheer.",
    )


def rule_l1_vision(inp, t, notes):
    text = (inp.vision or "").strip()
    if len(text) < t["vision_min_chars"]:
        evidence = ("Er is geen gezamenlijke visie vastgelegd." if not text else
                    f"De vastgelegde visie is {len(text)} tekens lang (drempel {int(t['vision_min_chars'])}).")
        yield Finding(
            "L1-03", "L1", "hoog", None, evidence,
            "Stel met de besturen een gezamenlijke visie vast op de rol van de samenwerking en op goede "
            "informatiehuishouding, en leg die vast bij het samenwerkingsverband.",
        )


# ---------------------------------------------------------------------------------- L2


def rule_l2_readiness(inp, t, notes):
    if inp.people is None:
        return
    for code, _name_ in inp.partners:
        p = inp.people.get(code)
        if not p or not p.surveyed or p.commitment is None or p.efficacy is None:
            continue
        low = [(label, value) for label, value in (("betrokkenheid", p.commitment), ("vertrouwen", p.efficacy))
               if value < t["readiness_min"]]
        if low:
            parts = ", ".join(f"{label} {_fmt(value)}" for label, value in low)
            yield Finding(
                "L2-01", "L2", "midden", code,
                f"Veranderbereidheid bij {_name(inp, code)} onder de drempel {_fmt(t['readiness_min'])}: {parts} "
                f"(ORIC, gemiddelde 1–5, n = {p.n}, {p.survey}).",
                "Betrek medewerkers bij het ontwerp van de geharmoniseerde werkwijze (werksessies, "
                "ambassadeurs), en bespreek wat zij nodig hebben om de verandering aan te kunnen.",
            )


def rule_l2_urgency(inp, t, notes):
    if inp.people is None:
        return
    for code, _name_ in inp.partners:
        p = inp.people.get(code)
        if not p or not p.surveyed or p.want is None:
            continue
        if p.want < t["urgency_want_min"]:
            yield Finding(
                "L2-02", "L2", "hoog", code,
                f"Gevoelde urgentie ‘willen’ bij {_name(inp, code)} is {_fmt(p.want)} (drempel "
                f"{_fmt(t['urgency_want_min'])}, schaal 1–5, n = {p.n}, {p.survey}).",
                "Start een betrokkenheidstraject: laat medewerkers zelf de knelpunten en de winst van samenwerken "
                "benoemen voordat er geharmoniseerd wordt. Harmonisatie wordt alleen bereikt als de urgentie "
                "ook door de medewerkers gevoeld wordt.",
            )


def rule_l2_coercion(inp, t, notes):
    if inp.people is None:
        return
    for code, _name_ in inp.partners:
        p = inp.people.get(code)
        if not p or not p.surveyed or p.want is None or p.have_to is None:
            continue
        gap = p.have_to - p.want
        if gap >= t["coercion_gap"]:
            yield Finding(
                "L2-03", "L2", "hoog", code,
                f"Bij {_name(inp, code)} ligt ‘moeten’ ({_fmt(p.have_to)}) {_fmt(gap)} punt boven ‘willen’ "
                f"({_fmt(p.want)}); drempel {_fmt(t['coercion_gap'])}. Samenwerken voelt daar als dwang.",
                "Stop met afdwingen; maak het gesprek over het waarom en laat ruimte voor lokale inbreng. "
                "Samenwerken op basis van kracht, niet van macht.",
            )


def rule_l2_no_survey(inp, t, notes):
    if inp.people is None:
        yield Finding(
            "L2-04", "L2", "midden", None,
            "Er is nog geen enquête naar cultuur, veranderbereidheid en gevoelde urgentie afgerond.",
            "Zet een anonieme enquête uit bij alle partners voordat de harmonisatie start.",
        )
        return
    for code, _name_ in inp.partners:
        p = inp.people.get(code)
        if p is None or not p.surveyed:
            yield Finding(
                "L2-04", "L2", "laag", code,
                f"Voor {_name(inp, code)} zijn er geen (zichtbare) enquêteresultaten: niet meegedaan of te weinig "
                f"respondenten om anoniem te tonen.",
                "Nodig meer medewerkers van deze partner uit in de volgende enquêteronde.",
            )


# ---------------------------------------------------------------------------------- L3


def rule_l3_app_before_business(inp, t, notes):
    for app in inp.initiatives:
        if not is_app_change(app) or not _open(app):
            continue
        served = served_by(app, inp.initiatives)
        if served:
            late = [s for s in served if _open(s) and (app.start is None or s.end is None or s.end > app.start)]
            if late:
                items = "; ".join(f"‘{s.title}’ (klaar {_d(s.end)})" for s in late)
                yield Finding(
                    "L3-01", "L3", "hoog", None,
                    f"‘{app.title}’ start op {_d(app.start)}, vóór de harmonisatie die zij dient klaar is: {items}.",
                    "Plan de applicatiewijziging pas na de proces- en productharmonisatie (IT volgt de business); "
                    "gebruik het voorstel van de routekaart en het contractvenster.",
                    app.id,
                )
            continue
        # nothing planned: is the business side harmonised already (measured, or agreed and implemented)?
        measured = [(m.layer, m.value) for m in (inp.products, inp.processes) if m is not None and m.value is not None]
        done = {"producten", "werkprocessen"} <= inp.implemented_layers or \
            (measured and all(v >= t["harmonised_min"] for _l, v in measured) and len(measured) == 2)
        if not done:
            measured_text = ", ".join(f"{layer} {_fmt(v)}" for layer, v in measured) or "niet gemeten"
            yield Finding(
                "L3-01", "L3", "hoog", None,
                f"‘{app.title}’ ({app.source}, start {_d(app.start)}) is gepland terwijl er geen product- of "
                f"procesharmonisatie op de routekaart staat en de index dat niet laat zien ({measured_text}; "
                f"drempel {_fmt(t['harmonised_min'])}).",
                "Zet eerst de harmonisatie van de producten en processen die deze applicatie ondersteunt op de "
                "routekaart, en laat de migratie daarop volgen.",
                app.id,
            )


def rule_l3_target_process(inp, t, notes):
    targets = [i for i in inp.initiatives if i.target_process_of and _open(i)]
    if not targets:
        return
    if inp.processes is None or not inp.processes.pairs:
        notes.append("L3-02 niet te toetsen: de laag Werkprocessen heeft geen metingen "
                     f"({len(targets)} initiatief/initiatieven met een doelproces).")
        return
    for item in targets:
        pairs = [(k, v) for k, v in inp.processes.pairs.items()
                 if item.target_process_of == "ssc" or item.target_process_of in k]
        low = [(k, v) for k, v in pairs if v < t["process_similarity_min"]]
        if low:
            detail = "; ".join(f"{_name(inp, a)}–{_name(inp, b)} {_fmt(v)}" for (a, b), v in sorted(low))
            yield Finding(
                "L3-02", "L3", "hoog", None if item.target_process_of == "ssc" else item.target_process_of,
                f"‘{item.title}’ zet het proces van {_name(inp, item.target_process_of)} als doel, terwijl de "
                f"werkelijke processen wezenlijk verschillen (procesgelijkenis onder "
                f"{_fmt(t['process_similarity_min'])}: {detail}).",
                "Ontwerp het doelproces samen met alle partners vanuit de gemeenschappelijke kern van hun "
                "werkelijke processen, in plaats van het proces van één partij op te leggen.",
                item.id,
            )


def rule_l3_platform_culture(inp, t, notes):
    platforms = [i for i in inp.initiatives if i.single_platform and _open(i)]
    if not platforms:
        return
    if inp.culture is None or not inp.culture.pairs:
        notes.append("L3-03 niet te toetsen: de laag Cultuur & urgentie heeft geen metingen.")
        return
    low = [(k, v) for k, v in inp.culture.pairs.items() if v < t["culture_similarity_min"]]
    if not low:
        return
    detail = "; ".join(f"{_name(inp, a)}–{_name(inp, b)} {_fmt(v)}" for (a, b), v in sorted(low))
    for item in platforms:
        yield Finding(
            "L3-03", "L3", "midden", None,
            f"‘{item.title}’ plant één platform voor alle partners, terwijl het cultuurverschil groot is "
            f"(cultuurgelijkenis onder {_fmt(t['culture_similarity_min'])}: {detail}).",
            "Werk eerst aan gedeelde werkafspraken en aan de samenwerkingscultuur; één platform vraagt "
            "dat medewerkers op dezelfde manier willen werken.",
            item.id,
        )


RULES: tuple[Rule, ...] = (
    Rule("L1-01", "L1", "Initiatief zonder bestuurlijke opdracht",
         "Een initiatief genomen door IT/SSC of de bedrijfsvoering, zonder bestuursbesluit en zonder behoefte "
         "vanuit het primaire proces.", (), rule_l1_mandate),
    Rule("L1-02", "L1", "Informatiehuishouding niet in scope",
         "De samenwerking betreft alleen IT: informatiehuishouding is niet als scope vastgelegd en geen "
         "initiatief heeft haar in scope.", (), rule_l1_information_management),
    Rule("L1-03", "L1", "Geen gezamenlijke visie",
         "Er is geen (of een te korte) gezamenlijke visie vastgelegd.", ("vision_min_chars",), rule_l1_vision),
    Rule("L2-01", "L2", "Lage veranderbereidheid",
         "ORIC-betrokkenheid of -vertrouwen van een partner onder de drempel.", ("readiness_min",),
         rule_l2_readiness),
    Rule("L2-02", "L2", "Lage gevoelde urgentie",
         "Gevoelde urgentie ‘willen’ van een partner onder de drempel.", ("urgency_want_min",), rule_l2_urgency),
    Rule("L2-03", "L2", "‘Moeten’ duidelijk boven ‘willen’",
         "Medewerkers van een partner ervaren de samenwerking als dwang.", ("coercion_gap",), rule_l2_coercion),
    Rule("L2-04", "L2", "Nog geen enquête",
         "Geen afgeronde enquête in het samenwerkingsverband, of geen zichtbare resultaten voor een partner.",
         (), rule_l2_no_survey),
    Rule("L3-01", "L3", "Applicatiewijziging vóór harmonisatie",
         "Een applicatieconsolidatie of -migratie gepland vóór de product- en procesharmonisatie die zij dient "
         "gereed is.", ("harmonised_min",), rule_l3_app_before_business),
    Rule("L3-02", "L3", "Proces van één partij als doel",
         "Het proces van één partner of van het SSC als doelproces, terwijl de werkelijke processen (gemeten in "
         "de laag Werkprocessen) wezenlijk verschillen.", ("process_similarity_min",), rule_l3_target_process),
    Rule("L3-03", "L3", "Eén platform bij groot cultuurverschil",
         "Eén platform voor alle partners gepland terwijl het cultuurverschil tussen partners groot is.",
         ("culture_similarity_min",), rule_l3_platform_culture),
)


def thresholds(overrides: dict | None = None) -> dict[str, float]:
    merged = dict(DEFAULT_THRESHOLDS)
    for key, value in (overrides or {}).items():
        if key in merged and value is not None:
            merged[key] = float(value)
    return merged


def run_rules(inp: CheckInput, overrides: dict | None = None, only: tuple[str, ...] | None = None) -> CheckResult:
    t = thresholds(overrides)
    findings, notes = [], []
    for rule in RULES:
        if only and rule.id not in only:
            continue
        findings.extend(rule.check(inp, t, notes))
    findings.sort(key=lambda f: (f.lesson, SEVERITY_ORDER.get(f.severity, 9), f.rule, f.partner or ""))
    return CheckResult(findings=findings, notes=notes)
