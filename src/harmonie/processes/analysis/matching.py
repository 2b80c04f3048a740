"""Activity matching between two process models (pure Python, no Django).

Which activity of model A is the same work as which activity of model B? Labels are short, written by
different people, in Dutch or English ("Aanvraag toetsen op volledigheid" ≈ "Check completeness of the
application"). The score of a pair combines:

1. **Label similarity.** Labels are normalised (lower case, accents off, camelCase and ``_-/`` split), stop
   words dropped, Dutch compounds split into known parts (``vergunningaanvraag`` → ``vergunning aanvraag``;
   a part is known when it is in the lexicon, a word of either model, or in simplemma's Dutch dictionary).
   Every token gets *keys*: its Snowball stems (Dutch and English), its simplemma lemmas, and the *concepts*
   of a small bilingual lexicon of process verbs and objects (controleren/toetsen/check/verify,
   aanvraag/request/application, ...). Two tokens match fully when they share a key, partly when their
   stems are close (rapidfuzz ratio ≥ 85). Tokens are weighted by inverse label frequency over both models,
   so the word that every label shares ("aanvraag") counts less than the one that tells them apart.
   Label similarity is the mean of the weighted coverage A→B and B→A.
2. **Structure.** A light similarity-flooding step: the mean of the best label similarity among the
   predecessors and among the successors (directly-follows between activities through gateways and unlabelled
   events), plus the similarity of the relative positions (0 = start, 1 = end).
3. **Selection.** score = (1 − β − γ)·label + β·neighbours + γ·position, plus ``ROLE_BONUS`` for the one
   labelled start event of A with that of B (and end with end), minus ``kind_penalty`` for an event against a
   task. A pair is proposed when its score is at least ``threshold``, its label similarity at least
   ``min_label``, *and* the score is within ``delta`` of the best score of both of its activities (so one
   activity may match several when they are about equally good, as when one model splits a step in two).
   Finally gaps are filled: an activity without a proposal whose predecessor and successor are matched is
   paired with the best unmatched activity between their counterparts (score ≥ ``gap_threshold``).

The cut-off and weights were tuned on the development pairs of ``benchmarks/data/process_matching`` only
(see ``benchmarks/bench_matching.py``, which also reports the held-out pairs).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

DEFAULTS = {"threshold": 0.3, "delta": 0.03, "beta": 0.2, "gamma": 0.2, "kind_penalty": 0.1, "min_label": 0.1,
            "gap_threshold": 0.2}

STOPWORDS = set("""
de het een van voor op in met aan door bij naar uit om te en of over als is zijn wordt worden er die dat deze dit
hun haar zijn zich ook nog niet wel al per tot na onder tussen bij eventueel evt indien zo nodig
the a an of for on in with at by to from and or about as is are be been being it its this that these those their
his her if when via into up out any all per
""".split())

# A bilingual lexicon of common process verbs and objects: each line is one concept. Written for municipal
# and general business processes; words are lower case without accents.
LEXICON = """
check controleren controle toetsen toetsing checken nagaan verifieren verificatie valideren validatie verify verification validate validation examine screen
assess beoordelen beoordeling toetsen toets evalueren evaluatie afwegen review assess assessment evaluate evaluation judge appraise appraisal score rate rating
decide besluiten beslissen besluit beslissing besluitvorming decide decision determine vaststellen vaststelling resolve
send versturen verzenden sturen zenden opsturen toesturen send dispatch mail forward transmit
submit indienen indiening aanleveren inleveren submit submission lodge
receive ontvangen ontvangst binnenkomst binnenkomen binnengekomen receive receipt received get obtain arrive arrives arrival incoming
register registreren registratie vastleggen inschrijven inschrijving invoeren boeken inboeken register book booking registration record enter log capture
inform informeren berichten mededelen bericht notificeren notify notification inform communicate tell
request aanvraag aanvragen verzoek verzoeken request application apply applying
ask vragen opvragen verzoeken request ask asking query
approve goedkeuren goedkeuring akkoord accorderen fiatteren approve approval accept acceptance grant toekennen toekenning verlenen verlening
reject afwijzen afwijzing weigeren weigering afkeuren reject rejection decline refuse refusal deny denial
pay betalen betaling uitbetalen uitbetaling uitkeren uitkering overmaken voldoen pay payment payout disburse disbursement transfer
invoice factureren factuur facturatie invoice invoicing bill billing
fee leges kosten tarief fee fees charge charges cost costs
prepare opstellen maken aanmaken opmaken schrijven uitwerken formuleren draft prepare create write compose drawing formulate
archive archiveren archivering opslaan bewaren archive store storage
schedule plannen inplannen agenderen afspraak schedule plan arrange appointment
publish publiceren publicatie bekendmaken bekendmaking publish publication announce
close afsluiten afronden afgerond sluiten gesloten beeindigen voltooien voltooid close closed closing complete completed finish finished finalise finalize conclude end
start starten openen beginnen start open initiate begin
contact contact contacteren bellen opbellen call phone
assign toewijzen verdelen routeren toedelen assign allocate distribute route routing
advise adviseren advies advice advise consult consultation raadplegen
objection bezwaar bezwaarschrift beroep objection appeal
complaint klacht klachten complaint complaints grievance
order bestelling bestellen order ordering purchase inkoop
deliver leveren levering bezorgen bezorging deliver delivery ship shipment shipping
applicant aanvrager klant burger inwoner indiener applicant customer client citizen resident requester
document document documenten stukken papieren bescheiden document documents paperwork papers
information gegevens informatie info data information details terugkoppeling feedback
letter brief letter
confirm bevestigen bevestiging confirm confirmation acknowledge acknowledgement
complete volledigheid volledig compleet completeness
missing ontbrekend ontbrekende aanvullen aanvulling aanvullende missing supplement additional
permit vergunning permit licence license
ruling beschikking ruling
meeting overleg vergadering bespreking bespreken meeting discuss discussion
interview gesprek intake interview
inspect bezoek inspectie inspecteren schouw locatiebezoek visit inspect inspection
calculate berekenen berekening bepalen schatten inschatten raming calculate calculation compute determine estimate estimation
change wijzigen wijziging aanpassen aanpassing bijwerken update change modify amend amendment
cancel annuleren intrekken intrekking cancel withdraw withdrawal revoke
reminder herinnering aanmaning rappel reminder dunning
handle behandelen behandeling afhandelen afhandeling verwerken verwerking handle handling process processing
evidence bewijs bewijsstuk bewijsstukken proof evidence
certificate certificaat diploma getuigschrift akte certificate degree deed
birth geboorte birth
name naam name
child kind baby child newborn
parent ouder moeder vader parent mother father
address adres address
official medewerker ambtenaar behandelaar official clerk employee officer caseworker
manager manager leidinggevende teamleider supervisor head
goods goederen artikelen artikel product producten goods items item article
stock voorraad stock inventory
quote offerte quote quotation offer
contract contract overeenkomst agreement
supplier leverancier supplier vendor
return retour retourneren terugsturen return
refund terugbetalen terugbetaling refund reimburse
answer antwoord beantwoorden reageren reactie respond answer reply response
solve oplossing oplossen verhelpen herstellen herstel repareren reparatie solve solution fix repair restore
investigate onderzoeken onderzoek uitzoeken investigate investigation research analyse analyze analysis
classify prioriteren prioriteit classificeren categoriseren priority prioritize classify categorise categorize
admit toelaten toelating admit admission
view zienswijze view opinion comments
deadline termijn deadline period
extend verlengen verlenging uitstel extend extension postpone
legal juridisch juridische legal
municipality gemeente municipality council
case zaak dossier case file
form formulier form
signature ondertekenen ondertekening handtekening sign signature
identity identiteit legitimatie identificatie identity identification id
accept aanvaarden accept
conditions voorwaarden voorschriften eisen conditions requirements terms
expert deskundige expert adviseur adjuster specialist
damage schade damage loss
supervise toezicht toezien monitoren supervise supervision monitor oversight
provide verstrekken uitreiken meegeven overhandigen provide issue supply hand
copy afschrift kopie uittreksel copy extract transcript
collect verzamelen verzamel ophalen pick collect gather
amount bedrag hoogte amount sum
""".strip().splitlines()


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tokenize(label: str) -> list[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", label or "")
    text = strip_accents(text).lower()
    return [t for t in re.split(r"[^a-z0-9]+", text) if t]


@lru_cache(maxsize=1)
def _stemmers():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("english")


@lru_cache(maxsize=20000)
def _stems(token: str) -> tuple[str, str]:
    nl, en = _stemmers()
    return nl.stemWord(token), en.stemWord(token)


@lru_cache(maxsize=20000)
def _lemmas(token: str) -> tuple[str, ...]:
    try:
        import simplemma
    except ImportError:  # pragma: no cover - a dependency
        return ()
    out = []
    for lang in ("nl", "en"):
        lemma = strip_accents(simplemma.lemmatize(token, lang=lang)).lower()
        if lemma != token:
            out.append(lemma)
    return tuple(out)


@lru_cache(maxsize=20000)
def _known_nl(token: str) -> bool:
    try:
        import simplemma

        return simplemma.is_known(token, lang="nl")
    except (ImportError, ValueError):  # pragma: no cover
        return False


@lru_cache(maxsize=1)
def _concepts() -> dict[str, frozenset[str]]:
    """word, lemma or stem → the concepts it belongs to."""
    index: dict[str, set[str]] = {}
    for line in LEXICON:
        words = line.split()
        concept, members = words[0], words[1:]
        for word in members:
            for key in {word, *_stems(word)}:
                index.setdefault(key, set()).add(concept)
    return {k: frozenset(v) for k, v in index.items()}


def _in_lexicon(token: str) -> bool:
    concepts = _concepts()
    return token in concepts or any(s in concepts for s in _stems(token))


def split_compound(token: str, vocabulary: set[str]) -> list[str]:
    """Split a Dutch compound into known parts (greedy from the right, linking -s-/-e- allowed), else [token]."""
    if len(token) < 8 or _in_lexicon(token) and token in _concepts():
        return [token]

    def known(part: str) -> bool:
        return len(part) >= 3 and (part in vocabulary or _in_lexicon(part) or _known_nl(part))

    for cut in range(3, len(token) - 3):
        left, right = token[:cut], token[cut:]
        if not (right in vocabulary or _in_lexicon(right) or _known_nl(right)) or len(right) < 4:
            continue
        for candidate in (left, left[:-1] if left.endswith(("s", "e")) else None):
            if candidate and known(candidate) and len(candidate) >= 4:
                return [*split_compound(candidate, vocabulary), right]
    return [token]


@dataclass
class Token:
    text: str
    keys: frozenset[str]
    weight: float = 1.0


@dataclass
class Activity:
    id: str
    label: str
    tokens: list[Token] = field(default_factory=list)
    position: float = 0.0
    predecessors: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    norm: str = ""


@dataclass
class ActivityModel:
    """What the matcher needs of a model: labelled activities, their order and neighbours."""

    activities: list[tuple[str, str]]  # (id, label) in document order
    positions: dict[str, float] = field(default_factory=dict)
    graph: dict[str, set[str]] = field(default_factory=dict)  # id → successor ids (activities only)
    roles: dict[str, str] = field(default_factory=dict)  # id → "start" / "end" for process-level start/end events
    events: set[str] = field(default_factory=set)  # ids of the labelled events (the rest are tasks/sub-processes)

    @classmethod
    def from_bpmn(cls, model) -> "ActivityModel":
        acts = [(n.id, n.label or n.id) for n in model.activities()]
        roles = {n.id: {"startEvent": "start", "endEvent": "end"}[n.kind] for n in model.activities()
                 if n.kind in ("startEvent", "endEvent") and not n.parent}
        events = {n.id for n in model.activities() if n.category == "event"}
        return cls(acts, model.positions(), model.activity_graph(), roles, events)

    @classmethod
    def from_sequences(cls, sequences: list[list[str]], max_neighbours: int = 5) -> "ActivityModel":
        """From event-log traces (activity names as ids): mean relative position, and per activity its most
        frequent successors (at most ``max_neighbours``, each at least 5 % of what follows it)."""
        follows: dict[str, dict[str, int]] = {}
        pos_sum: dict[str, float] = {}
        pos_n: dict[str, int] = {}
        order: list[str] = []
        for seq in sequences:
            for i, act in enumerate(seq):
                if act not in follows:
                    follows[act] = {}
                    order.append(act)
                pos_sum[act] = pos_sum.get(act, 0.0) + (i / (len(seq) - 1) if len(seq) > 1 else 0.0)
                pos_n[act] = pos_n.get(act, 0) + 1
                if i + 1 < len(seq) and seq[i + 1] != act:
                    nxt = follows[act]
                    nxt[seq[i + 1]] = nxt.get(seq[i + 1], 0) + 1
        graph = {}
        for act, nxt in follows.items():
            total = sum(nxt.values()) or 1
            top = sorted(nxt.items(), key=lambda kv: (-kv[1], kv[0]))[:max_neighbours]
            graph[act] = {b for b, n in top if n >= 0.05 * total}
        return cls([(a, a) for a in order], {a: pos_sum[a] / pos_n[a] for a in order}, graph)


@dataclass
class Match:
    a_id: str
    a_label: str
    b_id: str
    b_label: str
    score: float
    label_score: float


@lru_cache(maxsize=50_000)
def _token_keys(token: str) -> frozenset[str]:
    stems = _stems(token)
    lemmas = _lemmas(token)
    keys = {"w:" + token, "s:" + stems[0], "s:" + stems[1], *("w:" + lemma for lemma in lemmas)}
    concepts = _concepts()
    for form in (token, *stems, *lemmas):
        for concept in concepts.get(form, ()):
            keys.add("c:" + concept)
    return frozenset(keys)


def _prepare(model: ActivityModel, vocabulary: set[str]) -> list[Activity]:
    preds: dict[str, list[str]] = {}
    for source, targets in model.graph.items():
        for target in targets:
            preds.setdefault(target, []).append(source)
    out = []
    for ident, label in model.activities:
        words = [w for w in tokenize(label) if w not in STOPWORDS] or tokenize(label)
        parts = []
        for word in words:
            parts.extend(split_compound(word, vocabulary))
        tokens = [Token(p, _token_keys(p)) for p in parts if p not in STOPWORDS]
        out.append(Activity(ident, label, tokens, model.positions.get(ident, 0.0), preds.get(ident, []),
                            sorted(model.graph.get(ident, ())), " ".join(words)))
    return out


def _weigh(*activity_lists):
    """Inverse label frequency: a key found in many labels of both models weighs less."""
    labels = [a for acts in activity_lists for a in acts]
    n = len(labels) or 1
    df: dict[str, int] = {}
    for act in labels:
        seen = set()
        for tok in act.tokens:
            seen |= {k for k in tok.keys if not k.startswith("w:")}
        for key in seen:
            df[key] = df.get(key, 0) + 1
    for act in labels:
        for tok in act.tokens:
            best = max((df.get(k, 1) for k in tok.keys if k.startswith(("s:", "c:"))), default=1)
            tok.weight = math.log(1.0 + n / best)


def _token_match(x: Token, y: Token) -> float:
    return _text_match(x.text, y.text) if x.text <= y.text else _text_match(y.text, x.text)


@lru_cache(maxsize=200_000)
def _text_match(x: str, y: str) -> float:
    """1 on a shared key (stem, lemma, concept), 0.9 on a stem prefix, 0.8·ratio on a close spelling, else 0."""
    if x == y or _token_keys(x) & _token_keys(y):
        return 1.0
    sx, sy = _stems(x)[1], _stems(y)[1]
    short, long_ = sorted((sx, sy), key=len)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 4:
        return 0.9  # pack / package, ship / shipment
    if min(len(x), len(y)) >= 5:
        from rapidfuzz.fuzz import ratio

        r = ratio(x, y)
        if r >= 85:
            return 0.8 * r / 100.0
    return 0.0


def _coverage(a: Activity, b: Activity) -> float:
    total = sum(t.weight for t in a.tokens)
    if not total or not b.tokens:
        return 0.0
    return sum(t.weight * max(_token_match(t, u) for u in b.tokens) for t in a.tokens) / total


def label_similarity(a: Activity, b: Activity) -> float:
    if a.norm and a.norm == b.norm:
        return 1.0
    ab, ba = _coverage(a, b), _coverage(b, a)
    return (ab + ba) / 2.0


def similarity_matrix(model_a: ActivityModel, model_b: ActivityModel, *, beta: float | None = None,
                      gamma: float | None = None, kind_penalty: float | None = None):
    """(activities of A, activities of B, label matrix, combined matrix) — the matrices as numpy arrays.

    Vectorised: the token-against-token matches are computed once per pair of distinct token texts, the
    coverage of every label pair is then a weighted sum of row/column maxima, and the neighbour term two
    max-reductions over the label matrix (so two logs of 400 activities take a second, not a minute)."""
    import numpy as np

    beta = DEFAULTS["beta"] if beta is None else beta
    gamma = DEFAULTS["gamma"] if gamma is None else gamma
    kind_penalty = DEFAULTS["kind_penalty"] if kind_penalty is None else kind_penalty
    vocabulary = {w for m in (model_a, model_b) for _i, label in m.activities for w in tokenize(label)}
    acts_a, acts_b = _prepare(model_a, vocabulary), _prepare(model_b, vocabulary)
    _weigh(acts_a, acts_b)
    n_a, n_b = len(acts_a), len(acts_b)
    texts_a = sorted({t.text for a in acts_a for t in a.tokens})
    texts_b = sorted({t.text for b in acts_b for t in b.tokens})
    col_a = {t: k for k, t in enumerate(texts_a)}
    col_b = {t: k for k, t in enumerate(texts_b)}
    tokens = np.array([[_text_match(x, y) if x <= y else _text_match(y, x) for y in texts_b] for x in texts_a],
                      dtype=float).reshape(len(texts_a), len(texts_b))
    weights_a = np.zeros((n_a, len(texts_a)))
    weights_b = np.zeros((n_b, len(texts_b)))
    for i, act in enumerate(acts_a):
        for tok in act.tokens:
            weights_a[i, col_a[tok.text]] += tok.weight
    for j, act in enumerate(acts_b):
        for tok in act.tokens:
            weights_b[j, col_b[tok.text]] += tok.weight
    best_in_b = np.zeros((len(texts_a), n_b))  # token of A × activity of B: best match among B's tokens
    for j, act in enumerate(acts_b):
        if act.tokens:
            best_in_b[:, j] = tokens[:, [col_b[t.text] for t in act.tokens]].max(axis=1)
    best_in_a = np.zeros((len(texts_b), n_a))
    for i, act in enumerate(acts_a):
        if act.tokens:
            best_in_a[:, i] = tokens[[col_a[t.text] for t in act.tokens], :].max(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cover_ab = np.nan_to_num((weights_a @ best_in_b) / weights_a.sum(axis=1, keepdims=True))
        cover_ba = np.nan_to_num((weights_b @ best_in_a) / weights_b.sum(axis=1, keepdims=True))
    label = (cover_ab + cover_ba.T) / 2.0
    for i, a in enumerate(acts_a):
        for j, b in enumerate(acts_b):
            if a.norm and a.norm == b.norm:
                label[i, j] = 1.0
    index_a = {a.id: i for i, a in enumerate(acts_a)}
    index_b = {b.id: j for j, b in enumerate(acts_b)}

    def neighbours(lists_a, lists_b):
        ia = [[index_a[x] for x in ns if x in index_a] for ns in lists_a]
        jb = [[index_b[y] for y in ns if y in index_b] for ns in lists_b]
        first = np.zeros((n_a, n_b))
        for i, rows in enumerate(ia):
            if rows:
                first[i] = label[rows].max(axis=0)
        result = np.zeros((n_a, n_b))
        for j, cols in enumerate(jb):
            if cols:
                result[:, j] = first[:, cols].max(axis=1)
        empty_a = np.array([not rows for rows in ia], dtype=bool)
        empty_b = np.array([not cols for cols in jb], dtype=bool)
        result[np.ix_(empty_a, empty_b)] = 1.0  # both at the start (or both at the end)
        return result

    flood = (neighbours([a.predecessors for a in acts_a], [b.predecessors for b in acts_b])
             + neighbours([a.successors for a in acts_a], [b.successors for b in acts_b])) / 2.0
    position = 1.0 - np.abs(np.array([a.position for a in acts_a])[:, None]
                            - np.array([b.position for b in acts_b])[None, :])
    combined = (1.0 - beta - gamma) * label + beta * flood + gamma * position
    event_a = np.array([a.id in model_a.events for a in acts_a], dtype=bool)
    event_b = np.array([b.id in model_b.events for b in acts_b], dtype=bool)
    combined -= kind_penalty * (event_a[:, None] != event_b[None, :])
    for x, y in _sole_start_end_pairs(model_a, model_b):
        if x in index_a and y in index_b:
            combined[index_a[x], index_b[y]] += ROLE_BONUS + (kind_penalty if event_a[index_a[x]] != event_b[
                index_b[y]] else 0.0)
    return acts_a, acts_b, label, combined


ROLE_BONUS = 0.2


def _sole_start_end_pairs(model_a: ActivityModel, model_b: ActivityModel) -> set[tuple[str, str]]:
    """The labelled start event of A with that of B, and end with end, when each model has exactly one."""
    pairs = set()
    for role in ("start", "end"):
        in_a = [i for i, r in model_a.roles.items() if r == role]
        in_b = [i for i, r in model_b.roles.items() if r == role]
        if len(in_a) == 1 and len(in_b) == 1:
            pairs.add((in_a[0], in_b[0]))
    return pairs


def match_activities(model_a: ActivityModel, model_b: ActivityModel, *, threshold: float | None = None,
                     delta: float | None = None, beta: float | None = None, gamma: float | None = None,
                     kind_penalty: float | None = None, min_label: float | None = None,
                     gap_threshold: float | None = None) -> list[Match]:
    """The proposed correspondences, in A's then B's document order."""
    threshold = DEFAULTS["threshold"] if threshold is None else threshold
    gap_threshold = DEFAULTS.get("gap_threshold") if gap_threshold is None else gap_threshold
    min_label = DEFAULTS["min_label"] if min_label is None else min_label
    delta = DEFAULTS["delta"] if delta is None else delta
    acts_a, acts_b, label, combined = similarity_matrix(model_a, model_b, beta=beta, gamma=gamma,
                                                        kind_penalty=kind_penalty)
    if not acts_a or not acts_b:
        return []
    import numpy as np

    best_a = combined.max(axis=1)
    best_b = combined.max(axis=0)
    sole = _sole_start_end_pairs(model_a, model_b)
    keep = (combined >= threshold) & (combined >= best_a[:, None] - delta) & (combined >= best_b[None, :] - delta)
    chosen = set()
    for i, j in zip(*np.nonzero(keep)):
        if label[i, j] < min_label and (acts_a[i].id, acts_b[j].id) not in sole:
            continue
        chosen.add((int(i), int(j)))
    if gap_threshold:
        chosen |= _fill_gaps(acts_a, acts_b, combined, chosen, gap_threshold)
    return [Match(acts_a[i].id, acts_a[i].label, acts_b[j].id, acts_b[j].label,
                  round(min(float(combined[i, j]), 1.0), 4), round(float(label[i, j]), 4)) for i, j in sorted(chosen)]


def _fill_gaps(acts_a, acts_b, combined, chosen: set, gap_threshold: float) -> set:
    """An unmatched activity of A whose predecessor and successor are matched, against the best unmatched
    activity of B that sits between their counterparts, when the score is at least ``gap_threshold``."""
    index_a = {a.id: i for i, a in enumerate(acts_a)}
    index_b = {b.id: j for j, b in enumerate(acts_b)}
    matched_a = {i for i, _j in chosen}
    matched_b = {j for _i, j in chosen}
    partners_of = {}
    for i, j in chosen:
        partners_of.setdefault(i, set()).add(j)
    added = set()
    for i, a in enumerate(acts_a):
        if i in matched_a:
            continue
        before = {j for p in a.predecessors if p in index_a for j in partners_of.get(index_a[p], ())}
        after = {j for s in a.successors if s in index_a for j in partners_of.get(index_a[s], ())}
        if not before or not after:
            continue
        candidates = [j for j, b in enumerate(acts_b) if j not in matched_b
                      and any(index_b.get(p) in before for p in b.predecessors)
                      and any(index_b.get(s) in after for s in b.successors)]
        if candidates:
            j = max(candidates, key=lambda c: combined[i, c])
            if combined[i, j] >= gap_threshold:
                added.add((i, j))
    return added


def f1_scores(proposed: set, gold: set) -> dict:
    tp = len(proposed & gold)
    precision = tp / len(proposed) if proposed else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "proposed": len(proposed), "gold": len(gold), "precision": precision, "recall": recall,
            "f1": f1}


def baseline_rapidfuzz(model_a: ActivityModel, model_b: ActivityModel, threshold: float = 0.6) -> list[Match]:
    """The plain baseline: rapidfuzz token_set_ratio of the labels, best match per activity above a cut-off."""
    from rapidfuzz import fuzz, utils

    out = []
    for a_id, a_label in model_a.activities:
        scored = [(fuzz.token_set_ratio(a_label, b_label, processor=utils.default_process) / 100.0, b_id, b_label)
                  for b_id, b_label in model_b.activities]
        if not scored:
            continue
        score, b_id, b_label = max(scored)
        if score >= threshold:
            out.append(Match(a_id, a_label, b_id, b_label, round(score, 4), round(score, 4)))
    return out
