"""Every rule of the breekijzer-toets on its own scenario fixtures: where it must fire and where it
must stay silent. Pure Python (dataclass inputs): no database, no other layer apps."""

from datetime import date

import pytest

from harmonie.diagnosis.analysis.index import LayerMeasure, aggregate
from harmonie.diagnosis.analysis.rules import (
    DEFAULT_THRESHOLDS,
    RULES,
    CheckInput,
    InitiativeData,
    PartnerPeople,
    run_rules,
)

PARTNERS = [("GM0001", "Aadorp"), ("GM0002", "Beekveld"), ("GM0003", "Cromdijk")]
VISION = "Samen bieden we dezelfde diensten op dezelfde manier aan, vanuit goede informatiehuishouding."


def measure(layer, values):
    return aggregate(LayerMeasure(layer, dict(values), "formule"))


def base(**changes) -> CheckInput:
    """A healthy cooperation: every rule silent."""
    people = {code: PartnerPeople(code, True, n=20, commitment=4.0, efficacy=3.9, want=4.0, have_to=3.2,
                                  survey="enquête") for code, _n in PARTNERS}
    inp = CheckInput(partners=PARTNERS, vision=VISION, information_management_in_scope=True, initiatives=[
        InitiativeData("1", "Visie vaststellen", "visie", "bestuur", board_mandate="AB 2026-03",
                       start=date(2026, 1, 1), end=date(2026, 6, 30)),
        InitiativeData("2", "Vergunningproces harmoniseren", "werkprocessen", "primair_proces",
                       primary_process_need=True, start=date(2026, 7, 1), end=date(2027, 6, 30)),
        InitiativeData("3", "Eén zaaksysteem", "applicaties", "bestuur", board_mandate="AB 2026-09",
                       kind="migratie", start=date(2027, 7, 1), end=date(2028, 3, 1), dependencies=("2",)),
    ], people=people,
        processes=measure("processes", {("GM0001", "GM0002"): 0.8, ("GM0001", "GM0003"): 0.75,
                                        ("GM0002", "GM0003"): 0.7}),
        culture=measure("culture", {("GM0001", "GM0002"): 0.9, ("GM0001", "GM0003"): 0.85,
                                    ("GM0002", "GM0003"): 0.88}))
    for key, value in changes.items():
        setattr(inp, key, value)
    return inp


def fired(inp, rule, **overrides):
    return [f for f in run_rules(inp, overrides or None).findings if f.rule == rule]


def test_healthy_cooperation_has_no_findings():
    result = run_rules(base())
    assert result.findings == []
    assert result.notes == []


def test_every_rule_is_documented():
    assert len({r.id for r in RULES}) == len(RULES) >= 10
    for rule in RULES:
        assert rule.lesson in ("L1", "L2", "L3") and rule.id.startswith(rule.lesson)
        assert rule.title and rule.description
        assert all(key in DEFAULT_THRESHOLDS for key in rule.thresholds)


# --- L1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("initiator", ["it_ssc", "bedrijfsvoering"])
def test_l1_01_fires_without_mandate_or_need(initiator):
    inp = base()
    inp.initiatives[2].initiated_by, inp.initiatives[2].board_mandate = initiator, ""
    found = fired(inp, "L1-01")
    assert len(found) == 1 and found[0].lesson == "L1" and found[0].severity == "hoog"
    assert "Eén zaaksysteem" in found[0].evidence and found[0].initiative == "3"


def test_l1_01_silent_with_mandate_or_need_or_board_initiative():
    inp = base()
    inp.initiatives[2].initiated_by = "it_ssc"  # has a board mandate
    assert fired(inp, "L1-01") == []
    inp.initiatives[2].board_mandate = ""
    inp.initiatives[2].primary_process_need = True
    assert fired(inp, "L1-01") == []
    inp.initiatives[2].initiated_by, inp.initiatives[2].primary_process_need = "bestuur", False
    assert fired(inp, "L1-01") == []


def test_l1_02_information_management():
    assert [f.rule for f in fired(base(information_management_in_scope=False), "L1-02")] == ["L1-02"]
    unknown = base(information_management_in_scope=None)
    assert len(fired(unknown, "L1-02")) == 1
    unknown.initiatives[0].information_management = True
    assert fired(unknown, "L1-02") == []
    assert fired(base(information_management_in_scope=True), "L1-02") == []


def test_l1_03_vision():
    assert len(fired(base(vision=""), "L1-03")) == 1
    assert "tekens" in fired(base(vision="Samenwerken."), "L1-03")[0].evidence
    assert fired(base(), "L1-03") == []
    assert len(fired(base(), "L1-03", vision_min_chars=500)) == 1  # configurable


# --- L2 ---------------------------------------------------------------------------------------


def test_l2_01_readiness_below_threshold():
    inp = base()
    inp.people["GM0002"].efficacy = 3.1
    found = fired(inp, "L2-01")
    assert [(f.partner, f.lesson) for f in found] == [("GM0002", "L2")]
    assert "vertrouwen 3,10" in found[0].evidence
    assert fired(inp, "L2-01", readiness_min=3.0) == []


