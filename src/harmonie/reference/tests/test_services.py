"""Loading, versioning and lookups through ``reference.services`` (SQLite test database)."""

import pytest

from conftest import require_shared
from harmonie.core.errors import BadInput
from harmonie.core.jobs import run_inline
from harmonie.core.models import AuditEntry
from harmonie.reference import services
from harmonie.reference.models import GemmaElement, GemmaRelation, Gemeente, ReferenceVersion, UplProduct

from .helpers import gemeenten_excerpt_rows, tooi_csv, tooi_json, upl_csv, write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["363", "0363", "gm0363", "GM0363", " GM0363 ", "Gm363"])
def test_normalise_cbs_code(value):
    assert services.normalise_cbs_code(value) == "GM0363"


@pytest.mark.parametrize("value", ["", "Amsterdam", "GM12345", "GX0363", "0", "36a3"])
def test_normalise_cbs_code_malformed(value):
    with pytest.raises(BadInput) as err:
        services.normalise_cbs_code(value)
    assert f"'{value}' is geen geldige CBS-gemeentecode" in err.value.message


def test_identical_content_creates_no_new_version(tmp_path):
    first = services.load_reference("upl", upl_csv())
    assert (first.created, first.version, first.added, first.changed, first.removed, first.total) == (
        True, 1, 1214, 0, 0, 1214)
    again = services.load_reference("upl", upl_csv())
    assert (again.created, again.version) == (False, 1)
    assert again.summary() == "UPL: ongewijzigd (versie 1, 1214 items)"
    # same content, other encoding and delimiter: still identical
    import csv

    with open(upl_csv(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    recoded = write_csv(tmp_path / "upl-puntkomma.csv", rows[0], rows[1:], encoding="utf-8-sig", delimiter=";")
    assert services.load_reference("upl", recoded).created is False
    assert ReferenceVersion.objects.filter(kind="upl").count() == 1
    assert UplProduct.objects.count() == 1214
    assert AuditEntry.objects.filter(object_type="reference.upl").count() == 1


def test_changed_content_creates_new_version_and_keeps_old():
    old = services.load_reference("upl", require_shared("upl/UPL-actueel-2021-12.csv"))
    new = services.load_reference("upl", upl_csv(), source="UPL-actueel.csv")
    assert (old.version, new.version, new.created) == (1, 2, True)
    assert new.added > 0 and new.removed > 0 and new.changed > 0
    # bookkeeping adds up: old items = unchanged + changed + removed; new = unchanged + changed + added
    unchanged = 1017 - new.changed - new.removed
    assert unchanged + new.changed + new.added == 1214
    assert new.summary() == (f"UPL: versie 2 aangemaakt ({new.added} toegevoegd, {new.changed} gewijzigd, "
                             f"{new.removed} verwijderd)")
    versions = services.list_versions("upl")
    assert [(v.number, v.is_current, v.item_count) for v in versions] == [(2, True, 1214), (1, False, 1017)]
    assert UplProduct.objects.filter(version=versions[1]).count() == 1017  # old version kept for explanation
    assert services.current_version("upl").source == "UPL-actueel.csv"
    assert len(services.current_upl()) == 1214
    audit = AuditEntry.objects.filter(object_type="reference.upl").first()
    assert (audit.file_name, audit.added, audit.changed, audit.removed) == (
        "UPL-actueel.csv", new.added, new.changed, new.removed)


def test_owms_list_marks_withdrawn_names():
    services.load_reference("upl", require_shared("owms-waardelijsten/UniformeProductnaam.json"))
    products = services.current_upl()
    assert len(products) == 1359
    assert sum(p.withdrawn for p in products) == 218
    assert next(p for p in products if p.label == "aanduiding naamgebruik").withdrawn


def test_gemeenten_lookup_and_search():
    services.load_reference("gemeenten", tooi_json())
    amsterdam = services.get_gemeente("363")
    assert (amsterdam.cbs_code, amsterdam.name, amsterdam.is_historic, amsterdam.successor) == (
        "GM0363", "Amsterdam", False, "")
    assert amsterdam.tooi_uri == "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
    appingedam = services.get_gemeente("GM0003")
    assert appingedam.is_historic and str(appingedam.end_date) == "2020-12-31"
    assert appingedam.successor == "Eemsdelta (GM1979)"
    assert services.get_gemeente("GM9999") is None
    assert services.get_gemeente("onzin") is None

    hits = services.search_gemeenten("drecht", limit=50)
    names = [g.name for g in hits]
    assert {"Dordrecht", "Papendrecht", "Sliedrecht", "Zwijndrecht"} <= set(names)
    historic_flags = [g.is_historic for g in hits]
    assert historic_flags == sorted(historic_flags)  # current ones first
    assert all(not g.is_historic for g in services.search_gemeenten("drecht", include_historic=False))
    assert [g.cbs_code for g in services.search_gemeenten("0505")] == ["GM0505"]
    assert [g.name for g in services.search_gemeenten("gm0363")] == ["Amsterdam"]
    assert len(services.search_gemeenten("", limit=5)) == 5


def test_gemeenten_json_then_csv_is_a_new_version_without_successors():
    services.load_reference("gemeenten", tooi_json())
    result = services.load_reference("gemeenten", tooi_csv())
    # the CSV has no successor columns: exactly the abolished municipalities differ
    assert (result.created, result.added, result.removed, result.changed) == (True, 0, 0, 605 - 342)


def test_gemma_folder_load_and_referentiecomponenten():
    result = services.load_reference("gemma", require_shared("gemma"))
    assert result.total == 3006 + 6257
    version = services.current_version("gemma")
    assert GemmaElement.objects.filter(version=version).count() == 3006
    assert GemmaRelation.objects.filter(version=version).count() == 6257
    components = services.gemma_referentiecomponenten()
    assert len(components) == 171
    assert "Zaakregistratiecomponent" in {c.name for c in components}


def test_selectielijst_partial_files_are_merged():
    first = services.load_reference("selectielijst", require_shared("selectielijst/api-procestypen-2020.json"))
    assert first.total == 29
    second = services.load_reference("selectielijst", require_shared("selectielijst/api-resultaten-2017-2020.json"))
    assert (second.version, second.added, second.removed, second.total) == (2, 650, 0, 679)
    third = services.load_reference("selectielijst", require_shared("selectielijst/api-resultaten-2017-2020.json"))
    assert third.created is False


def test_bad_input_writes_nothing(tmp_path):
    services.load_reference("gemeenten", tooi_csv())
    header, rows = gemeenten_excerpt_rows(n_ascii=3)
    rows[2][3] = ""  # naam_incl_soort may be empty …
    rows[4][2] = ""  # … naam may not
    bad = write_csv(tmp_path / "kapot.csv", header, rows)
    with pytest.raises(BadInput, match=r"Bestand 'kapot.csv', regel 6: veld 'naam' is leeg"):
        services.load_reference("gemeenten", bad)
    assert ReferenceVersion.objects.filter(kind="gemeenten").count() == 1
    assert services.current_version("gemeenten").number == 1


def test_failure_while_storing_rolls_back(monkeypatch):
    services.load_reference("gemeenten", tooi_csv())

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr("harmonie.core.audit.record_import", broken)
    with pytest.raises(RuntimeError):
        services.load_reference("gemeenten", tooi_json())
    assert [v.number for v in services.list_versions("gemeenten")] == [1]
    assert services.current_version("gemeenten").number == 1
    assert Gemeente.objects.count() == 605


def test_excerpt_loaded_when_empty_and_full_list_wins():
    results = services.ensure_excerpt_loaded()
    assert {r.kind for r in results} == {"upl", "gemma", "gemeenten"}
    assert services.ensure_excerpt_loaded() == []
    assert services.current_version("gemeenten").is_excerpt
    assert services.get_gemeente("GM0505").name == "Dordrecht"
    assert services.get_gemeente("GM0005").successor == "Het Hogeland (GM1966)"
    assert "Zaakregistratiecomponent" in {c.name for c in services.gemma_referentiecomponenten()}
    assert len(services.current_upl()) >= 50
    services.load_reference("gemeenten", tooi_json())
    current = services.current_version("gemeenten")
    assert (current.number, current.is_excerpt, current.item_count) == (2, False, 605)
    assert services.get_gemeente("GM1900").name == "Súdwest-Fryslân"


def test_lookup_on_empty_installation_uses_excerpt():
    assert ReferenceVersion.objects.count() == 0
    assert services.get_gemeente("0363").name == "Amsterdam"
    assert services.current_version("gemeenten").is_excerpt


def test_job_kind_runs_a_load():
    result = run_inline("reference.load", {"kind": "gemeenten", "path": str(tooi_csv())})
    assert result["created"] is True and result["total"] == 605 and result["kind"] == "gemeenten"


def test_add_partner_uses_the_register(role_users, workspace):
    from harmonie.core.services import add_partner

    coordinator = next(u for name, u in role_users.items() if "co" in name.lower() and "rdinator" in name.lower())
    services.load_reference("gemeenten", tooi_json())
    partner = add_partner(coordinator, workspace, "505")
    assert (partner.cbs_code, partner.name) == ("GM0505", "Dordrecht")
    with pytest.raises(BadInput, match="opgeheven"):
        add_partner(coordinator, workspace, "GM0003")
