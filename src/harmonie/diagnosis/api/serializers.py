from rest_framework import serializers

from ..models import ROADMAP_LAYERS, CostKey, Initiative, InitiativeKind, InitiativeStatus, Initiator


class LagenSerializer(serializers.Serializer):
    products = serializers.FloatField(allow_null=True)
    processes = serializers.FloatField(allow_null=True)
    steering = serializers.FloatField(allow_null=True)
    culture = serializers.FloatField(allow_null=True)
    applications = serializers.FloatField(allow_null=True)


class PaarSerializer(LagenSerializer):
    a = serializers.CharField(help_text="CBS-code van de eerste partner.")
    b = serializers.CharField(help_text="CBS-code van de tweede partner.")


class IndexSerializer(serializers.Serializer):
    layers = LagenSerializer()
    partners = serializers.DictField(child=LagenSerializer(), help_text="Per CBS-code de index per laag.")
    pairs = PaarSerializer(many=True)


class BevindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="Regel-id, bv. L3-01.")
    lesson = serializers.ChoiceField(choices=["L1", "L2", "L3"])
    severity = serializers.ChoiceField(choices=["hoog", "midden", "laag"])
    partner = serializers.CharField(allow_null=True, help_text="CBS-code, of null voor het hele verband.")
    evidence = serializers.CharField()
    advice = serializers.CharField()


class DiagnoseSerializer(serializers.Serializer):
    index = IndexSerializer()
    findings = BevindingSerializer(many=True)


class MetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    index = IndexSerializer()
    findings = BevindingSerializer(many=True)


class InitiatiefSerializer(serializers.ModelSerializer):
    dependencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    proposed_start = serializers.DateField(read_only=True, allow_null=True)
    proposed_end = serializers.DateField(read_only=True, allow_null=True)
    violations = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Initiative
        fields = ["id", "title", "layer", "kind", "owner", "start", "end", "status", "dependencies", "initiated_by",
                  "primary_process_need", "board_mandate", "board_mandate_date", "information_management",
                  "single_platform", "target_process_of", "gemma_component", "one_off_costs", "yearly_costs",
                  "one_off_savings", "yearly_savings", "cost_key", "proposed_start", "proposed_end", "violations"]


class InitiatiefWijzigenSerializer(serializers.Serializer):
    title = serializers.CharField(required=False)
    layer = serializers.ChoiceField(choices=ROADMAP_LAYERS, required=False)
    kind = serializers.ChoiceField(choices=InitiativeKind.choices, required=False)
    owner = serializers.CharField(required=False, allow_blank=True)
    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices, required=False)
    initiated_by = serializers.ChoiceField(choices=Initiator.choices, required=False)
    board_mandate = serializers.CharField(required=False, allow_blank=True)
    board_mandate_date = serializers.DateField(required=False, allow_null=True)
    information_management = serializers.BooleanField(required=False)
    cost_key = serializers.ChoiceField(choices=CostKey.choices, required=False)
