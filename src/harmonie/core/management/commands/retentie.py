"""``harmonie retentie [--dry-run]``: delete personal data whose retention period has passed.

* Survey answers (``people.SurveyResponse``: answers and open comments) and unfinished drafts
  (``people.Draft``) of survey rounds that closed more than ``HARMONIE_RETENTION_SURVEY_DAYS``
  days ago (default 730). A round closes at ``closed_at`` (closed early) or at the end of
  ``closes_on``. The round itself (title, dates, groups, link batches) is kept; only the answers go.
* Event logs (Werkprocessen): Harmonie stores none — ``harmonie processes compare`` reads the
  files and writes only aggregated figures to the output the user chose — so there is nothing to
  delete here.

Every round whose answers are deleted gets an audit entry (action 'verwijderd', with the counts).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from harmonie.core import audit
from harmonie.core.errors import BadInput
from harmonie.core.management.base import HarmonieCommand


def survey_close_date(survey) -> datetime.date:
    end = survey.closes_on
    if survey.closed_at is not None:
        end = min(end, timezone.localdate(survey.closed_at))
    return end


def expired_surveys(days: int, today=None):
    from harmonie.people.models import Survey

    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    candidates = Survey.objects.filter(closes_on__lt=today).select_related("workspace").order_by("pk")
    closed_early = Survey.objects.filter(closed_at__isnull=False).select_related("workspace").order_by("pk")
    seen = {}
    for survey in list(candidates) + list(closed_early):
        if survey.pk not in seen and survey_close_date(survey) < cutoff:
            seen[survey.pk] = survey
    return [seen[pk] for pk in sorted(seen)]


class Command(HarmonieCommand):
    help = ("Verwijder persoonsgegevens waarvan de bewaartermijn verstreken is: de antwoorden (en "
            "onafgemaakte concepten) van enquêterondes die langer dan HARMONIE_RETENTION_SURVEY_DAYS "
            "dagen (standaard 730) gesloten zijn. De ronde zelf blijft bestaan. Elke opgeschoonde ronde "
            "krijgt een regel in het auditlog. Eventlogs van werkprocessen slaat Harmonie niet op.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Laat alleen zien wat verwijderd zou worden; verwijder niets.")
        parser.add_argument("--dagen", type=int, default=None, metavar="N",
                            help="Bewaartermijn in dagen voor deze run (standaard HARMONIE_RETENTION_SURVEY_DAYS).")

    def handle(self, *args, dry_run=False, dagen=None, **options):
        from harmonie.people.models import Draft, SurveyResponse

        days = dagen if dagen is not None else int(getattr(settings, "HARMONIE_RETENTION_SURVEY_DAYS", 730))
        if days < 0:
            raise BadInput("Optie '--dagen': geef een bewaartermijn van 0 of meer dagen.")
        total_responses = total_drafts = 0
        lines = []
        with transaction.atomic():
            for survey in expired_surveys(days):
                responses = SurveyResponse.objects.filter(survey=survey)
                drafts = Draft.objects.filter(link__batch__survey=survey)
                n_responses, n_drafts = responses.count(), drafts.count()
                if not (n_responses or n_drafts):
                    continue
                total_responses += n_responses
                total_drafts += n_drafts
                lines.append(f"  {survey.workspace.slug}: '{survey.title}' (gesloten {survey_close_date(survey):%d-%m-%Y}): "
                             f"{n_responses} antwoorden, {n_drafts} concepten")
                if dry_run:
                    continue
                responses.delete()
                drafts.delete()
                audit.record_deletion(
                    None, survey.workspace, object_type="people.surveyresponse", object_id=survey.pk,
                    object_repr=f"Antwoorden van enquêteronde '{survey.title}' (bewaartermijn verstreken)",
                    removed=n_responses + n_drafts,
                    details={"reden": "bewaartermijn", "bewaartermijn_dagen": days,
                             "enquete": survey.pk, "gesloten_op": survey_close_date(survey).isoformat(),
                             "antwoorden": n_responses, "concepten": n_drafts},
                )
        verb = "Zou verwijderen" if dry_run else "Verwijderd"
        self.stdout.write(f"Bewaartermijn enquêteantwoorden: {days} dagen.")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"{verb}: {total_responses} enquêteantwoorden en {total_drafts} concepten "
                          f"uit {len(lines)} enquêteronde(s).")
        self.stdout.write("Eventlogs (werkprocessen): Harmonie slaat geen eventlogs op; niets te verwijderen.")
        if dry_run:
            self.stdout.write("Proefdraai (--dry-run): er is niets verwijderd.")
