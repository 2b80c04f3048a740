"""Diagnose API, included under /api/v1/ as ``api:diagnosis`` (no trailing slashes)."""

from django.urls import path

from . import views

WS = "samenwerkingsverbanden/<slug:slug>"

urlpatterns = [
    path(f"{WS}/diagnose", views.DiagnoseViewSet.as_view({"get": "retrieve"}), name="diagnose"),
    path(f"{WS}/diagnose/metingen", views.MetingViewSet.as_view({"get": "list", "post": "create"}),
         name="meting-list"),
    path(f"{WS}/routekaart/initiatieven", views.InitiatiefViewSet.as_view({"get": "list"}),
         name="initiatief-list"),
    path(f"{WS}/routekaart/initiatieven/<int:pk>",
         views.InitiatiefViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="initiatief-detail"),
]
