"""``harmonie retentie``: survey answers of rounds closed longer than the retention period are deleted."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from harmonie.core.audit import verify_chain
from harmonie.core.factories import PartnerFactory
from harmonie.core.models import AuditAction, AuditEntry
from harmonie.people.models import Draft, LinkBatch, RespondentLink, Survey, SurveyResponse

pytestmark = pytest.mark.django_db


def make_round(workspace, title, *, closes_days_ago, closed_early_days_ago=None, responses=3, drafts=1):
    today = timezone.localdate()
    partner = PartnerFactory(workspace=workspace)
    survey = Survey.objects.create(
        workspace=workspace, title=title, opens_on=today - datetime.timedelta(days=closes_days_ago + 30),
        closes_on=today - datetime.timedelta(days=closes_days_ago),
        closed_at=(timezone.now() - datetime.timedelta(days=closed_early_days_ago)
                   if closed_early_days_ago is not None else None))
    survey.partners.add(partner)
    for _ in range(responses):
        SurveyResponse.objects.create(survey=survey, partner=partner, submitted_on=survey.opens_on,
                                      answers={"q1": 3}, comment="Persoonlijke opmerking")
    batch = LinkBatch.objects.create(survey=survey, partner=partner, size=drafts)
    for index in range(drafts):
        link = RespondentLink.objects.create(batch=batch, token_hash=f"{survey.pk:04d}{index:060d}")
        Draft.objects.create(link=link, data={"q1": 2})
    return survey


@pytest.fixture
def rounds(workspace, settings):
    settings.HARMONIE_RETENTION_SURVEY_DAYS = 730
    return {
        "old": make_round(workspace, "Ronde 2023", closes_days_ago=800),
        "early": make_round(workspace, "Vroeg gesloten", closes_days_ago=-10, closed_early_days_ago=731, responses=2),
        "recent": make_round(workspace, "Ronde vorig jaar", closes_days_ago=400),
        "edge": make_round(workspace, "Precies op de grens", closes_days_ago=730),
        "open": make_round(workspace, "Lopende ronde", closes_days_ago=-20),
    }


def test_dry_run_counts_and_deletes_nothing(rounds, capsys):
    audit_before = AuditEntry.objects.count()
    call_command("retentie", "--dry-run")
    out = capsys.readouterr().out
    assert "Zou verwijderen: 5 enquêteantwoorden en 2 concepten uit 2 enquêteronde(s)" in out
    assert "Ronde 2023" in out and "Vroeg gesloten" in out and "Ronde vorig jaar" not in out
    assert "niets verwijderd" in out
    assert SurveyResponse.objects.count() == 3 + 2 + 3 + 3 + 3
    assert AuditEntry.objects.count() == audit_before


def test_deletes_expired_answers_keeps_rounds_and_audits(rounds, capsys):
    call_command("retentie")
    out = capsys.readouterr().out
    assert "Verwijderd: 5 enquêteantwoorden en 2 concepten uit 2 enquêteronde(s)" in out
    assert "geen eventlogs" in out
    for key in ("old", "early"):
        assert not SurveyResponse.objects.filter(survey=rounds[key]).exists()
        assert not Draft.objects.filter(link__batch__survey=rounds[key]).exists()
        assert Survey.objects.filter(pk=rounds[key].pk).exists()
    for key in ("recent", "edge", "open"):
        assert SurveyResponse.objects.filter(survey=rounds[key]).count() == 3
        assert Draft.objects.filter(link__batch__survey=rounds[key]).count() == 1
    entries = AuditEntry.objects.filter(object_type="people.surveyresponse", action=AuditAction.DELETE)
    assert entries.count() == 2
    old_entry = entries.get(object_id=str(rounds["old"].pk))
    assert old_entry.removed == 4 and old_entry.before["antwoorden"] == 3 and old_entry.before["concepten"] == 1
    assert old_entry.before["bewaartermijn_dagen"] == 730 and old_entry.user_display == "systeem"
    assert verify_chain().ok

    # A second run finds nothing and writes no audit entries.
    call_command("retentie")
    assert "Verwijderd: 0 enquêteantwoorden" in capsys.readouterr().out
    assert entries.count() == 2


def test_period_comes_from_settings_and_option(rounds, settings, capsys):
    settings.HARMONIE_RETENTION_SURVEY_DAYS = 365
    call_command("retentie", "--dry-run")
    assert "uit 4 enquêteronde(s)" in capsys.readouterr().out  # old, early, recent, edge
    call_command("retentie", "--dry-run", "--dagen", "1000")
    assert "uit 0 enquêteronde(s)" in capsys.readouterr().out


def test_negative_period_is_bad_input(rounds):
    with pytest.raises(CommandError) as info:
        call_command("retentie", "--dagen", "-1")
    assert info.value.returncode == 2
    assert SurveyResponse.objects.count() == 14
