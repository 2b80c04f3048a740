"""The product matrix of a samenwerkingsverband: UPL product × partner, harmonisation index and proposals.

Pure Python (no Django). Input: per partner (by name) its offerings keyed by UPL URI — a ``Definition``
(a ``compare.Offering`` with lead time, fees and subjects added) merged over the partner's products that carry
that UPL name — plus what the UPL itself says (label, legal basis, burger/bedrijf, withdrawn).

The pair index is exactly the one of ``compare`` (``harmonie catalog compare``): the same offerings give the same
numbers. On top of it this module adds the index per product and per partner, the differences per attribute and
a proposal per product (the definition most partners share). The formula in Dutch is ``FORMULA_NL``
(shown on the page and in docs/productmatrix.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from .compare import Offering, compare_catalogues, definition_similarity, normalise_audience

AUDIENCES = ("particulier", "ondernemer")
# The attributes compared per product, in display order (key, Dutch name).
ATTRIBUTES = (
    ("audience", "doelgroep"),
    ("online", "online aanvragen"),
    ("lead_time", "doorlooptijd"),
    ("fees", "kosten"),
)
ATTRIBUTE_LABELS = dict(ATTRIBUTES)
ONLINE_DISPLAY = {"digid": "ja, met DigiD"}  # the stored value 'digid' as people read it
ATTRIBUTE_KEYS = tuple(key for key, _label in ATTRIBUTES)
# Attributes that count in the index (as in ``compare.definition_similarity``); lead time and fees are free text,
# shown and proposed but not counted.
INDEXED_ATTRIBUTES = ("audience", "online")

FORMULA_NL = (
    "Paarindex H(a, b) = J(a, b) × D(a, b). J is de overlap (Jaccard) van de UPL-producten van a en b: het aantal "
    "gedeelde producten gedeeld door het aantal producten dat a of b aanbiedt. D is het gemiddelde over de gedeelde "
    "producten van d(u), de overeenkomst van de definities: het gemiddelde van de kenmerken die aan beide kanten "
    "bekend zijn — doelgroep (Jaccard van {particulier, ondernemer}) en online aanvragen (1 als gelijk, anders 0); "
    "1 als geen van beide aan beide kanten bekend is. "
    "Productindex H(u) = (n(u) / N) × D(u): n(u) partners bieden het product aan van de N partners met een "
    "catalogus, D(u) is het gemiddelde van d(u) over alle paren van die aanbieders (1 bij één aanbieder). "
    "Partnerindex H(p) = het gemiddelde van H(p, q) over alle andere partners q. "
    "De index van het samenwerkingsverband is het gemiddelde van alle paarindexen. "
    "Alle indexen liggen tussen 0 (niets gedeeld) en 1 (dezelfde producten met dezelfde definities). "
    "Doorlooptijd en kosten zijn vrije tekst: ze worden getoond en voorgesteld, maar tellen niet mee."
)


@dataclass
class Definition(Offering):
    """One partner's definition of one UPL product, merged over its products with that UPL name."""

    # value → number of products with it (plain dicts: a matrix makes tens of thousands of these)
    online: dict = field(default_factory=dict)
    lead_times: dict = field(default_factory=dict)
    fees: dict = field(default_factory=dict)
    subjects: dict = field(default_factory=dict)
    # derived values, computed once (a matrix asks for them many times); cleared by ``add``
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def add(self, *, title: str = "", audience=(), online: str = "", lead_time: str = "", fees: str = "",
            subject: str = "") -> Definition:
        """Merge one product (record) into this definition, the way ``compare`` merges CSV rows."""
        if isinstance(audience, str):
            audience = [audience]
        self.audiences |= normalise_audience("|".join(audience or ()))
        online = (online or "").strip().lower()
        if online:
            self.online[online] = self.online.get(online, 0) + 1
        for counts, value in ((self.lead_times, lead_time), (self.fees, fees), (self.subjects, subject)):
            value = (value or "").strip()
            if value:
                counts[value] = counts.get(value, 0) + 1
        self.titles.append(title or "")
        self._memo.clear()
        return self

    def online_value(self) -> str | None:
        if "online" not in self._memo:
            self._memo["online"] = most_common(self.online) if self.online else None
        return self._memo["online"]

    def value(self, attribute: str):
        """The partner's value of one attribute (``None`` when unknown), in comparable form."""
        key = ("value", attribute)
        if key not in self._memo:
            self._memo[key] = self._value(attribute)
        return self._memo[key]

    def display(self, attribute: str) -> str:
        """The partner's value of one attribute as the partner writes it ("" when unknown)."""
        key = ("display", attribute)
        if key not in self._memo:
            self._memo[key] = self._display(attribute)
        return self._memo[key]

    def all_values(self) -> tuple:
        """(comparable values, display values) of every attribute, in ``ATTRIBUTES`` order."""
        if "all" not in self._memo:
            self._memo["all"] = (tuple(self.value(a) for a, _l in ATTRIBUTES),
                                 tuple(self.display(a) for a, _l in ATTRIBUTES))
        return self._memo["all"]

    def _value(self, attribute: str):
        if attribute == "audience":
            return audience_key(self.audiences)
        if attribute == "online":
            return self.online_value()
        counts = self.lead_times if attribute == "lead_time" else self.fees
        return normalise_text(most_common(counts)) if counts else None

    def _display(self, attribute: str) -> str:
        if attribute == "audience":
            return ", ".join(a for a in AUDIENCES if a in self.audiences)
        if attribute == "online":
            value = self.online_value() or ""
            return ONLINE_DISPLAY.get(value, value)
        counts = self.lead_times if attribute == "lead_time" else self.fees
        return most_common(counts) if counts else ""


