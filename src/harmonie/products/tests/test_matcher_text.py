"""Dutch text handling inside the UPL matcher: compounds, abbreviations, synonyms (also English titles), the
title keys, and the cached query vectors (no shared data needed: a small UPL list written here)."""

import numpy as np
import pytest

from harmonie.products.analysis.matcher import LabelledRecord, UplMatcher, loose_key, text_key, title_key
from harmonie.products.analysis.text import Normaliser, stem
from harmonie.products.analysis.upl import PREFIX, UplEntry

LABELS = {
    "gehandicaptenparkeerkaart": "gehandicaptenparkeerkaart",
    "parkeervergunning": "parkeervergunning",
    "omgevingsvergunning": "omgevingsvergunning",
    "omgevingsvergunning_kap": "omgevingsvergunning kap",
    "wmo-voorziening": "Wmo-voorziening",
    "huwelijksaangifte": "huwelijksaangifte",
    "paspoort": "paspoort",
    "rijbewijs": "rijbewijs",
    "automatische_incasso_of_machtiging": "automatische incasso of machtiging",
    "afvalstoffenheffing": "afvalstoffenheffing",
    "hondenbelasting": "hondenbelasting",
    "evenementenvergunning": "evenementenvergunning",
    "bijstand": "bijstand",
    "verhuismelding": "verhuismelding",
}


def entries(extra=()):
    return [UplEntry(PREFIX + slug, label, burger=True, gemeente=True) for slug, label in LABELS.items()] + list(extra)


@pytest.fixture(scope="module")
def cold():
    return UplMatcher(entries())


def best(matcher, title, abstract=""):
    return matcher.suggest(title, abstract)[0][0].removeprefix(PREFIX)


@pytest.fixture(scope="module")
def norm():
    return Normaliser(LABELS.values())


def test_compound_and_phrase_meet(norm):
    assert {stem("parkeer"), stem("vergunning")} <= set(norm.words("parkeervergunning"))
    assert {stem("gehandicapten"), stem("kaart")} <= set(norm.words("Gehandicaptenparkeerkaart aanvragen"))
    assert set(norm.words("Vergunning voor het parkeren")) & set(norm.words("parkeervergunning"))


def test_abbreviations_and_synonyms(norm):
    assert stem("gehandicaptenparkeerkaart") in norm.words("GPK")
    assert stem("ondersteuning") in norm.words("Wmo")
    assert stem("hondenbelasting") in norm.words("Honden")


def test_english_titles_get_dutch_words(norm):
    assert stem("huwelijk") in norm.words("Getting married")
    assert {stem("incasso"), stem("machtiging")} <= set(norm.words("Direct debit taxes"))
    assert stem("rijbewijs") in norm.words("Driving licence")
    assert stem("paspoort") in norm.words("Passport")


@pytest.mark.parametrize(
    "title, slug",
    [
        ("GPK aanvragen", "gehandicaptenparkeerkaart"),
        ("Invalidenparkeerkaart", "gehandicaptenparkeerkaart"),
        ("Parkeervergunning voor bewoners", "parkeervergunning"),
        ("Omgevingsvergunning aanvragen", "omgevingsvergunning"),
        ("Bomen kappen", "omgevingsvergunning_kap"),
        ("Wmo", "wmo-voorziening"),
        ("Getting married", "huwelijksaangifte"),
        ("Direct debit municipal taxes", "automatische_incasso_of_machtiging"),
        ("Driving licence", "rijbewijs"),
        ("Hondenbelasting", "hondenbelasting"),
        ("Evenement organiseren", "evenementenvergunning"),
    ],
)
def test_cold_matcher_understands_dutch_titles(cold, title, slug):
    assert best(cold, title) == slug


def test_title_keys():
    assert title_key("Paspoort   aanvragen!") == title_key("paspoort-aanvragen") == "paspoort aanvragen"
    assert loose_key("Bijstand voor zelfstandigen (Bbz)") == loose_key("zelfstandigen bijstand")
    assert loose_key("Bijstand voor zelfstandigen") != loose_key("Bijstand")
    assert text_key("Paspoort", "<p>U vraagt een <b>paspoort</b> aan.</p>") == text_key("paspoort", "U vraagt een paspoort aan.")
    assert text_key("Paspoort", "Een ander verhaal") != text_key("Paspoort", "U vraagt een paspoort aan.")


def test_cached_vectors_equal_the_plain_transform(cold):
    titles = ["Omgevingsvergunning aanvragen", "Bomen kappen", "Getting married", "Wmo", "Omgevingsvergunning aanvragen"]
    abstracts = ["<p>Wilt u bouwen?</p>", "", "Would you like to get married?", "Hulp bij het huishouden", "iets anders"]
    chars, words, body = cold._docs(titles, abstracts)
    plain = (cold.b_char.transform(chars), cold.b_word.transform(words), cold.b_body.transform(body))
    for _ in range(2):  # the second round comes from the caches
        for a, b in zip(plain, cold._vectors(titles, abstracts)):
            assert a.shape == b.shape
            assert np.allclose(a.toarray(), b.toarray())


def test_withdrawn_names_are_never_suggested():
    gone = UplEntry(PREFIX + "parkeerkaart_oud", "parkeerkaart gehandicapten", end_date="2020-01-01")
    matcher = UplMatcher(entries([gone]))
    suggested = {u for u, _, _ in matcher.suggest("Parkeerkaart gehandicapten", k=10)}
    assert PREFIX + "parkeerkaart_oud" not in suggested
    assert PREFIX + "gehandicaptenparkeerkaart" in suggested


def test_same_text_elsewhere_decides_between_labels():
    """The same title with two different supplier texts, tagged differently: the text decides."""
    records = []
    for i in range(12):
        records.append(LabelledRecord("Melding", [PREFIX + "verhuismelding"], "U verhuist binnen de gemeente en geeft dat door.", "particulier", f"g{i}"))
        records.append(LabelledRecord("Melding", [PREFIX + "evenementenvergunning"], "U organiseert een klein evenement op straat.", "particulier", f"g{i}"))
        records.append(LabelledRecord("Paspoort aanvragen", [PREFIX + "paspoort"], "Een paspoort vraagt u aan bij de gemeente.", "particulier", f"g{i}"))
        records.append(LabelledRecord("Hondenbelasting", [PREFIX + "hondenbelasting"], "Heeft u een hond? Dan betaalt u belasting.", "particulier", f"g{i}"))
        records.append(LabelledRecord("Bijstand", [PREFIX + "bijstand"], "Geen inkomen? Vraag bijstand aan.", "particulier", f"g{i}"))
    matcher = UplMatcher(entries())
    matcher.learn(records)
    matcher = UplMatcher.from_bytes(matcher.to_bytes())
    assert best(matcher, "Melding", "U organiseert een klein evenement op straat.") == "evenementenvergunning"
    assert best(matcher, "Melding", "U verhuist binnen de gemeente en geeft dat door.") == "verhuismelding"
