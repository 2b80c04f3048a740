"""The measure-provider registry: one provider per layer of the harmonisation index.

``PROVIDERS`` is the one explicit list. A provider is ``fn(workspace) -> LayerMeasure | None``:
pair values in [0, 1] (1 = harmonised) plus the inputs, the formula in words and what would
raise the value. It returns ``None`` when its layer has no data; the index then shows ``null``
and the pages say which layer is missing. Providers call the layer apps' services; a layer app
that is not installed (or still lacks the service) is treated as "no data", never as an error.

Aggregation per partner and per layer is the same for every layer (``analysis.index``).
"""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass
from typing import Callable

from .analysis.index import LayerMeasure, aggregate, answer_agreement, pair_key, portfolio_similarity, \
    profile_similarity

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provider:
    layer: str  # contract layer name
    title: str
    fn: Callable


def _service(app: str):
    """The layer app's services module, or None when the app is not installed / not importable."""
    from django.apps import apps

    if not apps.is_installed(f"harmonie.{app}"):
        return None
    try:
        return importlib.import_module(f"harmonie.{app}.services")
    except Exception:  # noqa: BLE001 - a layer app in flux must not break the diagnosis
        logger.exception("services of %s not importable", app)
        return None


def _partners(workspace):
    return list(workspace.partners.order_by("name"))


def _name_map(workspace, names: dict | None = None) -> dict[str, str]:
    """Name (as used in a comparison file) → CBS code: explicit mapping first, then the CBS code
    itself or the partner name (case-insensitive)."""
    mapping = {}
    for partner in _partners(workspace):
        mapping[partner.cbs_code.casefold()] = partner.cbs_code
        mapping[partner.name.casefold()] = partner.cbs_code
    for name, code in (names or {}).items():
        mapping[str(name).casefold()] = code
    return mapping


def _stored_pairs(workspace, layer: str, value_key: str):
    """Pairs from the newest stored comparison of this layer (``LayerEvidence``)."""
    from .models import LayerEvidence

    evidence = LayerEvidence.objects.filter(workspace=workspace, layer=layer).first()
    if evidence is None:
        return None, None
    mapping = _name_map(workspace, evidence.names)
    pairs = {}
    for row in evidence.payload.get("pairs", []):
        a, b = mapping.get(str(row.get("a", "")).casefold()), mapping.get(str(row.get("b", "")).casefold())
        value = row.get(value_key)
        if a and b and a != b and isinstance(value, (int, float)):
            pairs[pair_key(a, b)] = float(value)
    return pairs, evidence


# --- products -----------------------------------------------------------------------------------


def products_measure(workspace) -> LayerMeasure | None:
    services = _service("products")
    hook = getattr(services, "workspace_harmonisation", None) if services else None
    if hook is not None:  # the products app keeps catalogues per workspace
        result = hook(workspace)
        if result:
            mapping = _name_map(workspace)
            pairs = {pair_key(mapping[r["a"].casefold()], mapping[r["b"].casefold()]): r["harmonisation_index"]
                     for r in result.get("pairs", []) if r["a"].casefold() in mapping and r["b"].casefold() in mapping}
            if pairs:
                return aggregate(LayerMeasure("products", pairs, _PRODUCTS_FORMULA, [
                    f"{len(result.get('products', []))} UPL-producten in de catalogi"],
                    _PRODUCTS_RAISE, "producten: catalogi per partner"))
    pairs, evidence = _stored_pairs(workspace, "products", "harmonisation_index")
    if not pairs:
        return None
    shared = {row.get("a"): row.get("shared_products") for row in evidence.payload.get("pairs", [])}
    products = len(evidence.payload.get("products", []))
    return aggregate(LayerMeasure(
        "products", pairs, _PRODUCTS_FORMULA,
        [f"Vergelijking van productcatalogi op de UPL ({products} verschillende UPL-producten), "
         f"vastgelegd op {evidence.created_at:%d-%m-%Y}" + (f" uit {evidence.source}" if evidence.source else ""),
         f"{len(pairs)} partnerparen; gedeelde producten per paar: "
         + ", ".join(str(r.get('shared_products')) for r in evidence.payload.get('pairs', []))],
        _PRODUCTS_RAISE, "harmonie catalog compare (opgeslagen vergelijking)",
        details={"shared": shared},
    ))


_PRODUCTS_FORMULA = ("H(a, b) = J(a, b) × D(a, b): J is de overlap (Jaccard) van de UPL-producten die a en b "
                     "aanbieden, D de gemiddelde gelijkheid van hun definities (doelgroep, online aanvragen) voor "
                     "de gedeelde producten.")
