"""People API: survey rounds with their (suppressed) results, link batches, groups, closing,
and the steering comparison. Raw answers are never available."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.permissions import can_manage

from .. import services
from . import serializers as s

MANAGE = "Alleen de coördinator van dit samenwerkingsverband mag dit doen."


def enquete_data(survey) -> dict:
    return {
        "id": survey.pk,
        "titel": survey.title,
        "verandering": survey.change_subject,
        "open_vanaf": survey.opens_on,
        "open_tot_en_met": survey.closes_on,
        "gesloten": survey.is_closed(),
        "k": survey.k,
        "drempel": survey.threshold,
        "partners": [p.cbs_code for p in survey.partners.order_by("name")],
        "groepen": [{"id": g.pk, "partner": g.partner.cbs_code, "naam": g.name, "valt_onder": g.parent_id}
                    for g in survey.groups.select_related("partner")],
        "resultaten": services.results(survey),
    }


class SurveyMixin(WorkspaceMixin):
    def get_survey(self, survey_id):
        survey = services.get_survey(self.get_workspace(), survey_id)
        if survey is None:
            raise NotFound("Deze enquêteronde bestaat niet in dit samenwerkingsverband.")
        return survey


class EnqueteViewSet(SurveyMixin, HarmonieViewSet):
    serializer_class = s.EnqueteSerializer

    def get_queryset(self):
        return services.surveys(self.get_workspace())

    @extend_schema(summary="Enquêterondes met hun uitkomsten (anoniem, k-anonimiteit)", tags=["mensen"],
                   parameters=[SLUG_PARAMETER],
                   responses={200: s.EnqueteSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(list(self.get_queryset()))
        return self.get_paginated_response([enquete_data(survey) for survey in page])

    @extend_schema(summary="Enquêteronde aanmaken (coördinator)", tags=["mensen"], parameters=[SLUG_PARAMETER],
                   request=s.EnqueteAanmakenSerializer,
                   responses={201: s.EnqueteSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace), MANAGE)
        serializer = s.EnqueteAanmakenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        survey = services.create_survey(
            request.user, workspace, title=data["titel"], change_subject=data.get("verandering", ""),
            opens_on=data["open_vanaf"], closes_on=data["open_tot_en_met"], partners=data.get("partners") or None,
            k=data.get("k"), threshold=data.get("drempel"))
        return Response(enquete_data(survey), status=status.HTTP_201_CREATED)


class LinksViewSet(SurveyMixin, HarmonieViewSet):
    serializer_class = s.LinksSerializer

    @extend_schema(summary="Eenmalige respondentlinks aanmaken (coördinator)", tags=["mensen"],
                   description="Maakt een reeks links voor één partner (en eventueel groep). De links staan alleen "
                               "in dit antwoord; Harmonie bewaart alleen een hash.",
                   parameters=[SLUG_PARAMETER], request=s.LinksAanmakenSerializer,
                   responses={201: s.LinksSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace), MANAGE)
        serializer = s.LinksAanmakenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        survey = self.get_survey(data["ronde"])
        batch, tokens = services.generate_links(request.user, survey, partner=data["partner"], count=data["aantal"],
                                                group=data.get("groep"))
        base = request.build_absolute_uri("/").rstrip("/")
        return Response({"ronde": survey.pk, "partner": batch.partner.cbs_code,
                         "groep": batch.group.name if batch.group else "",
                         "links": [f"{base}/enquete/{token}/" for token in tokens]}, status=status.HTTP_201_CREATED)


class GroepViewSet(SurveyMixin, HarmonieViewSet):
    serializer_class = s.GroepSerializer

    @extend_schema(summary="Groep (team of afdeling) toevoegen aan een ronde (coördinator)", tags=["mensen"],
                   parameters=[SLUG_PARAMETER], request=s.GroepAanmakenSerializer,
                   responses={201: s.GroepSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace), MANAGE)
        serializer = s.GroepAanmakenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        survey = self.get_survey(data["ronde"])
        group = services.add_group(request.user, survey, partner=data["partner"], name=data["naam"],
                                   parent=data.get("valt_onder"))
        return Response({"id": group.pk, "partner": group.partner.cbs_code, "naam": group.name,
                         "valt_onder": group.parent_id}, status=status.HTTP_201_CREATED)


class SluitenViewSet(SurveyMixin, HarmonieViewSet):
    serializer_class = s.EnqueteSerializer

    @extend_schema(summary="Enquêteronde nu sluiten (coördinator)", tags=["mensen"],
                   description="Daarna werken de links niet meer en zijn de uitkomsten beschikbaar.",
                   parameters=[SLUG_PARAMETER], request=s.RondeSerializer,
                   responses={200: s.EnqueteSerializer, **_problem_responses(400, 401, 403, 404)})
    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace), MANAGE)
        serializer = s.RondeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey = services.close_survey(request.user, self.get_survey(serializer.validated_data["ronde"]))
        return Response(enquete_data(survey))


class AansturingViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = s.AansturingSerializer

    @extend_schema(summary="Aansturing & governance per partner naast elkaar", tags=["mensen"],
                   description="Beslisbevoegdheden, mandaten, planning & control, Wgr-bepalingen en KPI-definities; "
                               "'differs' markeert vragen waarop partners verschillend antwoorden.",
                   parameters=[SLUG_PARAMETER], responses={200: s.AansturingSerializer, **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        return Response(services.steering_comparison(self.get_workspace()))
