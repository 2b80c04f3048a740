"""REST API views (version 1).

Rules every view here follows:

* authentication is required (DRF default), anonymous gets 401;
* a workspace the user has no role in does not exist for her: 404, and every
  nested object is looked up *within* the workspace of the URL, so an id from
  another workspace is a 404 too (no IDOR);
* the role is checked before the input is validated, so a user without rights
  gets 403 whatever she sends;
* data is changed only through ``harmonie.core.services`` (which checks the
  role again, validates, writes atomically and audits).
"""

from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularJSONAPIView
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from harmonie.core import jobs, services
from harmonie.core.errors import BadInput
from harmonie.core.layers import DELIVERY_LAYERS
from harmonie.core.models import AuditEntry, DeliveryStatus, Job, Partner, Workspace
from harmonie.core.permissions import (
    can_edit_partner,
    can_manage,
    can_view,
    can_view_audit,
    role_in,
    visible_workspaces,
)

from . import serializers as s
from .exceptions import PROBLEM_CONTENT_TYPE, for_field, problem_title, problem_type

API_VERSION = "1.0.0"


def reference_services():
    """The reference app's service module (imported late: it is optional at import time)."""
    from harmonie.reference import services as reference

    return reference


class Paginering(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = "Paginanummer (begint bij 1)."
    page_size_query_description = "Aantal resultaten per pagina (hoogstens 500)."


# --- shared behaviour -------------------------------------------------------


class ApiVersionMixin:
    """JSON only, and the ``API-Version`` header on every response (NL API Design Rules)."""

    renderer_classes = [JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        return response


class HarmonieViewSet(ApiVersionMixin, viewsets.GenericViewSet):
    pagination_class = Paginering


def _problem_responses(*codes):
    descriptions = {
        400: _("Ongeldige invoer (met invalid-params)."),
        401: _("Niet ingelogd."),
        403: _("Uw rol staat dit niet toe."),
        404: _("Bestaat niet, of u heeft geen toegang tot het samenwerkingsverband."),
        409: _("De actie past niet bij de huidige toestand."),
    }
    return {(code, PROBLEM_CONTENT_TYPE): OpenApiResponse(response=s.ProblemSerializer, description=descriptions[code])
            for code in codes}


class WorkspaceMixin:
    # For views nested under ``samenwerkingsverbanden/{slug}/`` (no docstring: it would become the
    # description of every operation in the schema).

    def get_workspace(self) -> Workspace:
        if not hasattr(self, "_workspace"):
            workspace = Workspace.objects.filter(slug=self.kwargs["slug"]).first()
            if workspace is None or not can_view(self.request.user, workspace):
                raise NotFound(_("Dit samenwerkingsverband bestaat niet of u heeft er geen toegang toe."))
            self._workspace = workspace
        return self._workspace

    def require(self, allowed: bool, message: str):
        if not allowed:
            raise PermissionDenied(message)


SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH,
    description="Korte naam (slug) van het samenwerkingsverband.",
)


# --- samenwerkingsverbanden ---------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Samenwerkingsverbanden waarin u een rol heeft", responses={
        200: s.SamenwerkingsverbandSerializer(many=True), **_problem_responses(401)}),
    retrieve=extend_schema(summary="Eén samenwerkingsverband", responses={
        200: s.SamenwerkingsverbandSerializer, **_problem_responses(401, 404)}),
    create=extend_schema(
        summary="Samenwerkingsverband aanmaken (u wordt coördinator)",
        request=s.SamenwerkingsverbandSerializer,
        responses={201: s.SamenwerkingsverbandSerializer, **_problem_responses(400, 401)},
    ),
    partial_update=extend_schema(
        summary="Samenwerkingsverband wijzigen (coördinator)",
        request=s.SamenwerkingsverbandWijzigenSerializer,
        responses={200: s.SamenwerkingsverbandSerializer, **_problem_responses(400, 401, 403, 404)},
    ),
)
class SamenwerkingsverbandViewSet(WorkspaceMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, HarmonieViewSet):
    serializer_class = s.SamenwerkingsverbandSerializer
    queryset = Workspace.objects.none()
    lookup_field = "slug"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Workspace.objects.none()
        return visible_workspaces(self.request.user).order_by("name")

    def get_object(self):
        return self.get_workspace()

    def create(self, request, *args, **kwargs):
        serializer = s.SamenwerkingsverbandSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        workspace = services.create_workspace(request.user, **serializer.service_kwargs())
        output = s.SamenwerkingsverbandSerializer(workspace, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED, headers={"Location": output.data["url"]})

    def partial_update(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace),
                     _("Alleen de coördinator mag het samenwerkingsverband wijzigen."))
        serializer = s.SamenwerkingsverbandWijzigenSerializer(data=request.data, partial=True,
                                                              context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        workspace = services.update_workspace(request.user, workspace, **serializer.service_kwargs())
        return Response(s.SamenwerkingsverbandSerializer(workspace, context=self.get_serializer_context()).data)


# --- partners -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Partnergemeenten", parameters=[SLUG_PARAMETER], responses={
        200: s.PartnerSerializer(many=True), **_problem_responses(401, 404)}),
    retrieve=extend_schema(summary="Eén partnergemeente", parameters=[SLUG_PARAMETER], responses={
        200: s.PartnerSerializer, **_problem_responses(401, 404)}),
    create=extend_schema(
        summary="Partner toevoegen uit het gemeenteregister (coördinator)",
        parameters=[SLUG_PARAMETER],
        request=s.PartnerToevoegenSerializer,
        responses={201: s.PartnerSerializer, **_problem_responses(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Partner verwijderen (coördinator)", parameters=[SLUG_PARAMETER],
        responses={204: None, **_problem_responses(401, 403, 404)},
    ),
)
class PartnerViewSet(WorkspaceMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, HarmonieViewSet):
    serializer_class = s.PartnerSerializer
    queryset = Partner.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Partner.objects.none()
        return self.get_workspace().partners.order_by("name", "pk")

    def create(self, request, *args, **kwargs):
        workspace = self.get_workspace()
        self.require(can_manage(request.user, workspace), _("Alleen de coördinator mag partners toevoegen."))
        serializer = s.PartnerToevoegenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            partner = services.add_partner(request.user, workspace, serializer.validated_data["cbs_code"])
        except BadInput as exc:  # every input problem of add_partner is about the CBS code
            raise for_field(exc, "cbs_code") from None
        return Response(s.PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        partner = self.get_object()
        services.remove_partner(request.user, partner)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- leveringen ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Leverstatus per partner en laag",
        parameters=[
            SLUG_PARAMETER,
            OpenApiParameter("partner", OpenApiTypes.INT, description="Alleen deze partner (id)."),
            OpenApiParameter("laag", OpenApiTypes.STR, enum=[layer.key for layer in DELIVERY_LAYERS],
                             description="Alleen deze laag."),
        ],
        responses={200: s.LeveringSerializer(many=True), **_problem_responses(401, 404)},
    ),
    retrieve=extend_schema(summary="Eén levering", parameters=[SLUG_PARAMETER], responses={
        200: s.LeveringSerializer, **_problem_responses(401, 404)}),
    partial_update=extend_schema(
        summary="Leverstatus wijzigen",
        description="Een partnerbijdrager zet de levering van de eigen gemeente op concept of ingeleverd; "
                    "alleen de coördinator stelt vast of heropent een vastgestelde levering.",
        parameters=[SLUG_PARAMETER],
        request=s.LeveringSerializer,
        responses={200: s.LeveringSerializer, **_problem_responses(400, 401, 403, 404)},
    ),
)
class LeveringViewSet(WorkspaceMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, HarmonieViewSet):
    serializer_class = s.LeveringSerializer
    queryset = DeliveryStatus.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeliveryStatus.objects.none()
        queryset = (DeliveryStatus.objects.filter(partner__workspace=self.get_workspace())
                    .select_related("partner", "changed_by").order_by("partner__name", "partner_id", "layer"))
        if self.action == "list":
            partner = self.request.query_params.get("partner")
            if partner:
                if not partner.isdigit():
                    raise ValidationError({"partner": [_("Geef het id (een getal) van een partner.")]})
                queryset = queryset.filter(partner_id=int(partner))
            layer = self.request.query_params.get("laag")
            if layer:
                queryset = queryset.filter(layer=layer)
        return queryset

    def partial_update(self, request, *args, **kwargs):
        delivery = self.get_object()
        self.require(can_edit_partner(request.user, delivery.partner),
                     _("U mag alleen de gegevens van uw eigen gemeente wijzigen."))
        serializer = s.LeveringSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "state" not in serializer.validated_data:
            raise ValidationError({"status": [_("Dit veld is verplicht.")]})
        delivery = services.set_delivery_state(request.user, delivery.partner, delivery.layer,
                                               serializer.validated_data["state"])
        delivery = self.get_queryset().get(pk=delivery.pk)
        return Response(s.LeveringSerializer(delivery).data)