def test_l2_02_low_felt_urgency():
    inp = base()
    inp.people["GM0003"].want = 2.4
    found = fired(inp, "L2-02")
    assert [f.partner for f in found] == ["GM0003"] and found[0].severity == "hoog"
    assert fired(base(), "L2-02") == []


def test_l2_03_have_to_above_want():
    inp = base()
    inp.people["GM0001"].want, inp.people["GM0001"].have_to = 3.0, 4.2
    assert [f.partner for f in fired(inp, "L2-03")] == ["GM0001"]
    inp.people["GM0001"].have_to = 3.8  # gap 0.8 < 1.0
    assert fired(inp, "L2-03") == []
    assert [f.partner for f in fired(inp, "L2-03", coercion_gap=0.5)] == ["GM0001"]


def test_l2_04_no_survey():
    found = fired(base(people=None), "L2-04")
    assert len(found) == 1 and found[0].partner is None
    inp = base()
    inp.people["GM0003"] = PartnerPeople("GM0003", False)  # suppressed: too few respondents
    assert [f.partner for f in fired(inp, "L2-04")] == ["GM0003"]
    assert fired(base(), "L2-04") == []


def test_l2_rules_skip_partners_without_results():
    inp = base()
    inp.people["GM0003"] = PartnerPeople("GM0003", False)
    assert all(f.partner != "GM0003" for f in run_rules(inp).findings if f.rule in ("L2-01", "L2-02", "L2-03"))


# --- L3 ---------------------------------------------------------------------------------------


def test_l3_01_migration_before_the_process_work_it_serves():
    inp = base()
    inp.initiatives[2].start = date(2027, 1, 1)  # process harmonisation ends 2027-06-30
    found = fired(inp, "L3-01")
    assert len(found) == 1 and found[0].lesson == "L3" and found[0].initiative == "3"
    assert "Vergunningproces harmoniseren" in found[0].evidence


def test_l3_01_silent_when_business_is_done_or_comes_first():
    assert fired(base(), "L3-01") == []
    inp = base()
    inp.initiatives[2].start = date(2027, 1, 1)
    inp.initiatives[1].status = "gereed"
    assert fired(inp, "L3-01") == []
    inp = base()
    inp.initiatives[2].kind = "harmonisatie"  # not an application change (e.g. an inventory)
    inp.initiatives[2].start = date(2026, 1, 1)
    assert fired(inp, "L3-01") == []


def test_l3_01_without_any_business_initiative_uses_the_index_and_agreements():
    inp = base()
    del inp.initiatives[1]
    inp.initiatives[1].dependencies = ()
    inp.products = measure("products", {("GM0001", "GM0002"): 0.4})
    assert len(fired(inp, "L3-01")) == 1  # processes 0.75 ok, products 0.4 too low
    inp.products = measure("products", {("GM0001", "GM0002"): 0.9})
    assert fired(inp, "L3-01") == []
    inp.products = None
    assert len(fired(inp, "L3-01")) == 1  # not measured: not shown to be harmonised
    inp.implemented_layers = {"producten", "werkprocessen"}
    assert fired(inp, "L3-01") == []


def test_l3_02_target_process_of_one_partner_while_processes_differ():
    inp = base()
    inp.initiatives[1].target_process_of = "GM0001"
    inp.processes = measure("processes", {("GM0001", "GM0002"): 0.45, ("GM0001", "GM0003"): 0.8,
                                          ("GM0002", "GM0003"): 0.5})
    found = fired(inp, "L3-02")
    assert len(found) == 1 and found[0].partner == "GM0001"
    assert "Aadorp–Beekveld 0,45" in found[0].evidence and "Beekveld–Cromdijk" not in found[0].evidence


def test_l3_02_ssc_target_and_silence():
    inp = base()
    inp.initiatives[1].target_process_of = "ssc"
    assert fired(inp, "L3-02") == []  # processes similar enough (>= 0.6)
    assert len(fired(inp, "L3-02", process_similarity_min=0.72)) == 1  # 0.70 pair below 0.72
    inp.processes = None
    result = run_rules(inp)
    assert not [f for f in result.findings if f.rule == "L3-02"]
    assert any("L3-02 niet te toetsen" in note for note in result.notes)


def test_l3_03_single_platform_with_large_culture_gap():
    inp = base()
    inp.initiatives[2].single_platform = True
    assert fired(inp, "L3-03") == []  # culture close enough
    inp.culture = measure("culture", {("GM0001", "GM0002"): 0.9, ("GM0001", "GM0003"): 0.62,
                                      ("GM0002", "GM0003"): 0.7})
    found = fired(inp, "L3-03")
    assert len(found) == 1 and "Aadorp–Cromdijk 0,62" in found[0].evidence
    inp.initiatives[2].single_platform = False
    assert fired(inp, "L3-03") == []


def test_findings_are_sorted_by_lesson_and_severity():
    inp = base(vision="", people=None, information_management_in_scope=False)
    lessons = [f.lesson for f in run_rules(inp).findings]
    assert lessons == sorted(lessons)


def test_contract_shape():
    finding = run_rules(base(vision="")).findings[0]
    assert set(finding.as_contract()) == {"rule", "lesson", "severity", "partner", "evidence", "advice"}