def most_common(counts: dict):
    """The value with the highest count; the first one seen on a tie (as ``Counter.most_common(1)``)."""
    return max(counts, key=counts.__getitem__)


def audience_key(audiences) -> str | None:
    """``"particulier"``, ``"ondernemer"``, ``"particulier, ondernemer"`` or ``None`` (unknown)."""
    parts = [a for a in AUDIENCES if a in audiences]
    return ", ".join(parts) if parts else None


@lru_cache(maxsize=8192)
def normalise_text(value: str) -> str:
    """Free text (lead time, fees) in comparable form: lower case, one space, ``€ 75,00`` = ``€75``."""
    text = re.sub(r"\s+", " ", (value or "").strip().lower())
    text = re.sub(r"(\d),00\b", r"\1", text)
    text = re.sub(r"€\s*", "€", text)
    return text.rstrip(".")


@dataclass(frozen=True)
class UplInfo:
    """What the UPL says about a product (the same for every partner)."""

    label: str
    legal_basis: tuple[str, ...] = ()  # labels, e.g. "Artikel 125 Gemeentewet"
    burger: bool = False
    bedrijf: bool = False
    withdrawn: bool = False
    sdg: str = ""

    def audience(self) -> str | None:
        """The audience the UPL names (burger → particulier, bedrijf → ondernemer), or None."""
        return audience_key({*(["particulier"] if self.burger else []), *(["ondernemer"] if self.bedrijf else [])})


@dataclass
class Change:
    partner: str
    attribute: str  # key of ATTRIBUTES
    current: str  # "" when the partner does not say
    proposed: str

    @property
    def attribute_label(self) -> str:
        return ATTRIBUTE_LABELS[self.attribute]

    @property
    def kind(self) -> str:
        return "aanvullen" if not self.current else "wijzigen"


@dataclass
class ProposedValue:
    attribute: str
    value: str  # display form; "" when no partner says anything
    support: int  # partners with this value
    known: int  # partners that say anything about this attribute
    tie: bool = False  # several values had the most partners; chosen by the UPL or alphabetically

    @property
    def attribute_label(self) -> str:
        return ATTRIBUTE_LABELS[self.attribute]


@dataclass
class Proposal:
    title: str  # the local title most partners use
    values: list[ProposedValue]
    changes: list[Change]

    def value(self, attribute: str) -> str:
        return next((v.value for v in self.values if v.attribute == attribute), "")

    def changes_for(self, partner: str) -> list[Change]:
        return [c for c in self.changes if c.partner == partner]


@dataclass
class Cell:
    """One partner's column in one product row."""

    partner: str
    titles: list[str]
    values: dict[str, str]  # attribute → display value ("" unknown)
    differs: dict[str, bool]  # attribute → differs from the proposal


@dataclass
class ProductRow:
    uri: str
    label: str
    upl: UplInfo
    partners: list[str]  # offering partners, sorted
    cells: dict[str, Cell]  # partner → cell (offering partners only)
    coverage: float  # n(u) / N
    agreement: float  # D(u)
    index: float  # H(u)
    differences: dict[str, bool]  # attribute → the offering partners differ
    subjects: list[str]
    proposal: Proposal

    @property
    def slug(self) -> str:
        return upl_slug(self.uri)

    @property
    def has_differences(self) -> bool:
        return any(self.differences.values())

    @property
    def unique(self) -> bool:
        return len(self.partners) == 1

    @property
    def uncounted_differences(self) -> list[str]:
        """Labels of the attributes that differ but do not count in the index (lead time, fees)."""
        return [label for key, label in ATTRIBUTES if key not in INDEXED_ATTRIBUTES and self.differences.get(key)]

    @property
    def counted_differences(self) -> bool:
        return any(self.differences.get(key) for key in INDEXED_ATTRIBUTES)

    def audiences(self) -> set[str]:
        out = set()
        for cell in self.cells.values():
            out |= {a.strip() for a in cell.values["audience"].split(",") if a.strip()}
        return out


