"""The UPL matcher on a small real subset of the shared SC and UPL files (read in place)."""

import csv
import gzip

import numpy as np
import pytest
from conftest import require_shared

from harmonie.products.analysis.calibration import Isotonic, expected_calibration_error
from harmonie.products.analysis.matcher import LabelledRecord, UplMatcher
from harmonie.products.analysis.upl import parse_owms_json, parse_upl_csv, split_tags


@pytest.fixture(scope="module")
def upl_entries():
    return parse_upl_csv(require_shared("upl/UPL-actueel-2025-04.csv"))


@pytest.fixture(scope="module")
def sc_rows():
    path = require_shared("sc/sc-products-170-gemeenten-2023-10.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def split(sc_rows, upl_entries):
    """Learn from 40 municipalities, test on 10 others (records with a current tag)."""
    names = sorted({r["authority_label"] for r in sc_rows})
    learn_names, test_names = set(names[0:80:2]), set(names[1:21:2])
    current = {e.uri for e in upl_entries}
    train = [r for r in sc_rows if r["authority_label"] in learn_names]
    test = [(r, set(split_tags(r["upl_uri"])) & current) for r in sc_rows if r["authority_label"] in test_names]
    return train, [(r, tags) for r, tags in test if tags]


@pytest.fixture(scope="module")
def learned(upl_entries, split):
    train, _ = split
    matcher = UplMatcher(upl_entries)
    matcher.learn(
        LabelledRecord(r["title"], split_tags(r["upl_uri"]), r["abstract"], r["audience"], r["authority_label"])
        for r in train
    )
    return matcher


def test_upl_files_parse(upl_entries):
    assert len(upl_entries) > 1000
    assert not any(e.uri.endswith("UPL-naam_nog_niet_beschikbaar") for e in upl_entries)
    owms = parse_owms_json(require_shared("owms-waardelijsten/UniformeProductnaam.json"))
    assert any(e.withdrawn for e in owms) and any(not e.withdrawn for e in owms)


def test_cold_matcher_uses_label_text(upl_entries):
    matcher = UplMatcher(upl_entries)
    uris = [u for u, _, _ in matcher.suggest("Gehandicaptenparkeerkaart aanvragen", k=3)]
    assert any("gehandicaptenparkeerkaart" in u.lower() or "GPK" in u for u in uris) or any(
        "gehandicaptenparkeerkaart" in label for _, label, _ in matcher.suggest("Gehandicaptenparkeerkaart", k=3)
    )
    labels = [label for _, label, _ in matcher.suggest("Kapvergunning", k=3)]
    assert any("kap" in label for label in labels)
    for _, _, score in matcher.suggest("Paspoort", k=5):
        assert 0.0 <= score <= 1.0


def test_learned_matcher_on_unseen_municipalities(learned, split):
    _, test = split
    out = learned.suggest_many([r["title"] for r, _ in test], [r["abstract"] for r, _ in test], [r["audience"] for r, _ in test], k=3)
    top1 = np.mean([s[0][0] in tags for s, (_, tags) in zip(out, test)])
    top3 = np.mean([bool({u for u, _, _ in s} & tags) for s, (_, tags) in zip(out, test)])
    assert len(test) > 300
    assert top1 > 0.7 and top3 > 0.82, (top1, top3)
    scores = [s[0][2] for s in out]
    hits = [s[0][0] in tags for s, (_, tags) in zip(out, test)]
    assert expected_calibration_error(scores, hits) < 0.12
    for s in out:
        assert [x[2] for x in s] == sorted((x[2] for x in s), reverse=True)


def test_learned_beats_cold(upl_entries, learned, split):
    _, test = split
    cold = UplMatcher(upl_entries)
    titles = [r["title"] for r, _ in test]
    hits = lambda out: np.mean([s[0][0] in tags for s, (_, tags) in zip(out, test)])  # noqa: E731
    assert hits(learned.suggest_many(titles, k=1)) > hits(cold.suggest_many(titles, k=1))


def test_serialisation_round_trip(learned):
    payload = learned.to_bytes()
    assert payload[:2] == b"PK"  # a zip (.npz), not a pickle
    again = UplMatcher.from_bytes(payload)
    titles = ["Omgevingsvergunning kappen", "Parkeervergunning bewoners", "Uittreksel BRP", "Wmo huishoudelijke hulp"]
    a = learned.suggest_many(titles, k=3)
    b = again.suggest_many(titles, k=3)
    assert [[u for u, _, _ in s] for s in a] == [[u for u, _, _ in s] for s in b]
    for sa, sb in zip(a, b):
        assert np.allclose([x[2] for x in sa], [x[2] for x in sb], atol=0.02)


def test_isotonic_is_monotone():
    rng = np.random.default_rng(0)
    x = rng.random(2000)
    y = (rng.random(2000) < x).astype(float)
    iso = Isotonic.fit(x, y, min_block=20)
    grid = np.linspace(0, 1, 50)
    assert np.all(np.diff(iso(grid)) >= 0)
    assert expected_calibration_error(iso(x), y) < 0.05
