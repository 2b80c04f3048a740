"""Dutch normalisation, compound splitting, synonyms and UPL URI handling (no database)."""

import pytest

from harmonie.products.analysis.text import Normaliser, char_ngrams, fold, stem, tokens
from harmonie.products.analysis.upl import PLACEHOLDER, PREFIX, UplEntry, check_tags, repair_uri, split_tags


@pytest.fixture(scope="module")
def norm():
    return Normaliser(["omgevingsvergunning", "parkeervergunning", "gehandicaptenparkeerkaart", "hondenbelasting"])


def test_fold_accents_and_case():
    assert fold("Één Café Ĳsselstein naïef") == "een cafe ijsselstein naief"
    assert tokens("Drank- en Horecavergunning (DHW)") == ["drank", "en", "horecavergunning", "dhw"]


@pytest.mark.parametrize(
    "word, parts",
    [
        ("omgevingsvergunning", ["omgeving", "vergunning"]),
        ("gehandicaptenparkeerkaart", ["gehandicapten", "parkeer", "kaart"]),
        ("parkeervergunning", ["parkeer", "vergunning"]),
        ("afvalstoffenheffing", ["afval", "stoffen", "heffing"]),
        ("evenementenvergunning", ["evenementen", "vergunning"]),
        ("hondenbelasting", ["honden", "belasting"]),
        ("bijstandsuitkering", ["bijstand", "uitkering"]),
    ],
)
def test_compound_splitting(norm, word, parts):
    assert norm.split_compound(word) == parts


@pytest.mark.parametrize("word", ["verhuizing", "paspoort", "rijbewijs", "informatie"])
def test_no_spurious_split(norm, word):
    assert norm.split_compound(word) == [word]


def test_words_share_features_across_compound_and_phrase(norm):
    compound = set(norm.words("Omgevingsvergunning"))
    phrase = set(norm.words("vergunning voor de omgeving"))
    assert stem("vergunning") in compound & phrase
    assert stem("omgeving") in compound & phrase
    # stop words are dropped
    assert not {"de", "voor"} & phrase


def test_synonyms_and_abbreviations(norm):
    wmo = set(norm.words("Wmo"))
    assert {stem("maatschappelijke"), stem("ondersteuning")} <= wmo
    assert stem("gehandicaptenparkeerkaart") in set(norm.words("GPK aanvragen"))
    assert stem("reisdocument") in set(norm.words("Paspoort"))


def test_char_ngrams_within_words():
    grams = char_ngrams("Wmo hulp")
    assert " wm" in grams and "mo " in grams and "o h" not in grams


def test_repair_doubled_prefix():
    assert repair_uri(PREFIX + PREFIX + "paspoort") == PREFIX + "paspoort"
    assert repair_uri(PREFIX + PREFIX + PREFIX + "paspoort") == PREFIX + "paspoort"
    assert repair_uri(" " + PREFIX + "paspoort ") == PREFIX + "paspoort"


def test_split_tags_drops_placeholder_and_duplicates():
    value = f"{PREFIX}{PREFIX}paspoort | {PLACEHOLDER} | {PREFIX}paspoort | {PREFIX}rijbewijs"
    assert split_tags(value) == [PREFIX + "paspoort", PREFIX + "rijbewijs"]
    assert split_tags(PLACEHOLDER) == []


def test_check_tags_flags_withdrawn_and_unknown():
    current = {PREFIX + "paspoort": UplEntry(PREFIX + "paspoort", "paspoort")}
    check = check_tags(
        f"{PREFIX}{PREFIX}paspoort | {PREFIX}aanduiding_naamgebruik | {PREFIX}bestaatniet",
        current,
        withdrawn={PREFIX + "aanduiding_naamgebruik"},
    )
    assert check.current == [PREFIX + "paspoort"]
    assert check.withdrawn == [PREFIX + "aanduiding_naamgebruik"]
    assert check.unknown == [PREFIX + "bestaatniet"]
    assert check.repaired == 1
