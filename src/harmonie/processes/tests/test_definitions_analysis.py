"""Pure zaaktype analysis: label similarity (Dutch/English), one-to-one matching, durations, alignment."""

import pytest

from harmonie.processes.analysis.zaaktypen import (
    ResultInfo,
    StatusInfo,
    ZaakTypeInfo,
    align_statustypen,
    compare,
    duration_days,
    label_similarity,
    match_zaaktypen,
)

PT_A = "https://selectielijst.openzaak.nl/api/v1/procestypen/7ff2b005-4d84-47fe-983a-732bfa958ff5"
PT_B = "https://selectielijst.openzaak.nl/api/v1/procestypen/838e405a-9b12-43c4-a985-d7a7490d422e"


@pytest.mark.parametrize("a,b", [
    ("Omgevingsvergunning behandelen", "Aanvraag omgevingsvergunning"),
    ("Omgevingsvergunning behandelen", "Environmental permit handling"),
    ("Aanvraag ontvangen", "Application received"),
    ("Afgehandeld", "Completed"),
    ("Aanvraag financiële ondersteuning ondernemers behandelen v4",
     "Aanvraag financiele ondersteuning ondernemers behandelen"),
])
def test_same_process_scores_high(a, b):
    assert label_similarity(a, b) >= 0.6


@pytest.mark.parametrize("a,b", [
    ("Omgevingsvergunning", "Evenementenvergunning"),
    ("Melding openbare ruimte", "Klacht behandelen"),
    ("Aanvraag subsidie", "Aanvraag omgevingsvergunning"),
])
def test_different_processes_score_low(a, b):
    assert label_similarity(a, b) < 0.5


def test_generic_words_count_for_statustypen():
    assert label_similarity("In behandeling genomen", "In behandeling", generic=False) >= 0.9
    # For zaaktypen the generic words weigh less, so the shared subject decides.
    assert label_similarity("Vergunning aanvragen", "Vergunning behandelen") > \
        label_similarity("Vergunning aanvragen", "Vergunning behandelen", generic=False)


def zt(partner, key, label, procestype="", products=(), **kw):
    return ZaakTypeInfo(partner=partner, key=key, label=label, procestype=procestype, products=tuple(products), **kw)


def test_matching_is_one_to_one_per_partner_pair_and_uses_procestype_and_product():
    items = [
        zt("A", "a1", "Omgevingsvergunning behandelen", PT_A, ["upl:omv"]),
        zt("A", "a2", "Omgevingsvergunning aanvragen (oud)", PT_A),
        zt("A", "a3", "Melding openbare ruimte", PT_B),
        zt("B", "b1", "Environmental permit application", PT_A, ["upl:omv"]),
        zt("B", "b2", "Melding openbare ruimte afhandelen", PT_B),
        zt("B", "b3", "Klacht behandelen", PT_B),
    ]
    pairs = {(m.a.key, m.b.key): m for m in match_zaaktypen(items)}
    assert set(pairs) == {("a1", "b1"), ("a3", "b2")}
    assert "zelfde product (UPL)" in pairs[("a1", "b1")].reasons
    assert not any(m.a.partner == m.b.partner for m in pairs.values())


def test_a_different_procestype_lowers_the_score():
    a, b = "Aanvraag omgevingsvergunning", "Omgevingsvergunning behandelen"
    same = match_zaaktypen([zt("A", "a", a, PT_A), zt("B", "b", b, PT_A)], threshold=0)
    other = match_zaaktypen([zt("A", "a", a, PT_A), zt("B", "b", b, PT_B)], threshold=0)
    assert same[0].score - other[0].score == pytest.approx(0.25)


@pytest.mark.parametrize("text,days", [("P8W", 56), ("P91D", 91), ("P1Y", 365), ("P2M", 60), ("PT12H", 0.5),
                                       ("P1Y2M3DT4H", 365 + 60 + 3 + 4 / 24), ("", None), ("P", None), ("8 weken", None)])
def test_duration_days(text, days):
    assert duration_days(text) == (pytest.approx(days) if days is not None else None)


def test_statustypen_alignment_keeps_order_and_shows_gaps():
    a = tuple(StatusInfo(n, label) for n, label in enumerate(
        ["Aanvraag ontvangen", "Ontvankelijkheid beoordeeld", "In behandeling", "Besluit genomen", "Afgehandeld"], 1))
    b = tuple(StatusInfo(n, label) for n, label in enumerate(
        ["Application received", "In progress", "Decision made", "Completed"], 1))
    rows = [(x.label if x else None, y.label if y else None) for x, y, _s in align_statustypen(a, b)]
    assert rows == [("Aanvraag ontvangen", "Application received"), ("Ontvankelijkheid beoordeeld", None),
                    ("In behandeling", "In progress"), ("Besluit genomen", "Decision made"),
                    ("Afgehandeld", "Completed")]


def test_compare_lists_the_differences():
    a = zt("A", "a", "Omgevingsvergunning", PT_A, doorlooptijd="P8W", servicenorm="P6W",
           vertrouwelijkheid="zaakvertrouwelijk", statustypen=(StatusInfo(1, "Ontvangen"), StatusInfo(2, "Besluit")),
           resultaattypen=(ResultInfo("Verleend", "sl:11.1"), ResultInfo("Geweigerd", "sl:11.2")))
    b = zt("B", "b", "Omgevingsvergunning", PT_A, doorlooptijd="P56D", servicenorm="P10W",
           vertrouwelijkheid="vertrouwelijk", statustypen=(StatusInfo(1, "Ontvangen"), StatusInfo(2, "Intake"),
                                                           StatusInfo(3, "Besluit")),
           resultaattypen=(ResultInfo("Verleend", "sl:11.1.1"),))
    result = compare(a, b)
    fields = {f.field: f for f in result.fields}
    assert fields["doorlooptijd"].same  # P8W == P56D
    assert not fields["servicenorm"].same and fields["servicenorm"].note == "28 dagen verschil"
    assert not fields["vertrouwelijkheidaanduiding"].same and fields["selectielijstProcestype"].same
    assert [(x.label if x else None, y.label if y else None) for x, y, _s in result.statustypen] == [
        ("Ontvangen", "Ontvangen"), (None, "Intake"), ("Besluit", "Besluit")]
    # servicenorm + vertrouwelijkheid, one status gap, a different class for Verleend, Geweigerd only at A
    assert result.differences == 5


def test_match_reason_says_what_really_matched():
    """Trial: "Aanvraag omgevingsvergunning" ≈ "Environmental permit application" was explained as "naam 100%
    gelijk"; the words are a translation, not the same name."""
    from harmonie.processes.analysis.zaaktypen import label_similarity, name_reason

    nl, en = "Aanvraag omgevingsvergunning", "Environmental permit application"
    sim = label_similarity(nl, en)
    assert sim >= 0.8  # the normalisation does see them as the same
    assert name_reason(nl, en, sim).startswith("zelfde betekenis (vertaling/synoniem)")
    assert name_reason(nl, "aanvraag  Omgevingsvergunning", 1.0) == "naam gelijk"
    assert name_reason(nl, "Aanvraag omgevingsvergunningen", 0.95).startswith("naam vrijwel gelijk geschreven")
    assert name_reason("Kapvergunning", "Evenementenvergunning", 0.4) == "naam 40% verwant"
