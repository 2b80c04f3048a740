"""Event-log import per partner: formats, column mapping (CSV/XLSX), pseudonymisation, bad input, atomicity,
idempotency, audit, permissions, the background job."""

import datetime as dt

import polars as pl
import pytest
from openpyxl import Workbook

from conftest import require_shared
from harmonie.core.errors import BadInput, NotAllowed
from harmonie.core.jobs import run_inline
from harmonie.core.models import AuditEntry, ImportColumnMapping
from harmonie.processes.services import logs as services
from harmonie.processes.models import EventLog
from harmonie.processes.tests.helpers import XES_HEAD, write_csv, write_xes

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.HARMONIE_PSEUDONYM_KEY = "test-key"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _import(user, workspace, partner, path, mapping=None):
    return services.import_event_log(user, workspace, partner, path, path.name, mapping=mapping)


def _all_bytes(tmp_path) -> bytes:
    return b"".join(p.read_bytes() for p in (tmp_path / "var").rglob("*.parquet"))


def test_xes_import_pseudonymises_resource_and_stores_parquet(role_users, workspace, tmp_path):
    own = role_users["own"]
    extra = '\t\t\t<string key="monitoringResource" value="Jan Jansen"/>\n'
    path = write_xes(tmp_path / "vergunning.xes.gz", {
        "c1": [("A", "2024-03-01T10:00:00+01:00", extra), ("B", "2024-03-01T12:00:00+01:00")],
        "c2": [("A", "2024-03-02T10:00:00Z"), ("C", "2024-03-03T10:00:00Z", extra)],
    })
    result = _import(role_users["coordinator"], workspace, own, path)
    assert result["status"] == "added"
    log = EventLog.objects.get(partner=own)
    assert (log.name, log.cases, log.events, log.activities, log.variants) == ("vergunning", 2, 4, 3, 2)
    assert sorted(log.pseudonymised_columns) == ["monitoringResource", "org:resource"]
    df = services.load_events(log)
    assert df.columns == ["case_id", "activity", "timestamp"]
    assert df["activity"].to_list() == ["A", "B", "A", "C"]
    assert df["timestamp"][0] == dt.datetime(2024, 3, 1, 9, tzinfo=UTC)
    stored = pl.read_parquet(services.event_log_file(log))
    # the raw values are nowhere: not in the Parquet bytes, not in the row
    pseudonym = stored["org:resource"][0]
    assert pseudonym.startswith("p-") and pseudonym != "560872"
    assert stored["org:resource"].n_unique() == 1
    assert stored["monitoringResource"].to_list() == [pseudonym.__class__(stored["monitoringResource"][0]), None,
                                                      None, stored["monitoringResource"][0]]
    raw = _all_bytes(tmp_path)
    assert b"560872" not in raw and b"Jan Jansen" not in raw
    assert "560872" not in str(log.stats) and "Jansen" not in str(log.stats)
    assert AuditEntry.objects.filter(workspace=workspace, object_type=services.OBJECT_TYPE, added=1).count() == 1


def test_pseudonyms_differ_between_workspaces_and_are_stable_within_one(role_users, workspace, tmp_path):
    from harmonie.core.factories import PartnerFactory

    path = write_xes(tmp_path / "x.xes", {"c1": [("A", "2024-01-01T00:00:00Z")]})
    _import(None, workspace, role_users["own"], path)
    _import(None, workspace, role_users["other"], path)
    elsewhere = PartnerFactory(workspace=role_users["elsewhere"])
    _import(None, role_users["elsewhere"], elsewhere, path)
    values = {log.partner_id: pl.read_parquet(services.event_log_file(log))["org:resource"][0]
              for log in EventLog.objects.all()}
    assert values[role_users["own"].pk] == values[role_users["other"].pk]
    assert values[elsewhere.pk] != values[role_users["own"].pk]


