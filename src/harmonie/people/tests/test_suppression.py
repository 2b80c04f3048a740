"""The anonymity rules, proven: primary suppression below k, complementary suppression so a
hidden group can never be derived by subtracting visible aggregates (partner total minus
visible groups, department minus visible teams, crossed cuts), checked by brute force over
every +/- combination of what is published."""

import itertools
import random
from collections import Counter

import pytest

from harmonie.people.analysis.report import Group, Respondent, SurveyData, build_report
from harmonie.people.analysis.scoring import Answers
from harmonie.people.analysis.suppression import suppress
from harmonie.people.analysis.validation import validate_all

from .helpers import valid_answers


def model(atoms: dict, nodes: dict, partitions):
    """Counts per node from atom counts; ``nodes``: name -> set of atoms."""
    return {name: sum(atoms[a] for a in members) for name, members in nodes.items()}


def leaks(atoms: dict, nodes: dict, published, k):
    """Every set of respondents with 0 < n < k an attacker can compute as a +/-1 combination of
    published aggregates (brute force)."""
    published = sorted(published)
    found = []
    for coefficients in itertools.product((-1, 0, 1), repeat=len(published)):
        vector = Counter()
        for coefficient, name in zip(coefficients, published):
            if coefficient:
                for atom in nodes[name]:
                    vector[atom] += coefficient
        support = {a for a, v in vector.items() if v and atoms[a]}
        if support and all(vector[a] == 1 for a in support) and all(
                v == 0 or atoms[a] == 0 for a, v in vector.items() if a not in support):
            n = sum(atoms[a] for a in support)
            if 0 < n < k:
                found.append((sorted(support), n, [f"{c:+d}{p}" for c, p in zip(coefficients, published) if c]))
    return found


def published_after(atoms, nodes, partitions, k):
    counts = model(atoms, nodes, partitions)
    hidden = suppress(counts, partitions, k)
    return [name for name in nodes if name not in hidden], hidden


# --- primary suppression ---------------------------------------------------------------------


def test_group_below_k_is_hidden_and_at_k_is_shown():
    counts = {"P": 20, "A": 4, "B": 5, "C": 11}
    hidden = suppress(counts, [("P", ["A", "B", "C"])], k=5)
    assert "A" in hidden
    assert "B" in hidden  # complementary: P - B - C would expose A
    assert "C" not in hidden and "P" not in hidden
    assert suppress({"P": 20, "A": 5, "B": 15}, [("P", ["A", "B"])], k=5) == set()


def test_partner_below_k_is_hidden_with_all_its_groups():
    counts = {"P": 4, "A": 2, "B": 2}
    assert suppress(counts, [("P", ["A", "B"])], k=5) == {"P", "A", "B"}


def test_empty_group_is_hidden_too():
    assert "A" in suppress({"P": 10, "A": 0, "B": 10}, [("P", ["A", "B"])], k=5)


# --- the subtraction attack --------------------------------------------------------------------


def test_subtraction_attack_exists_without_complementary_suppression():
    """Partner 12 = team A 9 + team B 3. Hiding only B (primary) leaks B as 12 - 9."""
    atoms = {"a": 9, "b": 3}
    nodes = {"P": {"a", "b"}, "A": {"a"}, "B": {"b"}}
    primary_only = [name for name, n in model(atoms, nodes, None).items() if n >= 5]
    assert primary_only == ["P", "A"]
    assert leaks(atoms, nodes, primary_only, 5) == [(["b"], 3, ["-1A", "+1P"])]


def test_complementary_suppression_blocks_partner_total_minus_visible_groups():
    atoms = {"a": 9, "b": 3}
    nodes = {"P": {"a", "b"}, "A": {"a"}, "B": {"b"}}
    published, hidden = published_after(atoms, nodes, [("P", ["A", "B"])], 5)
    assert hidden == {"A", "B"}
    assert published == ["P"]
    assert leaks(atoms, nodes, published, 5) == []


def test_two_small_hidden_groups_together_below_k_force_a_third():
    # B (2) and C (2) hidden: P - A - D = 4 < 5 -> the smallest visible group (D, 6) is hidden too
    atoms = {"a": 10, "b": 2, "c": 2, "d": 6}
    nodes = {"P": set(atoms), "A": {"a"}, "B": {"b"}, "C": {"c"}, "D": {"d"}}
    published, hidden = published_after(atoms, nodes, [("P", ["A", "B", "C", "D"])], 5)
    assert hidden == {"B", "C", "D"}
    assert leaks(atoms, nodes, published, 5) == []


