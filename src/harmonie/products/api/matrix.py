"""Products API: the product matrix, the index per partner pair and one UPL product with its proposal.

Read-only, for every member of the workspace. The numbers are the same as on the pages and in the XLSX export
(``services.product_matrix``); the pair index is the one of ``harmonie catalog compare``.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from harmonie.api.views import SLUG_PARAMETER, HarmonieViewSet, WorkspaceMixin, _problem_responses

from .. import services
from ..analysis.matrix import ATTRIBUTES, FORMULA_NL, ProductRow, upl_slug

WS = "samenwerkingsverbanden/<slug:slug>"
TAGS = ["producten"]


# --- serializers (for the schema; the data are plain dicts) ---------------------------------------------------
class ProductmatrixPaarSerializer(serializers.Serializer):
    a = serializers.CharField(help_text="Naam van de ene partner (a < b).")
    b = serializers.CharField(help_text="Naam van de andere partner.")
    harmonisation_index = serializers.FloatField(help_text="Paarindex in [0, 1].")
    shared_products = serializers.IntegerField(help_text="Aantal UPL-producten dat beide aanbieden.")


class ProductmatrixDefinitieSerializer(serializers.Serializer):
    partner = serializers.CharField()
    titles = serializers.ListField(child=serializers.CharField(), help_text="Lokale titels bij deze partner.")
    audience = serializers.CharField(help_text="particulier, ondernemer of beide; leeg als onbekend.")
    online = serializers.CharField(help_text="ja, nee of digid; leeg als onbekend.")
    lead_time = serializers.CharField(help_text="Doorlooptijd (vrije tekst); leeg als onbekend.")
    fees = serializers.CharField(help_text="Kosten (vrije tekst); leeg als onbekend.")
    differs = serializers.ListField(child=serializers.CharField(),
                                    help_text="Kenmerken waarop deze partner afwijkt van het voorstel.")


class ProductmatrixVoorstelWaardeSerializer(serializers.Serializer):
    attribute = serializers.CharField()
    value = serializers.CharField()
    support = serializers.IntegerField(help_text="Partners met deze waarde.")
    known = serializers.IntegerField(help_text="Partners die dit kenmerk vermelden.")
    tie = serializers.BooleanField(help_text="Gelijke stand; gekozen volgens de UPL of alfabetisch.")


class ProductmatrixWijzigingSerializer(serializers.Serializer):
    partner = serializers.CharField()
    attribute = serializers.CharField()
    kind = serializers.ChoiceField(choices=["aanvullen", "wijzigen"])
    current = serializers.CharField()
    proposed = serializers.CharField()


class ProductmatrixVoorstelSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="De meest gebruikte lokale titel.")
    values = ProductmatrixVoorstelWaardeSerializer(many=True)
    changes = ProductmatrixWijzigingSerializer(many=True)


class ProductmatrixProductSerializer(serializers.Serializer):
    upl_uri = serializers.CharField()
    upl_label = serializers.CharField()
    slug = serializers.CharField(help_text="Laatste deel van de UPL-URI (voor het productadres).")
    organisations = serializers.ListField(child=serializers.CharField(), help_text="Partners die het aanbieden.")
    coverage = serializers.FloatField(help_text="n(u) / N.")
    agreement = serializers.FloatField(help_text="D(u): gemiddelde overeenkomst van de definities.")
    harmonisation_index = serializers.FloatField(help_text="H(u) = n(u) / N × D(u).")
    differences = serializers.DictField(child=serializers.BooleanField())
    legal_basis = serializers.ListField(child=serializers.CharField())
    withdrawn = serializers.BooleanField(help_text="Ingetrokken UPL-naam.")
    subjects = serializers.ListField(child=serializers.CharField())
    definitions = ProductmatrixDefinitieSerializer(many=True)


class ProductmatrixProductDetailSerializer(ProductmatrixProductSerializer):
    proposal = ProductmatrixVoorstelSerializer(allow_null=True)


class ProductmatrixSerializer(serializers.Serializer):
    organisations = serializers.ListField(child=serializers.CharField())
    partners_without_catalogue = serializers.ListField(child=serializers.CharField())
    harmonisation_index = serializers.FloatField(allow_null=True)
    formula = serializers.CharField()
    count = serializers.IntegerField(help_text="Aantal producten na de filters.")
    products = ProductmatrixProductSerializer(many=True)


class ProductmatrixParenSerializer(serializers.Serializer):
    organisations = serializers.ListField(child=serializers.CharField())
    harmonisation_index = serializers.FloatField(allow_null=True)
    partner_index = serializers.DictField(child=serializers.FloatField(allow_null=True))
    formula = serializers.CharField()
    pairs = ProductmatrixPaarSerializer(many=True)


# --- data --------------------------------------------------------------------------------------------------
def product_data(row: ProductRow, *, proposal: bool = False) -> dict:
    data = {
        "upl_uri": row.uri, "upl_label": row.label, "slug": row.slug, "organisations": list(row.partners),
        "coverage": row.coverage, "agreement": row.agreement, "harmonisation_index": row.index,
        "differences": dict(row.differences), "legal_basis": list(row.upl.legal_basis),
        "withdrawn": row.upl.withdrawn, "subjects": list(row.subjects),
        "definitions": [{"partner": p, "titles": row.cells[p].titles, **row.cells[p].values,
                         "differs": [a for a, _l in ATTRIBUTES if row.cells[p].differs[a]]} for p in row.partners],
    }
    if proposal:
        data["proposal"] = {
            "title": row.proposal.title,
            "values": [{"attribute": v.attribute, "value": v.value, "support": v.support, "known": v.known,
                        "tie": v.tie} for v in row.proposal.values],
            "changes": [{"partner": c.partner, "attribute": c.attribute, "kind": c.kind, "current": c.current,
                         "proposed": c.proposed} for c in row.proposal.changes],
        }
    return data


FILTER_PARAMETERS = [
    OpenApiParameter("onderwerp", OpenApiTypes.STR, description="Alleen producten met dit onderwerp."),
    OpenApiParameter("doelgroep", OpenApiTypes.STR, enum=list(services.AUDIENCE_FILTERS),
                     description="Alleen producten die een partner aan deze doelgroep aanbiedt."),
    OpenApiParameter("verschillen", OpenApiTypes.BOOL,
                     description="Alleen producten waarop de partners verschillen (definitie of aanbod)."),
    OpenApiParameter("aanbod", OpenApiTypes.STR, enum=list(services.OFFERED_FILTERS),
                     description="gedeeld (2 of meer partners), iedereen, uniek (1 partner)."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Tekst in de UPL-naam of een lokale titel."),
]
UPL_PARAMETER = OpenApiParameter("upl", OpenApiTypes.STR, OpenApiParameter.PATH,
                                 description="Laatste deel van de UPL-URI, bv. 'paspoort'.")


class ProductmatrixViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ProductmatrixSerializer
    pagination_class = None

    @extend_schema(summary="De productmatrix: UPL-product × partner met index en verschillen", tags=TAGS,
                   description="Per UPL-product de partners die het aanbieden, hun definities (lokale titel, "
                               "doelgroep, online aanvragen, doorlooptijd, kosten), de verschillen en de "
                               "productindex. Filters als op de pagina.",
                   parameters=[SLUG_PARAMETER, *FILTER_PARAMETERS],
                   responses={200: ProductmatrixSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        matrix = services.product_matrix(self.get_workspace())
        get = request.query_params
        rows = services.filter_products(
            matrix, subject=get.get("onderwerp", ""), audience=get.get("doelgroep", ""),
            only_differences=get.get("verschillen", "").lower() in ("1", "true", "ja"),
            offered=get.get("aanbod", ""), query=get.get("q", ""))
        return Response({"organisations": matrix.partners, "partners_without_catalogue": matrix.partners_without,
                         "harmonisation_index": matrix.index, "formula": FORMULA_NL, "count": len(rows),
                         "products": [product_data(row) for row in rows]})


class ParenViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ProductmatrixParenSerializer
    pagination_class = None

    @extend_schema(summary="Harmonisatie-index per partnerpaar (producten)", tags=TAGS,
                   description="Eén paar per ongeordend partnerpaar (a < b), zoals 'harmonie catalog compare', "
                               "met de partnerindex en de index van het samenwerkingsverband.",
                   parameters=[SLUG_PARAMETER],
                   responses={200: ProductmatrixParenSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        matrix = services.product_matrix(self.get_workspace())
        return Response({"organisations": matrix.partners, "harmonisation_index": matrix.index,
                         "partner_index": matrix.partner_index, "formula": FORMULA_NL, "pairs": matrix.pairs})


class ProductViewSet(WorkspaceMixin, HarmonieViewSet):
    serializer_class = ProductmatrixProductDetailSerializer
    pagination_class = None

    @extend_schema(summary="Eén UPL-product bij alle partners, met het voorstel", tags=TAGS,
                   description="De definities naast elkaar, het voorstel (de definitie die de meeste partners "
                               "delen) en per partner wat die zou moeten aanpassen. Een UPL-product dat geen "
                               "partner aanbiedt geeft lege lijsten; een onbekende naam 404.",
                   parameters=[SLUG_PARAMETER, UPL_PARAMETER],
                   responses={200: ProductmatrixProductDetailSerializer, **_problem_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        matrix = services.product_matrix(self.get_workspace())
        row = matrix.product(self.kwargs["upl"])
        if row is not None:
            return Response(product_data(row, proposal=True))
        from harmonie.reference.services import current_upl

        item = next((i for i in current_upl() if upl_slug(i.uri) == self.kwargs["upl"]), None)
        if item is None:
            raise NotFound(_("Dit UPL-product staat niet in de matrix en niet in de UPL."))
        return Response({"upl_uri": item.uri, "upl_label": item.label, "slug": upl_slug(item.uri),
                         "organisations": [], "coverage": 0.0, "agreement": 1.0, "harmonisation_index": 0.0,
                         "differences": {a: False for a, _l in ATTRIBUTES},
                         "legal_basis": [b.get("label", "") for b in item.legal_basis if isinstance(b, dict)],
                         "withdrawn": item.withdrawn, "subjects": [], "definitions": [], "proposal": None})


urlpatterns = [
    path(f"{WS}/producten/matrix", ProductmatrixViewSet.as_view({"get": "retrieve"}), name="productmatrix"),
    path(f"{WS}/producten/matrix/paren", ParenViewSet.as_view({"get": "retrieve"}), name="productmatrix-paren"),
    path(f"{WS}/producten/matrix/producten/<str:upl>", ProductViewSet.as_view({"get": "retrieve"}),
         name="productmatrix-product"),
]
