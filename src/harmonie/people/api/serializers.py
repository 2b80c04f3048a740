"""Serializers of the people API (Dutch field names, like the rest of API v1)."""

from rest_framework import serializers


class GroepSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    partner = serializers.CharField(read_only=True, help_text="CBS-code van de partner.")
    naam = serializers.CharField(read_only=True)
    valt_onder = serializers.IntegerField(read_only=True, allow_null=True, help_text="Id van de bovenliggende groep.")


class EnqueteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    titel = serializers.CharField(read_only=True)
    verandering = serializers.CharField(read_only=True, help_text="Vult ‘deze verandering’ in de ORIC-vragen in.")
    open_vanaf = serializers.DateField(read_only=True)
    open_tot_en_met = serializers.DateField(read_only=True)
    gesloten = serializers.BooleanField(read_only=True)
    k = serializers.IntegerField(read_only=True, help_text="Minimale groepsgrootte voor een uitkomst.")
    drempel = serializers.IntegerField(read_only=True, help_text="Verschillen vanaf zoveel punten worden gemarkeerd.")
    partners = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="CBS-codes.")
    groepen = GroepSerializer(many=True, read_only=True)
    resultaten = serializers.JSONField(read_only=True, help_text=(
        "Zelfde structuur als 'harmonie surveys results': {survey, closed, partners: {CBS-code: {n, culture, "
        "readiness, urgency, groups}}}. Verborgen partners of groepen zonder enig getal; vóór sluiten alleen "
        "aantallen die k halen. Losse antwoorden zijn nooit beschikbaar."))


class EnqueteAanmakenSerializer(serializers.Serializer):
    titel = serializers.CharField(max_length=200)
    verandering = serializers.CharField(max_length=200, required=False, allow_blank=True)
    open_vanaf = serializers.DateField()
    open_tot_en_met = serializers.DateField()
    partners = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     help_text="Ids van partners; leeg of weggelaten: alle partners.")
    k = serializers.IntegerField(required=False, min_value=3, max_value=50)
    drempel = serializers.IntegerField(required=False, min_value=1, max_value=100,
                                       help_text="Verschillen vanaf zoveel punten markeren (standaard 10).")


class LinksAanmakenSerializer(serializers.Serializer):
    ronde = serializers.IntegerField(help_text="Id van de enquêteronde.")
    partner = serializers.IntegerField(help_text="Id van de partner.")
    groep = serializers.IntegerField(required=False, allow_null=True)
    aantal = serializers.IntegerField(min_value=1, max_value=2000)


class LinksSerializer(serializers.Serializer):
    ronde = serializers.IntegerField()
    partner = serializers.CharField(help_text="CBS-code.")
    groep = serializers.CharField(allow_blank=True)
    links = serializers.ListField(child=serializers.URLField(), help_text=(
        "Eenmalige links. Ze worden alleen nu getoond: Harmonie bewaart ze niet leesbaar."))


class GroepAanmakenSerializer(serializers.Serializer):
    ronde = serializers.IntegerField()
    partner = serializers.IntegerField()
    naam = serializers.CharField(max_length=120)
    valt_onder = serializers.IntegerField(required=False, allow_null=True)


class RondeSerializer(serializers.Serializer):
    ronde = serializers.IntegerField()


class AansturingSerializer(serializers.Serializer):
    partners = serializers.JSONField(read_only=True)
    questions = serializers.JSONField(read_only=True)
    kpis = serializers.JSONField(read_only=True)
    differences = serializers.IntegerField(read_only=True)
