"""Applicaties API: portfolios, import (as a job), overlap, TIME proposals, AMEFF export."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from harmonie.api import serializers as api_serializers
from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.permissions import can_edit_partner

from .. import services
from . import serializers as s

PARTNER_PARAMETER = OpenApiParameter("partner_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Id van de partner (binnen dit samenwerkingsverband).")


class ApplicatieViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.ApplicatieSerializer

    def get_queryset(self):
        return services.applications(self.get_workspace())

    @extend_schema(summary="Alle applicaties van alle partners", tags=["applicaties"],
                   description="Per applicatie de partner, leverancier, product, contract, kosten, gebruikers en de gekoppelde GEMMA-referentiecomponenten.", parameters=[SLUG_PARAMETER],
                   responses={200: s.ApplicatieSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ApplicatieSerializer(page, many=True).data)


class PartnerApplicatieViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.ApplicatieSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_partner(self):
        return get_object_or_404(self.get_workspace().partners, pk=self.kwargs["partner_id"])

    @extend_schema(summary="Het applicatieportfolio van één partner", tags=["applicaties"],
                   description="De applicaties van één partner met hun GEMMA-referentiecomponenten.", parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   responses={200: s.ApplicatieSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.applications(self.get_workspace(), self.get_partner()))
        return self.get_paginated_response(s.ApplicatieSerializer(page, many=True).data)

    @extend_schema(summary="Portfolio van deze partner importeren (als taak)", tags=["applicaties"],
                   description=("Vervangt het portfolio van de partner met de inhoud van het bestand: alles of niets, "
                                "en hetzelfde bestand nogmaals verandert niets. Antwoordt 202 met de taak."),
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER], request={"multipart/form-data": s.ImportSerializer},
                   responses={202: api_serializers.TaakSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace, partner = self.get_workspace(), self.get_partner()
        self.require(can_edit_partner(request.user, partner),
                     _("U mag alleen de gegevens van uw eigen gemeente importeren."))
        serializer = s.ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["bestand"]
        mapping = serializer.validated_data.get("kolommen") or None
        job = services.start_import(request.user, workspace, partner, upload.read(), upload.name,
                                    mapping=mapping if isinstance(mapping, dict) else None)
        return Response(api_serializers.TaakSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class OverlapViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.OverlapSerializer
    pagination_class = None

    @extend_schema(summary="Overlap per referentiecomponent (met het gezamenlijke contractvenster)", tags=["applicaties"],
                   description="Per referentiecomponent de partners, de verschillende applicaties (1 = geharmoniseerd), gedeelde leveranciers, kosten per partner en common_window_from: de dag na het laatste contracteinde, of null als een einddatum onbekend is.",
                   parameters=[SLUG_PARAMETER],
                   responses={200: s.OverlapSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        land = services.landscape(self.get_workspace())
        return Response(s.OverlapSerializer(land.components, many=True).data)


class TimeVoorstelViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.TimeVoorstelSerializer
    pagination_class = None

    @extend_schema(summary="TIME-voorstellen over alle partners, met redenen en waar ze op wachten", tags=["applicaties"],
                   description="Tolerate, Invest, Migrate of Eliminate per applicatie, bepaald over alle partners samen; een consolidatie wacht (wacht_op) op de proces- of productharmonisatie waar ze van afhangt.",
                   parameters=[SLUG_PARAMETER],
                   responses={200: s.TimeVoorstelSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        land = services.landscape(self.get_workspace())
        return Response(s.TimeVoorstelSerializer(land.proposals, many=True).data)


class AmeffViewSet(WorkspaceMixin, HarmonieViewSet):
    pagination_class = None

    @extend_schema(summary="Applicatielandschap als ArchiMate-uitwisselbestand (AMEFF)", tags=["applicaties"],
                   description="ArchiMate 3.1 Open Exchange Format: referentiecomponenten, partners en applicaties (huidig) of de doelapplicaties per component (doel).",
                   parameters=[SLUG_PARAMETER, OpenApiParameter(
                       "landschap", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["huidig", "doel"],
                       description="'huidig' (standaard) of 'doel' (volgens de TIME-voorstellen).")],
                   responses={(200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                         description="AMEFF (XML)"),
                              **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        target = request.query_params.get("landschap") == "doel"
        response = HttpResponse(services.export_ameff(workspace, target=target), content_type="application/xml")
        response["Content-Disposition"] = (f'attachment; filename="applicatielandschap-{workspace.slug}-'
                                           f'{"doel" if target else "huidig"}.xml"')
        return response
