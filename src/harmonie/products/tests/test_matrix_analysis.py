"""The product matrix (pure Python): index per pair, product and partner, differences, proposals.

Expected values are computed by hand from the formula in ``analysis.matrix.FORMULA_NL``.
"""

import random
from itertools import combinations

import pytest

from harmonie.products.analysis.compare import definition_similarity, harmonisation_index
from harmonie.products.analysis.matrix import (
    Definition, UplInfo, build_matrix, index_level, normalise_text, pair_matrix, product_agreement, propose,
)


def d(audience="particulier", online="", lead_time="", fees="", title="", subject=""):
    return Definition().add(title=title, audience=audience.split("|") if audience else [], online=online,
                            lead_time=lead_time, fees=fees, subject=subject)


@pytest.fixture
def three():
    return {
        "A": {"u1": d("particulier", "ja", "8 weken", "€ 75,00", "Paspoort aanvragen", "Burgerzaken"),
              "u2": d("particulier", "nee", title="Afval")},
        "B": {"u1": d("particulier", "ja", "8 weken", "€75", "Paspoort", "Burgerzaken"),
              "u3": d("ondernemer", "ja", title="Terrasvergunning", subject="Ondernemen")},
        "C": {"u1": d("particulier|ondernemer", "nee", title="paspoort aanvragen"),
              "u2": d("particulier", "nee", title="Afvalpas")},
    }


UPL = {"u1": UplInfo("paspoort", ("Artikel 26 Paspoortwet",), burger=True),
       "u2": UplInfo("afvalinzameling"), "u3": UplInfo("terrasvergunning", bedrijf=True)}


def test_pair_index_by_hand(three):
    matrix = build_matrix(three, UPL)
    pairs = {(p["a"], p["b"]): (p["harmonisation_index"], p["shared_products"]) for p in matrix.pairs}
    # A-B: 1 of 3 products shared (J = 1/3), identical definitions (d = 1)
    assert pairs[("A", "B")] == (0.3333, 1)
    # A-C: J = 2/2; d(u1) = mean(audience 1/2, online 0) = 0.25, d(u2) = 1 → D = 0.625
    assert pairs[("A", "C")] == (0.625, 2)
    # B-C: J = 1/3, d(u1) = 0.25 → 1/12
    assert pairs[("B", "C")] == (0.0833, 1)
    assert matrix.index == pytest.approx((0.3333 + 0.625 + 0.0833) / 3, abs=1e-4)
    assert matrix.partner_index["A"] == pytest.approx((0.3333 + 0.625) / 2, abs=1e-4)
    assert matrix.partner_index["B"] == pytest.approx((0.3333 + 0.0833) / 2, abs=1e-4)
    assert matrix.partner_index["C"] == pytest.approx((0.625 + 0.0833) / 2, abs=1e-4)


def test_product_index_by_hand(three):
    rows = {row.uri: row for row in build_matrix(three, UPL).products}
    # u1: offered by all 3 (coverage 1); pair d: A-B 1, A-C 0.25, B-C 0.25 → D = 0.5
    assert (rows["u1"].coverage, rows["u1"].agreement, rows["u1"].index) == (1.0, 0.5, 0.5)
    # u2: A and C, identical definitions → 2/3 × 1
    assert (rows["u2"].coverage, rows["u2"].agreement, rows["u2"].index) == (0.6667, 1.0, 0.6667)
    # u3: only B
    assert rows["u3"].unique and rows["u3"].index == 0.3333
    assert [row.uri for row in build_matrix(three, UPL).products] == ["u1", "u2", "u3"]  # most partners first
    assert [row.uri for row in build_matrix(three, UPL).unique_products] == ["u3"]