def test_reimport_is_idempotent_and_new_file_replaces(role_users, workspace, tmp_path,
                                                     django_capture_on_commit_callbacks):
    own = role_users["own"]
    path = write_csv(tmp_path / "log.csv", [("c1", "A", "2024-01-01 08:00:00", "piet"),
                                           ("c1", "B", "2024-01-02 08:00:00", "klaas")])
    _import(None, workspace, own, path)
    before = list(EventLog.objects.values())
    audits = AuditEntry.objects.count()
    assert _import(None, workspace, own, path)["status"] == "unchanged"
    assert list(EventLog.objects.values()) == before and AuditEntry.objects.count() == audits
    old_file = services.event_log_file(EventLog.objects.get())
    write_csv(path, [("c1", "A", "2024-01-01 08:00:00", "piet"), ("c1", "C", "2024-01-03 08:00:00", "piet")])
    with django_capture_on_commit_callbacks(execute=True):
        assert _import(None, workspace, own, path)["status"] == "replaced"
    log = EventLog.objects.get()
    assert log.activities == 2 and services.load_events(log)["activity"].to_list() == ["A", "C"]
    assert not old_file.exists()
    assert b"piet" not in _all_bytes(tmp_path) and b"klaas" not in _all_bytes(tmp_path)


def test_csv_with_column_mapping_is_remembered_per_partner(role_users, workspace, tmp_path):
    own = role_users["own"]
    path = tmp_path / "export.csv"
    path.write_text("Zaaknummer;Stap;Tijdstip;Medewerker;Opmerking\n"
                    "Z1;Intake;01-02-2024 09:00;Anna;geheim\nZ1;Besluit;03-02-2024 09:00;Bert;x\n", encoding="utf-8")
    mapping = {"case_id": "Zaaknummer", "activity": "Stap", "timestamp": "Tijdstip"}
    _import(None, workspace, own, path, mapping)
    assert ImportColumnMapping.objects.get(partner=own, kind="eventlog").mapping == {**mapping,
                                                                                     "resource": "Medewerker"}
    log = EventLog.objects.get()
    stored = pl.read_parquet(services.event_log_file(log))
    assert stored.columns == ["case_id", "activity", "timestamp", "resource"]  # Opmerking left out
    assert log.pseudonymised_columns == ["resource"] and stored["resource"].n_unique() == 2
    assert stored["timestamp"].to_list() == [dt.datetime(2024, 2, 1, 9, tzinfo=UTC),
                                             dt.datetime(2024, 2, 3, 9, tzinfo=UTC)]
    assert services.saved_mapping(own)["activity"] == "Stap"


def test_xlsx_mapping_flow_through_upload_and_job(role_users, workspace, tmp_path):
    own = role_users["own"]
    wb = Workbook()
    ws = wb.active
    ws.append(["Zaak", "Handeling", "Moment", "Gebruiker"])
    ws.append(["Z-1", "Ontvangst", dt.datetime(2024, 5, 1, 8, 0), "Kees"])
    ws.append(["Z-1", "Toets", dt.datetime(2024, 5, 3, 8, 0), "Kees"])
    ws.append([None, None, None, None])
    ws.append([1002, "Ontvangst", "2024-05-02 10:00:00", "Truus"])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    user = role_users["bijdrager"]
    token = services.store_upload(user, workspace, own, path.read_bytes(), "log.xlsx")
    assert services.upload_headers(workspace, token) == ["Zaak", "Handeling", "Moment", "Gebruiker"]
    mapping = {"case_id": "Zaak", "activity": "Handeling", "timestamp": "Moment"}
    job = services.start_log_import(user, workspace, own, token, mapping)
    result = run_inline(job.kind, job.params)
    assert result["events"] == 3 and result["cases"] == 2
    log = EventLog.objects.get(partner=own)
    assert sorted(services.load_events(log)["case_id"].unique().to_list()) == ["1002", "Z-1"]
    assert log.pseudonymised_columns == ["resource"]
    assert b"Kees" not in _all_bytes(tmp_path) and b"Truus" not in _all_bytes(tmp_path)
    assert ImportColumnMapping.objects.get(partner=own, kind="eventlog").mapping["timestamp"] == "Moment"
    assert not list((tmp_path / "var" / services.UPLOAD_DIR).glob(f"{token}*"))  # upload removed


