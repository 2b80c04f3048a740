"""Applicaties API, included under /api/v1/ as ``api:applications`` (no trailing slashes)."""

from django.urls import path

from . import views

WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path(f"{WS}/applicaties", views.ApplicatieViewSet.as_view({"get": "list"}), name="applicatie-list"),
    path(f"{WS}/partners/<int:partner_id>/applicaties",
         views.PartnerApplicatieViewSet.as_view({"get": "list", "post": "create"}), name="partner-applicatie-list"),
    path(f"{WS}/applicaties/overlap", views.OverlapViewSet.as_view({"get": "list"}), name="overlap"),
    path(f"{WS}/applicaties/time-voorstellen", views.TimeVoorstelViewSet.as_view({"get": "list"}),
         name="time-voorstel-list"),
    path(f"{WS}/applicaties/ameff", views.AmeffViewSet.as_view({"get": "retrieve"}), name="ameff"),
]
