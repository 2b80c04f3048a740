"""Werkprocessen API: process models (BPMN), activity correspondences and reference processes."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from harmonie.api import serializers as api_serializers
from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.models import Job
from harmonie.core.permissions import can_edit_partner, can_manage

from .. import services
from ..models import ReferenceProcess

PARTNER_PARAMETER = OpenApiParameter("partner_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Id van de partner (binnen dit samenwerkingsverband).")
PK_PARAMETER = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH,
                                description="Id van het referentieproces.")


class ProcesmodelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    partner = serializers.CharField(source="partner.name", read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    bestand = serializers.CharField(source="source_name", read_only=True)
    samenvatting = serializers.JSONField(source="summary", read_only=True)
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)


class ProcesmodelImportSerializer(serializers.Serializer):
    bestand = serializers.FileField(help_text="BPMN 2.0 XML.")
    naam = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                 help_text="Naam van het model; leeg: de procesnaam uit het bestand.")


class ImportResultaatSerializer(serializers.Serializer):
    partner = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="toegevoegd, gewijzigd of ongewijzigd")
    model_id = serializers.IntegerField()
    summary = serializers.JSONField()


class OvereenkomstSerializer(serializers.Serializer):
    a_key = serializers.CharField(help_text="Id van het BPMN-element (of de activiteitnaam in een logboek) in A.")
    a_label = serializers.CharField()
    b_key = serializers.CharField()
    b_label = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="'' (voorgesteld), 'bevestigd' of 'afgewezen'.")


class ReferentieprocesSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    vastgesteld = serializers.BooleanField(source="adopted", read_only=True)
    model = serializers.JSONField(read_only=True, help_text="Kern (steps, flows) en varianten; zie de handleiding.")
    bijgewerkt = serializers.DateTimeField(source="updated_at", read_only=True)


class ReferentieprocesMakenSerializer(serializers.Serializer):
    naam = serializers.CharField(required=False, allow_blank=True, max_length=200)
    bron = serializers.ChoiceField(choices=["auto", "logs", "models"], default="auto")
    alleen = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                   help_text="Alleen deze bronnen, bv. [\"bpmn:3\", \"log:7\"]; leeg: alle.")


class ProcesmodelViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ProcesmodelSerializer

    @extend_schema(summary="Alle procesmodellen (BPMN) van alle partners", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER],
                   responses={200: ProcesmodelSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.process_models(self.get_workspace()))
        return self.get_paginated_response(ProcesmodelSerializer(page, many=True).data)


class PartnerProcesmodelViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ProcesmodelSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_partner(self):
        return get_object_or_404(self.get_workspace().partners, pk=self.kwargs["partner_id"])

    @extend_schema(summary="De procesmodellen van één partner", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   responses={200: ProcesmodelSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.process_models(self.get_workspace(), self.get_partner()))
        return self.get_paginated_response(ProcesmodelSerializer(page, many=True).data)

    @extend_schema(summary="Procesmodel (BPMN 2.0) van deze partner importeren", tags=["werkprocessen"],
                   description=("Hetzelfde bestand onder dezelfde naam verandert niets; een model met dezelfde naam "
                                "wordt vervangen. Kleine bestanden: 201 met het resultaat; grote: 202 met de taak."),
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   request={"multipart/form-data": ProcesmodelImportSerializer},
                   responses={201: ImportResultaatSerializer, 202: api_serializers.TaakSerializer,
                              **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace, partner = self.get_workspace(), self.get_partner()
        self.require(can_edit_partner(request.user, partner),
                     _("U mag alleen de gegevens van uw eigen gemeente importeren."))
        serializer = ProcesmodelImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["bestand"]
        outcome = services.start_model_import(request.user, workspace, partner, upload.read(), upload.name,
                                              serializer.validated_data.get("naam", ""))
        if isinstance(outcome, Job):
            return Response(api_serializers.TaakSerializer(outcome).data, status=status.HTTP_202_ACCEPTED)
        return Response(outcome.as_dict(), status=status.HTTP_201_CREATED)


class OvereenkomstViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = OvereenkomstSerializer
    pagination_class = None

    @extend_schema(summary="Voorgestelde overeenkomende activiteiten tussen twee modellen of logboeken",
                   tags=["werkprocessen"],
                   description="Met de opgeslagen besluiten (bevestigd/afgewezen) per regel.",
                   parameters=[SLUG_PARAMETER,
                               OpenApiParameter("a", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True,
                                                description="bpmn:ID (procesmodel) of log:ID (logboek)"),
                               OpenApiParameter("b", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True,
                                                description="bpmn:ID of log:ID, van een andere partner")],
                   responses={200: OvereenkomstSerializer(many=True), **_problem_responses(400, 401, 404)})
    def list(self, request, *args, **kwargs):
        from ..views.bpmn import _resolve

        workspace = self.get_workspace()
        found = {key: _resolve(workspace, request.query_params.get(key, "")) for key in ("a", "b")}
        missing = {key: [_("Onbekend model of logboek; gebruik bpmn:ID of log:ID.")]
                   for key, value in found.items() if value is None}
        if missing:
            raise ValidationError(missing)
        if found["a"].partner_id == found["b"].partner_id:
            raise ValidationError({"b": [_("Kies modellen of logboeken van twee verschillende partners.")]})
        rows = services.suggest_correspondences(workspace, found["a"], found["b"])
        return Response(OvereenkomstSerializer(rows, many=True).data)


class ReferentieprocesViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ReferentieprocesSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_object(self):
        return get_object_or_404(ReferenceProcess, workspace=self.get_workspace(), pk=self.kwargs["pk"])

    @extend_schema(summary="Referentieprocessen van dit samenwerkingsverband", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER],
                   responses={200: ReferentieprocesSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(ReferenceProcess.objects.filter(workspace=self.get_workspace()))
        return self.get_paginated_response(ReferentieprocesSerializer(page, many=True).data)

    @extend_schema(summary="Referentieproces bepalen uit de gegevens van de partners (als taak)",
                   tags=["werkprocessen"], parameters=[SLUG_PARAMETER], request=ReferentieprocesMakenSerializer,
                   responses={202: api_serializers.TaakSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace),
                     _("Alleen de coördinator van dit samenwerkingsverband mag een referentieproces maken."))
        serializer = ReferentieprocesMakenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.start_reference_build(request.user, workspace, serializer.validated_data.get("naam", ""),
                                             serializer.validated_data["bron"],
                                             only=serializer.validated_data.get("alleen") or None)
        return Response(api_serializers.TaakSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Eén referentieproces (kern en varianten)", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER, PK_PARAMETER],
                   responses={200: ReferentieprocesSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return Response(ReferentieprocesSerializer(self.get_object()).data)

    @extend_schema(summary="Referentieproces als BPMN 2.0 met diagram (BPMNDI)", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER, PK_PARAMETER],
                   responses={(200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY, description="BPMN 2.0"),
                              **_problem_responses(401, 404)})
    def bpmn(self, request, *args, **kwargs):
        obj = self.get_object()
        response = HttpResponse(services.reference_bpmn(obj), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="referentieproces-{obj.pk}.bpmn"'
        return response


WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path(f"{WS}/procesmodellen", ProcesmodelViewSet.as_view({"get": "list"}), name="procesmodel-list"),
    path(f"{WS}/partners/<int:partner_id>/procesmodellen",
         PartnerProcesmodelViewSet.as_view({"get": "list", "post": "create"}), name="partner-procesmodel-list"),
    path(f"{WS}/procesmodellen/overeenkomsten", OvereenkomstViewSet.as_view({"get": "list"}),
         name="activiteit-overeenkomst-list"),
    path(f"{WS}/referentieprocessen", ReferentieprocesViewSet.as_view({"get": "list", "post": "create"}),
         name="referentieproces-list"),
    path(f"{WS}/referentieprocessen/<int:pk>", ReferentieprocesViewSet.as_view({"get": "retrieve"}),
         name="referentieproces-detail"),
    path(f"{WS}/referentieprocessen/<int:pk>/bpmn", ReferentieprocesViewSet.as_view({"get": "bpmn"}),
         name="referentieproces-bpmn"),
]
