"""Core domain: samenwerkingsverbanden (workspaces), partners, roles, audit, jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .layers import DELIVERY_LAYERS


class WgrForm(models.TextChoices):
    OPENBAAR_LICHAAM = "openbaar_lichaam", _("Openbaar lichaam")
    BEDRIJFSVOERINGSORGANISATIE = "bedrijfsvoeringsorganisatie", _("Bedrijfsvoeringsorganisatie")
    CENTRUMREGELING = "centrumregeling", _("Centrumregeling")
    GEMEENSCHAPPELIJK_ORGAAN = "gemeenschappelijk_orgaan", _("Gemeenschappelijk orgaan")
    REGELING_ZONDER_MEER = "regeling_zonder_meer", _("Regeling zonder meer")
    COOPERATIE = "cooperatie", _("Coöperatie (privaatrechtelijk)")


class Workspace(models.Model):
    """A samenwerkingsverband: the unit every other record belongs to."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam (slug)"), max_length=60, unique=True)
    wgr_form = models.CharField(_("Wgr-vorm"), max_length=40, choices=WgrForm.choices, blank=True)
    vision = models.TextField(_("gezamenlijke visie"), blank=True)
    goals = models.TextField(_("doelen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("samenwerkingsverband")
        verbose_name_plural = _("samenwerkingsverbanden")

    def __str__(self):
        return self.name


class Partner(models.Model):
    """A partner municipality, picked from the TOOI register.

    The register values are copied at the moment of adding, so a later
    reference update (for example a municipal merger) does not silently
    change who the partner was.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="partners")
    cbs_code = models.CharField(_("CBS-code"), max_length=6)
    name = models.CharField(_("naam"), max_length=200)
    tooi_uri = models.URLField(_("TOOI-URI"), max_length=300, blank=True)
    owms_uri = models.URLField(_("OWMS-URI"), max_length=300, blank=True)
    is_historic = models.BooleanField(_("opgeheven gemeente"), default=False)
    is_fictional = models.BooleanField(_("fictief (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "cbs_code"], name="unique_partner_per_workspace"),
        ]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class DeliveryState(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    INGELEVERD = "ingeleverd", _("Ingeleverd")
    VASTGESTELD = "vastgesteld", _("Vastgesteld")


class DeliveryStatus(models.Model):
    """How far a partner is with delivering its data for one layer."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="deliveries")
    layer = models.CharField(max_length=30, choices=[(layer.key, layer.title) for layer in DELIVERY_LAYERS])
    state = models.CharField(max_length=20, choices=DeliveryState.choices, default=DeliveryState.CONCEPT)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "layer"], name="unique_delivery_per_layer")]
        ordering = ["partner__name", "layer"]


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coördinator")
    PARTNERBIJDRAGER = "partnerbijdrager", _("Partnerbijdrager")
    LEZER = "lezer", _("Lezer / bestuurder")


class Membership(models.Model):
    """A user's role in one workspace. Beheerders are superusers and need none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="contributors")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace"], name="one_role_per_workspace"),
            models.CheckConstraint(
                condition=(models.Q(role="partnerbijdrager", partner__isnull=False)
                           | (~models.Q(role="partnerbijdrager") & models.Q(partner__isnull=True))),
                name="contributor_bound_to_partner",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.workspace})"


class AuditAction(models.TextChoices):
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    IMPORT = "import", _("geïmporteerd")


class AuditEntry(models.Model):
    """One manual change or one import. Written by ``core.audit``, never edited.

    Tamper-evident: every entry carries the SHA-256 of its own content plus the hash
    of the entry before it (``prev_hash``), one chain per installation in insertion
    (id) order; ``harmonie audit verify`` recomputes it. See ``core.audit``.
    """

    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    user_display = models.CharField(max_length=150, blank=True)
    # Set before saving (not auto_now_add): the hash covers the timestamp.
    timestamp = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added = models.PositiveIntegerField(null=True, blank=True)
    changed = models.PositiveIntegerField(null=True, blank=True)
    removed = models.PositiveIntegerField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")


class AuditChainHead(models.Model):
    """Singleton (pk=1): the hash and id of the last audit entry.

    Writers lock this row (``select_for_update``) so two concurrent writers cannot
    both chain onto the same predecessor; ``verify`` compares it with the last entry,
    which detects entries removed from the end of the chain.
    """

    last_hash = models.CharField(max_length=64, blank=True)
    last_entry_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("auditketen")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Klaar")
    FAILED = "failed", _("Mislukt")


class Job(models.Model):
    """A background job (import, analysis, report) as the user sees it.

    The queue itself is django-tasks' database backend; this row adds what a
    user needs: a label, who started it, progress, a Dutch error message and
    the arguments needed to retry. Live progress is written here outside the
    job's own data transaction (see ``core.jobs``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def kind_label(self) -> str:
        """The Dutch name of this job's kind (``core.jobs.JOB_TITLES``)."""
        from .jobs import job_title

        return job_title(self.kind)

    @property
    def failed_on_input(self) -> bool:
        """Failed because the input is wrong (``BadInput``): a retry would give the same message."""
        from .jobs import FAILURE_BAD_INPUT

        return (self.status == JobStatus.FAILED and isinstance(self.result, dict)
                and self.result.get("failure") == FAILURE_BAD_INPUT)

    @property
    def result_url(self) -> str:
        """``result["url"]`` of a finished job: where its outcome can be seen (same site only)."""
        from django.utils.http import url_has_allowed_host_and_scheme

        url = self.result.get("url") if self.status == JobStatus.SUCCEEDED and isinstance(self.result, dict) else ""
        if isinstance(url, str) and url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            return url
        return ""

    @property
    def result_url_label(self) -> str:
        label = self.result.get("url_label") if isinstance(self.result, dict) else ""
        return label if isinstance(label, str) and label else str(_("Bekijk het resultaat"))


class ImportColumnMapping(models.Model):
    """The column mapping a partner chose for a generic CSV/XLSX import, remembered for the next file.

    ``kind`` names the importer (``products``, ``eventlog``, ...); ``mapping`` maps the importer's field
    names to the column headers of the partner's file.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="column_mappings")
    kind = models.CharField(max_length=40)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "kind"], name="unique_column_mapping")]
        verbose_name = _("kolomindeling")
        verbose_name_plural = _("kolomindelingen")

    def __str__(self):
        return f"{self.partner.name}: {self.kind}"


class TotpDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238, 30 s, 6 digits), see ``core.twofactor``.

    ``confirmed_at`` is empty until the user typed a first valid code; only a confirmed device
    makes the login ask for a code. ``last_step`` is the last accepted time step, so a code
    cannot be used twice (replay).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator (2FA)")
        verbose_name_plural = _("authenticators (2FA)")

    def __str__(self):
        return f"2FA {self.user}"


class RecoveryCode(models.Model):
    """A one-time recovery code for 2FA; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("herstelcode (2FA)")
        verbose_name_plural = _("herstelcodes (2FA)")
