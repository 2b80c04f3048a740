"""``harmonie landscape overlap`` (the contract command), in-process and through the console script."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HARMONIE = str(Path(sys.executable).with_name("harmonie"))
HEADER = "partner,application,referentiecomponent,contract_end,supplier\n"


def run(tmp_path, text):
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    call_command("landscape", "overlap", str(portfolio), "--output", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_overlap_contract(tmp_path):
    result = run(tmp_path, HEADER + (
        "Lindeveen,Zaaksysteem X,Zaakregistratiecomponent | Generiek zaakafhandelcomponent,2026-12-31,Acme\n"
        "Brakelburg,Zaaksysteem Y,zaakregistratiecomponent,31-03-2027,Beta\n"
        "Heidemeer,Zaaksysteem X,a97b6545-d5a7-485d-9b13-3ce22db5b9cf,,Acme\n"
        "Lindeveen,Belastingpakket,Belastingencomponent,01-01-2028,Gamma\n"
        "Lindeveen,Iets,Onbestaande component,,\n"))
    components = {c["referentiecomponent"]: c for c in result["components"]}
    assert set(components) == {"Belastingencomponent", "Generiek zaakafhandelcomponent", "Zaakregistratiecomponent"}
    zrc = components["Zaakregistratiecomponent"]
    assert zrc == {"referentiecomponent": "Zaakregistratiecomponent",
                   "gemma_object_id": "a97b6545-d5a7-485d-9b13-3ce22db5b9cf",
                   "partners": ["Brakelburg", "Heidemeer", "Lindeveen"],
                   "applications": ["Zaaksysteem X", "Zaaksysteem Y"], "distinct_applications": 2,
                   "common_window_from": None}
    assert components["Belastingencomponent"]["common_window_from"] == "2028-01-02"
    assert components["Generiek zaakafhandelcomponent"]["common_window_from"] == "2027-01-01"
    assert result["unmapped"] == [{"row": 6, "referentiecomponent": "Onbestaande component"}]


@pytest.mark.django_db
def test_one_application_on_several_rows(tmp_path):
    result = run(tmp_path, HEADER + "A,Suite,Zaakregistratiecomponent,2026-12-31,\n"
                                    "A,Suite,Generiek zaakafhandelcomponent,2027-12-31,\n"
                                    "B,Suite,Zaakregistratiecomponent | Zaakregistratiecomponent,,\n")
    components = {c["referentiecomponent"]: c for c in result["components"]}
    assert components["Zaakregistratiecomponent"]["partners"] == ["A", "B"]
    assert components["Zaakregistratiecomponent"]["common_window_from"] is None
    assert components["Generiek zaakafhandelcomponent"]["common_window_from"] == "2028-01-01"


@pytest.mark.django_db
@pytest.mark.parametrize("line, message", [
    ("A,X,Zaakregistratiecomponent,31-13-2026,\n", "regel 2: contract-einddatum '31-13-2026'"),
    ("A,X,Zaakregistratiecomponent,volgend jaar,\n", "regel 2: contract-einddatum 'volgend jaar' is geen datum"),
    (",X,Zaakregistratiecomponent,,\n", "regel 2: veld 'partner' is leeg"),
    ("A,X,Zaakregistratiecomponent,,\nA,X,a97b6545-d5a7-485d-9b13-3ce22db5b9cf,,\n",
     "regel 3: applicatie 'X' van partner 'A' staat voor referentiecomponent"),
])
def test_bad_input_exit_2_no_output(tmp_path, line, message):
    portfolio = tmp_path / "p.csv"
    portfolio.write_text(HEADER + line, encoding="utf-8")
    out = tmp_path / "out.json"
    with pytest.raises(CommandError) as exc:
        call_command("landscape", "overlap", str(portfolio), "--output", str(out))
    assert exc.value.returncode == 2 and message in str(exc.value)
    assert not out.exists()


@pytest.mark.slow
def test_console_script_exit_codes(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", HARMONIE_DATA_DIR=str(tmp_path))
    done = subprocess.run([HARMONIE, "migrate", "-v0"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    portfolio = tmp_path / "p.csv"
    portfolio.write_text(HEADER + "A,X,Zaakregistratiecomponent,,\nA,x,zaakregistratiecomponent,,\n",
                         encoding="utf-8")
    done = subprocess.run([HARMONIE, "landscape", "overlap", portfolio, "--output", tmp_path / "o.json"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "regel 3" in done.stderr and not (tmp_path / "o.json").exists()
    portfolio.write_text(HEADER + "A,X,Zaakregistratiecomponent,31-12-2026,\n", encoding="utf-8")
    done = subprocess.run([HARMONIE, "landscape", "overlap", portfolio, "--output", tmp_path / "o.json"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "o.json").read_text())["components"][0]["common_window_from"] == "2027-01-01"
    helptext = subprocess.run([HARMONIE, "landscape", "overlap", "--help"], env=env, capture_output=True, text=True)
    assert "Toon deze hulp" in helptext.stdout and "Uitvoerbestand" in helptext.stdout


@pytest.mark.django_db
def test_real_gemma_object_ids_and_names(tmp_path):
    """With the full GEMMA loaded, every one of the 171 referentiecomponenten resolves by name and Object ID."""
    from conftest import require_shared

    from harmonie.applications import services
    from harmonie.reference.services import load_reference

    load_reference("gemma", require_shared("gemma"))
    index = services.component_index()
    assert len(index) == 171
    lines = [f"P{i % 4},App {i},{c.name if i % 2 else c.object_id},,\n" for i, c in enumerate(index.components)]
    result = run(tmp_path, HEADER + "".join(lines))
    assert len(result["components"]) == 171 and result["unmapped"] == []
