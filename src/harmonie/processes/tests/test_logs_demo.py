"""The demo: real EventLog rows for the four fictional partners, pseudonymised, idempotent, and the diagnosis
hook (``workspace_comparison``) sees them."""

import pytest

from harmonie.core.demo import build_demo
from harmonie.processes.services import logs as services
from harmonie.processes.demo.logs import NAMES
from harmonie.processes.models import EventLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_demo_event_logs(tmp_path):
    workspace = build_demo().workspace
    logs = list(EventLog.objects.filter(workspace=workspace).select_related("partner"))
    assert len(logs) == workspace.partners.count() == 4
    assert all(log.cases == 120 and log.pseudonymised_columns == ["resource"] for log in logs)
    raw = b"".join(p.read_bytes() for p in (tmp_path / "var").rglob("*.parquet"))
    assert not any(name.encode() in raw for name in NAMES)
    summary = services.workspace_comparison(workspace)
    assert len(summary["pairs"]) == 6 and "Besluit nemen" in summary["common_core"]["activities"]
    full = services.log_comparison(workspace)
    heidemeer = full["partners"]["Heidemeer"]
    assert heidemeer["rework_share"] > full["partners"]["Lindeveen"]["rework_share"]
    best = {row["key"]: row["best"] for row in full["best"]["activities"]}
    assert best["Advies inwinnen"] == "Lindeveen" and best["Besluit verzenden"] == "Heidemeer"
    before = list(EventLog.objects.order_by("pk").values("pk", "file_sha256", "parquet_path"))
    build_demo()
    assert list(EventLog.objects.order_by("pk").values("pk", "file_sha256", "parquet_path")) == before
