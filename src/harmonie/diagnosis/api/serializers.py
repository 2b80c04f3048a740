from rest_framework import serializers



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


LAYER_HELP = "visie, producten, werkprocessen, aansturing, cultuur of applicaties."


class InitiatiefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField()
    layer = serializers.CharField(help_text="Laag: " + LAYER_HELP)
    kind = serializers.CharField(help_text="harmonisatie, migratie, consolidatie, betrokkenheid of overig.")
    owner = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="gepland, lopend of gereed.")
    dependencies = serializers.SerializerMethodField(help_text="Id's van initiatieven die eerst klaar moeten zijn.")
    initiated_by = serializers.CharField(help_text="bestuur, primair_proces, bedrijfsvoering of it_ssc.")
    primary_process_need = serializers.BooleanField()
    board_mandate = serializers.CharField(help_text="Het bestuursbesluit (leeg: geen).")
    board_mandate_date = serializers.DateField(allow_null=True)
    information_management = serializers.BooleanField()
    single_platform = serializers.BooleanField()
    target_process_of = serializers.CharField(help_text="Leeg, 'ssc' of de CBS-code van de partner.")
    gemma_component = serializers.CharField()
    one_off_costs = serializers.DecimalField(max_digits=14, decimal_places=2)
    yearly_costs = serializers.DecimalField(max_digits=14, decimal_places=2)
    one_off_savings = serializers.DecimalField(max_digits=14, decimal_places=2)
    yearly_savings = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost_key = serializers.CharField(help_text="gelijk, inwoners of gebruik.")
    proposed_start = serializers.DateField(read_only=True, allow_null=True)
    proposed_end = serializers.DateField(read_only=True, allow_null=True)
    violations = serializers.ListField(child=serializers.CharField(), read_only=True)

    def get_dependencies(self, obj) -> list[int]:
        return [d.pk for d in obj.dependencies.all()]


class InitiatiefWijzigenSerializer(serializers.Serializer):
    title = serializers.CharField(required=False)
    layer = serializers.CharField(required=False, help_text="Laag: " + LAYER_HELP)
    owner = serializers.CharField(required=False, allow_blank=True)
    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)
    status = serializers.CharField(required=False, help_text="gepland, lopend of gereed.")
    initiated_by = serializers.CharField(required=False, help_text="bestuur, primair_proces, bedrijfsvoering of it_ssc.")
    board_mandate = serializers.CharField(required=False, allow_blank=True)
    board_mandate_date = serializers.DateField(required=False, allow_null=True)
    information_management = serializers.BooleanField(required=False)
    cost_key = serializers.CharField(required=False, help_text="gelijk, inwoners of gebruik.")
