"""scripts/security-audit.py (make audit, CI): fails on vulnerabilities, warns (not fails) when the
advisory database is unreachable, and never reports 'nothing audited' as a pass."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "security-audit.py"


@pytest.fixture
def audit_module():
    spec = importlib.util.spec_from_file_location("security_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_run(pip_json, npm_json, npm_rc=0):
    def run(cmd, **kwargs):
        if "pip-audit" in cmd[0]:
            if pip_json is not None:
                Path(cmd[cmd.index("-o") + 1]).write_text(json.dumps(pip_json))
            return subprocess.CompletedProcess(cmd, 0 if pip_json else 1, "", "ConnectionError: no route")
        return subprocess.CompletedProcess(cmd, npm_rc, json.dumps(npm_json), "")
    return run


PIP_CLEAN = {"dependencies": [{"name": "django", "version": "5.2", "vulns": []}]}
PIP_VULN = {"dependencies": [{"name": "django", "version": "5.2", "vulns": [{"id": "PYSEC-2099-1"}]}]}
PIP_ALL_SKIPPED = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
NPM_CLEAN = {"metadata": {"vulnerabilities": {"low": 1, "moderate": 0, "high": 0, "critical": 0, "total": 1}}}
NPM_HIGH = {"metadata": {"vulnerabilities": {"high": 1, "critical": 0, "total": 1}},
            "vulnerabilities": {"bpmn-js": {"severity": "high"}}}
NPM_UNREACHABLE = {"error": {"code": "ENOTFOUND", "summary": "getaddrinfo ENOTFOUND registry.npmjs.org"}}


@pytest.mark.parametrize("pip_json, npm_json, strict, expected_rc, expected_text", [
    (PIP_CLEAN, NPM_CLEAN, False, 0, "in orde"),
    (PIP_VULN, NPM_CLEAN, False, 1, "PYSEC-2099-1"),
    (PIP_CLEAN, NPM_HIGH, False, 1, "bpmn-js"),
    (PIP_ALL_SKIPPED, NPM_CLEAN, False, 0, "NIET (volledig) UITGEVOERD"),
    (None, NPM_UNREACHABLE, False, 0, "niet bereiken"),
    (PIP_ALL_SKIPPED, NPM_UNREACHABLE, True, 3, "HARMONIE_AUDIT_STRICT"),
    (PIP_ALL_SKIPPED, NPM_HIGH, False, 1, "MISLUKT"),  # unreachable on one side does not hide a finding
])
def test_outcomes(audit_module, monkeypatch, capsys, pip_json, npm_json, strict, expected_rc, expected_text):
    monkeypatch.setattr(audit_module.subprocess, "run", fake_run(pip_json, npm_json))
    monkeypatch.setattr(audit_module, "VENV", Path(audit_module.sys.executable).parent.parent)
    if strict:
        monkeypatch.setenv("HARMONIE_AUDIT_STRICT", "1")
    else:
        monkeypatch.delenv("HARMONIE_AUDIT_STRICT", raising=False)
    monkeypatch.setattr(Path, "exists", lambda self: True)
    assert audit_module.main() == expected_rc
    assert expected_text in capsys.readouterr().out