_PRODUCTS_RAISE = ("Dezelfde producten onder dezelfde UPL-naam aanbieden en de definities (doelgroep, online "
                   "aanvragen, grondslag, termijn, tarief) gezamenlijk vaststellen.")


# --- processes ----------------------------------------------------------------------------------


def processes_measure(workspace) -> LayerMeasure | None:
    services = _service("processes")
    hook = getattr(services, "workspace_comparison", None) if services else None
    payload, source, when = None, "", None
    if hook is not None:
        payload = hook(workspace) or None
        source = "werkprocessen: logboeken per partner"
    if payload:
        mapping = _name_map(workspace)
        pairs = {}
        for row in payload.get("pairs", []):
            a, b = mapping.get(str(row["a"]).casefold()), mapping.get(str(row["b"]).casefold())
            if a and b and a != b:
                pairs[pair_key(a, b)] = float(row["dfg_similarity"])
    else:
        pairs, evidence = _stored_pairs(workspace, "processes", "dfg_similarity")
        if not pairs:
            return None
        payload, source, when = evidence.payload, "harmonie processes compare (opgeslagen vergelijking)", \
            evidence.created_at
    if not pairs:
        return None
    logs = payload.get("logs", [])
    overlap = {}
    mapping = _name_map(workspace)
    for row in payload.get("pairs", []):
        a, b = mapping.get(str(row["a"]).casefold()), mapping.get(str(row["b"]).casefold())
        if a and b:
            overlap["–".join(pair_key(a, b))] = row.get("activity_overlap")
    core = payload.get("common_core", {}).get("activities", [])
    inputs = [f"{len(logs)} logboeken: " + ", ".join(f"{log.get('name')} ({log.get('cases')} zaken, "
                                                     f"{log.get('variants')} varianten)" for log in logs),
              f"gemeenschappelijke kern: {len(core)} activiteiten"]
    if when:
        inputs.append(f"vergelijking vastgelegd op {when:%d-%m-%Y}")
    return aggregate(LayerMeasure(
        "processes", pairs,
        "procesgelijkenis(a, b) = Σ min(pa(e), pb(e)) over alle opeenvolgingen e (activiteit x direct gevolgd door y); "
        "p(e) is het aandeel van e in alle opeenvolgingen van dat logboek. 1 = dezelfde werkelijke procesgang.",
        inputs,
        "Het werkproces samen herontwerpen vanuit de gemeenschappelijke kern, en lokale extra stappen en "
        "terugkoppelingen terugbrengen.",
        source, details={"activity_overlap": overlap},
    ))


# --- steering -----------------------------------------------------------------------------------


def _norm(text) -> str:
    return re.sub(r"[\s.,;:]+", " ", str(text or "").strip().lower()).strip()


def steering_measure(workspace) -> LayerMeasure | None:
    services = _service("people")
    if services is None or not hasattr(services, "steering_comparison"):
        return None
    comparison = services.steering_comparison(workspace)
    codes = [p["code"] for p in comparison.get("partners", [])]
    answers = {code: {} for code in codes}
    for row in comparison.get("questions", []):
        for code, cell in zip(codes, row.get("cells", [])):
            if _norm(cell):
                answers[code][f"q:{row['key']}"] = _norm(cell)
    for row in comparison.get("kpis", []):
        for code, cell in zip(codes, row.get("cells", [])):
            if _norm((cell or {}).get("definition")):
                answers[code][f"kpi:{row['key']}"] = _norm(cell.get("definition"))
    pairs, compared = {}, []
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            result = answer_agreement(answers[a], answers[b])
            if result is not None:
                pairs[pair_key(a, b)] = result[0]
                compared.append(result[1])
    if not pairs:
        return None
    answered = sum(1 for code in codes if answers[code])
    return aggregate(LayerMeasure(
        "steering", pairs,
        "Aandeel van de vragen over aansturing (beslisbevoegdheden, mandaten, P&C-cyclus, Wgr-bepalingen) en van de "
        "KPI-definities die beide partners beantwoordden, waarop zij hetzelfde antwoord geven.",
        [f"Vragenlijst aansturing: {answered} van {len(codes)} partners hebben antwoorden ingevuld",
         f"per paar {min(compared)} tot {max(compared)} vergelijkbare vragen en KPI's"],
        "Beslisbevoegdheden, mandaten en KPI-definities gezamenlijk vaststellen (afspraken in de laag Aansturing).",
        "aansturing: vragenlijst en KPI-definities",
    ))


# --- culture ------------------------------------------------------------------------------------


def latest_survey_results(workspace):
    """(survey, results) of the newest closed survey round with results, or (None, None)."""
    services = _service("people")
    if services is None or not hasattr(services, "surveys") or not hasattr(services, "results"):
        return None, None
    for survey in services.surveys(workspace):
        if not survey.is_closed():
            continue
        results = services.results(survey)
        if results.get("closed") and any(not p.get("suppressed") for p in results.get("partners", {}).values()):
            return survey, results
    return None, None


