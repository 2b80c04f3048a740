"""The ``harmonie`` command line, run as a real subprocess on a throw-away database."""

import os
import subprocess
import sys

import pytest


def harmonie(tmp_path, *args, env=None):
    environment = os.environ.copy()
    environment.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "HARMONIE_DATA_DIR": str(tmp_path / "var"),
        **(env or {}),
    })
    return subprocess.run([sys.executable, "-m", "harmonie.cli", *args], capture_output=True, text=True,
                          env=environment, timeout=300)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cli")
    result = harmonie(tmp_path, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_demo_prints_login_and_is_repeatable(migrated):
    first = harmonie(migrated, "demo")
    assert first.returncode == 0, first.stderr
    assert "gebruikersnaam coordinator" in first.stdout and "wachtwoord harmonie-demo" in first.stdout
    second = harmonie(migrated, "demo")
    assert second.returncode == 0, second.stderr


def test_help_is_plain_dutch(migrated):
    result = harmonie(migrated, "demo", "--help")
    assert result.returncode == 0
    assert "demo-samenwerkingsverband" in result.stdout


def test_usage_error_exits_2(migrated):
    result = harmonie(migrated, "demo", "--onbekende-optie")
    assert result.returncode == 2


def test_worker_reaper_runs(migrated):
    result = harmonie(migrated, "worker", "--only-reaper")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    result = harmonie(tmp_path, "check", "--deploy", "--fail-level", "WARNING", env={
        "HARMONIE_PRODUCTION": "1",
        "HARMONIE_SECRET_KEY": "k7#Qv9!pZ2@xL5$wR8^tY1&uI4*oP6(aS3)dF0_gH+jK-lZ=xC|vB~nM;q" * 2,
        "HARMONIE_ALLOWED_HOSTS": "harmonie.example.nl",
    })
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_missing_secret_key(tmp_path):
    result = harmonie(tmp_path, "check", env={"HARMONIE_PRODUCTION": "1", "HARMONIE_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "HARMONIE_SECRET_KEY ontbreekt" in result.stderr
