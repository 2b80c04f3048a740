"""Contract commands end-to-end through the ``harmonie`` console script (separate processes)."""

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_shared

HARMONIE = str(Path(sys.executable).with_name("harmonie"))
PREFIX = "http://standaarden.overheid.nl/owms/terms/"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A fresh SQLite database in its own folder, migrated, with the real UPL list loaded."""
    folder = tmp_path_factory.mktemp("cli")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/db.sqlite3", HARMONIE_DATA_DIR=str(folder))
    run = lambda *args: subprocess.run([HARMONIE, *args], env=env, capture_output=True, text=True)  # noqa: E731
    done = run("migrate", "-v0")
    assert done.returncode == 0, done.stderr
    done = run("reference", "load", "upl", str(require_shared("upl/UPL-actueel-2025-04.csv")))
    assert done.returncode == 0, done.stderr
    return env, folder


def harmonie(env, *args):
    return subprocess.run([HARMONIE, *map(str, args)], env=env[0], capture_output=True, text=True)


@pytest.fixture(scope="module")
def sc_rows():
    with gzip.open(require_shared("sc/sc-products-170-gemeenten-2023-10.csv.gz"), "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path, header, rows, gz=False):
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def learned(env, sc_rows):
    """``upl learn`` on 30 real municipalities (gzip input)."""
    names = sorted({r["authority_label"] for r in sc_rows})[:60:2]
    header = list(sc_rows[0])
    rows = [[r[c] for c in header] for r in sc_rows if r["authority_label"] in names]
    learn = write_csv(env[1] / "learn.csv.gz", header, rows, gz=True)
    done = harmonie(env, "upl", "learn", learn)
    assert done.returncode == 0, done.stderr
    assert "gebruikt" in done.stderr and "ingetrokken" in done.stderr
    return learn


def read_out(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_match_columns_ranks_and_scores(env, learned):
    query = write_csv(
        env[1] / "q.csv",
        ["id", "title", "abstract", "audience", "extra"],
        [["a1", "Omgevingsvergunning voor het kappen van een boom", "", "particulier", "x"],
         ["a2", "Parkeervergunning voor bewoners", "Met een parkeervergunning parkeert u in uw wijk.", "", ""],
         ["a3", "Uittreksel BRP aanvragen", "", "", ""]],
    )
    out = env[1] / "out.csv"
    done = harmonie(env, "upl", "match", query, "--output", out)
    assert done.returncode == 0, done.stderr
    rows = read_out(out)
    assert rows[0] == ["id", "rank", "upl_uri", "upl_label", "score"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(i, str(k)) for i in ("a1", "a2", "a3") for k in (1, 2, 3)]
    for r in rows[1:]:
        assert r[2].startswith(PREFIX) and r[3] and 0.0 <= float(r[4]) <= 1.0
    by_id = {r[0]: r for r in rows[1:] if r[1] == "1"}
    assert "kap" in by_id["a1"][3] and "parkeer" in by_id["a2"][3]
    scores = [float(r[4]) for r in rows[1:4]]
    assert scores == sorted(scores, reverse=True)


def test_match_top_k_and_gzip_input(env, learned):
    query = write_csv(env[1] / "q.csv.gz", ["id", "title"], [["x", "Paspoort"], ["y", "Hondenbelasting"]], gz=True)
    out = env[1] / "out5.csv"
    done = harmonie(env, "upl", "match", query, "--output", out, "--top", 5)
    assert done.returncode == 0, done.stderr
    assert len(read_out(out)) == 1 + 2 * 5


def test_learned_model_persists_across_processes(env, learned, sc_rows):
    """A title only the learned catalogues know maps to their tag in a new process, not to the cold answer."""
    from harmonie.products.analysis.upl import split_tags

    names = set(sorted({r["authority_label"] for r in sc_rows})[:60:2])
    sample = [r for r in sc_rows if r["authority_label"] in names and split_tags(r["upl_uri"])][:200]
    query = write_csv(env[1] / "seen.csv", ["id", "title"], [[f"s{i}", r["title"]] for i, r in enumerate(sample)])
    learned_out, cold_out = env[1] / "seen_out.csv", env[1] / "cold_out.csv"
    assert harmonie(env, "upl", "match", query, "--output", learned_out, "--top", 1).returncode == 0
    upl = require_shared("upl/UPL-actueel-2025-04.csv")
    # a database without a learned model gives the cold answer
    cold_env = (dict(env[0], DATABASE_URL=f"sqlite:///{env[1]}/cold.sqlite3"), env[1])
    assert harmonie(cold_env, "migrate", "-v0").returncode == 0
    assert harmonie(cold_env, "upl", "match", query, "--output", cold_out, "--top", 1, "--upl", upl).returncode == 0
    truth = [set(split_tags(r["upl_uri"])) for r in sample]
    hits = lambda path: sum(r[2] in t for r, t in zip(read_out(path)[1:], truth))  # noqa: E731
    assert hits(learned_out) > hits(cold_out) + 40


def test_learn_twice_is_idempotent(env, learned):
    done = harmonie(env, "upl", "learn", learned)
    assert done.returncode == 0, done.stderr
    assert "model kent nu" in done.stderr
    first = done.stderr.split("model kent nu ")[1].split()[0]
    done = harmonie(env, "upl", "learn", learned)
    assert done.stderr.split("model kent nu ")[1].split()[0] == first


@pytest.mark.parametrize(
    "header, rows, needle",
    [
        (["id", "naam"], [["1", "x"]], "regel 1"),
        (["id", "title"], [["1", "Paspoort"], ["2", "  "]], "regel 3"),
    ],
)
def test_match_bad_input_exit_2_and_no_output(env, learned, header, rows, needle):
    query = write_csv(env[1] / "bad.csv", header, rows)
    out = env[1] / "bad_out.csv"
    done = harmonie(env, "upl", "match", query, "--output", out)
    assert done.returncode == 2
    assert "bad.csv" in done.stderr and needle in done.stderr
    assert not out.exists()


def test_learn_bad_input_exit_2(env):
    bad = write_csv(env[1] / "badlearn.csv", ["title"], [["Paspoort"]])
    done = harmonie(env, "upl", "learn", bad)
    assert done.returncode == 2 and "upl_uri" in done.stderr and "regel 1" in done.stderr
    only_placeholder = write_csv(env[1] / "ph.csv", ["title", "upl_uri"], [["Iets", PREFIX + "UPL-naam_nog_niet_beschikbaar"]])
    assert harmonie(env, "upl", "learn", only_placeholder).returncode == 2
    assert harmonie(env, "upl", "learn", env[1] / "bestaat-niet.csv").returncode == 2


SC_HEADER = ["authority_label", "title", "audience", "onlineAanvragen", "upl_label", "upl_uri"]


def test_catalog_compare_identical_and_disjoint(env, learned):
    rows = []
    for org in ("Bdorp", "Adorp"):
        rows.append([org, "Paspoort", "particulier", "ja", "paspoort", f"{PREFIX}{PREFIX}paspoort"])
        rows.append([org, "Rijbewijs", "particulier", "ja", "rijbewijs", PREFIX + "rijbewijs"])
    rows.append(["Cdorp", "Hondenbelasting", "particulier", "nee", "", PREFIX + "UPL-naam_nog_niet_beschikbaar"])
    src = write_csv(env[1] / "cmp.csv", SC_HEADER, rows)
    out = env[1] / "cmp.json"
    done = harmonie(env, "catalog", "compare", src, "--group-by", "authority_label", "--output", out)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"organisations", "pairs", "products"}
    assert data["organisations"] == ["Adorp", "Bdorp", "Cdorp"]
    pairs = {(p["a"], p["b"]): p for p in data["pairs"]}
    assert set(pairs) == {("Adorp", "Bdorp"), ("Adorp", "Cdorp"), ("Bdorp", "Cdorp")}
    assert pairs[("Adorp", "Bdorp")]["harmonisation_index"] == 1.0
    assert pairs[("Adorp", "Bdorp")]["shared_products"] == 2
    assert pairs[("Adorp", "Cdorp")] == {"a": "Adorp", "b": "Cdorp", "harmonisation_index": 0.0, "shared_products": 0}
    products = {p["upl_uri"]: p for p in data["products"]}
    assert products[PREFIX + "paspoort"]["organisations"] == ["Adorp", "Bdorp"]
    assert set(products[PREFIX + "paspoort"]) == {"upl_uri", "upl_label", "organisations"}
    # Cdorp's placeholder row got its rank-1 suggestion
    assert any(p["organisations"] == ["Cdorp"] for p in data["products"])


def test_catalog_compare_bad_group_column(env, learned):
    src = write_csv(env[1] / "cmp2.csv", SC_HEADER, [["A", "Paspoort", "", "", "", PREFIX + "paspoort"]])
    out = env[1] / "cmp2.json"
    done = harmonie(env, "catalog", "compare", src, "--group-by", "gemeente", "--output", out)
    assert done.returncode == 2 and "gemeente" in done.stderr and not out.exists()


def test_help_is_dutch(env):
    done = harmonie(env, "upl", "match", "--help")
    assert done.returncode == 0 and "Aantal voorstellen per product" in done.stdout
