"""Background jobs: one registry of job kinds, run through django-tasks.

A job kind is a plain function ``fn(progress, **params) -> dict`` registered
with ``@register_job("kind")``. The same function runs in three ways:

* from the web UI / API: ``start_job`` creates a ``Job`` row and enqueues it
  on the database-backed queue; the worker runs it and the UI polls progress;
* from the CLI: ``run_inline`` runs it in-process with a progress bar;
* from tests: ``run_inline`` as well (or the immediate backend).

The job function must do its writes inside ``transaction.atomic()`` so that a
crash or a killed worker leaves nothing half-applied. Live progress is written
to the shared cache (not the database) because the job's own transaction may
hold SQLite's write lock; the ``Job`` row is updated when the job starts and
ends. A job whose worker died is found by its stale heartbeat, marked failed
and can be retried.
"""

import logging
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .errors import BadInput, HarmonieError
from .models import Job, JobStatus

logger = logging.getLogger(__name__)

JOB_KINDS: dict[str, Callable] = {}

# The Dutch name a user sees for each job kind (job pages, job list). ``register_job(kind, title=...)`` adds to
# it; the kinds below are registered by layer apps that pass no title themselves.
JOB_TITLES: dict[str, str] = {
    "products.catalogue_import": "Import productcatalogus",
    "products.recompute_suggestions": "Suggesties opnieuw berekenen",
    "applications.import": "Import applicatieportfolio",
    "reference.load": "Referentiedata laden",
    "reference.update": "Referentiedata bijwerken",
    "diagnosis.measure": "Diagnose meten",
    "processes.bpmn_import": "Import procesmodel (BPMN)",
    "processes.reference_build": "Referentieproces opbouwen",
    "processes.zaaktypen.import": "Import zaaktypen",
    "processes.zaaktypen.zgw": "Zaaktypen ophalen (ZGW-API)",
    "processes.eventlog_import": "Import eventlog",
}

# ``Job.result["failure"]`` of a job that failed on its input (``BadInput``): retrying gives the same error.
FAILURE_BAD_INPUT = "bad_input"


def _heartbeat_interval() -> float:
    return float(getattr(settings, "HARMONIE_JOB_HEARTBEAT_SECONDS", 5))


def _stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "HARMONIE_JOB_STALE_SECONDS", 60)))


def register_job(kind: str, title: str | None = None):
    def decorator(fn):
        JOB_KINDS[kind] = fn
        if title:
            JOB_TITLES[kind] = title
        return fn

    return decorator


class Progress:
    """Reports ``done`` of ``total`` with a message; cheap to call often."""

    min_interval = 0.25

    def __init__(self, job_id=None, bar=None):
        self.job_id = job_id
        self.bar = bar
        self.done = 0
        self.total = 0
        self.message = ""
        self._last = 0.0

    def update(self, done=None, total=None, message=None, force=False):
        if total is not None:
            self.total = total
            if self.bar is not None:
                self.bar.total = total
        if done is not None:
            if self.bar is not None:
                self.bar.update(done - self.done)
            self.done = done
        if message is not None:
            self.message = message
            if self.bar is not None:
                self.bar.set_description_str(message)
        now = time.monotonic()
        if self.job_id and (force or now - self._last >= self.min_interval):
            self._last = now
            cache.set(_progress_key(self.job_id), {
                "done": self.done, "total": self.total, "message": self.message, "heartbeat": time.time(),
            }, timeout=24 * 3600)

    def advance(self, step=1, message=None):
        self.update(done=self.done + step, message=message)


def job_title(kind: str) -> str:
    """The Dutch name of a job kind; the technical kind when none is known."""
    title = JOB_TITLES.get(kind)
    return _(title) if title else kind


def _progress_key(job_id) -> str:
    return f"harmonie:job:{job_id}"


def _beat_key(job_id) -> str:
    return f"harmonie:job:{job_id}:beat"


class _Heartbeat(threading.Thread):
    """Proves the worker is alive while a job runs, even during long steps without progress."""

    def __init__(self, job_id):
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            cache.set(_beat_key(self.job_id), time.time(), timeout=24 * 3600)
            self.stopped.wait(_heartbeat_interval())