def test_respondents_without_group_count_as_hidden_remainder():
    # 3 respondents came through a partner-wide link: P - A would expose them
    atoms = {"a": 9, "rest": 3}
    nodes = {"P": {"a", "rest"}, "A": {"a"}}
    published, hidden = published_after(atoms, nodes, [("P", ["A"])], 5)
    assert hidden == {"A"}
    assert leaks(atoms, nodes, published, 5) == []


def test_remainder_of_at_least_k_needs_no_extra_suppression():
    atoms = {"a": 9, "rest": 6}
    nodes = {"P": {"a", "rest"}, "A": {"a"}}
    published, hidden = published_after(atoms, nodes, [("P", ["A"])], 5)
    assert hidden == set()


# --- across cuts -------------------------------------------------------------------------------


def test_department_minus_visible_teams_and_partner_minus_departments():
    """Nested cut: partner -> departments -> teams. Team T2 (3) is hidden; the department (10)
    minus T1 (7) would expose it, so T1 is hidden too - and then nothing leaks at any level."""
    atoms = {"t1": 7, "t2": 3, "e": 8}
    nodes = {"P": set(atoms), "D": {"t1", "t2"}, "E": {"e"}, "T1": {"t1"}, "T2": {"t2"}}
    partitions = [("P", ["D", "E"]), ("D", ["T1", "T2"])]
    published, hidden = published_after(atoms, nodes, partitions, 5)
    assert {"T1", "T2"} <= hidden and "D" in published and "P" in published
    assert leaks(atoms, nodes, published, 5) == []


def test_hidden_partner_with_visible_groups_cannot_be_peeled_from_the_overall_total():
    """Overall total (a cut across partners) = A 20 + X 7 + Y 3. Y is hidden (primary), X
    complementary; X's visible group G1 (6) must not let 'overall - A - G1' expose Y + 1."""
    atoms = {"a": 20, "x1": 6, "x_rest": 1, "y": 3}
    nodes = {"ALL": set(atoms), "A": {"a"}, "X": {"x1", "x_rest"}, "Y": {"y"}, "G1": {"x1"}}
    partitions = [("ALL", ["A", "X", "Y"]), ("X", ["G1"])]
    published, hidden = published_after(atoms, nodes, partitions, 5)
    assert leaks(atoms, nodes, published, 5) == []
    assert "Y" in hidden


def test_crossed_cuts_partner_by_team_type():
    """Rows = partners, columns = the same kind of team across partners (a second cut of the
    same people). No cell below k can be derived from row or column totals."""
    cells = {("P1", "ICT"): 3, ("P1", "KCC"): 9, ("P2", "ICT"): 8, ("P2", "KCC"): 7}
    atoms = {f"{p}-{t}": n for (p, t), n in cells.items()}
    nodes = {f"{p}-{t}": {f"{p}-{t}"} for p, t in cells}
    for p in ("P1", "P2"):
        nodes[p] = {f"{p}-{t}" for t in ("ICT", "KCC")}
    for t in ("ICT", "KCC"):
        nodes[f"alle-{t}"] = {f"{p}-{t}" for p in ("P1", "P2")}
    partitions = [(p, [f"{p}-ICT", f"{p}-KCC"]) for p in ("P1", "P2")] + \
                 [(f"alle-{t}", [f"P1-{t}", f"P2-{t}"]) for t in ("ICT", "KCC")]
    published, hidden = published_after(atoms, nodes, partitions, 5)
    assert "P1-ICT" in hidden
    assert leaks(atoms, nodes, published, 5) == []


