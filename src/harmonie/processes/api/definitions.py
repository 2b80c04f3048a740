"""Werkprocessen API: zaaktypen (list, import as a job), zaaktype correspondences with their differences, and the
reference process as an Open Zaak import ZIP."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from harmonie.api import serializers as api_serializers
from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.errors import BadInput
from harmonie.core.permissions import can_edit_partner

from .. import services
from ..models import DefinitionSource, ReferenceProcess

PARTNER_PARAMETER = OpenApiParameter("partner_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Id van de partner (binnen dit samenwerkingsverband).")
PK_PARAMETER = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH,
                                description="Id van het referentieproces.")


class StatustypeSerializer(serializers.Serializer):
    volgnummer = serializers.IntegerField()
    omschrijving = serializers.CharField()


class ResultaattypeSerializer(serializers.Serializer):
    omschrijving = serializers.CharField()
    selectielijstklasse = serializers.CharField()
    archiefnominatie = serializers.CharField()
    archiefactietermijn = serializers.CharField()


class ZaaktypeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    partner = serializers.CharField(source="partner.name")
    bron = serializers.CharField(source="source")
    identificatie = serializers.CharField()
    versie = serializers.CharField()
    omschrijving = serializers.CharField()
    doorlooptijd = serializers.CharField()
    servicenorm = serializers.CharField()
    vertrouwelijkheidaanduiding = serializers.CharField()
    selectielijst_procestype = serializers.CharField()
    upl_uri = serializers.CharField()
    statustypen = StatustypeSerializer(many=True, source="statustypen.all")
    resultaattypen = ResultaattypeSerializer(many=True, source="resultaattypen.all")


class ZaaktypeImportSerializer(serializers.Serializer):
    bestand = serializers.FileField(help_text="Open Zaak-export (ZIP) of i-Navigator-export (DSP-XML).")
    soort = serializers.ChoiceField(choices=[DefinitionSource.OPENZAAK_ZIP, DefinitionSource.INAVIGATOR],
                                    help_text="'openzaak-zip' of 'inavigator'.")


class VerschilSerializer(serializers.Serializer):
    kenmerk = serializers.CharField(source="field")
    a = serializers.CharField()
    b = serializers.CharField()
    gelijk = serializers.BooleanField(source="same")
    toelichting = serializers.CharField(source="note")


class ZaaktypeOvereenkomstSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    a_partner = serializers.CharField()
    a_identificatie = serializers.CharField()
    a_omschrijving = serializers.CharField()
    b_partner = serializers.CharField()
    b_identificatie = serializers.CharField()
    b_omschrijving = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="voorgesteld, bevestigd of afgewezen")
    redenen = serializers.ListField(child=serializers.CharField(), help_text="Waarom het paar zo scoort.")
    verschillen = VerschilSerializer(many=True)
    statustypen = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_null=True)),
                                        help_text="Uitgelijnde statustypen: [a, b], null waar één partner er geen "
                                                  "heeft.")
    resultaattypen = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_null=True)))


class ZaaktypeViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ZaaktypeSerializer

    @extend_schema(summary="Alle zaaktypen van alle partners", tags=["werkprocessen"],
                   description="Per zaaktype de bron, doorlooptijd, servicenorm, vertrouwelijkheid, "
                               "Selectielijst-procestype, UPL-product, statustypen en resultaattypen.",
                   parameters=[SLUG_PARAMETER],
                   responses={200: ZaaktypeSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.zaaktypen_of(self.get_workspace()))
        return self.get_paginated_response(ZaaktypeSerializer(page, many=True).data)


class PartnerZaaktypeViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ZaaktypeSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_partner(self):
        return get_object_or_404(self.get_workspace().partners, pk=self.kwargs["partner_id"])

    @extend_schema(summary="De zaaktypen van één partner", tags=["werkprocessen"],
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   responses={200: ZaaktypeSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.zaaktypen_of(self.get_workspace(), self.get_partner()))
        return self.get_paginated_response(ZaaktypeSerializer(page, many=True).data)

    @extend_schema(summary="Zaaktypen van deze partner importeren (als taak)", tags=["werkprocessen"],
                   description="Open Zaak-export (ZIP) of i-Navigator-export (XML): alles of niets, en hetzelfde "
                               "bestand nogmaals verandert niets. Antwoordt 202 met de taak.",
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   request={"multipart/form-data": ZaaktypeImportSerializer},
                   responses={202: api_serializers.TaakSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace, partner = self.get_workspace(), self.get_partner()
        self.require(can_edit_partner(request.user, partner),
                     _("U mag alleen de zaaktypen van uw eigen gemeente importeren."))
        serializer = ZaaktypeImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["bestand"]
        job = services.start_definition_import(request.user, workspace, partner, upload.read(), upload.name,
                                               serializer.validated_data["soort"])
        return Response(api_serializers.TaakSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _overeenkomst(corr, comparison) -> dict:
    def label(item):
        return None if item is None else item.label

    return {
        "id": corr.pk, "a_partner": corr.a_partner.name, "a_identificatie": corr.a_key, "a_omschrijving": corr.a_label,
        "b_partner": corr.b_partner.name, "b_identificatie": corr.b_key, "b_omschrijving": corr.b_label,
        "score": corr.score, "status": corr.status, "redenen": comparison.reasons if comparison else [],
        "verschillen": comparison.fields if comparison else [],
        "statustypen": [[label(a), label(b)] for a, b, _s in comparison.statustypen] if comparison else [],
        "resultaattypen": [[label(a), label(b)] for a, b, _s in comparison.resultaattypen] if comparison else [],
    }


class ZaaktypeOvereenkomstViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ZaaktypeOvereenkomstSerializer
    pagination_class = None

    @extend_schema(summary="Overeenkomende zaaktypen tussen partners, met hun verschillen", tags=["werkprocessen"],
                   description="Voorgestelde en bevestigde paren (afgewezen paren niet), met per paar de verschillen "
                               "in doorlooptijd, servicenorm, vertrouwelijkheid en Selectielijst-procestype en de "
                               "uitgelijnde statustypen en resultaattypen.",
                   parameters=[SLUG_PARAMETER],
                   responses={200: ZaaktypeOvereenkomstSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        rows = [_overeenkomst(corr, cmp) for corr, cmp in services.zaaktype_comparisons(self.get_workspace())]
        return Response(ZaaktypeOvereenkomstSerializer(rows, many=True).data)


class ReferentieprocesOpenZaakViewSet(WorkspaceMixin, HarmonieViewSet):
    pagination_class = None

    @extend_schema(summary="Referentieproces als geharmoniseerd zaaktype (Open Zaak-importbestand)",
                   tags=["werkprocessen"],
                   description="ZIP met Catalogus.json, ZaakType.json, StatusType.json, ResultaatType.json, "
                               "RolType.json enz. in API-weergave, gecontroleerd tegen de Catalogi API.",
                   parameters=[SLUG_PARAMETER, PK_PARAMETER],
                   responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="ZIP"),
                              **_problem_responses(400, 401, 404)})
    def retrieve(self, request, *args, **kwargs):
        reference = get_object_or_404(ReferenceProcess, workspace=self.get_workspace(), pk=self.kwargs["pk"])
        try:
            data, name = services.reference_openzaak_zip(reference)
        except BadInput as exc:
            raise ValidationError({"referentieproces": [exc.message]}) from exc
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path(f"{WS}/zaaktypen", ZaaktypeViewSet.as_view({"get": "list"}), name="zaaktype-list"),
    path(f"{WS}/partners/<int:partner_id>/zaaktypen",
         PartnerZaaktypeViewSet.as_view({"get": "list", "post": "create"}), name="partner-zaaktype-list"),
    path(f"{WS}/zaaktypen/overeenkomsten", ZaaktypeOvereenkomstViewSet.as_view({"get": "list"}),
         name="zaaktype-overeenkomst-list"),
    path(f"{WS}/referentieprocessen/<int:pk>/openzaak", ReferentieprocesOpenZaakViewSet.as_view({"get": "retrieve"}),
         name="referentieproces-openzaak"),
]
