"""Survey rounds (anonymous) and the management & governance questionnaire (not anonymous).

Anonymity by design:

* ``RespondentLink`` stores only the SHA-256 of the token (the link itself is handed out once,
  as CSV). ``UsedLink`` marks a link as used in a separate table whose primary key *is* the
  link id: it has no timestamp and its row order is the order of link creation, not of use.
* ``SurveyResponse`` has no reference to a link, a user or an IP address; its primary key is a
  random UUID and it keeps only the submission *day*.
* ``Draft`` (save and continue) belongs to a link and is deleted in the same transaction that
  stores the response.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harmonie.core.models import Partner, Workspace

from .analysis.suppression import DEFAULT_K, DEFAULT_K_FREE_TEXT
from .instruments import ORIC_DEFAULT_CHANGE


class Survey(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("titel"), max_length=200)
    change_subject = models.CharField(_("de verandering"), max_length=200, default=ORIC_DEFAULT_CHANGE,
                                      help_text=_("Vult ‘deze verandering’ in de vragen over veranderbereidheid in."))
    opens_on = models.DateField(_("open vanaf"))
    closes_on = models.DateField(_("open tot en met"))
    closed_at = models.DateTimeField(_("vervroegd gesloten op"), null=True, blank=True)
    partners = models.ManyToManyField(Partner, related_name="surveys", verbose_name=_("partners"))
    k = models.PositiveSmallIntegerField(_("minimale groepsgrootte (k)"), default=DEFAULT_K)
    k_free_text = models.PositiveSmallIntegerField(_("minimale groepsgrootte voor open antwoorden"),
                                                   default=DEFAULT_K_FREE_TEXT)
    threshold = models.PositiveSmallIntegerField(_("drempel voor verschillen (punten)"), default=10)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("enquêteronde")
        verbose_name_plural = _("enquêterondes")

    def __str__(self):
        return self.title

    def is_closed(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.closed_at is not None or today > self.closes_on

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_closed(today) and self.opens_on <= today

    @property
    def closed(self) -> bool:
        return self.is_closed()

    @property
    def state_label(self) -> str:
        if self.is_closed():
            return str(_("Gesloten"))
        if self.is_open():
            return str(_("Open"))
        return str(_("Nog niet geopend"))


class SurveyGroup(models.Model):
    """A team or department of one partner; ``parent`` nests a team in a department."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="groups")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("naam"), max_length=120)

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [models.UniqueConstraint(fields=["survey", "partner", "name"], name="unique_group_name")]

    def __str__(self):
        return self.name


class LinkBatch(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(SurveyGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="batches")
    size = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class RespondentLink(models.Model):
    batch = models.ForeignKey(LinkBatch, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)


class UsedLink(models.Model):
    """A link that has been used. No timestamp, no reference to the response."""

    link = models.OneToOneField(RespondentLink, primary_key=True, on_delete=models.CASCADE, related_name="used")


class Draft(models.Model):
    """Answers saved so far for one link (save and continue); deleted at submission."""

    link = models.OneToOneField(RespondentLink, primary_key=True, on_delete=models.CASCADE, related_name="draft")
    data = models.JSONField(default=dict)
    step = models.CharField(max_length=20, blank=True)


class SurveyResponse(models.Model):
    """One respondent's answers: no link, no account, no IP; only the day of submission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(SurveyGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    submitted_on = models.DateField()
    answers = models.JSONField()
    comment = models.TextField(blank=True)


class SteeringAnswer(models.Model):
    """One answer of a partner to the management & governance questionnaire (not anonymous)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="steering_answers")
    key = models.CharField(max_length=40)
    value = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "key"], name="unique_steering_answer")]


class KpiDefinition(models.Model):
    """How one partner defines (and norms) a KPI."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="kpi_definitions")
    key = models.CharField(max_length=40)
    definition = models.TextField(blank=True)
    norm = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "key"], name="unique_kpi_definition")]