def test_xlsx_bad_timestamp_names_the_row(role_users, workspace, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["case_id", "activity", "timestamp"])
    ws.append(["Z-1", "A", dt.datetime(2024, 5, 1, 8, 0)])
    ws.append(["Z-1", "B", "gisteren"])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    with pytest.raises(BadInput, match=r"rij 3: tijdstempel 'gisteren'"):
        _import(None, workspace, role_users["own"], path)
    assert not EventLog.objects.exists() and not list((tmp_path / "var").rglob("*.parquet"))


@pytest.mark.parametrize("rows, message", [
    ([("c1", "A", "2024-01-01 08:00:00", "r"), ("c1", "B", "", "r")], "regel 3 heeft geen tijdstempel"),
    ([("c1", "A", "2024-01-01 08:00:00", "r"), ("c2", "B", "31-31-2024", "r")], "regel 3: tijdstempel '31-31-2024'"),
    ([("c1", "", "2024-01-01 08:00:00", "r")], "regel 2 heeft geen waarde in kolom activity"),
])
def test_bad_csv_input_gives_dutch_message_and_imports_nothing(role_users, workspace, tmp_path, rows, message):
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(BadInput, match=message):
        _import(None, workspace, role_users["own"], path)
    assert not EventLog.objects.exists() and not list((tmp_path / "var").rglob("*.parquet"))
    assert not AuditEntry.objects.filter(object_type=services.OBJECT_TYPE).exists()


def test_missing_xes_timestamp_and_unknown_extension(role_users, workspace, tmp_path):
    head = XES_HEAD.replace("<global", '<extension name="Kosten" prefix="cost" uri="http://example.org/cost.xesext"/>'
                                       "\n\t<global", 1)
    ok = write_xes(tmp_path / "ext.xes", {"c1": [("A", "2024-01-01T00:00:00Z",
                                                   '\t\t\t<float key="cost:total" value="12.5"/>\n')]}, head=head)
    _import(None, workspace, role_users["own"], ok)  # unknown extensions are ignored, not an error
    assert EventLog.objects.count() == 1
    bad = write_xes(tmp_path / "bad.xes", {"c1": [("A", "2024-01-01T00:00:00Z"), ("B", None)]})
    with pytest.raises(BadInput, match=r"bad.xes: gebeurtenis 2 \(zaak c1\) heeft geen time:timestamp"):
        _import(None, workspace, role_users["own"], bad)
    assert EventLog.objects.count() == 1


def test_mixed_zones_unsorted_and_duplicate_events(role_users, workspace, tmp_path):
    path = write_xes(tmp_path / "messy.xes", {"c1": [
        ("B", "2024-06-01T10:00:00+02:00"),  # 08:00 UTC
        ("A", "2024-06-01T07:30:00Z"),
        ("A", "2024-06-01T09:30:00+02:00"),  # the same instant as the line above: a duplicate (counted, kept)
        ("C", "2024-06-01T09:00:00Z"),
    ], "c2": [("A", "2024-06-01T07:30:00Z")]})
    result = _import(None, workspace, role_users["own"], path)
    assert result["duplicate_events"] == 1
    log = EventLog.objects.get()
    assert log.stats["cases_out_of_order"] == 1 and log.events == 5
    assert [v["activities"] for v in log.stats["variants_top"]] == [["A"], ["A", "A", "B", "C"]]
    assert services.load_events(log)["activity"].to_list() == ["B", "A", "A", "C", "A"]  # file order kept


def test_size_limit(role_users, workspace, tmp_path, settings):
    settings.HARMONIE_EVENTLOG_MAX_BYTES = 100
    path = write_csv(tmp_path / "big.csv", [(f"c{i}", "A", "2024-01-01 08:00:00", "r") for i in range(20)])
    with pytest.raises(BadInput, match="de grens is 0 MB"):
        services.store_upload(None, workspace, role_users["own"], path.read_bytes(), "big.csv")
    with pytest.raises(BadInput, match="HARMONIE_EVENTLOG_MAX_BYTES"):
        _import(None, workspace, role_users["own"], path)
    assert not EventLog.objects.exists()


