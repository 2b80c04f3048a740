"""Sequencing proposal, violations, involvement proposals, cost shares and index aggregation."""

from datetime import date

from harmonie.diagnosis.analysis.index import LayerMeasure, aggregate, build_index, portfolio_similarity, \
    profile_similarity
from harmonie.diagnosis.analysis.rules import Finding, InitiativeData
from harmonie.diagnosis.analysis.sequencing import cost_shares, involvement_proposals, propose, violations


def items():
    return [
        InitiativeData("v", "Visie", "visie", start=date(2026, 1, 1), end=date(2026, 4, 1)),
        InitiativeData("p", "Producten", "producten", start=date(2026, 2, 1), end=date(2026, 8, 1)),
        InitiativeData("w", "Processen", "werkprocessen", start=date(2026, 3, 1), end=date(2027, 3, 1)),
        InitiativeData("z", "Zaaksysteem", "applicaties", kind="migratie", start=date(2026, 6, 1),
                       end=date(2026, 12, 1)),
        InitiativeData("b", "Betrokkenheid", "cultuur", kind="betrokkenheid", start=date(2026, 2, 1),
                       end=date(2026, 5, 1)),
    ]


def test_proposal_orders_the_phases_and_moves_it_behind_the_business():
    proposal = {p.id: p for p in propose(items(), date(2026, 1, 1))}
    assert proposal["v"].start == date(2026, 1, 1) and not proposal["v"].moved
    assert proposal["p"].start == date(2026, 4, 1)  # after the vision
    assert proposal["w"].start >= proposal["p"].end
    assert proposal["z"].start >= proposal["w"].end and proposal["z"].moved
    assert proposal["z"].end - proposal["z"].start == date(2026, 12, 1) - date(2026, 6, 1)  # duration kept
    assert not proposal["b"].moved  # involvement runs alongside, never reordered
    assert any("applicaties" in r for r in proposal["z"].reasons)


def test_proposal_keeps_running_items_and_uses_contract_windows():
    data = items()
    data[2].status = "lopend"
    proposal = {p.id: p for p in propose(data, date(2026, 1, 1), {"z": date(2028, 1, 1)})}
    assert proposal["w"].start == date(2026, 3, 1)
    assert proposal["z"].end == date(2028, 1, 1)  # go-live at the contract window
    assert any("contractvenster" in r for r in proposal["z"].reasons)


def test_violations_flag_it_ahead_of_business_and_dependencies():
    data = items()
    data[1].dependencies = ("v",)
    found = violations(data)
    assert [(v.id, v.rule) for v in found] == [("p", "afhankelijkheid"), ("z", "it-volgt-business")]
    fixed = {p.id: p for p in propose(data, date(2026, 1, 1))}
    for item in data:
        item.start, item.end = fixed[item.id].start, fixed[item.id].end
    assert violations(data) == []


def test_involvement_proposals_for_l2_findings_only():
    findings = [Finding("L2-02", "L2", "hoog", "GM2", "urgentie laag", "advies"),
                Finding("L2-03", "L2", "hoog", "GM2", "moeten > willen", "advies"),
                Finding("L1-03", "L1", "hoog", None, "geen visie", "advies"),
                Finding("L2-04", "L2", "midden", None, "geen enquête", "advies")]
    out = involvement_proposals(findings, [("GM1", "Een"), ("GM2", "Twee")], date(2026, 1, 1))
    assert [(i.partner, i.rules) for i in out] == [("GM2", ["L2-02", "L2-03"])]
    assert involvement_proposals(findings, [("GM2", "Twee")], date(2026, 1, 1),
                                 {"Betrokkenheid medewerkers Twee"}) == []


def test_cost_shares():
    assert cost_shares(300, "gelijk", ["a", "b", "c"])[0] == {"a": 100, "b": 100, "c": 100}
    shares, note = cost_shares(100, "inwoners", ["a", "b"], {"a": 30000, "b": 10000})
    assert shares == {"a": 75, "b": 25} and note == ""
    shares, note = cost_shares(100, "inwoners", ["a", "b"], {"a": 30000})
    assert shares == {"a": 50, "b": 50} and "gelijke delen" in note
    assert cost_shares(90, "gebruik", ["a", "b"], usage={"a": 2, "b": 1})[0] == {"a": 60, "b": 30}


def test_aggregation_and_index_contract():
    m = aggregate(LayerMeasure("culture", {("B", "A"): 0.5, ("A", "C"): 1.0, ("B", "C"): 1.2}, "f"))
    assert m.pairs == {("A", "B"): 0.5, ("A", "C"): 1.0, ("B", "C"): 1.0}
    assert m.partners == {"A": 0.75, "B": 0.75, "C": 1.0}
    assert m.value == round((0.5 + 1 + 1) / 3, 4)
    index = build_index(["A", "B", "C"], {"culture": m, "products": None})
    assert set(index["layers"]) == {"products", "processes", "steering", "culture", "applications"}
    assert index["layers"]["products"] is None and index["layers"]["culture"] == m.value
    assert index["partners"]["A"]["culture"] == 0.75 and index["partners"]["A"]["processes"] is None
    assert index["pairs"][0] == {"a": "A", "b": "B", "products": None, "processes": None, "steering": None,
                                 "culture": 0.5, "applications": None}


def test_similarities():
    assert profile_similarity({"clan": 50, "markt": 50}, {"clan": 50, "markt": 50}) == 1
    assert profile_similarity({"clan": 100}, {"markt": 100}) == 0
    assert portfolio_similarity({"zaak": {"x"}, "dms": {"y"}}, {"zaak": {"x"}}) == 0.5
    assert portfolio_similarity({}, {}) is None
