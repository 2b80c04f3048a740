"""Applicaties layer: each partner's application portfolio on the GEMMA referentiecomponenten.

A mapping refers to a referentiecomponent by its GEMMA **Object ID** (stable over
GEMMA versions, also used by the Softwarecatalogus) and keeps the name it had, so
a later GEMMA version does not silently change what was mapped.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from harmonie.core.models import Partner, Workspace


class Application(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="applications")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("applicatie"), max_length=300)
    supplier = models.CharField(_("leverancier"), max_length=300, blank=True)
    product = models.CharField(_("product"), max_length=300, blank=True)
    version = models.CharField(_("versie"), max_length=100, blank=True)
    contract_end = models.DateField(_("einddatum contract"), null=True, blank=True)
    yearly_cost = models.DecimalField(_("kosten per jaar (€)"), max_digits=14, decimal_places=2, null=True,
                                      blank=True)
    users = models.PositiveIntegerField(_("aantal gebruikers"), null=True, blank=True)
    hosting = models.CharField(_("hosting"), max_length=200, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True, help_text=_("Bestand van de laatste import."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__name", "name"]
        constraints = [models.UniqueConstraint(fields=["partner", "name"], name="unique_application_per_partner")]
        verbose_name = _("applicatie")
        verbose_name_plural = _("applicaties")

    def __str__(self):
        return f"{self.name} ({self.partner.name})"


class MappingStatus(models.TextChoices):
    CONFIRMED = "bevestigd", _("Bevestigd")
    SUGGESTED = "voorgesteld", _("Voorgesteld")


class ComponentMapping(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="mappings")
    gemma_object_id = models.CharField(_("GEMMA Object ID"), max_length=100)
    gemma_name = models.CharField(_("referentiecomponent"), max_length=500)
    status = models.CharField(max_length=20, choices=MappingStatus.choices, default=MappingStatus.CONFIRMED)
    origin = models.CharField(_("herkomst"), max_length=20, default="import",
                              help_text=_("import, suggestie of handmatig"))
    score = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["gemma_name"]
        constraints = [models.UniqueConstraint(fields=["application", "gemma_object_id"],
                                               name="unique_mapping_per_application")]
        verbose_name = _("koppeling aan referentiecomponent")
        verbose_name_plural = _("koppelingen aan referentiecomponenten")

    def __str__(self):
        return f"{self.application.name} → {self.gemma_name}"


class Consolidation(models.Model):
    """A planned consolidation on one referentiecomponent and the harmonisation it depends on."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="consolidations")
    gemma_object_id = models.CharField(_("GEMMA Object ID"), max_length=100)
    gemma_name = models.CharField(_("referentiecomponent"), max_length=500)
    title = models.CharField(_("titel"), max_length=300)
    target_application = models.CharField(_("doelapplicatie"), max_length=300, blank=True)
    planned_from = models.DateField(_("gepland vanaf"), null=True, blank=True)
    depends_on = models.CharField(_("hangt af van"), max_length=500,
                                  help_text=_("De proces- of productharmonisatie die eerst klaar moet zijn."))
    harmonisation_done = models.BooleanField(_("harmonisatie gereed"), default=False)
    notes = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["gemma_name", "title"]
        constraints = [models.UniqueConstraint(fields=["workspace", "title"], name="unique_consolidation_title")]
        verbose_name = _("geplande consolidatie")
        verbose_name_plural = _("geplande consolidaties")

    def __str__(self):
        return self.title


class PortfolioUpload(models.Model):
    """An uploaded portfolio file waiting for its import job (kept in the database, so a worker on another
    machine can read it; removed after a successful import)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=300)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
