"""Suggest GEMMA referentiecomponenten for an application (rapidfuzz; pure Python).

Each candidate component carries its name, its GEMMA description and the names
of the application services it realises. An application is described by its
name, supplier and product. Besides fuzzy similarity, a small hand-written list
of common Dutch municipal keywords (e.g. "zaak", "belasting", "wmo") helps; the
score is 0–100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

# keyword in application text → words that occur in the referentiecomponent name
KEYWORDS = {
    "zaak": ["zaak"], "zaaksysteem": ["zaakregistratie", "zaakafhandel"], "dms": ["document"],
    "document": ["document"], "archief": ["archief"], "e-depot": ["archief"], "crm": ["relatiebeheer"],
    "klantcontact": ["relatiebeheer", "klant"], "belasting": ["belasting"], "heffing": ["belasting"],
    "woz": ["woz"], "brp": ["burgerzaken"], "burgerzaken": ["burgerzaken"], "reisdocument": ["burgerzaken"],
    "financ": ["financieel"], "boekhoud": ["financieel"], "erp": ["financieel"], "wmo": ["wmo"],
    "sociaal domein": ["wmo", "inkomens", "jeugd"], "vergunning": ["vergunning"], "vth": ["vergunning"],
    "toezicht": ["toezicht"], "handhaving": ["handhaving"], "melding": ["meldingen"], "klacht": ["klachten"],
    "mijn": ["mijngemeente"], "portaal": ["portaal", "mijngemeente"], "pdc": ["producten-en-diensten"],
    "catalogus": ["catalogus"], "zaaktype": ["zaaktypecatalogus"], "personeel": ["personeel"],
    "hrm": ["personeel", "medewerker"], "salaris": ["salaris"], "gis": ["geo"], "geo": ["geo"],
    "bag": ["bag"], "bgt": ["bgt"], "raad": ["raadsinformatie"], "ris": ["raadsinformatie"],
    "website": ["webcontent"], "cms": ["webcontent"], "formulier": ["e-formulieren"], "parkeer": ["parkeer"],
    "afval": ["afval"], "begraaf": ["graven"], "inkoop": ["inkoop"], "contract": ["contract"],
    "subsidie": ["subsidie"], "jeugd": ["jeugd"], "schuld": ["schuld"], "inkomen": ["inkomens"],
    "participatie": ["inkomens", "reïntegratie"], "leerling": ["leerling"], "verkiezing": ["verkiezing"],
    "kas": ["kas"], "betaal": ["betaling"], "intranet": ["intranet"], "helpdesk": ["helpdesk"],
}


@dataclass(frozen=True)
class Candidate:
    object_id: str
    name: str
    description: str = ""
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    object_id: str
    name: str
    score: float
    reason: str


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", (text or "").casefold())).strip()


def suggest(name: str, supplier: str = "", product: str = "", candidates: list[Candidate] = (),
            limit: int = 3) -> list[Suggestion]:
    text = _norm(" ".join(x for x in (name, product) if x))
    full = _norm(" ".join(x for x in (name, supplier, product) if x))
    if not text:
        return []
    scored = []
    for cand in candidates:
        cname = _norm(cand.name)
        name_score = fuzz.token_set_ratio(text, cname)
        partial = fuzz.partial_ratio(text, cname) if len(text) >= 4 else 0
        desc = _norm(" ".join([cand.description[:600], *cand.services]))
        desc_score = fuzz.token_set_ratio(full, desc) * 0.6 if desc else 0
        keyword_hits = [k for k, words in KEYWORDS.items() if k in full and any(w in cname for w in words)]
        key_score = 85 + 3 * min(len(keyword_hits), 5) if keyword_hits else 0
        score = max(name_score * 0.9, partial * 0.8, desc_score, key_score)
        if keyword_hits:
            reason = f"trefwoord '{keyword_hits[0]}' past bij de naam van de component"
        elif score == desc_score:
            reason = "lijkt op de GEMMA-beschrijving en applicatieservices"
        else:
            reason = "lijkt op de naam van de component"
        scored.append(Suggestion(cand.object_id, cand.name, round(min(score, 100.0), 1), reason))
    scored.sort(key=lambda s: (-s.score, s.name))
    return [s for s in scored[:limit] if s.score >= 40]
