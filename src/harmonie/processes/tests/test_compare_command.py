"""``harmonie processes compare``: the contract, exit codes (real subprocesses) and the service entry point."""

import json
import os
import subprocess
import sys

import pytest

from conftest import require_shared
from harmonie.core.errors import BadInput
from harmonie.processes import services
from harmonie.processes.tests.helpers import write_csv, write_xes

LOG_KEYS = {"name", "cases", "events", "activities", "variants", "median_case_duration_days"}


def harmonie(tmp_path, *args):
    env = os.environ.copy()
    env.pop("DATABASE_URL", None)  # this command never touches a database; keep any test DB on SQLite
    env["HARMONIE_DATA_DIR"] = str(tmp_path / "var")
    return subprocess.run([sys.executable, "-m", "harmonie.cli", "processes", *args], capture_output=True,
                          text=True, env=env, timeout=600)


@pytest.fixture
def small_logs(tmp_path):
    a = write_xes(tmp_path / "gemeente-a.xes.gz", {
        "1": [("Aanvraag", "2024-01-01T09:00:00+01:00"), ("Toets", "2024-01-02T09:00:00+01:00"),
              ("Besluit", "2024-01-11T09:00:00+01:00")],
        "2": [("Aanvraag", "2024-02-01T09:00:00+01:00"), ("Besluit", "2024-02-03T09:00:00+01:00")],
    })
    b = write_csv(tmp_path / "gemeente-b.csv", [
        ("x", "Aanvraag", "2024-03-01 08:00:00", "r"), ("x", "Toets", "2024-03-01 20:00:00", "r"),
        ("x", "Besluit", "2024-03-02 08:00:00", "r"), ("x", "Archiveren", "2024-03-03 08:00:00", "r"),
    ])
    return a, b


def test_compare_writes_the_contract(tmp_path, small_logs):
    out = tmp_path / "uit"
    result = harmonie(tmp_path, "compare", *map(str, small_logs), "--output", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary) == {"logs", "pairs", "common_core"}
    assert [set(log) for log in summary["logs"]] == [LOG_KEYS, LOG_KEYS]
    a, b = summary["logs"]
    assert a == {"name": "gemeente-a", "cases": 2, "events": 5, "activities": 3, "variants": 2,
                 "median_case_duration_days": pytest.approx((10 + 2) / 2)}
    assert b == {"name": "gemeente-b", "cases": 1, "events": 4, "activities": 4, "variants": 1,
                 "median_case_duration_days": pytest.approx(2.0)}
    assert summary["pairs"] == [{
        "a": "gemeente-a", "b": "gemeente-b",
        # A: Aanvraag>Toets 1/3, Toets>Besluit 1/3, Aanvraag>Besluit 1/3; B: the first two 1/3 each (+ Besluit>Archiveren)
        "dfg_similarity": pytest.approx(2 / 3),
        "activity_overlap": pytest.approx(3 / 4),
    }]
    assert summary["common_core"] == {"activities": ["Aanvraag", "Besluit", "Toets"]}


