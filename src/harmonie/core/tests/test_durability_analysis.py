"""A worker killed in the middle of an analysis job leaves nothing half-written; a retry completes.

The analysis is the diagnosis measurement (``diagnosis.measure``: reads every layer, writes a
``Measurement`` plus its audit entry in one transaction). Real processes on a file database: the
test starts the worker with a small hook (test instrumentation only, loaded in the worker process)
that pauses right after the ``Measurement`` row is inserted - inside the job's transaction - and
signals that; the test then kills the worker with SIGKILL. Afterwards no measurement and no audit
entry of it exist, the reaper marks the job failed, and a retry produces exactly one measurement.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.slow

HOOK = textwrap.dedent("""
    import os, time
    from django.db.models.signals import post_save

    def pause_inside_the_transaction(sender, instance, created, **kwargs):
        if created and sender._meta.label == "diagnosis.Measurement":
            open(os.environ["HARMONIE_TEST_MARKER"], "w").close()
            time.sleep(600)

    post_save.connect(pause_inside_the_transaction, weak=False)
""")


def _env(tmp_path, **extra):
    env = os.environ.copy()
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "HARMONIE_DATA_DIR": str(tmp_path / "var"),
                "HARMONIE_JOB_HEARTBEAT_SECONDS": "0.5", **extra})
    return env


def _harmonie(tmp_path, *args, **extra):
    result = subprocess.run([sys.executable, "-m", "harmonie.cli", *args], capture_output=True, text=True,
                            env=_env(tmp_path, **extra), timeout=300)
    return result


def _query(tmp_path, sql, *params):
    with sqlite3.connect(tmp_path / "jobs.sqlite3", timeout=30) as db:
        return db.execute(sql, params).fetchall()


def test_killed_worker_during_an_analysis_leaves_nothing_and_retry_completes(tmp_path):
    assert _harmonie(tmp_path, "migrate", "--no-input", "-v", "0").returncode == 0
    demo = _harmonie(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr[-2000:]
    before_measurements = _query(tmp_path, "select count(*) from diagnosis_measurement")[0][0]
    before_audit = _query(tmp_path, "select count(*) from core_auditentry")[0][0]
    started = _harmonie(tmp_path, "shell", "-c", (
        "from harmonie.core.jobs import start_job; from harmonie.core.models import Workspace;"
        "ws = Workspace.objects.get(slug='demo');"
        "print(start_job('diagnosis.measure', label='Meting', workspace=ws, params={'workspace_id': ws.pk}).pk)"
    ))
    assert started.returncode == 0, started.stderr
    job_id = started.stdout.strip().splitlines()[-1].replace("-", "")

    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "pause_hook.py").write_text(HOOK)
    marker = tmp_path / "inside-transaction"
    env = _env(tmp_path, HARMONIE_TEST_MARKER=str(marker),
               PYTHONPATH=os.pathsep.join([str(hook_dir), os.environ.get("PYTHONPATH", "")]))
    worker = subprocess.Popen([sys.executable, "-c", (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'harmonie.settings'); django.setup();"
        "import pause_hook; from harmonie.cli import main; main(['harmonie', 'worker'])")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            assert worker.poll() is None, "de worker stopte vanzelf"
            assert time.monotonic() < deadline, "de analyse kwam niet op gang"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    # the measurement row was inserted inside the transaction; after the kill nothing of it is left
    assert _query(tmp_path, "select count(*) from diagnosis_measurement")[0][0] == before_measurements
    assert _query(tmp_path, "select count(*) from core_auditentry")[0][0] == before_audit
    assert _query(tmp_path, "select status from core_job where id=?", job_id) == [("running",)]

    time.sleep(1.5)
    reaped = _harmonie(tmp_path, "worker", "--only-reaper", HARMONIE_JOB_STALE_SECONDS="1")
    assert reaped.returncode == 0, reaped.stderr
    status, message = _query(tmp_path, "select status, message from core_job where id=?", job_id)[0]
    assert status == "failed" and "onderbroken" in message

    retried = _harmonie(tmp_path, "shell", "-c", (
        "from harmonie.core.jobs import retry_job; from harmonie.core.models import Job;"
        f"retry_job(Job.objects.get(pk='{job_id}'))"))
    assert retried.returncode == 0, retried.stderr
    finished = _harmonie(tmp_path, "worker", "--max-tasks", "1")
    assert finished.returncode == 0, finished.stderr
    assert _query(tmp_path, "select status, attempts from core_job where id=?", job_id) == [("succeeded", 2)]
    assert _query(tmp_path, "select count(*) from diagnosis_measurement")[0][0] == before_measurements + 1
    verify = _harmonie(tmp_path, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
