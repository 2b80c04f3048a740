"""The pure analysis: dates, overlap, common window, TIME, mapping suggestions."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from harmonie.applications.analysis import time as time_analysis
from harmonie.applications.analysis.dates import DateError, parse_date
from harmonie.applications.analysis.mapping import Candidate, suggest
from harmonie.applications.analysis.overlap import Usage, common_window, heat_level, overlap


def test_dates_iso_and_dutch():
    assert parse_date("2026-12-31") == date(2026, 12, 31)
    assert parse_date("31-12-2026") == date(2026, 12, 31)
    assert parse_date("1/2/2027") == date(2027, 2, 1)
    assert parse_date("") is None and parse_date(None) is None
    for bad in ("2026-13-01", "31-12-26", "eind 2026"):
        with pytest.raises(DateError):
            parse_date(bad)


def test_common_window():
    assert common_window([date(2026, 12, 31), date(2027, 3, 31)]) == date(2027, 4, 1)
    assert common_window([date(2026, 12, 31), None]) is None
    assert common_window([]) is None


def usages():
    zrc = ("zrc", "Zaakregistratiecomponent")
    return [
        Usage("Lindeveen", "Zaken A", *zrc, date(2026, 12, 31), "Acme", yearly_cost=Decimal(100), users=50),
        Usage("Brakelburg", "Zaken A", *zrc, date(2027, 6, 30), "Acme", yearly_cost=Decimal(80), users=40),
        Usage("Heidemeer", "Zaken B", *zrc, date(2025, 1, 1), "Beta", yearly_cost=Decimal(120), users=30),
        Usage("Heidemeer", "Zaken C", *zrc, date(2026, 1, 1), "Gamma"),
        Usage("Lindeveen", "Belasting X", "bel", "Belastingencomponent", None, "Gamma"),
    ]


def test_overlap_per_component():
    result = {c.component_id: c for c in overlap(usages())}
    zrc = result["zrc"]
    assert zrc.partners == ["Brakelburg", "Heidemeer", "Lindeveen"]
    assert zrc.applications == ["Zaken A", "Zaken B", "Zaken C"] and zrc.distinct_applications == 3
    assert zrc.common_window_from == date(2027, 7, 1)
    assert zrc.shared_suppliers == ["Acme"]
    assert zrc.cells["Heidemeer"].count == 2 and zrc.total_cost == Decimal(300)
    assert result["bel"].common_window_from is None
    assert heat_level(1, 3) == "harmonised" and heat_level(3, 3) == "divergent" and heat_level(1, 1) == "single"


def test_time_proposals_account_for_redundancy_and_wait_for_harmonisation():
    components = overlap(usages())
    found = {(p.partner, p.application): p for p in time_analysis.proposals(
        components, {"zrc": time_analysis.Harmonisation("procesharmonisatie zaakgericht werken", done=False)})}
    assert found[("Lindeveen", "Zaken A")].action == time_analysis.INVEST
    assert found[("Brakelburg", "Zaken A")].action == time_analysis.INVEST
    migrate = found[("Heidemeer", "Zaken B")]
    assert migrate.action == time_analysis.MIGRATE and migrate.target == "Zaken A"
    assert migrate.waits_for == "procesharmonisatie zaakgericht werken"
    assert any("Wacht op" in r for r in migrate.reasons)
    assert found[("Lindeveen", "Belasting X")].action == time_analysis.TOLERATE
    done = {(p.partner, p.application): p for p in time_analysis.proposals(
        components, {"zrc": time_analysis.Harmonisation("procesharmonisatie", done=True)})}
    assert done[("Heidemeer", "Zaken B")].waits_for == ""


def test_time_reasons_say_dates_as_the_pages_do_and_unknown_ends_in_words():
    """Dates as 1-1-2031 (like the contract tables); no "loopt tot onbekend" for a missing end date."""
    known = {(p.partner, p.application): p for p in time_analysis.proposals(overlap(usages()))}
    reasons = " ".join(known[("Heidemeer", "Zaken B")].reasons)
    assert "Contract loopt tot 1-1-2026" in reasons and "gezamenlijk venster vanaf 1-7-2027" in reasons
    unknown = [replace(u, contract_end=None) if u.partner == "Heidemeer" else u for u in usages()]
    found = {(p.partner, p.application): p for p in time_analysis.proposals(overlap(unknown))}
    reasons = " ".join(found[("Heidemeer", "Zaken B")].reasons)
    assert "Einddatum van het contract onbekend" in reasons
    assert "gezamenlijk venster nog niet te bepalen" in reasons and "onbekend." not in reasons.replace(
        "contract onbekend;", "")


def test_mapping_suggestions():
    candidates = [Candidate("1", "Zaakregistratiecomponent", "Registreert zaken"),
                  Candidate("2", "Belastingencomponent", "Heffen en innen van gemeentelijke belastingen"),
                  Candidate("3", "Burgerzakencomponent", "BRP en reisdocumenten")]
    assert suggest("Key2Belastingen", "Centric", "", candidates)[0].name == "Belastingencomponent"
    assert suggest("iBurgerzaken", "PinkRoccade", "BRP", candidates)[0].name == "Burgerzakencomponent"
    assert suggest("", "", "", candidates) == []


def test_time_with_suites_of_several_modules():
    def u(partner, app):
        return Usage(partner, app, "c", "Component", date(2027, 1, 1))

    rows = [u("P1", "S"), u("P1", "X"), u("P1", "Y"), u("P2", "S"), u("P2", "Z"), u("P3", "S"), u("P3", "Z")]
    found = {(p.partner, p.application): p for p in time_analysis.proposals(overlap(rows))}
    assert found[("P1", "S")].action == found[("P2", "Z")].action == time_analysis.INVEST
    assert (found[("P1", "X")].action, found[("P1", "X")].target) == (time_analysis.MIGRATE, "Z")
    assert found[("P1", "X")].waits_for  # never assumed harmonised
    assert found[("P1", "Y")].action == time_analysis.ELIMINATE
    rows = [u("P1", "S"), u("P1", "Z"), u("P1", "X"), u("P2", "S"), u("P2", "Z"), u("P2", "W")]
    found = {(p.partner, p.application): p for p in time_analysis.proposals(overlap(rows))}
    assert found[("P1", "X")].action == found[("P2", "W")].action == time_analysis.TOLERATE
