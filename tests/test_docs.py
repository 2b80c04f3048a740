"""The manual stays honest: links resolve, and every command the README names exists."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def test_docs_index_links_exist():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+\.md)\)", index)
    assert len(links) >= 10
    missing = [link for link in links if not (ROOT / "docs" / link).exists()]
    assert not missing, missing


def test_every_manual_page_is_in_the_index():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    pages = {p.name for p in (ROOT / "docs").glob("*.md")} - {"index.md"}
    assert not [p for p in sorted(pages) if f"({p})" not in index]


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`harmonie ([a-z_]+)", readme))
    assert {"migrate", "demo", "reference", "diagnose", "report"} <= named
    unknown = sorted(named - set(get_commands()))
    assert not unknown, f"README noemt opdrachten die niet bestaan: {unknown}"


def test_readme_opens_with_the_two_commands():
    first_lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:4]
    assert any(line.startswith("make run") for line in first_lines)
    assert any(line.startswith("make test") for line in first_lines)
