"""Reference data pages: upload a real list, load it in the background, follow progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from conftest import require_shared
from harmonie.core.models import Job, JobStatus
from harmonie.reference.models import ReferenceVersion

pytestmark = pytest.mark.django_db(transaction=True)


def _drain_queue():
    call_command("db_worker", batch=True, startup_delay=False, interval=0.1)


def test_coordinator_uploads_upl_and_follows_the_job(client, role_users):
    upl = require_shared("upl/UPL-actueel-2025-04.csv")
    client.force_login(role_users["coordinator"])
    response = client.post(reverse("reference:index"), {
        "kind": "upl", "file": SimpleUploadedFile(upl.name, upl.read_bytes(), content_type="text/csv"),
    })
    job = Job.objects.get(kind="reference.load")
    assert response.status_code == 302 and response["Location"] == reverse("reference:job", args=[job.pk])
    page = client.get(response["Location"])
    assert "Wacht op verwerking" in page.content.decode()
    assert 'hx-get="%s"' % reverse("reference:job_progress", args=[job.pk]) in page.content.decode()

    _drain_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    current = ReferenceVersion.objects.get(kind="upl", is_current=True)
    assert current.item_count == 1214 and current.source == upl.name and current.loaded_by == role_users["coordinator"]
    fragment = client.get(reverse("reference:job_progress", args=[job.pk])).content.decode()
    assert "Klaar" in fragment and "hx-get" not in fragment  # polling stops when finished
    overview = client.get(reverse("reference:index")).content.decode()
    assert "UPL-actueel-2025-04.csv" in overview and "1214" in overview


def test_bad_upload_fails_the_job_with_a_dutch_message_and_asks_for_a_new_file(client, role_users):
    client.force_login(role_users["coordinator"])
    bad = SimpleUploadedFile("upl.csv", "Naam;Iets\nPaspoort;x\n".encode("cp1252"), content_type="text/csv")
    client.post(reverse("reference:index"), {"kind": "upl", "file": bad})
    _drain_queue()
    job = Job.objects.get(kind="reference.load")
    assert job.status == JobStatus.FAILED
    assert "upl.csv" in job.message
    assert not ReferenceVersion.objects.filter(kind="upl", is_excerpt=False).exists()
    page = client.get(reverse("reference:job", args=[job.pk])).content.decode()
    # the file itself is wrong: a retry would repeat the message, so the page asks for a corrected file
    assert "Pas het bestand aan en start een nieuwe import" in page and "Opnieuw starten" not in page
    client.post(reverse("reference:job_retry", args=[job.pk]))  # the API-level retry still exists
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_readers_see_the_lists_but_cannot_load(client, role_users):
    client.force_login(role_users["lezer"])
    page = client.get(reverse("reference:index"))
    assert page.status_code == 200 and "Een lijst laden" not in page.content.decode()
    denied = client.post(reverse("reference:index"), {"kind": "upl"})
    assert denied.status_code == 403
    assert not Job.objects.exists()
