"""The ``harmonie reference`` command: call_command, exit codes via subprocess, update over local HTTP."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import REPO_ROOT, require_shared
from harmonie.reference import services
from harmonie.reference.models import ReferenceVersion

from .helpers import LocalServer, gemeenten_excerpt_rows, tooi_csv, write_csv


def run(*args):
    out = StringIO()
    call_command("reference", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_prints_dutch_summary_and_is_idempotent():
    path = str(tooi_csv())
    assert run("load", "gemeenten", path, "--stil").strip() == (
        "Gemeenten: versie 1 aangemaakt (605 toegevoegd, 0 gewijzigd, 0 verwijderd)")
    assert run("load", "gemeenten", path, "--stil").strip() == "Gemeenten: ongewijzigd (versie 1, 605 items)"
    status = run("status")
    assert "Gemeenten: versie 1, 605 items, bron gemeenten-tooi.csv" in status
    assert "UPL: niet geladen" in status


@pytest.mark.django_db
def test_load_bad_input_is_exit_code_2(tmp_path):
    bad = tmp_path / "fout.csv"
    bad.write_text("naam;code\nAmsterdam;0363\n", encoding="cp1252")
    with pytest.raises(CommandError) as err:
        run("load", "gemeenten", str(bad), "--stil")
    assert err.value.returncode == 2
    assert "Bestand 'fout.csv', regel 1" in str(err.value) and "ontbreekt" in str(err.value)
    assert ReferenceVersion.objects.count() == 0


@pytest.fixture
def served(tmp_path):
    """A local HTTP server with a gemeenten CSV and a paginated Selectielijst API."""
    root = tmp_path / "www"
    root.mkdir()
    header, rows = gemeenten_excerpt_rows()
    write_csv(root / "gemeenten.csv", header, rows, encoding="cp1252", delimiter=";")
    (root / "procestypen").write_bytes(require_shared("selectielijst/api-procestypen-2020.json").read_bytes())
    results = json.loads(require_shared("selectielijst/api-resultaten-2017-2020.json").read_bytes())["results"]
    with LocalServer(root) as server:
        half = len(results) // 2
        (root / "resultaten-1.json").write_text(json.dumps(
            {"count": len(results), "next": f"{server.url}/resultaten-2.json", "previous": None,
             "results": results[:half]}), encoding="utf-8")
        (root / "resultaten-2.json").write_text(json.dumps(
            {"count": len(results), "next": None, "previous": f"{server.url}/resultaten-1.json",
             "results": results[half:]}), encoding="utf-8")
        server.n_gemeenten = len(rows)
        yield server


@pytest.mark.django_db
def test_update_downloads_from_configured_urls(served, settings):
    settings.HARMONIE_REFERENCE_URLS = {
        "selectielijst": [f"{served.url}/procestypen", f"{served.url}/resultaten-1.json"],
    }
    output = run("update", "selectielijst", "--stil")
    assert output.startswith("Selectielijst: versie 1 aangemaakt (679 toegevoegd")  # 29 + 650 unique, 2 pages
    assert f"bron: {served.url}/procestypen {served.url}/resultaten-1.json" in output
    assert run("update", "selectielijst", "--stil").startswith("Selectielijst: ongewijzigd")


@pytest.mark.django_db
def test_update_with_url_option_and_env(served, monkeypatch):
    output = run("update", "--url", f"gemeenten={served.url}/gemeenten.csv", "--stil")
    assert output.startswith(f"Gemeenten: versie 1 aangemaakt ({served.n_gemeenten} toegevoegd")
    assert services.get_gemeente("GM1900").name == "Súdwest-Fryslân"
    assert services.current_version("gemeenten").source == f"{served.url}/gemeenten.csv"
    monkeypatch.setenv("HARMONIE_REFERENCE_URL_GEMEENTEN", f"{served.url}/gemeenten.csv")
    assert services.reference_urls()["gemeenten"] == [f"{served.url}/gemeenten.csv"]
    assert run("update", "gemeenten", "--stil").startswith("Gemeenten: ongewijzigd")


@pytest.mark.django_db
def test_update_failures(served, settings):
    with pytest.raises(CommandError) as err:
        run("update", "--url", f"gemeenten={served.url}/bestaat-niet.csv", "--stil")
    assert err.value.returncode == 1 and "HTTP 404" in str(err.value)
    settings.HARMONIE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(CommandError) as err:
        run("update", "--url", f"gemeenten={served.url}/gemeenten.csv", "--stil")
    assert "groter dan 100 bytes" in str(err.value)
    with pytest.raises(CommandError) as err:
        run("update", "--url", "gemeenten=file:///etc/passwd", "--stil")
    assert err.value.returncode == 2
    with pytest.raises(CommandError) as err:
        run("update", "--url", "onzin", "--stil")
    assert err.value.returncode == 2
    assert ReferenceVersion.objects.count() == 0


def test_default_urls_are_official():
    urls = services.DEFAULT_REFERENCE_URLS
    assert urls["upl"].startswith("https://standaarden.overheid.nl/")
    assert urls["gemeenten"].startswith("https://repository.officiele-overheidspublicaties.nl/")
    assert all(u.startswith("https://selectielijst.openzaak.nl/api/v1/") for u in urls["selectielijst"])


def test_exit_codes_in_a_real_process(tmp_path):
    """0 on success, 2 on bad input with a Dutch message on stderr (own SQLite file in tmp_path)."""
    harmonie = str(Path(sys.executable).with_name("harmonie"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HARMONIE_DATA_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="harmonie.settings")
    kwargs = dict(cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    migrate = subprocess.run([harmonie, "migrate", "-v", "0"], **kwargs)
    assert migrate.returncode == 0, migrate.stderr
    ok = subprocess.run([harmonie, "reference", "load", "gemeenten", str(tooi_csv()), "--stil"], **kwargs)
    assert ok.returncode == 0, ok.stderr
    assert "Gemeenten: versie 1 aangemaakt (605 toegevoegd" in ok.stdout
    bad = tmp_path / "leeg.csv"
    bad.write_text("URI\n", encoding="utf-8")
    refused = subprocess.run([harmonie, "reference", "load", "upl", str(bad), "--stil"], **kwargs)
    assert refused.returncode == 2
    assert "Bestand 'leeg.csv', regel 1: kolom 'UniformeProductnaam' ontbreekt" in refused.stderr
    status = subprocess.run([harmonie, "reference", "status"], **kwargs)
    assert status.returncode == 0 and "Gemeenten: versie 1" in status.stdout