def test_differences_and_proposal(three):
    row = build_matrix(three, UPL).product("u1")
    assert row.differences == {"audience": True, "online": True, "lead_time": False, "fees": False}
    values = {v.attribute: (v.value, v.support, v.known) for v in row.proposal.values}
    assert values == {"audience": ("particulier", 2, 3), "online": ("ja", 2, 3),
                      "lead_time": ("8 weken", 2, 2), "fees": ("€ 75,00", 2, 2)}  # "€75" is the same fee
    changes = [(c.partner, c.attribute, c.current, c.proposed, c.kind) for c in row.proposal.changes]
    assert changes == [
        ("C", "audience", "particulier, ondernemer", "particulier", "wijzigen"),
        ("C", "online", "nee", "ja", "wijzigen"),
        ("C", "lead_time", "", "8 weken", "aanvullen"),
        ("C", "fees", "", "€ 75,00", "aanvullen"),
    ]
    # the most used local title (case-insensitive): "Paspoort aanvragen" at A and C
    assert row.proposal.title == "Paspoort aanvragen"
    assert row.cells["C"].differs == {"audience": True, "online": True, "lead_time": False, "fees": False}
    assert row.cells["A"].differs == {"audience": False, "online": False, "lead_time": False, "fees": False}
    assert row.upl.legal_basis == ("Artikel 26 Paspoortwet",)
    assert row.subjects == ["Burgerzaken"]


def test_tie_goes_to_the_upl_audience():
    upl = UplInfo("terrasvergunning", bedrijf=True)
    proposal = propose({"A": d("particulier"), "B": d("ondernemer")}, upl)
    audience = proposal.values[0]
    assert (audience.value, audience.support, audience.tie) == ("ondernemer", 1, True)
    assert [(c.partner, c.proposed) for c in proposal.changes] == [("A", "ondernemer")]
    # without a UPL preference the alphabetically first value wins, still marked as a tie
    audience = propose({"A": d("particulier"), "B": d("ondernemer")}, UplInfo("x")).values[0]
    assert (audience.value, audience.tie) == ("ondernemer", True)


def test_nothing_known_proposes_nothing():
    proposal = propose({"A": d(""), "B": d("")}, UplInfo("x"))
    assert [v.value for v in proposal.values] == ["", "", "", ""]
    assert proposal.changes == []
    assert product_agreement([d(""), d("")]) == 1.0  # no attribute known at both sides


def test_identical_and_disjoint_extremes():
    same = {"A": {"u": d("particulier", "ja")}, "B": {"u": d("particulier", "ja")}}
    matrix = build_matrix(same, {})
    assert matrix.index == 1.0 and matrix.products[0].index == 1.0 and matrix.products[0].label == "u"
    disjoint = build_matrix({"A": {"u": d()}, "B": {"v": d()}}, {})
    assert disjoint.index == 0.0 and all(row.unique for row in disjoint.products)


def test_partners_without_catalogue_are_listed_not_counted(three):
    matrix = build_matrix({**three, "D": {}}, UPL, all_partners=["A", "B", "C", "D", "E"])
    assert matrix.partners == ["A", "B", "C"]
    assert matrix.partners_without == ["D", "E"]
    assert matrix.product("u1").coverage == 1.0


def test_product_agreement_equals_mean_over_pairs():
    rng = random.Random(7)
    for _ in range(30):
        defs = []
        for _ in range(rng.randint(2, 9)):
            audience = "|".join(rng.sample(["particulier", "ondernemer"], rng.randint(0, 2)))
            defs.append(d(audience, rng.choice(["", "ja", "nee", "digid"])))
        pairs = list(combinations(defs, 2))
        expected = sum(definition_similarity(a, b) for a, b in pairs) / len(pairs)
        assert product_agreement(defs) == pytest.approx(expected)


def test_pairs_equal_compare(three):
    matrix = build_matrix(three, UPL)
    for pair in matrix.pairs:
        assert (pair["harmonisation_index"], pair["shared_products"]) == harmonisation_index(
            three[pair["a"]], three[pair["b"]])
    assert matrix.as_comparison()["organisations"] == ["A", "B", "C"]


def test_heatmap_rows_and_levels(three):
    rows = pair_matrix(build_matrix(three, UPL))
    assert [r["partner"] for r in rows] == ["A", "B", "C"]
    a = rows[0]
    assert [c["index"] for c in a["cells"]] == [None, 0.3333, 0.625]
    assert a["cells"][0]["self"] and a["cells"][0]["shared"] == 2
    assert [index_level(v) for v in (None, 0.0, 0.19, 0.2, 0.625, 0.99, 1.0)] == [0, 0, 0, 1, 3, 4, 4]


def test_normalise_text():
    assert normalise_text("€ 75,00") == normalise_text("€75") == "€75"
    assert normalise_text("8  Weken.") == "8 weken"
