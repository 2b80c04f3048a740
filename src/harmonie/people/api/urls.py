"""People API, included under ``/api/v1/`` with namespace ``api:people`` (no trailing slashes)."""

from django.urls import path

from . import views

WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path(f"{WS}/enquetes", views.EnqueteViewSet.as_view({"get": "list", "post": "create"}), name="enquete-list"),
    path(f"{WS}/enquetes/links", views.LinksViewSet.as_view({"post": "create"}), name="enquete-links"),
    path(f"{WS}/enquetes/groepen", views.GroepViewSet.as_view({"post": "create"}), name="enquete-groepen"),
    path(f"{WS}/enquetes/sluiten", views.SluitenViewSet.as_view({"post": "create"}), name="enquete-sluiten"),
    path(f"{WS}/aansturing", views.AansturingViewSet.as_view({"get": "list"}), name="aansturing"),
]
