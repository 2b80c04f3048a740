"""Jobs run through the real database queue (django-tasks db backend) and a real worker."""

import pytest
from django.core.management import call_command
from django.db import transaction

from harmonie.core.errors import BadInput
from harmonie.core.jobs import (JOB_KINDS, Progress, job_title, live_progress, reap_stale_jobs, register_job,
                                retry_job, start_job)
from harmonie.core.models import Job, JobStatus, Partner
from harmonie.core.services import add_fictional_partner

pytestmark = pytest.mark.django_db(transaction=True)


@register_job("test.add_partners")
def _add_partners(progress: Progress, *, workspace_id, names, fail_at=None):
    from harmonie.core.models import Workspace

    workspace = Workspace.objects.get(pk=workspace_id)
    progress.update(done=0, total=len(names), message="Partners toevoegen")
    with transaction.atomic():
        for index, name in enumerate(names):
            if index == fail_at:
                raise BadInput(f"Regel {index + 1}: naam '{name}' is ongeldig.")
            add_fictional_partner(workspace, cbs_code=f"GM98{index:02d}", name=name)
            progress.advance()
    return {"added": len(names)}


def _drain_queue():
    call_command("db_worker", batch=True, startup_delay=False, interval=0.1)


def test_job_runs_through_queue_and_reports_progress(workspace):
    job = start_job("test.add_partners", label="Partners", workspace=workspace,
                    params={"workspace_id": workspace.pk, "names": ["A", "B", "C"]})
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    _drain_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (job.done, job.total, job.result) == (3, 3, {"added": 3})
    assert job.attempts == 1
    assert Partner.objects.filter(workspace=workspace).count() == 3


def test_failed_job_leaves_nothing_and_can_be_retried(workspace):
    job = start_job("test.add_partners", label="Partners", workspace=workspace,
                    params={"workspace_id": workspace.pk, "names": ["A", "B", "C"], "fail_at": 2})
    _drain_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Regel 3: naam 'C' is ongeldig."
    assert Partner.objects.filter(workspace=workspace).count() == 0  # the two before the error rolled back

    Job.objects.filter(pk=job.pk).update(params={"workspace_id": workspace.pk, "names": ["A", "B", "C"]})
    job.refresh_from_db()
    retry_job(job)
    _drain_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert Partner.objects.filter(workspace=workspace).count() == 3


def test_job_of_a_dead_worker_is_reaped(workspace):
    job = Job.objects.create(kind="test.add_partners", label="x", status=JobStatus.RUNNING, workspace=workspace)
    assert reap_stale_jobs() == 1  # no heartbeat at all: stale
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "onderbroken" in job.message


def test_live_progress_is_visible_outside_the_job_transaction(workspace):
    job = Job.objects.create(kind="test.add_partners", label="x", status=JobStatus.RUNNING, workspace=workspace)
    progress = Progress(job_id=job.pk)
    progress.update(done=5, total=10, message="Bezig", force=True)
    shown = live_progress(Job.objects.get(pk=job.pk))
    assert (shown.done, shown.total, shown.percent, shown.message) == (5, 10, 50, "Bezig")
    assert reap_stale_jobs() == 0  # fresh heartbeat: not stale


def test_bad_input_failure_is_recorded_and_other_failures_are_not(workspace):
    job = start_job("test.add_partners", label="Partners", workspace=workspace,
                    params={"workspace_id": workspace.pk, "names": ["A", "B"], "fail_at": 1})
    _drain_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result == {"failure": "bad_input"} and job.failed_on_input
    # a crash (not BadInput) may be transient: no bad-input mark, so the UI offers a retry
    crash = start_job("test.add_partners", label="Partners", workspace=workspace,
                      params={"workspace_id": workspace.pk, "names": ["A"], "unknown_param": 1})
    _drain_queue()
    crash.refresh_from_db()
    assert crash.status == JobStatus.FAILED and crash.result is None and not crash.failed_on_input
    # a retry starts clean
    retry_job(job)
    job.refresh_from_db()
    assert job.result is None and not job.failed_on_input


def test_every_registered_job_kind_has_a_dutch_title():
    register_job("test.titled", title="Testtaak")(lambda progress: {})
    assert job_title("test.titled") == "Testtaak"
    assert job_title("products.catalogue_import") == "Import productcatalogus"
    missing = [kind for kind in JOB_KINDS if not kind.startswith("test.") and job_title(kind) == kind]
    assert missing == []
