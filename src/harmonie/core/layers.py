"""The one registry of Harmonie's layers.

Every layer app registers itself here (Datasette-style: one explicit list of
extension points), so navigation, delivery status, the permission matrix and
the diagnosis all iterate over the same list instead of hard-coding layers.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Layer:
    key: str
    title: str
    description: str
    # Partners deliver data for this layer (and so have a delivery status).
    delivered_by_partners: bool = True
    # Dotted path of ``panel(request, workspace) -> str``: the layer app's own HTML
    # for the "Gegevens" part of the layer page (empty: nothing imported yet).
    panel: str = ""


LAYERS: tuple[Layer, ...] = (
    Layer(
        "visie",
        _("Visie & governance"),
        _("Gezamenlijke visie, doelen, Wgr-vorm, besluiten en wie elk initiatief nam."),
        panel="harmonie.web.panels.vision_panel",
    ),
    Layer(
        "producten",
        _("Producten & diensten"),
        _("Productcatalogi per partner, gekoppeld aan de Uniforme Productnamenlijst (UPL)."),
        panel="harmonie.products.panel.panel",
    ),
    Layer(
        "werkprocessen",
        _("Werkprocessen"),
        _("Zaaktypen, procesmodellen en de werkelijke uitvoering (eventlogs)."),
        panel="harmonie.processes.panel.panel",
    ),
    Layer(
        "aansturing",
        _("Aansturing"),
        _("Beslisbevoegdheden, mandaten, KPI's, planning & control en de Wgr-bepalingen."),
        panel="harmonie.people.views.steering_panel",
    ),
    Layer(
        "cultuur",
        _("Cultuur & urgentie"),
        _("Cultuurprofiel, veranderbereidheid en gevoelde urgentie, anoniem gemeten."),
        panel="harmonie.people.views.culture_panel",
    ),
    Layer(
        "applicaties",
        _("Applicaties"),
        _("Applicatieportfolio's op de GEMMA-referentiecomponenten, overlap en contracten."),
        panel="harmonie.applications.views.panel",
    ),
    Layer(
        "diagnose",
        _("Diagnose & routekaart"),
        _("Harmonisatie-index, breekijzer-toets, routekaart en bestuursrapportage."),
        delivered_by_partners=False,
        panel="harmonie.diagnosis.views.panel",
    ),
)

LAYER_KEYS = tuple(layer.key for layer in LAYERS)
DELIVERY_LAYERS = tuple(layer for layer in LAYERS if layer.delivered_by_partners)


def get_layer(key: str) -> Layer:
    for layer in LAYERS:
        if layer.key == key:
            return layer
    raise KeyError(key)


def render_panel(layer: Layer, request, workspace) -> str:
    """The layer app's panel HTML for the layer page, or "" when the app has none."""
    if not layer.panel:
        return ""
    from django.utils.module_loading import import_string

    return import_string(layer.panel)(request, workspace)