# --- audit --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Auditlog (coördinator)", parameters=[SLUG_PARAMETER], responses={
        200: s.AuditregelSerializer(many=True), **_problem_responses(401, 403, 404)}),
)
class AuditViewSet(WorkspaceMixin, mixins.ListModelMixin, HarmonieViewSet):
    serializer_class = s.AuditregelSerializer
    queryset = AuditEntry.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        workspace = self.get_workspace()
        self.require(can_view_audit(self.request.user, workspace),
                     _("Alleen de coördinator mag het auditlog inzien."))
        return workspace.audit.order_by("-timestamp", "-id")


# --- taken (jobs) ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Achtergrondtaken met voortgang", parameters=[SLUG_PARAMETER], responses={
        200: s.TaakSerializer(many=True), **_problem_responses(401, 404)}),
    retrieve=extend_schema(summary="Eén taak met actuele voortgang", parameters=[SLUG_PARAMETER], responses={
        200: s.TaakSerializer, **_problem_responses(401, 404)}),
)
class TaakViewSet(WorkspaceMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, HarmonieViewSet):
    serializer_class = s.TaakSerializer
    queryset = Job.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return Job.objects.filter(workspace=self.get_workspace()).select_related("created_by")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else [jobs.live_progress(job) for job in page]

    def get_object(self):
        return jobs.live_progress(super().get_object())

    @extend_schema(
        summary="Mislukte taak opnieuw starten",
        description="Voor de coördinator en voor wie de taak startte. Alleen een mislukte taak kan opnieuw.",
        parameters=[SLUG_PARAMETER], request=None,
        responses={202: s.TaakSerializer, **_problem_responses(401, 403, 404, 409)},
    )
    def retry(self, request, *args, **kwargs):
        job = self.get_object()
        workspace = self.get_workspace()
        is_starter = job.created_by_id is not None and job.created_by_id == request.user.pk
        self.require(can_manage(request.user, workspace) or (is_starter and role_in(request.user, workspace)),
                     _("Alleen de coördinator of wie de taak startte mag hem opnieuw starten."))
        job = jobs.retry_job(job)
        return Response(s.TaakSerializer(job).data, status=status.HTTP_202_ACCEPTED)