@dataclass
class ProductMatrix:
    partners: list[str]  # partners with a catalogue, sorted
    partners_without: list[str]  # partners without any product (left out of every index)
    products: list[ProductRow]  # most partners first, then by label
    pairs: list[dict]  # {"a", "b", "harmonisation_index", "shared_products"}, as ``catalog compare``
    partner_index: dict[str, float]
    index: float | None  # mean pair index; None with fewer than two partners
    sizes: dict[str, int]  # partner → number of UPL products
    # products not counted: no confirmed mapping, no source tag and a rank-1 suggestion below the threshold
    # (services.matrix fills it; each item: partner, product id, title, best suggestion label, score)
    unlinked: list[dict] = field(default_factory=list)
    min_score: float = 0.0

    @property
    def unique_products(self) -> list[ProductRow]:
        return [row for row in self.products if row.unique]

    @property
    def shared_products(self) -> list[ProductRow]:
        return [row for row in self.products if not row.unique]

    def product(self, key: str) -> ProductRow | None:
        return next((row for row in self.products if row.uri == key or row.slug == key), None)

    def pair(self, a: str, b: str) -> dict | None:
        a, b = sorted((a, b))
        return next((p for p in self.pairs if p["a"] == a and p["b"] == b), None)

    def subjects(self) -> list[str]:
        return sorted({s for row in self.products for s in row.subjects}, key=str.casefold)

    def as_comparison(self) -> dict:
        """The ``harmonie catalog compare`` structure (organisations, pairs, products)."""
        return {
            "organisations": list(self.partners),
            "pairs": [dict(p) for p in self.pairs],
            "products": [{"upl_uri": r.uri, "upl_label": r.label, "organisations": list(r.partners)}
                         for r in self.products],
        }


