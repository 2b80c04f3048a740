"""Harmonisation index of catalogue comparison (no database)."""

from harmonie.products.analysis.compare import Offering, compare_catalogues, harmonisation_index


def cat(*uris, audience="particulier", online="ja"):
    out = {}
    for u in uris:
        o = Offering(audiences={audience})
        o.online[online] += 1
        out[u] = o
    return out


def test_identical_catalogues_score_one():
    assert harmonisation_index(cat("a", "b", "c"), cat("a", "b", "c")) == (1.0, 3)


def test_disjoint_catalogues_score_zero():
    assert harmonisation_index(cat("a", "b"), cat("c", "d")) == (0.0, 0)


def test_overlap_and_definitions_lower_the_index():
    assert harmonisation_index(cat("a", "b"), cat("a", "c")) == (round(1 / 3, 4), 1)
    same_products_other_definitions = harmonisation_index(cat("a", "b"), cat("a", "b", online="nee"))
    assert same_products_other_definitions == (0.5, 2)


def test_compare_structure_pairs_sorted():
    result = compare_catalogues({"B": cat("x", "y"), "A": cat("x"), "C": cat("z")}, {"x": "X-label"}).as_dict()
    assert result["organisations"] == ["A", "B", "C"]
    assert [(p["a"], p["b"]) for p in result["pairs"]] == [("A", "B"), ("A", "C"), ("B", "C")]
    x = next(p for p in result["products"] if p["upl_uri"] == "x")
    assert x == {"upl_uri": "x", "upl_label": "X-label", "organisations": ["A", "B"]}


def test_vectorised_pairs_equal_the_formula():
    import random

    rng = random.Random(4)
    cats = {}
    for o in range(12):
        c = {}
        for u in rng.sample(range(40), 15):
            off = Offering(audiences=set(rng.sample(["particulier", "ondernemer"], rng.randint(0, 2))))
            if rng.random() < 0.8:
                off.online[rng.choice(["ja", "nee", "digid"])] += 1
            c[f"u{u}"] = off
        cats[f"G{o:02d}"] = c
    result = compare_catalogues(cats, {}).as_dict()
    assert len(result["pairs"]) == 12 * 11 // 2
    for pair in result["pairs"]:
        assert (pair["harmonisation_index"], pair["shared_products"]) == harmonisation_index(cats[pair["a"]], cats[pair["b"]])
