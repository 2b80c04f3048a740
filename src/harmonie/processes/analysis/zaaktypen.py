"""Zaaktypen across partners: which correspond, and how do they differ (pure Python, no Django).

Matching (``match_zaaktypen``) scores each pair of zaaktypen of two different partners:

* label similarity (``label_similarity``) in Dutch and English: lower-cased, stop words and version tags ("v4")
  removed, English words and phrases mapped to their Dutch counterpart by a small glossary of case-management
  terms, stemmed (Snowball Dutch); tokens match when their stems are equal or one is the head of a Dutch
  compound of the other ("omgevingsvergunning" ⊃ "vergunning"); generic process words (aanvraag, behandelen,
  ...) weigh 0.3; the weighted soft Jaccard index of the tokens is blended with rapidfuzz's token-sort ratio
  (0.7 / 0.3). The best of omschrijving, generic omschrijving and onderwerp counts;
* the Selectielijst procestype: same → +0.15, both known and different → −0.10;
* the product (UPL URI or productenOfDiensten): a shared product → +0.25.

Per pair of partners, pairs at or above ``threshold`` are assigned one-to-one, best first. The result is a
suggestion: people confirm or reject it.

``compare`` lists the differences of a matched pair: doorlooptijd and servicenorm (in days, ISO 8601 durations
with a year as 365 and a month as 30 days), vertrouwelijkheid, Selectielijst procestype, statustypen aligned in
order (an order-preserving alignment that maximises label similarity, volgnummer breaking ties) and
resultaattypen matched by label, with their Selectielijst class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

STOPWORDS = {"de", "het", "een", "van", "voor", "en", "of", "in", "op", "met", "bij", "aan", "te", "door", "naar",
             "the", "a", "an", "for", "and", "to", "on", "with", "by", "at", "genomen", "made", "taken"}
GLOSSARY = {
    "application": "aanvraag", "request": "verzoek", "applying": "aanvragen", "apply": "aanvragen",
    "permit": "vergunning", "license": "vergunning", "licence": "vergunning", "environmental": "omgeving",
    "environment": "omgeving", "building": "bouw", "construction": "bouw", "handle": "behandelen",
    "handling": "behandelen", "process": "behandelen", "processing": "behandelen", "received": "ontvangen",
    "receive": "ontvangen", "registered": "geregistreerd", "register": "registreren", "registration": "registratie",
    "decision": "besluit", "decide": "besluiten", "completed": "afgehandeld", "closed": "afgehandeld",
    "finished": "afgehandeld", "granted": "verleend", "grant": "verlenen", "refused": "geweigerd",
    "rejected": "afgewezen", "withdrawn": "ingetrokken", "objection": "bezwaar", "complaint": "klacht",
    "report": "melding", "notification": "melding", "subsidy": "subsidie", "assess": "beoordelen",
    "assessment": "beoordeling", "review": "beoordelen", "check": "toetsen", "verify": "controleren",
    "advice": "advies", "publication": "publicatie", "publish": "publiceren", "event": "evenement",
    "benefit": "uitkering", "allowance": "toeslag", "parking": "parkeer", "waste": "afval", "tax": "belasting",
    "passport": "paspoort", "birth": "geboorte", "marriage": "huwelijk", "death": "overlijden",
    "started": "gestart", "start": "start", "intake": "intake", "in progress": "in behandeling",
    "environmental permit": "omgevingsvergunning", "building permit": "bouwvergunning",
    "event permit": "evenementenvergunning",
}
# Words that say little about *which* process it is: they count for less in the label similarity.
GENERIC = {"aanvraag", "aanvragen", "verzoek", "behandelen", "afhandelen", "beoordelen", "beoordeling", "zaak",
           "proces", "uitvoeren", "melding", "indienen", "verwerken", "verlenen", "verstrekken", "toekennen",
           "afgeven"}
GENERIC_WEIGHT = 0.3
WEIGHT_SOFT, WEIGHT_FUZZ = 0.7, 0.3
PROCESTYPE_SAME, PROCESTYPE_DIFFERENT, PRODUCT_SHARED = 0.15, -0.10, 0.25
DAYS = {"Y": 365.0, "M": 30.0, "W": 7.0, "D": 1.0}
DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                      r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


@dataclass(frozen=True)
class StatusInfo:
    volgnummer: int
    label: str


@dataclass(frozen=True)
class ResultInfo:
    label: str
    selectielijstklasse: str = ""
    archiefnominatie: str = ""
    archiefactietermijn: str = ""


@dataclass(frozen=True)
class ZaakTypeInfo:
    partner: str
    key: str
    label: str
    other_labels: tuple[str, ...] = ()
    procestype: str = ""
    products: tuple[str, ...] = ()
    doorlooptijd: str = ""
    servicenorm: str = ""
    vertrouwelijkheid: str = ""
    statustypen: tuple[StatusInfo, ...] = ()
    resultaattypen: tuple[ResultInfo, ...] = ()


@dataclass
class Match:
    a: ZaakTypeInfo
    b: ZaakTypeInfo
    score: float
    reasons: list[str] = field(default_factory=list)


# --- labels ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stemmers():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("english")


def normalise(label: str) -> str:
    text = (label or "").casefold()
    text = re.sub(r"\bv\d+\b|\bversie\s*\d+\b|\(\s*\d+\s*\)", " ", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4096)
def tokens(label: str) -> tuple[str, ...]:
    """Stems of the meaningful words of a label (English words first mapped to Dutch)."""
    text = normalise(label)
    for phrase, dutch in GLOSSARY.items():
        if " " in phrase:
            text = text.replace(phrase, dutch)
    dutch_stemmer, _english = _stemmers()
    out = []
    for word in text.split():
        if word in STOPWORDS or word.isdigit():
            continue
        word = GLOSSARY.get(word, word)
        for part in word.split():
            stem = dutch_stemmer.stemWord(part)
            out.append(stem if len(stem) >= 3 else part)
    return tuple(out)


@lru_cache(maxsize=1)
def _generic_stems() -> frozenset:
    dutch_stemmer, _english = _stemmers()
    return frozenset(dutch_stemmer.stemWord(w) for w in GENERIC)


def _weight(token: str, generic: bool = True) -> float:
    return GENERIC_WEIGHT if generic and token in _generic_stems() else 1.0


def _token_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    # Dutch compounds: the head of "omgevingsvergunning" is "vergunning"; "aanvraagformulier" starts with "aanvraag".
    return len(short) >= 5 and (long.endswith(short) or long.startswith(short))


def soft_jaccard(a: tuple[str, ...], b: tuple[str, ...], generic: bool = True) -> float:
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    matched_a = sum(_weight(x, generic) for x in set_a if any(_token_match(x, y) for y in set_b))
    matched_b = sum(_weight(y, generic) for y in set_b if any(_token_match(x, y) for x in set_a))
    matched = (matched_a + matched_b) / 2
    total = sum(_weight(x, generic) for x in set_a) + sum(_weight(y, generic) for y in set_b) - matched
    return matched / total if total else 0.0


def label_similarity(a: str, b: str, generic: bool = True) -> float:
    """0..1: how alike two labels are (Dutch or English). ``generic=False``: every word weighs the same (for
    statustypen and resultaattypen, where "behandeling" is the point)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    ratio = fuzz.token_sort_ratio(" ".join(ta), " ".join(tb)) / 100
    return round(WEIGHT_SOFT * soft_jaccard(ta, tb, generic) + WEIGHT_FUZZ * ratio, 4)


