"""Diagnose API: the diagnose contract, kept measurements and the roadmap initiatives."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.errors import BadInput
from harmonie.core.permissions import can_manage

from .. import services
from ..models import Initiative, Measurement
from . import serializers as s

PK_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                description="Id van het initiatief (binnen dit samenwerkingsverband).")


class DiagnoseViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.DiagnoseSerializer

    @extend_schema(summary="Harmonisatie-index en breekijzer-toets", tags=["diagnose"], parameters=[SLUG_PARAMETER],
                   description="Hetzelfde contract als `harmonie diagnose`: de index per laag, partner en paar "
                               "(null voor een laag zonder gegevens) en de bevindingen (L1–L3).",
                   responses={200: s.DiagnoseSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return Response(services.diagnose(self.get_workspace()).contract())


class MetingViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.MetingSerializer

    @extend_schema(summary="Bewaarde metingen (nieuwste eerst)", tags=["diagnose"], parameters=[SLUG_PARAMETER],
                   responses={200: s.MetingSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        rows = Measurement.objects.filter(workspace=self.get_workspace())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([{"id": m.pk, "created_at": m.created_at, "index": m.index,
                                             "findings": m.findings} for m in page])

    @extend_schema(summary="Nu meten en de meting bewaren (coördinator)", tags=["diagnose"], request=None,
                   parameters=[SLUG_PARAMETER], responses={201: s.MetingSerializer, **_problem_responses(401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace), _("Alleen de coördinator mag een meting bewaren."))
        diagnosis = services.diagnose(workspace)
        m = services.save_measurement(diagnosis, request.user)
        return Response({"id": m.pk, "created_at": m.created_at, "index": m.index, "findings": m.findings},
                        status=status.HTTP_201_CREATED)


def _initiative_data(plan, item):
    proposal = plan.proposal_for(str(item.pk))
    data = s.InitiatiefSerializer(item).data
    data["proposed_start"] = proposal.start if proposal else None
    data["proposed_end"] = proposal.end if proposal else None
    data["violations"] = [v.message for v in plan.violations.get(str(item.pk), [])]
    return data


class InitiatiefViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.InitiatiefSerializer

    @extend_schema(summary="Initiatieven van de routekaart, met voorstel en signalen", tags=["diagnose"],
                   parameters=[SLUG_PARAMETER], responses={200: s.InitiatiefSerializer(many=True),
                                                          **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        plan = services.roadmap(self.get_workspace())
        page = self.paginate_queryset(plan.initiatives)
        return self.get_paginated_response([_initiative_data(plan, item) for item in page])

    def get_object(self):
        return get_object_or_404(Initiative, workspace=self.get_workspace(), pk=self.kwargs["pk"])

    @extend_schema(summary="Eén initiatief", tags=["diagnose"], parameters=[SLUG_PARAMETER, PK_PARAMETER],
                   responses={200: s.InitiatiefSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        return Response(_initiative_data(services.roadmap(self.get_workspace()), item))

    @extend_schema(summary="Initiatief aanpassen, bv. de data (coördinator)", tags=["diagnose"],
                   parameters=[SLUG_PARAMETER, PK_PARAMETER], request=s.InitiatiefWijzigenSerializer,
                   responses={200: s.InitiatiefSerializer, **_problem_responses(400, 401, 403, 404)})
    def partial_update(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        item = self.get_object()
        self.require(can_manage(request.user, workspace), _("Alleen de coördinator mag de routekaart aanpassen."))
        serializer = s.InitiatiefWijzigenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.save_initiative(request.user, workspace, dict(serializer.validated_data), item)
        return Response(_initiative_data(services.roadmap(workspace), item))
