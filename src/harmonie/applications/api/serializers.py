"""Serializers of the Applicaties API (Dutch field names, like the rest of API v1)."""

from rest_framework import serializers


class KoppelingSerializer(serializers.Serializer):
    referentiecomponent = serializers.CharField(source="gemma_name")
    gemma_object_id = serializers.CharField()
    status = serializers.CharField()
    herkomst = serializers.CharField(source="origin")


class ApplicatieSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    partner = serializers.CharField(source="partner.name")
    partner_id = serializers.IntegerField()
    naam = serializers.CharField(source="name")
    leverancier = serializers.CharField(source="supplier")
    product = serializers.CharField()
    versie = serializers.CharField(source="version")
    contract_einddatum = serializers.DateField(source="contract_end", allow_null=True)
    kosten_per_jaar = serializers.DecimalField(source="yearly_cost", max_digits=14, decimal_places=2,
                                               allow_null=True)
    gebruikers = serializers.IntegerField(source="users", allow_null=True)
    hosting = serializers.CharField()
    referentiecomponenten = KoppelingSerializer(source="mappings", many=True)


class ImportSerializer(serializers.Serializer):
    bestand = serializers.FileField(help_text="CSV, XLSX of AMEFF met het portfolio van deze partner.")
    kolommen = serializers.JSONField(required=False, help_text=(
        "Optionele kolomkoppeling: veld → kolomnaam, bv. {\"application\": \"Naam\"}."))


class PartnerCelSerializer(serializers.Serializer):
    partner = serializers.CharField()
    applicaties = serializers.ListField(child=serializers.CharField(), source="applications")
    leveranciers = serializers.ListField(child=serializers.CharField(), source="suppliers")
    kosten_per_jaar = serializers.DecimalField(source="yearly_cost", max_digits=14, decimal_places=2,
                                               allow_null=True)
    gebruikers = serializers.IntegerField(source="users", allow_null=True)
    contract_einddatum = serializers.DateField(source="contract_end", allow_null=True)
    einddatum_onbekend = serializers.BooleanField(source="end_unknown")


class OverlapSerializer(serializers.Serializer):
    referentiecomponent = serializers.CharField(source="component_name")
    gemma_object_id = serializers.CharField(source="component_id")
    partners = serializers.ListField(child=serializers.CharField())
    applications = serializers.ListField(child=serializers.CharField())
    distinct_applications = serializers.IntegerField()
    common_window_from = serializers.DateField(allow_null=True)
    gedeelde_leveranciers = serializers.ListField(child=serializers.CharField(), source="shared_suppliers")
    per_partner = serializers.SerializerMethodField()

    def get_per_partner(self, obj) -> list[dict]:
        return PartnerCelSerializer([obj.cells[p] for p in obj.partners], many=True).data


class TimeVoorstelSerializer(serializers.Serializer):
    partner = serializers.CharField()
    applicatie = serializers.CharField(source="application")
    referentiecomponent = serializers.CharField(source="component_name")
    gemma_object_id = serializers.CharField(source="component_id")
    voorstel = serializers.CharField(source="action")
    doel = serializers.CharField(source="target")
    wacht_op = serializers.CharField(source="waits_for")
    vanaf = serializers.DateField(source="earliest", allow_null=True)
    redenen = serializers.ListField(child=serializers.CharField(), source="reasons")