def live_progress(job: Job) -> Job:
    """Overlay the live progress from the cache on a running job row."""
    data = cache.get(_progress_key(job.pk))
    if data and job.status == JobStatus.RUNNING:
        job.done, job.total = data["done"], data["total"]
        job.message = data["message"] or job.message
    return job


def start_job(kind, *, label, params=None, workspace=None, user=None) -> Job:
    if kind not in JOB_KINDS:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind, label=label, params=params or {}, workspace=workspace,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


def retry_job(job: Job) -> Job:
    if job.status != JobStatus.FAILED:
        raise HarmonieError(_("Alleen een mislukte taak kan opnieuw worden gestart."))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, message="", done=0, total=0, finished_at=None,
                                         result=None)
    job.refresh_from_db()
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job):
    result = execute_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def execute_job(job_id: str):
    """The django-tasks entry point: run one Job row."""
    job = Job.objects.get(pk=job_id)
    return _run(job, Progress(job_id=job.pk))


def run_inline(kind, params, *, progress=None):
    """Run a job function directly (CLI, tests), without a Job row."""
    return JOB_KINDS[kind](progress or Progress(), **params)


def _run(job: Job, progress: Progress):
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now,
                                         attempts=job.attempts + 1, message="")
    progress.update(message=_("Gestart"), force=True)
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        result = JOB_KINDS[job.kind](progress, **job.params)
    except BadInput as exc:
        # The input itself is wrong: the same file gives the same message, so the UI asks for a new file
        # instead of offering a retry.
        _finish(job, JobStatus.FAILED, exc.message, progress, result={"failure": FAILURE_BAD_INPUT})
        return None
    except HarmonieError as exc:
        _finish(job, JobStatus.FAILED, exc.message, progress)
        return None
    except Exception as exc:  # noqa: BLE001 - a job must never die silently
        logger.error("Job %s failed:\n%s", job.pk, traceback.format_exc())
        _finish(job, JobStatus.FAILED, _("Onverwachte fout: %(e)s. Er is niets half opgeslagen; u kunt de taak "
                                         "opnieuw starten.") % {"e": exc}, progress)
        return None
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    _finish(job, JobStatus.SUCCEEDED, progress.message if progress.message != _("Gestart") else "", progress,
            result=result)
    return result


def _finish(job, status, message, progress, result=None):
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message, result=result, finished_at=timezone.now(),
        done=progress.done if status == JobStatus.FAILED else max(progress.done, progress.total),
        total=progress.total,
    )
    cache.delete_many([_progress_key(job.pk), _beat_key(job.pk)])


def reap_stale_jobs(*, all_running=False) -> int:
    """Mark jobs whose worker died as failed. Returns how many were reaped.

    With ``all_running`` (used when the only worker starts) every running job
    is stale by definition; otherwise a job is stale when its heartbeat in
    the cache is older than ``HARMONIE_JOB_STALE_SECONDS``.
    """
    reaped = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        data = cache.get(_progress_key(job.pk))
        beats = [cache.get(_beat_key(job.pk)) or 0, data["heartbeat"] if data else 0,
                 job.heartbeat_at.timestamp() if job.heartbeat_at else 0]
        if all_running or time.time() - max(beats) > _stale_after().total_seconds():
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                message=_("De verwerking is onderbroken (de worker stopte). Er is niets half opgeslagen; "
                          "start de taak opnieuw."),
            )
            cache.delete_many([_progress_key(job.pk), _beat_key(job.pk)])
            reaped += 1
    return reaped


@dataclass
class CliProgress:
    """Context manager giving a ``Progress`` that draws a tqdm bar on stderr."""

    description: str = ""
    disable: bool = False

    def __enter__(self) -> Progress:
        from tqdm import tqdm

        self._bar = tqdm(total=0, desc=self.description, unit="", disable=self.disable, leave=False)
        return Progress(bar=self._bar)

    def __exit__(self, *exc):
        self._bar.close()
        return False
