"""Diagnose & routekaart: measurements kept over time, the roadmap and the agreements.

The harmonisation index itself is computed from the other layers (``diagnosis.measures``);
what is stored here is what only this layer knows: snapshots of each measurement (for the
trend), the roadmap initiatives, the agreements and their implementation per partner, and the
workspace's check settings.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from harmonie.core.models import Partner, Workspace

ROADMAP_LAYERS = [
    ("visie", _("Visie & governance")),
    ("producten", _("Producten & diensten")),
    ("werkprocessen", _("Werkprocessen")),
    ("aansturing", _("Aansturing")),
    ("cultuur", _("Cultuur & urgentie")),
    ("applicaties", _("Applicaties")),
]


class Initiator(models.TextChoices):
    BESTUUR = "bestuur", _("Bestuur")
    PRIMAIR_PROCES = "primair_proces", _("Primair proces")
    BEDRIJFSVOERING = "bedrijfsvoering", _("Bedrijfsvoering")
    IT_SSC = "it_ssc", _("IT / SSC")


class InitiativeKind(models.TextChoices):
    HARMONISATIE = "harmonisatie", _("Harmonisatie")
    MIGRATIE = "migratie", _("Applicatiemigratie")
    CONSOLIDATIE = "consolidatie", _("Applicatieconsolidatie")
    BETROKKENHEID = "betrokkenheid", _("Betrokkenheid medewerkers")
    OVERIG = "overig", _("Overig")


class InitiativeStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    LOPEND = "lopend", _("Lopend")
    GEREED = "gereed", _("Gereed")


class CostKey(models.TextChoices):
    GELIJK = "gelijk", _("Gelijke delen")
    INWONERS = "inwoners", _("Naar inwonertal")
    GEBRUIK = "gebruik", _("Naar gebruik")


class Initiative(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("titel"), max_length=200)
    layer = models.CharField(_("laag"), max_length=20, choices=ROADMAP_LAYERS)
    kind = models.CharField(_("soort"), max_length=20, choices=InitiativeKind.choices,
                            default=InitiativeKind.HARMONISATIE)
    description = models.TextField(_("toelichting"), blank=True)
    owner = models.CharField(_("eigenaar"), max_length=200, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("einde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=InitiativeStatus.choices,
                              default=InitiativeStatus.GEPLAND)
    dependencies = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents",
                                          verbose_name=_("afhankelijk van"))
    initiated_by = models.CharField(_("geïnitieerd door"), max_length=20, choices=Initiator.choices,
                                    default=Initiator.BESTUUR)
    primary_process_need = models.BooleanField(_("behoefte vanuit het primaire proces vastgelegd"), default=False)
    board_mandate = models.CharField(_("bestuursbesluit (opdracht)"), max_length=300, blank=True)
    board_mandate_date = models.DateField(_("datum bestuursbesluit"), null=True, blank=True)
    information_management = models.BooleanField(_("informatiehuishouding in scope"), default=False)
    single_platform = models.BooleanField(_("één platform voor alle partners"), default=False)
    target_process_of = models.CharField(
        _("doelproces van"), max_length=10, blank=True,
        help_text=_("Leeg, ‘ssc’ of de CBS-code van de partner wiens proces als doel geldt."))
    gemma_component = models.CharField(_("GEMMA-referentiecomponent"), max_length=300, blank=True,
                                       help_text=_("Voor het contractvenster uit de laag Applicaties."))
    one_off_costs = models.DecimalField(_("eenmalige kosten (€)"), max_digits=14, decimal_places=2, default=0)
    yearly_costs = models.DecimalField(_("jaarlijkse kosten (€)"), max_digits=14, decimal_places=2, default=0)
    one_off_savings = models.DecimalField(_("eenmalige besparing (€)"), max_digits=14, decimal_places=2, default=0)
    yearly_savings = models.DecimalField(_("jaarlijkse besparing (€)"), max_digits=14, decimal_places=2, default=0)
    cost_key = models.CharField(_("verdeelsleutel"), max_length=20, choices=CostKey.choices, default=CostKey.GELIJK)
    usage = models.JSONField(_("gebruik per partner"), default=dict, blank=True,
                             help_text=_("CBS-code → gebruik (voor de verdeelsleutel ‘naar gebruik’)."))
    origin = models.CharField(max_length=20, default="handmatig")  # handmatig | voorstel | demo
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "title"]
        constraints = [models.UniqueConstraint(fields=["workspace", "title"], name="unique_initiative_title")]
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")

    def __str__(self):
        return self.title


class AgreementSubject(models.TextChoices):
    DEFINITIE = "definitie", _("Productdefinitie")
    PROCES = "proces", _("Werkproces")
    STUURREGEL = "stuurregel", _("Stuurregel")
    OVERIG = "overig", _("Overig")


class Agreement(models.Model):
    """A decision that adopts a harmonised definition, process or steering rule."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("titel"), max_length=200)
    layer = models.CharField(_("laag"), max_length=20, choices=ROADMAP_LAYERS)
    subject = models.CharField(_("onderwerp"), max_length=20, choices=AgreementSubject.choices)
    adopted_by = models.CharField(_("vastgesteld door"), max_length=200)
    adopted_on = models.DateField(_("vastgesteld op"))
    document = models.CharField(_("besluitdocument"), max_length=300, blank=True)
    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="agreements")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on", "title"]
        constraints = [models.UniqueConstraint(fields=["workspace", "title"], name="unique_agreement_title")]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")

    def __str__(self):
        return self.title


class ImplementationStatus(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("Niet gestart")
    BEZIG = "bezig", _("Bezig")
    GEREED = "gereed", _("Geïmplementeerd")
    NVT = "nvt", _("Niet van toepassing")


class Implementation(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="implementations")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=ImplementationStatus.choices,
                              default=ImplementationStatus.NIET_GESTART)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner__name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "partner"], name="unique_implementation")]


class CheckSettings(models.Model):
    """Per workspace: the scope of the cooperation and threshold overrides of the check."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="check_settings")
    information_management_in_scope = models.BooleanField(_("informatiehuishouding hoort bij de samenwerking"),
                                                          null=True, blank=True)
    thresholds = models.JSONField(_("drempels"), default=dict, blank=True)


class PartnerFacts(models.Model):
    """Numbers about a partner the business case needs (inhabitants for the cost-sharing key)."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="facts")
    inhabitants = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)


class LayerEvidence(models.Model):
    """A stored comparison result of a layer whose app keeps no per-workspace data: the contract output
    of ``harmonie catalog compare`` (products) or ``harmonie processes compare`` (processes), with the
    mapping of its organisation / log names to partners."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="layer_evidence")
    layer = models.CharField(max_length=20)  # products | processes
    payload = models.JSONField()
    names = models.JSONField(default=dict)  # name in the payload -> CBS code
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Measurement(models.Model):
    """One run of the diagnosis, kept so a re-measurement shows the trend."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="measurements")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    index = models.JSONField()
    findings = models.JSONField(default=list)
    implementation = models.JSONField(default=dict)
    sources = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