def culture_measure(workspace) -> LayerMeasure | None:
    survey, results = latest_survey_results(workspace)
    if survey is None:
        return None
    profiles = {code: entry["culture"]["now"] for code, entry in results["partners"].items()
                if not entry.get("suppressed") and entry.get("culture")}
    preferred = {code: entry["culture"]["preferred"] for code, entry in results["partners"].items()
                 if not entry.get("suppressed") and entry.get("culture")}
    codes = sorted(profiles)
    pairs, preferred_pairs = {}, {}
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            pairs[pair_key(a, b)] = profile_similarity(profiles[a], profiles[b])
            preferred_pairs["–".join(pair_key(a, b))] = round(profile_similarity(preferred[a], preferred[b]), 4)
    if not pairs:
        return None
    counts = ", ".join(f"{entry.get('name', code)} n = {entry.get('n')}" for code, entry in results["partners"].items()
                       if not entry.get("suppressed"))
    hidden = [entry.get("partner") for entry in results["partners"].values() if entry.get("suppressed")]
    inputs = [f"Enquête ‘{survey.title}’ ({survey.opens_on:%d-%m-%Y} t/m {survey.closes_on:%d-%m-%Y}): {counts}"]
    if hidden:
        inputs.append("niet getoond (te weinig respondenten): " + ", ".join(hidden))
    return aggregate(LayerMeasure(
        "culture", pairs,
        "1 − Σ|a_t − b_t| / 200 over de vier cultuurtypen (clan, adhocratie, markt, hiërarchie) van het huidige "
        "cultuurprofiel (100 punten per dimensie, gemiddeld). 1 = hetzelfde profiel.",
        inputs,
        "Gezamenlijke werkafspraken maken en elkaars werkwijze leren kennen (uitwisseling, gemengde teams); "
        "het gewenste profiel laat zien waar partners naartoe willen.",
        "cultuur & urgentie: anonieme enquête",
        details={"preferred": preferred_pairs, "survey": survey.title},
    ))


# --- applications -------------------------------------------------------------------------------


def applications_measure(workspace) -> LayerMeasure | None:
    services = _service("applications")
    if services is None or not hasattr(services, "usages"):
        return None
    usages = services.usages(workspace)
    if not usages:
        return None
    mapping = _name_map(workspace)
    portfolios: dict[str, dict[str, set]] = {}
    for usage in usages:
        code = mapping.get(str(usage.partner).casefold())
        if not code:
            continue
        product = (f"{usage.supplier} {usage.product}" if usage.product else usage.application).casefold().strip()
        portfolios.setdefault(code, {}).setdefault(usage.component_id, set()).add(product)
    codes = sorted(portfolios)
    pairs = {}
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            value = portfolio_similarity(portfolios[a], portfolios[b])
            if value is not None:
                pairs[pair_key(a, b)] = value
    if not pairs:
        return None
    components = {u.component_id for u in usages}
    return aggregate(LayerMeasure(
        "applications", pairs,
        "Aandeel van de GEMMA-referentiecomponenten (in gebruik bij a of b) waarvoor a en b hetzelfde product "
        "gebruiken.",
        [f"{len(usages)} bevestigde koppelingen van applicaties aan {len(components)} referentiecomponenten, "
         f"{len(codes)} partners"],
        "Bij het aflopen van contracten kiezen voor hetzelfde product — pas nadat de processen die het ondersteunt "
        "geharmoniseerd zijn.",
        "applicaties: portfolio's op GEMMA",
    ))


PROVIDERS: tuple[Provider, ...] = (
    Provider("products", "Producten & diensten", products_measure),
    Provider("processes", "Werkprocessen", processes_measure),
    Provider("steering", "Aansturing", steering_measure),
    Provider("culture", "Cultuur & urgentie", culture_measure),
    Provider("applications", "Applicaties", applications_measure),
)


def measure_all(workspace) -> tuple[dict[str, LayerMeasure | None], dict[str, str]]:
    """Every provider's measure, and per layer a Dutch note when it had no data or failed."""
    measures, notes = {}, {}
    for provider in PROVIDERS:
        try:
            measure = provider.fn(workspace)
        except Exception as exc:  # noqa: BLE001 - one broken layer must not hide the others
            logger.exception("measure provider %s failed", provider.layer)
            measure = None
            notes[provider.layer] = f"Meting mislukt: {exc}"
        measures[provider.layer] = measure
        if measure is None and provider.layer not in notes:
            notes[provider.layer] = "Geen gegevens in deze laag: de index is leeg (null)."
    return measures, notes