def test_gzip_bomb_is_refused_while_unpacking(role_users, workspace, tmp_path, settings):
    settings.HARMONIE_EVENTLOG_MAX_BYTES = 2000
    traces = {f"c{i}": [("A" * 50, "2024-01-01T00:00:00Z")] * 20 for i in range(50)}
    path = write_xes(tmp_path / "bomb.xes.gz", traces)
    assert path.stat().st_size < 2000
    with pytest.raises(BadInput, match="uitgepakt"):
        _import(None, workspace, role_users["own"], path)


def test_partner_contributor_only_for_own_partner(role_users, workspace, tmp_path):
    path = write_csv(tmp_path / "log.csv", [("c1", "A", "2024-01-01 08:00:00", "r")])
    with pytest.raises(NotAllowed):
        _import(role_users["bijdrager"], workspace, role_users["other"], path)
    with pytest.raises(NotAllowed):
        _import(role_users["lezer"], workspace, role_users["own"], path)
    _import(role_users["bijdrager"], workspace, role_users["own"], path)
    assert EventLog.objects.count() == 1


def test_two_real_bpic_logs_as_two_partners(role_users, workspace):
    own, other = role_users["own"], role_users["other"]
    a = require_shared("eventlogs/BPIC15_1.xes.gz")
    b = require_shared("eventlogs/BPIC15_2.xes.gz")
    services.import_event_log(None, workspace, own, a, a.name)
    services.import_event_log(None, workspace, other, b, b.name)
    log_a = EventLog.objects.get(partner=own)
    assert (log_a.cases, log_a.events, log_a.activities) == (1199, 52217, 398)
    assert "org:resource" in log_a.pseudonymised_columns and "monitoringResource" in log_a.pseudonymised_columns
    summary = services.workspace_comparison(workspace)
    assert [row["name"] for row in summary["logs"]] == [p.name for p in sorted([own, other], key=lambda p: p.name)]
    assert summary["pairs"][0]["a"] in (own.name, other.name)
    assert 0 < summary["pairs"][0]["dfg_similarity"] < 1
    # the same figures as the command-line comparison of the files themselves
    direct = services.compare_logs([a, b])
    by_events = {row["events"]: row for row in direct["logs"]}
    for row in summary["logs"]:
        assert row["variants"] == by_events[row["events"]]["variants"]
        assert row["median_case_duration_days"] == pytest.approx(by_events[row["events"]]["median_case_duration_days"])
    assert summary["pairs"][0]["dfg_similarity"] == pytest.approx(direct["pairs"][0]["dfg_similarity"])
    assert summary["common_core"] == direct["common_core"]
    # the full comparison on the real logs: raw and as phases (01_HOOFD_010 → 01_HOOFD)
    full = services.log_comparison(workspace)
    assert sorted(p["activities"] for p in full["partners"].values()) == [398, 410]
    pair = full["pairs"][0]
    assert 0 <= pair["fit_a_on_b"]["case_fitness"] < 0.05 and 0.5 < pair["fit_a_on_b"]["edge_fitness"] < 1
    assert len(full["best"]["activities"]) > 100
    phases = services.log_comparison(workspace, services.ViewOptions(prefix_parts=2))
    assert sorted(p["activities"] for p in phases["partners"].values()) == [20, 26]
    assert phases["pairs"][0]["fit_a_on_b"]["case_fitness"] > pair["fit_a_on_b"]["case_fitness"]
    assert "01_HOOFD" in phases["common_core"]


def test_delete_removes_row_and_file_and_is_audited(role_users, workspace, tmp_path,
                                                    django_capture_on_commit_callbacks):
    path = write_csv(tmp_path / "log.csv", [("c1", "A", "2024-01-01 08:00:00", "r")])
    _import(None, workspace, role_users["own"], path)
    log = EventLog.objects.get()
    stored = services.event_log_file(log)
    with pytest.raises(NotAllowed):
        services.delete_event_log(role_users["bijdrager_ander"], log)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_event_log(role_users["bijdrager"], log)
    assert not EventLog.objects.exists() and not stored.exists()
    assert AuditEntry.objects.filter(object_type=services.OBJECT_TYPE, removed=1).count() == 1
    assert services.workspace_comparison(workspace) == {}