def upl_slug(uri: str) -> str:
    """The last part of a UPL URI (``…/owms/terms/paspoort`` → ``paspoort``), used in page addresses."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _signature(definition: Offering) -> tuple:
    return frozenset(definition.audiences & set(AUDIENCES)), definition.online_value()


def product_agreement(definitions: list[Offering]) -> float:
    """D(u): the mean ``definition_similarity`` over all pairs of offering partners (1.0 for fewer than two).

    Partners with the same signature (audience set, online value) are counted together, so the cost grows with
    the number of different definitions, not with the number of pairs."""
    n = len(definitions)
    if n < 2:
        return 1.0
    groups: dict[tuple, list] = {}
    for d in definitions:
        groups.setdefault(_signature(d), []).append(d)
    keys = list(groups)
    total = 0.0
    for i, s in enumerate(keys):
        count_s, sample_s = len(groups[s]), groups[s][0]
        total += count_s * (count_s - 1) / 2 * definition_similarity(sample_s, sample_s)
        for t in keys[i + 1:]:
            total += count_s * len(groups[t]) * definition_similarity(sample_s, groups[t][0])
    return total / (n * (n - 1) / 2)


def _choose(counts: dict, preferred: str | None) -> tuple[str | None, int, bool]:
    """The value most partners share: (value, support, tie). Ties go to ``preferred`` (the UPL) if it is one of
    them, else to the alphabetically first."""
    if not counts:
        return None, 0, False
    best = max(counts.values())
    top = sorted(v for v, c in counts.items() if c == best)
    if preferred in top:
        return preferred, best, len(top) > 1
    return top[0], best, len(top) > 1


def propose(definitions: dict[str, Definition], upl: UplInfo) -> Proposal:
    """The definition most partners share (per attribute) and what each partner would have to change."""
    values: list[ProposedValue] = []
    changes: list[Change] = []
    table = [(partner, *definitions[partner].all_values()) for partner in sorted(definitions)]
    for position, (attribute, _label) in enumerate(ATTRIBUTES):
        counts: dict = {}
        shown: dict[str, dict] = {}
        for _partner, keys, texts in table:
            key = keys[position]
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
                forms = shown.setdefault(key, {})
                forms[texts[position]] = forms.get(texts[position], 0) + 1
        preferred = upl.audience() if attribute == "audience" else None
        choice, support, tie = _choose(counts, preferred)
        display = most_common(shown[choice]) if choice is not None else ""
        values.append(ProposedValue(attribute, display, support, sum(counts.values()), tie))
        if choice is None:
            continue
        changes.extend(Change(partner, attribute, texts[position], display)
                       for partner, keys, texts in table if keys[position] != choice)
    titles: dict = {}
    shown_titles: dict[str, dict] = {}
    for definition in definitions.values():
        for title in dict.fromkeys(t.strip() for t in definition.titles if t.strip()):
            key = title.casefold()
            titles[key] = titles.get(key, 0) + 1
            forms = shown_titles.setdefault(key, {})
            forms[title] = forms.get(title, 0) + 1
    title_key, _support, _tie = _choose(titles, upl.label.casefold() if upl.label else None)
    title = most_common(shown_titles[title_key]) if title_key else upl.label
    return Proposal(title=title, values=values, changes=changes)


def build_matrix(catalogues: dict[str, dict[str, Definition]], upl: dict[str, UplInfo],
                 all_partners: list[str] | None = None) -> ProductMatrix:
    """The matrix of the partners in ``catalogues`` (name → {UPL URI → Definition}).

    ``upl`` gives what the UPL says per URI (a missing URI gets its last path part as label);
    ``all_partners`` may name partners without a catalogue (they are listed, not counted)."""
    catalogues = {name: cat for name, cat in catalogues.items() if cat}
    names = sorted(catalogues)
    labels = {uri: info.label for uri, info in upl.items() if info.label}
    comparison = compare_catalogues(catalogues, labels)
    n_partners = len(names)
    rows: list[ProductRow] = []
    for product in comparison.products:
        uri = product["upl_uri"]
        offering = product["organisations"]
        info = upl.get(uri) or UplInfo(label=product["upl_label"])
        if not info.label:
            info = UplInfo(product["upl_label"], info.legal_basis, info.burger, info.bedrijf, info.withdrawn, info.sdg)
        definitions = {name: catalogues[name][uri] for name in offering}
        agreement = product_agreement(list(definitions.values()))
        coverage = len(offering) / n_partners if n_partners else 0.0
        proposal = propose(definitions, info)
        all_values = [d.all_values()[0] for d in definitions.values()]
        differences = {attribute: len({v[i] for v in all_values} - {None}) > 1
                       for i, (attribute, _label) in enumerate(ATTRIBUTES)}
        changed_by: dict[str, set] = {}
        for change in proposal.changes:
            if change.current:
                changed_by.setdefault(change.partner, set()).add(change.attribute)
        cells = {}
        for name, definition in definitions.items():
            cell_values = dict(zip(ATTRIBUTE_KEYS, definition.all_values()[1]))
            changed = changed_by.get(name, set())
            cells[name] = Cell(name, list(dict.fromkeys(t for t in definition.titles if t)), cell_values,
                               {attribute: attribute in changed for attribute, _ in ATTRIBUTES})
        subjects = sorted({s for d in definitions.values() for s in d.subjects}, key=str.casefold)
        rows.append(ProductRow(
            uri=uri, label=info.label, upl=info, partners=list(offering), cells=cells,
            coverage=round(coverage, 4), agreement=round(agreement, 4), index=round(coverage * agreement, 4),
            differences=differences, subjects=subjects, proposal=proposal,
        ))
    partner_index = {}
    for name in names:
        values = [p["harmonisation_index"] for p in comparison.pairs if name in (p["a"], p["b"])]
        partner_index[name] = round(sum(values) / len(values), 4) if values else None
    overall = (round(sum(p["harmonisation_index"] for p in comparison.pairs) / len(comparison.pairs), 4)
               if comparison.pairs else None)
    without = sorted(set(all_partners or ()) - set(names), key=str.casefold)
    return ProductMatrix(
        partners=names, partners_without=without, products=rows, pairs=comparison.pairs,
        partner_index=partner_index, index=overall, sizes={name: len(catalogues[name]) for name in names},
    )


def pair_matrix(matrix: ProductMatrix) -> list[dict]:
    """Rows for a heatmap: per partner, its index with every other partner (``None`` on the diagonal)."""
    lookup = {}
    for p in matrix.pairs:
        lookup[(p["a"], p["b"])] = lookup[(p["b"], p["a"])] = p
    rows = []
    for a in matrix.partners:
        cells = []
        for b in matrix.partners:
            pair = lookup.get((a, b))
            cells.append({"partner": b, "index": pair["harmonisation_index"] if pair else None,
                          "shared": pair["shared_products"] if pair else matrix.sizes.get(a, 0), "self": a == b})
        rows.append({"partner": a, "cells": cells, "index": matrix.partner_index.get(a)})
    return rows


def index_level(value: float | None) -> int:
    """Colour class 0-4 for an index (0 = none/low … 4 = high); the number is always shown next to it."""
    if value is None:
        return 0
    return min(4, int(value * 5)) if value < 1 else 4


__all__ = [
    "ATTRIBUTES", "ATTRIBUTE_LABELS", "FORMULA_NL", "INDEXED_ATTRIBUTES", "Cell", "Change", "Definition",
    "ProductMatrix", "ProductRow", "Proposal", "ProposedValue", "UplInfo", "build_matrix", "index_level",
    "normalise_text", "pair_matrix", "product_agreement", "propose", "upl_slug",
]
