"""The committed ``openapi.yaml`` must match what the code generates.

Regenerate with ``make schema`` (= ``.venv/bin/harmonie spectacular --file openapi.yaml --validate``).
The test runs the very same management command, with ``--fail-on-warn`` so a
view whose schema drf-spectacular has to guess fails here too.
"""

import difflib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.PROJECT_DIR) / "openapi.yaml"
REGENERATE = "make schema   (of: .venv/bin/harmonie spectacular --file openapi.yaml --validate)"


def test_openapi_yaml_matches_code(tmp_path):
    generated_file = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated_file), "--validate", "--fail-on-warn")
    generated = generated_file.read_text(encoding="utf-8")
    assert COMMITTED.exists(), f"openapi.yaml ontbreekt in de repository. Genereer het met: {REGENERATE}"
    committed = COMMITTED.read_text(encoding="utf-8")
    if generated != committed:
        diff = "".join(list(difflib.unified_diff(
            committed.splitlines(keepends=True), generated.splitlines(keepends=True),
            fromfile="openapi.yaml (gecommit)", tofile="openapi.yaml (uit de code)",
        ))[:80])
        raise AssertionError(
            "openapi.yaml wijkt af van de code (API-schema drift). Genereer het opnieuw met\n"
            f"    {REGENERATE}\nen commit het resultaat. Verschil (eerste regels):\n{diff}"
        )


def test_schema_has_problem_json_errors_and_token_auth():
    import yaml

    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert not [path for path in schema["paths"] if path.endswith("/")], "NL API-48: geen slash aan het eind"
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (path, method, code)
