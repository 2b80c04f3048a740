"""API v1 URLs, mounted at ``/api/v1/``.

NL API Design Rules: version in the path, plural Dutch nouns in kebab-case,
no trailing slashes (API-48), OpenAPI document at ``/api/v1/openapi.json``
(API-51). Every name here needs an entry in ``tests/test_permission_matrix.py``.

Layer apps add their own endpoints in ``<app>/api/urls.py`` (a ``urlpatterns``
list, paths without trailing slashes); they are included here under the
namespace ``api:<app label>`` — e.g. ``api:products:catalogus-list`` — so a layer
app never needs to edit this file. Their names need a matrix entry too, and
``make schema`` picks them up.
"""

import importlib
import importlib.util

from django.apps import apps
from django.urls import include, path, re_path

from . import views

app_name = "api"

WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path("samenwerkingsverbanden",
         views.SamenwerkingsverbandViewSet.as_view({"get": "list", "post": "create"}),
         name="samenwerkingsverband-list"),
    path(WS,
         views.SamenwerkingsverbandViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
         name="samenwerkingsverband-detail"),
    path(f"{WS}/partners",
         views.PartnerViewSet.as_view({"get": "list", "post": "create"}),
         name="partner-list"),
    path(f"{WS}/partners/<int:pk>",
         views.PartnerViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
         name="partner-detail"),
    path(f"{WS}/leveringen",
         views.LeveringViewSet.as_view({"get": "list"}),
         name="levering-list"),
    path(f"{WS}/leveringen/<int:pk>",
         views.LeveringViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
         name="levering-detail"),
    path(f"{WS}/audit",
         views.AuditViewSet.as_view({"get": "list"}),
         name="audit-list"),
    path(f"{WS}/taken",
         views.TaakViewSet.as_view({"get": "list"}),
         name="taak-list"),
    path(f"{WS}/taken/<uuid:pk>",
         views.TaakViewSet.as_view({"get": "retrieve"}),
         name="taak-detail"),
    path(f"{WS}/taken/<uuid:pk>/retry",
         views.TaakViewSet.as_view({"post": "retry"}),
         name="taak-retry"),
    path("referentiedata/gemeenten",
         views.GemeenteViewSet.as_view({"get": "list"}),
         name="gemeente-list"),
    path("referentiedata/versies",
         views.ReferentieversieViewSet.as_view({"get": "list"}),
         name="referentieversie-list"),
    path("schema", views.SchemaView.as_view(), name="schema"),
    path("openapi.json", views.SchemaJSONView.as_view(), name="openapi-json"),
]


def _layer_app_urls():
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("harmonie.") or config.name == "harmonie.api":
            continue
        module_name = f"{config.name}.api.urls"
        try:
            found = importlib.util.find_spec(module_name) is not None
        except ModuleNotFoundError:  # no ``api`` package in this app
            found = False
        if found:
            module = importlib.import_module(module_name)
            patterns.append(path("", include((module.urlpatterns, config.label), namespace=config.label)))
    return patterns


urlpatterns += _layer_app_urls()

# Last: every other path under /api/v1/ is a problem+json 404.
urlpatterns.append(re_path(r"^.*$", views.not_found, name="niet-gevonden"))
