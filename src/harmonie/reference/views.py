"""Reference data pages: which lists and versions are loaded, and loading new ones.

Reference lists are installation-wide (not per samenwerkingsverband). Anyone
logged in may see them; beheerders and coördinatoren may load or update them
(see ``core.permissions.can_load_reference``). Loading runs as a background
job; its progress page lives here because the job belongs to no workspace.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harmonie.core import jobs as core_jobs
from harmonie.core.errors import HarmonieError
from harmonie.core.models import Job, JobStatus
from harmonie.core.permissions import can_load_reference

from . import services
from .forms import ReferenceUploadForm


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    may_load = can_load_reference(request.user)
    form = ReferenceUploadForm()
    if request.method == "POST":
        if not may_load:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Alleen beheerders en coördinatoren mogen referentielijsten laden."))
        form = ReferenceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.start_upload_load(request.user, form.cleaned_data["kind"], form.cleaned_data["file"])
            except HarmonieError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Het bestand is ontvangen; het wordt op de achtergrond ingelezen."))
                return redirect("reference:job", job_id=job.pk)
    kinds = []
    for kind in services.KINDS:
        versions = services.list_versions(kind)
        kinds.append({
            "kind": kind,
            "label": services.LABELS[kind],
            "current": next((v for v in versions if v.is_current), None),
            "versions": versions,
        })
    jobs = []
    if may_load:
        jobs = [core_jobs.live_progress(j) for j in Job.objects.filter(
            workspace=None, kind__startswith="reference.").select_related("created_by")[:10]]
    return render(request, "reference/index.html", {
        "kinds": kinds, "form": form, "may_load": may_load, "jobs": jobs, "section": "reference",
    })


@login_required
@require_POST
def update(request):
    try:
        job = services.start_official_update(request.user)
    except HarmonieError as exc:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("De referentielijsten worden op de achtergrond bijgewerkt."))
    return redirect("reference:job", job_id=job.pk)


def _job_or_404(request, job_id):
    job = get_object_or_404(Job, pk=job_id, workspace=None, kind__startswith="reference.")
    if not (request.user.is_superuser or job.created_by_id == request.user.pk):
        raise Http404(_("Deze taak bestaat niet of u heeft er geen toegang toe."))
    return core_jobs.live_progress(job)


def _job_context(request, job):
    return {
        "job": job,
        "can_retry": job.status == JobStatus.FAILED and can_load_reference(request.user),
        "progress_url": reverse("reference:job_progress", args=[job.pk]),
        "retry_url": reverse("reference:job_retry", args=[job.pk]),
        "section": "reference",
    }


@login_required
@require_GET
def job(request, job_id):
    return render(request, "reference/job.html", _job_context(request, _job_or_404(request, job_id)))


@login_required
@require_GET
def job_progress(request, job_id):
    return render(request, "web/_job_progress.html", _job_context(request, _job_or_404(request, job_id)))


@login_required
@require_POST
def job_retry(request, job_id):
    job = _job_or_404(request, job_id)
    if not can_load_reference(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Alleen beheerders en coördinatoren mogen referentielijsten laden."))
    try:
        core_jobs.retry_job(job)
    except HarmonieError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De taak is opnieuw in de wachtrij gezet."))
    return redirect("reference:job", job_id=job.pk)