# --- matching ---------------------------------------------------------------------------------------


def name_reason(a: str, b: str, sim: float) -> str:
    """What really matched between two names: the same text, nearly the same spelling, or the same meaning
    (a translation or synonym: the normalised words agree while the written words do not)."""
    pct = round(sim * 100)
    if " ".join(a.casefold().split()) == " ".join(b.casefold().split()):
        return "naam gelijk"
    spelling = fuzz.ratio(a.casefold(), b.casefold()) / 100
    if spelling >= 0.85:
        return f"naam vrijwel gelijk geschreven ({pct}% overeenkomst)"
    if sim >= 0.8:
        return f"zelfde betekenis (vertaling/synoniem), {pct}% overeenkomst"
    return f"naam {pct}% verwant"


def zaaktype_score(a: ZaakTypeInfo, b: ZaakTypeInfo) -> tuple[float, list[str]]:
    labels_a = [a.label, *[x for x in a.other_labels if x]]
    labels_b = [b.label, *[x for x in b.other_labels if x]]
    sim, x, y = max((label_similarity(x, y), x, y) for x in labels_a for y in labels_b)
    reasons = [name_reason(x, y, sim)]
    score = sim
    if a.procestype and b.procestype:
        if a.procestype == b.procestype:
            score += PROCESTYPE_SAME
            reasons.append("zelfde Selectielijst-procestype")
        else:
            score += PROCESTYPE_DIFFERENT
            reasons.append("ander Selectielijst-procestype")
    shared = set(a.products) & set(b.products)
    if shared:
        score += PRODUCT_SHARED
        reasons.append("zelfde product (UPL)")
    return round(max(0.0, min(1.0, score)), 4), reasons


def match_zaaktypen(items: list[ZaakTypeInfo], threshold: float = 0.6) -> list[Match]:
    """One-to-one suggestions per pair of partners, best first."""
    by_partner: dict[str, list[ZaakTypeInfo]] = {}
    for item in items:
        by_partner.setdefault(item.partner, []).append(item)
    partners = sorted(by_partner)
    matches: list[Match] = []
    for i, pa in enumerate(partners):
        for pb in partners[i + 1:]:
            candidates = []
            for a in by_partner[pa]:
                for b in by_partner[pb]:
                    score, reasons = zaaktype_score(a, b)
                    if score >= threshold:
                        candidates.append(Match(a, b, score, reasons))
            candidates.sort(key=lambda m: (-m.score, m.a.label, m.b.label))
            used_a, used_b = set(), set()
            for match in candidates:
                if match.a.key in used_a or match.b.key in used_b:
                    continue
                used_a.add(match.a.key)
                used_b.add(match.b.key)
                matches.append(match)
    return matches


