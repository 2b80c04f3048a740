"""Products API: catalogue — a partner's products with their UPL mappings; confirming a mapping."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses
from harmonie.core.permissions import can_edit_partner

from .. import services
from ..models import ProductRecord

PARTNER_PARAMETER = OpenApiParameter("partner_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Id van de partner (binnen dit samenwerkingsverband).")


class UplKoppelingSerializer(serializers.Serializer):
    upl_uri = serializers.CharField()
    upl_naam = serializers.CharField(source="upl_label")
    herkomst = serializers.CharField(source="origin", help_text="bron, suggestie, bevestigd of overschreven")
    rang = serializers.IntegerField(source="rank")
    zekerheid = serializers.FloatField(source="score", allow_null=True,
                                       help_text="Gekalibreerde zekerheid van een suggestie (0–1).")
    ingetrokken = serializers.BooleanField(source="withdrawn")


class CatalogusProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="product.pk")
    sleutel = serializers.CharField(source="product.source_key")
    titel = serializers.CharField(source="product.title")
    samenvatting = serializers.CharField(source="product.abstract")
    doelgroep = serializers.ListField(child=serializers.CharField(), source="product.audience")
    online_aanvragen = serializers.CharField(source="product.online_request")
    doorlooptijd = serializers.CharField(source="product.lead_time")
    kosten = serializers.CharField(source="product.fees")
    status = serializers.CharField(help_text="bevestigd, bron of te beoordelen")
    effectief = UplKoppelingSerializer(source="effective", many=True,
                                       help_text="De UPL-namen die meetellen: bevestigd, anders bron, anders "
                                                 "de beste suggestie.")
    koppelingen = serializers.SerializerMethodField()

    def get_koppelingen(self, view) -> list[dict]:
        return UplKoppelingSerializer(view.chosen + view.source + view.suggestions, many=True).data


class BevestigSerializer(serializers.Serializer):
    product = serializers.IntegerField(help_text="Id van het product (van deze partner).")
    upl = serializers.CharField(help_text="UPL-URI of uniforme productnaam uit de huidige lijst.")


class PartnerProductViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = CatalogusProductSerializer

    def get_partner(self):
        return get_object_or_404(self.get_workspace().partners, pk=self.kwargs["partner_id"])

    @extend_schema(summary="De producten van één partner met hun UPL-koppelingen", tags=["producten"],
                   description=("Per product de velden uit de catalogus, de effectieve UPL-namen en alle "
                                "koppelingen (bron, suggesties met zekerheid, bevestigd/overschreven)."),
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER],
                   responses={200: CatalogusProductSerializer(many=True), **_problem_responses(401, 404)})
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(services.partner_products(self.get_partner()))
        return self.get_paginated_response(CatalogusProductSerializer(page, many=True).data)

    @extend_schema(summary="Een UPL-koppeling bevestigen of overschrijven", tags=["producten"],
                   description=("Bevestigt een suggestie of kiest een andere UPL-naam uit de huidige lijst voor "
                                "één product; vervangt een eerdere bevestiging. Alleen de partnerbijdrager van "
                                "deze partner en de coördinator."),
                   parameters=[SLUG_PARAMETER, PARTNER_PARAMETER], request=BevestigSerializer,
                   responses={200: UplKoppelingSerializer, **_problem_responses(400, 401, 403, 404)})
    def confirm(self, request, *args, **kwargs):
        partner = self.get_partner()
        self.require(can_edit_partner(request.user, partner),
                     _("U mag alleen de gegevens van uw eigen gemeente wijzigen."))
        serializer = BevestigSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = get_object_or_404(ProductRecord, partner=partner, pk=serializer.validated_data["product"])
        mapping = services.confirm_mapping(request.user, product, serializer.validated_data["upl"])
        return Response(UplKoppelingSerializer(mapping).data)


WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path(f"{WS}/partners/<int:partner_id>/producten", PartnerProductViewSet.as_view({"get": "list"}),
         name="partner-product-list"),
    path(f"{WS}/partners/<int:partner_id>/producten/bevestigen", PartnerProductViewSet.as_view({"post": "confirm"}),
         name="partner-product-confirm"),
]
