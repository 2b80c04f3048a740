"""Werkprocessen API: event logs per partner (list, detail with figures, import as a job) and the comparison.

Included under /api/v1/ as ``api:processes`` (no trailing slashes). Figures are the same as on the pages
(see docs/werkprocessen-vergelijken.md for their definitions); nothing is reported per employee.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from harmonie.api import serializers as api_serializers
from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.permissions import can_edit_partner

from ..models import EventLog
from ..services import logs as services

WS = "samenwerkingsverbanden/<slug:slug>"
PARTNER_PARAMETER = OpenApiParameter("partner_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Id van de partner (binnen dit samenwerkingsverband).")
FILTER_PARAMETERS = [
    OpenApiParameter("fase", OpenApiTypes.INT, description="Activiteiten samenvoegen tot de eerste N naamdelen "
                                                           "(gescheiden door _), bv. 2: 01_HOOFD_010 → 01_HOOFD."),
    OpenApiParameter("top", OpenApiTypes.INT, description="Alleen de N activiteiten die in de meeste zaken voorkomen."),
    OpenApiParameter("min_aandeel", OpenApiTypes.NUMBER, description="Alleen activiteiten in minstens dit aandeel "
                                                                     "van de zaken (0–1)."),
    OpenApiParameter("ruis", OpenApiTypes.NUMBER, description="Ruisdrempel van het model voor de kruisconformiteit "
                                                              "(0–1, standaard 0,2)."),
    OpenApiParameter("koppeling", OpenApiTypes.STR, enum=["0", "1"],
                     description="1 (standaard): bevestigde activiteit-overeenkomsten krijgen één naam."),
]


class EventLogSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.name")
    partner_id = serializers.IntegerField()
    doorlooptijd_mediaan_dagen = serializers.SerializerMethodField()
    doorlooptijd_p90_dagen = serializers.SerializerMethodField()
    herhaald_werk = serializers.SerializerMethodField(help_text="Aandeel zaken waarin een activiteit vaker voorkomt.")
    # Declared explicitly: the model fields' integer range (and so the schema) differs between SQLite and PostgreSQL.
    cases = serializers.IntegerField(read_only=True, min_value=0)
    events = serializers.IntegerField(read_only=True, min_value=0)
    activities = serializers.IntegerField(read_only=True, min_value=0)
    variants = serializers.IntegerField(read_only=True, min_value=0)

    class Meta:
        model = EventLog
        fields = ["id", "partner", "partner_id", "name", "source_name", "file_sha256", "cases", "events",
                  "activities", "variants", "first_event", "last_event", "pseudonymised_columns", "created_at",
                  "doorlooptijd_mediaan_dagen", "doorlooptijd_p90_dagen", "herhaald_werk"]

    def _throughput(self, obj, key):
        return (obj.stats or {}).get("throughput_days", {}).get(key)

    def get_doorlooptijd_mediaan_dagen(self, obj) -> float | None:
        return self._throughput(obj, "median")

    def get_doorlooptijd_p90_dagen(self, obj) -> float | None:
        return self._throughput(obj, "p90")

    def get_herhaald_werk(self, obj) -> float | None:
        return (obj.stats or {}).get("rework_share")


class EventLogDetailSerializer(EventLogSerializer):
    kengetallen = serializers.JSONField(source="stats", help_text=(
        "Alle kengetallen: activity_table (per activiteit: gebeurtenissen, zaken, herhaald werk, wachttijd mediaan/"
        "p90 in uren), edges (per opeenvolging a→b: aantal, wachttijd mediaan/p90 in uren), variants_top, start, end."))

    class Meta(EventLogSerializer.Meta):
        fields = [*EventLogSerializer.Meta.fields, "kengetallen"]


class EventLogImportSerializer(serializers.Serializer):
    bestand = serializers.FileField(help_text="XES, XES.gz, CSV, XLSX of Parquet.")
    kolommen = serializers.JSONField(required=False, help_text=(
        "Kolomkoppeling voor CSV/XLSX/Parquet: {\"case_id\": kolom, \"activity\": kolom, \"timestamp\": kolom"
        "[, \"resource\": kolom]}. Zonder koppeling: de onthouden koppeling van de partner, anders herkende namen."))


class EventLogViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = EventLogSerializer

    @extend_schema(summary="Eventlogs van alle partners", tags=["werkprocessen"], parameters=[SLUG_PARAMETER],
                   description="Per logboek de partner, aantallen, doorlooptijd (mediaan, p90) en herhaald werk.",
                   responses={200: EventLogSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.list_event_logs(self.get_workspace()))
        return self.get_paginated_response(EventLogSerializer(page, many=True).data)

    @extend_schema(summary="Eén eventlog met alle kengetallen", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER, OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
                   responses={200: EventLogDetailSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        log = get_object_or_404(services.list_event_logs(self.get_workspace()), pk=self.kwargs["pk"])
        return Response(EventLogDetailSerializer(log).data)


class PartnerEventLogViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = EventLogSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_partner(self):
        return get_object_or_404(self.get_workspace().partners, pk=self.kwargs["partner_id"])

    @extend_schema(summary="De eventlogs van één partner", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   responses={200: EventLogSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        partner = self.get_partner()
        page = self.paginate_queryset(services.list_event_logs(self.get_workspace()).filter(partner=partner))
        return self.get_paginated_response(EventLogSerializer(page, many=True).data)

    @extend_schema(summary="Eventlog van deze partner importeren (als taak)", tags=["werkprocessen"],
                   description=("Leest, controleert en pseudonimiseert het logboek op de achtergrond: alles of niets; "
                                "hetzelfde bestand nogmaals verandert niets. Antwoordt 202 met de taak."),
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   request={"multipart/form-data": EventLogImportSerializer},
                   responses={202: api_serializers.TaakSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace, partner = self.get_workspace(), self.get_partner()
        self.require(can_edit_partner(request.user, partner),
                     _("U mag alleen de logboeken van uw eigen gemeente importeren."))
        serializer = EventLogImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["bestand"]
        mapping = serializer.validated_data.get("kolommen")
        if not isinstance(mapping, dict) or not mapping:
            mapping = services.saved_mapping(partner) or None
        token = services.store_upload(request.user, workspace, partner, upload, upload.name)
        job = services.start_log_import(request.user, workspace, partner, token, mapping)
        return Response(api_serializers.TaakSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ComparisonViewSet(WorkspaceMixin, HarmonieViewSet):
    pagination_class = None
    serializer_class = serializers.Serializer

    @extend_schema(summary="Vergelijking van de eventlogs van alle partners", tags=["werkprocessen"],
                   operation_id="eventlogs_vergelijking",
                   description=("partners: kengetallen per partner (alle logboeken samen); pairs: per paar "
                                "dfg_similarity, activity_overlap en kruisconformiteit (fit_a_on_b, fit_b_on_a: "
                                "case_fitness, edge_fitness, activity_fitness); conformance: elk geordend paar; "
                                "common_core; best: beste presteerder per gedeelde activiteit en opeenvolging."),
                   parameters=[SLUG_PARAMETER, *FILTER_PARAMETERS],
                   responses={200: OpenApiTypes.OBJECT, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        data = services.log_comparison(self.get_workspace(), services.ViewOptions.from_query(request.query_params))
        return Response(_jsonable(data))


class PairViewSet(WorkspaceMixin, HarmonieViewSet):
    pagination_class = None
    serializer_class = serializers.Serializer

    @extend_schema(summary="Twee partners vergeleken", tags=["werkprocessen"], operation_id="eventlogs_paar",
                   description="De kengetallen van beide partners en hun paar uit de vergelijking.",
                   parameters=[SLUG_PARAMETER, OpenApiParameter("a", OpenApiTypes.INT, OpenApiParameter.PATH),
                               OpenApiParameter("b", OpenApiTypes.INT, OpenApiParameter.PATH), *FILTER_PARAMETERS],
                   responses={200: OpenApiTypes.OBJECT, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        a = get_object_or_404(workspace.partners, pk=self.kwargs["a"])
        b = get_object_or_404(workspace.partners, pk=self.kwargs["b"])
        data = services.log_comparison(workspace, services.ViewOptions.from_query(request.query_params))
        partners = data.get("partners", {})
        pair = next((p for p in data.get("pairs", []) if {p["a"], p["b"]} == {a.name, b.name}), None)
        return Response(_jsonable({"a": a.name, "b": b.name, "profile_a": partners.get(a.name),
                                   "profile_b": partners.get(b.name), "pair": pair}))


def _jsonable(value):
    """Tuple keys (edges) → "a → b" strings."""
    if isinstance(value, dict):
        return {(" → ".join(k) if isinstance(k, tuple) else k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


urlpatterns = [
    path(f"{WS}/eventlogs", EventLogViewSet.as_view({"get": "list"}), name="eventlog-list"),
    path(f"{WS}/eventlogs/<int:pk>", EventLogViewSet.as_view({"get": "retrieve"}), name="eventlog-detail"),
    path(f"{WS}/partners/<int:partner_id>/eventlogs",
         PartnerEventLogViewSet.as_view({"get": "list", "post": "create"}), name="partner-eventlog-list"),
    path(f"{WS}/eventlogs/vergelijking", ComparisonViewSet.as_view({"get": "retrieve"}),
         name="eventlog-vergelijking"),
    path(f"{WS}/eventlogs/vergelijking/<int:a>/<int:b>", PairViewSet.as_view({"get": "retrieve"}),
         name="eventlog-paar"),
]
