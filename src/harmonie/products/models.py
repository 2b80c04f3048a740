"""Products layer models: each partner's product catalogue, its UPL mappings, and the learned UPL matcher.

A ``ProductRecord`` is one product or service as the partner publishes it (one SC record, one row of a
catalogue file). It keeps what the matrix compares (audience, online request, lead time, fees) and the raw
source fields. Its UPL names are ``ProductMapping`` rows: tags that came with the source, suggestions of the
matcher, or a contributor's confirmation/override. The matrix uses the *effective* mappings: confirmed ones
when the product has them, otherwise the source tags, otherwise the best (rank-1) suggestion when its calibrated
score reaches ``HARMONIE_MATRIX_MIN_SCORE`` (default 0.5); a product with none of these is "nog niet gekoppeld"
and counts for no UPL product in the workspace matrix (``harmonie catalog compare`` keeps every rank-1
suggestion).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from harmonie.core.models import Job, Partner, Workspace


class CatalogueSourceKind(models.TextChoices):
    SC_CSV = "sc-csv", _("SC-records (CSV)")
    SC_XML = "sc-xml", _("SC-records (SRU-XML)")
    HARVEST = "harvest", _("Opgehaald uit de landelijke zoekdienst")
    MAPPED = "mapped", _("CSV/XLSX met kolomindeling")
    DEMO = "demo", _("Demo")


class ProductRecord(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="product_records")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="product_records")
    # Stable key within the partner's catalogue: the SC identifier URL, productID, or the mapped id column.
    source_key = models.CharField(_("sleutel"), max_length=500)
    title = models.CharField(_("titel"), max_length=500)
    abstract = models.TextField(_("samenvatting"), blank=True)
    audience = models.JSONField(_("doelgroep"), default=list, blank=True,
                                help_text=_("particulier en/of ondernemer"))
    subject = models.CharField(_("onderwerp"), max_length=300, blank=True)
    online_request = models.CharField(_("online aanvragen"), max_length=20, blank=True,
                                      help_text=_("ja, nee of digid; leeg als onbekend"))
    request_url = models.URLField(_("aanvraag-URL"), max_length=1000, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    lead_time = models.CharField(_("doorlooptijd"), max_length=300, blank=True)
    fees = models.CharField(_("kosten"), max_length=300, blank=True)
    modified = models.DateField(_("gewijzigd (bron)"), null=True, blank=True)
    source_tags = models.JSONField(_("UPL-tags uit de bron"), default=list, blank=True,
                                   help_text=_("URI's zoals de partner ze zelf publiceert (prefix hersteld)."))
    content_hash = models.CharField(max_length=64, help_text=_("Hash van de vergeleken velden, voor de verschillen bij herimport."))
    suggested_with = models.CharField(
        max_length=100, blank=True, default="",
        help_text=_("Welke UPL-versie en welk UPL-model de suggesties maakten (leeg: onbekend, van vóór deze "
                    "registratie); verschilt het van de huidige, dan worden de suggesties opnieuw berekend."))
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__name", "title"]
        constraints = [models.UniqueConstraint(fields=["partner", "source_key"], name="unique_product_per_partner")]
        indexes = [models.Index(fields=["workspace", "partner"])]
        verbose_name = _("product")
        verbose_name_plural = _("producten")

    def __str__(self):
        return f"{self.title} ({self.partner.name})"


class MappingOrigin(models.TextChoices):
    SOURCE = "bron", _("Uit de bron")
    SUGGESTION = "suggestie", _("Suggestie")
    CONFIRMED = "bevestigd", _("Bevestigd")
    OVERRIDDEN = "overschreven", _("Handmatig gekozen")


class ProductMapping(models.Model):
    """One UPL name for one product, with where it came from. Suggestions keep their rank (1..3)."""

    product = models.ForeignKey(ProductRecord, on_delete=models.CASCADE, related_name="mappings")
    upl_uri = models.CharField(_("UPL-URI"), max_length=500)
    upl_label = models.CharField(_("uniforme productnaam"), max_length=500, blank=True)
    origin = models.CharField(_("herkomst"), max_length=20, choices=MappingOrigin.choices)
    rank = models.PositiveSmallIntegerField(_("rang"), default=1)
    score = models.FloatField(_("zekerheid"), null=True, blank=True)
    withdrawn = models.BooleanField(_("ingetrokken UPL-naam"), default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["product", "origin", "rank"]
        constraints = [models.UniqueConstraint(fields=["product", "origin", "upl_uri"], name="unique_product_mapping")]
        indexes = [models.Index(fields=["upl_uri"])]
        verbose_name = _("UPL-koppeling")
        verbose_name_plural = _("UPL-koppelingen")

    def __str__(self):
        return f"{self.product.title} → {self.upl_label or self.upl_uri} ({self.origin})"


class CatalogueImport(models.Model):
    """One import of one partner's catalogue and what it changed (for 'what was added, changed, removed')."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="catalogue_imports")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="catalogue_imports")
    kind = models.CharField(_("soort bron"), max_length=20, choices=CatalogueSourceKind.choices)
    source = models.CharField(_("bron"), max_length=1000, help_text=_("Bestandsnaam of URL."))
    file_sha256 = models.CharField(max_length=64, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict, blank=True,
                               help_text=_("Titels per soort wijziging: added/changed/removed."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catalogusimport")
        verbose_name_plural = _("catalogusimports")

    def __str__(self):
        return f"{self.partner.name}: {self.source} ({self.created_at:%Y-%m-%d})"


class HarvestSetting(models.Model):
    """Where the harvester fetches a partner's catalogue: the SRU endpoint and the authority name to query."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="harvest_setting")
    sru_url = models.URLField(_("SRU-adres"), max_length=500)
    authority = models.CharField(_("organisatienaam in de zoekdienst"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ophaalinstelling")
        verbose_name_plural = _("ophaalinstellingen")

    def __str__(self):
        return f"{self.partner.name}: {self.sru_url}"


class UplModel(models.Model):
    """One learned state of the UPL matcher (the newest one is used by ``upl match``).

    ``payload`` is the matcher in numpy ``.npz`` form (no pickle); ``training`` holds the labelled records it
    was learned from (gzip-compressed JSON), so a later ``upl learn`` adds to them instead of starting over.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    upl_version_ref = models.CharField(
        max_length=200, blank=True, help_text="Vingerafdruk van de UPL-lijst waarmee geleerd is."
    )
    records = models.PositiveIntegerField(default=0, help_text="Aantal gebruikte gelabelde producten.")
    stats = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField()
    training = models.BinaryField(default=b"")

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = "UPL-model"
        verbose_name_plural = "UPL-modellen"

    def __str__(self):
        return f"UPL-model {self.created_at:%Y-%m-%d %H:%M} ({self.records} producten)"


class CatalogueUpload(models.Model):
    """An uploaded catalogue file waiting for its import job (or for the column-mapping step).

    Kept in the database so a worker on another machine can read it; removed after a successful import.
    ``mapping`` is the chosen column mapping for kind ``mapped`` (field → column header).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="catalogue_uploads")
    kind = models.CharField(max_length=20, choices=CatalogueSourceKind.choices)
    file_name = models.CharField(max_length=300)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("geüploade catalogus")
        verbose_name_plural = _("geüploade catalogi")

    def __str__(self):
        return f"{self.partner.name}: {self.file_name}"