def suggest_product(labels: list[str], products: list[tuple[str, str]], threshold: float = 0.6):
    """The product (``(uri, label)``, e.g. from the UPL) whose name is most like one of ``labels``:
    ``(uri, label, score)`` or None below ``threshold``. rapidfuzz preselects 15 candidates per label."""
    from rapidfuzz import process

    labels = [x for x in labels if x and tokens(x)]
    if not labels or not products:
        return None
    names = [" ".join(tokens(label)) for _uri, label in products]
    best = None
    for text in labels:
        query = " ".join(tokens(text))
        for _name, _ratio, index in process.extract(query, names, scorer=fuzz.token_set_ratio, limit=15):
            uri, label = products[index]
            score = label_similarity(text, label)
            if best is None or score > best[2]:
                best = (uri, label, score)
    return best if best and best[2] >= threshold else None


# --- differences ---------------------------------------------------------------------------------


def duration_days(text: str | None) -> float | None:
    """ISO 8601 duration → days (year 365, month 30); None when empty or not a duration."""
    match = DURATION.match((text or "").strip().upper())
    if not match or not text or text.strip().upper() == "P":
        return None
    y, m, w, d, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return y * DAYS["Y"] + m * DAYS["M"] + w * DAYS["W"] + d + hours / 24 + minutes / 1440 + seconds / 86400


def align_statustypen(a: tuple[StatusInfo, ...], b: tuple[StatusInfo, ...], threshold: float = 0.5):
    """Order-preserving alignment: rows ``(status_a | None, status_b | None, similarity)``."""
    a = sorted(a, key=lambda s: s.volgnummer)
    b = sorted(b, key=lambda s: s.volgnummer)
    n, m = len(a), len(b)
    sim = [[label_similarity(x.label, y.label, generic=False) for y in b] for x in a]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= threshold else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    rows, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= threshold and abs(best[i][j] - (sim[i][j] + best[i + 1][j + 1])) < 1e-9:
            rows.append((a[i], b[j], sim[i][j]))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            rows.append((a[i], None, 0.0))
            i += 1
        else:
            rows.append((None, b[j], 0.0))
            j += 1
    rows += [(x, None, 0.0) for x in a[i:]] + [(None, y, 0.0) for y in b[j:]]
    return rows


def align_resultaattypen(a: tuple[ResultInfo, ...], b: tuple[ResultInfo, ...], threshold: float = 0.5):
    pairs = sorted(((label_similarity(x.label, y.label, generic=False), i, j)
                    for i, x in enumerate(a) for j, y in enumerate(b)), reverse=True)
    used_a, used_b, rows = set(), set(), []
    for score, i, j in pairs:
        if score < threshold or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        rows.append((a[i], b[j], score))
    rows += [(x, None, 0.0) for i, x in enumerate(a) if i not in used_a]
    rows += [(None, y, 0.0) for j, y in enumerate(b) if j not in used_b]
    return rows


@dataclass
class Difference:
    field: str
    a: str
    b: str
    same: bool
    note: str = ""


@dataclass
class Comparison:
    a: ZaakTypeInfo
    b: ZaakTypeInfo
    fields: list[Difference]
    statustypen: list[tuple]
    resultaattypen: list[tuple]
    reasons: list[str] = field(default_factory=list)

    @property
    def differences(self) -> int:
        return (sum(1 for f in self.fields if not f.same)
                + sum(1 for x, y, _s in self.statustypen if x is None or y is None)
                + sum(1 for x, y, _s in self.resultaattypen
                      if x is None or y is None or x.selectielijstklasse != y.selectielijstklasse))


def _days_note(a: str, b: str) -> str:
    da, db = duration_days(a), duration_days(b)
    if da is None or db is None or da == db:
        return ""
    return f"{abs(da - db):g} dagen verschil"


def compare(a: ZaakTypeInfo, b: ZaakTypeInfo) -> Comparison:
    fields = []
    for name, va, vb in (("doorlooptijd", a.doorlooptijd, b.doorlooptijd),
                         ("servicenorm", a.servicenorm, b.servicenorm)):
        da, db = duration_days(va), duration_days(vb)
        same = (da == db) if da is not None and db is not None else (va or "") == (vb or "")
        fields.append(Difference(name, va or "", vb or "", same, _days_note(va, vb)))
    fields.append(Difference("vertrouwelijkheidaanduiding", a.vertrouwelijkheid, b.vertrouwelijkheid,
                             a.vertrouwelijkheid == b.vertrouwelijkheid))
    fields.append(Difference("selectielijstProcestype", a.procestype, b.procestype, a.procestype == b.procestype))
    return Comparison(a, b, fields, align_statustypen(a.statustypen, b.statustypen),
                      align_resultaattypen(a.resultaattypen, b.resultaattypen))
