"""Harmonisation index: one measure per layer, aggregated per partner and per layer.

Every layer provider delivers *pair* similarities in [0, 1] (1 = the two partners are fully
harmonised on that layer). Aggregation is the same for every layer, so the numbers are
comparable and explainable:

* partner value  = mean of the pair values of that partner with every other partner it has a
  value with (how close this partner is to the rest);
* layer value    = mean of all pair values.

A layer without data has no ``LayerMeasure`` at all; in the output its values are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

# The contract's layer names, in the order of the sequencing (products → processes → steering),
# and the core layer keys they belong to.
INDEX_LAYERS: tuple[str, ...] = ("products", "processes", "steering", "culture", "applications")
CORE_KEY = {
    "products": "producten",
    "processes": "werkprocessen",
    "steering": "aansturing",
    "culture": "cultuur",
    "applications": "applicaties",
}
INDEX_LAYER_OF = {core: layer for layer, core in CORE_KEY.items()}
LAYER_LABELS = {
    "products": "Producten & diensten",
    "processes": "Werkprocessen",
    "steering": "Aansturing",
    "culture": "Cultuur & urgentie",
    "applications": "Applicaties",
}


@dataclass
class LayerMeasure:
    """What one layer provider returns: pair values plus everything needed to explain them."""

    layer: str
    pairs: dict[tuple[str, str], float]  # (cbs_a, cbs_b) with a < b -> value in [0, 1]
    formula: str  # plain-language formula (Dutch)
    inputs: list[str] = field(default_factory=list)  # evidence: which data, how much, from when
    raise_hint: str = ""  # what would raise the value
    source: str = ""  # where the numbers come from (service / stored comparison)
    details: dict = field(default_factory=dict)  # layer-specific extras (e.g. culture gap per pair)
    partners: dict[str, float] = field(default_factory=dict)  # filled by ``aggregate``
    value: float | None = None  # filled by ``aggregate``

    def pair(self, a: str, b: str) -> float | None:
        return self.pairs.get(pair_key(a, b))

    def min_pair(self) -> tuple[tuple[str, str], float] | None:
        if not self.pairs:
            return None
        key = min(self.pairs, key=lambda k: (self.pairs[k], k))
        return key, self.pairs[key]


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def clamp(value: float) -> float:
    return max(0.0, min(1.0, float(value)))


def aggregate(measure: LayerMeasure) -> LayerMeasure:
    """Fill ``partners`` and ``value`` from ``pairs`` (values clamped to [0, 1], 4 decimals)."""
    measure.pairs = {pair_key(a, b): round(clamp(v), 4) for (a, b), v in measure.pairs.items() if a != b}
    per_partner: dict[str, list[float]] = {}
    for (a, b), value in measure.pairs.items():
        per_partner.setdefault(a, []).append(value)
        per_partner.setdefault(b, []).append(value)
    measure.partners = {code: round(fmean(values), 4) for code, values in sorted(per_partner.items())}
    measure.value = round(fmean(measure.pairs.values()), 4) if measure.pairs else None
    return measure


def build_index(partners: list[str], measures: dict[str, LayerMeasure | None]) -> dict:
    """The ``index`` part of the diagnose contract. ``partners``: CBS codes in display order."""
    layers = {layer: (measures.get(layer).value if measures.get(layer) is not None else None)
              for layer in INDEX_LAYERS}
    per_partner = {}
    for code in partners:
        per_partner[code] = {
            layer: (measures[layer].partners.get(code) if measures.get(layer) is not None else None)
            for layer in INDEX_LAYERS
        }
    pairs = []
    for i, a in enumerate(partners):
        for b in partners[i + 1:]:
            row = {"a": a, "b": b}
            for layer in INDEX_LAYERS:
                measure = measures.get(layer)
                row[layer] = measure.pair(a, b) if measure is not None else None
            pairs.append(row)
    return {"layers": layers, "partners": per_partner, "pairs": pairs}


# --- layer similarity functions (pure; the providers feed them) ---------------------------------


def profile_similarity(a: dict[str, float], b: dict[str, float], total: float = 100.0) -> float:
    """Similarity of two ipsative profiles (points per type summing to ``total``):
    1 − Σ|a_t − b_t| / (2·total). 1 = the same profile, 0 = no overlap at all."""
    keys = set(a) | set(b)
    distance = sum(abs(float(a.get(k, 0)) - float(b.get(k, 0))) for k in keys)
    return clamp(1 - distance / (2 * total))


def answer_agreement(a: dict[str, str], b: dict[str, str]) -> tuple[float, int] | None:
    """Share of the questions both answered where the (normalised) answers are equal, and how
    many questions were compared; ``None`` when they have no answered question in common."""
    common = [k for k in a if a.get(k) and b.get(k)]
    if not common:
        return None
    same = sum(1 for k in common if a[k] == b[k])
    return same / len(common), len(common)


def portfolio_similarity(a: dict[str, set[str]], b: dict[str, set[str]]) -> float | None:
    """Applications: ``a``/``b`` map a GEMMA referentiecomponent to the set of (normalised)
    products a partner uses for it. Value = |components where both use a common product| /
    |components used by either|; ``None`` when neither has a mapped application."""
    union = set(a) | set(b)
    if not union:
        return None
    same = sum(1 for c in set(a) & set(b) if a[c] & b[c])
    return same / len(union)


def implementation_rate(statuses: list[str]) -> float | None:
    """How far along: share of applicable agreement implementations that are done."""
    applicable = [s for s in statuses if s != "nvt"]
    if not applicable:
        return None
    return round(sum(1 for s in applicable if s == "gereed") / len(applicable), 4)