# --- referentiedata -------------------------------------------------------------


class GemeenteViewSet(mixins.ListModelMixin, HarmonieViewSet):
    serializer_class = s.GemeenteSerializer

    @extend_schema(
        summary="Gemeenten zoeken in het gemeenteregister (TOOI)",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Naam of CBS-code (deel ervan)."),
            OpenApiParameter("opgeheven", OpenApiTypes.BOOL, default=True,
                             description="Ook opgeheven gemeenten (met einddatum) tonen."),
        ],
        responses={200: s.GemeenteSerializer(many=True), **_problem_responses(400, 401)},
    )
    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        include_historic = request.query_params.get("opgeheven", "true").lower() not in ("0", "false", "nee")
        results = list(reference_services().search_gemeenten(query, limit=20, include_historic=include_historic))
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ReferentieversieViewSet(mixins.ListModelMixin, HarmonieViewSet):
    serializer_class = s.ReferentieversieSerializer

    @extend_schema(
        summary="Geladen versies van referentiedata",
        parameters=[OpenApiParameter("soort", OpenApiTypes.STR,
                                     description="Alleen deze soort referentiedata: gemeenten, upl, gemma of selectielijst.")],
        responses={200: s.ReferentieversieSerializer(many=True), **_problem_responses(400, 401)},
    )
    def list(self, request, *args, **kwargs):
        kind = request.query_params.get("soort") or None
        try:
            results = list(reference_services().list_versions(kind))
        except BadInput as exc:
            raise for_field(exc, "soort") from None
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- unknown paths ------------------------------------------------------------------


@csrf_exempt  # changes nothing; without it a token client's POST would get Django's HTML CSRF page
def not_found(request, *args, **kwargs):
    """Any other path under ``/api/v1/``: 404 as problem+json too (not Django's HTML page)."""
    from django.http import JsonResponse

    body = {
        "type": problem_type(404), "title": problem_title(404), "status": 404,
        "detail": _("Dit pad bestaat niet in de API. Zie het schema op /api/v1/schema."),
        "instance": request.get_full_path(),
    }
    response = JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE,
                            json_dumps_params={"ensure_ascii": False})
    response["API-Version"] = API_VERSION
    return response


# --- schema -----------------------------------------------------------------------


class SchemaView(ApiVersionMixin, SpectacularAPIView):
    """OpenAPI 3 (YAML; ``?format=json`` for JSON). Public: it holds no data."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = SpectacularAPIView.renderer_classes


class SchemaJSONView(ApiVersionMixin, SpectacularJSONAPIView):
    """OpenAPI 3 as JSON at the standard place ``/api/v1/openapi.json`` (API-51)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = SpectacularJSONAPIView.renderer_classes