@pytest.mark.slow
def test_compare_on_the_real_bpic_logs(tmp_path):
    logs = [require_shared("eventlogs/BPIC15_1.xes.gz"), require_shared("eventlogs/BPIC15_2.xes.gz")]
    out = tmp_path / "uit"
    result = harmonie(tmp_path, "compare", *map(str, logs), "--output", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    first, second = summary["logs"]
    assert (first["name"], first["cases"], first["events"], first["activities"]) == ("BPIC15_1", 1199, 52217, 398)
    assert (second["name"], second["cases"], second["events"], second["activities"]) == ("BPIC15_2", 832, 44354, 410)
    assert first["variants"] == 1170 and second["variants"] == 828
    pair = summary["pairs"][0]
    assert 0 < pair["dfg_similarity"] < 1 and 0 < pair["activity_overlap"] < 1
    core = summary["common_core"]["activities"]
    assert core == sorted(core) and len(core) == 349
    assert pair["activity_overlap"] == pytest.approx(349 / (398 + 410 - 349))


def test_bad_input_exits_2_with_dutch_message_and_writes_nothing(tmp_path, small_logs):
    bad = write_csv(tmp_path / "kapot.csv", [("x", "A", "morgen", "r")])
    out = tmp_path / "uit"
    out.mkdir()
    result = harmonie(tmp_path, "compare", *map(str, small_logs), str(bad), "--output", str(out))
    assert result.returncode == 2
    assert "kapot.csv: regel 2: tijdstempel 'morgen' is geen geldige datum" in result.stderr
    assert list(out.iterdir()) == []


def test_missing_file_and_output_is_a_file_exit_2(tmp_path, small_logs):
    result = harmonie(tmp_path, "compare", str(tmp_path / "bestaat-niet.xes"), "--output", str(tmp_path / "uit"))
    assert result.returncode == 2 and "bestand niet gevonden" in result.stderr
    assert not (tmp_path / "uit").exists()
    afile = tmp_path / "bestand"
    afile.write_text("x")
    result = harmonie(tmp_path, "compare", str(small_logs[0]), "--output", str(afile))
    assert result.returncode == 2 and "dat is een bestand, geen map" in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert harmonie(tmp_path, "compare", "--output", str(tmp_path)).returncode == 2
    assert harmonie(tmp_path, "compare", "a.xes").returncode == 2


def test_help_is_plain_dutch(tmp_path):
    result = harmonie(tmp_path, "compare", "--help")
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("gebruik: harmonie processes compare")
    assert "Vergelijk hoe partners een werkproces echt uitvoeren" in text
    assert "Toon deze hulp en stop." in text
    for english in ("usage:", "show this help", "positional arguments", "options:"):
        assert english not in text
    top = harmonie(tmp_path, "--help")
    assert top.returncode == 0 and "Werkprocessen vergelijken" in top.stdout and "show this help" not in top.stdout


# --- the service: parallel parsing in worker processes gives the same answer ---------------------------


def _many_logs(tmp_path):
    paths = []
    for n in range(3):
        traces = {f"{n}-{c}": [("A", "2024-01-01T00:00:00Z"), (f"B{c % 3}", "2024-01-02T00:00:00+02:00"),
                               ("C", f"2024-01-0{3 + c % 5}T00:00:00Z")] for c in range(40)}
        paths.append(write_xes(tmp_path / f"log{n}.xes.gz", traces))
    return paths


def test_parallel_and_serial_give_the_same_summary(tmp_path, monkeypatch):
    paths = _many_logs(tmp_path)
    monkeypatch.setenv("HARMONIE_PROCESS_WORKERS", "1")
    serial = services.compare_logs(paths)
    monkeypatch.setenv("HARMONIE_PROCESS_WORKERS", "2")
    monkeypatch.setattr(services.logs, "PARALLEL_MIN_BYTES", 0)
    assert services.logs._worker_count(paths) == 2
    assert services.compare_logs(paths) == serial


def test_bad_input_from_a_worker_process_arrives_as_bad_input(tmp_path, monkeypatch):
    paths = _many_logs(tmp_path)
    bad = write_xes(tmp_path / "slecht.xes.gz", {"z": [("A", "nooit")]})
    monkeypatch.setenv("HARMONIE_PROCESS_WORKERS", "2")
    monkeypatch.setattr(services.logs, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(BadInput, match=r"slecht\.xes\.gz: gebeurtenis 1 \(zaak z"):
        services.compare_logs([*paths, bad])


def test_same_name_twice_is_refused(tmp_path, small_logs):
    other = tmp_path / "sub"
    other.mkdir()
    twin = write_csv(other / "gemeente-a.csv", [("x", "A", "2024-01-01 00:00:00", "r")])
    with pytest.raises(BadInput, match="komt al voor"):
        services.compare_logs([small_logs[0], twin])
