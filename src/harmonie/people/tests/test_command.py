"""The contract command ``harmonie surveys results``, end to end through the real CLI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harmonie.people import services

from .helpers import valid_answers

pytestmark = pytest.mark.django_db


def _fill(world):
    survey = world["survey"]
    small = services.add_group(world["coordinator"], survey, partner=world["a"].pk, name="Klein team")
    big = services.add_group(world["coordinator"], survey, partner=world["a"].pk, name="Groot team")
    middle = services.add_group(world["coordinator"], survey, partner=world["a"].pk, name="Midden team")
    for group, count in ((small, 2), (big, 12), (middle, 6)):
        _b, tokens = services.generate_links(world["coordinator"], survey, partner=world["a"].pk, count=count,
                                             group=group.pk)
        for i, token in enumerate(tokens):
            services.submit(token, valid_answers(i))
    _b, tokens = services.generate_links(world["coordinator"], survey, partner=world["b"].pk, count=3)
    for i, token in enumerate(tokens):
        services.submit(token, valid_answers(50 + i))
    return survey


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


def test_results_contract_closed(survey_world, tmp_path):
    survey = _fill(survey_world)
    services.close_survey(survey_world["coordinator"], survey)
    out = tmp_path / "uit.json"
    call_command("surveys", "results", str(survey.pk), "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"survey", "closed", "partners"} and data["closed"] is True
    a = data["partners"]["GM9801"]
    assert a["n"] == 20
    assert {"n", "culture", "readiness", "urgency", "groups"} <= set(a)
    groups = {g["group"]: g for g in a["groups"]}
    assert groups["Klein team"] == {"group": "Klein team", "suppressed": True}
    # complementary: 20 - 12 - 6 would expose the small team, so the middle one is hidden too
    assert groups["Midden team"] == {"group": "Midden team", "suppressed": True}
    assert groups["Groot team"]["n"] == 12 and "culture" in groups["Groot team"]
    b = data["partners"]["GM9802"]
    assert b == {"partner": "Beekveld", "suppressed": True} and _numbers(b) == []
    assert set(a["culture"]["now"]) == {"clan", "adhocratie", "markt", "hierarchie"}
    assert set(a["readiness"]) >= {"commitment", "efficacy"}
    assert set(a["urgency"]) >= {"want", "have_to", "gap"}


def test_results_before_closing_only_counts(survey_world, tmp_path):
    survey = _fill(survey_world)
    out = tmp_path / "uit.json"
    call_command("surveys", "results", str(survey.pk), "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["closed"] is False
    a = data["partners"]["GM9801"]
    assert set(a) == {"name", "n", "groups"}
    assert data["partners"]["GM9802"] == {"partner": "Beekveld", "suppressed": True}


@pytest.mark.parametrize("argument", ["999999", "abc"])
def test_unknown_survey_is_bad_input_and_writes_nothing(survey_world, tmp_path, argument):
    out = tmp_path / "uit.json"
    with pytest.raises(CommandError) as info:
        call_command("surveys", "results", argument, "--output", str(out))
    assert info.value.returncode == 2
    assert not out.exists()


def test_real_cli_exit_code_and_dutch_help(tmp_path):
    harmonie = Path(sys.executable).with_name("harmonie")
    env = {**os.environ, "HARMONIE_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(harmonie), "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    out = tmp_path / "uit.json"
    result = subprocess.run([str(harmonie), "surveys", "results", "12345", "--output", str(out)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "bestaat niet" in result.stderr and not out.exists()
    helptext = subprocess.run([str(harmonie), "surveys", "results", "--help"], env=env, capture_output=True,
                              text=True).stdout
    assert "anonimiteitsregels" in helptext


def test_list_shows_survey_ids(survey_world):
    from io import StringIO

    out = StringIO()
    call_command("surveys", "list", stdout=out)
    assert f"{survey_world['survey'].pk}\t{survey_world['workspace'].slug}\t" in out.getvalue()
    with pytest.raises(CommandError) as info:
        call_command("surveys", "list", "--samenwerkingsverband", "bestaat-niet")
    assert info.value.returncode == 2
