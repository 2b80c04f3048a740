"""A worker killed halfway through a real import leaves nothing half-applied.

Runs the real processes: ``harmonie worker`` loads the GEMMA model from the
shared data as a background job; the test kills the worker with SIGKILL while
it is writing, checks that nothing of the new version is visible, lets the
reaper mark the job failed, retries it and checks the complete result.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from conftest import require_shared

pytestmark = pytest.mark.slow


def _env(tmp_path, **extra):
    env = os.environ.copy()
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        "HARMONIE_DATA_DIR": str(tmp_path / "var"),
        "HARMONIE_JOB_HEARTBEAT_SECONDS": "0.5",
        **extra,
    })
    return env


def _harmonie(tmp_path, *args, **extra):
    return subprocess.run([sys.executable, "-m", "harmonie.cli", *args], capture_output=True, text=True,
                          env=_env(tmp_path, **extra), timeout=300)


def _query(tmp_path, sql, *params):
    with sqlite3.connect(tmp_path / "jobs.sqlite3", timeout=30) as db:
        return db.execute(sql, params).fetchall()


def test_killed_worker_leaves_no_partial_import_and_retry_completes(tmp_path):
    gemma = require_shared("gemma")
    assert _harmonie(tmp_path, "migrate", "--no-input", "-v", "0").returncode == 0
    started = _harmonie(tmp_path, "shell", "-c", (
        "from harmonie.core.jobs import start_job;"
        f"print(start_job('reference.load', label='GEMMA', params={{'kind': 'gemma', 'path': {str(gemma)!r}}}).pk)"
    ))
    assert started.returncode == 0, started.stderr
    job_uuid = started.stdout.strip().splitlines()[-1]
    job_id = job_uuid.replace("-", "")  # how SQLite stores a UUIDField
    cache = FileBasedCache(str(tmp_path / "var" / "cache"), {})

    worker = subprocess.Popen([sys.executable, "-m", "harmonie.cli", "worker"], env=_env(tmp_path),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            progress = cache.get(f"harmonie:job:{job_uuid}")
            if progress and progress["done"] >= 1000:
                break
            assert worker.poll() is None, "de worker stopte vanzelf"
            time.sleep(0.05)
        else:
            pytest.fail("de import kwam niet op gang")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    # Nothing of the half-written version is visible, and the job still claims to run.
    assert _query(tmp_path, "select count(*) from reference_referenceversion where kind='gemma'") == [(0,)]
    assert _query(tmp_path, "select count(*) from reference_gemmaelement") == [(0,)]
    assert _query(tmp_path, "select status from core_job where id=?", job_id) == [("running",)]

    time.sleep(1.5)
    reaped = _harmonie(tmp_path, "worker", "--only-reaper", HARMONIE_JOB_STALE_SECONDS="1")
    assert reaped.returncode == 0, reaped.stderr
    status, message = _query(tmp_path, "select status, message from core_job where id=?", job_id)[0]
    assert status == "failed" and "onderbroken" in message

    retried = _harmonie(tmp_path, "shell", "-c", (
        "from harmonie.core.jobs import retry_job; from harmonie.core.models import Job;"
        f"retry_job(Job.objects.get(pk='{job_id}'))"
    ))
    assert retried.returncode == 0, retried.stderr
    finished = _harmonie(tmp_path, "worker", "--max-tasks", "1")
    assert finished.returncode == 0, finished.stderr
    assert _query(tmp_path, "select status, attempts from core_job where id=?", job_id) == [("succeeded", 2)]
    assert _query(tmp_path, "select count(*) from reference_gemmaelement") == [(3006,)]
    assert _query(tmp_path, "select count(*) from reference_gemmarelation") == [(6257,)]
