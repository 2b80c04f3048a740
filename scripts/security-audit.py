#!/usr/bin/env python3
"""Dependency audit for CI and `make audit`: pip-audit over the installed venv and npm audit.

Outcome per tool:
* vulnerabilities found (npm: severity high or critical)     -> FAIL (exit 1)
* audited, nothing found                                    -> OK
* advisory database not reachable (no network, a registry
  proxy without the audit endpoint, every package skipped)  -> WARNING, not a failure,
  unless HARMONIE_AUDIT_STRICT=1 (then exit 3).

Why: CI machines may run without internet; a missing advisory database says nothing about the
code, so it must not turn CI red, but it must never look like a pass either (pip-audit itself
prints "No known vulnerabilities found" when it could audit nothing). The summary says which.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

OK, WARN, FAIL = "OK", "WAARSCHUWING", "FOUT"


def pip_audit() -> tuple[str, str]:
    exe = VENV / "bin" / "pip-audit"
    if not exe.exists():
        return FAIL, "pip-audit ontbreekt in .venv (installeer de test-extra: pip install -e '.[test]')."
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pip-audit.json"
        proc = subprocess.run([str(exe), "--local", "--skip-editable", "--progress-spinner", "off",
                               "--timeout", "20", "-f", "json", "-o", str(out)],
                              capture_output=True, text=True, cwd=ROOT, timeout=600,
                              env={**os.environ, "PIP_AUDIT_PYTHON": str(VENV / "bin" / "python")})
        try:
            data = json.loads(out.read_text())
        except (OSError, ValueError):
            return WARN, ("pip-audit kon de advisory-database niet bereiken (geen uitvoer): "
                          + (proc.stderr.strip().splitlines() or ["onbekende fout"])[-1])
    deps = data.get("dependencies", [])
    vulns = [(d["name"], d.get("version", ""), v.get("id", "")) for d in deps for v in d.get("vulns", [])]
    audited = [d for d in deps if "skip_reason" not in d]
    if vulns:
        listing = ", ".join(f"{n} {ver} ({vid})" for n, ver, vid in vulns)
        return FAIL, f"pip-audit vond {len(vulns)} kwetsbaarhe(i)d(en): {listing}"
    if not audited:
        return WARN, (f"pip-audit kon geen van de {len(deps)} pakketten controleren (advisory-database/PyPI "
                      "niet bereikbaar); niets gecontroleerd.")
    return OK, f"pip-audit: {len(audited)} pakketten gecontroleerd, geen bekende kwetsbaarheden."


def npm_audit() -> tuple[str, str]:
    if not (ROOT / "package-lock.json").exists():
        return OK, "npm audit: geen package-lock.json."
    try:
        proc = subprocess.run(["npm", "audit", "--omit=dev", "--audit-level=high", "--json"], capture_output=True,
                              text=True, cwd=ROOT, timeout=300)
    except FileNotFoundError:
        return WARN, "npm ontbreekt; npm audit overgeslagen."
    except subprocess.TimeoutExpired:
        return WARN, "npm audit: geen antwoord van de registry binnen 300 s."
    try:
        data = json.loads(proc.stdout or "{}")
    except ValueError:
        data = {}
    if "error" in data or ("metadata" not in data and proc.returncode != 0):
        error = data.get("error") or {}
        detail = error.get("summary") or error.get("code") or data.get("statusCode") or proc.stderr.strip()[-200:]
        return WARN, f"npm audit kon de advisory-database niet bereiken ({detail or 'geen antwoord'}); niets gecontroleerd."
    counts = (data.get("metadata") or {}).get("vulnerabilities") or {}
    high = int(counts.get("high", 0)) + int(counts.get("critical", 0))
    if high:
        names = sorted(name for name, v in (data.get("vulnerabilities") or {}).items()
                       if v.get("severity") in ("high", "critical"))
        return FAIL, f"npm audit vond {high} ernstige kwetsbaarhe(i)d(en) (high/critical): {', '.join(names)}"
    total = sum(int(v) for k, v in counts.items() if k != "total")
    return OK, f"npm audit: geen high/critical kwetsbaarheden ({total} lager)."


def main() -> int:
    results = [("pip-audit", *pip_audit()), ("npm audit", *npm_audit())]
    for name, status, message in results:
        print(f"[{status}] {message}")
    if any(status == FAIL for _n, status, _m in results):
        print("Afhankelijkheden-audit: MISLUKT (kwetsbaarheden gevonden).")
        return 1
    if any(status == WARN for _n, status, _m in results):
        if os.environ.get("HARMONIE_AUDIT_STRICT") == "1":
            print("Afhankelijkheden-audit: niet uitgevoerd en HARMONIE_AUDIT_STRICT=1 -> mislukt.")
            return 3
        print("Afhankelijkheden-audit: NIET (volledig) UITGEVOERD - advisory-database niet bereikbaar. "
              "CI gaat door; draai 'make audit' op een machine met internet.")
        return 0
    print("Afhankelijkheden-audit: in orde.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
