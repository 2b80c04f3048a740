"""Werkprocessen layer models: how each partner *defines* its processes (zaaktypen, BPMN models) and how it
*runs* them (event logs), plus the correspondences between partners and the shared reference process.

Event log contents are not stored in the database: an imported log is written once as a Parquet file under
``HARMONIE_DATA_DIR`` (pseudonymised), and ``EventLog`` keeps its metadata and cached figures. Zaaktypen keep
the fields the comparison uses as columns and the full API representation (all related resources) in
``details``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from harmonie.core.models import Job, Partner, Workspace


class DefinitionSource(models.TextChoices):
    OPENZAAK_ZIP = "openzaak-zip", _("Open Zaak-export (ZIP)")
    ZGW_API = "zgw-api", _("ZGW Catalogi API")
    INAVIGATOR = "inavigator", _("i-Navigator (DSP-XML)")
    DEMO = "demo", _("Demo")


class ZaakType(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="zaaktypen")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="zaaktypen")
    source = models.CharField(_("bron"), max_length=20, choices=DefinitionSource.choices)
    source_name = models.CharField(_("bestand of URL"), max_length=1000, blank=True)
    identificatie = models.CharField(_("identificatie"), max_length=200)
    versie = models.CharField(_("versie"), max_length=100, blank=True,
                              help_text=_("versiedatum of versienummer uit de bron"))
    omschrijving = models.CharField(_("omschrijving"), max_length=500)
    doel = models.TextField(_("doel"), blank=True)
    doorlooptijd = models.CharField(_("doorlooptijd (ISO 8601)"), max_length=40, blank=True)
    servicenorm = models.CharField(_("servicenorm (ISO 8601)"), max_length=40, blank=True)
    vertrouwelijkheidaanduiding = models.CharField(_("vertrouwelijkheid"), max_length=40, blank=True)
    selectielijst_procestype = models.URLField(_("Selectielijst-procestype"), max_length=500, blank=True)
    producten_of_diensten = models.JSONField(_("producten of diensten"), default=list, blank=True)
    upl_uri = models.CharField(_("UPL-product"), max_length=500, blank=True,
                               help_text=_("Koppeling naar de productlaag."))
    details = models.JSONField(default=dict, blank=True,
                               help_text=_("Volledige API-weergave inclusief roltypen, eigenschappen, enz."))
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__name", "omschrijving"]
        constraints = [models.UniqueConstraint(fields=["partner", "identificatie", "versie"],
                                               name="unique_zaaktype_version")]
        verbose_name = _("zaaktype")
        verbose_name_plural = _("zaaktypen")

    def __str__(self):
        return f"{self.omschrijving} ({self.partner.name})"


class StatusType(models.Model):
    zaaktype = models.ForeignKey(ZaakType, on_delete=models.CASCADE, related_name="statustypen")
    volgnummer = models.PositiveIntegerField(_("volgnummer"))
    omschrijving = models.CharField(_("omschrijving"), max_length=300)
    omschrijving_generiek = models.CharField(_("generieke omschrijving"), max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["zaaktype", "volgnummer"]
        verbose_name = _("statustype")
        verbose_name_plural = _("statustypen")

    def __str__(self):
        return f"{self.volgnummer}. {self.omschrijving}"


class ResultaatType(models.Model):
    zaaktype = models.ForeignKey(ZaakType, on_delete=models.CASCADE, related_name="resultaattypen")
    omschrijving = models.CharField(_("omschrijving"), max_length=300)
    resultaattypeomschrijving = models.URLField(_("generieke resultaattypeomschrijving"), max_length=500,
                                                blank=True)
    selectielijstklasse = models.URLField(_("Selectielijstklasse"), max_length=500, blank=True)
    archiefnominatie = models.CharField(_("archiefnominatie"), max_length=40, blank=True)
    archiefactietermijn = models.CharField(_("archiefactietermijn (ISO 8601)"), max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["zaaktype", "omschrijving"]
        verbose_name = _("resultaattype")
        verbose_name_plural = _("resultaattypen")

    def __str__(self):
        return self.omschrijving


class ZgwConnection(models.Model):
    """A partner's live ZGW Catalogi API. The secret is never stored: ``secret_env`` names the environment
    variable that holds it."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="zgw_connection")
    base_url = models.URLField(_("adres van de Catalogi API"), max_length=500)
    catalogus_url = models.URLField(_("catalogus (optioneel)"), max_length=500, blank=True)
    client_id = models.CharField(_("client-id"), max_length=200)
    secret_env = models.CharField(_("omgevingsvariabele met het geheim"), max_length=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ZGW-koppeling")
        verbose_name_plural = _("ZGW-koppelingen")

    def __str__(self):
        return f"{self.partner.name}: {self.base_url}"


class ProcessModel(models.Model):
    """A partner's process model as BPMN 2.0 XML (as uploaded; parsed on use)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="process_models")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="process_models")
    name = models.CharField(_("naam"), max_length=300)
    source_name = models.CharField(_("bestand"), max_length=500, blank=True)
    file_sha256 = models.CharField(max_length=64)
    bpmn_xml = models.TextField()
    summary = models.JSONField(default=dict, blank=True,
                               help_text=_("Aantallen taken, gebeurtenissen, gateways en lanes."))
    zaaktype = models.ForeignKey(ZaakType, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="process_models")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [models.UniqueConstraint(fields=["partner", "name"], name="unique_process_model")]
        verbose_name = _("procesmodel")
        verbose_name_plural = _("procesmodellen")

    def __str__(self):
        return f"{self.name} ({self.partner.name})"


class EventLog(models.Model):
    """One imported event log of one partner. Events live in ``parquet_path`` (relative to
    ``HARMONIE_DATA_DIR``), pseudonymised; ``stats`` caches the per-log figures."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="event_logs")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="event_logs")
    name = models.CharField(_("naam"), max_length=300)
    source_name = models.CharField(_("bestand"), max_length=500)
    file_sha256 = models.CharField(max_length=64)
    parquet_path = models.CharField(max_length=500)
    cases = models.PositiveIntegerField(default=0)
    events = models.PositiveBigIntegerField(default=0)
    activities = models.PositiveIntegerField(default=0)
    variants = models.PositiveIntegerField(default=0)
    first_event = models.DateTimeField(null=True, blank=True)
    last_event = models.DateTimeField(null=True, blank=True)
    pseudonymised_columns = models.JSONField(default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    zaaktype = models.ForeignKey(ZaakType, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="event_logs")
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [models.UniqueConstraint(fields=["partner", "name"], name="unique_event_log")]
        verbose_name = _("eventlog")
        verbose_name_plural = _("eventlogs")

    def __str__(self):
        return f"{self.name} ({self.partner.name})"


class CorrespondenceKind(models.TextChoices):
    ZAAKTYPE = "zaaktype", _("Zaaktype")
    ACTIVITY = "activiteit", _("Activiteit of statustype")


class CorrespondenceStatus(models.TextChoices):
    SUGGESTED = "voorgesteld", _("Voorgesteld")
    CONFIRMED = "bevestigd", _("Bevestigd")
    REJECTED = "afgewezen", _("Afgewezen")


class Correspondence(models.Model):
    """'A of partner X is the same as B of partner Y': zaaktypen or activities/statustypen, suggested by the
    matcher and confirmed or rejected in the UI. Keys are the source's own ids (zaaktype identificatie,
    BPMN element id, event-log activity name)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="correspondences")
    kind = models.CharField(max_length=20, choices=CorrespondenceKind.choices)
    a_partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    a_key = models.CharField(max_length=500)
    a_label = models.CharField(max_length=500)
    b_partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    b_key = models.CharField(max_length=500)
    b_label = models.CharField(max_length=500)
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=CorrespondenceStatus.choices,
                              default=CorrespondenceStatus.SUGGESTED)
    context = models.CharField(max_length=300, blank=True,
                               help_text=_("Waarbinnen de overeenkomst geldt, bijvoorbeeld het zaaktype of model."))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "a_partner__name", "a_label"]
        constraints = [models.UniqueConstraint(
            fields=["workspace", "kind", "context", "a_partner", "a_key", "b_partner", "b_key"],
            name="unique_correspondence")]
        verbose_name = _("overeenkomst")
        verbose_name_plural = _("overeenkomsten")

    def __str__(self):
        return f"{self.a_label} ({self.a_partner.name}) ≈ {self.b_label} ({self.b_partner.name})"


class ReferenceProcess(models.Model):
    """A proposed or adopted harmonised reference process: common core plus partner variants.

    ``model`` is the pure-Python structure the analysis produced (core steps, variants per partner group,
    flows); ``bpmn_xml`` its BPMN 2.0 export with diagram layout; ``zaaktype`` the harmonised zaaktype fields.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="reference_processes")
    name = models.CharField(_("naam"), max_length=300)
    upl_uri = models.CharField(_("UPL-product"), max_length=500, blank=True)
    model = models.JSONField(default=dict)
    bpmn_xml = models.TextField(blank=True)
    zaaktype = models.JSONField(default=dict, blank=True)
    adopted = models.BooleanField(_("vastgesteld"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("referentieproces")
        verbose_name_plural = _("referentieprocessen")

    def __str__(self):
        return self.name


class DefinitionUpload(models.Model):
    """An uploaded zaaktype catalogue (Open Zaak ZIP or i-Navigator XML) waiting for its import job (kept in the
    database, so a worker on another machine can read it; removed after the job)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, choices=DefinitionSource.choices)
    file_name = models.CharField(max_length=300)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
