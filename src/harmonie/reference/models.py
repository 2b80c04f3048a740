"""Reference data: versioned national lists (UPL, GEMMA, Selectielijst, gemeenten).

Every load of content that differs from the current version creates a new
``ReferenceVersion`` with its own item rows; older versions stay, so earlier
analyses remain explainable. Loading identical content changes nothing.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceKind(models.TextChoices):
    UPL = "upl", _("UPL (Uniforme Productnamenlijst)")
    GEMMA = "gemma", _("GEMMA")
    SELECTIELIJST = "selectielijst", _("Selectielijst")
    GEMEENTEN = "gemeenten", _("Gemeenten (TOOI)")


class ReferenceVersion(models.Model):
    kind = models.CharField(_("soort"), max_length=20, choices=ReferenceKind.choices)
    number = models.PositiveIntegerField(_("versie"))
    content_sha256 = models.CharField(_("inhoudshash"), max_length=64,
                                      help_text=_("Hash van de ingelezen inhoud (niet van de bytes van het bestand)."))
    file_sha256 = models.CharField(_("bestandshash"), max_length=64, blank=True)
    source = models.CharField(_("bron"), max_length=500, help_text=_("Bestandsnaam of URL."))
    source_format = models.CharField(_("vorm"), max_length=30, blank=True)
    is_excerpt = models.BooleanField(_("uittreksel (demo)"), default=False)
    loaded_at = models.DateTimeField(_("geladen op"), auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    is_current = models.BooleanField(_("actueel"), default=False)
    item_count = models.PositiveIntegerField(_("aantal"), default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="unique_reference_version_number"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(is_current=True),
                                    name="one_current_reference_version"),
        ]
        verbose_name = _("referentieversie")
        verbose_name_plural = _("referentieversies")

    def __str__(self):
        return f"{self.get_kind_display()} versie {self.number}"

    @property
    def version(self) -> int:
        """Alias of ``number`` (used by the API serializer)."""
        return self.number

    @property
    def count(self) -> int:
        """Alias of ``item_count``."""
        return self.item_count


class ItemBase(models.Model):
    version = models.ForeignKey(ReferenceVersion, on_delete=models.CASCADE, related_name="+")
    item_hash = models.CharField(max_length=64)

    class Meta:
        abstract = True


class UplProduct(ItemBase):
    uri = models.CharField(_("URI"), max_length=500)
    label = models.CharField(_("uniforme productnaam"), max_length=500)
    start_date = models.DateField(_("begindatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    rijk = models.BooleanField(default=False)
    provincie = models.BooleanField(default=False)
    waterschap = models.BooleanField(default=False)
    gemeente = models.BooleanField(default=False)
    burger = models.BooleanField(default=False)
    bedrijf = models.BooleanField(default=False)
    dienstenwet = models.BooleanField(default=False)
    autonomie = models.BooleanField(default=False)
    medebewind = models.BooleanField(default=False)
    aanvraag = models.BooleanField(default=False)
    subsidie = models.BooleanField(default=False)
    melding = models.BooleanField(default=False)
    verplichting = models.BooleanField(default=False)
    digid_macht = models.BooleanField(default=False)
    sdg = models.CharField(_("SDG-code"), max_length=20, blank=True)
    legal_basis = models.JSONField(_("grondslagen"), default=list, blank=True)

    class Meta:
        ordering = ["label"]
        indexes = [models.Index(fields=["version", "uri"])]
        verbose_name = _("UPL-product")
        verbose_name_plural = _("UPL-producten")

    def __str__(self):
        return self.label

    @property
    def withdrawn(self) -> bool:
        return self.end_date is not None and self.end_date <= date.today()


class GemmaElement(ItemBase):
    identifier = models.CharField(max_length=100)
    object_id = models.CharField(_("Object ID"), max_length=100)
    type = models.CharField(_("ArchiMate-type"), max_length=60)
    name = models.CharField(_("naam"), max_length=500)
    documentation = models.TextField(_("beschrijving"), blank=True)
    gemma_type = models.CharField(_("GEMMA-type"), max_length=100, blank=True)
    gemma_status = models.CharField(_("GEMMA-status"), max_length=100, blank=True)
    folder = models.CharField(_("map"), max_length=500, blank=True)
    properties = models.JSONField(_("eigenschappen"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["version", "type"]), models.Index(fields=["version", "object_id"])]
        verbose_name = _("GEMMA-element")
        verbose_name_plural = _("GEMMA-elementen")

    def __str__(self):
        return self.name


class GemmaRelation(ItemBase):
    identifier = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    type = models.CharField(_("relatietype"), max_length=60)
    source = models.CharField(_("bron"), max_length=100)
    target = models.CharField(_("doel"), max_length=100)
    name = models.CharField(_("naam"), max_length=500, blank=True)
    documentation = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["version", "source"]), models.Index(fields=["version", "target"])]
        verbose_name = _("GEMMA-relatie")
        verbose_name_plural = _("GEMMA-relaties")

    def __str__(self):
        return f"{self.type} {self.source} → {self.target}"


class SelectielijstItem(ItemBase):
    record_type = models.CharField(_("soort"), max_length=30)
    url = models.CharField(_("URL"), max_length=300)
    jaar = models.PositiveIntegerField(_("jaar"), null=True, blank=True)
    nummer = models.CharField(_("nummer"), max_length=20, blank=True)
    naam = models.CharField(_("naam"), max_length=500, blank=True)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    procestype_url = models.CharField(_("procestype"), max_length=300, blank=True)
    waardering = models.CharField(_("waardering"), max_length=40, blank=True)
    bewaartermijn = models.CharField(_("bewaartermijn"), max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["record_type", "jaar", "nummer"]
        indexes = [models.Index(fields=["version", "url"])]
        verbose_name = _("Selectielijst-item")
        verbose_name_plural = _("Selectielijst-items")

    def __str__(self):
        return f"{self.nummer} {self.naam}"


class Gemeente(ItemBase):
    cbs_code = models.CharField(_("CBS-code"), max_length=6)
    name = models.CharField(_("naam"), max_length=200)
    name_incl_soort = models.CharField(max_length=250, blank=True)
    province = models.CharField(_("provincie"), max_length=300, blank=True)
    tooi_uri = models.CharField(_("TOOI-URI"), max_length=300, blank=True)
    owms_uri = models.CharField(_("OWMS-URI"), max_length=300, blank=True)
    start_date = models.DateField(_("begindatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    successor_code = models.CharField(_("opvolger (CBS-code)"), max_length=100, blank=True)
    successor_name = models.CharField(_("opvolger"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["version", "cbs_code"])]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self):
        return f"{self.name} ({self.cbs_code})"

    @property
    def is_historic(self) -> bool:
        return self.end_date is not None and self.end_date < date.today()

    @property
    def successor(self) -> str:
        if self.successor_name and self.successor_code:
            return f"{self.successor_name} ({self.successor_code})"
        return self.successor_name or self.successor_code