@pytest.mark.parametrize("seed", range(200))
def test_random_hierarchies_never_leak(seed):
    """Property: for random partner/department/team structures (with respondents outside any
    group), no +/- combination of what is published exposes fewer than k people."""
    rng = random.Random(seed)
    k = rng.choice([3, 5])
    atoms, nodes, partitions = {}, {}, []
    departments = []
    for d in range(rng.randint(1, 3)):
        teams = []
        for t in range(rng.randint(0, 3)):
            atom = f"d{d}t{t}"
            atoms[atom] = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12])
            nodes[f"T{d}{t}"] = {atom}
            teams.append(f"T{d}{t}")
        rest = f"d{d}rest"
        atoms[rest] = rng.choice([0, 0, 1, 2, 6])
        nodes[f"D{d}"] = {rest} | {a for team in teams for a in nodes[team]}
        if teams:
            partitions.append((f"D{d}", teams))
        departments.append(f"D{d}")
    atoms["prest"] = rng.choice([0, 0, 1, 3, 7])
    nodes["P"] = {"prest"} | {a for d in departments for a in nodes[d]}
    partitions.append(("P", departments))
    published, _hidden = published_after(atoms, nodes, partitions, k)
    assert len(published) <= 13
    assert leaks(atoms, nodes, published, k) == []


@pytest.mark.parametrize("seed", range(150))
def test_random_crossed_cuts_never_leak(seed):
    """Property for crossed cuts: 2 partners x 2 team types, row, column and grand totals."""
    rng = random.Random(1000 + seed)
    rows, cols = ("P1", "P2"), ("ICT", "KCC")
    atoms = {f"{r}-{c}": rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 15]) for r in rows for c in cols}
    nodes = {a: {a} for a in atoms}
    nodes.update({r: {f"{r}-{c}" for c in cols} for r in rows})
    nodes.update({f"alle-{c}": {f"{r}-{c}" for r in rows} for c in cols})
    nodes["ALLES"] = set(atoms)
    partitions = ([(r, [f"{r}-{c}" for c in cols]) for r in rows]
                  + [(f"alle-{c}", [f"{r}-{c}" for r in rows]) for c in cols]
                  + [("ALLES", list(rows)), ("ALLES", [f"alle-{c}" for c in cols])])
    published, _hidden = published_after(atoms, nodes, partitions, 5)
    assert leaks(atoms, nodes, published, 5) == []


# --- the report ----------------------------------------------------------------------------------


def _answers(seed):
    return Answers.from_clean(validate_all(valid_answers(seed))[0])


def _numbers(value):
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


def _survey(closed=True):
    groups = [Group(1, "GM0001", "Vergunningen"), Group(2, "GM0001", "Belastingen"), Group(3, "GM0002", "KCC")]
    respondents = ([Respondent("GM0001", 1, _answers(i)) for i in range(9)]
                   + [Respondent("GM0001", 2, _answers(100 + i)) for i in range(3)]
                   + [Respondent("GM0002", 3, _answers(200 + i)) for i in range(7)]
                   + [Respondent("GM0003", None, _answers(300 + i)) for i in range(2)])
    return SurveyData(meta={"id": 1}, partners=[("GM0001", "Een"), ("GM0002", "Twee"), ("GM0003", "Drie")],
                      groups=groups, respondents=respondents, closed=closed, k=5)


def test_report_suppressed_entries_carry_no_numbers_at_all():
    result = build_report(_survey())
    one = result["partners"]["GM0001"]
    assert one["n"] == 12
    groups = {g["group"]: g for g in one["groups"]}
    assert groups["Belastingen"] == {"group": "Belastingen", "suppressed": True}
    # complementary: 12 - 9 would expose Belastingen, so Vergunningen is hidden too
    assert groups["Vergunningen"] == {"group": "Vergunningen", "suppressed": True}
    assert result["partners"]["GM0003"] == {"partner": "Drie", "suppressed": True}
    for entry in [result["partners"]["GM0003"], *one["groups"]]:
        assert _numbers(entry) == []
    two = result["partners"]["GM0002"]
    assert two["n"] == 7 and two["groups"][0]["n"] == 7  # one group = the whole partner: nothing hidden
    assert set(two) >= {"n", "culture", "readiness", "urgency", "groups"}


def test_report_before_closing_gives_only_counts_that_meet_k():
    result = build_report(_survey(closed=False))
    assert result["closed"] is False
    assert result["partners"]["GM0002"] == {"name": "Twee", "n": 7, "groups": [{"group": "KCC", "n": 7}]}
    assert result["partners"]["GM0003"] == {"partner": "Drie", "suppressed": True}
    assert all("culture" not in p for p in result["partners"].values())
