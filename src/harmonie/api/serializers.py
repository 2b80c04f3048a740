"""Serializers: they shape and validate; they never save.

Writes go through ``harmonie.core.services`` (called from the views), so the
``create``/``update`` hooks of DRF serializers are deliberately not used.
Field names are Dutch snake_case, the same names the service error messages
use ("Veld 'naam': ..."), so ``invalid-params`` points at the right field
whichever layer found the error.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from harmonie.core.layers import DELIVERY_LAYERS
from harmonie.core.models import AuditAction, DeliveryState, JobStatus, WgrForm


class SamenwerkingsverbandSerializer(serializers.Serializer):
    naam = serializers.CharField(source="name", max_length=200, help_text=_("Naam van het samenwerkingsverband."))
    slug = serializers.SlugField(
        max_length=60, required=False, allow_blank=True,
        help_text=_("Korte naam in URL's. Wordt afgeleid van de naam als hij leeg is; kan later niet veranderen."),
    )
    wgr_form = serializers.ChoiceField(
        choices=WgrForm.choices, required=False, allow_blank=True,
        help_text=_("Vorm volgens de Wet gemeenschappelijke regelingen."),
    )
    visie = serializers.CharField(source="vision", required=False, allow_blank=True)
    doelen = serializers.CharField(source="goals", required=False, allow_blank=True)
    aangemaakt_op = serializers.DateTimeField(source="created_at", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:samenwerkingsverband-detail", lookup_field="slug", read_only=True,
    )

    def service_kwargs(self) -> dict:
        """Validated data with the model/service names (``name``, ``vision``, ...)."""
        return dict(self.validated_data)


class SamenwerkingsverbandWijzigenSerializer(SamenwerkingsverbandSerializer):
    """Wijzigen: alle velden zijn optioneel; de slug ligt vast na het aanmaken."""

    naam = serializers.CharField(source="name", max_length=200, required=False)
    slug = serializers.SlugField(read_only=True)


class PartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    cbs_code = serializers.CharField(read_only=True, help_text=_("CBS-gemeentecode, bijvoorbeeld GM0363."))
    naam = serializers.CharField(source="name", read_only=True)
    tooi_uri = serializers.CharField(read_only=True)
    owms_uri = serializers.CharField(read_only=True)
    opgeheven = serializers.BooleanField(source="is_historic", read_only=True)
    fictief = serializers.BooleanField(source="is_fictional", read_only=True)
    aangemaakt_op = serializers.DateTimeField(source="created_at", read_only=True)


class PartnerToevoegenSerializer(serializers.Serializer):
    cbs_code = serializers.CharField(
        max_length=10,
        help_text=_("CBS-code uit het gemeenteregister (TOOI), bijvoorbeeld GM0363 of 0363."),
    )


class LeveringSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    partner_naam = serializers.CharField(source="partner.name", read_only=True)
    laag = serializers.ChoiceField(
        source="layer", read_only=True, choices=[(layer.key, layer.title) for layer in DELIVERY_LAYERS],
    )
    status = serializers.ChoiceField(
        source="state", choices=DeliveryState.choices,
        help_text=_("Het enige veld dat te wijzigen is. Bijdragers zetten de levering van hun eigen gemeente op "
                    "concept of ingeleverd; alleen de coördinator stelt vast of heropent."),
    )
    gewijzigd_door = serializers.SerializerMethodField()
    gewijzigd_op = serializers.DateTimeField(source="changed_at", read_only=True, allow_null=True)

    def get_gewijzigd_door(self, obj) -> str | None:
        return obj.changed_by.get_username() if obj.changed_by_id else None


class AuditregelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    tijdstip = serializers.DateTimeField(source="timestamp", read_only=True)
    gebruiker = serializers.CharField(source="user_display", read_only=True)
    actie = serializers.ChoiceField(source="action", choices=AuditAction.choices, read_only=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    object_omschrijving = serializers.CharField(source="object_repr", read_only=True)
    voor = serializers.JSONField(source="before", read_only=True, allow_null=True)
    na = serializers.JSONField(source="after", read_only=True, allow_null=True)
    bestandsnaam = serializers.CharField(source="file_name", read_only=True)
    bestand_sha256 = serializers.CharField(source="file_sha256", read_only=True)
    toegevoegd = serializers.IntegerField(source="added", read_only=True, allow_null=True)
    gewijzigd = serializers.IntegerField(source="changed", read_only=True, allow_null=True)
    verwijderd = serializers.IntegerField(source="removed", read_only=True, allow_null=True)


class TaakSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    soort = serializers.CharField(source="kind", read_only=True)
    omschrijving = serializers.CharField(source="label", read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    gedaan = serializers.IntegerField(source="done", read_only=True)
    totaal = serializers.IntegerField(source="total", read_only=True)
    percentage = serializers.IntegerField(source="percent", read_only=True)
    klaar = serializers.BooleanField(source="is_finished", read_only=True)
    bericht = serializers.CharField(source="message", read_only=True)
    resultaat = serializers.JSONField(source="result", read_only=True, allow_null=True)
    pogingen = serializers.IntegerField(source="attempts", read_only=True)
    gestart_door = serializers.SerializerMethodField()
    aangemaakt_op = serializers.DateTimeField(source="created_at", read_only=True)
    gestart_op = serializers.DateTimeField(source="started_at", read_only=True, allow_null=True)
    beeindigd_op = serializers.DateTimeField(source="finished_at", read_only=True, allow_null=True)

    def get_gestart_door(self, obj) -> str | None:
        return obj.created_by.get_username() if obj.created_by_id else None


class GemeenteSerializer(serializers.Serializer):
    cbs_code = serializers.CharField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    tooi_uri = serializers.CharField(read_only=True, allow_null=True)
    owms_uri = serializers.CharField(read_only=True, allow_null=True)
    opgeheven = serializers.BooleanField(source="is_historic", read_only=True)
    einddatum = serializers.DateField(source="end_date", read_only=True, allow_null=True)


class ReferentieversieSerializer(serializers.Serializer):
    """Een geladen versie van een referentielijst (gemeenten, UPL, GEMMA, Selectielijst)."""

    soort = serializers.CharField(source="kind", read_only=True)
    versie = serializers.IntegerField(source="number", read_only=True)
    bron = serializers.CharField(source="source", read_only=True, help_text=_("Bestandsnaam of URL."))
    vorm = serializers.CharField(source="source_format", read_only=True)
    uittreksel = serializers.BooleanField(source="is_excerpt", read_only=True,
                                          help_text=_("Het handgeschreven demo-uittreksel."))
    actueel = serializers.BooleanField(source="is_current", read_only=True)
    geladen_op = serializers.DateTimeField(source="loaded_at", read_only=True)
    aantal = serializers.IntegerField(source="item_count", read_only=True)
    toegevoegd = serializers.IntegerField(source="added", read_only=True)
    gewijzigd = serializers.IntegerField(source="changed", read_only=True)
    verwijderd = serializers.IntegerField(source="removed", read_only=True)


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Foutbericht als ``application/problem+json`` (RFC 9457), zoals de NL API Design Rules vragen."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["invalid-params"] = fields.pop("invalid_params")
        return fields
